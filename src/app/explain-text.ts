// The words of an explanation: `osvconf explain` and the configurator's info pane print the same.
import { driverSetting } from '../core/catalog.js';
import type { ChangeOutcome, Explanation, ProfileAccess } from '../core/explain.js';
import type { ArchCatalog } from '../core/catalog.js';
import type { ProfileSource } from '../core/profiles.js';
import { select } from '../core/select.js';
import { formatKibChange } from '../core/format.js';
import { definedAt } from '../io/defined-at.js';

/** One possible change: refused (why), taken but tripping a pitfall, or free; with its size. */
function changeLines(c: ChangeOutcome, shown: string): string[] {
  const size = c.kib === undefined ? '' : `  (${formatKibChange(c.kib)})`;
  if (c.refused.length > 0) return [`  change: ${c.setting}=${shown} is refused:`, ...c.refused.map((r) => `    ${r}`)];
  if (c.forced.length > 0) return [`  change: ${c.setting}=${shown} is accepted only because of --force:${size}`, ...c.forced.map((r) => `    ${r}`)];
  if (c.pitfalls.length > 0)
    return [
      `  change: ${c.setting}=${shown} is accepted, but trips a pitfall:${size}`,
      ...c.pitfalls.flatMap((p) => [`    ${p.message}`, `      hint: ${p.hint}`]),
    ];
  return [`  change: ${c.setting}=${shown} can be set freely${size}`];
}

const boolShown = (v: string): string => (v === 'y' ? '1' : v === 'n' ? '0' : v);
import type { Selection } from '../core/select.js';

/** The text of one explanation: `osvconf explain` and the TUI's info pane print the same. */
export function textOf(e: Explanation, selection: Selection): string {
  const lines: string[] = [];
  if (e.kind === 'driver') {
    lines.push(`${e.setting}=${e.value}  (${selection.request.arch}, profile ${selection.request.profile})`);
    lines.push(`  ${e.driver.description}  [${e.driver.group}]`);
    lines.push('  why:');
    for (const step of e.chain) lines.push(`    ${step}`);
    if (e.impliedBy.length > 0) lines.push(`  implied by: ${e.impliedBy.map(driverSetting).join(', ')}`);
    lines.push(`  implies: ${e.driver.implies.length > 0 ? e.driver.implies.map(driverSetting).join(', ') : 'nothing'}`);
    const other = e.value === 1 ? 0 : 1;
    if (e.blockers.length > 0) {
      lines.push(`  change: ${e.setting}=${other} is refused:`);
      for (const b of e.blockers) lines.push(`    ${b}`);
    } else for (const c of e.changes) lines.push(...changeLines(c, c.value));
    for (const p of e.pitfalls) lines.push(`  pitfall: ${p.message}`, `    hint: ${p.hint}`);
    for (const n of e.driver.notes) lines.push(`  note: ${n}`);
  } else if (e.kind === 'option') {
    const o = e.option;
    lines.push(`${e.setting}=${e.visible ? e.value : '(absent)'}  (Kconfig ${o.type}, menu ${o.menu}; ${e.origin === 'default' ? 'default' : 'command line'})`);
    lines.push(`  ${o.prompt}: ${o.help}`);
    lines.push(`  default: ${JSON.stringify(e.default)} for ${selection.request.arch} ${selection.request.mode}`);
    if (o.dependsOn !== undefined)
      lines.push(`  depends on: conf_${o.dependsOn}${e.visible ? '' : ' (off: this option is left out of .config and the headers)'}`);
    if (e.dependents.length > 0) lines.push(`  needed by: ${e.dependents.join(', ')}`);
    lines.push(
      o.makefile
        ? `  reaches the build: as the make variable ${e.setting} and through .config`
        : `  reaches the build: only through .config and the kernel_config headers (a command-line ${e.setting}=... alone does nothing)`,
    );
    if (o.note !== undefined) lines.push(`  note: ${o.note}`);
    for (const p of e.pitfalls) lines.push(`  pitfall: ${p.message}`, `    hint: ${p.hint}`);
    for (const c of e.changes) lines.push(...changeLines(c, boolShown(c.value)));
  } else if (e.kind === 'build-option') {
    const o = e.option;
    lines.push(`${o.setting}=${e.value}  (build option read by ${o.passedTo}; ${e.origin === 'default' ? 'default' : 'command line'})`);
    lines.push(`  ${o.prompt}: ${o.help}`);
    if (o.values !== undefined) {
      lines.push('  values:');
      const width = Math.max(...Object.keys(o.values).map((v) => v.length));
      for (const [v, facts] of Object.entries(o.values)) lines.push(`  ${v === e.value ? '*' : ' '} ${v.padEnd(width)}  ${facts.description}`);
    }
    if (e.facts?.libsolaris !== undefined)
      lines.push(
        `  libsolaris.so (the ZFS code): ${{ bootfs: "in loader.elf's bootfs", image: 'in the image (zfs module)', none: "neither in loader.elf's bootfs nor in the image" }[e.facts.libsolaris]}`,
      );
    for (const [d, v] of Object.entries(e.facts?.requires ?? {})) lines.push(`  needs: ${driverSetting(d)}=${v}`);
    if (o.onlyWith !== undefined) lines.push(`  matters only with: ${o.onlyWith.option}=${o.onlyWith.values.join(' or ')}`);
    for (const w of e.warnings) lines.push(`  problem: ${w.message}`);
    for (const c of e.changes) lines.push(...changeLines(c, c.value));
  } else {
    const p = e.profile;
    lines.push(`profile ${p.name}  (${selection.request.arch}${p.builtin ? '' : `, from ${p.source}`})`, `  ${p.description}`);
    if (p.hypervisors.length > 0) lines.push(`  for: ${p.hypervisors.join(', ')}`);
    if (p.aliasOf !== undefined) lines.push(`  same as: ${p.aliasOf}`);
    if (p.includes.length > 0) lines.push(`  includes: ${p.includes.join(', ')}`);
    if (p.sets.length > 0) lines.push(`  sets: ${p.sets.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    lines.push(`  turns on: ${e.enabled.map((f) => f.name).join(' ') || 'nothing'}`);
  }
  const where = definedAt(selection.request.arch, e);
  if (where !== undefined) lines.push(`  defined at: ${where}`);
  return lines.join('\n') + '\n';
}

/** What explain needs around a selection: its profiles, the selection a change makes, and sizes. */
export function explainAccess(selection: Selection, catalog: ArchCatalog, profiles: ProfileSource, sizeOf?: (s: Selection) => number): ProfileAccess {
  return {
    names: profiles.names(),
    get: (n) => profiles.get(n),
    resolveAlone: (n) =>
      select({ ...selection.request, profile: n, drivers: new Map(), kconfig: new Map(), options: new Map(), force: true, strict: false }, catalog, profiles),
    resolve: (request) => select(request, catalog, profiles),
    ...(sizeOf === undefined ? {} : { sizeOf }),
  };
}
