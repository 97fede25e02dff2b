// Small hand-made catalogs and profile sources, so core tests exercise the rules, not the data.
import type { ArchCatalog, Bit, Driver, Pitfall, PitfallId, Profile } from '../../src/core/catalog.js';
import type { ProfileSource } from '../../src/core/profiles.js';
import { ok } from '../../src/core/result.js';
import { select, type SelectionRequest } from '../../src/core/select.js';

/** A pitfall as a data file states it (its id is a plain string there). */
type PitfallData = Omit<Pitfall, 'id'> & { id: string };

export function driver(name: string, implies: string[] = [], pitfalls: PitfallData[] = []): Driver {
  return { name, group: 'other', description: name, implies, provides: [], notes: [], pitfalls: pitfalls.map((p) => ({ ...p, id: p.id as PitfallId })) };
}

export function catalog(drivers: Driver[], arch = 'test'): ArchCatalog {
  const hide = { name: 'hide_symbols', type: 'bool' as const, prompt: 'hide', default: 'n', makefile: true, help: 'hide', menu: 'Core' };
  return {
    arch,
    drivers,
    optionPitfalls: [],
    kconfig: {
      mainmenu: 'Test',
      menus: [{ title: 'Core', options: [hide] }],
      choice: { name: 'drivers_profile', prompt: 'p', default: 'all', values: {}, withoutProfile: {} },
    },
    options: [],
  };
}

export function profile(name: string, spec: { includes?: string[]; sets?: Record<string, Bit>; aliasOf?: string } = {}): Profile {
  return {
    name,
    description: name,
    hypervisors: [],
    includes: spec.includes ?? [],
    inOsv: false,
    sets: Object.entries(spec.sets ?? {}),
    ...(spec.aliasOf === undefined ? {} : { aliasOf: spec.aliasOf }),
    source: `profiles/test/${name}.json`,
    builtin: true,
  };
}

export function source(profiles: Profile[], arch = 'test', elsewhere: Record<string, string[]> = {}): ProfileSource {
  const byName = new Map(profiles.map((p) => [p.name, p]));
  return { arch, names: () => [...byName.keys()], get: (n) => ok(byName.get(n)), elsewhere: (n) => elsewhere[n] ?? [] };
}

export function request(profileName: string, drivers: Record<string, Bit> = {}, extra: Partial<SelectionRequest> = {}): SelectionRequest {
  return {
    arch: 'test',
    mode: 'release',
    profile: profileName,
    drivers: new Map(Object.entries(drivers)),
    kconfig: new Map(),
    options: new Map(),
    force: false,
    strict: false,
    ...extra,
  };
}

export { select };
