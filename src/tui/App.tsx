// The interactive configurator: a thin ink client. Keys go to the effect runner (effects.ts),
// which maps them (keys.ts), applies them to the reducer (state.ts, which calls the core) and
// runs saves and the symbols generator; this component only draws what it reports.

import { Box, useApp, useInput, useStdout } from 'ink';
import { Text } from './text.js';
import { printable } from '../core/format.js';
import { useEffect, useRef, useState } from 'react';
import { itemText, listWindow, Overlay, saveErrorLines, scrolled, SizePanel, wrapGroups, wrapWords } from './components.js';
import { createRunner, type AppScriptTool, type Runner, type SaveTarget } from './effects.js';
import { title, type Item, type MenuContext } from './menu.js';
import { contextOf, currentItems, cursorOf, dirty, unreadMessages, type State, type TuiCore } from './state.js';

/** The keys that work now, by what is on the screen. */
function keyHints(state: State): string {
  switch (state.overlay.kind) {
    case 'info':
      return state.overlay.search !== undefined ? 'PgUp/PgDn scroll  Esc back to the search' : '↑↓ move  PgUp/PgDn scroll  ?/Esc close';
    case 'edit':
      return '⏎ set  Esc cancel  ←→ Home End move  ⌫ erase  ^U clear';
    case 'search':
      return '↑↓ choose  ⏎ go there  ^F help  Esc close  ^U clear';
    case 'choose':
      return '↑↓ choose  ⏎/Spc pick  Esc cancel';
    case 'save':
      // A refused or unfinished plan has nothing to write or show.
      return state.overlay.files === undefined ? 'Esc close' : 'y/⏎ write  d diff  n/Esc cancel';
    case 'confirm-quit':
      return 'y quit  s save and quit  n/Esc stay';
    case 'log':
      return 'PgUp/PgDn scroll  m/Esc close';
    default:
      // Every key, as Kconfiglib's menuconfig lists its own: on a narrow terminal the line wraps
      // between keys (the list gives up the row) rather than leaving some out.
      return `⏎ open  Esc back  Spc y n set  / find  ? info  A all${state.showAll ? '*' : ''}  C names  u undo  s/D save  S save as  O load  m log  q quit`;
  }
}

const LEGEND = '[*] on by you  [+] on by profile or default  [=] implied (locked)  [ ] off';
const SHORT_LEGEND = '[*] you  [+] profile/default  [=] locked  [ ] off';

/** What ? (or Ctrl-F in the search) says about an item: what osvconf explain says, or what it is. */
function infoAbout(core: TuiCore, state: State, item: Item, ctx: MenuContext): string | undefined {
  return (
    core.describe(state.selection, item, ctx) ??
    ('setting' in item
      ? core.explain(state.selection, item.kind === 'choice' && item.setting === 'profile' ? item.value : item.setting, state.settings.scripts)
      : undefined)
  );
}

export type { AppScriptResult, AppScriptTool, SaveTarget } from './effects.js';

export interface AppProps {
  readonly core: TuiCore;
  readonly initial: State;
  readonly save: SaveTarget;
  readonly appScript?: AppScriptTool;
  readonly color: boolean;
  /** Called once, with the final state, when the user quits. */
  readonly onExit: (state: State) => void;
  /** Called after each key is handled (tests wait for it instead of sleeping). */
  readonly onKey?: () => void;
  /** Told every state the configurator draws: what to keep if it stops on an error. */
  readonly onState?: (state: State) => void;
}

export function App({ core, initial, save, appScript, color, onExit, onKey, onState }: AppProps) {
  const [state, setState] = useState(initial);
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [size, setSize] = useState({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [keysTaken, setKeysTaken] = useState(0);
  // The runner owns the state between renders: a burst of keys acts on the state each key left,
  // not on the state of the last render.
  const runner = useRef<Runner | undefined>(undefined);
  runner.current ??= createRunner(core, initial, save, appScript, setState);

  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);

  useEffect(() => {
    if (state.done) {
      onExit(state);
      exit();
    }
  }, [state, exit, onExit]);

  useEffect(() => onState?.(state), [state, onState]);

  useInput((input, key) => {
    // A key that throws ends the configurator through ink (which restores the terminal); the
    // caller keeps the work (run.ts): an error in an input handler would otherwise end the process.
    try {
      runner.current?.key(input, key);
    } catch (error) {
      exit(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (onKey !== undefined) setKeysTaken((n) => n + 1);
  });
  // Said after the render that shows the key's effect, so that the next key meets the new state.
  useEffect(() => {
    if (keysTaken > 0) onKey?.();
  }, [keysTaken, onKey]);

  const list = currentItems(core, state);
  const cursor = Math.min(cursorOf(state), Math.max(0, list.length - 1));
  const ctx = contextOf(core, state);
  // The size panel narrows with the terminal (at 60 columns the list keeps 39).
  const panelWidth = size.columns >= 100 ? 36 : size.columns >= 76 ? 28 : Math.max(18, Math.floor(size.columns * 0.35));
  // Key hints and the legend wrap on a narrow terminal instead of being cut; the list gives up their rows.
  const hints = wrapGroups(keyHints(state), size.columns);
  const legend = wrapGroups(size.columns >= 72 ? LEGEND : SHORT_LEGEND, size.columns);
  // The overlay takes rows from the list, so that the screen never outgrows the terminal.
  // The overlay takes what its content needs, up to half the screen (a 2-choice picker: 5 rows).
  const half = Math.max(6, Math.floor(size.rows / 2));
  const o = state.overlay;
  const wanted =
    o.kind === 'choose'
      ? o.item.choices.length + 3
      : o.kind === 'save'
        ? (o.showDiff === true ? (o.files ?? []).reduce((n, f) => n + (f.patch ?? '').split('\n').length, 0) : (o.files?.length ?? 0)) +
          (o.error !== undefined ? saveErrorLines(o.error, size.columns).length : o.files === undefined ? 1 : 0) +
          4 +
          state.selection.warnings.length
        : { none: 0, info: half, edit: 4, search: half, 'confirm-quit': 3, log: half }[o.kind];
  // The title, the list's two borders and the status line take 4 rows; one row stays free, for
  // ink redraws in place only while the frame is shorter than the terminal. An overlay may leave
  // the list a single row on a short terminal (the list is not what is being read then).
  const room = size.rows - 5 - hints.length - legend.length;
  const overlayRows = Math.max(0, Math.min(wanted, half, room - 1));
  const listHeight = Math.max(overlayRows > 0 ? 1 : 3, room - overlayRows);
  const shown = listWindow(list.length, cursor, listHeight);
  const current = list[cursor];
  // ? on a setting says what osvconf explain says; on a menu, arch, mode or the name, what it is.
  // m: the message log, newest first, each message wrapped whole.
  const info =
    state.overlay.kind === 'log'
      ? state.log.length === 0
        ? 'no messages yet: refusals and warnings are kept here, whole'
        : [...state.log]
            .reverse()
            .flatMap((m) => wrapWords(`${m.error ? '! ' : '- '}${printable(m.text)}`, Math.max(20, size.columns - 4)))
            .join('\n')
      : state.overlay.kind !== 'info'
        ? undefined
        : (state.overlay.item ?? current) === undefined
          ? undefined
          : infoAbout(core, state, state.overlay.item ?? (current as Item), ctx);

  return (
    <Box flexDirection="column" width={size.columns}>
      <Text bold wrap="truncate">
        osvconf: {title(state.path[state.path.length - 1] ?? 'root', ctx)}
        {dirty(state) ? '  * unsaved' : ''}
      </Text>
      <Box>
        <Box flexDirection="column" borderStyle="single" flexGrow={1} paddingX={1} height={listHeight + 2}>
          {shown.marked && shown.above > 0 ? <Text dimColor={color}>{`  ↑ ${shown.above} more`}</Text> : null}
          {list.slice(shown.start, shown.start + shown.count).map((item, i) => (
            <Text
              key={item.id}
              inverse={shown.start + i === cursor}
              wrap="truncate"
              {...(color && item.kind === 'bool' && item.mark === 'implied' ? { color: 'cyan' } : {})}
            >
              {shown.start + i === cursor ? '>' : ' '}
              {itemText(item, state.showNames, state.loadedNames)}
            </Text>
          ))}
          {shown.marked && shown.below > 0 ? <Text dimColor={color}>{`  ↓ ${shown.below} more`}</Text> : null}
        </Box>
        <SizePanel state={state} width={panelWidth} height={listHeight + 2} color={color} />
      </Box>
      <Overlay core={core} state={state} height={Math.max(1, overlayRows - 3)} columns={size.columns} />
      {info !== undefined ? (
        <Box borderStyle="single" flexDirection="column" paddingX={1} height={overlayRows}>
          {scrolled(
            info.split('\n').flatMap((l) => wrapWords(printable(l), Math.max(20, size.columns - 4))),
            state.overlay.kind === 'info' || state.overlay.kind === 'log' ? (state.overlay.scroll ?? 0) : 0,
            overlayRows - 2,
          ).map((line, i) => (
            <Text key={i} wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
      <Text wrap="truncate" {...(color && state.message?.error === true ? { color: 'red' } : {})}>
        {/* Unread refusals and warnings are kept whole in the log (m), said first so a long message cannot cut it. */}
        {unreadMessages(state) > 0 ? `[m: ${unreadMessages(state)} new] ` : ''}
        {printable(state.message?.text ?? '') ||
          (save.where === undefined ? 'no OSv tree to save into: start osvconf there, or give --out=DIR' : `saves into ${save.where}`)}
      </Text>
      {[...hints, ...legend].map((line, i) => (
        <Text key={i} wrap="truncate" dimColor={color}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
