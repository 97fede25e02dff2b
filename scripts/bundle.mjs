// Bundles with esbuild: the scripted CLI as one CommonJS file with every command in it (see
// below for why); the TUI as a bundle of its own with ink and React in
// it, loaded only when the configurator opens (scripts/tui-bundle.mjs); the pure core and the
// size model as modules for library use and the benchmark.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inkBundle } from './tui-bundle.mjs';
import { createRequire } from 'node:module';

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
// The library (package.json exports): resolve, render, estimate, write; declarations by tsc -p tsconfig.api.json.
await build({ ...common, entryPoints: ['src/api/index.ts'], outfile: 'dist/api/index.js' });
const ui = ['ink', 'ink-*', 'react', 'react/*', '@inkjs/*'];
// The TUI: ink and React inside its own bundle (scripts/tui-bundle.mjs), never loaded by the scripted path.
await build(await inkBundle({ entryPoints: ['src/cli/tui.ts'], outfile: 'dist/cli/tui.cjs', minify: process.env.OSVCONF_BUNDLE_READABLE !== '1' }));

// The scripted CLI: one minified CommonJS file, required by bin/osvconf.cjs (from Node's own
// compile cache where Node has one: bin/load-main.cjs). Measured on Node 20: an ES module graph
// costs start-up time (the ESM loader, one compile per file, lazy compiles at first call); one
// CommonJS script costs little more than `node -e 0`. What the scripted path rarely needs stays in files of their own, required
// only when used: the schema validators, the diff of --dry-run, size's build reader (DWARF,
// calibration, the --html page), and the TUI (through a tiny CommonJS shim, since only import()
// can load it).
// Each lazy import() becomes a small module that require()s the file: esbuild evaluates it only
// when the import() runs, and require() needs no dynamic-import callback in the vm script.
const LAZY = {
  './tui.js': './load-tui.cjs',
  '../generated/validators.js': './validators.cjs',
  '../../app/unified-diff.js': './diff.cjs',
  '../../app/size-build.js': './size-build.cjs',
};
const lazyFiles = {
  name: 'lazy-files',
  setup(b) {
    b.onResolve({ filter: /^(\.\/tui\.js|\.\.\/generated\/validators\.js|\.\.\/\.\.\/app\/(unified-diff|size-build)\.js)$/ }, (args) => ({
      path: LAZY[args.path],
      namespace: 'lazy',
    }));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};
const cjs = {
  ...common,
  format: 'cjs',
  minify: true,
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};
await build({ ...cjs, plugins: [lazyFiles], entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli/main.cjs', external: [...ui, ...Object.values(LAZY)] });
await build({ ...cjs, entryPoints: ['src/generated/validators.ts'], outfile: 'dist/cli/validators.cjs' });
await build({ ...cjs, entryPoints: ['src/app/unified-diff.ts'], outfile: 'dist/cli/diff.cjs' });
await build({ ...cjs, entryPoints: ['src/app/size-build.ts'], outfile: 'dist/cli/size-build.cjs' });
writeFileSync(
  join(root, 'dist', 'cli', 'load-tui.cjs'),
  "// Loads the TUI's bundle for main.cjs.\nexports.runTui = async (...args) => require('../../bin/load-main.cjs').loadBundle('tui.cjs').exports.runTui(...args);\n",
);

// A check of the TUI's bundle: its first frame drawn once off screen (src/tui/rehearsal.ts), as a
// person would see it, then q. A bundle that cannot draw fails the build, not a user's terminal.
{
  const { loadBundle } = createRequire(import.meta.url)('../bin/load-main.cjs');
  if (!(await loadBundle('tui.cjs').exports.rehearse()).includes('Kernel size')) throw new Error('bundle: the rehearsal drew no first frame');
}
