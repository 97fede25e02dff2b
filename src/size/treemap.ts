// A squarified treemap (Bruls, Huizing, van Wijk): rectangles whose areas are proportional to
// the values, laid out row by row so that they stay close to squares (readable labels). Pure.

export interface Tile {
  readonly name: string;
  readonly value: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The worst aspect ratio of a row of areas laid along a side of length `side`. */
function worst(row: readonly number[], side: number): number {
  const sum = row.reduce((a, b) => a + b, 0);
  const max = Math.max(...row);
  const min = Math.min(...row);
  return Math.max((side * side * max) / (sum * sum), (sum * sum) / (side * side * min));
}

/** Tiles for the positive values (largest first) filling w x h at (x, y); values of 0 or less get none. */
export function squarify(items: readonly { name: string; value: number }[], x: number, y: number, w: number, h: number): Tile[] {
  const sorted = items.filter((i) => i.value > 0 && Number.isFinite(i.value)).sort((a, b) => b.value - a.value);
  const total = sorted.reduce((a, i) => a + i.value, 0);
  if (total <= 0 || w <= 0 || h <= 0) return [];
  const scale = (w * h) / total;
  const tiles: Tile[] = [];
  const box: Box = { x, y, w, h };
  let i = 0;
  while (i < sorted.length) {
    const side = Math.min(box.w, box.h);
    const row: number[] = [];
    let j = i;
    // Grow the row while that does not make its worst aspect ratio worse.
    while (j < sorted.length) {
      const area = (sorted[j] as { value: number }).value * scale;
      if (row.length > 0 && worst([...row, area], side) > worst(row, side)) break;
      row.push(area);
      j++;
    }
    const sum = row.reduce((a, b) => a + b, 0);
    const horizontal = box.w >= box.h; // the row runs along the shorter side
    const thick = sum / side;
    let offset = 0;
    row.forEach((area, k) => {
      const item = sorted[i + k] as { name: string; value: number };
      const len = area / thick;
      tiles.push(
        horizontal
          ? { name: item.name, value: item.value, x: box.x, y: box.y + offset, w: thick, h: len }
          : { name: item.name, value: item.value, x: box.x + offset, y: box.y, w: len, h: thick },
      );
      offset += len;
    });
    if (horizontal) {
      box.x += thick;
      box.w -= thick;
    } else {
      box.y += thick;
      box.h -= thick;
    }
    i = j;
  }
  return tiles;
}
