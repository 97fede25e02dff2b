// The pure core as a library: what both front-ends use, for programs that want the model
// without the CLI (and for `npm run bench`).
export * from './catalog.js';
export * from './explain.js';
export * from './origin.js';
export * from './profiles.js';
export * from './resolver.js';
export * from './result.js';
export * from './select.js';
export * from './settings.js';
export * from './suggest.js';
