// The app's ELF files from the command line: files, directories (searched for ELF files) and
// usr.manifest-style lists (`/guest/path: host/path`, host paths relative to the list).

import { lstatSync, openSync, readFileSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/** Regular ELF files below a directory, in a stable order; symlinks are not followed. */
function scan(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && st.size >= 4 && isElf(p)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

function fromManifest(path: string): Result<string[]> {
  const base = dirname(path);
  const files: string[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line === '[manifest]') continue;
    const colon = line.indexOf(': ');
    if (colon < 0) return fail(`${path}:${i + 1}: not a manifest line "guest/path: host/path": "${line}"`);
    const host = line.slice(colon + 2).trim();
    if (host.startsWith('->')) continue; // a symlink inside the image
    if (/\$\{|%\(|^&/.test(host)) return fail(`${path}:${i + 1}: "${host}": variables and & shorthands of OSv's module manifests are not expanded`, 'give the built files, e.g. a directory, instead');
    const target = resolve(base, host.replace(/\/\*\*$/, ''));
    let st;
    try {
      st = statSync(target);
    } catch {
      return fail(`${path}:${i + 1}: ${host}: no such file`);
    }
    if (st.isDirectory()) files.push(...scan(target));
    else if (st.isFile() && st.size >= 4 && isElf(target)) files.push(target);
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
      if (found.length === 0) return fail(`${arg}: no ELF files in this directory`);
      files.push(...found);
    } else if (arg.endsWith('.manifest')) {
      const listed = fromManifest(arg);
      if (!listed.ok) return listed;
      files.push(...listed.value);
    } else if (st.size > MAX_ELF_BYTES) {
      return fail(`${arg}: ${st.size} bytes is too big for an app file`);
    } else files.push(arg);
  }
  return ok([...new Set(files)]);
}

export function readBytes(path: string): Result<Uint8Array> {
  try {
    return ok(readFileSync(path));
  } catch (e) {
    return fail(`${path}: cannot read it: ${(e as Error).message}`);
  }
}
