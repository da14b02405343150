/*
 * yarn bench:api (from the repository root)
 *
 * The production artifact (scripts/artifact: `yarn build:backend`, then the steps of
 * packages/backend/Dockerfile; built once and reused) started as the Deployment starts it,
 * with the ConfigMap's app-config.kubernetes.yaml layered last, on a scratch PostgreSQL
 * database. Three read endpoints are loaded in turn, 50 connections for 30 s each, over
 * the sample catalog's components: the catalog's by-name (the yardstick) and the
 * scorecard's entity endpoint (what a service page asks), both as a person signed in
 * with Okta (the local IdP), and the deploy gate with its static token. Prints req/s,
 * p50/p95/p99, the ratio to the catalog, the backend's peak memory and the database
 * connections it held. Figures and targets, not assertions.
 *
 * BENCH_API_SECONDS (30) and BENCH_API_CONNECTIONS (50) change the load; PostgreSQL is
 * the one the tests use (PORTAL_TEST_PG_*, default postgres@127.0.0.1:5432).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import { LOCAL_CLIENT, loadAccounts, startLocalIdp } from '@internal/local-idp';
// scripts/artifact is the repository's tooling (yarn artifact), in no package
/* eslint-disable @backstage/no-relative-monorepo-imports */
import {
  ensureArtifact,
  REPO_ROOT,
} from '../../../../scripts/artifact/artifact';
import {
  BackendProcess,
  createDatabase,
  freePort,
  productionEnv,
  spawnArtifact,
  waitUntilReady,
} from '../../../../scripts/artifact/production';
/* eslint-enable @backstage/no-relative-monorepo-imports */
import { DurationLoadResult, runDurationLoad } from './durationLoad';
import { oktaSignIn } from './oktaSignIn';

const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_API_CONNECTIONS ?? 50);
const WARMUP_MS = 5_000;
const TARGET = { gateRatio: 3, entityRatio: 1, p99Ms: 100 };

const log = (line: string) => process.stderr.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

/** The Deployment's config layer, from deploy/kubernetes/configmap.yaml. */
function kubernetesLayer(dir: string): string {
  const text = fs.readFileSync(
    path.join(REPO_ROOT, 'deploy/kubernetes/configmap.yaml'),
    'utf8',
  );
  const files = text
    .split(/^---$/m)
    .map(doc => parse(doc))
    .find(doc => doc?.metadata?.name === 'paved-road-portal-files');
  const file = path.join(dir, 'app-config.kubernetes.yaml');
  fs.writeFileSync(file, files.data['app-config.kubernetes.yaml']);
  return file;
}

/** Peak resident memory of a process, from /proc (Linux). */
function peakRssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

interface Measured {
  name: string;
  result: DurationLoadResult;
  connectionsHeld: number;
}

function printTable(rows: Measured[], backend: BackendProcess) {
  const catalog = rows[0];
  const rate = (m: Measured) =>
    (m.result.latencies.length / m.result.elapsedMs) * 1000;
  const cell = (v: string, w: number) => v.padStart(w);
  console.log(
    `\nProduction artifact, ${CONNECTIONS} connections, ${SECONDS} s each (${
      os.cpus().length
    } cores: ${os.cpus()[0]?.model ?? 'unknown'})\n`,
  );
  console.log(
    `${'endpoint'.padEnd(44)}${cell('req/s', 9)}${cell('p50', 9)}${cell(
      'p95',
      9,
    )}${cell('p99', 9)}${cell('errors', 8)}${cell('vs catalog', 12)}${cell(
      'db conns',
      10,
    )}`,
  );
  for (const row of rows) {
    const sorted = [...row.result.latencies].sort((a, b) => a - b);
    const ms = (p: number) => `${percentile(sorted, p).toFixed(1)} ms`;
    console.log(
      `${row.name.padEnd(44)}${cell(rate(row).toFixed(0), 9)}${cell(
        ms(0.5),
        9,
      )}${cell(ms(0.95), 9)}${cell(ms(0.99), 9)}${cell(
        String(row.result.errors),
        8,
      )}${cell(`${(rate(row) / rate(catalog)).toFixed(2)}x`, 12)}${cell(
        String(row.connectionsHeld),
        10,
      )}`,
    );
    if (row.result.firstError) {
      console.log(`    first error: ${row.result.firstError}`);
    }
  }
  const p99 = (m: Measured) =>
    percentile(
      [...m.result.latencies].sort((a, b) => a - b),
      0.99,
    );
  const [, entity, gate] = rows;
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  console.log('\nTargets (reported, not enforced)');
  console.log(
    `  gate >= ${TARGET.gateRatio}x the catalog's req/s:        ${verdict(
      rate(gate) >= TARGET.gateRatio * rate(catalog),
    )} (${(rate(gate) / rate(catalog)).toFixed(2)}x)`,
  );
  console.log(
    `  entity endpoint >= the catalog's req/s:   ${verdict(
      rate(entity) >= TARGET.entityRatio * rate(catalog),
    )} (${(rate(entity) / rate(catalog)).toFixed(2)}x)`,
  );
  for (const row of rows) {
    console.log(
      `  p99 < ${TARGET.p99Ms} ms, ${row.name.padEnd(31)}${verdict(
        p99(row) < TARGET.p99Ms,
      )} (${p99(row).toFixed(1)} ms)`,
    );
  }
  console.log(
    `\nBackend peak memory (VmHWM): ${peakRssMb(backend.pid) ?? '?'} MB`,
  );
  // the machine may be shared: its load says how much of it the run had
  console.log(
    `Machine load average at the end (1, 5, 15 min): ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(', ')}`,
  );
}

async function main() {
  const artifact = await ensureArtifact({
    log: line => !line.startsWith('  ') && log(line),
  });
  const database = await createDatabase('portal_bench');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-bench-'));
  const port = await freePort();
  const portalUrl = `http://localhost:${port}`;
  const idp = await startLocalIdp({
    port: await freePort(),
    accounts: await loadAccounts(path.join(REPO_ROOT, 'catalog/org.yaml')),
    redirectUris: [`${portalUrl}/api/auth/okta/handler/frame`],
  });
  const ciToken = randomBytes(24).toString('base64url');
  const gateToken = randomBytes(24).toString('base64url');
  let backend: BackendProcess | undefined;
  try {
    log(`starting the artifact on :${port}, database ${database.name}`);
    backend = await waitUntilReady(
      spawnArtifact(artifact, {
        name: 'portal',
        port,
        env: {
          ...productionEnv({
            port,
            database: database.name,
            ciToken,
            gateToken,
          }),
          OKTA_CLIENT_ID: LOCAL_CLIENT.clientId,
          OKTA_CLIENT_SECRET: LOCAL_CLIENT.clientSecret,
          OKTA_AUDIENCE: idp.issuer,
          OKTA_ALLOWED_EMAIL_DOMAINS: 'example.com',
        },
        configs: [kubernetesLayer(scratch)],
        logFile: path.join(scratch, 'portal.log'),
      }),
      240_000,
    );
    const api = (route: string, token: string) =>
      fetch(`${portalUrl}/api/${route}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const components = await until('the sample catalog', async () => {
      const res = await api(
        'catalog/entities/by-query?filter=kind=component&fields=metadata.name&limit=100',
        ciToken,
      );
      const { items } = (await res.json()) as {
        items: Array<{ metadata: { name: string } }>;
      };
      return items.length >= 5 ? items.map(i => i.metadata.name) : undefined;
    });
    // the gate answers from the sweep's stored rows: wait for the first sweep
    await until('the first scorecard sweep', async () => {
      const answers = await Promise.all(
        components.map(name =>
          api(`scorecard/gate/component/default/${name}`, gateToken),
        ),
      );
      return answers.every(res => res.status === 200) ? true : undefined;
    });
    const userToken = await oktaSignIn({
      portalUrl,
      email: 'paula.payments@example.com',
    });
    log(`signed in as paula.payments; ${components.length} components`);

    const targets: Array<{ name: string; route: string; token: string }> = [
      {
        name: 'catalog by-name (Okta user)',
        route: 'catalog/entities/by-name/component/default/',
        token: userToken,
      },
      {
        name: 'scorecard entity (Okta user)',
        route: 'scorecard/entities/component/default/',
        token: userToken,
      },
      {
        name: 'deploy gate (DEPLOY_GATE_TOKEN)',
        route: 'scorecard/gate/component/default/',
        token: gateToken,
      },
    ];
    const rows: Measured[] = [];
    for (const target of targets) {
      const urls = components.map(
        name => `${portalUrl}/api/${target.route}${name}`,
      );
      const first = await api(`${target.route}${components[0]}`, target.token);
      if (first.status !== 200) {
        throw new Error(
          `${target.name}: ${first.status} ${await first.text()}`,
        );
      }
      log(`loading ${target.name} for ${SECONDS} s`);
      let connectionsHeld = 0;
      const sampler = setInterval(async () => {
        const held = await database
          .query<{ count: string }>(
            'SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
          )
          .catch(() => [{ count: '0' }]);
        connectionsHeld = Math.max(connectionsHeld, Number(held[0].count));
      }, 1000);
      const result = await runDurationLoad({
        urls,
        token: target.token,
        connections: CONNECTIONS,
        warmupMs: WARMUP_MS,
        durationMs: SECONDS * 1000,
      });
      clearInterval(sampler);
      rows.push({ name: target.name, result, connectionsHeld });
    }
    printTable(rows, backend);
  } finally {
    await backend?.stop();
    await idp.close();
    await database.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
