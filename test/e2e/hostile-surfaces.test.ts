// Hostile input on the newer surfaces (issue: round 3), one test per class, each with several
// instances: control characters from a user's file never reach the terminal raw, a request
// cannot end the server, and a file is replaced only when it starts the way osvconf writes it.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, osvconf, tempDir } from '../helpers/cli.js';
import { makeTree } from '../helpers/make-harness.js';

/** Retitles the terminal, rings, clears the screen and reorders what follows. */
const HOSTILE = 'x\x1b]0;pwned\x07\x1b[2J\u202eevil\x9b';
const RAW = /[\x07\x1b\x9b\u202e]/;

describe('control characters from a user file are shown escaped on every front end', () => {
  const dir = tempDir();
  const profiles = join(dir, 'profiles');
  mkdirSync(join(profiles, 'x64'), { recursive: true });
  writeFileSync(
    join(profiles, 'x64', 'mine.json'),
    JSON.stringify({ description: `my VM ${HOSTILE}`, hypervisors: [HOSTILE], includes: ['virtio-pci'], sets: {} }),
  );
  const qemu = join(dir, 'qemu.sh');
  writeFileSync(
    qemu,
    `qemu-system-x86_64 -M q35 -drive 'if=none,id=${HOSTILE},file=a' -device 'virtio-blk-pci,drive=${HOSTILE}' -device 'virtio-blk-pci,drive=other${HOSTILE}' '-x${HOSTILE}'\n`,
  );
  const ch = join(dir, 'ch.sh');
  writeFileSync(ch, `cloud-hypervisor --kernel k --disk 'path=${HOSTILE}' '--x${HOSTILE}' v\n`);
  const fc = join(dir, 'fc.json');
  writeFileSync(
    fc,
    JSON.stringify({
      'boot-source': { kernel_image_path: 'k' },
      drives: [{ drive_id: HOSTILE, path_on_host: HOSTILE, is_root_device: true, is_read_only: false }],
      [`key${HOSTILE}`]: 1,
    }),
  );
  for (const [name, args] of [
    ['list profiles (a description)', ['list', 'profiles', `--profiles-dir=${profiles}`]],
    ['from qemu (drive ids, arguments)', ['from', 'qemu', `--in=${qemu}`]],
    ['from cloud-hypervisor', ['from', 'cloud-hypervisor', `--in=${ch}`]],
    ['from firecracker (drive ids, keys)', ['from', 'firecracker', `--in=${fc}`]],
  ] as const) {
    it(name, () => {
      const run = osvconf([...args]);
      expect(run.stdout + run.stderr).not.toMatch(RAW);
      // The field is shown, escaped.
      expect(run.stdout + run.stderr).toMatch(/\\x1b/);
    });
  }

  it("the configurator draws ink's Text only through its own (tui/text.tsx)", () => {
    const dirTui = join(ROOT, 'src', 'tui');
    const offenders = readdirSync(dirTui)
      .filter((f) => f.endsWith('.tsx') && f !== 'text.tsx')
      .filter((f) => /import\s*\{[^}]*\bText\b[^}]*\}\s*from\s*'ink'/.test(readFileSync(join(dirTui, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('osvconf serve keeps serving whatever the request', () => {
  it('an id that is not a string, a number or null is refused, and the next request is answered', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: tempDir() });
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const requests = [
      `{"id": ${deep}, "method": "get", "params": {"names": ["conf_drivers_pci"]}}`,
      `{"id": {"a": ${deep}}, "method": "get", "params": {}}`,
      `{"id": "${'i'.repeat(500)}", "method": "get", "params": {}}`,
      `{"id": true, "method": "get", "params": {}}`,
      '{"id": 7, "method": "quit", "params": {}}',
    ];
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (out += c));
    child.stdin.write(requests.join('\n') + '\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // The first line is the server's greeting.
    const answers = out
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l) as { id: unknown; ok: boolean; error?: { message: string } });
    expect(answers).toHaveLength(5);
    for (const a of answers.slice(0, 4)) {
      expect(a).toMatchObject({ id: null, ok: false });
      expect(a.error?.message).toMatch(/"id" (must be a string, a number or null|is longer than 200 characters)/);
    }
    expect(answers[4]).toMatchObject({ id: 7, ok: true });
    expect(code).toBe(0);
  });
});

describe('a file osvconf did not write is never replaced without --force', () => {
  it('import --to: a hand-written profile of the same name stays; --force replaces it; an imported one is replaced', () => {
    const tree = makeTree(['x64']);
    writeFileSync(join(tree, 'conf', 'profiles', 'x64', 'mine.mk'), 'conf_drivers_nvme ?= 1\ninclude conf/profiles/$(arch)/virtio-pci.mk\n');
    const to = tempDir();
    mkdirSync(join(to, 'x64'));
    // Hand-written, and one that merely mentions import's words somewhere.
    for (const text of [
      '{\n  "description": "my own, hand-written",\n  "hypervisors": [],\n  "includes": ["virtio-pci"]\n}\n',
      '{"hypervisors": [], "description": "Imported from x by osvconf import"}\n',
    ]) {
      writeFileSync(join(to, 'x64', 'mine.json'), text);
      const run = osvconf(['import', tree, `--to=${to}`]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('was not written by osvconf');
      expect(readFileSync(join(to, 'x64', 'mine.json'), 'utf8')).toBe(text);
    }
    expect(osvconf(['import', tree, `--to=${to}`, '--force']).code).toBe(0);
    expect(readFileSync(join(to, 'x64', 'mine.json'), 'utf8')).toContain('by osvconf import');
    // Imported once: importing again replaces it without --force.
    const again = osvconf(['import', tree, `--to=${to}`]);
    expect(again.code, again.stderr).toBe(0);
  });

  it("size --html: a page that contains osvconf's generator mark but does not start as osvconf writes it", () => {
    const dir = tempDir();
    const page = join(dir, 'page.html');
    const text = '<!DOCTYPE html>\n<p>mine, quoting <meta name="generator" content="osvconf size --html"></p>\n';
    writeFileSync(page, text);
    const run = osvconf(['size', '--profile=virtio-pci', `--html=${page}`]);
    expect(run.code).toBe(1);
    expect(readFileSync(page, 'utf8')).toBe(text);
    // One osvconf wrote is replaced.
    const own = join(dir, 'own.html');
    expect(osvconf(['size', '--profile=virtio-pci', `--html=${own}`]).code).toBe(0);
    expect(osvconf(['size', '--profile=all', `--html=${own}`]).code).toBe(0);
  });

  it('size --calibration: a file that only mentions the calibration marker is not a calibration to replace', async () => {
    const { ownsCalibration } = await import('../../src/io/size-calibration.js');
    expect(ownsCalibration('notes: "osvconf_size_calibration": 1\n')).toBe(false);
    expect(ownsCalibration('{\n  "components": {},\n  "mine": true,\n  "osvconf_size_calibration": 1\n}\n')).toBe(false);
    expect(ownsCalibration('{\n  "osvconf_size_calibration": 1,\n  "arch": "x64"\n}\n')).toBe(true);
    // As earlier versions wrote it (components first), with nothing but the record's fields.
    expect(ownsCalibration('{\n  "components": {},\n  "osvconf_size_calibration": 1,\n  "arch": "x64"\n}\n')).toBe(true);
  });
});
