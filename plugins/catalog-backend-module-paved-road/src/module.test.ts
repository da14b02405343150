import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import { catalogModulePavedRoad } from './module';

const component = (name: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/payments-team\n`;

describe('catalogModulePavedRoad', () => {
  // repos/ is where golden paths publish; secret/ sits beside it, outside.
  let dir: string;
  let repos: string;
  let file: string;
  let secret: string;
  let servers: Array<{ close(): void }> = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-data-'));
    repos = path.join(dir, 'repos');
    fs.mkdirSync(path.join(repos, 'payments-team', 'billing-api'), {
      recursive: true,
    });
    file = path.join(
      repos,
      'payments-team',
      'billing-api',
      'catalog-info.yaml',
    );
    fs.writeFileSync(file, component('billing-api'));
    fs.mkdirSync(path.join(dir, 'secret'));
    secret = path.join(dir, 'secret', 'catalog-info.yaml');
    fs.writeFileSync(secret, component('stolen'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    for (const server of servers) {
      server.close();
    }
    servers = [];
  });

  async function start(target: string | undefined, anonymous = false) {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModulePavedRoad,
        // The test backend lets requests without a token in as a user; not here.
        ...(anonymous
          ? [
              mockServices.httpAuth.factory({
                defaultCredentials: mockCredentials.none(),
              }),
            ]
          : []),
        mockServices.rootConfig.factory({
          data: target
            ? {
                pavedRoad: {
                  publish: { target, local: { directory: repos } },
                },
              }
            : {},
        }),
      ],
    });
    servers.push(server);
    return server;
  }

  const register = (
    server: Awaited<ReturnType<typeof start>>,
    target: string,
    dryRun = false,
  ) =>
    request(server)
      .post(`/api/catalog/locations${dryRun ? '?dryRun=true' : ''}`)
      .set('Authorization', mockCredentials.user.header())
      .send({ type: 'file', target });

  it('lets the catalog register local repositories when golden paths publish locally', async () => {
    const server = await start('local');
    const res = await register(server, file);
    expect(res.status).toBe(201);
    expect(res.body.location).toMatchObject({ type: 'file', target: file });
  });

  it('refuses file locations anywhere else, registered or dry-run, and stores nothing', async () => {
    const server = await start('local');
    for (const target of [
      '/etc/passwd',
      secret,
      path.join(repos, '..', 'secret', 'catalog-info.yaml'),
      path.join(dir, 'does-not-exist.yaml'),
    ]) {
      for (const dryRun of [false, true]) {
        const res = await register(server, target, dryRun);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(
          `File location '${target}' is refused`,
        );
        // Nothing about the file comes back: not its content, not whether it exists.
        expect(JSON.stringify(res.body)).not.toContain('stolen');
        expect(JSON.stringify(res.body)).not.toContain('root:');
      }
    }
    const stored = await request(server)
      .get('/api/catalog/locations')
      .set('Authorization', mockCredentials.user.header());
    expect(
      stored.body.map((l: { data: { target: string } }) => l.data.target),
    ).not.toContain(secret);
  });

  it('does not follow a symbolic link out of the repositories directory', async () => {
    const link = path.join(repos, 'payments-team', 'sneaky.yaml');
    fs.symlinkSync(secret, link);
    const server = await start('local');
    const res = await register(server, link, true);
    expect(res.status).toBe(400);
  });

  it('answers 401 before looking at the target of an anonymous request', async () => {
    const server = await start('local', true);
    const res = await request(server)
      .post('/api/catalog/locations')
      .send({ type: 'file', target: '/etc/passwd' });
    expect(res.status).toBe(401);
  });

  it('never reads a refused file a registered location points at', async () => {
    const pointer = path.join(repos, 'payments-team', 'pointer.yaml');
    fs.writeFileSync(
      pointer,
      `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: pointer\nspec:\n  type: file\n  target: ${secret}\n`,
    );
    const server = await start('local');
    const res = await register(server, pointer, true);
    // The dry run reads the pointer, then refuses the target it names.
    expect(JSON.stringify(res.body)).not.toContain('stolen');
    expect(JSON.stringify(res.body)).toContain(
      `File location '${secret}' is refused`,
    );
  });

  it('keeps file locations out when golden paths publish to GitHub', async () => {
    for (const target of ['github', undefined]) {
      const server = await start(target);
      const res = await register(server, file);
      expect(res.status).toBe(400);
    }
  });
});
