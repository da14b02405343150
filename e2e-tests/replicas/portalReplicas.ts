import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import {
  LOCAL_CLIENT,
  loadAccounts,
  startLocalIdp,
  StartedLocalIdp,
} from '../../packages/local-idp/src';
import { Artifact, ensureArtifact } from '../../scripts/artifact/artifact';
import {
  BackendProcess,
  createDatabase,
  freePort,
  productionEnv,
  spawnArtifact,
  waitUntilReady,
} from '../../scripts/artifact/production';
import { RoundRobinProxy, startRoundRobinProxy } from './roundRobinProxy';

const REPO_ROOT = path.resolve(__dirname, '../..');

/** Scorecard sweeps every few seconds here, so that a cadence can be watched. */
export const SWEEP_FREQUENCY_SECONDS = 5;
/** A task whose replica stopped beating is taken over after this long (default 30 s). */
export const TASK_STALE_SECONDS = 10;

export interface PortalReplicas {
  proxy: RoundRobinProxy;
  /** By name: `replica-a`, `replica-b`. */
  replicas: Map<string, BackendProcess>;
  database: Awaited<ReturnType<typeof createDatabase>>;
  tokens: { ci: string; gate: string; metrics: string };
  /** Where the golden paths' repositories are published (a directory per owner). */
  reposDir: string;
  /** Holds the replicas' logs (<name>.log) and repositories until stop(). */
  runDir: string;
  stop(): Promise<void>;
}

/**
 * The Deployment on loopback: two replicas of the production artifact on one fresh
 * PostgreSQL database, each with the ConfigMap's app-config.kubernetes.yaml layered
 * last, behind a round-robin proxy that is their Service and public URL; Okta sign-in
 * against the local IdP. Production's GitHub publishing is replaced by local git
 * repositories (nothing here reaches GitHub); everything else is app-config.production.yaml.
 */
export async function startPortalReplicas(options: {
  proxyPort: number;
  log?: (line: string) => void;
}): Promise<PortalReplicas> {
  const log = options.log ?? (() => {});
  const artifact: Artifact = await ensureArtifact({ log });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-replicas-'));
  log(`replicas' logs in ${runDir}`);
  const reposDir = path.join(runDir, 'repos');
  const configMap = parse(
    fs
      .readFileSync(
        path.join(REPO_ROOT, 'deploy/kubernetes/configmap.yaml'),
        'utf8',
      )
      .split(/^---$/m)[1],
  );
  const kubernetesLayer = path.join(runDir, 'app-config.kubernetes.yaml');
  fs.writeFileSync(
    kubernetesLayer,
    configMap.data['app-config.kubernetes.yaml'],
  );

  const database = await createDatabase('portal_replicas');
  const proxyUrl = `http://localhost:${options.proxyPort}`;
  const idp: StartedLocalIdp = await startLocalIdp({
    port: await freePort(),
    accounts: await loadAccounts(path.join(REPO_ROOT, 'catalog/org.yaml')),
    redirectUris: [`${proxyUrl}/api/auth/okta/handler/frame`],
  });
  const tokens = {
    ci: randomBytes(24).toString('base64url'),
    gate: randomBytes(24).toString('base64url'),
    metrics: randomBytes(24).toString('base64url'),
  };
  const backendSecret = randomBytes(24).toString('base64');
  const ports = new Map<string, number>();
  const envFor = (port: number) => ({
    ...productionEnv({
      port,
      database: database.name,
      baseUrl: proxyUrl,
      backendSecret,
      ciToken: tokens.ci,
      gateToken: tokens.gate,
      metricsToken: tokens.metrics,
    }),
    OKTA_CLIENT_ID: LOCAL_CLIENT.clientId,
    OKTA_CLIENT_SECRET: LOCAL_CLIENT.clientSecret,
    OKTA_AUDIENCE: idp.issuer,
    OKTA_ALLOWED_EMAIL_DOMAINS: 'example.com',
    APP_CONFIG_pavedRoad_publish_target: 'local',
    APP_CONFIG_pavedRoad_publish_local_directory: reposDir,
    APP_CONFIG_scorecard_schedule_frequency: `${SWEEP_FREQUENCY_SECONDS}s`,
    APP_CONFIG_scorecard_schedule_initialDelay: '3s',
    APP_CONFIG_scaffolder_taskRecovery_staleTimeout: JSON.stringify({
      seconds: TASK_STALE_SECONDS,
    }),
  });
  const start = (name: string) => {
    const port = ports.get(name)!;
    return spawnArtifact(artifact, {
      name,
      port,
      env: envFor(port),
      configs: [kubernetesLayer],
      logFile: path.join(runDir, `${name}.log`),
    });
  };

  const replicas = new Map<string, BackendProcess>();
  for (const name of ['replica-a', 'replica-b']) {
    ports.set(name, await freePort());
  }
  // both at once on the empty database, as a new Deployment's pods start
  for (const name of ports.keys()) {
    replicas.set(name, start(name));
  }
  let proxy: RoundRobinProxy | undefined;
  try {
    await Promise.all(
      [...replicas.values()].map(replica => waitUntilReady(replica, 240_000)),
    );
    proxy = await startRoundRobinProxy({
      port: options.proxyPort,
      upstreams: [...replicas.values()].map(r => ({
        name: r.name,
        baseUrl: r.baseUrl,
      })),
    });
  } catch (error) {
    await Promise.all([...replicas.values()].map(r => r.stop()));
    await idp.close();
    await database.drop();
    throw error;
  }
  log(`two replicas behind ${proxy.url}, database ${database.name}`);

  return {
    proxy,
    replicas,
    database,
    tokens,
    reposDir,
    runDir,
    async stop() {
      await proxy!.stop();
      await Promise.all([...replicas.values()].map(r => r.stop()));
      await idp.close();
      await database.drop();
      fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}
