// drivers_config.h exactly as OSv's scripts/gen-drivers-config-header writes it: one
// `#define CONF_drivers_<name> <value>` per flag declared in base.mk, names sorted bytewise and
// deduplicated (its `sort | uniq`, C order: JavaScript's default sort on ASCII names).

import { bytewise } from '../core/format.js';
import type { Selection } from '../core/select.js';
import { renderTemplate } from './template.js';

export function renderDriversConfigH(selection: Selection): string {
  // A name declared twice keeps its last value (make's); one line per name.
  const values = new Map(selection.drivers.flags.map((f) => [f.name, f.value]));
  const flags = [...values].sort(([a], [b]) => bytewise(a, b)).map(([name, value]) => ({ name, value }));
  return renderTemplate('drivers_config.h', { flags });
}
