// What the configurator starts from (the command line, --load, the tree's saved configuration
// or .config), and O, which loads another configuration file the same way.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail, ok, type Result } from '../core/result.js';
import type { Defaults } from '../core/catalog.js';
import { buildDir, OSVCONF_DIR, SAVED_SUFFIX } from '../core/tree-layout.js';
import { dotConfigNames, resolveSelection, type SelectionOptions } from '../app/selection.js';
import type { Settings } from './state.js';

/** What the configurator reads of the command line (the CLI's parsed arguments have this shape). */
export interface TuiArgs extends SelectionOptions {
  readonly positionals: readonly string[];
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

export async function initialSettings(
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
    notes: warnings.filter((w) => w.code === 'config-unknown-options' || w.code === 'config-fs-offered').map((w) => w.message),
  });
}

/**
 * O: a configuration file read as --load reads it (a saved configuration or a .config); `fs`: the
 * session's, kept when the file sets none (a .config never does).
 */
export async function loadConfigurationFile(
  path: string,
  defaults: Defaults,
  cwd: string,
  fs?: string,
): Promise<Result<{ settings: Settings; path: string; notes: readonly string[]; names?: ReadonlySet<string> }>> {
  const file = resolve(cwd, path);
  const read = await initialSettings(
    { values: new Map([['load', file]]), switches: new Set(), positionals: [], ...(fs === undefined ? {} : { fs }) },
    undefined,
    defaults,
    cwd,
  );
  // Said as a load from here, not as the start-up's "cannot start from".
  if (!read.ok) return fail(read.error.message.replace(/^cannot start from /, 'cannot load '), 'check the file, or load another (O)');
  const names = dotConfigNames(file, read.value.settings.arch);
  return ok({ settings: read.value.settings, path: file, notes: read.value.notes, ...(names === undefined ? {} : { names }) });
}
