// What --out (and the configurator's save) writes: every artifact with a place in the tree,
// rendered in memory before anything touches the disk, with how to recognise a file of its kind.
import type { Selection } from '../core/select.js';
import { ARTIFACTS } from '../generators/artifacts.js';
import type { PlannedFile } from '../io/write-plan.js';

/** Everything --out writes, rendered in memory before anything touches the disk. */
export function plan(selection: Selection, rendered: ReadonlyMap<string, string> = new Map()): { files: PlannedFile[]; artifacts: typeof ARTIFACTS } {
  const placed = ARTIFACTS.flatMap((a) => {
    const path = a.path(selection);
    return path === undefined ? [] : [{ artifact: a, path }];
  });
  // A file at an artifact's place that the artifact cannot recognise is never replaced.
  // `rendered`: an artifact's content made otherwise (the saved configuration in another form).
  const files = placed.map(({ artifact, path }) => ({
    path,
    content: rendered.get(artifact.name) ?? artifact.render(selection),
    owns: artifact.owns ?? (() => false),
    ...(artifact.namedByProfile === true ? { namedByProfile: true as const } : {}),
  }));
  return { files, artifacts: placed.map((p) => p.artifact) };
}
