// Evaluates parsed profile files the way GNU make reads them, with no command-line variables:
// statements in order, includes read in place, `?=` only when undefined, `=` and `?=` kept
// unexpanded (recursive), `:=` expanded at once, conditionals decided when they are read, and a
// bare `export VAR` defining VAR as empty when it was undefined.
// Only `$(VAR)`, `${VAR}` and `$$` are expanded; any other `$` construct is refused.

import type { Condition, Statement } from './mk-parse.js';

export interface Source {
  readonly file: string;
  readonly line: number;
}

export interface EvalError extends Source {
  readonly message: string;
}

interface Variable {
  readonly raw: string;
  readonly recursive: boolean;
  readonly at: Source;
}

export interface Evaluation {
  /** Every variable the files defined, in the order they were first defined. */
  readonly variables: ReadonlyMap<string, { readonly value: string; readonly at: Source }>;
}

/** Reads an include: the statements of the file a path names, or an error message. */
export type IncludeReader = (path: string, from: Source) => { file: string; statements: Statement[] } | string;

class Stop extends Error {
  constructor(readonly error: EvalError) {
    super(error.message);
  }
}

const MAX_INCLUDE_DEPTH = 32;
/** An expansion longer than this is refused (X1 = $(X0)$(X0), forty times, doubles forever). */
export const MAX_EXPANSION = 1024 * 1024;
/** All expansions of one evaluation together: references followed. */
const MAX_REFERENCES = 1_000_000;

export function evaluate(
  file: string,
  statements: readonly Statement[],
  builtins: Readonly<Record<string, string>>,
  read: IncludeReader,
): { ok: true; value: Evaluation } | { ok: false; error: EvalError } {
  const vars = new Map<string, Variable>();
  const including: string[] = [file];
  let references = 0;
  // Names come from the files: never look them up on the object's prototype.
  const builtin = (name: string): string | undefined => (Object.hasOwn(builtins, name) ? builtins[name] : undefined);

  const expand = (text: string, at: Source, depth = 0): string => {
    if (depth > 50) throw new Stop({ ...at, message: 'variable references nest too deeply (a variable refers to itself?)' });
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== '$') {
        out += c;
        continue;
      }
      const next = text[i + 1];
      if (next === '$') {
        out += '$';
        i++;
        continue;
      }
      if (next !== '(' && next !== '{') throw new Stop({ ...at, message: `unsupported "$${next ?? ''}": only $(VAR), \${VAR} and $$ are understood` });
      const close = next === '(' ? ')' : '}';
      const end = text.indexOf(close, i + 2);
      const name = end < 0 ? '' : text.slice(i + 2, end);
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name))
        throw new Stop({
          ...at,
          message: `unsupported "${text.slice(i, end < 0 ? undefined : end + 1)}": only plain variable references are understood, no functions`,
        });
      if (++references > MAX_REFERENCES)
        throw new Stop({ ...at, message: `more than ${MAX_REFERENCES} variable references to expand (variables that refer to each other over and over)` });
      const v = vars.get(name);
      if (v !== undefined) out += v.recursive ? expand(v.raw, at, depth + 1) : v.raw;
      else out += builtin(name) ?? '';
      if (out.length > MAX_EXPANSION)
        throw new Stop({ ...at, message: `a value expands to more than ${MAX_EXPANSION} characters (variables that double each other?)` });
      i = end;
    }
    return out;
  };

  const test = (cond: Condition, at: Source): boolean => {
    if ('name' in cond) {
      const v = vars.get(cond.name);
      // ifdef asks whether the variable has a non-empty value, without expanding it.
      const defined = (v !== undefined && v.raw !== '') || (builtin(cond.name) ?? '') !== '';
      return cond.kind === 'def' ? defined : !defined;
    }
    const equal = expand(cond.a, at) === expand(cond.b, at);
    return cond.kind === 'eq' ? equal : !equal;
  };

  const run = (current: string, list: readonly Statement[]): void => {
    for (const st of list) {
      const at = { file: current, line: st.line };
      if (st.kind === 'assign') {
        if (st.op === '?=' && (vars.has(st.name) || builtin(st.name) !== undefined)) continue;
        vars.set(st.name, st.op === ':=' ? { raw: expand(st.value, at), recursive: false, at } : { raw: st.value, recursive: true, at });
      } else if (st.kind === 'export') {
        // `export VAR` defines an undefined VAR as empty, so a later `VAR ?= 0` does nothing.
        for (const name of st.names) if (!vars.has(name) && builtin(name) === undefined) vars.set(name, { raw: '', recursive: true, at });
      } else if (st.kind === 'if') {
        run(current, test(st.test, at) ? st.then : st.otherwise);
      } else {
        const path = expand(st.path, at);
        const got = read(path, at);
        if (typeof got === 'string') throw new Stop({ ...at, message: got });
        if (including.includes(got.file))
          throw new Stop({ ...at, message: `include cycle: ${[...including.slice(including.indexOf(got.file)), got.file].join(' -> ')}` });
        if (including.length > MAX_INCLUDE_DEPTH) throw new Stop({ ...at, message: 'includes nest too deeply' });
        including.push(got.file);
        run(got.file, got.statements);
        including.pop();
      }
    }
  };

  try {
    run(file, statements);
    const variables = new Map<string, { value: string; at: Source }>();
    for (const [name, v] of vars) variables.set(name, { value: v.recursive ? expand(v.raw, v.at) : v.raw, at: v.at });
    return { ok: true, value: { variables } };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, error: e.error };
    throw e;
  }
}
