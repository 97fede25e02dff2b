// Values that make or a shell would execute (issue: conf_version_script='x ;touch pwned x' ran
// touch under OSv's real make): each string option allows only what its syntax needs, ints and hex
// follow Kconfig's syntax in 64 bits, and names from the command line never reach an object's
// prototype. Each case: exit 1, the setting named, nothing written.
import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, osvconf, tempDir } from '../helpers/cli.js';

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
    ['conf_compiler_opt=-wrapper /usr/bin/env,touch,/tmp/x', '"-wrapper" is not a flag form'],
    ['conf_compiler_cflags=-B/tmp/evil', '"-B/tmp/evil" is not a flag form'],
    ['conf_compiler_cflags=-fplugin=/tmp/x.so', '"-fplugin=/tmp/x.so" is refused: it loads a plugin'],
    ['conf_linker_extra_options=-plugin /tmp/x.so', '"-plugin" is not a flag form'],
    ['conf_linker_extra_options=-Wl,--gc-sections,-plugin=/tmp/x.so', '"-Wl,--gc-sections,-plugin=/tmp/x.so" is not a flag form'],
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

describe('build flags pass only in the forms of the allowlist (conf/flags.json)', () => {
  // Flags that make gcc or ld read, write or run files of the author's choosing, each of a class.
  const refused: [string, string][] = [
    ['conf_compiler_opt=-O2 -Wp,-fplugin=/tmp/x.so', '"-Wp,-fplugin=/tmp/x.so"'], // a pass-through to the preprocessor
    ['conf_compiler_opt=-Wa,-o,/tmp/x', '"-Wa,-o,/tmp/x"'], // to the assembler
    ['conf_compiler_cflags=@/tmp/response', '"@/tmp/response"'], // a response file
    ['conf_compiler_cflags=-include /etc/passwd', '"-include"'],
    ['conf_compiler_cflags=-imacros /tmp/m.h', '"-imacros"'],
    ['conf_compiler_cflags=-MD -MF /tmp/deps', '"-MD"'], // dependency files
    ['conf_compiler_cflags=-save-temps=obj', '"-save-temps=obj"'],
    ['conf_compiler_cflags=-dumpdir /tmp/d', '"-dumpdir"'],
    ['conf_compiler_cflags=-fdump-tree-all=Makefile', 'writes dump'],
    ['conf_compiler_cflags=-fdump-rtl-all', 'writes dump'],
    ['conf_compiler_cflags=-fopt-info-all=x', 'writes dump'],
    ['conf_compiler_cflags=-fprofile-generate', 'profile'],
    ['conf_compiler_cflags=-fprofile-use=../x', '"-fprofile-use=../x"'],
    ['conf_compiler_cflags=-fplugin-arg-x-y=z', 'loads a plugin'],
    ['conf_compiler_cflags=-specs=/tmp/s', '"-specs=/tmp/s"'],
    ['conf_compiler_cflags=-mmcount-record-file=x', 'names a file'],
    ['conf_linker_extra_options=--print-gc-sections -o /home/u/.bashrc', '"-o"'], // ld takes the last -o
    ['conf_linker_extra_options=-Map /tmp/map', '"-Map"'],
    ['conf_linker_extra_options=--Map=/tmp/map', '"--Map=/tmp/map"'],
    ['conf_linker_extra_options=--dependency-file=/tmp/d', '"--dependency-file=/tmp/d"'],
    ['conf_linker_extra_options=-T /tmp/script.ld', '"-T"'],
    ['conf_linker_extra_options=-L/tmp -lx', '"-L/tmp"'],
    ['conf_linker_extra_options=--version-script=/tmp/v', '"--version-script=/tmp/v"'],
    ['conf_linker_extra_options=--defsym=main=0', '"--defsym=main=0"'],
    ['conf_linker_extra_options=-z', 'must be followed by'],
    ['conf_linker_extra_options=-z /tmp/x', 'must be followed by'],
  ];
  for (const [arg, message] of refused) {
    it(`refuses ${arg}`, () => {
      const out = join(tempDir(), 'tree');
      const run = osvconf([arg, `--out=${out}`]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain('takes gcc flags of these forms'.replace('gcc', arg.startsWith('conf_linker') ? 'ld' : 'gcc'));
      expect(existsSync(out)).toBe(false);
    });
  }

  it('refuses them in a saved configuration and a .config that --load reads, naming the setting', () => {
    const dir = tempDir();
    const saved = join(dir, 'handed.osvconf');
    writeFileSync(saved, 'arch=x64\nconf_drivers_profile=virtio-pci\nconf_linker_extra_options=--gc-sections -o /tmp/owned\n');
    const dotConfig = join(dir, 'handed.config');
    writeFileSync(dotConfig, 'CONF_compiler_opt=" -O2 -Wp,-fplugin=/tmp/x.so"\n');
    for (const [file, message] of [
      [saved, 'conf_linker_extra_options: "-o"'],
      [dotConfig, 'conf_compiler_opt: "-Wp,-fplugin=/tmp/x.so"'],
    ] as const) {
      const out = join(tempDir(), 'tree');
      const run = osvconf([`--load=${file}`, `--out=${out}`]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("passes every flag form of OSv's own defaults, Makefile and examples, and every example the allowlist gives", () => {
    const kconfig = JSON.parse(readFileSync(join(ROOT, 'conf', 'kconfig.json'), 'utf8')) as {
      menus: { options: { name: string; flag_forms?: string; default: string | { values: Record<string, string> } }[] }[];
    };
    const flags = JSON.parse(readFileSync(join(ROOT, 'conf', 'flags.json'), 'utf8')) as { kinds: Record<string, { forms: { examples: string[] }[] }> };
    const settings: string[] = [];
    for (const option of kconfig.menus.flatMap((m) => m.options).filter((o) => o.flag_forms !== undefined)) {
      // Every default, by mode and by arch (conf/<mode>.mk, conf/<arch>.mk), as OSv writes them.
      const defaults = typeof option.default === 'string' ? [option.default] : Object.values(option.default.values);
      settings.push(...defaults.map((d) => `conf_${option.name}=${d}`));
      settings.push(...(flags.kinds[option.flag_forms as string]?.forms ?? []).flatMap((f) => f.examples).map((e) => `conf_${option.name}=${e}`));
    }
    // The Makefile's own `conf_linker_extra_options += --no-warn-rwx-segments`, and the examples for ld.
    settings.push(
      'conf_linker_extra_options=--no-warn-rwx-segments',
      ...(flags.kinds['linker']?.forms ?? []).flatMap((f) => f.examples).map((e) => `conf_linker_extra_options=${e}`),
    );
    expect(settings.length).toBeGreaterThan(30);
    for (const setting of settings) {
      const run = osvconf(['--profile=virtio-pci', setting, '--print=kernel_conf.mk']);
      expect(run.code, `${setting}: ${run.stderr}`).toBe(0);
    }
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
