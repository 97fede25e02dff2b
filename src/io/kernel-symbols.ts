// conf/symbols.json: what OSv's kernel exports (per library it stands in for, common or per
// arch) and what its vDSO needs. Shipped data, validated at build time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './catalog-files.js';

interface SymbolsFile {
  exported: Record<string, Record<string, string[]>>;
  vdso: Record<string, string[]>;
}

export interface KernelSymbols {
  /** Every symbol the kernel exports on the arch. */
  readonly exported: ReadonlySet<string>;
  readonly vdso: readonly string[];
  /** The kernel symbols a library OSv loads itself (libsolaris.so) needs, or [] if unknown. */
  library(name: string): readonly string[];
}

let cache: SymbolsFile | undefined;

export function kernelSymbols(arch: string): KernelSymbols {
  cache ??= JSON.parse(readFileSync(join(PACKAGE_ROOT, 'conf', 'symbols.json'), 'utf8')) as SymbolsFile;
  const data = cache;
  const common = data.exported['common'] ?? {};
  const own = data.exported[arch] ?? {};
  return {
    exported: new Set([...Object.values(common), ...Object.values(own)].flat()),
    vdso: [...(data.vdso['common'] ?? []), ...(data.vdso[arch] ?? [])],
    library: (name) => [...new Set([...(common[name] ?? []), ...(own[name] ?? [])])],
  };
}

/** The names a version script exports (its global: part); '*' when a glob exports everything. */
export function versionScriptNames(text: string): Set<string> | '*' {
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/#.*$/gm, ' ');
  const global = /global\s*:([\s\S]*?)(?:local\s*:|\})/.exec(noComments)?.[1] ?? '';
  const names = new Set<string>();
  for (const raw of global.split(';')) {
    const name = raw.trim();
    if (name === '') continue;
    if (/[*?[]/.test(name)) return '*';
    names.add(name.replace(/^"|"$/g, ''));
  }
  return names;
}
