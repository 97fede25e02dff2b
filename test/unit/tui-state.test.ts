// The TUI's reducer over the real catalog: navigation, toggles through the core (refused with
// the core's reason when they conflict), choices, editing, search, undo/redo, quitting.
import { describe, expect, it } from 'vitest';
import { loadDefaults } from '../../src/io/catalog-files.js';
import { createTuiCore } from '../../src/tui/core.js';
import { currentItems, cursorOf, dirty, initialState, reduce, type Action, type Settings, type State, type TuiCore } from '../../src/tui/state.js';
import { tempDir } from '../helpers/cli.js';
import { hintOf } from '../../src/tui/remedies.js';
import { refuse } from '../../src/core/result.js';

function setup(profile = 'virtio-pci'): { core: TuiCore; state: State } {
  const defaults = loadDefaults();
  if (!defaults.ok) throw new Error('defaults');
  const core = createTuiCore(defaults.value, undefined, tempDir());
  if (!core.ok) throw new Error(core.error.message);
  const settings: Settings = { arch: 'x64', mode: 'release', profile, drivers: {}, kconfig: {}, options: {} };
  const state = initialState(core.value, settings, 6000);
  if (!state.ok) throw new Error(state.error.message);
  return { core: core.value, state: state.value };
}

function run(core: TuiCore, state: State, ...actions: Action[]): State {
  return actions.reduce((s, a) => reduce(core, s, a), state);
}

/** Moves the cursor onto the item whose id is given, in the current menu. */
function goTo(core: TuiCore, state: State, id: string): State {
  const index = currentItems(core, state).findIndex((i) => i.id === id);
  if (index < 0) throw new Error(`no ${id} in ${state.path.join('/')}`);
  return run(core, state, { type: 'move', delta: index - cursorOf(state) });
}

describe("a refusal in the configurator's words", () => {
  it('offers another custom profile name, never a command-line flag', () => {
    const r = refuse('x exists and was not written by osvconf: not replaced', 'move it away', ['name', 'force', 'out']);
    expect(!r.ok && hintOf(r.error)).toBe('move it away, or choose another Custom profile name');
    const forceOnly = refuse('x is read-only: not replaced', 'make it writable', ['force']);
    expect(!forceOnly.ok && hintOf(forceOnly.error)).toBe('make it writable');
    const none = refuse('cannot write x', undefined, ['out']);
    expect(!none.ok && hintOf(none.error)).toBeUndefined();
  });
});

describe('TUI reducer', () => {
  it('opens menus and goes back', () => {
    const { core, state } = setup();
    const drivers = run(core, goTo(core, state, 'drivers'), { type: 'open' });
    expect(drivers.path).toEqual(['root', 'drivers']);
    expect(currentItems(core, drivers).map((i) => i.id)).toContain('drivers:storage');
    expect(run(core, drivers, { type: 'back' }).path).toEqual(['root']);
  });

  it('toggles a driver through the core: the estimate grows, the state is dirty, undo and redo work', () => {
    const { core, state } = setup();
    let s = run(core, goTo(core, state, 'drivers'), { type: 'open' });
    s = run(core, goTo(core, s, 'drivers:storage'), { type: 'open' });
    s = goTo(core, s, 'driver:nvme');
    const before = s.estimate.kernelKib;
    s = run(core, s, { type: 'toggle' });
    expect(s.settings.drivers).toEqual({ nvme: 1 });
    expect(s.estimate.kernelKib).toBeGreaterThan(before);
    expect(dirty(s)).toBe(true);
    const item = currentItems(core, s).find((i) => i.id === 'driver:nvme');
    expect(item).toMatchObject({ on: true, mark: 'you' });
    const undone = run(core, s, { type: 'undo' });
    expect(undone.settings.drivers).toEqual({});
    expect(dirty(undone)).toBe(false);
    expect(run(core, undone, { type: 'redo' }).settings.drivers).toEqual({ nvme: 1 });
    // Turning it off again drops the setting: the profile already says 0.
    expect(run(core, s, { type: 'toggle' }).settings.drivers).toEqual({});
  });

  it("refuses a change that conflicts, with the core's reason, and keeps the state", () => {
    const { core, state } = setup();
    let s = run(core, goTo(core, state, 'drivers'), { type: 'open' });
    s = run(core, goTo(core, s, 'drivers:bus'), { type: 'open' });
    s = goTo(core, s, 'driver:pci');
    // The mark comes from the rule that refuses: pci is on by the profile, but locked.
    const pci = currentItems(core, s).find((i) => i.id === 'driver:pci');
    expect(pci?.kind === 'bool' && pci.mark).toBe('implied');
    const refused = run(core, s, { type: 'toggle' });
    expect(refused.settings).toEqual(s.settings);
    expect(refused.message?.error).toBe(true);
    expect(refused.message?.text).toMatch(/^pci is needed by [a-z_, ]+ \(on\): turn (it|them) off first$/);
    // A front end's words, not the command line's.
    expect(refused.message?.text).not.toMatch(/--force|conf_drivers_|command line/);
  });

  it('every driver marked locked is refused when toggled, and every other one is not', () => {
    for (const profile of ['virtio-pci', 'all', 'base']) {
      const { core, state } = setup(profile);
      let s = run(core, goTo(core, state, 'drivers'), { type: 'open' });
      for (const group of currentItems(core, s).map((i) => i.id)) {
        const inGroup = run(core, goTo(core, s, group), { type: 'open' });
        for (const item of currentItems(core, inGroup)) {
          if (item.kind !== 'bool') continue;
          const toggled = run(core, goTo(core, inGroup, item.id), { type: 'toggle' });
          const refused = toggled.settings === inGroup.settings;
          expect([profile, item.id, refused]).toEqual([profile, item.id, item.on && item.mark === 'implied']);
        }
      }
      s = state;
    }
  });

  it('picks a profile from the chooser', () => {
    const { core, state } = setup();
    let s = run(core, goTo(core, state, 'profile'), { type: 'open' });
    expect(s.overlay.kind).toBe('choose');
    const choices = s.overlay.kind === 'choose' ? s.overlay.item.choices.map((c) => c.value) : [];
    const target = choices.indexOf('virtio-mmio');
    const current = s.overlay.kind === 'choose' ? s.overlay.index : 0;
    s = run(core, s, { type: 'move', delta: target - current }, { type: 'open' });
    expect(s.settings.profile).toBe('virtio-mmio');
    expect(s.overlay.kind).toBe('none');
  });

  it('edits a Kconfig value; a bad one is refused with the reason', () => {
    const { core, state } = setup();
    let s = run(core, goTo(core, state, 'kconfig'), { type: 'open' });
    s = run(core, goTo(core, s, 'kconfig:Virtual File System'), { type: 'open' });
    s = run(core, goTo(core, s, 'kconfig:fs_buffer_cache_size'), { type: 'open' });
    expect(s.overlay).toMatchObject({ kind: 'edit', buffer: '256' });
    const bad = run(core, s, { type: 'erase' }, { type: 'type', text: 'x' }, { type: 'open' });
    expect(bad.message?.text).toContain('is an int');
    const good = run(core, s, { type: 'type', text: '0' }, { type: 'open' });
    expect(good.settings.kconfig).toEqual({ fs_buffer_cache_size: '2560' });
  });

  it('/ finds an option by its setting name and jumps to it', () => {
    const { core, state } = setup();
    const s = run(core, state, { type: 'search' }, { type: 'type', text: 'conf_drivers_nvme' }, { type: 'open' });
    expect(s.path).toEqual(['root', 'drivers', 'drivers:storage']);
    expect(currentItems(core, s)[cursorOf(s)]?.id).toBe('driver:nvme');
  });

  it('the save screen lists the planned files and toggles their diff with d', () => {
    const { core, state } = setup();
    const planned = run(core, state, { type: 'save' }, { type: 'save-planned', files: [{ path: 'x', status: 'wrote', diff: '(new)', patch: '+a' }] });
    expect(planned.overlay).toMatchObject({ kind: 'save', files: [{ path: 'x' }] });
    expect(run(core, planned, { type: 'answer', key: 'd' }).overlay).toMatchObject({ showDiff: true });
    expect(run(core, planned, { type: 'answer', key: 'n' }).overlay.kind).toBe('none');
    const saved = run(core, planned, { type: 'saved', files: [{ path: 'x', status: 'wrote', diff: '' }] });
    expect(saved.message?.text).toBe('saved: 1 file written, 0 unchanged');
  });

  it('a generated version script turns hiding on and points conf_version_script at it', () => {
    const { core, state } = setup();
    const script = (n: number): string => `{\n  global:\n${Array.from({ length: n }, (_, i) => `    sym${i};\n`).join('')}  local: *;\n};\n`;
    const s = run(core, state, { type: 'version-script', path: '/osv/app.version_script', content: script(12), kept: 12, missing: ['posix_spawn'] });
    expect(s.settings.kconfig).toEqual({ hide_symbols: 'y', version_script: '/osv/app.version_script' });
    // Held with the settings, not on disk: the save writes it, undo takes it back.
    expect(s.settings.scripts).toEqual({ '/osv/app.version_script': script(12) });
    expect(s.message).toEqual({
      text: 'version script (written on save): 12 symbols kept; 1 missing (OSv does not export them): posix_spawn',
      error: true,
    });
    expect(s.estimate.kernelKib).toBeLessThan(state.estimate.kernelKib);
    // The size comes from the held script: one exporting more symbols saves less.
    const wider = run(core, state, { type: 'version-script', path: '/osv/app.version_script', content: script(400), kept: 400, missing: [] });
    expect(wider.estimate.kernelKib).toBeGreaterThan(s.estimate.kernelKib);
    const undone = run(core, s, { type: 'undo' });
    expect(undone.settings.scripts).toBeUndefined();
  });

  it('a version script kept partly for libsolaris.so says how the count is made (as osvconf symbols does)', () => {
    const { core, state } = setup();
    const s = run(core, state, {
      type: 'version-script',
      path: '/osv/app.version_script',
      content: '{\n  global:\n    a;\n  local: *;\n};\n',
      kept: 114,
      missing: [],
      libraries: [{ title: 'libsolaris.so (fs=zfs)', count: 102 }],
    });
    expect(s.message).toEqual({
      text: 'version script (written on save): 114 symbols kept (12 for the app and the vDSO, 102 for libsolaris.so (fs=zfs))',
      error: false,
    });
  });

  it('switching arch keeps what applies and says what went', () => {
    const { core, state } = setup('vmware');
    let s = run(core, state, { type: 'version-script', path: '/v.vs', content: '{\n  global:\n    a;\n  local: *;\n};\n', kept: 1, missing: [] });
    s = run(core, goTo(core, s, 'drivers'), { type: 'open' });
    s = run(core, goTo(core, s, 'drivers:storage'), { type: 'open' });
    s = run(core, goTo(core, s, 'driver:nvme'), { type: 'toggle' }, { type: 'back' }, { type: 'back' });
    s = run(core, goTo(core, s, 'arch'), { type: 'open' });
    s = run(core, goTo(core, s, 'arch'), { type: 'open' });
    const choices = s.overlay.kind === 'choose' ? s.overlay.item.choices.map((c) => c.value) : [];
    s = run(core, s, { type: 'move', delta: choices.indexOf('aarch64') - (s.overlay.kind === 'choose' ? s.overlay.index : 0) }, { type: 'open' });
    expect(s.settings).toMatchObject({ arch: 'aarch64', profile: 'all', drivers: {}, kconfig: { hide_symbols: 'y', version_script: '/v.vs' } });
    expect(s.message?.text).toMatch(
      /^profile vmware does not exist on aarch64: using all; driver settings of x64 dropped; warning: conf_drivers_ena=1 on aarch64/,
    );
  });

  it('q with unsaved changes asks; y quits, n stays', () => {
    const { core, state } = setup();
    const changed = run(core, goTo(core, state, 'profile'), { type: 'open' }, { type: 'move', delta: 1 }, { type: 'open' });
    expect(dirty(changed)).toBe(true);
    const asked = run(core, changed, { type: 'quit' });
    expect(asked.overlay.kind).toBe('confirm-quit');
    expect(run(core, asked, { type: 'answer', key: 'n' }).done).toBe(false);
    expect(run(core, asked, { type: 'answer', key: 'y' }).done).toBe(true);
    expect(run(core, state, { type: 'quit' }).done).toBe(true); // nothing to lose
  });
});
