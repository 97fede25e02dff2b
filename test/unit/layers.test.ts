// Imports run one way (DESIGN §2): core imports nothing else; the services over it (io,
// generators, importer, symbols, size) import core and each other; app imports those; cli and
// tui sit on top, and never import each other, but for cli/tui.ts, the one entry main.ts loads
// lazily. Every relative import of every source file is checked, type-only ones included.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SRC = join(ROOT, 'src');
const SERVICES = ['io', 'generators', 'importer', 'symbols', 'size'];
const ALLOWED: Record<string, readonly string[]> = {
  core: ['core'],
  ...Object.fromEntries(SERVICES.map((s) => [s, ['core', 'generated', ...SERVICES]])),
  app: ['core', 'generated', ...SERVICES, 'app'],
  api: ['core', 'generated', ...SERVICES, 'app', 'api'],
  cli: ['core', 'generated', ...SERVICES, 'app', 'cli'],
  tui: ['core', 'generated', ...SERVICES, 'app', 'tui'],
};
/** The one file of cli/ that may reach into tui/: the TUI bundle's entry, loaded with import(). */
const BRIDGES: Record<string, string> = { 'cli/tui.ts': 'tui' };

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => !relative(SRC, p).startsWith('generated'));
}

describe('layers', () => {
  it('every relative import stays within the allowed matrix', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const file of sources(SRC)) {
      const from = relative(SRC, file);
      const layer = from.split('/')[0] as string;
      const allowed = ALLOWED[layer];
      if (allowed === undefined) {
        wrong.push(`${from}: a folder the matrix does not know (add it to test/unit/layers.test.ts)`);
        continue;
      }
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = relative(SRC, join(dirname(file), m[1] as string)).split('/')[0] as string;
        checked++;
        if (!allowed.includes(target) && BRIDGES[from] !== target) wrong.push(`${from} imports ${m[1]} (${layer} -> ${target})`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it('the scripted path reaches the TUI only through cli/tui.ts, loaded lazily', () => {
    const main = readFileSync(join(SRC, 'cli', 'main.ts'), 'utf8');
    expect(main).toMatch(/await import\('\.\/tui\.js'\)/);
    expect(main).not.toMatch(/^import .*tui/m);
  });
});
