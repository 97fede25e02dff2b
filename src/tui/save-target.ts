// Where the configurator saves (s, D: the artifacts into the tree, as --out writes them; S: the
// saved configuration to a file name) and what O loads from.
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { savedConfigPath } from '../core/tree-layout.js';
import { MAX_DATA_BYTES, readTextCapped } from '../io/read-file.js';
import { fail, ok, type Result } from '../core/result.js';
import type { Defaults } from '../core/catalog.js';
import { plan } from '../app/plan.js';
import { appVersionScript } from '../app/selection.js';
import { unifiedDiff } from '../app/unified-diff.js';
import { renderBuildCommand } from '../generators/build-command.js';
import { renderConfiguration } from '../generators/configuration.js';
import { checkOutDir, literalTilde } from '../io/out-dir.js';
import { comparePlan, writePlan } from '../io/write-plan.js';
import { isOsvconfVersionScript } from '../symbols/version-script.js';
import type { SavedFiles, SaveTarget } from './effects.js';
import { hintOf } from './remedies.js';
import { loadConfigurationFile } from './start-settings.js';
import type { State, TuiCore } from './state.js';

function diffStat(before: string | undefined, after: string): string {
  if (before === undefined) return `(new, ${after.split('\n').length - 1} lines)`;
  const a = new Set(before.split('\n'));
  const b = new Set(after.split('\n'));
  const added = [...b].filter((l) => !a.has(l)).length;
  const removed = [...a].filter((l) => !b.has(l)).length;
  return added + removed === 0 ? '' : `(+${added} -${removed} lines)`;
}

export function saveTarget(where: string | undefined, core: TuiCore, cwd: string, defaults: Defaults, initial?: State): SaveTarget {
  // The saved configuration as the configurator read it (or last wrote it). A save over one that
  // has changed on disk since (another osvconf set, an editor, a git checkout) is refused once,
  // saying so; s again writes over it (the user has seen it), O loads it instead.
  const seen = new Map<string, string | undefined>();
  const acknowledged = new Map<string, string | undefined>();
  const onDisk = (rel: string): string | undefined => {
    if (where === undefined) return undefined;
    const text = readTextCapped(join(where, rel), 'saved configuration', MAX_DATA_BYTES);
    return text.ok ? text.value : undefined;
  };
  if (initial !== undefined && where !== undefined) {
    const rel = savedConfigPath(initial.selection.request);
    seen.set(rel, onDisk(rel));
  }
  const changedSince = (state: State): Result<void> => {
    const rel = savedConfigPath(state.selection.request);
    if (!seen.has(rel)) return ok(undefined);
    const now = onDisk(rel);
    if (now === seen.get(rel) || (acknowledged.has(rel) && acknowledged.get(rel) === now)) return ok(undefined);
    acknowledged.set(rel, now);
    return fail(
      `${rel} changed on disk since the configurator read it (another osvconf, an editor or a checkout wrote it): saving would replace that`,
      'press s again to write over it, or Esc and O to load it first',
    );
  };
  const files = (state: State, compare: boolean, form: 'minimal' | undefined): Result<SavedFiles> => {
    if (where === undefined) return fail('no OSv tree to save into', 'start osvconf in an OSv checkout, or give --out=DIR');
    if (compare) {
      const changed = changedSince(state);
      if (!changed.ok) return changed;
    }
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
    if (!compare) {
      // What is on disk now is what this session wrote.
      const rel = savedConfigPath(state.selection.request);
      seen.set(rel, onDisk(rel));
      acknowledged.delete(rel);
    }
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
    load: (path, state) => loadConfigurationFile(path, defaults, cwd, state.selection.request.options.get('fs')),
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
  return done.ok
    ? ok(path)
    : fail(done.error.message, done.error.hint === undefined ? 'give another file name' : `${done.error.hint}, or give another file name`);
}
