import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { captureLogger } from '../__testUtils__/captureLogger';
import { gitCli } from '../__testUtils__/portalContext';
import { upgradeFixture } from '../__testUtils__/upgradeFixture';
import { readUpgradesConfig } from './upgradeConfig';
import { upgradeService } from './upgradeService';
import { setUpUpgrades } from './upgradeSetup';

const SKELETONS = {
  service: {
    Dockerfile: 'FROM node:22-alpine\n',
    'README.md': '# ${{ values.name }}\n',
  },
};
const repo = { host: 'github.com', owner: 'acme', name: 'orders' };

describe('template upgrades in production (no .git beside the skeletons)', () => {
  let fixture: Awaited<ReturnType<typeof upgradeFixture>>;
  let image: string;
  let workingDirectory: string;

  beforeEach(async () => {
    fixture = await upgradeFixture({
      template: 'tiny-service',
      skeletons: SKELETONS,
    });
    // what the container image has: the files, without their history
    image = path.join(fixture.root, 'image');
    fs.cpSync(
      path.join(fixture.portal, 'skeletons'),
      path.join(image, 'skeletons'),
      {
        recursive: true,
      },
    );
    workingDirectory = path.join(fixture.root, 'work');
  });
  afterEach(() => fixture.cleanup());

  function start(upgrades: object) {
    const { logger, lines } = captureLogger();
    const engine = setUpUpgrades({
      config: readUpgradesConfig(new ConfigReader({ pavedRoad: { upgrades } })),
      host: fixture.host,
      skeletons: fixture.renderer.at(path.join(image, 'skeletons')),
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      workingDirectory,
      logger,
    });
    return { engine, lines };
  }

  it('says at startup that upgrades are off, and what to set, without the history', async () => {
    const { engine, lines } = start({});
    expect(await engine).toBeUndefined();
    expect(lines).toEqual([
      expect.stringMatching(
        /^warn Template upgrades are off: the skeletons \(.*image\/skeletons\) are in no git repository with its history, as in a container image; set pavedRoad.upgrades.portalRepository to the portal's repository; see the scaffolder module's README, 'Template upgrades in production'$/,
      ),
    ]);
  });

  it('clones pavedRoad.upgrades.portalRepository into the working directory, fetches it again on the next start, and upgrades from it', async () => {
    await fixture.scaffold(repo, { name: 'orders' }, ['service']);
    const first = start({ portalRepository: { url: fixture.portal } });
    const engine = await first.engine;
    expect(engine?.sources.root).toBe(
      path.join(workingDirectory, 'paved-road-portal'),
    );
    expect(first.lines).toEqual([
      expect.stringMatching(
        /^info Template upgrades: skeletons and their history from .*work\/paved-road-portal at [0-9a-f]{12}$/,
      ),
    ]);
    expect(await engine!.sources.currentVersion('tiny-service')).toBe(1);

    const released = fixture.commitPortal(
      { 'skeletons/service/Dockerfile': 'FROM node:22.12-alpine\n' },
      2,
    );
    const restarted = await start({
      portalRepository: { url: fixture.portal, ref: 'main' },
    }).engine;
    expect(await restarted!.sources.revision()).toBe(released);
    expect(await restarted!.sources.currentVersion('tiny-service')).toBe(2);

    const outcome = await upgradeService(restarted!, {
      repo,
      ctx: fixture.ctx(),
    });
    expect(outcome).toMatchObject({
      state: 'proposed',
      created: true,
      changed: ['Dockerfile'],
    });
    const service = path.join(fixture.root, 'repos', 'acme', 'orders');
    expect(gitCli(service, ['show', 'paved-road/upgrade-2:Dockerfile'])).toBe(
      'FROM node:22.12-alpine',
    );
  });

  it('starts with upgrades off, saying why, when the repository cannot be fetched', async () => {
    const { engine, lines } = start({
      portalRepository: { url: path.join(fixture.root, 'nowhere') },
    });
    expect(await engine).toBeUndefined();
    expect(lines).toEqual([
      expect.stringMatching(
        /^warn Template upgrades are off: pavedRoad.upgrades.portalRepository could not fetch main of .*nowhere into .*paved-road-portal: .*/,
      ),
    ]);
  });

  it('refuses a URL with a password in it, naming the key', () => {
    expect(() =>
      readUpgradesConfig(
        new ConfigReader({
          pavedRoad: {
            upgrades: {
              portalRepository: {
                url: 'https://me:hunter2@git.example.com/portal.git',
              },
            },
          },
        }),
      ),
    ).toThrow(
      "Invalid config 'pavedRoad.upgrades.portalRepository.url': must not carry a password",
    );
  });
});
