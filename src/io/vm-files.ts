// conf/vm.json, the device model of QEMU, Firecracker and Cloud Hypervisor: shipped data,
// validated against its schema at build time, read here as the rules in core/vm.ts see it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VmModel } from '../core/vm.js';
import type { VmJson } from '../generated/data-types.js';
import { loadArchCatalog, PACKAGE_ROOT } from './catalog-files.js';

let cache: VmModel | undefined;

export function loadVmModel(): VmModel {
  // The schema's type is assignable to the rules' view of it (tsc checks the two agree).
  const read = (): VmModel => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'conf', 'vm.json'), 'utf8')) as VmJson;
  cache ??= read();
  return cache;
}

/** The driver names of an arch (empty for an arch osvconf does not have). */
export function knownDrivers(arch: string): ReadonlySet<string> {
  const catalog = loadArchCatalog(arch);
  return new Set(catalog.ok ? catalog.value.drivers.map((d) => d.name) : []);
}
