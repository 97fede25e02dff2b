// Pieces of address space claimed by source files, and the sweeps that combine them: claim
// (what is still free), paint (overlapping claims, the earliest unit wins), merge, lookups. All
// sorts and linear sweeps: O(n log n) in the pieces.

/**
 * How a piece was found. 'anchor': a point (a variable DWARF places but no symbol sizes) that
 * only lends its file to the gaps beside it. 'start': a point where something of unknown length
 * begins (an exception table an FDE points to): the bytes up to the next piece are its file's.
 * 'neighbour': a gap between two pieces of one file (padding, literal pools), counted apart.
 * 'reference': data a file's code or data points at (dwarf-references.ts), counted apart.
 */
export type Kind = 'dwarf' | 'file' | 'table' | 'anchor' | 'start' | 'neighbour' | 'reference';

export interface Piece {
  readonly lo: number;
  readonly hi: number;
  readonly owner: number;
  readonly kind: Kind;
}

/** Allocated sections in one coordinate space, sorted, not overlapping. */
export interface Placed {
  readonly index: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * Memory, and the TLS block: .tbss takes no memory of its own (its addresses overlap the
 * sections after it), so TLS sections and TLS symbols are placed by their offset in the block.
 */
export interface Space {
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

export class Owners {
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

export const byPosition = (a: Piece, b: Piece): number => a.lo - b.lo || a.hi - b.hi || a.owner - b.owner;

/**
 * The parts of `pieces` nobody has claimed yet, neither `taken` (sorted, disjoint) nor an
 * earlier piece: one sort, then a sweep over both lists together.
 */
export function claim(taken: readonly Piece[], pieces: Piece[]): Piece[] {
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
export function paint(pieces: Piece[]): Piece[] {
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
export function merge(a: readonly Piece[], b: readonly Piece[]): Piece[] {
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
export function ownerAt(claimed: readonly Piece[], at: number): number | undefined {
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

export const length = (pieces: readonly Piece[]): number => pieces.reduce((sum, p) => sum + (p.hi - p.lo), 0);

/** Each file's own overlapping pieces as one (a unit's ranges and its functions' overlap): what overlap is left is between files. */
export function coalescePerOwner(pieces: Piece[]): Piece[] {
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

/** Whether a symbol starts in the gap [from, to) after `prev` (a point's own symbol, at `from`, does not count). */
export function barrierIn(barriers: readonly number[], prev: Piece, from: number, to: number): boolean {
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
