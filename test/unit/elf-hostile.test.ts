// Crafted ELF files that drove the reader quadratic (issue: 100k symbols naming one long string;
// a string table without NULs; a .gnu.version_r whose entries overlap with huge counts). Each
// now ends with an answer or a located error after work linear in the file. A regression shows
// as this test hanging until vitest's deadline, not as a timed assertion.
import { describe, expect, it } from 'vitest';
import { MACHINES } from '../helpers/cli.js';
import { readElf, readElfSizes } from '../../src/symbols/elf.js';
import { writeElf } from '../helpers/elf-writer.js';

interface Shdr {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
}

function sections(bytes: Uint8Array): Shdr[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = Number(view.getBigUint64(40, true));
  const shnum = view.getUint16(60, true);
  return Array.from({ length: shnum }, (_, i) => {
    const at = shoff + 64 * i;
    return { type: view.getUint32(at + 4, true), offset: Number(view.getBigUint64(at + 24, true)), size: Number(view.getBigUint64(at + 32, true)) };
  });
}

const X64 = 62;

describe('the ELF reader on crafted files', () => {
  it('a string table without NULs, named by 100k symbols at different offsets: a located error', () => {
    const bytes = writeElf({ machine: X64, symbols: Array.from({ length: 100_000 }, (_, i) => ({ name: `s${i}` })) });
    const dynstr = sections(bytes).find((s) => s.type === 3) as Shdr;
    for (let i = dynstr.offset + 1; i < dynstr.offset + dynstr.size; i++) if (bytes[i] === 0) bytes[i] = 0x61;
    const r = readElf(bytes, 'crafted.so', MACHINES);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(
      /crafted\.so: corrupt ELF file: dynamic symbol \d+: (the names overlap|the name at \d+ is longer|name at \d+ runs past)/,
    );
    const sized = readElfSizes(bytes, 'crafted.so', MACHINES);
    expect(sized.ok).toBe(false);
  });

  it('100k symbols naming one 1 MB string: refused as a name too long, without scanning it 100k times', () => {
    const long = 'a'.repeat(1 << 20);
    const bytes = writeElf({ machine: X64, symbols: Array.from({ length: 100_000 }, () => ({ name: long })) });
    const r = readElf(bytes, 'long.so', MACHINES);
    expect(!r.ok && r.error.message).toContain('longer than 65536 bytes');
  });

  it('many symbols sharing one ordinary name are read once each, and the answer is right', () => {
    const bytes = writeElf({ machine: X64, symbols: Array.from({ length: 50_000 }, (_, i) => ({ name: i % 2 === 0 ? 'printf' : 'malloc' })) });
    const r = readElf(bytes, 'many.so', MACHINES);
    expect(r.ok && r.value.imports.length).toBe(50_000);
  });

  it('.gnu.version_r entries that overlap, each claiming 65535 versions: refused after a linear walk', () => {
    const versions = Array.from({ length: 20_000 }, (_, i) => `V${i}`);
    const bytes = writeElf({ machine: X64, symbols: versions.map((v, i) => ({ name: `f${i}`, version: v })) });
    const verneed = sections(bytes).find((s) => s.type === 0x6ffffffe) as Shdr;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Every 16-byte record reads as a needed file with 65535 versions whose first version is the
    // next record, and as a version whose name is at offset 1 and whose next is the next record.
    for (let at = verneed.offset; at + 16 <= verneed.offset + verneed.size; at += 16) {
      view.setUint16(at + 2, 65535, true);
      view.setUint32(at + 8, 16, true);
      view.setUint32(at + 12, at + 32 <= verneed.offset + verneed.size ? 16 : 0, true);
    }
    const r = readElf(bytes, 'loop.so', MACHINES);
    expect(!r.ok && r.error.message).toContain('more entries than fit in its section');
  });

  it('the section name table found through extended numbering (SHN_XINDEX), and refused when past the table', () => {
    const bytes = writeElf({ machine: X64, symbols: [{ name: 'f' }] });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const names = view.getUint16(62, true);
    const shoff = Number(view.getBigUint64(40, true));
    const plain = readElfSizes(bytes, 'x.so', MACHINES);
    expect(plain.ok && plain.value.sections.some((s) => s.name !== '')).toBe(true);
    // SHN_XINDEX: the index moves to section 0's sh_link.
    const extended = new Uint8Array(bytes);
    const ev = new DataView(extended.buffer);
    ev.setUint16(62, 0xffff, true);
    ev.setUint32(shoff + 40, names, true);
    const viaLink = readElfSizes(extended, 'x.so', MACHINES);
    expect(viaLink.ok && viaLink.value.sections.map((s) => s.name)).toEqual(plain.ok && plain.value.sections.map((s) => s.name));
    const past = new Uint8Array(bytes);
    new DataView(past.buffer).setUint16(62, 200, true);
    const refused = readElfSizes(past, 'x.so', MACHINES);
    expect(!refused.ok && refused.error.message).toMatch(/x\.so: corrupt ELF file: the section name table is section 200, past the \d+ sections/);
  });
});
