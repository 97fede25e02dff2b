// The central promise: for every arch × profile and any mix of conf_drivers_* overrides,
// osvconf's drivers_config.h is the one OSv's make + header generator produce.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Bit } from '../../src/core/catalog.js';
import { renderDriversConfigH } from '../../src/generators/drivers-config-h.js';
import { rng } from '../helpers/random.js';
import { osvconf, ARCHES } from '../helpers/cli.js';
import { headerValues, makeHeader, makeTree, rawDrivers, rawProfiles } from '../helpers/make-harness.js';
import { selectWith } from '../helpers/pipeline.js';

const tree = makeTree(ARCHES);
afterAll(() => rmSync(tree, { recursive: true, force: true }));

/** Does make's result leave a flag at 0 that an enabled flag implies? (the oracle for "conflict") */
function makeResultConflicts(arch: string, values: Map<string, string>): boolean {
  return rawDrivers(arch).some((d) => values.get(d.name) === '1' && d.implies.some((y) => values.get(y) === '0'));
}

describe('every profile through the CLI equals make', () => {
  for (const arch of ARCHES) {
    for (const profile of rawProfiles(arch).keys()) {
      it(`${arch} ${profile}`, () => {
        const expected = makeHeader(tree, arch, profile, []);
        const run = osvconf([`--arch=${arch}`, `--profile=${profile}`, '--print=drivers_config.h']);
        expect(run.stderr).not.toContain('error');
        expect(run.code).toBe(0);
        expect(run.stdout).toBe(expected);
      });
    }
  }
});

describe('random override sets equal make (seeded)', () => {
  const CASES_PER_ARCH = 200;
  for (const arch of ARCHES) {
    it(`${arch}: ${CASES_PER_ARCH} random selections`, () => {
      const seed = arch === 'x64' ? 20261123 : 1123;
      const next = rng(seed);
      const drivers = rawDrivers(arch).map((d) => d.name);
      const profiles = [...rawProfiles(arch).keys()];
      let conflicts = 0;
      for (let i = 0; i < CASES_PER_ARCH; i++) {
        const profile = profiles[Math.floor(next() * profiles.length)] as string;
        const overrides: Record<string, Bit> = {};
        const count = Math.floor(next() * 6);
        for (let k = 0; k < count; k++) overrides[drivers[Math.floor(next() * drivers.length)] as string] = next() < 0.5 ? 0 : 1;
        const label = `${arch} seed=${seed} case=${i} profile=${profile} ${JSON.stringify(overrides)}`;
        const expected = makeHeader(
          tree,
          arch,
          profile,
          Object.entries(overrides).map(([k, v]) => `conf_drivers_${k}=${v}`),
        );

        const forced = selectWith(arch, profile, overrides, { force: true });
        if (!forced.ok) throw new Error(`${label}: ${forced.error.message}`);
        expect(renderDriversConfigH(forced.value), label).toBe(expected);

        // Without --force, osvconf refuses exactly the selections where make keeps an implied flag at 0.
        const strictByDefault = selectWith(arch, profile, overrides);
        const makeConflicts = makeResultConflicts(arch, headerValues(expected));
        expect(strictByDefault.ok, label).toBe(!makeConflicts);
        if (makeConflicts) conflicts++;
      }
      // The generator must actually exercise both outcomes.
      expect(conflicts).toBeGreaterThan(5);
      expect(conflicts).toBeLessThan(CASES_PER_ARCH - 5);
    });
  }
});

describe('a sample of random selections through the CLI', () => {
  it('x64 and aarch64, with --force where make keeps a conflict', () => {
    const next = rng(77);
    for (let i = 0; i < 12; i++) {
      const arch = ARCHES[i % ARCHES.length] as string;
      const drivers = rawDrivers(arch).map((d) => d.name);
      const profiles = [...rawProfiles(arch).keys()];
      const profile = profiles[Math.floor(next() * profiles.length)] as string;
      const settings = Array.from(
        { length: 1 + Math.floor(next() * 4) },
        () => `conf_drivers_${drivers[Math.floor(next() * drivers.length)]}=${next() < 0.5 ? 0 : 1}`,
      );
      const unique = [...new Map(settings.map((s) => [s.split('=')[0], s])).values()];
      const expected = makeHeader(tree, arch, profile, unique);
      const run = osvconf([`--arch=${arch}`, `--profile=${profile}`, '--force', ...unique, '--print=drivers_config.h']);
      expect(run.code, `${arch} ${profile} ${unique.join(' ')}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toBe(expected);
    }
  });
});
