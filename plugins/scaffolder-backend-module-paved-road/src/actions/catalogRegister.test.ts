import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  ConflictError,
  InputError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { stringify, parse } from 'yaml';
import { createCatalogRegisterAction } from './catalogRegister';
import { examples } from './catalogRegister.examples';
import { checkpointStore } from '../__testUtils__/harness';
import { publishOptions } from '../__testUtils__/pavedRoadOptions';
import { portalContext, writeFiles } from '../__testUtils__/portalContext';

type AddLocation = CatalogService['addLocation'];
type AddLocationResponse = Awaited<ReturnType<AddLocation>>;

const api: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'payments-api-http' },
  spec: { type: 'openapi', lifecycle: 'production', owner: 'payments-team' },
};
const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', description: 'Accepts payments' },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
};
// the Component is not the first document: the action must look for it
const catalogFile = `${stringify(api)}---\n${stringify(component)}`;

const contentsUrl = 'https://github.com/acme/payments-api/blob/main';
const catalogUrl = `${contentsUrl}/catalog-info.yaml`;

function locationResponse(
  type: string,
  target: string,
  entities: Entity[] = [],
): AddLocationResponse {
  return {
    location: {
      id: 'b7d2c1e0-5f4a-4c3b-9e8d-1a2b3c4d5e6f',
      type,
      target,
      entityRef: 'location:default/generated-3f0c9ae2b1',
    },
    entities,
    exists: false,
  };
}

/** `entity` as the catalog serves it once read from `locationRef`. */
function readFrom(entity: Entity, locationRef: string): Entity {
  return {
    ...entity,
    metadata: {
      namespace: 'default',
      ...entity.metadata,
      annotations: { 'backstage.io/managed-by-location': locationRef },
    },
  };
}

/**
 * The catalog's client (an HTTP service here) with every call recorded: it reads the
 * component of a location as soon as the location is added.
 */
function fakeCatalog() {
  const registered = new Map<string, AddLocationResponse['location']>();
  const addLocation = jest.fn<ReturnType<AddLocation>, Parameters<AddLocation>>(
    async request => {
      const response = locationResponse(request.type ?? 'url', request.target);
      if (!request.dryRun) {
        registered.set(`${response.location.type}:${request.target}`, {
          ...response.location,
        });
      }
      return response;
    },
  );
  const catalog = {
    addLocation,
    getEntities: jest.fn(),
    getEntityByRef: jest.fn(async (entityRef: string) => {
      const [ref] = registered.keys();
      const entity = [api, component].find(
        e => stringifyEntityRef(e) === entityRef,
      );
      return ref && entity ? readFrom(entity, ref) : undefined;
    }),
    getLocationByRef: jest.fn(async (ref: string) => registered.get(ref)),
    removeLocationById: jest.fn(async (id: string) => {
      for (const [ref, location] of registered) {
        if (location.id === id) {
          registered.delete(ref);
        }
      }
    }),
  } as Partial<CatalogService> as CatalogService;
  /** The location was added before (a recovered task); the catalog reads it next. */
  const registeredBefore = (type: string, target: string) => {
    registered.set(
      `${type}:${target}`,
      locationResponse(type, target).location,
    );
    (catalog.getEntityByRef as jest.Mock).mockResolvedValueOnce(undefined);
  };
  return { catalog, addLocation, registered, registeredBefore };
}

/** What the catalog client throws for an error answer, from the backend's error body. */
async function catalogErrorResponse(
  status: number,
  statusText: string,
  error: { name: string; message: string },
) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error,
        request: { method: 'POST', url: '/api/catalog/locations' },
        response: { statusCode: status },
      }),
      { status, statusText, headers: { 'content-type': 'application/json' } },
    ),
  );
}

describe('portal:catalog:register', () => {
  let root: string;
  let reposDir: string;
  let repoPath: string;
  let workspacePath: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-register-'));
    reposDir = path.join(root, 'repos');
    repoPath = path.join(reposDir, 'acme', 'payments-api');
    workspacePath = path.join(root, 'workspace');
    writeFiles(repoPath, { 'catalog-info.yaml': catalogFile });
    fs.mkdirSync(workspacePath);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const localConfig = () =>
    new ConfigReader({
      pavedRoad: {
        publish: { target: 'local', local: { directory: reposDir } },
      },
    });
  const githubConfig = new ConfigReader({
    pavedRoad: { publish: { target: 'github' } },
  });

  async function register(
    input: unknown,
    options: {
      config?: ConfigReader;
      catalog?: CatalogService;
      waitForEntity?: { timeoutMs: number; intervalMs: number };
      isDryRun?: boolean;
      checkpoints?: ReturnType<typeof checkpointStore>;
    } = {},
  ) {
    const { ctx, outputs } = portalContext({
      input,
      workspacePath,
      isDryRun: options.isDryRun,
      checkpoints: options.checkpoints,
    });
    const action = createCatalogRegisterAction({
      host: publishOptions(options.config ?? localConfig()).host,
      catalog: options.catalog ?? fakeCatalog().catalog,
      auth: mockServices.auth(),
      waitForEntity: options.waitForEntity,
    });
    const credentials = await ctx.getInitiatorCredentials();
    const error = await action.handler(ctx).then(
      () => undefined,
      e => e,
    );
    return { outputs, credentials, error };
  }

  describe("provider 'local'", () => {
    const localInput = () => ({
      provider: 'local',
      repoContentsUrl: '',
      localPath: repoPath,
    });

    it('registers the catalog file as a file location and outputs its Component', async () => {
      const { catalog, addLocation } = fakeCatalog();

      const { outputs, credentials, error } = await register(localInput(), {
        catalog,
      });

      expect(error).toBeUndefined();
      const file = path.join(repoPath, 'catalog-info.yaml');
      expect(addLocation.mock.calls).toEqual([
        [{ type: 'file', target: file }, { credentials }],
      ]);
      expect(credentials.principal).toEqual(
        expect.objectContaining({ type: 'user' }),
      );
      expect(outputs).toEqual({
        catalogInfoUrl: `file://${file}`,
        entityRef: 'component:default/payments-api',
      });
    });

    it('waits until the catalog has read the entity, so the link to it works', async () => {
      const { catalog } = fakeCatalog();
      const file = path.join(repoPath, 'catalog-info.yaml');
      const getEntityByRef = catalog.getEntityByRef as jest.Mock;
      getEntityByRef
        .mockResolvedValueOnce(undefined)
        .mockResolvedValueOnce(undefined)
        .mockResolvedValue(readFrom(component, `file:${file}`));

      const { outputs, error } = await register(localInput(), {
        catalog,
        waitForEntity: { timeoutMs: 5_000, intervalMs: 1 },
      });

      expect(error).toBeUndefined();
      expect(getEntityByRef).toHaveBeenCalledTimes(3);
      expect(getEntityByRef).toHaveBeenLastCalledWith(
        'component:default/payments-api',
        expect.anything(),
      );
      expect(outputs.entityRef).toBe('component:default/payments-api');
    });

    it('fails when the catalog does not show the entity in time, and leaves nothing registered', async () => {
      const { catalog, registered } = fakeCatalog();
      (catalog.getEntityByRef as jest.Mock).mockResolvedValue(undefined);

      const { outputs, error } = await register(localInput(), {
        catalog,
        waitForEntity: { timeoutMs: 20, intervalMs: 5 },
      });

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        `The catalog did not show component:default/payments-api from file:${path.join(
          repoPath,
          'catalog-info.yaml',
        )} within 0 s; nothing stays registered, retry the task`,
      );
      expect(registered.size).toBe(0);
      expect(outputs.entityRef).toBeUndefined();
    });

    it('says what the catalog could not process', async () => {
      const { catalog, registered } = fakeCatalog();
      (catalog.getEntityByRef as jest.Mock).mockImplementation(
        async (ref: string) =>
          ref.startsWith('location:')
            ? {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Location',
                metadata: { name: 'generated-3f0c9ae2b1' },
                status: {
                  items: [
                    {
                      type: 'backstage.io/catalog-processing',
                      level: 'error',
                      message: 'InputError: Policy check failed',
                      error: {
                        name: 'InputError',
                        message:
                          'Policy check failed for component:default/payments-api; caused by Error: "metadata.name" is not valid',
                      },
                    },
                  ],
                },
              }
            : undefined,
      );

      const { error } = await register(localInput(), {
        catalog,
        waitForEntity: { timeoutMs: 20, intervalMs: 5 },
      });

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(
        ': Policy check failed for component:default/payments-api; caused by Error: "metadata.name" is not valid',
      );
      expect(registered.size).toBe(0);
    });

    it('refuses a name another location has, naming who has it, and registers nothing', async () => {
      const { catalog, addLocation } = fakeCatalog();
      (catalog.getEntityByRef as jest.Mock).mockResolvedValue(
        readFrom(
          {
            ...component,
            spec: { ...component.spec, owner: 'group:default/risk-team' },
          },
          'url:https://github.com/acme/risk/blob/main/catalog-info.yaml',
        ),
      );

      const { outputs, error } = await register(localInput(), { catalog });

      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        `component:default/payments-api is already in the catalog (registered from url:https://github.com/acme/risk/blob/main/catalog-info.yaml, owned by group:default/risk-team): choose another name. Nothing stays registered from file:${path.join(
          repoPath,
          'catalog-info.yaml',
        )}`,
      );
      expect(addLocation).not.toHaveBeenCalled();
      expect(outputs.entityRef).toBeUndefined();
    });

    it('fails and unregisters when another location takes the name meanwhile', async () => {
      const { catalog, addLocation, registered } = fakeCatalog();
      (catalog.getEntityByRef as jest.Mock)
        .mockResolvedValueOnce(undefined)
        .mockResolvedValue(
          readFrom(
            component,
            'url:https://github.com/acme/risk/blob/main/catalog-info.yaml',
          ),
        );

      const { error } = await register(localInput(), { catalog });

      expect(error).toBeInstanceOf(ConflictError);
      expect(addLocation).toHaveBeenCalledTimes(1);
      expect(catalog.removeLocationById).toHaveBeenCalledWith(
        'b7d2c1e0-5f4a-4c3b-9e8d-1a2b3c4d5e6f',
        expect.anything(),
      );
      expect(registered.size).toBe(0);
    });

    it('reads the catalog file from catalogInfoPath', async () => {
      const ledger = {
        ...component,
        metadata: { name: 'ledger', namespace: 'payments' },
      };
      writeFiles(repoPath, { 'catalog/service.yaml': stringify(ledger) });
      const { catalog, addLocation, registered } = fakeCatalog();
      (catalog.getEntityByRef as jest.Mock).mockImplementation(
        async (ref: string) => {
          const [from] = registered.keys();
          return ref === 'component:payments/ledger' && from
            ? readFrom(ledger, from)
            : undefined;
        },
      );

      const { outputs, error } = await register(
        { ...localInput(), catalogInfoPath: '/catalog/service.yaml' },
        { catalog },
      );

      expect(error).toBeUndefined();
      expect(addLocation).toHaveBeenCalledWith(
        { type: 'file', target: path.join(repoPath, 'catalog/service.yaml') },
        expect.anything(),
      );
      expect(outputs.entityRef).toBe('component:payments/ledger');
    });

    it.each<[string, (dirs: { root: string; reposDir: string }) => string]>([
      ['a directory beside it', d => path.join(d.root, 'elsewhere')],
      [
        'a sibling sharing the prefix',
        d => path.join(d.root, 'repos-elsewhere', 'acme', 'x'),
      ],
      ['.. after the directory', d => `${d.reposDir}/../elsewhere`],
      [
        '.. inside a repository',
        d => `${d.reposDir}/acme/payments-api/../../../elsewhere`,
      ],
      ['a relative path', () => 'acme/payments-api'],
      ['a symbolic link out', d => path.join(d.reposDir, 'acme', 'link')],
    ])(
      'refuses a localPath to %s without calling the catalog',
      async (_, localPath) => {
        // each of these holds a catalog file, so only the location check stops them
        for (const dir of [
          path.join(root, 'elsewhere'),
          path.join(root, 'repos-elsewhere', 'acme', 'x'),
        ]) {
          writeFiles(dir, { 'catalog-info.yaml': catalogFile });
        }
        fs.symlinkSync(
          path.join(root, 'elsewhere'),
          path.join(reposDir, 'acme', 'link'),
        );
        const { catalog, addLocation } = fakeCatalog();

        const { outputs, error } = await register(
          { ...localInput(), localPath: localPath({ root, reposDir }) },
          { catalog },
        );

        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toContain("'localPath'");
        expect(addLocation).not.toHaveBeenCalled();
        expect(outputs).toEqual({});
      },
    );

    it.each([
      [{ localPath: undefined }, "'localPath': required"],
      [{ localPath: '' }, "'localPath': required"],
      [{ provider: 'gitlab' }, "'provider'"],
      [{ catalogInfoPath: '/../../etc/catalog.yaml' }, "'catalogInfoPath'"],
      [{ catalogInfoPath: 'catalog-info.yaml' }, "'catalogInfoPath'"],
      [{ catalogInfoPath: '/catalog-info.json' }, "'catalogInfoPath'"],
      [{ localPath: 42 }, "'localPath': must be a string"],
      [{ owner: 'me' }, "'owner'"],
    ])('refuses %o, naming the field', async (patch, message) => {
      const { catalog, addLocation } = fakeCatalog();
      const { error } = await register(
        { ...localInput(), ...patch },
        { catalog },
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(message);
      expect(addLocation).not.toHaveBeenCalled();
    });

    it('refuses a repository without a catalog file', async () => {
      fs.rmSync(path.join(repoPath, 'catalog-info.yaml'));
      const { catalog, addLocation } = fakeCatalog();

      const { error } = await register(localInput(), { catalog });

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `Invalid input: field 'localPath': no catalog file at /catalog-info.yaml in ${repoPath}`,
      );
      expect(addLocation).not.toHaveBeenCalled();
    });

    it('refuses a catalog file without entities', async () => {
      writeFiles(repoPath, { 'catalog-info.yaml': '# nothing here\n' });
      const { catalog, addLocation } = fakeCatalog();

      const { error } = await register(localInput(), { catalog });

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain('holds no entity');
      expect(addLocation).not.toHaveBeenCalled();
    });

    it('accepts a location that is already registered (ConflictError)', async () => {
      const { catalog, addLocation, registeredBefore } = fakeCatalog();
      registeredBefore('file', path.join(repoPath, 'catalog-info.yaml'));
      addLocation.mockRejectedValue(
        new ConflictError('Location file:/x already exists'),
      );

      const { outputs, error } = await register(localInput(), { catalog });

      expect(error).toBeUndefined();
      expect(addLocation).toHaveBeenCalledTimes(1);
      expect(outputs.entityRef).toBe('component:default/payments-api');
    });

    it("accepts the catalog client's 409 answer for a registered location", async () => {
      const file = path.join(repoPath, 'catalog-info.yaml');
      const { catalog, addLocation, registeredBefore } = fakeCatalog();
      registeredBefore('file', file);
      addLocation.mockRejectedValue(
        await catalogErrorResponse(409, 'Conflict', {
          name: 'ConflictError',
          message: `Location file:${file} already exists`,
        }),
      );

      const { outputs, error } = await register(localInput(), { catalog });

      expect(error).toBeUndefined();
      expect(outputs.entityRef).toBe('component:default/payments-api');
    });

    it('fails on any other catalog error', async () => {
      const { catalog, addLocation } = fakeCatalog();
      const failure = await catalogErrorResponse(500, 'Internal Server Error', {
        name: 'Error',
        message: 'database is gone',
      });
      addLocation.mockRejectedValue(failure);

      const { outputs, error } = await register(localInput(), { catalog });

      expect(error).toBe(failure);
      expect(outputs.entityRef).toBeUndefined();
    });

    it("refuses 'local' where publishing goes to GitHub", async () => {
      const { catalog, addLocation } = fakeCatalog();

      const { error } = await register(localInput(), {
        config: githubConfig,
        catalog,
      });

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain("'provider'");
      expect(addLocation).not.toHaveBeenCalled();
    });

    it('calls nothing in a dry run, where the repository does not exist', async () => {
      fs.rmSync(repoPath, { recursive: true });
      const { catalog, addLocation } = fakeCatalog();

      const { outputs, error } = await register(localInput(), {
        catalog,
        isDryRun: true,
      });

      expect(error).toBeUndefined();
      expect(addLocation).not.toHaveBeenCalled();
      expect(outputs).toEqual({
        catalogInfoUrl: `file://${path.join(repoPath, 'catalog-info.yaml')}`,
        entityRef: 'component:default/dry-run',
      });
    });

    it('registers once when the task is recovered', async () => {
      const { catalog, addLocation } = fakeCatalog();
      const checkpoints = checkpointStore();

      const first = await register(localInput(), { catalog, checkpoints });
      const second = await register(localInput(), { catalog, checkpoints });

      expect([first.error, second.error]).toEqual([undefined, undefined]);
      expect(addLocation).toHaveBeenCalledTimes(1);
      expect(second.outputs).toEqual(first.outputs);
    });
  });

  describe("provider 'github'", () => {
    function githubCatalog(previewEntities: Entity[] = [api, component]) {
      const fake = fakeCatalog();
      fake.addLocation.mockImplementation(async request => {
        const response = locationResponse(
          'url',
          request.target,
          request.dryRun ? previewEntities : [],
        );
        if (!request.dryRun) {
          fake.registered.set(`url:${request.target}`, response.location);
        }
        return response;
      });
      return fake;
    }

    it('adds a url location, previews it and outputs its Component', async () => {
      const { catalog, addLocation } = githubCatalog();

      const { outputs, credentials, error } = await register(
        { provider: 'github', repoContentsUrl: contentsUrl, localPath: '' },
        { config: githubConfig, catalog },
      );

      expect(error).toBeUndefined();
      // the preview says which entity to look for, before anything is added
      expect(addLocation.mock.calls).toEqual([
        [{ type: 'url', target: catalogUrl, dryRun: true }, { credentials }],
        [{ type: 'url', target: catalogUrl }, { credentials }],
      ]);
      expect(outputs).toEqual({
        catalogInfoUrl: catalogUrl,
        entityRef: 'component:default/payments-api',
      });
    });

    it('joins a repoContentsUrl with a trailing slash', async () => {
      const { catalog, addLocation } = githubCatalog();
      const { outputs } = await register(
        { provider: 'github', repoContentsUrl: `${contentsUrl}/` },
        { config: githubConfig, catalog },
      );
      expect(addLocation.mock.calls[0][0].target).toBe(catalogUrl);
      expect(outputs.catalogInfoUrl).toBe(catalogUrl);
    });

    it('falls back to the first entity when there is no Component', async () => {
      const { catalog } = githubCatalog([api]);
      const { outputs } = await register(
        { provider: 'github', repoContentsUrl: contentsUrl },
        { config: githubConfig, catalog },
      );
      expect(outputs.entityRef).toBe('api:default/payments-api-http');
    });

    it.each([[''], [undefined]])(
      'refuses the repoContentsUrl %p without calling the catalog',
      async repoContentsUrl => {
        const { catalog, addLocation } = githubCatalog();
        const { error } = await register(
          { provider: 'github', repoContentsUrl, localPath: repoPath },
          { config: githubConfig, catalog },
        );
        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toContain("'repoContentsUrl'");
        expect(addLocation).not.toHaveBeenCalled();
      },
    );

    it('refuses a catalog file without entities', async () => {
      const { catalog } = githubCatalog([]);
      const { error, outputs } = await register(
        { provider: 'github', repoContentsUrl: contentsUrl },
        { config: githubConfig, catalog },
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `The catalog file ${catalogUrl} holds no entity`,
      );
      expect(outputs.entityRef).toBeUndefined();
    });

    it('calls nothing in a dry run, where the repository does not exist', async () => {
      const { catalog, addLocation } = githubCatalog();
      const { outputs, error } = await register(
        { provider: 'github', repoContentsUrl: contentsUrl },
        { config: githubConfig, catalog, isDryRun: true },
      );
      expect(error).toBeUndefined();
      expect(addLocation).not.toHaveBeenCalled();
      expect(outputs).toEqual({
        catalogInfoUrl: catalogUrl,
        entityRef: 'component:default/dry-run',
      });
    });
  });

  it('runs the documented example on what publishing outputs', async () => {
    writeFiles(workspacePath, {
      'catalog-info.yaml': stringify(component),
      'README.md': '# payments-api\n',
    });
    // what portal:repo:publish outputs for the repository it creates on this host
    const { host } = publishOptions(localConfig());
    const published: Record<string, unknown> = {
      provider: host.provider,
      ...(await host.createRepository({
        repo: {
          host: 'github.com',
          owner: 'paved-road-demo',
          name: 'payments-api',
        },
        sourceDir: workspacePath,
        logger: mockServices.logger.mock(),
      })),
    };

    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const step = parse(example.example).steps[0];
      expect(step.action).toBe('portal:catalog:register');
      // what the scaffolder makes of ${{ steps.publish.output.x }}
      const input = Object.fromEntries(
        Object.entries(step.input as Record<string, string>).map(
          ([key, value]) => [
            key,
            value.replace(
              /^\$\{\{ steps\.publish\.output\.(\w+) \}\}$/,
              (_, name) => String(published[name] ?? ''),
            ),
          ],
        ),
      );
      const { catalog, addLocation } = fakeCatalog();

      const { outputs, error } = await register(input, { catalog });

      expect(error).toBeUndefined();
      expect(addLocation).toHaveBeenCalledWith(
        {
          type: 'file',
          target: path.join(
            reposDir,
            'paved-road-demo',
            'payments-api',
            'catalog-info.yaml',
          ),
        },
        expect.anything(),
      );
      expect(outputs.entityRef).toBe('component:default/payments-api');
    }
  });
});
