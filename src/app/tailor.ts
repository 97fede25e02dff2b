// osvconf tailor: the smallest configuration for one app. The app's files give what it imports
// (and whether it is statically linked); each option of conf/<arch>/trim.json is tried off in turn
// on top of the user's selection (core/tailor.ts), each trial resolved like any command line and
// estimated with the size model; a trial that adds a pitfall (a link failure seen in a build) is
// refused. The version script comes from the same files (osvconf symbols).
import { basename, join, resolve as resolvePath } from 'node:path';
import { fail, ok, type Result } from '../core/result.js';
import { tailor, type TrimDecision } from '../core/tailor.js';
import { loadDefaults } from '../io/catalog-files.js';
import { loadSizeModel } from '../io/size-files.js';
import { loadTrimCandidates, type MemoryLevel } from '../io/trim-files.js';
import { didYouMean } from '../core/suggest.js';
import { createEstimator } from '../size/model.js';
import { generateVersionScript, type Generated } from '../symbols/generate.js';
import { collectInputs } from '../symbols/inputs.js';
import { resolveSelection, type SelectionOptions } from './selection.js';
import { estimateIn } from './size-input.js';

export interface Tailored {
  readonly arch: string;
  /** The app's version script's name in the tree (conf_version_script=), for a dynamically linked app. */
  readonly scriptName?: string;
  /** The user's settings and the ones tailoring adds, in order. */
  readonly settings: readonly string[];
  readonly decisions: readonly TrimDecision[];
  readonly script: Generated;
  readonly static: boolean;
  readonly beforeKib: number;
  readonly afterKib: number;
}

export async function tailorFor(args: SelectionOptions, settings: readonly string[], appPaths: readonly string[], cwd: string): Promise<Result<Tailored>> {
  const defaults = loadDefaults();
  if (!defaults.ok) return defaults;
  const inputs = collectInputs(appPaths);
  if (!inputs.ok) return inputs;
  const arch = args.values.get('arch');
  const fsSettings = settings.filter((s) => s.startsWith('fs=') || s.startsWith('conf_zfs='));
  const script = generateVersionScript(inputs.value, {
    ...(arch === undefined ? {} : { arch }),
    defaultArch: defaults.value.defaultArch,
    keep: [],
    settings: fsSettings,
  });
  if (!script.ok) return script;
  const imports = new Set(script.value.files.flatMap((f) => f.elf.imports.map((i) => i.name)));
  const isStatic = script.value.files.some((f) => !f.elf.dynamic);
  const appArch = script.value.arch;
  const withArch: SelectionOptions = { ...args, values: new Map([...args.values, ['arch', appArch]]) };
  const noStrict: SelectionOptions = { ...withArch, switches: new Set([...args.switches].filter((s) => s !== 'strict')) };
  const tree = resolvePath(args.values.get('out') ?? cwd);
  // Symbols hidden with the app's script from the start, so that every saving is the one the
  // final kernel sees (the script is held, not written: the size model reads it from here).
  const scriptName = isStatic ? undefined : `${basename(appPaths[0] as string).replace(/[^A-Za-z0-9._-]/g, '_')}.version_script`;
  const hiding = scriptName === undefined ? [] : ['conf_hide_symbols=1', `conf_version_script=${scriptName}`];
  const pending = scriptName === undefined ? undefined : { [join(tree, scriptName)]: script.value.script };
  const start = [...settings, ...hiding];
  const base = await resolveSelection(noStrict, start, cwd);
  if (!base.ok) return base;
  const had = new Set(base.value.selection.pitfalls.map((p) => p.id));
  const estimator = createEstimator(loadSizeModel(appArch));
  const { candidates, memoryLevels } = loadTrimCandidates(appArch);
  if (candidates.length === 0)
    return fail(`no option of ${appArch} has been measured in builds for tailoring`, 'osvconf symbols still makes the version script for the app');
  // Memory tunables only when asked for, by a named level: each value with what it risks.
  const levelName = args.values.get('memory');
  const level = levelName === undefined ? undefined : Object.hasOwn(memoryLevels, levelName) ? memoryLevels[levelName] : undefined;
  if (levelName !== undefined && level === undefined)
    return fail(
      `no memory level "${levelName}"${didYouMean(levelName, Object.keys(memoryLevels))}`,
      `the levels: ${Object.keys(memoryLevels).join(', ') || 'none for this arch'}`,
    );
  const done = await tailor(candidates, { imports, static: isStatic }, start, async (tried) => {
    const s = await resolveSelection(noStrict, [...tried], cwd);
    if (!s.ok) return s;
    const added = s.value.selection.pitfalls.filter((p) => !had.has(p.id));
    if (added.length > 0) return fail(added.map((p) => p.message).join('; '));
    return ok({ kib: estimateIn(estimator, s.value.selection, tree, pending).kernelKib });
  });
  // Before: the user's selection as given; after: tailored, symbols hidden with the app's script.
  const given = await resolveSelection(noStrict, [...settings], cwd);
  if (!given.ok) return given;
  const before = estimateIn(estimator, given.value.selection, tree).kernelKib;
  // The memory level last: each value's saving said on its own, by the size model.
  const memory: TrimDecision[] = [];
  const chosen = [...start, ...done.settings];
  for (const m of level?.settings ?? []) {
    // A value the user gave stands.
    if (chosen.some((s) => s.startsWith(`${m.setting}=`))) continue;
    const previous = await resolveSelection(noStrict, chosen, cwd);
    const next = await resolveSelection(noStrict, [...chosen, `${m.setting}=${m.value}`], cwd);
    if (!previous.ok) return previous;
    if (!next.ok) return next;
    const kib = estimateIn(estimator, previous.value.selection, tree, pending).kernelKib - estimateIn(estimator, next.value.selection, tree, pending).kernelKib;
    chosen.push(`${m.setting}=${m.value}`);
    memory.push({
      setting: m.setting,
      value: m.value,
      taken: true,
      why: `memory level ${levelName as string}: ${(level as MemoryLevel).source} (built: ${(level as MemoryLevel).build})`,
      savesKib: kib,
      risk: m.risk,
      tunable: true,
    });
  }
  const after = await resolveSelection(noStrict, chosen, cwd);
  if (!after.ok) return after;
  return ok({
    arch: appArch,
    ...(scriptName === undefined ? {} : { scriptName }),
    settings: chosen,
    decisions: [...done.decisions, ...memory],
    script: script.value,
    static: isStatic,
    beforeKib: before,
    afterKib: estimateIn(estimator, after.value.selection, tree, pending).kernelKib,
  });
}
