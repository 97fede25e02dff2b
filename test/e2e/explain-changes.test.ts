// explain's possible changes, checked against what the CLI does with each change: "can be set
// freely" only where the change passes --strict, "trips a pitfall" only where --strict refuses it
// and plain osvconf takes it, "is refused" only where osvconf refuses it; the size it gives is
// osvconf size's difference; "defined at" points at the line that names the thing.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, osvconf } from '../helpers/cli.js';
import { rng } from '../helpers/random.js';

const CASES = Number(process.env['OSVCONF_FUZZ_CASES'] ?? 200) >= 1000 ? 120 : 24;
const PROFILES = readdirSync(join(ROOT, 'profiles', 'x64')).map((f) => f.replace(/\.json$/, ''));
const DRIVERS = (JSON.parse(readFileSync(join(ROOT, 'conf', 'x64', 'drivers.json'), 'utf8')) as { drivers: { name: string }[] }).drivers.map((d) => d.name);

const PITFALLS = new Set(
  (JSON.parse(readFileSync(join(ROOT, 'conf', 'x64', 'drivers.json'), 'utf8')) as { drivers: { pitfalls: { id: string }[] }[] }).drivers.flatMap((d) =>
    d.pitfalls.map((p) => p.id),
  ),
);
/** The pitfalls a selection trips, by id, as --json reports them. */
const pitfallsOf = (args: readonly string[]): string[] => {
  const r = osvconf([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { warnings: { code: string }[] }).warnings.map((w) => w.code).filter((c) => PITFALLS.has(c));
};
const kib = (args: readonly string[]): number => (JSON.parse(osvconf(['size', ...args, '--json']).stdout) as { kernel_kib: number }).kernel_kib;

describe('explain: what each change does', () => {
  it('says free, pitfall or refused exactly as the CLI then behaves, with the size osvconf size gives', () => {
    const next = rng(9090);
    const seen = new Set<string>();
    for (let i = 0; i < CASES; i++) {
      const base = [`--profile=${PROFILES[Math.floor(next() * PROFILES.length)]}`, `conf_hide_symbols=${next() < 0.5 ? 1 : 0}`];
      const name = next() < 0.85 ? (DRIVERS[Math.floor(next() * DRIVERS.length)] as string) : 'conf_hide_symbols';
      const r = osvconf(['explain', name, ...base]);
      expect(r.code, r.stderr).toBe(0);
      const m = /^ {2}change: (\S+)=(\S+) (can be set freely|is accepted, but trips a pitfall:|is refused:)(?: {2}\(([+-][\d,]+) KiB\))?$/m.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      const [, setting, value, verdict, size] = m as unknown as [string, string, string, string, string | undefined];
      seen.add(verdict);
      const changed = [...base.filter((b) => !b.startsWith(`${setting}=`)), `${setting}=${value}`];
      const where = `${base.join(' ')}: ${setting}=${value} ${verdict}`;
      if (verdict === 'is refused:') {
        expect([where, osvconf([...changed, '--print=drivers_config.h']).code]).toEqual([where, 1]);
        continue;
      }
      // Taken: free when it adds no pitfall to those the selection has; a pitfall otherwise.
      const added = pitfallsOf(changed).filter((p) => !pitfallsOf(base).includes(p));
      expect([where, added.length > 0]).toEqual([where, verdict !== 'can be set freely']);
      if (added.length > 0) expect([where, osvconf([...changed, '--strict', '--print=drivers_config.h']).code]).toEqual([where, 1]);
      if (size !== undefined) {
        const delta = Math.round(kib(changed) - kib(base));
        expect([where, Number(size.replace(/,/g, ''))]).toEqual([where, delta]);
      }
    }
    // The random walk met all three answers (else the seed proves little).
    expect([...seen].sort()).toEqual(['can be set freely', 'is accepted, but trips a pitfall:', 'is refused:']);
  });

  it('never calls a pitfall change free: scsi=0 with symbols visible, pvpanic=0 with ACPI on', () => {
    const scsi = osvconf(['explain', 'scsi', '--profile=virtio-kvm', 'conf_hide_symbols=0']).stdout;
    expect(scsi).toContain('change: conf_drivers_scsi=0 is accepted, but trips a pitfall:');
    expect(scsi).not.toContain('can be set freely');
    const pvpanic = osvconf(['explain', 'pvpanic', '--profile=virtio-kvm']).stdout;
    expect(pvpanic).toContain('change: conf_drivers_pvpanic=0 is accepted, but trips a pitfall:');
  });

  it('judges changes as the selection is: with --force a conflict is kept (and said), with --strict a pitfall is refused', () => {
    const forced = osvconf(['explain', 'pci', '--profile=virtio-pci', '--force']).stdout;
    expect(forced).toMatch(/change: conf_drivers_pci=0 is accepted only because of --force: .*\n {4}conf_drivers_pci=0 \(command line\) conflicts with/);
    const taken = osvconf(['--profile=virtio-pci', 'conf_drivers_pci=0', '--force', '--print=drivers_config.h']);
    expect(taken.code).toBe(0);
    expect(taken.stderr).toContain('kept as make leaves it (--force)');
    const strict = osvconf(['explain', 'pvpanic', '--profile=virtio-kvm', '--strict']).stdout;
    expect(strict).toMatch(/change: conf_drivers_pvpanic=0 is refused:/);
  });

  it('names the data file and the line that defines the thing', () => {
    for (const [name, file] of [
      ['nvme', 'conf/x64/drivers.json'],
      ['conf_tracepoints', 'conf/kconfig.json'],
      ['fs', 'conf/options.json'],
    ] as const) {
      const out = osvconf(['explain', name]).stdout;
      const at = new RegExp(`defined at: ${file.replace(/\./g, '\\.')}:(\\d+)$`, 'm').exec(out);
      expect(at, out).not.toBeNull();
      const line = readFileSync(join(ROOT, file), 'utf8').split('\n')[Number(at?.[1]) - 1];
      expect(line).toContain(`"name": "${name.replace(/^conf_/, '')}"`);
    }
  });
});
