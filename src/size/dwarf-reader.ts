// The compile units of a linked kernel from its DWARF (versions 2 to 5, 32- and 64-bit, split
// DWARF skeletons, compressed sections): each unit's name, the code it covers (its ranges, its
// functions' ranges, .debug_aranges) and the addresses of the variables it defines.
//
// Pure and defensive like symbols/elf.ts: every offset is checked against its section, and a
// corrupt file is an error value naming the section and offset, never a crash or a hang. The
// DIE walk is iterative (no stack a file controls) and linear: every DIE takes at least a byte
// of .debug_info, attributes no one reads are skipped by precomputed plans, abbreviation tables
// are read at most about twice over and range entries about once (budgets, else an error).

import { posix } from 'node:path';
import { fail, ok, type Result } from '../core/result.js';
import { Corrupt, readElfLayout, stringTable, type ElfLayout, type ElfSectionHeader } from '../symbols/elf.js';
import { BadDwarf, codecFor, codecOf, contents, encode, Cursor, hex, PLAIN, SHT_NOBITS, type Codec, type Section } from './dwarf-cursor.js';

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

export function elfAddress(dwarf: DwarfUnits, at: number): bigint {
  return encode(codecOf(dwarf.addressBias), at);
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
