// osvconf on a terminal (or osvconf tui): loads the core, then ink and the app (only here: the
// scripted path never loads them). Without a terminal it refuses at once, never waiting for input.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fail, ok, usage, type Result } from '../core/result.js';
import { plan } from '../cli/commands/configure.js';
import type { ParsedArgs } from '../cli/args.js';
import { resolveSelection } from '../cli/selection.js';
import { validate_profile } from '../generated/validators.js';
import { createTwoFilesPatch } from 'diff';
import { comparePlan, writePlan } from '../io/write-plan.js';
import { parseDotConfig } from '../io/dot-config.js';
import { defaultValue } from '../core/kconfig.js';
import type { Validator } from '../io/data-file.js';
import { loadDefaults } from '../io/catalog-files.js';
import type { AppScriptTool, SaveTarget } from './App.js';
import { collectInputs } from '../symbols/inputs.js';
import { generateVersionScript } from '../symbols/generate.js';
import { createTuiCore } from './core.js';
import { initialState, type SaveFile, type Settings, type State } from './state.js';

export interface TuiStreams {
  readonly isTTY: boolean;
}

function osvTree(dir: string): boolean {
  return existsSync(join(dir, 'conf', 'profiles')) && statSync(join(dir, 'conf', 'profiles')).isDirectory() && existsSync(join(dir, 'scripts', 'build'));
}

function diffStat(before: string | undefined, after: string): string {
  if (before === undefined) return `(new, ${after.split('\n').length - 1} lines)`;
  const a = new Set(before.split('\n'));
  const b = new Set(after.split('\n'));
  const added = [...b].filter((l) => !a.has(l)).length;
  const removed = [...a].filter((l) => !b.has(l)).length;
  return added + removed === 0 ? '' : `(+${added} -${removed} lines)`;
}

function saveTarget(where: string | undefined): SaveTarget {
  const files = (state: State, compare: boolean): { ok: true; files: SaveFile[] } | { ok: false; error: string } => {
    if (where === undefined) return { ok: false, error: 'no OSv tree to save into: start osvconf in an OSv checkout, or give --out=DIR' };
    const planned = plan(state.selection).files;
    const done = compare ? comparePlan(where, planned) : writePlan(where, planned);
    if (!done.ok) return { ok: false, error: done.error.message };
    return {
      ok: true,
      files: done.value.map((f, i) => {
        const content = planned[i]?.content ?? '';
        if (!compare || f.status !== 'wrote') return { path: f.path, status: f.status, diff: '' };
        const patch = createTwoFilesPatch(f.before === undefined ? '/dev/null' : `a/${f.path}`, `b/${f.path}`, f.before ?? '', content, undefined, undefined, { context: 1 }).replace(/^=+\n/, '');
        return { path: f.path, status: f.status, diff: diffStat(f.before, content), patch };
      }),
    };
  };
  return { where, plan: (s) => files(s, true), write: (s) => files(s, false) };
}

/** The symbols generator behind the Visibility screen: writes <app>.version_script into the tree. */
function appScriptTool(where: string | undefined, defaultArch: string): AppScriptTool {
  return (path, state) => {
    if (path === '') return { ok: false, error: 'give the app\'s ELF file or directory' };
    const inputs = collectInputs([path]);
    if (!inputs.ok) return { ok: false, error: inputs.error.message };
    const fs = state.selection.options.filter((o) => o.option.values !== undefined).map((o) => `${o.option.setting}=${o.value}`);
    const made = generateVersionScript(inputs.value, { arch: state.settings.arch, defaultArch, keep: [], settings: fs });
    if (!made.ok) return { ok: false, error: made.error.message };
    const dir = resolve(where ?? process.cwd());
    const file = `${basename(resolve(path))}.version_script`;
    const written = writePlan(dir, [{ path: file, content: made.value.script }]);
    if (!written.ok) return { ok: false, error: written.error.message };
    const kept = made.value.result.app.length + made.value.result.vdso.length + made.value.blocks.reduce((n, b) => n + b.names.length, 0);
    return { ok: true, path: join(dir, file), kept, missing: made.value.result.missing.filter((m) => !m.weak).map((m) => m.name) };
  };
}

/**
 * The initial settings: the tree's build/<mode>.<arch>/.config when there is one (its values that
 * differ from the defaults, and its profile choice), then the command line over it, checked
 * like the scripted path checks it.
 */
async function initialSettings(args: ParsedArgs, tree: string | undefined): Promise<Result<{ settings: Settings; loaded?: string }>> {
  const first = await resolveSelection(args, args.positionals);
  if (!first.ok) return first;
  let { request } = first.value.selection;
  let loaded: string | undefined;
  const dotConfig = tree === undefined ? undefined : join(tree, 'build', `${request.mode}.${request.arch}`, '.config');
  if (dotConfig !== undefined && existsSync(dotConfig)) {
    const { selection, catalog } = first.value;
    const parsed = parseDotConfig(readFileSync(dotConfig, 'utf8'), catalog.kconfig.choice.name);
    const fromFile = selection.kconfig
      .filter((k) => parsed.values.has(k.option.name) && parsed.values.get(k.option.name) !== defaultValue(k.option, request.arch, request.mode))
      .map((k) => `conf_${k.option.name}=${parsed.values.get(k.option.name) as string}`);
    const given = new Set(args.positionals.map((p) => p.slice(0, p.indexOf('='))));
    const profile = !args.values.has('profile') && parsed.choice !== undefined && parsed.choice !== catalog.kconfig.choice.default ? [`conf_drivers_profile=${parsed.choice}`] : [];
    const merged = await resolveSelection(args, [...profile, ...fromFile.filter((f) => !given.has(f.slice(0, f.indexOf('=')))), ...args.positionals]);
    if (merged.ok) {
      request = merged.value.selection.request;
      loaded = dotConfig;
    }
  }
  return ok({
    settings: {
      arch: request.arch,
      mode: request.mode,
      profile: request.profile,
      drivers: Object.fromEntries(request.drivers),
      kconfig: Object.fromEntries(request.kconfig),
      options: Object.fromEntries(request.options),
      ...(request.customName === undefined ? {} : { name: request.customName }),
    },
    ...(loaded === undefined ? {} : { loaded }),
  });
}

export async function runTui(args: ParsedArgs, terminal: TuiStreams): Promise<Result<number>> {
  if (!terminal.isTTY) {
    return usage('the interactive configurator needs a terminal', 'in scripts use the flags: osvconf --profile=NAME [SETTING...] --print=ARTIFACT or --out=DIR (osvconf --help)');
  }
  const defaults = loadDefaults();
  if (!defaults.ok) return defaults;
  const out = args.values.get('out') ?? (osvTree(process.cwd()) ? process.cwd() : undefined);
  const initial = await initialSettings(args, out);
  if (!initial.ok) return initial;
  const settings = initial.value.settings;
  const dir = args.values.get('profiles-dir');
  const core = createTuiCore(defaults.value, dir === undefined ? undefined : { dir, validate: validate_profile as Validator });
  if (!core.ok) return core;
  const baseline = core.value.resolve({ arch: settings.arch, mode: settings.mode, profile: defaults.value.defaultProfile, drivers: {}, kconfig: {}, options: {} });
  if (!baseline.ok) return baseline;
  const made = initialState(core.value, settings, core.value.estimate(baseline.value).kernelKib);
  if (!made.ok) return made;
  // What was read from the tree counts as saved: only changes made here are unsaved.
  const state: State = initial.value.loaded === undefined ? made.value : { ...made.value, message: { text: `loaded ${initial.value.loaded}`, error: false } };

  const [{ render }, { createElement }, { App }] = await Promise.all([import('ink'), import('react'), import('./App.js')]);
  let quit = false;
  const app = render(
    createElement(App, { core: core.value, initial: state, save: saveTarget(out), appScript: appScriptTool(out, defaults.value.defaultArch), color: process.env['NO_COLOR'] === undefined && process.env['TERM'] !== 'dumb', onExit: () => void (quit = true) }),
    { exitOnCtrlC: true },
  );
  await app.waitUntilExit();
  // Ctrl-C ends ink without the app's own exit: nothing was written unless the user saved.
  return quit ? ok(0) : fail('interrupted: nothing more was written');
}
