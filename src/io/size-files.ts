// conf/size/<arch>.json: shipped data, validated at build time (scripts/build-assets.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SizeModel } from '../size/model.js';
import { PACKAGE_ROOT } from './catalog-files.js';

export const sizeModelPath = (arch: string): string => join(PACKAGE_ROOT, 'conf', 'size', `${arch}.json`);

export function loadSizeModel(arch: string): SizeModel {
  return JSON.parse(readFileSync(sizeModelPath(arch), 'utf8')) as SizeModel;
}

export function saveSizeModel(model: SizeModel): void {
  writeFileSync(sizeModelPath(model.arch), JSON.stringify(model, null, 2) + '\n');
}
