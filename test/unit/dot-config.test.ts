import { describe, expect, it } from 'vitest';
import { parseDotConfig } from '../../src/core/dot-config.js';
import { osvconf } from '../helpers/cli.js';
import { kconfigQuote } from '../../src/generators/kconfig-files.js';

describe('parseDotConfig', () => {
  it('reads back what osvconf writes: bools, numbers, escaped strings, the choice', () => {
    const text = osvconf(['--profile=xen', 'conf_tracepoints=0', 'conf_syscalls_list_file=apps/a.txt', '--print=.config']).stdout;
    const parsed = parseDotConfig(text, 'drivers_profile');
    expect(parsed.choice).toBe('xen');
    expect(parsed.values.get('tracepoints')).toBe('n');
    expect(parsed.values.get('preempt')).toBe('y');
    expect(parsed.values.get('core_debug_buffer_size')).toBe('0xc800');
    expect(parsed.values.get('syscalls_list_file')).toBe('apps/a.txt');
    expect(parsed.values.get('compiler_opt')).toBe(' -O2 -DNDEBUG');
    expect(parsed.values.has('drivers_profile_all')).toBe(false);
  });

  it("undoes Kconfig's string escapes (a .config written by menuconfig), which kconfigQuote writes", () => {
    const value = 'a "b" \\c';
    const parsed = parseDotConfig(`CONF_syscalls_list_file=${kconfigQuote(value)}\n`, 'drivers_profile');
    expect(kconfigQuote(value)).toBe('"a \\"b\\" \\\\c"');
    expect(parsed.values.get('syscalls_list_file')).toBe(value);
  });
});
