import {
  isReadPermission,
  isUpdatePermission,
} from '@backstage/plugin-permission-common';
import {
  scorecardExemptionApprovePermission,
  scorecardPermissions,
  scorecardReadPermission,
} from './permissions';

describe('scorecard permissions', () => {
  it('approving an exemption is an update permission', () => {
    expect(scorecardExemptionApprovePermission).toEqual({
      type: 'basic',
      name: 'scorecard.exemption.approve',
      attributes: { action: 'update' },
    });
    expect(isUpdatePermission(scorecardExemptionApprovePermission)).toBe(true);
  });

  it('reading is a read permission', () => {
    expect(scorecardReadPermission.name).toBe('scorecard.read');
    expect(isReadPermission(scorecardReadPermission)).toBe(true);
  });

  it('lists every permission once, with unique names', () => {
    const names = scorecardPermissions.map(p => p.name);
    expect(names).toEqual([
      'scorecard.read',
      'scorecard.exemption.approve',
      'scorecard.gate.check',
    ]);
    expect(new Set(names).size).toBe(names.length);
  });
});
