import { Content, Header, Page } from '@backstage/core-components';
import { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { CSSProperties } from 'react';

/** The order of our widgets on the page; anything else installed comes after them. */
export const WIDGET_ORDER = [
  'HomeGoldenPaths',
  'HomeTeamServices',
  'HomeExemptions',
  'HomeTasks',
  'HomeHeadlineFigures',
];

const useStyles = makeStyles((theme: Theme) => ({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(12, minmax(0, 1fr))',
    gap: theme.spacing(3),
    alignItems: 'start',
  },
  cell: {
    gridColumn: 'span var(--home-columns, 12)',
    // A widget that shows nothing to this user (platform figures) takes no room.
    '&:empty': { display: 'none' },
    [theme.breakpoints.down('sm')]: { gridColumn: '1 / -1' },
  },
}));

function rank(name: string | undefined): number {
  const index = name ? WIDGET_ORDER.indexOf(name) : -1;
  return index === -1 ? WIDGET_ORDER.length : index;
}

/**
 * The home page: a fixed grid, each widget as wide as its layout asks (of 12 columns,
 * full width on narrow screens). A user has nothing to arrange on day one.
 */
export function HomeLayout(props: HomePageLayoutProps) {
  const classes = useStyles();
  const widgets = [...props.widgets].sort(
    (a, b) => rank(a.name) - rank(b.name),
  );
  return (
    <Page themeId="home">
      <Header
        title="Home"
        subtitle="Your teams' services, your tasks and exemptions, and the golden paths"
      />
      <Content>
        <div className={classes.grid}>
          {widgets.map((widget, index) => (
            <div
              key={widget.name ?? index}
              className={classes.cell}
              style={
                {
                  '--home-columns': widget.layout?.width?.defaultColumns ?? 12,
                } as CSSProperties
              }
            >
              {widget.component}
            </div>
          ))}
        </div>
      </Content>
    </Page>
  );
}
