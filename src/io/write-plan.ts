// Writes a set of rendered files into a tree as one plan (DESIGN §9). Everything is rendered
// before this is called. The rules, because the tree is the user's:
// - unchanged files are not touched (make must not rebuild);
// - only files osvconf wrote are replaced (each planned file says how to recognise its own
//   kind), never a symbolic link, never a read-only file (unless forced), never through a
//   directory symlink that leads outside the tree;
// - one writer at a time per tree (a lock file holding the writer's pid; a dead writer's lock is
//   taken over);
// - the set is all-old or all-new: temps are written first (exclusive create, random names,
//   the old file's mode and owner), then a journal naming every rename, then the renames. A run
//   killed after the journal is completed by the next run; one killed before it leaves temps
//   that the next run removes. A rename failing half-way puts the old files back;
// - on failure only what this run created is removed, directories only when empty.

import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fail, ok, refuse, type Result } from '../core/result.js';
import { errnoWords, MIB, readBytesCapped, readTextCapped } from './read-file.js';

export interface PlannedFile {
  /** Relative to the output root, with / separators. */
  readonly path: string;
  readonly content: string;
  /** True when an existing file's text shows osvconf wrote it (only such a file is replaced). */
  readonly owns: (existing: string) => boolean;
  /** Its path comes from the custom profile's name: another name is a way past a foreign file. */
  readonly namedByProfile?: true;
}

export interface WriteOptions {
  /** Replace files osvconf did not write, and read-only ones. */
  readonly force?: boolean;
}

export type FileStatus = 'wrote' | 'unchanged';

export interface FileOutcome {
  readonly path: string;
  readonly status: FileStatus;
  /** What is on disk now, when the file exists (for --dry-run diffs). */
  readonly before?: string;
}

const LOCK = '.osvconf.lock';
const JOURNAL = '.osvconf.journal';
const MAX_EXISTING_BYTES = 16 * MIB;
const LOCK_WAIT_MS = 60_000;
const TEMP = /^\..+\.osvconf-\d+-[0-9a-f]+\.(tmp|old)$/;

function lstat(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** The nearest existing ancestor of a path (the path itself when it exists). */
function existingAncestor(path: string): string {
  let p = path;
  while (lstat(p) === undefined && dirname(p) !== p) p = dirname(p);
  return p;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Where writing `target` would really land must be inside the tree's real path. */
function checkPlace(rootReal: string, root: string, target: string): Result<void> {
  const ancestor = existingAncestor(dirname(target));
  let real: string;
  try {
    real = realpathSync(ancestor);
  } catch (e) {
    if (lstat(ancestor)?.isSymbolicLink() === true)
      return refuse(`cannot write ${target}: ${ancestor} is a symbolic link that leads nowhere`, 'remove the link', ['out']);
    return fail(`cannot write ${target}: ${errnoWords(e)}`);
  }
  if (!inside(rootReal, real)) {
    return refuse(
      `cannot write ${target}: ${relative(root, ancestor) || ancestor} is a symbolic link that leads outside the tree (to ${real})`,
      'osvconf writes only inside the real path of the tree: remove the link',
      ['out'],
    );
  }
  return ok(undefined);
}

function readExisting(target: string, st: Stats): Result<string> {
  if (st.size > MAX_EXISTING_BYTES) return refuse(`cannot replace ${target}: ${st.size} bytes is not a file osvconf wrote`, 'move it away', ['force']);
  // Bytes as they are (no BOM dropped): they are compared with the plan exactly.
  const bytes = readBytesCapped(target, 'file', MAX_EXISTING_BYTES, { noFollow: true });
  return bytes.ok ? ok(bytes.value.toString('utf8')) : bytes;
}

interface Compared extends FileOutcome {
  readonly stats?: Stats;
}

function compare(root: string, files: readonly PlannedFile[], options: WriteOptions): Result<Compared[]> {
  // The root itself may be a symbolic link (~/osv -> /data/osv): the user named it.
  let rootStat: Stats | undefined;
  try {
    rootStat = statSync(root);
  } catch {
    rootStat = undefined;
  }
  if (rootStat !== undefined && !rootStat.isDirectory()) return refuse(`cannot write to ${root}: it is a file, not a directory`, undefined, ['out']);
  let rootReal: string | undefined;
  try {
    rootReal = rootStat === undefined ? undefined : realpathSync(root);
  } catch (e) {
    return fail(`cannot write to ${root}: ${errnoWords(e)}`);
  }
  const outcomes: Compared[] = [];
  for (const file of files) {
    const target = join(root, file.path);
    const place = rootReal === undefined ? ok(undefined) : checkPlace(rootReal, root, target);
    if (!place.ok) return place;
    const st = lstat(target);
    if (st === undefined) {
      outcomes.push({ path: file.path, status: 'wrote' });
      continue;
    }
    if (st.isSymbolicLink()) return refuse(`cannot write ${target}: it is a symbolic link, which osvconf does not replace`, 'remove the link', ['out']);
    if (st.isDirectory()) return refuse(`cannot write ${target}: it is a directory`, 'remove it', ['out']);
    if (!st.isFile()) return refuse(`cannot write ${target}: it is not a regular file (a pipe, socket or device)`, 'remove it', ['out']);
    const before = readExisting(target, st);
    if (!before.ok) return before;
    if (before.value === file.content) {
      outcomes.push({ path: file.path, status: 'unchanged', before: before.value });
      continue;
    }
    if (options.force !== true) {
      if (!file.owns(before.value))
        return refuse(`${target} exists and was not written by osvconf: not replaced`, 'move it away', file.namedByProfile ? ['name', 'force'] : ['force']);
      if ((st.mode & 0o200) === 0) return refuse(`${target} is read-only: not replaced`, 'make it writable', ['force']);
    }
    outcomes.push({ path: file.path, status: 'wrote', before: before.value, stats: st });
  }
  return ok(outcomes);
}

/** Compares the plan with the disk without writing anything. */
export function comparePlan(root: string, files: readonly PlannedFile[], options: WriteOptions = {}): Result<FileOutcome[]> {
  const compared = compare(root, files, options);
  return compared.ok ? ok(compared.value.map(({ stats: _, ...o }) => o)) : compared;
}

// --- the lock and the journal -------------------------------------------------------------------

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Reads one of osvconf's own small files (lock, journal): a regular file, capped, or an error. */
function readOwnFile(path: string): Result<string | undefined> {
  if (lstat(path) === undefined) return ok(undefined);
  const text = readTextCapped(path, 'osvconf file', MIB);
  return text.ok ? text : fail(`${text.error.message}`, `remove ${path}: osvconf did not leave it`);
}

/** Removes a dead writer's lock, if this process wins the takeover and the lock is still that one. */
function takeOver(root: string, lockPath: string, stale: string): boolean {
  const guard = join(root, `${LOCK}.takeover`);
  try {
    const fd = openSync(guard, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
  } catch {
    // Another waiter is taking over; a guard left by a waiter that died goes too.
    const other = readOwnFile(guard);
    const pid = other.ok && other.value !== undefined && /^\d+\n$/.test(other.value) ? Number(other.value) : NaN;
    if (other.ok && other.value !== undefined && (!Number.isSafeInteger(pid) || !alive(pid))) quietUnlink(guard);
    return false;
  }
  try {
    const again = readOwnFile(lockPath);
    if (again.ok && again.value === stale) quietUnlink(lockPath);
  } finally {
    quietUnlink(guard);
  }
  return true;
}

function takeLock(root: string): Result<() => void> {
  const path = join(root, LOCK);
  const deadline = Date.now() + LOCK_WAIT_MS;
  // The pid is written first, then the lock appears at once by link(): a lock without a pid is
  // never osvconf's.
  const mine = join(root, `${LOCK}.${process.pid}.tmp`);
  quietUnlink(mine);
  try {
    const fd = openSync(mine, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
  } catch (e) {
    return refuse(`cannot lock ${root} for writing: ${errnoWords(e)}; nothing was written`, undefined, ['out']);
  }
  try {
    for (;;) {
      try {
        linkSync(mine, path);
        return ok(() => quietUnlink(path));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
          return refuse(`cannot lock ${root} for writing: ${errnoWords(e)}; nothing was written`, undefined, ['out']);
      }
      const held = readOwnFile(path);
      if (!held.ok) return held;
      if (held.value === undefined) continue; // released meanwhile
      const holder = /^\d+\n$/.test(held.value) ? Number(held.value) : NaN;
      if (!Number.isSafeInteger(holder) || holder <= 0) return fail(`${path} is not a lock osvconf wrote`, `remove it if no osvconf runs`);
      if (!alive(holder)) {
        // The writer died (killed): its lock is stale. One waiter at a time takes it over (the
        // takeover file, created exclusively), so that two cannot both remove it and both write.
        if (!takeOver(root, path, held.value)) pause(5); // another waiter is on it
        continue;
      }
      if (Date.now() > deadline) return fail(`another osvconf (pid ${holder}) is writing into ${root}`, `wait for it, or remove ${path} if no osvconf runs`);
      pause(20);
    }
  } finally {
    quietUnlink(mine);
  }
}

interface Step {
  readonly temp: string;
  readonly target: string;
  /** A hard link to the old file, kept until every rename is done. */
  readonly backup?: string;
}

function writeJournal(root: string, steps: readonly Step[]): void {
  const path = join(root, JOURNAL);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    writeSync(
      fd,
      JSON.stringify(
        steps.map((s) => ({
          temp: relative(root, s.temp),
          target: relative(root, s.target),
          ...(s.backup === undefined ? {} : { backup: relative(root, s.backup) }),
        })),
      ),
    );
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

const quietUnlink = (path: string): void => {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
};

/**
 * Finishes what a killed run left, under the lock, so that its set of files ends all-new or
 * all-old. A journal is osvconf's only if it reads as one, and it is trusted no further than a
 * plan: it is rolled forward only when every file it still has to rename is one the current plan
 * writes too, where that file may be written (inside the tree's real path, no symbolic link, a
 * file osvconf wrote). Otherwise it is rolled back: the files already renamed get their backups
 * back (or go, when they were new), the temps go. Then temps and backups of ours in the plan's
 * folders are removed, whoever left them (no other osvconf runs: we hold the lock).
 */
function recover(root: string, files: readonly PlannedFile[], options: WriteOptions, rootReal: string): Result<void> {
  const journal = join(root, JOURNAL);
  const read = readOwnFile(journal);
  if (!read.ok) return read;
  let parsed: unknown = [];
  try {
    parsed = read.value === undefined ? [] : JSON.parse(read.value);
  } catch {
    parsed = []; // torn or foreign: nothing in it is acted on
  }
  const planned = new Map(files.map((f) => [f.path, f]));
  const ours = (path: string): boolean => TEMP.test(basename(path)) && inside(rootReal, realDir(path));
  // Only entries that name our own side files next to a target inside the tree are acted on.
  const steps: Step[] = [];
  for (const s of Array.isArray(parsed) ? (parsed as { temp?: unknown; target?: unknown; backup?: unknown }[]) : []) {
    if (typeof s?.temp !== 'string' || typeof s.target !== 'string') continue;
    const temp = join(root, s.temp);
    const target = join(root, s.target);
    const backup = typeof s.backup === 'string' ? join(root, s.backup) : undefined;
    if (!inside(root, temp) || !inside(root, target) || !ours(temp) || dirname(temp) !== dirname(target)) continue;
    if (backup !== undefined && (!ours(backup) || dirname(backup) !== dirname(target))) continue;
    if (!checkPlace(rootReal, root, target).ok || lstat(target)?.isSymbolicLink() === true) continue;
    steps.push({ temp, target, ...(backup === undefined ? {} : { backup }) });
  }
  const pending = steps.filter((s) => lstat(s.temp)?.isFile() === true);
  const trusted = (s: Step): boolean => {
    const file = planned.get(relative(root, s.target).split(sep).join('/'));
    if (file === undefined) return false;
    const st = lstat(s.target);
    if (st === undefined) return true;
    if (!st.isFile()) return false;
    if (options.force === true) return true;
    const existing = readExisting(s.target, st);
    return existing.ok && file.owns(existing.value);
  };
  if (pending.every(trusted)) {
    for (const s of pending) {
      try {
        renameSync(s.temp, s.target);
      } catch {
        quietUnlink(s.temp);
      }
    }
  } else {
    for (const s of steps) {
      if (lstat(s.temp)?.isFile() === true)
        quietUnlink(s.temp); // not renamed yet: the old file is still there
      else if (s.backup !== undefined && lstat(s.backup)?.isFile() === true) {
        try {
          renameSync(s.backup, s.target);
        } catch {
          // left as it is; the backup is removed below
        }
      } else if (s.backup === undefined) quietUnlink(s.target); // it was new
    }
  }
  for (const s of steps) if (s.backup !== undefined) quietUnlink(s.backup);
  quietUnlink(journal);
  for (const dir of new Set([resolve(root), ...files.map((f) => dirname(join(resolve(root), f.path)))])) {
    if (!inside(rootReal, realDir(join(dir, 'x')))) continue;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const e of entries) {
      const lockTemp = /^\.osvconf\.lock\.(\d+)\.tmp$/.exec(e);
      // A lock temp belongs to a writer waiting for the lock, unless that writer is gone.
      if (TEMP.test(e) || /^\.osvconf\.journal\.\d+\.tmp$/.test(e) || (lockTemp !== null && !alive(Number(lockTemp[1])))) quietUnlink(join(dir, e));
    }
  }
  return ok(undefined);
}

/** The real path of the folder a path is in ('' when it cannot be resolved). */
function realDir(path: string): string {
  try {
    return realpathSync(dirname(path));
  } catch {
    return '';
  }
}

// --- writing ----------------------------------------------------------------------------------

/**
 * Fault injection for the crash tests: OSVCONF_KILL_AT=N kills this process with SIGKILL at the
 * N-th step of the write phase (each temp written, the journal, each rename), so that every
 * point where a real kill could land is tested deterministically.
 */
const killAt = Number(process.env['OSVCONF_KILL_AT'] ?? 'NaN');
let step = 0;
function checkpoint(): void {
  if (++step === killAt) process.kill(process.pid, 'SIGKILL');
}

/** Creates the missing directories of a path one by one, remembering each it made. */
function makeDirs(dir: string, created: string[]): void {
  const missing: string[] = [];
  for (let p = dir; lstat(p) === undefined && dirname(p) !== p; p = dirname(p)) missing.unshift(p);
  for (const p of missing) {
    mkdirSync(p);
    created.push(p);
  }
}

/**
 * A name for a temp or backup beside the target. It need not be secret: files are created with
 * O_EXCL|O_NOFOLLOW, so a name someone planted fails instead of being written through (and
 * node:crypto would cost the scripted path its start-up time).
 */
function sideName(target: string, kind: 'tmp' | 'old'): string {
  const tag = Math.floor(Math.random() * 0xffffffffffff)
    .toString(16)
    .padStart(12, '0');
  return join(dirname(target), `.${basename(target)}.osvconf-${process.pid}-${tag}.${kind}`);
}

function writeTemp(target: string, content: string, old: Stats | undefined): string {
  const temp = sideName(target, 'tmp');
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, old === undefined ? 0o666 : old.mode & 0o7777);
  try {
    if (old !== undefined) {
      fchmodSync(fd, old.mode & 0o7777);
      if (process.getuid?.() === 0) fchownSync(fd, old.uid, old.gid);
    }
    const bytes = Buffer.from(content, 'utf8');
    for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    quietUnlink(temp);
    throw e;
  }
  closeSync(fd);
  return temp;
}

export function writePlan(root: string, files: readonly PlannedFile[], options: WriteOptions = {}): Result<FileOutcome[]> {
  const createdDirs: string[] = [];
  const removeCreatedDirs = (): void => {
    for (const d of [...createdDirs].reverse()) {
      try {
        rmdirSync(d); // only when empty: another process may have put files there meanwhile
      } catch {
        // not empty, or gone
      }
    }
  };
  const precheck = compare(root, files, options);
  if (!precheck.ok) return precheck;
  try {
    makeDirs(resolve(root), createdDirs);
  } catch (e) {
    return refuse(`cannot write to ${root}: ${errnoWords(e)}; nothing was written`, undefined, ['out']);
  }
  const lock = takeLock(root);
  if (!lock.ok) {
    removeCreatedDirs();
    return lock;
  }
  try {
    const recovered = recover(root, files, options, realpathSync(root));
    if (!recovered.ok) return recovered;
    // Compared again under the lock: another writer may have finished meanwhile.
    const compared = compare(root, files, options);
    if (!compared.ok) return compared;
    const steps: Step[] = [];
    let current = root;
    try {
      for (const [i, o] of compared.value.entries()) {
        if (o.status !== 'wrote') continue;
        const target = join(root, o.path);
        current = dirname(target);
        makeDirs(dirname(target), createdDirs);
        const temp = writeTemp(target, (files[i] as PlannedFile).content, o.stats);
        let backup: string | undefined;
        if (o.stats !== undefined) {
          backup = sideName(target, 'old');
          linkSync(target, backup);
        }
        steps.push({ temp, target, ...(backup === undefined ? {} : { backup }) });
        checkpoint();
      }
      if (steps.length > 0) writeJournal(root, steps);
      checkpoint();
    } catch (e) {
      for (const s of steps) {
        quietUnlink(s.temp);
        if (s.backup !== undefined) quietUnlink(s.backup);
      }
      removeCreatedDirs();
      return refuse(`cannot write to ${current}: ${errnoWords(e)}; nothing was written`, undefined, ['out']);
    }
    for (const [i, s] of steps.entries()) {
      try {
        renameSync(s.temp, s.target);
        checkpoint();
      } catch (e) {
        // Put the old files back: the set stays all-old. A backup that cannot go back is kept
        // and named, so that nothing is lost.
        const unrestored: string[] = [];
        for (const done of steps.slice(0, i)) {
          try {
            if (done.backup !== undefined) renameSync(done.backup, done.target);
            else unlinkSync(done.target);
          } catch {
            unrestored.push(done.backup === undefined ? done.target : `${done.target} (the old file is ${done.backup})`);
          }
        }
        for (const rest of steps.slice(i)) quietUnlink(rest.temp);
        for (const st of steps) if (st.backup !== undefined && !unrestored.some((u) => u.includes(st.backup as string))) quietUnlink(st.backup);
        quietUnlink(join(root, JOURNAL));
        removeCreatedDirs();
        if (unrestored.length > 0)
          return fail(
            `cannot write ${s.target}: ${errnoWords(e)}`,
            'some files could not be put back',
            unrestored.map((u) => `not restored: ${u}`),
          );
        return fail(`cannot write ${s.target}: ${errnoWords(e)}`, 'nothing was changed: the files already replaced were put back');
      }
    }
    for (const s of steps) if (s.backup !== undefined) quietUnlink(s.backup);
    quietUnlink(join(root, JOURNAL));
    return ok(compared.value.map(({ stats: _, ...o }) => o));
  } finally {
    lock.value();
  }
}
