// Where a driver, option or profile is defined in osvconf's data: "conf/x64/drivers.json:120".
// explain names it, so a user who disagrees with a fact knows which file to read or change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Explanation } from '../core/explain.js';
import { jsonPointer } from '../core/format.js';
import { lineCol, scanJson } from '../core/json-locate.js';
import { PACKAGE_ROOT } from './catalog-files.js';

const scans = new Map<string, { text: string; positions: ReadonlyMap<string, number> } | undefined>();

/** The file's text and where each JSON value starts (read once; undefined when unreadable). */
function scanned(file: string): { text: string; positions: ReadonlyMap<string, number> } | undefined {
  if (!scans.has(file)) {
    try {
      const text = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
      scans.set(file, { text, positions: scanJson(text).positions });
    } catch {
      scans.set(file, undefined);
    }
  }
  return scans.get(file);
}

function lineOf(file: string, pointer: string): string | undefined {
  const scan = scanned(file);
  const at = scan?.positions.get(pointer);
  return scan === undefined || at === undefined ? undefined : `${file}:${lineCol(scan.text, at).line}`;
}

/** file:line of the data an explanation is about, or undefined when it cannot be found. */
export function definedAt(arch: string, e: Explanation): string | undefined {
  switch (e.kind) {
    case 'driver': {
      const file = `conf/${arch}/drivers.json`;
      const text = scanned(file)?.text;
      if (text === undefined) return undefined;
      const drivers = (JSON.parse(text) as { drivers: { name: string }[] }).drivers;
      const i = drivers.findIndex((d) => d.name === e.driver.name);
      return lineOf(file, jsonPointer('drivers', i, 'name'));
    }
    case 'option': {
      const file = 'conf/kconfig.json';
      const text = scanned(file)?.text;
      if (text === undefined) return undefined;
      const menus = (JSON.parse(text) as { menus: { options: { name: string }[] }[] }).menus;
      for (const [m, menu] of menus.entries()) {
        const o = menu.options.findIndex((x) => x.name === e.option.name);
        if (o >= 0) return lineOf(file, jsonPointer('menus', m, 'options', o, 'name'));
      }
      return undefined;
    }
    case 'build-option': {
      const file = 'conf/options.json';
      const text = scanned(file)?.text;
      if (text === undefined) return undefined;
      const options = (JSON.parse(text) as { options: { name: string }[] }).options;
      const i = options.findIndex((o) => o.name === e.option.name);
      return lineOf(file, jsonPointer('options', i, 'name'));
    }
    case 'profile':
      return e.profile.builtin ? `profiles/${arch}/${e.profile.name}.json:1` : `${e.profile.source}:1`;
  }
}
