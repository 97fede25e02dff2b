// The saved configuration file (src/core/saved-config.ts has the format and reads it back).
import { savedSettings } from '../core/saved-config.js';
import type { Selection } from '../core/select.js';
import { dotConfigPath } from '../core/tree-layout.js';
import { renderTemplate } from './template.js';

/** The file, from its lines (default: the request as given; core/saved-forms.ts makes the others). */
export function renderConfiguration(selection: Selection, lines: readonly string[] = savedSettings(selection)): string {
  return renderTemplate('configuration', { lines, dotConfig: dotConfigPath(selection.request) });
}
