// Why a value is what it is, and what stands in the way of changing it. `osvconf explain` and
// the TUI's info pane print this same data.

import { DRIVER_PREFIX, driverSetting, type Bit, type Driver, type Pitfall, type Profile } from './catalog.js';
import { defaultValue, KCONFIG_PREFIX, type KconfigOption } from './kconfig.js';
import { valueFacts, type BuildOption, type OptionValue } from './options.js';
import { describeOrigin } from './origin.js';
import { describeConflict, type Selection, type SelectionRequest, type Warning } from './select.js';
import { resolveDrivers, type Conflict, type FlagState, type Origin } from './resolver.js';
import { fail, ok, type Result } from './result.js';
import { didYouMean } from './suggest.js';

/** What one possible change of a value does: refused (and why), the pitfalls it trips, its size. */
export interface ChangeOutcome {
  readonly setting: string;
  readonly value: string;
  /** Why the change is refused; empty when it is taken. */
  readonly refused: readonly string[];
  /** Pitfalls the change would trip that the selection does not have now. */
  readonly pitfalls: readonly Pitfall[];
  /** What the change would keep only because of --force (refused without it). */
  readonly forced: readonly string[];
  /** What the change adds (+) or saves (-) in KiB, when the caller estimates sizes. */
  readonly kib?: number;
}

export interface DriverExplanation {
  readonly kind: 'driver';
  readonly driver: Driver;
  readonly setting: string;
  readonly value: Bit;
  readonly origin: Origin;
  /** From this flag back to where the first value came from: "implied by X", "X: profile P". */
  readonly chain: readonly string[];
  readonly impliedBy: readonly string[];
  /** The conflicts that changing the value would cause; empty when it may be changed freely. */
  readonly blockers: readonly string[];
  readonly pitfalls: readonly Pitfall[];
  /** The other value, tried. */
  readonly changes: readonly ChangeOutcome[];
}

export interface OptionExplanation {
  readonly kind: 'option';
  readonly option: KconfigOption;
  readonly setting: string;
  readonly value: string;
  readonly default: string;
  readonly origin: 'default' | 'command-line';
  /** False when its dependency is off: the option is then left out of every file. */
  readonly visible: boolean;
  /** Options that exist only while this one is y. */
  readonly dependents: readonly string[];
  readonly pitfalls: readonly Pitfall[];
  /** For a bool that can be set: the other value, tried. */
  readonly changes: readonly ChangeOutcome[];
}

export interface BuildOptionExplanation {
  readonly kind: 'build-option';
  readonly option: BuildOption;
  readonly value: string;
  readonly origin: 'default' | 'command-line';
  /** The chosen value's facts (what it needs, where the ZFS code goes). */
  readonly facts?: OptionValue;
  /** Problems of this selection that concern the option. */
  readonly warnings: readonly Warning[];
  /** Every other value of an enum option, tried. */
  readonly changes: readonly ChangeOutcome[];
}

export interface ProfileExplanation {
  readonly kind: 'profile';
  readonly profile: Profile;
  /** The flags this profile turns on by itself (resolved alone, no command-line settings). */
  readonly enabled: readonly FlagState[];
}

export type Explanation = DriverExplanation | OptionExplanation | BuildOptionExplanation | ProfileExplanation;

/** The conflicts a different value for one driver would cause (not counting those already there). */
export function conflictsIfSet(selection: Selection, name: string, value: Bit): Conflict[] {
  const overrides = new Map(selection.request.drivers);
  overrides.set(name, value);
  const after = resolveDrivers(selection.catalog.drivers, selection.expanded.assignments, overrides);
  const before = new Set(selection.drivers.conflicts.map((c) => c.flag));
  return after.conflicts.filter((c) => !before.has(c.flag));
}

/**
 * Why a driver's value cannot be flipped, in words any front end can show (no command-line
 * advice); undefined when it can. The same rule that refuses the change: the conflicts it would
 * cause. A driver that is on and locked is what menus mark as implied.
 */
export function lockReason(selection: Selection, name: string): string | undefined {
  const state = selection.drivers.byName.get(name);
  if (state === undefined) return undefined;
  const conflicts = conflictsIfSet(selection, name, state.value === 1 ? 0 : 1);
  if (conflicts.length === 0) return undefined;
  const own = conflicts.find((c) => c.flag === name);
  if (own !== undefined) {
    const them = own.impliers.join(', ');
    return `${name} is needed by ${them} (on): turn ${own.impliers.length === 1 ? 'it' : 'them'} off first`;
  }
  return conflicts.map((c) => `${name} needs ${c.flag}, which is off (${describeOrigin(c.origin, selection.request.profile)})`).join('; ');
}

function originChain(selection: Selection, state: FlagState): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  let current: FlagState | undefined = state;
  while (current !== undefined && !seen.has(current.name)) {
    seen.add(current.name);
    chain.push(`${driverSetting(current.name)}=${current.value}: ${describeOrigin(current.origin, selection.request.profile)}`);
    current = current.origin.kind === 'implied' ? selection.drivers.byName.get(current.origin.by) : undefined;
  }
  return chain;
}

function explainDriver(selection: Selection, driver: Driver, access: ProfileAccess): DriverExplanation {
  const state = selection.drivers.byName.get(driver.name) as FlagState;
  const flipped: Bit = state.value === 1 ? 0 : 1;
  // With --force a conflict is kept, not refused: the change's outcome says so instead.
  const blockers = selection.request.force ? [] : conflictsIfSet(selection, driver.name, flipped).map((c) => describeConflict(c, selection.request.profile));
  return {
    kind: 'driver',
    driver,
    setting: driverSetting(driver.name),
    value: state.value,
    origin: state.origin,
    chain: originChain(selection, state),
    impliedBy: state.impliedBy,
    blockers,
    pitfalls: selection.pitfalls.filter((p) => driver.name in p.when),
    changes: [
      tryChange(selection, access, driverSetting(driver.name), String(flipped), { drivers: new Map([...selection.request.drivers, [driver.name, flipped]]) }),
    ],
  };
}

/**
 * Explains NAME: a driver (`<name>`, `conf_drivers_<name>`, `CONF_drivers_<name>`), an option, or a
 * profile. A name that is both a driver and a profile gets both.
 */
export interface ProfileAccess {
  readonly names: readonly string[];
  get(name: string): Result<Profile | undefined>;
  /** The selection of this profile alone, with no command-line settings. */
  resolveAlone(name: string): Result<Selection>;
  /** The selection another request makes (the same catalog and profiles), to try a change. */
  resolve?(request: SelectionRequest): Result<Selection>;
  /** The estimated kernel size of a selection in KiB, to say what a change adds or saves. */
  sizeOf?(selection: Selection): number;
}

/** Tries one change of the request: refused or taken, the new pitfalls, the size delta. */
function tryChange(selection: Selection, access: ProfileAccess, setting: string, value: string, change: Partial<SelectionRequest>): ChangeOutcome {
  if (access.resolve === undefined) return { setting, value, refused: [], pitfalls: [], forced: [] };
  // Judged as this selection is: with its --force and --strict.
  const after = access.resolve({ ...selection.request, ...change });
  if (!after.ok) return { setting, value, refused: [after.error.message, ...(after.error.details ?? [])], pitfalls: [], forced: [] };
  const had = new Set(selection.pitfalls.map((p) => p.id));
  const kib = access.sizeOf === undefined ? undefined : access.sizeOf(after.value) - access.sizeOf(selection);
  const wasForced = new Set(selection.warnings.filter((w) => w.forced === true).map((w) => w.message));
  return {
    setting,
    value,
    refused: [],
    pitfalls: after.value.pitfalls.filter((p) => !had.has(p.id)),
    forced: after.value.warnings.filter((w) => w.forced === true && !wasForced.has(w.message)).map((w) => w.message),
    ...(kib === undefined ? {} : { kib }),
  };
}

export function explain(selection: Selection, name: string, profiles: ProfileAccess): Result<Explanation[]> {
  const bare = name.replace(/^CONF_/, 'conf_');
  const driverName = bare.startsWith(DRIVER_PREFIX) ? bare.slice(DRIVER_PREFIX.length) : bare;
  const found: Explanation[] = [];
  const driver = selection.catalog.drivers.find((d) => d.name === driverName);
  if (driver !== undefined) found.push(explainDriver(selection, driver, profiles));
  const optionName = bare.startsWith(KCONFIG_PREFIX) ? bare.slice(KCONFIG_PREFIX.length) : bare;
  const state = selection.kconfig.find((k) => k.option.name === optionName);
  if (state !== undefined) {
    const setting = KCONFIG_PREFIX + state.option.name;
    found.push({
      kind: 'option',
      option: state.option,
      setting,
      value: state.value,
      default: defaultValue(state.option, selection.request.arch, selection.request.mode),
      origin: state.origin,
      visible: state.visible,
      dependents: selection.kconfig.filter((k) => k.option.dependsOn === state.option.name).map((k) => KCONFIG_PREFIX + k.option.name),
      pitfalls: selection.pitfalls.filter((p) => setting in p.when),
      changes:
        state.option.type === 'bool' && state.visible
          ? [
              tryChange(selection, profiles, setting, state.value === 'y' ? 'n' : 'y', {
                kconfig: new Map([...selection.request.kconfig, [state.option.name, state.value === 'y' ? 'n' : 'y']]),
              }),
            ]
          : [],
    });
  }
  const build = selection.options.find((o) => o.option.setting === bare || o.option.name === bare);
  if (build !== undefined) {
    const facts = valueFacts(build);
    found.push({
      kind: 'build-option',
      option: build.option,
      value: build.value,
      origin: build.origin,
      ...(facts === undefined ? {} : { facts }),
      warnings: selection.warnings.filter((w) => w.message.includes(`${build.option.setting}=`)),
      changes: Object.keys(build.option.values ?? {})
        .filter((v) => v !== build.value)
        .map((v) => tryChange(selection, profiles, build.option.setting, v, { options: new Map([...selection.request.options, [build.option.name, v]]) })),
    });
  }
  if (!bare.startsWith('conf_') && build === undefined) {
    const profile = profiles.get(name);
    if (!profile.ok) return profile;
    if (profile.value !== undefined) {
      const alone = profiles.resolveAlone(name);
      if (!alone.ok) return alone;
      found.push({ kind: 'profile', profile: profile.value, enabled: alone.value.drivers.flags.filter((f) => f.value === 1) });
    }
  }
  if (found.length > 0) return ok(found);
  const candidates = [
    ...selection.catalog.drivers.flatMap((d) => [d.name, driverSetting(d.name)]),
    ...selection.kconfig.flatMap((k) => [k.option.name, KCONFIG_PREFIX + k.option.name]),
    ...selection.options.map((o) => o.option.setting),
    ...profiles.names,
  ];
  return fail(
    `nothing called "${name}" on ${selection.catalog.arch}${didYouMean(name, candidates)}`,
    'explain takes a driver (conf_drivers_<name> or <name>), a Kconfig option (conf_<name> or <name>), a build option (fs, conf_zfs, ...) or a profile name',
  );
}
