// osvconf tailor: the smallest kernel for one app. What the app imports keeps the options that
// export it; a statically linked app keeps the system call entry; every option turned off has its
// evidence, and the result still passes --strict (no link failure seen in a build).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, osvconf, osvTree, tempDir } from '../helpers/cli.js';
import { writeElf } from '../helpers/elf-writer.js';

const EM_X86_64 = 62;
const trim = JSON.parse(readFileSync(join(ROOT, 'conf', 'x64', 'trim.json'), 'utf8')) as { options: { setting: string; exports: string[] }[] };
const exportsOf = (setting: string): string[] => trim.options.find((o) => o.setting === setting)?.exports ?? [];

function app(name: string, imports: string[]): string {
  const file = join(tempDir('osvconf-app-'), name);
  writeFileSync(
    file,
    writeElf({ machine: EM_X86_64, type: 3, symbols: [...imports.map((i) => ({ name: i, version: 'GLIBC_2.2.5' })), { name: 'main', defined: true }] }),
  );
  return file;
}

interface Report {
  before_kib: number;
  after_kib: number;
  static: boolean;
  settings: string[];
  decisions: { setting: string; value: string; taken: boolean; why: string; risk: string; saves_kib?: number }[];
}
const tailored = (args: string[]): Report => {
  const run = osvconf(['tailor', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Report;
};

describe('osvconf tailor', () => {
  it('a hello app: every measured option it does not need goes, each with its evidence and saving; the result passes --strict', () => {
    const r = tailored([app('hello', ['puts', 'printf', '__libc_start_main']), '--profile=virtio-pci', 'fs=rofs']);
    const off = r.decisions.filter((d) => d.taken);
    expect(off.length).toBeGreaterThan(3);
    for (const d of off) {
      expect(d.why).toContain('links without it (seen in a build)');
      expect(d.risk.length).toBeGreaterThan(10);
      expect(d.saves_kib).toBeGreaterThanOrEqual(0);
    }
    // System calls off lets the networking stack go too (it does not link alone: core/io_uring.o).
    expect(off.map((d) => d.setting)).toContain('conf_core_syscall');
    expect(off.map((d) => d.setting)).toContain('conf_networking_stack');
    expect(r.after_kib).toBeLessThan(r.before_kib - 300);
    expect(r.settings).toContain('conf_hide_symbols=1');
    const strict = osvconf(['--profile=virtio-pci', ...r.settings, '--strict', '--print=drivers_config.h']);
    expect(strict.code, strict.stderr).toBe(0);
  });

  it('an app that imports a symbol an option provides keeps that option, and says which symbol', () => {
    for (const setting of ['conf_networking_stack', 'conf_core_epoll']) {
      const provided = exportsOf(setting);
      expect(provided.length, setting).toBeGreaterThan(0);
      const symbol = provided.includes('socket') ? 'socket' : provided.includes('epoll_wait') ? 'epoll_wait' : (provided[0] as string);
      const r = tailored([app('server', ['puts', symbol]), '--profile=virtio-pci']);
      const d = r.decisions.find((x) => x.setting === setting);
      expect(d?.taken, setting).toBe(false);
      expect(d?.why).toContain(`the app imports ${symbol}`);
      expect(r.settings.some((s) => s.startsWith(`${setting}=`))).toBe(false);
    }
  });

  const hasStaticLibc = spawnSync('gcc', ['-print-file-name=libc.a'], { encoding: 'utf8' }).stdout.trim().startsWith('/');
  it.skipIf(!hasStaticLibc && process.env['CI'] !== 'true')('a statically linked app keeps the system call entry it calls through', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hello.c'), '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n');
    const built = spawnSync('gcc', ['-static', '-O1', '-o', join(dir, 'hello'), join(dir, 'hello.c')], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const r = tailored([join(dir, 'hello'), '--profile=virtio-pci']);
    expect(r.static).toBe(true);
    const syscall = r.decisions.find((d) => d.setting === 'conf_core_syscall');
    expect(syscall?.taken).toBe(false);
    expect(syscall?.why).toContain('statically linked');
  });

  it('--out writes the tree and the version script; the saved configuration carries the trims', () => {
    const tree = osvTree();
    const hello = app('hello', ['puts', '__libc_start_main']);
    const run = osvconf(['tailor', hello, '--profile=virtio-pci', 'fs=rofs', `--out=${tree}`]);
    expect(run.code, run.stderr).toBe(0);
    // The whole report, on its lines, before what was written.
    expect(run.stdout).toMatch(/^tailored for hello \(x64, dynamically linked\)/);
    expect(run.stdout).toMatch(/\n {2}off {3}conf_core_syscall=0 .*\n {8}why: /);
    expect(run.stdout).toContain(`wrote`);
    const printed = osvconf(['tailor', hello, '--profile=virtio-pci', 'fs=rofs', '--print=kernel_conf.mk']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/^conf_/m);
    expect(printed.stderr).toMatch(/note: tailored for hello: [\d,]+ KiB -> [\d,]+ KiB estimated, \d+ settings changed/);
    expect(existsSync(join(tree, 'hello.version_script'))).toBe(true);
    const saved = readFileSync(join(tree, 'conf', 'osvconf', 'release.x64.osvconf'), 'utf8');
    expect(saved).toMatch(/^conf_core_syscall=0$/m);
    expect(saved).toMatch(/^conf_version_script=hello\.version_script$/m);
    expect(readFileSync(join(tree, 'hello.version_script'), 'utf8')).toContain('puts;');
    // What osvconf size says of the tree's new configuration is the estimate tailor reported.
    const reported = tailored([hello, '--profile=virtio-pci', 'fs=rofs']).after_kib;
    const size = osvconf(['size', `--load=${join(tree, 'conf', 'osvconf', 'release.x64.osvconf')}`, `--out=${tree}`, '--json'], { cwd: tree });
    expect(size.code, size.stderr).toBe(0);
    expect((JSON.parse(size.stdout) as { kernel_kib: number }).kernel_kib).toBeCloseTo(reported, 0);
  });
});

describe('osvconf tailor --memory=LEVEL', () => {
  it("minimal: OSv's hello example's memory values, each with its risk; the hello kernel is then no larger than OSv's hand-tuned example", () => {
    const builds = (
      JSON.parse(readFileSync(join(ROOT, 'conf', 'x64', 'builds.json'), 'utf8')) as { builds: { name: string; args: string[]; version_script?: string[] }[] }
    ).builds;
    const example = builds.find((b) => b.name === 'example-libc-virtio-pci');
    expect(example).toBeDefined();
    const dir = tempDir();
    writeFileSync(
      join(dir, 'example.version_script'),
      `{\n  global:\n${(example?.version_script ?? []).map((n) => `    ${n};\n`).join('')}  local:\n    *;\n};\n`,
    );
    const theirs = JSON.parse(
      osvconf(['size', ...(example?.args ?? []), `conf_version_script=${join(dir, 'example.version_script')}`, '--compare=none', '--json']).stdout,
    ) as { kernel_kib: number };
    const ours = tailored([app('hello', ['puts', 'abort', '__libc_start_main']), '--profile=virtio-pci', 'fs=rofs', '--memory=minimal']);
    const tunables = ours.decisions.filter((d) => d.why.startsWith('memory level minimal'));
    expect(tunables.length).toBeGreaterThan(5);
    for (const t of tunables) expect(t.risk.length).toBeGreaterThan(10);
    expect(ours.after_kib).toBeLessThanOrEqual(theirs.kernel_kib + 0.5);
    // Without --memory no tunable is touched.
    const plain = tailored([app('hello', ['puts']), '--profile=virtio-pci']);
    expect(plain.decisions.some((d) => d.why.startsWith('memory level'))).toBe(false);
  });

  it('an unknown level is refused with the levels there are', () => {
    const run = osvconf(['tailor', app('hello', ['puts']), '--memory=minimun']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no memory level "minimun" (did you mean "minimal"?)');
  });
});

describe('osvconf tailor and what you set yourself', () => {
  it('an option or tunable you set on the command line stands, and the report says so', () => {
    const r = tailored([app('hello', ['puts']), '--profile=virtio-pci', 'conf_tracepoints=1', 'conf_fs_buffer_cache_size=64', '--memory=minimal']);
    const tracepoints = r.decisions.find((d) => d.setting === 'conf_tracepoints');
    expect(tracepoints?.taken).toBe(false);
    expect(tracepoints?.why).toBe('you set conf_tracepoints=1');
    expect(r.settings.filter((s) => s.startsWith('conf_tracepoints='))).toEqual(['conf_tracepoints=1']);
    expect(r.settings.filter((s) => s.startsWith('conf_fs_buffer_cache_size='))).toEqual(['conf_fs_buffer_cache_size=64']);
  });
});
