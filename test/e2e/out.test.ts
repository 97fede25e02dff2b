// --out and the OSv-checkout default: the tree layout, write-if-changed with mtimes kept,
// no temp files left behind.
import { mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvconf, tempDir } from '../helpers/cli.js';

const HEADER = join('build', 'release.x64', 'gen', 'include', 'osv', 'drivers_config.h');

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('--out=DIR', () => {
  it('writes the OSv tree layout, then leaves unchanged files untouched', () => {
    const out = tempDir();
    const first = osvconf(['--profile=virtio-kvm', `--out=${out}`]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(`wrote     ${join(out, HEADER)}\n`);
    const printed = osvconf(['--profile=virtio-kvm', '--print=drivers_config.h']).stdout;
    expect(readFileSync(join(out, HEADER), 'utf8')).toBe(printed);

    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(out, HEADER), past, past);
    const again = osvconf(['--profile=virtio-kvm', `--out=${out}`]);
    expect(again.stdout).toBe(`unchanged ${join(out, HEADER)}\n`);
    expect(statSync(join(out, HEADER)).mtime.getTime()).toBe(past.getTime());

    const changed = osvconf(['--profile=virtio-kvm', 'conf_drivers_virtio_fs=1', `--out=${out}`]);
    expect(changed.stdout).toBe(`wrote     ${join(out, HEADER)}\n`);
    expect(readFileSync(join(out, HEADER), 'utf8')).toContain('#define CONF_drivers_virtio_fs 1\n');
    expect(statSync(join(out, HEADER)).mtime.getTime()).toBeGreaterThan(past.getTime());
    expect(allFiles(out)).toEqual([join(out, HEADER)]); // no temp files left
  });

  it('puts arch and mode into the build directory name', () => {
    const out = tempDir();
    const run = osvconf(['--arch=aarch64', '--mode=debug', '--profile=virtio-mmio', `--out=${out}`]);
    expect(run.code, run.stderr).toBe(0);
    expect(allFiles(out)).toEqual([join(out, 'build', 'debug.aarch64', 'gen', 'include', 'osv', 'drivers_config.h')]);
  });

  it('--json reports the files with their status', () => {
    const out = tempDir();
    const run = osvconf(['--profile=xen', `--out=${out}`, '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.files).toEqual([{ path: HEADER.split('\\').join('/'), status: 'wrote' }]);
    expect(JSON.parse(osvconf(['--profile=xen', `--out=${out}`, '--json']).stdout).files[0].status).toBe('unchanged');
  });
});

describe('inside an OSv checkout', () => {
  it('writes into the current directory when neither --print nor --out is given', () => {
    const osv = tempDir('osv-');
    mkdirSync(join(osv, 'conf', 'profiles'), { recursive: true });
    mkdirSync(join(osv, 'scripts'));
    writeFileSync(join(osv, 'scripts', 'build'), '#!/bin/sh\n');
    const run = osvconf(['--profile=nvme'], { cwd: osv });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(osv, HEADER), 'utf8')).toContain('#define CONF_drivers_nvme 1\n');
  });
});
