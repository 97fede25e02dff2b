// osvconf symbols on real binaries compiled at test time (cc), with readelf as an independent
// oracle for the ELF reader; committed aarch64 fixtures; bad files; and a mutation fuzz test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readElf } from '../../src/symbols/elf.js';
import { osvconf, ROOT, tempDir, MACHINES } from '../helpers/cli.js';
import { rng } from '../helpers/random.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'elf');
const dir = tempDir('osvconf-elf-');
const app = join(dir, 'app', 'bin', 'app');
const lib = join(dir, 'app', 'lib', 'libhelper.so');
const extra = join(dir, 'libextra.so');

beforeAll(() => {
  mkdirSync(join(dir, 'app', 'bin'), { recursive: true });
  mkdirSync(join(dir, 'app', 'lib'), { recursive: true });
  writeFileSync(join(dir, 'lib.c'), '#include <string.h>\n#include <stdlib.h>\nint helper(const char *s) { return (int)strlen(s) + atoi(s); }\n');
  writeFileSync(join(dir, 'extra.c'), 'int from_extra(void) { return 7; }\n');
  writeFileSync(
    join(dir, 'main.c'),
    [
      '#include <stdio.h>',
      '#include <pthread.h>',
      '#include <spawn.h>',
      '#include <dlfcn.h>',
      'extern int helper(const char *);',
      'extern int from_extra(void);',
      'static void *run(void *p) { return p; }',
      'int main(int argc, char **argv) {',
      '  pthread_t t; pthread_create(&t, 0, run, 0);',
      '  pid_t pid; posix_spawn(&pid, argv[0], 0, 0, argv, 0);', // OSv cannot spawn processes: not exported
      '  void *f = dlsym(0, "helper");',
      '  printf("%d %p %d\\n", helper(argv[0]), f, from_extra());',
      '  puts("done"); return argc; }',
      '',
    ].join('\n'),
  );
  execFileSync('cc', ['-shared', '-fPIC', '-o', lib, join(dir, 'lib.c')]);
  execFileSync('cc', ['-shared', '-fPIC', '-o', extra, join(dir, 'extra.c')]);
  execFileSync('cc', ['-fPIE', '-pie', '-o', app, join(dir, 'main.c'), lib, extra, '-ldl', '-lpthread']);
});

/** readelf's view: [name, version, bind, defined] of every global/weak dynamic symbol. */
function readelfSymbols(path: string): { imports: string[]; exports: string[] } {
  const text = execFileSync('readelf', ['--dyn-syms', '-W', path], { encoding: 'utf8' });
  const imports: string[] = [];
  const exports: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\d+: \S+\s+\d+\s+\S+\s+(GLOBAL|WEAK)\s+\S+\s+(\S+)\s+([^\s@]+)(?:@+(\S+?))?(?: \(\d+\))?$/.exec(line);
    if (m === null) continue;
    if (m[2] === 'UND') imports.push(`${m[3]}${m[4] === undefined ? '' : '@' + m[4]}${m[1] === 'WEAK' ? ' weak' : ''}`);
    else exports.push(m[3] as string);
  }
  return { imports: imports.sort(), exports: exports.sort() };
}

describe('the ELF reader agrees with readelf', () => {
  it.each([['app'], ['lib'], ['extra']])('%s', (which) => {
    const path = { app, lib, extra }[which] as string;
    const r = readElf(readFileSync(path), path, MACHINES);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.arch).toBe('x64');
    expect(r.value.kind).toBe(which === 'app' ? 'position-independent executable' : 'shared object');
    const oracle = readelfSymbols(path);
    expect(oracle.imports.length + oracle.exports.length).toBeGreaterThan(2); // the oracle parsed something
    expect(r.value.imports.map((s) => `${s.name}${s.version === undefined ? '' : '@' + s.version}${s.weak ? ' weak' : ''}`).sort()).toEqual(oracle.imports);
    expect([...r.value.exports].sort()).toEqual(oracle.exports);
  });
});

describe('osvconf symbols', () => {
  it("turns a compiled app and its library into a version script in OSv's format", () => {
    const run = osvconf(['symbols', app, lib]);
    expect(run.code, run.stderr).toBe(0);
    const script = run.stdout;
    expect(
      script.startsWith(
        '{\n  global:\n\n/* Kernel and VDSO */\n    clock_gettime;\n    gettimeofday;\n    time;\n    __errno_location;\n    fsgsbase_avail;\n\n/* APP */\n',
      ),
    ).toBe(true);
    expect(script.endsWith('  local:\n    *;\n};\n')).toBe(true);
    const appBlock = script
      .slice(script.indexOf('/* APP */\n') + 10, script.indexOf('  local:'))
      .trim()
      .split('\n')
      .map((l) => l.trim().replace(/;$/, ''));
    // What the C sources call from libc (and OSv exports), sorted bytewise; helper comes from libhelper.so.
    for (const name of ['pthread_create', 'dlsym', 'printf', 'puts', 'strlen', 'atoi']) expect(appBlock).toContain(name);
    expect(appBlock).toEqual([...appBlock].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(appBlock).not.toContain('helper');
    expect(appBlock).not.toContain('posix_spawn');
    // Every APP symbol is one the files import, per readelf.
    const imported = new Set([...readelfSymbols(app).imports, ...readelfSymbols(lib).imports].map((s) => s.replace(/[@ ].*/, '')));
    for (const name of appBlock) expect(imported.has(name), name).toBe(true);
    // The report: what would fail to load, and the dlsym() caveat.
    expect(run.stderr).toMatch(/needs 2 symbols OSv's kernel does not export, so it would fail to load: from_extra \(app\), posix_spawn \(app\)/);
    expect(run.stderr).toContain('the app calls dlsym()');
  });

  it('a symbol another given file defines is not needed from the kernel', () => {
    const run = osvconf(['symbols', app, lib, extra, '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.missing.filter((m: { weak: boolean }) => !m.weak).map((m: { name: string }) => m.name)).toEqual(['posix_spawn']);
    expect(report.missing[0].needed_by).toEqual([app]);
    expect(report.kept).toBe(report.vdso.length + report.app.length);
    expect(report.script).toContain('/* APP */');
  });

  it('reads a directory and a usr.manifest list the same way', () => {
    const fromDir = osvconf(['symbols', join(dir, 'app')]).stdout;
    writeFileSync(
      join(dir, 'usr.manifest'),
      `[manifest]\n# the app\n/app: app/bin/app\n/lib/libhelper.so: app/lib/libhelper.so\n/usr/lib/link.so: ->/lib/libhelper.so\n`,
    );
    const fromManifest = osvconf(['symbols', join(dir, 'usr.manifest')]).stdout;
    expect(fromDir).toBe(osvconf(['symbols', app, lib]).stdout);
    expect(fromManifest).toBe(fromDir);
  });

  it('--keep and --keep-file add dlsym() targets the kernel exports, and name the ones it does not', () => {
    const keepFile = join(dir, 'keep.txt');
    writeFileSync(keepFile, '# looked up with dlsym\nmemcpy\nnot_a_kernel_symbol\n');
    const run = osvconf(['symbols', app, lib, '--keep=qsort,bsearch', `--keep-file=${keepFile}`]);
    for (const name of ['qsort', 'bsearch', 'memcpy']) expect(run.stdout).toContain(`    ${name};\n`);
    expect(run.stdout).not.toContain('not_a_kernel_symbol');
    expect(run.stderr).toContain("--keep: OSv's kernel does not export not_a_kernel_symbol");
  });

  it('--out writes the file; --strict refuses missing symbols', () => {
    const out = join(dir, 'out', 'app.version_script');
    const run = osvconf(['symbols', app, lib, `--out=${out}`]);
    expect(run.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(osvconf(['symbols', app, lib]).stdout);
    expect(run.stdout).toContain(`conf_version_script=${out}`);
    const strict = osvconf(['symbols', app, lib, '--strict', `--out=${join(dir, 'strict.vs')}`]);
    expect(strict.code).toBe(1);
    expect(existsSync(join(dir, 'strict.vs'))).toBe(false);
  });

  it('--out replaces its own version script, but a file osvconf did not write only with --force', () => {
    const out = join(dir, 'out', 'again.version_script');
    mkdirSync(join(dir, 'out'), { recursive: true });
    expect(osvconf(['symbols', app, lib, `--out=${out}`]).code).toBe(0);
    expect(osvconf(['symbols', app, `--out=${out}`]).code).toBe(0); // its own: replaced
    expect(readFileSync(out, 'utf8')).toBe(osvconf(['symbols', app]).stdout);
    const mine = join(dir, 'out', 'hostname');
    writeFileSync(mine, 'vm\n');
    const refused = osvconf(['symbols', app, `--out=${mine}`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('was not written by osvconf: not replaced\n  hint: move it away, or give --force to replace it\n');
    expect(readFileSync(mine, 'utf8')).toBe('vm\n');
    expect(osvconf(['symbols', app, `--out=${mine}`, '--force']).code).toBe(0);
    expect(readFileSync(mine, 'utf8')).toBe(osvconf(['symbols', app]).stdout);
  });

  it('the committed aarch64 app: arch from the file, clock_getres kept for its vDSO', () => {
    const run = osvconf(['symbols', join(FIXTURES, 'aarch64-app.so'), '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.arch).toBe('aarch64');
    expect(report.vdso).toContain('clock_getres');
    expect(report.vdso).not.toContain('fsgsbase_avail');
    expect(report.app).toEqual(['pthread_create', 'puts']);
    expect(report.missing.map((m: { name: string }) => m.name)).toEqual(['posix_spawn', '__cxa_finalize']);
  });

  it.each([
    [['--arch=aarch64', 'APP'], 'is built for x64, but --arch=aarch64'],
    [['APP', join(FIXTURES, 'aarch64-app.so')], 'is built for aarch64, but'],
    [[join(FIXTURES, 'elf32.bin')], 'a 32-bit ELF file'],
    [[join(FIXTURES, 'big-endian.bin')], 'a big-endian ELF file'],
    [[join(FIXTURES, 'not-elf.txt')], 'not-elf.txt: not an ELF file'],
    [[join(FIXTURES, 'truncated.bin')], 'truncated: 40 bytes'],
    [[join(FIXTURES, 'huge-shnum.bin')], 'corrupt ELF file'],
    [['/nonexistent/app'], 'no such file or directory'],
    [['--keep=a;b', 'APP'], 'is not a symbol name'],
  ])('refuses %j', (args, message) => {
    const run = osvconf(['symbols', ...args.map((a) => (a === 'APP' ? app : a))]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^osvconf: error: /);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('without files: a usage error', () => {
    expect(osvconf(['symbols']).code).toBe(2);
  });
});

describe('ELF reader fuzz (seeded): mutated real binaries never crash it', () => {
  it('each mutant reads, or is refused naming the file', () => {
    const originals = [app, lib].map((p) => readFileSync(p));
    const next = rng(Number(process.env['OSVCONF_FUZZ_SEED'] ?? 7));
    let refused = 0;
    const started = Date.now();
    for (let i = 0; i < 3000; i++) {
      const original = originals[i % 2] as Buffer;
      const bytes = Buffer.from(original);
      const r = next();
      if (r < 0.2) {
        const cut = Math.floor(next() * bytes.length);
        const result = readElf(bytes.subarray(0, cut), 'm.elf', MACHINES);
        if (!result.ok) refused++;
        continue;
      }
      // Flip bytes, mostly in the header and the section header table, where offsets live.
      const shoff = Number(original.readBigUInt64LE(40));
      for (let k = 1 + Math.floor(next() * 4); k > 0; k--) {
        const where =
          next() < 0.5 ? Math.floor(next() * 64) : next() < 0.8 ? shoff + Math.floor(next() * (bytes.length - shoff)) : Math.floor(next() * bytes.length);
        bytes[Math.min(where, bytes.length - 1)] = Math.floor(next() * 256);
      }
      const result = readElf(bytes, 'm.elf', MACHINES);
      if (!result.ok) {
        refused++;
        expect(result.error.message).toMatch(/^m\.elf: /);
      }
    }
    expect(refused).toBeGreaterThan(300);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a mutated file through the CLI: exit 1, nothing written', () => {
    const bytes = readFileSync(app);
    bytes.writeBigUInt64LE(BigInt(bytes.length * 3), 40);
    const bad = join(dir, 'bad.elf');
    writeFileSync(bad, bytes);
    const out = join(dir, 'never.vs');
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'osvconf.cjs'), 'symbols', bad, `--out=${out}`], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('bad.elf: corrupt ELF file');
    expect(existsSync(out)).toBe(false);
  });
});
