// Turns parsed arguments into a resolved selection: defaults, arch, catalog, profiles, settings.
// Shared by the commands that take the selection flags (configure, explain).

import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ArchCatalog, Defaults } from '../core/catalog.js';
import { defaultValue, KCONFIG_PREFIX, optionsFor, staleDependents, withRole } from '../core/kconfig.js';
import { valueFacts } from '../core/options.js';
import type { ProfileSource } from '../core/profiles.js';
import { fail, ok, type Result } from '../core/result.js';
import { select, type Selection, type Warning } from '../core/select.js';
import { bindSettings, parseSettings, SETTING_WORDS } from '../core/settings.js';
import { fromDotConfig, isKconfigFile, overlay, parseSavedConfiguration, type LoadedConfiguration } from '../core/saved-config.js';
import { parseDotConfig } from '../core/dot-config.js';
import { MAX_VERSION_SCRIPT_BYTES, readTextCapped } from '../io/read-file.js';
import { didYouMean } from '../core/suggest.js';
import { archesWithDriver, checkProfilesDir, loadArchCatalog, loadDefaults, PROFILE_NAME, profileSource } from '../io/catalog-files.js';
import { kernelSymbols, versionScriptNames } from '../io/kernel-symbols.js';
/** The command-line options the selection reads (the CLI's parsed arguments have this shape). */
export interface SelectionOptions {
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
  /** Repeatable flags: every --load, in order (else values' one --load). */
  readonly lists?: ReadonlyMap<string, readonly string[]>;
  /** The configurator's fs, kept when the loaded files set none (a .config never does). */
  readonly fs?: string;
}

/** The header keys of a configuration, by the name a message uses for each. */
const HEADER_NAMES = { arch: 'arch', mode: 'mode', profile: 'conf_drivers_profile', name: 'name' } as const;

/**
 * Several configurations applied in order, later wins (merge_config): one LoadedConfiguration,
 * and a note for every value a later file replaced.
 */
function mergeLoaded(files: readonly { path: string; loaded: LoadedConfiguration }[]): {
  merged: LoadedConfiguration;
  overridden: string[];
  from: Map<string, string>;
} {
  const from = new Map<string, string>();
  const values = new Map<string, string>();
  const overridden: string[] = [];
  const set = (key: string, value: string, path: string): void => {
    const before = values.get(key);
    if (before !== undefined && before !== value) overridden.push(`${key}=${value} from ${path} overrides ${key}=${before} from ${from.get(key)}`);
    values.set(key, value);
    from.set(key, path);
  };
  let force = false;
  for (const { path, loaded } of files) {
    for (const [field, key] of Object.entries(HEADER_NAMES)) {
      const v = loaded[field as keyof typeof HEADER_NAMES];
      if (v !== undefined) set(key, v, path);
    }
    // A .config's default values override what an earlier file set (it states them all).
    for (const s of loaded.states ?? []) {
      const key = s.slice(0, s.indexOf('='));
      if (values.has(key) && !loaded.settings.some((x) => x.startsWith(`${key}=`))) set(key, s.slice(s.indexOf('=') + 1), path);
    }
    for (const s of loaded.settings) set(s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1), path);
    force ||= loaded.force === true;
  }
  const header = (key: string): string | undefined => values.get(key);
  const arch = header('arch');
  const mode = header('mode');
  const profile = header('conf_drivers_profile');
  const name = header('name');
  const headerKeys: readonly string[] = Object.values(HEADER_NAMES);
  return {
    merged: {
      ...(arch === undefined ? {} : { arch }),
      ...(mode === undefined ? {} : { mode }),
      ...(profile === undefined ? {} : { profile }),
      ...(name === undefined ? {} : { name }),
      ...(force ? { force: true } : {}),
      settings: [...values].filter(([k]) => !headerKeys.includes(k)).map(([k, v]) => `${k}=${v}`),
    },
    overridden,
    from,
  };
}

export interface Context {
  readonly defaults: Defaults;
  readonly catalog: ArchCatalog;
  readonly profiles: ProfileSource;
}

export function checkArch(arch: string, defaults: Defaults): Result<string> {
  if (Object.hasOwn(defaults.arches, arch)) return ok(arch);
  const aka = Object.entries(defaults.arches).find(([, info]) => info.alsoKnownAs.includes(arch.toLowerCase()));
  if (aka !== undefined) return fail(`unknown arch "${arch}": OSv calls it ${aka[0]}`, `write --arch=${aka[0]}`);
  return fail(`unknown arch "${arch}"${didYouMean(arch, Object.keys(defaults.arches))}`, `OSv builds for ${Object.keys(defaults.arches).join(' and ')}`);
}

/**
 * Defaults, the arch's catalog and its profiles, from --arch and --profiles-dir. The schema
 * validators are loaded only when there are user profiles to validate.
 */
/** The defaults and the catalog of the arch a flag names (the default arch without one). */
function archContext(archFlag: string | undefined): Result<{ defaults: Defaults; catalog: ArchCatalog }> {
  const defaults = loadDefaults();
  if (!defaults.ok) return defaults;
  const arch = checkArch(archFlag ?? defaults.value.defaultArch, defaults.value);
  if (!arch.ok) return arch;
  const catalog = loadArchCatalog(arch.value);
  return catalog.ok ? ok({ defaults: defaults.value, catalog: catalog.value }) : catalog;
}

export async function loadContext(archFlag: string | undefined, profilesDir: string | undefined): Promise<Result<Context>> {
  const context = archContext(archFlag);
  if (!context.ok) return context;
  const { defaults, catalog } = context.value;
  if (profilesDir === undefined) return ok({ defaults, catalog, profiles: profileSource(catalog, defaults) });
  const checked = checkProfilesDir(profilesDir, defaults);
  if (!checked.ok) return checked;
  const { validate_profile } = await import('../generated/validators.js');
  return ok({ defaults, catalog, profiles: profileSource(catalog, defaults, { dir: profilesDir, validate: validate_profile }) });
}

/** The file --load names: a saved configuration, or a Kconfig .config (OSv's menuconfig, conf/examples/). */
export const MAX_CONFIGURATION_BYTES = 1024 * 1024;

/**
 * The Kconfig options a loaded .config names (set, or "is not set"): menuconfig marks the others
 * "(NEW)". Undefined for a file that is not a .config (a saved configuration lists only settings).
 */
export function dotConfigNames(path: string, arch: string): ReadonlySet<string> | undefined {
  const text = readTextCapped(path, 'configuration', MAX_CONFIGURATION_BYTES);
  if (!text.ok || !isKconfigFile(text.value)) return undefined;
  const context = archContext(arch);
  if (!context.ok) return undefined;
  return new Set(parseDotConfig(text.value, context.value.catalog.kconfig.choice.name).values.keys());
}

async function loadConfiguration(
  path: string,
  arch: string | undefined,
  mode: string | undefined,
): Promise<Result<{ loaded: LoadedConfiguration; notes: Warning[] }>> {
  const text = readTextCapped(path, 'configuration', MAX_CONFIGURATION_BYTES);
  if (!text.ok) return text;
  if (!isKconfigFile(text.value)) {
    const parsed = parseSavedConfiguration(text.value, path);
    return parsed.ok ? ok({ loaded: parsed.value, notes: [] }) : parsed;
  }
  const context = archContext(arch);
  if (!context.ok) return context;
  const { defaults, catalog } = context.value;
  const from = fromDotConfig(parseDotConfig(text.value, catalog.kconfig.choice.name), catalog, mode ?? defaults.defaultMode);
  const notes: Warning[] = [];
  if (from.unknown.length > 0) {
    notes.push({
      code: 'config-unknown-options',
      message: `not taken: ${from.unknown.join(', ')} (this OSv's Kconfig has no such option on ${catalog.arch}), from ${path}`,
      hint: 'the file may come from another OSv version; osvconf list options shows what this one has',
    });
  }
  if (from.absent.length > 0) {
    notes.push({ code: 'config-new-options', level: 'note', message: `${path} does not mention ${from.absent.join(', ')} (NEW): they take their defaults` });
  }
  return ok({ loaded: from.loaded, notes });
}

/** cwd: the directory the command runs in (a relative conf_version_script is read from --out, else there). */
export async function resolveSelection(args: SelectionOptions, settings: readonly string[], cwd: string): Promise<Result<Context & { selection: Selection }>> {
  const flags = {
    ...(args.values.has('arch') ? { arch: args.values.get('arch') as string } : {}),
    ...(args.values.has('mode') ? { mode: args.values.get('mode') as string } : {}),
    ...(args.values.has('profile') ? { profile: args.values.get('profile') as string } : {}),
  };
  let raw = parseSettings(settings, flags);
  if (!raw.ok) return raw;
  let customName = args.values.get('name');
  let forced = args.switches.has('force');
  const notes: Warning[] = [];
  /** fs=, when neither the command line nor a loaded file chose it: another can be offered. */
  let fsChosen = settings.some((s) => s.startsWith('fs='));
  /** What the loaded files set, with the file each came from (build flags are named, stale values dropped). */
  const loadedSettings: { setting: string; value: string; path: string }[] = [];
  const loadPaths = args.lists?.get('load') ?? (args.values.has('load') ? [args.values.get('load') as string] : []);
  if (loadPaths.length > 0) {
    // The files first, in order, the command line over them: later wins.
    const files: { path: string; loaded: LoadedConfiguration }[] = [];
    for (const path of loadPaths) {
      const arch = raw.value.arch?.value ?? [...files].reverse().find((f) => f.loaded.arch !== undefined)?.loaded.arch;
      const loaded = await loadConfiguration(path, arch, raw.value.mode?.value);
      if (!loaded.ok)
        return loadPaths.length === 1 || loaded.error.message.includes(path)
          ? loaded
          : fail(`${path}: ${loaded.error.message}`, loaded.error.hint, loaded.error.details);
      files.push({ path, loaded: loaded.value.loaded });
      notes.push(...loaded.value.notes);
    }
    const { merged: file, overridden, from } = mergeLoaded(files);
    const loadPath = loadPaths.join(', ');
    // What the command line replaces of the files' values is said too.
    const given = raw.value;
    const commandLine = [
      ...settings.filter((s) => s.includes('=')).map((s) => [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)] as const),
      ...(['arch', 'mode', 'profile'] as const).flatMap((f) =>
        given[f] === undefined ? [] : [[HEADER_NAMES[f], (given[f] as { value: string }).value] as const],
      ),
    ];
    for (const [key, value] of commandLine) {
      const spelled = key === 'drivers_profile' ? 'conf_drivers_profile' : key;
      const before = [
        ...file.settings,
        ...Object.entries({ arch: file.arch, mode: file.mode, conf_drivers_profile: file.profile }).map(([k, v]) => `${k}=${v}`),
      ].find((s) => s.startsWith(`${spelled}=`));
      if (before !== undefined && before !== `${spelled}=${value}`)
        overridden.push(`${spelled}=${value} from the command line overrides ${before} from ${from.get(spelled)}`);
    }
    for (const line of file.settings) {
      const key = line.slice(0, line.indexOf('='));
      loadedSettings.push({ setting: key, value: line.slice(key.length + 1), path: from.get(key) ?? loadPath });
    }
    const said = [...new Set(overridden)];
    for (const line of said) notes.push({ code: 'config-override', level: 'note', message: line });
    const pick = (given: { value: string } | undefined, fromFile: string | undefined) => given?.value ?? fromFile;
    const arch = pick(raw.value.arch, file.arch);
    const mode = pick(raw.value.mode, file.mode);
    const profile = pick(raw.value.profile, file.profile);
    const merged = { ...(arch === undefined ? {} : { arch }), ...(mode === undefined ? {} : { mode }), ...(profile === undefined ? {} : { profile }) };
    fsChosen ||= file.settings.some((s) => s.startsWith('fs='));
    // A .config does not speak about fs: the session's stays (the configurator's O).
    const session = !fsChosen && args.fs !== undefined ? [`fs=${args.fs}`] : [];
    const overAliases = [...session, ...settings].filter((s) => !SETTING_WORDS.includes(s.slice(0, s.indexOf('='))));
    raw = parseSettings(overlay(file, overAliases), merged);
    if (!raw.ok) return raw;
    customName ??= file.name;
    if (file.force === true) forced = true;
    if (file.settings.length === 0 && file.arch === undefined && file.profile === undefined && file.mode === undefined) {
      notes.push({ code: 'config-empty', message: `${loadPath} sets nothing: the defaults apply` });
    }
  }
  const context = await loadContext(raw.value.arch?.value, args.values.get('profiles-dir'));
  if (!context.ok) return context;
  const { defaults, catalog, profiles } = context.value;
  const mode = raw.value.mode?.value ?? defaults.defaultMode;
  if (!Object.hasOwn(defaults.modes, mode))
    return fail(`unknown mode "${mode}"${didYouMean(mode, Object.keys(defaults.modes))}`, `the modes are ${Object.keys(defaults.modes).join(' and ')}`);
  const profile = raw.value.profile?.value ?? defaults.defaultProfile;
  if (!PROFILE_NAME.test(profile)) return fail(`"${profile}" is not a profile name`, 'profile names are made of letters, digits, _ and -');
  const broken = Object.hasOwn(catalog.kconfig.choice.withoutProfile, profile) ? catalog.kconfig.choice.withoutProfile[profile] : undefined;
  if (broken !== undefined) {
    const exists = profiles.get(profile);
    if (exists.ok && exists.value === undefined) return fail(`no profile "${profile}": ${broken.reason}`, `use --profile=${broken.use}`);
  }
  const boundAll = bindSettings(raw.value, catalog, (name) => archesWithDriver(defaults, name, catalog.arch));
  if (!boundAll.ok) return boundAll;
  // A loaded file's value whose dependency is off in the end is dropped, as Kconfig's tools drop
  // it (merge_config.sh warns); --strict refuses it. The command line's own are refused by the core.
  const fromFiles = new Set(
    loadedSettings
      .map((l) => l.setting)
      .filter((s) => s.startsWith(KCONFIG_PREFIX) && !settings.some((c) => c.startsWith(`${s}=`)))
      .map((s) => s.slice(KCONFIG_PREFIX.length)),
  );
  const stale = staleDependents(catalog.kconfig, catalog.arch, mode, boundAll.value.kconfig, fromFiles);
  const dropped = stale.map(
    (s) =>
      `${KCONFIG_PREFIX}${s.name}=${s.value === 'y' ? 1 : s.value} from ${loadedSettings.find((l) => l.setting === KCONFIG_PREFIX + s.name)?.path ?? 'a loaded file'} dropped: it depends on ${KCONFIG_PREFIX}${s.dependsOn}, which is ${s.dependencyValue === 'y' ? 1 : 0}`,
  );
  if (dropped.length > 0 && args.switches.has('strict'))
    return fail(
      dropped.length === 1 ? `${dropped[0] as string} (--strict)` : `${dropped.length} loaded values do not take (--strict)`,
      `turn the dependency on, or drop the value from the file`,
      dropped.length === 1 ? undefined : dropped,
    );
  for (const message of dropped) notes.push({ code: 'config-dropped', message, hint: 'Kconfig drops a value whose dependency is off; --strict refuses it' });
  const bound = { ...boundAll.value, kconfig: new Map([...boundAll.value.kconfig].filter(([name]) => !stale.some((s) => s.name === name))) };
  notes.push(...buildFlagNotes(loadedSettings, catalog, mode));
  const selection = select(
    {
      arch: catalog.arch,
      mode,
      profile,
      drivers: bound.drivers,
      kconfig: bound.kconfig,
      options: bound.options,
      force: forced,
      strict: args.switches.has('strict'),
      ...(customName !== undefined ? { customName } : {}),
    },
    catalog,
    profiles,
  );
  if (!selection.ok) return selection;
  const tree = args.values.get('out') ?? cwd;
  const checked = checkVersionScript(selection.value, tree);
  if (!checked.ok) {
    // Loaded files that set no fs (OSv's own example .config files), with a version script that
    // hides what the default fs's library needs: the fs they need is offered in its place.
    const other = loadPaths.length > 0 && !fsChosen ? otherFs(selection.value, tree, catalog, profiles) : undefined;
    if (other === undefined) return checked;
    return ok({
      ...context.value,
      selection: {
        ...other.selection,
        warnings: [
          ...notes,
          {
            code: 'config-fs-offered',
            level: 'note',
            message: `fs=${other.fs}: ${loadPaths.join(', ')} set${loadPaths.length === 1 ? 's' : ''} no fs (a .config never does), and ${checked.error.message}`,
            hint: `give fs=${other.fs} (or another fs) on the command line to choose it yourself`,
          },
          ...other.selection.warnings,
          ...other.warnings,
        ],
      },
    });
  }
  return ok({ ...context.value, selection: { ...selection.value, warnings: [...notes, ...selection.value.warnings, ...checked.value] } });
}

/** The first fs (in the data's order) whose libraries the selection's version script does not starve. */
function otherFs(
  selection: Selection,
  tree: string,
  catalog: ArchCatalog,
  profiles: ProfileSource,
): { fs: string; selection: Selection; warnings: Warning[] } | undefined {
  const fs = catalog.options.find((o) => o.name === 'fs');
  for (const [value, facts] of Object.entries(fs?.values ?? {})) {
    if (facts.needsKernelSymbolsOf !== undefined || value === selection.request.options.get('fs')) continue;
    const options = new Map([...selection.request.options, ['fs', value]]);
    const again = select({ ...selection.request, options }, catalog, profiles);
    if (!again.ok) continue;
    const checked = checkVersionScript(again.value, tree);
    if (checked.ok) return { fs: value, selection: again.value, warnings: checked.value };
  }
  return undefined;
}

/**
 * The app version script the selection builds with: only with conf_hide_symbols=1 and a
 * conf_version_script other than OSv's default (which OSv makes, listing every export). The path
 * is read relative to the OSv tree, as make reads it; `exists: false` when there is no such file.
 */
export function appVersionScript(selection: Selection, tree: string): { setting: string; path: string; exists: boolean } | undefined {
  const script = withRole(selection.kconfig, 'version-script');
  if (withRole(selection.kconfig, 'hide-symbols')?.value !== 'y' || script === undefined) return undefined;
  if (script.value === defaultValue(script.option, selection.request.arch, selection.request.mode)) return undefined;
  const path = isAbsolute(script.value) ? script.value : join(tree, script.value);
  return { setting: script.value, path, exists: existsSync(path) };
}

/**
 * The checks that read the version script file: make stops when it is missing; and a root
 * filesystem that loads libsolaris.so (ZFS) needs the kernel symbols that library uses, which an
 * app-specific script may hide.
 */
function checkVersionScript(selection: Selection, tree: string): Result<Warning[]> {
  const script = appVersionScript(selection, tree);
  if (script === undefined) return ok([]);
  if (!script.exists) {
    return ok([
      {
        code: 'version-script-missing',
        message: `conf_version_script=${script.setting}: no such file (looked at ${script.path}); with conf_hide_symbols=1 OSv's make stops with "Missing version script"`,
        hint: 'write it with osvconf symbols APP --out=FILE before building',
      },
    ]);
  }
  const read = readTextCapped(script.path, 'version script', MAX_VERSION_SCRIPT_BYTES);
  if (!read.ok) return read;
  const names = versionScriptNames(read.value);
  if (names === '*') return ok([]);
  const warnings: Warning[] = [];
  for (const o of selection.options) {
    const library = valueFacts(o)?.needsKernelSymbolsOf;
    if (library === undefined) continue;
    const hidden = kernelSymbols(selection.request.arch)
      .library(library)
      .filter((n) => !names.has(n));
    if (hidden.length === 0) continue;
    const message = `${o.option.setting}=${o.value} loads ${library}, which needs ${hidden.length} kernel symbol${hidden.length === 1 ? '' : 's'} that ${script.setting} hides (${hidden.slice(0, 4).join(', ')}${hidden.length > 4 ? ', ...' : ''}): the filesystem would fail to mount`;
    const hint = `write the script with osvconf symbols APP ${o.option.setting}=${o.value} (it keeps them), or use a filesystem without ZFS`;
    if (!selection.request.force) return fail(message, hint);
    warnings.push({ code: 'hidden-library-symbols', message: `${message}; kept anyway (--force)`, hint, forced: true });
  }
  return ok(warnings);
}

/**
 * A loaded file's build flags go to gcc and ld as they are: each one the file sets to other than
 * its default is named, with the file, so that the user sees them before building.
 */
function buildFlagNotes(loaded: readonly { setting: string; value: string; path: string }[], catalog: ArchCatalog, mode: string): Warning[] {
  const flagSettings = new Map<string, string | undefined>([
    ...optionsFor(catalog.kconfig, catalog.arch)
      .filter((o) => o.flagForms !== undefined)
      .map((o): [string, string | undefined] => [`${KCONFIG_PREFIX}${o.name}`, defaultValue(o, catalog.arch, mode)]),
    ...catalog.options.filter((o) => o.flagForms !== undefined).map((o): [string, string | undefined] => [o.setting, o.default]),
  ]);
  return loaded
    .filter((l) => flagSettings.has(l.setting) && flagSettings.get(l.setting)?.trim() !== l.value.trim())
    .map((l) => ({
      code: 'config-build-flags',
      level: 'note' as const,
      message: `${l.path} sets build flags: ${l.setting}=${l.value.trim()} (gcc and ld get them as they are; check them before building)`,
    }));
}
