// Runs the built CLI (bin/osvconf.cjs -> dist/) as a user would, in a child process.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'osvconf.cjs');
/** OSv facts and reference outputs, kept in the repository (test/fixtures/reference/README.md). */
export const REFERENCE = join(ROOT, 'test', 'fixtures', 'reference');

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function osvconf(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] } = {}): Run {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'osvconf-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** e_machine -> arch, as conf/osvconf.json gives it (for calling the ELF reader in process). */
export const MACHINES: ReadonlyMap<number, string> = new Map(
  Object.entries((JSON.parse(readFileSync(join(ROOT, 'conf', 'osvconf.json'), 'utf8')) as { arches: Record<string, { elf_machine: number }> }).arches).map(
    ([name, a]) => [a.elf_machine, name],
  ),
);

/** Every arch the data defines (conf/osvconf.json): tests iterate this, so a new arch is data plus its files. */
export const ARCHES: readonly string[] = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'conf', 'osvconf.json'), 'utf8')) as { arches: Record<string, unknown> }).arches,
);

/** An empty directory osvconf takes for an OSv checkout (conf/profiles/ and scripts/build). */
export function osvTree(): string {
  const dir = tempDir('osv-tree-');
  mkdirSync(join(dir, 'conf', 'profiles'), { recursive: true });
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'scripts', 'build'), '#!/bin/sh\n');
  return dir;
}
