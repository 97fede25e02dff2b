// Every artifact osvconf can produce: its name for --print, where --out puts it in an OSv tree,
// and its pure renderer.

import type { Selection } from '../core/select.js';
import { renderDriversConfigH } from './drivers-config-h.js';

export interface Artifact {
  readonly name: string;
  readonly description: string;
  /** Path inside an OSv checkout, with / separators. */
  path(selection: Selection): string;
  render(selection: Selection): string;
}

const buildDir = (s: Selection): string => `build/${s.request.mode}.${s.request.arch}`;

export const ARTIFACTS: readonly Artifact[] = [
  {
    name: 'drivers_config.h',
    description: 'the CONF_drivers_* header (as scripts/gen-drivers-config-header writes it)',
    path: (s) => `${buildDir(s)}/gen/include/osv/drivers_config.h`,
    render: renderDriversConfigH,
  },
];

export function findArtifact(name: string): Artifact | undefined {
  return ARTIFACTS.find((a) => a.name === name);
}
