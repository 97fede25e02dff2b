// Writes minimal ELF64 files with a dynamic symbol table and GNU version needs: enough for a
// symbol reader (readelf reads them too), for arches no compiler here targets, and as a base
// for corrupt variants. Sections: null, .dynstr, .dynsym, .gnu.version, .gnu.version_r, .shstrtab.

export interface WriterSymbol {
  readonly name: string;
  /** Undefined (imported) when absent. */
  readonly defined?: boolean;
  readonly weak?: boolean;
  /** An imported version, e.g. GLIBC_2.17 from libc.so.6. */
  readonly version?: string;
}

export function writeElf(opts: { machine: number; type?: 2 | 3; symbols: readonly WriterSymbol[]; library?: string }): Uint8Array {
  const strings: string[] = [''];
  const strOffset = new Map<string, number>([['', 0]]);
  let strSize = 1;
  const str = (s: string): number => {
    let at = strOffset.get(s);
    if (at === undefined) {
      at = strSize;
      strOffset.set(s, at);
      strings.push(s);
      strSize += Buffer.byteLength(s) + 1;
    }
    return at;
  };
  const versions = [...new Set(opts.symbols.flatMap((s) => (s.version === undefined ? [] : [s.version])))];
  const library = opts.library ?? 'libc.so.6';
  str(library);
  for (const s of opts.symbols) str(s.name);
  for (const v of versions) str(v);
  const dynstr = Buffer.concat(strings.map((s) => Buffer.from(s + '\0')));

  const dynsym = Buffer.alloc(24 * (opts.symbols.length + 1));
  const versym = Buffer.alloc(2 * (opts.symbols.length + 1));
  opts.symbols.forEach((s, i) => {
    const at = 24 * (i + 1);
    dynsym.writeUInt32LE(str(s.name), at);
    dynsym[at + 4] = ((s.weak === true ? 2 : 1) << 4) | 2; // binding << 4 | STT_FUNC
    dynsym.writeUInt16LE(s.defined === true ? 7 : 0, at + 6); // any section index but 0 means defined
    versym.writeUInt16LE(s.version === undefined ? 1 : 2 + versions.indexOf(s.version), 2 * (i + 1));
  });
  // One Verneed entry for the library with a Vernaux per version.
  const verneed = Buffer.alloc(versions.length === 0 ? 0 : 16 + 16 * versions.length);
  if (versions.length > 0) {
    verneed.writeUInt16LE(1, 0);
    verneed.writeUInt16LE(versions.length, 2);
    verneed.writeUInt32LE(str(library), 4);
    verneed.writeUInt32LE(16, 8);
    versions.forEach((v, k) => {
      const at = 16 + 16 * k;
      verneed.writeUInt16LE(2 + k, at + 6);
      verneed.writeUInt32LE(str(v), at + 8);
      verneed.writeUInt32LE(k + 1 < versions.length ? 16 : 0, at + 12);
    });
  }
  const shstr = Buffer.from('\0.dynstr\0.dynsym\0.gnu.version\0.gnu.version_r\0.shstrtab\0');
  const names = { dynstr: 1, dynsym: 9, versym: 17, verneed: 30, shstrtab: 45 };

  const parts = [dynstr, dynsym, versym, verneed, shstr];
  const offsets: number[] = [];
  let at = 64;
  for (const p of parts) {
    at = (at + 7) & ~7;
    offsets.push(at);
    at += p.length;
  }
  const shoff = (at + 7) & ~7;
  const out = Buffer.alloc(shoff + 64 * 6);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  out.writeUInt16LE(opts.type ?? 3, 16);
  out.writeUInt16LE(opts.machine, 18);
  out.writeUInt32LE(1, 20);
  out.writeBigUInt64LE(BigInt(shoff), 40);
  out.writeUInt16LE(64, 52); // e_ehsize
  out.writeUInt16LE(64, 58); // e_shentsize
  out.writeUInt16LE(6, 60); // e_shnum
  out.writeUInt16LE(5, 62); // e_shstrndx
  parts.forEach((p, i) => out.set(p, offsets[i] as number));
  const header = (i: number, name: number, type: number, offset: number, size: number, link: number, info: number, entsize: number): void => {
    const h = shoff + 64 * i;
    out.writeUInt32LE(name, h);
    out.writeUInt32LE(type, h + 4);
    out.writeBigUInt64LE(BigInt(offset), h + 24);
    out.writeBigUInt64LE(BigInt(size), h + 32);
    out.writeUInt32LE(link, h + 40);
    out.writeUInt32LE(info, h + 44);
    out.writeBigUInt64LE(1n, h + 48);
    out.writeBigUInt64LE(BigInt(entsize), h + 56);
  };
  header(1, names.dynstr, 3, offsets[0] as number, dynstr.length, 0, 0, 0);
  header(2, names.dynsym, 11, offsets[1] as number, dynsym.length, 1, 1, 24);
  header(3, names.versym, 0x6fffffff, offsets[2] as number, versym.length, 2, 0, 2);
  header(4, names.verneed, 0x6ffffffe, offsets[3] as number, verneed.length, 1, versions.length === 0 ? 0 : 1, 0);
  header(5, names.shstrtab, 3, offsets[4] as number, shstr.length, 0, 0, 0);
  return out;
}
