// The calibration behind npm run calibrate (scripts/calibrate.mjs): fits the x64 size model to the measured builds and writes the fitted
// numbers and every calibration point's residual into conf/size/x64.json; aarch64, which has
// no measured sizes, borrows the fitted factors and core (and says so).
//
// The model is linear in its fitted parameters (core KiB and the KiB-per-source-byte factors
// marked fit), so they are solved by weighted least squares on relative error over the current
// points with symbols hidden and no version script. The extra KiB of the visible regime is then
// set from the current points with symbols visible, and the version-script saving from a current
// point that has a script. Points marked history (older OSv, other toolchains) are reported, not
// fitted. Components are never tuned one by one: their sizes follow from their source bytes.

import { select } from '../core/select.js';
import { loadArchCatalog, loadDefaults, profileSource } from '../io/catalog-files.js';
import { loadSizeModel, saveSizeModel } from '../io/size-files.js';
import { sizeInputOf } from './input.js';
import { createEstimator, type CalibrationPoint, type SizeModel } from './model.js';

function solve(a: number[][], b: number[]): number[] {
  // Gaussian elimination with partial pivoting on the normal equations (a few unknowns).
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[p] as number[])[c] as number)) p = r;
    [m[c], m[p]] = [m[p] as number[], m[c] as number[]];
    const pivot = (m[c] as number[])[c] as number;
    if (Math.abs(pivot) < 1e-300) throw new Error('calibration: the points do not determine the parameters');
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = ((m[r] as number[])[c] as number) / pivot;
      for (let k = c; k <= n; k++) (m[r] as number[])[k] = ((m[r] as number[])[k] as number) - f * ((m[c] as number[])[k] as number);
    }
  }
  return m.map((row, i) => (row[n] as number) / (row[i] as number));
}

function fail(message: string): never {
  throw new Error(message);
}

function selectionFor(arch: string, point: CalibrationPoint) {
  const defaults = loadDefaults();
  const catalog = loadArchCatalog(arch);
  if (!defaults.ok || !catalog.ok) fail('calibration: the catalog does not load');
  // Calibration builds hide symbols unless the point's settings say otherwise.
  const hiding = catalog.value.kconfig.menus.flatMap((m) => m.options).find((o) => o.role === 'hide-symbols');
  const kconfig = new Map(Object.entries({ ...(hiding === undefined ? {} : { [hiding.name]: 'y' }), ...point.settings }));
  const s = select(
    { arch, mode: 'release', profile: point.profile, drivers: new Map(), kconfig, options: new Map(), force: false, strict: false },
    catalog.value,
    profileSource(catalog.value, defaults.value),
  );
  if (!s.ok) fail(`calibration point ${point.name}: ${s.error.message}`);
  return s.value;
}

export function calibrate(model: SizeModel): SizeModel {
  const fitted = Object.entries(model.factors)
    .filter(([, f]) => f.fit)
    .map(([k]) => k);
  const unknowns = [...(model.core.fit ? ['core'] : []), ...fitted];
  // Each point's size = fixed part + sum(unknown * coefficient): find the coefficients by
  // evaluating the model with one unknown at 1 and the others at 0.
  const withParams = (params: Record<string, number>, vsSaving = model.version_script.max_saving_kib): SizeModel => ({
    ...model,
    core: { ...model.core, kib: params['core'] ?? model.core.kib },
    factors: Object.fromEntries(Object.entries(model.factors).map(([k, f]) => [k, { ...f, kib_per_source_byte: params[k] ?? f.kib_per_source_byte }])),
    version_script: { ...model.version_script, max_saving_kib: vsSaving },
  });
  const zero = Object.fromEntries(unknowns.map((u) => [u, 0]));
  const evaluate = (m: SizeModel, p: CalibrationPoint): number => {
    const input = sizeInputOf(
      selectionFor(m.arch, p),
      p.version_script_symbols === undefined ? undefined : { symbols: p.version_script_symbols, iconv: p.version_script_iconv ?? true },
      p.without,
    );
    return createEstimator(m).estimate(input).kernelKib;
  };
  const current = model.calibration.filter((p) => p.history !== true);
  // A point with symbols visible: its selection says so (the option is found by its role).
  const visible = (p: CalibrationPoint): boolean => !sizeInputOf(selectionFor(model.arch, p)).hidden;
  const plain = current.filter((p) => p.version_script_symbols === undefined && !visible(p));
  if (plain.length < unknowns.length) fail(`calibration: ${plain.length} points for ${unknowns.length} unknowns`);
  const rows = plain.map((p) => {
    const fixed = evaluate(withParams(zero), p);
    return { p, fixed, coef: unknowns.map((u) => evaluate(withParams({ ...zero, [u]: 1 }), p) - fixed) };
  });
  // Normal equations of the relative-error least squares.
  const ata = unknowns.map((_, i) => unknowns.map((__, j) => rows.reduce((s, r) => s + ((r.coef[i] as number) * (r.coef[j] as number)) / r.p.kib ** 2, 0)));
  const atb = unknowns.map((_, i) => rows.reduce((s, r) => s + ((r.coef[i] as number) * (r.p.kib - r.fixed)) / r.p.kib ** 2, 0));
  const solution = Object.fromEntries(unknowns.map((u, i) => [u, solve(ata, atb)[i] as number]));
  let result = withParams(solution);
  // The visible regime: what is left of each visible point after everything else, averaged.
  const shown = current.filter(visible);
  if (shown.length > 0 && model.symbols_visible.fit === true) {
    const zeroExtra: SizeModel = { ...result, symbols_visible: { ...result.symbols_visible, extra_kib: 0 } };
    const extra = shown.reduce((sum, p) => sum + (p.kib - evaluate(zeroExtra, p)), 0) / shown.length;
    result = { ...result, symbols_visible: { ...result.symbols_visible, extra_kib: Number(extra.toPrecision(6)) } };
  }
  // The version-script saving: from the point that has a script, given everything else.
  const scripted = current.find((p) => p.version_script_symbols !== undefined);
  if (scripted !== undefined && model.version_script.fit) {
    const { version_script_symbols: symbols, ...unscripted } = scripted;
    const withoutScript = evaluate(result, unscripted);
    const fraction = 1 - (symbols as number) / model.version_script.full_exports;
    const iconv = scripted.version_script_iconv === false ? model.version_script.iconv_saving_kib : 0;
    result = { ...withParams(solution, (withoutScript - scripted.kib - iconv) / fraction), symbols_visible: result.symbols_visible };
  }
  const round = (x: number, digits: number): number => Number(x.toPrecision(digits));
  result = {
    ...result,
    core: { ...result.core, kib: round(result.core.kib, 6) },
    factors: Object.fromEntries(Object.entries(result.factors).map(([k, f]) => [k, { ...f, kib_per_source_byte: round(f.kib_per_source_byte, 6) }])),
    version_script: { ...result.version_script, max_saving_kib: round(result.version_script.max_saving_kib, 6) },
  };
  const final = result;
  return {
    ...final,
    calibration: final.calibration.map((p) => {
      const m = evaluate(final, p);
      return { ...p, model_kib: round(m, 6), residual_pct: Number((((m - p.kib) / p.kib) * 100).toFixed(3)) };
    }),
  };
}

/**
 * Refits x64 on its measured points and lends the fit to aarch64 (which has none); returns the
 * report lines. Writes conf/size/*.json: run by scripts/calibrate.mjs (npm run calibrate), never
 * at import.
 */
export function calibrateShippedModels(): string[] {
  const x64 = calibrate(loadSizeModel('x64'));
  saveSizeModel(x64);
  const arm = loadSizeModel('aarch64');
  saveSizeModel({
    ...arm,
    core: { ...arm.core, kib: x64.core.kib },
    factors: Object.fromEntries(
      Object.entries(arm.factors).map(([k, f]) => [k, f.fit ? { ...f, kib_per_source_byte: x64.factors[k]?.kib_per_source_byte ?? f.kib_per_source_byte } : f]),
    ),
    version_script: { ...arm.version_script, max_saving_kib: x64.version_script.max_saving_kib },
  });
  const lines = x64.calibration.map(
    (p) =>
      `${p.name.padEnd(26)} measured ${String(p.kib).padStart(6)} KiB  model ${p.model_kib?.toFixed(1).padStart(7)} KiB  residual ${p.residual_pct?.toFixed(2).padStart(6)} %${p.history === true ? '  (history: not fitted)' : ''}`,
  );
  lines.push(
    `core ${x64.core.kib} KiB; ${Object.entries(x64.factors)
      .map(([k, f]) => `${k} ${(f.kib_per_source_byte * 1024).toFixed(3)} B/B`)
      .join(', ')}; version script saving up to ${x64.version_script.max_saving_kib} KiB`,
  );
  return lines;
}
