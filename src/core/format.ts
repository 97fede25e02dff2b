// Small pure helpers every layer shares, defined once: how sizes are written, JSON pointers,
// the byte order OSv's tools sort in, and what a profile file may be called.

/**
 * `1,234,567`: a whole number with its thousands separated, as toLocaleString('en') writes it,
 * without Intl (whose first use loads locale data: some 15 ms before the configurator's first
 * frame).
 */
export function thousands(n: number): string {
  const whole = Math.round(n);
  if (!Number.isFinite(whole)) return String(whole);
  const digits = String(Math.abs(whole)).replace(/\B(?=(\d{3})+$)/g, ',');
  return whole < 0 ? `-${digits}` : digits;
}

/** `1,234 KiB` (whole KiB, thousands separated: the same everywhere osvconf prints a size). */
export function formatKib(n: number): string {
  return `${thousands(n)} KiB`;
}

/** `+1,234 KiB` / `-12 KiB`: a change in size. */
export function formatKibChange(n: number): string {
  return `${n >= 0 ? '+' : '-'}${thousands(Math.abs(Math.round(n)))} KiB`;
}

/** A JSON pointer (RFC 6901) from its parts: `~` and `/` escaped. */
export function jsonPointer(...parts: readonly (string | number)[]): string {
  return parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Byte order of ASCII names (C's strcmp, `sort` under LC_ALL=C): how OSv's scripts sort. */
export function bytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a profile file may be called: <name>.json / <name>.mk. */
export const PROFILE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Text from files and the command line made safe for a terminal line: control characters (a
 * newline in a profile's description, an escape sequence) shown as \\xNN, and clipped.
 */
/**
 * Text for a terminal, kept in its lines: every control character but the newline (and a tab)
 * shown as printable() shows it. The one boundary of what osvconf draws: the CLI's stdout and
 * every Text of the configurator go through it, so text from a user's file never reaches the
 * terminal as an escape sequence.
 */
export function terminalText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(text)
    ? text
        .split('\n')
        .map((line) =>
          line
            .split('\t')
            .map((part) => printable(part, Number.MAX_SAFE_INTEGER))
            .join('\t'),
        )
        .join('\n')
    : text;
}

export function printable(text: string, max = 2000): string {
  // eslint-disable-next-line no-control-regex
  // C0 and C1 controls, and the bidirectional overrides that reorder what a terminal shows.
  const shown = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) =>
    c === '\n' ? '\\n' : c.charCodeAt(0) > 0xff ? `\\u${c.charCodeAt(0).toString(16)}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return shown.length > max ? `${shown.slice(0, max)}... (${shown.length - max} more characters)` : shown;
}
