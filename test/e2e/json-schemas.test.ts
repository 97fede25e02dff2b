// Every --json output has a JSON Schema in schemas/ (shipped with the package), and what the
// commands print validates against it: successes, failures (the error object) and the server's
// lines. Every schema is used here, so none can go stale unnoticed.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, osvconf, tempDir } from '../helpers/cli.js';

const SCHEMAS = join(ROOT, 'schemas');
// ajv is CommonJS: its class is the module's default export, or that export's `default`.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as new (o: object) => import('ajv').default;
const ajv = new Ajv({ allErrors: true, strict: false });
const names = readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json'));
for (const f of names) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')) as object, f.replace(/\.schema\.json$/, ''));
const used = new Set<string>();

function check(schema: string, text: string): void {
  used.add(schema);
  const value: unknown = JSON.parse(text);
  const validate = ajv.getSchema(schema);
  expect(validate, schema).toBeDefined();
  const valid = validate?.(value);
  expect([schema, valid ? [] : validate?.errors]).toEqual([schema, []]);
}

function tree(): string {
  const dir = tempDir('json-tree-');
  spawnSync('mkdir', ['-p', join(dir, 'conf', 'profiles'), join(dir, 'scripts')]);
  writeFileSync(join(dir, 'scripts', 'build'), '#!/bin/sh\n');
  return dir;
}

describe('--json outputs and their schemas', () => {
  it('every command validates, success and failure', () => {
    const t = tree();
    const ok = (schema: string, args: string[], cwd = ROOT) => {
      // --json goes before a `--` (what follows is the VM's command line).
      const at = args.indexOf('--');
      const r = osvconf(at < 0 ? [...args, '--json'] : [...args.slice(0, at), '--json', ...args.slice(at)], { cwd });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      check(schema, r.stdout);
    };
    ok('configure', ['--profile=virtio-kvm', 'conf_drivers_scsi=0', 'conf_hide_symbols=0', '--force']);
    ok('configure', ['--profile=virtio-mmio', `--out=${t}`, '--dry-run']);
    ok('configure', ['--profile=virtio-mmio', `--out=${t}`]);
    ok('list-profiles', ['list', 'profiles']);
    ok('list-drivers', ['list', 'drivers', '--arch=aarch64']);
    ok('list-options', ['list', 'options']);
    for (const name of ['nvme', 'conf_hide_symbols', 'fs', 'virtio-kvm', 'pci']) ok('explain', ['explain', name, '--profile=virtio-pci']);
    ok('explain-overview', ['explain']);
    ok('size', ['size', '--profile=virtio-kvm', 'fs=rofs']);
    ok('size', ['size', '--profile=virtio-kvm', `--elf=${process.execPath}`, '--compare=none']);
    const saved = join(t, 'conf', 'osvconf', 'release.x64.osvconf');
    const other = join(t, 'other.config');
    writeFileSync(other, osvconf(['--profile=virtio-pci', 'conf_tracepoints=0', '--print=.config']).stdout);
    ok('diff', ['diff', saved, other]);
    ok('diff', ['diff', saved, 'conf_tracepoints=0']);
    ok('get', ['get', 'fs', 'conf_drivers_nvme', `--in=${saved}`]);
    ok('symbols', ['symbols', process.execPath]);
    ok('from', ['from', 'qemu', '--', 'qemu-system-x86_64', '-enable-kvm', '-drive', 'file=usr.img,if=virtio', '-nic', 'user,model=e1000']);
    ok('from', ['from', 'qemu', '--arch=aarch64', 'fs=ramfs', '--', '-M', 'virt', '-nodefaults']);
    ok('run-args', ['run-args', '--profile=virtio-mmio']);
    ok('run-args', ['run-args', '--profile=all', '--vm=firecracker']);
    const imported = tempDir('json-import-');
    spawnSync('mkdir', ['-p', join(imported, 'conf', 'profiles', 'x64')]);
    writeFileSync(join(imported, 'conf', 'profiles', 'x64', 'base.mk'), osvconf(['--print=base.mk']).stdout);
    writeFileSync(join(imported, 'conf', 'profiles', 'x64', 'mine.mk'), 'include conf/profiles/$(arch)/base.mk\nconf_drivers_virtio_blk?=1\n');
    ok('import', ['import', imported, `--to=${tempDir('json-to-')}`]);
    for (const bad of [
      ['--profile=nosuch'],
      ['list', 'nothing'],
      ['explain', 'nosuch'],
      ['size', '--mode=debug'],
      ['diff', '/nonexistent/a', '/nonexistent/b'],
      ['--unknown-flag'],
    ]) {
      const r = osvconf([...bad, '--json']);
      expect(r.code, bad.join(' ')).not.toBe(0);
      if (r.stdout !== '') check('error', r.stdout);
      else expect(bad).toEqual(['--unknown-flag']); // refused before --json is read
    }
  });

  it("the server's lines validate", () => {
    const requests = [
      { id: 1, method: 'set', params: { settings: { conf_drivers_profile: 'virtio-kvm' } } },
      { id: 2, method: 'set', params: { settings: { conf_drivers_pci: '0' } } },
      { id: 3, method: 'explain', params: { name: 'nvme' } },
      { id: 4, method: 'quit', params: {} },
    ];
    const r = spawnSync(process.execPath, [BIN, 'serve'], {
      input: requests.map((q) => JSON.stringify(q)).join('\n') + '\n',
      encoding: 'utf8',
      cwd: tempDir(),
    });
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(5);
    check('serve-greeting', lines[0] as string);
    for (const line of lines.slice(1)) check('serve-answer', line);
  });

  it('every schema in schemas/ is checked by a test here', () => {
    expect([...used].sort()).toEqual(names.map((f) => f.replace(/\.schema\.json$/, '')).sort());
  });
});
