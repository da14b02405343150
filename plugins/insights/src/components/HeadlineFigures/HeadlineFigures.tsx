import { Link, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { insightsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { FigureTiles } from '../InsightsPage/FigureTiles';
import { ErrorNotice } from '../InsightsPage/Notices';
import { FigureKey } from '../shared/figures';

/** The figures a platform engineer looks at first. */
export const HEADLINE_FIGURES: FigureKey[] = [
  'scaffolds',
  'scaffoldDurationP50',
  'bornCompliant',
  'guardrailCoverage',
];

/**
 * This week's headline figures for every team, each with its change from last week and
 * a four-week trend, and a link to the Insights page.
 */
export function HeadlineFigures() {
  const insightsApi = useApi(insightsApiRef);
  const insightsPage = useRouteRef(rootRouteRef);
  const { value, loading, error } = useAsync(
    () => insightsApi.getFigures({ weeks: 4 }),
    [insightsApi],
  );
  if (loading) {
    return <Progress />;
  }
  if (error || !value) {
    return <ErrorNotice error={error ?? new Error('No answer')} />;
  }
  const latest = value.weeks[value.weeks.length - 1];
  const measured =
    latest && HEADLINE_FIGURES.some(key => latest[key].value !== undefined);
  return (
    <>
      {measured ? (
        <FigureTiles
          weeks={value.weeks}
          keys={HEADLINE_FIGURES}
          label="This week's headline figures"
        />
      ) : (
        <Typography variant="body2">
          No figures yet: they appear once a golden path has run.
        </Typography>
      )}
      {insightsPage && (
        <Typography variant="body2" style={{ marginTop: 16 }}>
          <Link to={insightsPage()}>Every figure, per team, on Insights</Link>
        </Typography>
      )}
    </>
  );
}
