// The npm package as a user gets it: `npm pack`, installed into an empty project from the tarball
// (dependencies from npm's cache when it has them), then the osvconf command on PATH and the
// library API, in JavaScript and type-checked TypeScript.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, osvconf, tempDir } from '../helpers/cli.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the npm package', () => {
  it('installs from npm pack and runs: the command, the library, its types', () => {
    const dir = tempDir('osvconf-pack-');
    // dist/ is built by npm test's pretest; --ignore-scripts so packing does not rebuild it under
    // the tests running beside this one.
    execFileSync(NPM, ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, stdio: 'ignore' });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'osvconf-user', version: '1.0.0', type: 'module', private: true }));
    const install = spawnSync(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball as string)], { cwd: app, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    // Everything it runs is bundled into dist/: the install is osvconf alone, nothing pulled in.
    expect(readdirSync(join(app, 'node_modules')).filter((f) => !f.startsWith('.'))).toEqual(['osvconf']);
    const kib = Number(execFileSync('du', ['-sk', join(app, 'node_modules', 'osvconf')], { encoding: 'utf8' }).split('\t')[0]);
    // The README states the install size (about 3 MB): a doubling would be noticed here.
    expect(kib).toBeLessThan(6 * 1024);

    // The command, as `npm install -g` or npx would put it on PATH.
    const bin = join(app, 'node_modules', '.bin', 'osvconf');
    const cli = spawnSync(bin, ['--profile=virtio-kvm', '--print=drivers_config.h'], { cwd: app, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toBe(osvconf(['--profile=virtio-kvm', '--print=drivers_config.h']).stdout);

    // The library.
    writeFileSync(
      join(app, 'use.mjs'),
      `import { resolve, render, estimate } from 'osvconf';
const s = await resolve({ profile: 'virtio-kvm', settings: ['conf_hide_symbols=1'] });
if (!s.ok) throw new Error(s.error.message);
const h = render(s.value, 'drivers_config.h');
const e = estimate(s.value);
const bad = await resolve({ profile: 'virtio-kvn' });
console.log(JSON.stringify({ header: h.ok ? h.value : null, kib: e.ok ? Math.round(e.value.kernelKib) : null, bad: bad.ok ? null : bad.error.message }));
`,
    );
    // require() works too (Node's require of an ES module without top-level await: 20.19+, 22.12+).
    writeFileSync(join(app, 'use.cjs'), `require('osvconf').resolve({ profile: 'virtio-kvm' }).then((s) => console.log(s.ok));\n`);
    const required = spawnSync(process.execPath, ['use.cjs'], { cwd: app, encoding: 'utf8' });
    expect(required.status, required.stderr).toBe(0);
    expect(required.stdout).toBe('true\n');
    const used = spawnSync(process.execPath, ['use.mjs'], { cwd: app, encoding: 'utf8' });
    expect(used.status, used.stderr).toBe(0);
    const got = JSON.parse(used.stdout) as { header: string; kib: number; bad: string };
    expect(got.header).toBe(osvconf(['--profile=virtio-kvm', 'conf_hide_symbols=1', '--print=drivers_config.h']).stdout);
    const size = JSON.parse(osvconf(['size', '--profile=virtio-kvm', 'conf_hide_symbols=1', '--json']).stdout) as { kernel_kib: number };
    expect(got.kib).toBe(Math.round(size.kernel_kib));
    expect(got.bad).toMatch(/unknown profile "virtio-kvn".*did you mean "virtio-kvm"/);

    // The declarations: a TypeScript user gets the types (and a wrong call fails to compile).
    writeFileSync(
      join(app, 'use.ts'),
      `import { resolve, render, type Selection } from 'osvconf';
const s = await resolve({ profile: 'virtio-kvm' });
if (s.ok) { const sel: Selection = s.value; const text: string = render(sel, 'drivers_config.h').ok ? 'ok' : 'no'; console.log(text); }
`,
    );
    writeFileSync(join(app, 'wrong.ts'), `import { resolve } from 'osvconf';\nawait resolve({ profile: 42 });\n`);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] },
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const good = spawnSync(process.execPath, [tsc, '-p', '.', '--noEmit'], { cwd: app, encoding: 'utf8' });
    expect(good.status, good.stdout).not.toBe(0); // wrong.ts is in the project
    expect(good.stdout).toMatch(/wrong\.ts.*error TS2322/);
    expect(good.stdout).not.toMatch(/use\.ts/);
  }, 180_000);
});
