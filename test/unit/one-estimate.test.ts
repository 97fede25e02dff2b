// One estimate everywhere: the configurator's size panel gives exactly what `osvconf size` says
// for the same selection in the same tree, app version script included (the panel ignored it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefaults } from '../../src/io/catalog-files.js';
import { createTuiCore } from '../../src/tui/core.js';
import { osvconf, tempDir } from '../helpers/cli.js';

describe('the size panel and osvconf size', () => {
  it('agree, with and without an app version script', () => {
    const tree = tempDir();
    writeFileSync(join(tree, 'app.vs'), '{\n  global:\n    printf;\n    malloc;\n    free;\n  local: *;\n};\n');
    const defaults = loadDefaults();
    if (!defaults.ok) throw new Error(defaults.error.message);
    const core = createTuiCore(defaults.value, undefined, tree);
    if (!core.ok) throw new Error(core.error.message);
    for (const kconfig of [{ hide_symbols: 'y' }, { hide_symbols: 'y', version_script: 'app.vs' }]) {
      const selection = core.value.resolve({ arch: 'x64', mode: 'release', profile: 'virtio-kvm', drivers: {}, kconfig, options: { fs: 'rofs' } });
      if (!selection.ok) throw new Error(selection.error.message);
      const panel = core.value.estimate(selection.value).kernelKib;
      const args = [
        'size',
        '--profile=virtio-kvm',
        'conf_hide_symbols=1',
        'fs=rofs',
        ...(kconfig.version_script === undefined ? [] : ['conf_version_script=app.vs']),
        `--out=${tree}`,
        '--json',
      ];
      const cli = JSON.parse(osvconf(args).stdout) as { kernel_kib: number };
      // --json gives KiB to one decimal.
      expect(Math.round(panel * 10) / 10, JSON.stringify(kconfig)).toBe(cli.kernel_kib);
    }
  });

  it("agree when the tree has a calibration from the user's build; the panel says it is calibrated", () => {
    const tree = tempDir();
    mkdirSync(join(tree, 'build', 'release.x64'), { recursive: true });
    const record = {
      osvconf_size_calibration: 1,
      arch: 'x64',
      mode: 'release',
      file: '/elsewhere/loader-stripped.elf',
      date: '2026-11-01',
      measured_kib: 3000,
      model_kib: 3100,
      on: ['virtio', 'pci'],
      hidden: true,
      version_script_symbols: null,
    };
    writeFileSync(join(tree, 'build', 'release.x64', 'osvconf-size.json'), JSON.stringify(record));
    const defaults = loadDefaults();
    if (!defaults.ok) throw new Error(defaults.error.message);
    const plain = createTuiCore(defaults.value, undefined, tempDir());
    const core = createTuiCore(defaults.value, undefined, tree);
    if (!core.ok || !plain.ok) throw new Error('core');
    const settings = { arch: 'x64', mode: 'release', profile: 'virtio-kvm', drivers: {}, kconfig: { hide_symbols: 'y' }, options: { fs: 'rofs' } };
    const selection = core.value.resolve(settings);
    if (!selection.ok) throw new Error(selection.error.message);
    const panel = core.value.estimate(selection.value);
    expect(panel.calibration).toEqual({ file: record.file, date: record.date, offsetKib: -100 });
    expect(panel.kernelKib).toBeCloseTo(plain.value.estimate(selection.value).kernelKib - 100, 6);
    const cli = JSON.parse(osvconf(['size', '--profile=virtio-kvm', 'conf_hide_symbols=1', 'fs=rofs', `--out=${tree}`, '--json']).stdout) as {
      kernel_kib: number;
    };
    expect(Math.round(panel.kernelKib * 10) / 10).toBe(cli.kernel_kib);
  });
});
