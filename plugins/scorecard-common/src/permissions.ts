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
 * Asking the deploy gate whether an entity may deploy. CI and Argo CD hooks get a static
 * token restricted to this permission (`backend.auth.externalAccess`), which lets them
 * call the gate and nothing else.
 *
 * @public
 */
export const scorecardGateCheckPermission = createPermission({
  name: 'scorecard.gate.check',
  attributes: { action: 'read' },
});

/**
 * Every permission of the scorecard plugin.
 *
 * @public
 */
export const scorecardPermissions = [
  scorecardReadPermission,
  scorecardExemptionApprovePermission,
  scorecardGateCheckPermission,
];
