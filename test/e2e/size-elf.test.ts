// osvconf size --elf: a kernel-like ELF compiled at test time, nm -S as the oracle for sizes.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
