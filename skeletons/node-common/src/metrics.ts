// Prometheus metrics in the text exposition format 0.0.4, written by hand so the service has no
// dependencies: https://prometheus.io/docs/instrumenting/exposition_formats/

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Seconds; the Prometheus client libraries' defaults, suited to request latencies. */
export const DEFAULT_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

type Labels = Record<string, string | number>;

type MetricOptions = {
  name: string;
  help: string;
  labelNames?: readonly string[];
};

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function formatValue(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (value === Infinity) {
    return '+Inf';
  }
  if (value === -Infinity) {
    return '-Inf';
  }
  return String(value);
}

function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatLabels(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) {
    return '';
  }
  const inner = pairs
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(',');
  return `{${inner}}`;
}

abstract class Metric<TSeries> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  protected readonly series = new Map<
    string,
    { values: string[]; data: TSeries }
  >();

  constructor(options: MetricOptions) {
    if (!METRIC_NAME.test(options.name)) {
      throw new Error(`Invalid metric name "${options.name}"`);
    }
    for (const label of options.labelNames ?? []) {
      if (!LABEL_NAME.test(label) || label.startsWith('__')) {
        throw new Error(`Invalid label name "${label}" on "${options.name}"`);
      }
    }
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames ?? [];
  }

  abstract readonly type: string;
  protected abstract create(): TSeries;
  protected abstract renderSeries(
    labels: Array<readonly [string, string]>,
    data: TSeries,
  ): string[];

  // Every series carries exactly the declared labels, so a typo fails loudly in tests
  // instead of silently creating a new time series.
  protected get(labels: Labels = {}): TSeries {
    const keys = Object.keys(labels);
    if (
      keys.length !== this.labelNames.length ||
      !keys.every(key => this.labelNames.includes(key))
    ) {
      throw new Error(
        `Metric "${this.name}" takes labels [${this.labelNames.join(
          ', ',
        )}], got [${keys.join(', ')}]`,
      );
    }
    const values = this.labelNames.map(name => String(labels[name]));
    const key = JSON.stringify(values);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { values, data: this.create() };
      this.series.set(key, entry);
    }
    return entry.data;
  }

  render(): string[] {
    const lines = [
      `# HELP ${this.name} ${escapeHelp(this.help)}`,
      `# TYPE ${this.name} ${this.type}`,
    ];
    // A metric without labels reports 0 before its first update, so dashboards see it.
    if (this.labelNames.length === 0 && this.series.size === 0) {
      this.get();
    }
    for (const { values, data } of this.series.values()) {
      const labels = this.labelNames.map(
        (name, i) => [name, values[i]] as const,
      );
      lines.push(...this.renderSeries(labels, data));
    }
    return lines;
  }
}

export class Counter extends Metric<{ value: number }> {
  readonly type = 'counter';

  protected create() {
    return { value: 0 };
  }

  inc(labels?: Labels, amount = 1): void {
    if (!(amount >= 0)) {
      throw new Error(
        `Counter "${this.name}" can only increase, got ${amount}`,
      );
    }
    this.get(labels).value += amount;
  }

  value(labels?: Labels): number {
    return this.get(labels).value;
  }

  protected renderSeries(
    labels: Array<readonly [string, string]>,
    data: { value: number },
  ) {
    return [`${this.name}${formatLabels(labels)} ${formatValue(data.value)}`];
  }
}

export class Gauge extends Metric<{ value: number }> {
  readonly type = 'gauge';
  private readonly collect: (() => number) | undefined;

  /** `collect`, for a gauge without labels, is read at every scrape. */
  constructor(options: MetricOptions & { collect?: () => number }) {
    super(options);
    this.collect = options.collect;
  }

  protected create() {
    return { value: 0 };
  }

  set(labels: Labels, value: number): void {
    this.get(labels).value = value;
  }

  inc(labels?: Labels, amount = 1): void {
    this.get(labels).value += amount;
  }

  dec(labels?: Labels, amount = 1): void {
    this.get(labels).value -= amount;
  }

  value(labels?: Labels): number {
    return this.get(labels).value;
  }

  render(): string[] {
    if (this.collect) {
      this.set({}, this.collect());
    }
    return super.render();
  }

  protected renderSeries(
    labels: Array<readonly [string, string]>,
    data: { value: number },
  ) {
    return [`${this.name}${formatLabels(labels)} ${formatValue(data.value)}`];
  }
}

type HistogramData = { counts: number[]; sum: number; count: number };

export class Histogram extends Metric<HistogramData> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(options: MetricOptions & { buckets?: readonly number[] }) {
    super(options);
    if (this.labelNames.includes('le')) {
      throw new Error(`Histogram "${options.name}" cannot use the label "le"`);
    }
    const buckets = [...(options.buckets ?? DEFAULT_BUCKETS)];
    if (buckets.some((b, i) => i > 0 && b <= buckets[i - 1])) {
      throw new Error(`Histogram "${options.name}" buckets must increase`);
    }
    this.buckets = buckets.filter(b => b !== Infinity);
  }

  protected create(): HistogramData {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  observe(labels: Labels, value: number): void {
    const data = this.get(labels);
    for (const [i, bound] of this.buckets.entries()) {
      if (value <= bound) {
        data.counts[i] += 1;
      }
    }
    data.sum += value;
    data.count += 1;
  }

  /** Starts a timer; calling the result observes the elapsed seconds and returns them. */
  startTimer(): (labels?: Labels) => number {
    const start = process.hrtime.bigint();
    return (labels = {}) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.observe(labels, seconds);
      return seconds;
    };
  }

  snapshot(labels?: Labels): Readonly<HistogramData> {
    const data = this.get(labels);
    return { counts: [...data.counts], sum: data.sum, count: data.count };
  }

  protected renderSeries(
    labels: Array<readonly [string, string]>,
    data: HistogramData,
  ) {
    const lines = this.buckets.map(
      (bound, i) =>
        `${this.name}_bucket${formatLabels([
          ...labels,
          ['le', formatValue(bound)],
        ])} ${data.counts[i]}`,
    );
    lines.push(
      `${this.name}_bucket${formatLabels([...labels, ['le', '+Inf']])} ${
        data.count
      }`,
      `${this.name}_sum${formatLabels(labels)} ${formatValue(data.sum)}`,
      `${this.name}_count${formatLabels(labels)} ${data.count}`,
    );
    return lines;
  }
}

export class Registry {
  private readonly metrics = new Map<string, Metric<unknown>>();

  counter(options: MetricOptions): Counter {
    return this.add(new Counter(options));
  }

  gauge(options: MetricOptions & { collect?: () => number }): Gauge {
    return this.add(new Gauge(options));
  }

  histogram(
    options: MetricOptions & { buckets?: readonly number[] },
  ): Histogram {
    return this.add(new Histogram(options));
  }

  /** The body of `GET /metrics`. */
  render(): string {
    const lines: string[] = [];
    for (const metric of this.metrics.values()) {
      lines.push(...metric.render());
    }
    return `${lines.join('\n')}\n`;
  }

  private add<T extends Metric<any>>(metric: T): T {
    if (this.metrics.has(metric.name)) {
      throw new Error(`Metric "${metric.name}" is already registered`);
    }
    this.metrics.set(metric.name, metric);
    return metric;
  }
}

/** The process metrics every service exposes; names follow the Prometheus client libraries. */
export function registerProcessMetrics(registry: Registry): void {
  const startTimeSeconds = Math.floor(Date.now() / 1000 - process.uptime());
  registry.gauge({
    name: 'process_start_time_seconds',
    help: 'Start time of the process since unix epoch in seconds.',
    collect: () => startTimeSeconds,
  });
  registry.gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    collect: () => process.memoryUsage.rss(),
  });
}
