// The saved configuration in its two other forms. Minimal (Kconfig's savedefconfig): only what
// differs from the chosen profile's and Kconfig's defaults. Full: every Kconfig option and build
// option written out, and every driver of a custom profile, so the file does not depend on the
// defaults of the osvconf that reads it (a selection that is exactly one of OSv's profiles keeps
// naming it). Either one loads back to the
// same selection: the same values of every driver, option and Kconfig option, and the same
// custom profile name.

import { customProfile } from './custom-profile.js';
import { defaultValue } from './kconfig.js';
import type { ProfileSource } from './profiles.js';
import { savedSettings } from './saved-config.js';
import { select, type Selection, type SelectionRequest } from './select.js';

export type SavedForm = 'given' | 'minimal' | 'full';

/** The values a loaded file must reproduce: every driver, option and visible Kconfig option. */
export function selectionValues(s: Selection): string {
  const drivers = s.drivers.flags.map((f) => `${f.name}=${f.value}`);
  const options = s.options.map((o) => `${o.option.name}=${o.value}`);
  const kconfig = s.kconfig.filter((k) => k.visible).map((k) => `${k.option.name}=${k.value}`);
  return [...drivers, ...options, ...kconfig].join('\n');
}

/** The saved configuration's lines in the form asked for (given: the request as the user wrote it). */
export function savedLines(selection: Selection, form: SavedForm, source: ProfileSource): string[] {
  if (form === 'given') return savedSettings(selection);
  const request = form === 'minimal' ? minimalRequest(selection, source) : fullRequest(selection);
  const again = select(request, selection.catalog, source);
  // Cannot happen (the request only drops settings that change nothing, or writes the values
  // that were resolved); if it did, the file as given is still right.
  if (!again.ok || selectionValues(again.value) !== selectionValues(selection)) return savedSettings(selection);
  // Keep the name a custom profile file is written under (a selection that is one of OSv's own
  // profiles has no file, and a full file's explicit drivers must not take that profile's name).
  const original = customProfile(selection);
  const named =
    !original.needsFile || customProfile(again.value).name === original.name
      ? again.value
      : { ...again.value, request: { ...again.value.request, customName: original.name } };
  // Same values, same problems: what --force kept in the original is kept in this form too.
  return savedSettings({ ...named, warnings: selection.warnings });
}

function minimalRequest(selection: Selection, source: ProfileSource): SelectionRequest {
  const { request, catalog } = selection;
  const kconfig = new Map(
    [...request.kconfig].filter(([name, value]) => {
      const option = selection.kconfig.find((k) => k.option.name === name)?.option;
      return option === undefined || value !== defaultValue(option, request.arch, request.mode);
    }),
  );
  const options = new Map([...request.options].filter(([name, value]) => selection.options.find((o) => o.option.name === name)?.option.default !== value));
  // A driver setting goes when the selection resolves to the same values without it (the
  // profile or an implication sets it anyway). One at a time, in catalog order.
  let drivers = new Map(request.drivers);
  const base = { ...request, kconfig, options, force: request.force, strict: false };
  const target = selectionValues(selection);
  for (const name of [...drivers.keys()]) {
    const without = new Map(drivers);
    without.delete(name);
    const tried = select({ ...base, drivers: without }, catalog, source);
    if (tried.ok && selectionValues(tried.value) === target && tried.value.drivers.conflicts.length === selection.drivers.conflicts.length) drivers = without;
  }
  return { ...base, drivers };
}

function fullRequest(selection: Selection): SelectionRequest {
  const { request } = selection;
  // Every driver is written out when the selection is a custom profile anyway; a selection that
  // is exactly one of OSv's profiles stays that profile (written out, it would become a custom
  // one, with another name in the build command and .config).
  const custom = customProfile(selection).needsFile;
  return {
    ...request,
    strict: false,
    drivers: custom ? new Map(selection.drivers.flags.map((f) => [f.name, f.value])) : request.drivers,
    options: new Map(selection.options.map((o) => [o.option.name, o.value])),
    kconfig: new Map(selection.kconfig.filter((k) => k.visible).map((k) => [k.option.name, k.value])),
  };
}
