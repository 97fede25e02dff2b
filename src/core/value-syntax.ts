// What a string value may contain. OSv's conf/Makefile copies Kconfig strings unquoted into
// kernel_conf.mk, which make includes; the values then reach recipes that the shell runs (the
// version script path, the syscalls list, compiler and linker flags). So each string option
// names its syntax in the data (conf/kconfig.json, conf/options.json) and only characters that
// neither make nor the shell give a meaning to are allowed: no $ # ; | & ` ' " \ ( ) < > * ? [ ]
// { } ! or control characters, and no trailing backslash (it would join the next line).

import { fail, ok, type Result } from './result.js';

export type ValueSyntax = 'path' | 'flags' | 'word';

const ALLOWED: Readonly<Record<ValueSyntax, { readonly re: RegExp; readonly says: string }>> = {
  // No ~: OSv's Makefile hands the path to a shell, which would expand ~user.
  path: { re: /^[A-Za-z0-9._/+,=:@%-]*$/, says: 'a file path: letters, digits and . _ / + , = : @ % -' },
  flags: { re: /^[A-Za-z0-9._/+,=:@% -]*$/, says: 'options separated by spaces: letters, digits and . _ / + , = : @ % -' },
  word: { re: /^[A-Za-z0-9._+-]*$/, says: 'one word: letters, digits and . _ + -' },
};

/**
 * Compiler and linker options that make gcc or ld run another program or load code: the
 * characters are harmless, the option is not.
 */
const RUNS_CODE =
  /^(-wrapper|-B(?!(symbolic|symbolic-functions|static|dynamic|group|shareable|no-symbolic)$)|-fplugin|-specs|--specs|-plugin|--plugin|-Xlinker|@)/;

/** The words gcc and ld see: -Wl,a,b passes a and b to the linker. */
const words = (value: string): string[] => value.split(' ').flatMap((w) => (w.startsWith('-Wl,') ? [w, ...w.slice(4).split(',')] : [w]));

export function checkSyntax(setting: string, value: string, syntax: ValueSyntax): Result<string> {
  const rule = ALLOWED[syntax];
  if (syntax === 'flags' && rule.re.test(value)) {
    const runs = words(value).find((w) => RUNS_CODE.test(w));
    if (runs !== undefined)
      return fail(
        `${setting}: "${runs}" makes the compiler or linker run or load other code`,
        'pass such options some other way, if you mean them; osvconf does not put them into the build',
      );
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
