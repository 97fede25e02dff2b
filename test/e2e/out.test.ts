// --out and the OSv-checkout default: every artifact in the tree layout, write-if-changed with
// mtimes kept, no temp files, --dry-run with a diff, the build command last.
import { mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvconf, osvTree, tempDir } from '../helpers/cli.js';

const BUILD = join('build', 'release.x64');
const HEADER = join(BUILD, 'gen', 'include', 'osv', 'drivers_config.h');
const DOT_CONFIG = join('conf', 'osvconf', 'release.x64.config');
const SAVED = join('conf', 'osvconf', 'release.x64.osvconf');

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('--out=DIR', () => {
  it('writes every artifact in the OSv tree layout, then leaves unchanged files untouched', () => {
    const out = tempDir();
    const first = osvconf(['--profile=virtio-kvm', `--out=${out}`]);
    expect(first.code, first.stderr).toBe(0);
    // OSv's make derives .config, kernel_config.h and kernel_conf.mk from conf_dot_file: osvconf
    // leaves build/ to it but for drivers_config.h, which its top Makefile replaces only when different.
    const files = [HEADER, DOT_CONFIG, SAVED, join('conf', 'profiles', 'x64', 'virtio-kvm.mk')];
    expect(allFiles(out)).toEqual([...files].sort()); // no temp files left
    for (const f of files) expect(first.stdout).toContain(`wrote     ${join(out, f)}\n`);
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe(
      'build with: ./scripts/build arch=x64 mode=release conf_dot_file=conf/osvconf/release.x64.config conf_drivers_profile=virtio-kvm fs=zfs',
    );
    for (const [artifact, file] of [
      ['drivers_config.h', HEADER],
      ['.config', DOT_CONFIG],
      ['configuration', SAVED],
      ['profile.mk', files[3] as string],
    ] as const) {
      expect(readFileSync(join(out, file), 'utf8')).toBe(osvconf(['--profile=virtio-kvm', `--print=${artifact}`]).stdout);
    }

    const past = new Date('2020-01-01T00:00:00Z');
    for (const f of files) utimesSync(join(out, f), past, past);
    const again = osvconf(['--profile=virtio-kvm', `--out=${out}`]);
    for (const f of files) {
      expect(again.stdout).toContain(`unchanged ${join(out, f)}\n`);
      expect(statSync(join(out, f)).mtime.getTime()).toBe(past.getTime());
    }

    const changed = osvconf(['--profile=virtio-kvm', 'conf_drivers_virtio_fs=1', '--name=virtio-kvm', `--out=${out}`]);
    expect(changed.stdout).toContain(`wrote     ${join(out, HEADER)}\n`);
    expect(changed.stdout).toContain(`unchanged ${join(out, DOT_CONFIG)}\n`);
    expect(readFileSync(join(out, HEADER), 'utf8')).toContain('#define CONF_drivers_virtio_fs 1\n');
    expect(statSync(join(out, HEADER)).mtime.getTime()).toBeGreaterThan(past.getTime());
  });

  it('an OSv profile without driver settings needs no profile file', () => {
    const out = tempDir();
    osvconf(['--profile=vmware', `--out=${out}`]);
    expect(allFiles(out).some((f) => f.startsWith(join('conf', 'profiles')))).toBe(false);
    expect(allFiles(out)).toContain(SAVED);
  });

  it('puts arch and mode into the build directory name', () => {
    const out = tempDir();
    const run = osvconf(['--arch=aarch64', '--mode=debug', '--profile=virtio-mmio', `--out=${out}`]);
    expect(run.code, run.stderr).toBe(0);
    expect(allFiles(out)).toEqual([
      join('build', 'debug.aarch64', 'gen', 'include', 'osv', 'drivers_config.h'),
      join('conf', 'osvconf', 'debug.aarch64.config'),
      join('conf', 'osvconf', 'debug.aarch64.osvconf'),
    ]);
    expect(run.stdout).toContain('./scripts/build arch=aarch64 mode=debug conf_dot_file=conf/osvconf/debug.aarch64.config conf_drivers_profile=virtio-mmio');
  });

  it('--json reports the files with their status and the build command', () => {
    const out = tempDir();
    const report = JSON.parse(osvconf(['--profile=xen', `--out=${out}`, '--json']).stdout);
    expect(report.files.map((f: { status: string }) => f.status)).toEqual(['wrote', 'wrote', 'wrote']);
    expect(report.build_command).toBe('./scripts/build arch=x64 mode=release conf_dot_file=conf/osvconf/release.x64.config conf_drivers_profile=xen fs=zfs');
    const again = JSON.parse(osvconf(['--profile=xen', `--out=${out}`, '--json']).stdout);
    expect(again.files.every((f: { status: string }) => f.status === 'unchanged')).toBe(true);
  });
});

describe('--dry-run', () => {
  it('shows the plan and a unified diff, and writes nothing', () => {
    const out = tempDir();
    const fresh = osvconf(['--profile=virtio-pci', `--out=${out}`, '--dry-run']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toContain(`would write  ${join(out, HEADER)}\n`);
    expect(fresh.stdout).toContain('--- /dev/null\n+++ b/build/release.x64/gen/include/osv/drivers_config.h\n');
    expect(allFiles(out)).toEqual([]);

    osvconf(['--profile=virtio-kvm', `--out=${out}`]);
    const change = osvconf(['--profile=virtio-kvm', 'conf_drivers_virtio_rng=0', '--name=virtio-kvm', `--out=${out}`, '--dry-run']);
    expect(change.stdout).toContain(`would change ${join(out, HEADER)}\n`);
    expect(change.stdout).toContain(`unchanged    ${join(out, DOT_CONFIG)}\n`);
    expect(change.stdout).toContain(`would change ${join(out, 'conf', 'profiles', 'x64', 'virtio-kvm.mk')}\n`);
    expect(change.stdout).toMatch(/^-#define CONF_drivers_virtio_rng 1\n\+#define CONF_drivers_virtio_rng 0$/m);
    expect(readFileSync(join(out, HEADER), 'utf8')).toContain('#define CONF_drivers_virtio_rng 1\n');
  });
});

describe('inside an OSv checkout', () => {
  it('writes into the current directory when neither --print nor --out is given', () => {
    const osv = tempDir('osv-');
    mkdirSync(join(osv, 'conf', 'profiles'), { recursive: true });
    mkdirSync(join(osv, 'scripts'));
    writeFileSync(join(osv, 'scripts', 'build'), '#!/bin/sh\n');
    const run = osvconf(['--profile=nvme'], { cwd: osv });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(osv, HEADER), 'utf8')).toContain('#define CONF_drivers_nvme 1\n');
  });

  it("a file osvconf did not write is refused with what this command's own flags can do about it", () => {
    const out = tempDir();
    const mine = join(out, 'conf', 'profiles', 'x64', 'virtio-kvm-custom.mk');
    mkdirSync(join(out, 'conf', 'profiles', 'x64'), { recursive: true });
    writeFileSync(mine, '# my own profile\n');
    const run = osvconf(['--profile=virtio-kvm', 'conf_drivers_xen=1', `--out=${out}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('was not written by osvconf: not replaced');
    expect(run.stderr).toContain('hint: move it away, or choose another name (--name), or give --force to replace it');
    // A file whose place does not come from the profile's name: another name would not help.
    const header = join(out, 'build', 'release.x64', 'gen', 'include', 'osv', 'drivers_config.h');
    mkdirSync(join(header, '..'), { recursive: true });
    writeFileSync(header, '/* my own header */\n');
    const again = osvconf(['--profile=virtio-kvm', `--out=${out}`]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'drivers_config.h exists and was not written by osvconf: not replaced\n  hint: move it away, or give --force to replace it\n',
    );
    // set has --force but no --name: it is not told to use one.
    const saved = join(out, 'mine.osvconf');
    writeFileSync(saved, 'conf_hide_symbols=1\n'); // settings, but not a file osvconf saved
    const set = osvconf(['set', `--in=${saved}`, 'conf_drivers_xen=1']);
    expect(set.code).toBe(1);
    expect(set.stderr).toContain('hint: move it away, or give --force to replace it\n');
    expect(readFileSync(mine, 'utf8')).toBe('# my own profile\n');
  });
});

describe('an option that changes compiler flags, changed in a configured tree', () => {
  it('says a clean build is needed (make does not see a flag change); other changes and a repeat say nothing', () => {
    const tree = osvTree();
    expect(osvconf(['--profile=all', `--out=${tree}`]).code).toBe(0);
    const traced = osvconf(['--profile=all', 'conf_tracing=1', `--out=${tree}`]);
    expect(traced.code, traced.stderr).toBe(0);
    expect(traced.stderr).toContain('conf_tracing changed since this tree was last configured (n -> y)');
    expect(traced.stderr).toContain('build from clean: remove build/release.x64');
    const again = osvconf(['--profile=all', 'conf_tracing=1', `--out=${tree}`]);
    expect(again.stderr).not.toContain('changed since this tree was last configured');
    const opt = osvconf(['--profile=all', 'conf_tracing=1', 'conf_compiler_opt= -Os -DNDEBUG', `--out=${tree}`]);
    expect(opt.stderr).toContain('conf_compiler_opt changed since this tree was last configured');
    const other = osvconf(['--profile=all', 'conf_tracing=1', 'conf_compiler_opt= -Os -DNDEBUG', 'conf_tracepoints=0', `--out=${tree}`]);
    expect(other.stderr).not.toContain('changed since this tree was last configured');
  });
});
