import { describe, expect, it } from 'vitest';
import { expandProfile } from '../../src/core/profiles.js';
import { resolveDrivers, type Rule } from '../../src/core/resolver.js';
import { catalog, driver, profile, request, select, source } from '../helpers/synthetic.js';
import { mustSelect } from '../helpers/pipeline.js';

const values = (flags: readonly { name: string; value: number }[]): Record<string, number> => Object.fromEntries(flags.map((f) => [f.name, f.value]));

// A base.mk shaped like OSv's: leaves first, then the flags they imply, declared after them.
const rules: Rule[] = [
  { name: 'leaf_a', implies: ['mid'] },
  { name: 'leaf_b', implies: ['mid', 'other'] },
  { name: 'mid', implies: ['bus'] },
  { name: 'bus', implies: [] },
  { name: 'other', implies: [] },
];

describe('resolveDrivers: make semantics', () => {
  it('defaults every flag to 0', () => {
    const r = resolveDrivers(rules, [], new Map());
    expect(values(r.flags)).toEqual({ leaf_a: 0, leaf_b: 0, mid: 0, bus: 0, other: 0 });
    expect(r.flags.every((f) => f.origin.kind === 'default')).toBe(true);
    expect(r.conflicts).toEqual([]);
  });

  it('follows implication chains in rule order and records who set what', () => {
    const r = resolveDrivers(rules, [], new Map([['leaf_a', 1]]));
    expect(values(r.flags)).toEqual({ leaf_a: 1, leaf_b: 0, mid: 1, bus: 1, other: 0 });
    expect(r.byName.get('leaf_a')?.origin).toEqual({ kind: 'command-line' });
    expect(r.byName.get('mid')?.origin).toEqual({ kind: 'implied', by: 'leaf_a' });
    expect(r.byName.get('bus')?.origin).toEqual({ kind: 'implied', by: 'mid' });
  });

  it('lists every enabled implier, though only the first one set the value', () => {
    const r = resolveDrivers(
      rules,
      [],
      new Map([
        ['leaf_a', 1],
        ['leaf_b', 1],
      ]),
    );
    expect(r.byName.get('mid')?.impliedBy).toEqual(['leaf_a', 'leaf_b']);
    expect(r.byName.get('mid')?.origin).toEqual({ kind: 'implied', by: 'leaf_a' });
  });

  it('keeps the first profile assignment (?=) and lets the command line beat it', () => {
    const assignments = [
      { flag: 'other', value: 1 as const, profile: 'inc', via: ['inc'] },
      { flag: 'other', value: 0 as const, profile: 'top', via: [] },
      { flag: 'bus', value: 1 as const, profile: 'top', via: [] },
    ];
    const r = resolveDrivers(rules, assignments, new Map([['bus', 0]]));
    expect(r.byName.get('other')).toMatchObject({ value: 1, origin: { kind: 'profile', profile: 'inc', via: ['inc'] } });
    expect(r.byName.get('bus')).toMatchObject({ value: 0, origin: { kind: 'command-line' } });
  });

  it('a command-line 1 fires the rules of the flag it sets', () => {
    const r = resolveDrivers(rules, [], new Map([['mid', 1]]));
    expect(values(r.flags)).toMatchObject({ mid: 1, bus: 1, leaf_a: 0 });
  });

  it('records an explicit 0 that make keeps although an enabled flag implies 1', () => {
    const r = resolveDrivers(
      rules,
      [],
      new Map([
        ['leaf_a', 1],
        ['leaf_b', 1],
        ['mid', 0],
      ]),
    );
    // make's result: mid stays 0, so bus is never implied either.
    expect(values(r.flags)).toEqual({ leaf_a: 1, leaf_b: 1, mid: 0, bus: 0, other: 1 });
    expect(r.conflicts).toEqual([{ flag: 'mid', origin: { kind: 'command-line' }, impliers: ['leaf_a', 'leaf_b'] }]);
  });

  it('a rule that implies a flag declared above it cannot take effect: make keeps the default', () => {
    const backwards: Rule[] = [
      { name: 'early', implies: [] },
      { name: 'late', implies: ['early'] },
    ];
    const r = resolveDrivers(backwards, [], new Map([['late', 1]]));
    expect(values(r.flags)).toEqual({ early: 0, late: 1 });
    expect(r.conflicts).toEqual([{ flag: 'early', origin: { kind: 'default' }, impliers: ['late'] }]);
  });

  it('is linear: 100k flags with chains resolve', () => {
    const many: Rule[] = Array.from({ length: 100_000 }, (_, i) => ({ name: `f${i}`, implies: i + 1 < 100_000 ? [`f${i + 1}`] : [] }));
    const r = resolveDrivers(many, [], new Map([['f0', 1]]));
    expect(r.flags.every((f) => f.value === 1)).toBe(true);
  });
});

describe('expandProfile', () => {
  const base = [
    profile('a', { sets: { leaf_a: 1 } }),
    profile('b', { includes: ['a'], sets: { other: 1 } }),
    profile('top', { includes: ['b', 'a'], sets: { bus: 0 } }),
  ];

  it('expands includes in place, recursively, then the own sets', () => {
    const e = expandProfile('top', source(base));
    expect(e.ok && e.value.assignments.map((a) => [a.flag, a.profile, a.via.join('>')])).toEqual([
      ['leaf_a', 'a', 'b>a'],
      ['other', 'b', 'b'],
      ['leaf_a', 'a', 'a'],
      ['bus', 'top', ''],
    ]);
  });

  it('treats an alias as the profile it stands for', () => {
    const e = expandProfile('alias', source([...base, profile('alias', { aliasOf: 'b' })]));
    expect(e.ok && e.value.target).toBe('b');
    expect(e.ok && e.value.assignments.map((a) => a.flag)).toEqual(['leaf_a', 'other']);
  });

  it('names the whole include cycle', () => {
    const e = expandProfile('x', source([profile('x', { includes: ['y'] }), profile('y', { includes: ['z'] }), profile('z', { includes: ['x'] })]));
    expect(e.ok).toBe(false);
    if (!e.ok) expect(e.error.message).toBe('profile include cycle: x -> y -> z -> x');
  });

  it('names a cycle through an alias and a self-include', () => {
    const viaAlias = expandProfile('p', source([profile('p', { includes: ['q'] }), profile('q', { aliasOf: 'p' })]));
    expect(!viaAlias.ok && viaAlias.error.message).toBe('profile include cycle: p -> q -> p');
    const self = expandProfile('s', source([profile('s', { includes: ['s'] })]));
    expect(!self.ok && self.error.message).toBe('profile include cycle: s -> s');
  });

  it('a profile included twice on different paths is not a cycle', () => {
    expect(expandProfile('top', source(base)).ok).toBe(true);
  });

  it('an unknown include names the file, the pointer and a suggestion', () => {
    const e = expandProfile('p', source([profile('p', { includes: ['xenn'] }), profile('xen')]));
    expect(!e.ok && e.error.message).toBe('profiles/test/p.json: /includes/0: unknown profile "xenn" for test (did you mean "xen"?)');
  });

  it('an unknown profile that exists on another arch says so', () => {
    const e = expandProfile('vm', source([profile('a')], 'test', { vm: ['x64'] }));
    expect(!e.ok && e.error.message).toBe('profile "vm" does not exist on test (it exists on x64)');
  });
});

describe('select: stricter than make', () => {
  const cat = catalog([
    driver('leaf', ['bus'], [{ id: 'leaf-alone', when: { leaf: 1, extra: 0 }, message: 'leaf without extra', hint: 'add extra', inferred: true }]),
    driver('extra'),
    driver('bus'),
  ]);
  const src = source([profile('p', { sets: { leaf: 1 } }), profile('bad', { sets: { bus: 0, leaf: 1 } }), profile('ok', { sets: { leaf: 1, extra: 1 } })]);

  it('refuses a command-line 0 against an implication, naming both sides', () => {
    const r = select(request('p', { bus: 0 }), cat, src);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('conf_drivers_bus=0 (command line) conflicts with conf_drivers_leaf=1, which implies conf_drivers_bus=1');
  });

  it('refuses a profile 0 against an implication, naming the profile', () => {
    const r = select(request('bad'), cat, src);
    expect(!r.ok && r.error.message).toContain('conf_drivers_bus=0 (profile bad)');
  });

  it("--force keeps make's result and warns", () => {
    const r = select(request('p', { bus: 0 }, { force: true }), cat, src);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.drivers.byName.get('bus')?.value).toBe(0);
    expect(r.value.warnings.map((w) => w.code)).toContain('conflict');
  });

  it('pitfalls are warnings, and errors with --strict', () => {
    const warned = select(request('p'), cat, src);
    expect(warned.ok && warned.value.warnings.map((w) => w.code)).toEqual(['leaf-alone']);
    const strict = select(request('p', {}, { strict: true }), cat, src);
    expect(!strict.ok && strict.error.message).toContain('leaf without extra');
    expect(select(request('ok', {}, { strict: true }), cat, src).ok).toBe(true);
  });

  it('pitfall conditions can read options', () => {
    const withOption = catalog([driver('a', [], [{ id: 'needs-hiding', when: { a: 1, conf_hide_symbols: 0 }, message: 'm', hint: 'h', inferred: false }])]);
    const s = source([profile('p', { sets: { a: 1 } })]);
    expect(select(request('p'), withOption, s).ok && select(request('p'), withOption, s)).toMatchObject({ value: { warnings: [{ code: 'needs-hiding' }] } });
    const hidden = select(request('p', {}, { kconfig: new Map([['hide_symbols', 'y']]) }), withOption, s);
    expect(hidden.ok && hidden.value.warnings).toEqual([]);
  });
});

describe('the shipped catalog', () => {
  it('virtio-kvm is what DESIGN §3 promises, and raises no pitfall', () => {
    const x64 = mustSelect('x64', 'virtio-kvm');
    const on = x64.drivers.flags.filter((f) => f.value === 1).map((f) => f.name);
    for (const must of ['virtio_blk', 'virtio_net', 'virtio_rng', 'pci', 'acpi', 'pvpanic']) expect(on).toContain(must);
    for (const mustNot of ['virtio_scsi', 'virtio_fs', 'mmio', 'xen', 'hyperv', 'vga']) expect(on).not.toContain(mustNot);
    expect(x64.warnings).toEqual([]);
    const arm = mustSelect('aarch64', 'virtio-kvm');
    expect(arm.drivers.flags.filter((f) => f.value === 1).map((f) => f.name)).toEqual(
      expect.arrayContaining(['virtio_blk', 'virtio_net', 'virtio_rng', 'pci']),
    );
    expect(arm.warnings).toEqual([]);
  });

  it('pvpanic -> acpi -> pci is a chain of implications on x64', () => {
    const s = mustSelect('x64', 'base', { pvpanic: 1 });
    expect(s.drivers.byName.get('acpi')?.origin).toEqual({ kind: 'implied', by: 'pvpanic' });
    expect(s.drivers.byName.get('pci')?.origin).toEqual({ kind: 'implied', by: 'acpi' });
  });

  it('the all profile takes each flag from the first included profile that sets it', () => {
    const s = mustSelect('x64', 'all');
    // hyperv is the first include and sets pci; vbox (second) is the first to set ahci.
    expect(s.drivers.byName.get('pci')?.origin).toEqual({ kind: 'profile', profile: 'hyperv', via: ['hyperv'] });
    expect(s.drivers.byName.get('ahci')?.origin).toEqual({ kind: 'profile', profile: 'vbox', via: ['vbox'] });
    expect(s.drivers.byName.get('vga')?.origin).toEqual({ kind: 'profile', profile: 'all', via: [] });
  });
});
