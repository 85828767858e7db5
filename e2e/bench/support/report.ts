import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One figure of a benchmark run: a value measured in this run, and the target it is held to. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** `>=` or `<=` a bound; absent for a figure reported for information. */
  target?: { op: '>=' | '<='; value: number };
  /** What the value was computed from (the two sides of a ratio, percentiles, counts). */
  detail?: Record<string, unknown>;
  /** Where the time went when the target was missed: e.g. the path of a CPU profile. */
  profile?: string;
}

export function meets(figure: Figure): boolean | undefined {
  if (!figure.target || !Number.isFinite(figure.value)) return figure.target ? false : undefined;
  return figure.target.op === '>=' ? figure.value >= figure.target.value : figure.value <= figure.target.value;
}

/** Prints the figures as a table and saves them as `<name>.json` and `<name>.svg` in `directory`. */
export function writeReport(directory: string, name: string, figures: Figure[], context: Record<string, unknown> = {}): void {
  console.log(table(figures));
  mkdirSync(directory, { recursive: true });
  const json = join(directory, `${name}.json`);
  const svg = join(directory, `${name}.svg`);
  writeFileSync(json, `${JSON.stringify({ ...context, measuredAt: new Date().toISOString(), figures }, null, 2)}\n`);
  writeFileSync(svg, chart(name, figures));
  console.log(`saved ${json} and ${svg}`);
}

export function table(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${format(f.value)} ${f.unit}`,
    f.target ? `${f.target.op} ${format(f.target.value)}` : '',
    { true: 'met', false: 'MISSED', undefined: '' }[String(meets(f)) as 'true' | 'false' | 'undefined'],
  ]);
  const header = ['figure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/**
 * One bar per figure that has a target, drawn as value ÷ target (for `<=` targets, target ÷ value),
 * so 1.0 is the line every bar must reach whatever its unit; figures without a target are listed below.
 */
export function chart(title: string, figures: Figure[]): string {
  const scored = figures.filter((f) => f.target && Number.isFinite(f.value));
  const score = (f: Figure) => (f.target!.op === '>=' ? f.value / f.target!.value : f.target!.value / Math.max(f.value, 1e-9));
  const max = Math.max(1.25, ...scored.map(score));
  const barHeight = 22;
  const left = 330;
  const width = 820;
  const plot = width - left - 60;
  const top = 40;
  const others = figures.filter((f) => !scored.includes(f));
  const height = top + scored.length * (barHeight + 8) + 30 + others.length * 18 + 20;
  const x = (ratio: number) => left + (ratio / max) * plot;
  const bars = scored.map((f, i) => {
    const y = top + i * (barHeight + 8);
    const s = score(f);
    const colour = meets(f) ? '#2f9e44' : '#e03131';
    return [
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escape(f.name)}</text>`,
      `<rect x="${left}" y="${y}" width="${Math.max(1, x(s) - left).toFixed(1)}" height="${barHeight}" fill="${colour}"/>`,
      `<text x="${(x(s) + 6).toFixed(1)}" y="${y + 15}">${escape(`${format(f.value)} ${f.unit}`)}</text>`,
    ].join('');
  });
  const axisBottom = top + scored.length * (barHeight + 8);
  const notes = others.map(
    (f, i) => `<text x="20" y="${axisBottom + 40 + i * 18}">${escape(`${f.name}: ${format(f.value)} ${f.unit}`)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="20" y="22" font-size="15" font-weight="bold">${escape(title)} (bar = value ÷ target; the line is the target)</text>`,
    ...bars,
    `<line x1="${x(1).toFixed(1)}" y1="${top - 6}" x2="${x(1).toFixed(1)}" y2="${axisBottom}" stroke="#000" stroke-dasharray="4 3"/>`,
    ...notes,
    '</svg>',
    '',
  ].join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
