// osvconf size --calibrate: the user's own build of a selection measured once (loader-stripped.elf
// without bootfs.bin), stored beside it, and every later estimate in that tree shifted by the
// model's error on it. The "build" is a real x64 ELF padded to a chosen size.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { osvconf, osvTree, tempDir } from '../helpers/cli.js';

const KERNEL_BYTES = 3_300_000;
const BOOTFS_BYTES = 40_960;
const ALL = ['--profile=all', 'conf_hide_symbols=1', 'fs=rofs', '--compare=none'];
const PCI = ['--profile=virtio-pci', 'conf_hide_symbols=1', 'fs=rofs', '--compare=none'];

function fakeBuild(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const src = join(dir, 'k.c');
  writeFileSync(src, 'int main(void) { return 0; }\n');
  const elf = join(dir, 'small.elf');
  execFileSync('gcc', ['-o', elf, src]);
  const bytes = readFileSync(elf);
  const padded = Buffer.alloc(KERNEL_BYTES);
  bytes.copy(padded);
  writeFileSync(join(dir, 'loader-stripped.elf'), padded);
  writeFileSync(join(dir, 'bootfs.bin'), Buffer.alloc(BOOTFS_BYTES));
}

const json = (args: string[], cwd: string) => {
  const run = osvconf(['size', ...args, '--json'], { cwd });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
};

describe('osvconf size --calibrate', () => {
  let tree: string;
  beforeAll(() => {
    tree = osvTree();
    fakeBuild(join(tree, 'build', 'release.x64'));
  });

  it('measures the build once; the same selection is then estimated at its measured size, and says so', () => {
    const model = json(ALL, tempDir()).kernel_kib;
    const out = json([...ALL, '--calibrate=build/release.x64'], tree);
    const measured = (KERNEL_BYTES - BOOTFS_BYTES) / 1024;
    expect(out.calibration.measured_kib).toBeCloseTo(measured, 1);
    expect(out.calibration.stored_in).toBe(join(tree, 'build', 'release.x64', 'osvconf-size.json'));
    expect(out.model_kib).toBeCloseTo(model, 1);
    expect(out.kernel_kib).toBeCloseTo(measured, 0);
    expect(out.calibration.extrapolated).toEqual([]);
    const text = osvconf(['size', ...ALL], { cwd: tree }).stdout;
    expect(text).toContain(`calibrated on ${join(tree, 'build', 'release.x64', 'loader-stripped.elf')}, ${new Date().toISOString().slice(0, 10)}`);
  });

  it('other selections in the tree start from it: shifted by the same error, with what is extrapolated named', () => {
    const all = json(ALL, tree);
    const pciModel = json(PCI, tempDir()).kernel_kib;
    const pci = json(PCI, tree);
    expect(pci.kernel_kib).toBeCloseTo(pciModel + (all.kernel_kib - all.model_kib), 0);
    expect(pci.calibration.extrapolated.join('\n')).toMatch(/off here but in the calibration build .*: .*\bxen\b/);
    const visible = json(['--profile=all', 'conf_hide_symbols=0', 'fs=rofs', '--compare=none'], tree);
    expect(visible.calibration.extrapolated.join('\n')).toContain('symbols visible here, hidden in the calibration build');
  });

  it('outside a tree it is stored beside the build; --calibration names another file; a bad one is refused with its name', () => {
    const dir = join(tempDir(), 'build');
    fakeBuild(dir);
    const cwd = join(dir, '..');
    expect(json([...ALL, '--calibrate=build'], cwd).calibration.stored_in).toBe(join(dir, 'osvconf-size.json'));
    expect(existsSync(join(dir, 'osvconf-size.json'))).toBe(true);
    expect(json([...ALL, `--calibration=${join(dir, 'osvconf-size.json')}`], tempDir()).calibration).not.toBeNull();
    const bad = join(tempDir(), 'cal.json');
    writeFileSync(bad, '{"osvconf_size_calibration": 1, "arch": "x64"}');
    const refused = osvconf(['size', ...ALL, `--calibration=${bad}`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}: mode is missing or wrong`);
    const other = join(tempDir(), 'cal.json');
    writeFileSync(other, readFileSync(join(dir, 'osvconf-size.json'), 'utf8').replace('"arch": "x64"', '"arch": "aarch64"'));
    expect(osvconf(['size', ...ALL, `--calibration=${other}`]).stderr).toContain('calibrates release.aarch64 kernels, but the selection is release.x64');
    const missing = osvconf(['size', ...ALL, `--calibrate=${tempDir()}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('loader-stripped.elf');
  });

  it('with loader.elf (DWARF) beside it, each component counts at its measured size in every estimate that has it', () => {
    const tree2 = osvTree();
    const dir = join(tree2, 'build', 'release.x64');
    fakeBuild(dir);
    // The unstripped kernel, compiled in a tree laid out like OSv's: nvme's file holds 30,000 bytes.
    const src = tempDir('osvconf-cal-src-');
    mkdirSync(join(src, 'drivers'), { recursive: true });
    mkdirSync(join(src, 'core'), { recursive: true });
    writeFileSync(join(src, 'drivers', 'nvme.c'), 'const char nvme_ids[30000] = {1}; int nvme_probe(int x) { return nvme_ids[x]; }\n');
    writeFileSync(join(src, 'core', 'main.c'), 'int nvme_probe(int); int main(void) { return nvme_probe(3); }\n');
    execFileSync('gcc', ['-g', '-O1', '-nostdlib', '-static', '-Wl,-e,main', '-o', join(dir, 'loader.elf'), 'drivers/nvme.c', 'core/main.c'], { cwd: src });
    const nvme = ['--profile=nvme', 'conf_hide_symbols=1', 'fs=rofs', '--compare=none'];
    const base = ['--profile=base', 'conf_hide_symbols=1', 'fs=rofs', '--compare=none'];
    json([...ALL, '--calibrate=build/release.x64'], tree2);
    const record = JSON.parse(readFileSync(join(dir, 'osvconf-size.json'), 'utf8')) as {
      components: Record<string, { measured_kib: number; model_kib: number }>;
    };
    // nvme measured by its file: the array and its code, not the model's estimate of it.
    expect(record.components['nvme']?.measured_kib).toBeGreaterThanOrEqual(30000 / 1024);
    expect(record.components['nvme']?.measured_kib).toBeLessThan(30000 / 1024 + 1);
    const withNvme = json(nvme, tree2);
    const without = json(base, tree2);
    expect(withNvme.calibration.measured_components).toBeGreaterThan(without.calibration.measured_components);
    // Adding nvme (and pci) to base adds their measured sizes, not the model's.
    const measuredAdded = ['nvme', 'pci']
      .filter((c) => record.components[c] !== undefined)
      .reduce((n, c) => n + (record.components[c] as { measured_kib: number }).measured_kib, 0);
    const modelAdded = ['nvme', 'pci']
      .filter((c) => record.components[c] === undefined)
      .reduce((n, c) => n + ((withNvme.components as { name: string; kib: number }[]).find((l) => l.name === c)?.kib ?? 0), 0);
    expect(withNvme.kernel_kib - without.kernel_kib).toBeCloseTo(measuredAdded + modelAdded, 0);
  });

  it('a measurement far from the model for the selection is refused; nothing is written when any part of the command fails', () => {
    const tree3 = osvTree();
    const dir = join(tree3, 'build', 'release.x64');
    fakeBuild(dir);
    const stored = join(dir, 'osvconf-size.json');
    // Symbols visible: the model says about twice this build's size.
    const far = osvconf(['size', '--profile=all', 'conf_hide_symbols=0', '--calibrate=build/release.x64'], { cwd: tree3 });
    expect(far.code).toBe(1);
    expect(far.stderr).toMatch(/loader-stripped\.elf: the measured \d+ KiB is -\d+ % from the model's \d+ KiB for this selection/);
    expect(existsSync(stored)).toBe(false);
    const failing = osvconf(['size', ...ALL, '--calibrate=build/release.x64', '--elf=/nonexistent/kernel.elf'], { cwd: tree3 });
    expect(failing.code).toBe(1);
    expect(existsSync(stored)).toBe(false);
    // A record out of bounds is refused as it is read.
    const bad = join(tempDir(), 'cal.json');
    const record = JSON.parse(readFileSync(join(tree, 'build', 'release.x64', 'osvconf-size.json'), 'utf8'));
    writeFileSync(bad, JSON.stringify({ ...record, measured_kib: 1 }));
    expect(osvconf(['size', ...ALL, `--calibration=${bad}`]).stderr).toContain(`${bad}: the measured 1 KiB is`);
    writeFileSync(bad, JSON.stringify({ ...record, measured_kib: 1e308 }));
    expect(osvconf(['size', ...ALL, `--calibration=${bad}`]).stderr).toContain(`${bad}: measured_kib is missing or wrong`);
  });

  it('a calibration file named at the root of the file system keeps its name', () => {
    const dir = join(tempDir(), 'build');
    fakeBuild(dir);
    const atRoot = `/osvconf-calibration-test-${process.pid}.json`;
    try {
      const run = json([...ALL, '--calibrate=build', `--calibration=${atRoot}`], join(dir, '..'));
      expect(run.calibration.stored_in).toBe(atRoot);
      expect(existsSync(atRoot)).toBe(true);
    } finally {
      rmSync(atRoot, { force: true });
      rmSync(`/${atRoot.slice(2)}`, { force: true }); // the name the bug wrote
    }
  });

  it('a record edited by hand cannot move an estimate beyond reason; outputs are checked before either is written', () => {
    const record = JSON.parse(readFileSync(join(tree, 'build', 'release.x64', 'osvconf-size.json'), 'utf8'));
    const file = join(tempDir(), 'cal.json');
    const refused = (edited: object, message: string): void => {
      writeFileSync(file, JSON.stringify({ ...record, ...edited }));
      const run = osvconf(['size', ...ALL, `--calibration=${file}`]);
      expect(run.code, JSON.stringify(edited)).toBe(1);
      expect(run.stderr).toContain(message);
    };
    refused({ measured_kib: 76000, model_kib: 100000 }, 'it would move this estimate');
    refused({ components: { bogus: { measured_kib: 5000, model_kib: 1 } } }, 'components (more than the whole kernel)');
    refused({ date: '2026\u001b]2;DATE\u0007' }, 'date is missing or wrong');
    // Neither output is written when one of them cannot be.
    const dir = join(tempDir(), 'build');
    fakeBuild(dir);
    const cwd = join(dir, '..');
    writeFileSync(join(cwd, 'foreign.json'), '{"mine": true}\n');
    const both = osvconf(['size', ...ALL, '--calibrate=build', '--html=page.html', '--calibration=foreign.json'], { cwd });
    expect(both.code).toBe(1);
    expect(existsSync(join(cwd, 'page.html'))).toBe(false);
    expect(osvconf(['size', ...ALL, '--calibrate=build', '--html=same.json', '--calibration=same.json'], { cwd }).stderr).toContain('is named for two outputs');
    const tilde = osvconf(['size', ...ALL, '--html=~/page.html'], { cwd });
    expect(tilde.stderr).toContain('a literal "~"');
    expect(existsSync(join(cwd, '~'))).toBe(false);
    const nowhere = osvconf(['size', ...ALL, '--calibrate=build', `--calibration=${join(cwd, 'no', 'such', 'c.json')}`], { cwd });
    expect(nowhere.stderr).toContain('no such directory');
    expect(existsSync(join(cwd, 'no'))).toBe(false);
  });
});
