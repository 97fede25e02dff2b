// osvconf from qemu|firecracker|cloud-hypervisor: the smallest selection for the VM that will run
// the kernel. The VM's description comes after `--` (a command line), in a file (--in=FILE, or
// the operand for Firecracker's JSON); osvconf's own flags and settings come before `--`. Without
// --print or --out it reports each driver with why; with them it is the scripted command on the
// derived selection.

import { selectionForVm } from '../../app/vm-selection.js';
import { driverSetting } from '../../core/catalog.js';
import { formatKib } from '../../core/format.js';
import { fail, ok, usage, type Result } from '../../core/result.js';
import type { Warning } from '../../core/select.js';
import { didYouMean } from '../../core/suggest.js';
import { fromCloudHypervisor, fromFirecracker, fromQemu, shellWords, type Derivation } from '../../core/vm.js';
import { scanJson, lineCol } from '../../core/json-locate.js';
import { readTextCapped } from '../../io/read-file.js';
import { knownDrivers, loadVmModel } from '../../io/vm-files.js';
import { loadDefaults } from '../../io/catalog-files.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { json, output, type CommandOutput } from '../output.js';
import { run as configure } from './configure.js';

const VMS = ['qemu', 'firecracker', 'cloud-hypervisor'] as const;
const MAX_DESCRIPTION_BYTES = 1024 * 1024;

/** The VM's description: the words after `--`, or a file's. */
function describedBy(args: ParsedArgs, vm: (typeof VMS)[number]): Result<{ words?: string[]; text?: string; what: string }> {
  const after = args.dashDash === undefined ? [] : args.positionals.slice(args.dashDash);
  const file = args.values.get('in') ?? (vm === 'firecracker' ? args.positionals.slice(1, args.dashDash).find((p) => !p.includes('=')) : undefined);
  if (after.length > 0 && file !== undefined) return usage('give the VM either after -- or in a file, not both');
  if (after.length > 0) return ok({ words: after, what: 'the command line' });
  if (file === undefined)
    return usage(
      `osvconf from ${vm} needs the VM`,
      vm === 'firecracker'
        ? 'osvconf from firecracker vm-config.json'
        : `osvconf from ${vm} [SETTING...] -- ${vm === 'qemu' ? 'qemu-system-x86_64' : 'cloud-hypervisor'} ARGS... (or --in=FILE)`,
    );
  const text = readTextCapped(file, 'VM description', MAX_DESCRIPTION_BYTES);
  if (!text.ok) return text;
  if (vm === 'firecracker') return ok({ text: text.value, what: file });
  const words = shellWords(text.value);
  return words.ok ? ok({ words: words.value, what: file }) : fail(`${file}: ${words.error.message}`);
}

function derive(args: ParsedArgs, vm: (typeof VMS)[number], arch: string | undefined, defaultArch: string): Result<Derivation> {
  const described = describedBy(args, vm);
  if (!described.ok) return described;
  const model = loadVmModel();
  const { words, text, what } = described.value;
  if (vm === 'qemu') {
    const d = fromQemu(words ?? [], model, knownDrivers, arch);
    return d.ok || words === undefined || what === 'the command line' ? d : fail(`${what}: ${d.error.message}`, d.error.hint);
  }
  if (vm === 'cloud-hypervisor') {
    const d = fromCloudHypervisor(words ?? [], model, knownDrivers, arch ?? defaultArch);
    return d.ok || what === 'the command line' ? d : fail(`${what}: ${d.error.message}`, d.error.hint);
  }
  // Scanned first: a key given twice is refused as Firecracker refuses it (JSON.parse keeps the last).
  const where = scanJson(text ?? '').error;
  if (where !== undefined) {
    const { line, col } = lineCol(text ?? '', where.offset);
    return fail(
      `${what}:${line}:${col}: ${where.message.startsWith('duplicate key') ? where.message : `not JSON: ${where.message}`}`,
      where.message.startsWith('duplicate key') ? 'Firecracker refuses a field given twice: keep one' : "Firecracker's --config-file is one JSON object",
    );
  }
  let config: unknown;
  try {
    config = JSON.parse(text ?? '');
  } catch (e) {
    return fail(`${what}: not JSON: ${(e as Error).message}`, "Firecracker's --config-file is one JSON object");
  }
  const d = fromFirecracker(config, model, knownDrivers, arch ?? defaultArch, args.switches.has('enable-pci'));
  return d.ok ? d : fail(`${what}: ${d.error.message}`, d.error.hint);
}

export async function run(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  const vm = args.positionals[0];
  if (vm === undefined || !(VMS as readonly string[]).includes(vm) || (args.dashDash !== undefined && args.dashDash === 0))
    return usage(`osvconf from needs a VM kind${vm === undefined ? '' : `, not "${vm}"${didYouMean(vm, VMS)}`}`, `one of: ${VMS.join(', ')}`);
  const kind = vm as (typeof VMS)[number];
  const defaults = loadDefaults();
  if (!defaults.ok) return defaults;
  const derivation = derive(args, kind, args.values.get('arch'), defaults.value.defaultArch);
  if (!derivation.ok) return derivation;
  const d = derivation.value;
  const before = args.positionals.slice(1, args.dashDash);
  const settings = before.filter((p) => p.includes('='));
  const operands = before.filter((p) => !p.includes('='));
  const allowed = kind === 'firecracker' && !args.values.has('in') ? 1 : 0;
  if (operands.length > allowed)
    return usage(
      `osvconf from ${kind}: "${operands[allowed] as string}" is not a setting (NAME=VALUE)`,
      `the VM's ${kind === 'firecracker' ? 'config file goes first' : 'command line goes after --'}`,
    );
  const made = await selectionForVm(d, args, settings, context.cwd);
  if (!made.ok) return made;
  const notes: Warning[] = d.notes.map((n) => ({ code: n.level === 'warning' ? 'vm-device' : 'vm-note', level: n.level, message: n.message }));
  const { selection, why, nearest, kib } = made.value;
  if (args.values.has('print') || args.values.has('out')) {
    const values = new Map([...args.values].filter(([k]) => k !== 'in'));
    values.set('arch', d.arch);
    values.set('profile', selection.request.profile);
    const { dashDash: _, ...rest } = args;
    const result = await configure({ ...rest, command: 'configure', values, positionals: made.value.settings }, context);
    return result.ok ? ok({ ...result.value, warnings: [...notes, ...result.value.warnings] }) : result;
  }
  const on = selection.drivers.flags.filter((f) => f.value === 1);
  if (args.switches.has('json')) {
    return ok(
      output(
        json({
          vm: kind,
          arch: d.arch,
          drivers: on.map((f) => ({
            name: f.name,
            setting: driverSetting(f.name),
            why: why.get(f.name) ?? (f.impliedBy.length > 0 ? [`implied by ${f.impliedBy.join(', ')}`] : []),
          })),
          optional: [...d.optional].map(([name, reasons]) => ({ name, why: reasons })),
          settings: made.value.settings,
          nearest_profile: nearest === undefined ? null : { name: nearest.profile, extra: nearest.extra, missing: nearest.missing },
          kib: kib === undefined ? null : { selection: Math.round(kib.selection * 10) / 10, default_profile: Math.round(kib.all * 10) / 10 },
        }),
        [...notes, ...selection.warnings],
      ),
    );
  }
  let text = `${kind} (${d.arch}): ${on.length} driver${on.length === 1 ? '' : 's'}\n`;
  for (const f of on) {
    const reasons = why.get(f.name) ?? (f.impliedBy.length > 0 ? [`implied by ${f.impliedBy.map(driverSetting).join(', ')} (base.mk)`] : ['']);
    text += `  ${driverSetting(f.name)}=1  ${reasons[0]}\n`;
    for (const r of reasons.slice(1)) text += `  ${' '.repeat(driverSetting(f.name).length + 2)}  ${r}\n`;
  }
  const optional = [...d.optional].filter(([name]) => !on.some((f) => f.name === name));
  if (optional.length > 0) {
    text += 'optional (the VM offers them; the kernel runs without):\n';
    for (const [name, reasons] of optional) text += `  ${driverSetting(name)}=1  ${reasons[0]}\n`;
  }
  if (nearest !== undefined) {
    const diff = [...nearest.extra.map((n) => `+${n}`), ...nearest.missing.map((n) => `-${n}`)];
    text += `nearest profile: ${nearest.profile}${diff.length === 0 ? ' (the same drivers)' : ` (it has ${diff.join(' ')} against this)`}\n`;
  }
  text +=
    kib === undefined
      ? `size: no estimate for mode=${selection.request.mode} (osvconf size estimates the modes its model was fitted on)\n`
      : `size: ${formatKib(kib.selection)} (profile ${kib.allProfile}: ${formatKib(kib.all)})\n`;
  text += `settings: ${made.value.settings.join(' ') || '(none)'} --profile=${selection.request.profile}\n`;
  text += `write them with: osvconf from ${kind} ... --out=DIR (or --print=ARTIFACT)\n`;
  return ok(output(text, [...notes, ...selection.warnings]));
}
