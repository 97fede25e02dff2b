// Values that make or a shell would execute (issue: conf_version_script='x ;touch pwned x' ran
// touch under OSv's real make): each string option allows only what its syntax needs, ints and hex
// follow Kconfig's syntax in 64 bits, and names from the command line never reach an object's
// prototype. Each case: exit 1, the setting named, nothing written.
import { existsSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvconf, tempDir } from '../helpers/cli.js';

describe('hostile values are refused before anything is written', () => {
  const cases: [string, string][] = [
    ['conf_version_script=x ;touch pwned x', 'a space'],
    ['conf_version_script=a`id`', '"`"'],
    ['conf_syscalls_list_file=/dev/null;touch x', '";"'],
    ['conf_syscalls_list_file=a|b', '"|"'],
    ['conf_syscalls_list_file=a&b', '"&"'],
    ["conf_version_script=it's", `"'"`],
    ['conf_version_script=-rf', 'a leading "-"'],
    ['conf_version_script=ends\\', '"\\"'],
    ['conf_compiler_opt=-O2 "x"', 'contains """'],
    ['conf_compiler_cflags=-msse2 $(shell id)', '"$"'],
    ['conf_compiler_cxx_level=gnu++14 -x', 'a space'],
    ['conf_linker_extra_options=--gc-sections;id', '";"'],
    ['conf_compiler_opt=-wrapper /usr/bin/env,touch,/tmp/x', 'run or load other code'],
    ['conf_compiler_cflags=-B/tmp/evil', 'run or load other code'],
    ['conf_compiler_cflags=-fplugin=/tmp/x.so', 'run or load other code'],
    ['conf_linker_extra_options=-plugin /tmp/x.so', 'run or load other code'],
    ['conf_linker_extra_options=-Wl,--gc-sections,-plugin=/tmp/x.so', 'run or load other code'],
    ['conf_version_script=~root/x', '"~"'],
    ['conf_core_dynamic_percpu_size=0256', 'without leading zeros'],
    ['conf_core_dynamic_percpu_size=0x100', 'decimal number'],
    ['conf_core_dynamic_percpu_size=9223372036854775808', '64-bit range'],
    ['conf_core_debug_buffer_size=0x10000000000000000', '1 to 16 hex digits'],
    ['constructor=1', 'unknown setting "constructor"'],
    ['__proto__=1', 'unknown setting "__proto__"'],
    ['toString=x', 'unknown setting "toString"'],
    ['--mode=constructor', 'unknown mode "constructor"'],
    ['--arch=toString', 'unknown arch "toString"'],
    ['--profile=__proto__', '"__proto__"'],
    ['--name=-rf', 'a profile name'],
    [`--name=${'n'.repeat(300)}`, 'at most 64 characters'],
  ];
  for (const [arg, message] of cases) {
    it(arg.length > 60 ? `${arg.slice(0, 40)}...` : arg, () => {
      const out = join(tempDir(), 'tree');
      const run = osvconf([arg, 'conf_drivers_hpet=1', `--out=${out}`]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toContain('internal error');
      expect(existsSync(out)).toBe(false);
    });
  }

  it('values each syntax allows still pass: flags with spaces, paths with dots and slashes', () => {
    const run = osvconf([
      'conf_compiler_opt= -O2 -DNDEBUG -fno-plt',
      'conf_syscalls_list_file=apps/my-app/syscalls.txt',
      'conf_linker_extra_options=--print-gc-sections -z now -Bsymbolic',
      '--print=kernel_conf.mk',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('conf_syscalls_list_file=apps/my-app/syscalls.txt\n');
  });
});

describe('--out that is not a tree of the user', () => {
  for (const [out, message] of [
    ['/', 'does not write into the root directory'],
    ['~/osv', 'a literal "~"'],
    ['__ROOT_LINK__', 'does not write into the root directory'],
  ] as const) {
    it(out, () => {
      let dir: string = out;
      if (out === '__ROOT_LINK__') {
        dir = join(tempDir(), 'rootlink');
        symlinkSync('/', dir);
      }
      const run = osvconf(['--profile=xen', `--out=${dir}`, '--force']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
    });
  }

  it('a non-empty directory that is not an OSv checkout is refused unless --force', () => {
    const dir = tempDir();
    expect(osvconf(['--profile=xen', `--out=${dir}`, '--dry-run']).code).toBe(0); // empty: fine
    writeFileSync(join(dir, 'notes.txt'), 'a project of the user\n');
    const refused = osvconf(['--profile=xen', `--out=${dir}`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not an OSv checkout');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(osvconf(['--profile=xen', `--out=${dir}`, '--force']).code).toBe(0);
  });
});
