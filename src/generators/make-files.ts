// The make files of a selection: base.mk (the arch's driver rules in OSv's form) and a custom
// profile .mk in the form of OSv's own: `X?=1` for every driver that is on, and `X?=0` only where
// base.mk's rules would otherwise turn a driver on (a conflict kept with --force). Alone,
// conf_drivers_profile=<name> reproduces drivers_config.h; with later command-line settings
// base.mk's implications still apply, as they do to OSv's profiles.
import { driverSetting } from '../core/catalog.js';
import { customProfile } from '../core/custom-profile.js';
import { describeOrigin } from '../core/origin.js';
import type { Selection } from '../core/select.js';
import { renderTemplate as render } from './template.js';
import { VERSION } from '../generated/version.js';

export function renderBaseMk(selection: Selection): string {
  const rules = selection.catalog.drivers.map((d) => ({ setting: driverSetting(d.name), implies: d.implies.map(driverSetting) }));
  return render('base.mk', { arch: selection.request.arch, version: VERSION, rules });
}

export function renderProfileMk(selection: Selection): string {
  const { request } = selection;
  const overrides = [...request.drivers].map(([name, value]) => `${driverSetting(name)}=${value}`);
  const flags = selection.drivers.flags
    .filter((f) => f.value === 1 || f.impliedBy.length > 0)
    .map((f) => ({ setting: driverSetting(f.name), value: f.value, why: describeOrigin(f.origin, request.profile) }));
  const { name, needsFile } = customProfile(selection);
  return render('profile.mk', { name, needsFile, arch: request.arch, version: VERSION, profile: request.profile, overrides, flags });
}
