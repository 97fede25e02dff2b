// The ELF reader against committed fixtures (aarch64, and each kind of bad file).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readElf } from '../../src/symbols/elf.js';
import { ROOT, MACHINES } from '../helpers/cli.js';
import { fixtures } from '../fixtures/make-elf-fixtures.js';

const DIR = join(ROOT, 'test', 'fixtures', 'elf');
const read = (name: string) => readElf(readFileSync(join(DIR, name)), name, MACHINES);

describe('committed ELF fixtures', () => {
  it('are what test/fixtures/make-elf-fixtures.ts writes', () => {
    const expected = fixtures();
    expect(readdirSync(DIR).sort()).toEqual([...expected.keys()].sort());
    for (const [name, bytes] of expected) expect(Buffer.compare(readFileSync(join(DIR, name)), Buffer.from(bytes)), name).toBe(0);
  });

  it('an aarch64 shared object: imports with versions, weak ones marked, exports', () => {
    const r = read('aarch64-app.so');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.arch).toBe('aarch64');
    expect(r.value.kind).toBe('shared object');
    expect(r.value.imports).toEqual([
      { name: 'puts', version: 'GLIBC_2.17', weak: false },
      { name: 'clock_getres', version: 'GLIBC_2.17', weak: false },
      { name: 'pthread_create', version: 'GLIBC_2.34', weak: false },
      { name: 'posix_spawn', version: 'GLIBC_2.17', weak: false },
      { name: '__cxa_finalize', version: 'GLIBC_2.17', weak: true },
    ]);
    expect(r.value.exports).toEqual(['main']);
  });

  it.each([
    ['not-elf.txt', 'not-elf.txt: not an ELF file'],
    ['truncated.bin', 'truncated.bin: truncated: 40 bytes, an ELF64 header alone needs 64'],
    ['elf32.bin', 'a 32-bit ELF file (ELFCLASS32)'],
    ['big-endian.bin', 'a big-endian ELF file'],
    ['riscv.bin', 'built for RISC-V, not an arch OSv builds for (x64, aarch64)'],
    ['shoff-past-end.bin', 'corrupt ELF file: the section header table offset'],
    ['huge-shnum.bin', 'corrupt ELF file: 65535 section headers'],
    ['dynsym-past-end.bin', 'corrupt ELF file: section 2'],
    ['name-past-strtab.bin', 'corrupt ELF file: dynamic symbol 1: name offset 2147483647 is outside its string table'],
  ])('%s is refused: %s', (name, message) => {
    const r = read(name);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(message);
  });
});
