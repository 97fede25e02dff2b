// Files that are not what they should be: a FIFO (reading it would wait forever), /dev/zero
// (endless), a directory, a BOM, control characters meant for the terminal, thousands of errors,
// a full disk on stdout. Each gets a message that names the input, exit 1, no stack trace. The
// spawn deadline only turns a hang into a failure; no assertion depends on time.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, osvconf, tempDir } from '../helpers/cli.js';

function run(args: readonly string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', input: '', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fifo(dir: string, name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

describe('only regular files are read', () => {
  const dir = tempDir();
  const app = join(ROOT, 'test', 'fixtures', 'elf', 'aarch64-app.so');
  const cases: [string, string[], string][] = [
    ['symbols APP (a FIFO)', ['symbols', fifo(dir, 'app')], 'not a regular file'],
    ['symbols --keep-file (a FIFO)', ['symbols', app, `--keep-file=${fifo(dir, 'keep')}`], 'not a regular file'],
    ['symbols --keep-file=/dev/zero', ['symbols', app, '--keep-file=/dev/zero'], 'not a regular file'],
    ['size --elf (a FIFO)', ['size', `--elf=${fifo(dir, 'elf')}`], 'not a regular file'],
    ['size --elf=/dev/zero', ['size', '--elf=/dev/zero'], 'not a regular file'],
    ['size --elf=DIR', ['size', `--elf=${dir}`], 'it is a directory'],
    ['conf_version_script (a FIFO)', ['conf_hide_symbols=1', `conf_version_script=${fifo(dir, 'vs')}`, 'fs=rofs', '--print=.config'], 'not a regular file'],
    ['--load=/dev/zero', ['--load=/dev/zero', '--print=.config'], 'not a regular file'],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const r = run(args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain('internal error');
    });
  }

  it('a profile that is a FIFO is reported, and list profiles does not hang on it', () => {
    const profiles = tempDir();
    mkdirSync(join(profiles, 'x64'));
    fifo(join(profiles, 'x64'), 'stuck.json');
    const used = run([`--profiles-dir=${profiles}`, '--profile=stuck', '--print=drivers_config.h']);
    expect(used.code).toBe(1);
    expect(used.stderr).toContain('not a regular file');
    const listed = run(['list', 'profiles', `--profiles-dir=${profiles}`]);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain('stuck.json');
  });
});

describe('what reaches the terminal', () => {
  it('a profile with a BOM loads; its newlines and escape sequences are shown escaped in list profiles', () => {
    const profiles = tempDir();
    mkdirSync(join(profiles, 'x64'));
    writeFileSync(
      join(profiles, 'x64', 'bom.json'),
      '\ufeff{"description": "line one\\nline two \\u001b[31mred", "hypervisors": ["QEMU"], "includes": ["base"], "sets": {}}',
    );
    const r = run(['list', 'profiles', `--profiles-dir=${profiles}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('line one\\nline two \\x1b[31mred');
    expect(r.stdout).not.toContain('\u001b');
  });

  it('a 1 MB name is clipped in the message that quotes it', () => {
    const file = join(tempDir(), 'long.osvconf');
    writeFileSync(file, `conf_${'x'.repeat(1_000_000)}=1\n`);
    const r = run([`--load=${file}`, '--print=.config']);
    expect(r.code).toBe(1);
    expect(r.stderr.length).toBeLessThan(10_000);
    expect(r.stderr).toContain('more characters');
  });
});

describe('stdout that cannot take the output', () => {
  it('--print >/dev/full: an error saying so, exit 1, no internal error', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --print=drivers_config.h >/dev/full`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot write the output: no space left on the device');
    expect(r.stderr).not.toContain('internal error');
  });

  it('--out=T >/dev/full: the files are written, and the lost report is an error', () => {
    const out = tempDir();
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --profile=xen --out="${out}" >/dev/full`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the files were written');
    expect(osvconf(['--profile=xen', `--out=${out}`]).stdout).toContain('unchanged');
  });

  it('a warning that cannot be written does not stop the run', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --profile=virtio-mmio --print=drivers_config.h 2>/dev/full`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('#define CONF_drivers_mmio 1');
  });
});
