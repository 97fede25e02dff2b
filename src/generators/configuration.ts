// The saved configuration file (src/core/saved-config.ts has the format and reads it back).
import { savedSettings } from '../core/saved-config.js';
import type { Selection } from '../core/select.js';
import { dotConfigPath } from '../core/tree-layout.js';
import { renderTemplate } from './template.js';

export function renderConfiguration(selection: Selection): string {
  return renderTemplate('configuration', { lines: savedSettings(selection), dotConfig: dotConfigPath(selection.request) });
}
