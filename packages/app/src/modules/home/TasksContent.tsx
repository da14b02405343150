import { Link, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { useLoaded } from './useLoaded';

type Task = Awaited<
  ReturnType<(typeof scaffolderApiRef.T)['listTasks']>
>['tasks'][number];

/** How many tasks the card lists: the running ones and the latest finished. */
export const TASK_LIMIT = 8;

const STATUS: Record<string, { label: string; running?: boolean }> = {
  open: { label: 'Waiting', running: true },
  processing: { label: 'Running', running: true },
  completed: { label: 'Completed' },
  failed: { label: 'Failed' },
  cancelled: { label: 'Cancelled' },
  skipped: { label: 'Skipped' },
};

const useStyles = makeStyles((theme: Theme) => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    alignItems: 'baseline',
    gap: theme.spacing(1.5),
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
  what: { flex: 1 },
  failed: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

/** "HTTP service: orders-api", from the template's title and the name asked for. */
export function describeTask(task: Task): string {
  const info = task.spec.templateInfo;
  const template =
    info?.entity?.metadata.title ??
    info?.entity?.metadata.name ??
    info?.entityRef ??
    'A template';
  const name = task.spec.parameters?.name;
  return typeof name === 'string' ? `${template}: ${name}` : template;
}

const isRunning = (task: Task) => Boolean(STATUS[task.status]?.running);

/** The user's running tasks first, then the latest finished, newest first. */
export function TasksContent() {
  const classes = useStyles();
  const scaffolderApi = useApi(scaffolderApiRef);
  const taskRoute = useRouteRef(scaffolderPlugin.routes.ongoingTask);
  const { value, loading, error } = useLoaded(async () => {
    const { tasks } = await scaffolderApi.listTasks({
      filterByOwnership: 'owned',
      limit: 20,
    });
    return [...tasks]
      .sort(
        (a, b) =>
          Number(isRunning(b)) - Number(isRunning(a)) ||
          b.createdAt.localeCompare(a.createdAt),
      )
      .slice(0, TASK_LIMIT);
  }, [scaffolderApi]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <Typography variant="body2" role="alert">
        Could not load your tasks: {error.message}
      </Typography>
    );
  }
  if (value.length === 0) {
    return (
      <Typography variant="body2">
        You have not run a template yet: pick a golden path to create your first
        service.
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label="Your tasks">
      {value.map(task => {
        const status = STATUS[task.status] ?? { label: task.status };
        return (
          <li key={task.id} className={classes.item}>
            <Typography variant="body2" className={classes.what}>
              <Link to={taskRoute({ taskId: task.id })}>
                {describeTask(task)}
              </Link>
            </Typography>
            <Typography variant="caption" color="textSecondary">
              {task.createdAt.slice(0, 16).replace('T', ' ')} UTC
            </Typography>
            <Chip
              size="small"
              label={status.label}
              color={status.running ? 'primary' : 'default'}
              className={task.status === 'failed' ? classes.failed : undefined}
            />
          </li>
        );
      })}
    </ul>
  );
}
