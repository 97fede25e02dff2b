// osvconf size --html: a self-contained treemap page. Its tiles are checked as geometry (areas in
// proportion to the sizes, no overlap, inside the picture), and the page is loaded in a real
// headless browser (Debian's chromium) whose screenshot must show each tile's colour where the
// page puts it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvconf, tempDir } from '../helpers/cli.js';
import { readPng } from '../helpers/png.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);

interface Tile {
  name: string;
  kib: number;
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
}

/** The tiles of each treemap on the page, in order. */
function treemaps(html: string): Tile[][] {
  return html
    .split('<svg ')
    .slice(1)
    .map((svg) =>
      [
        ...svg.matchAll(/<g data-component="([^"]+)" data-kib="([\d.]+)"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="([^"]+)"/g),
      ].map((m) => ({ name: m[1] as string, kib: Number(m[2]), x: Number(m[3]), y: Number(m[4]), w: Number(m[5]), h: Number(m[6]), fill: m[7] as string })),
    );
}

function rgbOf(hsl: string): [number, number, number] {
  const [h, s, l] = (/hsl\((\d+), (\d+)%, (\d+)%\)/.exec(hsl) ?? []).slice(1).map(Number) as [number, number, number];
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

const close = (p: [number, number, number], q: [number, number, number]): boolean => p.every((v, i) => Math.abs(v - (q[i] as number)) <= 8);

describe('osvconf size --html', () => {
  const dir = tempDir('osvconf-html-');
  const page = join(dir, 'size.html');

  it('draws one tile per component, its area in proportion to its size, none overlapping', () => {
    const run = osvconf(['size', '--profile=virtio-pci', '--json', `--html=${page}`]);
    expect(run.code, run.stderr).toBe(0);
    const estimate = JSON.parse(run.stdout) as { components: { name: string; kib: number }[] };
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/<script|<link|src=|href=/); // nothing to fetch: readable offline
    const [tiles] = treemaps(html) as [Tile[]];
    const positive = estimate.components.filter((c) => c.kib > 0);
    expect(tiles.map((t) => t.name).sort()).toEqual(positive.map((c) => c.name).sort());
    const totalKib = tiles.reduce((a, t) => a + t.kib, 0);
    const totalArea = tiles.reduce((a, t) => a + t.w * t.h, 0);
    expect(totalArea).toBeCloseTo(960 * 480, -2);
    for (const t of tiles) {
      expect((t.w * t.h) / totalArea, t.name).toBeCloseTo(t.kib / totalKib, 3);
      expect(t.x >= -0.01 && t.y >= -0.01 && t.x + t.w <= 960.01 && t.y + t.h <= 480.01, t.name).toBe(true);
    }
    for (const a of tiles)
      for (const b of tiles)
        if (a !== b) {
          const overlap = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
          // Coordinates are written to 0.01: neighbours may share a sliver that thin along their edge.
          expect(overlap, `${a.name} and ${b.name}`).toBeLessThan(0.011 * Math.max(a.w, a.h, b.w, b.h));
        }
  });

  it('with --elf, the measurement beside the estimate; a file osvconf did not write is not replaced', () => {
    const src = join(dir, 'drivers', 'nvme.c');
    mkdirSync(join(dir, 'drivers'), { recursive: true });
    writeFileSync(src, 'const char ids[30000] = {1}; int main(void) { return ids[7]; }\n');
    execFileSync('gcc', ['-g', '-O1', '-nostdlib', '-static', '-Wl,-e,main', '-o', join(dir, 'kernel.elf'), 'drivers/nvme.c'], { cwd: dir });
    const run = osvconf(['size', '--profile=virtio-pci', `--elf=${join(dir, 'kernel.elf')}`, `--html=${page}`]);
    expect(run.code, run.stderr).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('measured (by source file)');
    const measured = treemaps(html)[1] ?? [];
    expect(measured.find((t) => t.name === 'nvme')?.kib).toBeGreaterThan(29);
    const foreign = join(dir, 'mine.html');
    writeFileSync(foreign, '<p>my own page</p>\n');
    const refused = osvconf(['size', '--profile=virtio-pci', `--html=${foreign}`]);
    expect(refused.code).toBe(1);
    expect(readFileSync(foreign, 'utf8')).toBe('<p>my own page</p>\n');
  });

  it.skipIf(!HAVE_CHROMIUM && process.env['CI'] !== 'true')('a headless browser draws each tile in its colour where the page puts it', () => {
    expect(osvconf(['size', '--profile=virtio-pci', `--html=${page}`]).code).toBe(0);
    const shot = join(dir, 'shot.png');
    const browser = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--force-device-scale-factor=1',
        '--window-size=1000,800',
        `--screenshot=${shot}`,
        `file://${page}`,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(existsSync(shot), browser.stderr).toBe(true);
    const picture = readPng(readFileSync(shot));
    const [tiles] = treemaps(readFileSync(page, 'utf8')) as [Tile[]];
    // The treemap's corner: the first pixel (rows top down) of the largest tile's colour, inside its 1 px border.
    const first = tiles[0] as Tile;
    let origin: [number, number] | undefined;
    for (let y = 0; y < picture.height && origin === undefined; y++)
      for (let x = 0; x < picture.width; x++)
        if (close(picture.pixel(x, y), rgbOf(first.fill))) {
          origin = [x - 1, y - 1];
          break;
        }
    expect(origin, 'the largest tile is drawn').toBeDefined();
    const [ox, oy] = origin as [number, number];
    let checked = 0;
    for (const t of tiles) {
      if (t.w < 10 || t.h < 10) continue;
      // Bottom right, inside the border: labels are drawn top left.
      const [x, y] = [Math.floor(ox + t.x + t.w - 4), Math.floor(oy + t.y + t.h - 4)];
      expect(close(picture.pixel(x, y), rgbOf(t.fill)), `${t.name} at ${x},${y}: ${picture.pixel(x, y).join(',')} vs ${rgbOf(t.fill).join(',')}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });
});
