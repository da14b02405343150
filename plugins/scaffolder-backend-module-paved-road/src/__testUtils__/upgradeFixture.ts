import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { JsonObject } from '@backstage/types';
import { stringify } from 'yaml';
import { RepositoryPages } from '../browse/pages';
import { LocalRepositoryHost } from '../publish/LocalRepositoryHost';
import { RepositoryRef } from '../publish/RepositoryHost';
import { SkeletonRenderer } from '../skeletons/SkeletonRenderer';
import {
  ANSWERS_FILE,
  stringifyAnswers,
  TEMPLATE_VERSION_ANNOTATION,
} from '../upgrade/answers';
import { PortalSources } from '../upgrade/portalSources';
import { renderLayers } from '../upgrade/renderLayers';
import { createUpgradeEngine, UpgradeEngine } from '../upgrade/upgradeService';
import { gitCli, portalContext, writeFiles } from './portalContext';

const AUTHOR = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com'];

/** Writes (or, for undefined, removes) files below `dir` and commits them all. */
export function commitFiles(
  dir: string,
  files: Record<string, string | undefined>,
  message: string,
): string {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    if (content === undefined) {
      fs.rmSync(file);
    } else {
      writeFiles(dir, { [relative]: content });
    }
  }
  gitCli(dir, ['add', '--all']);
  gitCli(dir, [...AUTHOR, 'commit', '--quiet', '-m', message]);
  return gitCli(dir, ['rev-parse', 'HEAD']);
}

/** A template of the fixture portal, at `version`. */
export function templateFile(name: string, version: number): string {
  return stringify({
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name,
      annotations: { [TEMPLATE_VERSION_ANNOTATION]: String(version) },
    },
    spec: { steps: [] },
  });
}

/**
 * A portal repository (skeletons/ and templates/ under git, as in this monorepo) and a
 * local repository host, for upgrade tests on real git: `scaffold` makes a service the
 * way a golden path does (skeleton layers rendered, answers recorded, one commit).
 */
export async function upgradeFixture(options: {
  template: string;
  skeletons: Record<string, Record<string, string>>;
}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrade-'));
  const portal = path.join(root, 'portal');
  const reposDir = path.join(root, 'repos');
  fs.mkdirSync(portal);
  fs.mkdirSync(reposDir);
  gitCli(portal, ['init', '--quiet', '--initial-branch=main']);
  const files: Record<string, string> = {
    [`templates/${options.template}/template.yaml`]: templateFile(
      options.template,
      1,
    ),
  };
  for (const [layer, layerFiles] of Object.entries(options.skeletons)) {
    for (const [file, content] of Object.entries(layerFiles)) {
      files[`skeletons/${layer}/${file}`] = content;
    }
  }
  commitFiles(portal, files, 'Version 1');

  const host = LocalRepositoryHost.create({
    directory: reposDir,
    author: { name: 'Paved Road', email: 'paved-road@example.com' },
    initialCommitMessage: 'Initial commit',
    pages: RepositoryPages.create({ portalBaseUrl: 'http://localhost:3000' }),
  });
  const renderer = SkeletonRenderer.create({
    location: { kind: 'dir', dir: path.join(portal, 'skeletons') },
    reader: mockServices.urlReader.mock(),
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  const engine: UpgradeEngine = await createUpgradeEngine({ host, renderer });
  const scratch = path.join(root, 'scratch');
  fs.mkdirSync(scratch);
  const ctx = () =>
    portalContext({
      input: {},
      workspacePath: fs.mkdtempSync(path.join(scratch, 'ws-')),
      temporaryRoot: scratch,
    }).ctx;

  return {
    root,
    portal,
    host,
    renderer,
    engine,
    ctx,
    commitPortal: (
      changed: Record<string, string | undefined>,
      version: number,
    ) =>
      commitFiles(
        portal,
        {
          ...changed,
          [`templates/${options.template}/template.yaml`]: templateFile(
            options.template,
            version,
          ),
        },
        `Version ${version}`,
      ),
    /** Makes `<owner>/<name>` from the current skeletons; returns its path. */
    async scaffold(
      repo: RepositoryRef,
      values: JsonObject,
      layers: string[],
    ): Promise<string> {
      const workspace = fs.mkdtempSync(path.join(scratch, 'scaffold-'));
      const out = path.join(workspace, 'out');
      await renderLayers({
        renderer,
        ctx: ctx(),
        layers,
        values: { ...values, templateVersion: '1' },
        outDir: out,
      });
      const sources = await PortalSources.find(path.join(portal, 'skeletons'));
      writeFiles(out, {
        [ANSWERS_FILE]: stringifyAnswers({
          template: options.template,
          version: 1,
          portalRevision: await sources!.revision(),
          skeletons: layers,
          values,
        }),
      });
      const created = await host.createRepository({
        repo,
        sourceDir: out,
        logger: mockServices.logger.mock(),
      });
      return created.localPath!;
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** The real skeleton layers of the Node.js HTTP service, in render order. */
export const NODE_HTTP_LAYERS = ['service', 'node-common', 'node-http'];

/** Each of `layers`' files under the portal's skeletons/, by layer and relative path. */
export function readSkeletonLayers(
  layers: string[],
): Record<string, Record<string, string>> {
  const root = path.resolve(__dirname, '../../../../skeletons');
  const read: Record<string, Record<string, string>> = {};
  for (const layer of layers) {
    const dir = path.join(root, layer);
    read[layer] = {};
    for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
      if (fs.statSync(path.join(dir, file)).isFile()) {
        read[layer][file.split(path.sep).join('/')] = fs.readFileSync(
          path.join(dir, file),
          'utf8',
        );
      }
    }
  }
  return read;
}
