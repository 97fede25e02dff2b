// A small declarative argv parser: --name=value / --name value, boolean flags, NAME=VALUE
// settings and a leading command word. Unknown flags get a "did you mean".

import { ok, usage, type Result } from '../core/result.js';
import { didYouMean } from '../core/suggest.js';

export interface FlagSpec {
  readonly name: string;
  readonly value?: string;
  /** May be given more than once; every value is kept, in order (ParsedArgs.lists). */
  readonly repeatable?: boolean;
  readonly short?: string;
  readonly help: string;
}

export const FLAGS = [
  { name: 'arch', value: 'ARCH', help: 'target arch (default x64)' },
  { name: 'mode', value: 'MODE', help: 'release or debug (default release); names build/<mode>.<arch>' },
  { name: 'profile', value: 'NAME', help: 'driver profile (default all); same as conf_drivers_profile=NAME' },
  { name: 'profiles-dir', value: 'DIR', help: 'more profiles, laid out as DIR/<arch>/<name>.json; they win over built-in ones of the same name' },
  {
    name: 'load',
    value: 'FILE',
    repeatable: true,
    help: 'start from a saved configuration (conf/osvconf/<mode>.<arch>.osvconf) or a Kconfig .config; several are applied in order, later wins, then the command line; what was overridden is reported',
  },
  { name: 'print', value: 'ARTIFACT', help: 'write one artifact to stdout, nothing to disk' },
  { name: 'out', value: 'DIR', help: 'write the artifacts into DIR, laid out as an OSv tree (symbols: the version script file)' },
  { name: 'minimal', help: 'the saved configuration holds only what differs from the profile and Kconfig defaults (like savedefconfig)' },
  { name: 'full', help: 'the saved configuration writes every value out (independent of the defaults)' },
  { name: 'dry-run', help: 'with --out: show what would be written, with a diff against the disk, and write nothing' },
  { name: 'keep', value: 'SYM,...', help: 'symbols: keep these too (for dlsym() users)' },
  { name: 'keep-file', value: 'FILE', help: 'symbols: keep the symbols listed in FILE, one per line' },
  { name: 'compare', value: 'PROFILE', help: 'size: the baseline profile (symbols visible), or none (default: all)' },
  { name: 'elf', value: 'FILE', help: 'size: measure a real kernel ELF file and show it beside the estimate' },
  {
    name: 'calibrate',
    value: 'DIR',
    help: "size: measure your build DIR (build/<mode>.<arch>, built with this selection) and shift later estimates by the model's error on it (stored in DIR/osvconf-size.json)",
  },
  {
    name: 'html',
    value: 'FILE',
    help: 'size: write a self-contained page with a treemap of the kernel by component (estimate, and the measurement with --elf)',
  },
  {
    name: 'calibration',
    value: 'FILE',
    help: "size: the calibration to use or write (default: the tree's build/<mode>.<arch>/osvconf-size.json when there is one)",
  },
  { name: 'to', value: 'DIR', help: 'import: where to write the profiles (default ./profiles)' },
  { name: 'in', value: 'FILE', help: 'get, set: the saved configuration to read (and, for set, to write); from: the file holding the command line' },
  { name: 'vm', value: 'VM', help: 'run-args: qemu (default) or firecracker' },
  { name: 'enable-pci', help: 'from firecracker: Firecracker runs with --enable-pci (its devices on PCI)' },
  { name: 'name', value: 'NAME', help: 'the name of the custom profile (default: the profile, or <profile>-custom with driver settings)' },
  {
    name: 'memory',
    value: 'LEVEL',
    help: "tailor: also set the memory tunables of a named level (minimal: OSv's hand-tuned hello example), each with what it risks",
  },
  { name: 'json', help: 'machine-readable output on stdout' },
  {
    name: 'force',
    help: "keep make's result for conflicting settings (with a warning) instead of refusing; with --out, also replace files osvconf did not write and write into a directory that is not an OSv checkout",
  },
  { name: 'strict', help: 'treat pitfalls (combinations that build but break) and requested values that do not take as errors' },
  { name: 'help', short: 'h', help: 'show help' },
  { name: 'version', short: 'V', help: 'show the version' },
] as const satisfies readonly FlagSpec[];

/** Every flag's name, as a type: the command table and the commands name flags only from here. */
export type FlagName = (typeof FLAGS)[number]['name'];

export const COMMANDS = ['list', 'explain', 'import', 'symbols', 'tailor', 'size', 'diff', 'get', 'set', 'serve', 'from', 'run-args', 'tui', 'help'] as const;
export type Command = (typeof COMMANDS)[number] | 'configure';

export interface ParsedArgs {
  readonly command: Command;
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
  /** Command operands and NAME=VALUE settings, in order. */
  readonly positionals: readonly string[];
  /** Every value of a repeatable flag, in order (`values` holds the last). */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** How many positionals came before `--` (what follows is another program's command line), if given. */
  readonly dashDash?: number;
}

export function parseArgs(argv: readonly string[]): Result<ParsedArgs> {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  const lists = new Map<string, string[]>();
  let dashDash: number | undefined;
  let command: Command = 'configure';
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      if (command === 'configure' && positionals.length === 0 && (COMMANDS as readonly string[]).includes(arg)) command = arg as Command;
      else positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      dashDash ??= positionals.length;
      continue;
    }
    const long = arg.startsWith('--');
    const eq = arg.indexOf('=');
    const key = long ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1);
    const spec: FlagSpec | undefined = FLAGS.find((f: FlagSpec) => (long ? f.name === key : f.short === key));
    if (spec === undefined) {
      const names = FLAGS.map((f) => `--${f.name}`);
      return usage(`unknown option ${long ? `--${key}` : arg}${didYouMean(long ? `--${key}` : arg, names)}`, 'osvconf --help lists the options');
    }
    if (spec.value === undefined) {
      if (long && eq >= 0) return usage(`--${spec.name} takes no value`, `write --${spec.name} alone`);
      switches.add(spec.name);
      continue;
    }
    let value: string | undefined;
    if (long && eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '') return usage(`--${spec.name} needs a value`, `write --${spec.name}=${spec.value}`);
    const before = values.get(spec.name);
    if (spec.repeatable === true) lists.set(spec.name, [...(lists.get(spec.name) ?? []), value]);
    else if (before !== undefined && before !== value) return usage(`--${spec.name} given twice (${before} and ${value})`, `give --${spec.name} once`);
    values.set(spec.name, value);
  }
  // A first word that is no setting (no "=") but close to a command name is a mistyped command.
  const first = positionals[0];
  if (command === 'configure' && first !== undefined && !first.includes('=') && (dashDash === undefined || dashDash > 0)) {
    const near = didYouMean(first, COMMANDS);
    if (near !== '') return usage(`unknown command "${first}"${near}`, 'osvconf --help lists the commands');
  }
  if (command === 'help' && positionals[0] !== undefined && !(COMMANDS as readonly string[]).includes(positionals[0]))
    return usage(`no help for "${positionals[0]}": not a command${didYouMean(positionals[0], COMMANDS)}`, 'osvconf --help lists the commands');
  return ok({ command, values, switches, positionals, lists, ...(dashDash === undefined ? {} : { dashDash }) });
}

/** Refuses flags that mean nothing to the command, rather than ignoring them. */
export function allowOnly(args: ParsedArgs, allowed: readonly string[], what: string): Result<ParsedArgs> {
  for (const name of [...args.values.keys(), ...args.switches]) {
    if (!allowed.includes(name) && name !== 'help')
      return usage(`--${name} does not apply to ${what}`, `osvconf ${args.command === 'configure' ? '' : args.command + ' '}--help lists what does`);
  }
  return ok(args);
}
