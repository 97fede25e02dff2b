// Every artifact osvconf can produce: its name for --print, where --out puts it in an OSv tree
// (none: --print only), its pure renderer, and notes to show the user with it.

import { customProfile } from '../core/custom-profile.js';
import type { Selection, Warning } from '../core/select.js';
import { buildCommandNotes, renderBuildCommand } from './build-command.js';
import { renderDriversConfigH } from './drivers-config-h.js';
import { choiceNotes, renderDotConfig, renderKernelConfigH, renderKernelConfMk } from './kconfig-files.js';
import { renderBaseMk, renderProfileMk } from './make-files.js';
import { renderConfiguration } from './configuration.js';
import { buildDir, dotConfigPath, profilePath, savedConfigPath } from '../core/tree-layout.js';
import { SAVED_MARKER } from '../core/saved-config.js';

export interface Artifact {
  readonly name: string;
  readonly description: string;
  /** Path inside an OSv checkout, with / separators; undefined when --out does not write it. */
  path(selection: Selection): string | undefined;
  render(selection: Selection): string;
  notes(selection: Selection): Warning[];
  /** For an artifact with a path: whether an existing file there is one osvconf (or OSv's generator of the same file) wrote; only such a file is replaced. */
  owns?(existing: string): boolean;
  /** Its path comes from the custom profile's name: under another name it is another file. */
  readonly namedByProfile?: true;
}

const none = (): Warning[] => [];
/** Written by OSv's generators and by osvconf alike, byte for byte: derived files, safe to replace. */
const generatedC = (text: string): boolean => text.startsWith('/* This file is generated automatically. */\n');
const kconfigFile = (text: string): boolean => text.startsWith('#\n# Automatically generated file; DO NOT EDIT.\n');
const profileByOsvconf = (text: string): boolean => /^# OSv driver profile "[^"\n]*" for [a-z0-9_]+, written by osvconf /.test(text);

export const ARTIFACTS: readonly Artifact[] = [
  {
    name: 'drivers_config.h',
    description: 'the CONF_drivers_* header, as scripts/gen-drivers-config-header writes it',
    path: (s) => `${buildDir(s.request)}/gen/include/osv/drivers_config.h`,
    render: renderDriversConfigH,
    notes: none,
    owns: generatedC,
  },
  {
    name: 'profile.mk',
    description: "a custom driver profile in OSv's form: the drivers that are on (--name names it)",
    path: (s) => (customProfile(s).needsFile ? profilePath(s.request.arch, customProfile(s).name) : undefined),
    render: renderProfileMk,
    notes: none,
    owns: profileByOsvconf,
    namedByProfile: true,
  },
  {
    name: 'base.mk',
    description: "the arch's driver rules in the form of OSv's base.mk (--print only: OSv has its own)",
    path: () => undefined,
    render: renderBaseMk,
    notes: none,
  },
  {
    name: '.config',
    description: "the Kconfig file, as OSv's Kconfig tools write it; the build's conf_dot_file=",
    path: (s) => dotConfigPath(s.request),
    render: renderDotConfig,
    notes: choiceNotes,
    owns: kconfigFile,
  },
  {
    name: 'kernel_config.h',
    description: "the Kconfig autoheader (#define CONF_<option> ...); OSv's make derives it from conf_dot_file",
    path: () => undefined,
    render: renderKernelConfigH,
    notes: choiceNotes,
  },
  {
    name: 'kernel_conf.mk',
    description: "the make variables OSv's conf/Makefile derives from .config (OSv's make writes it)",
    path: () => undefined,
    render: renderKernelConfMk,
    notes: choiceNotes,
  },
  {
    name: 'configuration',
    description: 'the saved configuration: the whole selection, read back by --load and the configurator',
    path: (s) => savedConfigPath(s.request),
    render: renderConfiguration,
    notes: none,
    owns: (text) => text.startsWith(SAVED_MARKER),
  },
  {
    name: 'build-command',
    description: 'the ./scripts/build line that builds this selection (--out prints it last)',
    path: () => undefined,
    render: renderBuildCommand,
    notes: buildCommandNotes,
  },
];

export function findArtifact(name: string): Artifact | undefined {
  return ARTIFACTS.find((a) => a.name === name);
}

/** Notes of several artifacts, each said once. */
export function notesOf(artifacts: readonly Artifact[], selection: Selection): Warning[] {
  const seen = new Map<string, Warning>();
  for (const a of artifacts) for (const n of a.notes(selection)) if (!seen.has(n.code)) seen.set(n.code, n);
  return [...seen.values()];
}
