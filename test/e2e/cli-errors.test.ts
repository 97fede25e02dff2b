// Every kind of bad input, through the built CLI: `osvconf: error: …` and a hint on stderr,
// nothing on stdout, no stack trace, exit 1 (2 for usage errors), nothing written.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvconf, tempDir, type Run } from '../helpers/cli.js';

function expectError(run: Run, code: 1 | 2, ...fragments: (string | RegExp)[]): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^osvconf: error: /);
  expect(run.stderr).toMatch(/\n {2}hint: /);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  for (const f of fragments) expect(run.stderr).toMatch(typeof f === 'string' ? new RegExp(f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : f);
}

const PRINT = '--print=drivers_config.h';

describe('unknown names get a "did you mean"', () => {
  it('arch', () => expectError(osvconf(['--arch=aarch46', PRINT]), 1, 'unknown arch "aarch46" (did you mean "aarch64"?)'));
  it('arch spelled the Linux way', () => expectError(osvconf(['--arch=x86_64', PRINT]), 1, 'unknown arch "x86_64": OSv calls it x64'));
  it('arch as a setting', () => expectError(osvconf(['arch=arm64', PRINT]), 1, 'OSv calls it aarch64'));
  it('profile', () => expectError(osvconf(['--profile=virtio_pci', PRINT]), 1, 'unknown profile "virtio_pci" for x64 (did you mean "virtio-pci"'));
  it('profile through conf_drivers_profile=', () => expectError(osvconf(['conf_drivers_profile=vmwar', PRINT]), 1, 'did you mean "vmware"'));
  it('profile of the other arch', () =>
    expectError(osvconf(['--arch=aarch64', '--profile=vbox', PRINT]), 1, 'profile "vbox" does not exist on aarch64 (it exists on x64)'));
  it('driver', () =>
    expectError(osvconf(['conf_drivers_virtio_blck=1', PRINT]), 1, 'unknown setting "conf_drivers_virtio_blck" (did you mean "conf_drivers_virtio_blk"'));
  it('driver without its prefix', () => expectError(osvconf(['hpet=1', PRINT]), 1, 'did you mean "conf_drivers_hpet"'));
  it('artifact', () => expectError(osvconf(['--print=drivers-config.h']), 1, 'unknown artifact "drivers-config.h" (did you mean "drivers_config.h"?)'));
  it('option flag', () => expectError(osvconf(['--profle=all', PRINT]), 2, 'unknown option --profle (did you mean "--profile"?)'));
  it('mode', () => expectError(osvconf(['--mode=relase', PRINT]), 1, 'unknown mode "relase" (did you mean "release"?)'));
  it('list subject', () => expectError(osvconf(['list', 'driver']), 2, 'did you mean "drivers"'));
});

describe('bad values and shapes', () => {
  it('a driver value other than 0/1', () => expectError(osvconf(['conf_drivers_pci=y', PRINT]), 1, 'conf_drivers_pci=y: the value must be 0 or 1'));
  it('an empty driver value', () => expectError(osvconf(['conf_drivers_pci=', PRINT]), 1, 'the value must be 0 or 1'));
  it('a bool Kconfig value other than 0/1/n/y', () =>
    expectError(osvconf(['conf_hide_symbols=2', PRINT]), 1, 'conf_hide_symbols=2: hide_symbols is a bool: the value must be 0, 1, n or y'));
  it('a setting without "="', () => expectError(osvconf(['conf_drivers_pci', PRINT]), 2, '"conf_drivers_pci" is not a setting: settings are NAME=VALUE'));
  it('a setting without a name', () => expectError(osvconf(['=1', PRINT]), 2, 'has no name'));
  it('a driver that does not exist on the chosen arch', () =>
    expectError(
      osvconf(['--arch=aarch64', 'conf_drivers_vmxnet3=1', PRINT]),
      1,
      'conf_drivers_vmxnet3: there is no such driver on aarch64 (it exists on x64)',
    ));
  it('a profile name that would leave the profiles directory', () => expectError(osvconf(['--profile=../../etc/passwd', PRINT]), 1, 'is not a profile name'));
  it('--print and --out together', () => expectError(osvconf([PRINT, '--out=/tmp/x']), 2, 'cannot be combined'));
  it('a flag that needs a value', () => expectError(osvconf(['--print']), 2, '--print needs a value'));
  it('a switch given a value', () => expectError(osvconf(['--force=yes', PRINT]), 2, '--force takes no value'));
  it('a flag that does not apply to the command', () =>
    expectError(osvconf(['list', 'drivers', '--print=drivers_config.h']), 2, '--print does not apply to osvconf list'));
});

describe('conflicts are refused with both sides named', () => {
  it('the same driver twice with different values', () =>
    expectError(osvconf(['conf_drivers_pci=0', 'conf_drivers_pci=1', PRINT]), 1, 'conflicting settings: conf_drivers_pci=0 and conf_drivers_pci=1'));
  it('--profile and conf_drivers_profile disagreeing', () =>
    expectError(osvconf(['--profile=xen', 'conf_drivers_profile=aws', PRINT]), 1, 'conflicting settings: --profile=xen and conf_drivers_profile=aws'));
  it('--arch and arch= disagreeing', () => expectError(osvconf(['--arch=x64', 'arch=aarch64', PRINT]), 1, 'conflicting settings: --arch=x64 and arch=aarch64'));
  it('an explicit 0 that an enabled driver needs', () =>
    expectError(
      osvconf(['--profile=base', 'conf_drivers_nvme=1', 'conf_drivers_pci=0', PRINT]),
      1,
      'conf_drivers_pci=0 (command line) conflicts with conf_drivers_nvme=1, which implies conf_drivers_pci=1',
      '--force',
    ));
  it('several conflicts are all listed', () => {
    const run = osvconf(['--profile=virtio-pci', 'conf_drivers_pci=0', 'conf_drivers_virtio=0', PRINT]);
    expectError(
      run,
      1,
      '2 conflicting driver settings',
      'conf_drivers_pci=0 (command line) conflicts with conf_drivers_acpi=1',
      'conf_drivers_virtio=0 (command line) conflicts with conf_drivers_virtio_blk=1',
    );
  });
  it("--force keeps make's result with a warning", () => {
    const run = osvconf(['--profile=base', 'conf_drivers_nvme=1', 'conf_drivers_pci=0', '--force', PRINT]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('#define CONF_drivers_nvme 1\n');
    expect(run.stdout).toContain('#define CONF_drivers_pci 0\n');
    expect(run.stderr).toContain('osvconf: warning: conf_drivers_pci=0 (command line) conflicts with conf_drivers_nvme=1');
  });
  it('--strict turns a pitfall into an error', () => {
    expectError(osvconf(['--profile=base', 'conf_drivers_acpi=1', '--strict', PRINT]), 1, 'conf_drivers_acpi=1 without conf_drivers_pvpanic=1', '(--strict)');
    const warned = osvconf(['--profile=base', 'conf_drivers_acpi=1', PRINT]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/^osvconf: warning: conf_drivers_acpi=1 without conf_drivers_pvpanic=1/m);
  });
});

/** A --profiles-dir with the given x64 profile files (name -> raw text). */
function userProfiles(files: Record<string, string>): string {
  const dir = tempDir('osvconf-profiles-');
  mkdirSync(join(dir, 'x64'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'x64', `${name}.json`), text);
  return dir;
}

describe('bad profile files are reported with file and location', () => {
  it('JSON syntax error: file:line:col', () => {
    const dir = userProfiles({ broken: '{\n  "description": "x",\n  "sets": { "pci": 1, }\n}\n' });
    expectError(osvconf([`--profiles-dir=${dir}`, '--profile=broken', PRINT]), 1, /malformed profile .*x64\/broken\.json:3:23: trailing comma before "}"/);
  });
  it('a duplicate key, which JSON.parse would silently drop', () => {
    const dir = userProfiles({ dup: '{"description": "x", "sets": {"pci": 1, "pci": 0}}' });
    expectError(osvconf([`--profiles-dir=${dir}`, '--profile=dup', PRINT]), 1, /dup\.json:1:41: duplicate key "pci"/);
  });
  it('a schema violation: file, line and JSON pointer', () => {
    const dir = userProfiles({ bad: '{\n  "description": "x",\n  "sets": {\n    "pci": 2\n  }\n}\n' });
    expectError(osvconf([`--profiles-dir=${dir}`, '--profile=bad', PRINT]), 1, 'invalid profile', /bad\.json:4:5: \/sets\/pci: must be one of 0, 1/);
  });
  it('an unknown property, with a suggestion', () => {
    const dir = userProfiles({ typo: '{"description": "x", "include": ["base"]}' });
    expectError(
      osvconf([`--profiles-dir=${dir}`, '--profile=typo', PRINT]),
      1,
      /typo\.json:1:22: \/include: unknown property "include" \(did you mean "includes"\?\)/,
    );
  });
  it('an unknown driver in sets, with a suggestion', () => {
    const dir = userProfiles({ mine: '{"description": "x",\n "sets": {"virtio_nett": 1}}' });
    expectError(
      osvconf([`--profiles-dir=${dir}`, '--profile=mine', PRINT]),
      1,
      /mine\.json:2:11: \/sets\/virtio_nett: unknown driver "virtio_nett" on x64 \(did you mean "virtio_net"/,
    );
  });
  it('a missing description', () => {
    const dir = userProfiles({ bare: '{"sets": {}}' });
    expectError(osvconf([`--profiles-dir=${dir}`, '--profile=bare', PRINT]), 1, /bare\.json:1:1: \(top level\): missing required property "description"/);
  });
  it('an empty description (minLength, checked by the inlined code-point counter)', () => {
    const dir = userProfiles({ empty: '{"description": ""}' });
    expectError(osvconf([`--profiles-dir=${dir}`, '--profile=empty', PRINT]), 1, /empty\.json:1:2: \/description: must not be empty/);
  });
  it('an include cycle names the whole cycle', () => {
    const dir = userProfiles({
      one: '{"description": "1", "includes": ["two"]}',
      two: '{"description": "2", "includes": ["virtio-pci", "three"]}',
      three: '{"description": "3", "includes": ["one"]}',
    });
    expectError(osvconf([`--profiles-dir=${dir}`, '--profile=one', PRINT]), 1, 'profile include cycle: one -> two -> three -> one');
  });
  it('an include of a missing profile', () => {
    const dir = userProfiles({ inc: '{"description": "x", "includes": ["virtio-pcx"]}' });
    expectError(
      osvconf([`--profiles-dir=${dir}`, '--profile=inc', PRINT]),
      1,
      /inc\.json: \/includes\/0: unknown profile "virtio-pcx" for x64 \(did you mean "virtio-pci"/,
    );
  });
  it('--profiles-dir that does not exist, or lacks arch folders', () => {
    expectError(osvconf(['--profiles-dir=/nonexistent/osvconf', PRINT]), 1, 'no such directory');
    const flat = tempDir();
    writeFileSync(join(flat, 'mine.json'), '{}');
    expectError(osvconf([`--profiles-dir=${flat}`, PRINT]), 1, 'has no x64/ or aarch64/ folder', 'move mine.json into');
  });
  it('a valid user profile works, and can include built-in ones', () => {
    const dir = userProfiles({
      fc: '{"description": "Firecracker, blk only", "hypervisors": ["Firecracker"], "includes": ["base"], "sets": {"mmio": 1, "pci": 1, "virtio_blk": 1, "scsi": 1}}',
    });
    const run = osvconf([`--profiles-dir=${dir}`, '--profile=fc', PRINT]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('#define CONF_drivers_mmio 1\n#define CONF_drivers_nvme 0\n');
    expect(run.stdout).toContain('#define CONF_drivers_virtio 1\n#define CONF_drivers_virtio_blk 1\n');
  });
});

describe('--out that cannot be written', () => {
  it('is a file', () => {
    const dir = tempDir();
    const file = join(dir, 'afile');
    writeFileSync(file, 'x');
    expectError(osvconf([`--out=${file}`]), 1, 'it is a file, not a directory');
  });
  it('lies under a file: nothing is written anywhere', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'afile'), 'x');
    expectError(osvconf([`--out=${join(dir, 'afile', 'sub')}`]), 1, 'cannot write to', 'nothing was written');
    expect(readdirSync(dir)).toEqual(['afile']);
  });
  it('a bad selection writes nothing, not even the directory', () => {
    const dir = join(tempDir(), 'new');
    expectError(osvconf([`--out=${dir}`, 'conf_drivers_pci=maybe']), 1);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('without --print or --out', () => {
  it('outside an OSv checkout: a usage error saying so', () => expectError(osvconf(['--profile=xen'], { cwd: tempDir() }), 2, 'nothing to do', 'OSv checkout'));
});

describe('--json for scripts', () => {
  it('a failing command prints the error as a JSON object on stdout too, with the exit code', () => {
    const run = osvconf(['--profile=virtio-pci', 'conf_drivers_pci=0', '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { error: { kind: string; message: string; hint?: string } };
    expect(report.error.kind).toBe('user');
    expect(report.error.message).toContain('conflicts with');
    expect(report.error.hint).toContain('--force');
    expect(run.stderr).toContain('osvconf: error:');
  });

  it('warnings are in the JSON, not only on stderr', () => {
    const run = osvconf(['--profile=virtio-mmio', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { warnings?: { code: string; level: string }[] };
    expect(report.warnings?.map((w) => w.code)).toContain('virtio-balloon-without-pci');
  });
});

describe('help and mistyped commands', () => {
  it("tui --help and help tui show the configurator's page, not the main help", () => {
    for (const args of [
      ['tui', '--help'],
      ['help', 'tui'],
    ]) {
      const run = osvconf(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: osvconf tui /);
      expect(run.stdout).toContain('Keys:');
    }
  });

  it('help for a command that does not exist is a usage error with a suggestion', () => {
    const run = osvconf(['help', 'sise']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no help for "sise": not a command (did you mean "size"?)');
    expect(run.stdout).toBe('');
  });

  it('a mistyped command gets "did you mean" the command, not "write it as NAME=1"', () => {
    for (const [typo, meant] of [
      ['lsit', 'list'],
      ['explian', 'explain'],
      ['symbol', 'symbols'],
    ]) {
      const run = osvconf([typo as string]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`unknown command "${typo}" (did you mean "${meant}"?)`);
      expect(run.stderr).not.toContain('write it as');
    }
  });

  it('symbols --help says what --out, --force and --strict do for symbols', () => {
    const help = osvconf(['symbols', '--help']).stdout;
    expect(help).toMatch(/--out=FILE\s+write the version script to FILE/);
    expect(help).toMatch(/--force\s+with --out, replace FILE/);
    expect(help).not.toContain('laid out as an OSv tree');
  });
});
