// Turns the profile .mk files of an OSv tree into osvconf profile JSON. A file made only of
// includes and literal `?=` lines keeps its structure (includes + sets); a file that uses `=`,
// `:=`, conditionals or includes base.mk is evaluated as make would (without command-line
// settings) and written flat. Every problem is reported as file:line with the construct; a
// tree with any problem imports nothing.

import { DRIVER_PREFIX, type ArchCatalog, type Bit, type Profile } from '../core/catalog.js';
import { didYouMean } from '../core/suggest.js';
import { PROFILE_NAME } from '../core/format.js';
import { evaluate, type IncludeReader, type Source } from './mk-eval.js';
import { parseMake, type Statement } from './mk-parse.js';

export type TreeEntry = { readonly kind: 'file'; readonly text: string } | { readonly kind: 'link'; readonly target: string };

/** What the importer reads of a tree: conf/profiles/<arch>/<file>. */
export interface TreeReader {
  /** Names of the .mk files in conf/profiles/<arch>/ (base.mk included). */
  files(arch: string): readonly string[];
  entry(arch: string, file: string): TreeEntry | undefined;
}

export interface ProfileJson {
  readonly description: string;
  readonly hypervisors: readonly string[];
  readonly alias_of?: string;
  readonly includes?: readonly string[];
  readonly sets?: Readonly<Record<string, Bit>>;
}

const IMPORTED = 'Imported from';

/** A profile file osvconf import wrote: it starts with import's description (JSON.stringify's layout). */
export const ownsImportedProfile = (existing: string): boolean =>
  existing.startsWith(`{\n  "description": ${JSON.stringify(IMPORTED).slice(0, -1)} `) &&
  /^ {2}"description": "[^\n]* by osvconf import[^\n]*",?$/m.test(existing.split('\n')[1] ?? '');

export interface Imported {
  readonly arch: string;
  readonly name: string;
  readonly json: ProfileJson;
  /** A built-in profile of the same name already says exactly this. */
  readonly sameAsBuiltin: boolean;
  readonly flattened: boolean;
}

export interface ImportResult {
  readonly profiles: readonly Imported[];
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

const NAME = PROFILE_NAME;
const profilesDir = (arch: string): string => `conf/profiles/${arch}`;
const where = (s: Source): string => `${s.file}:${s.line}`;

/** The profile an include names, when it is conf/profiles/<arch>/<name>.mk (after $(arch)). */
function includedProfile(path: string, arch: string): string | undefined {
  const m = new RegExp(`^conf/profiles/(?:\\$\\(arch\\)|\\$\\{arch\\}|${arch})/([A-Za-z0-9_-]+)\\.mk$`).exec(path);
  return m?.[1];
}

function isStructured(statements: readonly Statement[], arch: string): boolean {
  return statements.every(
    (s) =>
      s.kind === 'include'
        ? includedProfile(s.path, arch) !== undefined && includedProfile(s.path, arch) !== 'base'
        : s.kind === 'assign' && s.op === '?=' && !s.value.includes('$'),
    // (a bare `export VAR` may define VAR, so it makes the file one to evaluate)
  );
}

export function importProfiles(tree: TreeReader, catalogs: readonly ArchCatalog[], builtin: (arch: string, name: string) => Profile | undefined): ImportResult {
  const profiles: Imported[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];

  for (const catalog of catalogs) {
    const { arch } = catalog;
    const dir = profilesDir(arch);
    const drivers = catalog.drivers.map((d) => d.name);
    const parsed = new Map<string, { file: string; statements: Statement[] } | string>();

    const parseFile = (file: string): { file: string; statements: Statement[] } | string => {
      const cached = parsed.get(file);
      if (cached !== undefined) return cached;
      let entry = tree.entry(arch, file);
      let path = `${dir}/${file}`;
      for (let hops = 0; entry?.kind === 'link'; hops++) {
        const target = entry.target;
        if (hops > 8 || target.includes('/') || !target.endsWith('.mk')) {
          const result = `${path}: a symlink to "${target}": only a link to another .mk file in ${dir}/ is understood`;
          parsed.set(file, result);
          return result;
        }
        path = `${dir}/${target}`;
        entry = tree.entry(arch, target);
      }
      if (entry === undefined) {
        const result = `${path}: no such file`;
        parsed.set(file, result);
        return result;
      }
      const { statements, errors: problems } = parseMake(entry.text);
      const result = problems.length > 0 ? problems.map((p) => `${path}:${p.line}: ${p.message}`).join('\n') : { file: path, statements };
      parsed.set(file, result);
      return result;
    };

    const read: IncludeReader = (path) => {
      const name = includedProfile(path, arch);
      if (name === undefined) return `include of "${path}": only conf/profiles/$(arch)/<name>.mk is understood`;
      const got = parseFile(`${name}.mk`);
      return typeof got === 'string' ? (got.split('\n')[0] ?? got) : got;
    };

    const checkValue = (name: string, value: string, at: Source): Bit | undefined => {
      const driver = name.slice(DRIVER_PREFIX.length);
      if (!drivers.includes(driver)) {
        errors.push(`${where(at)}: ${name}: no such driver on ${arch}${didYouMean(driver, drivers)}`);
        return undefined;
      }
      if (value !== '0' && value !== '1') {
        errors.push(`${where(at)}: ${name} gets ${JSON.stringify(value)}, not 0 or 1${/\s$/.test(value) ? ' (make keeps the trailing blank)' : ''}`);
        return undefined;
      }
      return value === '1' ? 1 : 0;
    };

    for (const file of [...tree.files(arch)].sort()) {
      const name = file.slice(0, -'.mk'.length);
      if (name === 'base') continue; // the rules themselves, checked below
      if (!NAME.test(name)) {
        errors.push(`${dir}/${file}: "${name}" is not a profile name (letters, digits, _ and -)`);
        continue;
      }
      const entry = tree.entry(arch, file);
      const origin = `${IMPORTED} ${dir}/${file} by osvconf import`;
      if (entry?.kind === 'link') {
        const target = entry.target;
        if (target.includes('/') || !target.endsWith('.mk') || !NAME.test(target.slice(0, -3))) {
          errors.push(`${dir}/${file}: a symlink to "${target}": only a link to another .mk file in ${dir}/ is understood`);
          continue;
        }
        // Follow the chain of links in the folder: it must end at a file, not loop or dangle.
        const seen = new Set([file]);
        let end: string = target;
        let hop = tree.entry(arch, end);
        while (hop?.kind === 'link' && !seen.has(end) && seen.size <= 64) {
          seen.add(end);
          end = hop.target;
          hop = end.includes('/') ? undefined : tree.entry(arch, end);
        }
        if (seen.has(end) || seen.size > 64) {
          errors.push(`${dir}/${file}: a symlink loop (${[...seen, end].join(' -> ')})`);
          continue;
        }
        if (hop === undefined) {
          errors.push(`${dir}/${file}: a symlink to "${target}", which leads to no file`);
          continue;
        }
        const json: ProfileJson = { description: `${origin} (a symlink to ${target})`, hypervisors: [], alias_of: target.slice(0, -3) };
        const b = builtin(arch, name);
        profiles.push({ arch, name, json, sameAsBuiltin: b?.aliasOf === json.alias_of, flattened: false });
        continue;
      }
      const got = parseFile(file);
      if (typeof got === 'string') {
        errors.push(...got.split('\n'));
        continue;
      }
      if (isStructured(got.statements, arch)) {
        const includes: string[] = [];
        const sets: Record<string, Bit> = {};
        let ok = true;
        for (const s of got.statements) {
          if (s.kind === 'include') includes.push(includedProfile(s.path, arch) as string);
          else if (s.kind === 'assign') {
            if (!s.name.startsWith(DRIVER_PREFIX)) {
              errors.push(`${got.file}:${s.line}: sets ${s.name}: an osvconf profile holds only conf_drivers_* flags`);
              ok = false;
              continue;
            }
            const bit = checkValue(s.name, s.value, { file: got.file, line: s.line });
            if (bit === undefined) ok = false;
            else if (!(s.name.slice(DRIVER_PREFIX.length) in sets)) sets[s.name.slice(DRIVER_PREFIX.length)] = bit;
          }
        }
        for (const inc of includes) {
          const target = read(`${dir}/${inc}.mk`, { file: got.file, line: 0 });
          if (typeof target === 'string') {
            errors.push(`${got.file}: ${target}`);
            ok = false;
          }
        }
        if (!ok) continue;
        // Own lines before an include only win if the include does not set the same flag first;
        // the JSON form (includes, then sets) loses that order, so such a file is written flat.
        const reordered = evaluate(
          got.file,
          [...got.statements.filter((s) => s.kind === 'include'), ...got.statements.filter((s) => s.kind !== 'include')],
          { arch },
          read,
        );
        const original = evaluate(got.file, got.statements, { arch }, read);
        if (!original.ok) {
          errors.push(`${where(original.error)}: ${original.error.message}`);
          continue;
        }
        const same =
          reordered.ok &&
          JSON.stringify([...reordered.value.variables].map(([k, v]) => [k, v.value]).sort()) ===
            JSON.stringify([...original.value.variables].map(([k, v]) => [k, v.value]).sort());
        if (same) {
          const json: ProfileJson = { description: origin, hypervisors: [], includes, sets };
          const b = builtin(arch, name);
          const sameAsBuiltin =
            b !== undefined &&
            b.aliasOf === undefined &&
            JSON.stringify(b.includes) === JSON.stringify(includes) &&
            JSON.stringify(b.sets) === JSON.stringify(Object.entries(sets));
          profiles.push({ arch, name, json, sameAsBuiltin, flattened: false });
          continue;
        }
      }
      const result = evaluate(got.file, got.statements, { arch }, read);
      if (!result.ok) {
        errors.push(`${where(result.error)}: ${result.error.message}`);
        continue;
      }
      const sets: Record<string, Bit> = {};
      let ok = true;
      for (const [variable, { value, at }] of result.value.variables) {
        if (!variable.startsWith(DRIVER_PREFIX)) {
          if (variable.startsWith('conf_')) {
            errors.push(`${where(at)}: sets ${variable}: an osvconf profile holds only conf_drivers_* flags`);
            ok = false;
          }
          continue;
        }
        const bit = checkValue(variable, value, at);
        if (bit === undefined) ok = false;
        else sets[variable.slice(DRIVER_PREFIX.length)] = bit;
      }
      if (!ok) continue;
      const json: ProfileJson = { description: `${origin} (flattened: evaluated as make reads it, without command-line settings)`, hypervisors: [], sets };
      profiles.push({ arch, name, json, sameAsBuiltin: false, flattened: true });
    }

    // The tree's own rules: flags osvconf does not know (or lacks) make its catalog a poor fit.
    const base = tree.entry(arch, 'base.mk');
    if (base?.kind === 'file') {
      const declared = new Set([...base.text.matchAll(/^\s*export\s+conf_drivers_([A-Za-z0-9_]+)\s*\?=/gm)].map((m) => m[1] as string));
      const unknown = [...declared].filter((d) => !drivers.includes(d));
      const missing = drivers.filter((d) => !declared.has(d));
      if (unknown.length > 0 || missing.length > 0) {
        warnings.push(
          `${dir}/base.mk differs from osvconf's ${arch} catalog${unknown.length > 0 ? `; it declares ${unknown.map((d) => DRIVER_PREFIX + d).join(', ')}, unknown to osvconf` : ''}${missing.length > 0 ? `; it lacks ${missing.map((d) => DRIVER_PREFIX + d).join(', ')}` : ''}`,
        );
      }
    }
  }
  return { profiles, errors, warnings };
}
