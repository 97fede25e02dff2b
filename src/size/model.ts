// The kernel size model (conf/size/<arch>.json) and the estimate for a selection. Pure: the
// model is data, every number in it says where it came from; this file holds the rules for
// adding it up. A component is linked when its conditions hold; with hidden symbols
// (--gc-sections) an unregistered driver's code is dropped; the visible regime adds the
// whole-archive libstdc++ and what gc would have removed; an app version script saves in
// proportion to the symbols it stops exporting.

import type { SizeJson } from '../generated/data-types.js';

export type Conditions = Readonly<Record<string, 0 | 1>>;

/** The JSON file as it is (snake_case kept: calibrate writes it back), typed by its schema. */
export type SizeModel = SizeJson;
export type SizeComponent = SizeJson['components'][number];
export type CalibrationPoint = SizeJson['calibration'][number];

export interface SizeInput {
  /** 0/1 of a driver (by name) or of a bool Kconfig option (conf_<name>). */
  readonly values: ReadonlyMap<string, 0 | 1>;
  readonly hidden: boolean;
  /** An app version script (hidden regime): how many symbols it exports, and whether iconv is one. */
  readonly versionScript?: { readonly symbols: number; readonly iconv: boolean };
  /** Where libsolaris.so goes, and which ZFS it is built from. */
  readonly libsolaris?: { readonly where: 'bootfs' | 'image' | 'none'; readonly zfs: string };
  /** Components that did not exist (for calibration against old builds). */
  readonly without?: readonly string[];
  /** Int and hex Kconfig options (conf_<name>) by how far their value is from the default. */
  readonly numbers?: ReadonlyMap<string, number>;
  /** String Kconfig options (conf_<name>) that are set (not empty). */
  readonly set?: ReadonlySet<string>;
}

export interface EstimateLine {
  readonly name: string;
  readonly label: string;
  readonly kib: number;
  /** Linked but not registered: what --gc-sections keeps of the component, not the component. */
  readonly unregistered?: true;
}

export interface Estimate {
  readonly kernelKib: number;
  /** Core, components, regime and version-script effect; sorted by size, largest first. */
  readonly lines: readonly EstimateLine[];
  readonly uncertaintyPct: number;
  /** libsolaris.so outside the kernel file: where it goes and how big (null: unknown). */
  readonly libsolaris?: { readonly where: 'bootfs' | 'image'; readonly zfs: string; readonly kib: number | null; readonly source: string };
  /** When the user's build calibrates it (app/size-input.ts): kernelKib is the model's shifted by offsetKib. */
  readonly calibration?: { readonly file: string; readonly date: string; readonly offsetKib: number } | { readonly error: string };
}

export function componentKib(model: SizeModel, component: SizeComponent): number {
  if (component.kib !== undefined) return component.kib;
  return (component.objects ?? []).reduce((sum, o) => sum + o.bytes * (model.factors[o.kind]?.kib_per_source_byte ?? 0), 0);
}

const holds = (conditions: Conditions | undefined, values: ReadonlyMap<string, 0 | 1>): boolean =>
  conditions === undefined || Object.entries(conditions).every(([k, v]) => (values.get(k) ?? 0) === v);

/** The saving of an app version script: linear in the symbols it stops exporting, plus iconv. */
export function versionScriptSaving(model: SizeModel, script: { symbols: number; iconv: boolean }): number {
  const vs = model.version_script;
  const dropped = Math.max(0, 1 - script.symbols / vs.full_exports);
  return vs.max_saving_kib * dropped + (script.iconv ? 0 : vs.iconv_saving_kib);
}

export interface Estimator {
  estimate(input: SizeInput): Estimate;
}

/**
 * Precomputes every component's size once, so that an estimate (the TUI makes one on every
 * change) is one pass over the components' conditions.
 */
export function createEstimator(model: SizeModel): Estimator {
  const components = model.components.map((c) => ({ c, full: componentKib(model, c) }));
  return {
    estimate(input) {
      const lines: EstimateLine[] = [{ name: 'core', label: 'core kernel', kib: model.core.kib }];
      for (const { c, full } of components) {
        // A component a string option limits (the system calls a list keeps) is its limited size then.
        const kib = c.limited !== undefined && input.set?.has(c.limited.by) === true ? c.limited.kib : full;
        if (input.without?.includes(c.name)) continue;
        if (!holds(c.when, input.values)) continue;
        if (input.hidden && !holds(c.registered, input.values)) {
          // Not registered: the code goes, what references keep of it stays (measured, when known).
          if (c.unregistered !== undefined && c.unregistered.kib > 0)
            lines.push({ name: c.name, label: `${c.label} (linked, not registered)`, kib: c.unregistered.kib, unregistered: true });
          continue;
        }
        if (kib > 0) lines.push({ name: c.name, label: c.label, kib });
      }
      // Numeric options whose value lands in the kernel file: linear in the change, as measured.
      for (const n of model.numeric_options ?? []) {
        const delta = input.numbers?.get(n.option) ?? 0;
        if (delta !== 0)
          lines.push({ name: n.option, label: `${n.option} (${delta > 0 ? '+' : ''}${delta} from the default)`, kib: (delta * n.bytes_per_unit) / 1024 });
      }
      if (!input.hidden)
        lines.push({ name: 'symbols-visible', label: 'symbols visible: whole-archive libstdc++, no gc', kib: model.symbols_visible.extra_kib });
      if (input.hidden && input.versionScript !== undefined) {
        lines.push({
          name: 'version-script',
          label: `app version script (${input.versionScript.symbols} symbols)`,
          kib: -versionScriptSaving(model, input.versionScript),
        });
      }
      lines.sort((a, b) => b.kib - a.kib);
      const kernelKib = lines.reduce((s, l) => s + l.kib, 0);
      const lib = input.libsolaris;
      return {
        kernelKib,
        lines,
        uncertaintyPct: input.hidden ? model.uncertainty_pct.hidden : model.uncertainty_pct.visible,
        ...(lib === undefined || lib.where === 'none'
          ? {}
          : {
              libsolaris: {
                where: lib.where,
                zfs: lib.zfs,
                kib: model.libsolaris[lib.zfs]?.kib ?? null,
                source: model.libsolaris[lib.zfs]?.source ?? 'unknown ZFS implementation',
              },
            }),
      };
    },
  };
}
