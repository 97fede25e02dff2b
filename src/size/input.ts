// What the size model reads from a resolved selection.
import { defaultValue, KCONFIG_PREFIX, withRole } from '../core/kconfig.js';
import { valueFacts } from '../core/options.js';
import type { Selection } from '../core/select.js';
import type { SizeInput } from './model.js';

export function sizeInputOf(selection: Selection, versionScript?: { symbols: number; iconv: boolean }, without?: readonly string[]): SizeInput {
  const values = new Map<string, 0 | 1>();
  for (const f of selection.drivers.flags) values.set(f.name, f.value);
  for (const k of selection.kconfig) if (k.option.type === 'bool') values.set(KCONFIG_PREFIX + k.option.name, k.visible && k.value === 'y' ? 1 : 0);
  const hiding = withRole(selection.kconfig, 'hide-symbols');
  const hidden = hiding !== undefined && hiding.visible && hiding.value === 'y';
  const fs = selection.options.find((o) => valueFacts(o)?.libsolaris !== undefined);
  const where = fs === undefined ? undefined : valueFacts(fs)?.libsolaris;
  const zfsOption = selection.options.find((o) => o.option.role === 'zfs-implementation');
  const zfs = zfsOption?.value ?? '';
  // Int and hex options by their distance from the default (a value that is not a number counts 0).
  const numbers = new Map<string, number>();
  const set = new Set(
    selection.kconfig.filter((k) => k.option.type === 'string' && k.visible && k.value.trim() !== '').map((k) => KCONFIG_PREFIX + k.option.name),
  );
  for (const k of selection.kconfig) {
    if (k.option.type !== 'int' && k.option.type !== 'hex') continue;
    const delta = Number(k.value) - Number(defaultValue(k.option, selection.request.arch, selection.request.mode));
    if (Number.isFinite(delta) && delta !== 0) numbers.set(KCONFIG_PREFIX + k.option.name, delta);
  }
  return {
    values,
    hidden,
    ...(numbers.size === 0 ? {} : { numbers }),
    set,
    ...(hidden && versionScript !== undefined ? { versionScript } : {}),
    ...(where === undefined ? {} : { libsolaris: { where, zfs } }),
    ...(without === undefined ? {} : { without }),
  };
}
