// osvconf's Kconfig model (conf/kconfig.json) written as a Kconfig file for one arch and mode,
// defaults resolved for them: what Kconfiglib reads in the tests (as an oracle) and in
// npm run bench (its menuconfig is the terminal peer the configurator is measured against).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const quote = (s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

function defaultFor(o, arch, mode) {
  const d = o.default;
  if (typeof d === 'string') return d;
  if ('template' in d) return d.template.replace(/\{mode\}/g, mode).replace(/\{arch\}/g, arch);
  return d.values[d.by === 'mode' ? mode : arch] ?? '';
}

/** The Kconfig text; root is the package root (it holds conf/kconfig.json). */
export function kconfigFile(root, arch, mode) {
  const k = JSON.parse(readFileSync(join(root, 'conf', 'kconfig.json'), 'utf8'));
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
