import {
  AuditorService,
  PermissionsService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { scorecardExemptionApprovePermission } from '@internal/plugin-scorecard-common';
import { Knex } from 'knex';
import scorecardPlugin from '../index';
import { sampleCatalog } from './sampleCatalog';

export const developer = 'user:default/paula.payments';
export const platform = 'user:default/pat.platform';

export const as = (user: string) => mockCredentials.user.header(user);

// The permission policy is not under test here (see the permission module's tests): this
// one answers like ours, only platform people may approve exemptions.
const permissions = mockServices.permissions.mock({
  authorize: (async (
    requests: Array<{ permission: { name: string } }>,
    options: { credentials: { principal: { userEntityRef?: string } } },
  ) =>
    requests.map(r => ({
      result:
        r.permission.name === scorecardExemptionApprovePermission.name &&
        options.credentials.principal.userEntityRef !== platform
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    }))) as unknown as PermissionsService['authorize'],
});

export type AuditRecord = { eventId: string; meta?: unknown; outcome?: string };

function recordingAuditor(records: AuditRecord[]) {
  return mockServices.auditor.mock({
    createEvent: (async ({ eventId, meta }) => {
      const record: AuditRecord = { eventId, meta };
      records.push(record);
      return {
        success: async (o?: { meta?: unknown }) => {
          record.outcome = 'success';
          record.meta = { ...(meta as object), ...(o?.meta as object) };
        },
        fail: async () => {
          record.outcome = 'fail';
        },
      };
    }) as AuditorService['createEvent'],
  });
}

/**
 * The scorecard plugin on a test backend: the sample catalog (or these entities, or this
 * catalog service), `config` under `scorecard:`, the permission policy above, and every
 * audit event in `audit`.
 */
export async function startScorecardOn(
  knex: Knex,
  config: object = {},
  audit: AuditRecord[] = [],
  catalog: Entity[] | ServiceFactory = sampleCatalog,
) {
  const { server } = await startTestBackend({
    features: [
      scorecardPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: { scorecard: config } }),
      // The sweep runs once at startup, before the first request.
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      Array.isArray(catalog)
        ? catalogServiceMock.factory({ entities: catalog })
        : catalog,
      permissions.factory,
      recordingAuditor(audit).factory,
    ],
  });
  return server;
}
