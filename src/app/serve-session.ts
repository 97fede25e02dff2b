// The headless configuration server's session (osvconf serve, like ESP-IDF's kconfserver): one
// JSON request per line, one JSON answer per request. The session holds what a person in the
// configurator would hold (loaded files, settings, flags) and answers every request with the
// values that changed, their visibility, the warnings and the size estimate. Bad requests get an
// error answer and leave the session as it was.

import { driverSetting } from '../core/catalog.js';
import { explain } from '../core/explain.js';
import { savedLines, type SavedForm } from '../core/saved-forms.js';
import { fail, ok, usage, type OsvError, type Result } from '../core/result.js';
import type { Selection } from '../core/select.js';
import { didYouMean } from '../core/suggest.js';
import { renderConfiguration } from '../generators/configuration.js';
import { renderBuildCommand } from '../generators/build-command.js';
import { checkOutDir } from '../io/out-dir.js';
import { loadSizeModel } from '../io/size-files.js';
import { comparePlan, writePlan, type PlannedFile } from '../io/write-plan.js';
import { createEstimator } from '../size/model.js';
import { explainAccess, textOf } from './explain-text.js';
import { plan } from './plan.js';
import { resolveSelection, type Context } from './selection.js';
import { appScriptSize } from './size-input.js';
import { sizeInputOf } from '../size/input.js';

/** Raised when the request/answer shapes change incompatibly; clients check it in the greeting. */
export const PROTOCOL_VERSION = 1;
/** Files one load may apply (each is read and resolved in turn). */
const MAX_LOADS = 64;
export const METHODS = ['load', 'set', 'reset', 'values', 'explain', 'size', 'plan', 'save', 'quit'] as const;
type Method = (typeof METHODS)[number];

interface Value {
  readonly value: string;
  readonly visible: boolean;
}

export interface Session {
  /** The first line a client reads. */
  readonly greeting: Record<string, unknown>;
  /** One request line in, one answer out; `quit` says the session ends. */
  handle(line: string): Promise<{ answer: Record<string, unknown>; quit: boolean }>;
}

type Params = Readonly<Record<string, unknown>>;

const FLAG_SETTINGS: Readonly<Record<string, string>> = { arch: 'arch', mode: 'mode', conf_drivers_profile: 'profile', drivers_profile: 'profile' };

function valuesOf(s: Selection): Map<string, Value> {
  const values = new Map<string, Value>([
    ['arch', { value: s.request.arch, visible: true }],
    ['mode', { value: s.request.mode, visible: true }],
    ['conf_drivers_profile', { value: s.request.profile, visible: true }],
  ]);
  for (const f of s.drivers.flags) values.set(driverSetting(f.name), { value: String(f.value), visible: true });
  for (const o of s.options) values.set(o.option.setting, { value: o.value, visible: true });
  for (const k of s.kconfig) values.set(`conf_${k.option.name}`, { value: k.value, visible: k.visible });
  return values;
}

const errorJson = (e: OsvError): Record<string, unknown> => ({
  kind: e.kind,
  message: e.message,
  ...(e.hint === undefined ? {} : { hint: e.hint }),
  ...(e.details === undefined ? {} : { details: e.details }),
});

const strings = (v: unknown, what: string): Result<string[]> =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? ok(v as string[]) : usage(`${what} must be a list of strings`);

export function createSession(cwd: string, version: string): Session {
  let loads: string[] = [];
  let settings = new Map<string, string>();
  let current: { context: Context; selection: Selection } | undefined;
  let shown = new Map<string, Value>();

  const resolveWith = async (nextLoads: readonly string[], nextSettings: ReadonlyMap<string, string>) => {
    const flags = new Map<string, string>();
    const rest: string[] = [];
    for (const [name, value] of nextSettings) {
      const flag = Object.hasOwn(FLAG_SETTINGS, name) ? FLAG_SETTINGS[name] : undefined;
      if (flag !== undefined) flags.set(flag, value);
      else rest.push(`${name}=${value}`);
    }
    const resolved = await resolveSelection(
      { values: flags, switches: new Set(), lists: new Map(nextLoads.length > 0 ? [['load', nextLoads]] : []) },
      rest,
      cwd,
    );
    return resolved.ok ? ok({ context: resolved.value as Context, selection: resolved.value.selection }) : resolved;
  };

  const estimate = (s: Selection): Record<string, unknown> | null => {
    const model = loadSizeModel(s.request.arch);
    if (!model.modes.includes(s.request.mode)) return null;
    const script = appScriptSize(s, cwd);
    const e = createEstimator(model).estimate(sizeInputOf(s, script.ok ? script.value : undefined));
    return {
      kib: Math.round(e.kernelKib * 10) / 10,
      uncertainty_pct: e.uncertaintyPct,
      components: e.lines.map((l) => ({ name: l.name, label: l.label, kib: Math.round(l.kib * 10) / 10 })),
    };
  };

  /** The answer of a request that succeeded: its result, what changed since the last answer, warnings, size. */
  const answer = (id: unknown, result: Record<string, unknown>): Record<string, unknown> => {
    const s = (current as { selection: Selection }).selection;
    const now = valuesOf(s);
    const changed = Object.fromEntries(
      [...now].filter(([name, v]) => shown.get(name)?.value !== v.value || shown.get(name)?.visible !== v.visible).map(([name, v]) => [name, v]),
    );
    shown = now;
    return {
      id,
      ok: true,
      result,
      changed,
      warnings: s.warnings.map((w) => ({ code: w.code, level: w.level ?? 'warning', message: w.message, ...(w.hint === undefined ? {} : { hint: w.hint }) })),
      size: estimate(s),
    };
  };

  const methods: Record<Method, (p: Params) => Promise<Result<Record<string, unknown>>>> = {
    async load(p) {
      const files = p['files'] === undefined ? strings(p['file'] === undefined ? [] : [p['file']], 'file') : strings(p['files'], 'files');
      if (!files.ok) return files;
      if (files.value.length > MAX_LOADS) return usage(`at most ${MAX_LOADS} files in one load`);
      const next = await resolveWith(files.value, new Map());
      if (!next.ok) return next;
      [loads, settings, current] = [files.value, new Map(), next.value];
      return ok({ loaded: loads });
    },
    async set(p) {
      const given = p['settings'];
      if (given === null || typeof given !== 'object' || Array.isArray(given)) return usage('set needs "settings": an object of NAME: VALUE');
      const next = new Map(settings);
      for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
        if (typeof value !== 'string' && typeof value !== 'number') return usage(`${name}: the value must be a string or a number`);
        next.delete(name);
        next.set(name, String(value));
      }
      const resolved = await resolveWith(loads, next);
      if (!resolved.ok) return resolved;
      [settings, current] = [next, resolved.value];
      return ok({ settings: Object.fromEntries(settings) });
    },
    async reset(p) {
      const names = p['names'] === undefined ? ok([...settings.keys()]) : strings(p['names'], 'names');
      if (!names.ok) return names;
      const unset = names.value.filter((n) => !settings.has(n));
      if (unset.length > 0)
        return usage(
          `not set in this session, so nothing to reset: ${unset.join(', ')}${didYouMean(unset[0] as string, [...settings.keys()])}`,
          'reset takes names given to set',
        );
      const next = new Map([...settings].filter(([n]) => !names.value.includes(n)));
      const resolved = await resolveWith(loads, next);
      if (!resolved.ok) return resolved;
      [settings, current] = [next, resolved.value];
      return ok({ settings: Object.fromEntries(settings) });
    },
    async values() {
      shown = new Map(); // everything counts as changed: the whole state
      return ok({});
    },
    async explain(p) {
      if (typeof p['name'] !== 'string') return usage(p['name'] === undefined ? 'explain needs "name"' : '"name" must be a string');
      const { selection, context } = current as { context: Context; selection: Selection };
      const found = explain(
        selection,
        p['name'],
        explainAccess(selection, context.catalog, context.profiles, (s) => (estimate(s)?.['kib'] as number | undefined) ?? Number.NaN),
      );
      if (!found.ok) return found;
      return ok({ text: found.value.map((e) => textOf(e, selection)).join('\n') });
    },
    async size() {
      return ok({});
    },
    async plan(p) {
      const target = saveTarget(p);
      if (!target.ok) return target;
      const { out, files } = target.value;
      const compared = comparePlan(out, files);
      if (!compared.ok) return compared;
      return ok({ out, files: compared.value.map((f) => ({ path: f.path, status: f.status === 'wrote' ? 'would-write' : 'unchanged' })) });
    },
    async save(p) {
      const target = saveTarget(p);
      if (!target.ok) return target;
      const { out, files } = target.value;
      const written = writePlan(out, files);
      if (!written.ok) return written;
      const selection = (current as { selection: Selection }).selection;
      return ok({
        out,
        files: written.value.map((f) => ({ path: f.path, status: f.status })),
        build_command: renderBuildCommand(selection).trimEnd(),
      });
    },
    async quit() {
      return ok({});
    },
  };

  /** "out": where to write (a non-empty string; the directory the server runs in when absent). */
  const outOf = (p: Params): Result<string> => {
    const out = p['out'];
    if (out === undefined) return ok(cwd);
    return typeof out === 'string' && out !== '' ? ok(out) : usage('"out" must be a directory path (a non-empty string)');
  };

  /** Where a plan or save goes (checked as --out is) and its files. */
  const saveTarget = (p: Params): Result<{ out: string; files: PlannedFile[] }> => {
    const out = outOf(p);
    if (!out.ok) return out;
    const place = checkOutDir(out.value, false);
    if (!place.ok) return place;
    const files = plannedFiles(p);
    return files.ok ? ok({ out: out.value, files: files.value }) : files;
  };

  /** The files of a save, the saved configuration in the form asked for ("form": "minimal" | "full"). */
  const plannedFiles = (p: Params) => {
    const form = p['form'] ?? 'given';
    if (form !== 'given' && form !== 'minimal' && form !== 'full') return usage('"form" is "given", "minimal" or "full"');
    const { selection, context } = current as { context: Context; selection: Selection };
    const rendered = new Map(
      form === 'given' ? [] : [['configuration', renderConfiguration(selection, savedLines(selection, form as SavedForm, context.profiles))]],
    );
    return ok(plan(selection, rendered).files);
  };

  return {
    greeting: { osvconf: version, protocol: PROTOCOL_VERSION, methods: METHODS },
    async handle(line) {
      const refuse = (id: unknown, e: OsvError) => ({ answer: { id, ok: false, error: errorJson(e) }, quit: false });
      const error = (r: Result<never>): OsvError => (r as { error: OsvError }).error;
      let request: unknown;
      try {
        // A BOM at the start and a CR at the end (a client on Windows) are not part of the request.
        request = JSON.parse(line.replace(/^\uFEFF/, '').replace(/\r$/, ''));
      } catch (e) {
        return refuse(null, error(fail(`not JSON: ${(e as Error).message}`, 'one request per line: {"id": 1, "method": "set", "params": {...}}')));
      }
      if (request === null || typeof request !== 'object' || Array.isArray(request)) return refuse(null, error(usage('a request is a JSON object')));
      const { id = null, method, params = {} } = request as { id?: unknown; method?: unknown; params?: unknown };
      // JSON-RPC's ids: echoed back, so only a string, a number or null (a nested one could be any size or depth).
      if (id !== null && typeof id !== 'string' && typeof id !== 'number')
        return refuse(null, error(usage('"id" must be a string, a number or null', 'one request per line: {"id": 1, "method": "set", "params": {...}}')));
      if (typeof id === 'string' && id.length > 200) return refuse(null, error(usage('"id" is longer than 200 characters')));
      if (typeof method !== 'string') return refuse(id, error(usage('a request needs "method" (a string)', `the methods: ${METHODS.join(', ')}`)));
      if (!(METHODS as readonly string[]).includes(method))
        return refuse(id, error(usage(`unknown method ${JSON.stringify(method)}${didYouMean(method, METHODS)}`, `the methods: ${METHODS.join(', ')}`)));
      if (params === null || typeof params !== 'object' || Array.isArray(params)) return refuse(id, error(usage('"params" must be an object')));
      if (current === undefined) {
        const first = await resolveWith([], new Map());
        if (!first.ok) return refuse(id, first.error);
        current = first.value;
      }
      const result = await methods[method as Method](params as Params);
      if (!result.ok) return refuse(id, result.error);
      return { answer: answer(id, result.value), quit: method === 'quit' };
    },
  };
}
