import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { SelfServiceAction, useSelfServiceCapabilities } from './capabilities';

/** The templates, in `templates/`, that start from an existing service. */
const TEMPLATES: Array<{
  name: string;
  title: string;
  description: string;
  action: SelfServiceAction;
}> = [
  {
    name: 'request-database',
    title: 'Request a managed database',
    description: 'PostgreSQL, by pull request to its repository',
    action: 'database',
  },
  {
    name: 'request-queue',
    title: 'Request a queue',
    description: 'SQS with a dead-letter queue, by pull request',
    action: 'queue',
  },
  {
    name: 'request-bucket',
    title: 'Request a bucket',
    description: 'S3, encrypted and private, by pull request',
    action: 'bucket',
  },
  {
    name: 'rotate-secret',
    title: 'Rotate a secret',
    description: 'A new value in Vault, then its pods restarted',
    action: 'secret-rotation',
  },
];

/**
 * Links to the self-service templates with this component already picked. What this
 * portal cannot do for the component (no Vault, no repository here, ...) is shown
 * without a link, with the backend's sentence saying why and whom to ask.
 */
export function SelfServiceCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const templateRoute = useRouteRef(scaffolderPlugin.routes.selectedTemplate);
  const { loading, capabilities } = useSelfServiceCapabilities(entityRef);
  if (!templateRoute) {
    return null;
  }
  const formData = encodeURIComponent(JSON.stringify({ service: entityRef }));
  return (
    <InfoCard title="Self-service">
      <List dense disablePadding aria-label="Self-service" aria-busy={loading}>
        {TEMPLATES.map(t => {
          // unknown (loading, or the backend did not answer): the form checks again
          const capability = capabilities?.[t.action];
          const unavailable =
            capability && !capability.available ? capability.reason : undefined;
          return (
            <ListItem
              key={t.name}
              disableGutters
              aria-disabled={unavailable ? true : undefined}
              data-testid={`self-service-${t.name}`}
            >
              <ListItemText
                primary={
                  unavailable || loading ? (
                    t.title
                  ) : (
                    <Link
                      to={`${templateRoute({
                        namespace: 'default',
                        templateName: t.name,
                      })}?formData=${formData}`}
                    >
                      {t.title}
                    </Link>
                  )
                }
                primaryTypographyProps={
                  unavailable ? { color: 'textSecondary' } : undefined
                }
                secondary={unavailable ?? t.description}
              />
            </ListItem>
          );
        })}
      </List>
    </InfoCard>
  );
}
