// Attribution: every byte of every allocated section of a linked kernel to a source file, or to
// no one. DWARF's claims first (unit code ranges, variables sized by their symbols), then local
// symbols by their STT_FILE, then tables of code pointers; gaps between two pieces of one file
// (padding, literal pools) are that file's too, counted apart as "by neighbour", so a report can
// say how much is exact. Sorts and sweeps: O(n log n) in ranges and symbols.

import { posix } from 'node:path';
import type { ElfLayout, ElfSectionHeader } from '../symbols/elf.js';
import { codecOf, decodeBig, encode, SHF_ALLOC, SHF_TLS, TWO52, type Codec } from './dwarf-cursor.js';
import { barrierIn, claim, coalescePerOwner, length, merge, Owners, ownerAt, paint, type Piece, type Space } from './dwarf-pieces.js';
import type { DwarfUnits } from './dwarf-reader.js';
import { referencePieces } from './dwarf-references.js';
import { pointerTablePieces } from './dwarf-tables.js';

export interface SectionAttribution {
  readonly name: string;
  readonly size: number;
  /** One of .text, .rodata, .data, .bss; the others (.eh_frame, .init_array, .tbss, ...) are reported apart. */
  readonly main: boolean;
  readonly exact: number;
  readonly byNeighbour: number;
  /** Data that code or data of a file points at, which nothing else accounts for (see AttributionTotals.byReference). */
  readonly byReference: number;
  readonly unattributed: number;
}

export interface FileAttribution {
  readonly path: string;
  /** Bytes per section name, exact, by neighbour and by reference together. */
  readonly sections: ReadonlyMap<string, number>;
  readonly exact: number;
  readonly byNeighbour: number;
  readonly byReference: number;
  readonly total: number;
}

export interface AttributionTotals {
  readonly size: number;
  readonly exact: number;
  /** Gaps between two pieces of one file (alignment padding, literal pools), given to that file. */
  readonly byNeighbour: number;
  /**
   * Data no DWARF variable or file's symbol accounts for, given to the file whose code (x86-64:
   * RIP-relative and absolute address operands) or data (pointers) refers to it: merged string
   * literals, vtables and typeinfo, tables without a DWARF variable. Reaches the sized symbol
   * around the address, else the string there, else up to the next thing.
   */
  readonly byReference: number;
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
  /** Bytes given by reference that files after the first also refer to (a string literal two files use): the earliest unit keeps them. */
  readonly sharedByReference: number;
  /** What could not be followed (a malformed .eh_frame, ...), for the caller to show. */
  readonly notes: readonly string[];
  /** The largest unattributed spans of .text, .rodata, .data and .bss (at most 50, largest first): what a report can name as unexplained. */
  readonly remainders: readonly Remainder[];
}

export interface Remainder {
  readonly section: string;
  /** The ELF address where the span starts. */
  readonly address: bigint;
  readonly size: number;
  /** The symbol at or around its start (name+offset), else the first one inside it; '' when none. */
  readonly symbol: string;
}

const MAX_REMAINDERS = 50;

const MAIN_SECTIONS = new Set(['.text', '.rodata', '.data', '.bss']);
const STT_TLS = 6;

/** A TLS symbol's value: its offset in the TLS block. */
const tlsOffset = (value: bigint): number => (value < BigInt(TWO52) ? Number(value) : NaN);

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

interface FileTally {
  exact: number;
  byNeighbour: number;
  byReference: number;
}

interface Tally {
  /** Unattributed spans [lo, hi) in the space's coordinates. */
  readonly gaps: [number, number][];
  exact: number;
  byNeighbour: number;
  byReference: number;
  readonly exactBy: { dwarf: number; fileSymbols: number; pointerTables: number };
  readonly files: Map<number, FileTally>;
}

/**
 * Walks one space's sections and claimed pieces together: `piece` for each claimed part of a
 * section, `gap` for each unclaimed stretch, with the file a neighbour explains it by (a gap
 * between two pieces of one file, or after a 'start'; no function or object symbol inside it).
 */
function sweep(
  space: Space,
  piece: (index: number, p: Piece, lo: number, hi: number) => void,
  gap: (index: number, lo: number, hi: number, owner?: number) => void,
): void {
  const claimed = space.claimed;
  let j = 0;
  for (const s of space.placed) {
    if (!(s.lo < s.hi)) continue;
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
      if (lo > prevEnd) {
        const explained = prev !== undefined && (prev.owner === p.owner || prev.kind === 'start') && !barrierIn(space.barriers, prev, prevEnd, lo);
        gap(s.index, prevEnd, lo, explained ? prev?.owner : undefined);
      }
      if (hi > lo) piece(s.index, p, lo, hi);
      prev = p;
      prevEnd = hi;
    }
    if (s.hi > prevEnd) gap(s.index, prevEnd, s.hi, prev?.kind === 'start' && !barrierIn(space.barriers, prev, prevEnd, s.hi) ? prev.owner : undefined);
  }
}

/** The gaps a neighbour explains, as pieces: claimed before references are looked for, so a reference never takes a file's own padding. */
function neighbourPieces(space: Space): Piece[] {
  const out: Piece[] = [];
  sweep(
    space,
    () => {},
    (_, lo, hi, owner) => {
      if (owner !== undefined) out.push({ lo, hi, owner, kind: 'neighbour' });
    },
  );
  return out;
}

function tallySpace(space: Space, tallies: Tally[]): void {
  const file = (tally: Tally, owner: number): FileTally => {
    let f = tally.files.get(owner);
    if (f === undefined) tally.files.set(owner, (f = { exact: 0, byNeighbour: 0, byReference: 0 }));
    return f;
  };
  sweep(
    space,
    (index, p, lo, hi) => {
      const tally = tallies[index] as Tally;
      const f = file(tally, p.owner);
      if (p.kind === 'reference') {
        tally.byReference += hi - lo;
        f.byReference += hi - lo;
      } else if (p.kind === 'neighbour') {
        tally.byNeighbour += hi - lo;
        f.byNeighbour += hi - lo;
      } else {
        tally.exact += hi - lo;
        f.exact += hi - lo;
        tally.exactBy[p.kind === 'file' ? 'fileSymbols' : p.kind === 'table' ? 'pointerTables' : 'dwarf'] += hi - lo;
      }
    },
    (index, lo, hi, owner) => {
      const tally = tallies[index] as Tally;
      if (owner === undefined) tally.gaps.push([lo, hi]);
      else {
        tally.byNeighbour += hi - lo;
        file(tally, owner).byNeighbour += hi - lo;
      }
    },
  );
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
  // Gaps a neighbour explains; then data nothing accounts for, by the files whose code or data
  // refers to it; then the gaps those references leave between pieces of one file.
  for (const space of [memory, tls]) space.claimed = merge(space.claimed, neighbourPieces(space));
  let sharedByReference = 0;
  if (bytes !== undefined) {
    const refs = referencePieces(bytes, layout, codec, memory);
    sharedByReference = refs.shared;
    if (!refs.code) notes.push('code is read for the data it refers to on x86-64 only: here only data pointers are followed');
    memory.claimed = merge(memory.claimed, neighbourPieces(memory));
  }

  const tallies: Tally[] = alloc.map(() => ({
    gaps: [],
    exact: 0,
    byNeighbour: 0,
    byReference: 0,
    exactBy: { dwarf: 0, fileSymbols: 0, pointerTables: 0 },
    files: new Map(),
  }));
  tallySpace(memory, tallies);
  tallySpace(tls, tallies);
  return { ...summarize(alloc, tallies, owners, contested, notes), sharedByReference, remainders: remainders(layout, codec, alloc, tallies) };
}

/** The largest unattributed spans of the main sections, named by the symbols there. */
function remainders(layout: ElfLayout, codec: Codec, alloc: readonly ElfSectionHeader[], tallies: readonly Tally[]): Remainder[] {
  const spans: { section: string; lo: number; hi: number }[] = [];
  alloc.forEach((s, i) => {
    if (MAIN_SECTIONS.has(s.name)) for (const [lo, hi] of (tallies[i] as Tally).gaps) spans.push({ section: s.name, lo, hi });
  });
  spans.sort((a, b) => b.hi - b.lo - (a.hi - a.lo) || a.lo - b.lo);
  spans.length = Math.min(spans.length, MAX_REMAINDERS);
  const named = layout.symbols
    .filter((sym) => sym.type !== STT_TLS && sym.name !== '')
    .map((sym) => ({ at: decodeBig(codec, sym.value), size: sym.size, name: sym.name }))
    .filter((sym) => !Number.isNaN(sym.at))
    .sort((a, b) => a.at - b.at || b.size - a.size);
  return spans.map(({ section, lo, hi }) => {
    // The last symbol starting at or before lo; if it does not reach lo, the first one inside the span.
    let a = 0;
    let b = named.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if ((named[mid] as { at: number }).at <= lo) a = mid + 1;
      else b = mid;
    }
    const before = named[a - 1];
    const inside = named[a];
    const symbol =
      before !== undefined && before.at + Math.max(before.size, 1) > lo
        ? `${before.name}${lo > before.at ? `+0x${(lo - before.at).toString(16)}` : ''}`
        : inside !== undefined && inside.at < hi
          ? `${inside.name} at +0x${(inside.at - lo).toString(16)}`
          : '';
    return { section, address: encode(codec, lo), size: hi - lo, symbol };
  });
}

function summarize(
  alloc: readonly ElfSectionHeader[],
  tallies: readonly Tally[],
  owners: Owners,
  contested: number,
  notes: string[],
): Omit<Attribution, 'remainders' | 'sharedByReference'> {
  const sections: SectionAttribution[] = alloc.map((s, i) => {
    const t = tallies[i] as Tally;
    return {
      name: s.name,
      size: s.size,
      main: MAIN_SECTIONS.has(s.name),
      exact: t.exact,
      byNeighbour: t.byNeighbour,
      byReference: t.byReference,
      unattributed: s.size - t.exact - t.byNeighbour - t.byReference,
    };
  });
  const files = new Map<number, FileTally & { sections: Map<string, number> }>();
  alloc.forEach((s, i) => {
    for (const [owner, bytes] of (tallies[i] as Tally).files) {
      let f = files.get(owner);
      if (f === undefined) files.set(owner, (f = { sections: new Map(), exact: 0, byNeighbour: 0, byReference: 0 }));
      f.exact += bytes.exact;
      f.byNeighbour += bytes.byNeighbour;
      f.byReference += bytes.byReference;
      f.sections.set(s.name, (f.sections.get(s.name) ?? 0) + bytes.exact + bytes.byNeighbour + bytes.byReference);
    }
  });
  const totals = (main: boolean): AttributionTotals => {
    const exactBy = { dwarf: 0, fileSymbols: 0, pointerTables: 0 };
    let size = 0;
    let exact = 0;
    let byNeighbour = 0;
    let byReference = 0;
    sections.forEach((s, i) => {
      if (s.main !== main) return;
      size += s.size;
      exact += s.exact;
      byNeighbour += s.byNeighbour;
      byReference += s.byReference;
      const by = (tallies[i] as Tally).exactBy;
      exactBy.dwarf += by.dwarf;
      exactBy.fileSymbols += by.fileSymbols;
      exactBy.pointerTables += by.pointerTables;
    });
    return { size, exact, byNeighbour, byReference, unattributed: size - exact - byNeighbour - byReference, exactBy };
  };
  return {
    files: [...files]
      .map(([owner, f]) => ({ path: owners.paths[owner] as string, ...f, total: f.exact + f.byNeighbour + f.byReference }))
      .sort((a, b) => b.total - a.total || (a.path < b.path ? -1 : 1)),
    sections,
    main: totals(true),
    other: totals(false),
    contested,
    notes,
  };
}
