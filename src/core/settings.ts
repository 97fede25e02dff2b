// SETTINGs in OSv's own spelling (`conf_drivers_<name>=1`, `conf_hide_symbols=1`, `arch=aarch64`,
// `conf_drivers_profile=<profile>`), as scripts/build takes them. Parsed in two steps: the shape first
// (which also fixes the arch), then the names against that arch's catalog.

import { DRIVER_PREFIX, type ArchCatalog, type Bit } from './catalog.js';
import { allOptions, KCONFIG_PREFIX, optionsFor, parseValue } from './kconfig.js';
import { parseOptionValue, type BuildOption } from './options.js';
import { fail, ok, usage, type Result } from './result.js';
import { didYouMean } from './suggest.js';

/** A value given once from a flag (`--arch`) or a setting (`arch=`), remembering how it was spelled. */
export interface Given {
  readonly value: string;
  readonly spelling: string;
}

export interface RawSettings {
  readonly arch?: Given;
  readonly mode?: Given;
  readonly profile?: Given;
  /** Every other `name=value`, in command-line order, with duplicates already checked. */
  readonly assignments: ReadonlyMap<string, string>;
}

export interface BoundSettings {
  readonly drivers: ReadonlyMap<string, Bit>;
  /** Kconfig option name -> value normalised as .config stores it. */
  readonly kconfig: ReadonlyMap<string, string>;
  /** Build option name (fs, conf_zfs, ...) -> value. */
  readonly options: ReadonlyMap<string, string>;
}

/** Setting names that stand for a flag; the driver profile has two spellings in OSv's history. */
const ALIASES: Readonly<Record<string, 'arch' | 'mode' | 'profile'>> = {
  arch: 'arch',
  mode: 'mode',
  conf_drivers_profile: 'profile',
  drivers_profile: 'profile',
};

export const SETTING_WORDS: readonly string[] = Object.keys(ALIASES);

/**
 * Splits `name=value` tokens and merges them with --arch/--mode/--profile. The same thing given
 * twice with different values is refused, naming both.
 */
export function parseSettings(tokens: readonly string[], flags: { arch?: string; mode?: string; profile?: string }): Result<RawSettings> {
  const fixed: { arch?: Given; mode?: Given; profile?: Given } = {};
  for (const key of ['arch', 'mode', 'profile'] as const) {
    const value = flags[key];
    if (value !== undefined) fixed[key] = { value, spelling: `--${key}=${value}` };
  }
  const assignments = new Map<string, string>();
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0) {
      return usage(
        eq === 0 ? `setting "${token}" has no name before "="` : `"${token}" is not a setting: settings are NAME=VALUE`,
        `write it as ${eq === 0 ? 'conf_drivers_<name>=1' : `${token}=1`}, or see osvconf --help for commands and flags`,
      );
    }
    const name = token.slice(0, eq);
    const value = token.slice(eq + 1);
    const alias = Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
    if (alias !== undefined) {
      const before = fixed[alias];
      if (before !== undefined && before.value !== value) {
        return fail(`conflicting settings: ${before.spelling} and ${token}`, `give the ${alias} once`);
      }
      fixed[alias] = { value, spelling: token };
      continue;
    }
    const before = assignments.get(name);
    if (before !== undefined && before !== value) {
      return fail(`conflicting settings: ${name}=${before} and ${token}`, `give ${name} once`);
    }
    assignments.set(name, value);
  }
  return ok({ ...fixed, assignments });
}

function parseBit(name: string, value: string): Result<Bit> {
  if (value === '0' || value === '1') return ok(value === '1' ? 1 : 0);
  return fail(`${name}=${value}: the value must be 0 or 1`, `write ${name}=1 to enable it or ${name}=0 to disable it`);
}

/**
 * Checks every remaining setting against the arch's catalog. `driverArches` tells on which
 * arches a driver name exists, so that a driver of the other arch gets its own message.
 */
export function bindSettings(raw: RawSettings, catalog: ArchCatalog, driverArches: (name: string) => readonly string[]): Result<BoundSettings> {
  const drivers = new Map<string, Bit>();
  const kconfig = new Map<string, string>();
  const buildOptions = new Map<string, string>();
  const byOptionSetting = new Map(catalog.options.map((o) => [o.setting, o]));
  const driverNames = new Set(catalog.drivers.map((d) => d.name));
  const options = new Map(optionsFor(catalog.kconfig, catalog.arch).map((o) => [KCONFIG_PREFIX + o.name, o]));
  const known = [...catalog.drivers.map((d) => DRIVER_PREFIX + d.name), ...options.keys(), ...byOptionSetting.keys(), ...SETTING_WORDS];
  for (const [name, value] of raw.assignments) {
    const option = options.get(name);
    if (name.startsWith(DRIVER_PREFIX) && driverNames.has(name.slice(DRIVER_PREFIX.length))) {
      const bit = parseBit(name, value);
      if (!bit.ok) return bit;
      drivers.set(name.slice(DRIVER_PREFIX.length), bit.value);
    } else if (option !== undefined) {
      const parsed = parseValue(option, value);
      if (!parsed.ok) return parsed;
      kconfig.set(option.name, parsed.value);
    } else if (byOptionSetting.has(name)) {
      const build = byOptionSetting.get(name) as BuildOption;
      const parsed = parseOptionValue(build, value);
      if (!parsed.ok) return parsed;
      buildOptions.set(build.name, parsed.value);
    } else if (name.startsWith(DRIVER_PREFIX) && driverArches(name.slice(DRIVER_PREFIX.length)).length > 0) {
      const elsewhere = driverArches(name.slice(DRIVER_PREFIX.length));
      return fail(
        `${name}: there is no such driver on ${catalog.arch} (it exists on ${elsewhere.join(', ')})`,
        `drop it, or build for --arch=${elsewhere[0]}; osvconf list drivers --arch=${catalog.arch} shows what ${catalog.arch} has`,
      );
    } else {
      const otherArch = allOptions(catalog.kconfig).find((o) => KCONFIG_PREFIX + o.name === name);
      if (otherArch?.arch !== undefined) {
        return fail(`${name}: this Kconfig option exists only on ${otherArch.arch}`, `drop it, or build for --arch=${otherArch.arch}`);
      }
      return fail(`unknown setting "${name}"${didYouMean(name, known)}`, `osvconf list drivers and osvconf list options show the settings for ${catalog.arch}`);
    }
  }
  return ok({ drivers, kconfig, options: buildOptions });
}
