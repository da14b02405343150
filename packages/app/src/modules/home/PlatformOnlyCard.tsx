import { InfoCard } from '@backstage/core-components';
import { RendererProps } from '@backstage/plugin-home-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { scorecardExemptionApprovePermission } from '@internal/plugin-scorecard';

/**
 * Renders a home widget's card for the platform team only: those who may decide on
 * exemptions (`pavedRoad.permissions.platformGroups`, through the permission policy).
 * For everyone else it renders nothing, and the layout gives it no room.
 */
export function PlatformOnlyCard(props: RendererProps) {
  const { Content, title } = props;
  const { loading, allowed } = usePermission({
    permission: scorecardExemptionApprovePermission,
  });
  if (loading || !allowed) {
    return null;
  }
  return (
    <InfoCard title={title} divider={Boolean(title)}>
      <Content />
    </InfoCard>
  );
}
