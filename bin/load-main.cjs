// Loads a bundle of dist/cli (the scripted CLI's main.cjs, the TUI's tui.cjs) with require().
// Where Node has its own compile cache (module.enableCompileCache, Node 22.1 and later), it is
// turned on: Node keys it by the file's content, keeps it in its cache directory and checks it,
// so a damaged or stale entry is compiled again, never run (NODE_DISABLE_COMPILE_CACHE=1 turns it
// off). Node 20 has none: the bundles compile as usual.
'use strict';
const { join } = require('node:path');
const Module = require('node:module');

if (typeof Module.enableCompileCache === 'function') {
  try {
    Module.enableCompileCache();
  } catch {
    // No cache directory can be made: compile as usual.
  }
}

/** A bundle of dist/cli by its name. */
function loadBundle(name) {
  return { exports: require(join(__dirname, '..', 'dist', 'cli', name)) };
}

exports.loadBundle = loadBundle;
exports.loadMain = function loadMain() {
  return { main: loadBundle('main.cjs').exports.main };
};
