#!/usr/bin/env node
// The launcher: everything lives in dist/ (built by `npm ci` through the prepare script).
'use strict';
require('./load-main.cjs')
  .loadMain()
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
