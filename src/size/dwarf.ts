// Exact attribution of a built kernel's bytes to its source files, from DWARF: the public entry.
// dwarf-reader.ts reads the compile units (code ranges, variable addresses); dwarf-attribution.ts
// gives every allocated byte to a file (exactly, by neighbour, or not at all), helped by
// dwarf-pieces.ts (claims and sweeps) and dwarf-tables.ts (.init_array, .eh_frame).

import { ok, type Result } from '../core/result.js';
import { readElfLayout } from '../symbols/elf.js';
import { attributeSections, type Attribution } from './dwarf-attribution.js';
import { readDwarfUnits, type DwarfUnits } from './dwarf-reader.js';

export {
  attributeSections,
  type Attribution,
  type AttributionTotals,
  type FileAttribution,
  type Remainder,
  type SectionAttribution,
} from './dwarf-attribution.js';
export { elfAddress, readDwarfUnits, type AddressRange, type DwarfUnit, type DwarfUnits } from './dwarf-reader.js';

/** readElfLayout, readDwarfUnits and attributeSections in one: what `osvconf size --elf` would call. */
export function attributeElf(bytes: Uint8Array, file: string): Result<{ readonly dwarf: DwarfUnits; readonly attribution: Attribution }> {
  const layout = readElfLayout(bytes, file);
  if (!layout.ok) return layout;
  const dwarf = readDwarfUnits(bytes, file, layout.value);
  if (!dwarf.ok) return dwarf;
  return ok({ dwarf: dwarf.value, attribution: attributeSections(layout.value, dwarf.value, bytes) });
}
