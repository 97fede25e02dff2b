// osvconf from qemu|firecracker|cloud-hypervisor through the CLI, on the command lines OSv's own
// scripts/run.py and scripts/firecracker.py build for their options (written as test data from
// their documented behaviour), Cloud Hypervisor's documented examples and unusual hand-written
// ones; bad input is named; and run-args -> from gives every shipped profile's drivers back, or
// says why not.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHES, ROOT, osvconf, tempDir } from '../helpers/cli.js';

interface Report {
  arch: string;
  drivers: { name: string; why: string[] }[];
  optional: { name: string }[];
  nearest_profile: { name: string } | null;
  warnings?: { code: string; message: string }[];
}

/** The drivers `from` turns on, with symbols hidden (so no link-failure fix for scsi muddies them). */
function from(vm: string, words: readonly string[], extra: readonly string[] = []): Report {
  const r =
    vm === 'firecracker'
      ? osvconf(['from', vm, ...words, 'conf_hide_symbols=1', ...extra, '--json'])
      : osvconf(['from', vm, 'conf_hide_symbols=1', ...extra, '--json', '--', ...words]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}
const on = (r: Report): string[] => r.drivers.map((d) => d.name).sort();
const split = (line: string): string[] => line.split(/\s+/).filter((w) => w !== '');

const RUN_PY = {
  blk: '-device virtio-blk-pci,id=blk0,drive=hd0,bootindex=0 -drive file=/osv/build/last/usr.img,if=none,id=hd0,cache=none,aio=native',
  net: '-netdev user,id=un0,net=192.168.122.0/24,host=192.168.122.1 -device virtio-net-pci,netdev=un0',
  rng: '-device virtio-rng-pci',
  kvm: '-enable-kvm -cpu host,+x2apic',
  console: '-chardev stdio,mux=on,id=stdio,signal=off -mon chardev=stdio,mode=readline -device isa-serial,chardev=stdio',
  head: 'qemu-system-x86_64 -m 2G -smp 4 -vnc :1 -gdb tcp::1234,server,nowait',
};
const line = (...parts: string[]) => split(parts.join(' '));

describe('osvconf from qemu: the forms scripts/run.py builds', () => {
  const cases: [string, string[], string[]][] = [
    [
      'default (KVM)',
      line(RUN_PY.head, RUN_PY.blk, RUN_PY.net, RUN_PY.rng, RUN_PY.kvm, RUN_PY.console),
      ['pci', 'virtio', 'virtio_blk', 'virtio_net', 'virtio_rng'],
    ],
    ['--nics=0', line(RUN_PY.head, RUN_PY.blk, '-nic none', RUN_PY.rng, RUN_PY.kvm, RUN_PY.console), ['pci', 'virtio', 'virtio_blk', 'virtio_rng']],
    [
      '-3 (vmxnet3)',
      line(RUN_PY.head, RUN_PY.blk, '-netdev user,id=un0 -device vmxnet3,netdev=un0', RUN_PY.rng, RUN_PY.kvm),
      ['pci', 'virtio', 'virtio_blk', 'virtio_rng', 'vmxnet3'],
    ],
    [
      '--scsi',
      line(
        RUN_PY.head,
        '-device virtio-scsi-pci,id=scsi0 -drive file=usr.img,if=none,id=hd0,media=disk -device scsi-hd,bus=scsi0.0,drive=hd0,scsi-id=1,lun=0,bootindex=0',
        RUN_PY.net,
        RUN_PY.kvm,
      ),
      ['pci', 'scsi', 'virtio', 'virtio_net', 'virtio_scsi'],
    ],
    [
      '--sata',
      line(RUN_PY.head, '-machine q35 -drive file=usr.img,if=none,id=hd0,media=disk -device ide-hd,drive=hd0,id=idehd0,bus=ide.0', RUN_PY.net, RUN_PY.kvm),
      ['ahci', 'pci', 'virtio', 'virtio_net'],
    ],
    [
      '--nvme',
      line(RUN_PY.head, '-device nvme,serial=deadbeef,drive=nvm,bootindex=0 -drive file=usr.img,if=none,id=nvm', RUN_PY.net, RUN_PY.kvm),
      ['nvme', 'pci', 'virtio', 'virtio_net'],
    ],
    ['--ide', line(RUN_PY.head, '-hda usr.img', RUN_PY.net, RUN_PY.kvm), ['ide', 'pci', 'virtio', 'virtio_net']],
    [
      '--second-nvme-image (trailing comma)',
      line(RUN_PY.head, RUN_PY.blk, '-drive file=/n2.img,if=none,id=nvm1 -device nvme,serial=deadbeef,drive=nvm1,', RUN_PY.kvm),
      ['nvme', 'pci', 'virtio', 'virtio_blk'],
    ],
    [
      '--virtio-fs',
      line(
        RUN_PY.head,
        RUN_PY.blk,
        '-chardev socket,id=char0,path=/tmp/vhostqemu -device vhost-user-fs-pci,queue-size=1024,chardev=char0,tag=myfs -object memory-backend-file,id=mem,size=2G,mem-path=/dev/shm,share=on -numa node,memdev=mem',
        RUN_PY.kvm,
      ),
      ['pci', 'virtio', 'virtio_blk', 'virtio_fs'],
    ],
    ['--virtio-balloon', line(RUN_PY.head, RUN_PY.blk, '-device virtio-balloon-pci', RUN_PY.kvm), ['pci', 'virtio', 'virtio_blk']],
    [
      '-p qemu (TCG)',
      line(RUN_PY.head, RUN_PY.blk, RUN_PY.net, RUN_PY.rng, RUN_PY.console),
      ['acpi', 'hpet', 'pci', 'pvpanic', 'virtio', 'virtio_blk', 'virtio_net', 'virtio_rng'],
    ],
    [
      '-p qemu_microvm',
      split(
        'qemu-system-x86_64 -m 2G -smp 4 --nographic -gdb tcp::1234,server,nowait -kernel loader-stripped.elf -append "--nopci /hello" -M microvm,x-option-roms=off,pit=off,pic=off,rtc=off,auto-kernel-cmdline=on,acpi=off -nodefaults -no-user-config -no-reboot -global virtio-mmio.force-legacy=off -device virtio-blk-device,id=blk0,drive=hd0 -drive file=usr.img,if=none,id=hd0 -netdev user,id=un0 -device virtio-net-device,netdev=un0 -enable-kvm -cpu host,+x2apic -serial stdio'.replace(
          '"--nopci /hello"',
          '--nopci',
        ),
      ),
      // pci: the link of this OSv needs it with virtio (virtio-balloon's MSI code)
      ['mmio', 'pci', 'virtio', 'virtio_blk', 'virtio_net'],
    ],
    ['--pass-args "-device pvpanic"', line(RUN_PY.head, RUN_PY.blk, RUN_PY.kvm, '-device pvpanic'), ['acpi', 'pci', 'pvpanic', 'virtio', 'virtio_blk']],
  ];
  for (const [name, argv, expected] of cases) {
    it(name, () => {
      const r = from('qemu', argv);
      expect(r.arch).toBe('x64');
      expect(on(r)).toEqual(expected);
    });
  }

  it('aarch64 forms: PCI under virt, and virtio-mmio with the -device variants', () => {
    const tcg = from(
      'qemu',
      split(
        'qemu-system-aarch64 -m 2G -smp 4 --nographic -kernel loader.img -machine gic-version=max -cpu cortex-a57 -machine virt -device virtio-blk-pci,id=blk0,drive=hd0 -drive file=disk.img,if=none,id=hd0 -netdev user,id=un0 -device virtio-net-pci,netdev=un0 -device virtio-rng-pci',
      ),
    );
    expect([tcg.arch, on(tcg)]).toEqual(['aarch64', ['pci', 'virtio', 'virtio_blk', 'virtio_net', 'virtio_rng']]);
    const mmio = from(
      'qemu',
      split(
        'qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -m 1G -nographic -kernel loader.img -global virtio-mmio.force-legacy=off -device virtio-blk-device,drive=hd0 -drive file=disk.img,if=none,id=hd0 -netdev user,id=n0 -device virtio-net-device,netdev=n0',
      ),
    );
    expect(on(mmio)).toContain('mmio');
    expect(on(mmio)).toContain('virtio_blk');
  });
});

describe('osvconf from qemu: unusual command lines', () => {
  it('names what OSv has no driver for, and the machine default NIC', () => {
    const r = from('qemu', split('qemu-system-x86_64 -enable-kvm -drive file=usr.img,if=virtio -net nic,model=e1000 -net user -device virtio-9p-pci,fsdev=f'));
    expect(on(r)).toEqual(['pci', 'virtio', 'virtio_blk']);
    const messages = (r.warnings ?? []).map((w) => w.message).join('\n');
    expect(messages).toMatch(/e1000 .*-net nic,model=e1000 at arg 4.*the guest will not see it/);
    expect(messages).toMatch(/virtio-9p-pci.*no driver/);
    const bare = osvconf(['from', 'qemu', 'fs=ramfs', '--', 'qemu-system-x86_64', '-enable-kvm', '-kernel', 'loader-stripped.elf']);
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stderr).toMatch(/e1000 \(pc's default NIC\).*the guest will not see it/);
  });

  it('duplicate devices each give a reason; Hyper-V enlightenments and Xen choose the clock', () => {
    const two = from('qemu', split('qemu-system-x86_64 -enable-kvm -drive file=a.img,if=virtio -drive file=b.img,if=virtio'));
    expect(two.drivers.find((d) => d.name === 'virtio_blk')?.why).toEqual(['-drive file=a.img,if=virtio at arg 2', '-drive file=b.img,if=virtio at arg 4']);
    expect(on(from('qemu', split('qemu-system-x86_64 -enable-kvm -cpu host,hv_relaxed,hv_vpindex,hv_time -drive file=usr.img,if=virtio')))).toEqual([
      'hyperv',
      'pci',
      'virtio',
      'virtio_blk',
    ]);
    expect(on(from('qemu', split('qemu-system-x86_64 -M xenfv -accel xen -hda usr.img')))).toEqual(['ide', 'pci', 'xen']);
    expect(
      on(
        from(
          'qemu',
          split(
            'qemu-system-x86_64 -enable-kvm -device pvscsi,id=s0 -drive if=none,id=d0,file=usr.img -device scsi-hd,bus=s0.0,drive=d0 -device vmxnet3,netdev=n0 -netdev user,id=n0',
          ),
        ),
      ),
    ).toEqual(['pci', 'pvscsi', 'scsi', 'vmxnet3']);
  });

  it('an option osvconf does not know never takes the next option as its value; CPU flags turned off stay off', () => {
    const r = from('qemu', split('qemu-system-x86_64 -nodefaults -mem-prealloc -enable-kvm -drive file=a,if=virtio'));
    expect(on(r)).toEqual(['pci', 'virtio', 'virtio_blk']); // KVM seen: no HPET
    expect(on(from('qemu', split('qemu-system-x86_64 -enable-kvm -nodefaults -cpu host,hv_relaxed,hv_time=off -drive file=a,if=virtio')))).toContain('hpet');
    const noAcpi = osvconf(['from', 'qemu', '--', ...split('qemu-system-x86_64 -nodefaults -M pc,acpi=off -drive file=a,if=virtio')]);
    expect(noAcpi.code).toBe(1);
    expect(noAcpi.stderr).toMatch(/no clock OSv can use/);
  });

  it('--strict judges the final selection; a setting that turns off what the VM needs is refused; stray operands are usage errors', () => {
    const line = split('qemu-system-x86_64 -enable-kvm -nodefaults -drive file=a,if=virtio');
    expect(osvconf(['from', 'qemu', '--strict', 'conf_hide_symbols=1', '--', ...line]).code).toBe(0);
    const off = osvconf(['from', 'qemu', 'conf_drivers_hpet=0', '--', ...split('qemu-system-x86_64 -nodefaults -drive file=a,if=virtio')]);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/conf_drivers_hpet=0 leaves the VM without what it needs: hpet for no KVM/);
    expect(osvconf(['from', 'qemu', 'garbage', '--', ...line]).code).toBe(2);
  });

  it('reads the command line from a file: quotes, continuations, comments', () => {
    const dir = tempDir('vm-line-');
    const file = join(dir, 'run.sh');
    writeFileSync(
      file,
      '# started by hand\nqemu-system-x86_64 -enable-kvm \\\n  -drive \'file=my disk.img,if=virtio\' \\\n  -append "--nopci /hello world" -nic user,model=virtio\n',
    );
    const r = osvconf(['from', 'qemu', `--in=${file}`, 'conf_hide_symbols=1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(on(JSON.parse(r.stdout) as Report)).toEqual(['pci', 'virtio', 'virtio_blk', 'virtio_net']);
  });

  it('refuses what is not a usable VM, naming the argument', () => {
    const bad = (argv: string[], pattern: RegExp) => {
      const r = osvconf(['from', 'qemu', '--', ...argv]);
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 1]);
      expect(r.stderr).toMatch(pattern);
    };
    bad(['ls', '-l'], /"ls" is not a QEMU binary/);
    bad(['qemu-system-x86_64', '-M', 'pcx', '-enable-kvm'], /-M pcx: a machine osvconf does not know \(did you mean "pc"/);
    bad(['qemu-system-x86_64', '-enable-kvm', 'usr.img'], /arg 2: "usr.img" is not a QEMU option/);
    bad(['qemu-system-x86_64', '-enable-kvm', '-readconfig', 'vm.cfg'], /-readconfig/);
    bad(['qemu-system-x86_64', '-M', 'pc,accel=kvm', '-no-hpet', '-cpu', 'host,kvmclock=off', '-hda', 'usr.img'], /no clock OSv can use/);
    bad(['qemu-system-x86_64', '-M', 'microvm,acpi=off', '-hda', 'usr.img'], /no clock OSv can use.*has no HPET/);
    bad(['qemu-system-x86_64', '-enable-kvm', '-drive', 'file=x,if=virtioo'], /if=virtioo is not a QEMU drive interface \(did you mean "virtio"/);
    expect(osvconf(['from', 'qemuu']).stderr).toMatch(/did you mean "qemu"/);
    bad(
      ['qemu-system-x86_64', '-M', 'microvm,acpi=off', '-enable-kvm', '-device', 'virtio-blk-pci,drive=d', '-drive', 'file=x,if=none,id=d'],
      /-M microvm has no PCI bus for it/,
    );
    bad(['qemu-system-x86_64', '-enable-kvm', '-device', 'virtio-blk-device,drive=d', '-drive', 'file=x,if=none,id=d'], /-M pc has no virtio-mmio bus for it/);
    bad(['qemu-system-x86_64', '-enable-kvm', '-device', ''], /-device has an empty value/);
    // A root filesystem on a disk, and no disk: the kernel needs what the VM does not offer.
    bad(['qemu-system-x86_64', '-enable-kvm', '-nic', 'user,model=virtio'], /the root filesystem is read from a disk, but the VM has none/);
  });

  it('--print and --out write the derived selection, as the scripted command does', () => {
    const argv = line(RUN_PY.head, RUN_PY.blk, RUN_PY.net, RUN_PY.kvm);
    const r = osvconf(['from', 'qemu', 'conf_hide_symbols=1', '--print=drivers_config.h', '--', ...argv]);
    expect(r.code, r.stderr).toBe(0);
    const report = from('qemu', argv);
    const settings = report.drivers.filter((d) => d.why.some((w) => !w.startsWith('implied'))).map((d) => `conf_drivers_${d.name}=1`);
    expect(r.stdout).toBe(osvconf(['--profile=base', 'conf_hide_symbols=1', ...settings, '--print=drivers_config.h']).stdout);
  });
});

describe('osvconf from firecracker and cloud-hypervisor', () => {
  const fc = (text: string): string => {
    const file = join(tempDir('fc-'), 'vm.json');
    writeFileSync(file, text);
    return file;
  };

  it("scripts/firecracker.py's config, with and without networking, and a full current config", () => {
    const base = {
      'machine-config': { vcpu_count: 1, mem_size_mib: 128 },
      drives: [{ drive_id: 'rootfs', path_on_host: 'usr.raw', is_root_device: false, is_read_only: false }],
      'boot-source': { kernel_image_path: 'loader-stripped.elf', boot_args: '--nopci /hello' },
    };
    expect(on(from('firecracker', [fc(JSON.stringify(base, null, 3))]))).toEqual(['mmio', 'pci', 'virtio', 'virtio_blk']);
    const net = { ...base, 'network-interfaces': [{ iface_id: 'eth0', host_dev_name: 'fc_tap0', guest_mac: '52:54:00:12:34:56' }] };
    const r = from('firecracker', [fc(JSON.stringify(net))]);
    expect(on(r)).toEqual(['mmio', 'pci', 'virtio', 'virtio_blk', 'virtio_net']);
    // pci is there only for this OSv's link, and says so.
    expect(r.drivers.find((d) => d.name === 'pci')?.why[0]).toMatch(/^avoids a link failure of this OSv/);
    const full = {
      ...net,
      balloon: { amount_mib: 0, deflate_on_oom: true },
      entropy: { rate_limiter: null },
      vsock: { guest_cid: 3, uds_path: '/tmp/v.sock' },
      pmem: [{ id: 'p', path_on_host: 'p.img' }],
      logger: { level: 'Info' },
    };
    const withAll = osvconf(['from', 'firecracker', fc(JSON.stringify(full)), '--json']);
    expect(withAll.code, withAll.stderr).toBe(0);
    expect(withAll.stderr).toMatch(/balloon at \/balloon.*boot failure/);
    expect(withAll.stderr).toMatch(/entropy at \/entropy/);
    expect(withAll.stderr).toMatch(/pmem\[0\].*no driver for virtio-pmem/);
  });

  it('bad Firecracker input names the JSON path or the place', () => {
    const bad = (text: string, pattern: RegExp) => {
      const r = osvconf(['from', 'firecracker', fc(text)]);
      expect([text, r.code]).toEqual([text, 1]);
      expect(r.stderr).toMatch(pattern);
    };
    bad('{"boot-source": {}, "drives": {"drive_id": "x"}}', /\/drives: must be an array/);
    bad('{"drives": []}', /\/boot-source: missing/);
    bad('{"boot-source": {},\n "drives": [,]}', /vm\.json:2:\d+: not JSON/);
    bad('[1]', /a Firecracker config is a JSON object/);
    bad('{"boot-source": {}, "drives": [{"drive_id": 5}]}', /\/drives\/0\/drive_id: must be a string/);
    bad('{"boot-source": {}, "drives": [null]}', /\/drives\/0: must be an object/);
    bad('{"boot-source": {}, "machine-config": {"vcpu_count": "two"}}', /\/machine-config\/vcpu_count: must be an integer/);
    const typo = osvconf(['from', 'firecracker', fc('{"boot-source": {}, "drive": []}'), 'fs=ramfs']);
    expect(typo.stderr).toMatch(/\/drive: not a Firecracker config key \(did you mean "drives"/);
  });

  it("Cloud Hypervisor's documented forms and OSv's own", () => {
    const osv = from('cloud-hypervisor', [
      'cloud-hypervisor',
      '--console',
      'off',
      '--serial',
      'tty',
      '--kernel',
      'loader-stripped.elf',
      '--disk',
      'path=usr.raw',
      '--cpus',
      'boot=1',
      '--memory',
      'size=128M',
      '--rng',
      '--cmdline=--verbose /hello',
      '--net',
      'tap=fc_tap0,mac=,ip=172.16.0.1,mask=255.255.255.252',
    ]);
    expect(on(osv)).toEqual(['pci', 'virtio', 'virtio_blk', 'virtio_net', 'virtio_rng']);
    const readme = osvconf([
      'from',
      'cloud-hypervisor',
      'conf_hide_symbols=1',
      '--json',
      '--',
      ...split(
        'cloud-hypervisor --kernel ./hypervisor-fw --disk path=focal-server-cloudimg-amd64.raw path=/tmp/ubuntu-cloudinit.img --cpus boot=4 --memory size=1024M --net tap=,mac=,ip=,mask=',
      ),
    ]);
    expect(readme.code, readme.stderr).toBe(0);
    const r = JSON.parse(readme.stdout) as Report;
    expect(r.drivers.find((d) => d.name === 'virtio_blk')?.why.length).toBe(2); // two disks after one --disk
    expect(readme.stderr).toMatch(/--console tty.*virtio-console/);
    expect(readme.stderr).toMatch(/--serial null/);
    const fs = from(
      'cloud-hypervisor',
      split(
        'cloud-hypervisor --kernel loader-stripped.elf --disk path=usr.raw --fs tag=myfs,socket=/tmp/virtiofs.sock --vsock cid=3,socket=/tmp/ch.vsock --serial tty --console off',
      ),
    );
    expect(on(fs)).toEqual(['pci', 'virtio', 'virtio_blk', 'virtio_fs']);
    const unknown = osvconf([
      'from',
      'cloud-hypervisor',
      'conf_hide_symbols=1',
      '--',
      ...split('cloud-hypervisor --kernel k --bogus x y --disk path=usr.raw --serial tty --console off'),
    ]);
    expect(unknown.code, unknown.stderr).toBe(0);
    expect(unknown.stderr).toMatch(/--bogus is not a Cloud Hypervisor option osvconf knows; ignored, with its values/);
  });
});

describe('osvconf run-args -> osvconf from qemu', () => {
  it('gives every shipped profile its drivers back, or says why not', () => {
    for (const arch of ARCHES) {
      for (const profile of readdirSync(join(ROOT, 'profiles', arch)).map((f) => f.replace(/\.json$/, ''))) {
        const args = osvconf(['run-args', `--arch=${arch}`, `--profile=${profile}`, 'conf_hide_symbols=1', '--json']);
        expect(args.code, args.stderr).toBe(0);
        const { argv, not_exercised } = JSON.parse(args.stdout) as { argv: string[]; not_exercised: { driver: string }[] };
        const derived = osvconf(['from', 'qemu', 'conf_hide_symbols=1', 'fs=ramfs', '--json', '--', ...argv]);
        expect([profile, derived.code, derived.stderr]).toEqual([profile, 0, derived.stderr]);
        const got = new Set(on(JSON.parse(derived.stdout) as Report));
        const explain = osvconf(['explain', `--arch=${arch}`, `--profile=${profile}`, 'conf_hide_symbols=1', '--json']);
        const want = new Set((JSON.parse(explain.stdout) as { name: string; value: number }[]).filter((d) => d.value === 1).map((d) => d.name));
        const fixes = new Set(
          (JSON.parse(derived.stdout) as Report).drivers.filter((d) => d.why.some((w) => w.startsWith('avoids a link failure'))).map((d) => d.name),
        );
        const explained = new Set(not_exercised.map((x) => x.driver));
        // Every difference is explained: by run-args (a driver it cannot exercise, including one
        // that only comes with others none of which it exercises) or by a link fix of this OSv.
        const unexplained = [...new Set([...got, ...want])].filter((d) => got.has(d) !== want.has(d) && !explained.has(d) && !fixes.has(d));
        expect([arch, profile, unexplained]).toEqual([arch, profile, []]);
      }
    }
  }, 120_000);
});
