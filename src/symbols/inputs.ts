// The app's ELF files from the command line: files, directories (searched for ELF files) and
// usr.manifest-style lists (`/guest/path: host/path`, host paths relative to the list).

import { lstatSync, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MAX_LIST_BYTES, readBytesCapped, readTextCapped } from '../io/read-file.js';
import { fail, ok, type Result } from '../core/result.js';

/** An app file bigger than this is not read (it would be read whole into memory). */
const MAX_ELF_BYTES = 1 << 30;

function isElf(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32BE(0) === 0x7f454c46;
  } finally {
    closeSync(fd);
  }
}

/** How deep and how wide a directory of app files is searched (no recursion a tree controls). */
const MAX_SCAN_DEPTH = 64;
const MAX_SCAN_ENTRIES = 200_000;

/** Regular ELF files below a directory, in sorted depth-first order; symlinks are not followed. Iterative. */
function scan(dir: string): Result<string[]> {
  const found: string[] = [];
  const list = (d: string): string[] => {
    try {
      return readdirSync(d).sort();
    } catch {
      return []; // vanished or unreadable: nothing we can use
    }
  };
  const stack: { path: string; names: string[]; next: number }[] = [{ path: dir, names: list(dir), next: 0 }];
  let seen = 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { path: string; names: string[]; next: number };
    if (top.next >= top.names.length) {
      stack.pop();
      continue;
    }
    const p = join(top.path, top.names[top.next++] as string);
    if (++seen > MAX_SCAN_ENTRIES) return fail(`${dir}: more than ${MAX_SCAN_ENTRIES} entries below it`, 'give the directory of the app itself');
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (stack.length >= MAX_SCAN_DEPTH) return fail(`${p}: directories nested more than ${MAX_SCAN_DEPTH} deep`, 'give the directory of the app itself');
      stack.push({ path: p, names: list(p), next: 0 });
    } else if (st.isFile() && st.size >= 4 && isElf(p)) found.push(p);
  }
  return ok(found);
}

function fromManifest(path: string): Result<string[]> {
  const base = dirname(path);
  const files: string[] = [];
  const read = readTextCapped(path, 'manifest', MAX_LIST_BYTES);
  if (!read.ok) return read;
  const lines = read.value.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line === '[manifest]') continue;
    const colon = line.indexOf(': ');
    if (colon < 0) return fail(`${path}:${i + 1}: not a manifest line "guest/path: host/path": "${line}"`);
    const host = line.slice(colon + 2).trim();
    if (host.startsWith('->')) continue; // a symlink inside the image
    if (/\$\{|%\(|^&/.test(host))
      return fail(
        `${path}:${i + 1}: "${host}": variables and & shorthands of OSv's module manifests are not expanded`,
        'give the built files, e.g. a directory, instead',
      );
    const target = resolve(base, host.replace(/\/\*\*$/, ''));
    let st;
    try {
      st = statSync(target);
    } catch {
      return fail(`${path}:${i + 1}: ${host}: no such file`);
    }
    if (st.isDirectory()) {
      const found = scan(target);
      if (!found.ok) return found;
      files.push(...found.value);
    } else if (st.isFile() && st.size >= 4 && isElf(target)) files.push(target);
  }
  return ok(files);
}

/** Every ELF file the arguments name, each once. */
export function collectInputs(args: readonly string[]): Result<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    let st;
    try {
      st = statSync(arg);
    } catch {
      return fail(`${arg}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const found = scan(arg);
      if (!found.ok) return found;
      if (found.value.length === 0) return fail(`${arg}: no ELF files in this directory`);
      files.push(...found.value);
    } else if (arg.endsWith('.manifest')) {
      const listed = fromManifest(arg);
      if (!listed.ok) return listed;
      files.push(...listed.value);
    } else if (!st.isFile()) {
      return fail(`${arg}: not a regular file (a pipe, socket or device)`, "give the app's ELF files or the directory holding them");
    } else if (st.size > MAX_ELF_BYTES) {
      return fail(`${arg}: ${st.size} bytes is too big for an app file`);
    } else files.push(arg);
  }
  return ok([...new Set(files)]);
}

export function readBytes(path: string): Result<Uint8Array> {
  return readBytesCapped(path, 'ELF file', MAX_ELF_BYTES);
}
