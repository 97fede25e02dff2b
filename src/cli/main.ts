// The one exit point of the CLI: parses argv, runs a command (all but the scripted path loaded
// lazily, so it never loads what it does not use), and turns errors into a message and an exit code.

import { writeSync } from 'node:fs';
import type { OsvError, Remedy, Result } from '../core/result.js';
import type { Warning } from '../core/select.js';
import { VERSION } from '../generated/version.js';
// The commands are small and bundled with main (through the command table), so that a run loads
// one file. What is big and rarely needed stays behind a dynamic import(): the schema
// validators, the diff of --dry-run (and the TUI).
import { allowOnly, parseArgs, type FlagName, type ParsedArgs } from './args.js';
import { COMMAND_TABLE, helpText, TUI_FLAGS, type CommandSpec, type RunContext } from './command-table.js';
import { errnoWords } from '../io/read-file.js';
import { printable, type CommandOutput } from './output.js';
import { terminalText } from '../core/format.js';

export interface Streams {
  /** Writes to stdout; a failure (a full disk, a closed stream) is thrown as an errno error. */
  out(text: string): void;
  /** Writes to stderr; a failure is ignored: a warning that cannot be shown must not stop the run. */
  err(text: string): void;
}

/**
 * Writes straight to the file descriptor: touching process.stdout would set up Node's stream
 * machinery, a measurable part of a scripted run's start-up. A pipe the reader has not drained
 * yet answers EAGAIN: wait a moment and go on.
 */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let done = 0; done < bytes.length;) {
    try {
      done += writeSync(fd, bytes, done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return; // the reader went away (`osvconf ... | head`): nothing more to say
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

const processStreams: Streams = {
  out: (text) => writeAll(1, text),
  err: (text) => {
    try {
      writeAll(2, text);
    } catch {
      // nowhere left to say it
    }
  },
};

/** stdout could not take the output: say so on stderr and fail, rather than lose it silently. */
function outputFailed(e: unknown, streams: Streams, wroteFiles: boolean): number {
  const why = errnoWords(e);
  streams.err(`osvconf: error: cannot write the output: ${why}\n${wroteFiles ? '  hint: the files were written; only this report was lost\n' : ''}`);
  return EXIT_USER;
}

export const EXIT_OK = 0;
export const EXIT_USER = 1;
export const EXIT_USAGE = 2;

/** A refusal's remedies (core/result.ts) as the flags that do them. */
const REMEDY_FLAGS: Record<Remedy, { flag: FlagName; words: string }> = {
  name: { flag: 'name', words: 'choose another name (--name)' },
  out: { flag: 'out', words: 'choose another --out' },
  force: { flag: 'force', words: 'give --force to replace it' },
};

/** The hint, with the remedies the command's own flags do (a command without --name is not told to use it). */
function hintOf(error: OsvError, flags: readonly FlagName[]): string | undefined {
  const remedies = (error.remedies ?? []).filter((r) => flags.includes(REMEDY_FLAGS[r].flag)).map((r) => REMEDY_FLAGS[r].words);
  const all = [...(error.hint === undefined ? [] : [error.hint]), ...remedies];
  return all.length === 0 ? undefined : all.join(', or ');
}

/** The error as --json prints it: { "error": { kind, message, details, hint } }. */
function jsonError(error: OsvError, flags: readonly FlagName[]): string {
  const hint = hintOf(error, flags);
  return `${JSON.stringify({ error: { kind: error.kind, message: error.message, ...(error.details === undefined ? {} : { details: error.details }), ...(hint === undefined ? {} : { hint }) } }, null, 2)}\n`;
}

/** A --json object gets the warnings too (they also go to stderr, as text). */
function withWarnings(stdout: string, warnings: readonly Warning[]): string {
  if (warnings.length === 0) return stdout;
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return stdout;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return stdout;
  return `${JSON.stringify({ ...value, warnings: warnings.map((w) => ({ code: w.code, level: w.level ?? 'warning', message: w.message, ...(w.hint === undefined ? {} : { hint: w.hint }) })) }, null, 2)}\n`;
}

function writeQuietly(streams: Streams, text: string): void {
  try {
    streams.out(text);
  } catch {
    // the error is on stderr already
  }
}

/** At most this many detail lines of one error (the rest are counted). */
const MAX_DETAILS = 50;

// Messages quote user input (values, file contents): control characters are shown escaped and
// each line is clipped, so that a terminal never receives an escape sequence from a file.
function formatError(error: OsvError, flags: readonly FlagName[] = []): string {
  let text = `osvconf: error: ${printable(error.message)}\n`;
  const details = error.details ?? [];
  for (const line of details.slice(0, MAX_DETAILS)) text += `  ${printable(line)}\n`;
  if (details.length > MAX_DETAILS) text += `  ... and ${details.length - MAX_DETAILS} more\n`;
  const hint = hintOf(error, flags);
  if (hint !== undefined) text += `  hint: ${printable(hint)}\n`;
  return text;
}

function formatWarning(w: Warning): string {
  return `osvconf: ${w.level ?? 'warning'}: ${printable(w.message)}\n` + (w.hint === undefined ? '' : `  hint: ${printable(w.hint)}\n`);
}

/** The command's row of the table (help and tui are handled before dispatch). */
function commandSpec(args: ParsedArgs): CommandSpec {
  return COMMAND_TABLE[args.command === 'help' || args.command === 'tui' ? 'configure' : args.command];
}

function dispatch(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  const spec = commandSpec(args);
  const allowed = allowOnly(args, spec.flags, spec.title);
  return allowed.ok ? spec.run(args, context) : Promise.resolve(allowed);
}

/** The context with `emit` added, its getters left unread (isTTY costs start-up time). */
function withEmit(context: RunContext, streams: Streams): RunContext {
  return Object.create(context, { emit: { value: (text: string) => streams.out(text), enumerable: true } }) as RunContext;
}

function helpFor(args: ParsedArgs): string {
  return helpText(args.command === 'help' ? args.positionals[0] : args.command);
}

/** The process this CLI runs in, read once here: commands are given it. */
function processContext(): RunContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    // Asked only when it matters (no arguments, or the configurator): touching process.stdin sets
    // up its stream and loads the tty module, a measurable part of a scripted run's start-up.
    get isTTY() {
      return process.stdin.isTTY === true && process.stdout.isTTY === true;
    },
    stdin: () => process.stdin,
  };
}

export async function main(argv: readonly string[], streams: Streams = processStreams, context: RunContext = processContext()): Promise<number> {
  try {
    const parsed = parseArgs(argv);
    if (!parsed.ok) {
      streams.err(formatError(parsed.error));
      return EXIT_USAGE;
    }
    const args = parsed.value;
    if (args.switches.has('version') || args.switches.has('help') || args.command === 'help') {
      try {
        streams.out(args.switches.has('version') ? `osvconf ${VERSION}\n` : helpFor(args));
      } catch (e) {
        return outputFailed(e, streams, false);
      }
      return EXIT_OK;
    }
    // On a terminal, `osvconf` alone (or `osvconf tui`) opens the configurator; ink and react
    // are loaded only then.
    if (args.command === 'tui' || (argv.length === 0 && context.isTTY)) {
      const allowed = allowOnly(args, TUI_FLAGS, 'osvconf tui');
      if (!allowed.ok) {
        streams.err(formatError(allowed.error));
        return EXIT_USAGE;
      }
      // Something on the screen at once: the configurator's bundle takes a moment to load. On
      // the alternate screen (tui/screen.ts), the cursor left home for the first frame.
      if (context.isTTY) process.stdout.write('\x1b[?1049h\x1b[H\x1b[2Josvconf: loading the configurator...\x1b[H');
      const { runTui } = await import('./tui.js');
      const code = await runTui(args, context, (text) => streams.out(terminalText(text)));
      if (!code.ok) {
        streams.err(formatError(code.error, TUI_FLAGS));
        return code.error.kind === 'usage' ? EXIT_USAGE : EXIT_USER;
      }
      return code.value;
    }
    if (argv.every((a) => a === '--')) {
      // No terminal and no arguments: a script that forgot its flags. Never write by surprise.
      streams.err(
        formatError({
          kind: 'usage',
          message: 'no arguments, and no terminal for the configurator',
          hint: 'in scripts give the selection and --out=DIR or --print=ARTIFACT (osvconf --help)',
        }),
      );
      return EXIT_USAGE;
    }
    // A command that answers as it goes (osvconf serve) writes through main's streams.
    const result = await dispatch(args, args.command === 'serve' ? withEmit(context, streams) : context);
    const asJson = args.switches.has('json');
    if (!result.ok) {
      const flags = commandSpec(args).flags;
      streams.err(formatError(result.error, flags));
      // With --json a script reads the error on stdout too, as one object.
      if (asJson) writeQuietly(streams, jsonError(result.error, flags));
      return result.error.kind === 'usage' ? EXIT_USAGE : EXIT_USER;
    }
    for (const w of result.value.warnings) streams.err(formatWarning(w));
    try {
      // JSON escapes control characters itself; text is made safe for the terminal here, once.
      streams.out(asJson ? withWarnings(result.value.stdout, result.value.warnings) : terminalText(result.value.stdout));
    } catch (e) {
      return outputFailed(e, streams, result.value.wroteFiles === true);
    }
    return EXIT_OK;
  } catch (e) {
    // A bug, not bad input: say so plainly, without a stack trace unless asked for.
    streams.err(`osvconf: internal error: ${(e as Error).message}\n  hint: please report this; OSVCONF_DEBUG=1 shows the stack\n`);
    if (context.env['OSVCONF_DEBUG'] === '1') streams.err(`${(e as Error).stack ?? ''}\n`);
    return EXIT_USER;
  }
}
