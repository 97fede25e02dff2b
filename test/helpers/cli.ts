// Runs the built CLI (bin/osvconf.cjs -> dist/) as a user would, in a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
