// osvconf symbols APP.ELF|DIR|LIST.manifest... [--arch] [--keep=SYM,...] [--keep-file=F] [--out=FILE]
// An app-specific version script for conf_version_script=, with a report of what the app
// needs that the kernel does not export.

import { literalTilde } from '../../io/out-dir.js';
import { MAX_LIST_BYTES, readTextCapped } from '../../io/read-file.js';
import { basename, dirname } from 'node:path';
import { fail, ok, usage, type Result } from '../../core/result.js';
import type { Warning } from '../../core/select.js';
import { loadDefaults } from '../../io/catalog-files.js';
import { writePlan } from '../../io/write-plan.js';
import { isOsvconfVersionScript } from '../../symbols/version-script.js';
import { collectInputs } from '../../symbols/inputs.js';
import { generateVersionScript } from '../../symbols/generate.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { checkArch } from '../../app/selection.js';
import { json, output, type CommandOutput } from '../output.js';

function keepList(args: ParsedArgs): Result<string[]> {
  const names = (args.values.get('keep') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const file = args.values.get('keep-file');
  if (file !== undefined) {
    const read = readTextCapped(file, '--keep-file', MAX_LIST_BYTES);
    if (!read.ok) return read;
    const text = read.value;
    names.push(
      ...text
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim())
        .filter((l) => l !== ''),
    );
  }
  const bad = names.find((n) => !/^[A-Za-z_.$][A-Za-z0-9_.$@]*$/.test(n));
  if (bad !== undefined) return fail(`--keep: "${bad}" is not a symbol name`, 'give plain symbol names, comma-separated (or one per line in --keep-file)');
  return ok(names);
}

export async function run(args: ParsedArgs, _context: RunContext): Promise<Result<CommandOutput>> {
  if (args.positionals.length === 0)
    return usage("osvconf symbols needs the app's ELF files", 'write osvconf symbols path/to/app [lib.so ...] (files, directories or a usr.manifest)');
  const defaults = loadDefaults();
  if (!defaults.ok) return defaults;
  const archFlag = args.values.get('arch');
  if (archFlag !== undefined) {
    const checked = checkArch(archFlag, defaults.value);
    if (!checked.ok) return checked;
  }
  const keep = keepList(args);
  if (!keep.ok) return keep;
  // NAME=VALUE operands are build options (fs=zfs): a filesystem whose code the kernel loads
  // itself (libsolaris.so) needs its kernel symbols kept too.
  const settings = args.positionals.filter((p) => /^[a-z_]+=/.test(p) && !p.includes('/'));
  const inputs = collectInputs(args.positionals.filter((p) => !settings.includes(p)));
  if (!inputs.ok) return inputs;

  const generated = generateVersionScript(inputs.value, {
    ...(archFlag === undefined ? {} : { arch: archFlag }),
    defaultArch: defaults.value.defaultArch,
    keep: keep.value,
    settings,
  });
  if (!generated.ok) return generated;
  const { arch, files, result, blocks, script } = generated.value;
  const warnings: Warning[] = [...generated.value.warnings];
  const hard = result.missing.filter((m) => !m.weak);
  if (hard.length > 0) {
    warnings.push({
      code: 'missing',
      message: `the app needs ${hard.length} symbol${hard.length === 1 ? '' : 's'} OSv's kernel does not export, so it would fail to load: ${hard.map((m) => `${m.name} (${m.neededBy.map((p) => basename(p)).join(', ')})`).join(', ')}`,
      hint: "add the libraries that provide them to the arguments, or check the app against OSv's supported libc",
    });
  }
  // Weak references may stay unresolved (every C program has some: __gmon_start__, ...): counted, not warned.
  const weak = result.missing.filter((m) => m.weak);
  if (result.keepUnknown.length > 0)
    warnings.push({
      code: 'keep-unknown',
      message: `--keep: OSv's kernel does not export ${result.keepUnknown.join(', ')}`,
      hint: 'a dlsym() of these names fails on OSv whatever the version script says',
    });
  if (result.usesDlsym)
    warnings.push({
      code: 'dlsym',
      message: 'the app calls dlsym(): symbols it looks up by name are not in this script unless you --keep them',
      hint: '--keep=name1,name2 or --keep-file=FILE',
    });
  if (args.switches.has('strict') && hard.length > 0)
    return fail(`the app needs symbols OSv's kernel does not export (--strict): ${hard.map((m) => m.name).join(', ')}`);

  const out = args.values.get('out');
  const tilde = out === undefined ? ok(undefined) : literalTilde(out, `--out=${out}`, 'write the path out, e.g. --out=$HOME/app.version_script');
  if (!tilde.ok) return tilde;
  if (out !== undefined) {
    // --out names the file, but a file there that is not a version script osvconf wrote (a typo
    // in the path, /etc/hostname) is replaced only with --force.
    const written = writePlan(dirname(out), [{ path: basename(out), content: script, owns: isOsvconfVersionScript }], {
      force: args.switches.has('force'),
    });
    if (!written.ok) return written;
  }
  const kept = result.app.length + result.vdso.length + blocks.reduce((n, b) => n + b.names.length, 0);
  if (args.switches.has('json')) {
    return ok(
      output(
        json({
          arch,
          files: files.map((f) => ({ path: f.path, kind: f.elf.kind, imports: f.elf.imports.length })),
          kept,
          vdso: result.vdso,
          app: result.app,
          libraries: Object.fromEntries(blocks.map((b) => [b.title, b.names])),
          missing: result.missing.map((m) => ({ name: m.name, weak: m.weak, needed_by: m.neededBy })),
          keep_unknown: result.keepUnknown,
          ...(out === undefined ? { script } : { out }),
        }),
        warnings,
        out !== undefined,
      ),
    );
  }
  const summary: Warning = {
    code: 'summary',
    level: 'note',
    message: `${kept} symbols kept for ${arch} (${result.vdso.length} for the vDSO, ${result.app.length} for the app${blocks.map((b) => `, ${b.names.length} for ${b.title}`).join('')}) from ${files.length} file${files.length === 1 ? '' : 's'}; ${hard.length} missing${weak.length > 0 ? ` (and ${weak.length} weak, allowed to stay unresolved)` : ''}${out === undefined ? '' : `; wrote ${out}`}`,
    hint: `use it with conf_hide_symbols=1 conf_version_script=${out ?? 'FILE'}`,
  };
  if (out !== undefined) return ok(output(`${summary.message}\n  hint: ${summary.hint}\n`, warnings, true));
  return ok(output(script, [...warnings, summary]));
}
