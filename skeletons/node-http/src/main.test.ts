import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAME } from './service.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('main', () => {
  it('serves on PORT, logs JSON lines and exits 0 on SIGTERM', async t => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', SHUTDOWN_DELAY_MS: '100' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    t.after(() => {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    });
    const exit = once(child, 'close');
    const lines: Array<Record<string, unknown>> = [];
    const notJson: string[] = [];
    let onReady!: (port: number) => void;
    let onFailure!: (error: Error) => void;
    const ready = new Promise<number>((resolve, reject) => {
      onReady = resolve;
      onFailure = reject;
    });
    let port = 0;
    createInterface({ input: child.stdout }).on('line', line => {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        notJson.push(line);
        onFailure(new Error(`not a JSON log line: ${line}`));
        return;
      }
      lines.push(entry);
      if (entry.msg === 'listening') {
        port = entry.port;
      }
      if (entry.msg === 'ready') {
        onReady(port);
      }
    });

    try {
      await Promise.race([
        ready,
        exit.then(([code]) => {
          throw new Error(`exited with ${code} before it was ready`);
        }),
      ]);
      const base = `http://127.0.0.1:${port}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /^process_start_time_seconds \d+$/m);
      const home = await (await fetch(`${base}/`)).json();
      assert.equal(home.service, SERVICE_NAME);
    } finally {
      child.kill('SIGTERM');
    }

    const [code] = await exit;
    assert.equal(code, 0);
    assert.deepEqual(notJson, []);
    for (const entry of lines) {
      assert.equal(entry.service, SERVICE_NAME);
    }
    assert.deepEqual(
      lines.map(l => l.msg).filter(m => m !== 'request'),
      ['listening', 'ready', 'shutting down', 'stopped'],
    );
  });
});
