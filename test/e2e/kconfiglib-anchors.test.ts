// osvconf against Kconfiglib on the same Kconfig model (conf/kconfig.json written as a Kconfig
// file): loading a .config from another OSv version (olddefconfig: values that still apply kept,
// new options at their defaults, unknown ones named) and comparing two configurations (what
// differs, as Kconfiglib reads the two files).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHES, ROOT, osvconf, tempDir } from '../helpers/cli.js';
import { HAVE_KCONFIGLIB, configValues, withKconfiglib } from '../helpers/kconfiglib.js';
import { rng } from '../helpers/random.js';

const CASES = Number(process.env['OSVCONF_FUZZ_CASES'] ?? 200) >= 1000 ? 40 : 8;
interface Option {
  name: string;
  type: string;
  depends_on?: string;
  arch?: string;
}
const OPTIONS = (JSON.parse(readFileSync(join(ROOT, 'conf', 'kconfig.json'), 'utf8')) as { menus: { options: Option[] }[] }).menus.flatMap((m) => m.options);

/** A random .config osvconf writes for the arch: some Kconfig options changed from their defaults. */
function randomDotConfig(next: () => number, arch: string): string {
  const args = [`--arch=${arch}`, '--profile=all'];
  const on = new Map<string, boolean>();
  for (const o of OPTIONS.filter((x) => x.arch === undefined || x.arch === arch)) {
    if (o.depends_on !== undefined && on.get(o.depends_on) === false) continue;
    if (o.type === 'bool' && next() < 0.3) {
      const v = next() < 0.5;
      on.set(o.name, v);
      args.push(`conf_${o.name}=${v ? 1 : 0}`);
    } else if (o.type === 'int' && next() < 0.2) args.push(`conf_${o.name}=${Math.floor(next() * 100000)}`);
  }
  const r = osvconf([...args, '--print=.config']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** Kconfiglib's values after loading a file (and, for every symbol, its value): name -> value. */
function kconfiglibValues(arch: string, file: string): Map<string, string> {
  const out = withKconfiglib(arch, 'release', 'kconf.load_config(sys.argv[2])\nkconf.write_config(sys.argv[3])\nprint(open(sys.argv[3]).read())', [
    file,
    `${file}.out`,
  ]);
  return new Map([...configValues(out)].filter(([n]) => !n.startsWith('drivers_profile_')));
}

const oursOf = (text: string): Map<string, string> => new Map([...configValues(text)].filter(([n]) => !n.startsWith('drivers_profile_')));

describe.skipIf(!HAVE_KCONFIGLIB && process.env['CI'] !== 'true')('Kconfiglib as the anchor', () => {
  it('olddefconfig: a .config with options missing and options this OSv lacks loads to what Kconfiglib makes of it', () => {
    const next = rng(4242);
    const dir = tempDir('olddefconfig-');
    for (let i = 0; i < CASES; i++) {
      const arch = ARCHES[i % ARCHES.length] as string;
      const lines = randomDotConfig(next, arch).split('\n');
      // An older OSv: some options unknown to it (left out), one it had that this one has not.
      const dropped = lines.filter((l) => /^(# )?CONF_[a-z]/.test(l) && !l.includes('drivers_profile') && next() < 0.25);
      const old = [...lines.filter((l) => !dropped.includes(l)), 'CONF_retired_option=y', '# CONF_another_retired is not set'].join('\n');
      const file = join(dir, `${i}.config`);
      writeFileSync(file, old);
      const r = osvconf([`--arch=${arch}`, `--load=${file}`, '--print=.config']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('not taken: CONF_retired_option, CONF_another_retired');
      expect([i, Object.fromEntries(oursOf(r.stdout))]).toEqual([i, Object.fromEntries(kconfiglibValues(arch, file))]);
    }
  });

  it('diff: the Kconfig options osvconf diff reports are those whose values Kconfiglib reads differently', () => {
    const next = rng(5353);
    const dir = tempDir('diffconfig-');
    for (let i = 0; i < CASES; i++) {
      const arch = ARCHES[i % ARCHES.length] as string;
      const [a, b] = [join(dir, `${i}a.config`), join(dir, `${i}b.config`)];
      writeFileSync(a, randomDotConfig(next, arch));
      writeFileSync(b, randomDotConfig(next, arch));
      const r = osvconf(['diff', a, b, `--arch=${arch}`, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const ours = (JSON.parse(r.stdout) as { changes: { setting: string; to: string }[] }).changes
        .filter((c) => c.setting.startsWith('conf_') && !c.setting.startsWith('conf_drivers_'))
        .map((c) => c.setting.slice(5))
        .sort();
      const [va, vb] = [kconfiglibValues(arch, a), kconfiglibValues(arch, b)];
      const theirs = [...new Set([...va.keys(), ...vb.keys()])].filter((n) => (va.get(n) ?? 'n') !== (vb.get(n) ?? 'n')).sort();
      expect([i, ours]).toEqual([i, theirs]);
    }
  });
});
