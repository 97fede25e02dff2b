// The selection reaches OSv's own configuration step (DESIGN §10), checked with OSv's real make and
// Kconfig tools. Runs only when OSVCONF_OSV_TREE names an OSv checkout with its kbuild submodule
// (see the README); nothing of OSv is part of this repository. For each case: osvconf --out into
// a copy of the tree's configuration inputs, then `make -f conf/Makefile config` with the settings
// of the build command osvconf printed (as ./scripts/build runs it first); then every file OSv
// derives must carry the selection, and a second run must change nothing.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { osvconf, tempDir } from '../helpers/cli.js';
import { rng } from '../helpers/random.js';
import { confMakefileSed } from '../../src/generators/kconfig-files.js';

const OSV = process.env['OSVCONF_OSV_TREE'];
const CASES = Number(process.env['OSVCONF_REAL_TREE_CASES'] ?? '6');
const usable = OSV !== undefined && existsSync(join(OSV, 'conf', 'Makefile')) && existsSync(join(OSV, 'kbuild', 'kconfig', 'conf.c'));
const BUILD = 'build/release.x64';
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

/** A fresh copy of what OSv's configuration step reads: as a new checkout, never configured. */
function freshTree(): string {
  const tree = tempDir('osvconf-real-');
  temps.push(tree);
  for (const dir of ['conf', 'scripts', 'kbuild', 'exported_symbols'])
    cpSync(join(OSV as string, dir), join(tree, dir), { recursive: true, filter: (src) => !src.endsWith('/.git') });
  return tree;
}

function configure(tree: string, args: readonly string[]): string[] {
  const run = osvconf([...args, `--out=${tree}`]);
  expect(run.code, run.stderr).toBe(0);
  const line = run.stdout.split('\n').find((l) => l.startsWith('build with: ./scripts/build ')) as string;
  // scripts/build passes every word but fs=, image= and modules= to the configuration step.
  const words = line
    .slice('build with: ./scripts/build '.length)
    .split(' ')
    .filter((w) => !w.startsWith('fs='));
  const make = spawnSync('make', ['-f', 'conf/Makefile', '-j1', 'config', ...words], { cwd: tree, encoding: 'utf8' });
  expect(make.status, make.stderr).toBe(0);
  return words;
}

const sortedLines = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('#') || l.startsWith('#define'))
    .sort()
    .join('\n');
const read = (tree: string, path: string): string => readFileSync(join(tree, BUILD, path), 'utf8');

function expectSelection(tree: string, args: readonly string[]): void {
  const print = (artifact: string): string => {
    const run = osvconf([...args, `--print=${artifact}`]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };
  expect(read(tree, '.config'), 'the .config make uses').toBe(print('.config'));
  expect(read(tree, 'gen/include/osv/drivers_config.h')).toBe(print('drivers_config.h'));
  // Kconfig writes these two in its symbol-table order: compare them as sets of lines.
  const header = print('kernel_config.h');
  expect(sortedLines(read(tree, 'gen/include/osv/kernel_config.h'))).toBe(sortedLines(header));
  expect(sortedLines(read(tree, 'gen/config/kernel_conf.mk'))).toBe(sortedLines(print('kernel_conf.mk')));
  // kernel.conf is what conf/Makefile's three sed edits turn into kernel_conf.mk.
  const kernelConf = read(tree, 'gen/config/kernel.conf').split('\n').map(confMakefileSed).join('\n');
  expect(sortedLines(kernelConf)).toBe(sortedLines(print('kernel_conf.mk')));
  // Every per-option header the sources include says what the selection says.
  const defined = new Map([...header.matchAll(/^#define CONF_(\S+) (.*)$/gm)].map((m) => [m[1] as string, m[2] as string]));
  const headers = readdirSync(join(tree, BUILD, 'gen/include/osv')).filter((f) => /^kernel_config_.+\.h$/.test(f));
  expect(headers.length).toBeGreaterThan(10);
  for (const file of headers) {
    const option = file.slice('kernel_config_'.length, -2);
    const value = /#define CONF_\S+ (.*)\n/.exec(read(tree, `gen/include/osv/${file}`))?.[1];
    if (defined.has(option)) expect(value, file).toBe(defined.get(option));
    else if (!/^drivers_profile_/.test(option)) {
      // Not in kernel_config.h: a bool that is off (0), or an option whose dependency is off.
      const dot = print('.config');
      if (dot.includes(`# CONF_${option} is not set\n`)) expect(value, file).toBe('0');
    }
  }
}

function mtimes(tree: string): Map<string, number> {
  const all = new Map<string, number>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'kbuild') walk(p);
      } else all.set(p, statSync(p).mtimeMs);
    }
  };
  walk(join(tree, BUILD));
  walk(join(tree, 'conf'));
  return all;
}

describe.skipIf(!usable)('OSv real make: the selection reaches the derived files', () => {
  it('a fresh checkout: custom profile, hidden symbols, tracepoints off, lazy stack on; a second run changes nothing', () => {
    const tree = freshTree();
    const args = ['--profile=virtio-pci', 'conf_drivers_hpet=1', 'conf_tracepoints=0', 'conf_lazy_stack=1', 'conf_hide_symbols=1', 'fs=rofs'];
    configure(tree, args);
    expectSelection(tree, args);
    const before = mtimes(tree);
    configure(tree, args);
    expect(mtimes(tree)).toEqual(before);
  });

  it("OSv's own example configurations (conf/examples/*.config.x64) load and reach the derived files", () => {
    const tree = freshTree();
    const dir = join(tree, 'conf', 'examples', 'minimal_microvm');
    const examples = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.config.x64')) : [];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      // The examples hide symbols with an app script that keeps no ZFS symbols: they are for a ROFS image.
      const args = [`--load=${join(dir, example)}`, 'fs=rofs'];
      configure(tree, args);
      expectSelection(tree, args);
    }
  });

  it(`a tree configured before: every profile, then ${CASES} random selections, each checked`, () => {
    const tree = freshTree();
    configure(tree, ['--profile=all']);
    const profiles = (JSON.parse(osvconf(['list', 'profiles', '--json']).stdout) as { name: string }[]).map((p) => p.name);
    const options = (JSON.parse(osvconf(['list', 'options', '--json']).stdout) as { setting: string; kind: string; type: string }[]).filter(
      (o) => o.kind === 'kconfig' && o.type === 'bool',
    );
    for (const profile of profiles) {
      configure(tree, [`--profile=${profile}`, '--force']);
      expectSelection(tree, [`--profile=${profile}`, '--force']);
    }
    const next = rng(Number(process.env['OSVCONF_SEED'] ?? '1010'));
    for (let i = 0; i < CASES; i++) {
      const args = [`--profile=${profiles[Math.floor(next() * profiles.length)] as string}`, '--force'];
      for (let k = 1 + Math.floor(next() * 4); k > 0; k--)
        args.push(`${(options[Math.floor(next() * options.length)] as { setting: string }).setting}=${next() < 0.5 ? 0 : 1}`);
      const unique = [...new Map(args.map((a) => [a.split('=')[0], a])).values()];
      const run = osvconf([...unique, '--print=.config']);
      if (run.code !== 0) continue; // a dependency refused: osvconf said so, nothing to build
      configure(tree, unique);
      expectSelection(tree, unique);
    }
  });
});
