// The ink app at a fixed width with ink-testing-library: what it draws and how keys act.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { ROOT, tempDir } from '../helpers/cli.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaults } from '../../src/io/catalog-files.js';
import type { SaveTarget } from '../../src/tui/App.js';
import { createTuiCore } from '../../src/tui/core.js';
import { initialState, type State } from '../../src/tui/state.js';

// ink stops redrawing under CI=true (read when ink is first loaded), as loadUi (tui/run.ts)
// knows; load it here only after clearing those variables, as loadUi does.
let render: typeof import('ink-testing-library').render;
let App: typeof import('../../src/tui/App.js').App;
beforeAll(async () => {
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  ({ render } = await import('ink-testing-library'));
  ({ App } = await import('../../src/tui/App.js'));
});

/** Waits for a condition, turn by turn of the event loop; vitest's deadline catches a hang. */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setImmediate(r));
}

function setup(writes: State[] = []) {
  const defaults = loadDefaults();
  if (!defaults.ok) throw new Error('defaults');
  const core = createTuiCore(defaults.value, undefined, tempDir());
  if (!core.ok) throw new Error(core.error.message);
  const state = initialState(
    core.value,
    { arch: 'x64', mode: 'release', profile: 'virtio-kvm', drivers: {}, kconfig: { hide_symbols: 'y' }, options: { fs: 'rofs' } },
    6189,
  );
  if (!state.ok) throw new Error(state.error.message);
  const save: SaveTarget = {
    where: '/osv',
    plan: () => ({ ok: true, value: { files: [{ path: 'build/release.x64/gen/include/osv/drivers_config.h', status: 'wrote', diff: '(+1 -1 lines)' }] } }),
    write: (s) => {
      writes.push(s);
      return { ok: true, value: { files: [{ path: 'build/release.x64/gen/include/osv/drivers_config.h', status: 'wrote', diff: '' }] } };
    },
    load: () => Promise.resolve({ ok: false, error: { kind: 'user', message: 'not here' } }),
    saveAs: () => ({ ok: false, error: { kind: 'user', message: 'not here' } }),
  };
  let exited: State | undefined;
  let taken = 0;
  const app = render(
    createElement(App, { core: core.value, initial: state.value, save, color: false, onExit: (s: State) => void (exited = s), onKey: () => void taken++ }),
  );
  /** Types a key and waits until the app has drawn what it did (no fixed sleep). */
  const press = async (k: string): Promise<void> => {
    const before = taken;
    app.stdin.write(k);
    await until(() => taken > before);
  };
  return { app, press, exited: () => exited };
}

describe('the TUI app', () => {
  it('draws the menu, the size panel and the key legend', () => {
    const { app } = setup();
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('osvconf: OSv configuration (x64, release, profile virtio-kvm)');
    expect(frame).toContain('> ');
    expect(frame).toContain('Drivers --->');
    expect(frame).toMatch(/Kernel size/);
    // The panel states the model's uncertainty for hidden symbols (this selection hides them).
    const hidden = (JSON.parse(readFileSync(join(ROOT, 'conf', 'size', 'x64.json'), 'utf8')) as { uncertainty_pct: { hidden: number } }).uncertainty_pct.hidden;
    expect(frame).toMatch(new RegExp(`[\\d,]+ KiB ± ${hidden} %`));
    expect(frame).toContain('s/D save S save as O load m log'); // every key, wrapped between keys
    expect(frame).toMatch(/^q quit$/m);
    app.unmount();
  });

  it('moves with j, opens with Enter, toggles with Space: the mark and the size change', async () => {
    const { app, press } = setup();
    const sizeOf = (f: string) => Number(/([\d,]+) KiB ± /.exec(f)?.[1]?.replace(/,/g, ''));
    const before = sizeOf(app.lastFrame() ?? '');
    for (const k of ['j', 'j', '\r', 'j', '\r']) await press(k);
    expect(app.lastFrame()).toContain('Drivers: Storage');
    // nvme is the sixth driver of the storage group on x64
    for (const k of ['j', 'j', 'j', 'j', 'j', ' ']) await press(k);
    const frame = app.lastFrame() ?? '';
    expect(frame).toMatch(/>\[\*\] nvme/);
    expect(frame).toContain('* unsaved');
    expect(sizeOf(frame)).toBeGreaterThan(before);
    app.unmount();
  });

  it('s shows the plan first, y writes, q then quits', async () => {
    const writes: State[] = [];
    const { app, press, exited } = setup(writes);
    await press('s');
    await until(() => (app.lastFrame() ?? '').includes('will write'));
    expect(app.lastFrame()).toContain('will write  build/release.x64/gen/include/osv/drivers_config.h (+1 -1 lines)');
    expect(writes).toHaveLength(0);
    await press('y');
    expect(writes).toHaveLength(1);
    expect(app.lastFrame()).toContain('saved: 1 file written, 0 unchanged');
    app.stdin.write('q');
    await until(() => exited() !== undefined);
    expect(exited()).toBeDefined();
  });
});

describe("the configurator's Text", () => {
  it('draws control characters from a file escaped, never raw (a profile description that retitles the terminal)', async () => {
    const { Text } = await import('../../src/tui/text.js');
    const drawn = render(createElement(Text, null, 'my VM x\x1b]0;pwned\x07\x1b[2J\u202eevil'));
    const frame = drawn.lastFrame() ?? '';
    drawn.unmount();
    expect(frame).not.toMatch(/[\x07\x1b\u202e]/);
    expect(frame).toContain('my VM x\\x1b]0;pwned\\x07');
  });
});
