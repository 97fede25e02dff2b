// Symbol hiding, version scripts and filesystems: values in every artifact, and the combinations
// OSv cannot build or boot refused or warned with the reason.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, osvconf, tempDir } from '../helpers/cli.js';

const print = (artifact: string, ...args: string[]) => osvconf([...args, `--print=${artifact}`]);
const libsolaris = (): string[] => JSON.parse(readFileSync(join(ROOT, 'conf', 'symbols.json'), 'utf8')).exported.common['libsolaris.so'];

describe('visibility options flow into every artifact', () => {
  it('conf_hide_symbols and conf_version_script: .config, kernel_conf.mk, the build command', () => {
    const args = ['--profile=virtio-kvm', 'conf_hide_symbols=1', 'conf_version_script=apps/my.vs', 'fs=rofs'];
    expect(print('.config', ...args).stdout).toContain('CONF_hide_symbols=y\n');
    expect(print('.config', ...args).stdout).toContain('CONF_version_script="apps/my.vs"\n');
    expect(print('kernel_conf.mk', ...args).stdout).toContain('conf_version_script=apps/my.vs\n');
    expect(print('build-command', ...args).stdout).toBe(
      './scripts/build arch=x64 mode=release conf_dot_file=conf/osvconf/release.x64.config conf_drivers_profile=virtio-kvm fs=rofs conf_hide_symbols=1 conf_version_script=apps/my.vs\n',
    );
  });

  it('a version script without hiding has no effect, and says so', () => {
    const run = print('build-command', 'conf_version_script=my.vs');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('conf_version_script has no effect while conf_hide_symbols is off');
  });

  it('a missing version script file is flagged (make would stop)', () => {
    const run = print('.config', 'conf_hide_symbols=1', 'conf_version_script=does/not/exist.vs', 'fs=rofs');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('no such file');
    expect(run.stderr).toContain('Missing version script');
  });

  it('conf_linker_extra_options is shell-quoted in the build command; $ is refused', () => {
    expect(print('build-command', 'conf_linker_extra_options=--print-gc-sections -z now').stdout).toContain(
      " 'conf_linker_extra_options=--print-gc-sections -z now'",
    );
    const bad = print('build-command', 'conf_linker_extra_options=$(shell id)');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('make would expand "$"');
  });
});

describe('filesystems', () => {
  it('fs= is always in the build command; unknown values get a suggestion', () => {
    expect(print('build-command').stdout).toContain(' fs=zfs');
    const typo = print('build-command', 'fs=virtiof');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('fs=virtiof: unknown value (did you mean "virtiofs"?)');
  });

  it('virtiofs without the virtio-fs driver is refused with the reason; --force keeps it', () => {
    const refused = print('build-command', '--profile=virtio-kvm', 'fs=virtiofs');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('fs=virtiofs needs conf_drivers_virtio_fs=1');
    expect(print('build-command', '--profile=virtio-kvm', 'fs=virtiofs', 'conf_drivers_virtio_fs=1').code).toBe(0);
    const forced = print('build-command', '--profile=virtio-kvm', 'fs=virtiofs', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('kept anyway (--force)');
  });

  it('a root filesystem on disk without any block device driver is warned about', () => {
    expect(print('build-command', '--profile=base', 'fs=rofs').stderr).toContain(
      'fs=rofs reads the root filesystem from a disk, but no block device driver is on',
    );
    expect(print('build-command', '--profile=base', 'fs=ramfs').stderr).not.toContain('block device');
  });

  it('conf_zfs matters only with a ZFS filesystem', () => {
    expect(print('build-command', 'conf_zfs=openzfs', 'fs=rofs').stderr).toContain('conf_zfs=openzfs has no effect with fs=rofs');
    const zfs = print('build-command', 'conf_zfs=openzfs', 'fs=rofs_with_zfs');
    expect(zfs.stderr).not.toContain('no effect');
    expect(zfs.stdout).toContain(' fs=rofs_with_zfs conf_zfs=openzfs');
  });

  it("ZFS with hidden symbols and an app script that hides libsolaris.so's needs is refused", () => {
    const dir = tempDir();
    const script = (names: string[]) => `{\n  global:\n${names.map((n) => `    ${n};\n`).join('')}  local:\n    *;\n};\n`;
    writeFileSync(join(dir, 'app.vs'), script(['puts', 'clock_gettime']));
    writeFileSync(join(dir, 'zfs.vs'), script(['puts', ...libsolaris()]));
    for (const fs of ['zfs', 'rofs_with_zfs']) {
      const run = print('build-command', 'conf_hide_symbols=1', `conf_version_script=${join(dir, 'app.vs')}`, `fs=${fs}`);
      expect(run.code, fs).toBe(1);
      expect(run.stderr).toContain(`fs=${fs} loads libsolaris.so, which needs ${libsolaris().length} kernel symbols`);
      expect(run.stderr).toContain(`osvconf symbols APP fs=${fs}`);
    }
    expect(print('build-command', 'conf_hide_symbols=1', `conf_version_script=${join(dir, 'app.vs')}`, 'fs=rofs').code).toBe(0);
    expect(print('build-command', 'conf_hide_symbols=1', `conf_version_script=${join(dir, 'zfs.vs')}`, 'fs=zfs').code).toBe(0);
    // Relative paths are read from the OSv tree (--out), where make reads them.
    const tree = tempDir();
    writeFileSync(join(tree, 'app.vs'), script(['puts']));
    const inTree = osvconf(['conf_hide_symbols=1', 'conf_version_script=app.vs', 'fs=zfs', `--out=${tree}`]);
    expect(inTree.code).toBe(1);
    expect(inTree.stderr).toContain('app.vs hides');
  });

  it('osvconf symbols APP fs=zfs keeps what libsolaris.so needs, and then the build is accepted', () => {
    const dir = tempDir();
    const out = join(dir, 'zfs-app.vs');
    const run = osvconf(['symbols', join(ROOT, 'test', 'fixtures', 'elf', 'aarch64-app.so'), 'fs=zfs', `--out=${out}`]);
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('/* libsolaris.so (fs=zfs) */\n');
    for (const name of libsolaris().slice(0, 5)) expect(text).toContain(`    ${name};\n`);
    expect(print('build-command', '--arch=aarch64', '--profile=virtio-pci', 'conf_hide_symbols=1', `conf_version_script=${out}`, 'fs=zfs').code).toBe(0);
  });

  it('explain fs and explain conf_zfs show the values and their consequences', () => {
    const fs = osvconf(['explain', 'fs', 'fs=rofs_with_zfs']).stdout;
    expect(fs).toContain('fs=rofs_with_zfs  (build option read by scripts/build; command line)');
    expect(fs).toMatch(/^\s+\* rofs_with_zfs\s+ROFS on partition 1 plus ZFS/m);
    expect(fs).toContain('libsolaris.so (the ZFS code): in the image (zfs module)');
    const zfs = osvconf(['explain', 'conf_zfs']).stdout;
    expect(zfs).toMatch(/^\s+\* bsd\s/m);
    expect(zfs).toContain('matters only with: fs=zfs or rofs_with_zfs');
    expect(osvconf(['explain', 'hide_symbols']).stdout).toContain('C++ apps must ship their own');
  });

  it('list options shows the build options too', () => {
    expect(osvconf(['list', 'options']).stdout).toMatch(/^fs\s+zfs\|rofs\|rofs_with_zfs\|rofs_with_ext\|ext\|ramfs\|virtiofs\s+"zfs"\s+scripts\/build/m);
  });
});
