// Profiles and .mk files built to exhaust osvconf: recursion a file controls, expansion that
// doubles, include chains and fan-outs, loops, garbage. Each ends with a located error (exit 1,
// no "internal error") after bounded work. A regression shows as a hang until vitest's deadline.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvconf, tempDir } from '../helpers/cli.js';

function profilesDir(files: Record<string, string>): string {
  const dir = tempDir('osvconf-profiles-');
  mkdirSync(join(dir, 'x64'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'x64', `${name}.json`), text);
  return dir;
}

const profile = (includes: string[]): string => JSON.stringify({ description: 'x', hypervisors: ['QEMU'], includes, sets: {} });

function expectRefused(run: { code: number | null; stderr: string }, message: string): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toContain(message);
  expect(run.stderr).not.toContain('internal error');
}

describe('JSON profiles', () => {
  it('nested 200k deep: refused at depth 64', () => {
    const dir = profilesDir({ deep: `{"description": ${'['.repeat(200_000)}${']'.repeat(200_000)}}` });
    expectRefused(osvconf([`--profiles-dir=${dir}`, '--profile=deep', '--print=drivers_config.h']), 'nested more than 64 deep');
  });

  it('an include chain of 3,000 profiles: refused at depth 64', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`p${i}`] = profile(i + 1 < 3000 ? [`p${i + 1}`] : ['base']);
    expectRefused(osvconf([`--profiles-dir=${profilesDir(files)}`, '--profile=p0', '--print=drivers_config.h']), 'includes nested more than 64 deep');
  });

  it('includes that fan out (each level twice the next, 30 levels): refused past 10,000 files', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`f${i}`] = profile(i + 1 < 30 ? [`f${i + 1}`, `f${i + 1}`] : ['base']);
    expectRefused(osvconf([`--profiles-dir=${profilesDir(files)}`, '--profile=f0', '--print=drivers_config.h']), 'expand to more than 10000 profile files');
  });

  it('a dangling symlink is named as such, not suggested as a profile', () => {
    const dir = profilesDir({});
    symlinkSync(join(dir, 'nowhere.json'), join(dir, 'x64', 'dangling.json'));
    const run = osvconf([`--profiles-dir=${dir}`, '--profile=dangling', '--print=drivers_config.h']);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('did you mean dangling');
    expect(run.stderr).not.toContain('internal error');
  });
});

describe('osvconf import on hostile .mk files', () => {
  function tree(files: Record<string, string>, links: Record<string, string> = {}): string {
    const dir = tempDir('osv-');
    const profiles = join(dir, 'conf', 'profiles', 'x64');
    mkdirSync(profiles, { recursive: true });
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'scripts', 'build'), '#!/bin/sh\n');
    writeFileSync(join(profiles, 'base.mk'), osvconf(['--print=base.mk']).stdout);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(profiles, name), text);
    for (const [name, target] of Object.entries(links)) symlinkSync(target, join(profiles, name));
    return dir;
  }
  const importInto = (dir: string) => osvconf(['import', dir, `--to=${join(dir, 'out')}`]);

  it('a variable that doubles 40 times: refused with its file and line', () => {
    const lines = ['X0 = aaaaaaaaaa'];
    for (let i = 1; i <= 40; i++) lines.push(`X${i} = $(X${i - 1})$(X${i - 1})`);
    lines.push('conf_drivers_pci ?= $(X40)');
    expectRefused(importInto(tree({ 'double.mk': lines.join('\n') + '\n' })), 'double.mk');
  });

  it('ifeq nested 10,000 deep: refused', () => {
    const text = 'ifeq (1,1)\n'.repeat(10_000) + 'conf_drivers_pci ?= 1\n' + 'endif\n'.repeat(10_000);
    expectRefused(importInto(tree({ 'nest.mk': text })), 'nested more than 64 deep');
  });

  it('binary garbage and a symlink loop between two files: located errors, never thrown', () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    const run = importInto(tree({ 'garbage.mk': garbage }, { 'a.mk': 'b.mk', 'b.mk': 'a.mk' }));
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('internal error');
    expect(run.stderr.split('\n').length).toBeLessThan(70);
  });
});
