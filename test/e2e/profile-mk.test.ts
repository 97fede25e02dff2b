// --print=profile.mk and --print=base.mk under real GNU make: a tree holding only osvconf's
// base.mk and its custom profile, built with conf_drivers_profile=<name> and no other driver
// setting, gives the drivers_config.h osvconf gives for the selection.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Bit } from '../../src/core/catalog.js';
import { renderDriversConfigH } from '../../src/generators/drivers-config-h.js';
import { renderBaseMk, renderProfileMk } from '../../src/generators/make-files.js';
import { rng } from '../helpers/random.js';
import { osvconf, ARCHES } from '../helpers/cli.js';
import { emptyMakeTree, makeHeader, rawDrivers, rawProfiles } from '../helpers/make-harness.js';
import { mustSelect } from '../helpers/pipeline.js';

const tree = emptyMakeTree();
afterAll(() => rmSync(tree, { recursive: true, force: true }));
for (const arch of ARCHES) {
  mkdirSync(join(tree, 'conf', 'profiles', arch), { recursive: true });
  writeFileSync(join(tree, 'conf', 'profiles', arch, 'base.mk'), renderBaseMk(mustSelect(arch, 'base')));
}

let counter = 0;
function roundTrip(arch: string, profile: string, overrides: Record<string, Bit>): { expected: string; made: string } {
  const name = `case${counter++}`;
  const selection = mustSelect(arch, profile, overrides, { force: true });
  const named = { ...selection, request: { ...selection.request, customName: name } };
  writeFileSync(join(tree, 'conf', 'profiles', arch, `${name}.mk`), renderProfileMk(named));
  return { expected: renderDriversConfigH(selection), made: makeHeader(tree, arch, name, []) };
}

describe('custom profile + base.mk under make', () => {
  for (const arch of ARCHES) {
    it(`${arch}: every profile`, () => {
      for (const profile of rawProfiles(arch).keys()) {
        const r = roundTrip(arch, profile, {});
        expect(r.made, profile).toBe(r.expected);
      }
    });

    it(`${arch}: 150 random override sets, conflicts kept with --force included`, () => {
      const next = rng(arch === 'x64' ? 4242 : 2424);
      const drivers = rawDrivers(arch).map((d) => d.name);
      const profiles = [...rawProfiles(arch).keys()];
      for (let i = 0; i < 150; i++) {
        const profile = profiles[Math.floor(next() * profiles.length)] as string;
        const overrides: Record<string, Bit> = {};
        for (let k = Math.floor(next() * 6); k > 0; k--) overrides[drivers[Math.floor(next() * drivers.length)] as string] = next() < 0.5 ? 0 : 1;
        const r = roundTrip(arch, profile, overrides);
        expect(r.made, `${arch} ${profile} ${JSON.stringify(overrides)}`).toBe(r.expected);
      }
    });
  }
});

describe("a custom profile under later command-line settings, as OSv's own profiles behave", () => {
  for (const arch of ARCHES) {
    it(`${arch}: every profile baked, then a driver it lacks turned on: base.mk's implications still apply`, () => {
      const next = rng(arch === 'x64' ? 77 : 78);
      for (const profile of rawProfiles(arch).keys()) {
        const selection = mustSelect(arch, profile, {}, { force: true });
        const name = `later${counter++}`;
        writeFileSync(
          join(tree, 'conf', 'profiles', arch, `${name}.mk`),
          renderProfileMk({ ...selection, request: { ...selection.request, customName: name } }),
        );
        const off = selection.drivers.flags.filter((f) => f.value === 0).map((f) => f.name);
        for (let k = 0; k < 3 && off.length > 0; k++) {
          const driver = off[Math.floor(next() * off.length)] as string;
          // OSv's profiles set only what they turn on, so the same setting after the OSv profile is the oracle.
          const expected = renderDriversConfigH(mustSelect(arch, profile, { [driver]: 1 }, { force: true }));
          expect(makeHeader(tree, arch, name, [`conf_drivers_${driver}=1`]), `${arch} ${profile} + ${driver}`).toBe(expected);
        }
      }
    });
  }
});

describe('--print=profile.mk and base.mk through the CLI', () => {
  it('names the profile and lists every flag once, deterministically', () => {
    const args = ['--profile=virtio-mmio', 'conf_drivers_virtio_rng=1', '--print=profile.mk'];
    const first = osvconf(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(osvconf(args).stdout);
    expect(first.stdout).toContain('# OSv driver profile "virtio-mmio-custom" for x64');
    expect(first.stdout).toContain('conf/profiles/x64/virtio-mmio-custom.mk');
    // Like OSv's own profiles: the drivers that are on, once each, in base.mk's order; no ?=0.
    const flagLines = first.stdout.split('\n').filter((l) => /^conf_drivers_/.test(l));
    const on = (
      JSON.parse(osvconf(['explain', '--profile=virtio-mmio', 'conf_drivers_virtio_rng=1', '--json']).stdout) as { name: string; value: number }[]
    ).filter((f) => f.value === 1);
    expect(flagLines).toEqual(on.map((f) => `conf_drivers_${f.name}?=1`));
    expect(flagLines).toContain('conf_drivers_virtio_rng?=1');
    expect(first.stdout).not.toMatch(/\d{4}-\d\d-\d\d|\r/); // no dates, LF only
  });

  it('--name names it; names that would replace OSv files are refused', () => {
    expect(osvconf(['--profile=xen', 'conf_drivers_vga=1', '--name=myxen', '--print=profile.mk']).stdout).toContain('"myxen"');
    for (const [name, message] of [
      ['virtio-pci', "would replace OSv's own conf/profiles/x64/virtio-pci.mk"],
      ['base', 'base.mk holds the driver rules'],
      ['../../etc/x', 'letters, digits, _ and -'],
    ]) {
      const run = osvconf(['--profile=xen', 'conf_drivers_vga=1', `--name=${name}`, '--print=profile.mk']);
      expect(run.code, name).toBe(1);
      expect(run.stderr).toContain(message);
    }
  });

  it('base.mk declares every flag with export and ?=0, rules after their flag', () => {
    const text = osvconf(['--arch=aarch64', '--print=base.mk']).stdout;
    const declared = [...text.matchAll(/^export conf_drivers_(\w+)\?=0$/gm)].map((m) => m[1]);
    expect(declared).toEqual(rawDrivers('aarch64').map((d) => d.name));
    expect(text).toContain('ifeq ($(conf_drivers_virtio_scsi),1)\nexport conf_drivers_virtio?=1\nexport conf_drivers_scsi?=1\nendif\n');
  });
});
