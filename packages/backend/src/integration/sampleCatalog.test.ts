import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  expectedSampleEntities,
  REPO_ROOT,
} from './__testUtils__/sampleCatalog';

/** What a service needs to be on the paved road (see the scorecard baseline). */
const PAVED_ROAD_ANNOTATIONS = [
  'pagerduty/service-id',
  'cost-center',
  'github.com/project-slug',
  'argocd/app-name',
];
const PAVED_ROAD_LINKS = ['runbook', 'slo'];

function services() {
  const text = fs.readFileSync(
    path.join(REPO_ROOT, 'catalog/services.yaml'),
    'utf8',
  );
  return parseAllDocuments(text).map(doc => doc.toJS());
}

function gaps(entity: any): string[] {
  const annotations = entity.metadata.annotations ?? {};
  const links: Array<{ type?: string }> = entity.metadata.links ?? [];
  return [
    ...PAVED_ROAD_ANNOTATIONS.filter(a => !annotations[a]),
    ...PAVED_ROAD_LINKS.filter(t => !links.some(l => l.type === t)),
    ...['owner', 'system', 'lifecycle'].filter(f => !entity.spec[f]),
  ];
}

describe('sample catalog', () => {
  it('has at least six services, some on the paved road and some off it', () => {
    const components = services().filter(e => e.kind === 'Component');
    expect(components.length).toBeGreaterThanOrEqual(6);
    const onRoad = components.filter(c => gaps(c).length === 0);
    const offRoad = components.filter(c => gaps(c).length > 0);
    expect(onRoad.map(c => c.metadata.name)).toEqual(
      expect.arrayContaining(['payments-api', 'risk-scoring']),
    );
    expect(offRoad.length).toBeGreaterThanOrEqual(2);
  });

  it('gives each of the four teams members with e-mail addresses', () => {
    const org = parseAllDocuments(
      fs.readFileSync(path.join(REPO_ROOT, 'catalog/org.yaml'), 'utf8'),
    ).map(doc => doc.toJS());
    const users = org.filter(e => e.kind === 'User');
    for (const team of [
      'platform',
      'payments-team',
      'risk-team',
      'core-team',
    ]) {
      const members = users.filter(u => u.spec.memberOf.includes(team));
      expect(members.length).toBeGreaterThan(0);
      for (const member of members) {
        expect(member.spec.profile.email).toMatch(/^[^@\s]+@[^@\s]+$/);
      }
    }
  });

  it('describes the portal itself at the repository root', () => {
    expect(expectedSampleEntities()).toEqual(
      expect.arrayContaining([
        { kind: 'Component', name: 'paved-road-portal' },
      ]),
    );
  });
});

describe('golden-path templates', () => {
  const allTemplates = fs
    .readdirSync(path.join(REPO_ROOT, 'templates'))
    .map(dir => path.join(REPO_ROOT, 'templates', dir, 'template.yaml'))
    .filter(file => fs.existsSync(file))
    .map(file => parseAllDocuments(fs.readFileSync(file, 'utf8'))[0].toJS());
  const tagged = (tag: string) =>
    allTemplates.filter(t => (t.metadata.tags ?? []).includes(tag));
  const templates = tagged('golden-path');

  it('are there, beside the self-service templates', () => {
    expect(templates.map(t => t.metadata.name).sort()).toEqual([
      'background-worker',
      'http-service',
    ]);
    expect(
      tagged('self-service')
        .map(t => t.metadata.name)
        .sort(),
    ).toEqual([
      'request-bucket',
      'request-database',
      'request-queue',
      'rotate-secret',
      'upgrade-service',
    ]);
  });

  it.each(['a', 'payments-api', 'x1', 'a'.repeat(63)])(
    'accept the DNS-1123 name %s',
    name => {
      for (const template of templates) {
        const pattern = new RegExp(
          template.spec.parameters[0].properties.name.pattern,
        );
        expect(pattern.test(name)).toBe(true);
      }
    },
  );

  it.each([
    '',
    'Payments',
    '-api',
    'api-',
    'under_score',
    '1api',
    'a'.repeat(64),
  ])('reject the name "%s"', name => {
    for (const template of templates) {
      const { pattern, maxLength } =
        template.spec.parameters[0].properties.name;
      expect(new RegExp(pattern).test(name) && name.length <= maxLength).toBe(
        false,
      );
    }
  });
});
