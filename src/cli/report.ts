// The --json form of a resolved selection: every value with its origin, and the warnings.

import { driverSetting } from '../core/catalog.js';
import { describeOrigin } from '../core/origin.js';
import type { Origin } from '../core/resolver.js';
import type { Selection } from '../core/select.js';

function originJson(origin: Origin, selectedProfile: string): Record<string, unknown> {
  return { ...origin, text: describeOrigin(origin, selectedProfile) };
}

export function selectionJson(selection: Selection): Record<string, unknown> {
  const { request } = selection;
  return {
    arch: request.arch,
    mode: request.mode,
    profile: request.profile,
    profile_target: selection.expanded.target,
    drivers: selection.drivers.flags.map((f) => ({
      name: f.name,
      setting: driverSetting(f.name),
      value: f.value,
      origin: originJson(f.origin, request.profile),
      implied_by: f.impliedBy,
    })),
    options: selection.options.map((o) => ({ name: o.option.name, setting: o.option.setting, value: o.value, origin: { kind: o.origin } })),
    kconfig: selection.kconfig.map((k) => ({
      name: k.option.name,
      setting: `conf_${k.option.name}`,
      type: k.option.type,
      value: k.value,
      origin: { kind: k.origin },
      ...(k.visible ? {} : { visible: false }),
    })),
    warnings: selection.warnings.map((w) => ({ code: w.code, message: w.message, ...(w.hint === undefined ? {} : { hint: w.hint }) })),
  };
}
