import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { parse } from 'yaml';
import {
  expectCompleted,
  formValues,
  GoldenPathBackend,
  runTemplate,
  startGoldenPathBackend,
} from './__testUtils__/portalBackend';

// What testers did to the golden paths that the form alone does not prevent: values as
// an API client sends them, names taken, repositories left behind, restarts.

jest.setTimeout(300_000);

const run = promisify(execFile);

/** Every file of a repository's one commit, as git has it. */
async function committedFiles(repo: string): Promise<Map<string, Buffer>> {
  const { stdout } = await run('git', ['-C', repo, 'ls-files', '-z']);
  const files = new Map<string, Buffer>();
  for (const file of stdout.split('\0').filter(Boolean)) {
    files.set(file, fs.readFileSync(path.join(repo, file)));
  }
  return files;
}

let backend: GoldenPathBackend;

beforeAll(async () => {
  backend = await startGoldenPathBackend();
});
afterAll(async () => {
  await backend?.close();
});

describe('values as an API client sends them', () => {
  it('completes with a bare team and system name, normalized to full references', async () => {
    const values = {
      ...formValues('http-service', 'node'),
      name: 'bare-owner',
      repoUrl: 'github.com?owner=paved-road-demo&repo=bare-owner',
      owner: 'payments-team',
      system: 'payments',
    };

    const task = await runTemplate(backend.server, 'http-service', values);

    expectCompleted(task);
    const repo = path.join(backend.reposDir, 'paved-road-demo', 'bare-owner');
    const files = await committedFiles(repo);
    const unrendered = [...files]
      .filter(([, content]) => content.toString('utf8').includes('parameters.'))
      .map(([file]) => file);
    expect(unrendered).toEqual([]);
    const read = (file: string) => files.get(file)!.toString('utf8');
    expect(read('.github/CODEOWNERS')).toContain(
      '@paved-road-demo/payments-team',
    );
    const entity = parse(read('catalog-info.yaml'));
    expect(entity.spec).toMatchObject({
      owner: 'group:default/payments-team',
      system: 'system:default/payments',
    });
    expect(read('docs/runbook.md')).toContain('namespace="payments"');
  });
});

describe('a name two users race for', () => {
  it('goes to the first; the second fails at registration with the reason, counts nothing, and its repository is reused by the next attempt', async () => {
    const values = (repo: string, name = 'raced-service') => ({
      ...formValues('http-service', 'node'),
      name,
      repoUrl: `github.com?owner=paved-road-demo&repo=${repo}`,
    });

    // both pass every check at submission: neither name is in the catalog yet
    const [first, second] = await Promise.all([
      runTemplate(backend.server, 'http-service', values('raced-a')),
      runTemplate(backend.server, 'http-service', values('raced-b')),
    ]);

    const [winner, loser] =
      first.status === 'completed' ? [first, second] : [second, first];
    expectCompleted(winner);
    expect(loser.status).toBe('failed');
    expect(loser.log).toMatch(
      /component:default\/raced-service is already in the catalog \(registered from file:.*\/raced-[ab]\/catalog-info\.yaml, owned by group:default\/payments-team\): choose another name/,
    );
    // the reason, without a stack trace in front of it
    expect(loser.log).not.toMatch(/\n\s+at /);
    // the step that reports the scaffold never ran for the loser
    const emitted = (
      loser.events as Array<{ body: { stepId?: string; status?: string } }>
    )
      .filter(e => e.body.stepId === 'emit')
      .map(e => e.body.status);
    expect(emitted).toEqual(['skipped']);

    // the catalog still has the winner's entity, from the winner's repository
    const winnerRepo = winner === first ? 'raced-a' : 'raced-b';
    const loserRepo = winner === first ? 'raced-b' : 'raced-a';
    const entity = await request(backend.server)
      .get('/api/catalog/entities/by-name/component/default/raced-service')
      .set('Authorization', mockCredentials.user.header());
    expect(
      entity.body.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe(
      `file:${path.join(
        backend.reposDir,
        'paved-road-demo',
        winnerRepo,
        'catalog-info.yaml',
      )}`,
    );

    // the loser tries again under another name, with the repository it was given
    const retry = await runTemplate(
      backend.server,
      'http-service',
      values(loserRepo, 'raced-service-two'),
    );
    expectCompleted(retry);
    expect(retry.log).toContain(
      `Replacing the content of paved-road-demo/${loserRepo}, left behind by an earlier attempt: task ${loser.id} created it and ended failed without registering it in the catalog`,
    );
    const repo = path.join(backend.reposDir, 'paved-road-demo', loserRepo);
    const { stdout: count } = await run('git', [
      '-C',
      repo,
      'rev-list',
      '--count',
      'HEAD',
    ]);
    expect(count.trim()).toBe('1');
    const { stdout: message } = await run('git', [
      '-C',
      repo,
      'log',
      '-1',
      '--format=%B',
    ]);
    expect(message).toContain(`Paved-Road-Task: ${retry.id}`);
  });
});
