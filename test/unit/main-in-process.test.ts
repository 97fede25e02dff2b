// The CLI's main() in process, with its streams and its process context given: commands read
// the working directory, the environment and the terminal from the context, never from process.*.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Streams } from '../../src/cli/main.js';
import { tempDir } from '../helpers/cli.js';

async function run(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const streams: Streams = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await main(argv, streams, { cwd, env, isTTY: false });
  return { code, out, err };
}

describe('main() in process', () => {
  it('prints an artifact to the given stream', async () => {
    const r = await run(['--profile=xen', '--print=drivers_config.h'], tempDir());
    expect(r.code).toBe(0);
    expect(r.out).toContain('#define CONF_drivers_xen 1\n');
  });

  it("writes into the context's working directory when it is an OSv checkout, not the process's", async () => {
    const tree = tempDir('osv-');
    mkdirSync(join(tree, 'conf', 'profiles'), { recursive: true });
    mkdirSync(join(tree, 'scripts'));
    writeFileSync(join(tree, 'scripts', 'build'), '#!/bin/sh\n');
    const r = await run(['--profile=nvme'], tree);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(tree, 'build', 'release.x64', 'gen', 'include', 'osv', 'drivers_config.h'), 'utf8')).toContain('#define CONF_drivers_nvme 1\n');
  });

  it('no arguments and no terminal (as the context says): exit 2', async () => {
    const r = await run([], tempDir());
    expect(r.code).toBe(2);
    expect(r.err).toContain('no arguments, and no terminal');
  });

  it("reads a relative app version script from the context's directory", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'app.vs'), '{\n  global:\n    printf;\n  local: *;\n};\n');
    const r = await run(['size', 'conf_hide_symbols=1', 'conf_version_script=app.vs', 'fs=rofs', '--json'], dir);
    expect(r.code, r.err).toBe(0);
    const other = await run(['size', 'conf_hide_symbols=1', 'conf_version_script=app.vs', 'fs=rofs', '--json'], tempDir());
    expect(other.code).toBe(1);
    expect(other.err).toContain('no such file');
  });
});
