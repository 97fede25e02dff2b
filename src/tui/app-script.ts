// The symbols generator behind the Visibility screen, run as a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fail, ok } from '../core/result.js';
import { PACKAGE_ROOT } from '../io/catalog-files.js';
import { MAX_VERSION_SCRIPT_BYTES, readTextCapped } from '../io/read-file.js';
import type { AppScriptResult, AppScriptTool } from './effects.js';

/**
 * The symbols generator behind the Visibility screen: `osvconf symbols` in a child process, so
 * that reading big (or hostile) ELF files never blocks the screen and Esc, q or Ctrl-C stop it.
 * It writes <app>.version_script into the tree and answers with the counts (--json).
 */
export function appScriptTool(where: string): AppScriptTool {
  return (path, state) => {
    if (path === '') return { done: Promise.resolve(fail("give the app's ELF file or directory")), cancel: () => undefined };
    const fsSettings = state.selection.options.filter((o) => o.option.values !== undefined).map((o) => `${o.option.setting}=${o.value}`);
    // Made in a directory of its own and held in memory: the tree gets it only when the user saves.
    const out = join(resolve(where), `${basename(resolve(path))}.version_script`);
    const scratch = mkdtempSync(join(tmpdir(), 'osvconf-script-'));
    const made = join(scratch, basename(out));
    const child = spawn(
      process.execPath,
      [join(PACKAGE_ROOT, 'bin', 'osvconf.cjs'), 'symbols', `--arch=${state.settings.arch}`, `--out=${made}`, '--json', ...fsSettings, '--', path],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const clean = (): void => rmSync(scratch, { recursive: true, force: true });
    const kill = (): void => {
      child.kill('SIGKILL');
      clean();
    };
    process.once('exit', kill); // quitting (q, Ctrl-C, a signal) stops it too
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const done = new Promise<AppScriptResult>((answer) => {
      child.on('error', (e) => answer(fail(`cannot run osvconf symbols: ${e.message}`)));
      child.on('close', (code, signal) => {
        process.off('exit', kill);
        const content = readTextCapped(made, 'version script', MAX_VERSION_SCRIPT_BYTES);
        clean();
        if (signal !== null) return answer(fail('version script generation stopped'));
        if (code !== 0)
          return answer(fail(/osvconf: error: (.*)/.exec(stderr)?.[1] ?? `osvconf symbols failed (exit ${code})`, /^ {2}hint: (.*)$/m.exec(stderr)?.[1]));
        try {
          const report = JSON.parse(stdout) as { kept: number; missing: { name: string; weak: boolean }[]; libraries?: Record<string, string[]> };
          const libraries = Object.entries(report.libraries ?? {}).map(([title, names]) => ({ title, count: names.length }));
          if (!content.ok) return answer(content);
          answer(
            ok({
              path: out,
              setting: basename(out),
              content: content.value,
              kept: report.kept,
              missing: report.missing.filter((m) => !m.weak).map((m) => m.name),
              libraries,
            }),
          );
        } catch {
          answer(fail('osvconf symbols gave no report'));
        }
      });
    });
    return { done, cancel: kill };
  };
}
