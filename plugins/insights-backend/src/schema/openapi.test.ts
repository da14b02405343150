import fs from 'node:fs';
import path from 'node:path';
import { INSIGHTS_EVENT_NAME } from '@internal/plugin-insights-common';
// the generator is a script of the repository (yarn openapi:generate), in no package
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  generateOpenApiFiles,
  OPENAPI_PACKAGES,
} from '../../../../scripts/openapi';
import { spec } from './openapi/generated/router';

// The router and the frontend's types are generated from openapi.yaml: a hand edit of a
// generated file, or a spec changed without `yarn openapi:generate`, fails here.

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const pkg = OPENAPI_PACKAGES.find(
  p => p.backend === 'plugins/insights-backend',
)!;

describe('src/schema/openapi.yaml', () => {
  it.each([['router'], ['types']])(
    'is what the committed %s module was generated from',
    async kind => {
      const files = await generateOpenApiFiles(REPO_ROOT, pkg);
      const file = files.find(f => f.file.endsWith(`/${kind}.ts`))!;
      expect(fs.readFileSync(path.join(REPO_ROOT, file.file), 'utf8')).toBe(
        file.text,
      );
    },
  );
});

describe('the spec of an event', () => {
  it("refuses names as insights-common's INSIGHTS_EVENT_NAME does", () => {
    expect(spec.components.schemas.InsightsEvent.properties.name.pattern).toBe(
      INSIGHTS_EVENT_NAME.source,
    );
  });
});
