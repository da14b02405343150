import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
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
