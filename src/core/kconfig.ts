// OSv's Kconfig options (conf/kconfig/main) resolved for one arch and mode: defaults that depend
// on the arch or mode, options that exist on one arch only, `depends on`, typed values, and the
// driver-profile choice. Options left alone follow Kconfig's defaults exactly; an explicit value
// that cannot take (its dependency is off) is refused, naming the dependency.

import { fail, ok, type Result } from './result.js';
import { checkSyntax, type ValueSyntax } from './value-syntax.js';
import type { FlagKind } from './flag-forms.js';

export type KconfigType = 'bool' | 'int' | 'hex' | 'string';

/** The options osvconf's rules read by what they do, not by name. */
export type KconfigRole = 'hide-symbols' | 'version-script';

export type DefaultSpec = string | { readonly by: 'mode' | 'arch'; readonly values: Readonly<Record<string, string>> } | { readonly template: string };

export interface KconfigOption {
  readonly name: string;
  readonly type: KconfigType;
  readonly prompt: string;
  readonly default: DefaultSpec;
  readonly dependsOn?: string;
  readonly arch?: string;
  /** OSv's Makefile reads conf_<name>; otherwise only .config and the kernel_config headers carry it. */
  readonly makefile: boolean;
  readonly help: string;
  readonly note?: string;
  /** A bool option without which a non-default value has no effect. */
  readonly onlyWith?: string;
  /** For strings: what the value may contain (it lands unquoted in make and the shell). */
  readonly syntax?: ValueSyntax;
  /** For flags: the allowlist of flag forms the words must have (conf/flags.json). */
  readonly flagForms?: FlagKind;
  /** It changes compiler flags: a tree built before needs a clean build (make does not see it). */
  readonly cleanBuild?: boolean;
  /** What osvconf's rules need the option for (conf/kconfig.json says which option plays it). */
  readonly role?: KconfigRole;
  readonly menu: string;
}

export interface KconfigMenu {
  readonly title: string;
  readonly options: readonly KconfigOption[];
}

export interface KconfigChoice {
  readonly name: string;
  readonly prompt: string;
  readonly default: string;
  readonly values: Readonly<Record<string, readonly string[]>>;
  readonly withoutProfile: Readonly<Record<string, { readonly use: string; readonly reason: string }>>;
}

export interface Kconfig {
  readonly mainmenu: string;
  readonly menus: readonly KconfigMenu[];
  readonly choice: KconfigChoice;
}

export interface KconfigState {
  readonly option: KconfigOption;
  /** As .config writes it: y/n for bool, the raw text otherwise. */
  readonly value: string;
  readonly origin: 'default' | 'command-line';
  /** False when `depends on` is unmet: Kconfig leaves the option out of every file. */
  readonly visible: boolean;
}

export const KCONFIG_PREFIX = 'conf_';

export function allOptions(kconfig: Kconfig): KconfigOption[] {
  return kconfig.menus.flatMap((m) => m.options);
}

/** The resolved state of the option that plays a role, when the arch has one. */
export function withRole<T extends { readonly option: KconfigOption }>(states: readonly T[], role: KconfigRole): T | undefined {
  return states.find((k) => k.option.role === role);
}

/** The options that exist on this arch, in menu order. */
export function optionsFor(kconfig: Kconfig, arch: string): KconfigOption[] {
  return allOptions(kconfig).filter((o) => o.arch === undefined || o.arch === arch);
}

export function defaultValue(option: KconfigOption, arch: string, mode: string): string {
  const d = option.default;
  if (typeof d === 'string') return d;
  if ('template' in d) return d.template.replace(/\{mode\}/g, mode).replace(/\{arch\}/g, arch);
  const key = d.by === 'mode' ? mode : arch;
  return Object.hasOwn(d.values, key) ? (d.values[key] as string) : '';
}

/**
 * A command-line value checked against the option's type, normalised the way .config stores
 * it. Bools take OSv's make spelling (0/1) and Kconfig's (n/y).
 */
export function parseValue(option: KconfigOption, raw: string): Result<string> {
  const setting = `${KCONFIG_PREFIX}${option.name}=${raw}`;
  switch (option.type) {
    case 'bool':
      if (raw === '1' || raw === 'y') return ok('y');
      if (raw === '0' || raw === 'n') return ok('n');
      return fail(`${setting}: ${option.name} is a bool: the value must be 0, 1, n or y`, `write ${KCONFIG_PREFIX}${option.name}=1 or =0`);
    case 'int':
      // Kconfig's decimal syntax; no leading zero (the C header would read 0256 as octal); 64-bit.
      if (!/^-?(0|[1-9][0-9]*)$/.test(raw))
        return fail(
          `${setting}: ${option.name} is an int: the value must be a decimal number without leading zeros`,
          `for example ${KCONFIG_PREFIX}${option.name}=${defaultSample(option)}`,
        );
      if (BigInt(raw) > 9223372036854775807n || BigInt(raw) < -9223372036854775808n)
        return fail(`${setting}: ${option.name} is out of the 64-bit range`, `for example ${KCONFIG_PREFIX}${option.name}=${defaultSample(option)}`);
      return ok(raw);
    case 'hex':
      return /^(0[xX])?[0-9a-fA-F]{1,16}$/.test(raw)
        ? ok(raw)
        : fail(
            `${setting}: ${option.name} is a hex value: the value must be 1 to 16 hex digits, optionally after 0x`,
            `for example ${KCONFIG_PREFIX}${option.name}=${defaultSample(option)}`,
          );
    case 'string':
      // A control character would break .config's one-line format and the C header. OSv's
      // conf/Makefile copies string values unquoted into kernel_conf.mk, which make includes:
      // there `$` expands (even runs $(shell ...)) and `#` starts a comment, so neither can be
      // carried faithfully or safely.
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(raw))
        return fail(
          `${KCONFIG_PREFIX}${option.name}: the value contains a control character (newline, tab, ...)`,
          'give the value on one line, without control characters',
        );
      if (/[$#]/.test(raw))
        return fail(
          `${KCONFIG_PREFIX}${option.name}: the value contains "${/\$/.test(raw) ? '$' : '#'}", which OSv's kernel_conf.mk would hand to make unquoted`,
          'make would expand $ or cut the value at #: leave them out',
        );
      return checkSyntax(`${KCONFIG_PREFIX}${option.name}`, raw, option.syntax ?? 'word', option.flagForms);
  }
}

function defaultSample(option: KconfigOption): string {
  return typeof option.default === 'string' ? option.default : option.type === 'hex' ? '0x1000' : '1';
}

/**
 * Values from loaded files (`fromFiles`) for options whose dependency ends up off: Kconfig's tools
 * (olddefconfig, merge_config.sh, OSv's conf) drop them, as when a later fragment turns the parent
 * off. Each with the dependency that is off; the caller drops them and says so.
 */
export function staleDependents(
  kconfig: Kconfig,
  arch: string,
  mode: string,
  given: ReadonlyMap<string, string>,
  fromFiles: ReadonlySet<string>,
): { name: string; value: string; dependsOn: string; dependencyValue: string }[] {
  const stale: { name: string; value: string; dependsOn: string; dependencyValue: string }[] = [];
  walk(kconfig, arch, mode, given, (option, explicit, dep) => {
    if (fromFiles.has(option.name)) stale.push({ name: option.name, value: explicit, dependsOn: dep.option.name, dependencyValue: dep.value });
    return ok(undefined);
  });
  return stale;
}

/** Resolves every option of the arch: command-line values over defaults, dependencies checked. */
export function resolveKconfig(kconfig: Kconfig, arch: string, mode: string, given: ReadonlyMap<string, string>): Result<KconfigState[]> {
  return walk(kconfig, arch, mode, given, (option, explicit, dep) =>
    fail(
      `${KCONFIG_PREFIX}${option.name}=${explicit === 'y' ? 1 : explicit} cannot take: it depends on ${KCONFIG_PREFIX}${dep.option.name}, which is ${dep.value === 'y' ? 1 : 0} (${dep.origin === 'default' ? 'default' : 'command line'})`,
      `also set ${KCONFIG_PREFIX}${dep.option.name}=1, or drop ${KCONFIG_PREFIX}${option.name}`,
    ),
  );
}

/**
 * Every option in order, its dependency resolved first. A value given for an option whose
 * dependency is off goes to `hidden`, which refuses it or lets it go (the option then takes what
 * a hidden option has: n, or its default).
 */
function walk(
  kconfig: Kconfig,
  arch: string,
  mode: string,
  given: ReadonlyMap<string, string>,
  hidden: (option: KconfigOption, explicit: string, dependency: KconfigState) => Result<void>,
): Result<KconfigState[]> {
  const states = new Map<string, KconfigState>();
  const result: KconfigState[] = [];
  for (const option of optionsFor(kconfig, arch)) {
    const dependency = option.dependsOn === undefined ? undefined : states.get(option.dependsOn);
    const visible = dependency === undefined || (dependency.visible && dependency.value === 'y');
    const explicit = given.get(option.name);
    if (!visible && explicit !== undefined && explicit !== 'n') {
      const taken = hidden(option, explicit, dependency as KconfigState);
      if (!taken.ok) return taken;
    }
    const value = !visible ? (option.type === 'bool' ? 'n' : defaultValue(option, arch, mode)) : (explicit ?? defaultValue(option, arch, mode));
    const state: KconfigState = { option, value, origin: explicit === undefined ? 'default' : 'command-line', visible };
    states.set(option.name, state);
    result.push(state);
  }
  return ok(result);
}

/** The choice value .config can select for a profile, or undefined when the choice lacks it. */
export function choiceFor(kconfig: Kconfig, arch: string, profile: string): string | undefined {
  const values = Object.hasOwn(kconfig.choice.values, arch) ? (kconfig.choice.values[arch] as readonly string[]) : [];
  return values.includes(profile) && !Object.hasOwn(kconfig.choice.withoutProfile, profile) ? profile : undefined;
}
