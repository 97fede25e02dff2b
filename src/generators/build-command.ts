// The ./scripts/build line that builds the selection, with the parameter names OSv honours today
// (conf_drivers_profile, not the ignored drivers_profile), fs= and the build options. Kconfig
// options OSv's Makefile reads are passed when they differ from their default; header-only
// options reach the build only through .config, which --out writes.
import { customProfile } from '../core/custom-profile.js';
import { defaultValue } from '../core/kconfig.js';
import type { Selection, Warning } from '../core/select.js';
import { renderTemplate } from './template.js';

/** POSIX shell quoting: bare when safe, else single quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function changed(selection: Selection) {
  const { arch, mode } = selection.request;
  return selection.kconfig.filter((k) => k.visible && k.value !== defaultValue(k.option, arch, mode));
}

export function renderBuildCommand(selection: Selection): string {
  const { arch, mode } = selection.request;
  const words = [`arch=${arch}`, `mode=${mode}`, `conf_drivers_profile=${customProfile(selection).name}`];
  // fs= always (scripts/build's default, zfs, surprises people who want no ZFS); make's own
  // options only when they differ from their default.
  for (const o of selection.options) {
    if (o.option.passedTo === 'scripts/build' || o.value !== o.option.default) words.push(`${o.option.setting}=${o.value}`);
  }
  for (const k of changed(selection)) {
    if (!k.option.makefile) continue;
    const value = k.option.type === 'bool' ? (k.value === 'y' ? '1' : '0') : k.value;
    words.push(`conf_${k.option.name}=${value}`);
  }
  return renderTemplate('build-command', { words: words.map(shellQuote) });
}

export function buildCommandNotes(selection: Selection): Warning[] {
  const notes: Warning[] = [];
  const { name, needsFile } = customProfile(selection);
  if (needsFile) {
    notes.push({ code: 'needs-profile-file', message: `the build needs conf/profiles/${selection.request.arch}/${name}.mk in the OSv tree`, hint: 'osvconf --out=<osv tree> writes it (or --print=profile.mk)' });
  }
  const headerOnly = changed(selection).filter((k) => !k.option.makefile);
  if (headerOnly.length > 0) {
    notes.push({
      code: 'header-only-options',
      message: `${headerOnly.map((k) => `conf_${k.option.name}`).join(', ')} reach${headerOnly.length === 1 ? 'es' : ''} the build only through .config, not the command line`,
      hint: `osvconf --out=<osv tree> writes build/${selection.request.mode}.${selection.request.arch}/.config; OSv resets .config to defaults when conf/*.mk files are newer than it, so run osvconf --out again after changing them`,
    });
  }
  return notes;
}
