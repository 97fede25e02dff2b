// The files OSv's Kconfig step writes, from the resolved options (osv-facts §6.2):
//   .config          menus with comment blocks, `# CONF_x is not set` for n, quoted strings,
//                    options with unmet dependencies left out, then the profile choice
//   kernel_config.h  the autoheader: #define for y, ints and hex (0x added), quoted strings
//   kernel_conf.mk   kernel.conf (unquoted strings, no n bools) with conf/Makefile's three sed
//                    edits applied literally
import { choiceFor, type KconfigState } from '../core/kconfig.js';
import type { Selection, Warning } from '../core/select.js';
import { renderTemplate as render } from './template.js';
import { customProfile } from '../core/custom-profile.js';

/** Kconfig's string escape, the same in .config and the C header: backslash and double quote. */
export function kconfigQuote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

interface ChoiceLine {
  readonly name: string;
  readonly selected: boolean;
}

function choiceLines(selection: Selection): ChoiceLine[] {
  const { kconfig } = selection.catalog;
  const selected = choiceFor(kconfig, selection.request.arch, customProfile(selection).name) ?? kconfig.choice.default;
  return (Object.hasOwn(kconfig.choice.values, selection.request.arch) ? (kconfig.choice.values[selection.request.arch] as readonly string[]) : []).map(
    (v) => ({ name: `${kconfig.choice.name}_${v}`, selected: v === selected }),
  );
}

/** What .config says for one option (undefined: left out). */
function dotConfigLine(state: KconfigState): string | undefined {
  if (!state.visible) return undefined;
  const name = `CONF_${state.option.name}`;
  switch (state.option.type) {
    case 'bool':
      return state.value === 'y' ? `${name}=y` : `# ${name} is not set`;
    case 'string':
      return `${name}=${kconfigQuote(state.value)}`;
    default:
      return `${name}=${state.value}`;
  }
}

export function renderDotConfig(selection: Selection): string {
  const menus = selection.catalog.kconfig.menus.map((menu) => ({
    title: menu.title,
    lines: selection.kconfig.filter((k) => k.option.menu === menu.title).flatMap((k) => dotConfigLine(k) ?? []),
  }));
  const choice = choiceLines(selection).map((c) => (c.selected ? `CONF_${c.name}=y` : `# CONF_${c.name} is not set`));
  return render('.config', { mainmenu: selection.catalog.kconfig.mainmenu, menus, choice });
}

export function renderKernelConfigH(selection: Selection): string {
  const lines: string[] = [];
  for (const k of selection.kconfig) {
    if (!k.visible) continue;
    const name = `CONF_${k.option.name}`;
    if (k.option.type === 'bool') {
      if (k.value === 'y') lines.push(`#define ${name} 1`);
    } else if (k.option.type === 'hex') lines.push(`#define ${name} ${/^0[xX]/.test(k.value) ? k.value : `0x${k.value}`}`);
    else if (k.option.type === 'string') lines.push(`#define ${name} ${kconfigQuote(k.value)}`);
    else lines.push(`#define ${name} ${k.value}`);
  }
  for (const c of choiceLines(selection)) if (c.selected) lines.push(`#define CONF_${c.name} 1`);
  return render('kernel_config.h', { mainmenu: selection.catalog.kconfig.mainmenu, lines });
}

/** conf/Makefile's sed over kernel.conf, one line at a time, exactly as it is written. */
export function confMakefileSed(line: string): string {
  return line
    .replace('CONF', 'conf')
    .replace(/=y$/, '=1')
    .replace(/^conf_drivers_profile_(.*)=1$/, 'conf_drivers_profile=$1');
}

export function renderKernelConfMk(selection: Selection): string {
  const autoConf: string[] = [];
  for (const k of selection.kconfig) {
    if (!k.visible || (k.option.type === 'bool' && k.value !== 'y')) continue;
    autoConf.push(`CONF_${k.option.name}=${k.value}`);
  }
  for (const c of choiceLines(selection)) if (c.selected) autoConf.push(`CONF_${c.name}=y`);
  return render('kernel_conf.mk', { mainmenu: selection.catalog.kconfig.mainmenu, lines: autoConf.map(confMakefileSed) });
}

/** When OSv's Kconfig choice cannot name the profile, .config falls back to the default: say so. */
export function choiceNotes(selection: Selection): Warning[] {
  const { kconfig } = selection.catalog;
  const { name } = customProfile(selection);
  if (choiceFor(kconfig, selection.request.arch, name) !== undefined) return [];
  return [
    {
      code: 'profile-not-a-kconfig-choice',
      message: `profile ${name} is not a choice of OSv's Kconfig "${kconfig.choice.prompt}" on ${selection.request.arch}: .config and kernel_conf.mk select the default (${kconfig.choice.default})`,
      hint: `build with conf_drivers_profile=${name} on the command line (it beats kernel_conf.mk); --print=build-command includes it`,
    },
  ];
}
