// What the size model reads for a selection in a tree, the same for `osvconf size` and the
// configurator's size panel: the selection, and the app version script it builds with (its
// symbol count), read from the tree as make reads it.
import { statSync } from 'node:fs';
import { fail, ok, type Result } from '../core/result.js';
import type { Selection } from '../core/select.js';
import { isVersionScript, versionScriptNames } from '../io/kernel-symbols.js';
import { MAX_VERSION_SCRIPT_BYTES, readTextCapped } from '../io/read-file.js';
import { sizeInputOf } from '../size/input.js';
import type { Estimate, Estimator, SizeInput } from '../size/model.js';
import { applyCalibration, implausibleShift } from '../size/calibration.js';
import { findCalibration, treeCalibration } from '../io/size-calibration.js';
import { appVersionScript } from './selection.js';

/**
 * Version scripts not written yet, by absolute path: the configurator holds a generated script
 * until the user saves, and sizes the selection with it meanwhile.
 */
export type PendingScripts = Readonly<Record<string, string>>;

/** The app version script of the selection: its symbol count and whether it keeps iconv. */
export function appScriptSize(selection: Selection, tree: string, pending?: PendingScripts): Result<{ symbols: number; iconv: boolean } | undefined> {
  const script = appVersionScript(selection, tree);
  if (script === undefined) return ok(undefined);
  const held = pending?.[script.path];
  if (held !== undefined) return scriptSize(script.path, held);
  if (!script.exists)
    return fail(`conf_version_script=${script.setting}: no such file (looked at ${script.path})`, 'write it with osvconf symbols APP --out=FILE');
  // The configurator asks on every change: read a script again only when it changed on disk.
  let stamp = '';
  try {
    const st = statSync(script.path);
    stamp = `${st.mtimeMs}/${st.size}/${st.ino}`;
  } catch {
    // read below says what is wrong
  }
  const cached = scriptCache.get(script.path);
  if (cached !== undefined && stamp !== '' && cached.stamp === stamp) return cached.result;
  const result = readScript(script.path);
  if (stamp !== '') scriptCache.set(script.path, { stamp, result });
  return result;
}

const scriptCache = new Map<string, { stamp: string; result: Result<{ symbols: number; iconv: boolean } | undefined> }>();

function readScript(path: string): Result<{ symbols: number; iconv: boolean } | undefined> {
  const read = readTextCapped(path, 'version script', MAX_VERSION_SCRIPT_BYTES);
  if (!read.ok) return read;
  return scriptSize(path, read.value);
}

function scriptSize(path: string, text: string): Result<{ symbols: number; iconv: boolean } | undefined> {
  if (!isVersionScript(text)) return fail(`${path} is not a version script`, 'a version script reads { global: name; ... local: *; };');
  const names = versionScriptNames(text);
  if (names === '*') return ok(undefined);
  return ok({ symbols: names.size, iconv: [...names].some((n) => n.startsWith('iconv')) });
}

/** The size model's input: the selection and its app version script when it has one it can read. */
export function sizeInputIn(selection: Selection, tree: string, pending?: PendingScripts): SizeInput {
  const script = appScriptSize(selection, tree, pending);
  // A script that cannot be read (missing, not a version script) is estimated without: osvconf
  // size and the selection's checks say what is wrong with it.
  return sizeInputOf(selection, script.ok ? script.value : undefined);
}

const calibrationCache = new Map<string, { stamp: string; found: ReturnType<typeof findCalibration> }>();

/** The tree's calibration (build/<mode>.<arch>/osvconf-size.json), read again only when it changed on disk. */
function treeCalibrationOf(tree: string, mode: string, arch: string): ReturnType<typeof findCalibration> {
  const path = treeCalibration(tree, mode, arch);
  let stamp: string;
  try {
    const st = statSync(path);
    stamp = `${st.mtimeMs}/${st.size}/${st.ino}`;
  } catch {
    return ok(undefined); // none: the model's estimate
  }
  const cached = calibrationCache.get(path);
  if (cached !== undefined && cached.stamp === stamp) return cached.found;
  const found = findCalibration(undefined, tree, mode, arch);
  calibrationCache.set(path, { stamp, found });
  return found;
}

/**
 * The estimate every front end shows for a selection in a tree: the model's, on the selection
 * with its app version script, shifted by the tree's calibration when there is one (the same
 * number `osvconf size` prints there).
 */
export function estimateIn(estimator: Estimator, selection: Selection, tree: string, pending?: PendingScripts): Estimate {
  const input = sizeInputIn(selection, tree, pending);
  const estimate = estimator.estimate(input);
  const found = treeCalibrationOf(tree, selection.request.mode, selection.request.arch);
  if (!found.ok) return { ...estimate, calibration: { error: found.error.message } };
  if (found.value === undefined) return estimate;
  const c = applyCalibration(found.value.record, input, estimate.kernelKib, estimate.lines);
  const wrong = implausibleShift(c, estimate.kernelKib);
  if (wrong !== undefined) return { ...estimate, calibration: { error: `${found.value.path}: ${wrong}` } };
  return { ...estimate, kernelKib: c.kernelKib, calibration: { file: found.value.record.file, date: found.value.record.date, offsetKib: c.offsetKib } };
}
