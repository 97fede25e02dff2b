// osvconf import: OSv-form trees (including =, :=, conditionals, continuations, symlinks) round-trip
// through real make; unsupported constructs are located; a fuzz test mutates .mk files and
// checks that each input either imports and then agrees with make, or fails with a located
// error, without throwing or hanging.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importProfiles, type TreeReader } from '../../src/importer/import-profiles.js';
import { renderDriversConfigH } from '../../src/generators/drivers-config-h.js';
import { loadArchCatalog, loadDefaults, profileSource } from '../../src/io/catalog-files.js';
import { rng } from '../helpers/random.js';
import { osvconf, tempDir } from '../helpers/cli.js';
import { emptyMakeTree, makeHeader, makeTree, rawDrivers, rawProfiles } from '../helpers/make-harness.js';
import { selectWith } from '../helpers/pipeline.js';

const trees: string[] = [];
afterAll(() => trees.forEach((t) => rmSync(t, { recursive: true, force: true })));

const HAND_WRITTEN: Record<string, string> = {
  // includes, then ?= with export and blanks, a comment after a value
  'kvm-blk': 'include conf/profiles/$(arch)/base.mk\nexport conf_drivers_pci ?= 1\nconf_drivers_virtio_blk?=1# blk only\nconf_drivers_scsi?=1\n',
  // = and := override what an include set; a continuation line
  override: 'include conf/profiles/$(arch)/virtio-pci.mk\nconf_drivers_virtio_fs = 0\nconf_drivers_virtio_scsi := \\\n   0\n',
  // conditionals on values set above, else-if chains, ifdef/ifndef
  cond: [
    'conf_drivers_mmio?=1',
    'ifeq ($(conf_drivers_mmio),1)',
    '  conf_drivers_virtio_net?=1',
    'else ifeq ($(conf_drivers_pci),1)',
    '  conf_drivers_nvme?=1',
    'else',
    '  conf_drivers_vga?=1',
    'endif',
    'ifneq "$(conf_drivers_virtio_net)" "1"',
    'conf_drivers_xen?=1',
    'endif',
    'ifdef conf_drivers_mmio',
    'conf_drivers_scsi = 1',
    'endif',
    'ifndef conf_drivers_hpet',
    'conf_drivers_virtio_blk ?= 1',
    'endif',
    '',
  ].join('\n'),
  // own lines before an include: make gives them priority, so the file is written flat
  early: 'conf_drivers_virtio_rng?=0\ninclude conf/profiles/$(arch)/virtio-pci.mk\nexport conf_drivers_pvpanic\n',
  // a recursive variable seen through another
  indirect: 'on = 1\nconf_drivers_nvme = $(on)\nconf_drivers_pci ?= $(conf_drivers_nvme)\n',
};

function osvTree(extra: Record<string, string>): string {
  const tree = makeTree(['x64']);
  trees.push(tree);
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(tree, 'conf', 'profiles', 'x64', `${name}.mk`), text);
  return tree;
}

describe('import round trip through make', () => {
  it("every profile of the tree gives make's header, as imported and as a re-generated profile.mk", () => {
    const tree = osvTree(HAND_WRITTEN);
    symlinkSync('cond.mk', join(tree, 'conf', 'profiles', 'x64', 'cond-link.mk'));
    const to = tempDir();
    const run = osvconf(['import', tree, `--to=${to}`]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/same as built-in\s+x64\/virtio-pci/);
    expect(run.stdout).toMatch(/x64\/override\.json\s+\(flattened\)/);
    expect(run.stdout).toMatch(/x64\/early\.json\s+\(flattened\)/);
    expect(JSON.parse(readFileSync(join(to, 'x64', 'kvm-blk.json'), 'utf8')).sets).toBeDefined();
    expect(JSON.parse(readFileSync(join(to, 'x64', 'cond-link.json'), 'utf8')).alias_of).toBe('cond');

    const rebuilt = emptyMakeTree();
    trees.push(rebuilt);
    mkdirSync(join(rebuilt, 'conf', 'profiles', 'x64'), { recursive: true });
    writeFileSync(join(rebuilt, 'conf', 'profiles', 'x64', 'base.mk'), osvconf(['--print=base.mk']).stdout);
    const names = readdirSync(join(tree, 'conf', 'profiles', 'x64'))
      .map((f) => f.slice(0, -3))
      .filter((n) => n !== 'base');
    for (const name of names) {
      const expected = makeHeader(tree, 'x64', name, []);
      const mine = osvconf([`--profiles-dir=${to}`, `--profile=${name}`, '--force', '--print=drivers_config.h']);
      expect(mine.stdout, name).toBe(expected);
      const mk = osvconf([`--profiles-dir=${to}`, `--profile=${name}`, '--force', `--name=rt-${name}`, '--print=profile.mk']).stdout;
      writeFileSync(join(rebuilt, 'conf', 'profiles', 'x64', `rt-${name}.mk`), mk);
      expect(makeHeader(rebuilt, 'x64', `rt-${name}`, []), `profile.mk of ${name}`).toBe(expected);
    }
  });
});

describe('import refuses what it does not understand, with file:line', () => {
  it.each([
    ['conf_drivers_ena += 1\n', 'bad.mk:1: "+=" assignment'],
    ['ifeq ($(shell uname),Linux)\nconf_drivers_pci?=1\nendif\n', 'bad.mk:1: unsupported "$(shell uname)"'],
    ['conf_drivers_pci ?= 1 \n', 'bad.mk:1: conf_drivers_pci gets "1 ", not 0 or 1 (make keeps the trailing blank)'],
    ['\n\nconf_drivers_vgaa?=1\n', 'bad.mk:3: conf_drivers_vgaa: no such driver on x64 (did you mean "vga"'],
    ['conf_hide_symbols?=1\n', 'bad.mk:1: sets conf_hide_symbols: an osvconf profile holds only conf_drivers_* flags'],
    ['include ../../../etc/passwd\n', 'bad.mk:1: include of "../../../etc/passwd"'],
    ['ifeq ($(conf_drivers_pci),1)\nconf_drivers_nvme?=1\n', 'bad.mk:1: conditional without endif'],
    ['endif\n', 'bad.mk:1: "endif" without'],
    ['all: x\n\techo\n', 'bad.mk:1: unsupported make construct: "all: x"'],
    ['include conf/profiles/$(arch)/bad.mk\n', 'bad.mk:1: include cycle'],
  ])('%j', (text, message) => {
    const tree = osvTree({ bad: text });
    const to = join(tempDir(), 'out');
    const run = osvconf(['import', tree, `--to=${to}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`conf/profiles/x64/${message}`);
    expect(existsSync(to)).toBe(false);
  });

  it('a folder that is not an OSv tree', () => {
    const run = osvconf(['import', tempDir()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is not an OSv tree');
  });
});

// --- fuzz -----------------------------------------------------------------------------------

function generate(next: () => number, drivers: string[], profiles: string[]): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const lines: string[] = [];
  const block = (depth: number): void => {
    for (let n = 1 + Math.floor(next() * 5); n > 0; n--) {
      const r = next();
      const v = `conf_drivers_${pick(drivers)}`;
      const value = next() < 0.1 ? `$(conf_drivers_${pick(drivers)})` : pick(['0', '1']);
      if (r < 0.5) lines.push(`${next() < 0.3 ? 'export ' : ''}${v}${pick([' ?= ', '?=', ' = ', ' := '])}${value}`);
      else if (r < 0.6) lines.push(`include conf/profiles/$(arch)/${pick(profiles)}.mk`);
      else if (r < 0.67) lines.push(`# ${pick(['note', 'ifeq', 'export conf'])}`);
      else if (r < 0.69) lines.push(`export ${v}`);
      else if (depth < 2) {
        lines.push(pick([`ifeq ($(${v}),1)`, `ifneq ($(${v}),0)`, `ifdef ${v}`, `ifndef ${v}`, `ifeq "$(${v})" "1"`]));
        block(depth + 1);
        if (next() < 0.5) {
          lines.push(next() < 0.3 ? `else ifeq ($(${v}),0)` : 'else');
          block(depth + 1);
        }
        lines.push('endif');
      }
    }
  };
  block(0);
  return lines.join('\n') + '\n';
}

const MAKE_CHARS = ['$', '(', ')', '#', '\\', ':', '=', '?', '+', ' ', '\t', '\n', '{', '}', ',', '"', "'", 'x', '1'];

function mutate(next: () => number, text: string): string {
  let s = text;
  for (let n = Math.floor(next() * 3); n > 0; n--) {
    const at = Math.floor(next() * (s.length + 1));
    const r = next();
    if (r < 0.4) s = s.slice(0, at) + (MAKE_CHARS[Math.floor(next() * MAKE_CHARS.length)] as string) + s.slice(at);
    else if (r < 0.8) s = s.slice(0, at) + s.slice(at + 1);
    else {
      const lines = s.split('\n');
      const i = Math.floor(next() * lines.length);
      lines.splice(i, 0, lines[Math.floor(next() * lines.length)] as string);
      s = lines.join('\n');
    }
  }
  return s;
}

describe('importer fuzz (seeded)', () => {
  it('random and mutated .mk files import and agree with make, or fail located, never throw', () => {
    const catalog = loadArchCatalog('x64');
    const defaults = loadDefaults();
    if (!catalog.ok || !defaults.ok) throw new Error('catalog');
    const builtins = profileSource(catalog.value, defaults.value);
    const drivers = rawDrivers('x64').map((d) => d.name);
    const osvProfiles = [...rawProfiles('x64').entries()].filter(([n, p]) => n !== 'base' && p.alias_of === undefined && n !== 'virtio-kvm').map(([n]) => n);
    const tree = makeTree(['x64']);
    trees.push(tree);
    const dir = join(tree, 'conf', 'profiles', 'x64');
    const baseFiles = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    // OSVCONF_FUZZ_SEED=<n> explores other inputs; the default seed keeps CI reproducible.
    const next = rng(Number(process.env['OSVCONF_FUZZ_SEED'] ?? 99));
    let imported = 0;
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const fresh = generate(next, drivers, [...osvProfiles, 'helper']);
      const text = next() < 0.6 ? mutate(next, fresh) : fresh;
      const helper = generate(next, drivers, osvProfiles);
      const files = new Map([...baseFiles, ['fuzz.mk', text], ['helper.mk', helper]]);
      const reader: TreeReader = {
        files: () => ['fuzz.mk', 'helper.mk'],
        entry: (_a, f) => (files.has(f) ? { kind: 'file', text: files.get(f) as string } : undefined),
      };
      const label = `case ${i}:\n${text}`;
      const result = importProfiles(reader, [catalog.value], (_a, n) => {
        const p = builtins.get(n);
        return p.ok ? p.value : undefined;
      });
      if (result.errors.length > 0) {
        refused++;
        for (const e of result.errors) expect(e, label).toMatch(/^conf\/profiles\/x64\/[\w-]+\.mk(:\d+)?: \S/);
        continue;
      }
      imported++;
      // It imported: the profile must say what make says.
      const to = tempDir();
      mkdirSync(join(to, 'x64'));
      for (const p of result.profiles) writeFileSync(join(to, 'x64', `${p.name}.json`), JSON.stringify(p.json));
      writeFileSync(join(dir, 'fuzz.mk'), text);
      writeFileSync(join(dir, 'helper.mk'), helper);
      let expected: string;
      try {
        expected = makeHeader(tree, 'x64', 'fuzz', []);
      } catch (e) {
        throw new Error(`${label}\nosvconf imported it, make failed: ${(e as { stderr?: Buffer }).stderr?.toString()}`);
      }
      const selection = selectWith('x64', 'fuzz', {}, { force: true, profilesDir: to });
      if (!selection.ok) throw new Error(`${label}\n${selection.error.message}`);
      expect(renderDriversConfigH(selection.value), label).toBe(expected);
    }
    // Both outcomes must be exercised in earnest.
    expect(imported).toBeGreaterThan(80);
    expect(refused).toBeGreaterThan(80);
  });
});
