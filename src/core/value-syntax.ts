// What a string value may contain. OSv's conf/Makefile copies Kconfig strings unquoted into
// kernel_conf.mk, which make includes; the values then reach recipes that the shell runs (the
// version script path, the syscalls list, compiler and linker flags). So each string option
// names its syntax in the data (conf/kconfig.json, conf/options.json) and only characters that
// neither make nor the shell give a meaning to are allowed: no $ # ; | & ` ' " \ ( ) < > * ? [ ]
// { } ! or control characters, and no trailing backslash (it would join the next line).

import { fail, ok, type Result } from './result.js';
import { checkFlagForms, type FlagKind } from './flag-forms.js';

export type ValueSyntax = 'path' | 'flags' | 'word';

const ALLOWED: Readonly<Record<ValueSyntax, { readonly re: RegExp; readonly says: string }>> = {
  // No ~: OSv's Makefile hands the path to a shell, which would expand ~user.
  path: { re: /^[A-Za-z0-9._/+,=:@%-]*$/, says: 'a file path: letters, digits and . _ / + , = : @ % -' },
  flags: { re: /^[A-Za-z0-9._/+,=:@% -]*$/, says: 'options separated by spaces: letters, digits and . _ / + , = : @ % -' },
  word: { re: /^[A-Za-z0-9._+-]*$/, says: 'one word: letters, digits and . _ + -' },
};

/**
 * `forms`: for flags, the allowlist of flag forms (core/flag-forms.ts); a flags value without
 * one takes no flag at all.
 */
export function checkSyntax(setting: string, value: string, syntax: ValueSyntax, forms?: FlagKind): Result<string> {
  const rule = ALLOWED[syntax];
  if (syntax === 'flags' && rule.re.test(value)) {
    if (forms !== undefined) return checkFlagForms(setting, value, forms);
    if (value.trim() !== '') return fail(`${setting}: osvconf has no allowlist of flag forms for this option`, 'leave it empty');
  }
  if (rule.re.test(value) && !(syntax === 'path' && value.startsWith('-'))) return ok(value);
  const bad = [...value].find((c) => !rule.re.test(c)) ?? value[0] ?? '';
  // eslint-disable-next-line no-control-regex
  const shown = /[\u0000-\u001f\u007f]/.test(bad)
    ? `a control character (U+${bad.charCodeAt(0).toString(16).padStart(4, '0')})`
    : bad === ' '
      ? 'a space'
      : `"${bad}"`;
  return fail(
    `${setting}: the value contains ${syntax === 'path' && value.startsWith('-') && rule.re.test(value) ? 'a leading "-"' : shown}, which make or the shell would act on (OSv copies it unquoted into kernel_conf.mk and its recipes)`,
    `${setting} takes ${rule.says}`,
  );
}
