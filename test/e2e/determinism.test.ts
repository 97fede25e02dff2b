// Same input, same bytes; LF line ends, a final newline, no dates; values cannot inject code
// into the shell line, the C headers, .config or make.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { osvconf } from '../helpers/cli.js';

const ARTIFACTS = ['drivers_config.h', 'profile.mk', 'base.mk', '.config', 'kernel_config.h', 'kernel_conf.mk', 'build-command'];
const SELECTIONS = [['--profile=virtio-kvm'], ['--arch=aarch64', '--mode=debug', '--profile=virtio-mmio', 'conf_drivers_virtio_rng=1', 'conf_lazy_stack=y']];

describe('every artifact is deterministic and plain text', () => {
  for (const selection of SELECTIONS) {
    for (const artifact of ARTIFACTS) {
      it(`${artifact} ${selection.join(' ')}`, () => {
        const a = osvconf([...selection, `--print=${artifact}`]);
        const b = osvconf([...selection, `--print=${artifact}`]);
        expect(a.code, a.stderr).toBe(0);
        expect(a.stdout).toBe(b.stdout);
        expect(a.stdout.endsWith('\n')).toBe(true);
        expect(a.stdout).not.toMatch(/\r|\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d/);
      });
    }
  }
});

describe('values are quoted for their target language', () => {
  // What a flags value may hold (spaces, = and ,): the build command quotes it for the shell.
  const tricky = ' -O3 -DNAME=a,b -g';
  it('the build command reads back, word for word, in a real shell', () => {
    const line = osvconf([`conf_compiler_opt=${tricky}`, 'conf_tracepoints=0', '--print=build-command']).stdout.trimEnd();
    expect(line.startsWith('./scripts/build ')).toBe(true);
    const words = spawnSync('sh', ['-c', `set -- ${line.slice('./scripts/build '.length)}; printf '%s\\n' "$@"`], { encoding: 'utf8' })
      .stdout.trimEnd()
      .split('\n');
    expect(words).toContain(`conf_compiler_opt=${tricky}`);
    expect(words).toContain('conf_tracepoints=0');
  });

  it('.config and kernel_config.h quote the string; C sees the exact string', () => {
    const header = osvconf([`conf_compiler_opt=${tricky}`, '--print=kernel_config.h']).stdout;
    const define = header.split('\n').find((l) => l.startsWith('#define CONF_compiler_opt '))!;
    const literal = define.slice('#define CONF_compiler_opt '.length);
    // A C string literal with only \" and \\ escapes reads like a JSON string.
    expect(JSON.parse(literal)).toBe(tricky);
    expect(osvconf([`conf_compiler_opt=${tricky}`, '--print=.config']).stdout).toContain(`CONF_compiler_opt=${literal}\n`);
  });
});
