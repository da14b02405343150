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

describe('catalogModulePavedRoad', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-repo-'));
    file = path.join(dir, 'catalog-info.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: billing-api\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/payments-team\n',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function register(target: string | undefined) {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModulePavedRoad,
        mockServices.rootConfig.factory({
          data: target ? { pavedRoad: { publish: { target } } } : {},
        }),
      ],
    });
    return request(server)
      .post('/api/catalog/locations')
      .set('Authorization', mockCredentials.user.header())
      .send({ type: 'file', target: file });
  }

  it('lets the catalog register local repositories when golden paths publish locally', async () => {
    const res = await register('local');
    expect(res.status).toBe(201);
    expect(res.body.location).toMatchObject({ type: 'file', target: file });
  });

  it('keeps file locations out when golden paths publish to GitHub', async () => {
    for (const target of ['github', undefined]) {
      const res = await register(target);
      expect(res.status).toBe(400);
    }
  });
});
