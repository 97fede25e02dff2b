// The configurator in a real terminal (tmux: send-keys / capture-pane), 80x24: pick a profile,
// find and toggle a driver, see the size change, save, and check the files it wrote.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, osvconf, tempDir, osvTree } from '../helpers/cli.js';
import { EXAMPLES, writeExample } from '../helpers/osv-examples.js';

const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;
const sessions: string[] = [];
afterAll(() => sessions.forEach((s) => spawnSync('tmux', ['kill-session', '-t', s])));

/** Each session's key log: the configurator writes a line per key it has handled. */
const keyLogs = new Map<string, string>();

function start(cwd: string, args: string, before = '', [columns, rows] = [80, 24]): string {
  const name = `osvconf-${process.pid}-${sessions.length}`;
  sessions.push(name);
  const log = join(tempDir('osvconf-keys-'), 'keys');
  writeFileSync(log, '');
  keyLogs.set(name, log);
  execFileSync('tmux', [
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    String(columns),
    '-y',
    String(rows),
    '-c',
    cwd,
    `${before}NO_COLOR=1 OSVCONF_TUI_KEYLOG=${log} ${process.execPath} ${BIN} ${args}; echo EXIT=$?; sleep 600`,
  ]);
  return name;
}

const screen = (s: string): string => execFileSync('tmux', ['capture-pane', '-t', s, '-p'], { encoding: 'utf8' });

/** Polls until the condition holds; the deadline only turns a hang into a failure. */
async function until<T>(probe: () => T | undefined, what: string, s: string): Promise<T> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const got = probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; the screen:\n${screen(s)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const waitFor = (s: string, test: (text: string) => boolean, what: string): Promise<string> =>
  until(
    () => {
      const text = screen(s);
      return test(text) ? text : undefined;
    },
    what,
    s,
  );

const handled = (s: string): number => readFileSync(keyLogs.get(s) as string, 'utf8').length / 'key\n'.length;

/** Sends keys one at a time, each after the configurator has handled the one before. */
async function keys(s: string, ...k: string[]): Promise<void> {
  for (const key of k) {
    const before = handled(s);
    // A literal string of several characters arrives as one read: one handled event.
    execFileSync('tmux', [
      'send-keys',
      '-t',
      s,
      ...(key.length > 1 && !/^(Enter|Space|Escape|C-.|Up|Down|Left|Right|BSpace|Home|End)$/.test(key) ? ['-l', key] : [key]),
    ]);
    await until(() => (handled(s) > before ? true : undefined), `the key ${JSON.stringify(key)} to be taken`, s);
  }
}

/** The configurator on an aarch64 tree, Visibility's generator run on the test app: the session and its screen. */
async function generateScript(tree: string): Promise<{ s: string; text: string }> {
  const app = join(ROOT, 'test', 'fixtures', 'elf', 'aarch64-app.so');
  const s = start(tree, 'tui --arch=aarch64 --profile=virtio-mmio fs=rofs');
  await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
  await keys(s, 'j', 'j', 'j', 'Enter');
  await waitFor(s, (t) => t.includes('Generate a version script'), 'the visibility menu');
  await keys(s, 'j', 'j', 'Enter');
  await keys(s, app, 'Enter');
  return { s, text: await waitFor(s, (t) => t.includes('symbols kept'), 'the generator') };
}

const sizeOf = (text: string): number => Number(/([\d,]+) KiB ± /.exec(text)?.[1]?.replace(/,/g, ''));

describe.skipIf(!HAVE_TMUX && process.env['CI'] !== 'true')('osvconf in a terminal', () => {
  it('profile, driver, size, save, quit', async () => {
    const tree = osvTree();
    const s = start(tree, 'tui --profile=virtio-mmio conf_drivers_scsi=1 conf_hide_symbols=1 fs=rofs');
    let text = await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    expect(text).toContain('profile virtio-mmio');
    expect(text.split('\n').length).toBeLessThanOrEqual(25);

    // Driver profile -> chooser; virtio-kvm sorts just before virtio-mmio.
    await keys(s, 'j', 'Enter');
    await waitFor(s, (t) => t.includes('Enter picks'), 'the profile chooser');
    await keys(s, 'k', 'Enter');
    text = await waitFor(s, (t) => t.includes('profile virtio-kvm)'), 'the new profile');
    const before = sizeOf(text);

    // Find NVMe by its setting name and turn it on.
    await keys(s, '/');
    for (const ch of 'conf_drivers_nvme') await keys(s, ch);
    await keys(s, 'Enter');
    await waitFor(s, (t) => /Drivers: Storage/.test(t), 'the storage menu');
    await keys(s, 'Space');
    text = await waitFor(s, (t) => />\[\*\] nvme/.test(t), 'nvme on');
    expect(sizeOf(text)).toBeGreaterThan(before);
    expect(text).toContain('* unsaved');

    // Save: the plan first, then the files.
    await keys(s, 's');
    await waitFor(s, (t) => t.includes('y / Enter writes these files'), 'the save plan');
    await keys(s, 'y');
    await waitFor(s, (t) => t.includes('saved: 4 files written'), 'saved');
    const header = readFileSync(join(tree, 'build', 'release.x64', 'gen', 'include', 'osv', 'drivers_config.h'), 'utf8');
    expect(header).toBe(
      osvconf(['--profile=virtio-kvm', 'conf_drivers_scsi=1', 'conf_drivers_nvme=1', 'conf_hide_symbols=1', 'fs=rofs', '--print=drivers_config.h']).stdout,
    );
    expect(existsSync(join(tree, 'conf', 'profiles', 'x64', 'virtio-kvm-custom.mk'))).toBe(true);
    expect(readFileSync(join(tree, 'conf', 'osvconf', 'release.x64.config'), 'utf8')).toContain('CONF_hide_symbols=y\n');
    // The saved configuration is the one the CLI writes for the same selection.
    expect(readFileSync(join(tree, 'conf', 'osvconf', 'release.x64.osvconf'), 'utf8')).toBe(
      osvconf(['--profile=virtio-kvm', 'conf_drivers_scsi=1', 'conf_drivers_nvme=1', 'conf_hide_symbols=1', 'fs=rofs', '--print=configuration']).stdout,
    );

    execFileSync('tmux', ['send-keys', '-t', s, 'q']); // quits: no key to wait for
    await waitFor(s, (t) => t.includes('EXIT=0'), 'exit 0');
  });

  it('a burst of Backspaces edits the field; quitting leaves the alternate screen and says what was saved', async () => {
    const tree = osvTree();
    const s = start(tree, 'tui --profile=virtio-kvm', 'echo BEFORE-THE-CONFIGURATOR; ');
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    // The alternate screen: the shell's line is not under the configurator's frame.
    expect(screen(s)).not.toContain('BEFORE-THE-CONFIGURATOR');
    await keys(s, '/', 'page_batch', 'Enter');
    await waitFor(s, (t) => t.includes('Memory Management'), 'the option found');
    await keys(s, 'Enter');
    await waitFor(s, (t) => t.includes('Enter sets'), 'the editor');
    await keys(s, '\x7f\x7f\x7f', '64', 'Enter');
    let text = await waitFor(s, (t) => t.includes('"64"'), 'the new value in the menu');
    expect(text).not.toMatch(/cannot|refused|not a valid/);
    await keys(s, 's');
    await waitFor(s, (t) => t.includes('y / Enter writes these files'), 'the save plan');
    await keys(s, 'y');
    await waitFor(s, (t) => t.includes('saved: 4 files written'), 'saved');
    expect(readFileSync(join(tree, 'conf', 'osvconf', 'release.x64.config'), 'utf8')).toContain('CONF_memory_page_batch_size=64\n');
    execFileSync('tmux', ['send-keys', '-t', s, 'q']);
    text = await waitFor(s, (t) => t.includes('EXIT=0'), 'exit 0');
    expect(text).toContain('BEFORE-THE-CONFIGURATOR');
    expect(text).not.toContain('Kernel size');
    expect(text).toMatch(/osvconf: saved into .*: 4 files written, 0 unchanged/);
    expect(text).toContain('build with:');
    expect(text.replace(/\n/g, '')).toContain('conf_dot_file=conf/osvconf/release.x64.config'); // wrapped at 80 columns
  });

  it('an overlay takes the rows its content needs: a 2-choice picker leaves the list most of the screen', async () => {
    const s = start(osvTree(), 'tui --profile=virtio-kvm');
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(s, 'Enter'); // Arch and mode
    await waitFor(s, (t) => t.includes('Mode: (release)'), 'the arch menu');
    await keys(s, 'j', 'Enter'); // Mode: release or debug
    const text = await waitFor(s, (t) => t.includes('Enter picks'), 'the mode picker');
    const lines = text.split('\n');
    // The list's (and size panel's) bottom border: far down, not squeezed above a fixed 12-row box.
    expect(lines.findIndex((l) => l.startsWith('└'))).toBeGreaterThanOrEqual(12); // was 6 with a fixed 12-row box
    expect(text).toContain('release');
    expect(text).toContain('debug');
  });

  it('draws on a terminal whatever CI= says (ink alone would draw nothing until it exits)', async () => {
    const s = start(osvTree(), 'tui --profile=virtio-kvm', 'CI=true CONTINUOUS_INTEGRATION=1 ');
    const first = await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    const chosen = (t: string): number => t.split('\n').findIndex((l) => l.startsWith('│ >'));
    // Styles too (chalk drops every one under CI=...): the title bold, the choice in reverse video.
    const styled = execFileSync('tmux', ['capture-pane', '-t', s, '-p', '-e'], { encoding: 'utf8' });
    expect(styled).toContain('\x1b[1mosvconf: ');
    expect(styled).toMatch(/\x1b\[7m> +Arch and mode/);
    await keys(s, 'j');
    await waitFor(s, (t) => chosen(t) === chosen(first) + 1, 'the choice one row down');
    execFileSync('tmux', ['send-keys', '-t', s, 'q']);
    const text = await waitFor(s, (t) => t.includes('EXIT=0'), 'exit 0');
    expect(text).toContain('osvconf: not saved');
  });

  it('quitting without saving says so', async () => {
    const s = start(osvTree(), 'tui --profile=virtio-kvm');
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    execFileSync('tmux', ['send-keys', '-t', s, 'q']);
    const text = await waitFor(s, (t) => t.includes('EXIT=0'), 'exit 0');
    expect(text).toContain('osvconf: not saved');
  });

  it('loads one bundle (ink and React inside it, nothing from node_modules or dist beside it) and fetches nothing', async () => {
    const trace = join(tempDir(), 'imports.txt');
    const hooks = `--require ${join(ROOT, 'test', 'fixtures', 'trace-requires.cjs')} --import ${join(ROOT, 'test', 'fixtures', 'trace-imports.mjs')}`;
    const s = start(osvTree(), 'tui --profile=virtio-kvm', `OSVCONF_TRACE_IMPORTS=${trace} NODE_OPTIONS='${hooks}' `);
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    const loaded = readFileSync(trace, 'utf8').trim().split('\n');
    // The trace sees the bundles (the CLI's, the loader of the configurator's, the configurator's)
    // and what they require: nothing else from dist/ or node_modules.
    expect(loaded.some((u) => u.endsWith('/dist/cli/load-tui.cjs'))).toBe(true);
    expect(loaded.some((u) => u.endsWith('/dist/cli/tui.cjs'))).toBe(true);
    expect(loaded).toContain('node:tty');
    expect(loaded.filter((u) => !u.startsWith('node:') && !/\/(bin\/(osvconf|load-main)|dist\/cli\/(load-tui|main|tui))\.cjs$/.test(u))).toEqual([]);
    expect(loaded.filter((u) => u.startsWith('fetch:'))).toEqual([]);
    execFileSync('tmux', ['send-keys', '-t', s, 'q']);
    await waitFor(s, (t) => t.includes('EXIT=0'), 'exit 0');
  });

  it("the generator's refusal reaches the status line with its hint (a file that is not ELF)", async () => {
    const tree = osvTree();
    const notElf = join(tree, 'app.txt');
    writeFileSync(notElf, 'not a program\n');
    const s = start(tree, 'tui --arch=aarch64 --profile=virtio-mmio fs=rofs', '', [160, 24]);
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(s, 'j', 'j', 'j', 'Enter');
    await waitFor(s, (t) => t.includes('Generate a version script'), 'the visibility menu');
    await keys(s, 'j', 'j', 'Enter');
    await keys(s, notElf, 'Enter');
    const text = await waitFor(s, (t) => t.includes('not an ELF file'), 'the refusal');
    expect(text).toContain('(give the ELF files of the app'); // the hint, which was lost
  });

  it('Visibility runs the symbols generator on the app and switches hiding on', async () => {
    const tree = osvTree();
    const { s, text } = await generateScript(tree);
    expect(text).toMatch(/version script \(written on save\): \d+ symbols kept; 1 missing/);
    expect(text).toContain('[*] Hide non-libc symbols');
    expect(text).toContain('Version script path: "aarch64-app.so.versi'); // named in the tree, as make reads it (not /tmp/...)
    // Held until the save: nothing in the tree yet; undo takes it back, redo brings it again.
    const script = join(tree, 'aarch64-app.so.version_script');
    expect(existsSync(script)).toBe(false);
    await keys(s, 'u');
    await waitFor(s, (t) => t.includes('[ ] Hide non-libc symbols'), 'hiding off again');
    await keys(s, 'C-r');
    await waitFor(s, (t) => t.includes('[*] Hide non-libc symbols'), 'hiding on again');
    await keys(s, 's');
    const plan = await waitFor(s, (t) => t.includes('y / Enter writes these files'), 'the save plan');
    expect(plan).toContain('aarch64-app.so.version_script');
    await keys(s, 'y');
    await waitFor(s, (t) => t.includes('saved:'), 'saved');
    expect(readFileSync(script, 'utf8')).toContain('    clock_getres;\n');
  });

  it('a version script made and then left unsaved never reaches the tree', async () => {
    const tree = osvTree();
    const { s } = await generateScript(tree);
    execFileSync('tmux', ['send-keys', '-t', s, 'q']);
    await waitFor(s, (t) => t.includes('Quit without saving?'), 'the question');
    execFileSync('tmux', ['send-keys', '-t', s, 'y']);
    await waitFor(s, (t) => t.includes('EXIT=0'), 'exit 0');
    expect(readdirSync(tree).filter((f) => f.endsWith('.version_script'))).toEqual([]);
  });

  it("resumes the tree's saved configuration exactly (custom profile, fs, drivers); the command line wins", async () => {
    const tree = osvTree();
    const selection = ['--profile=vmware', 'conf_drivers_hpet=1', '--name=myvm', 'fs=rofs', 'conf_hide_symbols=1', 'conf_tracepoints=0'];
    expect(osvconf([...selection, `--out=${tree}`]).code).toBe(0);
    const savedFile = join(tree, 'conf', 'osvconf', 'release.x64.osvconf');
    const before = readFileSync(savedFile, 'utf8');
    const s = start(tree, '');
    const text = await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    expect(text).toContain('profile vmware)');
    expect(text).toContain(`loaded ${savedFile}`);
    expect(text).not.toMatch(/tracepoints\s+\d{3}\b/);
    expect(text).not.toContain('* unsaved');
    // Saving at once writes nothing new: the TUI holds exactly what the CLI saved.
    await keys(s, 's');
    await waitFor(s, (t) => t.includes('y / Enter writes these files'), 'the save plan');
    await keys(s, 'y');
    await waitFor(s, (t) => t.includes('saved: 0 files written'), 'saved');
    expect(readFileSync(savedFile, 'utf8')).toBe(before);
    const over = start(tree, 'tui --profile=xen conf_tracepoints=1');
    const t2 = await waitFor(over, (t) => t.includes('Kernel size'), 'the first frame');
    expect(t2).toContain('profile xen)');
    expect(t2).toMatch(/tracepoints\s+\d{3}\b/);
  });

  it('a .config it cannot take stops it with the name of the value; nothing is replaced by defaults', async () => {
    const tree = osvTree();
    mkdirSync(join(tree, 'build', 'release.x64'), { recursive: true });
    const dot = join(tree, 'build', 'release.x64', '.config');
    writeFileSync(dot, '# CONF_tracepoints is not set\nCONF_core_debug_buffer_size=banana\nCONF_no_such_option=y\n');
    const s = start(tree, '');
    const text = await waitFor(s, (t) => /EXIT=\d+/.test(t), 'the exit');
    expect(text).toContain(`cannot start from ${dot}`);
    expect(text).toContain('conf_core_debug_buffer_size');
    expect(text).toContain('EXIT=1');
    expect(existsSync(join(tree, 'conf', 'osvconf'))).toBe(false);
  });

  it('a .config with names this OSv lacks is loaded, and the names are shown', async () => {
    const tree = osvTree();
    mkdirSync(join(tree, 'build', 'release.x64'), { recursive: true });
    writeFileSync(join(tree, 'build', 'release.x64', '.config'), '# CONF_tracepoints is not set\nCONF_no_such_option=y\n');
    const s = start(tree, '');
    const text = await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    expect(text).toContain('CONF_no_such_option');
    expect(text).not.toMatch(/tracepoints\s+\d{3}\b/);
  });

  it('at 60x20 nothing is cut: the key hints and the legend wrap, the size panel narrows and keeps its title', async () => {
    const s = start(osvTree(), 'tui --profile=virtio-pci', '', [60, 20]);
    const text = await waitFor(s, (t) => t.includes('Kernel size') && t.includes('off'), 'the first frame');
    const lines = text.split('\n');
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(text).toContain('q quit'); // the last key hint (cut at 60 columns before)
    for (const key of ['O load', 'S save as', 'm log']) expect(text).toContain(key); // every key, wrapped (left out below 100 columns before)
    expect(text).toMatch(/\[ \] off/); // the legend's end
    expect(text).toMatch(/KiB ± \d+ %/);
    // Every row of the frame fits the 20 rows: the list's bottom border is there.
    expect(lines.filter((l) => l.startsWith('└')).length).toBe(1);
  });

  for (const [columns, rows, matches] of [
    [60, 20, 7],
    [80, 14, 3],
  ] as const)
    it(`at ${columns}x${rows} the search takes the rows the list gives up, and the frame still fits`, async () => {
      const s = start(osvTree(), 'tui --profile=virtio-pci', '', [columns, rows]);
      await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
      await keys(s, '/');
      await keys(s, 'virtio');
      const text = await waitFor(s, (t) => /Search: virtio +\d+ matches/.test(t), 'the matches');
      const lines = text.split('\n');
      expect(lines[0]).toMatch(/^osvconf: /); // the title was not pushed off the top
      expect(lines.some((l) => l.includes('[ ] off'))).toBe(true); // nor the legend off the bottom
      expect(lines.filter((l) => /^║ [ >] \S/.test(l)).length).toBeGreaterThanOrEqual(matches);
      expect(lines.filter((l) => l.includes('more') && !l.includes('Search:')).every((l) => !/more\S/.test(l))).toBe(true); // no marker drawn over an item
    });

  it('a list longer than the screen says how many items lie above and below', async () => {
    const s = start(osvTree(), 'tui --profile=virtio-pci', '', [80, 14]);
    const first = await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    expect(first).toMatch(/↓ \d+ more/);
    expect(first).not.toMatch(/↑ \d+ more/);
    await keys(s, 'End');
    const last = await waitFor(s, (t) => /↑ \d+ more/.test(t), 'the marker above');
    expect(last).not.toMatch(/↓ \d+ more/);
    expect(last).toMatch(/> {4}< Quit >/);
  });

  it('a refusal cut on the status line is kept whole in the message log (m); the save screen repeats the warnings', async () => {
    const s = start(osvTree(), 'tui --profile=virtio-pci');
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(s, 'Down', 'Down', 'Enter', 'Enter', 'Space'); // Drivers > Buses > virtio: refused, others need it
    const refused = await waitFor(s, (t) => t.includes('[m: 1 new]'), 'the unread count');
    expect(refused).not.toContain('turn them off first'); // cut at 80 columns
    await keys(s, 'm');
    const log = await waitFor(s, (t) => t.includes('turn them off first'), 'the whole message in the log');
    expect(log).toContain('! virtio is needed by virtio_blk');
    await keys(s, 'Escape');
    await waitFor(s, (t) => !t.includes('[m: 1 new]') && !t.includes('turn them off first'), 'the log closed and read');
    const w = start(osvTree(), 'tui --profile=base fs=rofs');
    await waitFor(w, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(w, 's');
    const save = await waitFor(w, (t) => t.includes('y / Enter writes these files'), 'the save plan');
    expect(save).toContain('warning: fs=rofs reads the root filesystem from a disk');
  });

  it('O loads a .config (options it does not name are marked NEW), S saves to a file name that loads back', async () => {
    const tree = osvTree();
    const config = osvconf(['--profile=xen', '--print=.config']).stdout.replace(/^CONF_tracepoints_strace=.*\n/m, '');
    const file = join(tempDir(), 'other.config');
    writeFileSync(file, config);
    const s = start(tree, 'tui --profile=virtio-pci');
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(s, 'O');
    await waitFor(s, (t) => t.includes('Load a configuration'), 'the file prompt');
    await keys(s, file, 'Enter');
    await waitFor(s, (t) => t.includes(`loaded ${file}`) && t.includes('profile xen'), 'the loaded configuration');
    await keys(s, '/', 'tracepoints_strace', 'Enter');
    const found = await waitFor(s, (t) => /strace.*\(NEW\)/.test(t), 'the option the .config lacks, marked NEW');
    expect(found.split('\n').filter((l) => l.includes('(NEW)'))).toHaveLength(1);
    await keys(s, 'S');
    await waitFor(s, (t) => t.includes('Save the configuration to'), 'the save prompt');
    await keys(s, 'mine.osvconf', 'Enter');
    await waitFor(s, (t) => t.includes(`saved the configuration to ${join(tree, 'mine.osvconf')}`), 'saved');
    const back = osvconf([`--load=${join(tree, 'mine.osvconf')}`, '--print=.config']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toBe(osvconf([`--load=${file}`, '--print=.config']).stdout);
    // Quitting says where the configuration went, though nothing was saved into the tree.
    execFileSync('tmux', ['send-keys', '-t', s, 'q']);
    await waitFor(s, (t) => t.includes('Quit without saving?'), 'the question');
    execFileSync('tmux', ['send-keys', '-t', s, 'y']);
    const summary = await waitFor(s, (t) => t.includes('EXIT=0'), 'exit 0');
    expect(summary).toContain(`osvconf: the configuration was saved to ${join(tree, 'mine.osvconf')}`);
  });

  it("O loads OSv's example .config with its values; the fs it needs is offered in place of the session's, and said", async () => {
    const tree = osvTree();
    const [example] = writeExample(tree);
    const s = start(tree, 'tui --profile=virtio-pci', '', [160, 30]);
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(s, 'O');
    await waitFor(s, (t) => t.includes('Load a configuration'), 'the file prompt');
    await keys(s, `${EXAMPLES}/${example as string}`, 'Enter');
    await waitFor(s, (t) => t.includes('profile microvm'), 'the loaded example');
    await keys(s, 'm');
    const log = (await waitFor(s, (t) => t.includes('sets no fs'), 'the note in the log')).replace(/[\s│]+/g, ' ');
    expect(log).toContain('fs=rofs:');
    expect(log).toContain('fs=zfs loads libsolaris.so');
    expect(log).toContain(`loaded ${join(tree, EXAMPLES, example as string)}`);
    // Its values kept: the networking stack is off, symbols hidden with its script.
    await keys(s, 'm', '/', 'conf_networking_stack', 'Enter');
    await waitFor(s, (t) => /\[ \] .*[Nn]etworking/.test(t), 'the networking stack off');
  });

  it("Ctrl-F in the search shows the highlighted match's help; Esc goes back to the search", async () => {
    const s = start(osvTree(), 'tui --profile=virtio-pci');
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(s, '/', 'nvme');
    await waitFor(s, (t) => t.includes('^F help'), 'the search');
    await keys(s, 'C-f');
    const help = await waitFor(s, (t) => t.includes('conf_drivers_nvme'), 'the help of the match');
    expect(help).not.toContain('^F help');
    await keys(s, 'Escape');
    await waitFor(s, (t) => t.includes('^F help'), 'the search again');
  });

  for (const [columns, rows] of [
    [80, 24],
    [60, 20],
  ] as const)
    it(`at ${columns}x${rows} a refused save is drawn whole within the screen, with what the configurator can do about it`, async () => {
      const tree = osvTree();
      const header = join(tree, 'build', 'release.x64', 'gen', 'include', 'osv', 'drivers_config.h');
      mkdirSync(dirname(header), { recursive: true });
      writeFileSync(header, '/* my own header */\n');
      const s = start(tree, 'tui --profile=virtio-pci', '', [columns, rows]);
      await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
      await keys(s, 's');
      // The refusal wraps where the temporary tree's path puts it: read as one line.
      const flat = (t: string): string =>
        t
          .split('\n')
          .map((l) => l.replace(/^║ ?|║$/g, '').trim())
          .join(' ')
          .replace(/\s+/g, ' ');
      const text = await waitFor(s, (t) => flat(t).includes('not replaced (move it away)') && t.includes('Esc closes'), 'the refusal');
      expect(text.split('\n')[0]).toMatch(/^osvconf: /); // the title stays on the screen
      expect(text).not.toContain('another Custom profile name'); // its place does not come from the name
      expect(text).not.toContain('y/⏎ write'); // nothing to write: the keys say so
      expect(readFileSync(header, 'utf8')).toBe('/* my own header */\n');
    });

  it('at 80x12 a refused save still leaves the title on the screen, and says how much it could not show', async () => {
    const tree = osvTree();
    const header = join(tree, 'build', 'release.x64', 'gen', 'include', 'osv', 'drivers_config.h');
    mkdirSync(dirname(header), { recursive: true });
    writeFileSync(header, '/* my own header */\n');
    const s = start(tree, 'tui --profile=virtio-pci', '', [80, 12]);
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(s, 's');
    const text = await waitFor(s, (t) => /↓ \d+ more lines?: a taller terminal shows them/.test(t), 'the refusal, cut with a count');
    expect(text.split('\n')[0]).toMatch(/^osvconf: /);
    expect(text).toContain('Esc close'); // the key hints, below
  });

  it('a version script the tree already has from elsewhere is not replaced by the save', async () => {
    const tree = osvTree();
    const foreign = join(tree, 'aarch64-app.so.version_script');
    writeFileSync(foreign, '{ global: mine; local: *; };\n');
    const { s } = await generateScript(tree);
    await keys(s, 's');
    const refused = await waitFor(s, (t) => t.includes('not replaced'), 'the refusal');
    expect(refused).toContain('move it away');
    expect(refused).not.toContain('--force'); // no command-line flags in the configurator's words
    expect(readFileSync(foreign, 'utf8')).toBe('{ global: mine; local: *; };\n');
  });

  it("a loaded file's control characters are shown, never sent to the terminal; S refuses a literal ~; the size panel keeps its border", async () => {
    const tree = osvTree();
    const hostile = join(tempDir(), 'esc.conf');
    writeFileSync(hostile, 'conf_\x1b]0;PWNED\x07\x1b[31m=1\n');
    const s = start(tree, 'tui --profile=virtio-pci', '', [60, 20]);
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(s, 'O');
    await keys(s, hostile, 'Enter');
    await waitFor(s, (t) => t.includes('cannot load'), 'the refusal');
    await keys(s, 'm');
    const log = await waitFor(s, (t) => t.includes('PgUp/PgDn scroll') && t.includes('PWNED'), 'the log with the whole message');
    expect(log).toContain('\\x1b'); // the escape shown as text
    expect(execFileSync('tmux', ['display-message', '-p', '-t', s, '#{pane_title}'], { encoding: 'utf8' })).not.toContain('PWNED');
    // The panel beside the list keeps its bottom border whole with the log open.
    const bottom = log.split('\n').find((l) => l.includes('└')) ?? '';
    expect(bottom.trimEnd()).toMatch(/^└─+┘└─+┘$/);
    await keys(s, 'Escape', 'S', '~/x.osvconf', 'Enter');
    await waitFor(s, (t) => t.includes('a literal "~"'), 'the refusal');
    expect(existsSync(join(tree, '~'))).toBe(false);
  });

  it('search shows every match with its menu and value and keeps the choice in view; Esc after a jump returns to the menu above; locked drivers refuse in plain words; hex shows 0x', async () => {
    const s = start(osvTree(), 'tui --profile=virtio-pci');
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(s, '/', 'virtio');
    await waitFor(s, (t) => /\d+ matches/.test(t), 'the matches');
    for (let i = 0; i < 12; i++) await keys(s, 'Down');
    const last = screen(s);
    expect(last).toMatch(/↑ more/); // the list scrolled: the choice stays in view
    expect(last).toMatch(/^║ > /m);
    expect(last).toContain('Drivers > Drivers: Storage: virtio_blk'); // menu path and name
    await keys(s, 'Home');
    await keys(s, 'C-u', 'virtio_scsi', 'Enter');
    await waitFor(s, (t) => t.includes('osvconf: Drivers: Storage') && /^│ >\[.\] virtio_scsi/m.test(t), 'the jump to virtio_scsi');
    await keys(s, 'Escape');
    await waitFor(s, (t) => t.includes('osvconf: Drivers') && /^│ > {4}Storage --->/m.test(t), 'the Drivers menu, on Storage');
    await keys(s, 'Home', 'Enter', 'Down', 'Space'); // Buses > pci: acpi needs it
    const refused = await waitFor(s, (t) => t.includes('pci is needed by acpi'), 'the refusal');
    expect(refused).toMatch(/^│ >\[=\] pci/m);
    expect(refused).not.toMatch(/--[a-z]/); // no command-line flags in the reason
    await keys(s, '/', 'debug buffer', 'Enter');
    await waitFor(s, (t) => t.includes('Debug buffer size: "0xc800"'), 'the hex value with 0x');
  });

  it('follows a resize of the terminal', async () => {
    const s = start(osvTree(), 'tui');
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    execFileSync('tmux', ['resize-window', '-t', s, '-x', '120', '-y', '30']);
    // The whole redrawn frame: wider than 80 columns and taller than 24 rows (a frame being drawn
    // may show only part of it, so the test waits for both).
    const wide = await waitFor(
      s,
      (t) => t.split('\n').some((l) => l.trimEnd().length > 100) && t.split('\n').filter((l) => l.includes('│')).length > 20,
      'the wider and taller frame',
    );
    expect(wide).toContain('Kernel size');
  });

  it('q with unsaved changes asks; Ctrl-C quits and writes nothing', async () => {
    const tree = osvTree();
    const s = start(tree, 'tui --profile=virtio-pci');
    await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
    await keys(s, 'j', 'Enter', 'j', 'Enter');
    await waitFor(s, (t) => t.includes('* unsaved'), 'a change');
    await keys(s, 'q');
    await waitFor(s, (t) => t.includes('Quit without saving?'), 'the question');
    await keys(s, 'n');
    execFileSync('tmux', ['send-keys', '-t', s, 'C-c']); // it ends the configurator: no key to wait for
    const text = await waitFor(s, (t) => /EXIT=\d+/.test(t), 'the exit');
    expect(text).not.toContain('EXIT=0');
    expect(readdirSync(tree).sort()).toEqual(['conf', 'scripts']);
    expect(existsSync(join(tree, 'build'))).toBe(false);
  });

  it('an internal error restores the terminal, keeps the unsaved work, and the next start offers it', async () => {
    let tree = '';
    // The second change throws inside the key handler (OSVCONF_TUI_FAULT=resolve); the ? pane's text in a frame.
    for (const [fault, crash] of [
      ['resolve', ['Enter', 'k', 'Enter']],
      ['explain', ['?']],
    ] as const) {
      tree = osvTree();
      const s = start(tree, 'tui --profile=virtio-mmio fs=rofs', `OSVCONF_TUI_FAULT=${fault} `, [240, 24]);
      await waitFor(s, (t) => t.includes('Kernel size'), 'the first frame');
      await keys(s, 'j', 'Enter', 'k', 'Enter');
      await waitFor(s, (t) => t.includes('* unsaved') && t.includes('profile virtio-kvm'), 'the first change');
      await keys(s, ...crash.slice(0, -1));
      // The key that throws is never taken: no key to wait for, only the exit.
      execFileSync('tmux', ['send-keys', '-t', s, crash[crash.length - 1] as string]);
      const text = await waitFor(s, (t) => /EXIT=\d+/.test(t), 'the exit');
      expect(text).toContain('EXIT=1');
      expect(text).toContain(`injected fault in ${fault}`);
      expect(text).toContain('.osvconf-recovery.osvconf');
      // Back on the normal screen, with the cursor shown.
      expect(execFileSync('tmux', ['display', '-p', '-t', s, '#{alternate_on} #{cursor_flag}'], { encoding: 'utf8' }).trim()).toBe('0 1');
      const kept = readFileSync(join(tree, '.osvconf-recovery.osvconf'), 'utf8');
      expect(kept).toContain('conf_drivers_profile=virtio-kvm');
      expect(kept).toContain('fs=rofs');
    }
    // The next start offers the work; Enter loads it, and the file has done its job.
    const s = start(tree, 'tui --profile=virtio-mmio fs=rofs');
    await waitFor(s, (t) => t.includes('stopped on an error'), 'the offer');
    await keys(s, 'Enter');
    await waitFor(s, (t) => t.includes('profile virtio-kvm') && t.includes('* unsaved'), 'the recovered work');
    expect(existsSync(join(tree, '.osvconf-recovery.osvconf'))).toBe(false);
  });
});

describe('without a terminal', () => {
  it('osvconf tui exits 2 at once with a hint to the scripted flags', () => {
    const run = osvconf(['tui']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the interactive configurator needs a terminal');
    expect(run.stderr).toContain('--print=ARTIFACT or --out=DIR');
  });
});
