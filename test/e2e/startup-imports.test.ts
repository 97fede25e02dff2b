// The scripted path must stay fast: it may not load ink or react (the TUI), nor ejs or ajv's
// compiler (templates and validators are precompiled at build time).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, osvconf, tempDir } from '../helpers/cli.js';

function traced(args: string[]): string[] {
  const file = join(tempDir(), 'imports.txt');
  const run = osvconf(args, { env: { ...process.env, OSVCONF_TRACE_IMPORTS: file }, nodeArgs: ['--import', join(ROOT, 'test', 'fixtures', 'trace-imports.mjs')] });
  expect(run.code, run.stderr).toBe(0);
  return readFileSync(file, 'utf8').trim().split('\n');
}

describe('modules loaded by the scripted CLI', () => {
  for (const args of [['--profile=virtio-pci', '--print=drivers_config.h'], ['list', 'drivers'], ['explain', 'conf_drivers_pci']]) {
    it(args.join(' '), () => {
      const loaded = traced(args);
      // The trace works: it sees the CLI's own modules.
      expect(loaded.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true);
      expect(loaded.some((u) => u.endsWith('/dist/io/catalog-files.js'))).toBe(true);
      const forbidden = loaded.filter((u) => /\/node_modules\/(ink|react|react-reconciler|ejs)\/|\/node_modules\/ajv\/dist\/(ajv|core|compile\/)/.test(u));
      expect(forbidden).toEqual([]);
    });
  }
});
