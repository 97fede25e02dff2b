// The configurator's menus, built from a resolved selection: what the TUI lists, with each
// value's mark (on by profile, on by you, implied by X, off) taken from the core's model.

import { driverSetting, type DriverGroup, type Profile } from '../core/catalog.js';
import { customProfile } from '../core/custom-profile.js';
import { withRole } from '../core/kconfig.js';
import { lockReason } from '../core/explain.js';
import { describeOrigin } from '../core/origin.js';
import type { Selection } from '../core/select.js';

export type Mark = 'profile' | 'you' | 'implied' | 'default' | 'off';

/** A screen of the configurator: the top menus, a driver group, or a Kconfig menu by title. */
export type MenuId = 'root' | 'arch' | 'drivers' | 'visibility' | 'fs' | 'kconfig' | `drivers:${DriverGroup}` | `kconfig:${string}`;

export type Item =
  | { readonly kind: 'menu'; readonly id: MenuId; readonly label: string }
  | {
      readonly kind: 'bool';
      readonly id: string;
      readonly label: string;
      readonly setting: string;
      readonly on: boolean;
      readonly mark: Mark;
      readonly why: string;
      /** Listed only with show-all (A): its dependency is off, so it is left out of every file. */
      readonly hidden?: string;
    }
  | {
      readonly kind: 'choice';
      readonly id: string;
      readonly label: string;
      readonly setting: string;
      readonly value: string;
      readonly choices: readonly { readonly value: string; readonly label: string }[];
      /** Set by you (not the default). */
      readonly changed?: boolean;
    }
  | {
      readonly kind: 'text';
      readonly id: string;
      readonly label: string;
      readonly setting: string;
      readonly value: string;
      readonly type: 'int' | 'hex' | 'string';
      /** Set by you (not the default). */
      readonly changed?: boolean;
      readonly hidden?: string;
    }
  | { readonly kind: 'action'; readonly id: string; readonly label: string; readonly action: 'save' | 'quit' }
  /** A text field that is not a setting: the app's ELF file, from which a version script is made. */
  | { readonly kind: 'generate'; readonly id: string; readonly label: string };

export interface MenuContext {
  readonly selection: Selection;
  readonly arches: readonly string[];
  readonly modes: readonly string[];
  readonly profiles: readonly Profile[];
  /** Estimated KiB of each profile (symbols as currently chosen), for the profile picker. */
  readonly profileKib: ReadonlyMap<string, number>;
  /** A: options whose dependency is off are listed too (as menuconfig's show-all). */
  readonly showAll?: boolean;
}

/** The title of each driver group's screen, in the order they are listed (every group has one). */
const GROUP_TITLES: Readonly<Record<DriverGroup, string>> = {
  bus: 'Buses',
  storage: 'Storage',
  network: 'Network',
  platform: 'Platform',
  console: 'Console',
  other: 'Other',
};
const GROUPS = Object.entries(GROUP_TITLES) as [DriverGroup, string][];

const groupOf = (id: `drivers:${DriverGroup}`): DriverGroup => id.slice('drivers:'.length) as DriverGroup;

export function title(id: MenuId, ctx: MenuContext): string {
  switch (id) {
    case 'root':
      return `OSv configuration (${ctx.selection.request.arch}, ${ctx.selection.request.mode}, profile ${ctx.selection.request.profile})`;
    case 'arch':
      return 'Arch and mode';
    case 'drivers':
      return 'Drivers';
    case 'visibility':
      return 'Symbol visibility';
    case 'fs':
      return 'Filesystem and ZFS';
    case 'kconfig':
      return 'Kconfig options';
  }
  if (id.startsWith('drivers:')) return `Drivers: ${GROUP_TITLES[groupOf(id as `drivers:${DriverGroup}`)]}`;
  return id.slice('kconfig:'.length);
}

export function items(id: MenuId, ctx: MenuContext): Item[] {
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
          choices: ctx.profiles.map((p) => ({
            value: p.name,
            label: `${p.name.padEnd(17)} ${String(Math.round(ctx.profileKib.get(p.name) ?? 0)).padStart(5)} KiB  ${p.hypervisors.join(', ') || '-'}: ${p.description}`,
          })),
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
      return GROUPS.filter(([g]) => s.catalog.drivers.some((d) => d.group === g)).map(([g, label]) => ({
        kind: 'menu' as const,
        id: `drivers:${g}` as const,
        label,
      }));
    case 'visibility':
      return [
        ...[withRole(s.kconfig, 'hide-symbols'), withRole(s.kconfig, 'version-script')].flatMap((k) => (k === undefined ? [] : [kconfigItem(k)])),
        { kind: 'generate', id: 'app-elf', label: 'Generate a version script from the app (its ELF file or directory)' },
      ];
    case 'fs':
      return s.options.map((o) =>
        o.option.type === 'enum'
          ? {
              kind: 'choice' as const,
              id: `option:${o.option.name}`,
              label: o.option.prompt,
              setting: o.option.setting,
              value: o.value,
              choices: Object.entries(o.option.values ?? {}).map(([v, f]) => ({ value: v, label: `${v.padEnd(14)} ${f.description}` })),
              ...(o.origin === 'command-line' ? { changed: true } : {}),
            }
          : {
              kind: 'text' as const,
              id: `option:${o.option.name}`,
              label: o.option.prompt,
              setting: o.option.setting,
              value: o.value,
              type: 'string' as const,
              ...(o.origin === 'command-line' ? { changed: true } : {}),
            },
      );
    case 'kconfig':
      return s.catalog.kconfig.menus.map((m) => ({ kind: 'menu' as const, id: `kconfig:${m.title}` as const, label: m.title }));
    default:
      if (id.startsWith('drivers:')) {
        const group = groupOf(id as `drivers:${DriverGroup}`);
        return s.catalog.drivers
          .filter((d) => d.group === group)
          .map((d) => {
            const f = s.drivers.byName.get(d.name);
            const on = f?.value === 1;
            // Locked ([=]) by the core's own rule: turning it off would be refused.
            const locked = on && lockReason(s, d.name) !== undefined;
            const mark: Mark = f === undefined || !on ? 'off' : locked ? 'implied' : f.origin.kind === 'command-line' ? 'you' : 'profile';
            const why =
              f === undefined
                ? ''
                : locked && f.origin.kind !== 'implied'
                  ? `needed by ${f.impliedBy.join(', ')}`
                  : describeOrigin(f.origin, s.request.profile);
            // A locked driver: say by what first, before the row is cut.
            const label = mark === 'implied' ? `${d.name.padEnd(12)} (${why}) ${d.description}` : `${d.name.padEnd(12)} ${d.description}`;
            return { kind: 'bool' as const, id: `driver:${d.name}`, label, setting: driverSetting(d.name), on, mark, why };
          });
      }
      if (id.startsWith('kconfig:')) return s.kconfig.filter((k) => k.option.menu === id.slice(8) && (k.visible || ctx.showAll === true)).map(kconfigItem);
      return [];
  }
}

function kconfigItem(k: Selection['kconfig'][number]): Item {
  const setting = `conf_${k.option.name}`;
  const hidden = k.visible ? {} : { hidden: `${setting} depends on conf_${k.option.dependsOn ?? ''}, which is off` };
  if (k.option.type === 'bool') {
    return {
      kind: 'bool',
      id: `kconfig:${k.option.name}`,
      label: k.option.prompt,
      setting,
      on: k.value === 'y',
      mark: k.origin === 'command-line' ? 'you' : 'default',
      why: k.origin === 'command-line' ? 'set by you' : 'Kconfig default',
      ...hidden,
    };
  }
  return {
    kind: 'text',
    id: `kconfig:${k.option.name}`,
    label: k.option.prompt,
    setting,
    value: k.value,
    type: k.option.type,
    ...(k.origin === 'command-line' ? { changed: true } : {}),
    ...hidden,
  };
}

/** Every leaf item of every menu, with the menu path to reach it (for / search). */
export function allItems(ctx: MenuContext): { path: MenuId[]; item: Item }[] {
  const out: { path: MenuId[]; item: Item }[] = [];
  const walk = (id: MenuId, path: MenuId[]): void => {
    for (const item of items(id, ctx)) {
      if (item.kind === 'menu') walk(item.id, [...path, item.id]);
      else out.push({ path, item });
    }
  };
  walk('root', ['root']);
  return out;
}
