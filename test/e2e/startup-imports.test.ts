// The scripted path must stay fast: it may not load ink or react (the TUI), nor ejs or ajv's
// compiler (templates and validators are precompiled at build time), and it loads the schema
// validators only when there are user files to validate.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, osvconf, tempDir } from '../helpers/cli.js';

function traced(args: string[]): string[] {
  const file = join(tempDir(), 'imports.txt');
  const run = osvconf(args, { env: { ...process.env, OSVCONF_TRACE_IMPORTS: file }, nodeArgs: ['--import', join(ROOT, 'test', 'fixtures', 'trace-imports.mjs')] });
  expect(run.code, run.stderr).toBe(0);
  return readFileSync(file, 'utf8').trim().split('\n');
}

const FORBIDDEN = /\/node_modules\/(ink|react|react-reconciler|ejs)\/|\/node_modules\/ajv\/dist\/(ajv|core|compile\/)/;
const chunk = (urls: string[], name: string): boolean => urls.some((u) => new RegExp(`/dist/cli/chunks/${name}-[A-Z0-9]+\\.js$`).test(u));

describe('modules loaded by the scripted CLI', () => {
  for (const [command, args] of [
    ['configure', ['--profile=virtio-pci', '--print=drivers_config.h']],
    ['list', ['list', 'drivers']],
    ['explain', ['explain', 'conf_drivers_pci']],
  ] as const) {
    it(args.join(' '), () => {
      const loaded = traced([...args]);
      // The trace works: it sees the CLI and the command's own chunk.
      expect(loaded.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true);
      expect(chunk(loaded, command)).toBe(true);
      expect(loaded.filter((u) => FORBIDDEN.test(u))).toEqual([]);
      expect(chunk(loaded, 'validators')).toBe(false);
    });
  }

  it('loads the schema validators for --profiles-dir, and still no ink, react or ejs', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'x64'));
    writeFileSync(join(dir, 'x64', 'mine.json'), '{"description": "mine", "includes": ["nvme"]}');
    const loaded = traced([`--profiles-dir=${dir}`, '--profile=mine', '--print=drivers_config.h']);
    expect(chunk(loaded, 'validators')).toBe(true);
    expect(loaded.filter((u) => FORBIDDEN.test(u))).toEqual([]);
  });
});
