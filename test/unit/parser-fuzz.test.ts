// Every parser of user input, fed seeded random mutations of valid input: each case returns a
// value or an error value, never throws. Hangs and blow-ups show as vitest's deadline failing the
// test (no timed assertion). Cases per parser: OSVCONF_FUZZ_CASES (default 300); replay a seed
// with OSVCONF_SEED.
import { describe, expect, it } from 'vitest';
import { fromDotConfig, parseSavedConfiguration } from '../../src/core/saved-config.js';
import { evaluate } from '../../src/importer/mk-eval.js';
import { parseMake } from '../../src/importer/mk-parse.js';
import { parseDotConfig } from '../../src/core/dot-config.js';
import { loadArchCatalog } from '../../src/io/catalog-files.js';
import { scanJson } from '../../src/core/json-locate.js';
import { isVersionScript, versionScriptNames } from '../../src/io/kernel-symbols.js';
import { readElf, readElfSizes } from '../../src/symbols/elf.js';
import { osvconf, MACHINES } from '../helpers/cli.js';
import { writeElf } from '../helpers/elf-writer.js';
import { rng } from '../helpers/random.js';

const CASES = Number(process.env['OSVCONF_FUZZ_CASES'] ?? '300');
const SEED = Number(process.env['OSVCONF_SEED'] ?? '2026');
const PIECES = [
  '\0',
  '\n',
  '\r',
  '\\',
  '"',
  '$(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ':',
  ';',
  '#',
  '/*',
  '*/',
  '=',
  '?=',
  'ifeq (',
  'endif',
  'include ',
  'global:',
  'local:',
  'CONF_',
  '# CONF_x is not set',
  '\u2028',
  '\ufeff',
  'é',
  'x'.repeat(5000),
];

/** One random edit: delete, duplicate, insert a piece, flip a byte, truncate. */
function mutateText(text: string, next: () => number): string {
  let t = text;
  for (let k = 1 + Math.floor(next() * 4); k > 0; k--) {
    const at = Math.floor(next() * (t.length + 1));
    const len = Math.floor(next() * 40);
    const op = Math.floor(next() * 5);
    if (op === 0) t = t.slice(0, at) + t.slice(at + len);
    else if (op === 1) t = t.slice(0, at) + t.slice(at, at + len).repeat(1 + Math.floor(next() * 50)) + t.slice(at);
    else if (op === 2) t = t.slice(0, at) + (PIECES[Math.floor(next() * PIECES.length)] as string) + t.slice(at);
    else if (op === 3) t = t.slice(0, at) + String.fromCharCode(Math.floor(next() * 0x3000)) + t.slice(at + 1);
    else t = t.slice(0, at);
  }
  return t;
}

function mutateBytes(bytes: Uint8Array, next: () => number): Uint8Array {
  const b = Uint8Array.from(bytes);
  for (let k = 1 + Math.floor(next() * 8); k > 0; k--) {
    const at = Math.floor(next() * b.length);
    b[at] = next() < 0.3 ? 0xff : Math.floor(next() * 256);
  }
  return next() < 0.1 ? b.subarray(0, Math.floor(next() * b.length)) : b;
}

describe('parser fuzz: never throws', () => {
  it(`ELF reader: ${CASES} mutated files`, () => {
    const next = rng(SEED);
    const base = writeElf({
      machine: 62,
      symbols: [{ name: 'printf', version: 'GLIBC_2.2.5' }, { name: 'malloc' }, { name: 'app_main', defined: true }, { name: '__gmon_start__', weak: true }],
    });
    for (let i = 0; i < CASES; i++) {
      const bytes = mutateBytes(base, next);
      expect(() => readElf(bytes, 'fuzz.so', MACHINES), `case ${i}`).not.toThrow();
      expect(() => readElfSizes(bytes, 'fuzz.so', MACHINES), `case ${i}`).not.toThrow();
    }
  });

  it(`.mk parser and evaluator: ${CASES} mutated profiles`, () => {
    const next = rng(SEED + 1);
    const base =
      'include conf/profiles/$(arch)/base.mk\nX = 1\nifeq ($(X),1)\nexport conf_drivers_pci ?= $(X)\nelse ifdef Y\nconf_drivers_vga := 1\nendif\nconf_drivers_virtio_blk?=1 # c\\\n  more\n';
    for (let i = 0; i < CASES; i++) {
      const text = mutateText(base, next);
      expect(
        () => {
          const parsed = parseMake(text);
          if (parsed.errors.length === 0) evaluate('fuzz.mk', parsed.statements, { arch: 'x64' }, () => 'no includes here');
        },
        `case ${i}: ${JSON.stringify(text.slice(0, 200))}`,
      ).not.toThrow();
    }
  });

  it(`JSON scanner: ${CASES} mutated profiles`, () => {
    const next = rng(SEED + 2);
    const base = JSON.stringify({ description: 'x "y"', hypervisors: ['QEMU'], includes: ['base'], sets: { pci: 1, virtio_blk: 1 } }, null, 2);
    for (let i = 0; i < CASES; i++) {
      const text = mutateText(base, next);
      expect(() => scanJson(text), `case ${i}`).not.toThrow();
    }
  });

  it(`version script readers: ${CASES} mutated scripts`, () => {
    const next = rng(SEED + 3);
    const base = '/* app */\n{\n  global:\n    printf; # libc\n    "malloc";\n  local: *;\n};\n';
    for (let i = 0; i < CASES; i++) {
      const text = mutateText(base, next);
      expect(() => [versionScriptNames(text), isVersionScript(text)], `case ${i}`).not.toThrow();
    }
  });

  it(`.config and saved configuration readers: ${CASES} mutated files`, () => {
    const next = rng(SEED + 4);
    const catalog = loadArchCatalog('x64');
    if (!catalog.ok) throw new Error(catalog.error.message);
    const dot = osvconf(['--profile=xen', 'conf_hide_symbols=1', '--print=.config']).stdout;
    const saved = osvconf(['--profile=xen', 'conf_drivers_hpet=1', 'fs=rofs', '--name=x', '--print=configuration']).stdout;
    for (let i = 0; i < CASES; i++) {
      const a = mutateText(dot, next);
      expect(() => fromDotConfig(parseDotConfig(a, 'drivers_profile'), catalog.value, 'release'), `case ${i}`).not.toThrow();
      const b = mutateText(saved, next);
      expect(() => parseSavedConfiguration(b, 'fuzz.osvconf'), `case ${i}`).not.toThrow();
    }
  });
});
