// How the configurator is bundled (scripts/bundle.mjs), and the bench's ink floor with it
// (bench/run.mjs): esbuild options with the patches that make ink, yoga and string-width start
// and draw fast. Each patch fails
// the build if the package it patches changed shape.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// yoga (ink's layout engine) ships its WebAssembly as a base64 data: URL that Emscripten's
// loader reads through fetch(): that loads undici and compiles asynchronously, some 40-70 ms
// before the first frame. Here the bytes are decoded once and compiled synchronously through
// the loader's own instantiateWasm hook, without a top-level await; the data: URL is dropped
// from the bundle.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    const DATA_URL = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;
    const changed = (file, what) => new Error(`${file}: ${what} (yoga-layout changed; update scripts/tui-bundle.mjs)`);
    // The Emscripten loader without its data: URL.
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/, namespace: 'file' }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!DATA_URL.test(source)) throw changed(args.path, 'no base64 WebAssembly found');
      return { contents: source.replace(DATA_URL, '""'), loader: 'js' };
    });
    // yoga's entry point hands the loader the module, compiled synchronously.
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const call = 'await loadYoga()';
      if (!source.includes(call)) throw changed(args.path, `no '${call}'`);
      const binary = join(dirname(args.path), '..', 'binaries', 'yoga-wasm-base64-esm.js');
      // Emscripten fills in the object it is given as the module; with the WebAssembly
      // instantiated synchronously it is ready when loadYoga returns (its promise is not needed,
      // and the bundle, CommonJS, can have no top-level await).
      const hook = `{ instantiateWasm(imports, receive) { const m = new WebAssembly.Module(Buffer.from(wasm, 'base64')); const i = new WebAssembly.Instance(m, imports); receive(i, m); return i.exports; } }`;
      const sync = `((yoga) => { loadYoga(yoga); if (typeof yoga.Node?.createDefault !== 'function') throw new Error('yoga did not start synchronously'); return yoga; })(${hook})`;
      const contents = `import { wasm } from ${JSON.stringify(`yoga-wasm:${binary}`)};\n${source.replace(call, sync)}`;
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
    b.onResolve({ filter: /^yoga-wasm:/ }, (args) => ({ path: args.path.slice('yoga-wasm:'.length), namespace: 'yoga-wasm' }));
    b.onLoad({ filter: /.*/, namespace: 'yoga-wasm' }, (args) => {
      const url = DATA_URL.exec(readFileSync(args.path, 'utf8'));
      if (url === null) throw changed(args.path, 'no base64 WebAssembly found');
      return { contents: `export const wasm = ${JSON.stringify(url[1])};`, loader: 'js' };
    });
  },
};
// string-width (ink measures every line with it) takes its fast path only for printable ASCII;
// anything else (the borders' box-drawing characters, an arrow, a ±) goes through
// Intl.Segmenter and Unicode-property regexes whose first use costs some 50 ms. The fast path
// is widened to the characters both string-width versions here measure as one column each
// (checked one by one when bundling, so the widened path answers what the slow one would); none
// of them combines with another into a wider grapheme (no joiners, variation selectors, marks).
async function narrowCharacters() {
  const measures = [await import('string-width'), await import(pathToFileURL(join(root, 'node_modules/wrap-ansi/node_modules/string-width/index.js')).href)];
  const ranges = [
    [0xa0, 0xff],
    [0x2010, 0x2027],
    [0x2030, 0x205e],
    [0x2190, 0x21ff],
    [0x2300, 0x23ff],
    [0x2500, 0x25ff],
  ];
  const hex = (c) => `\\u${c.toString(16).padStart(4, '0')}`;
  let cls = '\\u0020-\\u007e';
  for (const [lo, hi] of ranges)
    for (let c = lo; c <= hi; c++)
      if (measures.every((m) => m.default(String.fromCodePoint(c)) === 1 && m.default(`a${String.fromCodePoint(c)}a`) === 3)) cls += hex(c);
  // ink also splits every line into graphemes (@alcalzone/ansi-tokenize); a line made only of
  // these characters and the escape sequences' ESC and BEL splits into its code units. Checked
  // here: every ordered pair of them, side by side in one string, stays two graphemes.
  const chars = [...new RegExp(`[${cls}\\u001b\\u0007]`, 'gu')[Symbol.matchAll](String.fromCharCode(...Array.from({ length: 0x2600 }, (_, c) => c)))].map(
    (m) => m[0],
  );
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const a of chars)
    for (const b of chars) {
      const [first] = segmenter.segment(a + b);
      if (first.segment !== a) throw new Error(`bundle: U+${a.codePointAt(0).toString(16)} U+${b.codePointAt(0).toString(16)} join into one grapheme`);
    }
  return cls;
}
const widerFastPath = (NARROW) => ({
  name: 'string-width-fast-path',
  setup(b) {
    b.onLoad({ filter: /[\\/]slice-ansi[\\/]tokenize-ansi\.js$/, namespace: 'file' }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const made = /^const GRAPHEME_SEGMENTER = (new Intl\.Segmenter\(.*\));$/m;
      if (!made.test(source)) throw new Error(`${args.path}: no module-level GRAPHEME_SEGMENTER (slice-ansi changed; update scripts/tui-bundle.mjs)`);
      const lazy = source.replace(made, 'const GRAPHEME_SEGMENTER = {segment: (s) => (segmenterMade ??= $1).segment(s)};\nlet segmenterMade;');
      return { contents: lazy, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, namespace: 'file' }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const made = 'const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });';
      if (!source.includes(made)) throw new Error(`${args.path}: no module-level segmenter (ansi-tokenize changed; update scripts/tui-bundle.mjs)`);
      const fast = `const segmenter = { segment: (s) => (/^[${NARROW}\\u001b\\u0007]*$/.test(s) ? codeUnits(s) : (segmenterMade ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })).segment(s)) };
let segmenterMade;
function* codeUnits(s) {
    for (let index = 0; index < s.length; index++) yield { segment: s[index], index };
}`;
      return { contents: source.replace(made, fast), loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/, namespace: 'file' }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const empty = /(\n\tif \(string\.length === 0\) \{\n\t\treturn 0;\n\t\})/;
      if (!empty.test(source)) throw new Error(`${args.path}: no 'string.length === 0' check (string-width changed; update scripts/tui-bundle.mjs)`);
      const fast = `\n\tif (ambiguousIsNarrow && /^[${NARROW}]*$/.test(string)) {\n\t\treturn string.length;\n\t}`;
      // Its Intl.Segmenter and Unicode-property regexes are made when first used, not when the
      // module loads (some 30 ms before the first frame, for lines the fast path measures).
      const lazy = source
        .replace(
          /^const segmenter = new Intl\.Segmenter\(\);$/m,
          'const segmenter = {segment: (s) => (segmenterMade ??= new Intl.Segmenter()).segment(s)};\nlet segmenterMade;',
        )
        .replace(/^const (\w+Regex) = (\/.*\/[a-z]*);$/gm, 'const $1 = lazyRegExp(() => $2);');
      if (!lazy.includes('segmenterMade'))
        throw new Error(`${args.path}: no module-level Intl.Segmenter (string-width changed; update scripts/tui-bundle.mjs)`);
      const helper = `function lazyRegExp(make) {\n\tlet made;\n\tconst get = () => (made ??= make());\n\treturn {test: (s) => get().test(s), [Symbol.match]: (s) => get()[Symbol.match](s), [Symbol.search]: (s) => get()[Symbol.search](s)};\n}\n`;
      return { contents: helper + lazy.replace(empty, `$1${fast}`), loader: 'js' };
    });
  },
});
// ink's reconciler awaits at its top level, for React DevTools and its own package.json, only
// when DEV=true; the TUI's bundle is CommonJS (to run from a code cache), which cannot await
// there: both are left out (DevTools are not installed with osvconf).
const inkWithoutDevAwaits = {
  name: 'ink-without-dev-awaits',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/, namespace: 'file' }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const awaits = ["await import('./devtools.js');", 'await loadPackageJson()'];
      for (const a of awaits) if (!source.includes(a)) throw new Error(`${args.path}: no '${a}' (ink changed; update scripts/tui-bundle.mjs)`);
      const contents = source.replace(awaits[0], 'void 0;').replace(awaits[1], '{ name: undefined, version: undefined }');
      if (/(^|[^\w.])await\s/m.test(contents.replace(/async function[\s\S]*?\n}/g, '')))
        throw new Error(`${args.path}: another top-level await (ink changed; update scripts/tui-bundle.mjs)`);
      return { contents, loader: 'js' };
    });
  },
};
// ink draws each frame into a new Output whose caches (a line's styled characters, its width)
// start empty, so every frame tokenizes every line again: about half the time from a key to its
// redrawn frame. One cache kept across frames (cleared when it grows past a bound) reuses the
// unchanged lines; ink only reads the cached arrays, never changes them.
const inkOutputCache = {
  name: 'ink-output-cache',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/, namespace: 'file' }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const perFrame = '    caches = new OutputCaches();';
      if (!source.includes(perFrame)) throw new Error(`${args.path}: no per-frame OutputCaches (ink changed; update scripts/tui-bundle.mjs)`);
      const shared = `const sharedCaches = new OutputCaches();
function boundedCaches() {
    if (sharedCaches.styledChars.size + sharedCaches.widths.size + sharedCaches.blockWidths.size > 20000) {
        sharedCaches.styledChars.clear();
        sharedCaches.widths.clear();
        sharedCaches.blockWidths.clear();
    }
    return sharedCaches;
}
export default class Output {`;
      // A row drawn as in the frame before is not turned into a string again (styledCharsToString
      // diffs the styles of every character): its text is kept by what the row holds.
      const rows = `            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();`;
      if (!source.includes(rows)) throw new Error(`${args.path}: no per-row styledCharsToString (ink changed; update scripts/tui-bundle.mjs)`);
      const cachedRows = `            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return rowText(lineWithoutEmptyItems);`;
      const rowCache = `const rowTexts = new Map();
function rowText(items) {
    let key = '';
    for (const c of items) {
        key += c.value;
        if (c.styles.length > 0) {
            key += '\\u0000';
            for (const st of c.styles) key += st.code + '\\u0001' + st.endCode + '\\u0001';
            key += '\\u0000';
        }
    }
    let text = rowTexts.get(key);
    if (text === undefined) {
        text = styledCharsToString(items).trimEnd();
        if (rowTexts.size > 5000) rowTexts.clear();
        rowTexts.set(key, text);
    }
    return text;
}
`;
      return {
        contents: source
          .replace(perFrame, '    caches = boundedCaches();')
          .replace(rows, cachedRows)
          .replace('export default class Output {', rowCache + shared),
        loader: 'js',
      };
    });
  },
};
/**
 * esbuild options for a program on ink and React: ink and React inside the bundle, React's
 * production build, minified: one file to load and compile instead of hundreds of modules.
 * CommonJS, like the scripted CLI, so that Node's compile cache (22.1+, bin/load-main.cjs) can
 * serve it and require() loads it in one step.
 */
export async function inkBundle({ entryPoints, outfile, minify = true }) {
  return {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
    format: 'cjs',
    entryPoints,
    outfile,
    minify,
    define: { 'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"', 'import.meta.url': 'importMetaUrl' },
    plugins: [yogaWithoutFetch, inkWithoutDevAwaits, widerFastPath(await narrowCharacters()), inkOutputCache],
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
}
