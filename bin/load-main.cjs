// Loads a bundle of dist/cli (the scripted CLI's main.cjs, the TUI's tui.cjs) as Node would
// require it, but through vm.Script so that V8's code cache (<bundle>.cache, made by the build)
// spares the compile: the scripted CLI then starts about as fast as `node -e 0`. Without a
// usable cache it compiles as usual.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const Module = require('node:module');

function loadBundle(name, { useCache = true } = {}) {
  const file = join(__dirname, '..', 'dist', 'cli', name);
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

exports.loadBundle = loadBundle;
exports.loadMain = function loadMain(options) {
  const { exports, script } = loadBundle('main.cjs', options);
  return { main: exports.main, script };
};
