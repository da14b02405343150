import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatValue, Registry, registerProcessMetrics } from './metrics.ts';
import { parseExposition } from './testing.ts';

describe('metrics', () => {
  it('renders counters and gauges in the text format', () => {
    const registry = new Registry();
    const jobs = registry.counter({
      name: 'jobs_total',
      help: 'Jobs run.',
      labelNames: ['kind'],
    });
    const queued = registry.gauge({
      name: 'jobs_queued',
      help: 'Jobs waiting.',
    });
    jobs.inc({ kind: 'import' });
    jobs.inc({ kind: 'import' });
    jobs.inc({ kind: 'export' }, 3);
    queued.set({}, 7);

    assert.equal(
      registry.render(),
      [
        '# HELP jobs_total Jobs run.',
        '# TYPE jobs_total counter',
        'jobs_total{kind="import"} 2',
        'jobs_total{kind="export"} 3',
        '# HELP jobs_queued Jobs waiting.',
        '# TYPE jobs_queued gauge',
        'jobs_queued 7',
        '',
      ].join('\n'),
    );
  });

  it('reports a metric without labels as 0 before its first update', () => {
    const registry = new Registry();
    registry.counter({ name: 'errors_total', help: 'Errors.' });
    assert.equal(parseExposition(registry.render()).get('errors_total'), 0);
  });

  it('escapes label values and help text', () => {
    const registry = new Registry();
    const counter = registry.counter({
      name: 'odd_total',
      help: 'Back\\slash and\nnewline.',
      labelNames: ['path'],
    });
    counter.inc({ path: 'a"b\\c\nd' });
    const text = registry.render();
    assert.ok(text.includes('# HELP odd_total Back\\\\slash and\\nnewline.\n'));
    assert.ok(text.includes('odd_total{path="a\\"b\\\\c\\nd"} 1\n'));
    parseExposition(text);
  });

  it('renders histograms with cumulative buckets, +Inf, sum and count', () => {
    const registry = new Registry();
    const latency = registry.histogram({
      name: 'op_seconds',
      help: 'Operation time.',
      labelNames: ['op'],
      buckets: [0.1, 0.5, 1],
    });
    for (const value of [0.05, 0.1, 0.3, 0.7, 2]) {
      latency.observe({ op: 'read' }, value);
    }
    const samples = parseExposition(registry.render());
    assert.equal(samples.get('op_seconds_bucket{op="read",le="0.1"}'), 2);
    assert.equal(samples.get('op_seconds_bucket{op="read",le="0.5"}'), 3);
    assert.equal(samples.get('op_seconds_bucket{op="read",le="1"}'), 4);
    assert.equal(samples.get('op_seconds_bucket{op="read",le="+Inf"}'), 5);
    assert.equal(samples.get('op_seconds_count{op="read"}'), 5);
    assert.ok(
      Math.abs(samples.get('op_seconds_sum{op="read"}')! - 3.15) < 1e-9,
    );
  });

  it('times with startTimer', async () => {
    const registry = new Registry();
    const histogram = registry.histogram({
      name: 'wait_seconds',
      help: 'Wait.',
    });
    const stop = histogram.startTimer();
    await new Promise(resolve => setTimeout(resolve, 20));
    const seconds = stop();
    assert.ok(seconds >= 0.015 && seconds < 5, `measured ${seconds}`);
    assert.equal(histogram.snapshot().count, 1);
  });

  it('refuses undeclared labels, decreasing counters and duplicate names', () => {
    const registry = new Registry();
    const counter = registry.counter({
      name: 'a_total',
      help: 'A.',
      labelNames: ['x'],
    });
    assert.throws(() => counter.inc({ y: '1' }), /takes labels \[x\]/);
    assert.throws(() => counter.inc({}), /takes labels/);
    assert.throws(() => counter.inc({ x: '1' }, -1), /only increase/);
    assert.throws(
      () => registry.counter({ name: 'a_total', help: 'Again.' }),
      /already registered/,
    );
    assert.throws(
      () => registry.gauge({ name: 'bad-name', help: 'Bad.' }),
      /Invalid metric name/,
    );
    assert.throws(
      () => registry.histogram({ name: 'h', help: 'H.', labelNames: ['le'] }),
      /cannot use the label "le"/,
    );
  });

  it('formats special values', () => {
    assert.equal(formatValue(Infinity), '+Inf');
    assert.equal(formatValue(-Infinity), '-Inf');
    assert.equal(formatValue(NaN), 'NaN');
    assert.equal(formatValue(0.25), '0.25');
  });

  it('exposes the process start time and memory', () => {
    const registry = new Registry();
    registerProcessMetrics(registry);
    const samples = parseExposition(registry.render());
    const start = samples.get('process_start_time_seconds')!;
    const now = Date.now() / 1000;
    assert.ok(start > now - 3600 && start <= now, `start time ${start}`);
    assert.ok(samples.get('process_resident_memory_bytes')! > 0);
  });
});
