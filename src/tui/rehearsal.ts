// The configurator's first frame drawn once off screen, on stand-in streams, and quit with `q`:
// the build does this to check its bundle (scripts/bundle.mjs): one that cannot draw fails the
// build, not a user's terminal.
import { PACKAGE_ROOT } from '../io/catalog-files.js';
import { configure } from './run.js';
import { quitOnceDrawn, StandInStdin, StandInStdout } from './stand-in-streams.js';

/**
 * Draws the first frame for the default profile, then quits; says what it drew. It starts in
 * osvconf's own directory, which is no OSv tree: nothing is read from a tree, nothing is made
 * (so nothing is left behind if the build is stopped).
 */
export async function rehearse(): Promise<string> {
  const stdout = new StandInStdout();
  const stdin = new StandInStdin();
  // The first frame drawn (the size panel is in it): `q` quits, as a person would.
  quitOnceDrawn(stdout, stdin, 'Kernel size');
  const ended = await configure(
    { values: new Map(), switches: new Set(), positionals: [] },
    { isTTY: true, cwd: PACKAGE_ROOT, env: {} },
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      patchConsole: false,
    },
  );
  if (!ended.ok || ended.value.code !== 0) throw new Error(`the rehearsal of the configurator did not end with q: ${JSON.stringify(ended)}`);
  return stdout.written;
}
