// The TUI's entry as main.ts imports it. The build bundles it on its own (dist/cli/tui.cjs, with
// its own copy of the core) so that the scripted path shares no chunk with it and never loads it.
export { runTui } from '../tui/run.js';
// For the build's check that the bundle draws its first frame (scripts/bundle.mjs).
export { rehearse } from '../tui/rehearsal.js';
