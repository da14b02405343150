import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
// scripts/artifact is the repository's tooling (yarn artifact), in no package
/* eslint-disable @backstage/no-relative-monorepo-imports */
import {
  Artifact,
  ensureArtifact,
  readRepoRecipe,
  REPO_ROOT,
} from '../../../../scripts/artifact/artifact';
import {
  dockerignoreMatcher,
  readRecipe,
} from '../../../../scripts/artifact/dockerfile';
import {
  BackendProcess,
  createDatabase,
  freePort,
  productionEnv,
  spawnArtifact,
  waitUntilReady,
} from '../../../../scripts/artifact/production';
/* eslint-enable @backstage/no-relative-monorepo-imports */
import {
  expectedSampleEntities,
  listEntityRefs,
  missingFrom,
} from './__testUtils__/sampleCatalog';
import { eventually } from './__testUtils__/runBackend';

// The production artifact: `yarn build:backend`, then packages/backend/Dockerfile's steps
// in a scratch directory (scripts/artifact), started as the image starts it. The first
// build in a run takes a minute or two; the next tests and the browser journey reuse it.

jest.setTimeout(900_000);

const dockerfile = fs.readFileSync(
  path.join(REPO_ROOT, 'packages/backend/Dockerfile'),
  'utf8',
);

describe('the image recipe', () => {
  const recipe = readRepoRecipe();

  it('is a host build on Node 22 slim that runs as the node user', () => {
    expect(recipe.baseImage).toMatch(/^node:22-[a-z]+-slim$/);
    expect(recipe.user).toBe('node');
    expect(recipe.env.NODE_ENV).toBe('production');
    expect(recipe.command).toEqual([
      'node',
      'packages/backend',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
    ]);
    const runs = recipe.steps.flatMap(step =>
      step.kind === 'run' ? [step.command] : [],
    );
    expect(runs).toContain('yarn workspaces focus --all --production');
    // the native modules are compiled in the image: a compiler comes with the system
    expect(dockerfile).toMatch(/apt-get install[^\n]* g\+\+ make/);
  });

  it('keeps sources, dependencies, .git and local secrets out of the build context', () => {
    const ignored = dockerignoreMatcher(
      fs.readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8'),
    );
    for (const file of [
      'node_modules/pg/package.json',
      'skeletons/node-http/node_modules/x/index.js',
      'packages/backend/src/index.ts',
      'plugins/scorecard-backend/src/plugin.ts',
      'app-config.local.yaml',
      '.env',
      '.git/HEAD',
      '.portal-data/sqlite/catalog.sqlite',
    ]) {
      expect([file, ignored(file)]).toEqual([file, true]);
    }
    for (const step of recipe.steps) {
      for (const source of step.kind === 'copy' ? step.sources : []) {
        expect([source, ignored(source)]).toEqual([source, false]);
      }
    }
  });

  it('refuses an instruction the host could not follow, so no step goes untested', () => {
    const withAdd = dockerfile.replace(
      'COPY --chown=node:node config ./config',
      'ADD https://example.com/tool.tgz /opt/',
    );
    expect(() => readRecipe(withAdd)).toThrow(
      /Dockerfile line \d+: ADD is not understood by scripts\/artifact/,
    );
    expect(() =>
      readRecipe(dockerfile.replace(/^WORKDIR \/app$/m, 'ARG X\nWORKDIR /app')),
    ).toThrow(/ARG before WORKDIR is not understood/);
  });
});

describe('the production artifact on PostgreSQL', () => {
  let artifact: Artifact;
  let backend: BackendProcess | undefined;
  let second: BackendProcess | undefined;
  let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
  let env: Record<string, string>;
  let started: number;
  const ciToken = randomBytes(24).toString('base64url');

  beforeAll(async () => {
    artifact = await ensureArtifact({ log: () => {} });
    started = Date.now();
    database = await createDatabase('portal_artifact');
    const [port, secondPort] = [await freePort(), await freePort()];
    env = productionEnv({ port, database: database.name, ciToken });
    // two replicas at once on the empty database, as a new Deployment starts its pods
    const replicas = [
      spawnArtifact(artifact, { name: 'artifact', port, env }),
      spawnArtifact(artifact, {
        name: 'artifact, second replica',
        port: secondPort,
        env: { ...env, PORTAL_PORT: String(secondPort) },
      }),
    ];
    [backend, second] = replicas;
    await Promise.all(replicas.map(r => waitUntilReady(r, 240_000)));
  });

  afterAll(async () => {
    for (const replica of [backend, second]) {
      await replica?.stop();
      if (replica) {
        fs.rmSync(path.dirname(replica.logFile), {
          recursive: true,
          force: true,
        });
      }
    }
    await database?.drop();
  });

  it('starts two replicas at once on an empty database: one migrates, the other waits for it', () => {
    const waited = [backend!, second!].filter(replica =>
      replica
        .lines()
        .some(line =>
          /^Another replica is starting/.test(String(line.json?.message)),
        ),
    );
    expect(waited).toHaveLength(1);
    for (const replica of [backend!, second!]) {
      const errors = replica
        .lines()
        .filter(line => line.json?.level === 'error')
        .map(line => line.text);
      expect([replica.name, errors]).toEqual([replica.name, []]);
    }
  });

  it('serves the built app with its production config', async () => {
    const res = await fetch(`${backend!.baseUrl}/catalog`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<title>Paved Road</title>');
    // app-backend writes the frontend's config into the page at start
    expect(html).toContain(env.PORTAL_BASE_URL);
    const script = /src="(\/static\/runtime\.[0-9a-f]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${backend!.baseUrl}${script}`)).status).toBe(200);
  });

  it('reads the catalog and templates that the image carries', async () => {
    const listed = await eventually(
      async () => {
        const refs = await listEntityRefs(backend!.baseUrl, ciToken);
        return missingFrom(refs).length === 0 ? refs : undefined;
      },
      120_000,
      'the sample catalog in the artifact',
    );
    expect(listed.size).toBeGreaterThanOrEqual(expectedSampleEntities().length);
    expect(listed).toContain('template:http-service');
  });

  it('answers errors without a stack trace and without echoing the request', async () => {
    const marker = `probe${randomBytes(6).toString('hex')}`;
    const auth = { authorization: `Bearer ${ciToken}` };
    const probes: Array<[string, RequestInit, number]> = [
      [
        `/api/catalog/entities/by-name/component/default/${marker}`,
        { headers: auth },
        404,
      ],
      [
        `/api/catalog/entities/by-query?limit=${marker}`,
        { headers: auth },
        400,
      ],
      [`/api/scorecard/overview?${marker}=1`, { headers: auth }, 403],
      [`/api/scaffolder/v2/tasks?${marker}=1`, {}, 401],
      [
        `/api/catalog/locations?${marker}=1`,
        {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: `{"${marker}":`,
        },
        400,
      ],
    ];
    for (const [route, init, status] of probes) {
      const res = await fetch(`${backend!.baseUrl}${route}`, init);
      const text = await res.text();
      expect([route, res.status]).toEqual([route, status]);
      const body = JSON.parse(text);
      expect(body.error).toEqual(
        expect.objectContaining({ name: expect.any(String) }),
      );
      expect([route, body.error.stack, body.request]).toEqual([
        route,
        undefined,
        undefined,
      ]);
      // the message may name what was not found; nothing else repeats the request
      const { message: _message, ...error } = body.error;
      const rest = JSON.stringify({ ...body, error });
      expect([route, rest.includes(marker)]).toEqual([route, false]);
      expect(text).not.toMatch(/\bat .+\.js:\d+/);
    }
  });

  it('logs one JSON object per line, database driver and library warnings included', () => {
    const lines = backend!.lines();
    expect(lines.length).toBeGreaterThan(20);
    const stray = lines.filter(line => !line.json).map(line => line.text);
    expect(stray).toEqual([]);
    for (const { json } of lines) {
      expect(json).toEqual(
        expect.objectContaining({
          level: expect.any(String),
          message: expect.any(String),
          timestamp: expect.any(String),
        }),
      );
    }
  });

  it('stops with a message naming each missing variable, without a stack trace', async () => {
    const missing = { ...env, PORTAL_PORT: String(await freePort()) };
    delete (missing as Record<string, string | undefined>).POSTGRES_HOST;
    delete (missing as Record<string, string | undefined>).DEPLOY_GATE_TOKEN;
    const failed = spawnArtifact(artifact, {
      name: 'artifact without variables',
      port: Number(missing.PORTAL_PORT),
      env: missing,
    });
    expect(await failed.exited).toBe(78);
    const output = failed.output();
    fs.rmSync(path.dirname(failed.logFile), { recursive: true, force: true });
    expect(output).toContain(
      'Cannot start: 2 required environment variables are not set',
    );
    expect(output).toMatch(
      /- DEPLOY_GATE_TOKEN \(used in .*app-config\.production\.yaml\)/,
    );
    expect(output).toMatch(/- POSTGRES_HOST \(used in /);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('shuts down cleanly on SIGTERM, as Kubernetes stops a pod', async () => {
    const stopping = Date.now();
    await second!.stop();
    expect(await second!.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
  });

  it('writes nothing into its own directory, which is read-only in the pod', () => {
    const written: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(file);
        } else if (fs.statSync(file).mtimeMs >= started) {
          written.push(path.relative(artifact.dir, file));
        }
      }
    };
    for (const entry of fs.readdirSync(artifact.dir)) {
      if (
        entry !== 'node_modules' &&
        fs.statSync(path.join(artifact.dir, entry)).isDirectory()
      ) {
        walk(path.join(artifact.dir, entry));
      }
    }
    expect(written).toEqual([]);
  });
});
