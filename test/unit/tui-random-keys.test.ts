// The configurator under long random key sequences: from every menu and every overlay, through the
// key map and the effect runner (saves, loads and refusals answered by a stand-in), nothing throws,
// the cursor stays on a row, an overlay's index stays on one of its rows, and undo right after a
// change gives back the settings before it. A failing case prints its seed and keys to replay.
import { describe, expect, it } from 'vitest';
import { loadDefaults } from '../../src/io/catalog-files.js';
import { createTuiCore } from '../../src/tui/core.js';
import { createRunner, type SaveTarget } from '../../src/tui/effects.js';
import { NO_KEY, type KeyInfo } from '../../src/tui/keys.js';
import { allItems, type MenuId } from '../../src/tui/menu.js';
import { contextOf, currentItems, cursorOf, initialState, reduce, searchResults, type Settings, type State, type TuiCore } from '../../src/tui/state.js';
import { tempDir } from '../helpers/cli.js';
import { rng } from '../helpers/random.js';

const CASES = Number(process.env['OSVCONF_TUI_KEY_CASES'] ?? 24);
const LENGTH = 300;

/** Every key the configurator reads, named ones and letters, with text a user might type. */
const KEYS: readonly [string, Partial<KeyInfo>][] = [
  ['', { upArrow: true }],
  ['', { downArrow: true }],
  ['', { leftArrow: true }],
  ['', { rightArrow: true }],
  ['', { pageUp: true }],
  ['', { pageDown: true }],
  ['', { home: true }],
  ['', { end: true }],
  ['', { return: true }],
  ['', { escape: true }],
  ['', { backspace: true }],
  ['', { delete: true }],
  ['', { tab: true }],
  ['r', { ctrl: true }],
  ['u', { ctrl: true }],
  ['f', { ctrl: true }],
  ['a', { ctrl: true }],
  ['e', { ctrl: true }],
  ...[...' /?usqynACDmOSjkhlxdQ0z9'].map((c): [string, Partial<KeyInfo>] => [c, {}]),
  ['virtio\r', {}],
  ['/tmp/x.config', {}],
];

/** A save target that answers like the real one, sometimes refusing, with loads answering later. */
function standIn(random: () => number, profiles: readonly string[]): { save: SaveTarget; pending: () => number } {
  let pending = 0;
  const refusal = { ok: false as const, error: { kind: 'user' as const, message: 'stand-in: refused\x1b]0;title\x07', hint: 'try another' } };
  const files = { files: [{ path: 'build/release.x64/.config', status: 'wrote' as const, diff: '(+1 -1 lines)', patch: '-a\n+b\n'.repeat(40) }] };
  const save: SaveTarget = {
    where: '/osv',
    plan: () => (random() < 0.2 ? refusal : { ok: true, value: files }),
    write: () => (random() < 0.2 ? refusal : { ok: true, value: { ...files, buildCommand: './scripts/build' } }),
    load: (path, state) => {
      pending++;
      const settings: Settings = { ...state.settings, profile: profiles[Math.floor(random() * profiles.length)] ?? state.settings.profile };
      const answer = random() < 0.3 ? refusal : { ok: true as const, value: { settings, path, notes: ['stand-in'] } };
      return new Promise((resolve) => setImmediate(() => (pending--, resolve(answer))));
    },
    saveAs: (path) => (random() < 0.3 ? refusal : { ok: true, value: path }),
  };
  return { save, pending: () => pending };
}

function setup(profile: string): { core: TuiCore; state: State } {
  const defaults = loadDefaults();
  if (!defaults.ok) throw new Error('defaults');
  const core = createTuiCore(defaults.value, undefined, tempDir());
  if (!core.ok) throw new Error(core.error.message);
  const state = initialState(core.value, { arch: 'x64', mode: 'release', profile, drivers: {}, kconfig: {}, options: {} }, 6000);
  if (!state.ok) throw new Error(state.error.message);
  return { core: core.value, state: state.value };
}

/** What must hold after every key. */
function check(core: TuiCore, state: State): void {
  const rows = currentItems(core, state).length;
  expect(rows).toBeGreaterThan(0);
  expect(cursorOf(state)).toBeGreaterThanOrEqual(0);
  expect(cursorOf(state)).toBeLessThan(rows);
  const o = state.overlay;
  if (o.kind === 'choose') expect(o.index).toBeLessThan(o.item.choices.length);
  if (o.kind === 'search') expect(o.index).toBeLessThanOrEqual(Math.max(0, searchResults(core, state, o.query).length - 1));
  if (o.kind === 'edit') expect(o.cursor).toBeLessThanOrEqual(o.buffer.length);
}

/** The screens a walk starts from: every menu, and each overlay opened from the top. */
function starts(core: TuiCore, state: State): { name: string; state: State; keys: [string, Partial<KeyInfo>][] }[] {
  const menus = new Map<MenuId, MenuId[]>([['root', ['root']]]);
  for (const { path, item } of allItems({ ...contextOf(core, state), showAll: true })) if (item.kind === 'menu') menus.set(item.id, [...path, item.id]);
  for (const { path } of allItems({ ...contextOf(core, state), showAll: true }))
    if (!menus.has(path[path.length - 1]!)) menus.set(path[path.length - 1]!, path);
  const fromMenus = [...menus.values()].map((path) => ({ name: `menu ${path.join('/')}`, state: { ...state, path }, keys: [] }));
  const overlays: [string, [string, Partial<KeyInfo>][]][] = [
    ['? pane', [['?', {}]]],
    ['search', [['/', {}]]],
    ['log', [['m', {}]]],
    ['O prompt', [['O', {}]]],
    ['S prompt', [['S', {}]]],
    ['save screen', [['s', {}]]],
    ['minimal save screen', [['D', {}]]],
    [
      'quit question',
      [
        ['', { downArrow: true }],
        ['', { return: true }],
        [' ', {}],
        ['q', {}],
      ],
    ],
  ];
  return [...fromMenus, ...overlays.map(([name, keys]) => ({ name, state, keys }))];
}

describe('the configurator under random keys', () => {
  const { core, state } = setup('virtio-kvm');
  const profiles = ['virtio-kvm', 'all', 'base', 'virtio-mmio', 'xen', 'vmware'];
  for (const start of starts(core, state)) {
    it(`from the ${start.name}: nothing throws, the cursor stays on a row, undo gives back the settings`, async () => {
      for (let c = 0; c < Math.max(1, Math.ceil(CASES / 8)); c++) {
        const seed = (c + 1) * 7919 + start.name.length * 104729;
        const random = rng(seed);
        const { save, pending } = standIn(random, profiles);
        let runner = createRunner(core, start.state, save, undefined, () => {});
        const typed: string[] = [];
        const press = ([input, named]: [string, Partial<KeyInfo>]): void => {
          typed.push(input === '' ? Object.keys(named).join('+') : JSON.stringify(input));
          runner.key(input, { ...NO_KEY, ...named });
        };
        try {
          for (const key of start.keys) press(key);
          for (let i = 0; i < LENGTH; i++) {
            const before = runner.state;
            press(KEYS[Math.floor(random() * KEYS.length)]!);
            // Loads answer later: wait for them (a condition, not a time).
            while (pending() > 0) await new Promise((r) => setImmediate(r));
            const after = runner.state;
            check(core, after);
            // A change of settings that undo can take back: undo (from the menu) gives the settings before it.
            if (after.past.length === before.past.length + 1 && after.settings !== before.settings) {
              const undone = reduce(core, { ...after, overlay: { kind: 'none' } }, { type: 'undo' });
              expect(undone.settings).toEqual(before.settings);
            }
            // Quitting ends a session; the walk goes on in a new one from the same screen.
            if (after.done) runner = createRunner(core, { ...after, done: false }, save, undefined, () => {});
          }
        } catch (e) {
          throw new Error(`seed ${seed}, keys: ${typed.join(' ')}\n${e instanceof Error ? e.stack : String(e)}`);
        }
      }
    });
  }

  it('the ? pane follows the cursor with ↑↓ j k Home End and stays open', () => {
    const runner = createRunner(core, state, standIn(rng(1), profiles).save, undefined, () => {});
    runner.key('?', NO_KEY);
    for (const [input, named, delta] of [
      ['', { downArrow: true }, 1],
      ['j', {}, 1],
      ['k', {}, -1],
      ['', { upArrow: true }, -1],
    ] as const) {
      const before = cursorOf(runner.state);
      runner.key(input, { ...NO_KEY, ...named });
      expect(runner.state.overlay.kind).toBe('info');
      expect(cursorOf(runner.state)).toBe(Math.max(0, before + delta));
    }
    runner.key('', { ...NO_KEY, end: true });
    expect(runner.state.overlay.kind).toBe('info');
    expect(cursorOf(runner.state)).toBe(currentItems(core, runner.state).length - 1);
  });
});

describe('a saved configuration that changed on disk while the configurator was open', () => {
  it('is not written over silently: the first s says so, the second writes; a touch alone is no change', async () => {
    const { saveTarget } = await import('../../src/tui/save-target.js');
    const { osvTree } = await import('../helpers/cli.js');
    const { readFileSync, utimesSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const defaults = loadDefaults();
    if (!defaults.ok) throw new Error('defaults');
    const tree = osvTree();
    const { core, state } = setup('virtio-kvm');
    // A first session saves; a second one opens on what it saved.
    const first = saveTarget(tree, core, tree, defaults.value, state);
    expect(first.write(state).ok).toBe(true);
    const saved = join(tree, 'conf', 'osvconf', 'release.x64.osvconf');
    const target = saveTarget(tree, core, tree, defaults.value, state);
    // Touched, same content: nothing to say.
    utimesSync(saved, new Date(2000, 1, 1), new Date(2000, 1, 1));
    expect(target.plan(state).ok).toBe(true);
    // Changed by someone else (osvconf set, an editor): refused once, naming the file.
    const theirs = readFileSync(saved, 'utf8').replace('conf_drivers_profile=virtio-kvm', 'conf_drivers_profile=all');
    writeFileSync(saved, theirs);
    const refused = target.plan(state);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain('release.x64.osvconf changed on disk since the configurator read it');
    expect(readFileSync(saved, 'utf8')).toBe(theirs);
    // Asked and answered: s again writes over it.
    expect(target.plan(state).ok).toBe(true);
    expect(target.write(state).ok).toBe(true);
    expect(readFileSync(saved, 'utf8')).not.toBe(theirs);
    // After this session's own write, its file is the one it knows.
    expect(target.plan(state).ok).toBe(true);
  });
});
