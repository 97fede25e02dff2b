// osvconf on a terminal (or osvconf tui): loads the core, then ink and the app (only here: the
// scripted path never loads them). Without a terminal it refuses at once, never waiting for input.

import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fail, ok, usage, type Result } from '../core/result.js';
import { plan } from '../app/plan.js';
import { renderBuildCommand } from '../generators/build-command.js';
import { appVersionScript, dotConfigNames, resolveSelection, type SelectionOptions } from '../app/selection.js';
import { MAX_VERSION_SCRIPT_BYTES, readTextCapped } from '../io/read-file.js';

/** What the configurator reads of the command line (the CLI's parsed arguments have this shape). */
export interface TuiArgs extends SelectionOptions {
  readonly positionals: readonly string[];
}
import { validate_profile } from '../generated/validators.js';
import { unifiedDiff } from '../app/unified-diff.js';
import { comparePlan, writePlan } from '../io/write-plan.js';
import { isOsvconfVersionScript } from '../symbols/version-script.js';
import { buildDir, OSVCONF_DIR, SAVED_SUFFIX } from '../core/tree-layout.js';
import type { Defaults } from '../core/catalog.js';
import { checkOutDir, isOsvCheckout, literalTilde } from '../io/out-dir.js';
import { loadDefaults } from '../io/catalog-files.js';
import type { AppScriptResult, AppScriptTool, SavedFiles, SaveTarget } from './effects.js';
import { spawn } from 'node:child_process';
import { PACKAGE_ROOT } from '../io/catalog-files.js';
import { createTuiCore } from './core.js';
import { dirty, initialState, type SaveFile, type Settings, type State, type TuiCore } from './state.js';
import { renderConfiguration } from '../generators/configuration.js';
import { ALTERNATE_SCREEN, FIRST_FRAME, NORMAL_SCREEN } from './screen.js';
import { hintOf } from './remedies.js';

/** The process the configurator runs in (the CLI's RunContext has this shape). */
export interface TuiStreams {
  readonly isTTY: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function diffStat(before: string | undefined, after: string): string {
  if (before === undefined) return `(new, ${after.split('\n').length - 1} lines)`;
  const a = new Set(before.split('\n'));
  const b = new Set(after.split('\n'));
  const added = [...b].filter((l) => !a.has(l)).length;
  const removed = [...a].filter((l) => !b.has(l)).length;
  return added + removed === 0 ? '' : `(+${added} -${removed} lines)`;
}

function saveTarget(where: string | undefined, core: TuiCore, cwd: string, defaults: Defaults): SaveTarget {
  const files = (state: State, compare: boolean, form: 'minimal' | undefined): Result<SavedFiles> => {
    if (where === undefined) return fail('no OSv tree to save into', 'start osvconf in an OSv checkout, or give --out=DIR');
    const rendered = new Map(form === undefined ? [] : [['configuration', renderConfiguration(state.selection, core.minimalLines(state.selection))]]);
    // With the artifacts, the version script generated here that the selection builds with.
    const script = appVersionScript(state.selection, where);
    const held = script === undefined ? undefined : state.settings.scripts?.[script.path];
    const relativePath = script === undefined ? '' : relative(resolve(where), script.path);
    if (held !== undefined && (relativePath.startsWith('..') || isAbsolute(relativePath)))
      return fail(`the version script ${script?.path} is outside the tree ${where}`, 'generate it again from the tree it is for');
    const planned = [
      ...plan(state.selection, rendered).files,
      ...(held === undefined ? [] : [{ path: relativePath, content: held, owns: isOsvconfVersionScript }]),
    ];
    // The same rules as --out: no /, no literal ~, no foreign non-empty directory.
    const place = checkOutDir(where, false);
    if (!place.ok) return place;
    const done = compare ? comparePlan(where, planned) : writePlan(where, planned);
    if (!done.ok) return fail(done.error.message, hintOf(done.error));
    return ok({
      buildCommand: renderBuildCommand(state.selection).trimEnd(),
      files: done.value.map((f, i) => {
        const content = planned[i]?.content ?? '';
        if (!compare || f.status !== 'wrote') return { path: f.path, status: f.status, diff: '' };
        const patch = unifiedDiff(f.path, f.before, content, 1);
        return { path: f.path, status: f.status, diff: diffStat(f.before, content), patch };
      }),
    });
  };
  return {
    where,
    plan: (s, form) => files(s, true, form),
    write: (s, form) => files(s, false, form),
    load: (path) => loadConfigurationFile(path, defaults, cwd),
    // As --out: nothing expands a ~ here, so it would name a directory "~".
    saveAs: (path, state) => {
      const tilde = literalTilde(path, path, 'give the full path');
      return tilde.ok ? saveConfigurationAs(resolve(cwd, path), state) : tilde;
    },
  };
}

/** S: the saved configuration in a file the user names; a file that is not one is not replaced. */
function saveConfigurationAs(path: string, state: State): Result<string> {
  const content = renderConfiguration(state.selection);
  const done = writePlan(dirname(path), [{ path: basename(path), content, owns: (existing) => existing.startsWith(content.split('\n')[0] as string) }]);
  // The file is the one named here, not a profile: no remedy but another file name.
  return done.ok ? ok(path) : fail(done.error.message, [done.error.hint, 'or give another file name'].filter(Boolean).join(', '));
}

/** O: a configuration file read as --load reads it (a saved configuration or a .config). */
async function loadConfigurationFile(
  path: string,
  defaults: Defaults,
  cwd: string,
): Promise<Result<{ settings: Settings; path: string; notes: readonly string[]; names?: ReadonlySet<string> }>> {
  const file = resolve(cwd, path);
  const read = await initialSettings({ values: new Map([['load', file]]), switches: new Set(), positionals: [] }, undefined, defaults, cwd);
  // Said as a load from here, not as the start-up's "cannot start from".
  if (!read.ok) return fail(read.error.message.replace(/^cannot start from /, 'cannot load '), 'check the file, or load another (O)');
  const names = dotConfigNames(file, read.value.settings.arch);
  return ok({ settings: read.value.settings, path: file, notes: read.value.notes, ...(names === undefined ? {} : { names }) });
}

/**
 * The symbols generator behind the Visibility screen: `osvconf symbols` in a child process, so
 * that reading big (or hostile) ELF files never blocks the screen and Esc, q or Ctrl-C stop it.
 * It writes <app>.version_script into the tree and answers with the counts (--json).
 */
function appScriptTool(where: string): AppScriptTool {
  return (path, state) => {
    if (path === '') return { done: Promise.resolve(fail("give the app's ELF file or directory")), cancel: () => undefined };
    const fsSettings = state.selection.options.filter((o) => o.option.values !== undefined).map((o) => `${o.option.setting}=${o.value}`);
    // Made in a directory of its own and held in memory: the tree gets it only when the user saves.
    const out = join(resolve(where), `${basename(resolve(path))}.version_script`);
    const scratch = mkdtempSync(join(tmpdir(), 'osvconf-script-'));
    const made = join(scratch, basename(out));
    const child = spawn(
      process.execPath,
      [join(PACKAGE_ROOT, 'bin', 'osvconf.cjs'), 'symbols', `--arch=${state.settings.arch}`, `--out=${made}`, '--json', ...fsSettings, '--', path],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const clean = (): void => rmSync(scratch, { recursive: true, force: true });
    const kill = (): void => {
      child.kill('SIGKILL');
      clean();
    };
    process.once('exit', kill); // quitting (q, Ctrl-C, a signal) stops it too
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const done = new Promise<AppScriptResult>((answer) => {
      child.on('error', (e) => answer(fail(`cannot run osvconf symbols: ${e.message}`)));
      child.on('close', (code, signal) => {
        process.off('exit', kill);
        const content = readTextCapped(made, 'version script', MAX_VERSION_SCRIPT_BYTES);
        clean();
        if (signal !== null) return answer(fail('version script generation stopped'));
        if (code !== 0)
          return answer(fail(/osvconf: error: (.*)/.exec(stderr)?.[1] ?? `osvconf symbols failed (exit ${code})`, /osvconf: hint: (.*)/.exec(stderr)?.[1]));
        try {
          const report = JSON.parse(stdout) as { kept: number; missing: { name: string; weak: boolean }[]; libraries?: Record<string, string[]> };
          const libraries = Object.entries(report.libraries ?? {}).map(([title, names]) => ({ title, count: names.length }));
          if (!content.ok) return answer(content);
          answer(
            ok({
              path: out,
              setting: basename(out),
              content: content.value,
              kept: report.kept,
              missing: report.missing.filter((m) => !m.weak).map((m) => m.name),
              libraries,
            }),
          );
        } catch {
          answer(fail('osvconf symbols gave no report'));
        }
      });
    });
    return { done, cancel: kill };
  };
}

/**
 * What the configurator starts from, in order: --load=FILE; the tree's saved configuration
 * (conf/osvconf/<mode>.<arch>.osvconf, the newest when the command line names no arch or mode);
 * the tree's build/<mode>.<arch>/.config (a tree configured by OSv's own tools). The command
 * line goes over it. A file that cannot be taken stops the configurator with the reason: it is
 * never replaced by defaults without a word, so a save cannot overwrite the user's settings.
 */
function treeConfiguration(args: TuiArgs, tree: string | undefined, defaults: Defaults): string | undefined {
  if (tree === undefined) return undefined;
  const arch = args.values.get('arch');
  const mode = args.values.get('mode');
  const dir = join(tree, OSVCONF_DIR);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // no saved configuration here
  }
  // Regular files only, each stat'ed once (a dangling link or a vanished file is passed over).
  const saved = names
    .filter(
      (f) => f.endsWith(SAVED_SUFFIX) && (arch === undefined || f.endsWith(`.${arch}${SAVED_SUFFIX}`)) && (mode === undefined || f.startsWith(`${mode}.`)),
    )
    .flatMap((f) => {
      try {
        const st = statSync(join(dir, f));
        return st.isFile() ? [{ path: join(dir, f), mtime: st.mtimeMs }] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.mtime - a.mtime);
  if (saved[0] !== undefined) return saved[0].path;
  const dotConfig = join(tree, buildDir({ arch: arch ?? defaults.defaultArch, mode: mode ?? defaults.defaultMode }), '.config');
  return existsSync(dotConfig) ? dotConfig : undefined;
}

async function initialSettings(
  args: TuiArgs,
  tree: string | undefined,
  defaults: Defaults,
  cwd: string,
): Promise<Result<{ settings: Settings; loaded?: string; notes: readonly string[] }>> {
  const file = args.values.get('load') ?? treeConfiguration(args, tree, defaults);
  const withLoad: TuiArgs = file === undefined ? args : { ...args, values: new Map([...args.values, ['load', file]]) };
  const resolved = await resolveSelection(withLoad, args.positionals, cwd);
  if (!resolved.ok) {
    if (file === undefined) return resolved;
    return fail(
      `cannot start from ${file}: ${resolved.error.message}`,
      `fix it, or start from another file with --load=FILE; ${resolved.error.hint ?? ''}`.replace(/; $/, ''),
      resolved.error.details,
    );
  }
  const { request, warnings } = resolved.value.selection;
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
    ...(file === undefined ? {} : { loaded: file }),
    notes: warnings.filter((w) => w.code === 'config-unknown-options').map((w) => w.message),
  });
}

/**
 * OSVCONF_TUI_KEYLOG=FILE: a line per handled key, so that a test driving the terminal can wait
 * for each key to be taken instead of sleeping.
 */
function keyLog(env: TuiStreams['env']): { onKey?: () => void } {
  const file = env['OSVCONF_TUI_KEYLOG'];
  return file === undefined ? {} : { onKey: () => appendFileSync(file, 'key\n') };
}

/** What the terminal shows after the configurator's screen is gone: what was saved, or not. */
function exitSummary(
  where: string | undefined,
  last: { files: readonly SaveFile[]; buildCommand?: string } | undefined,
  unsaved: boolean,
  savedAs: readonly string[] = [],
): string {
  const copies = savedAs.map((p) => `osvconf: the configuration was saved to ${p}\n`).join('');
  if (last === undefined)
    return `${copies}osvconf: not saved${where === undefined ? '' : ` into ${where}`}${unsaved ? ' (your changes were discarded)' : ''}\n`;
  const wrote = last.files.filter((f) => f.status === 'wrote');
  let text = `osvconf: saved into ${where}: ${wrote.length} file${wrote.length === 1 ? '' : 's'} written, ${last.files.length - wrote.length} unchanged\n`;
  for (const f of wrote) text += `  ${f.path}\n`;
  if (last.buildCommand !== undefined) text += `build with:\n  ${last.buildCommand}\n`;
  if (unsaved) text += 'osvconf: changes made after the last save were discarded\n';
  return copies + text;
}

/**
 * ink, React and the app, set up: the configurator's first frame needs them. The build calls this
 * too before it saves the TUI's code cache, so that their set-up code is in the cache.
 */
export function loadUi() {
  return Promise.all([import('ink'), import('react'), import('./App.js')]);
}

export async function runTui(args: TuiArgs, terminal: TuiStreams, say: (text: string) => void = () => undefined): Promise<Result<number>> {
  if (!terminal.isTTY) {
    return usage(
      'the interactive configurator needs a terminal',
      'in scripts use the flags: osvconf --profile=NAME [SETTING...] --print=ARTIFACT or --out=DIR (osvconf --help)',
    );
  }
  // On the alternate screen from here (the CLI may have entered it already, with a loading
  // line); whatever ends the configurator, its messages are printed on the normal screen.
  process.stdout.write(ALTERNATE_SCREEN);
  let ended: Result<{ code: number; summary: string }>;
  try {
    ended = await configure(args, terminal);
  } finally {
    process.stdout.write(NORMAL_SCREEN);
  }
  if (!ended.ok) return ended;
  say(ended.value.summary);
  // Ctrl-C ends ink without the app's own exit: nothing was written unless the user saved.
  return ended.value.code === 0 ? ok(0) : fail('interrupted: nothing more was written');
}

/** Where ink draws and reads keys: the process's own terminal, or stand-ins (tui/rehearsal.ts). */
export interface Screen {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  /** ink routes console output around its frames (not for stand-ins). */
  readonly patchConsole: boolean;
}

const PROCESS_SCREEN: Screen = { stdout: process.stdout, stdin: process.stdin, patchConsole: true };

export async function configure(args: TuiArgs, terminal: TuiStreams, screen: Screen = PROCESS_SCREEN): Promise<Result<{ code: number; summary: string }>> {
  const defaults = loadDefaults();
  if (!defaults.ok) return defaults;
  const out = args.values.get('out') ?? (isOsvCheckout(terminal.cwd) ? terminal.cwd : undefined);
  const initial = await initialSettings(args, out, defaults.value, terminal.cwd);
  if (!initial.ok) return initial;
  const settings = initial.value.settings;
  const dir = args.values.get('profiles-dir');
  const core = createTuiCore(defaults.value, dir === undefined ? undefined : { dir, validate: validate_profile }, out ?? terminal.cwd);
  if (!core.ok) return core;
  const baseline = core.value.resolve({
    arch: settings.arch,
    mode: settings.mode,
    profile: defaults.value.defaultProfile,
    drivers: {},
    kconfig: {},
    options: {},
  });
  if (!baseline.ok) return baseline;
  const made = initialState(core.value, settings, core.value.estimate(baseline.value).kernelKib);
  if (!made.ok) return made;
  // What was read from the tree counts as saved: only changes made here are unsaved.
  const { loaded, notes } = initial.value;
  const names = loaded === undefined ? undefined : dotConfigNames(loaded, settings.arch);
  const state: State =
    loaded === undefined
      ? made.value
      : {
          ...made.value,
          message: { text: [...notes, `loaded ${loaded}`].join('; '), error: notes.length > 0 },
          ...(names === undefined ? {} : { loadedNames: names }),
        };

  const [{ render }, { createElement }, { App }] = await loadUi();
  let quit: State | undefined;
  const target = saveTarget(out, core.value, terminal.cwd, defaults.value);
  const savedAs: string[] = [];
  let lastSave: { files: readonly SaveFile[]; buildCommand?: string } | undefined;
  const save: SaveTarget = {
    where: target.where,
    plan: (s, form) => target.plan(s, form),
    write: (s, form) => {
      const written = target.write(s, form);
      if (written.ok) lastSave = written.value;
      return written;
    },
    load: (path, s) => target.load(path, s),
    saveAs: (path, s) => {
      const written = target.saveAs(path, s);
      if (written.ok) savedAs.push(written.value);
      return written;
    },
  };
  screen.stdout.write(FIRST_FRAME);
  const app = render(
    createElement(App, {
      core: core.value,
      initial: state,
      save,
      appScript: appScriptTool(out ?? terminal.cwd),
      color: terminal.env['NO_COLOR'] === undefined && terminal.env['TERM'] !== 'dumb',
      onExit: (final: State) => void (quit = final),
      ...keyLog(terminal.env),
    }),
    { exitOnCtrlC: true, maxFps: 60, stdout: screen.stdout, stdin: screen.stdin, patchConsole: screen.patchConsole },
  );
  await app.waitUntilExit();
  return ok({ code: quit !== undefined ? 0 : 1, summary: exitSummary(out, lastSave, quit === undefined || dirty(quit), savedAs) });
}
