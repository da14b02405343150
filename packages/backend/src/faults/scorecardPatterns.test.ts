import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  freePort,
  RunningBackend,
} from '../integration/__testUtils__/runBackend';
import {
  call,
  embeddedEnv,
  entityListed,
  guestToken,
  pollEvery,
  readiness,
  report,
  residentKb,
  slowest,
  startEmbedded,
} from './__testUtils__/portal';

// Scorecard patterns against a real backend (embedded defaults): pathological patterns in
// the impact preview while readiness is polled, then 2,000 distinct long patterns while
// the process's memory is watched.

jest.setTimeout(600_000);

const ANNOTATION = 'fault-suite/subject';
/** What a backtracking engine would take exponential time on, short and long. */
const SUBJECTS = {
  'redos-short': `${'a'.repeat(40)}!`,
  'redos-long': `${'a'.repeat(20_000)}!`,
};

/** Patterns known to hurt a regular-expression engine, and why. */
const PATHOLOGICAL: Record<string, string> = {
  'nested plus': '^(a+)+$',
  'overlapping alternation': '^(a|aa)+$',
  'repeated alternation of the same': '^(a|a)*$',
  'counted greedy groups': '^(.*a){20}$',
  'nested stars': '^(.*.*)*Z$',
  'word soup': '^(\\w+\\s?)*$',
  'email check':
    '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
  // Linear for RE2 but huge once compiled: 40 copies of a 999-fold Unicode class.
  'counted repetition, 441 chars': `${'[^Z]{1,999}'.repeat(40)}Z`,
  'dot repetition, 441 chars': `${'.{1,100}'.repeat(55)}Z`,
  'Unicode property repetition': '(\\pL|\\pN){1,300}!',
  'large Unicode class': '\\p{L}{1000}',
  'nested counts': '((a{100}){100}){100}',
  lookahead: '^(?=a)a*$',
  lookbehind: '(?<!b)a',
  backreference: '^(a)\\1$',
  'one character over the limit': 'a'.repeat(501),
};

const rule = (pattern: string) => ({
  rule: {
    id: 'fault-suite-pattern',
    title: 'Fault suite pattern',
    description: 'A pattern proposed to see what the preview does with it.',
    howToFix: 'Nothing: the rule is only previewed.',
    appliesTo: { kind: ['Component'] },
    kind: 'annotationMatches',
    params: { annotation: ANNOTATION, pattern },
  },
});

// The pieces of the long patterns: classes spanning Unicode with counted repetitions
// (about 150 kB each once compiled, so 2,000 kept would be 300 MB), numbers, slashes.
const PIECES = [
  (i: number, k: number) => `[^/]{1,${((i + k) % 13) + 20}}`,
  (i: number, k: number) => `-${(i * 31 + k) % 997}`,
  () => '/',
];

/** The i-th of the distinct long patterns, exactly `length` characters long. */
function longPattern(i: number, length: number): string {
  let pattern = `^(?:svc|api|job)-${i}-`;
  for (let k = 0; ; k += 1) {
    const piece = PIECES[(i + k) % PIECES.length](i, k);
    if (pattern.length + piece.length > length) {
      return pattern.padEnd(length, 'z');
    }
    pattern += piece;
  }
}

describe('scorecard patterns on a real backend', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-faults-re-'));
  let backend: RunningBackend | undefined;
  let token: string;

  const preview = (pattern: string) =>
    call<{ applicable?: number; error?: { message: string } }>(
      backend!.baseUrl,
      token,
      'scorecard/preview',
      { method: 'POST', body: rule(pattern) },
    );

  beforeAll(async () => {
    const port = await freePort();
    backend = await startEmbedded(
      port,
      embeddedEnv(port, dataDir, {
        // the suite sends thousands of previews; the per-user limit is tested elsewhere
        APP_CONFIG_scorecard_preview_perMinute: '1000000',
        // The heap a pod limited to 1536Mi (deploy/kubernetes) gets: V8 sizes its old space
        // to a quarter of the memory it may use. Without a limit, V8 on a large host lets
        // garbage pile up to gigabytes before collecting it, which says nothing of leaks.
        NODE_OPTIONS: '--max-old-space-size=384',
      }),
    );
    token = await guestToken(backend.baseUrl);
    // two components whose annotation a backtracking engine would never finish matching,
    // registered as a golden path's repository would be
    const file = path.join(
      dataDir,
      'repos',
      'fault-suite',
      'subjects',
      'catalog-info.yaml',
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      Object.entries(SUBJECTS)
        .map(([name, value]) =>
          stringify({
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name, annotations: { [ANNOTATION]: value } },
            spec: {
              type: 'service',
              lifecycle: 'experimental',
              owner: 'platform',
            },
          }),
        )
        .join('---\n'),
    );
    const registered = await call(backend.baseUrl, token, 'catalog/locations', {
      method: 'POST',
      body: { type: 'file', target: file },
    });
    if (registered.status !== 201) {
      throw new Error(
        `registering ${file} answered ${registered.status}: ${JSON.stringify(
          registered.body,
        )}`,
      );
    }
    for (const name of Object.keys(SUBJECTS)) {
      await entityListed(backend.baseUrl, token, 'component', name);
    }
    await entityListed(backend.baseUrl, token, 'component', 'payments-api');
    // the first preview loads what every later one uses
    const warmUp = await preview('^warm-up$');
    if (warmUp.status !== 200) {
      throw new Error(`the first preview answered ${warmUp.status}`);
    }
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every readiness poll within 1 s while pathological patterns are previewed, each refused or finished within 1 s', async () => {
    const poller = pollEvery(100, () => readiness(backend!.baseUrl));
    const previews: Array<{ name: string; status: number; ms: number }> = [];
    for (const [name, pattern] of Object.entries(PATHOLOGICAL)) {
      const answer = await preview(pattern);
      previews.push({ name, status: answer.status, ms: Math.round(answer.ms) });
    }
    // and a while after the last one, for anything left running behind the answers
    await new Promise(resolve => setTimeout(resolve, 2_000));
    const polls = await poller.stop();

    const worstPoll = slowest(polls)!;
    const worstPreview = previews.reduce((a, b) => (b.ms > a.ms ? b : a));
    report('pathological patterns', {
      polls: polls.length,
      worstReadinessMs: Math.round(worstPoll.ms),
      worstPreviewMs: worstPreview.ms,
      worstPreview: JSON.stringify(worstPreview.name),
      answers: previews.map(p => `${p.name}:${p.status}/${p.ms}ms`).join(', '),
    });
    expect(polls.filter(p => p.value !== 200 || p.ms >= 1000)).toEqual([]);
    expect(
      previews.filter(p => ![200, 400].includes(p.status) || p.ms >= 1000),
    ).toEqual([]);
    // what RE2 cannot run is refused, what it can is answered
    const status = Object.fromEntries(previews.map(p => [p.name, p.status]));
    expect(status).toMatchObject({
      'counted repetition, 441 chars': 400,
      'nested plus': 200,
      'nested stars': 200,
      lookahead: 400,
      lookbehind: 400,
      backreference: 400,
      'one character over the limit': 400,
    });
  });

  it('stays up and within 150 MB of its memory through 2,000 distinct long patterns; longer ones get 400', async () => {
    const pid = backend!.pid;
    const before = residentKb(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentKb(pid));
    }, 250);
    const unexpected: string[] = [];
    let accepted = 0;
    let refused = 0;
    let slowestMs = 0;
    const started = Date.now();
    // 2,000 from 300 to 500 characters, and every 50th 501 to 600 (refused)
    const patterns = Array.from({ length: 2_040 }, (_, i) =>
      i % 51 === 50
        ? longPattern(i, 501 + (i % 100))
        : longPattern(i, 300 + (i % 201)),
    );
    expect(new Set(patterns).size).toBe(patterns.length);
    let next = 0;
    const worker = async () => {
      while (next < patterns.length) {
        const pattern = patterns[next++];
        const answer = await preview(pattern);
        slowestMs = Math.max(slowestMs, answer.ms);
        const expected = pattern.length > 500 ? 400 : 200;
        const refusal = answer.body.error?.message ?? '';
        if (
          answer.status !== expected ||
          (expected === 400 && !refusal.includes("'params.pattern'"))
        ) {
          unexpected.push(
            `${pattern.length} chars: ${answer.status} ${JSON.stringify(
              answer.body,
            ).slice(0, 300)}`,
          );
        } else if (expected === 400) {
          refused += 1;
        } else {
          accepted += 1;
        }
      }
    };
    try {
      await Promise.all([worker(), worker(), worker(), worker()]);
    } finally {
      clearInterval(sampler);
    }
    const after = residentKb(pid);
    report('2,000 long patterns', {
      accepted,
      refused,
      seconds: Math.round((Date.now() - started) / 1000),
      slowestPreviewMs: Math.round(slowestMs),
      rssBeforeMB: Math.round(before / 1024),
      rssAfterMB: Math.round(after / 1024),
      rssPeakMB: Math.round(peak / 1024),
      growthMB: Math.round((after - before) / 1024),
      boundMB: 150,
    });
    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(accepted).toBe(2_000);
    expect(refused).toBe(40);
    expect(after - before).toBeLessThan(150 * 1024);
    expect(peak - before).toBeLessThan(150 * 1024);
    // still the same process, and ready
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(await readiness(backend!.baseUrl)).toBe(200);
  });
});
