// Helpers for the unit tests; the Dockerfile leaves this file out of the image.
import assert from 'node:assert/strict';
import { createHttpServer, type Route } from './http.ts';
import { createLogger, type Logger } from './logger.ts';
import { Registry } from './metrics.ts';

export type LogLine = Record<string, unknown>;

/** A logger writing to an array; `lines()` parses each line and fails on one that is not JSON. */
export function captureLogs(): { logger: Logger; lines: () => LogLine[] } {
  const raw: string[] = [];
  const logger = createLogger({
    service: 'test-service',
    level: 'debug',
    write: line => raw.push(line),
  });
  return {
    logger,
    lines: () =>
      raw.map(line => {
        assert.ok(!line.includes('\n'), `log line spans lines: ${line}`);
        return JSON.parse(line) as LogLine;
      }),
  };
}

export async function startTestServer(routes: Route[] = []) {
  const logs = captureLogs();
  const registry = new Registry();
  const http = createHttpServer({ logger: logs.logger, registry, routes });
  const port = await http.listen(0, '127.0.0.1');
  return {
    http,
    registry,
    logs: logs.lines,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** Closes the server at once, cutting requests still in flight. */
    stop: () => {
      const closing = http.close();
      http.server.closeAllConnections();
      return closing;
    },
  };
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?|[+-]Inf|NaN)';
const SAMPLE = new RegExp(
  `^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*)?\\})? (${VALUE})$`,
);
const COMMENT = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`);

/**
 * Checks a body against the Prometheus text format 0.0.4 and returns its samples, keyed by
 * the series as written, e.g. `http_requests_total{method="GET",route="/",status="200"}`.
 */
export function parseExposition(text: string): Map<string, number> {
  assert.ok(text.endsWith('\n'), 'exposition must end with a newline');
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  const helps = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = COMMENT.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment;
      if (kind === 'TYPE') {
        assert.ok(!types.has(name), `second TYPE line for ${name}`);
        assert.match(rest, /^(counter|gauge|histogram|summary|untyped)$/);
        types.set(name, rest);
      } else {
        assert.ok(!helps.has(name), `second HELP line for ${name}`);
        helps.add(name);
      }
      continue;
    }
    const sample = SAMPLE.exec(line);
    assert.ok(sample, `not a valid exposition line: ${JSON.stringify(line)}`);
    const [, name, labels = '', value] = sample;
    const family = name.replace(/_(bucket|sum|count)$/, '');
    assert.ok(
      types.has(name) || types.get(family) === 'histogram',
      `sample ${name} has no TYPE line before it`,
    );
    const key = `${name}${labels}`;
    assert.ok(!samples.has(key), `duplicate series ${key}`);
    samples.set(
      key,
      value === '+Inf'
        ? Infinity
        : value === '-Inf'
        ? -Infinity
        : Number(value),
    );
  }
  return samples;
}
