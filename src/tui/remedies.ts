// An error as the configurator says it: its message and hint, and of its remedies
// (core/result.ts) the one the configurator offers (another custom profile name is a setting of
// its own). It has no --force, and it writes into the tree it was started on.
import type { OsvError, Remedy } from '../core/result.js';

const OFFERED: Partial<Record<Remedy, string>> = { name: 'choose another Custom profile name' };

/** The hint with the remedies the configurator offers, or undefined. */
export function hintOf(e: OsvError): string | undefined {
  const all = [...(e.hint === undefined ? [] : [e.hint]), ...(e.remedies ?? []).flatMap((r) => OFFERED[r] ?? [])];
  return all.length === 0 ? undefined : all.join(', or ');
}

/** One status line: the message and, when there is one, the hint. */
export function sayError(e: OsvError): string {
  const hint = hintOf(e);
  return hint === undefined ? e.message : `${e.message} (${hint})`;
}
