// Writes a set of rendered files as one plan (DESIGN §9): everything is rendered before this is
// called; files whose bytes are unchanged are not touched (make must not rebuild); changed ones are
// written to a temp file beside the target and renamed over it, all temps first, so that a failure
// leaves nothing half-written.

import { mkdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fail, ok, type Result } from '../core/result.js';

export interface PlannedFile {
  /** Relative to the output root, with / separators. */
  readonly path: string;
  readonly content: string;
}

export type FileStatus = 'wrote' | 'unchanged';

export interface FileOutcome {
  readonly path: string;
  readonly status: FileStatus;
  /** What is on disk now, when the file exists (for --dry-run diffs). */
  readonly before?: string;
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a parent of it is a file, not a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return (e as Error).message;
  }
}

function kindOf(path: string): 'missing' | 'file' | 'dir' | 'other' {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/** Compares the plan with the disk without writing anything. */
export function comparePlan(root: string, files: readonly PlannedFile[]): Result<FileOutcome[]> {
  const rootKind = kindOf(root);
  if (rootKind === 'file' || rootKind === 'other') return fail(`cannot write to ${root}: it is a file, not a directory`, 'give --out a directory (it is created if missing)');
  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    const target = join(root, file.path);
    const kind = kindOf(target);
    if (kind === 'dir' || kind === 'other') return fail(`cannot write ${target}: it is a directory`, 'remove it or choose another --out');
    if (kind === 'missing') {
      outcomes.push({ path: file.path, status: 'wrote' });
      continue;
    }
    let before: string;
    try {
      before = readFileSync(target, 'utf8');
    } catch (e) {
      return fail(`cannot read ${target}: ${reason(e)}`);
    }
    outcomes.push({ path: file.path, status: before === file.content ? 'unchanged' : 'wrote', before });
  }
  return ok(outcomes);
}

export function writePlan(root: string, files: readonly PlannedFile[]): Result<FileOutcome[]> {
  const compared = comparePlan(root, files);
  if (!compared.ok) return compared;
  const changed = files.filter((_, i) => compared.value[i]?.status === 'wrote');
  const createdDirs: string[] = [];
  const temps: { temp: string; target: string }[] = [];
  const undo = (): void => {
    for (const t of temps) rmSync(t.temp, { force: true });
    for (const d of createdDirs.reverse()) rmSync(d, { recursive: true, force: true });
  };
  let current = root;
  try {
    for (const file of changed) {
      const target = join(root, file.path);
      current = dirname(target);
      const made = mkdirSync(dirname(target), { recursive: true });
      if (made !== undefined) createdDirs.push(made);
      const temp = join(dirname(target), `.${basename(target)}.osvconf-${process.pid}.tmp`);
      temps.push({ temp, target });
      writeFileSync(temp, file.content);
    }
  } catch (e) {
    undo();
    return fail(`cannot write to ${current}: ${reason(e)}`, 'choose a writable --out directory; nothing was written');
  }
  for (const [i, t] of temps.entries()) {
    try {
      renameSync(t.temp, t.target);
    } catch (e) {
      for (const rest of temps.slice(i)) {
        try {
          unlinkSync(rest.temp);
        } catch {
          // already gone
        }
      }
      return fail(`cannot write ${t.target}: ${reason(e)}`, i === 0 ? 'nothing was written' : `${i} of ${temps.length} files were already replaced`);
    }
  }
  return compared;
}
