// The saved configuration: the whole selection as one human-readable file, one setting per line in
// OSv's spelling, so that the CLI (--load=FILE) and the TUI read back exactly what was chosen. It
// holds the request (what the user chose), not the resolved values: loading it replays the
// choice through the same resolver, so a file stays right when base.mk's rules change.
//
//   # comment
//   arch=x64
//   mode=release
//   conf_drivers_profile=<profile>
//   name=myapp                        the custom profile's name (--name)
//   fs=rofs
//   conf_drivers_<name>=1
//   conf_hide_symbols=1
//
// Also reads a Kconfig .config (OSv's menuconfig, conf/examples/): every option it sets, the
// profile choice, and the names it has that this OSv does not.

import type { ArchCatalog } from './catalog.js';
import { defaultValue, KCONFIG_PREFIX, optionsFor } from './kconfig.js';
import { fail, ok, type Result } from './result.js';
import type { Selection } from './select.js';

export interface LoadedConfiguration {
  readonly arch?: string;
  readonly mode?: string;
  readonly profile?: string;
  readonly name?: string;
  /** The file was saved with --force (a conflict kept as make resolves it). */
  readonly force?: boolean;
  /** Every other setting, NAME=VALUE, in file order. */
  readonly settings: readonly string[];
  /** A .config states every option, defaults too: each, NAME=VALUE (a later file's state wins over an earlier file's setting). */
  readonly states?: readonly string[];
}

/** The first lines of a saved configuration; also how osvconf recognises a file it wrote. */
export const SAVED_MARKER = '# osvconf configuration';

const HEADER_KEYS = ['arch', 'mode', 'conf_drivers_profile', 'name', 'force'] as const;
/** A setting name in OSv's spelling (also the header keys). */
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The selection's request as a saved configuration: header keys first, then settings in a stable order. */
export function savedSettings(selection: Selection): string[] {
  const { request } = selection;
  const lines = [`arch=${request.arch}`, `mode=${request.mode}`, `conf_drivers_profile=${request.profile}`];
  if (request.customName !== undefined) lines.push(`name=${request.customName}`);
  // A selection that keeps what osvconf refuses without --force needs it again to load.
  if (request.force && selection.warnings.some((w) => w.forced === true)) lines.push('force=1');
  for (const o of selection.options) if (request.options.has(o.option.name)) lines.push(`${o.option.setting}=${request.options.get(o.option.name) as string}`);
  for (const f of selection.drivers.flags) if (request.drivers.has(f.name)) lines.push(`conf_drivers_${f.name}=${request.drivers.get(f.name) as number}`);
  for (const k of selection.kconfig) {
    const value = request.kconfig.get(k.option.name);
    if (value === undefined) continue;
    // Bools in OSv's command-line spelling (1/0), as a user writes them.
    lines.push(`${KCONFIG_PREFIX}${k.option.name}=${k.option.type === 'bool' ? (value === 'y' ? '1' : '0') : value}`);
  }
  return lines;
}

/** Parses a saved configuration; errors name the line. */
export function parseSavedConfiguration(text: string, path: string): Result<LoadedConfiguration> {
  const header: Record<string, string> = {};
  const settings: string[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const at = `${path}:${i + 1}`;
    const eq = line.indexOf('=');
    const written = eq < 0 ? line : line.slice(0, eq);
    // The profile has two spellings in OSv's history: one key, whichever is written.
    const key = written === 'drivers_profile' ? 'conf_drivers_profile' : written;
    if (eq <= 0 || !SETTING_NAME.test(written))
      return fail(`${at}: "${clip(line)}" is not a setting`, "each line is NAME=VALUE in OSv's spelling, or a # comment");
    const before = seen.get(key);
    if (before !== undefined) return fail(`${at}: ${key} is set twice (first on line ${before})`, 'keep one of them');
    seen.set(key, i + 1);
    const value = line.slice(eq + 1);
    if ((HEADER_KEYS as readonly string[]).includes(key)) header[key] = value;
    else settings.push(`${key}=${value}`);
  }
  const get = (k: string): string | undefined => (Object.hasOwn(header, k) ? header[k] : undefined);
  const arch = get('arch');
  const mode = get('mode');
  const profile = get('conf_drivers_profile');
  const name = get('name');
  const force = get('force');
  if (force !== undefined && force !== '1' && force !== '0') return fail(`${path}: force=${force}: the value must be 0 or 1`);
  return ok({
    ...(force === '1' ? { force: true } : {}),
    ...(arch === undefined ? {} : { arch }),
    ...(mode === undefined ? {} : { mode }),
    ...(profile === undefined ? {} : { profile }),
    ...(name === undefined ? {} : { name }),
    settings,
  });
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** True when the text is a Kconfig .config rather than a saved configuration. */
export function isKconfigFile(text: string): boolean {
  return /^(# CONF_\S+ is not set|CONF_[A-Za-z0-9_-]+=)/m.test(text) && !text.startsWith(SAVED_MARKER);
}

export interface DotConfigValues {
  readonly values: ReadonlyMap<string, string>;
  readonly choice?: string;
  readonly unset?: ReadonlySet<string>;
}

export interface FromDotConfig {
  readonly loaded: LoadedConfiguration;
  /** Names the file sets that this OSv's Kconfig does not have (on this arch). */
  readonly unknown: readonly string[];
  /** Options this OSv has that the file does not mention: they take their defaults. */
  readonly absent: readonly string[];
}

/**
 * A .config's values as settings: the ones that differ from the defaults of the arch and mode
 * (the rest are the defaults anyway), the profile choice, and what it has that cannot be taken.
 */
export function fromDotConfig(read: DotConfigValues, catalog: ArchCatalog, mode: string): FromDotConfig {
  const options = optionsFor(catalog.kconfig, catalog.arch);
  // `# CONF_x is not set` says n only of a bool: for an int, hex or string option Kconfig ignores
  // the line (the option is then not mentioned at all).
  const notBool = new Set(options.filter((o) => o.type !== 'bool').map((o) => o.name));
  const dot: DotConfigValues = {
    ...read,
    values: new Map([...read.values].filter(([name]) => !(notBool.has(name) && read.unset?.has(name) === true))),
  };
  const known = new Set(options.map((o) => o.name));
  const settings: string[] = [];
  for (const o of options) {
    const v = dot.values.get(o.name);
    if (v !== undefined && v !== defaultValue(o, catalog.arch, mode)) settings.push(`${KCONFIG_PREFIX}${o.name}=${v}`);
  }
  const unknown = [...dot.values.keys()].filter((n) => !known.has(n)).map((n) => `CONF_${n}`);
  // NEW: what the file would have mentioned, had its OSv had the option. An option whose
  // dependency is off in the file is left out of a .config anyway.
  const valueIn = (name: string): string | undefined => {
    const o = options.find((x) => x.name === name);
    return dot.values.get(name) ?? (o === undefined ? undefined : defaultValue(o, catalog.arch, mode));
  };
  const absent = options.filter((o) => !dot.values.has(o.name) && (o.dependsOn === undefined || valueIn(o.dependsOn) === 'y')).map((o) => `CONF_${o.name}`);
  const profile = dot.choice;
  const states = options.flatMap((o) => (dot.values.has(o.name) ? [`${KCONFIG_PREFIX}${o.name}=${dot.values.get(o.name) as string}`] : []));
  return { loaded: { ...(profile === undefined ? {} : { profile }), settings, states }, unknown, absent };
}

/**
 * The loaded settings with the command line over them, later wins: a setting given on the command
 * line replaces the file's; flags beat the file's header.
 */
export function overlay(loaded: LoadedConfiguration, commandLine: readonly string[]): string[] {
  const key = (s: string): string => s.slice(0, s.indexOf('='));
  const given = new Set(commandLine.map(key));
  return [...loaded.settings.filter((s) => !given.has(key(s))), ...commandLine];
}
