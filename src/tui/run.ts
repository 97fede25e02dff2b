// osvconf on a terminal (or osvconf tui): loads the core, then ink and the app (only here: the
// scripted path never loads them). Without a terminal it refuses at once, never waiting for input.

import { appendFileSync } from 'node:fs';
import { fail, ok, usage, type Result } from '../core/result.js';
import { validate_profile } from '../generated/validators.js';
import { isOsvCheckout } from '../io/out-dir.js';
import { loadDefaults } from '../io/catalog-files.js';
import { appScriptTool } from './app-script.js';
import { createTuiCore } from './core.js';
import { saveTarget } from './save-target.js';
import { ALTERNATE_SCREEN, FIRST_FRAME, NORMAL_SCREEN } from './screen.js';
import { dotConfigNames } from '../app/selection.js';
import { initialSettings, type TuiArgs } from './start-settings.js';
import { dirty, initialState, PROMPTS, type SaveFile, type State } from './state.js';
import { faultyCore, forgetRecovery, hasRecovery, keepWork, recoveryPath, untilExitOrError } from './recovery.js';
import { resolve as resolvePath } from 'node:path';
import type { SaveTarget } from './effects.js';

export type { TuiArgs } from './start-settings.js';

/** The process the configurator runs in (the CLI's RunContext has this shape). */
export interface TuiStreams {
  readonly isTTY: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
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
 * ink, React and the app, set up: the configurator's first frame needs them. The build's
 * off-screen first frame (rehearsal.ts) goes through here too.
 */
export function loadUi() {
  // ink draws nothing until it exits, and chalk no styles at all, when CI or
  // CONTINUOUS_INTEGRATION is set; both read them as they load, which is here. The configurator
  // is always on a terminal (or drawing for the build).
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
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

  // A session that stopped on an error left its unsaved work here: offer it (O with the path filled in).
  const recovery = recoveryPath(out ?? terminal.cwd);
  const offered: State = hasRecovery(recovery)
    ? {
        ...state,
        overlay: { kind: 'edit', item: PROMPTS.load, buffer: recovery, cursor: recovery.length },
        message: { text: `unsaved changes from a session that stopped on an error are in ${recovery}: Enter loads them, Esc leaves them`, error: true },
      }
    : state;
  const tuiCore = faultyCore(core.value, terminal.env['OSVCONF_TUI_FAULT']);

  const [{ render }, { createElement }, { App }] = await loadUi();
  let quit: State | undefined;
  const target = saveTarget(out, core.value, terminal.cwd, defaults.value, state);
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
    load: (path, s) =>
      target.load(path, s).then((read) => {
        // Taken into the session: the recovery file has done its job.
        if (read.ok && resolvePath(terminal.cwd, path) === recovery) forgetRecovery(recovery);
        return read;
      }),
    saveAs: (path, s) => {
      const written = target.saveAs(path, s);
      if (written.ok) savedAs.push(written.value);
      return written;
    },
  };
  screen.stdout.write(FIRST_FRAME);
  let latest = offered;
  const app = render(
    createElement(App, {
      core: tuiCore,
      initial: offered,
      save,
      appScript: appScriptTool(out ?? terminal.cwd),
      color: terminal.env['NO_COLOR'] === undefined && terminal.env['TERM'] !== 'dumb',
      onExit: (final: State) => void (quit = final),
      onState: (now: State) => void (latest = now),
      ...keyLog(terminal.env),
    }),
    // Not ink's incrementalRendering: tried (2.5 KB per cursor move down to a few hundred bytes), but
    // in a real terminal a frame as tall as the screen lost its title line and kept stale sizes.
    { exitOnCtrlC: true, maxFps: 60, stdout: screen.stdout, stdin: screen.stdin, patchConsole: screen.patchConsole },
  );
  // Any error while it runs (a key, a frame, an effect answering later) ends it the same way:
  // ink restores the terminal, the unsaved work goes to the recovery file, and the CLI says where.
  const stopped = await untilExitOrError(app);
  if (stopped !== undefined) {
    app.unmount();
    return fail(`the configurator stopped on an internal error: ${stopped.message}; ${keepWork(recovery, latest)}`);
  }
  return ok({ code: quit !== undefined ? 0 : 1, summary: exitSummary(out, lastSave, quit === undefined || dirty(quit), savedAs) });
}
