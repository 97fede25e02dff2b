// "Did you mean" for every unknown name: edit distance (with transpositions) plus suffix matches,
// so that `<name>` finds `conf_drivers_<name>` and a one-letter typo in a profile name finds it.

/** Optimal string alignment distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows = s.length + 1;
  const cols = t.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] as number;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

/** Names are short: a longer word is nothing anyone mistyped (and the distance costs its length times each candidate's). */
const MAX_WORD = 128;

/** The candidates close to `word`, best first (at most `limit`). */
export function closest(word: string, candidates: readonly string[], limit = 3): string[] {
  if (word.length > MAX_WORD) return [];
  const lower = word.toLowerCase();
  const budget = Math.max(1, Math.floor(word.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(candidates)) {
    const cand = name.toLowerCase();
    if (cand === lower) {
      scored.push({ name, score: -1 });
      continue;
    }
    // The distance is at least the difference in length: skip the table when that already loses.
    const distance = Math.abs(cand.length - lower.length) > budget ? budget + 1 : editDistance(lower, cand);
    if (distance <= budget) scored.push({ name, score: distance });
    else if (lower.length >= 3 && (cand.endsWith('_' + lower) || cand.endsWith(lower) || lower.endsWith('_' + cand))) scored.push({ name, score: budget + 1 });
  }
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, limit).map((s) => s.name);
}

/** ` (did you mean "a" or "b"?)`, or '' when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const found = closest(word, candidates);
  if (found.length === 0) return '';
  return ` (did you mean ${found.map((f) => `"${f}"`).join(' or ')}?)`;
}
