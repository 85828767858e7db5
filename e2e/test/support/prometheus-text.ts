/** One sample of a scrape: `name{labels} value`. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count', ''] };

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): HELP and TYPE lines, samples with
 * escaped label values, every sample after the TYPE of its family, one family per TYPE. Throws on the
 * first line a Prometheus server would refuse, naming it.
 */
export function parsePrometheusText(text: string): PromSample[] {
  const types = new Map<string, string>();
  const samples: PromSample[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a newline');
  lines.forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1} (${JSON.stringify(line)}): ${why}`);
    };
    if (line === '') return;
    if (line.startsWith('#')) {
      const [, keyword, name, rest] = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line) ?? [];
      if (!keyword) return; // a plain comment
      if (!NAME.test(name!)) fail('bad metric name');
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest ?? '')) fail(`unknown type ${rest}`);
        if (types.has(name!)) fail('a second TYPE for one family');
        types.set(name!, rest!);
      }
      return;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/.exec(line) ?? fail('not a sample');
    const [, name = '', labelText, valueText = ''] = match;
    const family = [...types.keys()].find(
      (family) => family === name || (SUFFIXES[types.get(family)!] ?? []).some((suffix) => `${family}${suffix}` === name),
    );
    if (!family) fail('a sample before the TYPE of its family');
    const value = parseValue(valueText) ?? fail('not a number');
    samples.push({ name, labels: parseLabels(labelText ?? '', fail), value });
  });
  return samples;
}

/** As Prometheus reads values (Go's ParseFloat): Inf and NaN in any case, as prom-client writes `Nan`. */
function parseValue(text: string): number | undefined {
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  return text.trim() === '' || Number.isNaN(value) ? undefined : value;
}

function parseLabels(text: string, fail: (why: string) => never): Record<string, string> {
  const labels: Record<string, string> = {};
  const pattern = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"\s*(,|$)/y;
  while (pattern.lastIndex < text.length) {
    const start = pattern.lastIndex;
    const match = pattern.exec(text) ?? fail(`bad label at ${JSON.stringify(text.slice(start))}`);
    const [, name = '', raw = ''] = match;
    if (name in labels) fail(`label ${name} twice`);
    labels[name] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/** The samples of one series name whose labels include all those given. */
export function samplesOf(samples: PromSample[], name: string, labels: Record<string, string> = {}): PromSample[] {
  return samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}
