// One estimate everywhere: the configurator's size panel gives exactly what `osvconf size` says
// for the same selection in the same tree, app version script included (the panel ignored it).
import { writeFileSync } from 'node:fs';
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
});
