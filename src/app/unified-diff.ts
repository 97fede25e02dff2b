// The unified diff of a file osvconf would change (--dry-run, the configurator's save screen).
// Kept apart so the scripted path loads the diff library only when it shows a diff.
import { createTwoFilesPatch } from 'diff';

/** `--- a/PATH` / `+++ b/PATH` hunks (`/dev/null` for a new file), with `context` lines around. */
export function unifiedDiff(path: string, before: string | undefined, after: string, context: number): string {
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${path}`, `b/${path}`, before ?? '', after, undefined, undefined, { context }).replace(
    /^=+\n/,
    '',
  );
}
