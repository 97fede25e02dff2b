// drivers_config.h through the real CLI against headers OSv's own make + generator produced.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE, osvconf } from '../helpers/cli.js';

const cases: { file: string; args: string[] }[] = [
  { file: 'x64-virtio-pci.drivers_config.h', args: ['--profile=virtio-pci'] },
  { file: 'aarch64-virtio-mmio.drivers_config.h', args: ['--arch=aarch64', '--profile=virtio-mmio'] },
  {
    file: 'x64-base+acpi,virtio_fs,virtio_net,pvpanic.drivers_config.h',
    args: ['--profile=base', 'conf_drivers_acpi=1', 'conf_drivers_virtio_fs=1', 'conf_drivers_virtio_net=1', 'conf_drivers_pvpanic=1'],
  },
];

// In CI the reference folder sits beside the clone; a bare clone elsewhere skips these.
describe('drivers_config.h matches OSv reference output', () => {
  for (const c of cases) {
    it(c.file, () => {
      const run = osvconf([...c.args, '--print=drivers_config.h']);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(readFileSync(join(REFERENCE, 'examples', c.file), 'utf8'));
    });
  }
});
