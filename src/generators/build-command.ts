// The ./scripts/build line that builds the selection, with the parameter names OSv honours today
// (conf_drivers_profile, not the ignored drivers_profile), fs= and the build options. The Kconfig
// options reach the build through conf_dot_file= (OSv's make copies that file to .config and
// derives kernel_conf.mk and the per-option headers from it); those OSv's Makefile reads are
// also passed when they differ from their default, so that the line says what matters.
import { customProfile } from '../core/custom-profile.js';
import { defaultValue } from '../core/kconfig.js';
import type { Selection, Warning } from '../core/select.js';
import { dotConfigPath, profilePath } from '../core/tree-layout.js';
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
  const words = [`arch=${arch}`, `mode=${mode}`, `conf_dot_file=${dotConfigPath(selection.request)}`, `conf_drivers_profile=${customProfile(selection).name}`];
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
  const files = [dotConfigPath(selection.request), ...(needsFile ? [profilePath(selection.request.arch, name)] : [])];
  notes.push({ code: 'needs-tree-files', message: `the build reads ${files.join(' and ')} in the OSv tree`, hint: 'osvconf --out=<osv tree> writes them' });
  return notes;
}
