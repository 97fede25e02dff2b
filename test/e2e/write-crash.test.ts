// The set of files --out writes is all-old or all-new: killed at random points (SIGKILL) it is
// one or the other, or the next run completes it; and it leaves no temp file after the next run.
// Two writers at once each end with one writer's complete set. Round counts come from
// OSVCONF_CRASH_ROUNDS / OSVCONF_RACE_ROUNDS (small by default; npm run test:deep runs more).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, osvconf, tempDir } from '../helpers/cli.js';
import { rng } from '../helpers/random.js';

const CRASH_ROUNDS = Number(process.env['OSVCONF_CRASH_ROUNDS'] ?? '25');
const RACE_ROUNDS = Number(process.env['OSVCONF_RACE_ROUNDS'] ?? '15');
const A = ['--profile=virtio-pci', 'conf_drivers_hpet=1', '--name=mine', 'conf_tracepoints=0'];
const B = ['--profile=virtio-pci', 'conf_drivers_hpet=1', 'conf_drivers_vga=1', '--name=mine', 'conf_lazy_stack=1', 'fs=rofs'];

function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

function snapshot(dir: string): Map<string, string> {
  return new Map(allFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** The files a selection writes, as --out would lay them out. */
function expectedSet(selection: readonly string[]): Map<string, string> {
  const dir = tempDir();
  expect(osvconf([...selection, `--out=${dir}`]).code).toBe(0);
  return snapshot(dir);
}

function run(selection: readonly string[], out: string): { child: ReturnType<typeof spawn>; done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...selection, `--out=${out}`], { stdio: 'ignore' });
  return { child, done: new Promise((r) => child.on('exit', (code) => r(code))) };
}

const ours = (f: string): boolean => !/\.osvconf-\d+-[0-9a-f]+\.(tmp|old)$|\.osvconf\.(lock|journal)/.test(f);

describe('--out under kill -9 and with two writers', () => {
  const setA = expectedSet(A);
  const setB = expectedSet(B);

  it(`${CRASH_ROUNDS} rounds killed at random points: all-old or all-new, or completed by the next run; no temp left`, () => {
    const next = rng(Number(process.env['OSVCONF_SEED'] ?? '31337'));
    // Writing B over A: 4 temps, the journal, 4 renames (OSVCONF_KILL_AT counts them).
    const points = 2 * setB.size + 1;
    const seen = new Set<string>();
    for (let round = 0; round < CRASH_ROUNDS; round++) {
      const out = tempDir();
      expect(osvconf([...A, `--out=${out}`]).code).toBe(0);
      const at = 1 + Math.floor(next() * points);
      const killed = osvconf([...B, `--out=${out}`], { env: { ...process.env, OSVCONF_KILL_AT: String(at) } });
      expect(killed.code, `round ${round}: killed at step ${at}`).toBe(null);
      const now = snapshot(out);
      const visible = new Map([...now].filter(([f]) => ours(f)));
      const journal = [...now.keys()].some((f) => f.endsWith('.osvconf.journal'));
      const same = (m: Map<string, string>) => visible.size === m.size && [...m].every(([f, c]) => visible.get(f) === c);
      if (!journal) expect(same(setA) || same(setB), `round ${round}: a mixed set without a journal (step ${at})`).toBe(true);
      seen.add(journal ? 'journal' : same(setA) ? 'old' : 'new');
      // The next run (any selection) first completes or cleans up what was left: here A again.
      expect(osvconf([...A, `--out=${out}`]).code).toBe(0);
      const after = snapshot(out);
      expect(
        [...after.keys()].filter((f) => !ours(f)),
        `round ${round}: leftovers`,
      ).toEqual([]);
      expect(after).toEqual(setA);
    }
    if (CRASH_ROUNDS >= 10) expect([...seen].sort()).toEqual(['journal', 'old']);
  });

  it(`${RACE_ROUNDS} rounds of two writers at once: each ends with one writer's complete set`, async () => {
    for (let round = 0; round < RACE_ROUNDS; round++) {
      const out = tempDir();
      const first = run(A, out);
      const second = run(B, out);
      const codes = await Promise.all([first.done, second.done]);
      expect(codes).toEqual([0, 0]);
      const now = snapshot(out);
      expect([...now.keys()].filter((f) => !ours(f))).toEqual([]);
      const same = (m: Map<string, string>) => now.size === m.size && [...m].every(([f, c]) => now.get(f) === c);
      expect(same(setA) || same(setB), `round ${round}`).toBe(true);
    }
  });
});
