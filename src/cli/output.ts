// What a command hands back to main.ts: text for stdout and warnings for stderr.

import type { Warning } from '../core/select.js';

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

/**
 * Text from files and the command line made safe for a terminal line: control characters (a
 * newline in a profile's description, an escape sequence) shown as \\xNN, and clipped.
 */
export function printable(text: string, max = 2000): string {
  // eslint-disable-next-line no-control-regex
  const shown = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return shown.length > max ? `${shown.slice(0, max)}... (${shown.length - max} more characters)` : shown;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
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
