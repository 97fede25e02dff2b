// The scripted path must stay fast: it may not load ink or react (the TUI), nor ejs or ajv's
// compiler (templates and validators are precompiled at build time), and it loads the schema
// validators only when there are user files to validate. The CLI is CommonJS run from a code
// cache (bin/load-main.cjs): require()s are traced with --require, import()s with --import.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, osvconf, tempDir } from '../helpers/cli.js';

function traced(args: string[], code = 0): string[] {
  const file = join(tempDir(), 'imports.txt');
  const run = osvconf(args, {
    env: { ...process.env, OSVCONF_TRACE_IMPORTS: file },
    nodeArgs: ['--require', join(ROOT, 'test', 'fixtures', 'trace-requires.cjs'), '--import', join(ROOT, 'test', 'fixtures', 'trace-imports.mjs')],
  });
  expect(run.code, run.stderr).toBe(code);
  return readFileSync(file, 'utf8').trim().split('\n');
}

const FORBIDDEN = /\/node_modules\/(ink|react|react-reconciler|ejs)\/|\/node_modules\/ajv\/dist\/(ajv|core|compile\/)/;
const chunk = (urls: string[], name: string): boolean => urls.some((u) => u.endsWith(`/dist/cli/${name}.cjs`));
const LAUNCHER = /\/bin\/(osvconf|load-main)\.cjs$/;

describe('modules loaded by the scripted CLI', () => {
  for (const args of [
    ['--profile=virtio-pci', '--print=drivers_config.h'],
    ['list', 'drivers'],
    ['explain', 'conf_drivers_pci'],
    ['--profile=xen', '--out=' + tempDir()],
    ['size', '--profile=virtio-pci'],
  ]) {
    it(args.join(' '), () => {
      const loaded = traced([...args]);
      // The trace works: it sees the CLI.
      expect(loaded.some((u) => u.endsWith('/bin/load-main.cjs'))).toBe(true);
      expect(loaded.filter((u) => FORBIDDEN.test(u))).toEqual([]);
      // Only node: built-ins besides the launcher (which runs dist/cli/main.cjs): no validators, no diff.
      expect(loaded.filter((u) => !u.startsWith('node:') && !LAUNCHER.test(u))).toEqual([]);
    });
  }

  it('size --elf loads the build reader (DWARF, calibration, the page) as a chunk of its own', () => {
    expect(chunk(traced(['size', '--profile=virtio-pci', `--elf=${join(ROOT, 'test', 'fixtures', 'elf', 'not-elf.txt')}`], 1), 'size-build')).toBe(true);
  });

  it('--dry-run loads the diff chunk', () => {
    expect(chunk(traced(['--profile=xen', `--out=${tempDir()}`, '--dry-run']), 'diff')).toBe(true);
  });

  it('loads the schema validators for --profiles-dir, and still no ink, react or ejs', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'x64'));
    writeFileSync(join(dir, 'x64', 'mine.json'), '{"description": "mine", "includes": ["nvme"]}');
    const loaded = traced([`--profiles-dir=${dir}`, '--profile=mine', '--print=drivers_config.h']);
    expect(chunk(loaded, 'validators')).toBe(true);
    expect(loaded.filter((u) => FORBIDDEN.test(u))).toEqual([]);
  });
});

describe('code caches', () => {
  it('V8 takes the caches the build made for the scripted CLI and the configurator (not rejected: nothing compiled twice)', () => {
    const load = `const { loadBundle } = require(${JSON.stringify(join(ROOT, 'bin', 'load-main.cjs'))});
for (const name of ['main.cjs', 'tui.cjs']) console.log(name, loadBundle(name).script.cachedDataRejected);`;
    const run = spawnSync(process.execPath, ['-e', load], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    // undefined would mean no cache was given: false is a cache given and taken.
    expect(run.stdout).toBe('main.cjs false\ntui.cjs false\n');
  });

  it('the build draws the configurator off screen for its cache, CI= or not', () => {
    const rehearse = `require(${JSON.stringify(join(ROOT, 'bin', 'load-main.cjs'))}).loadBundle('tui.cjs', { useCache: false }).exports.rehearse()
  .then((frame) => console.log(frame.includes('Kernel size')));`;
    const run = spawnSync(process.execPath, ['-e', rehearse], { encoding: 'utf8', env: { ...process.env, CI: 'true', CONTINUOUS_INTEGRATION: '1' } });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('true\n');
  });
});
