#!/usr/bin/env node
// Runs the HTTP service golden path N times through a running portal on its embedded
// defaults and prints how long the tasks took (target: p50 under 10 s).
//   ./portal start                                  (in another terminal)
//   node scripts/benchmark-golden-path.mjs [runs=10] [backend=http://localhost:7007]
const runs = Number(process.argv[2] ?? 10);
const backend = process.argv[3] ?? 'http://localhost:7007';

async function json(res) {
  const body = await res.text();
  if (!res.ok) {
    throw new Error(`${res.status} ${res.statusText}: ${body}`);
  }
  return JSON.parse(body);
}

function percentile(sorted, p) {
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)];
}

async function main() {
  const session = await json(await fetch(`${backend}/api/auth/guest/refresh`));
  const headers = {
    authorization: `Bearer ${session.backstageIdentity.token}`,
    'content-type': 'application/json',
  };
  const stamp = Date.now().toString(36);
  const durations = [];
  for (let i = 0; i < runs; i++) {
    const name = `bench-${stamp}-${i}`;
    const started = performance.now();
    const { id } = await json(
      await fetch(`${backend}/api/scaffolder/v2/tasks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          templateRef: 'template:default/http-service',
          values: {
            name,
            description: 'Benchmark run of the golden path',
            language: 'node',
            owner: 'group:default/platform',
            system: 'system:default/core',
            costCenter: 'CC-0001',
            onCall: 'PBENCH1',
            lifecycle: 'experimental',
            repoUrl: `github.com?owner=paved-road-bench&repo=${name}`,
          },
        }),
      }),
    );
    let task;
    do {
      await new Promise(resolve => setTimeout(resolve, 100));
      task = await json(
        await fetch(`${backend}/api/scaffolder/v2/tasks/${id}`, { headers }),
      );
    } while (!['completed', 'failed', 'cancelled'].includes(task.status));
    const ms = performance.now() - started;
    if (task.status !== 'completed') {
      throw new Error(`run ${i + 1}: task ${id} ${task.status}`);
    }
    durations.push(ms);
    console.log(
      `run ${String(i + 1).padStart(2)}: ${(ms / 1000).toFixed(2)} s  ${name}`,
    );
  }
  const sorted = [...durations].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50) / 1000;
  const p95 = percentile(sorted, 95) / 1000;
  console.log(`\ngolden path http-service (node), ${runs} runs`);
  console.log(
    `p50 ${p50.toFixed(2)} s   p95 ${p95.toFixed(2)} s   target p50 < 10 s: ${
      p50 < 10 ? 'met' : 'MISSED'
    }`,
  );
}

main().catch(error => {
  console.error(error.message);
  process.exit(1);
});
