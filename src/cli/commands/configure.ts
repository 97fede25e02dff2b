// The scripted path: resolve the selection, then --print one artifact, --out a tree, or --json.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, usage, type Result } from '../../core/result.js';
import { didYouMean } from '../../core/suggest.js';
import { ARTIFACTS, findArtifact } from '../../generators/artifacts.js';
import { writePlan } from '../../io/write-plan.js';
import { allowOnly, type ParsedArgs } from '../args.js';
import { json, output, type CommandOutput } from '../output.js';
import { selectionJson } from '../report.js';
import { resolveSelection } from '../selection.js';

export const CONFIGURE_FLAGS = ['arch', 'mode', 'profile', 'profiles-dir', 'print', 'out', 'json', 'force', 'strict'];

/** An OSv checkout has the driver profiles and the build script at its top. */
function isOsvCheckout(dir: string): boolean {
  const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
  return isDir(join(dir, 'conf', 'profiles')) && existsSync(join(dir, 'scripts', 'build'));
}

export async function run(args: ParsedArgs): Promise<Result<CommandOutput>> {
  const allowed = allowOnly(args, CONFIGURE_FLAGS, 'osvconf');
  if (!allowed.ok) return allowed;
  const print = args.values.get('print');
  let out = args.values.get('out');
  const asJson = args.switches.has('json');
  if (print !== undefined && out !== undefined) return usage('--print and --out cannot be combined', 'use --print=ARTIFACT for stdout or --out=DIR to write files');
  if (print !== undefined && asJson) return usage('--print and --json cannot be combined', '--print writes the artifact itself; --json alone reports the resolved selection');
  const artifact = print === undefined ? undefined : findArtifact(print);
  if (print !== undefined && artifact === undefined) {
    return fail(`unknown artifact "${print}"${didYouMean(print, ARTIFACTS.map((a) => a.name))}`, `--print takes one of: ${ARTIFACTS.map((a) => a.name).join(', ')}`);
  }

  const resolved = await resolveSelection(args, args.positionals);
  if (!resolved.ok) return resolved;
  const { selection } = resolved.value;

  if (artifact !== undefined) return ok(output(artifact.render(selection), selection.warnings));

  if (out === undefined && !asJson) {
    if (!isOsvCheckout(process.cwd())) {
      return usage('nothing to do: give --print=ARTIFACT or --out=DIR', 'without them osvconf writes into the current directory only when it is an OSv checkout (conf/profiles/ and scripts/build)');
    }
    out = process.cwd();
  }
  if (out === undefined) return ok(output(json(selectionJson(selection)), selection.warnings));

  // Render everything before touching the disk: a failing renderer leaves nothing written.
  const files = ARTIFACTS.map((a) => ({ path: a.path(selection), content: a.render(selection) }));
  const written = writePlan(out, files);
  if (!written.ok) return written;
  if (asJson) return ok(output(json({ ...selectionJson(selection), out, files: written.value.map((f) => ({ path: f.path, status: f.status })) }), selection.warnings));
  return ok(output(written.value.map((f) => `${f.status.padEnd(9)} ${join(out as string, f.path)}\n`).join(''), selection.warnings));
}
