// The one place the configurator does anything besides drawing: it holds the current state,
// applies each key's commands in order (so a burst acts key by key on the state each key left),
// and runs the effects the reducer cannot: planning and writing a save, and the symbols
// generator. It reports every new state to whoever draws it. No ink, no React.

import type { Result } from '../core/result.js';
import { sayError } from './remedies.js';
import { commandsFor, splitKeys, type Command, type KeyInfo } from './keys.js';
import { reduce, type Action, type SaveFile, type Settings, type State, type TuiCore } from './state.js';

export interface SaveTarget {
  /** Plans the files (rendered, compared with the disk) without writing; `minimal`: the saved configuration's minimal form. */
  plan(state: State, form?: 'minimal'): Result<SavedFiles>;
  /** Writes the plan; returns what happened to each file. */
  write(state: State, form?: 'minimal'): Result<SavedFiles>;
  readonly where: string | undefined;
  /** O: a configuration file read as --load reads it, for the settings it gives (and the names a .config lists). */
  load(path: string, state: State): Promise<Result<{ settings: Settings; path: string; notes: readonly string[]; names?: ReadonlySet<string> }>>;
  /** S: the saved configuration written to a file the user names; answers the path written. */
  saveAs(path: string, state: State): Result<string>;
}

/** What the symbols generator answers: the script it wrote and its counts, or why not. */
export type AppScriptResult = Result<{
  /** Where the script goes when the user saves, and its text. */
  readonly path: string;
  readonly content: string;
  /** Its name in the tree, for conf_version_script (relative, so the saved configuration moves with the tree). */
  readonly setting?: string;
  readonly kept: number;
  readonly missing: readonly string[];
  readonly libraries?: readonly { readonly title: string; readonly count: number }[];
}>;

/** The files of a save (planned or written) and the build command that uses them. */
export interface SavedFiles {
  readonly files: readonly SaveFile[];
  readonly buildCommand?: string;
}

/** Starts the symbols generator for the app at a path; it answers later and can be stopped. */
export type AppScriptTool = (path: string, state: State) => { done: Promise<AppScriptResult>; cancel(): void };

export interface Runner {
  readonly state: State;
  /** One read of the terminal: split into keys, each mapped and applied in turn. */
  key(input: string, key: KeyInfo): void;
}

export function createRunner(core: TuiCore, initial: State, save: SaveTarget, appScript: AppScriptTool | undefined, onState: (state: State) => void): Runner {
  let state = initial;
  let generating: { cancel(): void } | undefined;

  const apply = (action: Action): void => {
    state = reduce(core, state, action);
    // The save screen opens with the plan already made: no "planning" frame in between.
    const o = state.overlay;
    if (o.kind === 'save' && o.files === undefined && o.error === undefined) {
      const planned = save.plan(state, o.form);
      state = reduce(core, state, planned.ok ? { type: 'save-planned', files: planned.value.files } : { type: 'save-failed', error: sayError(planned.error) });
    }
  };

  /** An effect that answers later: its value as an action (a refusal as a note), then the new state drawn. */
  const later = <T>(done: Promise<Result<T>>, action: (value: T) => Action): void =>
    void done.then((r) => {
      apply(r.ok ? action(r.value) : { type: 'note', text: sayError(r.error), error: true });
      onState(state);
    });

  const run = (command: Command): void => {
    switch (command.kind) {
      case 'action':
        return apply(command.action);
      case 'cancel-generate':
        generating?.cancel();
        return;
      case 'save-as': {
        const written = command.path === '' ? undefined : save.saveAs(command.path, state);
        if (written === undefined) return apply({ type: 'note', text: 'give a file name to save to', error: true });
        return apply(
          written.ok
            ? { type: 'note', text: `saved the configuration to ${written.value}`, error: false }
            : { type: 'note', text: sayError(written.error), error: true },
        );
      }
      case 'load': {
        if (command.path === '') return apply({ type: 'note', text: 'give a file to load', error: true });
        apply({ type: 'note', text: `loading ${command.path}...`, error: false });
        return later(save.load(command.path, state), (read) => ({
          type: 'loaded',
          settings: read.settings,
          path: read.path,
          notes: read.notes,
          ...(read.names === undefined ? {} : { names: read.names }),
        }));
      }
      case 'write': {
        const written = save.write(state, state.overlay.kind === 'save' ? state.overlay.form : undefined);
        return apply(
          written.ok
            ? { type: 'saved', files: written.value.files, ...(written.value.buildCommand === undefined ? {} : { buildCommand: written.value.buildCommand }) }
            : { type: 'save-failed', error: sayError(written.error) },
        );
      }
      case 'generate': {
        if (appScript === undefined) return apply({ type: 'note', text: 'the symbols generator is not available here', error: true });
        const job = appScript(command.path, state);
        generating = job;
        apply({ type: 'note', text: 'generating the version script... (Esc stops it)', error: false });
        return later(
          job.done.finally(() => (generating = undefined)),
          (made) => ({
            type: 'version-script',
            path: made.path,
            content: made.content,
            ...(made.setting === undefined ? {} : { setting: made.setting }),
            kept: made.kept,
            missing: made.missing,
            ...(made.libraries === undefined ? {} : { libraries: made.libraries }),
          }),
        );
      }
    }
  };

  return {
    get state() {
      return state;
    },
    key(input, key) {
      for (const [one, info] of splitKeys(input, key)) for (const command of commandsFor(state, one, info, generating !== undefined)) run(command);
      onState(state);
    },
  };
}
