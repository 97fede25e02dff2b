// Loads the catalog from conf/ and profiles/ (and a user's --profiles-dir) and applies the
// cross-reference checks of core/catalog.ts. Shipped files were schema-validated at build time;
// user profiles are validated here with the precompiled validator the caller passes in (so the
// validators are loaded only when there are user files). Files are read lazily: a run touches
// only its arch's drivers and the profiles it expands.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDrivers, checkProfileSets, type ArchCatalog, type Defaults, type PitfallId, type Profile } from '../core/catalog.js';
import type { Kconfig } from '../core/kconfig.js';
import { PROFILE_NAME } from '../core/format.js';
import type { BuildOption } from '../core/options.js';
import type { ProfileSource } from '../core/profiles.js';
import { fail, ok, type Result } from '../core/result.js';
import { didYouMean } from '../core/suggest.js';
import type { DriversJson, FlagsJson, KconfigJson, OptionsJson, OsvconfJson, ProfileJson } from '../generated/data-types.js';
import { wholeWord, type FlagKind } from '../core/flag-forms.js';
import { displayPath, fileIssues, readDataFile, type LoadedFile, type Validator } from './data-file.js';

/**
 * The package root: the nearest folder above this module that holds conf/osvconf.json (the module
 * may be src/io/catalog-files.ts under test, or a bundled chunk somewhere in dist/).
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'conf', 'osvconf.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`osvconf: no conf/osvconf.json above ${from}; the installation is incomplete`);
  }
}
const CONF_DIR = join(PACKAGE_ROOT, 'conf');
const PROFILES_DIR = join(PACKAGE_ROOT, 'profiles');

export { PROFILE_NAME };

/**
 * A data file typed by its schema. Shipped files passed that schema at build time and a user's
 * file passes `validate` here, which is what makes the one cast below true.
 */
function load<T>(path: string, what: string, validate?: Validator): Result<{ data: T; file: LoadedFile }> {
  const file = readDataFile(path, what, validate);
  if (!file.ok) return file;
  return ok({ data: file.value.data as T, file: file.value });
}

let defaultsCache: Result<Defaults> | undefined;

/** The defaults file, read once per process. */
export function loadDefaults(): Result<Defaults> {
  defaultsCache ??= readDefaults();
  return defaultsCache;
}

function readDefaults(): Result<Defaults> {
  const loaded = load<OsvconfJson>(join(CONF_DIR, 'osvconf.json'), 'defaults file');
  if (!loaded.ok) return loaded;
  const d = loaded.value.data;
  const arches = Object.fromEntries(
    Object.entries(d.arches).map(([name, a]) => [name, { description: a.description, alsoKnownAs: a.also_known_as, elfMachine: a.elf_machine }]),
  );
  if (!(d.default_arch in arches) || !(d.default_mode in d.modes)) {
    return fileIssues(loaded.value.file, 'defaults file', [
      { pointer: '/default_arch', message: 'default_arch and default_mode must name an entry of arches and modes' },
    ]);
  }
  return ok({ defaultArch: d.default_arch, defaultMode: d.default_mode, defaultProfile: d.default_profile, arches, modes: d.modes });
}

const catalogs = new Map<string, Result<ArchCatalog>>();

export function loadArchCatalog(arch: string): Result<ArchCatalog> {
  const cached = catalogs.get(arch);
  if (cached !== undefined) return cached;
  const result = readArchCatalog(arch);
  catalogs.set(arch, result);
  return result;
}

let kconfigCache: Result<Kconfig> | undefined;

/** OSv's Kconfig options, the same for every arch (options carry their own arch restriction). */
export function loadKconfig(): Result<Kconfig> {
  kconfigCache ??= readKconfig();
  return kconfigCache;
}

let flagsCache: Result<ReadonlyMap<string, FlagKind>> | undefined;

/** The allowlist of build-flag forms (conf/flags.json), by kind, its forms compiled once. */
function loadFlagForms(): Result<ReadonlyMap<string, FlagKind>> {
  flagsCache ??= (() => {
    const loaded = load<FlagsJson>(join(CONF_DIR, 'flags.json'), 'flag forms');
    if (!loaded.ok) return loaded;
    return ok(
      new Map(
        Object.entries(loaded.value.data.kinds).map(([name, k]): [string, FlagKind] => [
          name,
          {
            tool: k.tool,
            forms: k.forms.map((f) => ({ form: wholeWord(f.form), says: f.says, ...(f.then === undefined ? {} : { then: wholeWord(f.then) }) })),
            refused: k.refused.map((r) => ({ form: wholeWord(r.form), says: r.says })),
          },
        ]),
      ),
    );
  })();
  return flagsCache;
}

/** Each option's allowlist by its name; a kind conf/flags.json lacks is a broken catalog. */
function flagFormsByOption(options: readonly { name: string; flag_forms?: string }[]): Result<ReadonlyMap<string, FlagKind>> {
  const flags = loadFlagForms();
  if (!flags.ok) return flags;
  const byOption = new Map<string, FlagKind>();
  for (const o of options) {
    if (o.flag_forms === undefined) continue;
    const kind = flags.value.get(o.flag_forms);
    if (kind === undefined) return fail(`${o.name}: conf/flags.json has no kind "${o.flag_forms}"`);
    byOption.set(o.name, kind);
  }
  return ok(byOption);
}

const withFlagForms = (forms: ReadonlyMap<string, FlagKind>, name: string): { flagForms?: FlagKind } => {
  const found = forms.get(name);
  return found === undefined ? {} : { flagForms: found };
};

function readKconfig(): Result<Kconfig> {
  const loaded = load<KconfigJson>(join(CONF_DIR, 'kconfig.json'), 'Kconfig catalog');
  if (!loaded.ok) return loaded;
  const forms = flagFormsByOption(loaded.value.data.menus.flatMap((m) => m.options));
  if (!forms.ok) return forms;
  const k = loaded.value.data;
  return ok({
    mainmenu: k.mainmenu,
    menus: k.menus.map((m) => ({
      title: m.title,
      options: m.options.map((o) => ({
        name: o.name,
        type: o.type,
        prompt: o.prompt,
        default: o.default,
        ...(o.depends_on === undefined ? {} : { dependsOn: o.depends_on }),
        ...(o.arch === undefined ? {} : { arch: o.arch }),
        makefile: o.makefile,
        help: o.help,
        ...(o.note === undefined ? {} : { note: o.note }),
        ...(o.only_with === undefined ? {} : { onlyWith: o.only_with }),
        ...(o.syntax === undefined ? {} : { syntax: o.syntax }),
        ...withFlagForms(forms.value, o.name),
        ...(o.clean_build === true ? { cleanBuild: true } : {}),
        ...(o.role === undefined ? {} : { role: o.role }),
        menu: m.title,
      })),
    })),
    choice: { name: k.choice.name, prompt: k.choice.prompt, default: k.choice.default, values: k.choice.values, withoutProfile: k.choice.without_profile },
  });
}

let optionsCache: Result<BuildOption[]> | undefined;

function loadOptions(): Result<BuildOption[]> {
  optionsCache ??= (() => {
    const loaded = load<OptionsJson>(join(CONF_DIR, 'options.json'), 'options file');
    if (!loaded.ok) return loaded;
    const forms = flagFormsByOption(loaded.value.data.options);
    if (!forms.ok) return forms;
    return ok(
      loaded.value.data.options.map((o): BuildOption => ({
        name: o.name,
        setting: o.setting,
        type: o.type,
        default: o.default,
        passedTo: o.passed_to,
        prompt: o.prompt,
        help: o.help,
        ...(o.values === undefined
          ? {}
          : {
              values: Object.fromEntries(
                Object.entries(o.values).map(([k, v]) => [
                  k,
                  {
                    description: v.description,
                    ...(v.libsolaris === undefined ? {} : { libsolaris: v.libsolaris }),
                    ...(v.uses_zfs === undefined ? {} : { usesZfs: v.uses_zfs }),
                    ...(v.root_on_disk === undefined ? {} : { rootOnDisk: v.root_on_disk }),
                    ...(v.needs_kernel_symbols_of === undefined ? {} : { needsKernelSymbolsOf: v.needs_kernel_symbols_of }),
                    ...(v.requires === undefined ? {} : { requires: v.requires }),
                  },
                ]),
              ),
            }),
        ...(o.only_with === undefined ? {} : { onlyWith: o.only_with }),
        ...(o.syntax === undefined ? {} : { syntax: o.syntax }),
        ...withFlagForms(forms.value, o.name),
        ...(o.role === undefined ? {} : { role: o.role }),
      })),
    );
  })();
  return optionsCache;
}

function readArchCatalog(arch: string): Result<ArchCatalog> {
  const kconfig = loadKconfig();
  if (!kconfig.ok) return kconfig;
  const options = loadOptions();
  if (!options.ok) return options;
  const drivers = load<DriversJson>(join(CONF_DIR, arch, 'drivers.json'), 'driver catalog');
  if (!drivers.ok) return drivers;
  if (drivers.value.data.arch !== arch) {
    return fileIssues(drivers.value.file, 'driver catalog', [
      { pointer: '/arch', message: `says "${drivers.value.data.arch}" but the file is in conf/${arch}/` },
    ]);
  }
  const catalog: ArchCatalog = {
    arch,
    drivers: drivers.value.data.drivers.map((d) => ({
      name: d.name,
      group: d.group,
      description: d.description,
      implies: d.implies,
      provides: d.provides ?? [],
      notes: d.notes ?? [],
      pitfalls: d.pitfalls.map((p) => ({ ...p, id: p.id as PitfallId })),
    })),
    optionPitfalls: (drivers.value.data.option_pitfalls ?? []).map((p) => ({ ...p, id: p.id as PitfallId })),
    kconfig: kconfig.value,
    options: options.value,
  };
  const issues = checkDrivers(catalog);
  if (issues.length > 0) return fileIssues(drivers.value.file, 'driver catalog', issues);
  return ok(catalog);
}

/** The arches (other than `except`) whose catalog has this driver; only used to word errors. */
export function archesWithDriver(defaults: Defaults, name: string, except: string): string[] {
  return Object.keys(defaults.arches).filter((arch) => {
    if (arch === except) return false;
    const catalog = loadArchCatalog(arch);
    return catalog.ok && catalog.value.drivers.some((d) => d.name === name);
  });
}

function listProfiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && PROFILE_NAME.test(f.slice(0, -5)))
    .map((f) => f.slice(0, -5));
}

/** Checks a --profiles-dir: it must be a directory laid out like profiles/ (<arch>/<name>.json). */
export function checkProfilesDir(dir: string, defaults: Defaults): Result<string> {
  if (!existsSync(dir)) return fail(`--profiles-dir=${dir}: no such directory`, 'give a directory that holds <arch>/<name>.json profiles');
  if (!statSync(dir).isDirectory()) return fail(`--profiles-dir=${dir}: not a directory`, 'give a directory that holds <arch>/<name>.json profiles');
  const arches = Object.keys(defaults.arches);
  if (!arches.some((a) => existsSync(join(dir, a)))) {
    const inside = readdirSync(dir);
    const stray = inside.filter((f) => f.endsWith('.json'));
    return fail(
      `--profiles-dir=${dir} has no ${arches.map((a) => `${a}/`).join(' or ')} folder`,
      stray.length > 0 ? `move ${stray.join(', ')} into ${join(dir, arches[0] as string)}/ (profiles are per arch)` : 'profiles go in <dir>/<arch>/<name>.json',
    );
  }
  return ok(dir);
}

/** A --profiles-dir and the schema validator for the profiles in it. */
export interface UserProfiles {
  readonly dir: string;
  readonly validate: Validator;
}

export function profileSource(catalog: ArchCatalog, defaults: Defaults, user?: UserProfiles): ProfileSource {
  const arch = catalog.arch;
  const userDir = user?.dir;
  const dirs = [...(userDir === undefined ? [] : [{ dir: join(userDir, arch), builtin: false }]), { dir: join(PROFILES_DIR, arch), builtin: true }];
  const cache = new Map<string, Result<Profile | undefined>>();
  let names: string[] | undefined;

  const read = (name: string): Result<Profile | undefined> => {
    if (!PROFILE_NAME.test(name)) return ok(undefined);
    const where = dirs.find((d) => existsSync(join(d.dir, `${name}.json`)));
    if (where === undefined) return ok(undefined);
    const path = join(where.dir, `${name}.json`);
    const loaded = load<ProfileJson>(path, 'profile', where.builtin ? undefined : user?.validate);
    if (!loaded.ok) return loaded;
    const p = loaded.value.data;
    const profile: Profile = {
      name,
      description: p.description,
      hypervisors: p.hypervisors ?? [],
      inOsv: where.builtin && p.in_osv === true,
      ...(p.alias_of === undefined ? {} : { aliasOf: p.alias_of }),
      includes: p.includes ?? [],
      sets: Object.entries(p.sets ?? {}),
      source: displayPath(path),
      builtin: where.builtin,
    };
    const issues = checkProfileSets(profile, catalog, didYouMean);
    if (issues.length > 0) return fileIssues(loaded.value.file, 'profile', issues);
    return ok(profile);
  };

  return {
    arch,
    names: () => (names ??= [...new Set(dirs.flatMap((d) => listProfiles(d.dir)))].sort()),
    get: (name) => {
      let hit = cache.get(name);
      if (hit === undefined) {
        hit = read(name);
        cache.set(name, hit);
      }
      return hit;
    },
    elsewhere: (name) =>
      PROFILE_NAME.test(name)
        ? Object.keys(defaults.arches).filter(
            (a) => a !== arch && [PROFILES_DIR, ...(userDir === undefined ? [] : [userDir])].some((root) => existsSync(join(root, a, `${name}.json`))),
          )
        : [],
  };
}
