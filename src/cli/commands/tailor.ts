// osvconf tailor APP... [selection] [SETTING...] [--print=ARTIFACT | --out=DIR] [--json]: the
// user's selection with every option the app provably does not need turned off, each with its
// evidence, and symbols hidden with the app's version script; then what the scripted command does
// with that selection (--print, --out: the version script is written into the tree with it).
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ok, usage, type Result } from '../../core/result.js';
import type { Warning } from '../../core/select.js';
import { formatKib } from '../../core/format.js';
import { tailorFor, type Tailored } from '../../app/tailor.js';
import { writePlan } from '../../io/write-plan.js';
import { isOsvconfVersionScript } from '../../symbols/version-script.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { json, output, type CommandOutput } from '../output.js';
import { run as configure } from './configure.js';

function report(t: Tailored, scriptAt: string | undefined): string {
  const files = t.script.files.length;
  const lines = [
    `tailored for ${t.script.files.map((f) => basename(f.path)).join(', ')} (${t.arch}, ${files === 1 ? '' : `${files} files, `}${t.static ? 'statically linked' : 'dynamically linked'}): ${formatKib(t.beforeKib)} -> ${formatKib(t.afterKib)} estimated`,
  ];
  for (const d of t.decisions) {
    if (d.taken)
      lines.push(
        `  ${d.tunable === true ? 'set ' : 'off '}  ${d.setting}=${d.value}  ${d.savesKib === undefined || d.savesKib < 0.05 ? '' : `-${formatKib(d.savesKib)}`}`,
        `        why: ${d.why}`,
        `        if the app needs it after all: ${d.risk}`,
      );
    else lines.push(`  kept  ${d.setting}`, `        why: ${d.why}`);
  }
  const kept = t.script.result.app.length + t.script.result.vdso.length;
  lines.push(
    t.static
      ? '  symbols: a statically linked app imports nothing from the kernel; no version script'
      : `  symbols: hidden, the kernel exports only the ${kept} the app and OSv's vDSO need (conf_hide_symbols=1)${scriptAt === undefined ? '; --out writes the version script into the tree' : `; the version script is ${scriptAt}`}`,
  );
  return lines.join('\n') + '\n';
}

export async function run(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  const apps = args.positionals.filter((p) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(p));
  const settings = args.positionals.filter((p) => !apps.includes(p));
  if (apps.length === 0)
    return usage("osvconf tailor needs the app's files", 'write osvconf tailor path/to/app [lib.so ...] [--profile=NAME] [SETTING...] [--out=DIR]');
  const tailored = await tailorFor(args, settings, apps, context.cwd);
  if (!tailored.ok) return tailored;
  const t = tailored.value;
  const out = args.values.get('out');
  const scriptName = t.scriptName;
  // Without --out the script is not written: the settings then hide symbols without naming it.
  const positionals = out === undefined ? t.settings.filter((s) => !s.startsWith('conf_version_script=')) : [...t.settings];
  if (args.values.get('print') === undefined && out === undefined) {
    if (args.switches.has('json'))
      return ok(
        output(
          json({
            arch: t.arch,
            static: t.static,
            before_kib: t.beforeKib,
            after_kib: t.afterKib,
            settings: positionals,
            decisions: t.decisions.map((d) => ({
              setting: d.setting,
              value: d.value,
              taken: d.taken,
              why: d.why,
              risk: d.risk,
              ...(d.savesKib === undefined ? {} : { saves_kib: d.savesKib }),
            })),
          }),
        ),
      );
    return ok(output(`${report(t, undefined)}settings: ${positionals.join(' ')}\n`));
  }
  // The version script goes into the tree with the other files; removed again if they cannot be written.
  let wroteScript = false;
  if (out !== undefined && scriptName !== undefined && !args.switches.has('dry-run')) {
    const written = writePlan(out, [{ path: scriptName, content: t.script.script, owns: isOsvconfVersionScript }]);
    if (!written.ok) return written;
    wroteScript = written.value[0]?.status === 'wrote';
  }
  const done = await configure({ ...args, command: 'configure', positionals }, context);
  if (!done.ok && wroteScript) {
    rmSync(join(out as string, scriptName as string), { force: true });
  }
  if (!done.ok) return done;
  const full = report(t, out === undefined || scriptName === undefined ? undefined : join(out, scriptName));
  // With --out the report leads stdout (what was written follows); with --print stdout is the
  // artifact alone, so stderr gets a one-line summary (a note is one line: it is escaped and clipped).
  if (out !== undefined && !args.switches.has('json')) return ok({ ...done.value, stdout: full + done.value.stdout });
  const off = t.decisions.filter((d) => d.taken).length;
  const note: Warning = {
    code: 'tailored',
    level: 'note',
    message: `tailored for ${t.script.files.map((f) => basename(f.path)).join(', ')}: ${formatKib(t.beforeKib)} -> ${formatKib(t.afterKib)} estimated, ${off} settings changed`,
    hint: 'osvconf tailor without --print/--out (or with --json) says why for each',
  };
  return ok({ ...done.value, warnings: [note, ...done.value.warnings] });
}
