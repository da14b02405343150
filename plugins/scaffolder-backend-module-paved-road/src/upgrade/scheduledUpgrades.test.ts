import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { captureLogger } from '../__testUtils__/captureLogger';
import { gitCli } from '../__testUtils__/portalContext';
import { upgradeFixture } from '../__testUtils__/upgradeFixture';
import { TEMPLATE_ANNOTATION, TEMPLATE_VERSION_ANNOTATION } from './answers';
import {
  scheduleTemplateUpgrades,
  ScheduledUpgrades,
  UPGRADES_TASK_ID,
} from './scheduledUpgrades';
import { readUpgradesConfig } from './upgradeConfig';

const SKELETONS = {
  service: {
    Dockerfile: 'FROM node:22-alpine\nCMD ["node", "${{ values.name }}.js"]\n',
    'README.md': '# ${{ values.name }}\n',
  },
};

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/payments',
      lifecycle: 'production',
    },
  };
}

function madeAt(name: string, version: number, slug = `acme/${name}`) {
  return component(name, {
    [TEMPLATE_ANNOTATION]: 'tiny-service',
    [TEMPLATE_VERSION_ANNOTATION]: String(version),
    ...(slug ? { 'github.com/project-slug': slug } : {}),
  });
}

describe('scheduled template upgrades', () => {
  let fixture: Awaited<ReturnType<typeof upgradeFixture>>;
  const services: Record<string, string> = {};
  const upgradeBranches = (name: string) =>
    gitCli(services[name], [
      'branch',
      '--list',
      '--format=%(refname:short)',
      'paved-road/*',
    ])
      .split('\n')
      .filter(Boolean);

  beforeEach(async () => {
    fixture = await upgradeFixture({
      template: 'tiny-service',
      skeletons: SKELETONS,
    });
    for (const name of ['alpha', 'bravo', 'charlie', 'delta']) {
      services[name] = await fixture.scaffold(
        { host: 'github.com', owner: 'acme', name },
        { name },
        ['service'],
      );
    }
    fixture.commitPortal(
      {
        'skeletons/service/Dockerfile':
          'FROM node:22.12-alpine\nCMD ["node", "${{ values.name }}.js"]\n',
      },
      2,
    );
  });
  afterEach(() => fixture.cleanup());

  const catalog = () =>
    catalogServiceMock({
      entities: [
        madeAt('charlie', 1),
        madeAt('alpha', 1),
        madeAt('bravo', 1),
        // up to date per the catalog: not looked at
        madeAt('delta', 2),
        // behind, but no repository to propose to
        madeAt('echo', 1, ''),
        component('hand-made', { 'github.com/project-slug': 'acme/hand-made' }),
      ],
    });

  async function scheduled(schedule: object) {
    const { logger, lines } = captureLogger();
    const scheduler = mockServices.scheduler();
    await scheduleTemplateUpgrades({
      schedule: readUpgradesConfig(
        new ConfigReader({ pavedRoad: { upgrades: { schedule } } }),
      ).schedule,
      scheduler,
      upgrades: ScheduledUpgrades.create({
        engine: fixture.engine,
        catalog: catalog(),
        auth: mockServices.auth(),
        logger,
      }),
      logger,
    });
    return { scheduler, lines };
  }

  it('is off by default: nothing is scheduled', async () => {
    const { scheduler } = await scheduled({});
    expect(await scheduler.getScheduledTasks()).toEqual([]);
  });

  it('opens at most batchSize upgrades a run, the next ones on the next run, then nothing', async () => {
    const { scheduler, lines } = await scheduled({
      enabled: true,
      batchSize: 2,
    });
    expect(await scheduler.getScheduledTasks()).toEqual([
      expect.objectContaining({ id: UPGRADES_TASK_ID, scope: 'global' }),
    ]);

    await scheduler.triggerTask(UPGRADES_TASK_ID);
    expect(upgradeBranches('alpha')).toEqual(['paved-road/upgrade-2']);
    expect(upgradeBranches('bravo')).toEqual(['paved-road/upgrade-2']);
    expect(upgradeBranches('charlie')).toEqual([]);
    expect(upgradeBranches('delta')).toEqual([]);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^info Template upgrades: opened the upgrade of component:default\/alpha \(tiny-service version 1 to 2\) at http:\/\/localhost:3000\/repositories\/acme\/alpha\/compare\/paved-road\/upgrade-2$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^warn .*component:default\/echo .*no 'github.com\/project-slug' annotation/,
      ),
    );
    expect(lines).toContainEqual(
      'info Template upgrades: 3 services behind, opened 2, 0 open already, 0 failed, 1 left for the next run',
    );
    // the branch holds the template's change
    expect(
      gitCli(services.alpha, ['show', 'paved-road/upgrade-2:Dockerfile']),
    ).toContain('FROM node:22.12-alpine');

    lines.length = 0;
    await scheduler.triggerTask(UPGRADES_TASK_ID);
    expect(upgradeBranches('charlie')).toEqual(['paved-road/upgrade-2']);
    expect(lines).toContainEqual(
      'info Template upgrades: 3 services behind, opened 1, 2 open already, 0 failed, 0 left for the next run',
    );

    lines.length = 0;
    const heads = ['alpha', 'bravo', 'charlie'].map(name =>
      gitCli(services[name], ['rev-parse', 'paved-road/upgrade-2']),
    );
    await scheduler.triggerTask(UPGRADES_TASK_ID);
    expect(
      ['alpha', 'bravo', 'charlie'].map(name =>
        gitCli(services[name], ['rev-parse', 'paved-road/upgrade-2']),
      ),
    ).toEqual(heads);
    expect(lines).toContainEqual(
      'info Template upgrades: 3 services behind, opened 0, 3 open already, 0 failed, 0 left for the next run',
    );
  });

  it('in a dry run lists what it would open and opens nothing', async () => {
    const { scheduler, lines } = await scheduled({
      enabled: true,
      dryRun: true,
      frequency: { hours: 6 },
    });
    await scheduler.triggerTask(UPGRADES_TASK_ID);
    for (const name of ['alpha', 'bravo', 'charlie']) {
      expect(upgradeBranches(name)).toEqual([]);
      expect(lines).toContainEqual(
        expect.stringContaining(
          `info Template upgrades: would open the upgrade of component:default/${name} (tiny-service version 1 to 2)`,
        ),
      );
    }
    expect(lines).toContainEqual(
      'info Template upgrades (dry run): 3 services behind, would open 3, 0 open already, 0 failed, 0 left for the next run',
    );
  });

  it('logs a service it cannot upgrade and goes on with the others', async () => {
    const { logger, lines } = captureLogger();
    const upgrades = ScheduledUpgrades.create({
      engine: fixture.engine,
      catalog: catalogServiceMock({
        entities: [madeAt('alpha', 1), madeAt('bravo', 1, 'acme/gone')],
      }),
      auth: mockServices.auth(),
      logger,
    });
    const report = await upgrades.run({ batchSize: 10, dryRun: false });
    expect(report.opened.map(o => o.entityRef)).toEqual([
      'component:default/alpha',
    ]);
    expect(report.failed).toEqual([
      {
        entityRef: 'component:default/bravo',
        error: expect.stringContaining('acme/gone'),
      },
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^warn Template upgrades: could not upgrade component:default\/bravo/,
      ),
    );
  });

  it('refuses a wrong schedule, naming the key', () => {
    const read = (schedule: object) =>
      readUpgradesConfig(
        new ConfigReader({ pavedRoad: { upgrades: { schedule } } }),
      );
    expect(() => read({ batchSize: 0 })).toThrow(
      "Invalid config 'pavedRoad.upgrades.schedule.batchSize': must be a whole number from 1 to 1000",
    );
    expect(() => read({ frequency: 'often' })).toThrow(
      "Invalid config 'pavedRoad.upgrades.schedule.frequency'",
    );
    expect(read({}).schedule).toMatchObject({
      enabled: false,
      batchSize: 10,
      dryRun: false,
      frequency: { days: 1 },
    });
  });
});
