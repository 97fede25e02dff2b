// Build flags from a file a user was handed reach gcc and ld as they are (OSv's Makefile puts
// conf_compiler_* into every compile line and conf_linker_extra_options after `ld -o $@`). A flag
// can make them read, write or run files of the file's author's choosing, and no list of bad
// spellings keeps up with two programs' options. So a flag passes only when it is of a form in
// the allowlist (conf/flags.json, per kind of flags) and matches none of that kind's refused
// forms: everything else is refused, with what the allowlist takes.

import { fail, ok, type Result } from './result.js';

export interface FlagForm {
  readonly form: RegExp;
  /** A two-word form's second word (-z KEYWORD). */
  readonly then?: RegExp;
  readonly says: string;
}

export interface FlagKind {
  /** The program that reads the flags (gcc, ld). */
  readonly tool: string;
  readonly forms: readonly FlagForm[];
  readonly refused: readonly { readonly form: RegExp; readonly says: string }[];
}

/** A data file's form as a regular expression for one whole word. */
export const wholeWord = (form: string): RegExp => new RegExp(`^(?:${form})$`);

/** Checks each word of a flags value against its kind's allowlist; the value is returned as given. */
export function checkFlagForms(setting: string, value: string, kind: FlagKind): Result<string> {
  const words = value.split(' ').filter((w) => w !== '');
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const refused = kind.refused.find((r) => r.form.test(word));
    if (refused !== undefined)
      return fail(`${setting}: "${word}" is refused: it ${refused.says} (${kind.tool} would act on what the value names)`, takes(setting, kind));
    const form = kind.forms.find((f) => f.form.test(word));
    if (form === undefined) return fail(`${setting}: "${word}" is not a flag form osvconf lets into the build`, takes(setting, kind));
    if (form.then !== undefined) {
      const next = words[i + 1];
      if (next === undefined || !form.then.test(next))
        return fail(
          `${setting}: "${word}" must be followed by ${form.says.replace(/^an? /, 'a ')}; got ${next === undefined ? 'nothing' : `"${next}"`}`,
          takes(setting, kind),
        );
      i++;
    }
  }
  return ok(value);
}

const takes = (setting: string, kind: FlagKind): string => `${setting} takes ${kind.tool} flags of these forms: ${kind.forms.map((f) => f.says).join('; ')}`;
