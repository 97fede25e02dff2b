// Calibration on the user's own build: the size of one kernel they built, against what the model
// says for the same selection, shifts every later estimate by the difference. Differences
// between selections keep coming from the model (they matched builds within a few per cent where
// the absolute size did not: another toolchain or OSv version moves the core most). Pure: the
// record is read and written by io/size-calibration.ts.
import type { SizeInput } from './model.js';

/** What `osvconf size --calibrate` stores (beside the build, or in the file the user names). */
export interface CalibrationRecord {
  readonly osvconf_size_calibration: 1;
  readonly arch: string;
  readonly mode: string;
  /** The measured file, and when it was measured (ISO date). */
  readonly file: string;
  readonly date: string;
  readonly measured_kib: number;
  readonly model_kib: number;
  /** Drivers and bool options on in the calibration build, and whether symbols were hidden. */
  readonly on: readonly string[];
  readonly hidden: boolean;
  readonly version_script_symbols: number | null;
  /**
   * With DWARF in the build (loader.elf): each component's measured size beside the model's, so
   * that every estimate containing it uses the measured size; the rest of the error is the core's.
   */
  readonly components?: Readonly<Record<string, { readonly measured_kib: number; readonly model_kib: number }>>;
}

/**
 * Why a measurement cannot be this selection's build: further from the model than any toolchain
 * or OSv version has moved it (the 2022 builds were 10-13 % off; a build with symbols visible is
 * twice one with them hidden). Undefined when it can be.
 */
export function plausible(measuredKib: number, modelKib: number): string | undefined {
  const off = measuredKib / modelKib - 1;
  return Math.abs(off) <= 0.25
    ? undefined
    : `the measured ${Math.round(measuredKib)} KiB is ${Math.round(off * 100)} % from the model's ${Math.round(modelKib)} KiB for this selection: the build was not made with it (symbols hidden or visible, profile, drivers?)`;
}

/**
 * Why a calibration cannot be applied to an estimate: it would move it further than any build
 * has been from the model (a record edited by hand, or made with another model). Undefined when it can.
 */
export function implausibleShift(calibrated: Calibrated, modelKib: number): string | undefined {
  const shift = calibrated.kernelKib / modelKib - 1;
  return Number.isFinite(shift) && calibrated.kernelKib > 0 && Math.abs(shift) <= 0.25
    ? undefined
    : `it would move this estimate from the model's ${Math.round(modelKib)} KiB to ${Math.round(calibrated.kernelKib)} KiB: not a calibration of this kernel`;
}

export function calibrationRecord(
  input: SizeInput,
  where: { arch: string; mode: string; file: string; date: string },
  measuredKib: number,
  modelKib: number,
  components?: ReadonlyMap<string, { measuredKib: number; modelKib: number }>,
): CalibrationRecord {
  const r1 = (n: number): number => Math.round(n * 10) / 10;
  return {
    // First: the file starts the way osvconf writes it (io/size-calibration.ts ownsCalibration).
    osvconf_size_calibration: 1,
    ...(components === undefined || components.size === 0
      ? {}
      : { components: Object.fromEntries([...components].map(([name, c]) => [name, { measured_kib: r1(c.measuredKib), model_kib: r1(c.modelKib) }])) }),
    arch: where.arch,
    mode: where.mode,
    file: where.file,
    date: where.date,
    measured_kib: Math.round(measuredKib * 10) / 10,
    model_kib: Math.round(modelKib * 10) / 10,
    on: [...input.values].filter(([, v]) => v === 1).map(([k]) => k),
    hidden: input.hidden,
    version_script_symbols: input.versionScript?.symbols ?? null,
  };
}

export interface Calibrated {
  readonly kernelKib: number;
  readonly offsetKib: number;
  /** How many of the estimate's components use their measured size. */
  readonly measuredComponents: number;
  /** What the estimate takes from the shipped model because the calibration build lacked it. */
  readonly extrapolated: readonly string[];
}

/**
 * The estimate shifted by the calibration build's difference, and what it extrapolates. With
 * measured components, each component of this estimate that the build measured counts at its
 * measured size, and the core takes what the components do not explain.
 */
export function applyCalibration(
  record: CalibrationRecord,
  input: SizeInput,
  modelKib: number,
  lines: readonly { name: string; kib: number }[] = [],
): Calibrated {
  const measured = Object.entries(record.components ?? {});
  const correction = (name: string): number => {
    const c = record.components?.[name];
    return c === undefined ? 0 : c.measured_kib - c.model_kib;
  };
  const coreError = record.measured_kib - record.model_kib - measured.reduce((n, [name]) => n + correction(name), 0);
  const here = lines.filter((l) => l.kib > 0 && record.components?.[l.name] !== undefined);
  const offsetKib = coreError + here.reduce((n, l) => n + correction(l.name), 0);
  const then = new Set(record.on);
  const now = [...input.values].filter(([, v]) => v === 1).map(([k]) => k);
  const extrapolated: string[] = [];
  const added = now.filter((k) => !then.has(k));
  const dropped = record.on.filter((k) => (input.values.get(k) ?? 0) === 0);
  if (added.length > 0) extrapolated.push(`on here but not in the calibration build (their size from the shipped model): ${added.join(', ')}`);
  if (dropped.length > 0) extrapolated.push(`off here but in the calibration build (the model's size of them is taken off): ${dropped.join(', ')}`);
  if (input.hidden !== record.hidden)
    extrapolated.push(
      `symbols ${input.hidden ? 'hidden' : 'visible'} here, ${record.hidden ? 'hidden' : 'visible'} in the calibration build (the model's difference between the two)`,
    );
  const script = input.versionScript?.symbols ?? null;
  if (script !== record.version_script_symbols)
    extrapolated.push(
      `an app version script of ${script ?? 'no'} symbols here, ${record.version_script_symbols ?? 'none'} in the calibration build (the model's saving)`,
    );
  return { kernelKib: modelKib + offsetKib, offsetKib, measuredComponents: here.length, extrapolated };
}
