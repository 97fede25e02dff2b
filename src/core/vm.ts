// The drivers a VM needs, from how it is described: a QEMU command line, a Firecracker config or
// a Cloud Hypervisor command line. Pure: the device model is data (conf/vm.json, read by io), and
// this file holds the rules for reading a description with it. Every device the description
// names is accounted for: it needs drivers, or it is optional, ignored or unusable (a warning).

import { fail, ok, type Result } from './result.js';
import { didYouMean } from './suggest.js';

export interface VmDevice {
  readonly drivers: readonly string[];
  readonly role: string;
  readonly status: 'supported' | 'optional' | 'ignored' | 'unsupported' | 'crash';
  readonly warning?: string;
  readonly note?: string;
  readonly confidence?: 'medium' | 'low';
}

export interface VmMachine {
  readonly arch: string;
  readonly match: readonly string[];
  readonly transport: 'pci-bus' | 'mmio-bus' | 'none';
  readonly mmio_devices?: boolean;
  readonly has_acpi: boolean;
  readonly has_hpet: boolean;
  readonly ide_bus_driver?: string;
  readonly default_if: string;
  readonly default_nic: string;
  readonly drivers?: readonly string[];
  readonly clock?: string;
  readonly needs_props?: Readonly<Record<string, string>>;
  readonly warning_without?: string;
  readonly unsupported?: string;
}

/** conf/vm.json as the rules read it (io checks it against its schema). */
export interface VmModel {
  readonly qemu: {
    readonly binaries: Readonly<Record<string, string>>;
    readonly default_machine: Readonly<Record<string, string>>;
    readonly machines: Readonly<Record<string, VmMachine>>;
    readonly flags: readonly string[];
    readonly cpu: { readonly hyperv_prefixes: readonly string[]; readonly hyperv_clock: readonly string[]; readonly no_kvmclock: readonly string[] };
    readonly drive_if: Readonly<Record<string, string>>;
    readonly vga_types: Readonly<Record<string, string>>;
    readonly words: { readonly accel_xen: string; readonly accel_kvm: string; readonly machine_acpi: string; readonly machine_hpet: string };
    readonly nic_models: Readonly<Record<string, string>>;
    readonly devices: Readonly<Record<string, VmDevice>>;
    readonly extra_devices: Readonly<Record<string, VmDevice>>;
  };
  readonly firecracker: {
    readonly transport: 'pci-bus' | 'mmio-bus';
    readonly keys: Readonly<
      Record<
        string,
        {
          readonly shape: 'object' | 'array';
          readonly required?: boolean;
          readonly device?: string;
          readonly warning?: string;
          readonly fields?: Readonly<Record<string, 'string' | 'integer' | 'boolean'>>;
          readonly required_fields?: readonly string[];
        }
      >
    >;
  };
  readonly cloud_hypervisor: {
    readonly transport: 'pci-bus' | 'mmio-bus';
    readonly devices: Readonly<Record<string, string>>;
    readonly values: readonly string[];
    readonly flags: readonly string[];
    readonly console: { readonly default: string; readonly warning: string };
    readonly serial: { readonly default: string; readonly warning: string };
  };
  /** The drivers the rules need by role (conf/vm.json's "drivers"). */
  readonly drivers: {
    readonly transport: { readonly 'pci-bus': string; readonly 'mmio-bus': string };
    readonly clock: { readonly hyperv_enlightenments: string; readonly no_paravirtual_clock: string; readonly xen_machine: string };
    /** The driver of the firmware's tables (ACPI): optional when a machine offers them. */
    readonly firmware_tables: string;
  };
  readonly run_args: {
    readonly qemu: {
      readonly binary: Readonly<Record<string, string>>;
      readonly base: Readonly<Record<string, readonly string[]>>;
      readonly kvm: readonly string[];
      readonly machines: readonly {
        readonly name: string;
        readonly arch: string;
        readonly when_on?: readonly string[];
        readonly when_off?: readonly string[];
        readonly transport?: 'pci-bus' | 'mmio-bus' | 'both';
        readonly args: readonly string[];
        readonly own_clock?: boolean;
      }[];
      readonly clocks: readonly { readonly when_on: readonly string[]; readonly args: readonly string[] }[];
      readonly drivers: Readonly<
        Record<
          string,
          {
            readonly forms: { readonly 'pci-bus'?: readonly string[]; readonly 'mmio-bus'?: readonly string[] };
            readonly machines?: readonly string[];
            readonly by_machine?: boolean;
            readonly by_clock?: boolean;
          }
        >
      >;
      readonly carried: Readonly<Record<string, string>>;
      readonly mmio_args: readonly string[];
      readonly exercised_by: Readonly<Record<string, readonly string[]>>;
    };
    readonly firecracker: {
      readonly base: Readonly<Record<string, unknown>>;
      readonly drivers: Readonly<Record<string, { readonly key: string; readonly item: Readonly<Record<string, unknown>> }>>;
    };
  };
}

export interface VmNote {
  readonly level: 'warning' | 'note';
  readonly message: string;
}

/** What a description asks of the kernel: each needed driver with why, and what was noticed. */
export interface Derivation {
  readonly vm: 'qemu' | 'firecracker' | 'cloud-hypervisor';
  readonly arch: string;
  /** Driver -> the reasons ("-device virtio-blk-pci at arg 7"), in the order first seen. */
  readonly needs: ReadonlyMap<string, readonly string[]>;
  /** Drivers the VM could use but the kernel does not need (a display, ACPI). */
  readonly optional: ReadonlyMap<string, readonly string[]>;
  readonly notes: readonly VmNote[];
  /** Whether the root filesystem has a disk to live on. */
  readonly disks: number;
  readonly nics: number;
}

/** Words of a shell command line: quotes, backslashes, line continuations; no expansion. */
export function shellWords(text: string): Result<string[]> {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n') {
        i++;
        continue;
      }
      if (next === undefined) return fail('the command line ends in a lone backslash');
      word = (word ?? '') + next;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return fail(`a quote (') opened at character ${i + 1} is never closed`);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let part = '';
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && /["\\$`\n]/.test(text[j + 1] ?? '')) {
          if (text[j + 1] !== '\n') part += text[j + 1];
          j++;
        } else part += text[j];
      }
      if (j >= text.length) return fail(`a quote (") opened at character ${i + 1} is never closed`);
      word = (word ?? '') + part;
      i = j;
    } else if (c === '#' && word === undefined) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return ok(words);
}

/** key=value,key=value (QEMU's and Cloud Hypervisor's option syntax; ",," is a literal comma). */
export function optionProps(text: string): { first: string; props: Map<string, string> } {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ',' && text[i + 1] === ',') {
      cur += ',';
      i++;
    } else if (text[i] === ',') {
      parts.push(cur);
      cur = '';
    } else cur += text[i];
  }
  parts.push(cur);
  const props = new Map<string, string>();
  let first = '';
  parts.forEach((p, i) => {
    const eq = p.indexOf('=');
    if (eq < 0 && i === 0) first = p;
    else if (eq < 0) {
      if (p !== '') props.set(p, 'on');
    } else props.set(p.slice(0, eq), p.slice(eq + 1));
  });
  return { first, props };
}

function deviceOf(model: VmModel, name: string): VmDevice | undefined {
  const q = model.qemu;
  if (Object.hasOwn(q.devices, name)) return q.devices[name];
  if (Object.hasOwn(q.extra_devices, name)) return q.extra_devices[name];
  const prefix = Object.keys(q.devices).find((k) => k.endsWith('*') && name.startsWith(k.slice(0, -1)));
  return prefix === undefined ? undefined : q.devices[prefix];
}

const MAX_NOTES = 50;

/** Collects needs and notes; resolves @transport and @ide_bus against the machine. */
class Collector {
  readonly needs = new Map<string, string[]>();
  readonly optional = new Map<string, string[]>();
  readonly notes: VmNote[] = [];
  private readonly said = new Set<string>();
  disks = 0;
  nics = 0;
  constructor(
    private readonly known: ReadonlySet<string>,
    private readonly machine: { transport: 'pci-bus' | 'mmio-bus' | 'none'; ideBusDriver?: string } | undefined,
    private readonly transports: VmModel['drivers']['transport'],
  ) {}
  need(driver: string, why: string, into = this.needs): void {
    const list = into.get(driver) ?? [];
    // Many identical devices: the first 20 reasons, then a count.
    if (!list.includes(why) && list.length < 20) list.push(why);
    else if (list.length === 20) list.push('(and more)');
    into.set(driver, list);
  }
  warn(message: string): void {
    this.say('warning', message);
  }
  note(message: string): void {
    this.say('note', message);
  }
  /** Each message once; past MAX_NOTES only counted (a description with 100,000 unknown options is not 100,000 lines). */
  private say(level: VmNote['level'], message: string): void {
    if (this.said.has(message)) return;
    this.said.add(message);
    if (this.notes.length < MAX_NOTES) this.notes.push({ level, message });
    else this.unsaid[level]++;
  }
  private readonly unsaid = { warning: 0, note: 0 };
  device(name: string, d: VmDevice, why: string): void {
    if (d.role === 'disk' && d.status === 'supported') this.disks++;
    if (d.role === 'net' && d.status === 'supported') this.nics++;
    const drivers = d.drivers.flatMap((x) => {
      if (x === '@transport') return this.machine === undefined || this.machine.transport === 'none' ? [] : [this.transports[this.machine.transport]];
      if (x === '@ide_bus') return this.machine?.ideBusDriver === undefined ? [] : [this.machine.ideBusDriver];
      return [x];
    });
    const unknown = drivers.filter((x) => !this.known.has(x));
    const inferred = d.confidence === undefined ? '' : ` (${d.confidence} confidence: inferred, not seen running)`;
    switch (d.status) {
      case 'supported':
        if (unknown.length > 0) this.warn(`${name} (${why}) needs ${unknown.join(', ')}, which this arch does not have: the guest will not see it`);
        for (const x of drivers.filter((y) => this.known.has(y))) this.need(x, why);
        if (d.note !== undefined) this.note(`${name} (${why}): ${d.note}`);
        if (d.warning !== undefined) this.warn(`${name} (${why}): ${d.warning}${inferred}`);
        return;
      case 'optional':
        for (const x of drivers.filter((y) => this.known.has(y))) this.need(x, why, this.optional);
        return;
      case 'ignored':
        this.note(`${name} (${why}): ${d.warning ?? 'OSv does not use it'}`);
        return;
      case 'unsupported':
        this.warn(`${name} (${why}): ${d.warning ?? 'OSv has no driver for it'}; the guest will not see it`);
        return;
      case 'crash':
        this.warn(`${name} (${why}): ${d.warning ?? 'a driver would match it but cannot set it up'}${inferred}`);
        return;
    }
  }
  result(vm: Derivation['vm'], arch: string): Derivation {
    const { warning, note } = this.unsaid;
    const clipped: VmNote[] =
      warning + note === 0 ? [] : [{ level: warning > 0 ? 'warning' : 'note', message: `... and ${warning} more warnings and ${note} more notes, not shown` }];
    return { vm, arch, needs: this.needs, optional: this.optional, notes: [...this.notes, ...clipped], disks: this.disks, nics: this.nics };
  }
}

const at = (i: number): string => `arg ${i}`;

/** A QEMU command line (argv[0] the binary, or the options alone with arch given). */
export function fromQemu(argv: readonly string[], model: VmModel, knownDrivers: (arch: string) => ReadonlySet<string>, archFlag?: string): Result<Derivation> {
  const q = model.qemu;
  let start = 0;
  let arch = archFlag;
  const binary = argv[0] !== undefined && !argv[0].startsWith('-') ? (argv[0].split('/').pop() as string) : undefined;
  if (binary !== undefined) {
    if (!Object.hasOwn(q.binaries, binary))
      return fail(
        `"${argv[0]}" is not a QEMU binary osvconf knows${didYouMean(binary, Object.keys(q.binaries))}`,
        `it reads ${Object.keys(q.binaries).join(', ')} command lines`,
      );
    const fromBinary = q.binaries[binary] as string;
    if (arch !== undefined && arch !== fromBinary) return fail(`--arch=${arch}, but ${binary} runs ${fromBinary} guests`);
    arch = fromBinary;
    start = 1;
  }
  // Options and their arguments, in order; a flag has none. Unknown value-less ones are said later.
  const unknownFlags: string[] = [];
  const options: { name: string; value: string | undefined; index: number }[] = [];
  for (let i = start; i < argv.length; i++) {
    const word = argv[i] as string;
    if (!word.startsWith('-')) return fail(`${at(i)}: "${word}" is not a QEMU option`, 'a QEMU command line is options (-name value), with the binary first');
    const name = word.startsWith('--') ? word.slice(1) : word;
    const value = argv[i + 1];
    if (q.flags.includes(name) || q.flags.includes(word)) options.push({ name, value: undefined, index: i });
    else if (value === undefined || (value.startsWith('-') && value.length > 1)) {
      // No value follows: an option that takes none, which osvconf does not know; never take the
      // next option as its value (that would hide it).
      if (value === undefined && !/^-[a-z]/.test(word)) return fail(`${at(i)}: ${word} needs a value`);
      unknownFlags.push(`${word} at ${at(i)}: an option osvconf does not know, read as taking no value`);
      options.push({ name, value: undefined, index: i });
    } else {
      if (value === '') return fail(`${at(i + 1)}: ${word} has an empty value`);
      options.push({ name, value, index: i });
      i++;
    }
  }
  if (options.length === 0) return fail('no options: an empty QEMU command line', 'give the command line that runs the VM');
  if (options.some((o) => o.name === '-readconfig'))
    return fail(
      `${at((options.find((o) => o.name === '-readconfig') as { index: number }).index)}: -readconfig: the devices would be in that file`,
      'give the command line with its devices written out',
    );
  // The machine: -M / -machine type[,props], else the arch's default.
  const machineOpts = options.filter((o) => o.name === '-M' || o.name === '-machine');
  const machineProps = new Map<string, string>();
  let machineType: string | undefined;
  for (const o of machineOpts) {
    const { first, props } = optionProps(o.value as string);
    if (first !== '') machineType = first;
    for (const [k, v] of props) machineProps.set(k, v);
    if (props.has('type')) machineType = props.get('type');
  }
  if (machineType === undefined) {
    if (arch === undefined) arch = 'x64';
    machineType = q.default_machine[arch];
    if (machineType === undefined)
      return fail(`a QEMU command line for ${arch} needs -M`, `e.g. -M ${Object.entries(q.machines).find(([, m]) => m.arch === arch)?.[0] ?? 'virt'}`);
  }
  const type = machineType;
  const found = Object.entries(q.machines).find(([, m]) => m.match.some((p) => (p.endsWith('*') ? type.startsWith(p.slice(0, -1)) : p === type)));
  if (found === undefined)
    return fail(`-M ${type}: a machine osvconf does not know${didYouMean(type, Object.keys(q.machines))}`, `it knows ${Object.keys(q.machines).join(', ')}`);
  const [machineName, machine] = found;
  if (arch !== undefined && machine.arch !== arch) return fail(`-M ${type} is a ${machine.arch} machine, but the command line is for ${arch}`);
  arch = machine.arch;
  if (machine.unsupported !== undefined) return fail(`-M ${type}: ${machine.unsupported}`);
  const known = knownDrivers(arch);
  const c = new Collector(
    known,
    { transport: machine.transport, ...(machine.ide_bus_driver === undefined ? {} : { ideBusDriver: machine.ide_bus_driver }) },
    model.drivers.transport,
  );
  const clock = model.drivers.clock;
  for (const w of unknownFlags) c.warn(w);
  const mIndex = machineOpts[0]?.index;
  const mWhy = mIndex === undefined ? `the default machine ${machineName}` : `-M ${type} at ${at(mIndex)}`;
  for (const d of machine.drivers ?? []) c.need(d, mWhy);
  for (const [prop, want] of Object.entries(machine.needs_props ?? {})) {
    if (machineProps.get(prop) !== want && machine.warning_without !== undefined) c.warn(machine.warning_without);
  }
  if (machine.transport === 'mmio-bus' || machine.mmio_devices === true) {
    const legacyOff = options.some((o) => o.name === '-global' && o.value?.replace(/\s/g, '') === 'virtio-mmio.force-legacy=off');
    if (!legacyOff && options.some((o) => o.name === '-device' && /-device\b/.test(o.value ?? '') && /^virtio-|^vhost-user-/.test(o.value ?? '')))
      c.warn('virtio-mmio devices are legacy (version 1) unless -global virtio-mmio.force-legacy=off is given, and OSv skips legacy virtio-mmio devices');
  }

  // Devices from -device, -drive, -hda.., -nic/-net, -netdev, -vga, -cpu, accel.
  const drives = new Map<string, { index: number; iface: string }>();
  let nicGiven = false;
  let kvm = false;
  let xenHypervisor = false;
  // Hyper-V enlightenments move KVM's CPUID signature where OSv does not look for it.
  let hypervSeen = false;
  let noKvmclock = false;
  for (const o of options) {
    const why = `${o.name}${o.value === undefined ? '' : ` ${o.value.length > 40 ? `${o.value.slice(0, 37)}...` : o.value}`} at ${at(o.index)}`;
    const v = o.value ?? '';
    switch (o.name) {
      case '-enable-kvm':
        kvm = true;
        break;
      case '-accel': {
        const { first, props } = optionProps(v);
        if (first === q.words.accel_kvm) kvm = true;
        if (first === q.words.accel_xen) xenHypervisor = true;
        if (props.has('xen-version')) xenHypervisor = true;
        break;
      }
      case '-device': {
        const { first: name, props } = optionProps(v);
        if (name === 'help' || name === '?') return fail(`${at(o.index)}: -device help is not a device`);
        if (name === '') return fail(`${at(o.index + 1)}: -device without a device name`);
        const d = deviceOf(model, name);
        // A device on a bus the machine does not have: QEMU refuses the line.
        const busOf = (x: 'pci-bus' | 'mmio-bus') => d?.drivers.includes(model.drivers.transport[x]) === true;
        const wrongBus =
          machine.mmio_devices === true
            ? undefined
            : busOf('pci-bus') && machine.transport === 'mmio-bus'
              ? 'PCI'
              : busOf('mmio-bus') && machine.transport === 'pci-bus'
                ? 'virtio-mmio'
                : undefined;
        if (wrongBus !== undefined)
          return fail(`${why}: -M ${type} has no ${wrongBus} bus for it`, `use the ${wrongBus === 'PCI' ? '-device' : '-pci'} variant of the device`);
        if (d === undefined) c.warn(`-device ${name} at ${at(o.index)}: a device osvconf does not know; whether OSv can use it is not known`);
        else c.device(name, d, why);
        const drive = props.get('drive');
        if (drive !== undefined) drives.set(drive, { index: o.index, iface: 'device' });
        if (d?.role === 'net') nicGiven = true;
        break;
      }
      case '-drive': {
        const { props } = optionProps(v);
        const iface = props.get('if') ?? machine.default_if;
        const id = props.get('id');
        if (props.get('media') === 'cdrom') {
          c.warn(`${why}: a CD-ROM, which OSv cannot read`);
          break;
        }
        if (iface === 'none') {
          if (id !== undefined && !drives.has(id)) drives.set(id, { index: o.index, iface });
          break;
        }
        const device = q.drive_if[iface];
        if (device === undefined) return fail(`${why}: if=${iface} is not a QEMU drive interface${didYouMean(iface, Object.keys(q.drive_if))}`);
        if (device === '') break;
        const d = deviceOf(model, device);
        if (d !== undefined) c.device(`${device} (if=${iface})`, d, why);
        break;
      }
      case '-hda':
      case '-hdb':
      case '-hdc':
      case '-hdd': {
        const d = deviceOf(model, 'ide-hd');
        if (d !== undefined) c.device('ide-hd', d, why);
        break;
      }
      case '-cdrom':
        c.warn(`${why}: a CD-ROM, which OSv cannot read`);
        break;
      case '-nic':
      case '-net': {
        const { first, props } = optionProps(v);
        if (first === 'none') {
          nicGiven = true;
          break;
        }
        if (o.name === '-net' && first !== 'nic') break; // -net user/tap: a backend
        nicGiven = true;
        const modelName = props.get('model') ?? machine.default_nic;
        const deviceName = q.nic_models[modelName] ?? modelName;
        const d = deviceOf(model, deviceName);
        if (d === undefined) c.warn(`${why}: NIC model ${modelName}, which osvconf does not know`);
        else c.device(deviceName, d, why);
        break;
      }
      case '-vga': {
        if (v === 'none') break;
        const d = deviceOf(model, q.vga_types[v] ?? v);
        if (d !== undefined) c.device(`-vga ${v}`, d, why);
        break;
      }
      case '-cpu': {
        const { props } = optionProps(v);
        // A CPU flag is on unless written -flag or flag=off.
        const names = [...props.entries()].filter(([k, val]) => !k.startsWith('-') && val !== 'off' && val !== 'false').map(([k]) => k.replace(/^\+/, ''));
        const flags = [...props.entries()].map(([k, val]) => (val === 'on' ? k : `${k}=${val}`));
        if (names.some((k) => model.qemu.cpu.hyperv_prefixes.some((p) => k.startsWith(p)))) {
          if (names.some((k) => model.qemu.cpu.hyperv_clock.includes(k)))
            c.need(clock.hyperv_enlightenments, `${why}: Hyper-V enlightenments hide kvmclock; hv_time gives the Hyper-V clock`);
          else c.need(clock.no_paravirtual_clock, `${why}: Hyper-V enlightenments hide kvmclock from OSv`);
          hypervSeen = true;
        }
        if (flags.some((f) => model.qemu.cpu.no_kvmclock.includes(f)) || [...props.keys()].some((k) => model.qemu.cpu.no_kvmclock.includes(k)))
          noKvmclock = true;
        break;
      }
      default:
        break;
    }
  }
  // Drives defined with if=none and used by no -device: nothing in the guest; a device naming a
  // drive that is not defined: QEMU refuses the line.
  for (const [id, d] of drives) if (d.iface === 'none') c.note(`-drive id=${id} at ${at(d.index)} is used by no -device: the guest does not see it`);
  // The ids -drive defines, read once (a lookup per -device would read every option again).
  const defined = new Set(options.filter((o) => o.name === '-drive').map((o) => optionProps(o.value ?? '').props.get('id')));
  for (const [id, d] of drives) if (d.iface === 'device' && !defined.has(id)) c.warn(`-device at ${at(d.index)} names drive=${id}, which no -drive defines`);
  // The machine's default NIC, unless a NIC was chosen or defaults are off.
  if (!nicGiven && !options.some((o) => o.name === '-nodefaults') && machine.default_nic !== 'none') {
    const d = deviceOf(model, machine.default_nic);
    if (d !== undefined) c.device(`${machine.default_nic} (${machineName}'s default NIC)`, d, `${mWhy}, no -nic none`);
  }
  // Machine features OSv may use (not needed): ACPI, and the default VGA card.
  const tables = model.drivers.firmware_tables;
  if (machine.has_acpi && machineProps.get(q.words.machine_acpi) !== 'off' && !options.some((o) => o.name === '-no-acpi') && known.has(tables))
    c.need(tables, `${mWhy} has ACPI (OSv uses it for CPUs and poweroff when the driver is on)`, c.optional);
  // The clock (x64): kvmclock under KVM, else what the machine offers.
  if (machine.clock === undefined && arch === 'x64') {
    const accelProp = machineProps.get('accel');
    if (accelProp !== undefined && accelProp.split(':')[0] === q.words.accel_kvm) kvm = true;
    if (accelProp === q.words.accel_xen) xenHypervisor = true;
    // OSv finds the HPET through ACPI's tables: no ACPI, no HPET.
    const acpiOff = options.some((o) => o.name === '-no-acpi') || machineProps.get(q.words.machine_acpi) === 'off';
    const hpetOff = options.some((o) => o.name === '-no-hpet') || machineProps.get(q.words.machine_hpet) === 'off' || acpiOff;
    if (xenHypervisor) c.need(clock.xen_machine, `${mWhy}: Xen (its clock and devices)`);
    else if (hypervSeen) {
      /* the Hyper-V or HPET clock was chosen above */
    } else if (!kvm || noKvmclock) {
      if (machine.has_hpet && !hpetOff)
        c.need(
          clock.no_paravirtual_clock,
          `no KVM${noKvmclock ? ' clock (kvmclock off)' : ' (-enable-kvm or -accel kvm not given)'}: OSv's clock is then the HPET`,
        );
      else
        return fail(
          `no clock OSv can use: ${noKvmclock ? 'kvmclock is off' : 'no KVM'} and ${machine.has_hpet ? 'the HPET is off (or ACPI is, through which OSv finds it)' : `-M ${type} has no HPET`}`,
          'run with -enable-kvm (OSv uses kvmclock)',
        );
    }
  }
  return ok(c.result('qemu', arch));
}

/** A Firecracker VM config (its --config-file JSON, already parsed); errors name the JSON path. */
export function fromFirecracker(
  config: unknown,
  model: VmModel,
  knownDrivers: (arch: string) => ReadonlySet<string>,
  arch: string,
  pciFlag = false,
): Result<Derivation> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return fail('a Firecracker config is a JSON object (its top level is not)');
  const fc = model.firecracker;
  const transport = pciFlag ? 'pci-bus' : fc.transport;
  const c = new Collector(knownDrivers(arch), { transport }, model.drivers.transport);
  const entries = Object.entries(config as Record<string, unknown>);
  for (const [key, spec] of Object.entries(fc.keys))
    if (spec.required === true && !Object.hasOwn(config, key)) return fail(`/${key}: missing (Firecracker requires it)`);
  for (const [key, value] of entries) {
    const spec = Object.hasOwn(fc.keys, key) ? fc.keys[key] : undefined;
    if (spec === undefined) {
      c.warn(`/${key}: not a Firecracker config key${didYouMean(key, Object.keys(fc.keys))}; ignored`);
      continue;
    }
    // Firecracker's own configs write null for an optional key they leave out.
    if (value === null && spec.required !== true) continue;
    const isArray = Array.isArray(value);
    if ((spec.shape === 'array') !== isArray || value === null || typeof value !== 'object')
      return fail(`/${key}: must be ${spec.shape === 'array' ? 'an array' : 'an object'}`, "as Firecracker's config file has it");
    // Each item an object, with the fields osvconf reads of the right JSON type.
    const all = isArray ? (value as unknown[]) : [value];
    for (const [n, item] of all.entries()) {
      const where = isArray ? `/${key}/${n}` : `/${key}`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return fail(`${where}: must be an object`);
      const fields = item as Record<string, unknown>;
      for (const f of spec.required_fields ?? []) if (!Object.hasOwn(fields, f)) return fail(`${where}/${f}: missing`);
      for (const [f, type] of Object.entries(spec.fields ?? {})) {
        if (!Object.hasOwn(fields, f) || fields[f] === null) continue;
        const v = fields[f];
        const fits = type === 'integer' ? Number.isInteger(v) : typeof v === type;
        if (!fits) return fail(`${where}/${f}: must be ${type === 'integer' ? 'an integer' : `a ${type}`}`);
      }
    }
    if (spec.device === undefined) continue;
    const items = isArray ? (value as unknown[]) : [value];
    items.forEach((item, i) => {
      const where = isArray ? `/${key}/${i}` : `/${key}`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        c.warn(`${where}: not an object; ignored`);
        return;
      }
      const name = transport === 'pci-bus' ? (spec.device as string).replace(/-device$/, '-pci') : (spec.device as string);
      const d = deviceOf(model, name);
      if (d === undefined) return;
      const label = isArray
        ? `${key}[${i}]${typeof (item as Record<string, unknown>)['drive_id'] === 'string' ? ` (${String((item as Record<string, unknown>)['drive_id'])})` : typeof (item as Record<string, unknown>)['iface_id'] === 'string' ? ` (${String((item as Record<string, unknown>)['iface_id'])})` : ''}`
        : key;
      if (spec.warning !== undefined) c.warn(`${label} (${where}): ${spec.warning}; the guest will not see it`);
      else c.device(name, d, `${label} at ${where}`);
    });
  }
  return ok(c.result('firecracker', arch));
}

/** A Cloud Hypervisor command line (argv[0] the binary or not). Options take values up to the next option. */
export function fromCloudHypervisor(
  argv: readonly string[],
  model: VmModel,
  knownDrivers: (arch: string) => ReadonlySet<string>,
  arch: string,
): Result<Derivation> {
  const ch = model.cloud_hypervisor;
  const c = new Collector(knownDrivers(arch), { transport: ch.transport }, model.drivers.transport);
  let start = 0;
  if (argv[0] !== undefined && !argv[0].startsWith('-')) {
    const bin = argv[0].split('/').pop() as string;
    if (bin !== 'cloud-hypervisor' && bin !== 'ch-remote')
      return fail(`"${argv[0]}" is not cloud-hypervisor`, 'give the cloud-hypervisor command line, with or without the binary');
    start = 1;
  }
  const options = new Map<string, { values: string[]; index: number }[]>();
  const known = [...Object.keys(ch.devices), ...ch.values, ...ch.flags];
  for (let i = start; i < argv.length; i++) {
    const word = argv[i] as string;
    const eq = word.indexOf('=');
    const name = word.startsWith('--') && eq > 0 ? word.slice(0, eq) : word;
    if (!name.startsWith('-')) return fail(`${at(i)}: "${word}" is not a Cloud Hypervisor option`);
    if (!known.includes(name)) {
      c.warn(`${at(i)}: ${name} is not a Cloud Hypervisor option osvconf knows${didYouMean(name, known)}; ignored, with its values`);
      while (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('-')) i++;
      continue;
    }
    const values: string[] = eq > 0 && word.startsWith('--') ? [word.slice(eq + 1)] : [];
    if (!ch.flags.includes(name)) while (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('-')) values.push(argv[++i] as string);
    // Appended in place: copying the list for each repeat would be quadratic in the line's length.
    const seen = options.get(name);
    if (seen === undefined) options.set(name, [{ values, index: i }]);
    else seen.push({ values, index: i });
  }
  for (const [flag, device] of Object.entries(ch.devices)) {
    for (const { values, index } of options.get(flag) ?? []) {
      const d = deviceOf(model, device);
      if (d === undefined) continue;
      // --disk a b: one device per value; a value-less --rng or --balloon is one device.
      for (const [k, v] of (values.length === 0 ? [''] : values).entries())
        c.device(device, d, `${flag}${v === '' ? '' : ` ${v}`} (${at(index)}${values.length > 1 ? `, value ${k + 1}` : ''})`);
    }
  }
  const last = (flag: string): string | undefined => options.get(flag)?.at(-1)?.values[0];
  const consoleMode = (last('--console') ?? ch.console.default).split(',')[0];
  const serialMode = (last('--serial') ?? ch.serial.default).split(',')[0];
  if (consoleMode !== 'off') c.warn(ch.console.warning);
  if (serialMode === 'null' || serialMode === 'off') c.warn(ch.serial.warning);
  if (!options.has('--kernel') && !options.has('--firmware'))
    c.warn('no --kernel: Cloud Hypervisor boots OSv with --kernel loader-stripped.elf (x64) or loader.img (aarch64)');
  return ok(c.result('cloud-hypervisor', arch));
}
