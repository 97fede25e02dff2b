// Bundles with esbuild: the scripted CLI as one CommonJS file with every command in it (see
// below for why, and for the code cache); the TUI as an ES module bundle of its own, with ink
// and react left in node_modules and loaded only when the configurator opens; the pure core and
// the size model as modules for library use and the benchmark.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
// The library (package.json exports): resolve, render, estimate, write; declarations by tsc -p tsconfig.api.json.
await build({ ...common, entryPoints: ['src/api/index.ts'], outfile: 'dist/api/index.js', external: ['ajv', 'ejs', 'diff'] });
// ink and react stay in node_modules; the TUI is an ESM bundle of its own (ink needs ESM).
const ui = ['ink', 'ink-*', 'react', 'react/*', '@inkjs/*'];
// The TUI with ink and react in its own bundle, React's production build, minified: one file to
// load and compile instead of hundreds of modules (the first frame comes sooner). A require shim
// lets the bundled CommonJS parts (react) load Node's built-ins from ESM.
await build({
  ...common,
  entryPoints: ['src/cli/tui.ts'],
  outfile: 'dist/cli/tui.js',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"' },
  // ink connects to React DevTools only with DEV=true; the module is not installed: an empty stand-in.
  plugins: [
    {
      name: 'no-devtools',
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
      },
    },
  ],
  banner: { js: "import { createRequire as __osvconfRequire } from 'node:module'; const require = __osvconfRequire(import.meta.url);" },
});

// The scripted CLI: one minified CommonJS file, run by bin/osvconf.cjs from a V8 code cache made
// here. Measured on Node 20: an ES module graph costs start-up time (the ESM loader, one compile
// per file, lazy compiles at first call); one CommonJS script with a code cache costs about what
// `node -e 0` does. What the scripted path rarely needs stays in files of their own, required
// only when used: the schema validators, the diff of --dry-run, and the TUI (through a tiny
// CommonJS shim, since only import() can load it).
// Each lazy import() becomes a small module that require()s the file: esbuild evaluates it only
// when the import() runs, and require() needs no dynamic-import callback in the vm script.
const LAZY = { './tui.js': './load-tui.cjs', '../generated/validators.js': './validators.cjs', '../../app/unified-diff.js': './diff.cjs' };
const lazyFiles = {
  name: 'lazy-files',
  setup(b) {
    b.onResolve({ filter: /^(\.\/tui\.js|\.\.\/generated\/validators\.js|\.\.\/\.\.\/app\/unified-diff\.js)$/ }, (args) => ({
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
writeFileSync(
  join(root, 'dist', 'cli', 'load-tui.cjs'),
  "// Loads the TUI's ES module bundle for main.cjs (only import() can).\nexports.runTui = async (...args) => (await import('./tui.js')).runTui(...args);\n",
);

// The code cache: main.cjs compiled and run once on a typical command (so that the functions it
// calls are compiled too), then V8's cached data saved beside it. A Node.js whose V8 differs
// rejects the cache and compiles as usual.
const require = createRequire(import.meta.url);
const { loadMain } = require('../bin/load-main.cjs');
const loaded = loadMain({ useCache: false });
await loaded.main(['--profile=virtio-pci', 'conf_hide_symbols=1', '--print=drivers_config.h'], { out() {}, err() {} });
writeFileSync(join(root, 'dist', 'cli', 'main.cjs.cache'), loaded.script.createCachedData());
