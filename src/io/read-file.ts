// The one way osvconf reads a user's file: only a regular file (a FIFO or a device is refused
// before anything blocks on it), never more than a cap, and every failure in words that name the
// file. Opening with O_NONBLOCK keeps open() of a FIFO from waiting for a writer.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fail, ok, type Result } from '../core/result.js';

/** errno to words, for messages that say what is wrong with a path. */
export function errnoWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a parent of it is a file, not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'EEXIST':
      return 'it already exists';
    case 'EBADF':
      return 'the stream is closed';
    default:
      return code ?? (e as Error).message;
  }
}

export const MIB = 1024 * 1024;
/** Caps on what osvconf reads (the README lists them). */
export const MAX_VERSION_SCRIPT_BYTES = 16 * MIB;
export const MAX_LIST_BYTES = 16 * MIB;
export const MAX_DATA_BYTES = 16 * MIB;

/** noFollow: refuse a symbolic link at the path itself (a file swapped for a link after a check). */
export function readBytesCapped(path: string, what: string, maxBytes: number, options: { noFollow?: boolean } = {}): Result<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow === true ? constants.O_NOFOLLOW : 0));
  } catch (e) {
    return fail(`cannot read ${what} ${path}: ${errnoWords(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return fail(`cannot read ${what} ${path}: it is a directory`, `give a file`);
    if (!st.isFile()) return fail(`cannot read ${what} ${path}: it is not a regular file`, 'osvconf reads only regular files (not pipes or devices)');
    if (st.size > maxBytes) return fail(`${what} ${path} is too big (${st.size} bytes; the limit is ${maxBytes})`);
    const buffer = Buffer.alloc(st.size);
    let done = 0;
    while (done < st.size) {
      const n = readSync(fd, buffer, done, st.size - done, done);
      if (n === 0) break;
      done += n;
    }
    return ok(buffer.subarray(0, done));
  } catch (e) {
    return fail(`cannot read ${what} ${path}: ${errnoWords(e)}`);
  } finally {
    closeSync(fd);
  }
}

export function readTextCapped(path: string, what: string, maxBytes: number): Result<string> {
  const bytes = readBytesCapped(path, what, maxBytes);
  if (!bytes.ok) return bytes;
  let text = bytes.value.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return ok(text);
}
