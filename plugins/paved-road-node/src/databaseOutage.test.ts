import net from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import Router from 'express-promise-router';
import { knex as createKnex, Knex } from 'knex';
import { Client } from 'pg';
import request from 'supertest';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  databaseOutageHandler,
  isDatabaseUnavailable,
} from './databaseOutage';

jest.setTimeout(30_000);

const PG = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  password: 'postgres',
};

async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// An app the way the backend mounts a plugin: the plugin's router, then Backstage's
// own error handler, which turns errors into status codes and bodies.
function app(query: () => Promise<unknown>) {
  const router = Router();
  router.get('/thing', async (_req, res) => {
    res.json(await query());
  });
  router.use(databaseOutageHandler({ what: 'The scorecard' }));
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  });
  return express().use(router).use(middleware.error());
}

describe('databaseOutageHandler with a real PostgreSQL', () => {
  let unreachable: Knex;
  let reachable: Knex;
  beforeAll(async () => {
    unreachable = createKnex({
      client: 'pg',
      connection: { ...PG, port: await closedPort() },
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: 5_000,
      // knex prints each failed attempt; the assertions say what matters
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
    reachable = createKnex({
      client: 'pg',
      connection: PG,
      pool: { min: 0, max: 1 },
    });
  });
  afterAll(async () => {
    await unreachable.destroy();
    await reachable.destroy();
  });

  it('answers 503 with Retry-After when no connection can be made, without the driver message', async () => {
    const res = await request(app(() => unreachable.raw('select 1'))).get(
      '/thing',
    );
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(
      String(DATABASE_RETRY_AFTER_SECONDS),
    );
    expect(res.body.error.message).toBe(
      'The scorecard cannot reach its database right now; try again in 5 seconds',
    );
    expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');
  });

  it('recognizes a connection the server terminates (a restart), 57P01', async () => {
    const victim = new Client(PG);
    await victim.connect();
    victim.on('error', () => {});
    const { rows } = await victim.query('select pg_backend_pid() as pid');
    await reachable.raw('select pg_terminate_backend(?)', [rows[0].pid]);
    const error = await victim.query('select 1').catch(e => e);
    await victim.end().catch(() => {});
    expect(error).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('leaves a bad query alone: that is a bug, not an outage', async () => {
    const res = await request(app(() => reachable.raw('selec 1'))).get(
      '/thing',
    );
    expect(res.status).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('leaves errors that are not the database alone', () => {
    expect(isDatabaseUnavailable(new Error('Invalid owner'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable({ code: '23505' })).toBe(false);
    expect(isDatabaseUnavailable({ code: '57P01' })).toBe(true);
  });
});
