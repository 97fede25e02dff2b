// Measuring a real kernel ELF: section sizes, and symbol sizes attributed to the size model's
// components by name rules (conf/size/attribution.json; first matching rule wins).
import type { ElfSized } from '../symbols/elf.js';

export interface AttributionRule {
  readonly component: string;
  readonly patterns: readonly RegExp[];
}

export interface Measured {
  readonly fileKib: number;
  readonly sections: readonly { readonly name: string; readonly kib: number }[];
  readonly components: ReadonlyMap<string, number>;
  readonly attributedKib: number;
  readonly unattributedKib: number;
  readonly symbolTable: ElfSized['symbolTable'];
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
    fileKib: elf.fileSize / 1024,
    sections: elf.sections.filter((s) => s.alloc && s.size > 0).map((s) => ({ name: s.name, kib: s.size / 1024 })),
    components,
    attributedKib: attributed,
    unattributedKib: unattributed / 1024,
    symbolTable: elf.symbolTable,
  };
}
