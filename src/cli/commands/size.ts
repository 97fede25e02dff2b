// osvconf size [selection flags] [--compare=PROFILE|none] [--elf=FILE] [--calibrate=DIR]
// [--calibration=FILE] [--html=FILE] [--json]: the estimated kernel-stripped.elf of the selection,
// per component, against a baseline (default: profile all with symbols visible), with the
// uncertainty and what else the image carries; calibrated on the user's build when the tree has
// one; a measured kernel beside it. Reading builds and writing the page: app/size-build.ts.

import { fail, ok, type Result } from '../../core/result.js';
import { formatKib, printable, thousands } from '../../core/format.js';
import { select, type Selection } from '../../core/select.js';
import { loadSizeModel } from '../../io/size-files.js';
import { sizeInputOf } from '../../size/input.js';
import { type Measured } from '../../size/measure.js';
import { createEstimator, type Estimate, type Estimator } from '../../size/model.js';
import { applyCalibration, implausibleShift, type CalibrationRecord } from '../../size/calibration.js';
import { findCalibration, ownsCalibration, writeCalibration } from '../../io/size-calibration.js';
import { isOsvCheckout, literalTilde } from '../../io/out-dir.js';
import { resolve as resolvePath } from 'node:path';
import type { ParsedArgs } from '../args.js';
import type { RunContext } from '../command-table.js';
import { json, output, type CommandOutput } from '../output.js';
import { resolveSelection, type Context } from '../../app/selection.js';
import { appScriptSize } from '../../app/size-input.js';

const kib = formatKib;

function baselineOf(args: ParsedArgs, context: Context, selection: Selection, estimator: Estimator): Result<{ label: string; estimate: Estimate } | undefined> {
  const compare = args.values.get('compare') ?? context.defaults.defaultProfile;
  if (compare === 'none') return ok(undefined);
  const base = select(
    {
      arch: selection.request.arch,
      mode: selection.request.mode,
      profile: compare,
      drivers: new Map(),
      kconfig: new Map(),
      options: new Map(),
      force: true,
      strict: false,
    },
    context.catalog,
    context.profiles,
  );
  if (!base.ok) return base;
  const estimate = estimator.estimate(sizeInputOf(base.value));
  return ok({ label: `profile ${compare}, symbols visible`, estimate });
}

function bar(value: number, max: number, width = 24): string {
  const n = max <= 0 ? 0 : Math.round((Math.abs(value) / max) * width);
  return (value < 0 ? '-' : '#').repeat(n);
}

const pct = (part: number, whole: number): number => (whole <= 0 ? 0 : Math.round((part / whole) * 1000) / 10);

/** How the measurement was made, in one paragraph. */
function measuredHow(m: Measured, file: string): string {
  const e = m.exactness;
  if (m.method === 'symbols' || e === undefined)
    return `no DWARF in ${file}: attributed by symbol names (from ${m.symbolTable}), which leaves much unattributed; give the unstripped build/<mode>.<arch>/loader.elf for exact figures by source file\n`;
  const attributed = e.exactKib + e.byNeighbourKib + e.byReferenceKib;
  return (
    `by source file, from DWARF (${e.units} compile units): ${pct(attributed, e.mainKib)} % of .text, .rodata, .data and .bss attributed ` +
    `(${pct(e.exactKib, e.mainKib)} % exact, ${pct(e.byNeighbourKib, e.mainKib)} % as padding between two pieces of one file, ` +
    `${pct(e.byReferenceKib, e.mainKib)} % unnamed data given to the file whose code points at it)\n`
  );
}

export async function run(args: ParsedArgs, context: RunContext): Promise<Result<CommandOutput>> {
  const resolved = await resolveSelection(args, args.positionals, context.cwd);
  if (!resolved.ok) return resolved;
  const { selection } = resolved.value;
  const script = appScriptSize(selection, args.values.get('out') ?? context.cwd);
  if (!script.ok) return script;
  const model = loadSizeModel(selection.request.arch);
  if (!model.modes.includes(selection.request.mode))
    return fail(
      `no size estimate for mode=${selection.request.mode}: the model (conf/size/${selection.request.arch}.json) is fitted on ${model.modes.join(', ')} kernels only`,
      `a ${selection.request.mode} kernel is built otherwise (another -O level, assertions) and its size is not extrapolated from release builds; use --mode=${model.modes[0]}`,
    );
  const estimator = createEstimator(model);
  const input = sizeInputOf(selection, script.value);
  const modelEstimate = estimator.estimate(input);
  const tree = args.values.get('out') ?? (isOsvCheckout(context.cwd) ? context.cwd : undefined);
  for (const flag of ['html', 'calibration'] as const) {
    const given = args.values.get(flag);
    const tilde = given === undefined ? ok(undefined) : literalTilde(given, `--${flag}=${given}`, 'write the path out, e.g. $HOME/...');
    if (!tilde.ok) return tilde;
  }
  const calibrateDir = args.values.get('calibrate');
  // Reading builds (DWARF, ELF) and writing the page load only when asked for (a chunk of their own).
  const build = calibrateDir !== undefined || args.values.has('elf') || args.values.has('html') ? await import('../../app/size-build.js') : undefined;
  const made =
    calibrateDir === undefined || build === undefined
      ? undefined
      : build.calibrationFromBuild(
          resolvePath(context.cwd, calibrateDir),
          args.values.get('calibration'),
          selection,
          input,
          modelEstimate,
          tree,
          resolved.value.defaults,
        );
  if (made !== undefined && !made.ok) return made;
  const named = args.values.get('calibration');
  // The calibration just made, else the one named, else the tree's.
  const found: Result<{ path: string; record: CalibrationRecord } | undefined> =
    made !== undefined
      ? made
      : findCalibration(named === undefined ? undefined : resolvePath(context.cwd, named), tree, selection.request.mode, selection.request.arch);
  if (!found.ok) return found;
  const applied = found.value === undefined ? undefined : applyCalibration(found.value.record, input, modelEstimate.kernelKib, modelEstimate.lines);
  const wrong = applied === undefined ? undefined : implausibleShift(applied, modelEstimate.kernelKib);
  if (wrong !== undefined)
    return fail(`${found.value?.path}: ${wrong}`, 'make it again with osvconf size --calibrate=build/<mode>.<arch> and the selection that build was made with');
  const calibration = found.value === undefined || applied === undefined ? undefined : { ...found.value, ...applied };
  // A calibrated estimate is the model's shifted by its error on the user's build; so is the baseline, so differences stay the model's.
  const shift = calibration?.offsetKib ?? 0;
  const estimate = { ...modelEstimate, kernelKib: modelEstimate.kernelKib + shift };
  const baseline = baselineOf(args, resolved.value, selection, estimator);
  if (!baseline.ok) return baseline;
  const base =
    baseline.value === undefined
      ? undefined
      : { ...baseline.value, estimate: { ...baseline.value.estimate, kernelKib: baseline.value.estimate.kernelKib + shift } };
  const elfPath = args.values.get('elf');
  const measured = elfPath === undefined || build === undefined ? undefined : build.measureElf(elfPath, selection.request.arch, resolved.value.defaults);
  if (measured !== undefined && !measured.ok) return measured;
  const m = measured?.value;
  const r1 = (n: number): number => Math.round(n * 10) / 10;
  // Every input has been read and checked: now the files, both checked before either is written.
  const htmlPath = args.values.get('html');
  if (build !== undefined) {
    const outputs = [
      ...(htmlPath === undefined ? [] : [{ path: resolvePath(context.cwd, htmlPath), what: 'page', owns: build.ownsSizeReport }]),
      ...(made === undefined ? [] : [{ path: made.value.path, what: 'calibration', owns: ownsCalibration }]),
    ];
    const checked = build.checkSizeOutputs(outputs);
    if (!checked.ok) return checked;
  }
  const wroteHtml =
    htmlPath === undefined || build === undefined
      ? undefined
      : build.writeSizeReport(resolvePath(context.cwd, htmlPath), selection, model.target, estimate, calibration?.record.file, m, elfPath);
  if (wroteHtml !== undefined && !wroteHtml.ok) return wroteHtml;
  if (made !== undefined) {
    const written = writeCalibration(made.value.path, made.value.record);
    if (!written.ok) return written;
  }

  if (args.switches.has('json')) {
    return ok(
      output(
        json({
          arch: selection.request.arch,
          profile: selection.request.profile,
          target: model.target,
          kernel_kib: Math.round(estimate.kernelKib * 10) / 10,
          model_kib: Math.round(modelEstimate.kernelKib * 10) / 10,
          calibration:
            calibration === undefined
              ? null
              : {
                  file: calibration.record.file,
                  date: calibration.record.date,
                  stored_in: calibration.path,
                  measured_kib: calibration.record.measured_kib,
                  offset_kib: Math.round(calibration.offsetKib * 10) / 10,
                  measured_components: calibration.measuredComponents,
                  extrapolated: calibration.extrapolated,
                },
          baseline_kib: base === undefined ? null : Math.round(base.estimate.kernelKib * 10) / 10,
          baseline: base?.label ?? null,
          uncertainty_pct: estimate.uncertaintyPct,
          components: estimate.lines.map((l) => ({ name: l.name, label: l.label, kib: Math.round(l.kib * 10) / 10 })),
          libsolaris: estimate.libsolaris ?? null,
          ...(m === undefined
            ? {}
            : {
                measured: {
                  method: m.method,
                  file: elfPath,
                  file_kib: r1(m.fileKib),
                  symbol_table: m.symbolTable,
                  sections: m.sections.map((x) => ({ name: x.name, kib: r1(x.kib) })),
                  components: [...m.components]
                    .map(([name, k]) => ({
                      name,
                      kib: r1(k),
                      ...(m.files === undefined
                        ? {}
                        : {
                            files: [...(m.files.get(name) ?? [])]
                              .sort((a, b) => b.kib - a.kib)
                              .slice(0, 5)
                              .map((f) => ({ path: f.path, kib: r1(f.kib) })),
                          }),
                    }))
                    .sort((a, b) => b.kib - a.kib),
                  attributed_kib: r1(m.attributedKib),
                  unattributed_kib: r1(m.unattributedKib),
                  ...(m.exactness === undefined
                    ? {}
                    : {
                        exactness: {
                          main_kib: r1(m.exactness.mainKib),
                          attributed_pct: pct(m.exactness.exactKib + m.exactness.byNeighbourKib + m.exactness.byReferenceKib, m.exactness.mainKib),
                          exact_pct: pct(m.exactness.exactKib, m.exactness.mainKib),
                          by_neighbour_pct: pct(m.exactness.byNeighbourKib, m.exactness.mainKib),
                          by_reference_pct: pct(m.exactness.byReferenceKib, m.exactness.mainKib),
                          compile_units: m.exactness.units,
                        },
                      }),
                },
              }),
        }),
        selection.warnings,
      ),
    );
  }
  const { arch, profile } = selection.request;
  const hidden = sizeInputOf(selection).hidden;
  let text = `${model.target}, ${arch}, profile ${profile}, symbols ${hidden ? 'hidden' : 'visible'}\n`;
  text += `estimate: ${kib(estimate.kernelKib)} (± ${estimate.uncertaintyPct} %)\n`;
  if (calibration !== undefined) {
    const o = calibration.offsetKib;
    const parts = calibration.measuredComponents > 0 ? `; ${calibration.measuredComponents} components at their measured size` : '';
    text += `calibrated on ${printable(calibration.record.file)}, ${printable(calibration.record.date)}: the model's ${kib(modelEstimate.kernelKib)} ${o < 0 ? '-' : '+'} ${kib(Math.abs(o))} (its error on that build${parts}; ${calibration.path})\n`;
    for (const e of calibration.extrapolated) text += `  extrapolated: ${printable(e)}\n`;
  }
  if (base !== undefined) {
    const delta = estimate.kernelKib - base.estimate.kernelKib;
    text += `baseline: ${kib(base.estimate.kernelKib)} (${base.label}): ${delta <= 0 ? '' : '+'}${kib(delta)} (${delta <= 0 ? '' : '+'}${((delta / base.estimate.kernelKib) * 100).toFixed(1)} %)\n`;
  }
  text += '\n';
  const max = Math.max(...estimate.lines.map((l) => Math.abs(l.kib)));
  const width = Math.max(...estimate.lines.map((l) => l.label.length), 'unattributed symbols'.length);
  const num = (n: number): string => thousands(n).padStart(6);
  if (m === undefined) {
    for (const l of estimate.lines) text += `  ${l.label.padEnd(width)}  ${num(l.kib)}  ${bar(l.kib, max)}\n`;
  } else {
    text += `measured: ${elfPath} (${kib(m.fileKib)} file; ${m.sections
      .filter((x) => /^\.(text|rodata|data|bss)$/.test(x.name))
      .map((x) => `${x.name} ${kib(x.kib)}`)
      .join(', ')})\n${measuredHow(m, elfPath as string)}\n`;
    text += `  ${''.padEnd(width)}  ${'estim.'.padStart(6)}  ${'meas.'.padStart(6)}\n`;
    for (const l of estimate.lines)
      text += `  ${l.label.padEnd(width)}  ${num(l.kib)}  ${m.components.has(l.name) ? num(m.components.get(l.name) as number) : '     -'}\n`;
    for (const [name, k] of m.components)
      if (!estimate.lines.some((l) => l.name === name)) text += `  ${name.padEnd(width)}  ${'     -'}  ${num(k)}  (not in this selection)\n`;
    text += `  ${(m.method === 'dwarf' ? 'unattributed bytes' : 'unattributed symbols').padEnd(width)}  ${'     -'}  ${num(m.unattributedKib)}\n`;
  }
  const lib = estimate.libsolaris;
  if (lib !== undefined) {
    text += `\nAlso carried: libsolaris.so (${lib.zfs} ZFS) ${lib.kib === null ? 'of unknown size' : kib(lib.kib)}, ${lib.where === 'bootfs' ? "in loader.elf's bootfs" : 'in the image (zfs module)'}${lib.kib === null ? ` (${lib.source})` : ''}\n`;
  } else {
    text += '\nNo ZFS: libsolaris.so is neither in the bootfs nor in the image.\n';
  }
  text += `Uncertainty: ${model.uncertainty_pct.source.replace(/\.*$/, '')}.\n`;
  if (htmlPath !== undefined) text += `Wrote ${resolvePath(context.cwd, htmlPath)}: a treemap of the kernel by component.\n`;
  return ok(output(text, selection.warnings));
}
