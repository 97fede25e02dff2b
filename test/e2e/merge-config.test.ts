// Several --load files and the command line, applied in order, later wins (like merge_config and
// sdkconfig.defaults layering): every overridden value is reported with both sides, the result is
// what the merged settings give when written out, and --strict refuses a value that does not take.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvconf, tempDir } from '../helpers/cli.js';
import { configValues, HAVE_KCONFIGLIB, withKconfiglib } from '../helpers/kconfiglib.js';

function files(contents: Record<string, string>): Record<string, string> {
  const dir = tempDir('merge-');
  return Object.fromEntries(
    Object.entries(contents).map(([name, text]) => {
      writeFileSync(join(dir, name), text);
      return [name, join(dir, name)];
    }),
  );
}

const notes = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('osvconf: note: '));

describe('merging configurations', () => {
  it('applies fragments in order, then the command line, and names every override', () => {
    const f = files({
      'a.osvconf': 'arch=x64\nconf_drivers_profile=virtio-pci\nconf_drivers_nvme=1\nconf_tracepoints=1\n',
      'b.osvconf': 'conf_drivers_nvme=0\nfs=rofs\nconf_drivers_profile=virtio-kvm\nconf_hide_symbols=1\n',
    });
    const r = osvconf([`--load=${f['a.osvconf']}`, `--load=${f['b.osvconf']}`, 'conf_tracepoints=0', 'fs=ramfs', '--print=configuration']);
    expect(r.code, r.stderr).toBe(0);
    expect(notes(r.stderr)).toEqual([
      `osvconf: note: conf_drivers_profile=virtio-kvm from ${f['b.osvconf']} overrides conf_drivers_profile=virtio-pci from ${f['a.osvconf']}`,
      `osvconf: note: conf_drivers_nvme=0 from ${f['b.osvconf']} overrides conf_drivers_nvme=1 from ${f['a.osvconf']}`,
      `osvconf: note: conf_tracepoints=0 from the command line overrides conf_tracepoints=1 from ${f['a.osvconf']}`,
      `osvconf: note: fs=ramfs from the command line overrides fs=rofs from ${f['b.osvconf']}`,
    ]);
    // The merge is exactly the settings written out in one command line.
    const once = osvconf([
      '--arch=x64',
      '--profile=virtio-kvm',
      'conf_drivers_nvme=0',
      'conf_hide_symbols=1',
      'conf_tracepoints=0',
      'fs=ramfs',
      '--print=configuration',
    ]);
    expect(r.stdout).toBe(once.stdout);
  });

  it('a .config and a saved configuration merge too; nothing is said when nothing is overridden', () => {
    const dot = osvconf(['--profile=virtio-pci', 'conf_tracepoints=0', '--print=.config']).stdout;
    const f = files({ 'base.config': dot, 'app.osvconf': 'conf_hide_symbols=1\n' });
    const r = osvconf([`--load=${f['base.config']}`, `--load=${f['app.osvconf']}`, '--print=configuration']);
    expect(r.code, r.stderr).toBe(0);
    expect(notes(r.stderr).filter((l) => l.includes('overrides'))).toEqual([]);
    expect(r.stdout).toContain('conf_tracepoints=0\n');
    expect(r.stdout).toContain('conf_hide_symbols=1\n');
  });

  it("a later .config's default values override an earlier file's settings (it states every value)", () => {
    const f = files({ 'a.osvconf': 'conf_hide_symbols=1\n', 'b.config': osvconf(['--print=.config']).stdout });
    const r = osvconf([`--load=${f['a.osvconf']}`, `--load=${f['b.config']}`, '--print=configuration']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('conf_hide_symbols=1');
    expect(r.stderr).toContain(`conf_hide_symbols=n from ${f['b.config']} overrides conf_hide_symbols=1 from ${f['a.osvconf']}`);
  });

  it('--strict refuses a requested value that does not take; without it, it is a warning', () => {
    const f = files({ 'zfs.osvconf': 'conf_zfs=openzfs\n', 'rofs.osvconf': 'fs=rofs\n' });
    const args = [`--load=${f['zfs.osvconf']}`, `--load=${f['rofs.osvconf']}`, '--print=drivers_config.h'];
    const loose = osvconf(args);
    expect(loose.code, loose.stderr).toBe(0);
    expect(loose.stderr).toMatch(/warning: conf_zfs=openzfs has no effect with fs=rofs/);
    const strict = osvconf([...args, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/error: conf_zfs=openzfs has no effect with fs=rofs.*\(--strict\)/);
  });

  it('a file that cannot be read is named, and nothing is written', () => {
    const f = files({ 'a.osvconf': 'conf_tracepoints=1\n' });
    const r = osvconf([`--load=${f['a.osvconf']}`, '--load=/nonexistent/b.osvconf', '--print=configuration']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/nonexistent\/b\.osvconf/);
    expect(r.stdout).toBe('');
  });
});

describe('messy .config files, as Kconfig reads them (Kconfiglib is the oracle)', () => {
  it.skipIf(!HAVE_KCONFIGLIB && process.env['CI'] !== 'true')(
    'a value whose dependency a later fragment turns off is dropped with a warning naming both, as Kconfiglib drops it; --strict refuses',
    () => {
      for (const [base, fragment, dropped, parent] of [
        ['CONF_tracepoints=y\nCONF_tracepoints_callstack=y\n', '# CONF_tracepoints is not set\n', 'tracepoints_callstack', 'tracepoints'],
        [
          'CONF_tracepoints_sampler=y\n# CONF_tracepoints_callstack is not set\nCONF_tracepoints_callstack=y\n',
          '# CONF_tracepoints is not set\n',
          'tracepoints_callstack',
          'tracepoints',
        ],
        ['# CONF_networking_dhcp is not set\n', '# CONF_networking_stack is not set\nCONF_networking_dhcp=y\n', 'networking_dhcp', 'networking_stack'],
      ] as const) {
        const f = files({ 'base.config': base, 'frag.config': fragment });
        const run = osvconf([`--load=${f['base.config']}`, `--load=${f['frag.config']}`, '--print=.config']);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).toMatch(new RegExp(`warning: conf_${dropped}=1 from .* dropped: it depends on conf_${parent}, which is 0`));
        // Kconfiglib: both files loaded in order (replace=False, as merge_config.sh does), then written out.
        const oracle = withKconfiglib(
          'x64',
          'release',
          'kconf.load_config(sys.argv[2])\nkconf.load_config(sys.argv[3], replace=False)\nprint(kconf.syms["' + dropped + '"].str_value)',
          [f['base.config'] as string, f['frag.config'] as string],
        ).trim();
        expect(oracle).toBe('n');
        expect(configValues(run.stdout).get(dropped) ?? 'n').toBe(oracle);
        const strict = osvconf([`--load=${f['base.config']}`, `--load=${f['frag.config']}`, '--strict', '--print=.config']);
        expect(strict.code).toBe(1);
        expect(strict.stderr).toContain(`conf_${dropped}=1`);
      }
    },
  );

  it.skipIf(!HAVE_KCONFIGLIB && process.env['CI'] !== 'true')(
    '"# CONF_<int|hex|string> is not set" is ignored, as Kconfiglib ignores it: the option keeps its default',
    () => {
      const f = files({
        'x.config':
          '# CONF_core_dynamic_percpu_size is not set\n# CONF_core_debug_buffer_size is not set\n# CONF_version_script is not set\nCONF_hide_symbols=y\n',
      });
      const run = osvconf([`--load=${f['x.config']}`, '--print=.config']);
      expect(run.code, run.stderr).toBe(0);
      const ours = configValues(run.stdout);
      const oracle = withKconfiglib(
        'x64',
        'release',
        'kconf.load_config(sys.argv[2])\nfor n in ("core_dynamic_percpu_size", "core_debug_buffer_size", "hide_symbols"): print(n, kconf.syms[n].str_value)',
        [f['x.config'] as string],
      );
      for (const line of oracle.trim().split('\n')) {
        const [name, value] = line.split(' ') as [string, string];
        expect(ours.get(name), name).toBe(value);
      }
      expect(run.stderr).toMatch(/does not mention .*CONF_core_dynamic_percpu_size.* \(NEW\)/);
    },
  );
});
