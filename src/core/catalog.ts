// The shapes of the catalog after loading: drivers of one arch in base.mk order, OSv's Kconfig
// options, profiles and the defaults. The facts live in conf/ and profiles/; this file only
// says what they look like and checks what a JSON Schema cannot (names that refer to others).

import { KCONFIG_PREFIX, optionsFor, type Kconfig } from './kconfig.js';
import type { BuildOption } from './options.js';
import { jsonPointer } from './format.js';

export type Bit = 0 | 1;

/** The groups drivers are listed under (the enum of conf/schema/drivers.schema.json). */
export type DriverGroup = 'bus' | 'storage' | 'network' | 'platform' | 'console' | 'other';

/** A pitfall's id in the driver catalog: also the code of the warning it raises. */
export type PitfallId = string & { readonly __pitfall: true };

export interface Pitfall {
  readonly id: PitfallId;
  /** Every key must have this value for the pitfall to apply: driver names, or conf_<bool Kconfig option>. */
  readonly when: Readonly<Record<string, Bit>>;
  readonly message: string;
  readonly hint: string;
  readonly inferred: boolean;
  /** String options (conf_<name>) whose being set makes the combination link: it applies while all are empty. */
  readonly unless_set?: readonly string[];
}

export interface Driver {
  readonly name: string;
  readonly group: DriverGroup;
  readonly description: string;
  readonly implies: readonly string[];
  /** Capabilities other settings may need, e.g. block-device. */
  readonly provides: readonly string[];
  readonly notes: readonly string[];
  readonly pitfalls: readonly Pitfall[];
}

export interface ArchCatalog {
  readonly arch: string;
  /** In the order of OSv's conf/profiles/<arch>/base.mk: that order is part of make's semantics. */
  readonly drivers: readonly Driver[];
  /** Pitfalls of Kconfig option values (drivers.json's option_pitfalls): no single driver owns them. */
  readonly optionPitfalls: readonly Pitfall[];
  readonly kconfig: Kconfig;
  /** Build parameters that are neither drivers nor Kconfig options (fs=, conf_zfs=, ...). */
  readonly options: readonly BuildOption[];
}

export interface Profile {
  readonly name: string;
  readonly description: string;
  readonly hypervisors: readonly string[];
  /** OSv ships it as conf/profiles/<arch>/<name>.mk. */
  readonly inOsv: boolean;
  readonly aliasOf?: string;
  readonly includes: readonly string[];
  /** `conf_drivers_<flag> ?= value` in file order, after the includes. */
  readonly sets: readonly (readonly [string, Bit])[];
  /** Where the profile came from, for messages. */
  readonly source: string;
  readonly builtin: boolean;
}

export interface ArchInfo {
  readonly description: string;
  readonly alsoKnownAs: readonly string[];
  /** e_machine of its ELF files. */
  readonly elfMachine: number;
}

/** e_machine -> arch, from the defaults (how an ELF file's arch is told). */
export function elfMachines(defaults: Defaults): Map<number, string> {
  return new Map(Object.entries(defaults.arches).map(([name, a]) => [a.elfMachine, name]));
}

export interface Defaults {
  readonly defaultArch: string;
  readonly defaultMode: string;
  readonly defaultProfile: string;
  readonly arches: Readonly<Record<string, ArchInfo>>;
  readonly modes: Readonly<Record<string, string>>;
}

/** A problem inside a data file, located by JSON pointer; io/ adds the file and line. */
export interface DataIssue {
  readonly pointer: string;
  readonly message: string;
}

export const DRIVER_PREFIX = 'conf_drivers_';

export function driverSetting(name: string): string {
  return DRIVER_PREFIX + name;
}

/** Cross-references a schema cannot check: duplicate names, implications and pitfall keys. */
export function checkDrivers(catalog: ArchCatalog): DataIssue[] {
  const issues: DataIssue[] = [];
  const seen = new Set<string>();
  const names = new Set(catalog.drivers.map((d) => d.name));
  const bools = new Set(
    optionsFor(catalog.kconfig, catalog.arch)
      .filter((o) => o.type === 'bool')
      .map((o) => KCONFIG_PREFIX + o.name),
  );
  catalog.drivers.forEach((driver, i) => {
    if (seen.has(driver.name)) issues.push({ pointer: jsonPointer('drivers', i, 'name'), message: `duplicate driver "${driver.name}"` });
    seen.add(driver.name);
    driver.implies.forEach((target, j) => {
      if (!names.has(target)) issues.push({ pointer: jsonPointer('drivers', i, 'implies', j), message: `implies unknown driver "${target}"` });
      if (target === driver.name) issues.push({ pointer: jsonPointer('drivers', i, 'implies', j), message: `"${target}" implies itself` });
    });
    driver.pitfalls.forEach((pitfall, j) => issues.push(...pitfallKeys(pitfall, ['drivers', i, 'pitfalls', j])));
  });
  catalog.optionPitfalls.forEach((pitfall, j) => issues.push(...pitfallKeys(pitfall, ['option_pitfalls', j])));
  return issues;

  function pitfallKeys(pitfall: Pitfall, at: readonly (string | number)[]): DataIssue[] {
    return Object.keys(pitfall.when)
      .filter((key) => !names.has(key) && !bools.has(key))
      .map((key) => ({
        pointer: jsonPointer(...at, 'when', key),
        message: `"${key}" is neither a driver of ${catalog.arch} nor conf_<a bool Kconfig option>`,
      }));
  }
}

const driverNameSets = new WeakMap<ArchCatalog, { names: string[]; known: Set<string> }>();

/** Profile contents that need the catalog: every flag it sets must be a driver of its arch. */
export function checkProfileSets(profile: Profile, catalog: ArchCatalog, suggest: (word: string, candidates: readonly string[]) => string): DataIssue[] {
  // Built once per catalog, not per profile: a tree of a thousand profiles stays linear.
  let sets = driverNameSets.get(catalog);
  if (sets === undefined) {
    const names = catalog.drivers.map((d) => d.name);
    sets = { names, known: new Set(names) };
    driverNameSets.set(catalog, sets);
  }
  const { names, known } = sets;
  return profile.sets
    .filter(([flag]) => !known.has(flag))
    .map(([flag]) => ({ pointer: jsonPointer('sets', flag), message: `unknown driver "${flag}" on ${catalog.arch}${suggest(flag, names)}` }));
}
