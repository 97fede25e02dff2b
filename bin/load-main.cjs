// Loads a bundle of dist/cli (the scripted CLI's main.cjs, the TUI's tui.cjs) as Node would
// require it, but through vm.Script so that V8's code cache (<bundle>.cache, made by the build)
// spares the compile: the scripted CLI then starts about as fast as `node -e 0`. Without a
// usable cache it compiles as usual.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const Module = require('node:module');

/** Runs a CommonJS file as require() would, from <file>.cache when V8 takes it. */
function loadScript(file, { useCache = true } = {}) {
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      // no cache (a build without it): compile as usual
    }
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, join(file, '..'));
  return { exports: module.exports, script };
}

/** A bundle of dist/cli by its name. */
function loadBundle(name, options) {
  return loadScript(join(__dirname, '..', 'dist', 'cli', name), options);
}

exports.loadScript = loadScript;
exports.loadBundle = loadBundle;
exports.loadMain = function loadMain(options) {
  const { exports, script } = loadBundle('main.cjs', options);
  return { main: exports.main, script };
};
