// osvconf run-args [selection] [--vm=qemu|firecracker]: a VM that exercises the selection's
// drivers (core/vm-args.ts), to check a kernel on a real hypervisor; what it cannot exercise is
// said. The reverse of osvconf from: from qemu on this command line gives the drivers back.

import { resolveSelection } from '../../app/selection.js';
import { firecrackerConfig, qemuRunArgs } from '../../core/vm-args.js';
import { ok, usage, type Result } from '../../core/result.js';
import type { Warning } from '../../core/select.js';
import { loadVmModel } from '../../io/vm-files.js';
import { shellQuote } from '../../generators/build-command.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { json, output, type CommandOutput } from '../output.js';

export async function run(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  const vm = args.values.get('vm') ?? 'qemu';
  if (vm !== 'qemu' && vm !== 'firecracker')
    return usage(`--vm=${vm}: osvconf writes run arguments for qemu or firecracker`, 'write --vm=qemu or --vm=firecracker');
  const resolved = await resolveSelection(args, args.positionals, context.cwd);
  if (!resolved.ok) return resolved;
  const { selection } = resolved.value;
  const model = loadVmModel();
  const made = vm === 'qemu' ? qemuRunArgs(selection, model) : firecrackerConfig(selection, model);
  const notes: Warning[] = made.notExercised.map((x) => ({ code: 'vm-note', level: 'note', message: `conf_drivers_${x.driver}=1 is not exercised: ${x.why}` }));
  const not_exercised = made.notExercised.map((x) => ({ driver: x.driver, why: x.why }));
  if ('argv' in made) {
    if (args.switches.has('json'))
      return ok(output(json({ vm, arch: selection.request.arch, argv: made.argv, not_exercised }), [...notes, ...selection.warnings]));
    return ok(output(`${made.argv.map(shellQuote).join(' ')}\n`, [...notes, ...selection.warnings]));
  }
  if (args.switches.has('json'))
    return ok(output(json({ vm, arch: selection.request.arch, config: made.config, not_exercised }), [...notes, ...selection.warnings]));
  return ok(output(json(made.config), [...notes, ...selection.warnings]));
}
