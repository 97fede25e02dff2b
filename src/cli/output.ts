// What a command hands back to main.ts: text for stdout and warnings for stderr.

import type { Warning } from '../core/select.js';
import { printable } from '../core/format.js';

export interface CommandOutput {
  readonly stdout: string;
  readonly warnings: readonly Warning[];
  /** Files were written before stdout was (so a lost report does not mean nothing happened). */
  readonly wroteFiles?: boolean;
}

export function output(stdout: string, warnings: readonly Warning[] = [], wroteFiles = false): CommandOutput {
  return wroteFiles ? { stdout, warnings, wroteFiles } : { stdout, warnings };
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export { printable };

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((r) => r.map((cell) => printable(cell, 300)));
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return (
    all
      .map((r) =>
        r
          .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] as number)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
