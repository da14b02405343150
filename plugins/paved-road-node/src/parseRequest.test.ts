import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { parseRequest } from './parseRequest';

function app() {
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  });
  return express()
    .use(express.json())
    .post(
      '/things',
      parseRequest(
        'body',
        z.strictObject({ name: z.string().trim().min(1, 'must not be empty') }),
        'thing',
      ),
      (req, res) => {
        res.json(req.body);
      },
    )
    .get(
      '/things',
      parseRequest(
        'query',
        z.object({ weeks: z.coerce.number().default(8) }),
        'query',
      ),
      (req, res) => {
        res.json(req.query);
      },
    )
    .use(middleware.error());
}

describe('parseRequest', () => {
  it('hands the route what the schema made of the request', async () => {
    expect(
      (await request(app()).post('/things').send({ name: ' a ' })).body,
    ).toEqual({
      name: 'a',
    });
    expect((await request(app()).get('/things')).body).toEqual({ weeks: 8 });
  });

  it('answers 400 naming the fields, the unknown ones too', async () => {
    const res = await request(app())
      .post('/things')
      .send({ name: ' ', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toBe(
      "Invalid thing: field 'name': must not be empty; unknown field 'colour'",
    );
  });
});
