// The one table of commands: the flags each takes, what runs it and its --help. Parsing refuses
// any other flag for the command (allowOnly), dispatch and help come from here, and a test checks
// that every flag a command takes is in its help.

import type { Result } from '../core/result.js';
import type { FlagName, ParsedArgs } from './args.js';
import { run as configure } from './commands/configure.js';
import { run as explain } from './commands/explain.js';
import { run as importTree } from './commands/import.js';
import { run as list } from './commands/list.js';
import { run as size } from './commands/size.js';
import { run as symbols } from './commands/symbols.js';
import { run as tailor } from './commands/tailor.js';
import { run as diff } from './commands/diff.js';
import { runGet, runSet } from './commands/get-set.js';
import { run as serve } from './commands/serve.js';
import { run as fromVm } from './commands/from.js';
import {
  diffHelp,
  explainHelp,
  fromHelp,
  getHelp,
  importHelp,
  listHelp,
  mainHelp,
  runArgsHelp,
  serveHelp,
  setHelp,
  sizeHelp,
  symbolsHelp,
  tailorHelp,
  tuiHelp,
} from './help.js';
import { run as runArgs } from './commands/run-args.js';
import type { CommandOutput } from './output.js';

/** What a command may know of the process it runs in: given, never read from process.* (tests run commands in process). */
export interface RunContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: boolean;
  /** Standard input, for a command that reads requests (osvconf serve); opened only when called. */
  readonly stdin?: () => AsyncIterable<Buffer | string>;
  /** Writes to stdout at once, for a command that answers as it goes (given by main). */
  readonly emit?: (text: string) => void;
}

export interface CommandSpec {
  /** How a message names it: `osvconf` or `osvconf list`. */
  readonly title: string;
  readonly flags: readonly FlagName[];
  readonly run: (args: ParsedArgs, context: RunContext) => Promise<Result<CommandOutput>>;
  readonly help: (flags: readonly FlagName[]) => string;
}

/** The flags of a selection (the scripted command, explain, size, the configurator). */
const SELECTION: readonly FlagName[] = ['arch', 'mode', 'profile', 'profiles-dir', 'load', 'force', 'strict'];

export type ScriptedCommand =
  'configure' | 'list' | 'explain' | 'import' | 'symbols' | 'tailor' | 'size' | 'diff' | 'get' | 'set' | 'serve' | 'from' | 'run-args';

export const COMMAND_TABLE: Readonly<Record<ScriptedCommand, CommandSpec>> = {
  configure: { title: 'osvconf', flags: [...SELECTION, 'print', 'out', 'dry-run', 'name', 'minimal', 'full', 'json'], run: configure, help: () => mainHelp() },
  list: { title: 'osvconf list', flags: ['arch', 'mode', 'profiles-dir', 'json'], run: list, help: listHelp },
  explain: { title: 'osvconf explain', flags: [...SELECTION, 'json'], run: explain, help: explainHelp },
  import: { title: 'osvconf import', flags: ['to', 'dry-run', 'force', 'json'], run: importTree, help: importHelp },
  symbols: { title: 'osvconf symbols', flags: ['arch', 'keep', 'keep-file', 'out', 'force', 'json', 'strict'], run: symbols, help: symbolsHelp },
  tailor: { title: 'osvconf tailor', flags: [...SELECTION, 'print', 'out', 'dry-run', 'name', 'memory', 'json'], run: tailor, help: tailorHelp },
  size: { title: 'osvconf size', flags: [...SELECTION, 'compare', 'elf', 'calibrate', 'calibration', 'html', 'out', 'json'], run: size, help: sizeHelp },
  diff: { title: 'osvconf diff', flags: ['arch', 'mode', 'profile', 'profiles-dir', 'force', 'json'], run: diff, help: diffHelp },
  get: { title: 'osvconf get', flags: ['in', 'arch', 'mode', 'profiles-dir', 'force', 'json'], run: runGet, help: getHelp },
  set: { title: 'osvconf set', flags: ['in', 'arch', 'mode', 'profiles-dir', 'force', 'strict'], run: runSet, help: setHelp },
  serve: { title: 'osvconf serve', flags: [], run: serve, help: serveHelp },
  from: {
    title: 'osvconf from',
    flags: ['arch', 'mode', 'profiles-dir', 'in', 'enable-pci', 'print', 'out', 'dry-run', 'name', 'minimal', 'full', 'json', 'force', 'strict'],
    run: fromVm,
    help: fromHelp,
  },
  'run-args': { title: 'osvconf run-args', flags: [...SELECTION, 'vm', 'json'], run: runArgs, help: runArgsHelp },
};

/** What the configurator takes (osvconf tui ...). */
export const TUI_FLAGS: readonly FlagName[] = ['arch', 'mode', 'profile', 'profiles-dir', 'load', 'out', 'name'];

export function helpText(command: string | undefined): string {
  if (command === 'tui') return tuiHelp(TUI_FLAGS);
  const spec = command !== undefined && Object.hasOwn(COMMAND_TABLE, command) ? COMMAND_TABLE[command as ScriptedCommand] : COMMAND_TABLE.configure;
  return spec.help(spec.flags);
}
