// osvconf serve: the headless configuration server (app/serve-session.ts) on stdin and stdout,
// one JSON request per line, one JSON answer per line, until quit or the end of input. A line
// longer than MAX_REQUEST_BYTES is answered with an error and skipped, never buffered whole.

import { createSession } from '../../app/serve-session.js';
import { ok, usage, type Result } from '../../core/result.js';
import { VERSION } from '../../generated/version.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { output, type CommandOutput } from '../output.js';

export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Lines of the input; a line over the cap comes as `undefined` (its bytes dropped as they arrive). */
export async function* boundedLines(input: AsyncIterable<Buffer | string>, max: number): AsyncGenerator<string | undefined> {
  let pending: Buffer[] = [];
  let size = 0;
  let overlong = false;
  for await (const chunk of input) {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let nl = data.indexOf(10); ; nl = data.indexOf(10)) {
      const part = nl < 0 ? data : data.subarray(0, nl);
      if (!overlong) {
        if (size + part.length > max) [overlong, pending, size] = [true, [], 0];
        else [pending, size] = [[...pending, part], size + part.length];
      }
      if (nl < 0) break;
      yield overlong ? undefined : Buffer.concat(pending).toString('utf8');
      [pending, size, overlong] = [[], 0, false];
      data = data.subarray(nl + 1);
    }
  }
  if (overlong) yield undefined;
  else if (size > 0) yield Buffer.concat(pending).toString('utf8');
}

export async function run(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  if (args.positionals.length > 0) return usage('osvconf serve takes no operands', 'requests come on stdin, one JSON object per line');
  if (context.stdin === undefined || context.emit === undefined) return usage('osvconf serve needs its standard input and output');
  const emit = context.emit;
  const session = createSession(context.cwd, VERSION);
  emit(`${JSON.stringify(session.greeting)}\n`);
  for await (const line of boundedLines(context.stdin(), MAX_REQUEST_BYTES)) {
    if (line !== undefined && line.trim() === '') continue;
    const { answer, quit } =
      line === undefined
        ? {
            answer: {
              id: null,
              ok: false,
              error: { kind: 'usage', message: `a request longer than ${MAX_REQUEST_BYTES} bytes`, hint: 'one request per line' },
            },
            quit: false,
          }
        : await session.handle(line);
    emit(`${JSON.stringify(answer)}\n`);
    if (quit) break;
  }
  return ok(output(''));
}
