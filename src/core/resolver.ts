// OSv's make semantics for conf_drivers_*, exactly (osv-facts §2.1-2.3):
//   1. command-line variables beat every assignment in the makefiles;
//   2. the profile is included first: its `X ?= v` lines (includes expanded in place) define X
//      only if nothing defined it yet, so the first assignment wins;
//   3. base.mk is read in file order: `X ?= 0`, then `ifeq ($(X),1)` gives each implied `Y ?= 1`.
//      The ifeq is evaluated when the line is read, so a rule only sees what was defined above it.
// Nothing here refuses anything: conflicts are recorded, and the policy (refuse, or --force) is
// applied by select.ts. Linear in the number of flags and implications.

import type { Bit } from './catalog.js';
import type { Assignment } from './profiles.js';

export type Origin =
  | { readonly kind: 'default' }
  | { readonly kind: 'profile'; readonly profile: string; readonly via: readonly string[] }
  | { readonly kind: 'implied'; readonly by: string }
  | { readonly kind: 'command-line' };

/** One base.mk rule: the flag's declaration and what it implies when it is 1. */
export interface Rule {
  readonly name: string;
  readonly implies: readonly string[];
}

export interface FlagState {
  readonly name: string;
  readonly value: Bit;
  readonly origin: Origin;
  /** Every flag that is 1 and implies this one, in rule order (whether or not it set the value). */
  readonly impliedBy: readonly string[];
}

/**
 * A flag make leaves at 0 although a flag that is 1 implies it: the 0 was defined before the
 * implying rule was read (on the command line, in the profile, or by an earlier `?= 0`).
 */
export interface Conflict {
  readonly flag: string;
  readonly origin: Origin;
  readonly impliers: readonly string[];
}

export interface DriverResolution {
  /** In rule (base.mk) order. */
  readonly flags: readonly FlagState[];
  readonly byName: ReadonlyMap<string, FlagState>;
  readonly conflicts: readonly Conflict[];
}

interface Slot {
  value: Bit;
  origin: Origin;
  impliedBy: string[];
}

const COMMAND_LINE: Origin = { kind: 'command-line' };
const DEFAULT: Origin = { kind: 'default' };

export function resolveDrivers(rules: readonly Rule[], assignments: readonly Assignment[], overrides: ReadonlyMap<string, Bit>): DriverResolution {
  const slots = new Map<string, Slot>();
  for (const [name, value] of overrides) slots.set(name, { value, origin: COMMAND_LINE, impliedBy: [] });
  for (const a of assignments) {
    if (!slots.has(a.flag)) slots.set(a.flag, { value: a.value, origin: { kind: 'profile', profile: a.profile, via: a.via }, impliedBy: [] });
  }
  for (const rule of rules) {
    let slot = slots.get(rule.name);
    if (slot === undefined) {
      slot = { value: 0, origin: DEFAULT, impliedBy: [] };
      slots.set(rule.name, slot);
    }
    if (slot.value !== 1) continue;
    for (const target of rule.implies) {
      const implied = slots.get(target);
      if (implied === undefined) slots.set(target, { value: 1, origin: { kind: 'implied', by: rule.name }, impliedBy: [rule.name] });
      else implied.impliedBy.push(rule.name);
    }
  }
  const flags: FlagState[] = [];
  const byName = new Map<string, FlagState>();
  const conflicts: Conflict[] = [];
  for (const rule of rules) {
    const slot = slots.get(rule.name) as Slot;
    const state: FlagState = { name: rule.name, value: slot.value, origin: slot.origin, impliedBy: slot.impliedBy };
    flags.push(state);
    byName.set(rule.name, state);
    if (slot.value === 0 && slot.impliedBy.length > 0) conflicts.push({ flag: rule.name, origin: slot.origin, impliers: slot.impliedBy });
  }
  return { flags, byName, conflicts };
}
