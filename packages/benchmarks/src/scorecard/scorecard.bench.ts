/* eslint-disable max-lines -- one benchmark run read top to bottom: its fixtures, the peer it is measured against, each phase and the printed table */
/*
 * yarn bench:scorecard (from the repository root)
 *
 * Prints how fast the scorecard is: pure rule evaluation at 10,000 and 100,000 synthetic
 * services next to the same rules as tech-insights checks (jsonfc); a full sweep over a
 * catalog served on loopback HTTP, into SQLite and PostgreSQL; and the entity results
 * endpoint under 50 concurrent clients. Figures, not assertions: only sanity checks fail.
 *
 * PostgreSQL is reached through the usual PGHOST, PGPORT, PGUSER and PGPASSWORD,
 * defaulting to postgres@127.0.0.1:5432; a scratch database is created and dropped.
 */
import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogClient } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { AuthenticationError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { RuleResult } from '@internal/plugin-scorecard-common';
import express, { NextFunction, Request, Response } from 'express';
import { knex, Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createScorecard,
  DEFAULT_LEVELS,
  DEFAULT_RULES,
  evaluateEntity,
  EvaluationContext,
  levelOf,
  readScorecardConfig,
  ScorecardConfig,
} from '@internal/plugin-scorecard-backend';
import { startCatalogServer } from './catalogServer';
import { LoadResult, runLoad } from './httpLoad';
import { syntheticCatalog } from './syntheticCatalog';
import { createTechInsightsPeer } from './techInsightsPeer';

const SMALL = 10_000;
const LARGE = 100_000;
const TOKEN = randomBytes(16).toString('hex');
const CLIENTS = 50;
const REQUESTS = 5_000;

const TARGET = {
  evaluationMs: 500,
  sweepMs: 10_000,
  speedup: 50,
  p99Ms: 20,
};

// ---------------------------------------------------------------- printing

const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 1)} ms`;
const us = (t: number, n: number) => `${((t * 1000) / n).toFixed(2)} µs`;
const int = (n: number) => n.toLocaleString('en-US');

function line(label: string, ...values: string[]) {
  console.log(
    `  ${label.padEnd(46)}${values.map(v => v.padStart(14)).join('')}`,
  );
}

function heading(title: string) {
  console.log(`\n${title}\n${'-'.repeat(title.length)}`);
}

function sanity(ok: boolean, what: string) {
  if (!ok) {
    throw new Error(`Sanity check failed: ${what}`);
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function percentile(sorted: Float64Array, p: number): number {
  const index = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, index))];
}

function versionOf(pkg: string): string {
  return JSON.parse(
    readFileSync(require.resolve(`${pkg}/package.json`), 'utf8'),
  ).version;
}

// ---------------------------------------------------------------- evaluation

type Summary = {
  label: string;
  target: string;
  measured: string;
  met: boolean | undefined;
};
const summary: Summary[] = [];

function verdict(met: boolean | undefined): string {
  if (met === undefined) {
    return '-';
  }
  return met ? 'yes' : 'no';
}

/** One pass of the default rules and levels over the entities; returns a checksum. */
function evaluateAll(
  entities: Entity[],
  config: ScorecardConfig,
  context: EvaluationContext,
): number {
  let reached = 0;
  for (const entity of entities) {
    const results = evaluateEntity(entity, config.rules, context);
    if (levelOf(results, config.levels) !== undefined) {
      reached += 1;
    }
  }
  return reached;
}

function timeRounds(rounds: number, fn: () => unknown): number[] {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  return times;
}

/** Pass/fail of every rule for one entity as bits, in rule order; -1 when a rule is missing. */
function bitsOf(
  results: Array<{ id: string; pass: boolean }>,
  order: Map<string, number>,
): number {
  if (results.length !== order.size) {
    return -1;
  }
  let bits = 0;
  for (const r of results) {
    if (r.pass) {
      bits |= 1 << order.get(r.id)!;
    }
  }
  return bits;
}

const oursBits = (results: RuleResult[], order: Map<string, number>) =>
  bitsOf(
    results.map(r => ({ id: r.ruleId, pass: r.outcome === 'pass' })),
    order,
  );

async function evaluation(
  services: Entity[],
  config: ScorecardConfig,
  context: EvaluationContext,
  entitiesByRef: Map<string, Entity>,
) {
  const small = services.slice(0, SMALL);
  const order = new Map(config.rules.map((r, i) => [r.id, i]));

  heading(
    `Pure evaluation: ${config.rules.length} default rules and ${config.levels.length} levels per service`,
  );
  // Let the JIT settle before anything is timed.
  evaluateAll(small, config, context);
  evaluateAll(small, config, context);
  const oursSmall = median(
    timeRounds(5, () => evaluateAll(small, config, context)),
  );
  const oursLarge = median(
    timeRounds(3, () => evaluateAll(services, config, context)),
  );
  line('', 'total', 'per entity');
  line(
    `ours, ${int(SMALL)} (median of 5)`,
    ms(oursSmall),
    us(oursSmall, SMALL),
  );
  line(
    `ours, ${int(LARGE)} (median of 3)`,
    ms(oursLarge),
    us(oursLarge, LARGE),
  );

  // The peer: the same rules as tech-insights checks run by jsonfc.
  const peer = await createTechInsightsPeer({
    rules: config.rules,
    entityExists: context.entityExists,
    entitiesByRef,
  });
  let started = performance.now();
  const smallFacts = peer.retrieveFacts(small);
  const retrieveSmall = performance.now() - started;
  started = performance.now();
  const facts = peer.retrieveFacts(services);
  const retrieveLarge = performance.now() - started;
  sanity(smallFacts.length === SMALL, 'the fact retriever saw every service');
  await peer.insertFacts(facts);

  const refs = services.map(e => stringifyEntityRef(e));
  const peerBits = new Int32Array(LARGE);
  async function runChecks(count: number) {
    const begun = performance.now();
    for (let i = 0; i < count; i++) {
      const results = await peer.runChecks(refs[i]);
      // Packing the outcome costs well under 1% of a runChecks call.
      peerBits[i] = bitsOf(
        results.map(r => ({ id: r.check.id, pass: r.result })),
        order,
      );
    }
    return performance.now() - begun;
  }
  await runChecks(1_000);
  const peerSmall = await runChecks(SMALL);
  const peerLarge = await runChecks(LARGE);
  line(
    `tech-insights jsonfc runChecks, ${int(SMALL)}`,
    ms(peerSmall),
    us(peerSmall, SMALL),
  );
  line(
    `tech-insights jsonfc runChecks, ${int(LARGE)}`,
    ms(peerLarge),
    us(peerLarge, LARGE),
  );
  line(
    `  + its fact retriever, ${int(SMALL)}`,
    ms(retrieveSmall),
    us(retrieveSmall, SMALL),
  );
  line(
    `  + its fact retriever, ${int(LARGE)}`,
    ms(retrieveLarge),
    us(retrieveLarge, LARGE),
  );
  const ratioSmall = peerSmall / oursSmall;
  const ratioLarge = peerLarge / oursLarge;
  line(
    `ours faster than runChecks alone, ${int(SMALL)}`,
    `${ratioSmall.toFixed(1)}x`,
  );
  line(
    `ours faster than runChecks alone, ${int(LARGE)}`,
    `${ratioLarge.toFixed(1)}x`,
  );
  line(
    `ours faster than retriever + runChecks, ${int(LARGE)}`,
    `${((peerLarge + retrieveLarge) / oursLarge).toFixed(1)}x`,
  );

  // Do both say the same thing, rule by rule?
  let disagreements = 0;
  let missing = 0;
  const failures = new Array<number>(config.rules.length).fill(0);
  const levels = new Map<string, number>();
  for (let i = 0; i < LARGE; i++) {
    const results = evaluateEntity(services[i], config.rules, context);
    const ours = oursBits(results, order);
    if (ours < 0 || peerBits[i] < 0) {
      missing += 1;
      continue;
    }
    for (let diff = ours ^ peerBits[i]; diff; diff &= diff - 1) {
      disagreements += 1;
    }
    for (const [index] of config.rules.entries()) {
      if (!(ours & (1 << index))) {
        failures[index] += 1;
      }
    }
    if (i < SMALL) {
      const level = levelOf(results, config.levels) ?? 'none';
      levels.set(level, (levels.get(level) ?? 0) + 1);
    }
  }
  console.log(
    `\n  Agreement with jsonfc over ${int(LARGE)} services x ${
      config.rules.length
    } rules: ${disagreements} disagreements, ${missing} services with a rule missing on either side`,
  );
  console.log(
    `  Failing per rule: ${config.rules
      .map((r, i) => `${r.id} ${((failures[i] / LARGE) * 100).toFixed(1)}%`)
      .join(', ')}`,
  );
  console.log(
    `  Levels of the first ${int(SMALL)}: ${[
      'none',
      ...config.levels.map(l => l.id),
    ]
      .map(level => `${level} ${int(levels.get(level) ?? 0)}`)
      .join(', ')}`,
  );
  console.log(
    `  jsonfc logged ${peer.logger.counts.warn} warnings and ${peer.logger.counts.error} errors`,
  );
  sanity(disagreements === 0 && missing === 0, 'ours and jsonfc agree');
  sanity(
    peer.logger.counts.warn === 0 && peer.logger.counts.error === 0,
    'jsonfc ran every check without complaint',
  );

  summary.push(
    {
      label: `Evaluation of ${int(LARGE)} services`,
      target: `< ${TARGET.evaluationMs} ms`,
      measured: ms(oursLarge),
      met: oursLarge < TARGET.evaluationMs,
    },
    {
      label: `Faster than jsonfc checks, ${int(SMALL)}`,
      target: `>= ${TARGET.speedup}x`,
      measured: `${ratioSmall.toFixed(1)}x`,
      met: ratioSmall >= TARGET.speedup,
    },
    {
      label: `Faster than jsonfc checks, ${int(LARGE)}`,
      target: `>= ${TARGET.speedup}x`,
      measured: `${ratioLarge.toFixed(1)}x`,
      met: ratioLarge >= TARGET.speedup,
    },
  );
}

// ---------------------------------------------------------------- sweep and load

const serviceCredentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'service', subject: 'plugin:scorecard' },
} as BackstageCredentials;

const userCredentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'user', userEntityRef: 'user:default/bench' },
} as BackstageCredentials<BackstageUserPrincipal>;

/** The real CatalogClient against the loopback catalog, as a CatalogService. */
function catalogOverHttp(baseUrl: string): CatalogService {
  const client = new CatalogClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
  });
  const options = { token: TOKEN };
  const used: Pick<
    CatalogService,
    'streamEntities' | 'queryEntities' | 'getEntityByRef' | 'getEntitiesByRefs'
  > = {
    streamEntities: request => client.streamEntities(request, options),
    queryEntities: request => client.queryEntities(request, options),
    getEntityByRef: ref => client.getEntityByRef(ref, options),
    getEntitiesByRefs: request => client.getEntitiesByRefs(request, options),
  };
  // The scorecard calls nothing else.
  return used as CatalogService;
}

const STATUS: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
};

/**
 * The scorecard, as the plugin assembles it, on the given database and catalog, with
 * allow-all auth.
 */
function createBenchScorecard(
  db: Knex,
  config: ScorecardConfig,
  catalog: CatalogService,
) {
  return createScorecard({
    config,
    database: { getClient: async () => db, migrations: { skip: false } },
    catalog,
    auth: {
      getOwnServiceCredentials: async () => serviceCredentials,
    } as unknown as AuthService,
    httpAuth: {
      credentials: async (req: Request) => {
        if (req.headers.authorization !== `Bearer ${TOKEN}`) {
          throw new AuthenticationError('Missing or wrong token');
        }
        return userCredentials;
      },
      issueUserCookie: async () => ({ expiresAt: new Date() }),
    } as unknown as HttpAuthService,
    permissions: {
      authorize: async (requests: unknown[]) =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      authorizeConditional: async (requests: unknown[]) =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    } as unknown as PermissionsService,
    auditor: {
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    } as unknown as AuditorService,
  });
}

/** The scorecard router in an express app on loopback. */
async function startScorecardServer(router: express.Router) {
  const app = express();
  app.use('/api/scorecard', router);
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res
      .status(STATUS[err.name] ?? 500)
      .json({ error: { name: err.name, message: err.message } });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/scorecard`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(e => (e ? reject(e) : resolve()));
      }),
  };
}

/** Runs one load against GET /entities/:kind/:namespace/:name, prints it, returns p99. */
async function measureLoad(
  database: string,
  baseUrl: string,
  clients: number,
  requests: number,
): Promise<number> {
  const load: LoadResult = await runLoad({
    urlPrefix: `${baseUrl}/entities/component/default/svc-`,
    ids: SMALL,
    token: TOKEN,
    concurrency: clients,
    warmup: Math.max(200, requests / 5),
    requests,
  });
  sanity(
    load.errors === 0,
    `every request on ${database} answered 200 (${load.errors} did not, first: ${load.firstError})`,
  );
  const sorted = load.latencies.slice().sort();
  const p99 = percentile(sorted, 99);
  line(
    `${database}: GET /entities, ${clients} client${clients > 1 ? 's' : ''}`,
    `p50 ${ms(percentile(sorted, 50))}`,
    `p95 ${ms(percentile(sorted, 95))}`,
    `p99 ${ms(p99)}`,
    `max ${ms(sorted[sorted.length - 1])}`,
  );
  console.log(
    `    ${int(requests)} requests, ${int(
      Math.round((requests / load.elapsedMs) * 1000),
    )} req/s, ${(load.responseBytes / requests / 1024).toFixed(1)} KiB each`,
  );
  return p99;
}

async function sweepAndLoad(
  database: string,
  db: Knex,
  config: ScorecardConfig,
  catalog: CatalogService,
  catalogStats: { requests: number; bytes: number },
) {
  const scorecard = await createBenchScorecard(db, config, catalog);

  const requestsBefore = catalogStats.requests;
  const bytesBefore = catalogStats.bytes;
  let started = performance.now();
  const first = await scorecard.sweep();
  const firstMs = performance.now() - started;
  const pages = catalogStats.requests - requestsBefore;
  const bytes = catalogStats.bytes - bytesBefore;
  started = performance.now();
  const second = await scorecard.sweep();
  const secondMs = performance.now() - started;
  sanity(
    first.entities === SMALL && first.written === SMALL,
    `the first sweep on ${database} wrote every service (${JSON.stringify(
      first,
    )})`,
  );
  sanity(
    second.entities === SMALL && second.written === 0,
    `the second sweep on ${database} wrote nothing (${JSON.stringify(second)})`,
  );
  line(
    `${database}: first sweep, all ${int(first.written)} written`,
    ms(firstMs),
    us(firstMs, SMALL),
  );
  line(
    `${database}: second sweep, nothing changed`,
    ms(secondMs),
    us(secondMs, SMALL),
  );
  console.log(
    `    catalog read: ${pages} HTTP requests, ${(bytes / 2 ** 20).toFixed(
      1,
    )} MiB`,
  );
  summary.push({
    label: `Full sweep of ${int(SMALL)}, ${database}`,
    target: `< ${TARGET.sweepMs / 1000} s`,
    measured: `${(firstMs / 1000).toFixed(2)} s`,
    met: firstMs < TARGET.sweepMs,
  });

  const server = await startScorecardServer(scorecard.router);
  try {
    const probe = await fetch(
      `${server.baseUrl}/entities/component/default/svc-0`,
      {
        headers: { authorization: `Bearer ${TOKEN}` },
      },
    );
    const body = await probe.json();
    sanity(
      probe.status === 200 &&
        body.entityRef === 'component:default/svc-0' &&
        body.results.length === config.rules.length,
      `GET /entities answers on ${database} (${probe.status})`,
    );
    // Alone first, which is the time one request takes; then with 50 clients at
    // once, where it also waits for the requests ahead of it.
    await measureLoad(database, server.baseUrl, 1, 1_000);
    const p99 = await measureLoad(database, server.baseUrl, CLIENTS, REQUESTS);
    summary.push({
      label: `Entity results p99, ${CLIENTS} clients, ${database}`,
      target: `< ${TARGET.p99Ms} ms`,
      measured: ms(p99),
      met: p99 < TARGET.p99Ms,
    });
  } finally {
    await server.close();
  }
}

async function withSqlite(fn: (db: Knex) => Promise<void>) {
  const dir = mkdtempSync(join(os.tmpdir(), 'scorecard-bench-'));
  const db = knex({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'scorecard.sqlite') },
    useNullAsDefault: true,
  });
  try {
    await fn(db);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `fn` on a scratch database; returns why not when PostgreSQL is not there. */
async function withPostgres(
  fn: (db: Knex, version: string) => Promise<void>,
): Promise<string | undefined> {
  const connection = {
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    password: process.env.PGPASSWORD,
  };
  const admin = knex({
    client: 'pg',
    connection: { ...connection, database: 'postgres' },
    acquireConnectionTimeout: 5_000,
  });
  let version: string;
  try {
    version = (await admin.raw('show server_version')).rows[0].server_version;
  } catch (e) {
    await admin.destroy();
    return `cannot connect to ${connection.user}@${connection.host}:${
      connection.port
    }: ${(e as Error).message}`;
  }
  const name = `scorecard_bench_${randomBytes(4).toString('hex')}`;
  await admin.raw('create database ??', [name]);
  const db = knex({
    client: 'pg',
    connection: { ...connection, database: name },
  });
  try {
    await fn(db, version);
  } finally {
    await db.destroy();
    await admin.raw('drop database if exists ?? with (force)', [name]);
    await admin.destroy();
  }
  return undefined;
}

async function sweeps(
  catalog: ReturnType<typeof syntheticCatalog>,
  config: ScorecardConfig,
) {
  const entities = [
    ...catalog.services.slice(0, SMALL),
    ...catalog.groups,
    ...catalog.systems,
  ];
  const server = await startCatalogServer({ entities, token: TOKEN });
  try {
    const client = catalogOverHttp(server.baseUrl);
    heading(
      `Full sweep of ${int(
        SMALL,
      )} services (catalog over HTTP + evaluate + store), then ${int(
        REQUESTS,
      )} entity results requests from ${CLIENTS} clients`,
    );
    line('', 'total', 'per entity');
    await withSqlite(db =>
      sweepAndLoad('SQLite', db, config, client, server.stats),
    );
    const skipped = await withPostgres(async (db, version) => {
      console.log(`  (PostgreSQL ${version})`);
      await sweepAndLoad('PostgreSQL', db, config, client, server.stats);
    });
    if (skipped) {
      console.log(`  PostgreSQL: not measured, ${skipped}`);
      summary.push(
        {
          label: `Full sweep of ${int(SMALL)}, PostgreSQL`,
          target: `< ${TARGET.sweepMs / 1000} s`,
          measured: 'not measured',
          met: undefined,
        },
        {
          label: `Entity results p99, ${CLIENTS} clients, PostgreSQL`,
          target: `< ${TARGET.p99Ms} ms`,
          measured: 'not measured',
          met: undefined,
        },
      );
    }
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const started = performance.now();
  const cpus = os.cpus();
  heading('Scorecard benchmark');
  console.log(
    `  node ${process.version}, ${os.type()} ${os.release()} ${os.arch()}`,
  );
  console.log(
    `  ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(
      os.totalmem() /
      2 ** 30
    ).toFixed(0)} GiB`,
  );
  console.log(
    `  peer: @backstage-community/plugin-tech-insights-backend-module-jsonfc ${versionOf(
      '@backstage-community/plugin-tech-insights-backend-module-jsonfc',
    )}, json-rules-engine ${versionOf('json-rules-engine')}`,
  );

  const config = readScorecardConfig(new ConfigReader({}));
  sanity(
    config.rules.length === DEFAULT_RULES.length &&
      config.levels.length === DEFAULT_LEVELS.length,
    'an empty config gives the default rules and levels',
  );
  const catalog = syntheticCatalog(LARGE);
  const existing = new Set(
    [...catalog.groups, ...catalog.systems].map(e =>
      stringifyEntityRef(e).toLowerCase(),
    ),
  );
  const entitiesByRef = new Map(
    [...catalog.services, ...catalog.groups, ...catalog.systems].map(e => [
      stringifyEntityRef(e),
      e,
    ]),
  );
  console.log(
    `  catalog: ${int(
      LARGE,
    )} synthetic services (each aspect right 85% of the time), ${
      catalog.groups.length
    } groups, ${catalog.systems.length} systems`,
  );

  await evaluation(
    catalog.services,
    config,
    { entityExists: ref => existing.has(ref) },
    entitiesByRef,
  );
  await sweeps(catalog, config);

  heading('Summary');
  line('', 'target', 'measured', 'meets target');
  for (const s of summary) {
    line(s.label, s.target, s.measured, verdict(s.met));
  }
  console.log(
    `\n  Total run time ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
