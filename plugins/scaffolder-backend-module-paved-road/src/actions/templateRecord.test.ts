import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import { mockActionContext } from '../__testUtils__/actionContext';
import { upgradeFixture } from '../__testUtils__/upgradeFixture';
import { ANSWERS_FILE, parseAnswers } from '../upgrade/answers';
import { PortalSources } from '../upgrade/portalSources';
import { createTemplateRecordAction } from './templateRecord';
import { examples } from './templateRecord.examples';

const input = {
  template: 'http-service',
  version: 3,
  skeletons: ['service', 'node-common', 'node-http'],
  values: {
    name: 'orders',
    owner: 'group:default/payments',
    templateVersion: '3',
  },
};

describe('portal:template:record', () => {
  let fixture: Awaited<ReturnType<typeof upgradeFixture>>;
  let sources: PortalSources;
  let workspacePath: string;

  beforeEach(async () => {
    fixture = await upgradeFixture({
      template: 'http-service',
      skeletons: { service: { 'README.md': '# ${{ values.name }}\n' } },
    });
    sources = (await PortalSources.find(
      path.join(fixture.portal, 'skeletons'),
    ))!;
    workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'record-'));
  });
  afterEach(() => {
    fixture.cleanup();
    fs.rmSync(workspacePath, { recursive: true, force: true });
  });

  const run = (
    given: unknown,
    options: { sources?: PortalSources } = { sources },
  ) => {
    const { ctx, outputs } = mockActionContext({ input: given, workspacePath });
    return createTemplateRecordAction(options)
      .handler(ctx)
      .then(() => outputs);
  };
  const written = () =>
    fs.readFileSync(path.join(workspacePath, ANSWERS_FILE), 'utf8');

  it('records template, version, portal revision, layers and values', async () => {
    const outputs = await run(input);
    const revision = await sources.revision();
    expect(outputs).toEqual({ path: ANSWERS_FILE, portalRevision: revision });
    expect(parse(written())).toEqual({
      apiVersion: 'paved-road.io/v1',
      template: 'http-service',
      version: 3,
      portalRevision: revision,
      skeletons: ['service', 'node-common', 'node-http'],
      // the version is recorded once
      values: { name: 'orders', owner: 'group:default/payments' },
    });
    expect(parseAnswers(written()).version).toBe(3);
  });

  it('records no revision when the portal runs without its history', async () => {
    const outputs = await run(input, {});
    expect(outputs).toEqual({ path: ANSWERS_FILE });
    expect(parse(written()).portalRevision).toBeUndefined();
  });

  it('runs its examples', async () => {
    for (const example of examples) {
      const step = parse(example.example).steps[0];
      expect(step.action).toBe('portal:template:record');
      await run(step.input);
      expect(parse(written()).template).toBe(step.input.template);
    }
  });

  it.each([
    [{ ...input, template: '../etc' }, /'template'/],
    [{ ...input, version: 0 }, /'version'/],
    [{ ...input, skeletons: ['../../etc'] }, /'skeletons.0'/],
    [{ ...input, values: { name: '${{ secrets.token }}' } }, /values.name/],
    [{ ...input, values: { name: 'x'.repeat(3000) } }, /longer than 2048/],
  ])('refuses %#, writing nothing', async (given, message) => {
    const error = await run(given).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(message);
    expect(fs.readdirSync(workspacePath)).toEqual([]);
  });
});
