// osvconf size --html: a self-contained page (inline CSS and SVG, no script, nothing fetched) with
// a treemap of the kernel by component, the estimate and, when a kernel was measured, the
// measurement beside it, and the numbers as a table. Pure: the command writes the text.
import { formatKib, thousands } from '../core/format.js';
import { squarify } from './treemap.js';

export interface ReportItem {
  readonly name: string;
  readonly label: string;
  readonly kib: number;
}

export interface ReportPart {
  readonly title: string;
  readonly items: readonly ReportItem[];
}

export interface SizeReport {
  readonly heading: string;
  readonly lines: readonly string[];
  readonly parts: readonly ReportPart[];
}

/** Marks a page osvconf wrote (only such a file is replaced). */
export const REPORT_GENERATOR = '<meta name="generator" content="osvconf size --html">';
/** How every page starts: only a file that starts so is osvconf's to replace. */
export const REPORT_START = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">${REPORT_GENERATOR}\n`;

const WIDTH = 960;
const HEIGHT = 480;

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One colour per component, the same in every part (hues a golden angle apart). */
function palette(parts: readonly ReportPart[]): Map<string, string> {
  const colours = new Map<string, string>();
  for (const part of parts)
    for (const item of part.items) if (!colours.has(item.name)) colours.set(item.name, `hsl(${Math.round((colours.size * 137.508) % 360)}, 62%, 72%)`);
  return colours;
}

function treemap(part: ReportPart, colours: ReadonlyMap<string, string>): string {
  const labels = new Map(part.items.map((i) => [i.name, i.label]));
  const tiles = squarify(
    part.items.map((i) => ({ name: i.name, value: i.kib })),
    0,
    0,
    WIDTH,
    HEIGHT,
  );
  const rects = tiles.map((t) => {
    const label = labels.get(t.name) ?? t.name;
    const text = `${label} ${formatKib(t.value)}`;
    // A label only where it fits (about 7 px a character at 12 px); the tooltip and table have the rest.
    const fits = t.w > text.length * 7 + 8 && t.h > 18;
    return (
      `<g data-component="${escape(t.name)}" data-kib="${t.value.toFixed(1)}">` +
      `<rect x="${t.x.toFixed(2)}" y="${t.y.toFixed(2)}" width="${t.w.toFixed(2)}" height="${t.h.toFixed(2)}" fill="${colours.get(t.name)}" stroke="#fff" stroke-width="1"><title>${escape(text)}</title></rect>` +
      (fits ? `<text x="${(t.x + 4).toFixed(2)}" y="${(t.y + 15).toFixed(2)}">${escape(text)}</text>` : '') +
      `</g>`
    );
  });
  const total = part.items.reduce((a, i) => a + Math.max(0, i.kib), 0);
  return `<section><h2>${escape(part.title)}: ${escape(formatKib(total))}</h2>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escape(part.title)}">
${rects.join('\n')}
</svg></section>`;
}

function table(parts: readonly ReportPart[]): string {
  const names: string[] = [];
  const labels = new Map<string, string>();
  for (const p of parts)
    for (const i of p.items) {
      if (!labels.has(i.name)) names.push(i.name);
      labels.set(i.name, i.label);
    }
  const head = `<tr><th>component</th>${parts.map((p) => `<th>${escape(p.title)} (KiB)</th>`).join('')}</tr>`;
  const rows = names.map(
    (n) =>
      `<tr><td>${escape(labels.get(n) ?? n)}</td>${parts
        .map((p) => {
          const kib = p.items.find((i) => i.name === n)?.kib;
          return `<td class="n">${kib === undefined ? '-' : thousands(kib)}</td>`;
        })
        .join('')}</tr>`,
  );
  return `<table>${head}\n${rows.join('\n')}</table>`;
}

export function renderSizeReport(report: SizeReport): string {
  const colours = palette(report.parts);
  return `${REPORT_START}<title>${escape(report.heading)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
svg text { font: 12px system-ui, sans-serif; fill: #111; pointer-events: none; }
table { border-collapse: collapse; margin-top: 1em; }
td, th { padding: 2px 10px; border-bottom: 1px solid #ddd; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
</style></head><body>
<h1>${escape(report.heading)}</h1>
${report.lines.map((l) => `<p>${escape(l)}</p>`).join('\n')}
${report.parts.map((p) => treemap(p, colours)).join('\n')}
${table(report.parts)}
</body></html>
`;
}
