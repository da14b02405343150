import { Entity } from '@backstage/catalog-model';

/** How many teams and systems the services are spread over, whatever their number. */
const GROUPS = 200;
const SYSTEMS = 60;

/** Each aspect a default rule looks at is right this often. */
const RIGHT = 0.85;

/**
 * A small deterministic generator (splitmix32): every run, and both sides of the
 * comparison, see the same catalog.
 */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

type Random = () => number;

const oneOf = <T>(r: Random, items: T[]): T =>
  items[Math.floor(r() * items.length)];

function uid(kind: number, i: number): string {
  return `00000000-0000-4000-800${kind}-${i.toString(16).padStart(12, '0')}`;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function pagerDutyId(r: Random): string {
  let id = 'P';
  for (let i = 0; i < 6; i++) {
    id += ALPHANUMERIC.charAt(Math.floor(r() * ALPHANUMERIC.length));
  }
  return id;
}

const team = (k: number) => `team-${k}`;
const system = (k: number) => `system-${k}`;

function group(k: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: team(k),
      namespace: 'default',
      uid: uid(1, k),
      description: `Team ${k}`,
    },
    spec: { type: 'team', children: [], profile: { displayName: `Team ${k}` } },
  };
}

function systemEntity(k: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: system(k),
      namespace: 'default',
      uid: uid(2, k),
      description: `System ${k}`,
    },
    spec: { owner: team(k % GROUPS), domain: `domain-${k % 6}` },
  };
}

/**
 * A Component of type service shaped like those of catalog/services.yaml. Each aspect a
 * default rule checks is right with probability {@link RIGHT}, and wrong in one of the
 * ways real catalog-info.yaml files get it wrong.
 */
function service(i: number, r: Random): Entity {
  const name = `svc-${i}`;
  const right = () => r() < RIGHT;
  const annotations: Record<string, string> = {
    'backstage.io/kubernetes-id': name,
    'backstage.io/managed-by-location': `url:https://github.com/paved-road-demo/${name}/blob/main/catalog-info.yaml`,
    'backstage.io/source-template': 'template:default/http-service',
  };
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) {
      annotations[key] = value;
    }
  };
  set(
    'github.com/project-slug',
    right()
      ? `paved-road-demo/${name}`
      : oneOf(r, [
          undefined,
          'not a slug',
          `https://github.com/paved-road-demo/${name}`,
        ]),
  );
  set('argocd/app-name', right() ? name : oneOf(r, [undefined, '', '  ']));
  set(
    'pagerduty/service-id',
    right() ? pagerDutyId(r) : oneOf(r, [undefined, 'pd-123', 'pabc123']),
  );
  set(
    'cost-center',
    right()
      ? `CC-${1000 + (i % 9000)}`
      : oneOf(r, [undefined, 'CC-12', 'cc-1234']),
  );

  const links = [
    {
      url: `https://grafana.example.com/d/${name}`,
      title: 'Dashboard',
      type: 'dashboard',
    },
  ];
  if (right()) {
    links.push({
      url: `https://runbooks.example.com/${name}`,
      title: 'Runbook',
      type: 'runbook',
    });
  } else if (r() < 0.3) {
    links.push({
      url: `https://wiki.example.com/${name}`,
      title: 'Runbook',
      type: 'docs',
    });
  }
  if (right()) {
    links.push({
      url: `https://slo.example.com/${name}`,
      title: 'SLO',
      type: 'slo',
    });
  }

  const owner = Math.floor(r() * GROUPS);
  const partOf = Math.floor(r() * SYSTEMS);
  const spec: Record<string, string | undefined> = {
    type: 'service',
    lifecycle: right()
      ? oneOf(r, ['production', 'production', 'experimental', 'deprecated'])
      : oneOf(r, [undefined, 'prod', 'Production']),
    owner: right()
      ? oneOf(r, [
          team(owner),
          `group:${team(owner)}`,
          `group:default/${team(owner)}`,
        ])
      : oneOf(r, [
          undefined,
          `team-gone-${owner}`,
          'user:default/pat.platform',
          'group:default/',
        ]),
    system: right()
      ? oneOf(r, [system(partOf), `system:default/${system(partOf)}`])
      : oneOf(r, [undefined, `retired-system-${partOf}`]),
  };
  for (const key of Object.keys(spec)) {
    if (spec[key] === undefined) {
      delete spec[key];
    }
  }

  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      uid: uid(0, i),
      etag: uid(3, i),
      description: `Synthetic service ${i}`,
      tags: ['node', 'http'],
      annotations,
      links,
    },
    spec,
  };
}

/** A catalog of `count` services plus the teams and systems they refer to. */
export interface SyntheticCatalog {
  services: Entity[];
  groups: Entity[];
  systems: Entity[];
}

/**
 * Generates the catalog; the first n services are the same whatever `count` is, so a
 * smaller run is a prefix of a larger one.
 */
export function syntheticCatalog(
  count: number,
  seed = 20261129,
): SyntheticCatalog {
  const r = random(seed);
  const services: Entity[] = [];
  for (let i = 0; i < count; i++) {
    services.push(service(i, r));
  }
  return {
    services,
    groups: Array.from({ length: GROUPS }, (_, k) => group(k)),
    systems: Array.from({ length: SYSTEMS }, (_, k) => systemEntity(k)),
  };
}
