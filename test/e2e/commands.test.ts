// list, explain, --json, --help and --version through the built CLI.
import { describe, expect, it } from 'vitest';
import { osvconf, ARCHES } from '../helpers/cli.js';
import { rawDrivers, rawProfiles } from '../helpers/make-harness.js';

describe('osvconf list', () => {
  it('profiles: every profile of the arch with what it is for', () => {
    for (const arch of ARCHES) {
      const run = osvconf(['list', 'profiles', `--arch=${arch}`]);
      expect(run.code).toBe(0);
      for (const name of rawProfiles(arch).keys()) expect(run.stdout).toMatch(new RegExp(`^${name}\\b`, 'm'));
    }
    expect(osvconf(['list', 'profiles']).stdout).toMatch(/^microvm .*= virtio-mmio/m);
  });

  it('profiles --json', () => {
    const list = JSON.parse(osvconf(['list', 'profiles', '--json']).stdout) as { name: string; default: boolean }[];
    expect(list.map((p) => p.name).sort()).toEqual([...rawProfiles('x64').keys()].sort());
    expect(list.filter((p) => p.default).map((p) => p.name)).toEqual(['all']);
  });

  it('drivers in base.mk order, with implications', () => {
    const run = osvconf(['list', 'drivers', '--arch=aarch64', '--json']);
    const list = JSON.parse(run.stdout) as { name: string; implies: string[] }[];
    expect(list.map((d) => d.name)).toEqual(rawDrivers('aarch64').map((d) => d.name));
    expect(osvconf(['list', 'drivers']).stdout).toMatch(/^conf_drivers_pvpanic\s+platform\s+acpi\s/m);
  });

  it('options', () => {
    expect(osvconf(['list', 'options']).stdout).toMatch(/^conf_hide_symbols\s+bool\s+"n"\s+Core Components/m);
  });
});

describe('osvconf explain', () => {
  it('follows an implication chain back to the profile', () => {
    const run = osvconf(['explain', 'conf_drivers_pci', '--profile=base', 'conf_drivers_hpet=1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('conf_drivers_pci=1: implied by conf_drivers_acpi\n');
    expect(run.stdout).toContain('conf_drivers_acpi=1: implied by conf_drivers_hpet\n');
    expect(run.stdout).toContain('conf_drivers_hpet=1: command line\n');
    expect(run.stdout).toContain('change: conf_drivers_pci=0 is refused:');
  });

  it('says when a value may change freely', () => {
    const run = osvconf(['explain', 'vga', '--profile=virtio-pci']);
    expect(run.stdout).toContain('conf_drivers_vga=0');
    expect(run.stdout).toContain('change: conf_drivers_vga=1 can be set freely');
  });

  it('names the included profile a value came from', () => {
    const run = osvconf(['explain', 'CONF_drivers_ahci']);
    expect(run.stdout).toContain('conf_drivers_ahci=1: profile vbox (included by all)');
  });

  it('explains a name that is both a driver and a profile as both', () => {
    const run = osvconf(['explain', 'xen', '--json']);
    const found = JSON.parse(run.stdout) as { kind: string }[];
    expect(found.map((f) => f.kind)).toEqual(['driver', 'profile']);
  });

  it('without a name lists every setting with its origin', () => {
    const run = osvconf(['explain', '--profile=microvm']);
    expect(run.stdout).toMatch(/^conf_drivers_mmio\s+1\s+profile virtio-mmio \(selected as microvm\)$/m);
    expect(run.stdout).toMatch(/^conf_drivers_virtio\s+1\s+implied by conf_drivers_virtio_blk$/m);
  });
});

describe('--json, --help, --version', () => {
  it('--json alone reports values and origins, writing nothing', () => {
    const run = osvconf(['--profile=aws', 'conf_drivers_nvme=1', '--json']);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ arch: 'x64', mode: 'release', profile: 'aws' });
    const nvme = report.drivers.find((d: { name: string }) => d.name === 'nvme');
    expect(nvme).toMatchObject({ value: 1, origin: { kind: 'command-line' } });
  });

  it('--help shows the usage and the artifacts; --version the version', () => {
    const help = osvconf(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage:');
    expect(help.stdout).toContain('drivers_config.h');
    expect(osvconf(['list', '--help']).stdout).toContain('osvconf list profiles|drivers|options');
    expect(osvconf(['--version']).stdout).toMatch(/^osvconf \d+\.\d+\.\d+\n$/);
  });
});
