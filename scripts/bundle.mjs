// Bundles the CLI with esbuild: the scripted path then loads a handful of files instead of one
// ES module per source file (each costs start-up time on Node 20, which has no compile cache).
// Commands stay separate chunks, loaded by dynamic import() only when used. ink and react stay
// external so that the TUI is loaded from node_modules only when it is opened.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
};
// The pure core as one module (library use and the resolver benchmark), and npm run calibrate.
await build({ ...common, entryPoints: ['src/core/index.ts'], outfile: 'dist/core/index.js' });
await build({ ...common, entryPoints: ['src/size/calibrate.ts'], outfile: 'dist/calibrate.js' });
await build({ ...common, entryPoints: ['src/size/model.ts'], outfile: 'dist/size/model.js' });
// ink and react stay in node_modules; the TUI is a bundle of its own that main.js imports as a
// file, so that the scripted path shares no chunk with it.
const ui = ['ink', 'ink-*', 'react', 'react/*', '@inkjs/*'];
const tuiAsFile = {
  name: 'tui-as-file',
  setup(b) {
    b.onResolve({ filter: /^\.\/tui\.js$/ }, () => ({ path: './tui.js', external: true }));
  },
};
await build({ ...common, entryPoints: ['src/cli/tui.ts'], outfile: 'dist/cli/tui.js', external: ui });
await build({
  ...common,
  plugins: [tuiAsFile],
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/cli',
  splitting: true,
  external: ui,
  chunkNames: 'chunks/[name]-[hash]',
});
