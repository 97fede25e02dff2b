// The floor under any configurator drawn with ink and React: a bordered box of two lines that
// quits on q, bundled and started exactly as osvconf's configurator is (scripts/tui-bundle.mjs:
// the same patches, CommonJS, run from a V8 code cache saved after one frame drawn off screen).
// bench/run.mjs builds it and times its first frame beside osvconf's and the peer's.
import { Box, Text, render, useApp, useInput } from 'ink';
import { createElement } from 'react';
import { quitOnceDrawn, StandInStdin, StandInStdout } from '../src/tui/stand-in-streams.js';

function Floor() {
  const { exit } = useApp();
  useInput((input) => {
    if (input === 'q') exit();
  });
  return createElement(
    Box,
    { borderStyle: 'single', flexDirection: 'column', width: 78 },
    createElement(Text, null, 'ready'),
    createElement(Text, { color: 'cyan' }, 'ink and React, nothing else'),
  );
}

/** On the terminal. */
export function show() {
  render(createElement(Floor), { exitOnCtrlC: true, maxFps: 60 });
}

/** Off screen, quit with q once drawn (for the code cache). */
export async function rehearse() {
  const stdout = new StandInStdout();
  const stdin = new StandInStdin();
  quitOnceDrawn(stdout, stdin, 'ready');
  await render(createElement(Floor), { stdout, stdin, patchConsole: false }).waitUntilExit();
}
