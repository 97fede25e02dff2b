// Turns parsed arguments into a resolved selection: defaults, arch, catalog, profiles, settings.
// Shared by the commands that take the selection flags (configure, explain).

import type { ArchCatalog, Defaults } from '../core/catalog.js';
import type { ProfileSource } from '../core/profiles.js';
import { fail, ok, type Result } from '../core/result.js';
import { select, type Selection } from '../core/select.js';
import { bindSettings, parseSettings } from '../core/settings.js';
import { didYouMean } from '../core/suggest.js';
import { archesWithDriver, checkProfilesDir, loadArchCatalog, loadDefaults, PROFILE_NAME, profileSource } from '../io/catalog-files.js';
import type { Validator } from '../io/data-file.js';
import type { ParsedArgs } from './args.js';

export interface Context {
  readonly defaults: Defaults;
  readonly catalog: ArchCatalog;
  readonly profiles: ProfileSource;
}

export function checkArch(arch: string, defaults: Defaults): Result<string> {
  if (arch in defaults.arches) return ok(arch);
  const aka = Object.entries(defaults.arches).find(([, info]) => info.alsoKnownAs.includes(arch.toLowerCase()));
  if (aka !== undefined) return fail(`unknown arch "${arch}": OSv calls it ${aka[0]}`, `write --arch=${aka[0]}`);
  return fail(`unknown arch "${arch}"${didYouMean(arch, Object.keys(defaults.arches))}`, `OSv builds for ${Object.keys(defaults.arches).join(' and ')}`);
}

/**
 * Defaults, the arch's catalog and its profiles, from --arch and --profiles-dir. The schema
 * validators are loaded only when there are user profiles to validate.
 */
export async function loadContext(archFlag: string | undefined, profilesDir: string | undefined): Promise<Result<Context>> {
  const defaults = loadDefaults();
  if (!defaults.ok) return defaults;
  const arch = checkArch(archFlag ?? defaults.value.defaultArch, defaults.value);
  if (!arch.ok) return arch;
  const catalog = loadArchCatalog(arch.value);
  if (!catalog.ok) return catalog;
  if (profilesDir === undefined) return ok({ defaults: defaults.value, catalog: catalog.value, profiles: profileSource(catalog.value, defaults.value) });
  const checked = checkProfilesDir(profilesDir, defaults.value);
  if (!checked.ok) return checked;
  const { validate_profile } = await import('../generated/validators.js');
  return ok({ defaults: defaults.value, catalog: catalog.value, profiles: profileSource(catalog.value, defaults.value, { dir: profilesDir, validate: validate_profile as Validator }) });
}

export async function resolveSelection(args: ParsedArgs, settings: readonly string[]): Promise<Result<Context & { selection: Selection }>> {
  const flags = {
    ...(args.values.has('arch') ? { arch: args.values.get('arch') as string } : {}),
    ...(args.values.has('mode') ? { mode: args.values.get('mode') as string } : {}),
    ...(args.values.has('profile') ? { profile: args.values.get('profile') as string } : {}),
  };
  const raw = parseSettings(settings, flags);
  if (!raw.ok) return raw;
  const context = await loadContext(raw.value.arch?.value, args.values.get('profiles-dir'));
  if (!context.ok) return context;
  const { defaults, catalog, profiles } = context.value;
  const mode = raw.value.mode?.value ?? defaults.defaultMode;
  if (!(mode in defaults.modes)) return fail(`unknown mode "${mode}"${didYouMean(mode, Object.keys(defaults.modes))}`, `the modes are ${Object.keys(defaults.modes).join(' and ')}`);
  const profile = raw.value.profile?.value ?? defaults.defaultProfile;
  if (!PROFILE_NAME.test(profile)) return fail(`"${profile}" is not a profile name`, 'profile names are made of letters, digits, _ and -');
  const broken = catalog.kconfig.choice.withoutProfile[profile];
  if (broken !== undefined) {
    const exists = profiles.get(profile);
    if (exists.ok && exists.value === undefined) return fail(`no profile "${profile}": ${broken.reason}`, `use --profile=${broken.use}`);
  }
  const bound = bindSettings(raw.value, catalog, (name) => archesWithDriver(defaults, name, catalog.arch));
  if (!bound.ok) return bound;
  const selection = select(
    { arch: catalog.arch, mode, profile, drivers: bound.value.drivers, kconfig: bound.value.kconfig, options: bound.value.options, force: args.switches.has('force'), strict: args.switches.has('strict'), ...(args.values.has('name') ? { customName: args.values.get('name') as string } : {}) },
    catalog,
    profiles,
  );
  if (!selection.ok) return selection;
  return ok({ ...context.value, selection: selection.value });
}
