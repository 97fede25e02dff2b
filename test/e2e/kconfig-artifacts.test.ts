// .config, kernel_config.h and kernel_conf.mk through the CLI: OSv's reference output for the
// defaults, arch- and mode-dependent defaults, dependencies, escaping, the profile choice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE, osvconf } from '../helpers/cli.js';

const print = (artifact: string, ...args: string[]) => osvconf([...args, `--print=${artifact}`]);
const dropHeader = (text: string, lines = 4): string => text.split('\n').slice(lines).join('\n');

describe('OSv reference output (x64, release, defaults)', () => {
  it('.config', () => {
    const run = print('.config');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n').slice(0, 4)).toEqual(['#', '# Automatically generated file; DO NOT EDIT.', '# OSv Configuration', '#']);
    expect(dropHeader(run.stdout)).toBe(readFileSync(join(REFERENCE, 'examples', 'x64-release-defaults.config'), 'utf8'));
  });
  it('kernel_config.h', () => {
    const run = print('kernel_config.h');
    expect(run.stdout.split('\n').slice(0, 4)).toEqual(['/*', ' * Automatically generated file; DO NOT EDIT.', ' * OSv Configuration', ' */']);
    expect(dropHeader(run.stdout)).toBe(readFileSync(join(REFERENCE, 'examples', 'x64-release-defaults.kernel_config.h'), 'utf8'));
  });
});

describe('Kconfig values', () => {
  it('kernel_conf.mk: the sed edits of conf/Makefile (1 for y, no n, unquoted strings, the profile)', () => {
    const run = print('kernel_conf.mk', '--profile=microvm', 'conf_hide_symbols=1', 'conf_tracepoints=n');
    const lines = run.stdout.split('\n');
    expect(lines).toContain('conf_compiler_opt= -O2 -DNDEBUG');
    expect(lines).toContain('conf_hide_symbols=1');
    expect(lines).toContain('conf_syscalls_list_file=');
    expect(lines).toContain('conf_drivers_profile=microvm');
    expect(run.stdout).not.toMatch(/tracepoints/); // n, and its dependents are gone with it
    expect(run.stdout).not.toMatch(/=y$|=n$|"/m);
  });

  it('defaults follow the mode and the arch; arch-only options appear only there', () => {
    const debug = print('.config', '--mode=debug').stdout;
    expect(debug).toContain('CONF_compiler_opt=" -O0 -Wno-maybe-uninitialized"\n');
    expect(debug).toContain('CONF_logger_debug=y\n');
    expect(debug).toContain('CONF_interrupt_stack_size=0x2000\n');
    expect(debug).toContain('CONF_version_script="build/debug.x64/default_version_script"\n');
    const arm = print('.config', '--arch=aarch64').stdout;
    expect(arm).toContain('CONF_threads_default_exception_stack_size=0x10000\n');
    expect(arm).not.toContain('interrupt_stack_size');
    expect(arm).toContain('CONF_compiler_cflags=" -mstrict-align -mtls-dialect=desc -ftls-model=local-exec -DAARCH64_PORT_STUB"\n');
    expect(arm.trimEnd().split('\n').slice(-7)).toEqual([
      '# CONF_drivers_profile_base is not set',
      'CONF_drivers_profile_all=y',
      '# CONF_drivers_profile_aws_nitro is not set',
      '# CONF_drivers_profile_microvm is not set',
      '# CONF_drivers_profile_virtio-mmio is not set',
      '# CONF_drivers_profile_virtio-pci is not set',
      '# CONF_drivers_profile_xen is not set',
    ]);
  });

  it('an option whose dependency is off is left out; an explicit value for it is refused', () => {
    const off = print('.config', 'conf_networking_stack=0').stdout;
    expect(off).toContain('# CONF_networking_stack is not set\n# end of Networking Stack\n');
    const refused = print('.config', 'conf_networking_stack=0', 'conf_networking_dhcp=1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('conf_networking_dhcp=1 cannot take: it depends on conf_networking_stack, which is 0 (command line)');
    expect(print('.config', 'conf_networking_stack=0', 'conf_networking_dhcp=0').code).toBe(0);
  });

  it('typed values: int, hex (0x added in the header), strings quoted for .config and C', () => {
    const args = ['conf_fs_buffer_cache_size=512', 'conf_core_debug_buffer_size=FF00', 'conf_syscalls_list_file=my/list.txt'];
    expect(print('.config', ...args).stdout).toContain('CONF_fs_buffer_cache_size=512\nCONF_core_debug_buffer_size=FF00\n'.split('\n')[0]);
    const dotConfig = print('.config', ...args).stdout;
    expect(dotConfig).toContain('CONF_core_debug_buffer_size=FF00\n');
    expect(dotConfig).toContain('CONF_syscalls_list_file="my/list.txt"\n');
    const header = print('kernel_config.h', ...args).stdout;
    expect(header).toContain('#define CONF_core_debug_buffer_size 0xFF00\n');
    expect(header).toContain('#define CONF_syscalls_list_file "my/list.txt"\n');
  });

  it.each([
    [['conf_fs_buffer_cache_size=12k'], 'is an int'],
    [['conf_core_debug_buffer_size=0xZZ'], 'is a hex value'],
    [['conf_preempt=yes'], 'is a bool'],
    [['conf_syscalls_list_file=$(shell id)'], "which OSv's kernel_conf.mk would hand to make unquoted"],
    [['conf_compiler_opt=-O2 #x'], 'contains "#"'],
    [['conf_compiler_opt=a\nb'], 'control character'],
    [['conf_interrupt_stack_size=0x1000', '--arch=aarch64'], 'exists only on x64'],
    [['conf_networking_stak=1'], 'did you mean "conf_networking_stack"'],
  ])('refuses %j', (settings, message) => {
    const run = osvconf([...settings, '--print=.config']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('a profile the Kconfig choice cannot name: .config keeps the default and says so', () => {
    const run = print('.config', '--profile=aws');
    expect(run.stdout).toContain('CONF_drivers_profile_all=y\n');
    expect(run.stderr).toContain('profile aws is not a choice of OSv\'s Kconfig "Devices Profile" on x64');
    const chosen = print('.config', '--profile=vmware');
    expect(chosen.stdout).toContain('CONF_drivers_profile_vmware=y\n# CONF_drivers_profile_xen is not set\n');
    expect(chosen.stderr).toBe('');
  });

  it("aws_nitro, offered by OSv's Kconfig but without a profile file, is explained", () => {
    const run = osvconf(['--profile=aws_nitro', '--print=.config']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no aws_nitro.mk');
    expect(run.stderr).toContain('--profile=aws');
  });
});
