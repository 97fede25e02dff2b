// The scripted path: resolve the selection, then --print one artifact, --out a tree, or --json.

import { join } from 'node:path';
import { checkCustomName, customProfile } from '../../core/custom-profile.js';
import { checkOutDir, isOsvCheckout } from '../../io/out-dir.js';
import { fail, ok, usage, type Result } from '../../core/result.js';
import { didYouMean } from '../../core/suggest.js';
import { ARTIFACTS, findArtifact, notesOf } from '../../generators/artifacts.js';
import { comparePlan, writePlan, type FileOutcome, type PlannedFile } from '../../io/write-plan.js';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { json, output, type CommandOutput } from '../output.js';
import { selectionJson } from '../report.js';
import { resolveSelection } from '../../app/selection.js';
import { plan } from '../../app/plan.js';
import { savedLines, type SavedForm } from '../../core/saved-forms.js';
import { renderConfiguration } from '../../generators/configuration.js';
import { buildDir, dotConfigPath } from '../../core/tree-layout.js';
import { MAX_DATA_BYTES, readTextCapped } from '../../io/read-file.js';
import { parseDotConfig } from '../../core/dot-config.js';
import { KCONFIG_PREFIX } from '../../core/kconfig.js';
import type { Selection, Warning } from '../../core/select.js';

async function dryRun(out: string, files: readonly PlannedFile[], outcomes: readonly FileOutcome[]): Promise<string> {
  const { unifiedDiff } = await import('../../app/unified-diff.js');
  let text = '';
  for (const o of outcomes) {
    text += `${o.status === 'unchanged' ? 'unchanged   ' : o.before === undefined ? 'would write ' : 'would change'} ${join(out, o.path)}\n`;
  }
  for (const [i, o] of outcomes.entries()) {
    if (o.status === 'unchanged') continue;
    const content = (files[i] as PlannedFile).content;
    text += unifiedDiff(o.path, o.before, content, 3);
  }
  return text;
}

export async function run(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  const print = args.values.get('print');
  let out = args.values.get('out');
  const asJson = args.switches.has('json');
  const dry = args.switches.has('dry-run');
  const form: SavedForm = args.switches.has('minimal') ? 'minimal' : args.switches.has('full') ? 'full' : 'given';
  if (args.switches.has('minimal') && args.switches.has('full'))
    return usage('--minimal and --full cannot be combined', 'choose one form of the saved configuration');
  if (print !== undefined && out !== undefined)
    return usage('--print and --out cannot be combined', 'use --print=ARTIFACT for stdout or --out=DIR to write files');
  if (print !== undefined && asJson)
    return usage('--print and --json cannot be combined', '--print writes the artifact itself; --json alone reports the resolved selection');
  if (dry && print !== undefined) return usage('--dry-run goes with --out, not --print', '--print never writes anything anyway');
  const artifact = print === undefined ? undefined : findArtifact(print);
  if (print !== undefined && artifact === undefined) {
    return fail(
      `unknown artifact "${print}"${didYouMean(
        print,
        ARTIFACTS.map((a) => a.name),
      )}`,
      `--print takes one of: ${ARTIFACTS.map((a) => a.name).join(', ')}`,
    );
  }

  const resolved = await resolveSelection(args, args.positionals, context.cwd);
  if (!resolved.ok) return resolved;
  const { selection, profiles } = resolved.value;
  // The name the profile file gets, given or not: a user profile named like one of OSv's (base,
  // all, ...) must not replace OSv's own file.
  const custom = customProfile(selection);
  if (selection.request.customName !== undefined || custom.needsFile) {
    const named = checkCustomName(custom.name, selection, profiles);
    if (!named.ok) return named;
  }

  // The saved configuration in the form asked for (--minimal / --full); the other artifacts do not change.
  const rendered = new Map(form === 'given' ? [] : [['configuration', renderConfiguration(selection, savedLines(selection, form, profiles))]]);
  if (form !== 'given' && artifact !== undefined && artifact.name !== 'configuration' && out === undefined)
    return usage(`--${form} shapes the saved configuration`, 'use it with --print=configuration or --out=DIR');
  if (artifact !== undefined)
    return ok(output(rendered.get(artifact.name) ?? artifact.render(selection), [...selection.warnings, ...artifact.notes(selection)]));

  if (out === undefined && !asJson) {
    if (!isOsvCheckout(context.cwd)) {
      return usage(
        'nothing to do: give --print=ARTIFACT or --out=DIR',
        'without them osvconf writes into the current directory only when it is an OSv checkout (conf/profiles/ and scripts/build)',
      );
    }
    out = context.cwd;
  }
  if (out === undefined) {
    if (dry) return usage('--dry-run goes with --out', 'write --out=DIR --dry-run');
    return ok(output(json(selectionJson(selection)), selection.warnings));
  }

  const place = checkOutDir(out, args.switches.has('force'));
  if (!place.ok) return place;
  const { files, artifacts } = plan(selection, rendered);
  // The files the build command needs are part of this plan, and it passes conf_drivers_profile
  // (beating the Kconfig choice): no need to say either.
  const notes = notesOf([...artifacts, ...ARTIFACTS.filter((a) => a.name === 'build-command')], selection).filter(
    (n) => n.code !== 'needs-tree-files' && n.code !== 'profile-not-a-kconfig-choice',
  );
  const warnings = [...selection.warnings, ...notes];
  const buildCommand = (findArtifact('build-command') as (typeof ARTIFACTS)[number]).render(selection);
  if (dry) {
    const compared = comparePlan(out, files, { force: args.switches.has('force') });
    if (!compared.ok) return compared;
    if (asJson)
      return ok(
        output(
          json({
            ...selectionJson(selection),
            out,
            dry_run: true,
            files: compared.value.map((f) => ({ path: f.path, status: f.status === 'wrote' ? 'would-write' : 'unchanged' })),
          }),
          warnings,
        ),
      );
    return ok(output(await dryRun(out, files, compared.value), warnings));
  }
  const previous = readTextCapped(join(out, dotConfigPath(selection.request)), 'Kconfig file', MAX_DATA_BYTES);
  const written = writePlan(out, files, { force: args.switches.has('force') });
  if (!written.ok) return written;
  if (previous.ok) warnings.push(...cleanBuildWarnings(selection, previous.value));
  if (asJson) {
    return ok(
      output(
        json({
          ...selectionJson(selection),
          out,
          files: written.value.map((f) => ({ path: f.path, status: f.status })),
          build_command: buildCommand.trimEnd(),
        }),
        warnings,
        true,
      ),
    );
  }
  const lines = written.value.map((f) => `${f.status.padEnd(9)} ${join(out as string, f.path)}\n`).join('');
  return ok(output(`${lines}build with: ${buildCommand}`, warnings, true));
}

/**
 * Options that change compiler flags, changed since the tree was last configured: make rebuilds
 * only what includes the option's header, and objects built with the old flags stay (a later
 * build failed to link on __cyg_profile_func_enter from objects of a conf_tracing=1 build).
 */
function cleanBuildWarnings(selection: Selection, previousDotConfig: string): Warning[] {
  const before = parseDotConfig(previousDotConfig, selection.catalog.kconfig.choice.name).values;
  return selection.kconfig
    .filter((k) => k.option.cleanBuild === true && k.visible)
    .filter((k) => (before.get(k.option.name) ?? (k.option.type === 'bool' ? 'n' : undefined)) !== undefined)
    .filter((k) => (before.get(k.option.name) ?? 'n').trim() !== k.value.trim())
    .map((k) => ({
      code: 'clean-build-needed' as const,
      message: `${KCONFIG_PREFIX}${k.option.name} changed since this tree was last configured (${before.get(k.option.name) ?? 'n'} -> ${k.value}): it changes compiler flags, which make does not see, so objects built with the old flags stay (seen: a build after conf_tracing=1 failed to link on __cyg_profile_func_enter)`,
      hint: `build from clean: remove ${buildDir(selection.request)} before the build command`,
    }));
}
