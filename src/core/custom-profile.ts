// The name under which a selection is written as an OSv profile (conf/profiles/<arch>/<name>.mk),
// so that conf_drivers_profile=<name> alone reproduces it. A selection that is exactly a profile
// OSv ships needs no file at all.

import type { ProfileSource } from './profiles.js';
import { fail, ok, refuse, type Result } from './result.js';
import type { Selection } from './select.js';

export interface CustomProfile {
  readonly name: string;
  /** False when OSv's tree already has this exact profile. */
  readonly needsFile: boolean;
}

/** Letters, digits, _ and -, not starting with - (it would read as a flag), at most 64 characters. */
export const CUSTOM_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;

export function customProfile(selection: Selection): CustomProfile {
  const { request, expanded } = selection;
  const overrides = request.drivers.size > 0;
  const name = request.customName ?? (overrides ? `${request.profile}-custom` : request.profile);
  return { name, needsFile: overrides || name !== request.profile || !expanded.profile.inOsv };
}

/** Refuses names that would escape the profiles folder or replace a file OSv's build relies on. */
export function checkCustomName(name: string, selection: Selection, source: ProfileSource): Result<string> {
  // Say where the name came from: the name given for the custom profile, or the profile's own
  // name (a user profile named like OSv's).
  const what = selection.request.customName === name ? `the custom profile name "${name}"` : `the profile file name "${name}"`;
  if (!CUSTOM_NAME.test(name))
    return fail(`${what}: a profile name is made of letters, digits, _ and - (not first), at most 64 characters`, 'it becomes conf/profiles/<arch>/<name>.mk');
  if (name === 'base') return refuse(`${what}: base.mk holds the driver rules of OSv, not a profile`, undefined, ['name']);
  const existing = source.get(name);
  if (existing.ok && existing.value?.inOsv === true && (name !== selection.request.profile || selection.request.drivers.size > 0)) {
    return fail(`${what} would replace OSv's own conf/profiles/${selection.request.arch}/${name}.mk`, 'choose a name OSv does not use');
  }
  return ok(name);
}
