// Reads one JSON data file and checks it against its precompiled schema validator. Every problem
// is reported as `file:line:col: /json/pointer: what is wrong`.

import { MAX_DATA_BYTES, MIB, readTextCapped } from './read-file.js';
import { relative, isAbsolute } from 'node:path';
import type { DataIssue } from '../core/catalog.js';
import { fail, ok, type Result } from '../core/result.js';
import { jsonPointer } from '../core/format.js';
import { didYouMean } from '../core/suggest.js';
import type { DataValidator } from '../generated/data-types.js';
import { lineCol, scanJson, type JsonScan } from '../core/json-locate.js';

/** A precompiled schema validator (src/generated/validators.ts; compiled with verbose: true). */
export type Validator = DataValidator<unknown>;
type SchemaError = NonNullable<Validator['errors']>[number];

export interface LoadedFile {
  readonly path: string;
  readonly text: string;
  readonly data: unknown;
}

/** A path as the user should read it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** A user's profile is a few hundred bytes; shipped data files are bigger. */
export const MAX_USER_FILE_BYTES = MIB;

function located(path: string, text: string, scan: JsonScan, issue: DataIssue): string {
  let ptr = issue.pointer;
  // Fall back to the nearest enclosing value that exists (a missing property is reported on its parent).
  while (!scan.positions.has(ptr) && ptr !== '') ptr = ptr.slice(0, ptr.lastIndexOf('/'));
  const where = lineCol(text, scan.positions.get(ptr) ?? 0);
  return `${displayPath(path)}:${where.line}:${where.col}: ${issue.pointer === '' ? '(top level)' : issue.pointer}: ${issue.message}`;
}

/** Formats issues found after loading (by core checks) with file, line and column. */
export function fileIssues<T>(file: LoadedFile, what: string, issues: readonly DataIssue[]): Result<T> {
  const scan = scanJson(file.text);
  const lines = issues.map((issue) => located(file.path, file.text, scan, issue));
  return fail(`invalid ${what} ${displayPath(file.path)}`, `fix the file; its format is described by conf/schema/`, lines);
}

function describeSchemaError(e: SchemaError): DataIssue {
  const at = e.instancePath;
  switch (e.keyword) {
    case 'required':
      return { pointer: at, message: `missing required property "${String(e.params['missingProperty'])}"` };
    case 'additionalProperties': {
      const name = String(e.params['additionalProperty']);
      const allowed = Object.keys(e.parentSchema?.properties ?? {});
      return { pointer: `${at}${jsonPointer(name)}`, message: `unknown property "${name}"${didYouMean(name, allowed)}` };
    }
    case 'enum':
      return { pointer: at, message: `must be one of ${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'propertyNames':
      return { pointer: `${at}/${String(e.params['propertyName'])}`, message: `"${String(e.params['propertyName'])}" is not an allowed name here` };
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return { pointer: at, message: 'must not be empty' };
    case 'not':
    case 'anyOf':
    case 'oneOf':
      return { pointer: at, message: e.parentSchema?.description ?? e.message ?? e.keyword };
    default:
      return { pointer: at, message: e.message ?? e.keyword };
  }
}

/**
 * Reads a data file and, given a validator, checks it against its schema. User-supplied files
 * are validated and scanned for duplicate keys (which JSON.parse would silently drop); shipped
 * files were validated when osvconf was built, and are read without either.
 */
export function readDataFile(path: string, what: string, validate?: Validator): Result<LoadedFile> {
  // Only a regular file, capped, a BOM dropped (JSON.parse would call it an unexpected character).
  const text = readTextCapped(path, what, validate === undefined ? MAX_DATA_BYTES : MAX_USER_FILE_BYTES);
  if (!text.ok) return text;
  let scan: JsonScan | undefined = validate !== undefined ? scanJson(text.value) : undefined;
  if (scan?.error !== undefined) return syntaxError(path, text.value, what, scan.error);
  let data: unknown;
  try {
    data = JSON.parse(text.value);
  } catch (e) {
    scan ??= scanJson(text.value);
    return syntaxError(path, text.value, what, scan.error ?? { offset: 0, message: (e as Error).message });
  }
  const file: LoadedFile = { path, text: text.value, data };
  if (validate !== undefined && !validate(data)) {
    const issues = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(describeSchemaError);
    return fileIssues(file, what, issues);
  }
  return ok(file);
}

function syntaxError<T>(path: string, text: string, what: string, error: { offset: number; message: string }): Result<T> {
  const where = lineCol(text, error.offset);
  return fail(`malformed ${what} ${displayPath(path)}:${where.line}:${where.col}: ${error.message}`, 'fix the JSON syntax of the file');
}
