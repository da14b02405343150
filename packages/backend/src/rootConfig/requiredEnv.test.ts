import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  describeMissingVariables,
  findMissingVariables,
  requiredVariables,
} from './requiredEnv';

describe('requiredVariables', () => {
  it('finds ${NAME} references, once each', () => {
    const text = [
      'backend:',
      '  baseUrl: ${PORTAL_BASE_URL}',
      '  cors:',
      '    origin: ${PORTAL_BASE_URL}',
      '  database:',
      '    connection: postgres://${ PG_USER }:${PG_PASSWORD}@db/portal',
    ].join('\n');
    expect(requiredVariables(text)).toEqual([
      'PORTAL_BASE_URL',
      'PG_USER',
      'PG_PASSWORD',
    ]);
  });

  it('skips values with a fallback, escaped references and comments', () => {
    const text = [
      'token: ${GITHUB_TOKEN:-}',
      'port: ${PORTAL_PORT:-7007}',
      'literal: $${NOT_A_VARIABLE}',
      '# secret: ${ONLY_IN_A_COMMENT}',
      '  # indented: ${ALSO_A_COMMENT}',
    ].join('\n');
    expect(requiredVariables(text)).toEqual([]);
  });
});

describe('findMissingVariables', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'required-env-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports unset and blank variables with the file that needs them', () => {
    const base = path.join(dir, 'app-config.yaml');
    const prod = path.join(dir, 'app-config.production.yaml');
    fs.writeFileSync(base, 'app:\n  title: ${TITLE}\n');
    fs.writeFileSync(
      prod,
      'a: ${SET}\nb: ${BLANK}\nc: ${UNSET}\nd: ${OPT:-x}\n',
    );

    const missing = findMissingVariables([base, prod], {
      TITLE: 'Paved Road',
      SET: 'value',
      BLANK: '  ',
    });

    expect(missing).toEqual([
      { name: 'BLANK', file: prod },
      { name: 'UNSET', file: prod },
    ]);
  });

  it('reports nothing when every variable is set', () => {
    const file = path.join(dir, 'app-config.yaml');
    fs.writeFileSync(file, 'a: ${A}\n');
    expect(findMissingVariables([file], { A: '1' })).toEqual([]);
  });
});

describe('describeMissingVariables', () => {
  it('names every variable and where it is used', () => {
    const text = describeMissingVariables([
      { name: 'POSTGRES_HOST', file: '/srv/app-config.production.yaml' },
      { name: 'OKTA_CLIENT_ID', file: '/srv/app-config.production.yaml' },
    ]);
    expect(text).toBe(
      [
        'Cannot start: 2 required environment variables are not set:',
        '  - POSTGRES_HOST (used in /srv/app-config.production.yaml)',
        '  - OKTA_CLIENT_ID (used in /srv/app-config.production.yaml)',
        'Set them, or give the value a fallback in the config file with ${NAME:-fallback}.',
      ].join('\n'),
    );
  });

  it('speaks of one variable in the singular', () => {
    expect(describeMissingVariables([{ name: 'A', file: 'f.yaml' }])).toMatch(
      /^Cannot start: 1 required environment variable is not set:/,
    );
  });
});
