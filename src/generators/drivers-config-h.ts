// drivers_config.h exactly as OSv's scripts/gen-drivers-config-header writes it: one
// `#define CONF_drivers_<name> <value>` per flag declared in base.mk, names sorted bytewise and
// deduplicated (its `sort | uniq`, C order: JavaScript's default sort on ASCII names).

import type { Selection } from '../core/select.js';
import { renderTemplate } from './template.js';

export function renderDriversConfigH(selection: Selection): string {
  const names = [...new Set(selection.drivers.flags.map((f) => f.name))].sort();
  const flags = names.map((name) => ({ name, value: selection.drivers.byName.get(name)?.value }));
  return renderTemplate('drivers_config.h', { flags });
}
