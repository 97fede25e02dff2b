// The write plan (src/io/write-plan.ts) in process: write-if-changed, only files osvconf wrote are
// replaced, nothing through a symlink out of the tree, modes kept, read-only refused, only what
// the run created is removed, a killed run's journal completed and its temps removed, a dead
// writer's lock taken over.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePlan, writePlan } from '../../src/io/write-plan.js';
import { tempDir } from '../helpers/cli.js';

const MARK = '#ours\n';
const file = (path: string, body: string) => ({ path, content: MARK + body, owns: (t: string) => t.startsWith(MARK) });

describe('write plan', () => {
  it('writes new and changed files, skips unchanged ones, leaves no temp, lock or journal', () => {
    const root = join(tempDir(), 'out');
    const first = writePlan(root, [file('a/b.txt', 'one'), file('c.txt', 'two')]);
    expect(first.ok && first.value.map((f) => f.status)).toEqual(['wrote', 'wrote']);
    const second = writePlan(root, [file('a/b.txt', 'one'), file('c.txt', 'TWO')]);
    expect(second.ok && second.value.map((f) => f.status)).toEqual(['unchanged', 'wrote']);
    expect(readFileSync(join(root, 'c.txt'), 'utf8')).toBe(`${MARK}TWO`);
    expect(readdirSync(root).sort()).toEqual(['a', 'c.txt']);
    expect(readdirSync(join(root, 'a'))).toEqual(['b.txt']);
  });

  it('compares without writing', () => {
    const root = tempDir();
    writeFileSync(join(root, 'x'), `${MARK}old`);
    const plan = comparePlan(root, [file('x', 'new'), file('y', 'y')]);
    expect(plan.ok && plan.value).toEqual([
      { path: 'x', status: 'wrote', before: `${MARK}old` },
      { path: 'y', status: 'wrote' },
    ]);
    expect(existsSync(join(root, 'y'))).toBe(false);
  });

  it('a file osvconf did not write is not replaced, unless forced', () => {
    const root = tempDir();
    writeFileSync(join(root, 'hand.mk'), 'conf_drivers_x?=1\n');
    const r = writePlan(root, [file('new', 'n'), file('hand.mk', 'generated')]);
    expect(!r.ok && r.error.message).toContain('was not written by osvconf');
    expect(readdirSync(root)).toEqual(['hand.mk']);
    expect(readFileSync(join(root, 'hand.mk'), 'utf8')).toBe('conf_drivers_x?=1\n');
    expect(writePlan(root, [file('hand.mk', 'generated')], { force: true }).ok).toBe(true);
    expect(readFileSync(join(root, 'hand.mk'), 'utf8')).toBe(`${MARK}generated`);
  });

  it('a target that is a directory, a FIFO or a symbolic link fails before anything is written', () => {
    const root = tempDir();
    mkdirSync(join(root, 'dir'));
    symlinkSync('/etc/hostname', join(root, 'link'));
    execFileSync('mkfifo', [join(root, 'fifo')]);
    for (const [name, message] of [
      ['dir', 'it is a directory'],
      ['link', 'symbolic link'],
      ['fifo', 'not a regular file'],
    ] as const) {
      const r = writePlan(root, [file('first', '1'), file(name, '2')]);
      expect(!r.ok && r.error.message, name).toContain(message);
    }
    expect(readdirSync(root).sort()).toEqual(['dir', 'fifo', 'link']);
  });

  it('never writes through a directory symlink that leads out of the tree', () => {
    const top = tempDir();
    const tree = join(top, 'tree');
    const outside = join(top, 'outside');
    mkdirSync(tree);
    mkdirSync(outside);
    symlinkSync(outside, join(tree, 'build'));
    const r = writePlan(tree, [file('conf/a', 'a'), file('build/gen/x.h', 'x')]);
    expect(!r.ok && r.error.message).toContain('leads outside the tree');
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(tree)).toEqual(['build']);
  });

  it('a directory that is a dangling symlink is named as such', () => {
    const root = tempDir();
    symlinkSync(join(root, 'nowhere'), join(root, 'build'));
    const r = writePlan(root, [file('build/gen/x.h', 'x')]);
    expect(!r.ok && r.error.message).toContain('is a symbolic link that leads nowhere');
    expect(readdirSync(root)).toEqual(['build']);
  });

  it('keeps the mode of a replaced file; a read-only one is refused unless forced', () => {
    const root = tempDir();
    writeFileSync(join(root, 'm'), `${MARK}old`);
    chmodSync(join(root, 'm'), 0o640);
    expect(writePlan(root, [file('m', 'new')]).ok).toBe(true);
    expect(statSync(join(root, 'm')).mode & 0o777).toBe(0o640);
    chmodSync(join(root, 'm'), 0o444);
    const r = writePlan(root, [file('m', 'newer')]);
    expect(!r.ok && r.error.message).toContain('read-only');
    expect(writePlan(root, [file('m', 'newer')], { force: true }).ok).toBe(true);
    expect(statSync(join(root, 'm')).mode & 0o777).toBe(0o444);
  });

  it('on failure removes only the directories it created, and only when empty', () => {
    const root = tempDir();
    writeFileSync(join(root, 'afile'), 'x');
    mkdirSync(join(root, 'kept'));
    const r = writePlan(root, [file('new/deep/one', '1'), file('kept/two', '2'), file('afile/three', '3')]);
    expect(r.ok).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['afile', 'kept']);
    expect(readdirSync(join(root, 'kept'))).toEqual([]);
  });

  it('completes the journal of a run killed while renaming, and removes stale temps', () => {
    const root = tempDir();
    writeFileSync(join(root, 'a'), `${MARK}old a`);
    writeFileSync(join(root, 'b'), `${MARK}new b`); // renamed already
    writeFileSync(join(root, '.a.osvconf-999-abc123.tmp'), `${MARK}new a`);
    writeFileSync(join(root, '.b.osvconf-998-def456.tmp'), 'a temp of a run killed before its journal');
    writeFileSync(
      join(root, '.osvconf.journal'),
      JSON.stringify([
        { temp: '.a.osvconf-999-abc123.tmp', target: 'a' },
        { temp: '.b.osvconf-999-0000aa.tmp', target: 'b' },
      ]),
    );
    const r = writePlan(root, [file('a', 'new a'), file('b', 'new b')]);
    expect(r.ok && r.value.map((f) => f.status)).toEqual(['unchanged', 'unchanged']);
    expect(readdirSync(root).sort()).toEqual(['a', 'b']);
  });

  it('a journal the next plan cannot finish is rolled back: the set stays all-old', () => {
    const root = tempDir();
    // A killed run had renamed a (its backup kept) and not yet b; the next run writes only c.
    writeFileSync(join(root, 'a'), `${MARK}new a`);
    writeFileSync(join(root, '.a.osvconf-77-000000000001.old'), `${MARK}old a`);
    writeFileSync(join(root, 'b'), `${MARK}old b`);
    writeFileSync(join(root, '.b.osvconf-77-000000000002.tmp'), `${MARK}new b`);
    writeFileSync(join(root, '.b.osvconf-77-000000000003.old'), `${MARK}old b`);
    writeFileSync(
      join(root, '.osvconf.journal'),
      JSON.stringify([
        { temp: '.a.osvconf-77-000000000009.tmp', target: 'a', backup: '.a.osvconf-77-000000000001.old' },
        { temp: '.b.osvconf-77-000000000002.tmp', target: 'b', backup: '.b.osvconf-77-000000000003.old' },
      ]),
    );
    expect(writePlan(root, [file('c', 'c')]).ok).toBe(true);
    expect(readFileSync(join(root, 'a'), 'utf8')).toBe(`${MARK}old a`);
    expect(readFileSync(join(root, 'b'), 'utf8')).toBe(`${MARK}old b`);
    expect(readdirSync(root).sort()).toEqual(['a', 'b', 'c']);
  });

  it('a planted journal cannot write outside the tree, nor replace a file osvconf did not write', () => {
    const top = tempDir();
    const tree = join(top, 'tree');
    const victim = join(top, 'victim');
    mkdirSync(tree);
    mkdirSync(victim);
    writeFileSync(join(victim, 'authorized_keys'), 'original\n');
    symlinkSync(victim, join(tree, 'link'));
    writeFileSync(join(tree, 'Makefile'), 'OSv\n');
    writeFileSync(join(tree, '.x.osvconf-1-ab.tmp'), 'ATTACKER\n');
    writeFileSync(join(tree, '.Makefile.osvconf-1-cd.tmp'), 'ATTACKER\n');
    writeFileSync(
      join(tree, '.osvconf.journal'),
      JSON.stringify([
        { temp: '.x.osvconf-1-ab.tmp', target: 'link/authorized_keys' },
        { temp: '.Makefile.osvconf-1-cd.tmp', target: 'Makefile' },
      ]),
    );
    expect(writePlan(tree, [file('x', 'x')]).ok).toBe(true);
    expect(readFileSync(join(victim, 'authorized_keys'), 'utf8')).toBe('original\n');
    expect(readFileSync(join(tree, 'Makefile'), 'utf8')).toBe('OSv\n');
    expect(readdirSync(tree).sort()).toEqual(['Makefile', 'link', 'x']);
  });

  it('a FIFO or a foreign file at the lock or journal is an error, never a wait', () => {
    for (const name of ['.osvconf.lock', '.osvconf.journal']) {
      const root = tempDir();
      execFileSync('mkfifo', [join(root, name)]);
      const r = writePlan(root, [file('x', 'x')]);
      expect(!r.ok && r.error.message, name).toContain('not a regular file');
    }
    const root = tempDir();
    writeFileSync(join(root, '.osvconf.lock'), '');
    const r = writePlan(root, [file('x', 'x')]);
    expect(!r.ok && r.error.message).toContain('is not a lock osvconf wrote');
  });

  it("removes a killed run's temps in the plan's folders even when the plan changed", () => {
    const root = tempDir();
    mkdirSync(join(root, 'conf'));
    writeFileSync(join(root, 'conf', '.other.mk.osvconf-4242-0123456789ab.tmp'), 'left by a killed run');
    expect(writePlan(root, [file('conf/mine.mk', 'm')]).ok).toBe(true);
    expect(readdirSync(join(root, 'conf'))).toEqual(['mine.mk']);
  });

  it("takes over the lock of a writer that died; a journal's paths out of the tree are ignored", () => {
    const root = tempDir();
    writeFileSync(join(root, '.osvconf.lock'), '999999999\n');
    writeFileSync(join(root, '.osvconf.journal'), JSON.stringify([{ temp: '../../etc/.passwd.osvconf-1-aa.tmp', target: '../../etc/passwd' }]));
    const r = writePlan(root, [file('x', 'x')]);
    expect(r.ok).toBe(true);
    expect(readdirSync(root)).toEqual(['x']);
  });
});
