// osvconf explain NAME [selection flags]: why a value is what it is and what blocks a change.
// Without NAME: every driver of the selection with its value and origin.

import { driverSetting } from '../../core/catalog.js';
import { explain, type ChangeOutcome, type Explanation } from '../../core/explain.js';
import { describeOrigin } from '../../core/origin.js';
import { ok, type Result } from '../../core/result.js';
import type { Selection } from '../../core/select.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { json, output, table, type CommandOutput } from '../output.js';
import { resolveSelection } from '../../app/selection.js';
import { explainAccess, textOf } from '../../app/explain-text.js';
import { sizeInputIn } from '../../app/size-input.js';
import { loadSizeModel } from '../../io/size-files.js';
import { createEstimator } from '../../size/model.js';

function overview(selection: Selection): string {
  const rows = selection.drivers.flags.map((f) => [driverSetting(f.name), String(f.value), describeOrigin(f.origin, selection.request.profile)]);
  for (const o of selection.options) rows.push([o.option.setting, o.value, o.origin === 'default' ? 'default' : 'command line']);
  for (const k of selection.kconfig)
    rows.push([
      `conf_${k.option.name}`,
      k.visible ? k.value : '(absent)',
      k.visible ? (k.origin === 'default' ? 'default' : 'command line') : `depends on conf_${k.option.dependsOn ?? ''}`,
    ]);
  const { arch, mode, profile } = selection.request;
  return `${arch}, ${mode}, profile ${profile}\n\n` + table(['SETTING', 'VALUE', 'WHY'], rows);
}

/** A change as JSON: pitfalls by id, the size rounded like osvconf size's. */
const changesJson = (changes: readonly ChangeOutcome[]) =>
  changes.map((c) => ({ ...c, pitfalls: c.pitfalls.map((p) => p.id), ...(c.kib === undefined ? {} : { kib: Math.round(c.kib * 10) / 10 }) }));

function jsonOf(e: Explanation): unknown {
  if (e.kind === 'driver') {
    const { driver, ...rest } = e;
    return {
      ...rest,
      name: driver.name,
      group: driver.group,
      description: driver.description,
      implies: driver.implies,
      notes: driver.notes,
      pitfalls: e.pitfalls.map((p) => p.id),
      changes: changesJson(e.changes),
    };
  }
  if (e.kind === 'option') return { ...e, pitfalls: e.pitfalls.map((p) => p.id), changes: changesJson(e.changes) };
  if (e.kind === 'build-option') return { ...e, changes: changesJson(e.changes) };
  return { kind: 'profile', ...e.profile, sets: Object.fromEntries(e.profile.sets), enabled: e.enabled.map((f) => f.name) };
}

export async function run(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  // The first operand without '=' is the name; the rest are settings.
  const name = args.positionals.find((p) => !p.includes('='));
  const settings = args.positionals.filter((p) => p !== name);
  const resolved = await resolveSelection(args, settings, context.cwd);
  if (!resolved.ok) return resolved;
  const { selection, profiles, catalog } = resolved.value;
  if (name === undefined) {
    return ok(
      output(
        args.switches.has('json')
          ? json(selection.drivers.flags.map((f) => ({ name: f.name, value: f.value, origin: describeOrigin(f.origin, selection.request.profile) })))
          : overview(selection),
        selection.warnings,
      ),
    );
  }
  // What each possible change adds or saves: osvconf size's estimate (for the modes it covers).
  const model = loadSizeModel(selection.request.arch);
  const estimator = model.modes.includes(selection.request.mode) ? createEstimator(model) : undefined;
  const found = explain(
    selection,
    name,
    explainAccess(selection, catalog, profiles, estimator === undefined ? undefined : (s) => estimator.estimate(sizeInputIn(s, context.cwd)).kernelKib),
  );
  if (!found.ok) return found;
  const text = args.switches.has('json') ? json(found.value.map(jsonOf)) : found.value.map((e) => textOf(e, selection)).join('\n');
  return ok(output(text, selection.warnings));
}
