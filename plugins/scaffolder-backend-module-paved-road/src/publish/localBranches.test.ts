import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitFiles } from '../__testUtils__/upgradeFixture';
import { gitCli } from '../__testUtils__/portalContext';
import { filesAt } from './localBranches';

describe('filesAt', () => {
  let repo: string;
  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'files-at-'));
    gitCli(repo, ['init', '--quiet', '--initial-branch=main']);
    commitFiles(
      repo,
      {
        'a name with spaces.md': 'spaced\n',
        'docs/unicode.txt': 'Grüße, 東京 🚀\nline two\n',
        'empty.txt': '',
        'docs/nested/deep.txt': 'deep',
      },
      'Files',
    );
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('reads several files in one go, leaving out what is absent or no file', async () => {
    const texts = await filesAt(repo, 'main', [
      'missing.txt',
      'a name with spaces.md',
      'docs',
      'docs/unicode.txt',
      'no such dir/missing too.txt',
      'empty.txt',
      'docs/nested/deep.txt',
    ]);
    expect(Object.fromEntries(texts)).toEqual({
      'a name with spaces.md': 'spaced\n',
      'docs/unicode.txt': 'Grüße, 東京 🚀\nline two\n',
      'empty.txt': '',
      'docs/nested/deep.txt': 'deep',
    });
  });
});
