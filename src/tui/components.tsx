// What the configurator draws: pure components of the state (no keys, no effects).

import { Box } from 'ink';
import { Text } from './text.js';
import { Fragment, type ReactElement } from 'react';
import { formatKib, printable } from '../core/format.js';
import { title, type Item } from './menu.js';
import { searchResults, type State, type TuiCore } from './state.js';

// On by you, on by the profile or a default, implied (locked), off.
const MARKS: Record<string, string> = { you: '[*]', profile: '[+]', implied: '[=]', default: '[+]', off: '[ ]' };

/** menuconfig's "(NEW)": a Kconfig option the loaded .config does not name. */
export function isNew(item: Item, loadedNames: ReadonlySet<string> | undefined): boolean {
  return loadedNames !== undefined && item.kind !== 'menu' && item.id.startsWith('kconfig:') && !loadedNames.has(item.id.slice('kconfig:'.length));
}

export function itemText(item: Item, showNames = false, loadedNames?: ReadonlySet<string>): string {
  // Values come from files: their control characters are shown, never sent to the terminal.
  const text = printable(itemLine(item, showNames));
  return isNew(item, loadedNames) ? `${text} (NEW)` : text;
}

function itemLine(item: Item, showNames: boolean): string {
  // C: the setting's name beside its prompt (a driver's label starts with its name already).
  const named = showNames && 'setting' in item && !item.setting.startsWith('conf_drivers_') ? `${item.setting}  ${item.label}` : item.label;
  // Changed by you: * in the mark column, for values as for bools.
  const mark = 'changed' in item && item.changed === true ? ' *  ' : '    ';
  switch (item.kind) {
    case 'menu':
      return `    ${named} --->`;
    case 'bool':
      return `${item.hidden !== undefined ? '- -' : item.on ? MARKS[item.mark] : '[ ]'} ${named}`;
    case 'choice':
      return `${mark}${named}: (${item.value})`;
    case 'text':
      return `${item.hidden !== undefined ? '- - ' : mark}${named}: ${JSON.stringify(item.value)}`;
    case 'action':
      return `    < ${named} >`;
    case 'generate':
      return `    ${named} ...`;
  }
}

const kib = formatKib;

export function SizePanel({ state, width, height, color }: { state: State; width: number; height: number; color: boolean }) {
  const e = state.estimate;
  const delta = e.kernelKib - state.baselineKib;
  // A calibrated estimate says so on a row of its own (the CLI's "calibrated on <file>, <date>").
  const calibration =
    e.calibration === undefined
      ? undefined
      : 'error' in e.calibration
        ? 'calibration unreadable (osvconf size says why)'
        : `calibrated ${printable(e.calibration.date)}`;
  const positive = e.lines.filter((l) => l.kib > 0);
  const max = Math.max(1, ...positive.map((l) => l.kib));
  // Names as wide as the panel allows (12 at 80 columns), then a 5-wide number and the bar.
  const nameWidth = Math.max(6, Math.min(24, width - 16));
  const barWidth = Math.max(2, width - 4 - nameWidth - 7);
  // Rows by how much they matter (the total first, the smallest component last); the ones that
  // fit inside the border are drawn, in their usual order, so nothing runs over the border.
  const rows: { key: string; rank: number; el: ReactElement }[] = [
    {
      key: 'title',
      rank: 1,
      el: (
        <Text bold wrap="truncate">
          Kernel size
        </Text>
      ),
    },
    {
      key: 'total',
      rank: 0,
      el: (
        <Text wrap="truncate">
          {kib(e.kernelKib)} ± {e.uncertaintyPct} %
        </Text>
      ),
    },
    ...(calibration === undefined ? [] : [{ key: 'calibration', rank: 3, el: <Text wrap="truncate">{calibration}</Text> }]),
    {
      key: 'delta',
      rank: 2,
      el: (
        <Text wrap="truncate" {...(color ? { color: delta <= 0 ? 'green' : 'yellow' } : {})}>
          {delta <= 0 ? '' : '+'}
          {kib(delta)} vs default
        </Text>
      ),
    },
    ...positive.map((l, i) => ({
      key: `line:${l.name}:${i}`,
      rank: 5 + i,
      el: (
        <Text wrap="truncate">
          {l.name.slice(0, nameWidth).padEnd(nameWidth)} {String(Math.round(l.kib)).padStart(5)}{' '}
          {'#'.repeat(Math.max(1, Math.round((l.kib / max) * barWidth))).slice(0, barWidth)}
        </Text>
      ),
    })),
    ...(e.libsolaris === undefined
      ? []
      : [{ key: 'libsolaris', rank: 4, el: <Text wrap="truncate">+ libsolaris.so {e.libsolaris.kib === null ? '?' : kib(e.libsolaris.kib)}</Text> }]),
  ];
  const inside = Math.max(1, height - 2);
  const shown = new Set(
    [...rows]
      .sort((a, b) => a.rank - b.rank)
      .slice(0, inside)
      .map((r) => r.key),
  );
  return (
    <Box flexDirection="column" borderStyle="single" width={width} height={height} flexShrink={0} paddingX={1}>
      {rows
        .filter((r) => shown.has(r.key))
        .map((r) => (
          <Fragment key={r.key}>{r.el}</Fragment>
        ))}
    </Box>
  );
}

/** A save's refusal as the save overlay shows it: wrapped whole inside its borders (the overlay's rows count these). */
export function saveErrorLines(error: string, columns: number): string[] {
  return wrapWords(printable(error), Math.max(20, columns - 4));
}

export function Overlay({ core, state, height, columns }: { core: TuiCore; state: State; height: number; columns: number }) {
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
          {o.item.label} ({o.item.kind === 'text' ? o.item.type : 'path'}): Enter{' '}
          {o.item.kind === 'text' ? 'sets' : o.item.id === 'prompt:load' ? 'loads' : o.item.id === 'prompt:save-as' ? 'saves' : 'generates'}, Esc cancels
        </Text>
        <Text>
          {o.buffer.slice(0, o.cursor)}
          <Text inverse>{o.buffer.slice(o.cursor, o.cursor + 1) || ' '}</Text>
          {o.buffer.slice(o.cursor + 1)}
        </Text>
      </Box>
    );
  }
  if (o.kind === 'search') {
    const results = searchResults(core, state, o.query);
    const ctx = { ...core.context(state.selection), showAll: true };
    const rows = Math.max(1, height);
    const start = Math.max(0, Math.min(o.index - Math.floor(rows / 2), results.length - rows));
    const shown = results.slice(start, start + rows);
    return (
      <Box flexDirection="column" borderStyle="double" paddingX={1}>
        <Text bold wrap="truncate">
          Search: {o.query}
          {o.query === ''
            ? '  (names, prompts, values; several words all match; a regular expression works)'
            : `  ${results.length} match${results.length === 1 ? '' : 'es'}${start > 0 ? '  ↑ more' : ''}${start + rows < results.length ? '  ↓ more' : ''}`}
        </Text>
        {shown.map((r, i) => (
          <Text key={`${r.path.join('/')}/${r.item.id}`} inverse={start + i === o.index} wrap="truncate">
            {start + i === o.index ? '>' : ' '} {'setting' in r.item ? r.item.setting : r.item.label}
            {'value' in r.item
              ? `=${r.item.value}`
              : r.item.kind === 'bool'
                ? `=${r.item.hidden !== undefined ? '(off: its dependency is off)' : r.item.on ? 1 : 0}`
                : ''}{' '}
            {r.path
              .slice(1)
              .map((m) => title(m, ctx))
              .join(' > ')}
            : {r.item.label}
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
    const middle: { key: string; text: string }[] = [
      ...(o.error !== undefined ? saveErrorLines(o.error, columns).map((text, i) => ({ key: `e${i}`, text })) : []),
      ...(o.files === undefined && o.error === undefined ? [{ key: 'planning', text: 'planning...' }] : []),
      // What the selection still warns about, repeated before it is written.
      ...state.selection.warnings.map((w, i) => ({ key: `w${i}`, text: `warning: ${w.message}` })),
      ...(o.showDiff === true
        ? scrolled(
            (o.files ?? []).flatMap((f) => (f.patch ?? '').split('\n').filter((l) => l !== '')),
            o.scroll ?? 0,
            Math.max(3, height - 2),
          ).map((text, i) => ({ key: `d${i}`, text }))
        : (o.files ?? []).map((f) => ({ key: f.path, text: `${f.status === 'unchanged' ? 'unchanged  ' : 'will write '} ${f.path} ${f.diff}` }))),
    ];
    const footer =
      o.files !== undefined ? `y / Enter writes these files, d ${o.showDiff === true ? 'lists the files' : 'shows the diff'}, n / Esc cancels` : 'Esc closes';
    // Inside its borders the overlay has height + 1 rows. When everything does not fit (a short
    // terminal), the title and the footer go first (the key hints below say the keys), then
    // what does not fit is counted on a row of its own.
    const rows = height + 1;
    const fits = middle.length + 2 <= rows;
    const shown = fits ? middle : middle.slice(0, Math.max(0, rows - 1));
    return (
      <Box flexDirection="column" borderStyle="double" paddingX={1}>
        {fits ? <Text bold>Save</Text> : null}
        {shown.map((line) => (
          <Text key={line.key} wrap="truncate">
            {line.text}
          </Text>
        ))}
        {fits ? (
          <Text wrap="truncate">{footer}</Text>
        ) : (
          <Text wrap="truncate">{`↓ ${middle.length - shown.length} more line${middle.length - shown.length === 1 ? '' : 's'}: a taller terminal shows them`}</Text>
        )}
      </Box>
    );
  }
  return null;
}

/**
 * The part of a list of `length` items that fits `rows` rows with the cursor on it: where it
 * starts, how many items show, and how many lie above and below, each said on a row of its own
 * (the rows the markers take are taken from the items; nothing is cut without a word). In one
 * or two rows (an overlay open on a short terminal) there is room for the cursor's item only, and
 * no marker is drawn (`marked` false).
 */
export function listWindow(length: number, cursor: number, rows: number): { start: number; count: number; above: number; below: number; marked: boolean } {
  if (length <= rows) return { start: 0, count: length, above: 0, below: 0, marked: true };
  const at = Math.min(Math.max(0, cursor), length - 1);
  if (rows < 3) {
    const start = Math.min(Math.max(0, at - Math.floor(rows / 2)), length - Math.max(1, rows));
    const count = Math.max(1, rows);
    return { start, count, above: start, below: length - start - count, marked: false };
  }
  const edge = Math.max(1, rows - 1); // items beside one marker
  if (at < edge) return { start: 0, count: edge, above: 0, below: length - edge, marked: true };
  if (at >= length - edge) return { start: length - edge, count: edge, above: length - edge, below: 0, marked: true };
  const count = Math.max(1, rows - 2);
  const start = Math.min(Math.max(0, at - Math.floor(count / 2)), length - count);
  return { start, count, above: start, below: length - start - count, marked: true };
}

/**
 * Key hints and legends: groups separated by two spaces ("q quit", "[ ] off") are kept whole and
 * joined by one space; a line breaks only between groups (a group wider than a line is wrapped).
 */
export function wrapGroups(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const group of text.split(/ {2,}/)) {
    if (line !== '' && line.length + 1 + group.length <= width) line += ` ${group}`;
    else {
      if (line !== '') lines.push(line);
      line = group;
    }
  }
  lines.push(line);
  return lines.flatMap((l) => (l.length > width ? wrapWords(l, width) : [l]));
}

/** Lines of at most `width` characters, broken between words (a word longer than a line is broken too, never cut). */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const whole of text.split(/ +/)) {
    let word = whole;
    while (word.length > w) {
      if (line !== '') lines.push(line);
      lines.push(word.slice(0, w));
      word = word.slice(w);
      line = '';
    }
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= w) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * A window of `rows` lines from `first`, with a marker line where there is more above or below
 * (PgUp/PgDn scroll); the window is clamped to the text.
 */
export function scrolled(lines: readonly string[], first: number, rows: number): string[] {
  if (lines.length <= rows) return [...lines];
  const start = Math.min(Math.max(0, first), lines.length - (rows - 1));
  const body = lines.slice(start, start + rows - 1);
  const below = lines.length - (start + body.length);
  return [...body, `${start > 0 ? `↑ ${start} more above  ` : ''}${below > 0 ? `↓ ${below} more below` : ''} (PgUp/PgDn)`];
}
