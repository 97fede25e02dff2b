// Reading DWARF and ELF bytes safely: addresses as exact numbers (the Codec), sections
// (inflated when compressed) and a cursor that checks every read against its section or unit.
// Shared by the DWARF reader (dwarf-reader.ts) and the pointer tables (dwarf-tables.ts).

import { inflateSync } from 'node:zlib';
import type { ElfSectionHeader } from '../symbols/elf.js';

/** Thrown inside the reader; readDwarfUnits turns it into an error value. */
export class BadDwarf extends Error {}

export const SHF_ALLOC = 0x2;
export const SHF_TLS = 0x400;
export const SHF_COMPRESSED = 0x800;
export const SHT_NOBITS = 8;

// ---------------------------------------------------------------------------------------------
// Addresses as numbers. JavaScript numbers are exact below 2^53, which covers every OSv kernel.
// A kernel linked in the high half (0xffffffff80000000) is kept exact too: an address at or
// above 2^52 becomes 2^52 + (address - bias), where bias is its lowest allocated section's
// address, so `address + small offset` (DWARF's base + offset arithmetic) and comparisons stay
// right either way. An address fitting neither (never inside an allocated section) is NaN,
// which every range check drops.

export const TWO32 = 2 ** 32;
export const TWO52 = 2 ** 52;

export interface Codec {
  readonly bias: bigint;
  readonly biasHi: number;
  readonly biasLo: number;
}

export function codecOf(bias: bigint): Codec {
  return { bias, biasHi: Number(bias >> 32n), biasLo: Number(bias & 0xffffffffn) };
}

/** Numbers as they are: for lengths, which never sit in the high half. */
export const PLAIN = codecOf(0n);

export function codecFor(sections: readonly ElfSectionHeader[]): Codec {
  let bias = 0n;
  for (const s of sections) if ((s.flags & SHF_ALLOC) !== 0 && s.addr >= BigInt(TWO52) && (bias === 0n || s.addr < bias)) bias = s.addr;
  return codecOf(bias);
}

/** An address given as its low and high 32 bits. */
export function decode(codec: Codec, lo: number, hi: number): number {
  if (hi < 0x100000) return hi * TWO32 + lo;
  if (codec.bias === 0n) return NaN;
  const rel = (hi - codec.biasHi) * TWO32 + (lo - codec.biasLo);
  return rel >= 0 && rel < TWO52 ? TWO52 + rel : NaN;
}

/** A number as decode gives it, back as the ELF address. */
export function encode(codec: Codec, at: number): bigint {
  return at < TWO52 || codec.bias === 0n ? BigInt(at) : codec.bias + BigInt(at - TWO52);
}

export function decodeBig(codec: Codec, v: bigint): number {
  return decode(codec, Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn));
}

// ---------------------------------------------------------------------------------------------
// Sections and a bounds-checked cursor over one.

export interface Section {
  readonly name: string;
  readonly data: Uint8Array;
  readonly view: DataView;
}

export function sectionOf(name: string, data: Uint8Array): Section {
  return { name, data, view: new DataView(data.buffer, data.byteOffset, data.byteLength) };
}

/** A section's contents, inflated when SHF_COMPRESSED (zlib; objcopy --compress-debug-sections). */
export function contents(bytes: Uint8Array, s: ElfSectionHeader): Section {
  const raw = bytes.subarray(s.offset, s.offset + s.size);
  if ((s.flags & SHF_COMPRESSED) === 0) return sectionOf(s.name, raw);
  if (raw.length < 24) throw new BadDwarf(`${s.name} is compressed but shorter than its 24-byte compression header`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const type = view.getUint32(0, true);
  const size = view.getBigUint64(8, true);
  if (type === 2) throw new BadDwarf(`${s.name} is compressed with zstd, which this reader does not inflate (objcopy --decompress-debug-sections does)`);
  if (type !== 1) throw new BadDwarf(`${s.name} is compressed with an unknown method (${type})`);
  // Deflate expands at most 1032:1; a larger claim is a lie, and a bound on what is inflated.
  if (size > BigInt(raw.length) * 1032n + 1024n || size > 0x7fffffffn)
    throw new BadDwarf(`${s.name} claims to inflate to ${size} bytes from ${raw.length}, more than deflate can expand`);
  let out: Buffer;
  try {
    out = inflateSync(raw.subarray(24), { maxOutputLength: Math.max(1, Number(size)) });
  } catch (e) {
    throw new BadDwarf(`${s.name}: its compressed contents do not inflate (${e instanceof Error ? e.message : String(e)})`);
  }
  if (out.length !== Number(size)) throw new BadDwarf(`${s.name} inflates to ${out.length} bytes, its header says ${size}`);
  return sectionOf(s.name, new Uint8Array(out.buffer, out.byteOffset, out.length));
}

export const hex = (n: number): string => `0x${n.toString(16)}`;

export class Cursor {
  constructor(
    readonly sec: Section,
    public pos: number,
    public end: number,
  ) {}

  private need(n: number): void {
    if (n > this.end - this.pos)
      throw new BadDwarf(
        `${this.sec.name}: ${n} bytes at ${hex(this.pos)} run past the end of ${this.end === this.sec.data.length ? 'the section' : `its unit (${hex(this.end)})`}`,
      );
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
  u8(): number {
    this.need(1);
    return this.sec.data[this.pos++] as number;
  }
  u16(): number {
    this.need(2);
    this.pos += 2;
    return this.sec.view.getUint16(this.pos - 2, true);
  }
  u24(): number {
    return this.u16() + this.u8() * 0x10000;
  }
  u32(): number {
    this.need(4);
    this.pos += 4;
    return this.sec.view.getUint32(this.pos - 4, true);
  }
  i32(): number {
    return this.u32() | 0;
  }
  /** A 64-bit count or offset: past 2^53 it cannot index anything, and is refused. */
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    if (hi >= 0x200000) throw new BadDwarf(`${this.sec.name}: the 64-bit value at ${hex(this.pos - 8)} is too large to be an offset or a size`);
    return hi * TWO32 + lo;
  }
  offset(size: number): number {
    return size === 8 ? this.u64() : this.u32();
  }
  /** An address of the unit's size, as a number (see Codec). */
  address(size: number, codec: Codec): number {
    if (size === 8) {
      const lo = this.u32();
      return decode(codec, lo, this.u32());
    }
    return size === 4 ? this.u32() : this.u16();
  }
  /** True when the next `size` bytes are all ones (a base-address selection entry). */
  allOnes(size: number): boolean {
    this.need(size);
    for (let i = 0; i < size; i++) if (this.sec.data[this.pos + i] !== 0xff) return false;
    return true;
  }
  /** Unsigned LEB128, at most 10 bytes (64 bits); exact below 2^53, which every length and index is. */
  uleb(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new BadDwarf(`${this.sec.name}: the LEB128 number at ${hex(start)} is longer than 10 bytes`);
  }
  sleb(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return (b & 0x40) !== 0 ? result - scale : result;
    }
    throw new BadDwarf(`${this.sec.name}: the LEB128 number at ${hex(start)} is longer than 10 bytes`);
  }
  /** Past a NUL-terminated string. */
  skipString(): void {
    const nul = this.sec.data.subarray(this.pos, this.end).indexOf(0);
    if (nul < 0) throw new BadDwarf(`${this.sec.name}: the string at ${hex(this.pos)} runs past the end of its unit`);
    this.pos += nul + 1;
  }
}
