/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line is a `# HELP`, a
 * `# TYPE`, or a sample `name{labels} value [timestamp]`, and each sample's family has its HELP and
 * TYPE before its first sample. Throws on anything else, naming the line.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedMetrics {
  types: Map<string, string>;
  samples: Sample[];
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? (-?(?:\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|NaN|\\+Inf|-Inf))(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SUFFIXES = ['_bucket', '_sum', '_count', '_created', '_total'];

export function parsePrometheusText(text: string): ParsedMetrics {
  const helps = new Set<string>();
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text.split('\n').forEach((line, index) => {
    if (line === '') return;
    const where = `line ${index + 1}: ${line}`;
    const help = HELP.exec(line);
    if (help) return void helps.add(help[1]!);
    const type = TYPE.exec(line);
    if (type) {
      if (!helps.has(type[1]!)) throw new Error(`TYPE before HELP at ${where}`);
      return void types.set(type[1]!, type[2]!);
    }
    if (line.startsWith('#')) throw new Error(`unexpected comment at ${where}`);
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a sample at ${where}`);
    const name = sample[1]!;
    const family = types.has(name) ? name : SUFFIXES.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : '')).find((f) => f && types.has(f));
    if (!family || !helps.has(family)) throw new Error(`sample without a HELP and TYPE before it at ${where}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = raw!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    }
    const rawValue = sample[3]!;
    const value = rawValue === '+Inf' ? Infinity : rawValue === '-Inf' ? -Infinity : Number(rawValue);
    samples.push({ name, labels, value });
  });
  return {
    types,
    samples,
    value(name, labels = {}) {
      return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    },
  };
}
