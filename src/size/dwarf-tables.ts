// Tables of code pointers follow the code they point to: .init_array-like arrays entry by
// entry, .eh_frame record by record (each FDE names its function; its exception table in
// .gcc_except_table starts where it points), .eh_frame_hdr's search table entry by entry.
// Each record is read once: linear in the sections. A malformed record spoils only itself.

import type { ElfLayout, ElfSectionHeader } from '../symbols/elf.js';
import { BadDwarf, Cursor, decodeBig, hex, SHF_ALLOC, SHF_TLS, SHT_NOBITS, sectionOf, TWO32, type Codec, type Section } from './dwarf-cursor.js';
import { ownerAt, type Piece, type Space } from './dwarf-pieces.js';

/** The bytes of an allocated section with contents, with its address. */
export interface Loaded {
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
export function pointerTablePieces(bytes: Uint8Array, layout: ElfLayout, codec: Codec, memory: Space, notes: string[]): Piece[] {
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
