// A miniature OSv tree for real GNU make: base.mk and profile .mk files written from the catalog
// in OSv's own form, the main Makefile's include order (§2.3), and the header generator's
// algorithm (§2.5) as a shell + awk script. Make, not osvconf, decides the values here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './cli.js';

interface RawDriver {
  name: string;
  implies: string[];
}
interface RawProfile {
  alias_of?: string;
  includes?: string[];
  sets?: Record<string, number>;
}

export function rawDrivers(arch: string): RawDriver[] {
  return JSON.parse(readFileSync(join(ROOT, 'conf', arch, 'drivers.json'), 'utf8')).drivers;
}

export function rawProfiles(arch: string): Map<string, RawProfile> {
  const dir = join(ROOT, 'profiles', arch);
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(join(dir, f), 'utf8'))]),
  );
}

const GENERATOR = `#!/bin/sh
# The algorithm of OSv's scripts/gen-drivers-config-header (osv-facts 2.5), re-stated.
if [ "$#" -ne 2 ]; then echo "usage: $0 <arch> <output>" >&2; exit 1; fi
base="$(dirname "$0")/../conf/profiles/$1/base.mk"
tmp=$(mktemp)
{
  echo '/* This file is generated automatically. */'
  echo '#ifndef OSV_DRIVERS_CONFIG_H'
  echo '#define OSV_DRIVERS_CONFIG_H'
  echo
  grep 'export conf' "$base" | sed -e 's/^[^_]*_//' -e 's/?.*$//' | LC_ALL=C sort | uniq |
    awk '{ print "#define CONF_" $0 " " ENVIRON["conf_" $0] }'
  echo
  echo '#endif'
} > "$tmp"
if cmp -s "$tmp" "$2"; then rm -f "$tmp"; else mkdir -p "$(dirname "$2")"; mv "$tmp" "$2"; fi
`;

const MAKEFILE = `# Include order of OSv's main Makefile for the driver profile (osv-facts 2.3).
arch ?= x64
conf_drivers_profile ?= all
ifeq ($(wildcard conf/profiles/$(arch)/$(conf_drivers_profile).mk),)
$(error unsupported drivers profile $(conf_drivers_profile))
endif
include conf/profiles/$(arch)/$(conf_drivers_profile).mk
include conf/profiles/$(arch)/base.mk

.PHONY: header
header:
\t@sh scripts/gen-drivers-config-header $(arch) $(OUT)
`;

export function baseMk(drivers: readonly RawDriver[]): string {
  return drivers
    .map((d) => {
      let text = `export conf_drivers_${d.name}?=0\n`;
      if (d.implies.length > 0) text += `ifeq ($(conf_drivers_${d.name}),1)\n${d.implies.map((y) => `export conf_drivers_${y}?=1\n`).join('')}endif\n`;
      return text;
    })
    .join('\n');
}

export function profileMk(profile: RawProfile): string {
  const includes = (profile.includes ?? []).map((p) => `include conf/profiles/$(arch)/${p}.mk\n`).join('');
  const sets = Object.entries(profile.sets ?? {})
    .map(([k, v]) => `conf_drivers_${k}?=${v}\n`)
    .join('');
  return includes + sets;
}

/** A tree with only the Makefile and the header generator: the caller adds conf/profiles/. */
export function emptyMakeTree(): string {
  const dir = tempDir('osvconf-make-');
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'scripts', 'gen-drivers-config-header'), GENERATOR, { mode: 0o755 });
  writeFileSync(join(dir, 'Makefile'), MAKEFILE);
  return dir;
}

/** Writes the tree for the given arches from the catalog, in OSv's form; returns its directory. */
export function makeTree(arches: readonly string[]): string {
  const dir = emptyMakeTree();
  for (const arch of arches) {
    const pdir = join(dir, 'conf', 'profiles', arch);
    mkdirSync(pdir, { recursive: true });
    writeFileSync(join(pdir, 'base.mk'), baseMk(rawDrivers(arch)));
    for (const [name, profile] of rawProfiles(arch)) {
      // OSv's `base` profile is base.mk itself (selecting it includes the rules twice).
      if (name === 'base') {
        if (profile.includes?.length || Object.keys(profile.sets ?? {}).length) throw new Error('the base profile must be empty: it is base.mk');
        continue;
      }
      // OSv ships an alias (microvm) as a symlink to the file it stands for.
      if (profile.alias_of !== undefined) symlinkSync(`${profile.alias_of}.mk`, join(pdir, `${name}.mk`));
      else writeFileSync(join(pdir, `${name}.mk`), profileMk(profile));
    }
  }
  return dir;
}

let counter = 0;

/** Runs make with command-line variables and returns the header the generator wrote. */
export function makeHeader(tree: string, arch: string, profile: string, overrides: readonly string[]): string {
  const out = join(tree, 'out', `h${counter++}`, 'drivers_config.h');
  execFileSync('make', ['-s', '-C', tree, 'header', `arch=${arch}`, `conf_drivers_profile=${profile}`, `OUT=${out}`, ...overrides], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return readFileSync(out, 'utf8');
}

/** Parses `#define CONF_drivers_x v` lines back into values. */
export function headerValues(header: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const m of header.matchAll(/^#define CONF_drivers_(\w+) (.*)$/gm)) values.set(m[1] as string, m[2] as string);
  return values;
}
