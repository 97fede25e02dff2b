// The reverse of core/vm.ts, for checking a selection on a real VM: a QEMU command line or a
// Firecracker config that exercises the selection's drivers, as conf/vm.json's run_args says
// (the machine rules, the clocks, each driver's arguments per bus), and the drivers it cannot
// exercise with the reason. Pure.

import type { Selection } from './select.js';
import type { VmModel } from './vm.js';

export interface RunArgs {
  readonly argv: readonly string[];
  readonly notExercised: readonly { readonly driver: string; readonly why: string }[];
}

const holds = (on: ReadonlySet<string>, rule: { readonly when_on?: readonly string[]; readonly when_off?: readonly string[] }): boolean =>
  (rule.when_on ?? []).every((d) => on.has(d)) && (rule.when_off ?? []).every((d) => !on.has(d));

export function qemuRunArgs(selection: Selection, model: VmModel): RunArgs {
  const r = model.run_args.qemu;
  const arch = selection.request.arch;
  const on = new Set(selection.drivers.flags.filter((f) => f.value === 1).map((f) => f.name));
  const notExercised: { driver: string; why: string }[] = [];
  const argv = [r.binary[arch] ?? 'qemu', ...(r.base[arch] ?? [])];
  const machine = r.machines.find((m) => m.arch === arch && holds(on, m));
  argv.push(...(machine?.args ?? []));
  const machineName = machine?.name ?? 'the default machine';
  // The bus of each device: the machine's, or (on a machine with both) PCI when it is on.
  const busesUsed = new Set<'pci-bus' | 'mmio-bus'>();
  const bus = (forms: { readonly 'pci-bus'?: readonly string[]; readonly 'mmio-bus'?: readonly string[] }): readonly string[] | undefined => {
    const t = machine?.transport ?? 'pci-bus';
    if (t !== 'both') {
      if (forms[t] !== undefined) busesUsed.add(t);
      return forms[t];
    }
    const onPci = forms['pci-bus'];
    const onMmio = forms['mmio-bus'];
    const usePci = onPci !== undefined && (on.has(model.drivers.transport['pci-bus']) || onMmio === undefined);
    if (usePci || onMmio !== undefined) busesUsed.add(usePci ? 'pci-bus' : 'mmio-bus');
    return usePci ? onPci : onMmio;
  };
  // The clock, unless the machine brings its own: the first rule whose drivers are on, else KVM.
  if (machine?.own_clock !== true) {
    const clock = r.clocks.find((c) => holds(on, c));
    argv.push(...(clock === undefined ? r.kvm : clock.args));
  }
  const clockDrivers = new Set(r.clocks.flatMap((c) => c.when_on));
  const usedClock = machine?.own_clock === true ? undefined : r.clocks.find((c) => holds(on, c));
  let n = 0;
  for (const f of selection.drivers.flags) {
    const name = f.name;
    if (f.value !== 1 || Object.hasOwn(r.carried, name)) continue;
    const spec = Object.hasOwn(r.drivers, name) ? r.drivers[name] : undefined;
    if (spec?.by_machine === true) {
      if (machine === undefined || !(machine.when_on ?? []).includes(name))
        notExercised.push({ driver: name, why: `it is a machine of its own, and the machine is ${machineName}` });
      continue;
    }
    if (spec?.by_clock === true || clockDrivers.has(name)) {
      if (usedClock === undefined || !usedClock.when_on.includes(name))
        notExercised.push({ driver: name, why: machine?.own_clock === true ? `${machineName} brings its own clock` : 'another clock is used' });
      continue;
    }
    if (spec?.machines !== undefined && (machine === undefined || !spec.machines.includes(machine.name))) {
      notExercised.push({ driver: name, why: `its device needs the ${spec.machines.join(' or ')} machine, and the machine is ${machineName}` });
      continue;
    }
    const words = spec === undefined ? undefined : bus(spec.forms);
    if (words === undefined) {
      notExercised.push({ driver: name, why: spec === undefined ? 'no QEMU device for it in conf/vm.json' : `no form of its device on ${machineName}'s bus` });
      continue;
    }
    n++;
    argv.push(...words.map((w) => w.replace(/\{n\}/g, String(n))));
  }
  // virtio-mmio devices are version 2 only for OSv; a bus driver no device sits on is not exercised.
  if (busesUsed.has('mmio-bus') && !argv.includes(r.mmio_args[1] ?? '')) argv.push(...r.mmio_args);
  for (const [b, driver] of Object.entries(model.drivers.transport) as ['pci-bus' | 'mmio-bus', string][]) {
    if (on.has(driver) && !busesUsed.has(b) && !notExercised.some((x) => x.driver === driver))
      notExercised.push({
        driver,
        why: `no device here sits on it${machine?.transport === b || machine?.transport === 'both' ? '' : ` (${machineName} has no such bus)`}`,
      });
  }
  // A driver with no device of its own is exercised only through those that need it.
  for (const [driver, by] of Object.entries(r.exercised_by)) {
    if (on.has(driver) && !by.some((d) => on.has(d) && !notExercised.some((x) => x.driver === d)))
      notExercised.push({ driver, why: r.carried[driver] ?? 'nothing here needs it' });
  }
  return { argv, notExercised };
}

export function firecrackerConfig(selection: Selection, model: VmModel): { config: Record<string, unknown>; notExercised: RunArgs['notExercised'] } {
  const r = model.run_args.firecracker;
  const carried = model.run_args.qemu.carried;
  const config = JSON.parse(JSON.stringify(r.base)) as Record<string, unknown>;
  const notExercised: { driver: string; why: string }[] = [];
  // Firecracker's devices are on virtio-mmio: without that driver the kernel sees none of them.
  const busDriver = model.drivers.transport[model.firecracker.transport];
  const hasBus = selection.drivers.byName.get(busDriver)?.value === 1;
  let n = 0;
  for (const f of selection.drivers.flags) {
    if (f.value !== 1 || Object.hasOwn(carried, f.name)) continue;
    const form = Object.hasOwn(r.drivers, f.name) ? r.drivers[f.name] : undefined;
    if (form !== undefined && !hasBus) {
      notExercised.push({ driver: f.name, why: `Firecracker's devices are on virtio-mmio, and ${busDriver} is off` });
      continue;
    }
    if (form === undefined) {
      notExercised.push({ driver: f.name, why: `Firecracker offers no device for it (its devices: ${Object.keys(r.drivers).join(', ')})` });
      continue;
    }
    n++;
    const item = JSON.parse(JSON.stringify(form.item).replace(/\{n\}/g, String(n))) as unknown;
    config[form.key] = [...((config[form.key] as unknown[] | undefined) ?? []), item];
  }
  return { config, notExercised };
}
