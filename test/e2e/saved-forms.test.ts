// The saved configuration's minimal (--minimal, like savedefconfig) and full (--full) forms
// through the built CLI: each loads back to the same selection as the file it was made from, and
// the minimal form's Kconfig lines are what Kconfiglib's own savedefconfig writes for the same
// .config on the same model.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHES, ROOT, osvconf, tempDir } from '../helpers/cli.js';
import { HAVE_KCONFIGLIB, configValues, withKconfiglib } from '../helpers/kconfiglib.js';
import { rng } from '../helpers/random.js';

const CASES = Number(process.env['OSVCONF_FUZZ_CASES'] ?? 200) >= 1000 ? 60 : 12;

interface Option {
  name: string;
  type: string;
  default: unknown;
  depends_on?: string;
  arch?: string;
}
const KCONFIG = JSON.parse(readFileSync(join(ROOT, 'conf', 'kconfig.json'), 'utf8')) as {
  menus: { options: Option[] }[];
  choice: { values: Record<string, string[]> };
};
const DRIVERS = (arch: string): string[] =>
  (JSON.parse(readFileSync(join(ROOT, 'conf', arch, 'drivers.json'), 'utf8')) as { drivers: { name: string }[] }).drivers.map((d) => d.name);

/** A random selection that osvconf accepts (checked): a profile of the Kconfig choice, some drivers and options. */
function randomSelection(next: () => number, arch: string): string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  for (;;) {
    const args = [`--arch=${arch}`, `--profile=${pick((KCONFIG.choice.values[arch] ?? []).filter((p) => p !== 'aws_nitro'))}`, '--force'];
    const bools = new Map<string, number>();
    for (const o of KCONFIG.menus.flatMap((m) => m.options).filter((x) => x.arch === undefined || x.arch === arch)) {
      if (next() > 0.35) continue;
      if (o.depends_on !== undefined && bools.get(o.depends_on) !== 1) continue;
      if (o.type === 'bool') {
        const v = next() < 0.5 ? 1 : 0;
        bools.set(o.name, v);
        args.push(`conf_${o.name}=${v}`);
      } else if (o.type === 'int') args.push(`conf_${o.name}=${pick([1, 64, 4096, 65536])}`);
      else if (o.type === 'hex') args.push(`conf_${o.name}=${pick(['0x1000', '0x4000', '0x100000'])}`);
    }
    for (const d of DRIVERS(arch)) if (next() < 0.08) args.push(`conf_drivers_${d}=${next() < 0.5 ? 1 : 0}`);
    if (next() < 0.3) args.push(`fs=${pick(['rofs', 'zfs', 'ramfs', 'virtiofs'])}`);
    if (osvconf([...args, '--json']).code === 0) return args;
  }
}

/** What a selection resolves to (drivers, options, Kconfig values), as --json reports it. */
function values(args: readonly string[]): unknown {
  const r = osvconf([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  type Value = { name: string; value: unknown; visible?: boolean };
  const j = JSON.parse(r.stdout) as { arch: string; mode: string; drivers: Value[]; kconfig: Value[]; options: Value[] };
  const byName = (xs: Value[]) => Object.fromEntries(xs.map((x) => [x.name, x.value]));
  return { arch: j.arch, mode: j.mode, drivers: byName(j.drivers), kconfig: byName(j.kconfig), options: byName(j.options) };
}

describe('saved configuration forms', () => {
  it('--minimal and --full load back to the same selection, .config and drivers_config.h', () => {
    const next = rng(1515);
    const dir = tempDir('saved-forms-');
    for (let i = 0; i < CASES; i++) {
      const args = randomSelection(next, ARCHES[i % ARCHES.length] as string);
      const want = values(args);
      const dot = osvconf([...args, '--print=.config']).stdout;
      const header = osvconf([...args, '--print=drivers_config.h']).stdout;
      for (const form of ['--minimal', '--full']) {
        const saved = osvconf([...args, form, '--print=configuration']);
        expect(saved.code, saved.stderr).toBe(0);
        const file = join(dir, `${i}${form}.osvconf`);
        writeFileSync(file, saved.stdout);
        const loaded = [`--load=${file}`];
        expect([args, form, values(loaded)]).toEqual([args, form, want]);
        expect(osvconf([...loaded, '--print=.config']).stdout, `${form} ${args.join(' ')}`).toBe(dot);
        expect(osvconf([...loaded, '--print=drivers_config.h']).stdout).toBe(header);
      }
    }
  });

  it('--minimal writes nothing that equals a default, and drops driver settings the profile already makes', () => {
    const r = osvconf([
      '--profile=virtio-pci',
      'conf_drivers_virtio=1',
      'conf_drivers_pci=1',
      'conf_drivers_nvme=1',
      'conf_hide_symbols=0',
      '--minimal',
      '--print=configuration',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toEqual(['arch=x64', 'mode=release', 'conf_drivers_profile=virtio-pci', 'conf_drivers_nvme=1']);
  });

  it('--minimal and --full refuse each other, and shape only the saved configuration', () => {
    expect(osvconf(['--minimal', '--full', '--print=configuration']).code).toBe(2);
    expect(osvconf(['--minimal', '--print=drivers_config.h']).code).toBe(2);
  });

  it.skipIf(!HAVE_KCONFIGLIB && process.env['CI'] !== 'true')("--minimal's Kconfig lines are Kconfiglib's savedefconfig of the same .config", () => {
    const next = rng(2727);
    const dir = tempDir('savedefconfig-');
    for (let i = 0; i < CASES; i++) {
      const arch = ARCHES[i % ARCHES.length] as string;
      const args = randomSelection(next, arch);
      const dotFile = join(dir, `${i}.config`);
      writeFileSync(dotFile, osvconf([...args, '--print=.config']).stdout);
      const minimal = withKconfiglib(arch, 'release', 'kconf.load_config(sys.argv[2])\nkconf.write_min_config(sys.argv[3])\nprint(open(sys.argv[3]).read())', [
        dotFile,
        join(dir, `${i}.min`),
      ]);
      const theirs = new Map([...configValues(minimal)].filter(([name]) => !name.startsWith('drivers_profile_')));
      const saved = osvconf([...args, '--minimal', '--print=configuration']).stdout;
      const ours = new Map(
        saved
          .split('\n')
          .filter((l) => l.startsWith('conf_') && !l.startsWith('conf_drivers_') && !l.startsWith('conf_zfs=') && !l.startsWith('conf_linker_extra_options='))
          .map((l) => {
            const [name, value] = [l.slice(5, l.indexOf('=')), l.slice(l.indexOf('=') + 1)];
            const bool = KCONFIG.menus.some((m) => m.options.some((o) => o.name === name && o.type === 'bool'));
            return [name, bool ? (value === '1' ? 'y' : 'n') : value] as [string, string];
          }),
      );
      expect([args, Object.fromEntries(ours)]).toEqual([args, Object.fromEntries(theirs)]);
    }
  });
});
