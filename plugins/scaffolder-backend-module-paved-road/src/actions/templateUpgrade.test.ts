import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotImplementedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parse } from 'yaml';
import { gitCli, portalContext } from '../__testUtils__/portalContext';
import { upgradeFixture } from '../__testUtils__/upgradeFixture';
import { createTemplateUpgradeAction } from './templateUpgrade';
import { examples } from './templateUpgrade.examples';

const SKELETONS = {
  service: {
    Dockerfile: 'FROM node:22-alpine\nUSER node\n',
    'catalog-info.yaml': 'metadata:\n  name: ${{ values.name }}\n',
  },
};

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
  };
}

describe('portal:template:upgrade', () => {
  let fixture: Awaited<ReturnType<typeof upgradeFixture>>;
  let service: string;
  const catalog = catalogServiceMock({
    entities: [
      component('orders', { 'github.com/project-slug': 'acme/orders' }),
      component('no-repo', {}),
    ],
  });

  beforeEach(async () => {
    fixture = await upgradeFixture({
      template: 'tiny-service',
      skeletons: SKELETONS,
    });
    service = await fixture.scaffold(
      { host: 'github.com', owner: 'acme', name: 'orders' },
      { name: 'orders' },
      ['service'],
    );
    fixture.commitPortal(
      {
        'skeletons/service/Dockerfile': 'FROM node:22.12-alpine\nUSER node\n',
      },
      2,
    );
  });
  afterEach(() => fixture.cleanup());

  function run(input: unknown, isDryRun = false, taskId?: string) {
    const action = createTemplateUpgradeAction({
      engine: fixture.engine,
      catalog,
    });
    const workspacePath = fs.mkdtempSync(path.join(fixture.root, 'ws-'));
    const { ctx, outputs } = portalContext({
      input,
      workspacePath,
      isDryRun,
      taskId,
      temporaryRoot: fixture.root,
    });
    return action.handler(ctx).then(() => outputs);
  }

  it('opens the upgrade branch, then opens nothing when run again', async () => {
    const first = await run({ entityRef: 'component:default/orders' });
    // another task asks again
    const again = await run({ entityRef: 'orders' }, false, 'another-task');

    expect(first).toEqual({
      state: 'proposed',
      template: 'tiny-service',
      version: 1,
      current: 2,
      created: true,
      branch: 'paved-road/upgrade-2',
      url: expect.stringMatching(
        /^http:\/\/localhost:3000\/repositories\/acme\/orders\/.*paved-road\/upgrade-2/,
      ),
      conflicts: [],
      superseded: [],
    });
    expect(again).toMatchObject({ created: false, url: first.url });
    expect(
      gitCli(service, ['rev-list', '--count', 'main..paved-road/upgrade-2']),
    ).toBe('1');
    expect(
      gitCli(service, ['show', 'paved-road/upgrade-2:Dockerfile']),
    ).toContain('node:22.12-alpine');
  });

  it('opens nothing in a dry run', async () => {
    const outputs = await run({ entityRef: 'orders' }, true);
    expect(outputs).toMatchObject({ state: 'proposed', created: true });
    expect(gitCli(service, ['branch', '--list'])).toBe('* main');
  });

  it('runs its examples', async () => {
    for (const example of examples) {
      const step = parse(example.example).steps[0];
      expect(step.action).toBe('portal:template:upgrade');
      const entityRef = String(step.input.entityRef).replace(
        '${{ parameters.service }}',
        'component:default/orders',
      );
      await expect(run({ entityRef })).resolves.toMatchObject({
        branch: 'paved-road/upgrade-2',
      });
    }
  });

  it.each([
    [{ entityRef: 'group:default/payments' }, /is not a Component reference/],
    [
      { entityRef: 'component:default/unknown' },
      /no component 'component:default\/unknown' that you can see/,
    ],
    [{ entityRef: 'no-repo' }, /has no 'github.com\/project-slug' annotation/],
    [{}, /'entityRef'/],
  ])('refuses %j, naming the problem', async (input, message) => {
    const error = await run(input).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
    expect(gitCli(service, ['branch', '--list'])).toBe('* main');
  });

  it('says so when the portal cannot render older versions', async () => {
    const action = createTemplateUpgradeAction({ catalog });
    const { ctx } = portalContext({
      input: { entityRef: 'orders' },
      workspacePath: fixture.root,
    });
    await expect(action.handler(ctx)).rejects.toThrow(NotImplementedError);
  });
});
