// The interactive configurator: a thin ink client of the reducer (state.ts), which calls the
// core. Components only draw the state and turn keys into actions; the one side effect, saving,
// goes through the same plan as `osvconf --out` and reports back with actions.

import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import type { Item } from './menu.js';
import { formatKib } from '../core/format.js';
import { title } from './menu.js';
import { currentItems, cursorOf, dirty, reduce, searchResults, type Action, type SaveFile, type State, type TuiCore } from './state.js';

export interface SaveTarget {
  /** Plans the files (rendered, compared with the disk) without writing. */
  plan(state: State): { ok: true; files: SaveFile[] } | { ok: false; error: string };
  /** Writes the plan; returns what happened to each file. */
  write(state: State): { ok: true; files: SaveFile[]; buildCommand?: string } | { ok: false; error: string };
  readonly where: string | undefined;
}

/** Runs `osvconf symbols` for the app at a path and writes the script; the app shows the counts. */
export type AppScriptResult = { ok: true; path: string; kept: number; missing: string[] } | { ok: false; error: string };
/** Starts the symbols generator for the app at a path; it answers later and can be stopped. */
export type AppScriptTool = (path: string, state: State) => { done: Promise<AppScriptResult>; cancel(): void };

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
}

// On by you, on by the profile or a default, implied (locked), off.
const MARKS: Record<string, string> = { you: '[*]', profile: '[+]', implied: '[=]', default: '[+]', off: '[ ]' };

function itemText(item: Item): string {
  switch (item.kind) {
    case 'menu':
      return `    ${item.label} --->`;
    case 'bool':
      return `${item.on ? MARKS[item.mark] : '[ ]'} ${item.label}`;
    case 'choice':
      return `    ${item.label}: (${item.value})`;
    case 'text':
      return `    ${item.label}: ${JSON.stringify(item.value)}`;
    case 'action':
      return `    < ${item.label} >`;
    case 'generate':
      return `    ${item.label} ...`;
  }
}

const kib = formatKib;

function SizePanel({ state, width, height, color }: { state: State; width: number; height: number; color: boolean }) {
  const e = state.estimate;
  const delta = e.kernelKib - state.baselineKib;
  // Title, total, delta and the libsolaris line take four rows of the panel's inside.
  const top = e.lines.filter((l) => l.kib > 0).slice(0, Math.max(1, height - 2 - 4));
  const max = Math.max(1, ...top.map((l) => l.kib));
  // Inside the border and padding: a 12-wide name, a 5-wide number, two spaces, then the bar.
  const barWidth = Math.max(3, width - 4 - 19);
  return (
    <Box flexDirection="column" borderStyle="single" width={width} height={height} flexShrink={0} paddingX={1}>
      <Text bold>Kernel size</Text>
      <Text>
        {kib(e.kernelKib)} ± {e.uncertaintyPct} %
      </Text>
      <Text {...(color ? { color: delta <= 0 ? 'green' : 'yellow' } : {})}>
        {delta <= 0 ? '' : '+'}
        {kib(delta)} vs default
      </Text>
      {top.map((l) => (
        <Text key={l.name} wrap="truncate">
          {l.name.slice(0, 12).padEnd(12)} {String(Math.round(l.kib)).padStart(5)}{' '}
          {'#'.repeat(Math.max(1, Math.round((l.kib / max) * barWidth))).slice(0, barWidth)}
        </Text>
      ))}
      {e.libsolaris !== undefined ? <Text wrap="truncate">+ libsolaris.so {e.libsolaris.kib === null ? '?' : kib(e.libsolaris.kib)}</Text> : null}
    </Box>
  );
}

function Overlay({ core, state, height }: { core: TuiCore; state: State; height: number }) {
  const o = state.overlay;
  if (o.kind === 'choose') {
    const start = Math.max(0, Math.min(o.index - Math.floor(height / 2), o.item.choices.length - height));
    return (
      <Box flexDirection="column" borderStyle="double" paddingX={1}>
        <Text bold>{o.item.label}: Enter picks, Esc cancels</Text>
        {o.item.choices.slice(start, start + height).map((c, i) => (
          <Text key={c.value} inverse={start + i === o.index} wrap="truncate">
            {start + i === o.index ? '>' : ' '} {c.value === o.item.value ? '(X)' : '( )'} {c.label}
          </Text>
        ))}
      </Box>
    );
  }
  if (o.kind === 'edit') {
    return (
      <Box flexDirection="column" borderStyle="double" paddingX={1}>
        <Text bold>
          {o.item.label} ({o.item.kind === 'text' ? o.item.type : 'path'}): Enter {o.item.kind === 'text' ? 'sets' : 'generates'}, Esc cancels
        </Text>
        <Text>
          {o.buffer}
          <Text inverse> </Text>
        </Text>
      </Box>
    );
  }
  if (o.kind === 'search') {
    const results = searchResults(core, state, o.query);
    return (
      <Box flexDirection="column" borderStyle="double" paddingX={1}>
        <Text bold>Search: {o.query}</Text>
        {results.slice(0, height - 1).map((r, i) => (
          <Text key={`${r.path.join('/')}/${r.item.id}`} inverse={i === o.index} wrap="truncate">
            {i === o.index ? '>' : ' '} {'setting' in r.item ? r.item.setting : r.item.label}: {r.item.label}
          </Text>
        ))}
        {results.length === 0 && o.query !== '' ? <Text>no match</Text> : null}
      </Box>
    );
  }
  if (o.kind === 'confirm-quit') {
    return (
      <Box borderStyle="double" paddingX={1}>
        <Text>There are unsaved changes. Quit without saving? y = quit, s = save first, n = stay</Text>
      </Box>
    );
  }
  if (o.kind === 'save') {
    return (
      <Box flexDirection="column" borderStyle="double" paddingX={1}>
        <Text bold>Save</Text>
        {o.error !== undefined ? <Text>{o.error}</Text> : null}
        {o.files === undefined && o.error === undefined ? <Text>planning...</Text> : null}
        {o.showDiff === true
          ? (o.files ?? [])
              .flatMap((f) => (f.patch ?? '').split('\n').filter((l) => l !== ''))
              .slice(0, Math.max(3, height - 2))
              .map((line, i) => (
                <Text key={i} wrap="truncate">
                  {line}
                </Text>
              ))
          : (o.files ?? []).map((f) => (
              <Text key={f.path} wrap="truncate">
                {f.status === 'unchanged' ? 'unchanged  ' : 'will write '} {f.path} {f.diff}
              </Text>
            ))}
        <Text>
          {o.files !== undefined
            ? `y / Enter writes these files, d ${o.showDiff === true ? 'lists the files' : 'shows the diff'}, n / Esc cancels`
            : 'Esc closes'}
        </Text>
      </Box>
    );
  }
  return null;
}

export function App({ core, initial, save, appScript, color, onExit, onKey }: AppProps) {
  const [state, dispatch] = useReducer((s: State, a: Action) => reduce(core, s, a), initial);
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [size, setSize] = useState({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const generating = useRef<{ cancel(): void } | undefined>(undefined);
  const [keysTaken, setKeysTaken] = useState(0);

  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);

  // Saving: plan when the save overlay opens (shows the files and their diff first).
  const saveOverlay = state.overlay.kind === 'save' ? state.overlay : undefined;
  useEffect(() => {
    if (saveOverlay === undefined || saveOverlay.files !== undefined || saveOverlay.error !== undefined) return;
    const planned = save.plan(state);
    dispatch(planned.ok ? { type: 'save-planned', files: planned.files } : { type: 'save-failed', error: planned.error });
  }, [saveOverlay, save, state]);

  useEffect(() => {
    if (state.done) {
      onExit(state);
      exit();
    }
  }, [state, exit, onExit]);

  // The state of the last render: a key that arrives before ink re-subscribes this handler must
  // not act on the state of the render before.
  const latest = useRef(state);
  latest.current = state;
  // One key at a time; ink hands a burst of typed or pasted characters over as one string.
  const handle = (input: string, key: Key): void => {
    const state = latest.current;
    const o = state.overlay;
    // While the generator runs, Esc stops it; the screen keeps answering.
    if (generating.current !== undefined && key.escape) {
      generating.current.cancel();
      return;
    }
    if (o.kind === 'edit' && o.item.kind === 'generate' && key.return) {
      if (appScript === undefined) {
        dispatch({ type: 'note', text: 'the symbols generator is not available here', error: true });
        return;
      }
      if (generating.current !== undefined) return;
      const job = appScript(o.buffer.trim(), state);
      generating.current = job;
      dispatch({ type: 'note', text: 'generating the version script... (Esc stops it)', error: false });
      void job.done.then((made) => {
        generating.current = undefined;
        dispatch(
          made.ok ? { type: 'version-script', path: made.path, kept: made.kept, missing: made.missing } : { type: 'note', text: made.error, error: true },
        );
      });
      return;
    }
    if (o.kind === 'edit' || o.kind === 'search') {
      if (key.return) dispatch({ type: 'open' });
      else if (key.escape) dispatch({ type: 'back' });
      else if (key.backspace || key.delete) dispatch({ type: 'erase' });
      else if (key.upArrow) dispatch({ type: 'move', delta: -1 });
      else if (key.downArrow) dispatch({ type: 'move', delta: 1 });
      else if (input !== '' && !key.ctrl && !key.meta) dispatch({ type: 'type', text: input });
      return;
    }
    if (o.kind === 'save' && o.files !== undefined && (input === 'y' || key.return)) {
      const written = save.write(state);
      dispatch(
        written.ok
          ? { type: 'saved', files: written.files, ...(written.buildCommand === undefined ? {} : { buildCommand: written.buildCommand }) }
          : { type: 'save-failed', error: written.error },
      );
      return;
    }
    if (o.kind === 'confirm-quit' || o.kind === 'save') {
      if (key.escape) dispatch({ type: 'back' });
      else if (input !== '') dispatch({ type: 'answer', key: input });
      return;
    }
    if (key.upArrow || input === 'k') dispatch({ type: 'move', delta: -1 });
    else if (key.downArrow || input === 'j') dispatch({ type: 'move', delta: 1 });
    else if (key.pageUp) dispatch({ type: 'move', delta: -10 });
    else if (key.pageDown) dispatch({ type: 'move', delta: 10 });
    else if (key.return || key.rightArrow) dispatch({ type: 'open' });
    else if (key.escape || key.leftArrow) dispatch({ type: 'back' });
    else if (input === ' ') dispatch({ type: 'toggle' });
    else if (input === '/') dispatch({ type: 'search' });
    else if (input === '?') dispatch({ type: 'info' });
    else if (input === 'u') dispatch({ type: 'undo' });
    else if (key.ctrl && input === 'r') dispatch({ type: 'redo' });
    else if (input === 's') dispatch({ type: 'save' });
    else if (input === 'q') dispatch({ type: 'quit' });
  };
  useInput((input, key) => {
    const plain =
      !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && input.length > 1 && state.overlay.kind !== 'edit' && state.overlay.kind !== 'search';
    if (plain) for (const ch of input) handle(ch === '\r' || ch === '\n' ? '' : ch, { ...key, return: ch === '\r' || ch === '\n' });
    else handle(input, key);
    if (onKey !== undefined) setKeysTaken((n) => n + 1);
  });
  // Said after the render that shows the key's effect, so that the next key meets the new state.
  useEffect(() => {
    if (keysTaken > 0) onKey?.();
  }, [keysTaken, onKey]);

  const list = currentItems(core, state);
  const cursor = Math.min(cursorOf(state), Math.max(0, list.length - 1));
  const ctx = core.context(state.selection);
  const panelWidth = size.columns >= 100 ? 36 : 28;
  // The overlay takes rows from the list, so that the screen never outgrows the terminal.
  const overlayRows = { none: 0, info: 10, choose: 12, edit: 4, search: 10, 'confirm-quit': 3, save: 12 }[state.overlay.kind];
  const listHeight = Math.max(3, size.rows - 8 - overlayRows);
  const start = Math.max(0, Math.min(cursor - Math.floor(listHeight / 2), list.length - listHeight));
  const current = list[cursor];
  const info =
    state.overlay.kind === 'info' && current !== undefined && 'setting' in current && current.setting.startsWith('conf_')
      ? core.explain(state.selection, current.setting)
      : undefined;

  return (
    <Box flexDirection="column" width={size.columns}>
      <Text bold wrap="truncate">
        osvconf: {title(state.path[state.path.length - 1] ?? 'root', ctx)}
        {dirty(state) ? '  * unsaved' : ''}
      </Text>
      <Box>
        <Box flexDirection="column" borderStyle="single" flexGrow={1} paddingX={1} height={listHeight + 2}>
          {list.slice(start, start + listHeight).map((item, i) => (
            <Text
              key={item.id}
              inverse={start + i === cursor}
              wrap="truncate"
              {...(color && item.kind === 'bool' && item.mark === 'implied' ? { color: 'cyan' } : {})}
            >
              {start + i === cursor ? '>' : ' '}
              {itemText(item)}
            </Text>
          ))}
        </Box>
        <SizePanel state={state} width={panelWidth} height={listHeight + 2} color={color} />
      </Box>
      <Overlay core={core} state={state} height={Math.max(3, overlayRows - 3)} />
      {info !== undefined ? (
        <Box borderStyle="single" flexDirection="column" paddingX={1} height={overlayRows}>
          {info
            .split('\n')
            .slice(0, overlayRows - 2)
            .map((line, i) => (
              <Text key={i} wrap="truncate-end">
                {line}
              </Text>
            ))}
        </Box>
      ) : null}
      <Text wrap="truncate" {...(color && state.message?.error === true ? { color: 'red' } : {})}>
        {state.message?.text ?? (save.where === undefined ? 'no OSv tree to save into: start osvconf there, or give --out=DIR' : `saves into ${save.where}`)}
      </Text>
      <Text wrap="truncate" dimColor={color}>
        ↑↓ move →⏎ open ←Esc back Spc toggle / find ? info u/^R un/redo s save q quit
      </Text>
      <Text wrap="truncate" dimColor={color}>
        [*] on by you [+] on by profile or default [=] implied (locked) [ ] off
      </Text>
    </Box>
  );
}
