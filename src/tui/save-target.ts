// Where the configurator saves (s, D: the artifacts into the tree, as --out writes them; S: the
// saved configuration to a file name) and what O loads from.
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
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

export function saveTarget(where: string | undefined, core: TuiCore, cwd: string, defaults: Defaults): SaveTarget {
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
  return done.ok
    ? ok(path)
    : fail(done.error.message, done.error.hint === undefined ? 'give another file name' : `${done.error.hint}, or give another file name`);
}
