// osvconf diff, get and set through the CLI, on saved configurations written by --out.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvconf, tempDir } from '../helpers/cli.js';

function saved(...selection: string[]): string {
  const out = tempDir();
  const run = osvconf([...selection, `--out=${out}`]);
  expect(run.code, run.stderr).toBe(0);
  return join(out, 'conf', 'osvconf', 'release.x64.osvconf');
}

const kib = (...selection: string[]): number => (JSON.parse(osvconf(['size', ...selection, '--json']).stdout) as { kernel_kib: number }).kernel_kib;

describe('osvconf diff', () => {
  it('lists each differing setting, grouped, with its own size effect and the total', () => {
    const a = saved('--profile=virtio-pci', 'conf_hide_symbols=1', 'fs=rofs');
    const b = saved('--profile=virtio-pci', 'conf_hide_symbols=1', 'conf_drivers_nvme=1', 'conf_tracepoints=0', 'fs=rofs');
    const run = osvconf(['diff', a, b, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      changes: { group: string; setting: string; from: string; to: string; kib: number }[];
      kib: { a: number; b: number; delta: number };
    };
    const bySetting = new Map(report.changes.map((c) => [c.setting, c]));
    expect(bySetting.get('conf_drivers_nvme')).toMatchObject({ from: '0', to: '1' });
    expect(bySetting.get('conf_tracepoints')).toMatchObject({ group: 'Tracepoints', from: '1', to: '0' });
    expect(bySetting.get('conf_drivers_nvme')?.kib).toBeGreaterThan(0);
    expect(bySetting.get('conf_tracepoints')?.kib).toBeLessThan(0);
    expect(bySetting.has('conf_hide_symbols')).toBe(false);
    // The totals are osvconf size's estimates of each side.
    expect(report.kib.a).toBe(kib('--profile=virtio-pci', 'conf_hide_symbols=1', 'fs=rofs'));
    expect(report.kib.b).toBe(kib('--profile=virtio-pci', 'conf_hide_symbols=1', 'conf_drivers_nvme=1', 'conf_tracepoints=0', 'fs=rofs'));
    const text = osvconf(['diff', a, b]).stdout;
    expect(text).toMatch(/^ {2}conf_drivers_nvme\s+0 -> 1\s+\+\d+ KiB$/m);
    expect(text).toMatch(/^total: [\d,]+ KiB -> [\d,]+ KiB \(-?\+?[\d,]+ KiB\)$/m);
  });

  it('the same configuration: nothing differs; a .config compares too', () => {
    const a = saved('--profile=xen');
    expect(osvconf(['diff', a, a]).stdout).toContain('select the same kernel');
    const dot = join(tempDir(), 'x.config');
    writeFileSync(dot, osvconf(['--profile=xen', 'conf_lazy_stack=1', '--print=.config']).stdout);
    const run = osvconf(['diff', a, dot, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { changes: { setting: string }[] }).changes.map((c) => c.setting)).toEqual(['conf_lazy_stack']);
  });

  it('compares a file with a selection on the command line: the same report as with a second file', () => {
    const a = saved('--profile=virtio-pci', 'conf_hide_symbols=1');
    const b = saved('--profile=virtio-kvm', 'conf_hide_symbols=1', 'conf_drivers_nvme=1');
    const withFile = JSON.parse(osvconf(['diff', a, b, '--json']).stdout) as { changes: unknown; kib: unknown };
    const run = osvconf(['diff', a, '--profile=virtio-kvm', 'conf_hide_symbols=1', 'conf_drivers_nvme=1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const withCommandLine = JSON.parse(run.stdout) as { b: null; b_settings: string[]; changes: unknown; kib: unknown };
    expect(withCommandLine.changes).toEqual(withFile.changes);
    expect(withCommandLine.kib).toEqual(withFile.kib);
    expect(withCommandLine.b_settings).toEqual(['conf_drivers_profile=virtio-kvm', 'conf_hide_symbols=1', 'conf_drivers_nvme=1']);
    // Two files and settings cannot be mixed: which side would they be?
    expect(osvconf(['diff', a, b, 'conf_tracepoints=0']).code).toBe(2);
  });

  it('needs two configurations', () => {
    const run = osvconf(['diff', saved('--profile=xen')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('needs two configurations');
  });
});

describe('osvconf get and set', () => {
  it('get prints values in the selection the file makes, set changes the file and checks like a command line', () => {
    const file = saved('--profile=virtio-pci', 'fs=rofs', '--name=mine');
    expect(osvconf(['get', 'conf_drivers_pci', 'conf_hide_symbols', 'fs', `--in=${file}`]).stdout).toBe('conf_drivers_pci=1\nconf_hide_symbols=0\nfs=rofs\n');
    const set = osvconf(['set', 'conf_hide_symbols=1', 'conf_drivers_nvme=1', `--in=${file}`]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('wrote');
    // The file is what --out writes for the same selection.
    expect(readFileSync(file, 'utf8')).toBe(
      osvconf(['--profile=virtio-pci', 'fs=rofs', '--name=mine', 'conf_hide_symbols=1', 'conf_drivers_nvme=1', '--print=configuration']).stdout,
    );
    const before = readFileSync(file, 'utf8');
    const conflict = osvconf(['set', 'conf_drivers_pci=0', `--in=${file}`]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('conflicts with');
    expect(readFileSync(file, 'utf8')).toBe(before);
    const typo = osvconf(['get', 'conf_hide_symbol', `--in=${file}`]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('did you mean "conf_hide_symbols"');
  });

  it('set creates a missing file and refuses to replace one osvconf did not write', () => {
    const dir = tempDir();
    const file = join(dir, 'new.osvconf');
    expect(osvconf(['set', 'conf_tracepoints=0', `--in=${file}`]).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('conf_tracepoints=0\n');
    const mine = join(dir, 'notes.txt');
    writeFileSync(mine, 'my notes\n');
    const run = osvconf(['set', 'conf_tracepoints=0', `--in=${mine}`]);
    expect(run.code).toBe(1);
    expect(readFileSync(mine, 'utf8')).toBe('my notes\n');
  });
});
