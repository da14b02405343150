import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { parse } from 'yaml';
import {
  expectCompleted,
  formValues,
  GoldenPathBackend,
  REPO_ROOT,
  runTemplate,
  startGoldenPathBackend,
} from './__testUtils__/portalBackend';

// Template upgrades through the real catalog and scaffolder on the embedded defaults:
// the golden path records how the service was made, the service's entity carries the
// version, and "Upgrade this service" finds it on the current version (the merge itself
// is src/upgrade/*.test.ts, on skeletons whose versions the tests make).

jest.setTimeout(300_000);

const run = promisify(execFile);
const NAME = 'billing-api';
const SERVICE = `component:default/${NAME}`;

let backend: GoldenPathBackend;
let repo: string;
const git = async (...args: string[]) =>
  (await run('git', ['-C', repo, ...args])).stdout.trim();
const currentVersion = Number(
  parse(
    fs.readFileSync(
      path.join(REPO_ROOT, 'templates/http-service/template.yaml'),
      'utf8',
    ),
  ).metadata.annotations['paved-road.io/template-version'],
);

beforeAll(async () => {
  backend = await startGoldenPathBackend();
  const created = await runTemplate(backend.server, 'http-service', {
    ...formValues('http-service', 'node'),
    name: NAME,
    repoUrl: `github.com?owner=paved-road-demo&repo=${NAME}`,
  });
  expectCompleted(created);
  repo = path.join(backend.reposDir, 'paved-road-demo', NAME);
});
afterAll(async () => {
  await backend?.close();
});

describe('a service made by the golden path', () => {
  it('records how it was made, in its first commit', async () => {
    const answers = parse(await git('show', 'main:.paved-road/answers.yaml'));
    const revision = (
      await run('git', [
        '-C',
        REPO_ROOT,
        'log',
        '-1',
        '--format=%H',
        'HEAD',
        '--',
        'skeletons',
        'templates',
      ])
    ).stdout.trim();
    expect(answers).toMatchObject({
      apiVersion: 'paved-road.io/v1',
      template: 'http-service',
      version: currentVersion,
      portalRevision: revision,
      skeletons: ['service', 'node-common', 'node-http'],
      values: {
        name: NAME,
        language: 'node',
        owner: 'group:default/payments-team',
        templateRef: 'template:default/http-service',
      },
    });
    expect(answers.values.templateVersion).toBeUndefined();
    expect(await git('rev-list', '--count', 'main')).toBe('1');
  });

  it('carries the template and its version as annotations', async () => {
    const res = await request(backend.server)
      .get(`/api/catalog/entities/by-name/component/default/${NAME}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.body.metadata.annotations).toMatchObject({
      'paved-road.io/template': 'http-service',
      'paved-road.io/template-version': String(currentVersion),
    });
  });
});

describe('Upgrade this service', () => {
  it('says the service is on the current version and opens nothing', async () => {
    const task = await runTemplate(backend.server, 'upgrade-service', {
      service: SERVICE,
    });

    expectCompleted(task);
    expect(task.log).toContain(
      `${SERVICE} is on http-service version ${currentVersion}, the current one: nothing to upgrade`,
    );
    expect(task.output.text[0].content).toBe(
      `Made from http-service version ${currentVersion}; the current version is ${currentVersion}.`,
    );
    expect(await git('for-each-ref', '--format=%(refname)', 'refs/heads')).toBe(
      'refs/heads/main',
    );
  });

  it('refuses answers the team edited into a template expression, naming the field', async () => {
    const file = path.join(repo, '.paved-road/answers.yaml');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      original.replace(`name: ${NAME}`, 'name: ${{ secrets.token }}'),
    );
    await git(
      '-c',
      'user.name=Dev',
      '-c',
      'user.email=dev@example.com',
      'commit',
      '-qam',
      'Edit the answers',
    );
    try {
      const task = await runTemplate(backend.server, 'upgrade-service', {
        service: SERVICE,
      });
      expect(task.status).toBe('failed');
      expect(task.log).toContain(
        ".paved-road/answers.yaml: 'values.name' holds a template expression",
      );
      expect(
        await git('for-each-ref', '--format=%(refname)', 'refs/heads'),
      ).toBe('refs/heads/main');
    } finally {
      fs.writeFileSync(file, original);
      await git(
        '-c',
        'user.name=Dev',
        '-c',
        'user.email=dev@example.com',
        'commit',
        '-qam',
        'Restore the answers',
      );
    }
  });
});
