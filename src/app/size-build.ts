// What `osvconf size` reads and writes besides the model: a built kernel measured (by source
// file with DWARF, else by symbol names), the user's build turned into a calibration record, and
// the --html page. Front-end neutral: the command formats the results.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { fail, ok, type Result } from '../core/result.js';
import { formatKib } from '../core/format.js';
import type { Selection } from '../core/select.js';
import { elfMachines, type Defaults } from '../core/catalog.js';
import { loadAttribution } from '../io/size-files.js';
import { CALIBRATION_FILE, treeCalibration } from '../io/size-calibration.js';
import { comparePlan, writePlan } from '../io/write-plan.js';
import { readBytes } from '../symbols/inputs.js';
import { readElfSizes } from '../symbols/elf.js';
import { attribute, attributeFiles, compileRules, compileSources, type Measured } from '../size/measure.js';
import { attributeElf } from '../size/dwarf.js';
import { calibrationRecord, plausible, type CalibrationRecord } from '../size/calibration.js';
import type { Estimate, SizeInput } from '../size/model.js';
import { renderSizeReport, REPORT_START } from '../size/size-report.js';

/** --elf=FILE: the measured kernel (by source file when it has DWARF), or an error naming the file. */
export function measureElf(path: string, arch: string, defaults: Defaults, rules = loadAttribution()): Result<Measured> {
  const bytes = readBytes(path);
  if (!bytes.ok) return bytes;
  const elf = readElfSizes(bytes.value, path, elfMachines(defaults));
  if (!elf.ok) return elf;
  if (elf.value.arch !== arch) return fail(`${path} is an ${elf.value.arch} kernel, but the selection is for ${arch}`, `add --arch=${elf.value.arch}`);
  const dwarf = attributeElf(bytes.value, path);
  if (!dwarf.ok) return dwarf;
  if (!dwarf.value.dwarf.debugInfo) return ok(attribute(elf.value, compileRules(rules.rules)));
  return ok(attributeFiles(elf.value, dwarf.value.dwarf, dwarf.value.attribution, compileSources(rules.sources), rules.core_component));
}

/** The kernel file OSv's build leaves in build/<mode>.<arch> (with its DWARF, and stripped), and the bootfs it carries. */
const UNSTRIPPED = 'loader.elf';
const STRIPPED = 'loader-stripped.elf';

/**
 * The components of the calibration build measured by source file (loader.elf's DWARF), beside
 * the model's sizes of them: only components whose cost lies in their own files, and none when
 * the build has no loader.elf with DWARF (the calibration then shifts the total only).
 */
function measuredComponents(
  path: string,
  arch: string,
  defaults: Defaults,
  estimate: Estimate,
): Result<Map<string, { measuredKib: number; modelKib: number }> | undefined> {
  if (!existsSync(path)) return ok(undefined);
  const rules = loadAttribution();
  const measured = measureElf(path, arch, defaults, rules);
  if (!measured.ok) return measured;
  if (measured.value.method !== 'dwarf') return ok(undefined);
  const own = new Set(rules.sources.filter((r) => r.spread !== true).map((r) => r.component));
  const out = new Map<string, { measuredKib: number; modelKib: number }>();
  for (const line of estimate.lines) {
    const kib = measured.value.components.get(line.name);
    if (line.kib > 0 && line.unregistered !== true && kib !== undefined && own.has(line.name)) out.set(line.name, { measuredKib: kib, modelKib: line.kib });
  }
  return ok(out);
}
const BOOTFS = 'bootfs.bin';

/**
 * --calibrate=DIR: the measured size of the user's build of this selection (loader-stripped.elf
 * without its bootfs, the model's target) with what the model says for it, and where to store it
 * (written only once every other part of the command has succeeded).
 */
export function calibrationFromBuild(
  dir: string,
  named: string | undefined,
  selection: Selection,
  input: SizeInput,
  modelEstimate: Estimate,
  tree: string | undefined,
  defaults: Defaults,
): Result<{ path: string; record: CalibrationRecord }> {
  const file = resolvePath(dir, STRIPPED);
  const bytes = readBytes(file);
  if (!bytes.ok)
    return fail(`${bytes.error.message}`, `--calibrate names the build directory (build/<mode>.<arch>) after OSv's make has built ${STRIPPED} there`);
  const elf = readElfSizes(bytes.value, file, elfMachines(defaults));
  if (!elf.ok) return elf;
  const { arch, mode } = selection.request;
  if (elf.value.arch !== arch) return fail(`${file} is an ${elf.value.arch} kernel, but the selection is for ${arch}`, `add --arch=${elf.value.arch}`);
  let bootfs = 0;
  try {
    const st = statSync(resolvePath(dir, BOOTFS));
    if (st.isFile()) bootfs = st.size;
  } catch {
    // no bootfs.bin beside it: nothing to take off
  }
  const components = measuredComponents(resolvePath(dir, UNSTRIPPED), arch, defaults, modelEstimate);
  if (!components.ok) return components;
  const record = calibrationRecord(
    input,
    { arch, mode, file, date: new Date().toISOString().slice(0, 10) },
    (bytes.value.length - bootfs) / 1024,
    modelEstimate.kernelKib,
    components.value,
  );
  const off = plausible(record.measured_kib, record.model_kib);
  if (off !== undefined) return fail(`${file}: ${off}`, 'give the selection the build was made with (the same profile, drivers, conf_hide_symbols, fs)');
  const stored = named ?? (tree === undefined ? resolvePath(dir, CALIBRATION_FILE) : treeCalibration(tree, mode, arch));
  return ok({ path: resolvePath(stored), record });
}

/** --html=FILE: the page, written whole; a file osvconf did not write is not replaced. */
export function writeSizeReport(
  path: string,
  selection: Selection,
  target: string,
  estimate: Estimate,
  calibratedOn: string | undefined,
  m: Measured | undefined,
  elfPath: string | undefined,
): Result<void> {
  const { arch, profile } = selection.request;
  // The model's components (a calibration shifts the total in the line above, not a component).
  const parts = [{ title: 'estimate by component', items: estimate.lines.filter((l) => l.kib > 0) }];
  if (m !== undefined) {
    const labels = new Map(estimate.lines.map((l) => [l.name, l.label]));
    const items = [...m.components].map(([name, kib]) => ({ name, label: labels.get(name) ?? name, kib }));
    items.push({ name: 'unattributed', label: 'unattributed', kib: m.unattributedKib });
    parts.push({ title: `measured (${m.method === 'dwarf' ? 'by source file' : 'by symbol names'})`, items });
  }
  const html = renderSizeReport({
    heading: `osvconf size: ${arch}, profile ${profile}`,
    lines: [
      `${target}: estimated ${formatKib(estimate.kernelKib)} (± ${estimate.uncertaintyPct} %)${calibratedOn === undefined ? '' : `, calibrated on ${calibratedOn}`}`,
      ...(m === undefined || elfPath === undefined ? [] : [`measured: ${elfPath}, ${formatKib(m.fileKib)} file`]),
    ],
    parts,
  });
  const dir = dirname(path);
  const written = writePlan(dir, [{ path: basename(path), content: html, owns: ownsSizeReport }]);
  // Its file is the one --html names: the write plan's remedies (another profile name, --force) do not apply.
  return written.ok ? ok(undefined) : fail(written.error.message, written.error.hint);
}

/**
 * The files a size command will write (--html, the calibration), checked before either is
 * written: an existing directory, not one file twice, and no file osvconf did not write in the
 * way (a literal ~ is refused as the user typed it, before the path is resolved). Then a failure cannot leave one written and the other not.
 */
export function checkSizeOutputs(outputs: readonly { path: string; what: string; owns: (existing: string) => boolean }[]): Result<void> {
  const seen = new Set<string>();
  for (const o of outputs) {
    if (seen.has(o.path)) return fail(`${o.path} is named for two outputs`, 'give the page and the calibration a file each');
    seen.add(o.path);
    let dir: ReturnType<typeof statSync> | undefined;
    try {
      dir = statSync(dirname(o.path));
    } catch {
      dir = undefined;
    }
    if (dir === undefined || !dir.isDirectory())
      return fail(`${o.path}: no such directory ${dirname(o.path)}`, `give the ${o.what} a file in an existing directory`);
    const planned = comparePlan(dirname(o.path), [{ path: basename(o.path), content: '', owns: o.owns }]);
    if (!planned.ok) return fail(planned.error.message, `move it away, or name another file for the ${o.what}`);
  }
  return ok(undefined);
}

/** Who wrote a page: osvconf's pages start with its doctype, head and generator mark. */
export const ownsSizeReport = (existing: string): boolean => existing.startsWith(REPORT_START);
