import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading scorecards, rules, levels and exemptions.
 *
 * @public
 */
export const scorecardReadPermission = createPermission({
  name: 'scorecard.read',
  attributes: { action: 'read' },
});

/**
 * Approving an exemption to a rule.
 *
 * @public
 */
export const scorecardExemptionApprovePermission = createPermission({
  name: 'scorecard.exemption.approve',
  attributes: { action: 'update' },
});

/**
 * Every permission of the scorecard plugin.
 *
 * @public
 */
export const scorecardPermissions = [
  scorecardReadPermission,
  scorecardExemptionApprovePermission,
];
