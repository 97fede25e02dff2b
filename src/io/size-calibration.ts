// The calibration record on disk: build/<mode>.<arch>/osvconf-size.json beside the build it
// measured (found there by `osvconf size` in that tree), or a file the user names. A record that
// does not read is an error naming the file and the field, never silently ignored.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fail, ok, type Result } from '../core/result.js';
import { buildDir } from '../core/tree-layout.js';
import { plausible, type CalibrationRecord } from '../size/calibration.js';
import { readTextCapped } from './read-file.js';
import { writePlan } from './write-plan.js';

export const CALIBRATION_FILE = 'osvconf-size.json';
const MAX_BYTES = 1 << 20;

/** Where the tree's calibration for this arch and mode lives. */
export const treeCalibration = (tree: string, mode: string, arch: string): string => join(tree, buildDir({ mode, arch }), CALIBRATION_FILE);

export function readCalibration(path: string): Result<CalibrationRecord> {
  const text = readTextCapped(path, 'calibration file', MAX_BYTES);
  if (!text.ok) return text;
  let data: unknown;
  try {
    data = JSON.parse(text.value);
  } catch (e) {
    return fail(`${path}: not JSON: ${(e as Error).message}`, 'make it again with osvconf size --calibrate=build/<mode>.<arch>');
  }
  const r = data as Record<string, unknown>;
  const bad = (field: string): Result<never> =>
    fail(`${path}: ${field} is missing or wrong: not a calibration osvconf wrote`, 'make it again with osvconf size --calibrate=build/<mode>.<arch>');
  if (typeof data !== 'object' || data === null || r['osvconf_size_calibration'] !== 1) return bad('osvconf_size_calibration');
  for (const f of ['arch', 'mode', 'file', 'date'] as const) if (typeof r[f] !== 'string') return bad(f);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r['date'] as string)) return bad('date');
  // Sizes of a kernel: positive and below 1 GiB; the measurement within the plausible distance of the model.
  const kib = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 1024 * 1024;
  for (const f of ['measured_kib', 'model_kib'] as const) if (!kib(r[f])) return bad(f);
  const off = plausible(r['measured_kib'] as number, r['model_kib'] as number);
  if (off !== undefined)
    return fail(`${path}: ${off}`, 'make it again with osvconf size --calibrate=build/<mode>.<arch> and the selection that build was made with');
  if (!Array.isArray(r['on']) || !r['on'].every((x) => typeof x === 'string')) return bad('on');
  if (typeof r['hidden'] !== 'boolean') return bad('hidden');
  const symbols = r['version_script_symbols'];
  if (symbols !== null && (!Number.isInteger(symbols) || (symbols as number) < 0 || (symbols as number) > 10_000_000)) return bad('version_script_symbols');
  const components = r['components'];
  if (components !== undefined) {
    // Parts of the kernel measured: together no more than the whole, on either side.
    const entries = typeof components === 'object' && components !== null ? Object.values(components as Record<string, Record<string, unknown>>) : [];
    const sum = (f: string): number => entries.reduce((n, c) => n + (typeof c?.[f] === 'number' ? (c[f] as number) : 0), 0);
    if (sum('measured_kib') > (r['measured_kib'] as number) + 1 || sum('model_kib') > (r['model_kib'] as number) + 1)
      return bad('components (more than the whole kernel)');
    if (typeof components !== 'object' || components === null || Array.isArray(components)) return bad('components');
    for (const [name, c] of Object.entries(components as Record<string, unknown>)) {
      const entry = c as Record<string, unknown> | null;
      const size = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1024 * 1024;
      if (typeof entry !== 'object' || entry === null || !size(entry['measured_kib']) || !size(entry['model_kib'])) return bad(`components.${name}`);
    }
  }
  return ok(data as CalibrationRecord);
}

/** The calibration that applies: the named file, else the tree's (when there is one), else none. */
export function findCalibration(
  named: string | undefined,
  tree: string | undefined,
  mode: string,
  arch: string,
): Result<{ path: string; record: CalibrationRecord } | undefined> {
  const path = named ?? (tree === undefined ? undefined : treeCalibration(tree, mode, arch));
  if (path === undefined || (named === undefined && !existsSync(path))) return ok(undefined);
  const record = readCalibration(path);
  if (!record.ok) return record;
  if (record.value.arch !== arch || record.value.mode !== mode)
    return fail(
      `${path} calibrates ${record.value.mode}.${record.value.arch} kernels, but the selection is ${mode}.${arch}`,
      'calibrate on a build of this arch and mode',
    );
  return ok({ path, record: record.value });
}

/**
 * Only a calibration osvconf wrote is replaced (like every file it writes): one that starts the way
 * osvconf writes it, or, as earlier versions wrote it (components first), a JSON object of the
 * record's fields only. A file that merely mentions the marker is not one.
 */
export function ownsCalibration(existing: string): boolean {
  if (existing.startsWith('{\n  "osvconf_size_calibration": 1,\n')) return true;
  if (!existing.startsWith('{\n  "components": {')) return false;
  try {
    const data = JSON.parse(existing) as Record<string, unknown>;
    return data['osvconf_size_calibration'] === 1 && Object.keys(data).every((k) => RECORD_FIELDS.has(k));
  } catch {
    return false;
  }
}

const RECORD_FIELDS = new Set([
  'components',
  'osvconf_size_calibration',
  'arch',
  'mode',
  'file',
  'date',
  'measured_kib',
  'model_kib',
  'on',
  'hidden',
  'version_script_symbols',
]);

/** Writes the record whole (temporary file and rename), like every file osvconf writes. */
export function writeCalibration(path: string, record: CalibrationRecord): Result<void> {
  const done = writePlan(dirname(path), [{ path: basename(path), content: `${JSON.stringify(record, null, 2)}\n`, owns: ownsCalibration }]);
  return done.ok ? ok(undefined) : done;
}
