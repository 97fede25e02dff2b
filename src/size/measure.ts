// Measuring a real kernel ELF: section sizes, and its bytes attributed to the size model's
// components (conf/size/attribution.json; first matching rule wins). With DWARF, exactly: every
// byte to its source file (dwarf.ts), each file to a component by its path. Without (a stripped
// kernel), by symbol names, which leaves much unattributed; the report says which it used.
import type { ElfSized } from '../symbols/elf.js';
import type { Attribution, DwarfUnits } from './dwarf.js';

export interface AttributionRule {
  readonly component: string;
  readonly patterns: readonly RegExp[];
}

export interface Measured {
  /** dwarf: bytes by source file; symbols: by symbol names (no DWARF in the file). */
  readonly method: 'dwarf' | 'symbols';
  readonly fileKib: number;
  readonly sections: readonly { readonly name: string; readonly kib: number }[];
  readonly components: ReadonlyMap<string, number>;
  readonly attributedKib: number;
  readonly unattributedKib: number;
  readonly symbolTable: ElfSized['symbolTable'];
  /** With DWARF: over .text, .rodata, .data and .bss, how the attributed bytes were placed. */
  readonly exactness?: {
    readonly mainKib: number;
    /** DWARF's own ranges and variables, and local symbols by their file. */
    readonly exactKib: number;
    /** Padding and literal pools between two pieces of one file. */
    readonly byNeighbourKib: number;
    /** Data no symbol names, given to the file whose code or data points at it (strings, vtables). */
    readonly byReferenceKib: number;
    readonly units: number;
  };
  /** With DWARF: each component's largest files (tree-relative paths, KiB), for the report. */
  readonly files?: ReadonlyMap<string, readonly { readonly path: string; readonly kib: number }[]>;
}

export interface SourceRule {
  readonly component: string;
  readonly paths: readonly RegExp[];
}

export function compileSources(rules: readonly { component: string; paths: readonly string[] }[]): SourceRule[] {
  return rules.map((r) => ({ component: r.component, paths: r.paths.map((p) => new RegExp(p)) }));
}

/** The OSv tree the kernel was built in: the directory most compile units name as theirs. */
function treeRoot(dwarf: DwarfUnits): string {
  const count = new Map<string, number>();
  for (const u of dwarf.units) if (u.compDir !== '') count.set(u.compDir, (count.get(u.compDir) ?? 0) + 1);
  let best = '';
  for (const [dir, n] of count) if (n > (count.get(best) ?? 0)) best = dir;
  return best;
}

/** Every allocated byte DWARF placed, by component; files no rule matches are `core`'s. */
export function attributeFiles(elf: ElfSized, dwarf: DwarfUnits, attribution: Attribution, rules: readonly SourceRule[], core: string): Measured {
  const root = treeRoot(dwarf);
  const relative = (path: string): string => (root !== '' && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path);
  const components = new Map<string, number>();
  const files = new Map<string, { path: string; kib: number }[]>();
  for (const f of attribution.files) {
    const path = relative(f.path);
    const component = rules.find((r) => r.paths.some((p) => p.test(path)))?.component ?? core;
    components.set(component, (components.get(component) ?? 0) + f.total / 1024);
    const list = files.get(component) ?? [];
    list.push({ path, kib: f.total / 1024 });
    files.set(component, list);
  }
  const all = [attribution.main, attribution.other];
  const attributed = all.reduce((n, t) => n + t.exact + t.byNeighbour + t.byReference, 0);
  const unattributed = all.reduce((n, t) => n + t.unattributed, 0);
  const main = attribution.main;
  return {
    method: 'dwarf',
    fileKib: elf.fileSize / 1024,
    sections: elf.sections.filter((s) => s.alloc && s.size > 0).map((s) => ({ name: s.name, kib: s.size / 1024 })),
    components,
    attributedKib: attributed / 1024,
    unattributedKib: unattributed / 1024,
    symbolTable: elf.symbolTable,
    exactness: {
      mainKib: main.size / 1024,
      exactKib: main.exact / 1024,
      byNeighbourKib: main.byNeighbour / 1024,
      byReferenceKib: main.byReference / 1024,
      units: dwarf.units.length,
    },
    files,
  };
}

export function compileRules(rules: readonly { component: string; patterns: readonly string[] }[]): AttributionRule[] {
  return rules.map((r) => ({ component: r.component, patterns: r.patterns.map((p) => new RegExp(p)) }));
}

export function attribute(elf: ElfSized, rules: readonly AttributionRule[]): Measured {
  const components = new Map<string, number>();
  let unattributed = 0;
  for (const s of elf.symbols) {
    const rule = rules.find((r) => r.patterns.some((p) => p.test(s.name)));
    if (rule === undefined) unattributed += s.size;
    else components.set(rule.component, (components.get(rule.component) ?? 0) + s.size / 1024);
  }
  const attributed = [...components.values()].reduce((a, b) => a + b, 0);
  return {
    method: 'symbols',
    fileKib: elf.fileSize / 1024,
    sections: elf.sections.filter((s) => s.alloc && s.size > 0).map((s) => ({ name: s.name, kib: s.size / 1024 })),
    components,
    attributedKib: attributed,
    unattributedKib: unattributed / 1024,
    symbolTable: elf.symbolTable,
  };
}
