// Every reader of a VM description does linear work: a 1 MiB worst case (inside the stated cap)
// finishes well inside the test's deadline, which only turns a hang into a failure (before, a
// 1 MiB QEMU line with drive= references ran for minutes). Floods of unknown options are clipped.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromCloudHypervisor, fromQemu } from '../../src/core/vm.js';
import { knownDrivers, loadVmModel } from '../../src/io/vm-files.js';
import { osvconf, tempDir } from '../helpers/cli.js';

const MIB = 1024 * 1024;

/** Words repeated until the line is just under 1 MiB. */
function upToAMebibyte(make: (i: number) => string[]): string[] {
  const words: string[] = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const more = make(i);
    const bytes = more.reduce((n, w) => n + w.length + 1, 0);
    if (size + bytes > MIB - 64) return words;
    words.push(...more);
    size += bytes;
  }
}

const DEADLINE = 120_000;

describe('VM descriptions of 1 MiB', () => {
  const model = loadVmModel();

  it(
    'QEMU: thousands of -device ...,drive=ID with their -drive id=ID',
    () => {
      const argv = [
        'qemu-system-x86_64',
        '-M',
        'q35',
        ...upToAMebibyte((i) => ['-drive', `if=none,id=d${i},file=d${i}.img`, '-device', `virtio-blk-pci,drive=d${i}`]),
      ];
      expect(argv.join(' ').length).toBeGreaterThan(MIB - 200);
      const d = fromQemu(argv, model, knownDrivers);
      expect(d.ok).toBe(true);
      if (d.ok) expect(d.value.disks).toBeGreaterThan(10_000);
    },
    DEADLINE,
  );

  it(
    'QEMU: a flood of unknown options and undefined drives is said in at most 51 lines',
    () => {
      const argv = ['qemu-system-x86_64', ...upToAMebibyte((i) => [`-unknown${i}`, '-device', `virtio-blk-pci,drive=missing${i}`])];
      const d = fromQemu(argv, model, knownDrivers);
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect(d.value.notes.length).toBeLessThanOrEqual(51);
      expect(d.value.notes.at(-1)?.message).toMatch(/^\.\.\. and \d+ more warnings and \d+ more notes, not shown$/);
    },
    DEADLINE,
  );

  it(
    'Cloud Hypervisor: a flag repeated thousands of times, and unknown ones',
    () => {
      const argv = ['cloud-hypervisor', '--kernel', 'k', ...upToAMebibyte((i) => ['--disk', `path=d${i}.img`, `--nope${i % 7}`, 'x'])];
      const d = fromCloudHypervisor(argv, model, knownDrivers, 'x64');
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect(d.value.disks).toBeGreaterThan(10_000);
      expect(d.value.notes.length).toBeLessThanOrEqual(51);
    },
    DEADLINE,
  );

  it(
    'Firecracker: a config of 1 MiB with thousands of drives, through the CLI',
    () => {
      const drives = upToAMebibyte((i) => [JSON.stringify({ drive_id: `d${i}`, path_on_host: `d${i}.img`, is_root_device: i === 0, is_read_only: false })]);
      const file = join(tempDir(), 'vm.json');
      writeFileSync(
        file,
        JSON.stringify({
          'boot-source': { kernel_image_path: 'k' },
          drives: drives.map((d) => JSON.parse(d) as unknown),
          'machine-config': { vcpu_count: 1, mem_size_mib: 64 },
        }),
      );
      const run = osvconf(['from', 'firecracker', `--in=${file}`, '--print=drivers_config.h']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr.split('\n').length).toBeLessThan(60);
    },
    DEADLINE,
  );
});

describe('Firecracker config files as Firecracker reads them', () => {
  it('a key given twice is refused, naming it and its place (Firecracker refuses it too)', () => {
    for (const [text, key] of [
      ['{"boot-source": {"kernel_image_path": "a"}, "boot-source": {"kernel_image_path": "b"}, "drives": []}', 'boot-source'],
      [
        '{"boot-source": {"kernel_image_path": "a"}, "drives": [{"drive_id": "r", "drive_id": "s", "path_on_host": "x", "is_root_device": true, "is_read_only": false}]}',
        'drive_id',
      ],
    ] as const) {
      const file = join(tempDir(), 'vm.json');
      writeFileSync(file, text);
      const run = osvconf(['from', 'firecracker', `--in=${file}`, '--print=drivers_config.h']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`duplicate key "${key}"`);
      expect(run.stderr).toMatch(/vm\.json:1:\d+/);
    }
  });

  it('null for an optional key or field is taken as absent, as Firecracker does', () => {
    const file = join(tempDir(), 'vm.json');
    writeFileSync(
      file,
      JSON.stringify({
        'boot-source': { kernel_image_path: 'k', boot_args: null, initrd_path: null },
        drives: [{ drive_id: 'rootfs', path_on_host: 'r.img', is_root_device: true, is_read_only: false, partuuid: null, rate_limiter: null }],
        'network-interfaces': [],
        balloon: null,
        vsock: null,
        logger: null,
        metrics: null,
        'mmds-config': null,
        'machine-config': { vcpu_count: 1, mem_size_mib: 128, smt: false, cpu_template: null },
      }),
    );
    const run = osvconf(['from', 'firecracker', `--in=${file}`, '--print=drivers_config.h']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('CONF_drivers_virtio_blk 1');
  });
});
