// Reads what `osvconf symbols` needs from an ELF64 little-endian executable or shared object
// (x86-64 or aarch64): the dynamic symbols it imports and defines, with their GNU version
// names. Pure and defensive: every offset and count is checked against the file's size before
// it is used, so a truncated or corrupt file is an error value naming the problem, never a
// crash or a hang.

import { fail, ok, type Result } from '../core/result.js';

/** e_machine -> OSv's arch name, from the data (conf/osvconf.json's elf_machine). */
export type Machines = ReadonlyMap<number, string>;

/** Names of other machines, only to say what a file is built for. */
const MACHINE_NAMES: Readonly<Record<number, string>> = {
  3: 'x86 (EM_386)',
  40: 'ARM 32-bit (EM_ARM)',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
};

const SHT_STRTAB = 3;
const SHT_DYNSYM = 11;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
const SYM_SIZE = 24;
const SHDR_SIZE = 64;

export interface ElfSymbol {
  readonly name: string;
  /** The GNU version it needs (imports) or defines, when the file says. */
  readonly version?: string;
  readonly weak: boolean;
}

export interface ElfInfo {
  readonly arch: string;
  readonly kind: 'executable' | 'position-independent executable' | 'shared object';
  /** Global and weak symbols the file needs from elsewhere. */
  readonly imports: readonly ElfSymbol[];
  /** Global and weak symbols it provides to others. */
  readonly exports: readonly string[];
  /** False for a file without a dynamic symbol table (statically linked). */
  readonly dynamic: boolean;
}

interface Section {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly entsize: number;
}

/** Thrown inside the readers, turned into an error value at their edge (size/dwarf.ts throws it too, through stringTable). */
export class Corrupt extends Error {}

/**
 * e_shstrndx, the section holding section names: with more than 0xff00 sections it is SHN_XINDEX
 * and the index is in section 0's sh_link. 0 (SHN_UNDEF) means no names; an index past the table is corrupt.
 */
function namesIndex(field: number, section0Link: number, count: number): number {
  const index = field === 0xffff ? section0Link : field;
  if (index !== 0 && index >= count) throw new Corrupt(`the section name table is section ${index}, past the ${count} sections`);
  return index === 0 ? -1 : index;
}

/** A symbol or version name longer than this is corrupt input (long C++ names stay below). */
export const MAX_NAME_BYTES = 64 * 1024;

/**
 * Names from a string table, each offset decoded once, every search bounded by the table and by
 * MAX_NAME_BYTES, and all searches together by a budget of a few times the table's size (names
 * may share suffixes, a little): a table without NULs, or many symbols naming long strings at
 * different offsets, costs linear time and memory, not (symbols x table size).
 */
export function stringTable(
  bytes: Uint8Array,
  table: { readonly offset: number; readonly size: number },
  strict: boolean,
): (offset: number, what: string) => string {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const cache = new Map<number, string>();
  let budget = 4 * table.size + 1024 * 1024;
  return (offset, what) => {
    const hit = cache.get(offset);
    if (hit !== undefined) return hit;
    if (offset >= table.size) {
      if (strict) throw new Corrupt(`${what}: name offset ${offset} is outside its string table (${table.size} bytes)`);
      return '';
    }
    const start = table.offset + offset;
    const limit = Math.min(table.offset + table.size, start + MAX_NAME_BYTES + 1);
    const end = bytes.subarray(start, limit).indexOf(0);
    budget -= end < 0 ? limit - start : end + 1;
    if (budget < 0) throw new Corrupt(`${what}: the names overlap far more than a linker writes them (a crafted string table)`);
    if (end < 0) {
      if (limit - start > MAX_NAME_BYTES) throw new Corrupt(`${what}: the name at ${offset} is longer than ${MAX_NAME_BYTES} bytes`);
      if (strict) throw new Corrupt(`${what}: name at ${offset} runs past the end of its string table`);
    }
    const name = decoder.decode(bytes.subarray(start, end < 0 ? limit : start + end));
    cache.set(offset, name);
    return name;
  };
}

export function readElf(bytes: Uint8Array, file: string, machines: Machines): Result<ElfInfo> {
  const bad = (what: string): Result<ElfInfo> => fail(`${file}: ${what}`, 'give the ELF files of the app as built for OSv (64-bit, little-endian)');
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return bad('not an ELF file');
  if (bytes.length < 64) return bad(`truncated: ${bytes.length} bytes, an ELF64 header alone needs 64`);
  if (bytes[4] === 1) return bad('a 32-bit ELF file (ELFCLASS32): OSv runs 64-bit programs only');
  if (bytes[4] !== 2) return bad(`unknown ELF class ${bytes[4]}`);
  if (bytes[5] === 2) return bad('a big-endian ELF file: OSv runs on little-endian x86-64 and aarch64 only');
  if (bytes[5] !== 1) return bad(`unknown ELF data encoding ${bytes[5]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number, what: string): number => {
    const v = view.getBigUint64(at, true);
    if (v > BigInt(bytes.length)) throw new Corrupt(`${what} (${v}) points past the end of the file (${bytes.length} bytes)`);
    return Number(v);
  };

  const type = u16(16);
  if (type === 1) return bad('a relocatable object (.o), not a linked program or shared library');
  if (type === 4) return bad('a core dump, not a program');
  if (type !== 2 && type !== 3) return bad(`unknown ELF type ${type}`);
  const machine = u16(18);
  const arch = machines.get(machine);
  if (arch === undefined)
    return bad(
      `built for ${Object.hasOwn(MACHINE_NAMES, machine) ? MACHINE_NAMES[machine] : `machine ${machine}`}, not an arch OSv builds for (${[...machines.values()].join(', ')})`,
    );

  try {
    // An ET_DYN file that asks for a program interpreter is a PIE, not a library.
    const phoff = u64(32, 'the program header table offset');
    const phnum = u16(56);
    let interp = false;
    if (phoff !== 0 && phnum > 0) {
      if (u16(54) !== 56) throw new Corrupt(`program header entries are ${u16(54)} bytes, ELF64 has 56`);
      if (phoff + phnum * 56 > bytes.length) throw new Corrupt(`${phnum} program headers at ${phoff} run past the end of the file (${bytes.length} bytes)`);
      for (let i = 0; i < phnum; i++) if (u32(phoff + i * 56) === 3 /* PT_INTERP */) interp = true;
    }
    const kind = type === 2 ? 'executable' : interp ? 'position-independent executable' : 'shared object';
    const shoff = u64(40, 'the section header table offset');
    const shentsize = u16(58);
    let shnum = u16(60);
    if (shoff === 0) return ok({ arch, kind, imports: [], exports: [], dynamic: false });
    if (shentsize !== SHDR_SIZE) throw new Corrupt(`section header entries are ${shentsize} bytes, ELF64 has ${SHDR_SIZE}`);
    if (shoff + SHDR_SIZE > bytes.length) throw new Corrupt(`the section header table at ${shoff} runs past the end of the file (${bytes.length} bytes)`);
    // Extended numbering: more than 0xff00 sections keep their count in section 0.
    if (shnum === 0) shnum = u64(shoff + 32, 'the extended section count');
    if (shnum === 0) throw new Corrupt('the section header table has no entries (and no extended count in section 0)');
    if (shoff + shnum * SHDR_SIZE > bytes.length)
      throw new Corrupt(`${shnum} section headers at ${shoff} run past the end of the file (${bytes.length} bytes)`);

    const section = (i: number): Section => {
      const at = shoff + i * SHDR_SIZE;
      const type = u32(at + 4);
      // SHT_NOBITS (.bss) takes no room in the file: its size may exceed the file's.
      if (type === 8) return { type, offset: 0, size: 0, link: u32(at + 40), entsize: 0 };
      const s = {
        type,
        offset: u64(at + 24, `section ${i}'s offset`),
        size: u64(at + 32, `section ${i}'s size`),
        link: u32(at + 40),
        entsize: Number(view.getBigUint64(at + 56, true) & 0xffffn),
      };
      if (s.offset + s.size > bytes.length)
        throw new Corrupt(`section ${i} (offset ${s.offset}, size ${s.size}) runs past the end of the file (${bytes.length} bytes)`);
      return s;
    };
    const sections: Section[] = [];
    for (let i = 0; i < shnum; i++) sections.push(section(i));
    const dynsymIndex = sections.findIndex((s) => s.type === SHT_DYNSYM);
    if (dynsymIndex < 0) return ok({ arch, kind, imports: [], exports: [], dynamic: false });
    const dynsym = sections[dynsymIndex] as Section;
    if (dynsym.entsize !== SYM_SIZE) throw new Corrupt(`.dynsym entries are ${dynsym.entsize} bytes, ELF64 has ${SYM_SIZE}`);
    const strtab = sections[dynsym.link];
    if (strtab === undefined || strtab.type !== SHT_STRTAB) throw new Corrupt(`.dynsym links to section ${dynsym.link}, which is not a string table`);

    const symbolName = stringTable(bytes, strtab, true);

    // GNU symbol versioning: .gnu.version holds a version index per dynamic symbol; the names
    // of imported versions live in .gnu.version_r.
    const versionNames = new Map<number, string>();
    const verneed = sections.find((s) => s.type === SHT_GNU_VERNEED);
    if (verneed !== undefined && verneed.size > 0) {
      const names = sections[verneed.link];
      if (names === undefined || names.type !== SHT_STRTAB) throw new Corrupt('.gnu.version_r does not link to a string table');
      const versionName = stringTable(bytes, names, true);
      let at = verneed.offset;
      // Every entry, needed file or version, takes 16 bytes of the section: a walk of more steps
      // than fit reuses entries (a loop, or counts that lie) and is refused. Linear in the section.
      let budget = verneed.size / 16 + 1;
      const spend = (): void => {
        if (--budget < 0) throw new Corrupt('.gnu.version_r has more entries than fit in its section (a loop, or counts that lie)');
      };
      for (;;) {
        spend();
        if (at + 16 > verneed.offset + verneed.size) throw new Corrupt('.gnu.version_r runs past its section');
        const count = u16(at + 2);
        let aux = at + u32(at + 8);
        for (let k = 0; k < count; k++) {
          spend();
          if (aux + 16 > verneed.offset + verneed.size || aux < verneed.offset) throw new Corrupt('.gnu.version_r entry runs past its section');
          versionNames.set(u16(aux + 6) & 0x7fff, versionName(u32(aux + 8), 'a version name'));
          const next = u32(aux + 12);
          if (next === 0) break;
          aux += next;
        }
        const next = u32(at + 12);
        if (next === 0) break;
        at += next;
      }
    }
    const versym = sections.find((s) => s.type === SHT_GNU_VERSYM);

    const imports: ElfSymbol[] = [];
    const exports: string[] = [];
    const count = dynsym.size / SYM_SIZE;
    for (let i = 1; i < count; i++) {
      const at = dynsym.offset + i * SYM_SIZE;
      const binding = (bytes[at + 4] as number) >> 4;
      if (binding !== 1 && binding !== 2) continue; // local or OS-specific: not linked against
      const name = symbolName(u32(at), `dynamic symbol ${i}`);
      if (name === '') continue;
      const shndx = u16(at + 6);
      if (shndx !== 0) {
        exports.push(name);
        continue;
      }
      let version: string | undefined;
      if (versym !== undefined && versym.offset + (i + 1) * 2 <= versym.offset + versym.size) version = versionNames.get(u16(versym.offset + i * 2) & 0x7fff);
      imports.push({ name, weak: binding === 2, ...(version === undefined ? {} : { version }) });
    }
    return ok({ arch, kind, imports, exports, dynamic: true });
  } catch (e) {
    if (e instanceof Corrupt) return bad(`corrupt ELF file: ${e.message}`);
    if (e instanceof RangeError) return bad(`corrupt ELF file: a read past the end of the file (${e.message})`);
    throw e;
  }
}

export interface ElfSectionSize {
  readonly name: string;
  readonly size: number;
  /** Occupies memory at run time (SHF_ALLOC); .bss takes no file space. */
  readonly alloc: boolean;
  readonly nobits: boolean;
}

export interface ElfSized {
  readonly arch: string;
  readonly fileSize: number;
  readonly sections: readonly ElfSectionSize[];
  /** Function and object symbols with their sizes (.symtab, else .dynsym). */
  readonly symbols: readonly { readonly name: string; readonly size: number }[];
  readonly symbolTable: '.symtab' | '.dynsym' | 'none';
}

/** Section sizes and symbol sizes, for measuring a kernel ELF (osvconf size --elf). */
export function readElfSizes(bytes: Uint8Array, file: string, machines: Machines): Result<ElfSized> {
  const header = readElf(bytes, file, machines);
  if (!header.ok) return header;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => {
    const v = view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Corrupt(`a 64-bit field at ${at} is too large`);
    return Number(v);
  };
  try {
    const shoff = u64(40);
    if (shoff === 0) return ok({ arch: header.value.arch, fileSize: bytes.length, sections: [], symbols: [], symbolTable: 'none' });
    const shnum = u16(60) === 0 ? u64(shoff + 32) : u16(60); // readElf checked the table fits
    const raw = Array.from({ length: shnum }, (_, i) => {
      const at = shoff + i * SHDR_SIZE;
      return { nameAt: u32(at), type: u32(at + 4), flags: u64(at + 8), offset: u64(at + 24), size: u64(at + 32), link: u32(at + 40), entsize: u64(at + 56) };
    });
    const shstr = raw[namesIndex(u16(62), raw[0]?.link ?? 0, raw.length)];
    const sectionName = shstr === undefined || shstr.offset + shstr.size > bytes.length ? undefined : stringTable(bytes, shstr, false);
    const sections = raw.slice(1).map((s) => ({
      name: sectionName === undefined ? '' : sectionName(s.nameAt, 'a section name'),
      size: s.size,
      alloc: (s.flags & 2) !== 0,
      nobits: s.type === 8,
    }));
    const symtab = raw.find((s) => s.type === 2) ?? raw.find((s) => s.type === SHT_DYNSYM);
    const symbols: { name: string; size: number }[] = [];
    if (symtab !== undefined) {
      if (symtab.entsize !== SYM_SIZE) throw new Corrupt(`symbol entries are ${symtab.entsize} bytes, ELF64 has ${SYM_SIZE}`);
      if (symtab.offset + symtab.size > bytes.length) throw new Corrupt('the symbol table runs past the end of the file');
      const strtab = raw[symtab.link];
      if (strtab === undefined || strtab.type !== SHT_STRTAB || strtab.offset + strtab.size > bytes.length)
        throw new Corrupt('the symbol table does not link to a string table inside the file');
      const symbolName = stringTable(bytes, strtab, false);
      for (let i = 1; i < symtab.size / SYM_SIZE; i++) {
        const at = symtab.offset + i * SYM_SIZE;
        const type = (bytes[at + 4] as number) & 0xf;
        if (type !== 1 && type !== 2) continue; // OBJECT or FUNC
        const size = u64(at + 16);
        if (size === 0 || u16(at + 6) === 0) continue;
        symbols.push({ name: symbolName(u32(at), `symbol ${i}`), size });
      }
    }
    return ok({
      arch: header.value.arch,
      fileSize: bytes.length,
      sections,
      symbols,
      symbolTable: symtab === undefined ? 'none' : symtab.type === 2 ? '.symtab' : '.dynsym',
    });
  } catch (e) {
    if (e instanceof Corrupt || e instanceof RangeError) return fail(`${file}: corrupt ELF file: ${e.message}`);
    throw e;
  }
}

// Addresses and extents, for attributing a kernel's bytes to source files (size/dwarf.ts).

export interface ElfSectionHeader {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  /** SHF_* flags, the low 32 bits: SHF_ALLOC 0x2, SHF_EXECINSTR 0x4, SHF_TLS 0x400, SHF_COMPRESSED 0x800. */
  readonly flags: number;
  /** Where it sits in memory: a bigint, since a kernel may be linked above 2^53 (the high half). */
  readonly addr: bigint;
  /** Where it sits in the file; 0 for SHT_NOBITS, whose size may exceed the file's. */
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly entsize: number;
}

export interface ElfAddressedSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size: number;
  /** STT_*: 0 notype, 1 object, 2 func, 6 tls. */
  readonly type: number;
  readonly local: boolean;
  readonly shndx: number;
  /** For a local symbol: the STT_FILE name before it, the source file the linker took it from. */
  readonly file?: string;
  /** The index of that STT_FILE symbol: two input files may share a name. */
  readonly fileIndex?: number;
}

export interface ElfLayout {
  /** ET_*: 2 executable, 3 shared object or PIE. */
  readonly type: number;
  readonly sections: readonly ElfSectionHeader[];
  /** Defined symbols (.symtab, else .dynsym) in table order: functions, objects and TLS of any size, others with a size or an STT_FILE. */
  readonly symbols: readonly ElfAddressedSymbol[];
}

/** Every section with its address and flags, and every sized symbol with its address: any ELF64 little-endian file, any machine. */
export function readElfLayout(bytes: Uint8Array, file: string): Result<ElfLayout> {
  const bad = (what: string): Result<ElfLayout> => fail(`${file}: ${what}`, 'give an ELF64 little-endian file (the kernel as built, e.g. loader.elf)');
  if (bytes.length < 64 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return bad('not an ELF64 file');
  if (bytes[4] !== 2 || bytes[5] !== 1) return bad('not a 64-bit little-endian ELF file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number, what: string): number => {
    const v = view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Corrupt(`${what} (${v}) is too large`);
    return Number(v);
  };
  try {
    const shoff = u64(40, 'the section header table offset');
    if (shoff === 0) return ok({ type: u16(16), sections: [], symbols: [] });
    if (u16(58) !== SHDR_SIZE) throw new Corrupt(`section header entries are ${u16(58)} bytes, ELF64 has ${SHDR_SIZE}`);
    if (shoff + SHDR_SIZE > bytes.length) throw new Corrupt(`the section header table at ${shoff} runs past the end of the file (${bytes.length} bytes)`);
    const shnum = u16(60) === 0 ? u64(shoff + 32, 'the extended section count') : u16(60);
    if (shoff + shnum * SHDR_SIZE > bytes.length)
      throw new Corrupt(`${shnum} section headers at ${shoff} run past the end of the file (${bytes.length} bytes)`);
    const raw = Array.from({ length: shnum }, (_, i) => {
      const at = shoff + i * SHDR_SIZE;
      const type = u32(at + 4);
      const s = {
        index: i,
        nameAt: u32(at),
        type,
        flags: u32(at + 8),
        addr: view.getBigUint64(at + 16, true),
        offset: type === 8 ? 0 : u64(at + 24, `section ${i}'s offset`),
        size: u64(at + 32, `section ${i}'s size`),
        link: u32(at + 40),
        entsize: u64(at + 56, `section ${i}'s entry size`),
      };
      if (type !== 8 && s.offset + s.size > bytes.length)
        throw new Corrupt(`section ${i} (offset ${s.offset}, size ${s.size}) runs past the end of the file (${bytes.length} bytes)`);
      return s;
    });
    const shstr = raw[namesIndex(u16(62), raw[0]?.link ?? 0, raw.length)];
    const sectionName = shstr === undefined || shstr.type === 8 ? () => '' : stringTable(bytes, shstr, false);
    const sections = raw.map(({ nameAt, ...s }) => ({ ...s, name: sectionName(nameAt, `section ${s.index}'s name`) }));

    const symtab = sections.find((s) => s.type === 2) ?? sections.find((s) => s.type === SHT_DYNSYM);
    const symbols: ElfAddressedSymbol[] = [];
    if (symtab !== undefined) {
      if (symtab.entsize !== SYM_SIZE) throw new Corrupt(`symbol entries are ${symtab.entsize} bytes, ELF64 has ${SYM_SIZE}`);
      const strtab = sections[symtab.link];
      if (strtab === undefined || strtab.type !== SHT_STRTAB)
        throw new Corrupt(`the symbol table links to section ${symtab.link}, which is not a string table`);
      const symbolName = stringTable(bytes, strtab, false);
      let sourceFile: string | undefined;
      let sourceIndex = 0;
      for (let i = 1; i < Math.floor(symtab.size / SYM_SIZE); i++) {
        const at = symtab.offset + i * SYM_SIZE;
        const type = (bytes[at + 4] as number) & 0xf;
        const local = (bytes[at + 4] as number) >> 4 === 0;
        // The linker writes each input file's local symbols after an STT_FILE symbol naming it.
        if (type === 4) {
          sourceFile = local ? symbolName(u32(at), `symbol ${i}`) || undefined : undefined;
          sourceIndex = i;
        }
        const shndx = u16(at + 6);
        const size = u64(at + 16, `symbol ${i}'s size`);
        if (type === 3 || type === 4 || shndx === 0 || shndx >= 0xff00) continue; // sections, files, undefined, absolute, common
        // A label with no size is a point, not a thing: the linker's (_edata, __bss_start) are
        // dropped; an assembly file's own (local, after its STT_FILE: page tables in boot.S) kept.
        if (size === 0 && type !== 1 && type !== 2 && type !== 6 && !(local && sourceFile !== undefined)) continue;
        symbols.push({
          name: symbolName(u32(at), `symbol ${i}`),
          value: view.getBigUint64(at + 8, true),
          size,
          type,
          local,
          shndx,
          ...(local && sourceFile !== undefined ? { file: sourceFile, fileIndex: sourceIndex } : {}),
        });
      }
    }
    return ok({ type: u16(16), sections, symbols });
  } catch (e) {
    if (e instanceof Corrupt || e instanceof RangeError) return bad(`corrupt ELF file: ${e.message}`);
    throw e;
  }
}
