// npm run bench: the numbers behind osvconf's speed targets (not a test; run on a quiet machine).
//  1. CLI start-up: median wall time of `osvconf --profile=virtio-pci --print=drivers_config.h`
//     divided by the median of `node -e 0` (target <= 1.15).
//  2. Resolver: time to resolve synthetic catalogs of 1k / 10k / 100k flags (target: linear,
//     100k under 1 s).
//  3. Size estimate after one option changes (target: well under a millisecond).
//  4. The configurator in a pseudo-terminal (bench/pty-keys.py): first frame, key to redrawn
//     frame (median < 5 ms, max < 16 ms) on a cursor move and on a toggle that changes the size
//     estimate, and peak resident memory.
//  5. The same for a terminal peer, Kconfiglib's menuconfig on osvconf's Kconfig model; the first
//     frame must come no later than the peer's.
//  6. Floors: node printing one line, and a two-line ink app bundled and started as the
//     configurator is (bench/ink-floor.mjs), on the same pty.
// Programs run without NODE_EXTRA_CA_CERTS (see below); where it is set, the start-up ratio and
// the first frame are also given with it.
// Needs the build (npm run build). Exits 1 when a target is missed.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { kconfigFile } from '../scripts/kconfig-file.mjs';
import { build } from 'esbuild';
import { inkBundle } from '../scripts/tui-bundle.mjs';
import { resolveDrivers } from '../dist/core/index.js';
import { createEstimator } from '../dist/size/model.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// NODE_EXTRA_CA_CERTS makes Node read and parse that certificate bundle at every start, before
// any program code runs (on this machine, which sets it, some 50 ms of `node -e 0`'s 74). No
// program here makes a TLS connection: the figures are taken without it (and with it, where it
// is set, for the start-up ratio and the first frame).
const CERTS = process.env.NODE_EXTRA_CA_CERTS;
const withoutCerts = { ...process.env };
delete withoutCerts.NODE_EXTRA_CA_CERTS;

function wall(args, env = withoutCerts) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
const baseCerts = [];
const cliCerts = [];
for (let i = 0; i < RUNS; i++) {
  // interleaved, so machine noise hits both alike
  base.push(wall(baseArgs));
  cli.push(wall(cliArgs));
  if (CERTS !== undefined) {
    baseCerts.push(wall(baseArgs, process.env));
    cliCerts.push(wall(cliArgs, process.env));
  }
}
const ratio = median(cli) / median(base);
const ratioCerts = CERTS === undefined ? undefined : median(cliCerts) / median(baseCerts);

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

// --- 4./5. The configurator and its terminal peer, side by side, through a pseudo-terminal ------
// bench/pty-keys.py starts a program on an 80x24 pty (as a terminal emulator would), times the
// first frame, then single keys from the write to the last byte of the redraw they cause, and
// reads the program's peak resident memory. The peer is Kconfiglib's menuconfig (Debian's
// python3-kconfiglib) on osvconf's own Kconfig model: the same options, the same terminal.
const PYTHON = '/usr/bin/python3';
const MENUCONFIG = '/usr/lib/python3/dist-packages/menuconfig.py';
const DOWN = '\u001b[B';
const UP = '\u001b[A';
const moves = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? DOWN : UP));
const toggles = Array.from({ length: 20 }, () => ' ');

function pty(spec) {
  const dir = mkdtempSync(join(tmpdir(), 'osvconf-pty-'));
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify({ cols: 80, rows: 24, unset: ['NODE_EXTRA_CA_CERTS'], ...spec }));
  const r = spawnSync(PYTHON, [join(root, 'bench', 'pty-keys.py'), file], { encoding: 'utf8', timeout: 120_000 });
  rmSync(dir, { recursive: true, force: true });
  const report = r.status === 0 ? JSON.parse(r.stdout) : { error: `exit ${r.status ?? r.signal ?? r.error?.message}: ${r.stderr || r.stdout}` };
  if (report.error !== undefined) throw new Error(`${spec.argv.join(' ')}: ${report.error}`);
  return report;
}

/** Median first frame of five starts, and the key latencies and memory of one more. */
function sideOf(spec, keys) {
  const firsts = [];
  for (let i = 0; i < 5; i++) firsts.push(pty({ ...spec, measure: {} }).first_frame_ms);
  const run = pty({ ...spec, ...keys });
  return { first: median(firsts), keys: run.keys, misses: run.no_redraw, rssMib: run.max_rss_kib / 1024 };
}

const havePty = existsSync(PYTHON);
const tui = havePty
  ? sideOf(
      { argv: [process.execPath, join(root, 'bin', 'osvconf.cjs'), 'tui', '--profile=virtio-pci'], cwd: tmpdir(), ready: 'Kernel size' },
      // Drivers > Storage, on its second driver: a toggle there changes the size estimate.
      { setup: [DOWN, DOWN, '\r', DOWN, '\r', DOWN], measure: { move: moves, toggle: toggles } },
    )
  : undefined;
let peer;
if (havePty && existsSync(MENUCONFIG)) {
  const dir = mkdtempSync(join(tmpdir(), 'osvconf-peer-'));
  writeFileSync(join(dir, 'Kconfig'), kconfigFile(root, 'x64', 'release'));
  peer = sideOf(
    { argv: [PYTHON, MENUCONFIG, 'Kconfig'], cwd: dir, env: { KCONFIG_CONFIG: join(dir, '.config') }, ready: 'Compiler  --->' },
    // Core Components, on its second option (a bool).
    { setup: [DOWN, '\r', DOWN], measure: { move: moves, toggle: toggles } },
  );
  rmSync(dir, { recursive: true, force: true });
}
// The floor under any configurator drawn with ink and React: bench/ink-floor.mjs, a bordered box
// of two lines, bundled and started as the configurator is (scripts/tui-bundle.mjs).
async function inkFloor() {
  const dir = mkdtempSync(join(tmpdir(), 'osvconf-ink-floor-'));
  const bundle = join(dir, 'floor.cjs');
  await build(await inkBundle({ entryPoints: [join(root, 'bench', 'ink-floor.mjs')], outfile: bundle }));
  const launcher = join(dir, 'launch.cjs');
  writeFileSync(launcher, `require(${JSON.stringify(join(root, 'bin', 'load-main.cjs'))}) && require(${JSON.stringify(bundle)}).show();\n`);
  const first = median(Array.from({ length: 5 }, () => pty({ argv: [process.execPath, launcher], cwd: dir, ready: 'ready', measure: {} }).first_frame_ms));
  rmSync(dir, { recursive: true, force: true });
  return first;
}
const floor = havePty ? await inkFloor() : undefined;
// The configurator with NODE_EXTRA_CA_CERTS as this environment sets it.
const tuiWithCerts =
  havePty && CERTS !== undefined
    ? median(
        Array.from(
          { length: 5 },
          () =>
            pty({
              argv: [process.execPath, join(root, 'bin', 'osvconf.cjs'), 'tui', '--profile=virtio-pci'],
              cwd: tmpdir(),
              ready: 'Kernel size',
              measure: {},
              unset: [],
            }).first_frame_ms,
        ),
      )
    : undefined;
// The floor under any configurator written for Node: node printing one line on the same pty.
const nodeFloor = havePty
  ? median(
      Array.from(
        { length: 5 },
        () =>
          pty({ argv: [process.execPath, '-e', "process.stdout.write('ready'); setTimeout(() => {}, 5000)"], cwd: tmpdir(), ready: 'ready', measure: {} })
            .first_frame_ms,
      ),
    )
  : undefined;
const maxOf = (xs) => Math.max(...xs);
const latency = (side, kind) => (side === undefined ? undefined : { median: median(side.keys[kind]), max: maxOf(side.keys[kind]), misses: side.misses[kind] });
const lat = { move: latency(tui, 'move'), toggle: latency(tui, 'toggle') };
const peerLat = { move: latency(peer, 'move'), toggle: latency(peer, 'toggle') };

// --- report ---------------------------------------------------------------------------------
const rows = [
  ['measure', 'value', 'target', 'ok'],
  ['node -e 0 (median ms)', median(base).toFixed(1), '', ''],
  ['osvconf --print=drivers_config.h (median ms)', median(cli).toFixed(1), '', ''],
  ['start-up ratio', ratio.toFixed(3), '<= 1.15', ratio <= 1.15 ? 'yes' : 'NO'],
  ...(ratioCerts === undefined
    ? []
    : [
        [
          '  with NODE_EXTRA_CA_CERTS as set here: node -e 0 / osvconf (ms), ratio',
          `${median(baseCerts).toFixed(1)} / ${median(cliCerts).toFixed(1)}, ${ratioCerts.toFixed(3)}`,
          '',
          '',
        ],
      ]),
  ...resolver.map((r) => [
    `resolve ${r.n.toLocaleString('en')} flags (ms)`,
    r.ms.toFixed(2),
    r.n === 100_000 ? '< 1000' : '',
    r.n === 100_000 ? (r.ms < 1000 ? 'yes' : 'NO') : '',
  ]),
  ...resolver.map((r) => [`  per flag at ${r.n.toLocaleString('en')} (ns)`, ((r.ms * 1e6) / r.n).toFixed(0), 'about constant', '']),
  ['size estimate after one change (us)', perUpdateUs.toFixed(2), '< 1000', perUpdateUs < 1000 ? 'yes' : 'NO'],
  [
    'TUI first frame on a pty (median of 5, ms)',
    tui === undefined ? 'no python3' : tui.first.toFixed(0),
    '< 1000',
    tui === undefined ? '' : tui.first < 1000 ? 'yes' : 'NO',
  ],
  ['Kconfiglib menuconfig first frame (median of 5, ms)', peer === undefined ? 'not installed' : peer.first.toFixed(0), '', ''],
  ['node printing one line on a pty (median of 5, ms): the floor for Node', nodeFloor === undefined ? '-' : nodeFloor.toFixed(0), '', ''],
  ['a two-line ink app bundled as the TUI is (median of 5, ms): the floor for ink and React', floor === undefined ? '-' : floor.toFixed(0), '', ''],
  ...(tuiWithCerts === undefined ? [] : [['TUI first frame with NODE_EXTRA_CA_CERTS as set here (median of 5, ms)', tuiWithCerts.toFixed(0), '', '']]),
  // The configurator's first frame no slower than the terminal peer's (issue #14's target).
  [
    'TUI first frame vs the peer',
    peer === undefined || tui === undefined ? '-' : `${(tui.first / peer.first).toFixed(2)}x`,
    '<= 1.00',
    peer === undefined || tui === undefined ? '' : tui.first <= peer.first ? 'yes' : 'NO',
  ],
  ...['move', 'toggle'].flatMap((kind) => {
    const l = lat[kind];
    const p = peerLat[kind];
    const what = kind === 'move' ? 'cursor move' : 'toggle that changes the size';
    if (l === undefined) return [[`TUI key to frame, ${what}`, 'no python3', '', '']];
    const missed = l.misses > 0 ? ` (${l.misses} keys drew nothing)` : '';
    return [
      [`TUI key to frame, ${what}: median (ms)`, l.median.toFixed(1) + missed, '< 5', l.median < 5 && l.misses === 0 ? 'yes' : 'NO'],
      [`TUI key to frame, ${what}: max (ms)`, l.max.toFixed(1), '< 16', l.max < 16 ? 'yes' : 'NO'],
      [`  peer, ${what}: median / max (ms)`, p === undefined ? '-' : `${p.median.toFixed(1)} / ${p.max.toFixed(1)}`, '', ''],
    ];
  }),
  ['TUI peak resident memory (MiB)', tui === undefined ? '-' : tui.rssMib.toFixed(0), '', ''],
  ['  peer peak resident memory (MiB)', peer === undefined ? '-' : peer.rssMib.toFixed(0), '', ''],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows)
  console.log(
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
const keysOk = ['move', 'toggle'].every((k) => lat[k] === undefined || (lat[k].median < 5 && lat[k].max < 16 && lat[k].misses === 0));
const tuiOk = tui === undefined || (tui.first < 1000 && (peer === undefined || tui.first <= peer.first) && keysOk);
const perFlag = resolver.map((r) => r.ms / r.n);
const linear = perFlag[2] < perFlag[0] * 3; // 100x the flags costs less than 300x the time
console.log(
  `runs: ${RUNS} interleaved; resolver scaling ${linear ? 'linear' : 'NOT linear'} (per-flag cost at 100k vs 1k: ${(perFlag[2] / perFlag[0]).toFixed(2)}x)`,
);
process.exitCode = ratio <= 1.15 && tuiOk && resolver[2].ms < 1000 && linear && perUpdateUs < 1000 ? 0 : 1;
