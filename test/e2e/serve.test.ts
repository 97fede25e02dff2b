// osvconf serve through a real child process: a client drives a whole configuration from load to
// save over stdin/stdout, one JSON line each way, waiting for each answer (never sleeping).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, osvconf, tempDir, osvTree } from '../helpers/cli.js';

type Answer = {
  id: unknown;
  ok: boolean;
  result?: Record<string, unknown>;
  changed?: Record<string, { value: string; visible: boolean }>;
  error?: { message: string; hint?: string };
  size?: { kib: number } | null;
  warnings?: { code: string }[];
};

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => children.splice(0).forEach((c) => c.kill()));

/** A client of one server process: send() writes a line and resolves with the next answer line. */
function server(cwd: string) {
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const w = waiting.shift();
      if (w !== undefined) w(line);
      else lines.push(line);
    }
  });
  const next = (): Promise<string> => new Promise((resolve) => (lines.length > 0 ? resolve(lines.shift() as string) : waiting.push(resolve)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    next,
    exited,
    async send(request: unknown): Promise<Answer> {
      child.stdin.write(`${typeof request === 'string' ? request : JSON.stringify(request)}\n`);
      return JSON.parse(await next()) as Answer;
    },
    end: () => child.stdin.end(),
  };
}

describe('osvconf serve', () => {
  it('drives a configuration from load to save, answering each request with what changed', async () => {
    const tree = osvTree();
    const start = join(tree, 'start.osvconf');
    writeFileSync(start, osvconf(['--profile=virtio-pci', 'conf_hide_symbols=1', '--print=configuration']).stdout);
    const s = server(tree);
    const greeting = JSON.parse(await s.next()) as { protocol: number; methods: string[] };
    expect(greeting.protocol).toBe(1);
    expect(greeting.methods).toEqual(expect.arrayContaining(['load', 'set', 'reset', 'explain', 'size', 'plan', 'save', 'quit']));

    const loaded = await s.send({ id: 1, method: 'load', params: { files: [start] } });
    expect(loaded).toMatchObject({ id: 1, ok: true });
    expect(loaded.changed?.['conf_drivers_profile']).toEqual({ value: 'virtio-pci', visible: true });
    expect(loaded.changed?.['conf_hide_symbols']).toEqual({ value: 'y', visible: true });
    const size0 = loaded.size?.kib as number;

    // nvme on: nvme changes (pci is on already), and the size grows by osvconf size's amount.
    const nvme = await s.send({ id: 2, method: 'set', params: { settings: { conf_drivers_nvme: 1 } } });
    expect(nvme.ok).toBe(true);
    expect(Object.keys(nvme.changed ?? {})).toEqual(['conf_drivers_nvme']);
    const cliSize = (args: string[]) => (JSON.parse(osvconf(['size', ...args, '--json']).stdout) as { kernel_kib: number }).kernel_kib;
    expect((nvme.size?.kib as number) - size0).toBeCloseTo(
      cliSize(['--profile=virtio-pci', 'conf_hide_symbols=1', 'conf_drivers_nvme=1']) - cliSize(['--profile=virtio-pci', 'conf_hide_symbols=1']),
      0,
    );

    // A dependency off: the dependent options become invisible, and say so.
    const tp = await s.send({ id: 3, method: 'set', params: { settings: { conf_tracepoints: '0' } } });
    expect(tp.changed?.['conf_tracepoints']).toEqual({ value: 'n', visible: true });
    expect(tp.changed?.['conf_tracepoints_strace']?.visible).toBe(false);

    // A refused change leaves the session as it was: the next answer shows nothing changed.
    const refused = await s.send({ id: 4, method: 'set', params: { settings: { conf_drivers_pci: 0 } } });
    expect(refused).toMatchObject({ id: 4, ok: false });
    expect(refused.error?.message).toMatch(/conf_drivers_pci=0 .*conflicts with/);
    const same = await s.send({ id: 5, method: 'size', params: {} });
    expect(same.changed).toEqual({});

    const explained = await s.send({ id: 6, method: 'explain', params: { name: 'nvme' } });
    expect(explained.result?.['text']).toMatch(/^conf_drivers_nvme=1 {2}\(x64, profile virtio-pci\)/);

    const reset = await s.send({ id: 7, method: 'reset', params: { names: ['conf_tracepoints'] } });
    expect(reset.changed?.['conf_tracepoints']).toEqual({ value: 'y', visible: true });

    const planned = await s.send({ id: 8, method: 'plan', params: { out: tree, form: 'minimal' } });
    expect((planned.result?.['files'] as { status: string }[]).every((f) => f.status === 'would-write')).toBe(true);
    const saved = await s.send({ id: 9, method: 'save', params: { out: tree, form: 'minimal' } });
    expect(saved.ok).toBe(true);
    // What it wrote is what the CLI writes for the same selection.
    const same_args = ['--profile=virtio-pci', 'conf_hide_symbols=1', 'conf_drivers_nvme=1'];
    expect(readFileSync(join(tree, 'conf', 'osvconf', 'release.x64.osvconf'), 'utf8')).toBe(
      osvconf([...same_args, '--minimal', '--print=configuration']).stdout,
    );
    expect(readFileSync(join(tree, 'conf', 'osvconf', 'release.x64.config'), 'utf8')).toBe(osvconf([...same_args, '--print=.config']).stdout);
    expect(saved.result?.['build_command']).toBe(osvconf([...same_args, '--print=build-command']).stdout.trimEnd());

    expect(await s.send({ id: 10, method: 'quit', params: {} })).toMatchObject({ id: 10, ok: true });
    expect(await s.exited).toBe(0);
  });

  it('answers bad requests with errors and carries on; an overlong line is refused without being kept', async () => {
    const s = server(tempDir());
    await s.next();
    expect(await s.send('not json')).toMatchObject({ id: null, ok: false });
    expect(await s.send('[1,2]')).toMatchObject({ id: null, ok: false });
    expect((await s.send({ id: 'a', method: 'sav' })).error?.message).toMatch(/unknown method "sav" \(did you mean "save"\?\)/);
    expect((await s.send({ id: 'b', method: 'set', params: { settings: { conf_drivers_nvmee: '1' } } })).error?.message).toMatch(/did you mean/);
    expect((await s.send('x'.repeat(2 * 1024 * 1024))).error?.message).toMatch(/longer than/);
    expect((await s.send({ id: 'd', method: 'save', params: { out: '' } })).error?.message).toMatch(/"out" must be a directory path/);
    expect((await s.send({ id: 'e', method: 'set', params: { settings: { constructor: '1' } } })).error?.message).toMatch(/unknown setting "constructor"/);
    expect((await s.send({ id: 'f', method: 'reset', params: { names: ['bogus'] } })).error?.message).toMatch(/nothing to reset: bogus/);
    expect((await s.send({ id: 'g' })).error?.message).toMatch(/needs "method"/);
    expect(await s.send('\uFEFF{"id": "h", "method": "values"}\r')).toMatchObject({ id: 'h', ok: true });
    expect(await s.send({ id: 'c', method: 'values' })).toMatchObject({ id: 'c', ok: true });
    s.end();
    expect(await s.exited).toBe(0);
  });
});
