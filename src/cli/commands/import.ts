// osvconf import OSV_TREE [--to=DIR]: the tree's conf/profiles/<arch>/*.mk as osvconf profiles
// (DIR/<arch>/<name>.json, default ./profiles), usable with --profiles-dir=DIR. Nothing is
// written unless every file imports.

import type { Warning } from '../../core/select.js';
import { existsSync, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { readTextCapped } from '../../io/read-file.js';
import { join } from 'node:path';
import type { ArchCatalog } from '../../core/catalog.js';
import { fail, ok, usage, type Result } from '../../core/result.js';
import { importProfiles, type TreeReader } from '../../importer/import-profiles.js';
import { loadArchCatalog, loadDefaults, profileSource } from '../../io/catalog-files.js';
import { comparePlan, writePlan } from '../../io/write-plan.js';
import { ownsImportedProfile } from '../../importer/import-profiles.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { json, output, type CommandOutput } from '../output.js';

/** A profile file larger than this is not a profile. */
const MAX_FILE_BYTES = 1 << 20;

function fsTree(root: string): TreeReader {
  const dir = (arch: string): string => join(root, 'conf', 'profiles', arch);
  return {
    files: (arch) => (existsSync(dir(arch)) ? readdirSync(dir(arch)).filter((f) => f.endsWith('.mk')) : []),
    entry: (arch, file) => {
      const path = join(dir(arch), file);
      let st;
      try {
        st = lstatSync(path);
      } catch {
        return undefined;
      }
      // Entries may vanish or change meanwhile: whatever cannot be read is left out, never thrown.
      if (st.isSymbolicLink()) {
        try {
          return { kind: 'link', target: readlinkSync(path) };
        } catch {
          return undefined;
        }
      }
      if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      const text = readTextCapped(path, 'profile', MAX_FILE_BYTES);
      return text.ok ? { kind: 'file', text: text.value } : undefined;
    },
  };
}

export async function run(args: ParsedArgs, _context: RunContext): Promise<Result<CommandOutput>> {
  const [root, ...rest] = args.positionals;
  if (root === undefined) return usage('osvconf import needs the OSv tree to read', 'write osvconf import path/to/osv [--to=DIR]');
  if (rest.length > 0) return usage(`unexpected "${rest[0]}" after osvconf import ${root}`, 'give one OSv tree');
  const profilesRoot = join(root, 'conf', 'profiles');
  if (!existsSync(profilesRoot) || !statSync(profilesRoot).isDirectory()) {
    return fail(`${root} is not an OSv tree: it has no conf/profiles/ folder`, 'give the top folder of an OSv checkout');
  }
  const defaults = loadDefaults();
  if (!defaults.ok) return defaults;
  const warnings: string[] = [];
  const catalogs: ArchCatalog[] = [];
  for (const arch of readdirSync(profilesRoot).sort()) {
    if (!statSync(join(profilesRoot, arch)).isDirectory()) continue;
    if (!Object.hasOwn(defaults.value.arches, arch)) {
      warnings.push(`skipped conf/profiles/${arch}/: osvconf knows the arches ${Object.keys(defaults.value.arches).join(', ')}`);
      continue;
    }
    const catalog = loadArchCatalog(arch);
    if (!catalog.ok) return catalog;
    catalogs.push(catalog.value);
  }
  const sources = new Map(catalogs.map((c) => [c.arch, profileSource(c, defaults.value)]));
  const result = importProfiles(fsTree(root), catalogs, (arch, name) => {
    const p = sources.get(arch)?.get(name);
    return p?.ok ? p.value : undefined;
  });
  if (result.errors.length > 0) {
    return fail(
      `cannot import the profiles of ${root}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}`,
      'nothing was written; fix or remove those files',
      result.errors,
    );
  }
  const to = args.values.get('to') ?? 'profiles';
  const toWrite = result.profiles.filter((p) => !p.sameAsBuiltin);
  // --to names a folder of the user's profiles: importing again replaces what it holds.
  // Only a profile osvconf imported is replaced (it starts with import's description); --force replaces any.
  const files = toWrite.map((p) => ({ path: `${p.arch}/${p.name}.json`, content: JSON.stringify(p.json, null, 2) + '\n', owns: ownsImportedProfile }));
  const force = { force: args.switches.has('force') };
  const outcome = args.switches.has('dry-run') ? comparePlan(to, files, force) : writePlan(to, files, force);
  if (!outcome.ok) return outcome;
  const notes = [...warnings, ...result.warnings].map((message): Warning => ({ code: 'import', message }));
  if (args.switches.has('json')) {
    return ok(
      output(
        json({
          to,
          profiles: result.profiles.map((p) => ({ arch: p.arch, name: p.name, same_as_builtin: p.sameAsBuiltin, flattened: p.flattened })),
          files: outcome.value.map((f) => ({ path: f.path, status: args.switches.has('dry-run') && f.status === 'wrote' ? 'would-write' : f.status })),
        }),
        notes,
      ),
    );
  }
  const lines = result.profiles.map((p) => {
    if (p.sameAsBuiltin) return `same as built-in  ${p.arch}/${p.name}\n`;
    const f = outcome.value.find((o) => o.path === `${p.arch}/${p.name}.json`);
    const status = args.switches.has('dry-run') && f?.status === 'wrote' ? 'would write' : (f?.status ?? 'wrote');
    return `${status.padEnd(17)} ${join(to, p.arch, `${p.name}.json`)}${p.flattened ? '  (flattened)' : ''}\n`;
  });
  return ok(output(lines.join('') + (toWrite.length > 0 ? `use them with: osvconf --profiles-dir=${to} --profile=NAME ...\n` : ''), notes));
}
