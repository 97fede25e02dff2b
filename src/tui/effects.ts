// The one place the configurator does anything besides drawing: it holds the current state,
// applies each key's commands in order (so a burst acts key by key on the state each key left),
// and runs the effects the reducer cannot: planning and writing a save, and the symbols
// generator. It reports every new state to whoever draws it. No ink, no React.

import { commandsFor, splitKeys, type Command, type KeyInfo } from './keys.js';
import { reduce, type Action, type SaveFile, type State, type TuiCore } from './state.js';

export interface SaveTarget {
  /** Plans the files (rendered, compared with the disk) without writing. */
  plan(state: State): { ok: true; files: SaveFile[] } | { ok: false; error: string };
  /** Writes the plan; returns what happened to each file. */
  write(state: State): { ok: true; files: SaveFile[]; buildCommand?: string } | { ok: false; error: string };
  readonly where: string | undefined;
}

/** What the symbols generator answers: the script it wrote and its counts, or why not. */
export type AppScriptResult = { ok: true; path: string; kept: number; missing: string[] } | { ok: false; error: string };
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
      const planned = save.plan(state);
      state = reduce(core, state, planned.ok ? { type: 'save-planned', files: planned.files } : { type: 'save-failed', error: planned.error });
    }
  };

  const run = (command: Command): void => {
    switch (command.kind) {
      case 'action':
        return apply(command.action);
      case 'cancel-generate':
        generating?.cancel();
        return;
      case 'write': {
        const written = save.write(state);
        return apply(
          written.ok
            ? { type: 'saved', files: written.files, ...(written.buildCommand === undefined ? {} : { buildCommand: written.buildCommand }) }
            : { type: 'save-failed', error: written.error },
        );
      }
      case 'generate': {
        if (appScript === undefined) return apply({ type: 'note', text: 'the symbols generator is not available here', error: true });
        const job = appScript(command.path, state);
        generating = job;
        apply({ type: 'note', text: 'generating the version script... (Esc stops it)', error: false });
        void job.done.then((made) => {
          generating = undefined;
          apply(
            made.ok ? { type: 'version-script', path: made.path, kept: made.kept, missing: made.missing } : { type: 'note', text: made.error, error: true },
          );
          onState(state);
        });
        return;
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
