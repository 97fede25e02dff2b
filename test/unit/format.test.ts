// The code is formatted by prettier (.prettierrc.json); `npm run format` rewrites what drifted.
// Checked in process on every source, test, script and benchmark file git knows.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

describe('formatting', () => {
  it('every source file is as prettier writes it', async () => {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'src', 'test', 'scripts', 'bench', 'bin', 'vitest.config.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|tsx|mjs|cjs)$/.test(f) && !f.startsWith('src/generated/') && !f.startsWith('test/fixtures/reference/'));
    expect(files.length).toBeGreaterThan(50);
    const unformatted: string[] = [];
    for (const file of files) {
      const path = join(ROOT, file);
      const options = await prettier.resolveConfig(path);
      if (!(await prettier.check(readFileSync(path, 'utf8'), { ...options, filepath: path }))) unformatted.push(file);
    }
    expect(unformatted, 'run npm run format').toEqual([]);
  });
});
