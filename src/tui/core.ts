// The core as the TUI's reducer needs it: settings resolved exactly as the CLI resolves them
// (parseSettings, bindSettings, select), estimates from the size model, and the profile list.
// Catalogs and profiles are read once, up front.

import type { ArchCatalog, Defaults, Profile } from '../core/catalog.js';
import { defaultValue, withRole } from '../core/kconfig.js';
import type { ProfileSource } from '../core/profiles.js';
import { ok, type Result } from '../core/result.js';
import { checkCustomName } from '../core/custom-profile.js';
import { explain, lockReason } from '../core/explain.js';
import { savedLines } from '../core/saved-forms.js';
import { select, type Selection } from '../core/select.js';
import { explainAccess, textOf } from '../app/explain-text.js';
import { bindSettings, parseSettings } from '../core/settings.js';
import { loadArchCatalog, profileSource, type UserProfiles } from '../io/catalog-files.js';
import { loadSizeModel } from '../io/size-files.js';
import { estimateIn } from '../app/size-input.js';
import { createEstimator, type Estimator } from '../size/model.js';
import { items, type MenuContext } from './menu.js';
import type { Settings, TuiCore } from './state.js';

interface ArchData {
  readonly catalog: ArchCatalog;
  readonly source: ProfileSource;
  readonly profiles: readonly Profile[];
  readonly estimator: Estimator;
}

export function settingsTokens(s: Settings, catalog: ArchCatalog): string[] {
  const optionSetting = (name: string): string => catalog.options.find((o) => o.name === name)?.setting ?? name;
  return [
    ...Object.entries(s.drivers).map(([k, v]) => `conf_drivers_${k}=${v}`),
    ...Object.entries(s.kconfig).map(([k, v]) => `conf_${k}=${v}`),
    ...Object.entries(s.options).map(([k, v]) => `${optionSetting(k)}=${v}`),
  ];
}

/** tree: where the selection's app version script is read from (the size panel counts it, as osvconf size does). */
export function createTuiCore(defaults: Defaults, user: UserProfiles | undefined, tree: string): Result<TuiCore> {
  const arches = new Map<string, ArchData>();
  for (const arch of Object.keys(defaults.arches)) {
    const catalog = loadArchCatalog(arch);
    if (!catalog.ok) return catalog;
    const source = profileSource(catalog.value, defaults, user);
    const profiles: Profile[] = [];
    for (const name of source.names()) {
      const p = source.get(name);
      if (!p.ok) return p;
      if (p.value !== undefined) profiles.push(p.value);
    }
    arches.set(arch, { catalog: catalog.value, source, profiles, estimator: createEstimator(loadSizeModel(arch)) });
  }
  const data = (arch: string): ArchData => arches.get(arch) ?? (arches.values().next().value as ArchData);
  const profileKib = new Map<string, ReadonlyMap<string, number>>();

  const resolve = (s: Settings): Result<Selection> => {
    const d = data(s.arch);
    const raw = parseSettings(settingsTokens(s, d.catalog), { arch: s.arch, mode: s.mode, profile: s.profile });
    if (!raw.ok) return raw;
    const bound = bindSettings(raw.value, d.catalog, () => []);
    if (!bound.ok) return bound;
    const chosen = select(
      {
        arch: s.arch,
        mode: s.mode,
        profile: s.profile,
        drivers: bound.value.drivers,
        kconfig: bound.value.kconfig,
        options: bound.value.options,
        force: false,
        strict: false,
        ...(s.name === undefined ? {} : { customName: s.name }),
      },
      d.catalog,
      d.source,
    );
    if (!chosen.ok || s.name === undefined) return chosen;
    const named = checkCustomName(s.name, chosen.value, d.source);
    return named.ok ? chosen : named;
  };

  const core: TuiCore = {
    defaultProfile: defaults.defaultProfile,
    resolve,
    estimate: (selection, scripts) => estimateIn(data(selection.request.arch).estimator, selection, tree, scripts),
    context: (selection): MenuContext => {
      const d = data(selection.request.arch);
      const hiding = withRole(selection.kconfig, 'hide-symbols');
      const hide = hiding?.value ?? 'n';
      const cacheKey = `${selection.request.arch}/${selection.request.mode}/${hide}`;
      let sizes = profileKib.get(cacheKey);
      if (sizes === undefined) {
        const m = new Map<string, number>();
        for (const p of d.profiles) {
          const s = select(
            {
              arch: selection.request.arch,
              mode: selection.request.mode,
              profile: p.name,
              drivers: new Map(),
              kconfig: new Map(hiding === undefined ? [] : [[hiding.option.name, hide]]),
              options: new Map(),
              force: true,
              strict: false,
            },
            d.catalog,
            d.source,
          );
          if (s.ok) m.set(p.name, estimateIn(d.estimator, s.value, tree).kernelKib);
        }
        sizes = m;
        profileKib.set(cacheKey, m);
      }
      return { selection, arches: [...arches.keys()], modes: Object.keys(defaults.modes), profiles: d.profiles, profileKib: sizes };
    },
    explain: (selection, setting, scripts) => {
      const d = data(selection.request.arch);
      const found = explain(
        selection,
        setting,
        explainAccess(selection, d.catalog, d.source, (s) => estimateIn(d.estimator, s, tree, scripts).kernelKib),
      );
      return found.ok ? found.value.map((e) => textOf(e, selection)).join('\n') : found.error.message;
    },
    lockReason,
    minimalLines: (selection) => savedLines(selection, 'minimal', data(selection.request.arch).source),
    baselineKib: (selection) => {
      const base = resolve({
        arch: selection.request.arch,
        mode: selection.request.mode,
        profile: defaults.defaultProfile,
        drivers: {},
        kconfig: {},
        options: {},
      });
      return base.ok ? estimateIn(data(selection.request.arch).estimator, base.value, tree).kernelKib : Number.NaN;
    },
    describe: (selection, item, ctx) => {
      if (item.kind === 'menu')
        return `${item.label}:\n${items(item.id, ctx)
          .map((i) => `  ${i.label}`)
          .join('\n')}\n`;
      if (item.kind === 'action')
        return item.action === 'save'
          ? 'Save: writes the selection into the OSv tree (as osvconf --out), showing the files and their diff first.\n'
          : 'Quit: asks first when there are unsaved changes.\n';
      if (item.kind === 'generate')
        return 'Reads the app (an ELF file, or a directory of them), writes <app>.version_script with the symbols it needs from the kernel (osvconf symbols), and hides every other symbol (conf_hide_symbols=1, conf_version_script).\n';
      if (item.kind === 'choice' && (item.setting === 'arch' || item.setting === 'mode'))
        return `${item.label}: ${item.value}\n  choices: ${item.choices.map((c) => c.value).join(', ')}\n  ${item.setting === 'arch' ? 'Drivers belong to one arch: switching keeps the settings that apply.' : 'Names build/<mode>.<arch>; Kconfig defaults differ by mode.'}\n`;
      if (item.kind === 'text' && item.setting === 'name')
        return `Custom profile name: ${item.value}\n  The selection is written as conf/profiles/${selection.request.arch}/<name>.mk and built with conf_drivers_profile=<name>; it cannot be one of OSv's own profile names.\n`;
      return undefined;
    },
    defaultOf: (selection, setting) => {
      const option = selection.options.find((o) => o.option.setting === setting);
      if (option !== undefined) return option.option.default;
      const k = selection.kconfig.find((x) => `conf_${x.option.name}` === setting);
      return k === undefined ? undefined : defaultValue(k.option, selection.request.arch, selection.request.mode);
    },
  };
  return ok(core);
}
