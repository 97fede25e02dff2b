// Where --out (and the configurator's save) may write: an OSv checkout, a directory osvconf wrote
// before, or a new or empty directory. Anything else (/, a home directory, a literal ~ the shell
// did not expand, a project that is not OSv) is refused unless forced, before anything is written.

import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail, ok, type Result } from '../core/result.js';
import { OSVCONF_DIR } from '../core/tree-layout.js';

/** An OSv checkout has the driver profiles and the build script at its top. */
export function isOsvCheckout(dir: string): boolean {
  try {
    return statSync(join(dir, 'conf', 'profiles')).isDirectory() && existsSync(join(dir, 'scripts', 'build'));
  } catch {
    return false;
  }
}

/** The real path, or the path itself while it does not exist. */
function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

const OWN_ENTRIES = ['conf', 'build', '.osvconf.lock'];

/**
 * A path as the user typed it that starts with ~: a shell would have expanded it, so here it would
 * name a directory called "~". `label` names where it came from (--out=..., the file name).
 */
export function literalTilde(path: string, label: string, hint: string): Result<void> {
  return path.startsWith('~') ? fail(`${label}: a literal "~" (the shell did not expand it)`, hint) : ok(undefined);
}

export function checkOutDir(out: string, force: boolean): Result<string> {
  const tilde = literalTilde(out, `--out=${out}`, 'write the path out, e.g. --out=$HOME/osv');
  if (!tilde.ok) return tilde;
  if (out.startsWith('-')) return fail(`--out=${out}: a directory name starting with "-" looks like a flag`, 'write ./' + out + ' if you mean it');
  if (resolve(out) === '/' || realOrSelf(out) === '/') return fail(`--out=${out}: osvconf does not write into the root directory`, 'give the OSv checkout');
  let entries: string[];
  try {
    if (!statSync(out).isDirectory()) return ok(out); // the write plan says what is wrong
    entries = readdirSync(out);
  } catch {
    return ok(out); // missing: created by the plan
  }
  // A directory holding only what osvconf writes (another osvconf may be writing it right now).
  const onlyOurs = entries.every((e) => OWN_ENTRIES.includes(e) || e.startsWith('.osvconf.'));
  if (force || onlyOurs || isOsvCheckout(out) || existsSync(join(out, OSVCONF_DIR))) return ok(out);
  return fail(
    `--out=${out} is not an OSv checkout (no conf/profiles/ and scripts/build) and not empty`,
    'give the top of an OSv checkout, a new or empty directory, or --force to write there anyway',
  );
}
