// osvconf get NAME... and osvconf set NAME=VALUE... on a saved configuration (--in FILE), as
// Linux's scripts/config does on a .config: get prints each setting's value in the selection the
// file makes (whether the file sets it or not); set checks the new settings like any command line
// and writes the file back, with the same safety as --out.

import { lstatSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { resolveSelection } from '../../app/selection.js';
import { driverSetting } from '../../core/catalog.js';
import { KCONFIG_PREFIX } from '../../core/kconfig.js';
import { fail, ok, usage, type Result } from '../../core/result.js';
import { SAVED_MARKER } from '../../core/saved-config.js';
import type { Selection } from '../../core/select.js';
import { didYouMean } from '../../core/suggest.js';
import { renderConfiguration } from '../../generators/configuration.js';
import { writePlan } from '../../io/write-plan.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { json, output, type CommandOutput } from '../output.js';

/** Every setting of a selection and its value, in OSv's spelling. */
function values(selection: Selection): Map<string, string> {
  const all = new Map<string, string>([
    ['arch', selection.request.arch],
    ['mode', selection.request.mode],
    ['conf_drivers_profile', selection.request.profile],
  ]);
  for (const f of selection.drivers.flags) all.set(driverSetting(f.name), String(f.value));
  for (const k of selection.kconfig) all.set(`${KCONFIG_PREFIX}${k.option.name}`, k.option.type === 'bool' ? (k.value === 'y' ? '1' : '0') : k.value);
  for (const o of selection.options) all.set(o.option.setting, o.value);
  return all;
}

function inFile(args: ParsedArgs, command: string): Result<string> {
  const file = args.values.get('in');
  return file === undefined ? usage(`osvconf ${command} needs --in=FILE`, 'the saved configuration, e.g. --in=conf/osvconf/release.x64.osvconf') : ok(file);
}

export async function runGet(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  const file = inFile(args, 'get');
  if (!file.ok) return file;
  if (args.positionals.length === 0) return usage('osvconf get needs the names of settings', 'osvconf get conf_hide_symbols fs --in=FILE');
  const resolved = await resolveSelection({ values: new Map([...args.values, ['load', file.value]]), switches: args.switches }, [], context.cwd);
  if (!resolved.ok) return resolved;
  const all = values(resolved.value.selection);
  const found: [string, string][] = [];
  for (const name of args.positionals) {
    const value = all.get(name);
    if (value === undefined)
      return fail(`unknown setting "${name}"${didYouMean(name, [...all.keys()])}`, 'osvconf list drivers and osvconf list options show the settings');
    found.push([name, value]);
  }
  if (args.switches.has('json')) return ok(output(json(Object.fromEntries(found))));
  return ok(output(found.map(([n, v]) => `${n}=${v}\n`).join('')));
}

export async function runSet(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  const file = inFile(args, 'set');
  if (!file.ok) return file;
  if (args.positionals.length === 0) return usage('osvconf set needs NAME=VALUE settings', 'osvconf set conf_hide_symbols=1 --in=FILE');
  // The file with the new settings over it, checked like any command line (a conflict is refused).
  const exists = lstatOrUndefined(file.value) !== undefined;
  const resolved = await resolveSelection(
    { values: exists ? new Map([...args.values, ['load', file.value]]) : args.values, switches: args.switches },
    args.positionals,
    context.cwd,
  );
  if (!resolved.ok) return resolved;
  const written = writePlan(
    dirname(file.value),
    [{ path: basename(file.value), content: renderConfiguration(resolved.value.selection), owns: (text) => text.startsWith(SAVED_MARKER) }],
    { force: args.switches.has('force') },
  );
  if (!written.ok) return written;
  const status = written.value[0]?.status ?? 'unchanged';
  return ok(output(`${status.padEnd(9)} ${file.value}\n`, resolved.value.selection.warnings, status === 'wrote'));
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
