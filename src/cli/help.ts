// The --help texts. Flag descriptions come from args.ts so the two cannot drift apart.

import { ARTIFACTS } from '../generators/artifacts.js';
import { FLAGS, type FlagName } from './args.js';

/** The flags' lines; `own`: what a flag means for this command where that differs from args.ts. */
function flagLines(names: readonly FlagName[], own: Partial<Record<FlagName, { value?: string; help: string }>> = {}): string {
  return FLAGS.filter((f) => names.includes(f.name))
    .map((f) => ({ ...(f as { name: FlagName; short?: string; value?: string; help: string }), ...own[f.name] }))
    .map((f) => {
      const left = `  ${f.short === undefined ? '    ' : `-${f.short}, `}--${f.name}${f.value === undefined ? '' : `=${f.value}`}`;
      return `${left.padEnd(28)}${f.help}`;
    })
    .join('\n');
}

/** osvconf tui --help: the configurator, its flags and its keys. */
export function tuiHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf tui [--arch=ARCH] [--mode=MODE] [--profile=NAME] [--load=FILE] [--out=DIR] [--name=NAME] [SETTING...]
       osvconf            (on a terminal, with no arguments)

Opens the menuconfig-style configurator on a terminal: drivers by group, symbol visibility,
filesystem and ZFS, every Kconfig menu, with the estimated kernel size beside them. In an OSv
checkout (or with --out=DIR) it starts from --load=FILE, else the tree's saved configuration,
else its build/<mode>.<arch>/.config; settings on the command line win. It saves into the tree
as --out does. Without a terminal it exits 2: in scripts, use the flags (osvconf --help).

Keys: arrows or j/k, Home/End, PgUp/PgDn move; a letter jumps; Enter/l opens; Esc/h goes back;
Space toggles, y/n set a bool; / searches (Ctrl-F: the match's help); ? explains; A shows every
option; C shows names; u undo, Ctrl-R redo; s save, D save minimal, S save as, O load; m the
message log; q quit (it asks when there are unsaved changes); Ctrl-C leaves, writing nothing.

${flagLines(flags)}
`;
}

export function mainHelp(): string {
  // The main help lists every flag: the scripted command takes most, the others are named by command.
  return `osvconf: configure an OSv kernel for one hypervisor and one application

Usage:
  osvconf [--load=FILE] [--arch=ARCH] [--mode=MODE] [--profile=NAME] [SETTING...] --print=ARTIFACT
  osvconf [selection as above] --out=DIR
  osvconf list profiles|drivers|options [--arch=ARCH] [--json]
  osvconf explain [NAME] [selection as above] [--json]
  osvconf import OSV_TREE [--to=DIR] [--dry-run] [--json]
  osvconf symbols APP.ELF|DIR|usr.manifest... [--arch=ARCH] [--keep=SYM,...] [--out=FILE] [--json]
  osvconf tailor APP... [selection as above] [--print=ARTIFACT|--out=DIR]   the smallest kernel for the app
  osvconf size [selection as above] [--compare=PROFILE|none] [--elf=FILE] [--json]
  osvconf diff A B [--json]                 two saved configurations or .config files, setting by setting
  osvconf get NAME... --in=FILE             values of settings in a saved configuration
  osvconf set NAME=VALUE... --in=FILE       change a saved configuration (checked like any command line)
  osvconf serve                            JSON requests on stdin, answers on stdout (editors, web UIs)
  osvconf from qemu|cloud-hypervisor [SETTING...] -- ARGS...   the smallest kernel for that VM
  osvconf from firecracker VM-CONFIG.json  the same for a Firecracker config
  osvconf run-args [selection] [--vm=qemu|firecracker]   a VM that exercises the selection's drivers
  osvconf                                  on a terminal: the interactive configurator
  osvconf tui [selection as above] [--out=DIR]   the configurator, starting from that selection
  (With arguments, osvconf is the scripted CLI on a terminal too. Without arguments and without
  a terminal it writes nothing and exits 2.)

Settings use OSv's own spelling, as ./scripts/build takes them:
  conf_drivers_<name>=0|1        turn one driver on or off (osvconf list drivers)
  conf_<option>=VALUE            a Kconfig option (osvconf list options); bools 0/1 or n/y,
                                 e.g. conf_hide_symbols=1 conf_tracepoints=0
  conf_drivers_profile=NAME      same as --profile (drivers_profile=NAME too)
  arch=ARCH  mode=MODE           same as --arch and --mode

Resolution follows OSv's make exactly: command line, then the profile's ?= lines (first wins),
then base.mk's defaults and implications in file order. osvconf is stricter than make: an
explicit 0 for a driver that another enabled driver needs is refused (--force keeps make's
result), and known pitfalls are warned about (--strict makes them errors).

Artifacts (--print) and where --out puts them:
${ARTIFACTS.map((a) => `  ${a.name.padEnd(20)}${a.description}`).join('\n')}
  --out=DIR writes into DIR laid out as an OSv tree, skipping files whose content is unchanged:
  conf/osvconf/<mode>.<arch>.osvconf (the saved configuration, read back by --load), the Kconfig
  file conf/osvconf/<mode>.<arch>.config (the build passes it as conf_dot_file=, and OSv's make
  derives .config, kernel_config.h, the per-option headers and kernel_conf.mk from it), the
  custom profile conf/profiles/<arch>/<name>.mk, and build/<mode>.<arch>/gen/include/osv/
  drivers_config.h; then it prints the build command. With neither --print nor --out, the
  current directory is used when it is an OSv checkout.

Options:
${flagLines(FLAGS.map((f) => f.name))}

Exit codes: 0 ok, 1 bad input (unknown name, bad value, conflict, unreadable file), 2 usage.

Examples:
  osvconf --profile=virtio-kvm --print=drivers_config.h
  osvconf --profile=virtio-mmio conf_drivers_virtio_rng=1 --name=myapp --out=path/to/osv
  osvconf import path/to/osv --to=my-profiles
  osvconf explain conf_drivers_pci --profile=virtio-pci
`;
}

export function listHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf list profiles|drivers|options [--arch=ARCH] [--mode=MODE] [--profiles-dir=DIR] [--json]

  profiles   the driver profiles of the arch, with the hypervisors they are for
  drivers    every conf_drivers_* flag in base.mk order, with its group and implications
  options    OSv's Kconfig options (conf_hide_symbols, conf_tracepoints, ...) with their
             defaults for the arch and --mode

${flagLines(flags)}
`;
}

export function explainHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf explain [NAME] [--arch=ARCH] [--profile=NAME] [SETTING...] [--json]

Explains NAME under the given selection: a driver (conf_drivers_<name>, CONF_drivers_<name> or <name>),
a Kconfig option (conf_<name> or <name>) or a profile. For a driver: its value, where the value came from
(default, profile, implied by another driver, command line), what implies it, and which
conflicts a change would cause. Without NAME: every setting with its value and origin.

${flagLines(flags)}
`;
}

export function importHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf import OSV_TREE [--to=DIR] [--dry-run] [--json]

Reads the driver profiles of an OSv tree (conf/profiles/<arch>/*.mk) and writes them as osvconf
profiles, DIR/<arch>/<name>.json (default DIR: ./profiles), for --profiles-dir=DIR. A file made
of includes and ?= lines keeps that structure; one that uses =, :=, ifeq/ifneq/ifdef or includes
base.mk is evaluated as make reads it (without command-line settings) and written flat. A
symlink (microvm.mk) becomes an alias. Profiles identical to a built-in one are not written.
An unsupported construct is reported as file:line; then nothing is written.

${flagLines(flags)}
`;
}

export function symbolsHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf symbols APP.ELF|DIR|usr.manifest... [--arch=ARCH] [--keep=SYM,...] [--keep-file=FILE]
                       [--out=FILE [--force]] [--json] [--strict]

Writes a kernel version script for one app: the dynamic symbols its ELF files (64-bit x86-64 or
aarch64 executables and shared objects) import that OSv's kernel exports, plus what OSv's own
vDSO needs, in OSv's format. Use it with conf_hide_symbols=1 conf_version_script=FILE: the kernel
then exports only these. A directory is searched for ELF files; a *.manifest file lists
"guest/path: host/path" lines. Symbols one of the given files defines are not needed from the
kernel. Reported: the symbols the app needs that the kernel does not export (it would fail to
load; --strict makes that an error) and calls to dlsym(), whose names only --keep can add.
Without --out the script goes to stdout and the report to stderr. --out replaces a file only if
it is a version script osvconf wrote (or with --force).

${flagLines(flags, {
  out: { value: 'FILE', help: 'write the version script to FILE instead of stdout (only over a version script osvconf wrote)' },
  force: { help: 'with --out, replace FILE even if osvconf did not write it' },
  strict: { help: 'fail when the app needs symbols the kernel does not export' },
})}
`;
}

export function tailorHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf tailor APP.ELF|DIR|usr.manifest... [--profile=NAME] [--load=FILE] [SETTING...]
                      [--print=ARTIFACT | --out=DIR [--dry-run]] [--json]

The smallest configuration for one app: your selection (a profile, settings, a --load file, or
what osvconf from derived from your VM) with every Kconfig option the app provably does not need
turned off, and symbols hidden with the app's version script. An option goes only when the app
imports none of the kernel symbols that exist only with it on, a statically linked app does not
need it for its system calls, and the kernel links without it (conf/<arch>/trim.json and
builds.json: measured in builds of OSv; pitfalls seen in builds are never tripped). The report
says, for each option, why it went or stayed, what it saves, and what breaks if the app needs it
after all. --out writes the tree's files and <app>.version_script; --print one artifact.

${flagLines(flags)}
`;
}

export function sizeHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf size [--arch=ARCH] [--profile=NAME] [SETTING...] [--compare=PROFILE|none] [--elf=FILE]
                    [--calibrate=DIR] [--calibration=FILE] [--html=FILE] [--json]

Estimates kernel-stripped.elf (loader-stripped.elf without its bootfs) for the selection: the
total, each component (sorted by size, with a bar), the difference from a baseline (default:
profile all with symbols visible), the uncertainty, and what else the image carries
(libsolaris.so for a ZFS filesystem). The model is conf/size/<arch>.json: component sizes follow
from their source sizes, calibrated on published OSv builds (npm run calibrate). With
conf_hide_symbols=1 and conf_version_script=FILE the script's symbol count is used (a relative
FILE is read from --out=DIR, the OSv tree, or the current directory).
--elf=FILE measures a real kernel ELF and shows it beside the estimate: with DWARF (OSv's
build/<mode>.<arch>/loader.elf) every byte by its source file, each file to a component by the
paths in conf/size/attribution.json; without, by symbol names (less exact; it says so).
--calibrate=DIR measures your own build of the selection (DIR/loader-stripped.elf, and each
component from DIR/loader.elf's DWARF) and stores it beside the build (or in --calibration=FILE):
later estimates in that tree start from it and say so. --html=FILE writes a self-contained page
with a treemap of the kernel by component (and of the measurement, with --elf).

${flagLines(flags)}
`;
}

export function diffHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf diff A B [--json]
       osvconf diff A [--profile=NAME] [SETTING...] [--json]

Compares two configurations, each a saved configuration (conf/osvconf/<mode>.<arch>.osvconf) or a
Kconfig .config (OSv's menuconfig, conf/examples/), or one of them with a selection given on the
command line (A's arch unless --arch says otherwise): every setting whose value differs, old -> new,
grouped by menu (drivers by group, Kconfig options by menu, build options), each with what that
change alone adds or saves in the kernel (estimated, applied to A), and the total. An app version
script named by conf_version_script is read from the current directory, as osvconf size does.

${flagLines(flags)}
`;
}

export function fromHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf from qemu [SETTING...] [flags] -- qemu-system-x86_64 ARGS...
       osvconf from cloud-hypervisor [SETTING...] [flags] -- cloud-hypervisor ARGS...
       osvconf from firecracker VM-CONFIG.json [SETTING...] [flags]
       (or --in=FILE holding the command line)

Derives the smallest driver selection for the VM that will run the kernel: each device of the
command line or config maps to the drivers it needs (conf/vm.json), the bus (PCI or virtio-mmio)
and, on x64, the clock (kvmclock under KVM, else the HPET or the Hyper-V clock). Devices OSv has no
driver for are named in warnings (the guest will not see them); what the kernel needs that the VM
does not offer is an error (no clock, no disk for a root filesystem read from one). Drivers a known
link failure of this OSv needs are added, with the reason.

Without --print or --out: every driver with why, the drivers the VM offers that are optional, the
nearest shipped profile and the difference, and the size against the default profile (--json too).
With --print=ARTIFACT or --out=DIR: the scripted command on the derived selection. SETTINGs
before -- (conf_hide_symbols=1, fs=rofs, ...) apply as on the command line.

${flagLines(flags)}
`;
}

export function runArgsHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf run-args [selection flags and settings] [--vm=qemu|firecracker] [--json]

Prints a QEMU command line (or a Firecracker config) with a device for each driver of the
selection, to check a kernel on a real VM; drivers it cannot exercise there are named in notes.
osvconf from qemu on the printed line gives the drivers back (a test checks every shipped profile).

${flagLines(flags)}
`;
}

export function serveHelp(): string {
  return `Usage: osvconf serve

A headless configuration server for editors and web UIs (like ESP-IDF's kconfserver): JSON on
stdin, one request per line; JSON on stdout, one answer per line. The first line it writes is
{"osvconf": VERSION, "protocol": 1, "methods": [...]}; a client checks "protocol".

Requests: {"id": ANY, "method": NAME, "params": {...}}
  load     {"files": [FILE...]}          start from saved configurations or .config files
  set      {"settings": {NAME: VALUE}}   OSv's spelling: conf_drivers_<name>, conf_<option>, fs,
                                         arch, mode, conf_drivers_profile
  reset    {"names": [NAME...]}          back to the profile's or Kconfig's value (all without names)
  values   {}                            every value (all count as changed)
  explain  {"name": NAME}                what osvconf explain says
  size     {}                            the size estimate (also in every answer)
  plan     {"out": DIR, "form": F}       the files a save would write, and which would change
  save     {"out": DIR, "form": F}       write them (as --out; F: given, minimal or full)
  quit     {}

Answers: {"id", "ok": true, "result", "changed": {NAME: {"value", "visible"}}, "warnings",
"size": {"kib", "uncertainty_pct", "components"}} with only the values that changed since the
last answer; or {"id", "ok": false, "error": {"kind", "message", "hint"}}, the session unchanged.
Paths are read relative to the directory it runs in.
`;
}

export function getHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf get NAME... --in=FILE [--json]

Prints NAME=VALUE for each setting in the selection a saved configuration (or a .config) makes,
whether the file sets it or it follows from the profile and the defaults. Names in OSv's spelling:
conf_drivers_<name>, conf_<option>, fs, conf_zfs, conf_drivers_profile, arch, mode.

${flagLines(flags)}
`;
}

export function setHelp(flags: readonly FlagName[]): string {
  return `Usage: osvconf set NAME=VALUE... --in=FILE

Changes a saved configuration: the file's settings with these over them, checked like any command
line (an unknown name, a bad value or a conflict is refused and nothing is written), then the
file is written back (only a file osvconf wrote is replaced; a missing one is created).

${flagLines(flags)}
`;
}
