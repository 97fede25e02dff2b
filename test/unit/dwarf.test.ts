// size/dwarf.ts: attributing a kernel's bytes to source files from DWARF. Small programs built
// here with gcc, in every DWARF flavour it writes (versions 2 to 5, 32- and 64-bit DWARF,
// compressed sections, a kernel linked in the high half), must give each file at least the
// arrays it defines; crafted and corrupted files must end with an answer or a located error. A
// regression to quadratic work shows as a test hanging until vitest's deadline, not as a timed
// assertion.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeElf, attributeSections, elfAddress, readDwarfUnits, type Attribution, type DwarfUnits } from '../../src/size/dwarf.js';
import { readElfLayout, type ElfLayout } from '../../src/symbols/elf.js';

const hasGcc = spawnSync('gcc', ['--version']).status === 0;

// Known sizes: a.c 40000 bytes of .bss and 400 of .data; b.c 20000 of .rodata (and a local
// 80-byte string table); c.c 24000 of .bss, 512 of .data, 4 of .tdata and 256 of .tbss.
const SOURCES: Record<string, string> = {
  'a.c': `char big_a[40000];
int data_a[100] = {1, 2, 3};
extern int fb(int);
extern int fc(int);
extern void asm_fn(void);
extern char asm_data[];
static int helper_a(int x) { return x * 7 + big_a[x]; }
void _start(void) {
  asm_fn();
  volatile int r = helper_a(3) + fb(4) + fc(5) + data_a[2] + asm_data[1];
  (void)r;
  for (;;) {}
}
`,
  'b.c': `const int table_b[5000] = {1};
static const char name_b[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
int fb(int x) { static int calls; calls++; return table_b[x] + name_b[x] + calls; }
`,
  'c.c': `long zeros_c[3000];
double data_c[64] = {1.5};
__thread int tls_c = 7;
__thread char tbss_c[256];
int fc(int x) {
  switch (x) {
  case 0: return 3; case 1: return 9; case 2: return 12; case 3: return 44; case 4: return 99; case 5: return 1;
  default: return (int)data_c[x] + (int)zeros_c[x] + tls_c + tbss_c[x];
  }
}
`,
};

// An assembly file: gas describes its code in DWARF, not its data; its local labels (after its
// STT_FILE) mark 8008 bytes of .data as its own, by neighbour.
const ASSEMBLY = `  .text
  .globl asm_fn
  .type asm_fn, @function
asm_fn:
asm_local:
  ret
  .size asm_fn, .-asm_fn
  .data
  .globl asm_data
asm_data:
asm_a:
  .fill 4000, 1, 1
asm_b:
  .fill 4000, 1, 2
  .quad asm_a
asm_end:
`;

const FLAVOURS: Record<string, readonly string[]> = {
  'dwarf-2': ['-gdwarf-2'],
  'dwarf-3': ['-gdwarf-3'],
  'dwarf-4': ['-gdwarf-4'],
  'dwarf-5': ['-gdwarf-5'],
  'dwarf-4, 64-bit': ['-gdwarf-4', '-gdwarf64'],
  'dwarf-5, 64-bit': ['-gdwarf-5', '-gdwarf64'],
  'dwarf-5, function sections': ['-gdwarf-5', '-ffunction-sections', '-fdata-sections', '-Wl,--gc-sections'],
  'dwarf-5, high half': ['-gdwarf-5', '-mcmodel=kernel', '-Wl,-Ttext-segment=0xffffffff80000000'],
};

let dir = '';
const built = new Map<string, Uint8Array>();

function run(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

function program(flavour: string): Uint8Array {
  const bytes = built.get(flavour);
  if (bytes === undefined) throw new Error(`${flavour} was not built`);
  return new Uint8Array(bytes); // a copy: tests corrupt theirs
}

beforeAll(() => {
  if (!hasGcc) return;
  dir = mkdtempSync(join(tmpdir(), 'osvconf-dwarf-'));
  for (const [name, text] of Object.entries(SOURCES)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'd.S'), ASSEMBLY);
  const base = ['-g', '-O2', '-static', '-nostdlib', '-ffreestanding', '-fno-pie', '-no-pie', '-Wl,-z,noexecstack', 'a.c', 'b.c', 'c.c', 'd.S'];
  Object.entries(FLAVOURS).forEach(([flavour, flags], i) => {
    run('gcc', [...base, ...flags, '-o', `p${i}`]);
    built.set(flavour, new Uint8Array(readFileSync(join(dir, `p${i}`))));
  });
  run('objcopy', ['--compress-debug-sections=zlib', 'p3', 'p3z']);
  built.set('dwarf-5, zlib', new Uint8Array(readFileSync(join(dir, 'p3z'))));
  run('objcopy', ['--strip-debug', 'p3', 'p3s']);
  built.set('stripped', new Uint8Array(readFileSync(join(dir, 'p3s'))));
  run('objcopy', ['--remove-section=.debug_info', 'p3', 'p3n']);
  built.set('no .debug_info', new Uint8Array(readFileSync(join(dir, 'p3n'))));
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function layoutOf(bytes: Uint8Array): ElfLayout {
  const r = readElfLayout(bytes, 'prog');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function attributed(bytes: Uint8Array): { dwarf: DwarfUnits; attribution: Attribution } {
  const r = attributeElf(bytes, 'prog');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const bytesOf = (a: Attribution, file: string, section: string): number => a.files.find((f) => f.path === join(dir, file))?.sections.get(section) ?? 0;

describe.skipIf(!hasGcc)('DWARF from gcc', () => {
  for (const flavour of [...Object.keys(FLAVOURS), 'dwarf-5, zlib']) {
    it(`${flavour}: each file gets at least its arrays, and 98% of .text+.rodata+.data+.bss is attributed`, () => {
      const { dwarf, attribution: a } = attributed(program(flavour));
      expect(dwarf.debugInfo).toBe(true);
      expect(dwarf.units.map((u) => u.path).sort()).toEqual(['a.c', 'b.c', 'c.c', 'd.S'].map((f) => join(dir, f)));
      const version = /dwarf-(\d)/.exec(flavour)?.[1];
      expect(dwarf.versions).toEqual([Number(version)]);
      for (const u of dwarf.units) {
        expect(u.compDir).toBe(dir);
        expect(u.ranges.length).toBeGreaterThan(0);
      }

      expect(bytesOf(a, 'a.c', '.bss')).toBeGreaterThanOrEqual(40000);
      expect(bytesOf(a, 'a.c', '.data')).toBeGreaterThanOrEqual(400);
      expect(bytesOf(a, 'b.c', '.rodata')).toBeGreaterThanOrEqual(20000 + 80);
      expect(bytesOf(a, 'c.c', '.bss')).toBeGreaterThanOrEqual(24000);
      expect(bytesOf(a, 'c.c', '.data')).toBeGreaterThanOrEqual(512);
      expect(bytesOf(a, 'c.c', '.tdata')).toBe(4);
      expect(bytesOf(a, 'c.c', '.tbss')).toBe(256);
      for (const f of ['a.c', 'b.c', 'c.c', 'd.S']) expect(bytesOf(a, f, '.text')).toBeGreaterThan(0);
      expect(bytesOf(a, 'd.S', '.data')).toBe(8008);
      expect(a.files.find((f) => f.path === join(dir, 'd.S'))?.byNeighbour).toBe(8008);

      expect(a.main.exact + a.main.byNeighbour).toBeGreaterThanOrEqual(0.98 * a.main.size);
      expect(a.main.exactBy.dwarf).toBeGreaterThanOrEqual(40000 + 400 + 20000 + 24000 + 512);
      expect(a.contested).toBe(0);
      expect(a.notes).toEqual([]);
      // .eh_frame follows its functions.
      expect(a.other.exactBy.pointerTables).toBeGreaterThan(0);
    });
  }

  it('every byte is counted once: per section, the files plus the unattributed make its size', () => {
    const { attribution: a } = attributed(program('dwarf-5'));
    for (const s of a.sections) {
      const files = a.files.reduce((sum, f) => sum + (f.sections.get(s.name) ?? 0), 0);
      expect(files + s.unattributed).toBe(s.size);
      expect(s.exact + s.byNeighbour + s.byReference + s.unattributed).toBe(s.size);
      expect(s.unattributed).toBeGreaterThanOrEqual(0);
    }
    const totals = a.sections.filter((s) => s.main).reduce((sum, s) => sum + s.size, 0);
    expect(a.main.size).toBe(totals);
    expect(a.sections.filter((s) => s.main).map((s) => s.name)).toEqual(['.text', '.rodata', '.data', '.bss']);
    expect(a.files.map((f) => f.path)).toEqual(['a.c', 'c.c', 'b.c', 'd.S'].map((f) => join(dir, f))); // largest first
  });

  it("a local object DWARF does not describe (gcc's switch table CSWTCH) goes to its file through STT_FILE", () => {
    const layout = layoutOf(program('dwarf-5'));
    const cswtch = layout.symbols.find((s) => s.name.startsWith('CSWTCH'));
    expect(cswtch?.file).toBe('c.c');
    const { attribution: a } = attributed(program('dwarf-5'));
    expect(a.main.exactBy.fileSymbols).toBeGreaterThanOrEqual(cswtch?.size ?? 1);
    expect(bytesOf(a, 'c.c', '.rodata')).toBeGreaterThanOrEqual(cswtch?.size ?? 1);
  });

  it('split DWARF (-gsplit-dwarf): units are named by their .dwo files and their code is found; their variables are in the .dwo, so their data comes by reference', () => {
    run('gcc', [
      '-g',
      '-gdwarf-5',
      '-gsplit-dwarf',
      '-O2',
      '-static',
      '-nostdlib',
      '-ffreestanding',
      '-fno-pie',
      '-no-pie',
      'a.c',
      'b.c',
      'c.c',
      'd.S',
      '-o',
      'split',
    ]);
    const { dwarf, attribution: a } = attributed(new Uint8Array(readFileSync(join(dir, 'split'))));
    expect(dwarf.units.map((u) => u.path)).toEqual(expect.arrayContaining(['split-a.dwo', 'split-b.dwo', 'split-c.dwo'].map((f) => join(dir, f))));
    expect(bytesOf(a, 'split-a.dwo', '.text')).toBeGreaterThan(0);
    // big_a's DWARF variable is in the .dwo; _start's code loads its address.
    expect(bytesOf(a, 'split-a.dwo', '.bss')).toBeGreaterThanOrEqual(40000);
    expect(a.files.find((f) => f.path === join(dir, 'split-a.dwo'))?.exact).toBeLessThan(a.files.find((f) => f.path === join(dir, 'split-a.dwo'))?.total ?? 0);
    expect(a.main.byReference).toBeGreaterThanOrEqual(40000 + 20000 + 24000);
  });

  it('a kernel linked in the high half: addresses above 2^53 stay exact', () => {
    const bytes = program('dwarf-5, high half');
    const { dwarf } = attributed(bytes);
    const start = layoutOf(bytes).symbols.find((s) => s.name === '_start');
    const a = dwarf.units.find((u) => u.name === 'a.c');
    expect(start?.value).toBeGreaterThan(0xffffffff80000000n);
    expect(elfAddress(dwarf, a?.ranges[0]?.[0] ?? 0)).toBe(start?.value);
    expect(dwarf.addressBias).toBeGreaterThanOrEqual(0xffffffff80000000n);
  });

  it('the same answer whether the DWARF is compressed or not', () => {
    expect(attributed(program('dwarf-5, zlib')).attribution).toEqual(attributed(program('dwarf-5')).attribution);
  });

  it('a stripped copy (objcopy --strip-debug) says it has no DWARF, so the caller can fall back', () => {
    const bytes = program('stripped');
    const dwarf = readDwarfUnits(bytes, 'stripped');
    expect(dwarf.ok && dwarf.value).toMatchObject({ debugInfo: false, units: [] });
    // --strip-debug drops the STT_FILE symbols too: nothing is left to attribute by.
    const { attribution: a } = attributed(bytes);
    expect(a.main).toMatchObject({ exact: 0, byNeighbour: 0, unattributed: a.main.size });
    expect(a.files).toEqual([]);
  });

  it('without .debug_info but with STT_FILE symbols, local objects still go to their files', () => {
    const bytes = program('no .debug_info');
    expect(readDwarfUnits(bytes, 'nodebug')).toMatchObject({ ok: true, value: { debugInfo: false } });
    const { attribution: a } = attributed(bytes);
    expect(a.main.exactBy.dwarf).toBe(0);
    const rodata = (file: string): number | undefined => a.files.find((f) => f.path === file)?.sections.get('.rodata');
    expect(rodata('b.c')).toBe(80); // name_b
    expect(rodata('c.c')).toBe(24); // CSWTCH.2
  });
});

const hasGxx = hasGcc && spawnSync('g++', ['--version']).status === 0;

describe.skipIf(!hasGxx)('an inline function both units emit', () => {
  // ld keeps the first object's copy and points the other unit's DWARF at it too: both claim it.
  const p = `inline int shared_sq(int x) { volatile int y = x; return y * y + 17 * y - 3; }
int first(int x) { return shared_sq(x) + 1; }
int second(int x);
extern "C" void _start() { volatile int r = first(2) + second(3); for (;;) {} }
`;
  const q = `inline int shared_sq(int x) { volatile int y = x; return y * y + 17 * y - 3; }
int second(int x) { return shared_sq(x) + 2; }
`;
  for (const order of [
    ['p.cc', 'q.cc'],
    ['q.cc', 'p.cc'],
  ]) {
    it(`linked ${order.join(' then ')}: the copy goes to ${order[0]}, whose copy the linker kept; its bytes are counted as contested`, () => {
      writeFileSync(join(dir, 'p.cc'), p);
      writeFileSync(join(dir, 'q.cc'), q);
      const flags = ['-g', '-O0', '-static', '-nostdlib', '-ffreestanding', '-fno-pie', '-no-pie', '-fno-exceptions', '-fno-asynchronous-unwind-tables'];
      run('g++', [...flags, ...order, '-o', 'comdat']);
      const bytes = new Uint8Array(readFileSync(join(dir, 'comdat')));
      const layout = layoutOf(bytes);
      const size = (name: string): number => layout.symbols.find((s) => s.name === name)?.size ?? NaN;
      const shared = size('_Z9shared_sqi');
      const { attribution: a } = attributed(bytes);
      expect(a.contested).toBe(shared);
      const own = { 'p.cc': size('_Z5firsti') + size('_start'), 'q.cc': size('_Z6secondi') };
      const first = order[0] as keyof typeof own;
      const other = order[1] as keyof typeof own;
      expect(bytesOf(a, first, '.text')).toBeGreaterThanOrEqual(own[first] + shared);
      expect(bytesOf(a, other, '.text')).toBeLessThan(own[other] + shared);
    });
  }
});

describe.skipIf(!hasGxx)('by reference: data no DWARF variable or file symbol accounts for, to the file whose code or data points at it', () => {
  // s1.c and s2.c both return the same literal: -O2 puts it in a mergeable string section and
  // ld keeps one copy. s2.c also copies a 128-byte struct from a constant gcc emits without any
  // symbol (.LC0), and v.cc's constructor stores its class's vtable, which points to its
  // typeinfo, which points to its name: weak symbols DWARF has no variable for.
  const SHARED = 'a literal both files use, merged by the linker';
  const ONLY_S2 = 'a literal only s2.c uses';
  const sources: Record<string, string> = {
    's1.c': `extern const char *from_s2(void);
extern int lc_s2(int);
__attribute__((noinline)) const char *from_s1(void) { return "${SHARED}"; }
void _start(void) {
  volatile const char *p = from_s1();
  volatile const char *q = from_s2();
  volatile int r = lc_s2(3);
  (void)p; (void)q; (void)r;
  for (;;) {}
}
`,
    's2.c': `struct big { int v[32]; };
extern void consume(struct big *);
const char *from_s2(void) {
  static const char *volatile pick;
  pick = "${ONLY_S2}";
  return pick[0] == 'a' ? "${SHARED}" : pick;
}
int lc_s2(int i) {
  struct big b = {{11, 22, 33, 44, 55, 66, 77, 88, 99, 111, 122, 133, 144, 155, 166, 177, 188, 199, 211, 222, 233, 244, 255, 266, 277, 288, 299, 311, 322, 333, 344, 355}};
  consume(&b);
  return b.v[i];
}
void consume(struct big *b) { __asm__ volatile("" ::"r"(b) : "memory"); }
`,
    'v.cc': `inline void *operator new(unsigned long, void *p) noexcept { return p; }
struct Shape { Shape(); virtual int area() const; virtual int sides() const; int w = 3; };
Shape::Shape() {}
int Shape::area() const { return w * w; }
int Shape::sides() const { return 4; }
extern "C" int shape_area() { Shape *s = new (__builtin_alloca(sizeof(Shape))) Shape(); return s->area(); }
`,
    // What the typeinfo points to, from libstdc++ otherwise.
    'rt.c': 'void *_ZTVN10__cxxabiv117__class_type_infoE[4];\n',
  };
  const flags = [
    '-g',
    '-O2',
    '-static',
    '-nostdlib',
    '-ffreestanding',
    '-fno-pie',
    '-no-pie',
    '-Wl,-z,noexecstack',
    '-fno-exceptions',
    '-fno-asynchronous-unwind-tables',
  ];
  const file = (a: Attribution, name: string): Attribution['files'][number] | undefined => a.files.find((f) => f.path === join(dir, name));

  for (const [flavour, extra] of Object.entries({
    'non-PIC (absolute addresses)': [],
    'high half (-mcmodel=kernel)': ['-mcmodel=kernel', '-Wl,-Ttext-segment=0xffffffff80000000'],
  })) {
    it(`${flavour}: a merged literal to the first file using it, a constant without a symbol and a vtable with its typeinfo to theirs`, () => {
      for (const [name, text] of Object.entries(sources)) writeFileSync(join(dir, name), text);
      run('gcc', [...flags, ...extra, 's1.c', 's2.c', 'v.cc', 'rt.c', '-o', 'refs']);
      const bytes = new Uint8Array(readFileSync(join(dir, 'refs')));
      const symbols = layoutOf(bytes).symbols;
      const size = (name: string): number => symbols.find((s) => s.name === name)?.size ?? NaN;
      const { attribution: a } = attributed(bytes);

      // The shared literal: s1.c is linked first (and its unit is first), so it keeps it; counted as shared.
      expect(bytesOf(a, 's1.c', '.rodata')).toBe(SHARED.length + 1);
      expect(file(a, 's1.c')?.byReference).toBe(SHARED.length + 1);
      expect(a.sharedByReference).toBe(SHARED.length + 1);
      // s2.c: its own literal and the 128-byte constant (and the padding between them, by neighbour).
      expect(bytesOf(a, 's2.c', '.rodata')).toBeGreaterThanOrEqual(ONLY_S2.length + 1 + 128);
      expect(bytesOf(a, 's2.c', '.rodata')).toBeLessThan(ONLY_S2.length + 1 + 128 + 16);
      expect(file(a, 's2.c')?.byReference).toBeGreaterThanOrEqual(ONLY_S2.length + 1 + 128);
      // v.cc: the vtable (its constructor points 16 bytes in), its typeinfo and the typeinfo's name.
      const classData = size('_ZTV5Shape') + size('_ZTI5Shape') + size('_ZTS5Shape');
      expect(classData).toBeGreaterThan(0);
      expect(file(a, 'v.cc')?.byReference).toBeGreaterThanOrEqual(classData);
      expect(file(a, 'v.cc')?.byReference).toBeLessThan(classData + 16);

      expect(a.main.byReference).toBeGreaterThanOrEqual(SHARED.length + 1 + ONLY_S2.length + 1 + 128 + classData);
      expect(a.main.exact + a.main.byNeighbour + a.main.byReference + a.main.unattributed).toBe(a.main.size);
      const rodata = a.sections.find((s) => s.name === '.rodata');
      expect(rodata?.unattributed).toBeLessThan(16); // at most padding
      expect(a.notes).toEqual([]);
    });
  }

  it('without the file bytes (attributeSections without them), nothing is given by reference', () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'refs')));
    const r = readDwarfUnits(bytes, 'refs');
    const a = attributeSections(layoutOf(bytes), (r.ok && r.value) as DwarfUnits);
    expect(a.main.byReference).toBe(0);
    expect(a.sharedByReference).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Corrupted gcc output.

function section(bytes: Uint8Array, name: string): { offset: number; size: number; header: number } {
  const layout = layoutOf(bytes);
  const s = layout.sections.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no ${name}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = Number(view.getBigUint64(40, true)) + 64 * s.index;
  return { offset: s.offset, size: s.size, header };
}

function expectError(bytes: Uint8Array, pattern: RegExp): void {
  const r = readDwarfUnits(bytes, 'bad.elf');
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error.message).toMatch(pattern);
}

describe.skipIf(!hasGcc)('corrupted DWARF from gcc', () => {
  it('a .debug_info cut short: its first unit runs past the section', () => {
    const bytes = program('dwarf-5');
    const info = section(bytes, '.debug_info');
    new DataView(bytes.buffer).setBigUint64(info.header + 32, BigInt(info.size - 40), true);
    expectError(bytes, /bad\.elf: corrupt DWARF: \.debug_info: .*(past the end of the section|run past the end)/);
  });

  it('a file cut short: the section table is out of the file', () => {
    const bytes = program('dwarf-5');
    const info = section(bytes, '.debug_info');
    const r = readDwarfUnits(bytes.subarray(0, info.offset + 10), 'cut.elf');
    expect(!r.ok && r.error.message).toMatch(/cut\.elf: corrupt ELF file/);
  });

  it('a unit length pointing past the section', () => {
    const bytes = program('dwarf-4');
    const info = section(bytes, '.debug_info');
    new DataView(bytes.buffer).setUint32(info.offset, 0x7ffffff0, true);
    expectError(bytes, /the unit at 0x0 says it is 2147483632 bytes, past the end of the section/);
  });

  it('an abbreviation table offset outside .debug_abbrev', () => {
    const bytes = program('dwarf-4');
    const info = section(bytes, '.debug_info');
    new DataView(bytes.buffer).setUint32(info.offset + 6, 0x10000000, true);
    expectError(bytes, /abbreviation table offset 0x10000000 is outside \.debug_abbrev/);
  });

  it('a DWARF version this reader does not know', () => {
    const bytes = program('dwarf-4');
    new DataView(bytes.buffer).setUint16(section(bytes, '.debug_info').offset + 4, 7, true);
    expectError(bytes, /DWARF version 7/);
  });

  it('a compression header claiming far more than deflate can give', () => {
    const bytes = program('dwarf-5, zlib');
    const info = section(bytes, '.debug_info');
    new DataView(bytes.buffer).setBigUint64(info.offset + 8, 1n << 40n, true);
    expectError(bytes, /claims to inflate to 1099511627776 bytes/);
  });

  it('bytes flipped at random in every debug section: an answer or an error value, never a throw', () => {
    const clean = program('dwarf-5');
    const targets = ['.debug_info', '.debug_abbrev', '.debug_rnglists', '.debug_str', '.debug_line_str', '.debug_aranges', '.eh_frame'].map((n) =>
      section(clean, n),
    );
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let errors = 0;
    for (let round = 0; round < 400; round++) {
      const bytes = new Uint8Array(clean);
      const t = targets[round % targets.length] as { offset: number; size: number };
      for (let k = 0; k < 1 + random(4); k++) bytes[t.offset + random(t.size)] = random(256);
      const r = attributeElf(bytes, 'fuzz.elf');
      if (!r.ok) {
        errors++;
        expect(r.error.message).toMatch(/^fuzz\.elf: corrupt/);
      }
    }
    expect(errors).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Crafted files: a minimal ELF with hand-written DWARF.

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

const u16 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const u64 = (n: number): number[] => [...u32(n % 2 ** 32), ...u32(Math.floor(n / 2 ** 32))];

interface CraftedSection {
  readonly name: string;
  readonly data: Uint8Array | readonly number[];
  readonly flags?: number;
  readonly addr?: number;
  readonly type?: number;
  readonly size?: number;
}

/** An ELF64 executable with these sections (plus a null section and .shstrtab). */
function craftElf(sections: readonly CraftedSection[]): Uint8Array {
  const names = ['', ...sections.map((s) => s.name), '.shstrtab'];
  const shstr = Buffer.from(names.map((n) => `${n}\0`).join(''));
  const datas = [...sections.map((s) => Uint8Array.from(s.data)), new Uint8Array(shstr)];
  let at = 64;
  const offsets = datas.map((d) => {
    const o = at;
    at += d.length;
    return o;
  });
  const shoff = Math.ceil(at / 8) * 8;
  const out = new Uint8Array(shoff + 64 * names.length);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  const view = new DataView(out.buffer);
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, 62, true);
  view.setBigUint64(40, BigInt(shoff), true);
  view.setUint16(52, 64, true);
  view.setUint16(58, 64, true);
  view.setUint16(60, names.length, true);
  view.setUint16(62, names.length - 1, true);
  datas.forEach((d, i) => out.set(d, offsets[i] as number));
  let nameAt = 1;
  datas.forEach((d, i) => {
    const h = shoff + 64 * (i + 1);
    const s = sections[i];
    view.setUint32(h, nameAt, true);
    nameAt += Buffer.byteLength(names[i + 1] as string) + 1;
    view.setUint32(h + 4, s?.type ?? (s === undefined ? 3 : 1), true);
    view.setBigUint64(h + 8, BigInt(s?.flags ?? 0), true);
    view.setBigUint64(h + 16, BigInt(s?.addr ?? 0), true);
    view.setBigUint64(h + 24, BigInt(offsets[i] as number), true);
    view.setBigUint64(h + 32, BigInt(s?.size ?? d.length), true);
  });
  return out;
}

/** A DWARF 4 unit (32-bit) around these DIE bytes, its abbreviations at `abbrevOffset`. */
function unit4(dies: readonly number[] | Uint8Array, abbrevOffset = 0): Uint8Array {
  const out = new Uint8Array(11 + dies.length);
  out.set([...u32(7 + dies.length), ...u16(4), ...u32(abbrevOffset), 8], 0);
  out.set(dies, 11);
  return out;
}

const ALLOC_EXEC = 0x6;
const TAG_COMPILE_UNIT = 0x11;
const TAG_SUBPROGRAM = 0x2e;
const TAG_VARIABLE = 0x34;

/** Abbreviation 1: a compile unit named by an inline string, with children. */
const CU_ABBREV = [1, TAG_COMPILE_UNIT, 1, 0x03, 0x08, 0, 0];

describe('crafted DWARF', () => {
  it('DWARF 5 indexes: a name by strx before its base, low_pc and ranges by addrx and rnglistx, a variable by DW_OP_addrx', () => {
    const abbrev = [
      ...[1, TAG_COMPILE_UNIT, 1, 0x03, 0x25, 0x72, 0x17, 0x73, 0x17, 0x74, 0x17, 0x11, 0x29, 0x55, 0x23, 0, 0],
      ...[2, TAG_SUBPROGRAM, 0, 0x11, 0x2a, 0x12, 0x06, 0, 0],
      ...[3, TAG_VARIABLE, 0, 0x02, 0x18, 0, 0],
      0,
    ];
    const dies = [...[1, 0, ...u32(8), ...u32(8), ...u32(12), 0, 0], ...[2, ...u16(1), ...u32(0x30)], ...[3, 2, 0xa1, 2], 0];
    const unit = [...u32(8 + dies.length), ...u16(5), 1, 8, ...u32(0), ...dies];
    const strOffsets = [...u32(8), ...u16(5), 0, 0, ...u32(1)];
    const addrs = [...u32(28), ...u16(5), 8, 0, ...u64(0x500000), ...u64(0x500100), ...u64(0x600000)];
    const list = [4, 0, 0x40, 1, 0, 4, 0x80, 0x01, 0x90, 0x01, 7, ...u64(0x500200), 0x10, 0];
    const rnglists = [...u32(8 + 4 + list.length), ...u16(5), 8, 0, ...u32(1), ...u32(4), ...list];
    const bytes = craftElf([
      { name: '.debug_info', data: unit },
      { name: '.debug_abbrev', data: abbrev },
      { name: '.debug_str', data: [...Buffer.from('\0unit.c\0')] },
      { name: '.debug_str_offsets', data: strOffsets },
      { name: '.debug_addr', data: addrs },
      { name: '.debug_rnglists', data: rnglists },
    ]);
    const r = readDwarfUnits(bytes, 'v5.elf');
    expect(r.ok && r.value.units).toEqual([
      {
        offset: 0,
        version: 5,
        name: 'unit.c',
        compDir: '',
        path: 'unit.c',
        ranges: [
          [0x500000, 0x500040],
          [0x500080, 0x500090],
          [0x500100, 0x500130],
          [0x500200, 0x500210],
        ],
        variables: [0x600000],
        tlsVariables: [],
      },
    ]);
  });

  it('a tree a million DIEs deep (children declared everywhere, never closed): walked without a stack, every function found', () => {
    const n = 1_000_000;
    // Abbreviation 2: a subprogram with children, low_pc (addr) and high_pc (data1, a length).
    const abbrev = [...CU_ABBREV, 2, TAG_SUBPROGRAM, 1, 0x11, 0x01, 0x12, 0x0b, 0, 0, 0];
    const dies = new Uint8Array(4 + n * 10);
    dies.set([1, 0x6d, 0x2e, 0], 0); // the unit, "m."
    for (let i = 0; i < n; i++) dies.set([2, ...u64(0x401000 + 4 * i), 4], 4 + 10 * i);
    const bytes = craftElf([
      { name: '.text', data: [], type: 8, flags: ALLOC_EXEC, addr: 0x401000, size: 4 * n },
      { name: '.debug_info', data: unit4(dies) },
      { name: '.debug_abbrev', data: abbrev },
    ]);
    const r = readDwarfUnits(bytes, 'deep.elf');
    expect(r.ok && r.value.units.map((u) => [u.name, u.ranges])).toEqual([['m.', [[0x401000, 0x401000 + 4 * n]]]]);
    const a = attributeSections(layoutOf(bytes), (r.ok && r.value) as DwarfUnits);
    expect(a.sections[0]).toMatchObject({ name: '.text', exact: 4 * n, unattributed: 0 });
  });

  it('an abbreviation with a million zero-byte attributes, used by a million DIEs: each DIE costs one step', () => {
    const attrs = 1_000_000;
    const abbrev = [...CU_ABBREV, 2, TAG_VARIABLE, 1];
    for (let i = 0; i < attrs; i++) abbrev.push(0x3f, 0x19); // DW_AT_external, DW_FORM_flag_present
    abbrev.push(0, 0, 0);
    const dies = new Uint8Array(3 + 1_000_000).fill(2);
    dies.set([1, 0x6d, 0], 0);
    const bytes = craftElf([
      { name: '.debug_info', data: unit4(dies) },
      { name: '.debug_abbrev', data: abbrev },
    ]);
    const r = readDwarfUnits(bytes, 'wide.elf');
    expect(r.ok && r.value.units.length).toBe(1);
  });

  it('a variable abbreviation with a million zero-byte attributes between byte-taking ones: linear too', () => {
    const abbrev = [...CU_ABBREV, 2, TAG_VARIABLE, 0];
    for (let i = 0; i < 200_000; i++) abbrev.push(0x3f, 0x19);
    abbrev.push(0x03, 0x08); // DW_AT_name, DW_FORM_string: this abbreviation must be walked
    for (let i = 0; i < 200_000; i++) abbrev.push(0x3f, 0x19);
    abbrev.push(0x02, 0x18, 0, 0, 0); // DW_AT_location, DW_FORM_exprloc
    const die = [2, 0x76, 0, 9, 0x03, ...u64(0x600000)];
    const dies = [1, 0x6d, 0];
    for (let i = 0; i < 100_000; i++) dies.push(...die);
    const bytes = craftElf([
      { name: '.debug_info', data: unit4(dies) },
      { name: '.debug_abbrev', data: abbrev },
    ]);
    const r = readDwarfUnits(bytes, 'wide.elf');
    expect(r.ok && r.value.units[0]?.variables.length).toBe(100_000);
  });

  it('many units naming offsets inside one long abbreviation table: refused once the table has been read over and over', () => {
    const abbrev = [1, TAG_VARIABLE, 0];
    for (let i = 0; i < 300_000; i++) abbrev.push(0x19, 0x03); // read from any even offset, it parses to the end
    abbrev.push(0, 0, 0);
    const units: number[] = [];
    for (let i = 0; i < 50_000; i++) units.push(...unit4([], 4 + 2 * i));
    const bytes = craftElf([
      { name: '.debug_info', data: units },
      { name: '.debug_abbrev', data: abbrev },
    ]);
    expectError(bytes, /\.debug_abbrev: units read its tables over and over/);
  });

  it('an abbreviation code of 11 LEB128 bytes, an undefined form, a chain of DW_FORM_indirect: located errors', () => {
    const elf = (abbrev: readonly number[], dies: readonly number[]): Uint8Array =>
      craftElf([
        { name: '.debug_info', data: unit4(dies) },
        { name: '.debug_abbrev', data: abbrev },
      ]);
    expectError(elf([...Array(10).fill(0x81), 1, TAG_VARIABLE, 0, 0, 0, 0], [1]), /\.debug_abbrev: the LEB128 number at 0x0 is longer than 10 bytes/);
    expectError(elf([1, TAG_VARIABLE, 0, 0x03, 0x7f, 0, 0, 0], [1]), /abbreviation 1 uses form 0x7f, which DWARF does not define/);
    expectError(elf([1, TAG_VARIABLE, 0, 0x03, 0x16, 0, 0, 0], [1, ...Array(8).fill(0x16), 0x0b, 0]), /a chain of DW_FORM_indirect/);
    expectError(elf([1, TAG_VARIABLE, 0, 0, 0, 0], [1, 5]), /the DIE at 0xc uses abbreviation 5, which its table at 0x0 does not define/);
  });

  it('a range list shared by 100k functions: refused once reading it costs more than its section holds', () => {
    // DWARF 5: abbreviation 2, a subprogram whose DW_AT_ranges (sec_offset) all point at one list of 100k entries.
    const abbrev = [...CU_ABBREV, 2, TAG_SUBPROGRAM, 0, 0x55, 0x17, 0, 0, 0];
    const list = [...u32(0), ...u16(5), 8, 0, ...u32(0)]; // a header; the list starts at 12
    for (let i = 0; i < 100_000; i++) list.push(4, ...uleb(16 * i), ...uleb(16 * i + 8)); // DW_RLE_offset_pair
    list.push(0);
    list.splice(0, 4, ...u32(list.length - 4));
    const dies = [1, 0x6d, 0];
    for (let i = 0; i < 100_000; i++) dies.push(2, ...u32(12));
    const unit = [...u32(8 + dies.length), ...u16(5), 1, 8, ...u32(0), ...dies];
    const bytes = craftElf([
      { name: '.debug_info', data: unit },
      { name: '.debug_abbrev', data: abbrev },
      { name: '.debug_rnglists', data: list },
    ]);
    expectError(bytes, /range lists are read far more often than their sections could hold/);
  });

  it('a unit of 64-bit DWARF with an impossible length, and trailing garbage after the last unit', () => {
    expectError(craftElf([{ name: '.debug_info', data: [0xff, 0xff, 0xff, 0xff, ...u64(2 ** 40)] }]), /says it is 1099511627776 bytes, past the end/);
    const abbrev = [...CU_ABBREV, 0];
    expectError(
      craftElf([
        { name: '.debug_info', data: [...unit4([1, 0x6d, 0]), 1, 2] },
        { name: '.debug_abbrev', data: abbrev },
      ]),
      /\.debug_info: 4 bytes at 0xe run past the end of the section/,
    );
  });

  it('4 MB of code every byte of which looks like an address operand, and 1 MB of data pointing at itself: linear, every byte counted once', () => {
    const n = 4 << 20;
    const text = 0x401000;
    const rodata = 0x1000000;
    const data = 0x2000000;
    // Instruction forms packed back to back, each naming a different .rodata address: lea rip-relative,
    // mov $imm32, movq $imm32 to memory, a disp32 table, movabs; text without NULs for strings to scan.
    const code = new Uint8Array(n);
    const view = new DataView(code.buffer);
    for (let at = 0, i = 0; at + 16 <= n; i++) {
      const target = rodata + ((i * 97) % (1 << 20));
      const form = i % 5;
      if (form === 0) {
        code.set([0x48, 0x8d, 0x05], at);
        view.setInt32(at + 3, target - (text + at + 7), true);
        at += 7;
      } else if (form === 1) {
        code[at] = 0xbf;
        view.setUint32(at + 1, target, true);
        at += 5;
      } else if (form === 2) {
        code.set([0x48, 0xc7, 0x07], at);
        view.setUint32(at + 3, target, true);
        at += 7;
      } else if (form === 3) {
        code.set([0xff, 0x24, 0xc5], at);
        view.setUint32(at + 3, target, true);
        at += 7;
      } else {
        code.set([0x48, 0xb8], at);
        view.setBigUint64(at + 2, BigInt(target), true);
        at += 10;
      }
    }
    const words = new DataView(new ArrayBuffer(1 << 20));
    for (let k = 0; k < 1 << 20; k += 8) words.setBigUint64(k, BigInt(data + ((k * 8 + 8) % (1 << 20))), true);
    const abbrev = [...CU_ABBREV, 2, TAG_SUBPROGRAM, 0, 0x11, 0x01, 0x12, 0x07, 0, 0, 0];
    const dies = [1, 0x6d, 0x2e, 0, 2, ...u64(text), ...u64(n), 0];
    const bytes = craftElf([
      { name: '.text', data: code, flags: ALLOC_EXEC, addr: text },
      { name: '.rodata', data: new Uint8Array(1 << 20).fill(0x41), flags: 0x2, addr: rodata },
      { name: '.data', data: new Uint8Array(words.buffer), flags: 0x3, addr: data },
      { name: '.debug_info', data: unit4(dies) },
      { name: '.debug_abbrev', data: abbrev },
    ]);
    const { attribution: a } = attributed(bytes);
    const section = (name: string): Attribution['sections'][number] | undefined => a.sections.find((s) => s.name === name);
    expect(section('.text')).toMatchObject({ exact: n, unattributed: 0 });
    expect(section('.rodata')?.unattributed).toBe(0);
    expect(section('.rodata')?.byReference).toBeGreaterThan(0);
    for (const s of a.sections) expect(s.exact + s.byNeighbour + s.byReference + s.unattributed).toBe(s.size);
    // Nothing in the code points at .data, and pointers are read only from data a file owns.
    expect(section('.data')?.unattributed).toBe(1 << 20);
    expect(a.files.map((f) => f.path)).toEqual(['m.']);

    // Another machine: the code is not read, and the note says so.
    new DataView(bytes.buffer).setUint16(18, 183, true); // EM_AARCH64
    const other = attributed(bytes).attribution;
    expect(other.main.byReference).toBe(0);
    expect(other.notes).toEqual([expect.stringContaining('x86-64 only')]);
  });

  it('a file that is not ELF, and a relocatable object: error values', () => {
    const r = readDwarfUnits(new Uint8Array(100), 'zero.bin');
    expect(!r.ok && r.error.message).toBe('zero.bin: not an ELF64 file');
    const obj = craftElf([]);
    new DataView(obj.buffer).setUint16(16, 1, true);
    expect(readDwarfUnits(obj, 'x.o')).toMatchObject({ ok: false, error: { message: expect.stringContaining('relocatable object') } });
  });
});
