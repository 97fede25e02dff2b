// osvconf size through the CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, osvconf, tempDir, ARCHES } from '../helpers/cli.js';
import { rawProfiles } from '../helpers/make-harness.js';

/** The uncertainty the size model states for a regime (the CLI must report the model's own). */
const uncertainty = (arch: string, regime: 'hidden' | 'visible'): number =>
  JSON.parse(readFileSync(join(ROOT, 'conf', 'size', `${arch}.json`), 'utf8')).uncertainty_pct[regime];

const size = (...args: string[]) => {
  const run = osvconf(['size', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
};

describe('osvconf size', () => {
  it('answers for every arch and profile, with the components adding up', () => {
    for (const arch of ARCHES) {
      for (const profile of rawProfiles(arch).keys()) {
        const r = size(`--arch=${arch}`, `--profile=${profile}`);
        expect(r.kernel_kib).toBeGreaterThan(1000);
        const sum = r.components.reduce((s: number, c: { kib: number }) => s + c.kib, 0);
        expect(Math.abs(sum - r.kernel_kib)).toBeLessThan(1);
        expect(r.uncertainty_pct).toBe(uncertainty(arch, 'visible')); // symbols visible by default
      }
    }
  });

  it('shows what hiding symbols saves on Firecracker, against the default baseline', () => {
    const fc = size('--profile=virtio-mmio', 'conf_hide_symbols=1', 'fs=rofs');
    expect(fc.baseline).toBe('profile all, symbols visible');
    expect(fc.kernel_kib).toBeLessThan(fc.baseline_kib);
    expect(fc.components.map((c: { name: string }) => c.name)).not.toContain('acpi');
    expect(fc.components.map((c: { name: string }) => c.name)).not.toContain('symbols-visible');
    expect(fc.uncertainty_pct).toBe(uncertainty('x64', 'hidden'));
    const text = osvconf(['size', '--profile=virtio-mmio', 'conf_hide_symbols=1', 'fs=rofs']).stdout;
    expect(text).toMatch(new RegExp(`^estimate: [\\d,]+ KiB \\(± ${uncertainty('x64', 'hidden')} %\\)$`, 'm'));
    expect(text).toMatch(/^baseline: [\d,]+ KiB \(profile all, symbols visible\): -[\d,]+ KiB \(-\d+\.\d %\)$/m);
    expect(text).toMatch(/^ {2}core kernel\s+[\d,]+ {2}#+$/m);
  });

  it('refuses a mode the model was not fitted on, naming the modes it was', () => {
    for (const arch of ARCHES) {
      const modes = (JSON.parse(readFileSync(join(ROOT, 'conf', 'size', `${arch}.json`), 'utf8')) as { modes: string[] }).modes;
      const other = ['release', 'debug'].find((m) => !modes.includes(m));
      if (other === undefined) continue;
      const r = osvconf(['size', `--arch=${arch}`, `--mode=${other}`]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`no size estimate for mode=${other}: the model (conf/size/${arch}.json) is fitted on ${modes.join(', ')} kernels only`);
      expect(osvconf(['size', `--arch=${arch}`, `--mode=${modes[0]}`]).code).toBe(0);
    }
  });

  it('--compare picks the baseline or none', () => {
    expect(size('--compare=none').baseline_kib).toBeNull();
    const vs = size('--profile=virtio-pci', '--compare=virtio-mmio');
    expect(vs.baseline).toBe('profile virtio-mmio, symbols visible');
    expect(vs.kernel_kib).toBeGreaterThan(vs.baseline_kib);
  });

  it('reports libsolaris.so where the filesystem carries it', () => {
    expect(size('fs=zfs').libsolaris).toMatchObject({ where: 'bootfs', zfs: 'bsd', kib: 804 });
    expect(size('fs=rofs_with_zfs').libsolaris).toMatchObject({ where: 'image' });
    expect(size('fs=zfs', 'conf_zfs=openzfs').libsolaris).toMatchObject({ zfs: 'openzfs', kib: null });
    expect(size('fs=rofs').libsolaris).toBeNull();
  });

  it('counts the symbols of conf_version_script', () => {
    const dir = tempDir();
    const names = (n: number) => Array.from({ length: n }, (_, i) => `    sym${i};\n`).join('');
    writeFileSync(join(dir, 'small.vs'), `{\n  global:\n${names(10)}  local:\n    *;\n};\n`);
    writeFileSync(join(dir, 'big.vs'), `{\n  global:\n${names(1000)}  local:\n    *;\n};\n`);
    const small = size('conf_hide_symbols=1', `conf_version_script=${join(dir, 'small.vs')}`, 'fs=rofs');
    const big = size('conf_hide_symbols=1', `conf_version_script=${join(dir, 'big.vs')}`, 'fs=rofs');
    expect(small.components.find((c: { name: string }) => c.name === 'version-script').label).toBe('app version script (10 symbols)');
    expect(small.kernel_kib).toBeLessThan(big.kernel_kib);
  });

  it.each([
    [['conf_hide_symbols=1', 'conf_version_script=/nonexistent.vs', 'fs=rofs'], 'no such file'],
    [['conf_hide_symbols=1', 'conf_version_script=NOTVS', 'fs=rofs'], 'is not a version script'],
    [['--profile=nope'], 'unknown profile "nope"'],
    [['conf_drivers_pcii=1'], 'did you mean'],
    [['--compare=vmwar'], 'did you mean "vmware"'],
  ])('refuses %j', (args, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notvs.txt'), 'hello\n');
    const run = osvconf(['size', ...args.map((a) => a.replace('NOTVS', join(dir, 'notvs.txt')))]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
  });
});
