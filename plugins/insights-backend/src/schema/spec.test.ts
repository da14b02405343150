import express, { ErrorRequestHandler } from 'express';
import request from 'supertest';
import { createOpenApiRouter, spec } from './openapi/generated/router';

// The router checks input with its own schemas first, for messages that name the field;
// the spec's validator runs after them. Here the spec's validator runs alone, so the spec
// is shown to refuse what those checks refuse (the constraints it documents are real).

async function specOnly() {
  const api = await createOpenApiRouter({
    validatorOptions: {
      validateSecurity: false,
      validateRequests: {
        coerceTypes: false,
        allowUnknownQueryParameters: true,
      },
    },
  });
  // Every documented route answers 200 once the spec lets the request through.
  api.use((req, res) => {
    res.json({ query: req.query });
  });
  const errors: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(error.name === 'InputError' ? 400 : 500).json({
      error: { name: error.name, message: error.message },
    });
  };
  return express().use(api).use(errors);
}

const event = {
  id: 'f1e2d3c4b5a69788',
  name: 'scaffold.completed',
  service: 'ledger-api',
  duration_ms: null,
  attributes: { owner: 'group:default/payments-team', attempt: 2, dry: false },
  occurredAt: '2026-12-07T21:00:00Z',
};

describe('the insights spec on its own', () => {
  let app: express.Express;
  beforeAll(async () => {
    app = await specOnly();
  });

  it('lets a valid event through, and defaults the weeks of the figures', async () => {
    const ingest = await request(app)
      .post('/events')
      .set('idempotency-key', event.id)
      .send(event);
    expect(ingest.status).toBe(200);
    const figures = await request(app).get('/figures');
    expect(figures.body).toEqual({ query: { weeks: 8 } });
  });

  const manyAttributes = Object.fromEntries(
    Array.from({ length: 51 }, (_, i) => [`a${i}`, i]),
  );
  it.each([
    ['a negative duration', { duration_ms: -1 }, '/duration_ms '],
    ['a fractional duration', { duration_ms: 1.5 }, '/duration_ms '],
    ['a capitalized name', { name: 'Scaffold Completed' }, '/name '],
    ['a short id', { id: 'no' }, '/id '],
    ['an empty service', { service: '' }, '/service '],
    ['NUL in the service', { service: 'ledger\u0000api' }, '/service '],
    [
      'a nested attribute',
      { attributes: { owner: { a: 1 } } },
      '/attributes/owner ',
    ],
    [
      'NUL in an attribute',
      { attributes: { owner: 'a\u0000b' } },
      '/attributes/owner ',
    ],
    ['51 attributes', { attributes: manyAttributes }, '/attributes '],
    ['an unknown field', { extra: true }, 'additional properties'],
    ['no timestamp', { occurredAt: undefined }, "'occurredAt'"],
  ])('refuses an event with %s', async (_, change, message) => {
    const res = await request(app)
      .post('/events')
      .send({ ...event, ...change });
    expect([res.status, res.body.error.message]).toEqual([
      400,
      expect.stringContaining(message),
    ]);
  });

  it.each([
    [{ weeks: 0 }, '/weeks '],
    [{ weeks: 53 }, '/weeks '],
    [{ weeks: 'all' }, '/weeks '],
    [{ team: 'x'.repeat(256) }, '/team '],
  ])('refuses figures for %j', async (query, message) => {
    const res = await request(app).get('/figures').query(query);
    expect([res.status, res.body.error.message]).toEqual([
      400,
      expect.stringContaining(message),
    ]);
  });

  it('is served as /openapi.json', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).sort()).toEqual(
      Object.keys(spec.paths).sort(),
    );
  });
});
