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
  api.use((_req, res) => {
    res.json({ passed: true });
  });
  const errors: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(error.name === 'InputError' ? 400 : 500).json({
      error: { name: error.name, message: error.message },
    });
  };
  return express().use(api).use(errors);
}

const validRequest = {
  entityRef: 'component:default/fraud-rules-engine',
  ruleId: 'on-call',
  reason: 'On-call rotation starts with the new team in January',
  expiresAt: '2027-01-15',
  riskSignoff: 'Rita Risk, head of risk engineering',
};

describe('the scorecard spec on its own', () => {
  let app: express.Express;
  beforeAll(async () => {
    app = await specOnly();
  });

  it('lets valid requests through', async () => {
    const answers = await Promise.all([
      request(app).post('/exemptions').send(validRequest),
      request(app)
        .post('/exemptions')
        .send({ ...validRequest, reason: 'Two lines:\n\tthe why 💸' }),
      request(app).post('/exemptions/some-id/approve').send({}),
      request(app).post('/exemptions/some-id/revoke').send({ comment: 'ok' }),
      request(app).get('/exemptions').query({ status: 'expired' }),
      request(app).get('/trend').query({ owner: 'group:default/payments' }),
      request(app)
        .post('/preview')
        .send({ rule: { id: 'x' }, note: 1 }),
      request(app)
        .get('/entities/component/default/payments-api')
        .query({ history: 'true' }),
    ]);
    expect(answers.map(a => a.status)).toEqual(answers.map(() => 200));
  });

  it.each([
    ['no reason', { ...validRequest, reason: undefined }, "'reason'"],
    ['a short reason', { ...validRequest, reason: 'short' }, '/reason '],
    [
      'a blank sign-off',
      { ...validRequest, riskSignoff: '  ' },
      '/riskSignoff ',
    ],
    ['a long rule id', { ...validRequest, ruleId: 'r'.repeat(64) }, '/ruleId '],
    [
      'a NUL in the reason',
      { ...validRequest, reason: 'Because of\u0000 this' },
      '/reason ',
    ],
    [
      'a line break in the sign-off',
      { ...validRequest, riskSignoff: 'Rita\nRisk' },
      '/riskSignoff ',
    ],
    [
      'an unknown field',
      { ...validRequest, extra: 1 },
      'additional properties',
    ],
  ])('refuses an exemption request with %s', async (_, body, message) => {
    const res = await request(app).post('/exemptions').send(body);
    expect([res.status, res.body.error.message]).toEqual([
      400,
      expect.stringContaining(message),
    ]);
  });

  it.each([
    ['POST /exemptions/x/reject', { comment: '' }, '/comment '],
    ['POST /exemptions/x/approve', { by: 'me' }, 'additional properties'],
    ['POST /exemptions/x/approve', { comment: 'ok\u0000' }, '/comment '],
    ['POST /exemptions/x%00/approve', {}, '/id '],
    ['POST /preview', {}, "'rule'"],
    ['POST /preview', { rule: 'annotationPresent' }, '/rule '],
  ])('refuses %s with %j', async (route, body, message) => {
    const res = await request(app).post(route.split(' ')[1]).send(body);
    expect([res.status, res.body.error.message]).toEqual([
      400,
      expect.stringContaining(message),
    ]);
  });

  it.each([
    ['/exemptions', { status: 'pending' }, '/status '],
    ['/exemptions', { entityRef: 'x'.repeat(256) }, '/entityRef '],
    ['/trend', { owner: ' ' }, '/owner '],
    ['/exemptions', { entityRef: 'component:default/a\u0000' }, '/entityRef '],
    ['/entities/component/default/a%00b', {}, '/name '],
  ])('refuses GET %s?%j', async (route, query, message) => {
    const res = await request(app).get(route).query(query);
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
