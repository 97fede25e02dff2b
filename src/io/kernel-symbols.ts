// conf/symbols.json: what OSv's kernel exports (per library it stands in for, common or per
// arch) and what its vDSO needs. Shipped data, validated at build time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SymbolsJson } from '../generated/data-types.js';
import { PACKAGE_ROOT } from './catalog-files.js';

export interface KernelSymbols {
  /** Every symbol the kernel exports on the arch. */
  readonly exported: ReadonlySet<string>;
  readonly vdso: readonly string[];
  /** The kernel symbols a library OSv loads itself (libsolaris.so) needs, or [] if unknown. */
  library(name: string): readonly string[];
}

let cache: SymbolsJson | undefined;

export function kernelSymbols(arch: string): KernelSymbols {
  cache ??= JSON.parse(readFileSync(join(PACKAGE_ROOT, 'conf', 'symbols.json'), 'utf8')) as SymbolsJson;
  const data = cache;
  const common = data.exported['common'] ?? {};
  const own = data.exported[arch] ?? {};
  return {
    exported: new Set([...Object.values(common), ...Object.values(own)].flat()),
    vdso: [...(data.vdso['common'] ?? []), ...(data.vdso[arch] ?? [])],
    library: (name) => [...new Set([...(common[name] ?? []), ...(own[name] ?? [])])],
  };
}

/** The text without /* *\/ and # comments, in one pass (a comment never closed runs to the end). */
function withoutComments(text: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    const block = text.indexOf('/*', i);
    const hash = text.indexOf('#', i);
    const next = block < 0 ? hash : hash < 0 ? block : Math.min(block, hash);
    if (next < 0) {
      parts.push(text.slice(i));
      break;
    }
    parts.push(text.slice(i, next), ' ');
    const end = next === block ? text.indexOf('*/', next + 2) : text.indexOf('\n', next);
    if (end < 0) break;
    i = next === block ? end + 2 : end;
  }
  return parts.join('');
}

/** Whether the text has the shape of a version script: { global: ...; local: ...; }; (linear). */
export function isVersionScript(text: string): boolean {
  const t = withoutComments(text);
  const open = t.indexOf('{');
  if (open < 0) return false;
  const label = /(global|local)[ \t\r\n]*:/g;
  label.lastIndex = open;
  const found = label.exec(t);
  return found !== null && /\}[ \t\r\n]*;/.test(t.slice(found.index));
}

/** The names a version script exports (its global: part); '*' when a glob exports everything. Linear in the text. */
export function versionScriptNames(text: string): Set<string> | '*' {
  const t = withoutComments(text);
  const start = /global[ \t\r\n]*:/g.exec(t);
  const names = new Set<string>();
  if (start === null) return names;
  const from = start.index + start[0].length;
  const local = /local[ \t\r\n]*:/g;
  local.lastIndex = from;
  const localAt = local.exec(t)?.index ?? -1;
  const braceAt = t.indexOf('}', from);
  const ends = [localAt, braceAt].filter((n) => n >= 0);
  const global = t.slice(from, ends.length === 0 ? t.length : Math.min(...ends));
  for (const raw of global.split(';')) {
    const name = raw.trim();
    if (name === '') continue;
    if (/[*?[]/.test(name)) return '*';
    names.add(name.replace(/^"|"$/g, ''));
  }
  return names;
}
