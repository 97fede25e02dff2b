// When the configurator stops on an internal error, the user's unsaved selection is kept in a
// recovery file (osvconf's saved configuration, so O and --load read it), and the next start in
// the same place offers it. Only the configurator's own file is replaced or removed.
import { lstatSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfiguration } from '../generators/configuration.js';
import { writePlan } from '../io/write-plan.js';
import type { TuiCore, State } from './state.js';
import { dirty } from './state.js';

const NAME = '.osvconf-recovery.osvconf';
/** The first line of every recovery file: what makes it osvconf's to replace or remove. */
const HEADER = '# osvconf recovery: unsaved changes of a configurator session that stopped on an error.\n';

export const recoveryPath = (dir: string): string => join(dir, NAME);

const isRecovery = (text: string): boolean => text.startsWith(HEADER);

/** A regular file (never a link or a FIFO) is offered. */
export function hasRecovery(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

export function forgetRecovery(path: string): void {
  try {
    if (hasRecovery(path)) unlinkSync(path);
  } catch {
    // Left in place: it is offered again, which is harmless.
  }
}

/** Writes the unsaved selection, and says what happened to it in words for the error message. */
export function keepWork(path: string, state: State): string {
  if (!dirty(state)) return 'there were no unsaved changes';
  const dir = path.slice(0, path.length - NAME.length);
  const written = writePlan(dir, [{ path: NAME, content: HEADER + renderConfiguration(state.selection), owns: isRecovery }]);
  return written.ok
    ? `your unsaved changes were written to ${path} (the next osvconf here offers them; osvconf --load=${path} reads them too)`
    : `your unsaved changes could not be kept: ${written.error.message}`;
}

/** The app's end: undefined when it exits as it should, the error when anything in it threw. */
export async function untilExitOrError(app: { waitUntilExit(): Promise<unknown> }): Promise<Error | undefined> {
  let onError: (e: unknown) => void = () => {};
  const failed = new Promise<unknown>((resolve) => (onError = resolve));
  // An effect that answers later (a load, the generator) throws outside ink's reach.
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  try {
    const error = await Promise.race([
      app.waitUntilExit().then(
        () => undefined,
        (e: unknown) => e ?? new Error('unknown error'),
      ),
      failed,
    ]);
    return error === undefined ? undefined : error instanceof Error ? error : new Error(String(error));
  } finally {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  }
}

/**
 * OSVCONF_TUI_FAULT makes the core throw, so that tests can end a live session on an error and
 * check what the user is left with: `explain` in a frame (the ? pane), `resolve` in a key's
 * change after the first one (so that there is unsaved work to keep).
 */
export function faultyCore(core: TuiCore, fault: string | undefined): TuiCore {
  const thrower = (): never => {
    throw new Error(`injected fault in ${fault} (OSVCONF_TUI_FAULT)`);
  };
  if (fault === 'explain') return { ...core, explain: thrower };
  if (fault !== 'resolve') return core;
  let changes = 0;
  return { ...core, resolve: (s) => (++changes > 1 ? thrower() : core.resolve(s)) };
}
