// An app-specific kernel version script: the symbols the app's ELF files import that the kernel
// exports, plus what OSv's own vDSO needs (which OSv's script generator forgets), plus --keep for
// dlsym() users. Symbols the app imports that another of its own files defines are satisfied
// there; those nobody provides are reported: the app would fail to load.

import type { ElfInfo } from './elf.js';
import { bytewise } from '../core/format.js';

export interface ExportedSymbols {
  /** Every symbol the kernel exports on the arch. */
  readonly exported: ReadonlySet<string>;
  /** What the vDSO needs, in its listed order. */
  readonly vdso: readonly string[];
}

export interface AppFile {
  readonly path: string;
  readonly elf: ElfInfo;
}

export interface Missing {
  readonly name: string;
  readonly weak: boolean;
  readonly neededBy: readonly string[];
}

export interface AppScript {
  /** The app's block: kept symbols not already in the vDSO block, sorted bytewise. */
  readonly app: readonly string[];
  readonly vdso: readonly string[];
  readonly missing: readonly Missing[];
  /** --keep names the kernel does not export. */
  readonly keepUnknown: readonly string[];
  readonly usesDlsym: boolean;
}

/** A version script osvconf wrote (gen/version_script.ejs's kernel block): only such a file is replaced by one it makes. */
export const isOsvconfVersionScript = (text: string): boolean => text.includes('/* Kernel and VDSO */');

export function appScript(files: readonly AppFile[], kernel: ExportedSymbols, keep: readonly string[]): AppScript {
  const providedByApp = new Set(files.flatMap((f) => f.elf.exports));
  const needed = new Map<string, { weak: boolean; by: Set<string> }>();
  for (const f of files) {
    for (const s of f.elf.imports) {
      if (providedByApp.has(s.name)) continue;
      const entry = needed.get(s.name) ?? { weak: true, by: new Set<string>() };
      entry.weak &&= s.weak;
      entry.by.add(f.path);
      needed.set(s.name, entry);
    }
  }
  const kept = new Set<string>();
  const missing: Missing[] = [];
  for (const [name, { weak, by }] of needed) {
    if (kernel.exported.has(name)) kept.add(name);
    else missing.push({ name, weak, neededBy: [...by].sort(bytewise) });
  }
  const keepUnknown: string[] = [];
  for (const name of keep) {
    if (kernel.exported.has(name)) kept.add(name);
    else keepUnknown.push(name);
  }
  const vdso = new Set(kernel.vdso);
  return {
    app: [...kept].filter((n) => !vdso.has(n)).sort(bytewise),
    vdso: kernel.vdso,
    missing: missing.sort((a, b) => Number(a.weak) - Number(b.weak) || bytewise(a.name, b.name)),
    keepUnknown,
    usesDlsym: needed.has('dlsym'),
  };
}
