// The size model: calibration points reproduced (recomputed here, not read back), monotone,
// every number with a source; the incremental estimator agrees with a fresh one.
import { describe, expect, it } from 'vitest';
import { ARCHES } from '../helpers/cli.js';
import type { Bit } from '../../src/core/catalog.js';
import { loadSizeModel } from '../../src/io/size-files.js';
import { sizeInputOf } from '../../src/size/input.js';
import { createEstimator, type SizeModel } from '../../src/size/model.js';
import { rawDrivers, rawProfiles } from '../helpers/make-harness.js';
import { mustSelect } from '../helpers/pipeline.js';

describe('calibration', () => {
  const model = loadSizeModel('x64');
  const estimator = createEstimator(model);
  it('has current points, and every one is reproduced within ±1.5 % (older ones are kept as history)', () => {
    const current = model.calibration.filter((p) => p.history !== true);
    expect(current.length).toBeGreaterThanOrEqual(3);
    expect(current.some((p) => p.settings['hide_symbols'] === 'n')).toBe(true);
    for (const p of model.calibration) {
      const s = mustSelect('x64', p.profile, {}, { kconfig: { hide_symbols: 'y', ...p.settings } });
      const script = p.version_script_symbols === undefined ? undefined : { symbols: p.version_script_symbols, iconv: p.version_script_iconv ?? true };
      const kib = estimator.estimate(sizeInputOf(s, script, p.without)).kernelKib;
      const residual = ((kib - p.kib) / p.kib) * 100;
      if (p.history !== true) expect(Math.abs(residual), `${p.name}: model ${kib.toFixed(1)} vs measured ${p.kib}`).toBeLessThanOrEqual(1.5);
      // The data file carries the same residual: npm run calibrate was run after the last change.
      expect(p.residual_pct, p.name).toBeCloseTo(residual, 2);
    }
  });

  it('fits few parameters: core and the visible regime (the factors kept from the 2022 fit), never a per-profile number', () => {
    const fitted = Object.entries(model.factors)
      .filter(([, f]) => f.fit)
      .map(([k]) => k);
    expect(fitted).toEqual([]);
    expect(model.core.fit).toBe(true);
    expect(model.symbols_visible.fit).toBe(true);
    for (const c of model.components) expect(c.kib === undefined || c.source !== undefined, c.name).toBe(true);
  });
});

describe.each(ARCHES)('%s model', (arch) => {
  const model: SizeModel = loadSizeModel(arch);
  const estimator = createEstimator(model);

  it('every number says where it came from', () => {
    for (const [k, f] of Object.entries(model.factors)) expect(f.source.length, k).toBeGreaterThan(10);
    expect(model.core.source.length).toBeGreaterThan(10);
    for (const c of model.components) {
      expect(c.objects !== undefined || c.kib !== undefined, c.name).toBe(true);
      for (const o of c.objects ?? []) {
        expect(o.what.length, c.name).toBeGreaterThan(0);
        expect(model.factors[o.kind], `${c.name}: factor ${o.kind}`).toBeDefined();
      }
    }
    for (const v of Object.values(model.libsolaris)) expect(v.source.length).toBeGreaterThan(5);
  });

  it('components refer to real drivers and options', () => {
    const drivers = new Set(rawDrivers(arch).map((d) => d.name));
    const s = mustSelect(arch, 'all');
    const bools = new Set(s.kconfig.filter((k) => k.option.type === 'bool').map((k) => `conf_${k.option.name}`));
    for (const c of model.components)
      for (const key of [...Object.keys(c.when), ...Object.keys(c.registered ?? {})])
        expect(drivers.has(key) || bools.has(key), `${c.name}: ${key}`).toBe(true);
  });

  it('is monotone: turning a driver on never shrinks the kernel (every profile, both regimes)', () => {
    for (const profile of rawProfiles(arch).keys()) {
      for (const hide of ['y', 'n']) {
        for (const d of rawDrivers(arch)) {
          const off = estimator.estimate(
            sizeInputOf(mustSelect(arch, profile, { [d.name]: 0 as Bit }, { force: true, kconfig: { hide_symbols: hide } })),
          ).kernelKib;
          const on = estimator.estimate(
            sizeInputOf(mustSelect(arch, profile, { [d.name]: 1 as Bit }, { force: true, kconfig: { hide_symbols: hide } })),
          ).kernelKib;
          expect(on, `${arch} ${profile} hide=${hide} ${d.name}`).toBeGreaterThanOrEqual(off);
        }
      }
    }
  });

  it('hiding symbols shrinks it; an app script shrinks it more, fewer symbols more so', () => {
    const visible = estimator.estimate(sizeInputOf(mustSelect(arch, 'all'))).kernelKib;
    const hidden = estimator.estimate(sizeInputOf(mustSelect(arch, 'all', {}, { kconfig: { hide_symbols: 'y' } }))).kernelKib;
    const s = mustSelect(arch, 'all', {}, { kconfig: { hide_symbols: 'y' } });
    const small = estimator.estimate(sizeInputOf(s, { symbols: 20, iconv: true })).kernelKib;
    const big = estimator.estimate(sizeInputOf(s, { symbols: 800, iconv: true })).kernelKib;
    const noIconv = estimator.estimate(sizeInputOf(s, { symbols: 800, iconv: false })).kernelKib;
    expect(hidden).toBeLessThan(visible);
    expect(small).toBeLessThan(big);
    expect(big).toBeLessThan(hidden);
    expect(noIconv).toBeLessThan(big);
  });
});
