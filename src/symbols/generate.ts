// Generates an app version script from ELF files: read each file, check the arch, keep what
// the app imports and the kernel exports (plus the vDSO's needs and, for a filesystem whose code
// the kernel loads, that library's symbols). Shared by `osvconf symbols` and the TUI.

import { fail, ok, type Result } from '../core/result.js';
import { bytewise } from '../core/format.js';
import type { Warning } from '../core/select.js';
import { parseOptionValue } from '../core/options.js';
import { renderTemplate } from '../generators/template.js';
import { loadArchCatalog, loadDefaults } from '../io/catalog-files.js';
import { elfMachines } from '../core/catalog.js';
import { kernelSymbols } from '../io/kernel-symbols.js';
import { readElf } from './elf.js';
import { readBytes } from './inputs.js';
import { appScript, type AppFile, type AppScript } from './version-script.js';

export interface Generated {
  readonly arch: string;
  readonly files: readonly AppFile[];
  readonly result: AppScript;
  /** Extra blocks kept for libraries the kernel loads itself (libsolaris.so for fs=zfs). */
  readonly blocks: readonly { readonly title: string; readonly names: readonly string[] }[];
  readonly script: string;
  readonly warnings: readonly Warning[];
}

export function generateVersionScript(
  paths: readonly string[],
  opts: { arch?: string; defaultArch: string; keep: readonly string[]; settings: readonly string[] },
): Result<Generated> {
  const archFlag = opts.arch;
  const files: AppFile[] = [];
  const defaults = loadDefaults();
  if (!defaults.ok) return defaults;
  const machines = elfMachines(defaults.value);
  const warnings: Warning[] = [];
  for (const path of paths) {
    const bytes = readBytes(path);
    if (!bytes.ok) return bytes;
    const elf = readElf(bytes.value, path, machines);
    if (!elf.ok) return elf;
    if (!elf.value.dynamic)
      warnings.push({
        code: 'static',
        message: `${path} has no dynamic symbols: a statically linked executable imports nothing from the kernel, so no version script applies to it; it runs on OSv only with conf_core_syscall=1 (its system calls go through OSv's system call entry)`,
        hint: 'keep conf_core_syscall=1 (conf_syscalls_list_file= can limit the calls), or build it as a position-independent executable or shared object',
      });
    files.push({ path, elf: elf.value });
  }
  const arch = archFlag ?? files[0]?.elf.arch ?? opts.defaultArch;
  const wrong = files.find((f) => f.elf.arch !== arch);
  if (wrong !== undefined) {
    return fail(
      `${wrong.path} is built for ${wrong.elf.arch}, but ${archFlag === undefined ? `${files[0]?.path} is for ${arch}` : `--arch=${arch}`}`,
      archFlag === undefined ? 'give the files of one arch' : `use --arch=${wrong.elf.arch}, or the ${arch} build of the app`,
    );
  }

  const kernel = kernelSymbols(arch);
  const libraries: { title: string; names: readonly string[] }[] = [];
  const catalog = loadArchCatalog(arch);
  if (!catalog.ok) return catalog;
  for (const setting of opts.settings) {
    const [name, value] = [setting.slice(0, setting.indexOf('=')), setting.slice(setting.indexOf('=') + 1)];
    const option = catalog.value.options.find((o) => o.setting === name);
    if (option === undefined)
      return fail(`symbols takes build options such as fs=zfs, not "${setting}"`, `the options: ${catalog.value.options.map((o) => o.setting).join(', ')}`);
    const parsed = parseOptionValue(option, value);
    if (!parsed.ok) return parsed;
    const library = option.values?.[parsed.value]?.needsKernelSymbolsOf;
    if (library !== undefined) libraries.push({ title: `${library} (${setting})`, names: kernel.library(library) });
  }
  const result = appScript(files, kernel, opts.keep);
  const vdsoAndApp = new Set([...result.vdso, ...result.app]);
  const blocks = libraries.map((l) => ({ title: l.title, names: [...l.names].filter((n) => !vdsoAndApp.has(n)).sort(bytewise) }));
  const script = renderTemplate('version_script', { vdso: result.vdso, app: result.app, blocks });
  return ok({ arch, files, result, blocks, script, warnings });
}
