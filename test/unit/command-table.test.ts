// The command table is the one place that says which flags a command takes: every one of them is
// in that command's --help, every defined flag is taken by some command, and the CLI refuses a
// flag the table does not give the command.
import { describe, expect, it } from 'vitest';
import { FLAGS } from '../../src/cli/args.js';
import { COMMAND_TABLE, TUI_FLAGS } from '../../src/cli/command-table.js';
import { osvconf } from '../helpers/cli.js';

const commands = Object.entries(COMMAND_TABLE);

describe('the command table', () => {
  for (const [name, spec] of commands) {
    it(`${name}: every flag it takes is documented in its --help`, () => {
      const help = spec.help(spec.flags);
      const missing = spec.flags.filter((f) => !help.includes(`--${f}`));
      expect(missing).toEqual([]);
      // and the help seen through the CLI is that text
      const shown = osvconf(name === 'configure' ? ['--help'] : [name, '--help']);
      expect(shown.stdout).toBe(help);
    });
  }

  it('every flag is taken by some command (help and version by all)', () => {
    const used = new Set([...commands.flatMap(([, s]) => s.flags), ...TUI_FLAGS, 'help', 'version']);
    expect(FLAGS.map((f) => f.name).filter((f) => !used.has(f))).toEqual([]);
  });

  it('a flag the table does not give a command is refused, naming the command', () => {
    for (const [name, spec] of commands) {
      const other = FLAGS.map((f) => f as { name: string; value?: string }).find(
        (f) => !spec.flags.includes(f.name as never) && f.name !== 'help' && f.name !== 'version',
      );
      if (other === undefined) continue;
      const arg = other.value === undefined ? `--${other.name}` : `--${other.name}=x`;
      const run = osvconf(name === 'configure' ? [arg] : [name, arg]);
      expect(run.code, `${name} ${arg}`).toBe(2);
      expect(run.stderr).toContain(`does not apply to ${spec.title}`);
    }
  });
});

describe('the README', () => {
  it('has the CLI reference as osvconf --help gives it', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { ROOT } = await import('../helpers/cli.js');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const help = osvconf(['--help']).stdout;
    for (const part of [help.slice(help.indexOf('Usage:'), help.indexOf('Settings use')), help.slice(help.indexOf('Options:'), help.indexOf('Exit codes'))]) {
      expect(readme).toContain(part.trimEnd());
    }
  });
});
