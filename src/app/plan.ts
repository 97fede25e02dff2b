// What --out (and the configurator's save) writes: every artifact with a place in the tree,
// rendered in memory before anything touches the disk, with how to recognise a file of its kind.
import type { Selection } from '../core/select.js';
import { ARTIFACTS } from '../generators/artifacts.js';
import type { PlannedFile } from '../io/write-plan.js';

/** Everything --out writes, rendered in memory before anything touches the disk. */
export function plan(selection: Selection): { files: PlannedFile[]; artifacts: typeof ARTIFACTS } {
  const artifacts = ARTIFACTS.filter((a) => a.path(selection) !== undefined);
  return { files: artifacts.map((a) => ({ path: a.path(selection) as string, content: a.render(selection), owns: a.owns })), artifacts };
}
