// The scripted path must stay fast: it may not load ink or react (the TUI), nor ejs or ajv's
// compiler (templates and validators are precompiled at build time), and it loads the schema
// validators only when there are user files to validate. The CLI is CommonJS, required by
// bin/load-main.cjs (with Node's compile cache where there is one): require()s are traced with --require, import()s with --import.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
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
const LAUNCHER = /\/(bin\/(osvconf|load-main)|dist\/cli\/main)\.cjs$/;

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
      // Only node: built-ins besides the launcher and dist/cli/main.cjs: no validators, no diff.
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

describe('compile cache', () => {
  const hasCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

  it('no hand-made V8 cache ships: dist/cli has only the bundles', () => {
    expect(readdirSync(join(ROOT, 'dist', 'cli')).filter((f) => f.endsWith('.cache'))).toEqual([]);
  });

  // Node 20 has no compile cache (the bundles compile as usual); .ci/run runs this on Node 22 and 24.
  it.skipIf(!hasCompileCache)("Node's compile cache: a damaged cache never crashes, an edited bundle never runs stale", () => {
    const copy = tempDir('osvconf-copy-');
    for (const part of ['bin', 'dist', 'conf', 'profiles', 'gen', 'schemas', 'package.json']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    const cache = tempDir('osvconf-compile-cache-');
    const env = { ...process.env, NODE_COMPILE_CACHE: cache };
    const run = (...args: string[]) => spawnSync(process.execPath, [join(copy, 'bin', 'osvconf.cjs'), ...args], { encoding: 'utf8', env });
    const header = run('--profile=virtio-pci', '--print=drivers_config.h');
    expect(header.status, header.stderr).toBe(0);
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
    expect(files(cache).length).toBeGreaterThan(0);
    // Every cache file damaged, its length kept: Node checks the entries and compiles again.
    for (const f of files(cache)) {
      const bytes = readFileSync(f);
      for (let i = 0; i < bytes.length; i += 97) bytes[i] = (bytes[i] as number) ^ 0xff;
      writeFileSync(f, bytes);
    }
    const again = run('--profile=virtio-pci', '--print=drivers_config.h');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(header.stdout);
    // The bundle edited, its length kept: the edit runs, not the cached compile of the old text.
    const version = (JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as { version: string }).version;
    expect(run('--version').stdout.trim()).toBe(`osvconf ${version}`);
    const main = join(copy, 'dist', 'cli', 'main.cjs');
    const text = readFileSync(main, 'utf8');
    const other = version.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
    expect(text.includes(JSON.stringify(version))).toBe(true);
    writeFileSync(main, text.replace(JSON.stringify(version), JSON.stringify(other)));
    expect(run('--version').stdout.trim()).toBe(`osvconf ${other}`);
  });

  it('the build draws the configurator off screen to check its bundle, CI= or not', () => {
    const rehearse = `require(${JSON.stringify(join(ROOT, 'bin', 'load-main.cjs'))}).loadBundle('tui.cjs').exports.rehearse()
  .then((frame) => console.log(frame.includes('Kernel size')));`;
    const run = spawnSync(process.execPath, ['-e', rehearse], { encoding: 'utf8', env: { ...process.env, CI: 'true', CONTINUOUS_INTEGRATION: '1' } });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('true\n');
  });
});
