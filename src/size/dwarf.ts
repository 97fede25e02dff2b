// Exact attribution of a built kernel's bytes to its source files, from DWARF: the code each
// compile unit covers (its ranges, its functions' ranges, .debug_aranges), and the data symbols
// each defines (variables located by DW_OP_addr, matched to .symtab for their sizes). Where
// DWARF is silent, the linker's STT_FILE symbols name the file of local symbols, and tables of
// code pointers (.init_array, .eh_frame, .eh_frame_hdr) follow the code they point to. A gap
// between two pieces of one file (padding, literal pools) is that file's too, counted apart as
// "by neighbour", so a report can say how much is exact.
//
// Pure and defensive like symbols/elf.ts: every offset is checked against its section, and a
// corrupt file is an error value naming the section and offset, never a crash or a hang. The
// DIE walk is iterative (no stack a file controls) and linear: every DIE takes at least a byte
// of .debug_info, attributes no one reads are skipped by precomputed plans, abbreviation tables
// are read at most about twice over and range entries about once (budgets, else an error).
// Attribution sorts and sweeps: O(n log n) in ranges and symbols.

import { posix } from 'node:path';
import { inflateSync } from 'node:zlib';
import { fail, ok, type Result } from '../core/result.js';
import { Corrupt, readElfLayout, stringTable, type ElfLayout, type ElfSectionHeader } from '../symbols/elf.js';

/** [lo, hi) in the numbers addresses are kept as (see Codec): the ELF address itself below 2^52. */
export type AddressRange = readonly [lo: number, hi: number];

export interface DwarfUnit {
  /** Where the unit starts in .debug_info. */
  readonly offset: number;
  readonly version: number;
  /** DW_AT_name and DW_AT_comp_dir as written ('' when absent). */
  readonly name: string;
  readonly compDir: string;
  /** The name joined with compDir when relative, normalized; a placeholder naming the offset when the unit has no name. */
  readonly path: string;
  /** The code it covers: its own ranges, its functions' and .debug_aranges', sorted and merged. */
  readonly ranges: readonly AddressRange[];
  /** Addresses of the variables it defines (DW_AT_location exactly DW_OP_addr or DW_OP_addrx). */
  readonly variables: readonly number[];
  /** Offsets in the TLS block of its thread-local variables (DW_OP_const*u; DW_OP_*push_tls_address). */
  readonly tlsVariables: readonly number[];
}

export interface DwarfUnits {
  /** False for a file without .debug_info (stripped, or built without -g): the caller falls back to symbol names. */
  readonly debugInfo: boolean;
  readonly units: readonly DwarfUnit[];
  /** The DWARF versions of its compile units, e.g. [4] or [4, 5]. */
  readonly versions: readonly number[];
  /** Addresses at or above 2^52 (a kernel linked in the high half) are kept relative to this; 0n otherwise. */
  readonly addressBias: bigint;
}

/** Thrown inside the reader; readDwarfUnits turns it into an error value. */
class BadDwarf extends Error {}

const SHF_ALLOC = 0x2;
const SHF_TLS = 0x400;
const SHF_COMPRESSED = 0x800;
const SHT_NOBITS = 8;

// ---------------------------------------------------------------------------------------------
// Addresses as numbers. JavaScript numbers are exact below 2^53, which covers every OSv kernel.
// A kernel linked in the high half (0xffffffff80000000) is kept exact too: an address at or
// above 2^52 becomes 2^52 + (address - bias), where bias is its lowest allocated section's
// address, so `address + small offset` (DWARF's base + offset arithmetic) and comparisons stay
// right either way. An address fitting neither (never inside an allocated section) is NaN,
// which every range check drops.

const TWO32 = 2 ** 32;
const TWO52 = 2 ** 52;

interface Codec {
  readonly bias: bigint;
  readonly biasHi: number;
  readonly biasLo: number;
}

function codecOf(bias: bigint): Codec {
  return { bias, biasHi: Number(bias >> 32n), biasLo: Number(bias & 0xffffffffn) };
}

/** An address as DwarfUnits keeps it (a range end, a variable), back as the ELF address. */
export function elfAddress(dwarf: DwarfUnits, at: number): bigint {
  return at < TWO52 || dwarf.addressBias === 0n ? BigInt(at) : dwarf.addressBias + BigInt(at - TWO52);
}

/** Numbers as they are: for lengths, which never sit in the high half. */
const PLAIN = codecOf(0n);

function codecFor(sections: readonly ElfSectionHeader[]): Codec {
  let bias = 0n;
  for (const s of sections) if ((s.flags & SHF_ALLOC) !== 0 && s.addr >= BigInt(TWO52) && (bias === 0n || s.addr < bias)) bias = s.addr;
  return codecOf(bias);
}

/** An address given as its low and high 32 bits. */
function decode(codec: Codec, lo: number, hi: number): number {
  if (hi < 0x100000) return hi * TWO32 + lo;
  if (codec.bias === 0n) return NaN;
  const rel = (hi - codec.biasHi) * TWO32 + (lo - codec.biasLo);
  return rel >= 0 && rel < TWO52 ? TWO52 + rel : NaN;
}

function decodeBig(codec: Codec, v: bigint): number {
  return decode(codec, Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn));
}

// ---------------------------------------------------------------------------------------------
// Sections and a bounds-checked cursor over one.

interface Section {
  readonly name: string;
  readonly data: Uint8Array;
  readonly view: DataView;
}

function sectionOf(name: string, data: Uint8Array): Section {
  return { name, data, view: new DataView(data.buffer, data.byteOffset, data.byteLength) };
}

/** A section's contents, inflated when SHF_COMPRESSED (zlib; objcopy --compress-debug-sections). */
function contents(bytes: Uint8Array, s: ElfSectionHeader): Section {
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

const hex = (n: number): string => `0x${n.toString(16)}`;

class Cursor {
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

// ---------------------------------------------------------------------------------------------
// DWARF constants: the tags, attributes and forms this reader looks at (DWARF 5, section 7).

const TAG = { compileUnit: 0x11, partialUnit: 0x3c, skeletonUnit: 0x4a, subprogram: 0x2e, variable: 0x34 } as const;
const AT = {
  location: 0x02,
  name: 0x03,
  lowPc: 0x11,
  highPc: 0x12,
  compDir: 0x1b,
  ranges: 0x55,
  strOffsetsBase: 0x72,
  addrBase: 0x73,
  rnglistsBase: 0x74,
  dwoName: 0x76,
  gnuDwoName: 0x2130,
  gnuAddrBase: 0x2133,
} as const;
const FORM = {
  addr: 0x01,
  block2: 0x03,
  block4: 0x04,
  data2: 0x05,
  data4: 0x06,
  data8: 0x07,
  string: 0x08,
  block: 0x09,
  block1: 0x0a,
  data1: 0x0b,
  flag: 0x0c,
  sdata: 0x0d,
  strp: 0x0e,
  udata: 0x0f,
  refAddr: 0x10,
  ref1: 0x11,
  ref2: 0x12,
  ref4: 0x13,
  ref8: 0x14,
  refUdata: 0x15,
  indirect: 0x16,
  secOffset: 0x17,
  exprloc: 0x18,
  flagPresent: 0x19,
  strx: 0x1a,
  addrx: 0x1b,
  refSup4: 0x1c,
  strpSup: 0x1d,
  data16: 0x1e,
  lineStrp: 0x1f,
  refSig8: 0x20,
  implicitConst: 0x21,
  loclistx: 0x22,
  rnglistx: 0x23,
  refSup8: 0x24,
  strx1: 0x25,
  strx2: 0x26,
  strx3: 0x27,
  strx4: 0x28,
  addrx1: 0x29,
  addrx2: 0x2a,
  addrx3: 0x2b,
  addrx4: 0x2c,
  gnuAddrIndex: 0x1f01,
  gnuStrIndex: 0x1f02,
  gnuRefAlt: 0x1f20,
  gnuStrpAlt: 0x1f21,
} as const;

interface Format {
  readonly version: number;
  readonly addrSize: number;
  /** 4 for 32-bit DWARF, 8 for 64-bit DWARF (unit_length 0xffffffff). */
  readonly offsetSize: number;
}

/** Marks a form whose size is only known by reading it. */
const VARIABLE = -1;

/** How many bytes a form takes in a unit of this format; VARIABLE; undefined for a form DWARF does not define. */
function formSize(form: number, f: Format): number | undefined {
  switch (form) {
    case FORM.addr:
      return f.addrSize;
    case FORM.flagPresent:
    case FORM.implicitConst: // the value sits in the abbreviation
      return 0;
    case FORM.data1:
    case FORM.ref1:
    case FORM.flag:
    case FORM.strx1:
    case FORM.addrx1:
      return 1;
    case FORM.data2:
    case FORM.ref2:
    case FORM.strx2:
    case FORM.addrx2:
      return 2;
    case FORM.strx3:
    case FORM.addrx3:
      return 3;
    case FORM.data4:
    case FORM.ref4:
    case FORM.refSup4:
    case FORM.strx4:
    case FORM.addrx4:
      return 4;
    case FORM.data8:
    case FORM.ref8:
    case FORM.refSig8:
    case FORM.refSup8:
      return 8;
    case FORM.data16:
      return 16;
    case FORM.strp:
    case FORM.secOffset:
    case FORM.lineStrp:
    case FORM.strpSup:
    case FORM.gnuRefAlt:
    case FORM.gnuStrpAlt:
      return f.offsetSize;
    case FORM.refAddr: // an address in DWARF 2, an offset since
      return f.version <= 2 ? f.addrSize : f.offsetSize;
    case FORM.string:
    case FORM.block:
    case FORM.block1:
    case FORM.block2:
    case FORM.block4:
    case FORM.exprloc:
    case FORM.sdata:
    case FORM.udata:
    case FORM.refUdata:
    case FORM.strx:
    case FORM.addrx:
    case FORM.loclistx:
    case FORM.rnglistx:
    case FORM.indirect:
    case FORM.gnuAddrIndex:
    case FORM.gnuStrIndex:
      return VARIABLE;
    default:
      return undefined;
  }
}

/** DW_FORM_indirect names the form in the DIE itself; a chain longer than this is corrupt. */
const MAX_INDIRECT = 4;

function skipVariable(c: Cursor, form: number, f: Format): void {
  for (let hops = 0; ; hops++) {
    switch (form) {
      case FORM.string:
        return c.skipString();
      case FORM.block1:
        return c.skip(c.u8());
      case FORM.block2:
        return c.skip(c.u16());
      case FORM.block4:
        return c.skip(c.u32());
      case FORM.block:
      case FORM.exprloc:
        return c.skip(c.uleb());
      case FORM.indirect: {
        if (hops === MAX_INDIRECT) throw new BadDwarf(`${c.sec.name}: a chain of DW_FORM_indirect at ${hex(c.pos)}`);
        form = c.uleb();
        const size = formSize(form, f);
        if (size === undefined) throw new BadDwarf(`${c.sec.name}: DW_FORM_indirect at ${hex(c.pos)} names form ${hex(form)}, which DWARF does not define`);
        if (size !== VARIABLE) return c.skip(size);
        continue;
      }
      default: // every other variable form is one LEB128 number
        c.uleb();
        return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Attribute values this reader keeps: only for the unit DIE, functions and variables.

type Value =
  | { readonly k: 'const'; readonly n: number }
  | { readonly k: 'addr'; readonly a: number }
  | { readonly k: 'addrx'; readonly i: number }
  | { readonly k: 'string'; readonly s: string }
  | { readonly k: 'strp'; readonly table: '.debug_str' | '.debug_line_str'; readonly offset: number }
  | { readonly k: 'strx'; readonly i: number }
  | { readonly k: 'block'; readonly at: number; readonly length: number }
  | { readonly k: 'rnglistx'; readonly i: number }
  | { readonly k: 'other' };

const OTHER: Value = { k: 'other' };

function readValue(c: Cursor, form: number, f: Format, implicit: number, codec: Codec): Value {
  for (let hops = 0; ; hops++) {
    switch (form) {
      case FORM.addr:
        return { k: 'addr', a: c.address(f.addrSize, codec) };
      case FORM.addrx:
      case FORM.gnuAddrIndex:
        return { k: 'addrx', i: c.uleb() };
      case FORM.addrx1:
        return { k: 'addrx', i: c.u8() };
      case FORM.addrx2:
        return { k: 'addrx', i: c.u16() };
      case FORM.addrx3:
        return { k: 'addrx', i: c.u24() };
      case FORM.addrx4:
        return { k: 'addrx', i: c.u32() };
      case FORM.data1:
      case FORM.flag:
        return { k: 'const', n: c.u8() };
      case FORM.data2:
        return { k: 'const', n: c.u16() };
      case FORM.data4:
        return { k: 'const', n: c.u32() };
      case FORM.data8:
      case FORM.secOffset:
        return { k: 'const', n: form === FORM.data8 ? c.u64() : c.offset(f.offsetSize) };
      case FORM.udata:
        return { k: 'const', n: c.uleb() };
      case FORM.sdata:
        return { k: 'const', n: c.sleb() };
      case FORM.implicitConst:
        return { k: 'const', n: implicit };
      case FORM.string: {
        const start = c.pos;
        c.skipString();
        return { k: 'string', s: new TextDecoder().decode(c.sec.data.subarray(start, c.pos - 1)) };
      }
      case FORM.strp:
        return { k: 'strp', table: '.debug_str', offset: c.offset(f.offsetSize) };
      case FORM.lineStrp:
        return { k: 'strp', table: '.debug_line_str', offset: c.offset(f.offsetSize) };
      case FORM.strx:
      case FORM.gnuStrIndex:
        return { k: 'strx', i: c.uleb() };
      case FORM.strx1:
        return { k: 'strx', i: c.u8() };
      case FORM.strx2:
        return { k: 'strx', i: c.u16() };
      case FORM.strx3:
        return { k: 'strx', i: c.u24() };
      case FORM.strx4:
        return { k: 'strx', i: c.u32() };
      case FORM.exprloc:
      case FORM.block:
        return block(c, c.uleb());
      case FORM.block1:
        return block(c, c.u8());
      case FORM.block2:
        return block(c, c.u16());
      case FORM.block4:
        return block(c, c.u32());
      case FORM.rnglistx:
        return { k: 'rnglistx', i: c.uleb() };
      case FORM.indirect:
        if (hops === MAX_INDIRECT) throw new BadDwarf(`${c.sec.name}: a chain of DW_FORM_indirect at ${hex(c.pos)}`);
        form = c.uleb();
        continue;
      default: {
        // Values no one here needs (references, flags, names in a supplementary file): skipped.
        const size = formSize(form, f);
        if (size === undefined) throw new BadDwarf(`${c.sec.name}: form ${hex(form)} at ${hex(c.pos)} is not defined by DWARF`);
        if (size === VARIABLE) skipVariable(c, form, f);
        else c.skip(size);
        return OTHER;
      }
    }
  }
}

function block(c: Cursor, length: number): Value {
  const at = c.pos;
  c.skip(length);
  return { k: 'block', at, length };
}

// ---------------------------------------------------------------------------------------------
// Abbreviation tables, and for each abbreviation a plan to walk its DIEs: fixed-size attributes
// no one needs are summed into one skip, so a DIE costs work in proportion to its bytes plus the
// few attributes read, whatever the abbreviation declares (flag_present and implicit_const take
// no bytes: a million of them must not cost a million steps per DIE).

interface AttrSpec {
  readonly attr: number;
  readonly form: number;
  readonly implicit: number;
}

interface Abbrev {
  readonly tag: number;
  readonly specs: readonly AttrSpec[];
}

/** What a DIE's attribute is kept as; 0: not kept. */
const WANT = { name: 1, compDir: 2, lowPc: 3, highPc: 4, ranges: 5, location: 6, strOffsetsBase: 7, addrBase: 8, rnglistsBase: 9, dwoName: 10 } as const;
type Want = (typeof WANT)[keyof typeof WANT];

const UNIT_WANTS = new Map<number, Want>([
  [AT.name, WANT.name],
  [AT.compDir, WANT.compDir],
  [AT.lowPc, WANT.lowPc],
  [AT.highPc, WANT.highPc],
  [AT.ranges, WANT.ranges],
  [AT.strOffsetsBase, WANT.strOffsetsBase],
  [AT.addrBase, WANT.addrBase],
  [AT.gnuAddrBase, WANT.addrBase],
  [AT.rnglistsBase, WANT.rnglistsBase],
  [AT.dwoName, WANT.dwoName],
  [AT.gnuDwoName, WANT.dwoName],
]);
const CODE_WANTS = new Map<number, Want>([
  [AT.lowPc, WANT.lowPc],
  [AT.highPc, WANT.highPc],
  [AT.ranges, WANT.ranges],
]);
const VARIABLE_WANTS = new Map<number, Want>([[AT.location, WANT.location]]);

const isUnitTag = (tag: number): boolean => tag === TAG.compileUnit || tag === TAG.partialUnit || tag === TAG.skeletonUnit;

function wantsOf(tag: number): ReadonlyMap<number, Want> | undefined {
  if (isUnitTag(tag)) return UNIT_WANTS;
  if (tag === TAG.subprogram) return CODE_WANTS;
  if (tag === TAG.variable) return VARIABLE_WANTS;
  return undefined;
}

interface Step {
  /** Bytes of unneeded fixed-size attributes before this one. */
  readonly skip: number;
  readonly form: number;
  readonly want: Want | 0;
  readonly implicit: number;
}

interface Plan {
  readonly tag: number;
  /** The DIE's size after its code when it has no step (all fixed-size, none kept); -1 otherwise. */
  readonly fixed: number;
  readonly steps: readonly Step[];
  readonly tail: number;
}

function planOf(abbrev: Abbrev, code: number, f: Format): Plan {
  const wants = wantsOf(abbrev.tag);
  const kept = new Set<Want>();
  const steps: Step[] = [];
  let skip = 0;
  for (const spec of abbrev.specs) {
    let want: Want | 0 = wants?.get(spec.attr) ?? 0;
    if (want !== 0 && kept.has(want)) want = 0; // an attribute declared twice: the first counts
    if (want !== 0) kept.add(want);
    const size = formSize(spec.form, f);
    if (size === undefined) throw new BadDwarf(`.debug_abbrev: abbreviation ${code} uses form ${hex(spec.form)}, which DWARF does not define`);
    if (want === 0 && size !== VARIABLE) {
      skip += size;
      continue;
    }
    steps.push({ skip, form: spec.form, want, implicit: spec.implicit });
    skip = 0;
  }
  return { tag: abbrev.tag, fixed: steps.length === 0 ? skip : -1, steps, tail: skip };
}

interface AbbrevTable {
  readonly offset: number;
  readonly abbrevs: ReadonlyMap<number, Abbrev>;
  /** Plans per unit format (address and offset sizes, DWARF 2 or later), built on first use. */
  readonly plans: Map<string, Map<number, Plan>>;
}

function parseAbbrevTable(ctx: Context, offset: number): AbbrevTable {
  const sec = ctx.need('.debug_abbrev', 'an abbreviation table');
  if (offset >= sec.data.length) throw new BadDwarf(`a unit's abbreviation table offset ${hex(offset)} is outside .debug_abbrev (${sec.data.length} bytes)`);
  const c = new Cursor(sec, offset, sec.data.length);
  const abbrevs = new Map<number, Abbrev>();
  for (;;) {
    const code = c.uleb();
    if (code === 0) break;
    const tag = c.uleb();
    c.u8(); // DW_CHILDREN_*: the walk does not need the tree's shape
    const specs: AttrSpec[] = [];
    for (;;) {
      const start = c.pos;
      const attr = c.uleb();
      const form = c.uleb();
      if (attr === 0 && form === 0) break;
      specs.push({ attr, form, implicit: form === FORM.implicitConst ? c.sleb() : 0 });
      // Tables that overlap (units naming offsets inside one long table) would be read again
      // and again; a budget of twice the section's size keeps that linear.
      ctx.abbrevBudget -= c.pos - start;
      if (ctx.abbrevBudget < 0) throw new BadDwarf(`.debug_abbrev: units read its tables over and over (overlapping tables at ${hex(offset)})`);
    }
    if (!abbrevs.has(code)) abbrevs.set(code, { tag, specs });
  }
  return { offset, abbrevs, plans: new Map() };
}

function plansFor(table: AbbrevTable, f: Format): Map<number, Plan> {
  const key = `${f.addrSize}/${f.offsetSize}/${f.version <= 2 ? 2 : 3}`;
  let plans = table.plans.get(key);
  if (plans === undefined) {
    plans = new Map();
    for (const [code, abbrev] of table.abbrevs) plans.set(code, planOf(abbrev, code, f));
    table.plans.set(key, plans);
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------
// The walk over .debug_info.

interface Context {
  readonly sections: ReadonlyMap<string, Section>;
  readonly codec: Codec;
  readonly tables: Map<number, AbbrevTable>;
  abbrevBudget: number;
  /** Range entries left to read: lists that many DIEs share would be read once per DIE. */
  rangeBudget: number;
  readonly strings: Map<string, (offset: number, what: string) => string>;
  need(name: string, why: string): Section;
}

function makeContext(sections: ReadonlyMap<string, Section>, codec: Codec): Context {
  const size = (name: string): number => sections.get(name)?.data.length ?? 0;
  return {
    sections,
    codec,
    tables: new Map(),
    abbrevBudget: 2 * size('.debug_abbrev') + 65536,
    rangeBudget: size('.debug_info') + size('.debug_ranges') + size('.debug_rnglists') + size('.debug_aranges') + 65536,
    strings: new Map(),
    need(name, why) {
      const s = sections.get(name);
      if (s === undefined) throw new BadDwarf(`${why} is in ${name}, which the file does not have`);
      return s;
    },
  };
}

interface UnitHeader {
  readonly offset: number;
  readonly end: number;
  readonly dies: number;
  readonly format: Format;
  readonly abbrevOffset: number;
  /** Type units (and unknown kinds) hold no code or data: skipped. */
  readonly holdsCode: boolean;
}

const DW_UT = { compile: 1, type: 2, partial: 3, skeleton: 4, splitCompile: 5, splitType: 6 } as const;

function readUnitHeader(info: Section, at: number): UnitHeader {
  const c = new Cursor(info, at, info.data.length);
  let length = c.u32();
  let offsetSize = 4;
  if (length === 0xffffffff) {
    length = c.u64();
    offsetSize = 8;
  } else if (length >= 0xfffffff0) throw new BadDwarf(`.debug_info: the unit at ${hex(at)} has a reserved length ${hex(length)}`);
  if (length > info.data.length - c.pos)
    throw new BadDwarf(`.debug_info: the unit at ${hex(at)} says it is ${length} bytes, past the end of the section (${info.data.length} bytes)`);
  c.end = c.pos + length;
  const version = c.u16();
  if (version < 2 || version > 5) throw new BadDwarf(`.debug_info: the unit at ${hex(at)} is DWARF version ${version}; this reader knows versions 2 to 5`);
  let unitType: number = DW_UT.compile;
  let addrSize: number;
  let abbrevOffset: number;
  if (version >= 5) {
    unitType = c.u8();
    addrSize = c.u8();
    abbrevOffset = c.offset(offsetSize);
    if (unitType === DW_UT.skeleton || unitType === DW_UT.splitCompile) c.skip(8); // dwo_id
    if (unitType === DW_UT.type || unitType === DW_UT.splitType) c.skip(8 + offsetSize); // signature, type offset
  } else {
    abbrevOffset = c.offset(offsetSize);
    addrSize = c.u8();
  }
  if (addrSize !== 2 && addrSize !== 4 && addrSize !== 8) throw new BadDwarf(`.debug_info: the unit at ${hex(at)} has ${addrSize}-byte addresses`);
  const holdsCode = unitType === DW_UT.compile || unitType === DW_UT.partial || unitType === DW_UT.skeleton || unitType === DW_UT.splitCompile;
  return { offset: at, end: c.end, dies: c.pos, format: { version, addrSize, offsetSize }, abbrevOffset, holdsCode };
}

/** The kept attributes of the DIE being read. */
type DieValues = Map<Want, Value>;

/** What a unit's walk collects. */
interface UnitState {
  readonly header: UnitHeader;
  name: string;
  compDir: string;
  /** The base address of its range lists: DW_AT_low_pc of the unit DIE. */
  base: number;
  strOffsetsBase: number;
  addrBase: number;
  rnglistsBase: number;
  readonly ranges: [number, number][];
  readonly variables: number[];
  readonly tlsVariables: number[];
}

function walkUnit(ctx: Context, info: Section, header: UnitHeader): UnitState {
  const f = header.format;
  let table = ctx.tables.get(header.abbrevOffset);
  if (table === undefined) {
    table = parseAbbrevTable(ctx, header.abbrevOffset);
    ctx.tables.set(header.abbrevOffset, table);
  }
  const plans = plansFor(table, f);
  const v5 = f.version >= 5;
  const unit: UnitState = {
    header,
    name: '',
    compDir: '',
    base: 0,
    // DWARF 5 bases point past each section's header; these defaults serve units that omit them.
    strOffsetsBase: v5 ? 2 * f.offsetSize : 0,
    addrBase: v5 ? 2 * f.offsetSize : 0,
    rnglistsBase: v5 ? f.offsetSize + 8 : 0,
    ranges: [],
    variables: [],
    tlsVariables: [],
  };
  const c = new Cursor(info, header.dies, header.end);
  const die: DieValues = new Map();
  let first = true;
  // Each DIE takes at least its code's byte, so this loop runs at most once per byte of the unit.
  while (c.pos < c.end) {
    const at = c.pos;
    const code = c.uleb();
    if (code === 0) continue; // the end of a sibling list: the walk needs no tree
    const plan = plans.get(code);
    if (plan === undefined)
      throw new BadDwarf(`.debug_info: the DIE at ${hex(at)} uses abbreviation ${code}, which its table at ${hex(table.offset)} does not define`);
    if (plan.fixed >= 0) {
      c.skip(plan.fixed);
      first = false;
      continue;
    }
    die.clear();
    for (const step of plan.steps) {
      c.skip(step.skip);
      if (step.want === 0) {
        const size = formSize(step.form, f) as number;
        if (size === VARIABLE) skipVariable(c, step.form, f);
        else c.skip(size);
      } else die.set(step.want, readValue(c, step.form, f, step.implicit, ctx.codec));
    }
    c.skip(plan.tail);
    if (first && isUnitTag(plan.tag)) startUnit(ctx, unit, die);
    else if (plan.tag === TAG.subprogram) codeRanges(ctx, unit, die);
    else if (plan.tag === TAG.variable) variableAddress(ctx, info, unit, die);
    first = false;
  }
  return unit;
}

function startUnit(ctx: Context, unit: UnitState, die: DieValues): void {
  // The bases come first: the unit's own name and ranges may be indexes relative to them.
  const constant = (w: Want): number | undefined => {
    const v = die.get(w);
    return v?.k === 'const' ? v.n : undefined;
  };
  unit.strOffsetsBase = constant(WANT.strOffsetsBase) ?? unit.strOffsetsBase;
  unit.addrBase = constant(WANT.addrBase) ?? unit.addrBase;
  unit.rnglistsBase = constant(WANT.rnglistsBase) ?? unit.rnglistsBase;
  // A skeleton unit (split DWARF, -gsplit-dwarf) names only its .dwo file, where its DIEs are.
  unit.name = stringValue(ctx, unit, die.get(WANT.name) ?? die.get(WANT.dwoName));
  unit.compDir = stringValue(ctx, unit, die.get(WANT.compDir));
  const low = die.get(WANT.lowPc);
  if (low !== undefined) unit.base = addressValue(ctx, unit, low);
  if (Number.isNaN(unit.base)) unit.base = 0;
  codeRanges(ctx, unit, die);
}

function stringValue(ctx: Context, unit: UnitState, v: Value | undefined): string {
  if (v === undefined) return '';
  if (v.k === 'string') return v.s;
  if (v.k === 'strp') return stringAt(ctx, v.table, v.offset);
  if (v.k === 'strx') {
    const size = unit.header.format.offsetSize;
    const offsets = ctx.need('.debug_str_offsets', 'a string index (DW_FORM_strx)');
    const c = new Cursor(offsets, unit.strOffsetsBase, offsets.data.length);
    c.skip(v.i * size);
    return stringAt(ctx, '.debug_str', c.offset(size));
  }
  return ''; // a name in a supplementary object file (dwz): not here
}

function stringAt(ctx: Context, table: string, offset: number): string {
  let read = ctx.strings.get(table);
  if (read === undefined) {
    const sec = ctx.need(table, 'a name');
    read = stringTable(sec.data, { offset: 0, size: sec.data.length }, true);
    ctx.strings.set(table, read);
  }
  return read(offset, `a unit name in ${table}`);
}

function addressValue(ctx: Context, unit: UnitState, v: Value): number {
  if (v.k === 'addr') return v.a;
  if (v.k === 'addrx') return indexedAddress(ctx, unit, v.i);
  return NaN;
}

function indexedAddress(ctx: Context, unit: UnitState, index: number): number {
  const size = unit.header.format.addrSize;
  const addrs = ctx.need('.debug_addr', 'an address index (DW_FORM_addrx)');
  const c = new Cursor(addrs, unit.addrBase, addrs.data.length);
  c.skip(index * size);
  return c.address(size, ctx.codec);
}

/** ld.bfd writes 0 (and 1 in .debug_ranges) for code it discarded (a duplicate inline function): never real code. */
function pushRange(ctx: Context, unit: UnitState, lo: number, hi: number): void {
  if (--ctx.rangeBudget < 0) throw new BadDwarf('range lists are read far more often than their sections could hold (lists shared by many DIEs)');
  if (hi > lo && lo > 1) unit.ranges.push([lo, hi]);
}

function codeRanges(ctx: Context, unit: UnitState, die: DieValues): void {
  const low = die.get(WANT.lowPc);
  const high = die.get(WANT.highPc);
  if (low !== undefined && high !== undefined) {
    const lo = addressValue(ctx, unit, low);
    // DW_AT_high_pc is an address, or (DWARF 4 on) a constant: the length from low_pc.
    const hi = high.k === 'const' ? lo + high.n : addressValue(ctx, unit, high);
    pushRange(ctx, unit, lo, hi);
  }
  const ranges = die.get(WANT.ranges);
  if (ranges === undefined) return;
  if (unit.header.format.version >= 5) {
    if (ranges.k === 'const') rangeList5(ctx, unit, ranges.n);
    else if (ranges.k === 'rnglistx') {
      const size = unit.header.format.offsetSize;
      const lists = ctx.need('.debug_rnglists', 'a range list index (DW_FORM_rnglistx)');
      const c = new Cursor(lists, unit.rnglistsBase, lists.data.length);
      c.skip(ranges.i * size);
      rangeList5(ctx, unit, unit.rnglistsBase + c.offset(size));
    }
  } else if (ranges.k === 'const') rangeList4(ctx, unit, ranges.n);
}

/** A DWARF 2-4 range list in .debug_ranges: address pairs relative to the unit's base, to a (0, 0). */
function rangeList4(ctx: Context, unit: UnitState, offset: number): void {
  const sec = ctx.need('.debug_ranges', 'a range list (DW_AT_ranges)');
  const size = unit.header.format.addrSize;
  if (offset > sec.data.length) throw new BadDwarf(`.debug_ranges: a range list offset ${hex(offset)} is outside the section (${sec.data.length} bytes)`);
  const c = new Cursor(sec, offset, sec.data.length);
  let base = unit.base;
  for (;;) {
    if (c.allOnes(size)) {
      c.skip(size); // a base address selection entry
      base = c.address(size, ctx.codec);
      continue;
    }
    const begin = c.address(size, ctx.codec);
    const end = c.address(size, ctx.codec);
    if (begin === 0 && end === 0) return;
    pushRange(ctx, unit, base + begin, base + end);
  }
}

const DW_RLE = { end: 0, baseAddressx: 1, startxEndx: 2, startxLength: 3, offsetPair: 4, baseAddress: 5, startEnd: 6, startLength: 7 } as const;

/** A DWARF 5 range list in .debug_rnglists. */
function rangeList5(ctx: Context, unit: UnitState, offset: number): void {
  const sec = ctx.need('.debug_rnglists', 'a range list (DW_AT_ranges)');
  const size = unit.header.format.addrSize;
  if (offset > sec.data.length) throw new BadDwarf(`.debug_rnglists: a range list offset ${hex(offset)} is outside the section (${sec.data.length} bytes)`);
  const c = new Cursor(sec, offset, sec.data.length);
  const addr = (): number => c.address(size, ctx.codec);
  const indexed = (): number => indexedAddress(ctx, unit, c.uleb());
  let base = unit.base;
  for (;;) {
    const kind = c.u8();
    switch (kind) {
      case DW_RLE.end:
        return;
      case DW_RLE.baseAddressx:
        base = indexed();
        break;
      case DW_RLE.baseAddress:
        base = addr();
        break;
      case DW_RLE.startxEndx: {
        const lo = indexed();
        pushRange(ctx, unit, lo, indexed());
        break;
      }
      case DW_RLE.startxLength: {
        const lo = indexed();
        pushRange(ctx, unit, lo, lo + c.uleb());
        break;
      }
      case DW_RLE.offsetPair: {
        const lo = c.uleb();
        pushRange(ctx, unit, base + lo, base + c.uleb());
        break;
      }
      case DW_RLE.startEnd: {
        const lo = addr();
        pushRange(ctx, unit, lo, addr());
        break;
      }
      case DW_RLE.startLength: {
        const lo = addr();
        pushRange(ctx, unit, lo, lo + c.uleb());
        break;
      }
      default:
        throw new BadDwarf(`.debug_rnglists: unknown range list entry kind ${kind} at ${hex(c.pos - 1)}`);
    }
  }
}

const DW_OP = { addr: 0x03, const4u: 0x0c, const8u: 0x0e, formTlsAddress: 0x9b, addrx: 0xa1, gnuPushTlsAddress: 0xe0, gnuAddrIndex: 0xfb } as const;

/** A variable whose location is exactly one static address (or one TLS offset): it lives in this unit. */
function variableAddress(ctx: Context, info: Section, unit: UnitState, die: DieValues): void {
  const loc = die.get(WANT.location);
  if (loc?.k !== 'block' || loc.length === 0) return; // no location, or a location list (a local)
  const size = unit.header.format.addrSize;
  const c = new Cursor(info, loc.at, loc.at + loc.length);
  const op = c.u8();
  if (op === DW_OP.addr && loc.length === 1 + size) {
    const a = c.address(size, ctx.codec);
    if (a > 1) unit.variables.push(a); // 0: a variable the linker discarded
  } else if (op === DW_OP.addrx || op === DW_OP.gnuAddrIndex) {
    const index = c.uleb();
    const a = c.pos === c.end ? indexedAddress(ctx, unit, index) : NaN;
    if (a > 1) unit.variables.push(a);
  } else if ((op === DW_OP.const8u && loc.length === 10) || (op === DW_OP.const4u && loc.length === 6)) {
    const offset = op === DW_OP.const8u ? c.u64() : c.u32();
    const tls = c.u8();
    if (tls === DW_OP.gnuPushTlsAddress || tls === DW_OP.formTlsAddress) unit.tlsVariables.push(offset);
  }
}

/** .debug_aranges: per unit, the address ranges of its code; merged into the unit's own. */
function readAranges(ctx: Context): Map<number, [number, number][]> {
  const byUnit = new Map<number, [number, number][]>();
  const sec = ctx.sections.get('.debug_aranges');
  if (sec === undefined) return byUnit;
  let at = 0;
  while (at < sec.data.length) {
    const c = new Cursor(sec, at, sec.data.length);
    let length = c.u32();
    let offsetSize = 4;
    if (length === 0xffffffff) {
      length = c.u64();
      offsetSize = 8;
    }
    if (length > sec.data.length - c.pos) throw new BadDwarf(`.debug_aranges: the set at ${hex(at)} says it is ${length} bytes, past the end of the section`);
    c.end = c.pos + length;
    const next = c.end;
    c.u16(); // version 2
    const unit = c.offset(offsetSize);
    const size = c.u8();
    const segment = c.u8();
    if (size !== 2 && size !== 4 && size !== 8) throw new BadDwarf(`.debug_aranges: the set at ${hex(at)} has ${size}-byte addresses`);
    // Tuples start at a multiple of their own size from the set's start.
    const tuple = 2 * size + segment;
    c.skip((tuple - ((c.pos - at) % tuple)) % tuple);
    const list = byUnit.get(unit) ?? [];
    byUnit.set(unit, list);
    while (c.end - c.pos >= tuple) {
      c.skip(segment);
      const lo = c.address(size, ctx.codec);
      const length = size === 8 ? c.address(8, PLAIN) : c.address(size, ctx.codec);
      if (lo === 0 && length === 0) break;
      if (length > 0 && lo > 1) list.push([lo, lo + length]);
    }
    at = next;
  }
  return byUnit;
}

function mergeRanges(ranges: [number, number][]): AddressRange[] {
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [lo, hi] of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged;
}

function unitPath(name: string, compDir: string, offset: number): string {
  if (name === '') return `(unnamed unit at .debug_info+${hex(offset)})`;
  if (name.startsWith('/') || compDir === '') return posix.normalize(name);
  return posix.join(compDir, name);
}

const DEBUG_SECTIONS = [
  '.debug_info',
  '.debug_abbrev',
  '.debug_str',
  '.debug_line_str',
  '.debug_str_offsets',
  '.debug_addr',
  '.debug_ranges',
  '.debug_rnglists',
  '.debug_aranges',
];

/**
 * The compile units of a linked ELF64 little-endian file, each with the code ranges and variable
 * addresses DWARF gives it. A file without .debug_info is no error: `debugInfo` is false.
 * `layout` saves reading the section headers again when the caller has them.
 */
export function readDwarfUnits(bytes: Uint8Array, file: string, layout?: ElfLayout): Result<DwarfUnits> {
  let elf = layout;
  if (elf === undefined) {
    const read = readElfLayout(bytes, file);
    if (!read.ok) return read;
    elf = read.value;
  }
  const hint = 'measure the kernel by symbol names instead, or rebuild it (its debug information is unreadable)';
  if (elf.type === 1) return fail(`${file}: a relocatable object (.o): its DWARF addresses are not linked yet`, 'give the linked kernel (loader.elf)');
  const codec = codecFor(elf.sections);
  const present = new Map<string, ElfSectionHeader>();
  for (const s of elf.sections) if (DEBUG_SECTIONS.includes(s.name) && s.type !== SHT_NOBITS && !present.has(s.name)) present.set(s.name, s);
  if (!present.has('.debug_info')) {
    if (elf.sections.some((s) => s.name === '.zdebug_info'))
      return fail(`${file}: its DWARF is compressed the old way (.zdebug_info)`, 'objcopy --decompress-debug-sections makes it readable');
    return ok({ debugInfo: false, units: [], versions: [], addressBias: codec.bias });
  }
  try {
    const sections = new Map<string, Section>();
    for (const [name, s] of present) sections.set(name, contents(bytes, s));
    const ctx = makeContext(sections, codec);
    const info = sections.get('.debug_info') as Section;
    const aranges = readAranges(ctx);
    const units: DwarfUnit[] = [];
    const versions = new Set<number>();
    for (let at = 0; at < info.data.length;) {
      const header = readUnitHeader(info, at);
      at = header.end;
      if (!header.holdsCode) continue;
      versions.add(header.format.version);
      const unit = walkUnit(ctx, info, header);
      for (const r of aranges.get(header.offset) ?? []) unit.ranges.push(r);
      units.push({
        offset: header.offset,
        version: header.format.version,
        name: unit.name,
        compDir: unit.compDir,
        path: unitPath(unit.name, unit.compDir, header.offset),
        ranges: mergeRanges(unit.ranges),
        variables: unit.variables,
        tlsVariables: unit.tlsVariables,
      });
    }
    return ok({ debugInfo: true, units, versions: [...versions].sort((a, b) => a - b), addressBias: codec.bias });
  } catch (e) {
    if (e instanceof BadDwarf || e instanceof Corrupt) return fail(`${file}: corrupt DWARF: ${e.message}`, hint);
    if (e instanceof RangeError) return fail(`${file}: corrupt DWARF: a read past the end of a section (${e.message})`, hint);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Attribution: every byte of every allocated section to a source file, or to no one.

export interface SectionAttribution {
  readonly name: string;
  readonly size: number;
  /** One of .text, .rodata, .data, .bss; the others (.eh_frame, .init_array, .tbss, ...) are reported apart. */
  readonly main: boolean;
  readonly exact: number;
  readonly byNeighbour: number;
  readonly unattributed: number;
}

export interface FileAttribution {
  readonly path: string;
  /** Bytes per section name, exact and by neighbour together. */
  readonly sections: ReadonlyMap<string, number>;
  readonly exact: number;
  readonly byNeighbour: number;
  readonly total: number;
}

export interface AttributionTotals {
  readonly size: number;
  readonly exact: number;
  /** Gaps between two pieces of one file (alignment padding, literal pools), given to that file. */
  readonly byNeighbour: number;
  readonly unattributed: number;
  /** Where the exact bytes come from: DWARF ranges and variables; local symbols after an STT_FILE; tables of code pointers. */
  readonly exactBy: { readonly dwarf: number; readonly fileSymbols: number; readonly pointerTables: number };
}

export interface Attribution {
  /** Largest first. */
  readonly files: readonly FileAttribution[];
  /** Every allocated section with bytes, in section header order. */
  readonly sections: readonly SectionAttribution[];
  /** Over .text, .rodata, .data and .bss. */
  readonly main: AttributionTotals;
  /** Over the other allocated sections. */
  readonly other: AttributionTotals;
  /** Bytes the DWARF of two files both claims (folded identical code, say): the claim starting lower (then the earlier unit) keeps them. */
  readonly contested: number;
  /** What could not be followed (a malformed .eh_frame, ...), for the caller to show. */
  readonly notes: readonly string[];
}

const MAIN_SECTIONS = new Set(['.text', '.rodata', '.data', '.bss']);
const STT_TLS = 6;

/** A TLS symbol's value: its offset in the TLS block. */
const tlsOffset = (value: bigint): number => (value < BigInt(TWO52) ? Number(value) : NaN);

/**
 * How a piece was found. 'anchor': a point (a variable DWARF places but no symbol sizes) that
 * only lends its file to the gaps beside it. 'start': a point where something of unknown length
 * begins (an exception table an FDE points to): the bytes up to the next piece are its file's.
 */
type Kind = 'dwarf' | 'file' | 'table' | 'anchor' | 'start';

interface Piece {
  readonly lo: number;
  readonly hi: number;
  readonly owner: number;
  readonly kind: Kind;
}

/** Allocated sections in one coordinate space, sorted, not overlapping. */
interface Placed {
  readonly index: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * Memory, and the TLS block: .tbss takes no memory of its own (its addresses overlap the
 * sections after it), so TLS sections and TLS symbols are placed by their offset in the block.
 */
interface Space {
  readonly placed: Placed[];
  /** Claimed so far: sorted, disjoint. */
  claimed: Piece[];
  /**
   * Where each function and object symbol starts, sorted. A gap holding one is not padding but
   * something no one claimed (a function from assembly without debug information): no
   * neighbour fills it.
   */
  barriers: number[];
}

class Owners {
  readonly paths: string[] = [];
  private readonly ids = new Map<string, number>();
  id(path: string): number {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.ids.set(path, id);
    }
    return id;
  }
}

const byPosition = (a: Piece, b: Piece): number => a.lo - b.lo || a.hi - b.hi || a.owner - b.owner;

/**
 * The parts of `pieces` nobody has claimed yet, neither `taken` (sorted, disjoint) nor an
 * earlier piece: one sort, then a sweep over both lists together.
 */
function claim(taken: readonly Piece[], pieces: Piece[]): Piece[] {
  pieces.sort(byPosition);
  const added: Piece[] = [];
  let j = 0;
  let covered = -Infinity;
  for (const p of pieces) {
    if (!(p.lo <= p.hi)) continue; // NaN: an address no section holds
    if (p.lo === p.hi) {
      while (j < taken.length && (taken[j] as Piece).hi <= p.lo) j++;
      const t = taken[j];
      if (p.lo >= covered && (t === undefined || t.lo > p.lo)) added.push(p);
      continue;
    }
    let start = Math.max(p.lo, covered);
    while (start < p.hi) {
      while (j < taken.length && (taken[j] as Piece).hi <= start) j++;
      const t = taken[j];
      if (t !== undefined && t.lo <= start) {
        start = t.hi;
        continue;
      }
      const end = t === undefined ? p.hi : Math.min(p.hi, t.lo);
      added.push({ lo: start, hi: end, owner: p.owner, kind: p.kind });
      start = end;
    }
    covered = Math.max(covered, p.hi);
  }
  return added;
}

/** A binary min-heap. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get top(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i] as T, items[parent] as T)) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }
  pop(): void {
    const items = this.items;
    const last = items.pop() as T;
    if (items.length === 0) return;
    items[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < items.length && this.before(items[l] as T, items[best] as T)) best = l;
      if (r < items.length && this.before(items[r] as T, items[best] as T)) best = r;
      if (best === i) return;
      [items[i], items[best]] = [items[best] as T, items[i] as T];
      i = best;
    }
  }
}

/**
 * Pieces that may overlap as disjoint ones: where several claim a byte, the lowest owner keeps
 * it. Owners are numbered in .debug_info order, which is link order, and of the copies of an
 * inline function many units emit, the linker keeps the first object's (ld.bfd then points the
 * other units' DWARF at that copy too). A sweep over the starts, with a heap of the pieces
 * covering the current address: each step passes a start or ends the top piece, O(n log n).
 */
function paint(pieces: Piece[]): Piece[] {
  const sorted = pieces.filter((p) => p.hi > p.lo).sort(byPosition);
  const covering = new Heap<Piece>((a, b) => a.owner < b.owner);
  const out: Piece[] = [];
  let i = 0;
  let at = -Infinity;
  for (;;) {
    while (covering.top !== undefined && covering.top.hi <= at) covering.pop(); // ended: dropped when they surface
    const next = sorted[i];
    if (covering.top === undefined) {
      if (next === undefined) return out;
      at = next.lo;
    }
    for (let p = sorted[i]; p !== undefined && p.lo <= at; p = sorted[++i]) covering.push(p);
    const top = covering.top as Piece;
    const end = Math.min(top.hi, sorted[i]?.lo ?? Infinity);
    const last = out[out.length - 1];
    if (last !== undefined && last.owner === top.owner && last.hi === at) out[out.length - 1] = { ...last, hi: end };
    else out.push({ lo: at, hi: end, owner: top.owner, kind: top.kind });
    at = end;
  }
}

/** Two sorted, disjoint lists as one. */
function merge(a: readonly Piece[], b: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.lo <= y.lo)) {
      out.push(x as Piece);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}

/** The file owning the byte at `at`, by binary search. */
function ownerAt(claimed: readonly Piece[], at: number): number | undefined {
  let lo = 0;
  let hi = claimed.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((claimed[mid] as Piece).hi <= at) lo = mid + 1;
    else hi = mid;
  }
  const p = claimed[lo];
  return p !== undefined && p.lo <= at && at < p.hi ? p.owner : undefined;
}

const length = (pieces: readonly Piece[]): number => pieces.reduce((sum, p) => sum + (p.hi - p.lo), 0);

/** Each file's own overlapping pieces as one (a unit's ranges and its functions' overlap): what overlap is left is between files. */
function coalescePerOwner(pieces: Piece[]): Piece[] {
  pieces.sort((a, b) => a.owner - b.owner || a.lo - b.lo || a.hi - b.hi);
  const out: Piece[] = [];
  for (const p of pieces) {
    if (!(p.lo <= p.hi)) continue;
    const last = out[out.length - 1];
    if (last !== undefined && p.hi > p.lo && last.hi > last.lo && last.owner === p.owner && p.lo <= last.hi) {
      out[out.length - 1] = { ...last, hi: Math.max(last.hi, p.hi) };
    } else out.push(p);
  }
  return out;
}

function placeSections(layout: ElfLayout, codec: Codec): { memory: Space; tls: Space; alloc: ElfSectionHeader[] } {
  const alloc = layout.sections.filter((s) => (s.flags & SHF_ALLOC) !== 0 && s.size > 0);
  const isTls = (s: ElfSectionHeader): boolean => (s.flags & SHF_TLS) !== 0;
  let tlsStart = Infinity;
  for (const s of alloc) if (isTls(s)) tlsStart = Math.min(tlsStart, decodeBig(codec, s.addr));
  const memory: Space = { placed: [], claimed: [], barriers: [] };
  const tls: Space = { placed: [], claimed: [], barriers: [] };
  for (const sym of layout.symbols) {
    if (sym.type === STT_TLS) tls.barriers.push(tlsOffset(sym.value));
    else if (sym.type === 1 || sym.type === 2) memory.barriers.push(decodeBig(codec, sym.value));
  }
  alloc.forEach((s, index) => {
    const at = decodeBig(codec, s.addr) - (isTls(s) ? tlsStart : 0);
    if (at >= 0) (isTls(s) ? tls : memory).placed.push({ index, lo: at, hi: at + s.size });
  });
  for (const space of [memory, tls]) {
    space.barriers = space.barriers.filter((b) => !Number.isNaN(b)).sort((a, b) => a - b);
    space.placed.sort((a, b) => a.lo - b.lo || a.index - b.index);
    // Sections do not overlap in a linked file; if a crafted one's do, the earlier keeps the bytes.
    let end = -Infinity;
    space.placed.forEach((p, i) => {
      space.placed[i] = { ...p, lo: Math.max(p.lo, end) };
      end = Math.max(end, p.hi);
    });
  }
  return { memory, tls, alloc };
}

/** DWARF's own claims: unit code ranges, and variables sized by the symbol at their address. */
function dwarfPieces(layout: ElfLayout, dwarf: DwarfUnits, codec: Codec, owners: Owners): { memory: Piece[]; tls: Piece[] } {
  const sizeAt = new Map<number, number>();
  const tlsSizeAt = new Map<number, number>();
  for (const sym of layout.symbols) {
    const tls = sym.type === STT_TLS;
    const at = tls ? tlsOffset(sym.value) : decodeBig(codec, sym.value);
    if (Number.isNaN(at)) continue;
    const sizes = tls ? tlsSizeAt : sizeAt;
    sizes.set(at, Math.max(sizes.get(at) ?? 0, sym.size)); // aliases: the largest
  }
  const memory: Piece[] = [];
  const tls: Piece[] = [];
  const variable = (out: Piece[], sizes: Map<number, number>, at: number, owner: number): void => {
    const size = sizes.get(at) ?? 0;
    out.push({ lo: at, hi: at + size, owner, kind: size > 0 ? 'dwarf' : 'anchor' });
  };
  for (const unit of dwarf.units) {
    const owner = owners.id(unit.path);
    for (const [lo, hi] of unit.ranges) memory.push({ lo, hi, owner, kind: 'dwarf' });
    for (const at of unit.variables) variable(memory, sizeAt, at, owner);
    for (const at of unit.tlsVariables) variable(tls, tlsSizeAt, at, owner);
  }
  return { memory, tls };
}

/**
 * Local symbols DWARF does not cover, by the STT_FILE symbol before them. The file is the unit
 * that DWARF gives most of that group's other symbols to (names are often bare: "main.cc");
 * failing that, the one unit with that name; failing that, the name as the linker wrote it.
 */
function fileSymbolPieces(layout: ElfLayout, dwarf: DwarfUnits, codec: Codec, owners: Owners, memory: Space, tls: Space): { memory: Piece[]; tls: Piece[] } {
  const byName = new Map<string, string | null>();
  const known = (key: string, path: string): void => {
    const seen = byName.get(key);
    byName.set(key, seen === undefined || seen === path ? path : null); // null: two units share it
  };
  for (const u of dwarf.units) {
    known(u.name, u.path);
    known(posix.basename(u.name), u.path);
  }
  const groups = new Map<number, { name: string; symbols: { space: Space; at: number; size: number }[] }>();
  for (const sym of layout.symbols) {
    if (sym.file === undefined || sym.fileIndex === undefined) continue;
    const isTls = sym.type === STT_TLS;
    const at = isTls ? tlsOffset(sym.value) : decodeBig(codec, sym.value);
    if (Number.isNaN(at)) continue;
    let group = groups.get(sym.fileIndex);
    if (group === undefined) groups.set(sym.fileIndex, (group = { name: sym.file, symbols: [] }));
    group.symbols.push({ space: isTls ? tls : memory, at, size: sym.size });
  }
  const out = { memory: [] as Piece[], tls: [] as Piece[] };
  for (const group of groups.values()) {
    const votes = new Map<number, number>();
    for (const s of group.symbols) {
      const o = ownerAt(s.space.claimed, s.at);
      if (o !== undefined) votes.set(o, (votes.get(o) ?? 0) + 1);
    }
    let owner: number | undefined;
    let best = 0;
    for (const [o, n] of votes) if (n > best) [owner, best] = [o, n];
    owner ??= owners.id(byName.get(group.name) ?? byName.get(posix.basename(group.name)) ?? group.name);
    for (const s of group.symbols) (s.space === tls ? out.tls : out.memory).push({ lo: s.at, hi: s.at + s.size, owner, kind: s.size > 0 ? 'file' : 'anchor' });
  }
  return out;
}

/** The bytes of an allocated section with contents, with its address. */
interface Loaded {
  readonly header: ElfSectionHeader;
  readonly sec: Section;
  readonly addr: number;
}

const INIT_ARRAY_TYPES = new Set([14, 15, 16]); // SHT_INIT_ARRAY, SHT_FINI_ARRAY, SHT_PREINIT_ARRAY

/**
 * Tables of code pointers follow the code they point to: .init_array-like arrays entry by entry,
 * .eh_frame record by record (each FDE names its function; its exception table in
 * .gcc_except_table starts where it points), .eh_frame_hdr's search table entry by entry.
 */
function pointerTablePieces(bytes: Uint8Array, layout: ElfLayout, codec: Codec, memory: Space, notes: string[]): Piece[] {
  const out: Piece[] = [];
  const ownerOf = (at: number): number | undefined => ownerAt(memory.claimed, at);
  for (const header of layout.sections) {
    if ((header.flags & SHF_ALLOC) === 0 || header.type === SHT_NOBITS || (header.flags & SHF_TLS) !== 0 || header.size === 0) continue;
    const addr = decodeBig(codec, header.addr);
    if (Number.isNaN(addr)) continue;
    const t: Loaded = { header, addr, sec: sectionOf(header.name, bytes.subarray(header.offset, header.offset + header.size)) };
    try {
      if (INIT_ARRAY_TYPES.has(header.type) || header.name === '.ctors' || header.name === '.dtors') initArray(t, codec, ownerOf, out);
      else if (header.name === '.eh_frame') ehFrame(t, codec, ownerOf, out, notes);
      else if (header.name === '.eh_frame_hdr') ehFrameHdr(t, codec, ownerOf, out);
    } catch (e) {
      if (!(e instanceof BadDwarf)) throw e;
      notes.push(`${header.name} is not followed past what was read: ${e.message}`);
    }
  }
  return out;
}

function initArray(t: Loaded, codec: Codec, ownerOf: (at: number) => number | undefined, out: Piece[]): void {
  // In a position-independent file these hold 0 until relocated: nothing to follow then.
  const c = new Cursor(t.sec, 0, t.sec.data.length);
  while (c.end - c.pos >= 8) {
    const at = t.addr + c.pos;
    const owner = ownerOf(c.address(8, codec));
    if (owner !== undefined) out.push({ lo: at, hi: at + 8, owner, kind: 'table' });
  }
}

const DW_EH_PE = { omit: 0xff, pcrel: 0x10, indirect: 0x80 } as const;

/** A pointer in the encoding an .eh_frame augmentation gives; NaN for encodings that need run-time bases. */
function encodedPointer(c: Cursor, encoding: number, fieldAddr: number, codec: Codec): number {
  if (encoding === DW_EH_PE.omit) return NaN;
  let v: number;
  switch (encoding & 0x0f) {
    case 0x00: // absptr
    case 0x04: // udata8
      v = c.address(8, codec);
      break;
    case 0x01:
      v = c.uleb();
      break;
    case 0x02:
      v = c.u16();
      break;
    case 0x03:
      v = c.u32();
      break;
    case 0x09:
      v = c.sleb();
      break;
    case 0x0a:
      v = (c.u16() << 16) >> 16;
      break;
    case 0x0b:
      v = c.i32();
      break;
    case 0x0c: {
      const lo = c.u32();
      v = c.i32() * TWO32 + lo;
      break;
    }
    default:
      throw new BadDwarf(`${c.sec.name}: unknown pointer encoding ${hex(encoding)} at ${hex(c.pos)}`);
  }
  if ((encoding & DW_EH_PE.indirect) !== 0) return NaN;
  const application = encoding & 0x70;
  if (application === 0) return v;
  return application === DW_EH_PE.pcrel ? fieldAddr + v : NaN;
}

interface Cie {
  readonly fdeEncoding: number;
  readonly lsdaEncoding: number;
  /** An 'z' augmentation: FDEs carry an augmentation length (and the LSDA pointer). */
  readonly sized: boolean;
}

function readCie(t: Loaded, at: number, codec: Codec): Cie | undefined {
  const c = new Cursor(t.sec, at, t.sec.data.length);
  let length = c.u32();
  if (length === 0xffffffff) length = c.u64();
  if (length > c.end - c.pos) return undefined;
  c.end = c.pos + length;
  if (c.u32() !== 0) return undefined; // not a CIE
  const version = c.u8();
  const start = c.pos;
  c.skipString();
  const augmentation = new TextDecoder().decode(t.sec.data.subarray(start, c.pos - 1));
  if (augmentation.includes('eh')) c.skip(8);
  c.uleb(); // code alignment
  c.sleb(); // data alignment
  if (version === 1) c.u8();
  else c.uleb(); // return address register
  let fdeEncoding = 0;
  let lsdaEncoding: number = DW_EH_PE.omit;
  const sized = augmentation.startsWith('z');
  if (sized) {
    c.uleb();
    for (const ch of augmentation.slice(1)) {
      if (ch === 'R') fdeEncoding = c.u8();
      else if (ch === 'L') lsdaEncoding = c.u8();
      else if (ch === 'P') {
        const encoding = c.u8();
        encodedPointer(c, encoding & 0x7f, 0, codec); // the personality routine: skipped
      } else if (ch !== 'S' && ch !== 'B' && ch !== 'G') break;
    }
  }
  return { fdeEncoding, lsdaEncoding, sized };
}

function ehFrame(t: Loaded, codec: Codec, ownerOf: (at: number) => number | undefined, out: Piece[], notes: string[]): void {
  let unread = 0;
  const cies = new Map<number, Cie | undefined>();
  const c = new Cursor(t.sec, 0, t.sec.data.length);
  // Each record is read once and each CIE parsed once: linear in the section.
  while (c.end - c.pos >= 4) {
    const start = c.pos;
    let length = c.u32();
    if (length === 0) continue; // a terminator
    if (length === 0xffffffff) length = c.u64();
    if (length > c.end - c.pos) throw new BadDwarf(`.eh_frame: the record at ${hex(start)} runs past the section`);
    const end = c.pos + length;
    const idAt = c.pos;
    const id = length >= 4 ? c.u32() : 0;
    if (id !== 0 && id <= idAt) {
      const cieAt = idAt - id;
      if (!cies.has(cieAt))
        cies.set(
          cieAt,
          unlessBad(() => readCie(t, cieAt, codec)),
        );
      const cie = cies.get(cieAt);
      if (cie === undefined) unread++;
      else if (unlessBad(() => fde(t, new Cursor(t.sec, c.pos, end), cie, codec, ownerOf, { lo: t.addr + start, hi: t.addr + end }, out)) === undefined)
        unread++;
    }
    c.pos = end;
  }
  if (unread > 0) notes.push(`.eh_frame: ${unread} records could not be read (a malformed record or CIE); their bytes stay unattributed`);
}

/** f's value, or undefined when the bytes it reads are malformed (one bad record spoils only itself). */
function unlessBad<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof BadDwarf) return undefined;
    throw e;
  }
}

function fde(
  t: Loaded,
  c: Cursor,
  cie: Cie,
  codec: Codec,
  ownerOf: (at: number) => number | undefined,
  record: { lo: number; hi: number },
  out: Piece[],
): true {
  const owner = ownerOf(encodedPointer(c, cie.fdeEncoding, t.addr + c.pos, codec));
  if (owner === undefined) return true;
  out.push({ ...record, owner, kind: 'table' });
  if (!cie.sized || cie.lsdaEncoding === DW_EH_PE.omit) return true;
  encodedPointer(c, cie.fdeEncoding & 0x0f, 0, codec); // the function's length
  if (c.uleb() === 0) return true;
  const lsda = encodedPointer(c, cie.lsdaEncoding, t.addr + c.pos, codec);
  if (!Number.isNaN(lsda)) out.push({ lo: lsda, hi: lsda, owner, kind: 'start' });
  return true;
}

function ehFrameHdr(t: Loaded, codec: Codec, ownerOf: (at: number) => number | undefined, out: Piece[]): void {
  const c = new Cursor(t.sec, 0, t.sec.data.length);
  if (c.u8() !== 1) return;
  const framePtrEncoding = c.u8();
  const countEncoding = c.u8();
  const tableEncoding = c.u8();
  encodedPointer(c, framePtrEncoding, t.addr + c.pos, codec);
  const count = encodedPointer(c, countEncoding, t.addr + c.pos, codec);
  if (tableEncoding !== 0x3b) return; // DW_EH_PE_datarel | sdata4, what every linker writes
  // Each entry: the function's address and its FDE's, both relative to this section.
  for (let i = 0; i < count && c.end - c.pos >= 8; i++) {
    const at = t.addr + c.pos;
    const owner = ownerOf(t.addr + c.i32());
    c.skip(4);
    if (owner !== undefined) out.push({ lo: at, hi: at + 8, owner, kind: 'table' });
  }
}

/** Whether a symbol starts in the gap [from, to) after `prev` (a point's own symbol, at `from`, does not count). */
function barrierIn(barriers: readonly number[], prev: Piece, from: number, to: number): boolean {
  let lo = 0;
  let hi = barriers.length;
  const first = prev.hi > prev.lo ? from : from + 1; // a point's own symbol sits at `from`
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((barriers[mid] as number) < first) lo = mid + 1;
    else hi = mid;
  }
  return lo < barriers.length && (barriers[lo] as number) < to;
}

interface Tally {
  exact: number;
  byNeighbour: number;
  readonly exactBy: { dwarf: number; fileSymbols: number; pointerTables: number };
  readonly files: Map<number, { exact: number; byNeighbour: number }>;
}

/** Walks one space's sections and claimed pieces together: exact bytes, and the gaps a neighbour explains. */
function tallySpace(space: Space, tallies: Tally[]): void {
  const claimed = space.claimed;
  let j = 0;
  for (const s of space.placed) {
    if (!(s.lo < s.hi)) continue;
    const tally = tallies[s.index] as Tally;
    const file = (owner: number): { exact: number; byNeighbour: number } => {
      let f = tally.files.get(owner);
      if (f === undefined) tally.files.set(owner, (f = { exact: 0, byNeighbour: 0 }));
      return f;
    };
    const neighbour = (owner: number, bytes: number): void => {
      tally.byNeighbour += bytes;
      file(owner).byNeighbour += bytes;
    };
    while (j < claimed.length && (claimed[j] as Piece).hi < s.lo) j++;
    let prev: Piece | undefined;
    let prevEnd = s.lo;
    // A point at the section's end (an assembly file's `table_end:` label) still closes a gap in it.
    const inSection = (p: Piece | undefined): p is Piece => p !== undefined && (p.lo < s.hi || (p.lo === s.hi && p.hi === p.lo));
    for (let k = j; inSection(claimed[k]); k++) {
      const p = claimed[k] as Piece;
      const lo = Math.max(p.lo, s.lo);
      const hi = Math.min(p.hi, s.hi);
      if (hi < lo || (hi === lo && p.lo < s.lo)) continue;
      if (prev !== undefined && lo > prevEnd && (prev.owner === p.owner || prev.kind === 'start') && !barrierIn(space.barriers, prev, prevEnd, lo))
        neighbour(prev.owner, lo - prevEnd);
      if (hi > lo) {
        tally.exact += hi - lo;
        file(p.owner).exact += hi - lo;
        const by = p.kind === 'file' ? 'fileSymbols' : p.kind === 'table' ? 'pointerTables' : 'dwarf';
        tally.exactBy[by] += hi - lo;
      }
      prev = p;
      prevEnd = hi;
    }
    if (prev?.kind === 'start' && s.hi > prevEnd && !barrierIn(space.barriers, prev, prevEnd, s.hi)) neighbour(prev.owner, s.hi - prevEnd);
  }
}

/**
 * Every byte of the allocated sections of `layout` to a source file: exactly (DWARF, STT_FILE
 * symbols, pointer tables), by neighbour (a gap between two pieces of one file), or not at all.
 * `bytes`, the file itself, lets .init_array and .eh_frame follow their pointers; without it
 * those sections stay unattributed. Sorts and sweeps: O(n log n) in ranges and symbols.
 */
export function attributeSections(layout: ElfLayout, dwarf: DwarfUnits, bytes?: Uint8Array): Attribution {
  const codec = codecOf(dwarf.addressBias);
  const owners = new Owners();
  const notes: string[] = [];
  const { memory, tls, alloc } = placeSections(layout, codec);

  // DWARF first; what two units both claim goes to the earlier, and is counted as contested.
  const fromDwarf = dwarfPieces(layout, dwarf, codec, owners);
  let contested = 0;
  for (const [space, pieces] of [
    [memory, fromDwarf.memory],
    [tls, fromDwarf.tls],
  ] as const) {
    const own = coalescePerOwner(pieces);
    const painted = paint(own);
    contested += length(own) - length(painted);
    space.claimed = merge(
      painted,
      claim(
        painted,
        own.filter((p) => p.hi === p.lo),
      ),
    );
  }
  // Then local symbols by their STT_FILE, where DWARF left bytes; then pointer tables.
  const fromFiles = fileSymbolPieces(layout, dwarf, codec, owners, memory, tls);
  memory.claimed = merge(memory.claimed, claim(memory.claimed, fromFiles.memory));
  tls.claimed = merge(tls.claimed, claim(tls.claimed, fromFiles.tls));
  if (bytes !== undefined) memory.claimed = merge(memory.claimed, claim(memory.claimed, pointerTablePieces(bytes, layout, codec, memory, notes)));

  const tallies: Tally[] = alloc.map(() => ({ exact: 0, byNeighbour: 0, exactBy: { dwarf: 0, fileSymbols: 0, pointerTables: 0 }, files: new Map() }));
  tallySpace(memory, tallies);
  tallySpace(tls, tallies);
  return summarize(alloc, tallies, owners, contested, notes);
}

function summarize(alloc: readonly ElfSectionHeader[], tallies: readonly Tally[], owners: Owners, contested: number, notes: string[]): Attribution {
  const sections: SectionAttribution[] = alloc.map((s, i) => {
    const t = tallies[i] as Tally;
    return {
      name: s.name,
      size: s.size,
      main: MAIN_SECTIONS.has(s.name),
      exact: t.exact,
      byNeighbour: t.byNeighbour,
      unattributed: s.size - t.exact - t.byNeighbour,
    };
  });
  const files = new Map<number, { sections: Map<string, number>; exact: number; byNeighbour: number }>();
  alloc.forEach((s, i) => {
    for (const [owner, bytes] of (tallies[i] as Tally).files) {
      let f = files.get(owner);
      if (f === undefined) files.set(owner, (f = { sections: new Map(), exact: 0, byNeighbour: 0 }));
      f.exact += bytes.exact;
      f.byNeighbour += bytes.byNeighbour;
      f.sections.set(s.name, (f.sections.get(s.name) ?? 0) + bytes.exact + bytes.byNeighbour);
    }
  });
  const totals = (main: boolean): AttributionTotals => {
    const exactBy = { dwarf: 0, fileSymbols: 0, pointerTables: 0 };
    let size = 0;
    let exact = 0;
    let byNeighbour = 0;
    sections.forEach((s, i) => {
      if (s.main !== main) return;
      size += s.size;
      exact += s.exact;
      byNeighbour += s.byNeighbour;
      const by = (tallies[i] as Tally).exactBy;
      exactBy.dwarf += by.dwarf;
      exactBy.fileSymbols += by.fileSymbols;
      exactBy.pointerTables += by.pointerTables;
    });
    return { size, exact, byNeighbour, unattributed: size - exact - byNeighbour, exactBy };
  };
  return {
    files: [...files]
      .map(([owner, f]) => ({ path: owners.paths[owner] as string, ...f, total: f.exact + f.byNeighbour }))
      .sort((a, b) => b.total - a.total || (a.path < b.path ? -1 : 1)),
    sections,
    main: totals(true),
    other: totals(false),
    contested,
    notes,
  };
}

/** readElfLayout, readDwarfUnits and attributeSections in one: what `osvconf size --elf` would call. */
export function attributeElf(bytes: Uint8Array, file: string): Result<{ readonly dwarf: DwarfUnits; readonly attribution: Attribution }> {
  const layout = readElfLayout(bytes, file);
  if (!layout.ok) return layout;
  const dwarf = readDwarfUnits(bytes, file, layout.value);
  if (!dwarf.ok) return dwarf;
  return ok({ dwarf: dwarf.value, attribution: attributeSections(layout.value, dwarf.value, bytes) });
}
