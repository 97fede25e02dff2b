// osvconf size --elf: kernel-like ELFs compiled at test time, nm -S as the oracle for sizes; one
// without DWARF (attributed by symbol names) and one built with -g from a tree laid out like
// OSv's (attributed by source file, each path to its component by conf/size/attribution.json).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, osvconf, tempDir } from '../helpers/cli.js';

const dir = tempDir('osvconf-kernel-');
const elf = join(dir, 'kernel.elf');

beforeAll(() => {
  writeFileSync(
    join(dir, 'k.cc'),
    [
      'namespace virtio { namespace blk { volatile char table[40000]; int probe(int x) { return table[x] + x * 3; } } }',
      'namespace virtio { volatile char vring_data[9000]; int vring_kick(int x) { return vring_data[x]; } }',
      'extern "C" {',
      '  volatile char acpi_tables[30000]; int AcpiOsInitialize(int x) { return acpi_tables[x]; }',
      '  volatile char nvme_q[12000]; int nvme_submit(int x) { return nvme_q[x]; }',
      '  volatile char tcp_state[20000]; int tcp_output(int x) { return tcp_state[x]; }',
      '  volatile char misc_stuff[50000]; int other_function(int x) { return misc_stuff[x]; }',
      '}',
      'int main(int c, char **) { return virtio::blk::probe(c) + virtio::vring_kick(c) + AcpiOsInitialize(c) + nvme_submit(c) + tcp_output(c) + other_function(c); }',
      '',
    ].join('\n'),
  );
  execFileSync('g++', ['-O1', '-o', elf, join(dir, 'k.cc')]);
});

/** nm's size of every defined symbol whose name matches. */
function nmKib(match: RegExp): number {
  const lines = execFileSync('nm', ['-S', '--defined-only', elf], { encoding: 'utf8' }).split('\n');
  let bytes = 0;
  for (const line of lines) {
    const m = /^[0-9a-f]+ ([0-9a-f]+) [TtBbDdRr] (\S+)$/.exec(line);
    if (m !== null && match.test(m[2] as string)) bytes += parseInt(m[1] as string, 16);
  }
  return bytes / 1024;
}

describe('osvconf size --elf', () => {
  it('attributes symbol sizes to components by the rules in conf/, the rest unattributed', () => {
    const run = osvconf(['size', '--profile=virtio-pci', `--elf=${elf}`, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const measured = JSON.parse(run.stdout).measured;
    const comp = (name: string): number => measured.components.find((c: { name: string }) => c.name === name)?.kib ?? 0;
    expect(measured.symbol_table).toBe('.symtab');
    expect(comp('virtio-blk')).toBeCloseTo(nmKib(/^_ZN6virtio3blk/), 0);
    expect(comp('virtio')).toBeCloseTo(nmKib(/^_ZN6virtio10vring|^_ZN6virtio\d+vring/), 0);
    expect(comp('acpi')).toBeCloseTo(nmKib(/^acpi_tables$|^AcpiOsInitialize$/), 0);
    expect(comp('nvme')).toBeCloseTo(nmKib(/^nvme_/), 0);
    expect(comp('networking')).toBeCloseTo(nmKib(/^tcp_/), 0);
    expect(measured.unattributed_kib).toBeGreaterThanOrEqual(nmKib(/^misc_stuff$|^other_function$/) - 0.1);
    expect(measured.sections.map((s: { name: string }) => s.name)).toContain('.bss');
  });

  it('prints measured beside estimated', () => {
    const text = osvconf(['size', '--profile=virtio-pci', `--elf=${elf}`]).stdout;
    expect(text).toContain(`measured: ${elf}`);
    expect(text).toMatch(/^ {2}virtio-blk\s+\d+\s+\d+$/m);
    expect(text).toMatch(/^ {2}nvme\s+-\s+\d+\s+\(not in this selection\)$/m);
    expect(text).toMatch(/^ {2}unattributed symbols\s+-\s+\d+$/m);
  });

  it.each([
    [[`--elf=${join(ROOT, 'test', 'fixtures', 'elf', 'not-elf.txt')}`], 'not an ELF file'],
    [[`--elf=${join(ROOT, 'test', 'fixtures', 'elf', 'aarch64-app.so')}`], 'is an aarch64 kernel, but the selection is for x64'],
    [['--elf=/nonexistent/kernel.elf'], 'cannot read ELF file /nonexistent/kernel.elf: no such file'],
  ])('refuses %j', (args, message) => {
    const run = osvconf(['size', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
  });
});

describe('osvconf size --elf on a kernel with DWARF', () => {
  const tree = tempDir('osvconf-dwarf-tree-');
  const kernel = join(tree, 'loader.elf');
  const stripped = join(tree, 'loader-stripped.elf');
  // Arrays of known sizes in files whose paths are OSv's: .bss, .rodata and .data.
  const files: Record<string, string> = {
    'drivers/virtio-blk.c': 'volatile char blk_table[40000]; int blk_probe(int x) { return blk_table[x] + x; }',
    'drivers/nvme.c': 'const char nvme_ids[12000] = {1, 2, 3}; int nvme_submit(int x) { return nvme_ids[x]; }',
    'bsd/sys/netinet/tcp_output.c': 'char tcp_state[20000] = {1}; int tcp_output(int x) { return tcp_state[x]++; }',
    'core/main.c':
      'volatile char misc[50000];\nint blk_probe(int); int nvme_submit(int); int tcp_output(int);\nint main(void) { return misc[3] + blk_probe(1) + nvme_submit(2) + tcp_output(3); }',
  };
  beforeAll(() => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(tree, path, '..'), { recursive: true });
      writeFileSync(join(tree, path), `${text}\n`);
    }
    // Compiled from the tree with relative names, as OSv's make does: DWARF names drivers/nvme.c in it.
    execFileSync('gcc', ['-g', '-O1', '-nostdlib', '-static', '-Wl,-e,main', '-o', kernel, ...Object.keys(files)], { cwd: tree });
    execFileSync('objcopy', ['--strip-debug', kernel, stripped]);
  });
  const nm = (file: string, name: string): number => {
    const line = execFileSync('nm', ['-S', '--defined-only', file], { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.endsWith(` ${name}`));
    return parseInt(line?.split(' ')[1] ?? 'NaN', 16) / 1024;
  };

  it('attributes every byte by source file: at least 98 %, each array to its file and that file to its component', () => {
    const run = osvconf(['size', '--profile=virtio-pci', `--elf=${kernel}`, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const measured = JSON.parse(run.stdout).measured;
    expect(measured.method).toBe('dwarf');
    expect(measured.exactness.compile_units).toBe(4);
    expect(measured.exactness.attributed_pct).toBeGreaterThanOrEqual(98);
    const comp = (name: string): { kib: number; files: { path: string }[] } => measured.components.find((c: { name: string }) => c.name === name);
    // Each component holds its array (nm's size) and little more: its code and padding.
    for (const [name, symbol] of [
      ['virtio-blk', 'blk_table'],
      ['nvme', 'nvme_ids'],
      ['networking', 'tcp_state'],
      ['core', 'misc'],
    ] as const) {
      expect(comp(name).kib, name).toBeGreaterThanOrEqual(nm(kernel, symbol) - 0.05);
      expect(comp(name).kib, name).toBeLessThan(nm(kernel, symbol) + 1);
    }
    expect(comp('networking').files.map((f) => f.path)).toEqual(['bsd/sys/netinet/tcp_output.c']);
    expect(comp('core').files.map((f) => f.path)).toEqual(['core/main.c']);
  });

  it('says how it measured; a kernel without DWARF falls back to symbol names and says so', () => {
    const exact = osvconf(['size', '--profile=virtio-pci', `--elf=${kernel}`]);
    expect(exact.stdout).toMatch(/by source file, from DWARF \(4 compile units\): (\d+\.\d|100) % of \.text, \.rodata, \.data and \.bss attributed/);
    expect(exact.stdout).toMatch(/^ {2}unattributed bytes\s+-\s+\d+$/m);
    const run = osvconf(['size', '--profile=virtio-pci', `--elf=${stripped}`, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).measured.method).toBe('symbols');
    expect(osvconf(['size', '--profile=virtio-pci', `--elf=${stripped}`]).stdout).toContain(`no DWARF in ${stripped}: attributed by symbol names`);
  });
});
