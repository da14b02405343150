import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';

/** The templates, in `templates/`, that start from an existing service. */
const TEMPLATES = [
  {
    name: 'request-database',
    title: 'Request a managed database',
    description: 'PostgreSQL, by pull request to its repository',
  },
  {
    name: 'request-queue',
    title: 'Request a queue',
    description: 'SQS with a dead-letter queue, by pull request',
  },
  {
    name: 'request-bucket',
    title: 'Request a bucket',
    description: 'S3, encrypted and private, by pull request',
  },
  {
    name: 'rotate-secret',
    title: 'Rotate a secret',
    description: 'A new value in Vault, then its pods restarted',
    // the rotation restarts the service's Deployments, found by this annotation
    needs: 'backstage.io/kubernetes-id',
  },
];

/** Links to the self-service templates with this component already picked. */
export function SelfServiceCard() {
  const { entity } = useEntity();
  const templateRoute = useRouteRef(scaffolderPlugin.routes.selectedTemplate);
  if (!templateRoute) {
    return null;
  }
  const formData = encodeURIComponent(
    JSON.stringify({ service: stringifyEntityRef(entity) }),
  );
  const annotations = entity.metadata.annotations ?? {};
  return (
    <InfoCard title="Self-service">
      <List dense disablePadding aria-label="Self-service">
        {TEMPLATES.filter(t => !t.needs || annotations[t.needs]).map(t => (
          <ListItem key={t.name} disableGutters>
            <ListItemText
              primary={
                <Link
                  to={`${templateRoute({
                    namespace: 'default',
                    templateName: t.name,
                  })}?formData=${formData}`}
                >
                  {t.title}
                </Link>
              }
              secondary={t.description}
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}
