// A copy, written by the tests, of the form of OSv's hand-tuned example configurations
// (conf/examples/minimal_microvm/hello_world_libc.config.x64): OSv's own files are not in this
// repository; tests use them from OSVCONF_OSV_TREE when it names a checkout.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { osvconf } from './cli.js';

export const EXAMPLES = 'conf/examples/minimal_microvm';

/** An example like OSv's hello_world_libc.config.x64: the minimal kernel's values, symbols hidden by its own script. */
export function writeExample(tree: string): string[] {
  const dotConfig = osvconf(['--profile=microvm', '--print=.config'])
    .stdout.replace(/^# CONF_hide_symbols is not set$/m, 'CONF_hide_symbols=y')
    .replace(/^CONF_networking_stack=y$/m, '# CONF_networking_stack is not set')
    .replace(/^CONF_core_syscall=y$/m, '# CONF_core_syscall is not set')
    .replace(/^CONF_tracepoints=y$/m, '# CONF_tracepoints is not set')
    .replace(/^CONF_version_script=.*$/m, `CONF_version_script="${EXAMPLES}/hello_world_libc.version_script"`);
  mkdirSync(join(tree, EXAMPLES), { recursive: true });
  writeFileSync(join(tree, EXAMPLES, 'hello_world_libc.config.x64'), dotConfig);
  writeFileSync(
    join(tree, EXAMPLES, 'hello_world_libc.version_script'),
    '{\n  global:\n    __libc_start_main;\n    printf;\n    puts;\n  local:\n    *;\n};\n',
  );
  return ['hello_world_libc.config.x64'];
}
