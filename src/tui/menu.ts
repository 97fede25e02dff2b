// The configurator's menus, built from a resolved selection: what the TUI lists, with each
// value's mark (on by profile, on by you, implied by X, off) taken from the core's model.

import { driverSetting, type Profile } from '../core/catalog.js';
import { customProfile } from '../core/custom-profile.js';
import { withRole } from '../core/kconfig.js';
import { describeOrigin } from '../core/origin.js';
import type { Selection } from '../core/select.js';

export type Mark = 'profile' | 'you' | 'implied' | 'default' | 'off';

export type Item =
  | { readonly kind: 'menu'; readonly id: string; readonly label: string }
  | { readonly kind: 'bool'; readonly id: string; readonly label: string; readonly setting: string; readonly on: boolean; readonly mark: Mark; readonly why: string }
  | { readonly kind: 'choice'; readonly id: string; readonly label: string; readonly setting: string; readonly value: string; readonly choices: readonly { readonly value: string; readonly label: string }[] }
  | { readonly kind: 'text'; readonly id: string; readonly label: string; readonly setting: string; readonly value: string; readonly type: 'int' | 'hex' | 'string' }
  | { readonly kind: 'action'; readonly id: string; readonly label: string; readonly action: 'save' | 'quit' };

export interface MenuContext {
  readonly selection: Selection;
  readonly arches: readonly string[];
  readonly modes: readonly string[];
  readonly profiles: readonly Profile[];
  /** Estimated KiB of each profile (symbols as currently chosen), for the profile picker. */
  readonly profileKib: ReadonlyMap<string, number>;
}

const GROUPS: readonly [string, string][] = [
  ['bus', 'Buses'],
  ['storage', 'Storage'],
  ['network', 'Network'],
  ['platform', 'Platform'],
  ['console', 'Console'],
  ['other', 'Other'],
];

export function title(id: string, ctx: MenuContext): string {
  if (id === 'root') return `OSv configuration (${ctx.selection.request.arch}, ${ctx.selection.request.mode}, profile ${ctx.selection.request.profile})`;
  if (id.startsWith('drivers:')) return `Drivers: ${GROUPS.find(([g]) => g === id.slice(8))?.[1] ?? id}`;
  if (id.startsWith('kconfig:')) return id.slice(8);
  return { arch: 'Arch and mode', drivers: 'Drivers', visibility: 'Symbol visibility', fs: 'Filesystem and ZFS', kconfig: 'Kconfig options' }[id] ?? id;
}

export function items(id: string, ctx: MenuContext): Item[] {
  const s = ctx.selection;
  switch (id) {
    case 'root':
      return [
        { kind: 'menu', id: 'arch', label: `Arch and mode  (${s.request.arch}, ${s.request.mode})` },
        {
          kind: 'choice',
          id: 'profile',
          label: 'Driver profile',
          setting: 'profile',
          value: s.request.profile,
          choices: ctx.profiles.map((p) => ({ value: p.name, label: `${p.name.padEnd(17)} ${String(Math.round(ctx.profileKib.get(p.name) ?? 0)).padStart(5)} KiB  ${p.hypervisors.join(', ') || '-'}: ${p.description}` })),
        },
        { kind: 'menu', id: 'drivers', label: 'Drivers' },
        { kind: 'menu', id: 'visibility', label: 'Symbol visibility' },
        { kind: 'menu', id: 'fs', label: 'Filesystem and ZFS' },
        { kind: 'menu', id: 'kconfig', label: 'Kconfig options' },
        { kind: 'text', id: 'name', label: 'Custom profile name', setting: 'name', value: customProfile(s).name, type: 'string' },
        { kind: 'action', id: 'save', label: 'Save', action: 'save' },
        { kind: 'action', id: 'quit', label: 'Quit', action: 'quit' },
      ];
    case 'arch':
      return [
        { kind: 'choice', id: 'arch', label: 'Arch', setting: 'arch', value: s.request.arch, choices: ctx.arches.map((a) => ({ value: a, label: a })) },
        { kind: 'choice', id: 'mode', label: 'Mode', setting: 'mode', value: s.request.mode, choices: ctx.modes.map((m) => ({ value: m, label: m })) },
      ];
    case 'drivers':
      return GROUPS.filter(([g]) => s.catalog.drivers.some((d) => d.group === g)).map(([g, label]) => ({ kind: 'menu' as const, id: `drivers:${g}`, label }));
    case 'visibility':
      return [
        ...[withRole(s.kconfig, 'hide-symbols'), withRole(s.kconfig, 'version-script')].flatMap((k) => (k === undefined ? [] : [kconfigItem(k)])),
        { kind: 'text', id: 'app-elf', label: 'Generate a version script from the app (its ELF file or directory)', setting: 'app', value: '', type: 'string' },
      ];
    case 'fs':
      return s.options.map((o) =>
        o.option.type === 'enum'
          ? { kind: 'choice' as const, id: `option:${o.option.name}`, label: o.option.prompt, setting: o.option.setting, value: o.value, choices: Object.entries(o.option.values ?? {}).map(([v, f]) => ({ value: v, label: `${v.padEnd(14)} ${f.description}` })) }
          : { kind: 'text' as const, id: `option:${o.option.name}`, label: o.option.prompt, setting: o.option.setting, value: o.value, type: 'string' as const },
      );
    case 'kconfig':
      return s.catalog.kconfig.menus.map((m) => ({ kind: 'menu' as const, id: `kconfig:${m.title}`, label: m.title }));
    default:
      if (id.startsWith('drivers:')) {
        return s.catalog.drivers
          .filter((d) => d.group === id.slice(8))
          .map((d) => {
            const f = s.drivers.byName.get(d.name);
            const on = f?.value === 1;
            const mark: Mark = f === undefined || !on ? 'off' : f.origin.kind === 'command-line' ? 'you' : f.origin.kind === 'implied' ? 'implied' : 'profile';
            const why = f === undefined ? '' : describeOrigin(f.origin, s.request.profile);
            // An implied driver is locked on: say by what first, before the row is cut.
            const label = mark === 'implied' ? `${d.name.padEnd(12)} (${why}) ${d.description}` : `${d.name.padEnd(12)} ${d.description}`;
            return { kind: 'bool' as const, id: `driver:${d.name}`, label, setting: driverSetting(d.name), on, mark, why };
          });
      }
      if (id.startsWith('kconfig:')) return s.kconfig.filter((k) => k.option.menu === id.slice(8) && k.visible).map(kconfigItem);
      return [];
  }
}

function kconfigItem(k: Selection['kconfig'][number]): Item {
  const setting = `conf_${k.option.name}`;
  if (k.option.type === 'bool') {
    return { kind: 'bool', id: `kconfig:${k.option.name}`, label: k.option.prompt, setting, on: k.value === 'y', mark: k.origin === 'command-line' ? 'you' : 'default', why: k.origin === 'command-line' ? 'set by you' : 'Kconfig default' };
  }
  return { kind: 'text', id: `kconfig:${k.option.name}`, label: k.option.prompt, setting, value: k.value, type: k.option.type };
}

/** Every leaf item of every menu, with the menu path to reach it (for / search). */
export function allItems(ctx: MenuContext): { path: string[]; item: Item }[] {
  const out: { path: string[]; item: Item }[] = [];
  const walk = (id: string, path: string[]): void => {
    for (const item of items(id, ctx)) {
      if (item.kind === 'menu') walk(item.id, [...path, item.id]);
      else out.push({ path, item });
    }
  };
  walk('root', ['root']);
  return out;
}
