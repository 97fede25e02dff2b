// The key map: which keys do what on which screen, as data for the effect runner. Pure: no ink,
// no React, no I/O, so every key is unit-tested. A burst (a paste, keys typed faster than the
// screen reads them) is split into single keys first, so that it acts as those keys one by one.

import { PROMPTS, type Action, type State } from './state.js';

/** The parts of a key press the map reads (ink's Key has these names). */
export interface KeyInfo {
  readonly upArrow: boolean;
  readonly downArrow: boolean;
  readonly leftArrow: boolean;
  readonly rightArrow: boolean;
  readonly pageUp: boolean;
  readonly pageDown: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return: boolean;
  readonly escape: boolean;
  readonly ctrl: boolean;
  readonly meta: boolean;
  readonly tab: boolean;
  readonly backspace: boolean;
  readonly delete: boolean;
}

export const NO_KEY: KeyInfo = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageUp: false,
  pageDown: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  meta: false,
  tab: false,
  backspace: false,
  delete: false,
};

/** What a key asks for: a reducer action, or one of the effects only the runner can do. */
export type Command =
  | { readonly kind: 'action'; readonly action: Action }
  /** Run the symbols generator on the app at this path (the Visibility screen's field). */
  | { readonly kind: 'generate'; readonly path: string }
  | { readonly kind: 'cancel-generate' }
  /** O: load the configuration at this path (a saved configuration or a .config); S: save the configuration to it. */
  | { readonly kind: 'load'; readonly path: string }
  | { readonly kind: 'save-as'; readonly path: string }
  /** Write the planned files (the save screen's y / Enter). */
  | { readonly kind: 'write' };

const act = (action: Action): Command[] => [{ kind: 'action', action }];

/**
 * One read of the terminal as single keys. Terminals send Backspace as DEL (0x7f) or BS, Enter
 * as CR or LF, Ctrl-U as NAK; other control characters are never typed into a field.
 */
export function splitKeys(input: string, key: KeyInfo): [string, KeyInfo][] {
  // A key the terminal library already named (arrows, Enter, Ctrl-X...) stays as it is.
  const named = Object.entries(key).some(([, on]) => on === true);
  if (input === '' || named) return [[input, key]];
  const keys: [string, KeyInfo][] = [];
  for (const ch of input) {
    if (ch === '\r' || ch === '\n') keys.push(['', { ...NO_KEY, return: true }]);
    else if (ch === '\x7f' || ch === '\b') keys.push(['', { ...NO_KEY, backspace: true }]);
    else if (ch === '\x15') keys.push(['u', { ...NO_KEY, ctrl: true }]);
    else if (ch >= ' ') keys.push([ch, NO_KEY]);
  }
  return keys;
}

/** What one key does in this state. `generating`: the symbols generator is running. */
export function commandsFor(state: State, input: string, key: KeyInfo, generating: boolean): Command[] {
  const o = state.overlay;
  // While the generator runs, Esc stops it; the screen keeps answering.
  if (generating && key.escape) return [{ kind: 'cancel-generate' }];
  if (o.kind === 'edit') {
    if (key.return) {
      if (o.item.kind !== 'generate') return act({ type: 'open' });
      const path = o.buffer.trim();
      if (o.item.id === PROMPTS.load.id) return [{ kind: 'load', path }];
      if (o.item.id === PROMPTS['save-as'].id) return [{ kind: 'save-as', path }];
      return generating ? [] : [{ kind: 'generate', path }];
    }
    if (key.escape) return act({ type: 'back' });
    if (key.backspace || key.delete) return act({ type: 'erase' });
    if (key.leftArrow) return act({ type: 'cursor', to: 'left' });
    if (key.rightArrow) return act({ type: 'cursor', to: 'right' });
    if (key.home || (key.ctrl && input === 'a')) return act({ type: 'cursor', to: 'home' });
    if (key.end || (key.ctrl && input === 'e')) return act({ type: 'cursor', to: 'end' });
    if (key.ctrl && input === 'u') return act({ type: 'kill' });
    return typed(input, key);
  }
  if (o.kind === 'search') {
    if (key.return) return act({ type: 'open' });
    if (key.escape) return act({ type: 'back' });
    if (key.backspace || key.delete) return act({ type: 'erase' });
    if (key.upArrow) return act({ type: 'move', delta: -1 });
    if (key.downArrow) return act({ type: 'move', delta: 1 });
    if (key.ctrl && input === 'u') return act({ type: 'kill' });
    if (key.ctrl && input === 'f') return act({ type: 'info' });
    return typed(input, key);
  }
  if (o.kind === 'save' && o.files !== undefined && (input === 'y' || key.return)) return [{ kind: 'write' }];
  // PgUp/PgDn scroll what is longer than its pane: the ? text, the save screen's diff.
  if ((o.kind === 'info' || o.kind === 'save' || o.kind === 'log') && (key.pageUp || key.pageDown))
    return act({ type: 'scroll', delta: key.pageUp ? -10 : 10 });
  if (o.kind === 'log') return key.escape || input === 'm' || input === 'q' || key.return ? act({ type: 'log' }) : [];
  if (o.kind === 'confirm-quit' || o.kind === 'save') {
    if (key.escape) return act({ type: 'back' });
    return input === '' ? [] : act({ type: 'answer', key: input });
  }
  if (key.upArrow || input === 'k') return act({ type: 'move', delta: -1 });
  if (key.downArrow || input === 'j') return act({ type: 'move', delta: 1 });
  if (key.pageUp) return act({ type: 'move', delta: -10 });
  if (key.pageDown) return act({ type: 'move', delta: 10 });
  if (key.home === true) return act({ type: 'move-to', to: 'first' });
  if (key.end === true) return act({ type: 'move-to', to: 'last' });
  if (key.return || key.rightArrow || input === 'l') return act({ type: 'open' });
  if (key.escape || key.leftArrow || input === 'h') return act({ type: 'back' });
  if (key.ctrl && input === 'r') return act({ type: 'redo' });
  if (key.ctrl || key.meta) return [];
  switch (input) {
    case ' ':
      return act({ type: 'toggle' });
    case '/':
      return act({ type: 'search' });
    case '?':
      return act({ type: 'info' });
    case 'u':
      return act({ type: 'undo' });
    case 's':
      return act({ type: 'save' });
    case 'q':
    case 'Q':
      // Q as Kconfiglib's menuconfig has it: quit (asking when there are unsaved changes).
      return act({ type: 'quit' });
    case 'y':
      return act({ type: 'set-bool', on: true });
    case 'n':
      return act({ type: 'set-bool', on: false });
    case 'A':
      return act({ type: 'toggle-all' });
    case 'C':
      return act({ type: 'toggle-names' });
    case 'D':
      return act({ type: 'save', form: 'minimal' });
    case 'm':
      return act({ type: 'log' });
    case 'O':
      return act({ type: 'prompt', purpose: 'load' });
    case 'S':
      return act({ type: 'prompt', purpose: 'save-as' });
    default:
      // Any other letter or digit: the next item whose label starts with it (menuconfig's jump).
      return /^[A-Za-z0-9]$/.test(input) ? act({ type: 'jump', letter: input }) : [];
  }
}

/** Printable text typed into a field (control characters never are). */
function typed(input: string, key: KeyInfo): Command[] {
  if (key.ctrl || key.meta || key.tab || input === '') return [];
  const text = [...input].filter((c) => c >= ' ' && c !== '\x7f').join('');
  return text === '' ? [] : act({ type: 'type', text });
}
