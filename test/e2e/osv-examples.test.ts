// OSv's own hand-tuned example configurations (conf/examples/minimal_microvm/*.config.<arch>) load
// with their values kept: a .config sets no fs, so the default (zfs) is not forced on it when its
// version script hides what libsolaris.so needs; the fs it needs is offered, and named. The files
// come from the OSv checkout in OSVCONF_OSV_TREE when there is one, else from a copy written here
// in the examples' form (OSv's own files are not in this repository).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvconf, osvTree } from '../helpers/cli.js';
import { EXAMPLES, writeExample } from '../helpers/osv-examples.js';

const REAL = process.env['OSVCONF_OSV_TREE'];

describe("OSv's example .config files", () => {
  const tree = osvTree();
  const examples =
    REAL !== undefined && existsSync(join(REAL, EXAMPLES)) ? ['hello_world_libc.config.x64', 'hello_world_static.config.x64'] : writeExample(tree);
  const source = REAL !== undefined && existsSync(join(REAL, EXAMPLES)) ? REAL : tree;
  if (source !== tree) {
    mkdirSync(join(tree, EXAMPLES), { recursive: true });
    for (const f of [...examples, 'hello_world_libc.version_script', 'hello_world_static.version_script'])
      writeFileSync(join(tree, EXAMPLES, f), readFileSync(join(source, EXAMPLES, f)));
  }

  for (const example of examples) {
    it(`--load=${example} --out=. keeps its values, and offers fs=rofs with the reason`, () => {
      const run = osvconf([`--load=${EXAMPLES}/${example}`, '--out=.'], { cwd: tree });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/note: fs=rofs: .* sets no fs \(a \.config never does\), and fs=zfs loads libsolaris\.so/);
      const written = readFileSync(join(tree, 'conf', 'osvconf', 'release.x64.config'), 'utf8');
      expect(written).toContain('# CONF_networking_stack is not set');
      expect(written).toContain('CONF_hide_symbols=y');
      expect(written).toContain(`CONF_version_script="${EXAMPLES}/hello_world_`);
      expect(readFileSync(join(tree, 'conf', 'osvconf', 'release.x64.osvconf'), 'utf8')).toMatch(/^fs=rofs$/m);
      expect(readFileSync(join(tree, 'conf', 'osvconf', 'release.x64.osvconf'), 'utf8')).toMatch(/^conf_networking_stack=0$/m);
    });
  }

  it("fs=zfs given on the command line is the user's choice: refused with the reason, not changed", () => {
    const run = osvconf([`--load=${EXAMPLES}/${examples[0] as string}`, 'fs=zfs', '--out=.', '--dry-run'], { cwd: tree });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('fs=zfs loads libsolaris.so');
  });
});
