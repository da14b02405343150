import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { parse } from 'yaml';
import { readPavedRoadConfig } from '../config';
import { createEventEmitAction } from './eventEmit';
import { examples } from './eventEmit.examples';
import {
  answers,
  closedPort,
  EventServer,
  slowAnswer,
  startEventServer,
} from '../__testUtils__/eventServer';
import {
  checkpointStore,
  createTestAction,
  createTestContext,
  expectedKey,
  TEMPLATE_REF,
  TOKEN,
  USER_REF,
} from '../__testUtils__/harness';

type Action = ReturnType<typeof createEventEmitAction>;
type Handler = Action['handler'];

describe('portal:event:emit', () => {
  let server: EventServer;
  let other: EventServer;
  let taskCounter = 0;

  beforeAll(async () => {
    server = await startEventServer();
    other = await startEventServer();
  });

  afterAll(async () => {
    await server.close();
    await other.close();
  });

  beforeEach(() => {
    server.reset();
    other.reset();
  });

  function newTask(createdAt?: Date): string {
    taskCounter += 1;
    const id = `task-${taskCounter}-${Date.now()}`;
    if (createdAt) {
      server.addTask(id, createdAt);
    }
    return id;
  }

  function endpointConfig(extra: JsonObject = {}): JsonObject {
    return { endpoint: `${server.url}/events`, token: TOKEN, ...extra };
  }

  /** Runs the handler once; whatever it logs or throws must not contain the token. */
  async function run(
    action: Action,
    options: Parameters<typeof createTestContext>[0],
  ) {
    const { context, outputs, lines } = createTestContext(options);
    let error: Error | undefined;
    try {
      await action.handler(context as unknown as Parameters<Handler>[0]);
    } catch (e) {
      error = e as Error;
    }
    expect(
      [...lines, error?.message ?? '', error?.stack ?? ''].join('\n'),
    ).not.toContain(TOKEN);
    return { outputs, lines, error };
  }

  describe('delivery', () => {
    it('posts the event with the bearer token and idempotency key', async () => {
      const createdAt = new Date(Date.now() - 42_000);
      const taskId = newTask(createdAt);
      const action = createTestAction(server, endpointConfig());
      const before = Date.now();

      const { outputs, lines, error } = await run(action, {
        taskId,
        input: {
          service: 'payments-api',
          attributes: { language: 'java', replicas: 3, argocd: true },
        },
      });

      expect(error).toBeUndefined();
      const key = expectedKey(taskId, 'scaffold.completed');
      expect(outputs).toEqual({
        idempotencyKey: key,
        delivered: true,
        status: 200,
        attempts: 1,
        destination: 'endpoint',
      });

      const [post] = server.events();
      expect(server.events()).toHaveLength(1);
      expect(post.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(post.headers['idempotency-key']).toBe(key);
      expect(post.headers['content-type']).toBe('application/json');

      const event = JSON.parse(post.body);
      expect(event).toStrictEqual({
        id: key,
        name: 'scaffold.completed',
        service: 'payments-api',
        templateRef: TEMPLATE_REF,
        user: USER_REF,
        taskId,
        duration_ms: expect.any(Number),
        attributes: { language: 'java', replicas: 3, argocd: true },
        occurredAt: expect.any(String),
      });
      expect(event.duration_ms).toBeGreaterThanOrEqual(
        before - createdAt.getTime(),
      );
      expect(event.duration_ms).toBeLessThanOrEqual(
        Date.now() - createdAt.getTime(),
      );
      const occurredAt = Date.parse(event.occurredAt);
      expect(occurredAt).toBeGreaterThanOrEqual(before);
      expect(occurredAt).toBeLessThanOrEqual(Date.now());

      // The start time came from the scaffolder API, with a service token.
      const lookup = server.requests.find(r => r.method === 'GET');
      expect(lookup?.path).toBe(
        `/api/scaffolder/v2/tasks/${encodeURIComponent(taskId)}`,
      );
      expect(lookup?.headers.authorization).toMatch(/^Bearer \S+/);
      expect(lookup?.headers.authorization).not.toContain(TOKEN);

      expect(lines.join('\n')).toContain(
        "Event 'scaffold.completed' delivered (HTTP 200, 1 attempt)",
      );
    });

    it('uses the event name given by the template', async () => {
      const taskId = newTask(new Date());
      const action = createTestAction(server, endpointConfig());

      const { outputs } = await run(action, {
        taskId,
        input: { name: 'database.requested', service: 'ledger-worker' },
      });

      const key = expectedKey(taskId, 'database.requested');
      expect(outputs.idempotencyKey).toBe(key);
      const event = JSON.parse(server.events()[0].body);
      expect(event.name).toBe('database.requested');
      expect(event.id).toBe(key);
      expect(event.attributes).toEqual({});
      expect(key).not.toBe(expectedKey(taskId, 'scaffold.completed'));
    });

    it('sends no Authorization header when no token is configured', async () => {
      const action = createTestAction(server, {
        endpoint: `${server.url}/events`,
      });

      const { outputs } = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api' },
      });

      expect(outputs.delivered).toBe(true);
      expect(server.events()[0].headers.authorization).toBeUndefined();
    });

    it('sends duration_ms null and warns when the task start time cannot be read', async () => {
      const action = createTestAction(server, endpointConfig());
      const taskId = newTask(); // unknown to the task API: 404

      const { outputs, lines } = await run(action, {
        taskId,
        input: { service: 'payments-api' },
      });

      expect(outputs.delivered).toBe(true);
      expect(JSON.parse(server.events()[0].body).duration_ms).toBeNull();
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^warn Could not read the start time of task .*HTTP 404/,
        ),
      );
    });
  });

  describe('retries and failures', () => {
    it('gives up after the timeout and the retries, and goes on', async () => {
      server.answer(slowAnswer(2000), slowAnswer(2000));
      const action = createTestAction(
        server,
        endpointConfig({ timeoutMs: 100, retries: 1 }),
      );
      const taskId = newTask(new Date());

      const { outputs, lines, error } = await run(action, {
        taskId,
        input: { service: 'payments-api' },
      });

      expect(error).toBeUndefined();
      expect(outputs).toEqual({
        idempotencyKey: expectedKey(taskId, 'scaffold.completed'),
        delivered: false,
        attempts: 2,
        destination: 'endpoint',
      });
      expect(server.events()).toHaveLength(2);
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^warn Event 'scaffold.completed' could not be delivered to .* after 2 attempts: no answer within 100 ms; going on/,
        ),
      );
    });

    it('fails the step on timeout when the template requires delivery', async () => {
      server.answer(slowAnswer(2000), slowAnswer(2000));
      const action = createTestAction(
        server,
        endpointConfig({ timeoutMs: 100, retries: 1 }),
      );

      const { error } = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api', required: true },
      });

      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(InputError);
      expect(error?.message).toMatch(
        /^Event 'scaffold.completed' could not be delivered to http:\/\/127\.0\.0\.1:\d+\/events after 2 attempts: no answer within 100 ms$/,
      );
      expect(server.events()).toHaveLength(2);
    });

    it('retries a 500 with the same idempotency key, so the event is accepted once', async () => {
      server.answer(answers.status(500));
      const action = createTestAction(server, endpointConfig());
      const taskId = newTask(new Date());

      const { outputs } = await run(action, {
        taskId,
        input: { service: 'payments-api' },
      });

      expect(outputs).toMatchObject({
        delivered: true,
        status: 200,
        attempts: 2,
      });
      const posts = server.events();
      expect(posts.map(p => p.status)).toEqual([500, 200]);
      expect(posts.filter(p => p.status === 200)).toHaveLength(1);
      const key = expectedKey(taskId, 'scaffold.completed');
      expect(posts.map(p => p.headers['idempotency-key'])).toEqual([key, key]);
      expect(posts[0].body).toBe(posts[1].body);
    });

    it('retries 429 and 503 up to the configured number of retries', async () => {
      server.answer(
        answers.status(429),
        answers.status(503),
        answers.status(503),
      );
      const action = createTestAction(server, endpointConfig({ retries: 2 }));

      const { outputs, lines } = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api' },
      });

      expect(outputs).toMatchObject({
        delivered: false,
        status: 503,
        attempts: 3,
      });
      expect(server.events()).toHaveLength(3);
      expect(lines.join('\n')).toContain('after 3 attempts: answered HTTP 503');
    });

    it('does not retry other 4xx answers', async () => {
      server.answer(answers.status(400));
      const action = createTestAction(server, endpointConfig());

      const { outputs } = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api' },
      });

      expect(outputs).toMatchObject({
        delivered: false,
        status: 400,
        attempts: 1,
      });
      expect(server.events()).toHaveLength(1);
    });

    it('retries a refused connection, then goes on or fails as required', async () => {
      const port = await closedPort();
      const action = createTestAction(server, {
        endpoint: `http://127.0.0.1:${port}/events?apiKey=${TOKEN}`,
        token: TOKEN,
        retries: 2,
      });

      const soft = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api' },
      });
      expect(soft.error).toBeUndefined();
      expect(soft.outputs).toMatchObject({ delivered: false, attempts: 3 });
      expect(soft.outputs.status).toBeUndefined();
      expect(soft.lines.join('\n')).toContain(
        'after 3 attempts: network error (ECONNREFUSED)',
      );

      const hard = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api', required: true },
      });
      expect(hard.error?.message).toBe(
        `Event 'scaffold.completed' could not be delivered to http://127.0.0.1:${port}/events after 3 attempts: network error (ECONNREFUSED)`,
      );
    });

    it('does not follow a redirect to another host', async () => {
      server.answer(answers.status(302, { location: `${other.url}/events` }));
      const action = createTestAction(server, endpointConfig());

      const { outputs, lines } = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api' },
      });

      expect(outputs).toMatchObject({
        delivered: false,
        status: 302,
        attempts: 1,
      });
      expect(server.events()).toHaveLength(1);
      expect(other.requests).toHaveLength(0);
      expect(lines.join('\n')).toContain('redirect (HTTP 302)');
    });

    it('refuses an endpoint whose host is not allowed, without sending', async () => {
      const action = createTestAction(
        server,
        endpointConfig({ allowedHosts: ['events.example.com'] }),
      );

      const soft = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api' },
      });
      expect(soft.outputs).toMatchObject({ delivered: false, attempts: 0 });
      expect(soft.lines.join('\n')).toMatch(
        /was not sent to .*: host '127\.0\.0\.1:\d+' is not in pavedRoad\.events\.allowedHosts/,
      );

      const hard = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api', required: true },
      });
      expect(hard.error?.message).toMatch(
        /is not in pavedRoad\.events\.allowedHosts/,
      );
      expect(server.events()).toHaveLength(0);
    });

    it('accepts an allowed host given without its port', async () => {
      const action = createTestAction(
        server,
        endpointConfig({ allowedHosts: ['events.example.com', '127.0.0.1'] }),
      );

      const { outputs } = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api' },
      });

      expect(outputs.delivered).toBe(true);
      expect(server.events()).toHaveLength(1);
    });

    it('stops retrying when the task is cancelled', async () => {
      server.answer(slowAnswer(2000), slowAnswer(2000));
      const action = createTestAction(
        server,
        endpointConfig({ timeoutMs: 5000, retries: 3 }),
      );
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);

      const { outputs } = await run(action, {
        taskId: newTask(new Date()),
        input: { service: 'payments-api' },
        signal: controller.signal,
      });

      expect(outputs).toMatchObject({ delivered: false, attempts: 1 });
      expect(server.events()).toHaveLength(1);
    });
  });

  describe('without an endpoint', () => {
    it("sends the event to the portal's insights backend with the scaffolder's credentials", async () => {
      const action = createTestAction(server);
      const taskId = newTask(new Date(Date.now() - 1000));

      const { outputs } = await run(action, {
        taskId,
        input: { service: 'payments-api', attributes: { team: 'payments' } },
      });

      expect(outputs).toEqual({
        idempotencyKey: expectedKey(taskId, 'scaffold.completed'),
        delivered: true,
        status: 200,
        attempts: 1,
        destination: 'endpoint',
      });
      const [sent] = server.events();
      expect(sent.path).toBe('/api/insights/events');
      // a service token of the scaffolder's, for the insights plugin
      expect(sent.headers.authorization).toMatch(
        /^Bearer mock-service-token:.*"target":"insights"/,
      );
      expect(sent.headers['idempotency-key']).toBe(
        expectedKey(taskId, 'scaffold.completed'),
      );
      expect(JSON.parse(sent.body)).toMatchObject({
        service: 'payments-api',
        attributes: { team: 'payments' },
      });
    });

    it('logs the event instead when the target is log', async () => {
      const action = createTestAction(server, { target: 'log' });
      const taskId = newTask(new Date(Date.now() - 1000));

      const { outputs, lines } = await run(action, {
        taskId,
        input: { service: 'payments-api', attributes: { team: 'payments' } },
      });

      expect(outputs).toEqual({
        idempotencyKey: expectedKey(taskId, 'scaffold.completed'),
        delivered: false,
        attempts: 0,
        destination: 'log',
      });
      expect(server.events()).toHaveLength(0);
      const line = lines.find(l =>
        l.startsWith(
          "info Event 'scaffold.completed' (pavedRoad.events.target is log",
        ),
      );
      expect(line).toBeDefined();
      const event = JSON.parse(line!.slice(line!.indexOf('{')));
      expect(event).toMatchObject({
        id: expectedKey(taskId, 'scaffold.completed'),
        service: 'payments-api',
        taskId,
        attributes: { team: 'payments' },
      });
      expect(event.duration_ms).toBeGreaterThanOrEqual(1000);
    });

    it('refuses a target that is not portal, endpoint or log', () => {
      expect(() => createTestAction(server, { target: 'kafka' })).toThrow(
        "Invalid config 'pavedRoad.events.target': must be portal, endpoint or log",
      );
      expect(() => createTestAction(server, { target: 'endpoint' })).toThrow(
        "Invalid config 'pavedRoad.events.endpoint': is required when pavedRoad.events.target is endpoint",
      );
    });
  });

  describe('dry run', () => {
    it('reports the event it would send and sends nothing', async () => {
      const action = createTestAction(server, endpointConfig());
      const taskId = newTask(new Date());

      const { outputs, lines } = await run(action, {
        taskId,
        isDryRun: true,
        input: { service: 'payments-api', attributes: { tier: 1 } },
      });

      expect(outputs).toEqual({
        idempotencyKey: expectedKey(taskId, 'scaffold.completed'),
        delivered: false,
        attempts: 0,
        destination: 'dry-run',
      });
      expect(server.requests).toHaveLength(0);
      const line = lines.find(l => l.startsWith('info Dry run: would POST'));
      expect(line).toContain(`${server.url}/events`);
      const json = line!.slice(line!.indexOf('{'), line!.lastIndexOf('}') + 1);
      expect(JSON.parse(json)).toMatchObject({
        service: 'payments-api',
        attributes: { tier: 1 },
        duration_ms: null,
      });
    });

    it('warns in a dry run when the host is not allowed', async () => {
      const action = createTestAction(
        server,
        endpointConfig({ allowedHosts: ['events.example.com'] }),
      );

      const { lines } = await run(action, {
        taskId: newTask(new Date()),
        isDryRun: true,
        input: { service: 'payments-api' },
      });

      expect(lines).toContainEqual(
        expect.stringMatching(/^warn Dry run: the event would not be sent/),
      );
      expect(server.requests).toHaveLength(0);
    });

    it('rejects bad input in a dry run too', async () => {
      const action = createTestAction(server, endpointConfig());

      const { error } = await run(action, {
        taskId: newTask(new Date()),
        isDryRun: true,
        input: { service: 'payments-api', name: 'Not An Event' },
      });

      expect(error).toBeInstanceOf(InputError);
      expect(error?.message).toMatch(/^Invalid input: field 'name'/);
    });
  });

  describe('checkpoint', () => {
    it('does not post again when a recovered task runs the step again', async () => {
      const action = createTestAction(server, endpointConfig());
      const taskId = newTask(new Date());
      const checkpoints = checkpointStore();
      const input = { service: 'payments-api' };

      const first = await run(action, { taskId, input, checkpoints });
      const second = await run(action, { taskId, input, checkpoints });

      expect(server.events()).toHaveLength(1);
      expect(checkpoints.values.size).toBe(1);
      expect([...checkpoints.values.keys()][0]).toContain(
        expectedKey(taskId, 'scaffold.completed'),
      );
      expect(second.outputs).toEqual(first.outputs);
      expect(second.outputs).toMatchObject({ delivered: true, status: 200 });
    });

    it('does not record a failed delivery, so a recovered task tries again with the same key', async () => {
      server.answer(answers.status(503));
      const action = createTestAction(server, endpointConfig({ retries: 0 }));
      const taskId = newTask(new Date());
      const checkpoints = checkpointStore();
      const input = { service: 'payments-api' };

      const first = await run(action, { taskId, input, checkpoints });
      expect(first.outputs.delivered).toBe(false);
      expect(checkpoints.values.size).toBe(0);

      const second = await run(action, { taskId, input, checkpoints });
      expect(second.outputs.delivered).toBe(true);
      const posts = server.events();
      expect(posts).toHaveLength(2);
      expect(posts[0].headers['idempotency-key']).toBe(
        posts[1].headers['idempotency-key'],
      );
    });
  });

  describe('bad input', () => {
    it.each<[string, unknown, RegExp]>([
      ['a missing service', {}, /^Invalid input: field 'service': is required/],
      ['a non-string service', { service: 42 }, /'service': must be a string/],
      [
        'an oversized service',
        { service: 'a'.repeat(254) },
        /'service': must be at most 253 characters/,
      ],
      [
        'a service with a line separator',
        { service: 'payments\u2028api' },
        /'service': must not contain control characters/,
      ],
      [
        'an invalid event name',
        { service: 'x', name: 'scaffold completed' },
        /^Invalid input: field 'name'/,
      ],
      [
        'an event name with a template expression',
        { service: 'x', name: '${{ parameters.name }}' },
        /^Invalid input: field 'name'/,
      ],
      [
        'an oversized event name',
        { service: 'x', name: `a.${'b'.repeat(100)}` },
        /'name': must be at most 100 characters/,
      ],
      [
        'attributes that are a list',
        { service: 'x', attributes: ['a'] },
        /^Invalid input: field 'attributes': must be an object/,
      ],
      [
        'a nested attribute',
        { service: 'x', attributes: { a: { b: 1 } } },
        /^Invalid input: field 'attributes\.a': must be a string, number or boolean/,
      ],
      [
        'a null attribute',
        { service: 'x', attributes: { a: null } },
        /^Invalid input: field 'attributes\.a'/,
      ],
      [
        'an oversized attribute value',
        { service: 'x', attributes: { a: 'v'.repeat(1001) } },
        /'attributes\.a': must be at most 1000 characters/,
      ],
      [
        'too many attributes',
        {
          service: 'x',
          attributes: Object.fromEntries(
            Array.from({ length: 51 }, (_, i) => [`k${i}`, i]),
          ),
        },
        /'attributes': must have at most 50 entries/,
      ],
      [
        'an attribute key with a path',
        { service: 'x', attributes: { '../etc': 'x' } },
        /^Invalid input: field 'attributes\.\.\.\/etc'/,
      ],
      [
        'a __proto__ attribute',
        { service: 'x', attributes: JSON.parse('{"__proto__": "x"}') },
        /^Invalid input: field 'attributes\.__proto__': keys must start with a letter/,
      ],
      [
        'an attribute value with a NUL character',
        { service: 'x', attributes: { a: 'before\u0000after' } },
        /'attributes\.a': must not contain control characters/,
      ],
      [
        'an infinite attribute value',
        { service: 'x', attributes: { a: Infinity } },
        /'attributes\.a': must be a finite number/,
      ],
      [
        'a non-boolean required',
        { service: 'x', required: 'yes' },
        /'required': must be a boolean/,
      ],
      [
        'an unknown input',
        { service: 'x', token: 'x' },
        /Invalid input: unknown field 'token'/,
      ],
    ])('rejects %s without sending', async (_, input, message) => {
      const action = createTestAction(server, endpointConfig());

      const { error } = await run(action, {
        taskId: newTask(new Date()),
        input,
      });

      expect(error).toBeInstanceOf(InputError);
      expect(error?.message).toMatch(message);
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('config', () => {
    it.each<[string, JsonObject, RegExp]>([
      [
        'an endpoint that is not a URL',
        { endpoint: 'events.example.com/in' },
        /^Invalid config 'pavedRoad\.events\.endpoint'/,
      ],
      [
        'an endpoint that is not http(s)',
        { endpoint: 'ftp://events.example.com/in' },
        /^Invalid config 'pavedRoad\.events\.endpoint': must be an http or https URL/,
      ],
      [
        'an endpoint with credentials',
        { endpoint: `https://user:${TOKEN}@events.example.com/in` },
        /^Invalid config 'pavedRoad\.events\.endpoint': must not contain credentials/,
      ],
      [
        'a zero timeout',
        { endpoint: 'https://events.example.com/in', timeoutMs: 0 },
        /^Invalid config 'pavedRoad\.events\.timeoutMs'/,
      ],
      [
        'a negative retry count',
        { endpoint: 'https://events.example.com/in', retries: -1 },
        /^Invalid config 'pavedRoad\.events\.retries'/,
      ],
      [
        'too many retries',
        { endpoint: 'https://events.example.com/in', retries: 100 },
        /^Invalid config 'pavedRoad\.events\.retries'/,
      ],
      [
        'an allowed host that is a URL',
        {
          endpoint: 'https://events.example.com/in',
          allowedHosts: ['https://events.example.com/'],
        },
        /^Invalid config 'pavedRoad\.events\.allowedHosts'/,
      ],
    ])(
      'rejects %s when the config is read at startup',
      (_, events, message) => {
        let error: Error | undefined;
        try {
          readPavedRoadConfig(
            new ConfigReader({
              pavedRoad: { events: { token: TOKEN, ...events } },
            }),
          );
        } catch (e) {
          error = e as Error;
        }
        expect(error?.message).toMatch(message);
        expect(error?.message).not.toContain(TOKEN);
      },
    );
  });

  describe('examples', () => {
    it.each(examples.map(e => [e.description, e.example]))(
      'runs the example: %s',
      async (_, yaml) => {
        const input = parse(yaml).steps[0].input;
        const action = createTestAction(server, endpointConfig());
        const taskId = newTask(new Date());

        const { outputs, error } = await run(action, { taskId, input });

        expect(error).toBeUndefined();
        expect(parse(yaml).steps[0].action).toBe(action.id);
        expect(outputs.delivered).toBe(true);
        const event = JSON.parse(server.events()[0].body);
        expect(event.service).toBe(input.service);
        expect(event.name).toBe(input.name ?? 'scaffold.completed');
        expect(event.attributes).toEqual(input.attributes ?? {});
      },
    );
  });
});
