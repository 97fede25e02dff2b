// The saved configuration (conf/osvconf/<mode>.<arch>.osvconf) and --load: written by --out,
// read back exactly, the command line over it; a Kconfig .config loads too; bad files are
// refused with their location; a script without arguments never writes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvconf, tempDir } from '../helpers/cli.js';

const ARTIFACTS = ['drivers_config.h', 'profile.mk', '.config', 'kernel_config.h', 'kernel_conf.mk', 'build-command', 'configuration'];
const SELECTIONS = [
  ['--profile=virtio-kvm'],
  ['--profile=vmware', 'conf_drivers_hpet=1', '--name=myvm', 'fs=rofs', 'conf_hide_symbols=1', 'conf_tracepoints=0'],
  [
    '--arch=aarch64',
    '--mode=debug',
    '--profile=virtio-mmio',
    'conf_lazy_stack=1',
    'conf_core_debug_buffer_size=0x8000',
    'conf_zfs=openzfs',
    'fs=rofs_with_zfs',
  ],
  ['--profile=all', 'conf_drivers_xen=0', 'conf_compiler_cxx_level=gnu++17', 'conf_networking_stack=0'],
  // A conflict kept with --force: the file says so, and loads again without it.
  ['--profile=virtio-pci', 'conf_drivers_pci=0', '--force'],
];

function outTo(dir: string, selection: readonly string[]): string {
  const run = osvconf([...selection, `--out=${dir}`]);
  expect(run.code, run.stderr).toBe(0);
  const saved = readdirSync(join(dir, 'conf', 'osvconf')).filter((f) => f.endsWith('.osvconf'));
  expect(saved).toHaveLength(1);
  return join(dir, 'conf', 'osvconf', saved[0] as string);
}

describe('the saved configuration', () => {
  it('--load gives back every artifact of the selection it was written from', () => {
    for (const selection of SELECTIONS) {
      const saved = outTo(tempDir(), selection);
      for (const artifact of ARTIFACTS) {
        const direct = osvconf([...selection, `--print=${artifact}`]);
        const loaded = osvconf([`--load=${saved}`, `--print=${artifact}`]);
        expect(loaded.stderr).not.toContain('error');
        expect(loaded.code, loaded.stderr).toBe(0);
        expect(loaded.stdout, `${selection.join(' ')}: ${artifact}`).toBe(direct.stdout);
      }
      // The file read back and written again is the same file.
      expect(osvconf([`--load=${saved}`, '--print=configuration']).stdout).toBe(readFileSync(saved, 'utf8'));
    }
  });

  it('settings on the command line win over the file; the rest of the file stays', () => {
    const saved = outTo(tempDir(), SELECTIONS[1] as string[]);
    const over = osvconf([`--load=${saved}`, 'conf_tracepoints=1', '--profile=xen', '--print=configuration']);
    expect(over.code, over.stderr).toBe(0);
    expect(over.stdout).toContain('conf_drivers_profile=xen\n');
    expect(over.stdout).toContain('conf_tracepoints=1\n');
    expect(over.stdout).toContain('conf_drivers_hpet=1\n');
    expect(over.stdout).toContain('name=myvm\n');
    expect(over.stdout).toContain('fs=rofs\n');
  });

  it('a malformed file is refused with its path and line; nothing is written', () => {
    const dir = tempDir();
    for (const [text, message] of [
      ['arch=x64\nthis is not a setting\n', ':2: "this is not a setting" is not a setting'],
      ['conf_tracepoints=0\nconf_tracepoints=1\n', ':2: conf_tracepoints is set twice (first on line 1)'],
      ['conf_tracepoint=0\n', 'unknown setting "conf_tracepoint"'],
      ['conf_drivers_profile=nope\n', 'nope'],
      ['conf_drivers_profile=xen\ndrivers_profile=vmware\n', ':2: conf_drivers_profile is set twice (first on line 1)'],
    ] as const) {
      const file = join(dir, 'bad.osvconf');
      writeFileSync(file, text);
      const run = osvconf([`--load=${file}`, `--out=${join(dir, 'tree')}`]);
      expect(run.code, text).toBe(1);
      expect(run.stderr, text).toContain(message);
      expect(existsSync(join(dir, 'tree'))).toBe(false);
    }
  });

  it('a FIFO, a directory or a missing file is an error, never a hang', () => {
    const dir = tempDir();
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const [path, message] of [
      [fifo, 'not a regular file'],
      [dir, 'it is a directory'],
      [join(dir, 'missing'), 'no such file'],
    ] as const) {
      const run = osvconf([`--load=${path}`, '--print=.config']);
      expect(run.code, path).toBe(1);
      expect(run.stderr).toContain(message);
    }
  });
});

describe('--load of a Kconfig .config (OSv menuconfig, conf/examples/)', () => {
  it('reads a file saved with CRLF line ends', () => {
    const file = join(tempDir(), 'crlf.config');
    writeFileSync(file, 'CONF_hide_symbols=y\r\n# CONF_tracepoints is not set\r\n');
    const run = osvconf([`--load=${file}`, '--print=configuration']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('conf_hide_symbols=1\n');
    expect(run.stdout).toContain('conf_tracepoints=0\n');
  });

  it('keeps every value and the profile choice', () => {
    const dir = tempDir();
    const selection = ['--profile=xen', 'conf_hide_symbols=1', 'conf_lazy_stack=1', 'conf_fs_max_file_descriptors=0x2000', 'conf_compiler_opt=-O3'];
    const dot = osvconf([...selection, '--print=.config']).stdout;
    writeFileSync(join(dir, 'my.config'), dot);
    const loaded = osvconf([`--load=${join(dir, 'my.config')}`, '--print=.config']);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toBe(dot);
    expect(osvconf([`--load=${join(dir, 'my.config')}`, '--print=drivers_config.h']).stdout).toBe(
      osvconf(['--profile=xen', '--print=drivers_config.h']).stdout,
    );
  });

  it('names what it cannot take and what it does not mention; a bad value is refused by name', () => {
    const dir = tempDir();
    const file = join(dir, 'old.config');
    writeFileSync(file, 'CONF_hide_symbols=y\nCONF_from_the_future=y\n');
    const run = osvconf([`--load=${file}`, '--print=.config']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('not taken: CONF_from_the_future');
    expect(run.stderr).toMatch(/does not mention CONF_compiler_opt, .*\(NEW\): they take their defaults/);
    expect(run.stdout).toContain('CONF_hide_symbols=y\n');
    writeFileSync(file, 'CONF_core_debug_buffer_size=banana\n');
    const bad = osvconf([`--load=${file}`, '--print=.config']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('conf_core_debug_buffer_size');
  });
});

describe('no arguments and no terminal', () => {
  it('in an OSv checkout: exit 2, nothing written', () => {
    const osv = tempDir('osv-');
    mkdirSync(join(osv, 'conf', 'profiles'), { recursive: true });
    mkdirSync(join(osv, 'scripts'));
    writeFileSync(join(osv, 'scripts', 'build'), '#!/bin/sh\n');
    const run = osvconf([], { cwd: osv });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no arguments, and no terminal');
    expect(readdirSync(osv).sort()).toEqual(['conf', 'scripts']);
    expect(readdirSync(join(osv, 'conf'))).toEqual(['profiles']);
  });
});
