// The shipped catalog says what OSv's files say (osv-facts.json), loads without errors, has no
// duplicate keys, and the code never names a driver.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as validators from '../../src/generated/validators.js';
import { describe, expect, it } from 'vitest';
import { loadArchCatalog, loadDefaults, profileSource } from '../../src/io/catalog-files.js';
import { scanJson } from '../../src/core/json-locate.js';
import { REFERENCE, ROOT, tempDir, ARCHES } from '../helpers/cli.js';
import { rawDrivers, rawProfiles } from '../helpers/make-harness.js';
import { mustSelect } from '../helpers/pipeline.js';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const dataFiles = [...walk(join(ROOT, 'conf')), ...walk(join(ROOT, 'profiles'))].filter((f) => f.endsWith('.json'));

describe('shipped data files', () => {
  it('have no syntax errors and no duplicate keys', () => {
    expect(dataFiles.length).toBeGreaterThan(20);
    for (const file of dataFiles) expect(scanJson(readFileSync(file, 'utf8')).error, file).toBeUndefined();
  });

  it('each validates against its JSON Schema', () => {
    const kindOf = (file: string): string =>
      file.includes(join(ROOT, 'profiles'))
        ? 'profile'
        : file.endsWith(join('size', 'attribution.json'))
          ? 'attribution'
          : file.includes(join('conf', 'size'))
            ? 'size'
            : basename(file, '.json');
    const checked = dataFiles.filter((f) => !f.includes(join('conf', 'schema')));
    for (const file of checked) {
      const validate = (validators as Record<string, ((d: unknown) => boolean) & { errors?: unknown }>)[`validate_${kindOf(file)}`];
      expect(validate, file).toBeDefined();
      expect(validate!(JSON.parse(readFileSync(file, 'utf8'))) ? 'valid' : JSON.stringify(validate!.errors), file).toBe('valid');
    }
  });

  it('an invalid shipped file fails the build', () => {
    const copy = tempDir('osvconf-build-');
    for (const part of ['scripts', 'conf', 'profiles', 'gen', 'package.json']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    writeFileSync(join(copy, 'profiles', 'x64', 'nvme.json'), JSON.stringify({ description: 'x', sets: { pci: 'yes' } }));
    const run = spawnSync(process.execPath, [join(copy, 'scripts', 'build-assets.mjs')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('profiles/x64/nvme.json: /sets/pci: must be equal to one of the allowed values');
  });

  it('conf/vm.json names only drivers a catalog has, and devices that exist', () => {
    const vm = JSON.parse(readFileSync(join(ROOT, 'conf', 'vm.json'), 'utf8')) as {
      qemu: {
        devices: Record<string, { drivers: string[] }>;
        extra_devices: Record<string, { drivers: string[] }>;
        drive_if: Record<string, string>;
        nic_models: Record<string, string>;
        vga_types: Record<string, string>;
        machines: Record<string, { drivers?: string[]; ide_bus_driver?: string; default_nic: string }>;
      };
      firecracker: { keys: Record<string, { device?: string }> };
      cloud_hypervisor: { devices: Record<string, string> };
      drivers: { transport: Record<string, string>; clock: Record<string, string>; firmware_tables: string };
      run_args: {
        qemu: {
          drivers: Record<string, unknown>;
          carried: Record<string, string>;
          machines: { when_on?: string[]; when_off?: string[] }[];
          clocks: { when_on: string[] }[];
          exercised_by: Record<string, string[]>;
        };
        firecracker: { drivers: Record<string, unknown> };
      };
    };
    const drivers = new Set(ARCHES.flatMap((a) => rawDrivers(a).map((d) => d.name)));
    const devices = new Set([...Object.keys(vm.qemu.devices), ...Object.keys(vm.qemu.extra_devices)]);
    const named = [
      ...Object.values(vm.qemu.devices).flatMap((d) => d.drivers),
      ...Object.values(vm.qemu.extra_devices).flatMap((d) => d.drivers),
      ...Object.values(vm.qemu.machines).flatMap((m) => [...(m.drivers ?? []), ...(m.ide_bus_driver === undefined ? [] : [m.ide_bus_driver])]),
      ...Object.values(vm.drivers.transport),
      ...Object.values(vm.drivers.clock),
      vm.drivers.firmware_tables,
      ...Object.keys(vm.run_args.qemu.drivers),
      ...Object.keys(vm.run_args.qemu.carried),
      ...vm.run_args.qemu.machines.flatMap((m) => [...(m.when_on ?? []), ...(m.when_off ?? [])]),
      ...vm.run_args.qemu.clocks.flatMap((c) => c.when_on),
      ...Object.entries(vm.run_args.qemu.exercised_by).flat(2),
      ...Object.keys(vm.run_args.firecracker.drivers),
    ].filter((d) => !d.startsWith('@'));
    expect(named.filter((d) => !drivers.has(d))).toEqual([]);
    const devicesNamed = [
      ...Object.values(vm.qemu.drive_if).filter((d) => d !== ''),
      ...Object.values(vm.qemu.nic_models),
      ...Object.values(vm.qemu.vga_types),
      ...Object.values(vm.qemu.machines)
        .map((m) => m.default_nic)
        .filter((n) => n !== 'none'),
      ...Object.values(vm.firecracker.keys).flatMap((k) => (k.device === undefined ? [] : [k.device, k.device.replace(/-device$/, '-pci')])),
      ...Object.values(vm.cloud_hypervisor.devices),
    ];
    expect(devicesNamed.filter((d) => !devices.has(d))).toEqual([]);
  });

  it('load for every arch, every profile included, with the cross-reference checks', () => {
    const defaults = loadDefaults();
    expect(defaults.ok).toBe(true);
    if (!defaults.ok) return;
    for (const arch of Object.keys(defaults.value.arches)) {
      const catalog = loadArchCatalog(arch);
      expect(catalog.ok, arch).toBe(true);
      if (!catalog.ok) continue;
      const source = profileSource(catalog.value, defaults.value);
      expect(source.names()).toContain(defaults.value.defaultProfile);
      for (const name of source.names()) {
        const p = source.get(name);
        expect(p.ok ? 'ok' : (p.error.details?.join('\n') ?? p.error.message), `${arch}/${name}`).toBe('ok');
      }
    }
  });
});

type Facts = {
  arches: Record<
    string,
    {
      drivers: { name: string; implies: string[] }[];
      base_rule_order: string[];
      profiles: Record<string, { sets: Record<string, number>; includes: string[]; symlink_to: string | null; effective: Record<string, number> }>;
    }
  >;
};

describe('catalog equals osv-facts.json', () => {
  const facts = (): Facts => JSON.parse(readFileSync(join(REFERENCE, 'osv-facts.json'), 'utf8'));

  for (const arch of ARCHES) {
    it(`${arch}: drivers in base.mk order with the same implications`, () => {
      const f = facts().arches[arch]!;
      const ours = rawDrivers(arch);
      expect(ours.map((d) => d.name)).toEqual(f.base_rule_order);
      expect(Object.fromEntries(ours.map((d) => [d.name, d.implies]))).toEqual(Object.fromEntries(f.drivers.map((d) => [d.name, d.implies])));
    });

    it(`${arch}: every OSv profile has the same includes, assignments (in order) and symlink`, () => {
      const f = facts().arches[arch]!;
      const ours = rawProfiles(arch);
      for (const [name, p] of Object.entries(f.profiles)) {
        const mine = ours.get(name);
        expect(mine, `${arch}/${name} missing`).toBeDefined();
        if (p.symlink_to !== null) {
          expect(mine!.alias_of).toBe(p.symlink_to.replace(/\.mk$/, ''));
          continue;
        }
        expect(mine!.includes ?? [], name).toEqual(p.includes);
        expect(Object.entries(mine!.sets ?? {}), name).toEqual(Object.entries(p.sets));
      }
      // Besides OSv's profiles, only osvconf's own.
      expect([...ours.keys()].filter((n) => !(n in f.profiles))).toEqual(['virtio-kvm']);
    });

    it(`${arch}: every OSv profile resolves to the effective values OSv's make gives`, () => {
      const f = facts().arches[arch]!;
      for (const [name, p] of Object.entries(f.profiles)) {
        const s = mustSelect(arch, name, {}, { force: true });
        expect(Object.fromEntries(s.drivers.flags.map((x) => [x.name, x.value])), name).toEqual(p.effective);
      }
    });
  }
});

describe('data coverage', () => {
  it('every driver has a size: a component of the size model, or is named as having no code of its own', () => {
    for (const arch of ARCHES) {
      const model = JSON.parse(readFileSync(join(ROOT, 'conf', 'size', `${arch}.json`), 'utf8')) as {
        no_code_of_their_own?: string[];
        components: { when?: Record<string, number> }[];
      };
      const drivers = rawDrivers(arch).map((d) => d.name);
      const sized = new Set([...model.components.flatMap((c) => Object.keys(c.when ?? {})), ...(model.no_code_of_their_own ?? [])]);
      expect(
        drivers.filter((d) => !sized.has(d)),
        arch,
      ).toEqual([]);
      expect(
        (model.no_code_of_their_own ?? []).filter((d) => !drivers.includes(d)),
        `${arch}: names that are no driver`,
      ).toEqual([]);
    }
  });

  it('every string value (Kconfig option or build option) names its syntax: it lands unquoted in make and the shell', () => {
    const missing: string[] = [];
    for (const arch of Object.keys((loadDefaults() as { ok: true; value: { arches: Record<string, unknown> } }).value.arches)) {
      const c = loadArchCatalog(arch);
      if (!c.ok) throw new Error(c.error.message);
      for (const m of c.value.kconfig.menus) for (const o of m.options) if (o.type === 'string' && o.syntax === undefined) missing.push(`conf_${o.name}`);
      for (const o of c.value.options) if (o.type === 'string' && o.syntax === undefined) missing.push(o.setting);
    }
    expect([...new Set(missing)]).toEqual([]);
  });
});

describe('code carries rules, data carries facts', () => {
  it('no driver name appears in src/', () => {
    const names = new Set([...rawDrivers('x64'), ...rawDrivers('aarch64')].map((d) => d.name));
    // help.ts is exempt: its examples are documentation, read by people, not rules.
    const sources = walk(join(ROOT, 'src')).filter((f) => f.endsWith('.ts') && !f.includes(join('src', 'generated')) && !f.endsWith(join('cli', 'help.ts')));
    expect(sources.length).toBeGreaterThan(10);
    const hits: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const name of names) {
        // Whole words, also inside conf_drivers_<name> and CONF_drivers_<name>.
        const re = new RegExp(`(?<![A-Za-z0-9-])(?:(?:conf|CONF)_drivers_)?${name}(?![A-Za-z0-9_-])`, 'g');
        for (const m of text.matchAll(re)) {
          const before = text.slice(Math.max(0, (m.index ?? 0) - 1), m.index);
          if (before !== '_' || m[0].startsWith('conf_') || m[0].startsWith('CONF_')) hits.push(`${file}: ${m[0]}`);
        }
      }
    }
    expect(hits).toEqual([]);
  });

  it('options that rules need are found by their role in the data, never by a name in the code', () => {
    const kconfig = JSON.parse(readFileSync(join(ROOT, 'conf', 'kconfig.json'), 'utf8')) as { menus: { options: { name: string; role?: string }[] }[] };
    const options = JSON.parse(readFileSync(join(ROOT, 'conf', 'options.json'), 'utf8')) as { options: { name: string; role?: string }[] };
    const defaults = JSON.parse(readFileSync(join(ROOT, 'conf', 'osvconf.json'), 'utf8')) as { default_profile: string };
    const withRoles = [...kconfig.menus.flatMap((m) => m.options), ...options.options].filter((o) => o.role !== undefined).map((o) => o.name);
    expect(withRoles.length).toBeGreaterThanOrEqual(3);
    const sources = walk(join(ROOT, 'src')).filter((f) => /\.tsx?$/.test(f) && !f.includes(join('src', 'generated')));
    const hits: string[] = [];
    // As a string literal in code: a rule keyed on the name (messages and comments may name them).
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      // (A template's name is not an option's: renderTemplate('version_script') is fine.)
      const code = text
        .split('\n')
        .filter((l) => !l.includes('renderTemplate('))
        .join('\n');
      for (const name of [...withRoles, defaults.default_profile]) if (new RegExp(`['"]${name}['"]`).test(code)) hits.push(`${file}: '${name}'`);
    }
    expect(hits).toEqual([]);
  });
});
