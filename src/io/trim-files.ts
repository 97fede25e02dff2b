// conf/<arch>/trim.json: the options osvconf tailor may turn off, with what only they export
// (shipped data, validated at build time). An arch without the file has nothing measured to trim by.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrimCandidate } from '../core/tailor.js';
import type { TrimJson } from '../generated/data-types.js';
import { PACKAGE_ROOT } from './catalog-files.js';

export interface MemoryLevel {
  readonly source: string;
  readonly build: string;
  readonly settings: readonly { readonly setting: string; readonly value: string; readonly risk: string }[];
}

export function loadTrimCandidates(arch: string): { candidates: TrimCandidate[]; osvCommit?: string; memoryLevels: Readonly<Record<string, MemoryLevel>> } {
  const file = join(PACKAGE_ROOT, 'conf', arch, 'trim.json');
  if (!/^[a-z0-9_-]+$/.test(arch) || !existsSync(file)) return { candidates: [], memoryLevels: {} };
  const data = JSON.parse(readFileSync(file, 'utf8')) as TrimJson;
  return {
    osvCommit: data.osv_commit,
    memoryLevels: data.memory_levels ?? {},
    candidates: data.options.map((o) => ({
      setting: o.setting,
      value: o.value,
      exports: o.exports,
      effect: o.effect,
      risk: o.risk,
      ...(o.static_needs === undefined ? {} : { staticNeeds: o.static_needs }),
    })),
  };
}
