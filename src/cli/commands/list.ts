// osvconf list profiles|drivers|options: the catalog of one arch.

import { driverSetting, type Profile } from '../../core/catalog.js';
import { defaultValue, optionsFor } from '../../core/kconfig.js';
import { fail, ok, usage, type Result } from '../../core/result.js';
import { didYouMean } from '../../core/suggest.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { json, output, table, type CommandOutput } from '../output.js';
import { loadContext, type Context } from '../../app/selection.js';

const WHAT = ['profiles', 'drivers', 'options'] as const;

function listProfiles(context: Context, asJson: boolean): Result<string> {
  const profiles: Profile[] = [];
  for (const name of context.profiles.names()) {
    const p = context.profiles.get(name);
    if (!p.ok) return p;
    if (p.value !== undefined) profiles.push(p.value);
  }
  if (asJson) {
    return ok(
      json(
        profiles.map((p) => ({
          name: p.name,
          description: p.description,
          hypervisors: p.hypervisors,
          ...(p.aliasOf === undefined ? { includes: p.includes, sets: Object.fromEntries(p.sets) } : { alias_of: p.aliasOf }),
          default: p.name === context.defaults.defaultProfile,
          source: p.builtin ? 'built-in' : p.source,
        })),
      ),
    );
  }
  const rows = profiles.map((p) => [
    p.name + (p.name === context.defaults.defaultProfile ? ' *' : '') + (p.builtin ? '' : ' (yours)'),
    p.hypervisors.join(', ') || '-',
    p.aliasOf === undefined ? p.description : `= ${p.aliasOf}: ${p.description}`,
  ]);
  return ok(table(['PROFILE', 'FOR', 'DESCRIPTION'], rows) + `\n* default. Profiles for ${context.catalog.arch}; --arch picks another arch.\n`);
}

function listDrivers(context: Context, asJson: boolean): string {
  const { drivers, arch } = context.catalog;
  if (asJson) {
    return json(
      drivers.map((d) => ({
        name: d.name,
        setting: driverSetting(d.name),
        group: d.group,
        description: d.description,
        implies: d.implies,
        notes: d.notes,
        pitfalls: d.pitfalls.map((p) => p.id),
      })),
    );
  }
  const rows = drivers.map((d) => [driverSetting(d.name), d.group, d.implies.join(',') || '-', d.description]);
  return table(['SETTING', 'GROUP', 'IMPLIES', 'DESCRIPTION'], rows) + `\nIn the order of OSv's conf/profiles/${arch}/base.mk.\n`;
}

function listOptions(context: Context, asJson: boolean, mode: string): string {
  const { kconfig, arch } = context.catalog;
  const options = optionsFor(kconfig, arch);
  if (asJson) {
    return json([
      ...options.map((o) => ({
        setting: `conf_${o.name}`,
        kind: 'kconfig',
        name: o.name,
        menu: o.menu,
        type: o.type,
        prompt: o.prompt,
        default: defaultValue(o, arch, mode),
        ...(o.dependsOn === undefined ? {} : { depends_on: o.dependsOn }),
        makefile: o.makefile,
        help: o.help,
      })),
      ...context.catalog.options.map((o) => ({
        setting: o.setting,
        kind: 'build',
        name: o.name,
        type: o.type,
        ...(o.values === undefined ? {} : { values: Object.keys(o.values) }),
        default: o.default,
        read_by: o.passedTo,
        prompt: o.prompt,
        help: o.help,
      })),
    ]);
  }
  const rows = options.map((o) => [
    `conf_${o.name}`,
    o.type,
    JSON.stringify(defaultValue(o, arch, mode)),
    o.menu,
    o.prompt + (o.dependsOn === undefined ? '' : ` (needs conf_${o.dependsOn})`),
  ]);
  const build = context.catalog.options.map((o) => [
    o.setting,
    o.type === 'enum' ? Object.keys(o.values ?? {}).join('|') : o.type,
    JSON.stringify(o.default),
    o.passedTo,
    o.prompt,
  ]);
  return (
    table(['SETTING', 'TYPE', 'DEFAULT', 'MENU', 'PROMPT'], rows) +
    `\nOSv's Kconfig options for ${arch}, ${mode} defaults. bool takes 0/1 or n/y.\n\n` +
    table(['SETTING', 'VALUES', 'DEFAULT', 'READ BY', 'PROMPT'], build) +
    '\nBuild options: not Kconfig, passed on the ./scripts/build command line.\n'
  );
}

export async function run(args: ParsedArgs, _context: RunContext): Promise<Result<CommandOutput>> {
  const [what, ...rest] = args.positionals;
  if (what === undefined) return usage('osvconf list needs what to list', `write osvconf list ${WHAT.join('|')}`);
  if (!(WHAT as readonly string[]).includes(what)) return usage(`cannot list "${what}"${didYouMean(what, WHAT)}`, `write osvconf list ${WHAT.join('|')}`);
  if (rest.length > 0) return usage(`unexpected "${rest[0]}" after osvconf list ${what}`, 'use --arch=ARCH to pick the arch');
  const context = await loadContext(args.values.get('arch'), args.values.get('profiles-dir'));
  if (!context.ok) return context;
  const asJson = args.switches.has('json');
  if (what === 'profiles') {
    const text = listProfiles(context.value, asJson);
    return text.ok ? ok(output(text.value)) : text;
  }
  if (what === 'drivers') return ok(output(listDrivers(context.value, asJson)));
  if (what === 'options') return ok(output(listOptions(context.value, asJson, args.values.get('mode') ?? context.value.defaults.defaultMode)));
  return fail(`cannot list "${what}"`);
}
