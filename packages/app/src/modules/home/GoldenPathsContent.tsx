import { Entity } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { Link as RouterLink } from 'react-router-dom';
import { useLoaded } from './useLoaded';

/** The tag that makes a template a golden path (templates/_source/shared). */
export const GOLDEN_PATH_TAG = 'golden-path';

const useStyles = makeStyles((theme: Theme) => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(16rem, 1fr))',
    gap: theme.spacing(2),
  },
  button: {
    width: '100%',
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    textAlign: 'left',
    textTransform: 'none',
    padding: theme.spacing(2, 2.5),
    gap: theme.spacing(0.5),
  },
  // The button's label wraps the title and the description in one column.
  label: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start' },
  title: { fontWeight: 700, fontSize: '1.1rem' },
}));

const byTitle = (a: Entity, b: Entity) =>
  (a.metadata.title ?? a.metadata.name).localeCompare(
    b.metadata.title ?? b.metadata.name,
  );

/** Every golden path the user may run, as a big button to its form. */
export function GoldenPathsContent() {
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  const templateRoute = useRouteRef(scaffolderPlugin.routes.selectedTemplate);
  const { value, loading, error } = useLoaded(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Template', 'metadata.tags': GOLDEN_PATH_TAG },
      fields: [
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.description',
      ],
    });
    return [...items].sort(byTitle);
  }, [catalogApi]);

  if (loading) {
    return <Progress />;
  }
  if (error || !value) {
    return (
      <Typography variant="body2" role="alert">
        Could not load the golden paths: {error?.message}
      </Typography>
    );
  }
  if (value.length === 0) {
    return (
      <Typography variant="body2">
        No golden path is registered on this portal yet: ask the platform team
        (templates tagged {GOLDEN_PATH_TAG}).
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label="Golden paths">
      {value.map(template => {
        const {
          name,
          namespace = 'default',
          title,
          description,
        } = template.metadata;
        return (
          <li key={`${namespace}/${name}`}>
            <Button
              component={RouterLink}
              to={templateRoute({ namespace, templateName: name })}
              variant="outlined"
              color="primary"
              className={classes.button}
              classes={{ label: classes.label }}
            >
              <span className={classes.title}>{title ?? name}</span>
              {description && (
                <Typography
                  variant="body2"
                  color="textSecondary"
                  component="span"
                >
                  {description}
                </Typography>
              )}
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
