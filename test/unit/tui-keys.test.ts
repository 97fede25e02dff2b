// The key map and the effect runner over the real catalog: what a read of the terminal does,
// bursts and pastes included, without ink. The runner applies keys one by one to the state each
// key left, so these are the exact keystrokes a terminal sends.
import { describe, expect, it, vi } from 'vitest';
import { loadDefaults } from '../../src/io/catalog-files.js';
import { createTuiCore } from '../../src/tui/core.js';
import { createRunner, type SaveTarget } from '../../src/tui/effects.js';
import { commandsFor, NO_KEY, splitKeys, type KeyInfo } from '../../src/tui/keys.js';
import { itemText, listWindow, scrolled, wrapGroups, wrapWords } from '../../src/tui/components.js';
import { currentItems, cursorOf, initialState, searchResults, unreadMessages, type State } from '../../src/tui/state.js';
import { tempDir } from '../helpers/cli.js';

function setup(profile = 'virtio-pci') {
  const defaults = loadDefaults();
  if (!defaults.ok) throw new Error('defaults');
  const core = createTuiCore(defaults.value, undefined, tempDir());
  if (!core.ok) throw new Error(core.error.message);
  const state = initialState(core.value, { arch: 'x64', mode: 'release', profile, drivers: {}, kconfig: {}, options: {} }, 6000);
  if (!state.ok) throw new Error(state.error.message);
  const writes: State[] = [];
  const savedAs: { path: string; state: State }[] = [];
  const save: { -readonly [K in keyof SaveTarget]: SaveTarget[K] } = {
    where: '/osv',
    plan: () => ({ ok: true, value: { files: [{ path: 'conf/osvconf/release.x64.osvconf', status: 'wrote', diff: '(new, 5 lines)' }] } }),
    write: (s) => {
      writes.push(s);
      return { ok: true, value: { files: [{ path: 'conf/osvconf/release.x64.osvconf', status: 'wrote', diff: '' }], buildCommand: './scripts/build' } };
    },
    load: (path) =>
      Promise.resolve({
        ok: true,
        value: {
          settings: { arch: 'x64', mode: 'release', profile: 'xen', drivers: {}, kconfig: {}, options: {} },
          path,
          notes: [],
          names: new Set(['tracepoints']),
        },
      }),
    saveAs: (path, s) => {
      savedAs.push({ path, state: s });
      return { ok: true, value: `/abs/${path}` };
    },
  };
  const runner = createRunner(core.value, state.value, save, undefined, () => undefined);
  const press = (input: string, key: Partial<KeyInfo> = {}) => runner.key(input, { ...NO_KEY, ...key });
  /** Moves onto the item with this id in the current menu and opens it (Enter). */
  const open = (id: string) => {
    const index = currentItems(core.value, runner.state).findIndex((i) => i.id === id);
    if (index < 0) throw new Error(`no ${id}`);
    const delta = index - cursorOf(runner.state);
    press((delta < 0 ? 'k' : 'j').repeat(Math.abs(delta)) + '\r');
  };
  return { runner, press, open, writes, savedAs, save, core: core.value };
}

/** Opens the Kconfig text option `name` in menu `menu` for editing. */
function editKconfig(t: ReturnType<typeof setup>, menu: string, name: string): void {
  t.open('kconfig');
  t.open(`kconfig:${menu}`);
  t.open(`kconfig:${name}`);
  expect(t.runner.state.overlay.kind).toBe('edit');
}

describe('keys', () => {
  it('splits a read into keys: DEL and BS erase, CR and LF are Enter, NAK is Ctrl-U, other control characters go', () => {
    expect(splitKeys('a\x7f\b\r\n\x15\x01b', NO_KEY).map(([i, k]) => [i, k.backspace, k.return, k.ctrl])).toEqual([
      ['a', false, false, false],
      ['', true, false, false],
      ['', true, false, false],
      ['', false, true, false],
      ['', false, true, false],
      ['u', false, false, true],
      ['b', false, false, false],
    ]);
  });

  it('a burst of Backspaces in one read erases that many characters and inserts nothing', () => {
    const t = setup();
    editKconfig(t, 'Memory Management', 'memory_page_batch_size');
    t.press('\x7f\x7f'); // "32" -> ""
    t.press('64');
    const o = t.runner.state.overlay;
    expect(o.kind === 'edit' && [o.buffer, o.cursor]).toEqual(['64', 2]);
    t.press('\r');
    expect(t.runner.state.settings.kconfig).toEqual({ memory_page_batch_size: '64' });
    expect(t.runner.state.message?.error ?? false).toBe(false);
  });

  it('a paste ending in a newline types the text and then acts as Enter', () => {
    const t = setup();
    editKconfig(t, 'Memory Management', 'memory_l1_pool_size');
    t.press('\x15'); // Ctrl-U: clear before the cursor
    t.press('1024\n');
    expect(t.runner.state.overlay.kind).toBe('none');
    expect(t.runner.state.settings.kconfig).toEqual({ memory_l1_pool_size: '1024' });
  });

  it('the editor moves its cursor with arrows, Home/End and Ctrl-A/E; typing inserts at the cursor', () => {
    const t = setup();
    editKconfig(t, 'Virtual File System', 'fs_max_file_descriptors'); // 0x4000
    t.press('', { home: true });
    t.press('', { rightArrow: true });
    t.press('', { rightArrow: true });
    t.press('1'); // 0x14000
    t.press('', { end: true });
    t.press('', { leftArrow: true });
    t.press('\x7f'); // 0x1400 + "0" -> 0x1400 with the last 0 kept: 0x14000 -> 0x1400
    const o = t.runner.state.overlay;
    expect(o.kind === 'edit' && [o.buffer, o.cursor]).toEqual(['0x1400', 5]);
    t.press('a', { ctrl: true });
    const h = t.runner.state.overlay;
    expect(h.kind === 'edit' && h.cursor).toBe(0);
    t.press('\x1b', { escape: true });
    expect(t.runner.state.settings.kconfig).toEqual({});
  });

  it('a burst of menu keys acts key by key on the state each key left', () => {
    const t = setup();
    // "/" opens search; the rest of the same read is the query, not menu keys.
    t.press('/nvme');
    const o = t.runner.state.overlay;
    expect(o.kind === 'search' && o.query).toBe('nvme');
    t.press('\r');
    expect(t.runner.state.path).toEqual(['root', 'drivers', 'drivers:storage']);
  });

  it('q s y saves and then quits', () => {
    const t = setup();
    t.open('drivers');
    t.open('drivers:storage');
    const index = currentItems(createCore(), t.runner.state).findIndex((i) => i.id === 'driver:nvme');
    t.press('j'.repeat(index - cursorOf(t.runner.state)) + ' ');
    expect(t.runner.state.settings.drivers).toEqual({ nvme: 1 });
    t.press('q');
    expect(t.runner.state.overlay.kind).toBe('confirm-quit');
    t.press('s');
    const o = t.runner.state.overlay;
    expect(o.kind === 'save' && o.files?.length).toBe(1); // planned at once: no "planning" frame
    t.press('y');
    expect(t.writes.length).toBe(1);
    expect(t.runner.state.done).toBe(true);
  });

  it('menuconfig keys: Home/End, y/n on a bool, h/l, a letter jumps to the next item starting with it', () => {
    const t = setup();
    t.open('drivers');
    t.open('drivers:storage');
    t.press('', { end: true });
    const items = currentItems(createCore(), t.runner.state);
    expect(cursorOf(t.runner.state)).toBe(items.length - 1);
    t.press('', { home: true });
    expect(cursorOf(t.runner.state)).toBe(0);
    t.press('v'); // the first item starting with v after the cursor
    expect(items[cursorOf(t.runner.state)]?.label.trim().toLowerCase().startsWith('v')).toBe(true);
    const nvme = items.findIndex((i) => i.id === 'driver:nvme');
    t.press('', { home: true });
    t.press('j'.repeat(nvme));
    t.press('y');
    expect(t.runner.state.settings.drivers).toEqual({ nvme: 1 });
    t.press('y'); // already on: nothing changes
    expect(t.runner.state.past.length).toBe(1);
    t.press('n');
    expect(t.runner.state.settings.drivers).toEqual({});
    t.press('h');
    expect(t.runner.state.path).toEqual(['root', 'drivers']);
    t.press('l');
    expect(t.runner.state.path).toEqual(['root', 'drivers', 'drivers:storage']);
  });

  it('A shows options whose dependency is off as - - rows, which refuse a change and say why', () => {
    const t = setup();
    t.open('kconfig');
    t.open('kconfig:Networking Stack');
    t.press('\x1b', { escape: true });
    t.press('\x1b', { escape: true });
    // Turn the networking stack off: dhcp (which depends on it) disappears...
    t.open('kconfig');
    t.open('kconfig:Networking Stack');
    const stack = currentItems(createCore(), t.runner.state).findIndex((i) => i.id === 'kconfig:networking_stack');
    t.press('', { home: true });
    t.press('j'.repeat(stack) + 'n');
    expect(currentItems(createCore(), t.runner.state).map((i) => i.id)).not.toContain('kconfig:networking_dhcp');
    // ...and A shows it, marked, refusing a change with the reason.
    t.press('A');
    const withAll = currentItemsOf(t);
    const dhcp = withAll.findIndex((i) => i.id === 'kconfig:networking_dhcp');
    expect(dhcp).toBeGreaterThanOrEqual(0);
    t.press('', { home: true });
    t.press('j'.repeat(dhcp) + ' ');
    expect(t.runner.state.message).toEqual({ text: 'conf_networking_dhcp depends on conf_networking_stack, which is off', error: true });
  });

  it('search: several words all match, names and values; a hidden option is found and shown; Esc goes back to where it is', () => {
    const t = setup();
    t.press('/');
    t.press('virtio blk');
    const o = t.runner.state.overlay;
    const ids = o.kind === 'search' ? searchResults(createCore(), t.runner.state, o.query).map((r) => r.item.id) : [];
    expect(ids).toContain('driver:virtio_blk');
    expect(ids).not.toContain('driver:virtio_net'); // both words must match
    t.press('\x15');
    t.press('^tracepoints_s');
    const hits = searchResults(createCore(), t.runner.state, '^tracepoints_s').map((r) => r.item.id);
    expect(hits).toEqual(['kconfig:tracepoints_sampler', 'kconfig:tracepoints_strace']);
    t.press('\x1b', { escape: true });
    // Turn tracepoints off, then find one of its (now hidden) options.
    t.open('kconfig');
    t.open('kconfig:Tracepoints');
    const tp = currentItemsOf(t).findIndex((i) => i.id === 'kconfig:tracepoints');
    t.press('', { home: true });
    t.press('j'.repeat(tp) + 'n');
    t.press('\x1b', { escape: true });
    t.press('\x1b', { escape: true });
    t.press('/tracepoints_strace\r');
    expect(t.runner.state.path).toEqual(['root', 'kconfig', 'kconfig:Tracepoints']);
    expect(t.runner.state.showAll).toBe(true);
    expect(currentItemsOf(t)[cursorOf(t.runner.state)]?.id).toBe('kconfig:tracepoints_strace');
    // Esc: the parent menu has its cursor on the submenu the item is in.
    t.press('\x1b', { escape: true });
    expect(currentItemsOf(t)[cursorOf(t.runner.state)]?.id).toBe('kconfig:Tracepoints');
  });

  it('"vs default" follows the arch: switching arch recomputes the baseline', () => {
    const t = setup();
    const x64 = t.runner.state.baselineKib;
    t.open('arch');
    t.open('arch');
    const o = t.runner.state.overlay;
    const choices = o.kind === 'choose' ? o.item.choices.map((c) => c.value) : [];
    t.press('j'.repeat(choices.indexOf('aarch64') - (o.kind === 'choose' ? o.index : 0)) + '\r');
    expect(t.runner.state.settings.arch).toBe('aarch64');
    expect(t.runner.state.baselineKib).not.toBe(x64);
    expect(t.runner.state.baselineKib).toBe(createCore().baselineKib(t.runner.state.selection));
  });

  it('D plans the minimal saved configuration', () => {
    const forms: (string | undefined)[] = [];
    const t = setup();
    const plan = t.save.plan;
    t.save.plan = (s, form) => {
      forms.push(form);
      return plan(s, form);
    };
    t.press('D');
    expect(forms).toEqual(['minimal']);
    t.press('y');
    expect(t.writes.length).toBe(1);
  });

  it('PgUp/PgDn scroll the ? pane and the save diff; a window says what lies above and below', () => {
    const t = setup();
    t.press('?');
    t.press('', { pageDown: true });
    const o = t.runner.state.overlay;
    expect(o.kind === 'info' && o.scroll).toBe(10);
    t.press('', { pageUp: true });
    t.press('', { pageUp: true });
    const back = t.runner.state.overlay;
    expect(back.kind === 'info' && back.scroll).toBe(0);
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    expect(scrolled(lines, 0, 30)).toEqual(lines);
    expect(scrolled(lines, 10, 5)).toEqual(['line 10', 'line 11', 'line 12', 'line 13', '↑ 10 more above  ↓ 16 more below (PgUp/PgDn)']);
    expect(scrolled(lines, 99, 5).slice(0, 4)).toEqual(['line 26', 'line 27', 'line 28', 'line 29']);
  });

  it('a list window keeps the cursor in view and counts what lies above and below, the markers taking rows of their own', () => {
    for (let length = 0; length <= 30; length++)
      for (const rows of [1, 2, 3, 4, 7, 12])
        for (let cursor = 0; cursor < Math.max(1, length); cursor++) {
          const w = listWindow(length, cursor, rows);
          const used = w.count + (w.marked && w.above > 0 ? 1 : 0) + (w.marked && w.below > 0 ? 1 : 0);
          expect(used, `${length} ${rows} ${cursor}`).toBeLessThanOrEqual(rows);
          if (rows >= 3) expect(w.marked).toBe(true);
          expect(w.above + w.count + w.below).toBe(length);
          expect(w.start).toBe(w.above);
          if (length > 0) expect(cursor >= w.start && cursor < w.start + w.count, `${length} ${rows} ${cursor}`).toBe(true);
        }
    expect(listWindow(5, 4, 5)).toEqual({ start: 0, count: 5, above: 0, below: 0, marked: true });
    expect(listWindow(9, 0, 6)).toEqual({ start: 0, count: 5, above: 0, below: 4, marked: true });
    expect(listWindow(9, 4, 1)).toEqual({ start: 4, count: 1, above: 4, below: 4, marked: false });
  });

  it('key hints and the legend wrap between their groups, never inside "q quit" or "[ ] off"', () => {
    const legend = '[*] you  [+] profile/default  [=] locked  [ ] off';
    for (const width of [20, 30, 40, 60]) {
      const lines = wrapGroups(legend, width);
      expect(lines.every((l) => l.length <= width)).toBe(true);
      expect(lines.join(' ')).toBe(legend.replace(/ {2}/g, ' '));
      for (const group of legend.split('  '))
        expect(
          lines.some((l) => l.includes(group)),
          `${group} at ${width}`,
        ).toBe(true);
    }
  });

  it('key hints wrap between words within the width', () => {
    const text = '⏎ open Esc back Spc y n set / find ? info A all C names u undo s/D save q quit';
    expect(wrapWords(text, 80)).toEqual([text]);
    const narrow = wrapWords(text, 30);
    expect(narrow.every((l) => l.length <= 30)).toBe(true);
    expect(narrow.join(' ')).toBe(text);
  });

  it('refusals go to a bounded message log, once each; opening it (m) reads them all, Esc closes it', () => {
    const t = setup();
    t.open('drivers');
    t.open('drivers:bus');
    expect(currentItems(t.core, t.runner.state)[cursorOf(t.runner.state)]?.id).toContain('virtio');
    t.press(' ');
    expect(t.runner.state.log).toHaveLength(1);
    expect(t.runner.state.log[0]?.error).toBe(true);
    expect(unreadMessages(t.runner.state)).toBe(1);
    for (let i = 0; i < 260; i++) t.press(' ');
    expect(t.runner.state.log).toHaveLength(200);
    expect(unreadMessages(t.runner.state)).toBe(200);
    t.press('m');
    expect(t.runner.state.overlay.kind).toBe('log');
    expect(unreadMessages(t.runner.state)).toBe(0);
    t.press('', { escape: true });
    expect(t.runner.state.overlay.kind).toBe('none');
    t.press('j'); // a move says nothing: nothing new is logged
    expect(t.runner.state.log).toHaveLength(200);
    expect(unreadMessages(t.runner.state)).toBe(0);
  });

  it('O loads a configuration file (one undoable change, options it does not name shown NEW); S saves to a file name', async () => {
    const t = setup();
    t.press('O');
    expect(t.runner.state.overlay.kind).toBe('edit');
    t.press('/x/my.config\r');
    await vi.waitFor(() => expect(t.runner.state.settings.profile).toBe('xen'));
    expect(t.runner.state.message?.text).toBe('loaded /x/my.config');
    expect(t.runner.state.loadedNames).toEqual(new Set(['tracepoints']));
    t.open('kconfig');
    const menus = currentItems(t.core, t.runner.state);
    t.open(menus.find((m) => m.label.includes('Core'))?.id as string);
    const lines = currentItems(t.core, t.runner.state).map((i) => itemText(i, false, t.runner.state.loadedNames));
    expect(lines.some((l) => l.endsWith('(NEW)'))).toBe(true);
    t.press('u');
    expect(t.runner.state.settings.profile).toBe('virtio-pci');
    t.press('', { escape: true });
    t.press('', { escape: true });
    t.press('S');
    t.press('mine.osvconf\r');
    expect(t.savedAs.map((s) => s.path)).toEqual(['mine.osvconf']);
    expect(t.runner.state.message?.text).toBe('saved the configuration to /abs/mine.osvconf');
  });

  it("Ctrl-F in the search shows the highlighted match's help and goes back to the search as it was", () => {
    const t = setup();
    t.press('/');
    t.press('nvme');
    t.press('', { downArrow: true });
    const before = t.runner.state.overlay;
    t.press('f', { ctrl: true });
    const info = t.runner.state.overlay;
    expect(info.kind === 'info' && info.item?.id).toMatch(/nvme/);
    t.press('', { pageDown: true });
    expect(t.runner.state.overlay.kind).toBe('info');
    t.press('', { escape: true });
    expect(t.runner.state.overlay).toEqual(before);
  });

  it('Esc in the ? pane closes the pane and nothing more (it does not quit at the top or leave a menu)', () => {
    const t = setup();
    t.press('?');
    expect(t.runner.state.overlay.kind).toBe('info');
    t.press('', { escape: true });
    expect(t.runner.state.overlay.kind).toBe('none');
    expect(t.runner.state.done).toBe(false);
    t.open('drivers');
    t.press('?');
    t.press('', { escape: true });
    expect(t.runner.state.path).toEqual(['root', 'drivers']);
  });

  it('s then y saves and stays', () => {
    const t = setup();
    t.press('sy');
    expect(t.writes.length).toBe(1);
    expect(t.runner.state.done).toBe(false);
    expect(t.runner.state.message?.text).toMatch(/^saved: 1 file written/);
  });
});

/** The current menu's items as the state shows them (show-all included). */
function currentItemsOf(t: ReturnType<typeof setup>) {
  return currentItems(t.core, t.runner.state);
}

function createCore() {
  const defaults = loadDefaults();
  if (!defaults.ok) throw new Error('defaults');
  const core = createTuiCore(defaults.value, undefined, tempDir());
  if (!core.ok) throw new Error(core.error.message);
  return core.value;
}

describe('Q', () => {
  it('quits, as in Kconfiglib (asking when there are unsaved changes), instead of jumping to a Q item', () => {
    const { runner } = setup();
    expect(commandsFor(runner.state, 'Q', NO_KEY, false)).toEqual([{ kind: 'action', action: { type: 'quit' } }]);
  });
});
