import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(60_000);

// The Argo CD PreSync Job that golden-path services run before each sync calls this
// plugin's gate. Its script is run here as the Job runs it (`sh -c`, POSIX: dash here,
// BusyBox in the image) against a gate answering as this plugin does.

const template = fs.readFileSync(
  path.resolve(
    __dirname,
    '../../../skeletons/service/deploy/helm/templates/deploy-gate.yaml',
  ),
  'utf8',
);

/** The Job's script: the literal block under `args:`, as the container receives it. */
function jobScript(): string {
  const lines = template.split('\n');
  const start = lines.findIndex(line => /^\s+- \|$/.test(line));
  const indent = lines[start + 1].search(/\S/);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && line.search(/\S/) < indent) {
      break;
    }
    body.push(line.slice(indent));
  }
  return `${body.join('\n').trimEnd()}\n`;
}

type Answer = { status: number; body?: object };

/** A gate that answers each call with the next of `answers` (the last one repeating). */
async function fakeGate(answers: Answer[]) {
  const calls: Array<{ authorization?: string; url?: string }> = [];
  const server = http.createServer((req, res) => {
    calls.push({ authorization: req.headers.authorization, url: req.url });
    const answer = answers[Math.min(calls.length, answers.length) - 1];
    if (answer.status === 503) {
      res.setHeader('Retry-After', '5');
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body ?? {}));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/scorecard/gate/component/default/payments-api`,
    calls,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

function runJob(env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>(
    resolve => {
      execFile(
        'sh',
        ['-c', jobScript()],
        { env: { PATH: process.env.PATH!, ...env }, timeout: 50_000 },
        (error, stdout, stderr) =>
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            stdout,
            stderr,
          }),
      );
    },
  );
}

const pass = {
  entityRef: 'component:default/payments-api',
  result: 'pass',
  requiredLevel: 'gold',
  level: 'gold',
  violations: [],
  exempted: [],
  evaluatedAt: '2026-12-07T09:00:00.000Z',
};
const fail = {
  ...pass,
  result: 'fail',
  level: 'bronze',
  violations: [
    {
      ruleId: 'runbook',
      title: 'Runbook',
      message: "No link with type 'runbook'.",
      howToFix: 'Link docs/runbook.md with type runbook.',
    },
  ],
};
const unavailable = {
  status: 503,
  body: {
    error: {
      name: 'ServiceUnavailableError',
      message: 'The deploy gate cannot decide ...',
    },
  },
};

describe('the deploy gate PreSync job', () => {
  const TOKEN = 'gate-token-from-the-secret';

  it('asks again while the gate cannot decide, and passes once it does', async () => {
    const gate = await fakeGate([
      unavailable,
      unavailable,
      { status: 200, body: pass },
    ]);
    const run = await runJob({
      GATE_URL: gate.url,
      DEPLOY_GATE_TOKEN: TOKEN,
      GATE_RETRY_SECONDS: '60',
    });
    await gate.close();
    expect(run.code).toBe(0);
    expect(gate.calls).toHaveLength(3);
    expect(gate.calls[0]).toEqual({
      authorization: `Bearer ${TOKEN}`,
      url: '/api/scorecard/gate/component/default/payments-api',
    });
    expect(run.stderr).toContain('HTTP 503 (attempt 1), asking again in 2s');
    expect(run.stderr).toContain('HTTP 503 (attempt 2), asking again in 4s');
    expect(JSON.parse(run.stdout)).toEqual(pass);
  });

  it('fails at once, with the violations, when the service misses the level', async () => {
    const gate = await fakeGate([{ status: 200, body: fail }]);
    const run = await runJob({
      GATE_URL: gate.url,
      DEPLOY_GATE_TOKEN: TOKEN,
      GATE_RETRY_SECONDS: '60',
    });
    await gate.close();
    expect(run.code).toBe(1);
    expect(gate.calls).toHaveLength(1);
    expect(run.stdout).toContain('Link docs/runbook.md with type runbook.');
    expect(run.stderr).toContain(
      'this service misses the level deploys require',
    );
  });

  it('says so when the gate let it pass unchecked', async () => {
    const gate = await fakeGate([
      {
        status: 200,
        body: { ...pass, level: undefined, degraded: { reason: 'outage' } },
      },
    ]);
    const run = await runJob({
      GATE_URL: gate.url,
      DEPLOY_GATE_TOKEN: TOKEN,
      GATE_RETRY_SECONDS: '60',
    });
    await gate.close();
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('passed UNCHECKED');
  });

  it('gives up after its retry window with a clear message, the portal unreachable or undecided', async () => {
    const gate = await fakeGate([unavailable]);
    const undecided = await runJob({
      GATE_URL: gate.url,
      DEPLOY_GATE_TOKEN: TOKEN,
      GATE_RETRY_SECONDS: '3',
    });
    await gate.close();
    expect(undecided.code).toBe(1);
    expect(gate.calls).toHaveLength(2);
    expect(undecided.stderr).toContain(
      `Deploy gate: no decision from ${gate.url} after 2 attempts in 3s (last: HTTP 503); failing.`,
    );

    // the same address, nobody listening any more
    const unreachable = await runJob({
      GATE_URL: gate.url,
      DEPLOY_GATE_TOKEN: TOKEN,
      GATE_RETRY_SECONDS: '3',
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('(last: HTTP 000); failing.');
  });

  it('does not retry what retrying cannot fix', async () => {
    const gate = await fakeGate([
      {
        status: 403,
        body: { error: { name: 'NotAllowedError', message: 'no permission' } },
      },
    ]);
    const run = await runJob({
      GATE_URL: gate.url,
      DEPLOY_GATE_TOKEN: TOKEN,
      GATE_RETRY_SECONDS: '60',
    });
    await gate.close();
    expect(run.code).toBe(1);
    expect(gate.calls).toHaveLength(1);
    expect(run.stderr).toContain('HTTP 403 from');
    expect(run.stderr).toContain('not retried');
  });

  it('runs nothing that its values hold', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-job-'));
    const marker = path.join(dir, 'ran');
    const gate = await fakeGate([{ status: 200, body: pass }]);
    const run = await runJob({
      GATE_URL: `${gate.url}?x=$(touch\${IFS}${marker})&y=\`touch\${IFS}${marker}\`;touch\${IFS}${marker}`,
      DEPLOY_GATE_TOKEN: `t" $(touch ${marker})`,
      GATE_RETRY_SECONDS: '5',
    });
    await gate.close();
    expect(run.code).toBe(0);
    // the values reached the gate as text
    expect(gate.calls[0].url).toContain('?x=$(touch');
    expect(gate.calls[0].authorization).toBe(`Bearer t" $(touch ${marker})`);
    const badWindow = await runJob({
      GATE_URL: gate.url,
      DEPLOY_GATE_TOKEN: TOKEN,
      GATE_RETRY_SECONDS: `x[$(touch ${marker})]`,
    });
    expect(badWindow.code).toBe(1);
    expect(badWindow.stderr).toContain(
      'GATE_RETRY_SECONDS must be a whole number of seconds',
    );
    expect(fs.existsSync(marker)).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});
