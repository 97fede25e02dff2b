// Kconfiglib (Debian's python3-kconfiglib) as an oracle: osvconf's Kconfig model (conf/kconfig.json)
// written as a Kconfig file for one arch and mode, and Kconfiglib's own savedefconfig,
// olddefconfig and value reads run on it. The model is osvconf's; the semantics are Kconfiglib's.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './cli.js';
import { kconfigFile as writeKconfig } from '../../scripts/kconfig-file.mjs';

export const PYTHON = '/usr/bin/python3';
export const HAVE_KCONFIGLIB = spawnSync(PYTHON, ['-c', 'import kconfiglib'], { encoding: 'utf8' }).status === 0;

/** conf/kconfig.json as a Kconfig file for one arch and mode (defaults resolved for them). */
export function kconfigFile(arch: string, mode: string): string {
  return writeKconfig(ROOT, arch, mode);
}

/** Runs a Python snippet with `kconf` loaded from the model (symbols prefixed CONF_, as OSv's are). */
export function withKconfiglib(arch: string, mode: string, python: string, args: readonly string[]): string {
  const dir = tempDir('kconfiglib-');
  const kconfig = join(dir, 'Kconfig');
  writeFileSync(kconfig, kconfigFile(arch, mode));
  const script = `import sys, kconfiglib\nkconf = kconfiglib.Kconfig(sys.argv[1], warn=False)\n${python}\n`;
  const r = spawnSync(PYTHON, ['-c', script, kconfig, ...args], { encoding: 'utf8', env: { ...process.env, CONFIG_: 'CONF_' } });
  if (r.status !== 0) throw new Error(`kconfiglib failed: ${r.stderr}`);
  return r.stdout;
}

/** A .config's (or savedefconfig output's) settings as NAME -> value (bools y/n, strings unquoted). */
export function configValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const off = /^# CONF_(\S+) is not set$/.exec(line);
    if (off !== null) values.set(off[1] as string, 'n');
    const on = /^CONF_([^=]+)=(.*)$/.exec(line);
    if (on !== null) {
      const v = on[2] as string;
      values.set(on[1] as string, v.startsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);
    }
  }
  return values;
}
