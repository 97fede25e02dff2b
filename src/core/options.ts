// Build parameters that are neither drivers nor Kconfig options (conf/options.json): scripts/build's
// fs= and make's conf_zfs= and conf_linker_extra_options=. Their values carry consequences as data
// (what a filesystem needs, where the ZFS code goes); the rules for reading them live here.

import { fail, ok, type Result } from './result.js';
import { didYouMean } from './suggest.js';
import type { Bit } from './catalog.js';
import { checkSyntax, type ValueSyntax } from './value-syntax.js';
import type { FlagKind } from './flag-forms.js';

export interface OptionValue {
  readonly description: string;
  readonly libsolaris?: 'bootfs' | 'image' | 'none';
  readonly usesZfs?: boolean;
  readonly rootOnDisk?: boolean;
  readonly needsKernelSymbolsOf?: string;
  readonly requires?: Readonly<Record<string, Bit>>;
}

export interface BuildOption {
  readonly name: string;
  readonly setting: string;
  readonly type: 'enum' | 'string';
  readonly default: string;
  readonly passedTo: 'scripts/build' | 'make';
  readonly prompt: string;
  readonly help: string;
  readonly values?: Readonly<Record<string, OptionValue>>;
  readonly onlyWith?: { readonly option: string; readonly values: readonly string[] };
  /** For strings: what the value may contain (it is handed to make on the command line). */
  readonly syntax?: ValueSyntax;
  /** For flags: the allowlist of flag forms the words must have (conf/flags.json). */
  readonly flagForms?: FlagKind;
  /** What osvconf's rules need the option for (conf/options.json says which option plays it). */
  readonly role?: 'zfs-implementation';
}

export interface OptionState {
  readonly option: BuildOption;
  readonly value: string;
  readonly origin: 'default' | 'command-line';
}

export function parseOptionValue(option: BuildOption, raw: string): Result<string> {
  if (option.type === 'enum') {
    const values = Object.keys(option.values ?? {});
    if (values.includes(raw)) return ok(raw);
    return fail(`${option.setting}=${raw}: unknown value${didYouMean(raw, values)}`, `${option.setting} takes ${values.join(', ')}`);
  }
  // Given to make on the command line: `$` would be expanded there, and a control character
  // cannot be written on one command line.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f$]/.test(raw))
    return fail(`${option.setting}: the value contains a control character or "$"`, 'make would expand "$": leave it out');
  return checkSyntax(option.setting, raw, option.syntax ?? 'word', option.flagForms);
}

export function resolveOptions(options: readonly BuildOption[], given: ReadonlyMap<string, string>): OptionState[] {
  return options.map((option) => {
    const value = given.get(option.name);
    return value === undefined ? { option, value: option.default, origin: 'default' } : { option, value, origin: 'command-line' };
  });
}

/** The chosen value's facts (for an enum option), if any. */
export function valueFacts(state: OptionState): OptionValue | undefined {
  return state.option.values?.[state.value];
}
