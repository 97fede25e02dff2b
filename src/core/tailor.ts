// Tailoring a kernel to one app: every option the app provably does not need, turned off. An
// option goes only when (1) nothing the app imports is among the kernel exports that exist only
// with the option on (measured from OSv builds: conf/<arch>/trim.json), (2) a statically linked
// app does not make its system calls through it, and (3) the selection with it off trips no
// pitfall the selection did not already have (link failures seen in builds). Pure: the caller
// tries each selection (resolve and estimate) and says what the app imports.

import type { Result } from './result.js';

export interface TrimCandidate {
  /** conf_<option> and the value that removes its code. */
  readonly setting: string;
  readonly value: string;
  /** Kernel exports that exist only with the option on. */
  readonly exports: readonly string[];
  /** What the option's code is, and what breaks if an app needs it after all. */
  readonly effect: string;
  readonly risk: string;
  /** A statically linked executable makes its system calls through this option's code. */
  readonly staticNeeds?: boolean;
}

export interface TrimDecision {
  readonly setting: string;
  readonly value: string;
  readonly taken: boolean;
  /** Why it was taken (the evidence) or kept. */
  readonly why: string;
  /** With `taken`: what it saves in KiB, by the size model. */
  readonly savesKib?: number;
  readonly risk: string;
  /** A memory tunable of a named level (set to a value), not code turned off. */
  readonly tunable?: true;
}

/** The settings tried and the estimate they give, or why they cannot be taken (a new pitfall). */
export type TrySettings = (settings: readonly string[]) => Promise<Result<{ kib: number }>>;

export async function tailor(
  candidates: readonly TrimCandidate[],
  app: { readonly imports: ReadonlySet<string>; readonly static: boolean },
  base: readonly string[],
  tryWith: TrySettings,
): Promise<{ settings: string[]; decisions: TrimDecision[] }> {
  const taken: string[] = [];
  const decisions = new Map<string, TrimDecision>();
  const start = await tryWith(base);
  let kib = start.ok ? start.value.kib : 0;
  // Two passes: an option that does not link alone may once another is off (the networking stack
  // links without it only when system calls are off too).
  for (let pass = 0; pass < 2; pass++) {
    for (const c of candidates) {
      if (decisions.get(c.setting)?.taken === true) continue;
      const keep = (why: string): void => void decisions.set(c.setting, { setting: c.setting, value: c.value, taken: false, why, risk: c.risk });
      // The user's own value stands.
      const given = base.find((s) => s.startsWith(`${c.setting}=`));
      if (given !== undefined) {
        keep(`you set ${given}`);
        continue;
      }
      const needed = c.exports.filter((e) => app.imports.has(e));
      if (needed.length > 0) {
        keep(
          `the app imports ${needed.slice(0, 4).join(', ')}${needed.length > 4 ? `, ... (${needed.length})` : ''}, which only ${c.setting}=${c.value === '0' ? 1 : 0} exports`,
        );
        continue;
      }
      if (app.static && c.staticNeeds === true) {
        keep('the app is statically linked: it makes its system calls through this code');
        continue;
      }
      const trial = await tryWith([...base, ...taken, `${c.setting}=${c.value}`]);
      if (!trial.ok) {
        keep(`with it off the kernel would not link: ${trial.error.message}`);
        continue;
      }
      taken.push(`${c.setting}=${c.value}`);
      const why =
        c.exports.length === 0
          ? `${c.effect}; it exports nothing an app can import, and the kernel links without it (seen in a build)`
          : `${c.effect}; the app imports none of the ${c.exports.length} symbols only it exports, and the kernel links without it (seen in a build)`;
      decisions.set(c.setting, { setting: c.setting, value: c.value, taken: true, why, savesKib: kib - trial.value.kib, risk: c.risk });
      kib = trial.value.kib;
    }
  }
  return { settings: taken, decisions: candidates.map((c) => decisions.get(c.setting) as TrimDecision) };
}
