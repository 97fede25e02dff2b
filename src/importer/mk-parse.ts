// Parses the subset of GNU make that OSv's profile files use: comments, `\` line continuations,
// `[export] VAR ?= | = | := VALUE`, `export VAR...`, `include PATH`, and
// `ifeq/ifneq (A,B)` / `ifdef/ifndef VAR` with `else [if...]` / `endif`.
// Anything else is refused with its line and the construct, never guessed at.

export interface Located {
  readonly line: number;
}

export type Condition = { readonly kind: 'eq' | 'neq'; readonly a: string; readonly b: string } | { readonly kind: 'def' | 'ndef'; readonly name: string };

export type Statement =
  | (Located & { readonly kind: 'assign'; readonly name: string; readonly op: '?=' | '=' | ':='; readonly value: string })
  | (Located & { readonly kind: 'include'; readonly path: string })
  | (Located & { readonly kind: 'export'; readonly names: readonly string[] })
  | (Located & { readonly kind: 'if'; readonly test: Condition; readonly then: Statement[]; readonly otherwise: Statement[] });

export interface ParseError {
  readonly line: number;
  readonly message: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Joins `\`-continued lines (make replaces the backslash-newline and surrounding blanks by one space). */
function logicalLines(text: string): { line: number; text: string }[] {
  const physical = text.split(/\r?\n/);
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    let joined = physical[i] as string;
    while (/(^|[^\\])(\\\\)*\\$/.test(joined) && i + 1 < physical.length) {
      joined = joined.slice(0, -1).replace(/\s+$/, '') + ' ' + (physical[++i] as string).replace(/^\s+/, '');
    }
    out.push({ line: start + 1, text: joined });
  }
  return out;
}

/** Removes a comment: `#` up to the end, unless escaped as `\#`. */
function stripComment(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '#') return text.slice(0, i);
  }
  return text;
}

/** The two operands of `ifeq (a,b)`, `ifeq "a" "b"` or `ifeq 'a' 'b'`. */
function operands(rest: string): [string, string] | undefined {
  const s = rest.trim();
  if (s.startsWith('(') && s.endsWith(')')) {
    const inner = s.slice(1, -1);
    // The comma that separates them is the first one outside $( ) and ${ }.
    let depth = 0;
    for (let i = 0; i < inner.length; i++) {
      const c = inner[i];
      if (c === '(' || c === '{') depth++;
      else if (c === ')' || c === '}') depth--;
      else if (c === ',' && depth === 0) return [inner.slice(0, i).trim(), inner.slice(i + 1).trim()];
    }
    return undefined;
  }
  // Quoted operands end at their first closing quote (make does not skip over a quote inside).
  const quoted = /^(?:"([^"]*)"|'([^']*)')\s+(?:"([^"]*)"|'([^']*)')$/.exec(s);
  return quoted === null ? undefined : [(quoted[1] ?? quoted[2]) as string, (quoted[3] ?? quoted[4]) as string];
}

function condition(keyword: string, rest: string): Condition | string {
  if (keyword === 'ifeq' || keyword === 'ifneq') {
    const ops = operands(rest);
    if (ops === undefined) return `${keyword} needs (A,B), "A" "B" or 'A' 'B'`;
    return { kind: keyword === 'ifeq' ? 'eq' : 'neq', a: ops[0], b: ops[1] };
  }
  const name = rest.trim();
  if (!NAME.test(name)) return `${keyword} needs one variable name`;
  return { kind: keyword === 'ifdef' ? 'def' : 'ndef', name };
}

interface Frame {
  readonly line: number;
  readonly statement: { test: Condition; then: Statement[]; otherwise: Statement[] };
  branch: Statement[];
  inElse: boolean;
}

export const MAX_NESTING = 64;

export function parseMake(text: string): { statements: Statement[]; errors: ParseError[] } {
  const top: Statement[] = [];
  const errors: ParseError[] = [];
  const stack: Frame[] = [];
  const current = (): Statement[] => (stack.length === 0 ? top : (stack[stack.length - 1] as Frame).branch);
  const openIf = (line: number, test: Condition, into: Statement[]): Frame => {
    const statement = { kind: 'if' as const, line, test, then: [] as Statement[], otherwise: [] as Statement[] };
    into.push(statement);
    return { line, statement, branch: statement.then, inElse: false };
  };

  for (const { line, text: raw } of logicalLines(text)) {
    if (/^\t/.test(raw) && raw.trim() !== '' && !raw.trim().startsWith('#')) {
      errors.push({ line, message: `recipe line (starts with a tab): "${raw.trim()}"; a profile holds no rules` });
      continue;
    }
    // Make keeps trailing blanks in a value, even before a comment: only the leading ones go.
    const body = stripComment(raw).replace(/^\s+/, '');
    const s = body.trim();
    if (s === '') continue;
    const word = /^(\S+)\s*([\s\S]*)$/.exec(s) as RegExpExecArray;
    const keyword = word[1] as string;
    const rest = word[2] as string;

    if (keyword === 'ifeq' || keyword === 'ifneq' || keyword === 'ifdef' || keyword === 'ifndef') {
      const test = condition(keyword, rest);
      if (typeof test === 'string') errors.push({ line, message: test });
      // OSv's profiles nest conditionals one or two deep; deeper is refused, so that evaluating
      // the tree (recursive) stays bounded.
      else if (stack.length >= MAX_NESTING)
        return { statements: top, errors: [...errors, { line, message: `conditionals nested more than ${MAX_NESTING} deep` }] };
      else stack.push(openIf(line, test, current()));
      continue;
    }
    if (keyword === 'else') {
      const frame = stack[stack.length - 1];
      if (frame === undefined) {
        errors.push({ line, message: '"else" without ifeq/ifneq/ifdef/ifndef' });
        continue;
      }
      if (frame.inElse) {
        errors.push({ line, message: `a second "else" for the conditional of line ${frame.line}` });
        continue;
      }
      frame.inElse = true;
      frame.branch = frame.statement.otherwise;
      if (rest !== '') {
        // `else ifeq (...)`: a conditional nested in the else branch; it replaces the frame, so
        // that the one endif closes both.
        const inner = /^(ifeq|ifneq|ifdef|ifndef)\s*(.*)$/.exec(rest);
        if (inner === null) {
          errors.push({ line, message: `unexpected "${rest}" after else` });
          continue;
        }
        const test = condition(inner[1] as string, inner[2] as string);
        if (typeof test === 'string') {
          errors.push({ line, message: test });
          continue;
        }
        stack.pop();
        stack.push(openIf(line, test, frame.branch));
      }
      continue;
    }
    if (keyword === 'endif') {
      if (rest !== '') errors.push({ line, message: `unexpected "${rest}" after endif` });
      if (stack.pop() === undefined) errors.push({ line, message: '"endif" without ifeq/ifneq/ifdef/ifndef' });
      continue;
    }
    if (keyword === 'include' || keyword === '-include' || keyword === 'sinclude') {
      const paths = rest.split(/\s+/).filter((p) => p !== '');
      if (paths.length === 0) errors.push({ line, message: `${keyword} without a file` });
      for (const path of paths) current().push({ kind: 'include', line, path });
      continue;
    }
    const assignment = /^(?:export\s+)?([^\s:?+=!]+)\s*(\?=|:::=|::=|:=|\+=|!=|=)\s*(.*)$/s.exec(body);
    if (assignment !== null) {
      const name = assignment[1] as string;
      const op = assignment[2] as string;
      const value = (assignment[3] as string).replace(/\\#/g, '#');
      if (!NAME.test(name)) errors.push({ line, message: `"${name}" is not a variable name osvconf reads` });
      else if (op === '?=' || op === '=' || op === ':=') current().push({ kind: 'assign', line, name, op, value });
      else errors.push({ line, message: `"${op}" assignment to ${name} is not supported (only ?=, = and :=)` });
      continue;
    }
    if (keyword === 'export') {
      const names = rest.split(/\s+/).filter((n) => n !== '');
      if (names.length === 0 || !names.every((n) => NAME.test(n))) errors.push({ line, message: `unsupported: "${s}"` });
      else current().push({ kind: 'export', line, names });
      continue;
    }
    errors.push({ line, message: `unsupported make construct: "${s}"` });
  }
  for (const frame of stack) errors.push({ line: frame.line, message: 'conditional without endif' });
  return { statements: top, errors };
}
