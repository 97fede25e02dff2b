// Errors are values until cli/main.ts turns them into a message and an exit code.

/** 'user': bad value, unknown name, conflict, unreadable input (exit 1). 'usage': bad command line shape (exit 2). */
export type ErrorKind = 'user' | 'usage';

/**
 * What else the user may do about a refusal, named by what changes rather than by how a front end
 * spells it: the CLI words these as its flags (cli/main.ts), the configurator in its own terms or
 * not at all (it has no --force). The hint says only what holds in every front end.
 */
export type Remedy = 'force' | 'name' | 'out';

export interface OsvError {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly hint?: string;
  readonly remedies?: readonly Remedy[];
  /** Further lines printed under the message (every conflict, every invalid field, ...). */
  readonly details?: readonly string[];
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: OsvError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(message: string, hint?: string, details?: readonly string[]): Result<T> {
  return { ok: false, error: makeError('user', message, hint, details) };
}

/** A refusal the user may also get past in ways each front end words itself (Remedy). */
export function refuse<T = never>(message: string, hint: string | undefined, remedies: readonly Remedy[]): Result<T> {
  return { ok: false, error: { ...makeError('user', message, hint), ...(remedies.length === 0 ? {} : { remedies }) } };
}

export function usage<T = never>(message: string, hint?: string): Result<T> {
  return { ok: false, error: makeError('usage', message, hint) };
}

export function makeError(kind: ErrorKind, message: string, hint?: string, details?: readonly string[]): OsvError {
  return {
    kind,
    message,
    ...(hint === undefined ? {} : { hint }),
    ...(details === undefined || details.length === 0 ? {} : { details }),
  };
}
