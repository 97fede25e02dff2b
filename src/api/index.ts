// osvconf as a library: the same model the CLI and the configurator use, for build tools and
// editor plugins. `import { resolve, render, estimate, write } from 'osvconf'`. Every function
// answers with a Result (errors are values: { ok: false, error: { message, hint } }), never throws
// on bad input, and reads nothing but the files named in its options.
import { plan } from '../app/plan.js';
import { resolveSelection } from '../app/selection.js';
import { appScriptSize } from '../app/size-input.js';
import { fail, ok, type Result } from '../core/result.js';
import type { Selection } from '../core/select.js';
import { ARTIFACTS, findArtifact } from '../generators/artifacts.js';
import { checkOutDir } from '../io/out-dir.js';
import { loadSizeModel } from '../io/size-files.js';
import { writePlan, type FileOutcome } from '../io/write-plan.js';
import { sizeInputOf } from '../size/input.js';
import { createEstimator, type Estimate } from '../size/model.js';

export type { OsvError, Result } from '../core/result.js';
export type { Selection, SelectionRequest, Warning, WarningCode } from '../core/select.js';
export type { Estimate, EstimateLine } from '../size/model.js';
export type { FileOutcome } from '../io/write-plan.js';

/** What `osvconf [flags] [SETTING...]` takes, as options. */
export interface ResolveOptions {
  readonly arch?: string;
  readonly mode?: string;
  readonly profile?: string;
  /** Settings in OSv's spelling: `conf_drivers_<name>=1`, `conf_<option>=VALUE`, `fs=...`. */
  readonly settings?: readonly string[];
  /** Saved configurations or .config files, applied in order before the settings. */
  readonly load?: readonly string[];
  readonly profilesDir?: string;
  /** Keep make's result for conflicts instead of refusing (with warnings). */
  readonly force?: boolean;
  /** Refuse pitfalls and values that do not take. */
  readonly strict?: boolean;
  /** Where relative paths (a version script, --load files) are read from; default process.cwd(). */
  readonly cwd?: string;
}

/** Resolves a selection exactly as the CLI does (make's semantics, osvconf's checks). */
export async function resolve(options: ResolveOptions = {}): Promise<Result<Selection>> {
  const values = new Map<string, string>();
  if (options.arch !== undefined) values.set('arch', options.arch);
  if (options.mode !== undefined) values.set('mode', options.mode);
  if (options.profile !== undefined) values.set('profile', options.profile);
  if (options.profilesDir !== undefined) values.set('profiles-dir', options.profilesDir);
  const switches = new Set([...(options.force === true ? ['force'] : []), ...(options.strict === true ? ['strict'] : [])]);
  const lists = new Map(options.load === undefined || options.load.length === 0 ? [] : [['load', options.load]]);
  const resolved = await resolveSelection({ values, switches, lists }, options.settings ?? [], options.cwd ?? process.cwd());
  return resolved.ok ? ok(resolved.value.selection) : resolved;
}

/** The names of the artifacts render() makes (drivers_config.h, .config, profile.mk, ...). */
export function artifactNames(): string[] {
  return ARTIFACTS.map((a) => a.name);
}

/** One artifact of a selection, byte for byte what `osvconf --print=NAME` writes. */
export function render(selection: Selection, artifact: string): Result<string> {
  const found = findArtifact(artifact);
  if (found === undefined) return fail(`unknown artifact "${artifact}"`, `one of: ${artifactNames().join(', ')}`);
  return ok(found.render(selection));
}

/** `osvconf size`'s estimate of the kernel (the app version script read from `tree`, if set). */
export function estimate(selection: Selection, options: { readonly tree?: string } = {}): Result<Estimate> {
  const model = loadSizeModel(selection.request.arch);
  if (!model.modes.includes(selection.request.mode))
    return fail(`no size estimate for mode=${selection.request.mode}`, `the model covers ${model.modes.join(', ')}`);
  const script = appScriptSize(selection, options.tree ?? process.cwd());
  if (!script.ok) return script;
  return ok(createEstimator(model).estimate(sizeInputOf(selection, script.value)));
}

/** Writes the selection into an OSv tree as `osvconf --out=DIR` does (same safety rules). */
export function write(selection: Selection, out: string, options: { readonly force?: boolean } = {}): Result<FileOutcome[]> {
  const place = checkOutDir(out, options.force === true);
  if (!place.ok) return place;
  return writePlan(out, plan(selection).files, { force: options.force === true });
}
