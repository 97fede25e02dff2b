import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { parseSettings, bindSettings } from '../../src/core/settings.js';
import { closest, didYouMean, editDistance } from '../../src/core/suggest.js';
import { lineCol, scanJson } from '../../src/core/json-locate.js';
import { formatKibChange, thousands } from '../../src/core/format.js';
import { catalog, driver } from '../helpers/synthetic.js';

describe('thousands', () => {
  it('writes whole numbers as toLocaleString("en") does', () => {
    const samples = [0, 1, 12, 999, 1000, 1001, 99_999, 100_000, 123_456_789, 2 ** 53 - 1, 0.4, 0.5, 999.5, 1234.49];
    let a = 7;
    for (let i = 0; i < 500; i++) samples.push(((a = (a * 1103515245 + 12345) >>> 0) / 2 ** 32) * 10 ** (i % 13));
    for (const n of samples.flatMap((x) => [x, -x]).filter((x) => Math.round(x) !== 0))
      expect(thousands(n), String(n)).toBe(Math.round(n).toLocaleString('en'));
    expect(thousands(-0.2)).toBe('0');
    expect(formatKibChange(-1234.6)).toBe('-1,235 KiB');
  });
});

describe('scanJson', () => {
  it('locates every value by JSON pointer, keys of members included', () => {
    const text = '{\n  "a": [1, {"b~/c": true}],\n  "d": null\n}';
    const scan = scanJson(text);
    expect(scan.error).toBeUndefined();
    expect(lineCol(text, scan.positions.get('/a')!)).toEqual({ line: 2, col: 3 });
    expect(lineCol(text, scan.positions.get('/a/1/b~0~1c')!)).toEqual({ line: 2, col: 13 });
    expect(lineCol(text, scan.positions.get('/d')!)).toEqual({ line: 3, col: 3 });
  });

  it.each([
    ['{"a": 1,}', 8, 'trailing comma before "}"'],
    ['[1, 2,]', 6, 'trailing comma before "]"'],
    ['{"a" 1}', 5, 'expected ":"'],
    ['{"a": tru}', 6, 'unexpected "t"'],
    ['{"a": "x', 6, 'unterminated string'],
    ['{"a": 1} x', 9, 'after the end of the JSON value'],
    ['{"a": 1, "a": 2}', 9, 'duplicate key "a"'],
    ['', 0, 'unexpected end of file'],
    ["{'a': 1}", 1, 'expected a property name in double quotes'],
  ])('reports %j at offset %i', (text, offset, message) => {
    const scan = scanJson(text);
    expect(scan.error?.offset).toBe(offset);
    expect(scan.error?.message).toContain(message);
  });

  it('accepts whatever JSON.parse accepts (escapes, numbers, nesting)', () => {
    for (const text of [
      '"\\u00e9\\n"',
      '-0.5e+10',
      '[[[]]]',
      '{"a":{"b":[{"c":"\\"q\\""}]}}',
      '  true  ',
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
    ]) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(scanJson(text).error, text).toBeUndefined();
    }
  });
});

describe('suggestions', () => {
  it('edit distance counts a transposition as one edit', () => {
    expect(editDistance('pci', 'pic')).toBe(1);
    expect(editDistance('virtio', 'virtio')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('finds near names and prefixed names, not far ones', () => {
    expect(closest('virtio_blck', ['virtio_blk', 'virtio_net', 'ahci'])).toEqual(['virtio_blk']);
    expect(closest('hpet', ['conf_drivers_hpet', 'conf_drivers_pci'])).toEqual(['conf_drivers_hpet']);
    expect(closest('zzzzzz', ['virtio_blk', 'ahci'])).toEqual([]);
    expect(didYouMean('zzzzzz', ['a'])).toBe('');
    expect(didYouMean('alll', ['all', 'aws'])).toBe(' (did you mean "all"?)');
  });
});

describe('parseArgs', () => {
  it('takes --x=v, --x v, switches, a leading command, settings and --', () => {
    const r = parseArgs(['explain', '--arch', 'aarch64', '--json', 'pci', 'conf_drivers_xen=1', '--', '--odd']);
    expect(r.ok && r.value.command).toBe('explain');
    expect(r.ok && Object.fromEntries(r.value.values)).toEqual({ arch: 'aarch64' });
    expect(r.ok && [...r.value.switches]).toEqual(['json']);
    expect(r.ok && r.value.positionals).toEqual(['pci', 'conf_drivers_xen=1', '--odd']);
  });
  it('a command word later on is an operand, not a command', () => {
    const r = parseArgs(['--json', 'x=1', 'list']);
    expect(r.ok && r.value.command).toBe('configure');
  });
  it('refuses the same flag twice with different values', () => {
    const r = parseArgs(['--arch=x64', '--arch=aarch64']);
    expect(!r.ok && r.error.kind).toBe('usage');
  });
  it('knows short flags', () => {
    const r = parseArgs(['-V']);
    expect(r.ok && r.value.switches.has('version')).toBe(true);
  });
});

describe('settings', () => {
  const cat = catalog([driver('alpha'), driver('beta')]);
  it('splits settings and merges the flag-like ones', () => {
    const raw = parseSettings(['conf_drivers_alpha=1', 'drivers_profile=p', 'mode=debug'], { arch: 'test' });
    expect(raw.ok && raw.value.profile).toEqual({ value: 'p', spelling: 'drivers_profile=p' });
    expect(raw.ok && raw.value.mode?.value).toBe('debug');
    const bound = raw.ok ? bindSettings(raw.value, cat, () => []) : raw;
    expect(bound.ok && Object.fromEntries(bound.value.drivers)).toEqual({ alpha: 1 });
  });
  it('the same setting twice with the same value is fine', () => {
    expect(parseSettings(['conf_drivers_alpha=1', 'conf_drivers_alpha=1'], {}).ok).toBe(true);
  });
  it('a Kconfig setting binds to kconfig, bools normalised to y/n', () => {
    const raw = parseSettings(['conf_hide_symbols=1'], {});
    const bound = raw.ok ? bindSettings(raw.value, cat, () => []) : raw;
    expect(bound.ok && Object.fromEntries(bound.value.kconfig)).toEqual({ hide_symbols: 'y' });
  });
});
