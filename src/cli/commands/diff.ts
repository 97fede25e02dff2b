// osvconf diff A B: two configurations (saved configurations or Kconfig .config files), every
// setting that differs, old -> new, grouped like the configurator's menus, each with what it adds
// or saves on its own (A with that one change), and the total.

import { resolveSelection } from '../../app/selection.js';
import { sizeInputIn } from '../../app/size-input.js';
import { driverSetting } from '../../core/catalog.js';
import { KCONFIG_PREFIX } from '../../core/kconfig.js';
import { formatKib, formatKibChange } from '../../core/format.js';
import { fail, ok, usage, type Result } from '../../core/result.js';
import { select, type Selection, type SelectionRequest } from '../../core/select.js';
import { loadSizeModel } from '../../io/size-files.js';
import { createEstimator } from '../../size/model.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { json, output, table, type CommandOutput } from '../output.js';

interface Change {
  readonly group: string;
  readonly setting: string;
  readonly from: string;
  readonly to: string;
  /** What the change alone adds (+) or saves (-) in KiB, applied to A. */
  readonly kib: number;
}

const shown = (type: string, value: string): string => (type === 'bool' ? (value === 'y' ? '1' : '0') : value);

export async function run(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  // Operands: one or two files; NAME=VALUE settings (with --profile) make the other side, a
  // selection on the command line, when there is one file.
  const settings = args.positionals.filter((p) => /^[A-Za-z][A-Za-z0-9_]*=/.test(p));
  const [a, b, ...rest] = args.positionals.filter((p) => !settings.includes(p));
  const sideFlags = ['profile', 'arch', 'mode'].filter((f) => args.values.has(f));
  const commandLineSide = b === undefined && (settings.length > 0 || sideFlags.length > 0);
  if (a === undefined || rest.length > 0 || (b === undefined && !commandLineSide) || (b !== undefined && (settings.length > 0 || args.values.has('profile'))))
    return usage(
      'osvconf diff needs two configurations',
      'osvconf diff A B, each a saved configuration (conf/osvconf/*.osvconf) or a Kconfig .config; or osvconf diff A [--profile=NAME] [SETTING...] against a selection on the command line',
    );
  // With a command-line side, --arch, --mode and --profile are that side's; the files say their own.
  const fileFlags = new Map([...args.values].filter(([k]) => k !== 'profile' && (!commandLineSide || (k !== 'arch' && k !== 'mode'))));
  const load = (file: string) => resolveSelection({ values: new Map([...fileFlags, ['load', file]]), switches: args.switches }, [], context.cwd);
  const left = await load(a);
  if (!left.ok) return left;
  const right =
    b === undefined
      ? await resolveSelection(
          {
            values: new Map([...args.values, ...(args.values.has('arch') ? [] : [['arch', left.value.selection.request.arch] as const])]),
            switches: args.switches,
          },
          settings,
          context.cwd,
        )
      : await load(b);
  if (!right.ok) return right;
  const bName = b ?? 'the command line';
  const A = left.value.selection;
  const B = right.value.selection;
  if (A.request.arch !== B.request.arch)
    return fail(`${a} is for ${A.request.arch} and ${bName} for ${B.request.arch}: their drivers differ`, 'compare configurations of one arch');
  const tree = context.cwd;
  const model = loadSizeModel(A.request.arch);
  const estimator = createEstimator(model);
  // Sizes only for the modes the model was fitted on (as osvconf size).
  const sized = model.modes.includes(A.request.mode) && model.modes.includes(B.request.mode);
  const kib = (s: Selection): number => (sized ? estimator.estimate(sizeInputIn(s, tree)).kernelKib : Number.NaN);
  const base = kib(A);
  // A with one change of B's: the request A made, with B's value given on the command line.
  const alone = (change: Partial<SelectionRequest>): number => {
    const s = select({ ...A.request, ...change, force: true, strict: false }, left.value.catalog, left.value.profiles);
    return s.ok ? kib(s.value) - base : Number.NaN;
  };
  const changes: Change[] = [];
  if (A.request.mode !== B.request.mode)
    changes.push({ group: 'Selection', setting: 'mode', from: A.request.mode, to: B.request.mode, kib: alone({ mode: B.request.mode }) });
  if (A.request.profile !== B.request.profile)
    changes.push({
      group: 'Selection',
      setting: 'conf_drivers_profile',
      from: A.request.profile,
      to: B.request.profile,
      kib: alone({ profile: B.request.profile }),
    });
  const groups = new Map(A.catalog.drivers.map((d) => [d.name, d.group]));
  for (const f of A.drivers.flags) {
    const other = B.drivers.byName.get(f.name);
    if (other === undefined || other.value === f.value) continue;
    changes.push({
      group: `Drivers: ${groups.get(f.name) ?? 'other'}`,
      setting: driverSetting(f.name),
      from: String(f.value),
      to: String(other.value),
      kib: alone({ drivers: new Map([...A.request.drivers, [f.name, other.value]]) }),
    });
  }
  for (const k of A.kconfig) {
    const other = B.kconfig.find((x) => x.option.name === k.option.name);
    if (other === undefined || other.value === k.value) continue;
    changes.push({
      group: k.option.menu,
      setting: `${KCONFIG_PREFIX}${k.option.name}`,
      from: shown(k.option.type, k.value),
      to: shown(k.option.type, other.value),
      kib: alone({ kconfig: new Map([...A.request.kconfig, [k.option.name, other.value]]) }),
    });
  }
  for (const o of A.options) {
    const other = B.options.find((x) => x.option.name === o.option.name);
    if (other === undefined || other.value === o.value) continue;
    changes.push({
      group: 'Build options',
      setting: o.option.setting,
      from: o.value,
      to: other.value,
      kib: alone({ options: new Map([...A.request.options, [o.option.name, other.value]]) }),
    });
  }
  const total = kib(B) - base;
  if (args.switches.has('json')) {
    return ok(
      output(
        json({
          a,
          b: b ?? null,
          ...(b === undefined
            ? { b_settings: [...(args.values.has('profile') ? [`conf_drivers_profile=${args.values.get('profile')}`] : []), ...settings] }
            : {}),
          arch: A.request.arch,
          changes: changes.map((c) => ({ group: c.group, setting: c.setting, from: c.from, to: c.to, kib: Number.isNaN(c.kib) ? null : round(c.kib) })),
          kib: sized ? { a: round(base), b: round(base + total), delta: round(total) } : null,
        }),
      ),
    );
  }
  if (changes.length === 0) return ok(output(`${a} and ${bName} select the same kernel (${kibText(base)})\n`));
  let text = '';
  for (const group of [...new Set(changes.map((c) => c.group))]) {
    text += `${group}\n`;
    text += table(
      ['', '', '', ''],
      changes.filter((c) => c.group === group).map((c) => ['', c.setting, `${c.from} -> ${c.to}`, Number.isNaN(c.kib) ? '' : signed(c.kib)]),
    )
      .split('\n')
      .slice(1)
      .join('\n');
  }
  text += sized
    ? `total: ${kibText(base)} -> ${kibText(base + total)} (${signed(total)})\n`
    : `no size estimate for mode=${model.modes.includes(A.request.mode) ? B.request.mode : A.request.mode} (osvconf size estimates ${model.modes.join(', ')} kernels)\n`;
  return ok(output(text));
}

const round = (n: number): number => Math.round(n * 10) / 10;
const kibText = formatKib;
const signed = formatKibChange;
