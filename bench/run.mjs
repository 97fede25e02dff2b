// npm run bench: the numbers behind osvconf's speed targets (not a test; run on a quiet machine).
//  1. CLI start-up: median wall time of `osvconf --profile=virtio-pci --print=drivers_config.h`
//     divided by the median of `node -e 0` (target <= 1.15).
//  2. Resolver: time to resolve synthetic catalogs of 1k / 10k / 100k flags (target: linear,
//     100k under 1 s).
//  3. Size estimate after one option changes (target: well under a millisecond).
//  4. The TUI's first frame in a real terminal (tmux), from launch (target: under a second).
// Needs the build (npm run build). Exits 1 when a target is missed.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { kconfigFile } from '../scripts/kconfig-file.mjs';
import { resolveDrivers } from '../dist/core/index.js';
import { createEstimator } from '../dist/size/model.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function wall(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

// --- 1. CLI start-up -----------------------------------------------------------------------
const cliArgs = [join(root, 'bin', 'osvconf.cjs'), '--profile=virtio-pci', '--print=drivers_config.h'];
const baseArgs = ['-e', '0'];
for (let i = 0; i < 3; i++) {
  wall(baseArgs);
  wall(cliArgs);
} // warm the file cache
const base = [];
const cli = [];
for (let i = 0; i < RUNS; i++) {
  // interleaved, so machine noise hits both alike
  base.push(wall(baseArgs));
  cli.push(wall(cliArgs));
}
const ratio = median(cli) / median(base);

// --- 2. Resolver on synthetic catalogs ------------------------------------------------------
// Rules shaped like base.mk: each flag may imply up to two flags declared after it; a "profile"
// assigns 10% of the flags and the command line overrides 1%.
function synthetic(n, seed = 42) {
  let a = seed;
  const rand = () => (a = (a * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const rules = [];
  for (let i = 0; i < n; i++) {
    const implies = [];
    for (let k = 0; k < 2; k++) if (rand() < 0.5 && i + 1 < n) implies.push(`f${i + 1 + Math.floor(rand() * Math.min(50, n - i - 1))}`);
    rules.push({ name: `f${i}`, implies });
  }
  const assignments = [];
  for (let i = 0; i < n / 10; i++) assignments.push({ flag: `f${Math.floor(rand() * n)}`, value: rand() < 0.5 ? 1 : 0, profile: 'p', via: [] });
  const overrides = new Map();
  for (let i = 0; i < n / 100; i++) overrides.set(`f${Math.floor(rand() * n)}`, rand() < 0.5 ? 1 : 0);
  return { rules, assignments, overrides };
}

const sizes = [1_000, 10_000, 100_000];
const resolver = sizes.map((n) => {
  const { rules, assignments, overrides } = synthetic(n);
  resolveDrivers(rules, assignments, overrides); // warm-up
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t0 = process.hrtime.bigint();
    resolveDrivers(rules, assignments, overrides);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { n, ms: median(times) };
});

// --- 3. Incremental size estimate (the TUI's path on every change) ---------------------------
// One estimator per model; each change re-estimates from the changed values.
const sizeModel = JSON.parse(readFileSync(join(root, 'conf', 'size', 'x64.json'), 'utf8'));
const estimator = createEstimator(sizeModel);
const driverNames = JSON.parse(readFileSync(join(root, 'conf', 'x64', 'drivers.json'), 'utf8')).drivers.map((d) => d.name);
const values = new Map(driverNames.map((n) => [n, 1]));
values.set('conf_networking_stack', 1);
values.set('conf_tracepoints', 1);
const UPDATES = 20000;
for (let i = 0; i < 2000; i++) estimator.estimate({ values, hidden: true }); // warm-up
const t0 = process.hrtime.bigint();
for (let i = 0; i < UPDATES; i++) {
  const name = driverNames[i % driverNames.length];
  values.set(name, values.get(name) === 1 ? 0 : 1); // one option changes
  estimator.estimate({ values, hidden: i % 2 === 0 });
}
const perUpdateUs = Number(process.hrtime.bigint() - t0) / 1e3 / UPDATES;

/** Median ms from starting `command` in a fresh 80x24 tmux session until `marker` shows. */
function firstFrame(label, command, cwd, marker) {
  const frames = [];
  for (let i = 0; i < 5; i++) {
    const name = `osvconf-${label}-${process.pid}-${i}`;
    const t0 = process.hrtime.bigint();
    spawnSync('tmux', ['new-session', '-d', '-s', name, '-x', '80', '-y', '24', '-c', cwd, `${command}; sleep 5`]);
    for (;;) {
      const text = spawnSync('tmux', ['capture-pane', '-t', name, '-p'], { encoding: 'utf8' }).stdout;
      if (text.includes(marker)) break;
      if (Number(process.hrtime.bigint() - t0) / 1e6 > 10_000) break;
    }
    frames.push(Number(process.hrtime.bigint() - t0) / 1e6);
    spawnSync('tmux', ['kill-session', '-t', name]);
  }
  return median(frames);
}

// --- 4. TUI first frame: osvconf tui in a real terminal (tmux), until the size panel shows -----
const haveTmux = spawnSync('tmux', ['-V']).status === 0;
const firstFrameMs = haveTmux
  ? firstFrame('bench', `${process.execPath} ${join(root, 'bin', 'osvconf.cjs')} tui --profile=virtio-pci`, root, 'Kernel size')
  : undefined;

// --- 5. The terminal peer: Kconfiglib's menuconfig (Debian's python3-kconfiglib) on osvconf's
// Kconfig model, in the same kind of terminal, until its menu shows ---------------------------
const MENUCONFIG = '/usr/lib/python3/dist-packages/menuconfig.py';
let peerMs;
if (haveTmux && existsSync(MENUCONFIG)) {
  const dir = mkdtempSync(join(tmpdir(), 'osvconf-peer-'));
  writeFileSync(join(dir, 'Kconfig'), kconfigFile(root, 'x64', 'release'));
  peerMs = firstFrame('peer', `KCONFIG_CONFIG=${join(dir, '.config')} /usr/bin/python3 ${MENUCONFIG} Kconfig`, dir, 'Compiler  --->');
}

// --- report ---------------------------------------------------------------------------------
const rows = [
  ['measure', 'value', 'target', 'ok'],
  ['node -e 0 (median ms)', median(base).toFixed(1), '', ''],
  ['osvconf --print=drivers_config.h (median ms)', median(cli).toFixed(1), '', ''],
  ['start-up ratio', ratio.toFixed(3), '<= 1.15', ratio <= 1.15 ? 'yes' : 'NO'],
  ...resolver.map((r) => [
    `resolve ${r.n.toLocaleString('en')} flags (ms)`,
    r.ms.toFixed(2),
    r.n === 100_000 ? '< 1000' : '',
    r.n === 100_000 ? (r.ms < 1000 ? 'yes' : 'NO') : '',
  ]),
  ...resolver.map((r) => [`  per flag at ${r.n.toLocaleString('en')} (ns)`, ((r.ms * 1e6) / r.n).toFixed(0), 'about constant', '']),
  ['size estimate after one change (us)', perUpdateUs.toFixed(2), '< 1000', perUpdateUs < 1000 ? 'yes' : 'NO'],
  [
    'TUI first frame in tmux (median ms)',
    firstFrameMs === undefined ? 'no tmux' : firstFrameMs.toFixed(0),
    '< 1000',
    firstFrameMs === undefined ? '' : firstFrameMs < 1000 ? 'yes' : 'NO',
  ],
  ['Kconfiglib menuconfig first frame (median ms)', peerMs === undefined ? 'not installed' : peerMs.toFixed(0), '', ''],
  // The configurator's first frame no slower than the terminal peer's (issue #14's target).
  [
    'TUI first frame vs the peer',
    peerMs === undefined || firstFrameMs === undefined ? '-' : `${(firstFrameMs / peerMs).toFixed(2)}x`,
    '<= 1.00',
    peerMs === undefined || firstFrameMs === undefined ? '' : firstFrameMs <= peerMs ? 'yes' : 'NO',
  ],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows)
  console.log(
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
const tuiOk = firstFrameMs === undefined || (firstFrameMs < 1000 && (peerMs === undefined || firstFrameMs <= peerMs));
const perFlag = resolver.map((r) => r.ms / r.n);
const linear = perFlag[2] < perFlag[0] * 3; // 100x the flags costs less than 300x the time
console.log(
  `runs: ${RUNS} interleaved; resolver scaling ${linear ? 'linear' : 'NOT linear'} (per-flag cost at 100k vs 1k: ${(perFlag[2] / perFlag[0]).toFixed(2)}x)`,
);
process.exitCode = ratio <= 1.15 && tuiOk && resolver[2].ms < 1000 && linear && perUpdateUs < 1000 ? 0 : 1;
