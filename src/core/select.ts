// The one model both front-ends query: a request (arch, mode, profile, command-line settings)
// resolved with make's semantics, then judged more strictly than make: conflicts are refused
// unless forced, pitfalls are warnings (errors with --strict).

import { driverSetting, type ArchCatalog, type Bit, type Pitfall, type PitfallId } from './catalog.js';
import { KCONFIG_PREFIX, resolveKconfig, type KconfigState } from './kconfig.js';
import { resolveOptions, valueFacts, type OptionState } from './options.js';
import { describeOrigin } from './origin.js';
import { expandProfile, type ExpandedProfile, type ProfileSource } from './profiles.js';
import { resolveDrivers, type Conflict, type DriverResolution } from './resolver.js';
import { fail, ok, type Result } from './result.js';

export interface SelectionRequest {
  readonly arch: string;
  readonly mode: string;
  readonly profile: string;
  /** conf_drivers_<name> from the command line, by driver name. */
  readonly drivers: ReadonlyMap<string, Bit>;
  /** Kconfig options from the command line, by option name, values normalised (parseValue). */
  readonly kconfig: ReadonlyMap<string, string>;
  /** Build options (fs, conf_zfs, ...) from the command line, by name. */
  readonly options: ReadonlyMap<string, string>;
  readonly force: boolean;
  readonly strict: boolean;
  /** The name to write the selection under as a custom profile (--name). */
  readonly customName?: string;
}

/** Every warning osvconf raises, by code (the code is part of --json output). */
export type WarningCode =
  | 'conflict'
  | 'option-requires'
  | 'no-block-device'
  | 'no-effect'
  | 'needs-tree-files'
  | 'profile-not-a-kconfig-choice'
  | 'config-empty'
  | 'config-override'
  | 'config-build-flags'
  | 'config-fs-offered'
  | 'config-dropped'
  | 'tailored'
  | 'clean-build-needed'
  | 'config-new-options'
  | 'config-unknown-options'
  | 'version-script-missing'
  | 'hidden-library-symbols'
  | 'import'
  | 'static'
  | 'missing'
  | 'keep-unknown'
  | 'dlsym'
  | 'summary'
  | 'vm-device'
  | 'vm-note'
  | PitfallId;

export interface Warning {
  readonly code: WarningCode;
  readonly message: string;
  readonly hint?: string;
  /** 'note' for information that is not a problem (printed as `osvconf: note:`). */
  readonly level?: 'warning' | 'note';
  /** Refused without --force: a saved configuration of this selection needs force=1 to load. */
  readonly forced?: true;
}

export interface Selection {
  readonly request: SelectionRequest;
  readonly catalog: ArchCatalog;
  readonly expanded: ExpandedProfile;
  readonly drivers: DriverResolution;
  /** Every Kconfig option of the arch, in menu order. */
  readonly kconfig: readonly KconfigState[];
  /** Every build option (fs, conf_zfs, ...). */
  readonly options: readonly OptionState[];
  readonly pitfalls: readonly Pitfall[];
  readonly warnings: readonly Warning[];
}

export function select(request: SelectionRequest, catalog: ArchCatalog, source: ProfileSource): Result<Selection> {
  const expanded = expandProfile(request.profile, source);
  if (!expanded.ok) return expanded;
  const kconfig = resolveKconfig(catalog.kconfig, request.arch, request.mode, request.kconfig);
  if (!kconfig.ok) return kconfig;
  const drivers = resolveDrivers(catalog.drivers, expanded.value.assignments, request.drivers);
  const warnings: Warning[] = [];

  if (drivers.conflicts.length > 0) {
    const lines = drivers.conflicts.map((c) => describeConflict(c, request.profile));
    if (!request.force) {
      return fail(
        drivers.conflicts.length === 1 ? (lines[0] as string) : `${drivers.conflicts.length} conflicting driver settings`,
        "drop the explicit 0, or also turn off what implies it; --force keeps make's result anyway",
        drivers.conflicts.length === 1 ? undefined : lines,
      );
    }
    for (const line of lines) warnings.push({ code: 'conflict', message: `${line}; kept as make leaves it (--force)`, forced: true });
  }

  const options = resolveOptions(catalog.options, request.options);
  const optionProblems = optionRules(options, drivers, kconfig.value, catalog);
  if (optionProblems.refused.length > 0 && !request.force) {
    const first = optionProblems.refused[0] as Warning;
    return fail(first.message, first.hint, optionProblems.refused.length === 1 ? undefined : optionProblems.refused.map((w) => w.message));
  }
  warnings.push(
    ...optionProblems.refused.map((w): Warning => ({ ...w, message: `${w.message}; kept anyway (--force)`, forced: true })),
    ...optionProblems.warned,
  );
  // A requested value that does not take (its option has no effect here): --strict refuses it,
  // as merge_config's "value requested ... not in final config".
  const untaken = optionProblems.warned.filter((w) => w.code === 'no-effect');
  if (request.strict && untaken.length > 0) {
    const first = untaken[0] as Warning;
    return fail(
      untaken.length === 1 ? `${first.message} (--strict)` : `${untaken.length} requested values do not take (--strict)`,
      untaken.length === 1 ? first.hint : 'drop them, or drop --strict to get them as warnings',
      untaken.length === 1 ? undefined : untaken.map((w) => w.message),
    );
  }

  const values = new Map<string, Bit>();
  for (const f of drivers.flags) values.set(f.name, f.value);
  for (const k of kconfig.value) if (k.option.type === 'bool') values.set(KCONFIG_PREFIX + k.option.name, k.value === 'y' ? 1 : 0);
  const strings = new Map(
    kconfig.value.filter((k) => k.option.type === 'string').map((k) => [KCONFIG_PREFIX + k.option.name, k.visible ? k.value.trim() : '']),
  );
  const pitfalls = [...catalog.drivers.flatMap((d) => d.pitfalls), ...catalog.optionPitfalls].filter(
    (p) => Object.entries(p.when).every(([k, v]) => values.get(k) === v) && (p.unless_set ?? []).every((k) => (strings.get(k) ?? '') === ''),
  );
  const pitfallWarnings = pitfalls.map((p): Warning => ({
    code: p.id,
    message: p.inferred ? `${p.message} (inferred from OSv's source, not seen in a build)` : p.message,
    hint: p.hint,
  }));
  if (request.strict && pitfallWarnings.length > 0) {
    const first = pitfallWarnings[0] as Warning;
    return fail(
      pitfallWarnings.length === 1 ? `${first.message} (--strict)` : `${pitfallWarnings.length} pitfalls in this selection (--strict)`,
      pitfallWarnings.length === 1 ? first.hint : 'fix them, or drop --strict to get them as warnings',
      pitfallWarnings.length === 1 ? undefined : pitfallWarnings.map((w) => `${w.message}; ${w.hint}`),
    );
  }
  warnings.push(...pitfallWarnings);
  return ok({ request, catalog, expanded: expanded.value, drivers, kconfig: kconfig.value, options, pitfalls, warnings });
}

/**
 * What the build options need: a value's required drivers (refused when off), a disk for a root
 * filesystem read from one, and options that only matter together with another.
 */
function optionRules(
  options: readonly OptionState[],
  drivers: DriverResolution,
  kconfig: readonly KconfigState[],
  catalog: ArchCatalog,
): { refused: Warning[]; warned: Warning[] } {
  const refused: Warning[] = [];
  const warned: Warning[] = [];
  const blockDevices = catalog.drivers.filter((d) => d.provides.includes('block-device')).map((d) => d.name);
  for (const state of options) {
    const facts = valueFacts(state);
    const setting = `${state.option.setting}=${state.value}`;
    for (const [driver, value] of Object.entries(facts?.requires ?? {})) {
      if ((drivers.byName.get(driver)?.value ?? 0) !== value) {
        refused.push({
          code: 'option-requires',
          message: `${setting} needs ${driverSetting(driver)}=${value}: ${(facts?.description ?? '').replace(/\.$/, '')}`,
          hint: `set ${driverSetting(driver)}=${value} (or choose another ${state.option.setting})`,
        });
      }
    }
    if (facts?.rootOnDisk === true && !blockDevices.some((d) => drivers.byName.get(d)?.value === 1)) {
      warned.push({
        code: 'no-block-device',
        message: `${setting} reads the root filesystem from a disk, but no block device driver is on (${blockDevices.map(driverSetting).join(', ')})`,
        hint: 'turn one on, or use a diskless fs (ramfs, virtiofs)',
      });
    }
    const onlyWith = state.option.onlyWith;
    if (onlyWith !== undefined && state.origin === 'command-line' && state.value !== state.option.default) {
      const other = options.find((o) => o.option.name === onlyWith.option);
      if (other !== undefined && !onlyWith.values.includes(other.value)) {
        warned.push({
          code: 'no-effect',
          message: `${setting} has no effect with ${other.option.setting}=${other.value}`,
          hint: `it matters only with ${other.option.setting}=${onlyWith.values.join(' or ')}`,
        });
      }
    }
  }
  for (const k of kconfig) {
    if (k.option.onlyWith === undefined || k.origin !== 'command-line') continue;
    const gate = kconfig.find((g) => g.option.name === k.option.onlyWith);
    if (gate !== undefined && gate.value !== 'y') {
      warned.push({
        code: 'no-effect',
        message: `${KCONFIG_PREFIX}${k.option.name} has no effect while ${KCONFIG_PREFIX}${gate.option.name} is off`,
        hint: `also set ${KCONFIG_PREFIX}${gate.option.name}=1`,
      });
    }
  }
  return { refused, warned };
}

export function describeConflict(conflict: Conflict, selectedProfile: string): string {
  const impliers = conflict.impliers.map((n) => `${driverSetting(n)}=1`).join(', ');
  const verb = conflict.impliers.length === 1 ? 'implies' : 'imply';
  return `${driverSetting(conflict.flag)}=0 (${describeOrigin(conflict.origin, selectedProfile)}) conflicts with ${impliers}, which ${verb} ${driverSetting(conflict.flag)}=1`;
}
