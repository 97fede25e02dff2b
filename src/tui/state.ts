// The TUI's state as a pure reducer: every key becomes an action; a change of settings goes
// through the core (the same resolution the CLI uses) and is refused, with the core's reason,
// when it would conflict. Undo/redo keep the settings history. Nothing here does I/O: saving
// is planned and written by the app, which reports back with actions.

import type { Result } from '../core/result.js';
import { sayError } from './remedies.js';
import { withRole } from '../core/kconfig.js';
import type { Selection } from '../core/select.js';
import type { Estimate } from '../size/model.js';
import { allItems, items, type Item, type MenuContext, type MenuId } from './menu.js';
import type { PendingScripts } from '../app/size-input.js';

export interface Settings {
  readonly arch: string;
  readonly mode: string;
  readonly profile: string;
  readonly drivers: Readonly<Record<string, 0 | 1>>;
  readonly kconfig: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, string>>;
  /** The custom profile's name when saved (default: the profile, or <profile>-custom). */
  readonly name?: string;
  /**
   * Version scripts generated here, by absolute path, written only when the user saves: undo
   * takes one back and quitting without saving leaves nothing on disk.
   */
  readonly scripts?: PendingScripts;
}

/** What the reducer needs from the core; tui/core.ts builds it over the catalog. */
export interface TuiCore {
  /** The profile a selection falls back to (conf/osvconf.json's default). */
  readonly defaultProfile: string;
  resolve(settings: Settings): Result<Selection>;
  context(selection: Selection): MenuContext;
  /** The estimate `osvconf size` gives in the tree, with the version scripts not written yet. */
  estimate(selection: Selection, scripts?: PendingScripts): Estimate;
  /** The default that a Kconfig option or build option returns to (to drop redundant settings). */
  defaultOf(selection: Selection, setting: string): string | undefined;
  /** What `osvconf explain` says about a setting, for the info pane. */
  explain(selection: Selection, setting: string, scripts?: PendingScripts): string;
  /** The default profile's estimate for this selection's arch and mode ("vs default"). */
  baselineKib(selection: Selection): number;
  /** What the info pane (?) says about an item that is not a setting: a menu, arch, mode, the name. */
  describe(selection: Selection, item: Item, ctx: MenuContext): string | undefined;
  /** The saved configuration's lines in its minimal form (D). */
  minimalLines(selection: Selection): string[];
  /** Why a driver cannot be flipped now (the core's rule), or undefined. */
  lockReason(selection: Selection, driver: string): string | undefined;
}

export interface SaveFile {
  readonly path: string;
  readonly status: 'wrote' | 'unchanged';
  /** A short summary: new, or how many lines change. */
  readonly diff: string;
  /** The unified diff against the disk, for the save screen's d key. */
  readonly patch?: string;
}

export type Overlay =
  | { readonly kind: 'none' }
  | { readonly kind: 'choose'; readonly item: Extract<Item, { kind: 'choice' }>; readonly index: number }
  /** A text field being edited; `cursor` is an index into the buffer (0 = before the first character). */
  | { readonly kind: 'edit'; readonly item: Extract<Item, { kind: 'text' | 'generate' }>; readonly buffer: string; readonly cursor: number }
  | { readonly kind: 'search'; readonly query: string; readonly index: number }
  /**
   * The ? pane; `scroll`: the first line shown (PgUp/PgDn). From the search (Ctrl-F): about the
   * highlighted match, `item`, and any key but PgUp/PgDn goes back to the search as it was.
   */
  | { readonly kind: 'info'; readonly scroll?: number; readonly item?: Item; readonly search?: { readonly query: string; readonly index: number } }
  | { readonly kind: 'confirm-quit' }
  /** m: every refusal, warning and note the status line showed, newest first; `scroll` as in the ? pane. */
  | { readonly kind: 'log'; readonly scroll?: number }
  /** The save screen; `thenQuit`: opened from the quit question (q s), so a save also quits. */
  | {
      readonly kind: 'save';
      readonly files?: readonly SaveFile[];
      readonly error?: string;
      readonly showDiff?: boolean;
      readonly thenQuit?: boolean;
      /** The first line of the diff shown. */
      readonly scroll?: number;
      /** D: the saved configuration holds only what differs from the defaults. */
      readonly form?: 'minimal';
    };

export interface State {
  readonly settings: Settings;
  readonly selection: Selection;
  readonly estimate: Estimate;
  readonly baselineKib: number;
  readonly saved: string;
  readonly past: readonly Settings[];
  readonly future: readonly Settings[];
  readonly path: readonly MenuId[];
  readonly cursors: Readonly<Record<string, number>>;
  readonly overlay: Overlay;
  readonly message: { readonly text: string; readonly error: boolean } | undefined;
  readonly done: boolean;
  /** A: options whose dependency is off are listed too. */
  readonly showAll: boolean;
  /** C: settings' names are shown beside their prompts. */
  readonly showNames: boolean;
  /** Refusals and warnings, oldest first, kept whole (the status line cuts them); m shows them. */
  readonly log: readonly { readonly text: string; readonly error: boolean }[];
  /** How many of the log's entries the user has seen (opening the log sees them all). */
  readonly logSeen: number;
  /** The Kconfig options the loaded .config names; the others are shown "(NEW)", as menuconfig does. */
  readonly loadedNames?: ReadonlySet<string>;
}

export type Action =
  | { type: 'move'; delta: number }
  /** Home / End. */
  | { type: 'move-to'; to: 'first' | 'last' }
  /** y / n on a bool. */
  | { type: 'set-bool'; on: boolean }
  /** A letter: the next item whose label starts with it. */
  | { type: 'jump'; letter: string }
  | { type: 'toggle-all' }
  /** PgUp/PgDn in the ? pane or the save screen's diff. */
  | { type: 'scroll'; delta: number }
  | { type: 'toggle-names' }
  /** m: the message log. */
  | { type: 'log' }
  /** O / S: ask for a file name to load a configuration from, or to save it to. */
  | { type: 'prompt'; purpose: keyof typeof PROMPTS }
  /** A configuration loaded from a file (O), applied as one undoable change. */
  | { type: 'loaded'; settings: Settings; path: string; notes: readonly string[]; names?: ReadonlySet<string> }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'toggle' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'info' }
  | { type: 'search' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  /** Moves the text cursor in a field. */
  | { type: 'cursor'; to: 'left' | 'right' | 'home' | 'end' }
  /** Ctrl-U: clears the field before the cursor. */
  | { type: 'kill' }
  /** s: save the saved configuration as given; D: the minimal one (like savedefconfig). */
  | { type: 'save'; form?: 'minimal' }
  | { type: 'save-planned'; files: readonly SaveFile[] }
  | { type: 'save-failed'; error: string }
  | { type: 'saved'; files: readonly SaveFile[]; buildCommand?: string }
  | { type: 'quit' }
  | { type: 'answer'; key: string }
  | { type: 'note'; text: string; error: boolean }
  /** The generator wrote a script: `kept` in all, of which `libraries` for libraries OSv loads itself (libsolaris.so with ZFS). */
  | {
      type: 'version-script';
      path: string;
      /** The script's text, held until a save writes it to `path`. */
      content: string;
      /** What conf_version_script says (the name in the tree, as make reads it), when not `path`. */
      setting?: string;
      kept: number;
      missing: readonly string[];
      libraries?: readonly { readonly title: string; readonly count: number }[];
    };

/** The file-name prompts of O and S (edit fields of their own, like the app's ELF field). */
export const PROMPTS = {
  load: { kind: 'generate', id: 'prompt:load', label: 'Load a configuration (a saved .osvconf or a Kconfig .config): file name' },
  'save-as': { kind: 'generate', id: 'prompt:save-as', label: 'Save the configuration to: file name' },
} as const satisfies Record<string, Extract<Item, { kind: 'generate' }>>;

const key = (s: Settings): string => JSON.stringify(s);

export function dirty(state: State): boolean {
  return key(state.settings) !== state.saved;
}

export function initialState(core: TuiCore, settings: Settings, baselineKib: number): Result<State> {
  const selection = core.resolve(settings);
  if (!selection.ok) return selection;
  return {
    ok: true,
    value: {
      settings,
      selection: selection.value,
      estimate: core.estimate(selection.value, settings.scripts),
      baselineKib,
      saved: key(settings),
      past: [],
      future: [],
      path: ['root'],
      cursors: {},
      overlay: { kind: 'none' },
      message: undefined,
      done: false,
      showAll: false,
      showNames: false,
      log: [],
      logSeen: 0,
    },
  };
}

/** Log entries the user has not opened the log for. */
export const unreadMessages = (state: State): number => state.log.length - state.logSeen;

/** Worth keeping: what the status line says that is an error or a warning, or too long for it. */
const worthKeeping = (m: State['message']): m is NonNullable<State['message']> =>
  m !== undefined && (m.error || /\bwarning:/.test(m.text) || m.text.length > 70);

/** The menus as the state shows them (with the show-all view). */
export function contextOf(core: TuiCore, state: State): MenuContext {
  return { ...core.context(state.selection), showAll: state.showAll };
}

export function currentMenu(state: State): MenuId {
  return state.path[state.path.length - 1] ?? 'root';
}

export function currentItems(core: TuiCore, state: State): Item[] {
  return items(currentMenu(state), contextOf(core, state));
}

export function cursorOf(state: State): number {
  return state.cursors[currentMenu(state)] ?? 0;
}

/**
 * Every item matching every term of the query (space-separated; a term with a regular
 * expression's characters is one, when it compiles), in names, prompts and values; options whose
 * dependency is off are found too.
 */
export function searchResults(core: TuiCore, state: State, query: string): { path: MenuId[]; item: Item }[] {
  const terms = query
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((t): ((text: string) => boolean) => {
      const bare = t.replace(/^conf_drivers_|^conf_/i, '').toLowerCase();
      if (/[.*+?^${}()|[\]\\]/.test(t)) {
        try {
          const re = new RegExp(t, 'i');
          return (text) => re.test(text);
        } catch {
          // not a regular expression after all: a plain word
        }
      }
      return (text) => text.toLowerCase().includes(bare);
    });
  if (terms.length === 0) return [];
  return allItems({ ...core.context(state.selection), showAll: true }).filter(({ item }) => {
    const texts = [
      item.label,
      ...('setting' in item ? [item.setting, item.setting.replace(/^conf_drivers_|^conf_/, '')] : []),
      ...('value' in item ? [item.value] : []),
    ];
    return terms.every((match) => texts.some(match));
  });
}

function omit<T>(record: Readonly<Record<string, T>>, name: string): Record<string, T> {
  const { [name]: _, ...rest } = record;
  return rest;
}

/** Applies new settings through the core; refused (with the core's message) if they cannot take. */
function change(core: TuiCore, state: State, settings: Settings, note?: string): State {
  const selection = core.resolve(settings);
  if (!selection.ok) {
    return { ...state, message: { text: sayError(selection.error), error: true } };
  }
  const warnings = selection.value.warnings.filter((w) => !state.selection.warnings.some((o) => o.message === w.message));
  return {
    ...state,
    settings,
    selection: selection.value,
    estimate: core.estimate(selection.value, settings.scripts),
    // "vs default" follows the arch and mode chosen.
    baselineKib:
      selection.value.request.arch === state.selection.request.arch && selection.value.request.mode === state.selection.request.mode
        ? state.baselineKib
        : core.baselineKib(selection.value),
    past: [...state.past, state.settings],
    future: [],
    overlay: { kind: 'none' },
    // What the change did first (when there is something to say), then any new warning.
    message:
      note === undefined && warnings.length === 0
        ? undefined
        : { text: [note, ...warnings.map((w) => `warning: ${w.message}`)].filter((t) => t !== undefined).join('; '), error: false },
  };
}

/** A setting's new value, dropping it when it equals what it would be anyway. */
function setValue(core: TuiCore, state: State, setting: string, value: string): State {
  const s = state.settings;
  if (setting === 'arch') {
    // Driver settings belong to one arch; keep the rest where the other arch has it, and say
    // what had to go.
    const attempts: [Settings, string | undefined][] = [
      [{ ...s, arch: value, drivers: {} }, undefined],
      [{ ...s, arch: value, drivers: {}, profile: core.defaultProfile }, `profile ${s.profile} does not exist on ${value}: using ${core.defaultProfile}`],
      [
        { ...s, arch: value, drivers: {}, profile: core.defaultProfile, kconfig: {}, options: {} },
        `your settings do not all apply to ${value}: starting from its defaults`,
      ],
    ];
    const fits = attempts.find(([next]) => core.resolve(next).ok) ?? attempts[attempts.length - 1];
    const [next, note] = fits as [Settings, string | undefined];
    const dropped = Object.keys(s.drivers).length > 0 ? `driver settings of ${s.arch} dropped` : undefined;
    return change(core, state, next, [note, dropped].filter((n) => n !== undefined).join('; ') || undefined);
  }
  if (setting === 'mode') return change(core, state, { ...s, mode: value });
  if (setting === 'profile') return change(core, state, { ...s, profile: value });
  if (setting === 'name') {
    const { name: _, ...rest } = s;
    return change(core, state, value === '' ? rest : { ...s, name: value });
  }
  if (setting.startsWith('conf_drivers_')) {
    const name = setting.slice('conf_drivers_'.length);
    // Refused here in the core's words, before the CLI's wording (which names flags) could show.
    const locked = state.selection.drivers.byName.get(name)?.value !== (value === '1' ? 1 : 0) ? core.lockReason(state.selection, name) : undefined;
    if (locked !== undefined) return { ...state, message: { text: locked, error: true } };
    const without = { ...s, drivers: omit(s.drivers, name) };
    const alone = core.resolve(without);
    const same = alone.ok && String(alone.value.drivers.byName.get(name)?.value) === value;
    return change(core, state, same ? without : { ...s, drivers: { ...s.drivers, [name]: value === '1' ? 1 : 0 } });
  }
  const option = state.selection.options.find((o) => o.option.setting === setting);
  const bag = option === undefined ? 'kconfig' : 'options';
  const name = option === undefined ? setting.replace(/^conf_/, '') : option.option.name;
  const fallback = core.defaultOf(state.selection, setting);
  const next = value === fallback ? omit(s[bag], name) : { ...s[bag], [name]: value };
  return change(core, state, { ...s, [bag]: next });
}

function activate(core: TuiCore, state: State, item: Item | undefined, viaSpace: boolean): State {
  if (item === undefined) return state;
  if ('hidden' in item && item.hidden !== undefined) return { ...state, message: { text: item.hidden, error: true } };
  switch (item.kind) {
    case 'menu':
      return viaSpace ? state : { ...state, path: [...state.path, item.id], message: undefined };
    case 'bool':
      return setValue(core, state, item.setting, item.setting.startsWith('conf_drivers_') ? (item.on ? '0' : '1') : item.on ? 'n' : 'y');
    case 'choice':
      return {
        ...state,
        overlay: {
          kind: 'choose',
          item,
          index: Math.max(
            0,
            item.choices.findIndex((c) => c.value === item.value),
          ),
        },
      };
    case 'text':
      return { ...state, overlay: { kind: 'edit', item, buffer: item.value, cursor: item.value.length } };
    case 'generate':
      return { ...state, overlay: { kind: 'edit', item, buffer: '', cursor: 0 } };
    case 'action':
      return viaSpace ? state : step(core, state, { type: item.action });
  }
}

/** One action on the state; every refusal or warning it leaves on the status line goes to the log too. */
export function reduce(core: TuiCore, state: State, action: Action): State {
  const next = onARow(core, state, step(core, state, action));
  if (next.message === state.message || !worthKeeping(next.message)) return next;
  // A bounded log: the last 200 messages.
  const all = [...next.log, next.message];
  const dropped = Math.max(0, all.length - 200);
  return { ...next, log: all.slice(dropped), logSeen: Math.max(0, next.logSeen - dropped) };
}

/**
 * The cursor stays on a row: a list shortens under it when show-all goes off, a load or a change
 * hides options, or a menu loses items; the cursor then goes to the last row.
 */
function onARow(core: TuiCore, before: State, state: State): State {
  if (state.path === before.path && state.selection === before.selection && state.showAll === before.showAll && state.cursors === before.cursors) return state;
  const ctx = contextOf(core, state);
  let cursors: Record<string, number> | undefined;
  for (const menu of state.path) {
    const at = state.cursors[menu];
    if (at === undefined) continue;
    const last = Math.max(0, items(menu, ctx).length - 1);
    if (at > last) (cursors ??= { ...state.cursors })[menu] = last;
  }
  return cursors === undefined ? state : { ...state, cursors };
}

function step(core: TuiCore, state: State, action: Action): State {
  const overlay = state.overlay;
  if (overlay.kind === 'log') {
    if (action.type === 'scroll') return { ...state, overlay: { kind: 'log', scroll: Math.max(0, (overlay.scroll ?? 0) + action.delta) } };
    if (action.type === 'back' || action.type === 'log') return { ...state, overlay: { kind: 'none' } };
    return state;
  }
  if (action.type === 'log') return { ...state, overlay: { kind: 'log' }, logSeen: state.log.length };
  if (action.type === 'prompt') return { ...state, overlay: { kind: 'edit', item: PROMPTS[action.purpose], buffer: '', cursor: 0 } };
  if (action.type === 'loaded') {
    const next = change(core, { ...state, overlay: { kind: 'none' } }, action.settings, [...action.notes, `loaded ${action.path}`].join('; '));
    if (next.settings !== action.settings) return next; // refused: the core said why
    const { loadedNames: _, ...rest } = next;
    return action.names === undefined ? rest : { ...rest, loadedNames: action.names };
  }
  if (overlay.kind === 'choose') {
    if (action.type === 'move')
      return { ...state, overlay: { ...overlay, index: Math.min(overlay.item.choices.length - 1, Math.max(0, overlay.index + action.delta)) } };
    if (action.type === 'back') return { ...state, overlay: { kind: 'none' } };
    if (action.type === 'open' || action.type === 'toggle') {
      const choice = overlay.item.choices[overlay.index];
      return choice === undefined || choice.value === overlay.item.value
        ? { ...state, overlay: { kind: 'none' } }
        : setValue(core, state, overlay.item.setting, choice.value);
    }
    return state;
  }
  if (action.type === 'note') return { ...state, overlay: { kind: 'none' }, message: { text: action.text, error: action.error } };
  if (action.type === 'version-script') {
    const s = state.settings;
    // The options that hide symbols and name the script, by their roles in the data.
    const hiding = withRole(state.selection.kconfig, 'hide-symbols');
    const script = withRole(state.selection.kconfig, 'version-script');
    if (hiding === undefined || script === undefined)
      return { ...state, message: { text: 'this OSv has no options to hide symbols with a version script', error: true } };
    // The script is held with the settings (undo takes it back) and written by the next save.
    const scripts = { ...s.scripts, [action.path]: action.content };
    const next = change(core, state, {
      ...s,
      kconfig: { ...s.kconfig, [hiding.option.name]: 'y', [script.option.name]: action.setting ?? action.path },
      scripts,
    });
    if (next.settings === s) return next;
    // The path shows in the menu; the status line keeps to what fits 80 columns.
    const missing = action.missing.length === 0 ? '' : `; ${action.missing.length} missing (OSv does not export them): ${action.missing.join(', ')}`;
    // Say what the count is made of: the CLI's osvconf symbols says the same.
    const libraries = (action.libraries ?? []).filter((l) => l.count > 0);
    const parts =
      libraries.length === 0
        ? ''
        : ` (${action.kept - libraries.reduce((n, l) => n + l.count, 0)} for the app and the vDSO, ${libraries.map((l) => `${l.count} for ${l.title}`).join(', ')})`;
    return {
      ...next,
      message: { text: `version script (written on save): ${action.kept} symbols kept${parts}${missing}`, error: action.missing.length > 0 },
    };
  }
  if (overlay.kind === 'edit') {
    const { buffer, cursor } = overlay;
    if (action.type === 'type')
      return { ...state, overlay: { ...overlay, buffer: buffer.slice(0, cursor) + action.text + buffer.slice(cursor), cursor: cursor + action.text.length } };
    if (action.type === 'erase')
      return cursor === 0 ? state : { ...state, overlay: { ...overlay, buffer: buffer.slice(0, cursor - 1) + buffer.slice(cursor), cursor: cursor - 1 } };
    if (action.type === 'kill') return { ...state, overlay: { ...overlay, buffer: buffer.slice(cursor), cursor: 0 } };
    if (action.type === 'cursor') {
      const to = { left: Math.max(0, cursor - 1), right: Math.min(buffer.length, cursor + 1), home: 0, end: buffer.length }[action.to];
      return { ...state, overlay: { ...overlay, cursor: to } };
    }
    if (action.type === 'back') return { ...state, overlay: { kind: 'none' } };
    // The app runs the generator on Enter in a 'generate' field and answers with 'version-script'.
    if (action.type === 'open' && overlay.item.kind === 'text') return setValue(core, state, overlay.item.setting, overlay.buffer);
    return state;
  }
  if (overlay.kind === 'search') {
    const results = searchResults(core, state, overlay.query);
    if (action.type === 'type') return { ...state, overlay: { ...overlay, query: overlay.query + action.text, index: 0 } };
    if (action.type === 'erase') return { ...state, overlay: { ...overlay, query: overlay.query.slice(0, -1), index: 0 } };
    if (action.type === 'kill') return { ...state, overlay: { ...overlay, query: '', index: 0 } };
    if (action.type === 'move')
      return { ...state, overlay: { ...overlay, index: Math.min(Math.max(0, results.length - 1), Math.max(0, overlay.index + action.delta)) } };
    if (action.type === 'back') return { ...state, overlay: { kind: 'none' } };
    // Ctrl-F: the help of the highlighted match, without going there.
    if (action.type === 'info') {
      const hit = results[overlay.index];
      return hit === undefined ? state : { ...state, overlay: { kind: 'info', item: hit.item, search: { query: overlay.query, index: overlay.index } } };
    }
    if (action.type === 'open') {
      const hit = results[overlay.index];
      if (hit === undefined) return { ...state, overlay: { kind: 'none' }, message: { text: `nothing matches "${overlay.query}"`, error: true } };
      // An option whose dependency is off is shown by turning show-all on; every menu on the way
      // keeps its cursor on the way down, so that Esc goes back to where the item is.
      const showAll = state.showAll || ('hidden' in hit.item && hit.item.hidden !== undefined);
      const ctx = { ...core.context(state.selection), showAll };
      const cursors: Record<string, number> = { ...state.cursors };
      hit.path.forEach((menu, i) => {
        const next = hit.path[i + 1];
        const index = items(menu, ctx).findIndex((it) => it.id === (next ?? hit.item.id));
        cursors[menu] = Math.max(0, index);
      });
      return {
        ...state,
        path: hit.path,
        cursors,
        showAll,
        overlay: { kind: 'none' },
        message: showAll && !state.showAll ? { text: 'showing every option (A): this one depends on another that is off', error: false } : undefined,
      };
    }
    return state;
  }
  if (overlay.kind === 'confirm-quit') {
    if (action.type === 'answer' && action.key === 'y') return { ...state, done: true };
    if (action.type === 'answer' && action.key === 's') return { ...state, overlay: { kind: 'save', thenQuit: true } };
    if (action.type === 'back' || (action.type === 'answer' && action.key === 'n')) return { ...state, overlay: { kind: 'none' } };
    return state;
  }
  if (overlay.kind === 'save') {
    const thenQuit = { ...(overlay.thenQuit === true ? { thenQuit: true } : {}), ...(overlay.form === undefined ? {} : { form: overlay.form }) };
    if (action.type === 'save-planned') return { ...state, overlay: { kind: 'save', files: action.files, ...thenQuit } };
    if (action.type === 'save-failed') return { ...state, overlay: { kind: 'save', error: action.error, ...thenQuit } };
    if (action.type === 'saved') {
      const wrote = action.files.filter((f) => f.status === 'wrote').length;
      return {
        ...state,
        saved: key(state.settings),
        overlay: { kind: 'none' },
        done: overlay.thenQuit === true,
        message: {
          text: `saved: ${wrote} file${wrote === 1 ? '' : 's'} written, ${action.files.length - wrote} unchanged${action.buildCommand === undefined ? '' : `; build with: ${action.buildCommand}`}`,
          error: false,
        },
      };
    }
    if (action.type === 'back' || (action.type === 'answer' && action.key === 'n')) return { ...state, overlay: { kind: 'none' } };
    if (action.type === 'scroll' && overlay.showDiff === true)
      return { ...state, overlay: { ...overlay, scroll: Math.max(0, (overlay.scroll ?? 0) + action.delta) } };
    if (action.type === 'answer' && action.key === 'd' && overlay.files !== undefined)
      return { ...state, overlay: { ...overlay, showDiff: overlay.showDiff !== true } };
    return state; // 'y' / Enter is handled by the app, which writes and answers with 'saved'
  }
  if (overlay.kind === 'info' && action.type === 'scroll')
    return { ...state, overlay: { ...overlay, scroll: Math.max(0, (overlay.scroll ?? 0) + action.delta) } };
  if (overlay.kind === 'info' && overlay.search !== undefined) return { ...state, overlay: { kind: 'search', ...overlay.search } };
  // ↑↓ in the pane move the menu's cursor and keep the pane open on the new item: the move is
  // made with the pane closed (a step on the same overlay would call itself for ever).
  if (overlay.kind === 'info' && (action.type === 'move' || action.type === 'move-to'))
    return { ...step(core, { ...state, overlay: { kind: 'none' } }, action), overlay: { kind: 'info' } };
  // Esc closes the pane and nothing more (it is not also "back" in the menu, or quit at the top).
  if (overlay.kind === 'info' && action.type === 'back') return { ...state, overlay: { kind: 'none' } };
  if (overlay.kind === 'info' && action.type !== 'info') return step(core, { ...state, overlay: { kind: 'none' } }, action);

  const list = currentItems(core, state);
  const cursor = Math.min(cursorOf(state), Math.max(0, list.length - 1));
  switch (action.type) {
    case 'move':
      return { ...state, cursors: { ...state.cursors, [currentMenu(state)]: Math.min(Math.max(0, list.length - 1), Math.max(0, cursor + action.delta)) } };
    case 'move-to': {
      const to = action.to === 'first' ? 0 : Math.max(0, list.length - 1);
      return { ...state, cursors: { ...state.cursors, [currentMenu(state)]: to } };
    }
    case 'set-bool': {
      const item = list[cursor];
      return item?.kind === 'bool' && item.on !== action.on ? activate(core, state, item, true) : state;
    }
    case 'jump': {
      // The next item whose label starts with the letter, after the cursor, wrapping.
      const letter = action.letter.toLowerCase();
      const order = [...list.keys()].map((i) => (cursor + 1 + i) % list.length);
      const found = order.find((i) => (list[i]?.label.trim().toLowerCase() ?? '').startsWith(letter));
      return found === undefined ? state : { ...state, cursors: { ...state.cursors, [currentMenu(state)]: found } };
    }
    case 'toggle-all':
      return {
        ...state,
        showAll: !state.showAll,
        message: { text: state.showAll ? 'showing the options that apply' : 'showing every option (- - marks those whose dependency is off)', error: false },
      };
    case 'toggle-names':
      return { ...state, showNames: !state.showNames };
    case 'open':
      return activate(core, state, list[cursor], false);
    case 'toggle':
      return activate(core, state, list[cursor], true);
    case 'back':
      return state.path.length > 1 ? { ...state, path: state.path.slice(0, -1), message: undefined } : step(core, state, { type: 'quit' });
    case 'undo': {
      const previous = state.past[state.past.length - 1];
      if (previous === undefined) return { ...state, message: { text: 'nothing to undo', error: false } };
      const selection = core.resolve(previous);
      if (!selection.ok) return state;
      return {
        ...state,
        settings: previous,
        selection: selection.value,
        estimate: core.estimate(selection.value, previous.scripts),
        baselineKib: core.baselineKib(selection.value),
        past: state.past.slice(0, -1),
        future: [state.settings, ...state.future],
        message: { text: 'undone', error: false },
      };
    }
    case 'redo': {
      const next = state.future[0];
      if (next === undefined) return { ...state, message: { text: 'nothing to redo', error: false } };
      const selection = core.resolve(next);
      if (!selection.ok) return state;
      return {
        ...state,
        settings: next,
        selection: selection.value,
        estimate: core.estimate(selection.value, next.scripts),
        baselineKib: core.baselineKib(selection.value),
        past: [...state.past, state.settings],
        future: state.future.slice(1),
        message: { text: 'redone', error: false },
      };
    }
    case 'info':
      return { ...state, overlay: overlay.kind === 'info' ? { kind: 'none' } : { kind: 'info' } };
    case 'search':
      return { ...state, overlay: { kind: 'search', query: '', index: 0 } };
    case 'save':
      return { ...state, overlay: { kind: 'save', ...(action.form === undefined ? {} : { form: action.form }) } };
    case 'quit':
      return dirty(state) ? { ...state, overlay: { kind: 'confirm-quit' } } : { ...state, done: true };
    default:
      return state;
  }
}
