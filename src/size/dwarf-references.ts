// "By reference": data no DWARF variable and no symbol of a file accounts for, given to the file
// whose code or data points at it. A string literal the linker merged (.rodata.str, no symbol),
// a vtable or typeinfo object (a symbol, but weak and global: no STT_FILE names its file), a
// static table gcc emitted without a DWARF variable: each is used by the file whose function
// loads its address.
//
// Code is read on x86-64 only (an ELF of another machine gets its data pointers followed, not
// its code), and without a disassembler: at every byte of the code a file owns, a few
// instruction forms whose address operand is certain once the opcode is known are tried, and a
// match counts only when its address falls in bytes of a data section nobody has claimed. So a
// stray match (bytes inside another instruction that happen to look like one) can only give
// unclaimed data to a file that has code beside it, never take bytes from anyone; and those
// bytes are reported apart from the exact ones. The forms:
//   - RIP-relative operands (ModRM mod=00 rm=101, disp32 from the next instruction) of the
//     one-byte opcodes that take a ModRM and of the common 0f xx ones (SSE moves, movzx/movsx,
//     cmov), the immediate bytes after it counted where the opcode has them;
//   - absolute addresses of non-PIC code (-mcmodel=small/kernel): mov $imm32 to a register
//     (b8+r), movq $imm32 to a register or to memory (c7 /0), a push $imm32 (68), a disp32 with
//     no base (SIB base=101) or with one (mod=10: a table indexed by a register), sign-extended
//     as the CPU does, so a kernel in the high half (0xffffffff8xxxxxxx) is read right too;
//   - movabs $imm64 to a register (REX.W b8+r).
// Data is read as 8-byte aligned pointers inside the data pieces files own (a vtable points to
// its typeinfo, a typeinfo to its name, a table of strings to the strings), in rounds: what one
// round gives, the next round reads (at most MAX_ROUNDS rounds).
//
// How far a reference reaches: the sized symbol around the address (all of a vtable, though the
// code points 16 bytes in); else, in a section without write permission, a NUL-terminated
// string from the address; else up to the next thing: the next reference, symbol or claimed
// byte, or the section's end. Where files point at the same bytes, the earliest unit (link
// order) keeps them, as for shared inline code, and the bytes are counted as shared.
//
// Work: each code byte is tried once against a fixed set of forms, each data word read once per
// round, references sorted once per round: O(n log n) in the code and data sizes.

import type { ElfLayout } from '../symbols/elf.js';
import { decode, decodeBig, SHF_ALLOC, SHF_TLS, SHT_NOBITS, type Codec } from './dwarf-cursor.js';
import { claim, merge, ownerAt, type Piece, type Space } from './dwarf-pieces.js';

const SHF_WRITE = 0x1;
const SHF_EXECINSTR = 0x4;
const EM_X86_64 = 62;
const MAIN_SECTIONS = new Set(['.text', '.rodata', '.data', '.bss']);

/** Rounds of following data pointers from what the previous round gave: a vtable, its typeinfo, its name. */
const MAX_ROUNDS = 6;
/** The longest string literal read as one (a longer run of text is cut at the next reference or symbol). */
const MAX_STRING = 1 << 16;

/** A section of the memory space, with its bytes when it has any. */
interface Region {
  readonly lo: number;
  readonly hi: number;
  readonly data: Uint8Array | undefined;
  readonly view: DataView | undefined;
  readonly exec: boolean;
  readonly writable: boolean;
  /**
   * One of .text, .rodata, .data, .bss. Another output section (.tracepoint_patch_sites, ...) is
   * a collection many files add to and code walks from its start: a reference to its first byte
   * reaches no further than the symbol or string there.
   */
  readonly main: boolean;
}

interface Reference {
  readonly at: number;
  readonly owner: number;
  /** An instruction reads or writes memory there (mov from it, movdqa): data, never a string; else its address is taken (lea, mov $imm, a pointer). */
  readonly loads: boolean;
}

export interface ReferenceResult {
  /** The pieces given by reference, already claimed in memory. */
  readonly pieces: number;
  /** Bytes that files after the first also point at. */
  readonly shared: number;
  /** Whether code was read (x86-64), else only data pointers. */
  readonly code: boolean;
}

/** Sized symbols, sorted by address, for "the object around this address". */
interface Sized {
  readonly lo: number;
  readonly hi: number;
}

/**
 * Claims in `memory` the unclaimed data that files' code and data point at, as pieces of kind
 * 'reference'. `memory.claimed` is updated; what it held before is never taken away.
 */
export function referencePieces(bytes: Uint8Array, layout: ElfLayout, codec: Codec, memory: Space): ReferenceResult {
  const regions: Region[] = [];
  for (const s of layout.sections) {
    if ((s.flags & SHF_ALLOC) === 0 || (s.flags & SHF_TLS) !== 0 || s.size === 0) continue;
    const lo = decodeBig(codec, s.addr);
    if (Number.isNaN(lo)) continue;
    const data = s.type === SHT_NOBITS ? undefined : bytes.subarray(s.offset, s.offset + s.size);
    regions.push({
      lo,
      hi: lo + s.size,
      data,
      view: data === undefined ? undefined : new DataView(data.buffer, data.byteOffset, data.byteLength),
      exec: (s.flags & SHF_EXECINSTR) !== 0,
      writable: (s.flags & SHF_WRITE) !== 0,
      main: MAIN_SECTIONS.has(s.name),
    });
  }
  regions.sort((a, b) => a.lo - b.lo);
  const regionAt = (at: number): Region | undefined => {
    let lo = 0;
    let hi = regions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((regions[mid] as Region).hi <= at) lo = mid + 1;
      else hi = mid;
    }
    const r = regions[lo];
    return r !== undefined && r.lo <= at && at < r.hi ? r : undefined;
  };
  const sized: Sized[] = layout.symbols
    .filter((s) => s.size > 0 && s.type !== 6)
    .map((s) => {
      const lo = decodeBig(codec, s.value);
      return { lo, hi: lo + s.size };
    })
    .filter((s) => !Number.isNaN(s.lo))
    .sort((a, b) => a.lo - b.lo || b.hi - a.hi);

  const code = bytes.length >= 20 && (bytes[18] as number) + 256 * (bytes[19] as number) === EM_X86_64;
  let total = 0;
  let shared = 0;
  let fresh: readonly Piece[] = memory.claimed;
  for (let round = 0; round < MAX_ROUNDS && fresh.length > 0; round++) {
    const refs: Reference[] = [];
    /** Whether `at` is in a data section (an instruction naming it is taken as real); a reference when nobody has claimed it. */
    const target = (at: number, owner: number, loads: boolean): boolean => {
      const r = regionAt(at);
      if (r === undefined || r.exec) return false;
      if (ownerAt(memory.claimed, at) === undefined) refs.push({ at, owner, loads });
      return true;
    };
    for (const p of fresh) {
      if (p.hi <= p.lo || p.kind === 'anchor' || p.kind === 'start' || p.kind === 'table') continue; // tables hold code pointers, relative ones in .eh_frame
      const r = regionAt(p.lo);
      if (r?.data === undefined || r.view === undefined) continue;
      const from = p.lo - r.lo;
      const to = Math.min(p.hi, r.hi) - r.lo;
      if (r.exec) {
        if (code && round === 0) scanCode(r, from, to, codec, (at, loads) => target(at, p.owner, loads));
      } else scanPointers(r, from, to, codec, (at) => target(at, p.owner, false));
    }
    if (refs.length === 0) break;
    const found = extents(refs, memory, sized, regionAt);
    shared += found.shared;
    const added = claim(memory.claimed, found.pieces);
    total += added.length;
    memory.claimed = merge(memory.claimed, added);
    fresh = added;
  }
  return { pieces: total, shared, code };
}

/**
 * For each address referenced (several files: the lowest owner, the earliest unit), how far the
 * reference reaches. Sorted once; each string is read up to the next reference at most, so the
 * reading is linear in the data.
 */
function extents(refs: Reference[], memory: Space, sized: readonly Sized[], regionAt: (at: number) => Region | undefined): { pieces: Piece[]; shared: number } {
  refs.sort((a, b) => a.at - b.at || a.owner - b.owner);
  const pieces: Piece[] = [];
  let shared = 0;
  const claimed = memory.claimed;
  let c = 0; // the first claimed piece ending after the current address
  let b = 0; // the first barrier after the current address
  let s = 0; // the first sized symbol starting after the current address
  const barriers = memory.barriers;
  for (let i = 0; i < refs.length;) {
    const { at, owner } = refs[i] as Reference;
    let many = false;
    let loads = (refs[i] as Reference).loads;
    let j = i + 1;
    for (; j < refs.length && (refs[j] as Reference).at === at; j++) {
      if ((refs[j] as Reference).owner !== owner) many = true;
      loads ||= (refs[j] as Reference).loads;
    }
    const next = refs[j]?.at ?? Infinity;
    i = j;
    const region = regionAt(at) as Region;
    while (c < claimed.length && (claimed[c] as Piece).hi <= at) c++;
    while (b < barriers.length && (barriers[b] as number) <= at) b++;
    while (s < sized.length && (sized[s] as Sized).lo <= at) s++;
    // The object around it: the symbols starting at or before it, the nearest few (aliases, nesting).
    let around: Sized | undefined;
    for (let k = s - 1; k >= 0 && k >= s - 4; k--) {
      const sym = sized[k] as Sized;
      if (sym.hi > at) {
        around = sym;
        break;
      }
    }
    const stop = Math.min(next, barriers[b] ?? Infinity, (claimed[c] as Piece | undefined)?.lo ?? Infinity, region.hi);
    let lo = at;
    let hi: number;
    if (around !== undefined) [lo, hi] = [around.lo, around.hi];
    else hi = (loads ? undefined : stringEnd(region, at, stop)) ?? (at === region.lo && !region.main ? at : stop);
    if (hi <= lo) continue;
    pieces.push({ lo, hi, owner, kind: 'reference' });
    if (many) shared += hi - lo;
  }
  return { pieces, shared };
}

/** The end (past its NUL) of the string at `at`, when the bytes there read as text ending before `stop`; undefined otherwise. */
function stringEnd(region: Region, at: number, stop: number): number | undefined {
  if (region.writable || region.data === undefined) return undefined;
  const data = region.data;
  const end = Math.min(stop, region.hi, at + MAX_STRING) - region.lo;
  for (let k = at - region.lo; k < end; k++) {
    const ch = data[k] as number;
    if (ch === 0) return region.lo + k + 1;
    if (ch < 0x20 && ch !== 0x09 && ch !== 0x0a && ch !== 0x0d && ch !== 0x1b) return undefined;
    if (ch === 0x7f) return undefined;
  }
  return undefined;
}

/** 8-byte aligned words of [from, to) (offsets in the region) that are addresses. */
function scanPointers(r: Region, from: number, to: number, codec: Codec, found: (at: number) => void): void {
  const view = r.view as DataView;
  const first = from + ((8 - ((r.lo + from) % 8)) % 8);
  for (let k = first; k + 8 <= to; k += 8) {
    const at = decode(codec, view.getUint32(k, true), view.getUint32(k + 4, true));
    if (!Number.isNaN(at)) found(at);
  }
}

// One-byte opcodes that take a ModRM, with the immediate bytes after their operand (-1: none
// taken, the opcode is not tried). Arithmetic (01..3b), test/xchg/mov (84..8d), movsxd (63),
// imul (69, 6b), group 1 (80, 81, 83), mov imm (c6, c7), group 3 (f6, f7: only /0 test takes
// an immediate; the others are still right without it), group 5 (ff: inc, dec, call, jmp, push).
const ONE_BYTE = new Int8Array(256).fill(-1);
for (const op of [0x01, 0x03, 0x09, 0x0b, 0x11, 0x13, 0x19, 0x1b, 0x21, 0x23, 0x29, 0x2b, 0x31, 0x33, 0x39, 0x3b]) ONE_BYTE[op] = 0;
for (const op of [0x02, 0x0a, 0x22, 0x2a, 0x32, 0x38, 0x3a]) ONE_BYTE[op] = 0; // byte forms; 00 (add to memory) left out: zero fill
for (const op of [0x63, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8d, 0xff]) ONE_BYTE[op] = 0;
ONE_BYTE[0x69] = 4;
ONE_BYTE[0x6b] = 1;
ONE_BYTE[0x80] = 1;
ONE_BYTE[0x81] = 4;
ONE_BYTE[0x83] = 1;
ONE_BYTE[0xc6] = 1;
ONE_BYTE[0xc7] = 4;

// Two-byte opcodes (0f xx) that take a ModRM and no immediate: SSE moves and arithmetic
// (10-17, 28-2f, 51-5f, 6e, 6f, 7e, 7f, d6, db, df, eb, ef, fe, d4), cmovcc (40-4f), prefetch
// (18), imul (af), movzx/movsx (b6, b7, be, bf).
const TWO_BYTE = new Int8Array(256).fill(-1);
for (let op = 0x10; op <= 0x17; op++) TWO_BYTE[op] = 0;
for (let op = 0x28; op <= 0x2f; op++) TWO_BYTE[op] = 0;
for (let op = 0x40; op <= 0x4f; op++) TWO_BYTE[op] = 0;
for (let op = 0x51; op <= 0x5f; op++) TWO_BYTE[op] = 0;
for (const op of [0x18, 0x6e, 0x6f, 0x7e, 0x7f, 0xaf, 0xb6, 0xb7, 0xbe, 0xbf, 0xd4, 0xd6, 0xdb, 0xdf, 0xeb, 0xef, 0xfe]) TWO_BYTE[op] = 0;

/** A disp32 or imm32 as the CPU sign-extends it to 64 bits, as a number (see Codec). */
function signExtended(codec: Codec, v: number): number {
  return decode(codec, v >>> 0, v < 0 ? 0xffffffff : 0);
}

/**
 * The instruction forms above, tried at every byte of [from, to) of an executable region; each
 * address they name is passed to `found`. When one names a data section, the instruction is
 * taken as real and the scan resumes after it: its displacement and immediate bytes are not
 * tried again as instructions of their own (the usual source of stray matches). Reads stay
 * inside the region; at most a constant number of reads per byte.
 */
function scanCode(r: Region, from: number, to: number, codec: Codec, found: (at: number, loads: boolean) => boolean): void {
  const data = r.data as Uint8Array;
  const view = r.view as DataView;
  const size = data.length;
  const i32 = (k: number): number | undefined => (k + 4 <= size ? view.getInt32(k, true) : undefined);
  for (let k = from; k < to; k++) {
    const op = data[k] as number;
    // mov $imm32, %r32 (b8+r); with REX.W before it, movabs $imm64.
    if (op >= 0xb8 && op <= 0xbf) {
      const rex = k > from ? (data[k - 1] as number) : 0;
      if ((rex & 0xf8) === 0x48 && k + 9 <= size) {
        if (found(decode(codec, view.getUint32(k + 1, true), view.getUint32(k + 5, true)), false)) k += 8;
      } else if (k + 5 <= size && found(view.getUint32(k + 1, true), false)) k += 4;
      continue;
    }
    if (op === 0x68) {
      const v = i32(k + 1);
      if (v !== undefined && found(signExtended(codec, v), false)) k += 4;
      continue;
    }
    let modrm: number;
    let imm: number;
    if (op === 0x0f) {
      if (k + 2 >= size) continue;
      imm = TWO_BYTE[data[k + 1] as number] as number;
      modrm = k + 2;
    } else {
      imm = ONE_BYTE[op] as number;
      modrm = k + 1;
    }
    if (imm < 0 || modrm >= size) continue;
    const m = data[modrm] as number;
    const loads = op !== 0x8d; // lea takes the address; every other form here reads or writes memory there
    const mod = m >> 6;
    const rm = m & 7;
    // Where the displacement is, and the operand's length after the ModRM.
    let disp = -1;
    let after = 0;
    let named = false;
    if (mod === 0 && rm === 5) {
      disp = modrm + 1;
      after = 4;
      const v = i32(disp);
      // RIP-relative: from the next instruction. In 32-bit code (a kernel's boot path) the same bytes are an absolute address, tried below.
      if (v !== undefined) named = found(r.lo + disp + 4 + imm + v, loads);
    } else if (rm === 4 && mod !== 3) {
      if (modrm + 1 >= size) continue;
      const base = (data[modrm + 1] as number) & 7;
      if (mod === 0 && base === 5) [disp, after] = [modrm + 2, 5];
      else if (mod === 2) [disp, after] = [modrm + 2, 5];
      else after = mod === 1 ? 2 : 1;
    } else if (mod === 2) [disp, after] = [modrm + 1, 4];
    else after = mod === 1 ? 1 : 0;
    if (disp >= 0) {
      const v = i32(disp);
      if (v !== undefined && found(signExtended(codec, v), loads)) named = true;
    }
    // movq $imm32 (c7 /0), the immediate an address in non-PIC code (a vtable stored in a constructor).
    if (op === 0xc7 && ((m >> 3) & 7) === 0) {
      const v = i32(modrm + 1 + after);
      if (v !== undefined && found(signExtended(codec, v), false)) named = true;
    }
    if (named) k = Math.min(modrm + after + imm, to);
  }
}
