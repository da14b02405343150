import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The repository root, where catalog/, templates/ and yarn.lock live. */
export const REPO_ROOT = path.resolve(__dirname, '../../../../..');

type EntityRef = { kind: string; name: string };

function readEntities(file: string): EntityRef[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return parseAllDocuments(text).map(doc => {
    const entity = doc.toJS();
    return { kind: entity.kind, name: entity.metadata.name };
  });
}

/** What the catalog must hold once the sample catalog and templates are loaded. */
export function expectedSampleEntities(): EntityRef[] {
  const templates = fs
    .readdirSync(path.join(REPO_ROOT, 'templates'))
    .filter(dir =>
      fs.existsSync(path.join(REPO_ROOT, 'templates', dir, 'template.yaml')),
    )
    .flatMap(dir => readEntities(`templates/${dir}/template.yaml`));
  return [
    ...readEntities('catalog-info.yaml'),
    ...readEntities('catalog/org.yaml'),
    ...readEntities('catalog/domains.yaml'),
    ...readEntities('catalog/services.yaml'),
    ...templates,
  ];
}

/**
 * Lists every entity through the catalog API, page by page, as `kind:name` in lower case.
 * Throws on any non-2xx answer, with its body.
 */
export async function listEntityRefs(
  baseUrl: string,
  token: string,
): Promise<Set<string>> {
  const refs = new Set<string>();
  let cursor: string | undefined;
  do {
    const url = new URL(`${baseUrl}/api/catalog/entities/by-query`);
    url.searchParams.set('limit', '50');
    url.searchParams.append('fields', 'kind');
    url.searchParams.append('fields', 'metadata.name');
    if (cursor) {
      url.searchParams.set('cursor', cursor);
    }
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) {
      throw new Error(`catalog answered ${res.status}: ${await res.text()}`);
    }
    const page = (await res.json()) as {
      items: Array<{ kind: string; metadata: { name: string } }>;
      pageInfo: { nextCursor?: string };
    };
    for (const item of page.items) {
      refs.add(`${item.kind}:${item.metadata.name}`.toLocaleLowerCase('en-US'));
    }
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return refs;
}

/** The expected refs that `refs` does not hold yet. */
export function missingFrom(refs: Set<string>): string[] {
  return expectedSampleEntities()
    .map(e => `${e.kind}:${e.name}`.toLocaleLowerCase('en-US'))
    .filter(ref => !refs.has(ref));
}
