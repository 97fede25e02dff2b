// Node 20's JSON.parse says what is wrong but not where. This scanner finds where: the offset of
// a syntax error, and the offset of every value by JSON pointer (so a schema error can name its
// line). It also reports duplicate keys, which JSON.parse silently resolves to the last one.
// Only used on data files, and on the fast path only for user-supplied ones.

import { jsonPointer } from './format.js';

export interface JsonScan {
  /** Offset of each value (for object members: of its key) by JSON pointer; '' is the root. */
  readonly positions: ReadonlyMap<string, number>;
  readonly error?: { readonly offset: number; readonly message: string };
}

export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

class ScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** How deep a data file may nest (osvconf's own files nest a few levels). */
export const MAX_JSON_DEPTH = 64;

export function scanJson(text: string): JsonScan {
  const positions = new Map<string, number>();
  let i = 0;
  const describe = (at: number): string => (at >= text.length ? 'end of file' : `"${text[at]}"`);
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const expect = (ch: string, what: string): void => {
    ws();
    if (text[i] !== ch) throw new ScanError(i, `expected ${what}, found ${describe(i)}`);
    i++;
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new ScanError(i, 'bad \\u escape in string');
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === undefined || map[e] === undefined) throw new ScanError(i, 'bad escape in string');
        out += map[e];
        i += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw new ScanError(i, 'control character in string (unterminated string?)');
      out += c;
      i++;
    }
    throw new ScanError(start, 'unterminated string');
  };
  /** The members of an object or the elements of an array, up to `close`, commas between. */
  const sequence = (close: string, item: (index: number) => void): void => {
    i++; // the opening bracket
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (let n = 0; ; n++) {
      item(n);
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') throw new ScanError(i, `expected "," or "${close}", found ${describe(i)}`);
      i++;
      ws();
      if (text[i] === close) throw new ScanError(i, `trailing comma before "${close}"`);
    }
  };
  // The data files nest a few levels; deeper nesting is refused before it costs stack or the
  // quadratic memory of long JSON pointers.
  const value = (path: string, depth: number): void => {
    ws();
    if (depth > MAX_JSON_DEPTH) throw new ScanError(i, `values nested more than ${MAX_JSON_DEPTH} deep`);
    if (!positions.has(path)) positions.set(path, i);
    const c = text[i];
    if (c === '{') {
      const keys = new Set<string>();
      sequence('}', () => {
        ws();
        if (text[i] !== '"') throw new ScanError(i, `expected a property name in double quotes, found ${describe(i)}`);
        const keyAt = i;
        const key = string();
        if (keys.has(key)) throw new ScanError(keyAt, `duplicate key "${key}"`);
        keys.add(key);
        const child = `${path}${jsonPointer(key)}`;
        positions.set(child, keyAt);
        expect(':', '":"');
        value(child, depth + 1);
      });
      return;
    }
    if (c === '[') {
      sequence(']', (n) => value(`${path}/${n}`, depth + 1));
      return;
    }
    if (c === '"') {
      string();
      return;
    }
    LITERAL.lastIndex = i;
    const literal = LITERAL.exec(text);
    if (literal === null) throw new ScanError(i, `unexpected ${describe(i)}`);
    i += literal[0].length;
  };
  try {
    value('', 0);
    ws();
    if (i < text.length) throw new ScanError(i, `unexpected ${describe(i)} after the end of the JSON value`);
    return { positions };
  } catch (e) {
    if (e instanceof ScanError) return { positions, error: { offset: e.offset, message: e.message } };
    throw e;
  }
}
