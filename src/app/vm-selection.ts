// From what a VM needs (core/vm.ts) to a selection: profile base plus exactly the drivers the
// VM's devices need, the drivers that a known link failure of this OSv then needs too, and the
// user's other settings; the nearest shipped profile and the size against the default.

import { driverSetting } from '../core/catalog.js';
import { fail, ok, type Result } from '../core/result.js';
import { select, type Selection } from '../core/select.js';
import type { Derivation } from '../core/vm.js';
import { loadSizeModel } from '../io/size-files.js';
import { sizeInputOf } from '../size/input.js';
import { createEstimator } from '../size/model.js';
import { loadContext, resolveSelection, type Context, type SelectionOptions } from './selection.js';

export interface VmSelection {
  readonly context: Context;
  readonly selection: Selection;
  /** The settings the selection was made with (base, the drivers, the user's), for --print/--out. */
  readonly settings: readonly string[];
  /** Driver -> why it is on (the VM's devices, or a link failure it avoids). */
  readonly why: ReadonlyMap<string, readonly string[]>;
  readonly nearest: { readonly profile: string; readonly extra: readonly string[]; readonly missing: readonly string[] } | undefined;
  /** The estimate, and that of the default profile (conf/osvconf.json's) with the same settings. */
  readonly kib: { readonly selection: number; readonly all: number; readonly allProfile: string } | undefined;
}

/** The profile the derived drivers start from: one that turns nothing on (OSv's base). */
async function emptyProfile(arch: string, profilesDir: string | undefined): Promise<Result<string>> {
  const context = await loadContext(arch, profilesDir);
  if (!context.ok) return context;
  const { profiles } = context.value;
  const empty = profiles.names().find((n) => {
    const p = profiles.get(n);
    return p.ok && p.value !== undefined && p.value.aliasOf === undefined && p.value.includes.length === 0 && p.value.sets.length === 0;
  });
  return empty === undefined ? fail(`no profile on ${arch} turns nothing on: nothing to start from`) : ok(empty);
}

export async function selectionForVm(d: Derivation, options: SelectionOptions, userSettings: readonly string[], cwd: string): Promise<Result<VmSelection>> {
  const why = new Map<string, string[]>([...d.needs].map(([k, v]) => [k, [...v]]));
  const start = await emptyProfile(d.arch, options.values.get('profiles-dir'));
  if (!start.ok) return start;
  const values = new Map([...options.values, ['arch', d.arch], ['profile', start.value]]);
  const given = new Set(userSettings.map((s) => s.slice(0, s.indexOf('='))));
  const settingsFor = () => [...[...why.keys()].filter((n) => !given.has(driverSetting(n))).map((n) => `${driverSetting(n)}=1`), ...userSettings];
  // A pitfall of this OSv (a link failure) that turning a driver on avoids: turn it on, say why.
  // --strict judges the selection these fixes make, not the ones before them.
  const loose = { ...options, values, switches: new Set([...options.switches].filter((s) => s !== 'strict')) };
  for (let round = 0; round <= why.size + 32; round++) {
    const resolved = await resolveSelection(loose, settingsFor(), cwd);
    if (!resolved.ok) return resolved;
    const { selection } = resolved.value;
    const fix = selection.pitfalls
      .map((p) => ({ p, driver: Object.entries(p.when).find(([k, v]) => v === 0 && selection.drivers.byName.has(k) && !given.has(driverSetting(k)))?.[0] }))
      .find((x) => x.driver !== undefined);
    if (fix === undefined || why.has(fix.driver as string)) {
      if (selection.warnings.some((w) => w.code === 'no-block-device') && d.disks === 0)
        return fail(
          `the root filesystem is read from a disk, but the VM has none`,
          'give the VM a disk (a -drive, --disk or drives entry), or choose a filesystem without one (osvconf explain fs)',
        );
      // A driver the VM needs that a setting of yours turns off: say which and why it is needed.
      const off = [...d.needs].filter(([name]) => selection.drivers.byName.get(name)?.value !== 1);
      if (off.length > 0)
        return fail(
          `${off.map(([name]) => `${driverSetting(name)}=0`).join(', ')} leaves the VM without what it needs: ${off.map(([name, reasons]) => `${name} for ${reasons[0] ?? ''}`).join('; ')}`,
          'drop those settings',
        );
      if (options.switches.has('strict')) {
        const strict = await resolveSelection({ ...options, values }, settingsFor(), cwd);
        if (!strict.ok) return strict;
      }
      return ok(finish(resolved.value, settingsFor(), why));
    }
    why.set(fix.driver as string, [`avoids a link failure of this OSv: ${fix.p.message.replace(/ \(seen .*$/, '')}`]);
  }
  return fail('the drivers the VM needs do not settle (a loop in the pitfall data)');
}

function finish(resolved: Context & { selection: Selection }, settings: string[], why: Map<string, string[]>): VmSelection {
  const { selection, catalog, profiles, defaults } = resolved;
  const on = new Set(selection.drivers.flags.filter((f) => f.value === 1).map((f) => f.name));
  let nearest: VmSelection['nearest'];
  for (const name of profiles.names()) {
    const p = profiles.get(name);
    if (!p.ok || p.value === undefined || p.value.aliasOf !== undefined) continue;
    const alone = select({ ...selection.request, profile: name, drivers: new Map(), force: true, strict: false }, catalog, profiles);
    if (!alone.ok) continue;
    const theirs = new Set(alone.value.drivers.flags.filter((f) => f.value === 1).map((f) => f.name));
    const extra = [...theirs].filter((n) => !on.has(n));
    const missing = [...on].filter((n) => !theirs.has(n));
    const score = extra.length + 2 * missing.length;
    const best = nearest === undefined ? Infinity : nearest.extra.length + 2 * nearest.missing.length;
    if (score < best) nearest = { profile: name, extra, missing };
  }
  let kib: VmSelection['kib'];
  const model = loadSizeModel(selection.request.arch);
  if (model.modes.includes(selection.request.mode)) {
    const estimator = createEstimator(model);
    const all = select({ ...selection.request, profile: defaults.defaultProfile, drivers: new Map(), force: true, strict: false }, catalog, profiles);
    if (all.ok)
      kib = {
        selection: estimator.estimate(sizeInputOf(selection)).kernelKib,
        all: estimator.estimate(sizeInputOf(all.value)).kernelKib,
        allProfile: defaults.defaultProfile,
      };
  }
  return { context: resolved, selection, settings, why, nearest, kib };
}
