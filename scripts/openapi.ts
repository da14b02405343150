// Writes, from each backend's src/schema/openapi.yaml (the API's one description):
//   <backend>/src/schema/openapi/generated/router.ts  the spec as a constant and
//     createOpenApiRouter, a router of @backstage/backend-openapi-utils that validates
//     requests against the spec and types each handler from it (its EndpointMap);
//   <common>/src/schema/openapi/generated/types.ts    the spec's types (openapi-typescript),
//     which the common package's API types alias and the EndpointMap points at.
//   yarn openapi:generate
// Upstream writes the router with `backstage-repo-tools package schema openapi generate
// --server`, whose type generator is a Java program fetched from Maven at run time; this
// script needs only npm packages, so it runs offline. A test in each backend fails when the
// committed files are not what this script writes (src/schema/openapi.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';

type Prettier = {
  format(source: string, options: Record<string, unknown>): string;
  resolveConfig: { sync(file: string): Record<string, unknown> | null };
};
// prettier 2 ships no types; these two calls are all this script needs
const prettier: Prettier = require('prettier');

/** A backend whose API is described by an OpenAPI spec, and the common package of its types. */
export interface OpenApiPackage {
  /** Relative to the repository root. */
  backend: string;
  common: string;
  /** The common package's name, which the router imports the types from. */
  commonPackage: string;
  /** The name the common package exports the spec's `operations` type as. */
  operationsType: string;
}

export const OPENAPI_PACKAGES: OpenApiPackage[] = [
  {
    backend: 'plugins/scorecard-backend',
    common: 'plugins/scorecard-common',
    commonPackage: '@internal/plugin-scorecard-common',
    operationsType: 'ScorecardApiOperations',
  },
  {
    backend: 'plugins/insights-backend',
    common: 'plugins/insights-common',
    commonPackage: '@internal/plugin-insights-common',
    operationsType: 'InsightsApiOperations',
  },
];

export const SPEC_FILE = 'src/schema/openapi.yaml';
export const ROUTER_FILE = 'src/schema/openapi/generated/router.ts';
export const TYPES_FILE = 'src/schema/openapi/generated/types.ts';

export type GeneratedFile = {
  /** Relative to the repository root. */
  file: string;
  text: string;
};

type Json = { [key: string]: unknown };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` (`#/components/...`) to what it names. */
function resolve(spec: Json, value: unknown): Json {
  let current = value;
  for (let hops = 0; isObject(current) && '$ref' in current; hops++) {
    const ref = String(current.$ref);
    if (!ref.startsWith('#/') || hops > 10) {
      throw new Error(`Only local references are supported: ${ref}`);
    }
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (node, key) => (isObject(node) ? node[key] : undefined),
        spec,
      );
  }
  if (!isObject(current)) {
    throw new Error(`Not an object: ${JSON.stringify(value)}`);
  }
  return current;
}

/**
 * The EndpointMap of `createValidatedOpenApiRouterFromGeneratedEndpointMap`: for each
 * `#method|path`, the types of its path parameters, query, JSON body and successful answer,
 * read from the generated `operations` type.
 */
function endpointMap(spec: Json, operationsType: string): string {
  const entries: string[] = [];
  const paths = isObject(spec.paths) ? spec.paths : {};
  for (const [route, pathItemValue] of Object.entries(paths)) {
    const pathItem = resolve(spec, pathItemValue);
    for (const method of METHODS) {
      if (!pathItem[method]) {
        continue;
      }
      const operation = resolve(spec, pathItem[method]);
      const id = operation.operationId;
      if (typeof id !== 'string') {
        throw new Error(`${method} ${route} has no operationId`);
      }
      const op = `${operationsType}['${id}']`;
      const parameters = [
        ...((pathItem.parameters as unknown[]) ?? []),
        ...((operation.parameters as unknown[]) ?? []),
      ].map(p => resolve(spec, p));
      const fields: string[] = [];
      if (parameters.some(p => p.in === 'path')) {
        fields.push(`path: ${op}['parameters']['path'];`);
      }
      if (parameters.some(p => p.in === 'query')) {
        fields.push(`query: NonNullable<${op}['parameters']['query']>;`);
      }
      if (operation.requestBody) {
        const body = resolve(spec, operation.requestBody);
        if (isObject(body.content) && body.content['application/json']) {
          fields.push(
            `body: NonNullable<${op}['requestBody']>['content']['application/json'];`,
          );
        }
      }
      const answers: string[] = [];
      for (const [status, responseValue] of Object.entries(
        resolve(spec, operation.responses),
      )) {
        const content = resolve(spec, responseValue).content;
        if (/^2\d\d$/.test(status) && isObject(content)) {
          const type = Object.keys(content)[0];
          answers.push(`${op}['responses'][${status}]['content']['${type}']`);
        }
      }
      if (answers.length) {
        fields.push(`response: ${answers.join(' | ')};`);
      }
      const key = method === 'delete' ? '_delete' : method;
      entries.push(`'#${key}|${route}': {\n${fields.join('\n')}\n};`);
    }
  }
  return `{\n${entries.join('\n')}\n}`;
}

function header(source: string): string {
  return [
    '// ******************************************************************',
    '// * THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY. *',
    '// ******************************************************************',
    `// Written by \`yarn openapi:generate\` (scripts/openapi.ts) from ${source}:`,
    '// edit that file and run it again; a test fails when this file differs. It is as',
    '// long as the spec it is made from, and is not meant to be read or edited by hand.',
    '',
  ].join('\n');
}

function format(root: string, file: string, text: string): string {
  return prettier.format(text, {
    ...prettier.resolveConfig.sync(path.join(root, file)),
    parser: 'typescript',
  });
}

/** The files `yarn openapi:generate` writes for one backend and its common package. */
export async function generateOpenApiFiles(
  root: string,
  pkg: OpenApiPackage,
): Promise<GeneratedFile[]> {
  const source = `${pkg.backend}/${SPEC_FILE}`;
  const yamlText = fs.readFileSync(path.join(root, source), 'utf8');
  const spec: Json = parse(yamlText);

  const typesFile = `${pkg.common}/${TYPES_FILE}`;
  const types = astToString(await openapiTS(yamlText, { silent: true }));

  const routerFile = `${pkg.backend}/${ROUTER_FILE}`;
  const router = [
    "import { createValidatedOpenApiRouterFromGeneratedEndpointMap } from '@backstage/backend-openapi-utils';",
    `import type { ${pkg.operationsType} } from '${pkg.commonPackage}';`,
    '',
    `export const spec = ${JSON.stringify(spec, null, 2)} as const;`,
    '',
    `export type EndpointMap = ${endpointMap(spec, pkg.operationsType)};`,
    '',
    'export const createOpenApiRouter = async (',
    "  options?: Parameters<typeof createValidatedOpenApiRouterFromGeneratedEndpointMap>['1'],",
    ') => createValidatedOpenApiRouterFromGeneratedEndpointMap<EndpointMap>(spec, options);',
  ].join('\n');

  return [
    {
      file: routerFile,
      text: format(root, routerFile, header(source) + router),
    },
    { file: typesFile, text: format(root, typesFile, header(source) + types) },
  ];
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  (async () => {
    for (const pkg of OPENAPI_PACKAGES) {
      for (const { file, text } of await generateOpenApiFiles(root, pkg)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
        process.stdout.write(`wrote ${file}\n`);
      }
    }
  })().catch(error => {
    process.stderr.write(`${error}\n`);
    process.exitCode = 1;
  });
}
