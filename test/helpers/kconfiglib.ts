// Kconfiglib (Debian's python3-kconfiglib) as an oracle: osvconf's Kconfig model (conf/kconfig.json)
// written as a Kconfig file for one arch and mode, and Kconfiglib's own savedefconfig,
// olddefconfig and value reads run on it. The model is osvconf's; the semantics are Kconfiglib's.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './cli.js';

export const PYTHON = '/usr/bin/python3';
export const HAVE_KCONFIGLIB = spawnSync(PYTHON, ['-c', 'import kconfiglib'], { encoding: 'utf8' }).status === 0;

type Default = string | { by: 'mode' | 'arch'; values: Record<string, string> } | { template: string };
interface Option {
  name: string;
  type: 'bool' | 'int' | 'hex' | 'string';
  prompt: string;
  default: Default;
  depends_on?: string;
  arch?: string;
}
interface KconfigJson {
  mainmenu: string;
  menus: { title: string; options: Option[] }[];
  choice: { name: string; prompt: string; default: string; values: Record<string, string[]> };
}

const quote = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

function defaultFor(o: Option, arch: string, mode: string): string {
  const d = o.default;
  if (typeof d === 'string') return d;
  if ('template' in d) return d.template.replace(/\{mode\}/g, mode).replace(/\{arch\}/g, arch);
  return d.values[d.by === 'mode' ? mode : arch] ?? '';
}

/** conf/kconfig.json as a Kconfig file for one arch and mode (defaults resolved for them). */
export function kconfigFile(arch: string, mode: string): string {
  const k = JSON.parse(readFileSync(join(ROOT, 'conf', 'kconfig.json'), 'utf8')) as KconfigJson;
  let text = `mainmenu ${quote(k.mainmenu)}\n\n`;
  for (const menu of k.menus) {
    text += `menu ${quote(menu.title)}\n\n`;
    for (const o of menu.options.filter((x) => x.arch === undefined || x.arch === arch)) {
      const d = defaultFor(o, arch, mode);
      text += `config ${o.name}\n\t${o.type} ${quote(o.prompt)}\n`;
      text += `\tdefault ${o.type === 'string' ? quote(d) : d}\n`;
      if (o.depends_on !== undefined) text += `\tdepends on ${o.depends_on}\n`;
      text += '\n';
    }
    text += 'endmenu\n\n';
  }
  const values = k.choice.values[arch] ?? [];
  text += `choice\n\tprompt ${quote(k.choice.prompt)}\n\tdefault ${k.choice.name}_${k.choice.default}\n\n`;
  for (const v of values) text += `config ${k.choice.name}_${v}\n\tbool ${quote(v)}\n\n`;
  text += 'endchoice\n';
  return text;
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
