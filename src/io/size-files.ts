// conf/size/<arch>.json and conf/size/attribution.json: shipped data, validated against their
// schemas at build time (scripts/build-assets.mjs), so they are read here as their schema types.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttributionJson } from '../generated/data-types.js';
import type { SizeModel } from '../size/model.js';
import { PACKAGE_ROOT } from './catalog-files.js';

export const sizeModelPath = (arch: string): string => join(PACKAGE_ROOT, 'conf', 'size', `${arch}.json`);

export function loadSizeModel(arch: string): SizeModel {
  return JSON.parse(readFileSync(sizeModelPath(arch), 'utf8')) as SizeModel;
}

export function saveSizeModel(model: SizeModel): void {
  writeFileSync(sizeModelPath(model.arch), JSON.stringify(model, null, 2) + '\n');
}

/** The rules attributing a kernel's symbols to components (conf/size/attribution.json). */
export function loadAttribution(): AttributionJson {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'conf', 'size', 'attribution.json'), 'utf8')) as AttributionJson;
}
