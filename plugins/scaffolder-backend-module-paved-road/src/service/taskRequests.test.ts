import fs from 'node:fs';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import fc from 'fast-check';
import request from 'supertest';
import { parse } from 'yaml';
import { scaffolderModulePavedRoad } from '../module';
import {
  formValues,
  REPO_ROOT,
} from '../goldenPaths/__testUtils__/portalBackend';

// The module's middleware in front of the real scaffolder router: what a client that
// skips the form (or sends something else entirely) gets back.

const goldenPath = parse(
  fs.readFileSync(
    path.join(REPO_ROOT, 'templates/http-service/template.yaml'),
    'utf8',
  ),
) as Entity;

const existing: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments-team',
  },
};

type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];
let server: Server;

beforeAll(async () => {
  ({ server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModulePavedRoad,
      catalogServiceMock.factory({
        entities: [
          {
            ...goldenPath,
            metadata: { ...goldenPath.metadata, namespace: 'default' },
          },
          existing,
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          pavedRoad: {
            publish: { target: 'local', local: { directory: '/tmp/none' } },
          },
        },
      }),
    ],
  }));
});

const createTask = (body: unknown) =>
  request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', mockCredentials.user.header())
    .send(body as object);

const dryRun = (body: unknown) =>
  request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('Authorization', mockCredentials.user.header())
    .send(body as object);

const values = formValues('http-service', 'node');

describe('POST /v2/tasks', () => {
  it.each([
    ['costCenter', '1001', 'A cost center looks like CC-1001.'],
    [
      'onCall',
      'pagerduty',
      'A PagerDuty service id starts with P, then 5 to 13 capital letters or digits, like PABC123.',
    ],
    [
      'name',
      'Orders_Service',
      'Use 1 to 63 lowercase letters, digits and dashes, starting with a letter and not ending with a dash (a DNS-1123 label).',
    ],
    [
      'owner',
      'team payments',
      'Pick a team, like group:default/payments-team (or just payments-team).',
    ],
    [
      'description',
      'Takes orders\u0000',
      'Write one line of text, without control characters or template expressions.',
    ],
    [
      'repoUrl',
      'github.com?owner=Paved_Road&repo=orders',
      'Pick a GitHub organization and a repository name; both are lowercase letters, digits and dashes.',
    ],
  ])(
    "answers a bad %s with 400 and the template's own message",
    async (field, value, message) => {
      const res = await createTask({
        templateRef: 'template:default/http-service',
        values: { ...values, [field]: value },
      });

      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        name: 'InputError',
        message: `Invalid values: field '${field}': ${message}`,
      });
      expect(JSON.stringify(res.body)).not.toContain('does not match pattern');
    },
  );

  it('names every field at fault, a missing one too', async () => {
    const { costCenter: _, ...withoutCostCenter } = values;
    const res = await createTask({
      templateRef: 'template:default/http-service',
      values: { ...withoutCostCenter, onCall: 'x' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "Invalid values: field 'costCenter': is required; field 'onCall': A PagerDuty service id starts with P, then 5 to 13 capital letters or digits, like PABC123.",
    );
  });

  it('answers a malformed body with 400, without echoing it', async () => {
    const res = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .set('Content-Type', 'application/json')
      .send(
        '{"templateRef": "template:default/http-service", "values": {"secret-ish": "hunter2"',
      );
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message: 'Malformed request body: it is not valid JSON',
    });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it.each<[string, unknown, string]>([
    [
      'no templateRef',
      { values },
      "Invalid request: field 'templateRef': is required",
    ],
    [
      'a number for templateRef',
      { templateRef: 42, values },
      "Invalid request: field 'templateRef': must be a template reference",
    ],
    [
      'values that are no object',
      { templateRef: 'template:default/http-service', values: 'x' },
      "Invalid request: field 'values': must be an object",
    ],
  ])('answers %s with a 400 naming the field', async (_, body, message) => {
    const res = await createTask(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });

  it('answers the name of a component the catalog has with 409, before any step runs', async () => {
    const res = await createTask({
      templateRef: 'template:default/http-service',
      values: { ...values, name: 'payments-api' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({
      name: 'ConflictError',
      message:
        "Invalid values: field 'name': component:default/payments-api already exists (owned by group:default/payments-team): choose another name",
    });
  });

  it('leaves a template it does not know to the scaffolder', async () => {
    const res = await createTask({
      templateRef: 'template:default/nowhere',
      values,
    });
    expect(res.status).toBe(404);
  });

  it('lets good values through to the scaffolder, which creates the task', async () => {
    const res = await createTask({
      templateRef: 'template:default/http-service',
      values,
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toEqual(expect.any(String));
  });

  it('answers any text in a free-text field with 201 or a 400 naming it, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.string({ unit: 'binary', maxLength: 10 }),
          fc.constantFrom('${{ parameters.name }}', '\u0000', 'a\nb', ''),
        ),
        fc.constantFrom(
          'description',
          'costCenter',
          'onCall',
          'owner',
          'system',
        ),
        async (text, field) => {
          const res = await createTask({
            templateRef: 'template:default/http-service',
            values: { ...values, [field]: text },
          });
          const outcome =
            res.status === 201 ||
            (res.status === 400 &&
              String(res.body.error?.message).includes(`field '${field}'`))
              ? 'created, or refused naming the field'
              : `${res.status} ${JSON.stringify(res.body)}`;
          expect(outcome).toBe('created, or refused naming the field');
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('POST /v2/dry-run', () => {
  const body = {
    template: goldenPath,
    values,
    directoryContents: [],
  };

  it.each<[string, unknown, string]>([
    [
      'no template',
      { ...body, template: undefined },
      "field 'template': is required",
    ],
    [
      'a template that is a string',
      { ...body, template: 'x' },
      "field 'template': must be a Template entity",
    ],
    [
      'something that is no Template',
      {
        ...body,
        template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } },
      },
      "field 'template': not a scaffolder.backstage.io/v1beta3 Template",
    ],
    [
      'a Template without steps',
      {
        ...body,
        template: {
          ...goldenPath,
          spec: { ...goldenPath.spec, steps: undefined },
        },
      },
      "field 'template': not a valid Template",
    ],
    [
      'directoryContents that are no list',
      { ...body, directoryContents: {} },
      "field 'directoryContents': must be a list of files",
    ],
    [
      'a secret that is no string',
      { ...body, secrets: { token: 42 } },
      "field 'secrets.token': must be a string",
    ],
  ])(
    'answers %s with 400 naming the field, without a stack trace',
    async (_, sent, message) => {
      const res = await dryRun(sent);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(message);
      expect(JSON.stringify(res.body)).not.toMatch(/\\n\s+at /);
    },
  );

  it('answers values the template refuses with its own message', async () => {
    const res = await dryRun({
      ...body,
      values: { ...values, costCenter: '1001' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "Invalid values: field 'costCenter': A cost center looks like CC-1001.",
    );
  });
});

describe('GET /v2/tasks/:id', () => {
  it('answers an id that is no task id with 404, as it answers an unknown one', async () => {
    for (const id of [
      'not-a-task-id',
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const res = await request(server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set('Authorization', mockCredentials.user.header());
      expect([id, res.status]).toEqual([id, 404]);
    }
    const events = await request(server)
      .get('/api/scaffolder/v2/tasks/not-a-task-id/events')
      .set('Authorization', mockCredentials.user.header());
    expect(events.status).toBe(404);
    expect(events.body.error.message).toBe("No task 'not-a-task-id'");
  });
});
