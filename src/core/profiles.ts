// Flattens a profile into the `?=` assignments make would see, in order: every include expanded
// in place (recursively), then the profile's own sets. An alias (OSv's microvm.mk symlink) is
// the file it points to.

import type { Bit, Profile } from './catalog.js';
import { fail, ok, type Result } from './result.js';
import { didYouMean } from './suggest.js';

/** Where profiles come from; io/ implements it over the built-in and user directories. */
export interface ProfileSource {
  readonly arch: string;
  /** Every profile name available for this arch. */
  names(): readonly string[];
  /** The profile, undefined when there is none of that name, or an error if its file is bad. */
  get(name: string): Result<Profile | undefined>;
  /** Other arches that have a profile of this name (for "exists on x64" hints). */
  elsewhere(name: string): readonly string[];
}

export interface Assignment {
  readonly flag: string;
  readonly value: Bit;
  /** The profile whose file holds the assignment. */
  readonly profile: string;
  /** The include path from the selected profile down to `profile` (empty when it is the selected one). */
  readonly via: readonly string[];
}

export interface ExpandedProfile {
  readonly profile: Profile;
  /** The profile whose content is used (differs from profile.name for an alias). */
  readonly target: string;
  readonly assignments: readonly Assignment[];
}

export function unknownProfile<T>(name: string, source: ProfileSource, context = ''): Result<T> {
  const other = source.elsewhere(name);
  if (other.length > 0) {
    return fail(
      `${context}profile "${name}" does not exist on ${source.arch} (it exists on ${other.join(', ')})`,
      `pick another profile or --arch=${other[0]}; osvconf list profiles --arch=${source.arch} shows them`,
    );
  }
  return fail(
    `${context}unknown profile "${name}" for ${source.arch}${didYouMean(name, source.names())}`,
    `osvconf list profiles --arch=${source.arch} shows the available profiles`,
  );
}

/** Deeper include chains are refused (OSv's own nest two deep); so is an expansion of more
 * profile files than this in all (includes that fan out again and again, as make would read them). */
export const MAX_INCLUDE_DEPTH = 64;
export const MAX_INCLUDED = 10_000;

export function expandProfile(name: string, source: ProfileSource): Result<ExpandedProfile> {
  const top = source.get(name);
  if (!top.ok) return top;
  if (top.value === undefined) return unknownProfile(name, source);
  const assignments: Assignment[] = [];
  // The chain of profiles being expanded, to name a whole include cycle. The recursion is bounded
  // by MAX_INCLUDE_DEPTH, so no file can exhaust the stack.
  const stack: string[] = [];
  const onStack = new Set<string>();
  let included = 0;

  const visit = (profile: Profile, via: readonly string[]): Result<string> => {
    if (onStack.has(profile.name)) {
      const cycle = [...stack.slice(stack.indexOf(profile.name)), profile.name];
      return fail(`profile include cycle: ${cycle.join(' -> ')}`, 'remove one of these includes (make would include them forever)');
    }
    if (stack.length >= MAX_INCLUDE_DEPTH)
      return fail(
        `profile ${name}: includes nested more than ${MAX_INCLUDE_DEPTH} deep (${stack.slice(0, 3).join(' -> ')} -> ...)`,
        "flatten the profiles: OSv's own nest two deep",
      );
    if (++included > MAX_INCLUDED)
      return fail(
        `profile ${name}: its includes expand to more than ${MAX_INCLUDED} profile files`,
        'include each profile once: make reads an included file again every time it is named',
      );
    stack.push(profile.name);
    onStack.add(profile.name);
    const done = profile.aliasOf === undefined ? visitFile(profile, via) : visitAlias(profile, profile.aliasOf, via);
    stack.pop();
    onStack.delete(profile.name);
    return done;
  };

  const visitAlias = (profile: Profile, aliasOf: string, via: readonly string[]): Result<string> => {
    const target = source.get(aliasOf);
    if (!target.ok) return target;
    if (target.value === undefined) return unknownProfile(aliasOf, source, `${profile.source}: /alias_of: `);
    return visit(target.value, via);
  };

  const visitFile = (profile: Profile, via: readonly string[]): Result<string> => {
    for (const [i, inc] of profile.includes.entries()) {
      const child = source.get(inc);
      if (!child.ok) return child;
      if (child.value === undefined) return unknownProfile(inc, source, `${profile.source}: /includes/${i}: `);
      const done = visit(child.value, [...via, child.value.name]);
      if (!done.ok) return done;
    }
    for (const [flag, value] of profile.sets) assignments.push({ flag, value, profile: profile.name, via });
    return ok(profile.name);
  };

  const target = visit(top.value, []);
  if (!target.ok) return target;
  return ok({ profile: top.value, target: target.value, assignments });
}
