import { Entity } from '@backstage/catalog-model';
import { createServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

// The catalog's own default page size for /entities/by-query.
const DEFAULT_LIMIT = 20;

/** One filter set: every key must match one of its values (or exist, for `null`). */
type FilterSet = Map<string, Set<string> | null>;

/** Parses `filter` parameters the way the catalog does: sets ORed, conditions ANDed. */
function parseFilters(raw: string[]): FilterSet[] {
  return raw.map(filter => {
    const set: FilterSet = new Map();
    for (const condition of filter.split(',')) {
      const eq = condition.indexOf('=');
      const key = (eq < 0 ? condition : condition.slice(0, eq))
        .trim()
        .toLowerCase();
      if (eq < 0) {
        set.set(key, null);
        continue;
      }
      const values = set.get(key) ?? new Set<string>();
      values.add(
        condition
          .slice(eq + 1)
          .trim()
          .toLowerCase(),
      );
      set.set(key, values);
    }
    return set;
  });
}

// Values at a dot path, descending through arrays as the catalog's search does.
function valuesAt(entity: Entity, path: string): unknown[] {
  let current: unknown[] = [entity];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      for (const item of Array.isArray(value) ? value : [value]) {
        const found =
          typeof item === 'object' && item !== null
            ? (item as Record<string, unknown>)[segment]
            : undefined;
        if (found !== undefined && found !== null) {
          next.push(found);
        }
      }
    }
    current = next;
  }
  return current.flatMap(v => (Array.isArray(v) ? v : [v]));
}

function matches(entity: Entity, filters: FilterSet[]): boolean {
  if (filters.length === 0) {
    return true;
  }
  return filters.some(set =>
    [...set].every(([key, wanted]) => {
      const found = valuesAt(entity, key);
      return wanted === null
        ? found.length > 0
        : found.some(v => wanted.has(String(v).toLowerCase()));
    }),
  );
}

/** Keeps only the given dot paths of an entity, as `fields=` does. */
function project(entity: Entity, fields: string[]): unknown {
  if (fields.length === 0) {
    return entity;
  }
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const segments = field.split('.');
    let source: unknown = entity;
    for (const segment of segments) {
      source =
        typeof source === 'object' && source !== null
          ? (source as Record<string, unknown>)[segment]
          : undefined;
    }
    if (source === undefined) {
      continue;
    }
    let target = out;
    for (const segment of segments.slice(0, -1)) {
      target = (target[segment] ??= {}) as Record<string, unknown>;
    }
    target[segments[segments.length - 1]] = source;
  }
  return out;
}

interface Cursor {
  filter: string[];
  offset: number;
}

const encodeCursor = (cursor: Cursor) =>
  Buffer.from(JSON.stringify(cursor)).toString('base64');

function decodeCursor(raw: string): Cursor | undefined {
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    return Array.isArray(cursor.filter) && Number.isInteger(cursor.offset)
      ? cursor
      : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

const error = (name: string, message: string) => ({ error: { name, message } });

/** A catalog backend on loopback, serving a fixed set of entities. */
export interface CatalogServer {
  /** What discovery returns for the catalog plugin. */
  baseUrl: string;
  stats: { requests: number; bytes: number };
  close(): Promise<void>;
}

/**
 * Serves `GET /api/catalog/entities/by-query` the way the catalog backend does: `filter`
 * sets, `fields` projection, `limit` and an opaque `cursor` that carries the query, and
 * `{ items, totalItems, pageInfo: { nextCursor, prevCursor } }` back. Requests need the
 * bearer token. Nothing else of the catalog API is there.
 */
export async function startCatalogServer(options: {
  entities: Entity[];
  token: string;
}): Promise<CatalogServer> {
  const stats = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    stats.requests += 1;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      send(res, 401, error('AuthenticationError', 'Missing or wrong token'));
      return;
    }
    if (
      req.method !== 'GET' ||
      url.pathname !== '/api/catalog/entities/by-query'
    ) {
      send(res, 404, error('NotFoundError', `No route ${url.pathname}`));
      return;
    }
    const params = url.searchParams;
    const rawCursor = params.get('cursor');
    const cursor = rawCursor
      ? decodeCursor(rawCursor)
      : { filter: params.getAll('filter'), offset: 0 };
    if (!cursor) {
      send(res, 400, error('InputError', 'Malformed cursor'));
      return;
    }
    const limit = Number(params.get('limit') ?? DEFAULT_LIMIT);
    const fields = params
      .getAll('fields')
      .flatMap(f => f.split(','))
      .filter(Boolean);
    const filters = parseFilters(cursor.filter);
    const matching = options.entities.filter(e => matches(e, filters));
    const end = cursor.offset + limit;
    const body = {
      items: matching.slice(cursor.offset, end).map(e => project(e, fields)),
      totalItems: matching.length,
      pageInfo: {
        ...(end < matching.length && {
          nextCursor: encodeCursor({ filter: cursor.filter, offset: end }),
        }),
        ...(cursor.offset > 0 && {
          prevCursor: encodeCursor({
            filter: cursor.filter,
            offset: Math.max(0, cursor.offset - limit),
          }),
        }),
      },
    };
    const json = JSON.stringify(body);
    stats.bytes += Buffer.byteLength(json);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(json);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/catalog`,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(e => (e ? reject(e) : resolve()));
      }),
  };
}
