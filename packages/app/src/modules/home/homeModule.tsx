import { createFrontendModule } from '@backstage/frontend-plugin-api';
import homePlugin from '@backstage/plugin-home/alpha';
import {
  HomePageLayoutBlueprint,
  HomePageWidgetBlueprint,
} from '@backstage/plugin-home-react/alpha';
import { PlatformOnlyCard } from './PlatformOnlyCard';

/** `home-page-layout:home`: our fixed grid (HomeLayout). */
export const homeLayout = HomePageLayoutBlueprint.make({
  params: {
    loader: async () => (await import('./HomeLayout')).HomeLayout,
  },
});

/** The golden paths, as big buttons to their forms. */
export const goldenPathsWidget = HomePageWidgetBlueprint.make({
  name: 'golden-paths',
  params: {
    name: 'HomeGoldenPaths',
    title: 'Create with a golden path',
    description: 'Every golden-path template, as a button to its form',
    layout: { width: { defaultColumns: 12 } },
    components: () =>
      import('./GoldenPathsContent').then(m => ({
        Content: m.GoldenPathsContent,
      })),
  },
});

/** The user's teams' services, their level and the one next thing to fix. */
export const teamServicesWidget = HomePageWidgetBlueprint.make({
  name: 'team-services',
  params: {
    name: 'HomeTeamServices',
    title: "Your teams' services",
    description:
      'Each service of your teams with its level and what to fix next',
    layout: { width: { defaultColumns: 7 } },
    components: () =>
      import('@internal/plugin-scorecard').then(m => ({
        Content: m.HomeTeamServicesContent,
      })),
  },
});

/** Exemptions to decide (platform team) and the user's that expire soon. */
export const exemptionsWidget = HomePageWidgetBlueprint.make({
  name: 'exemptions',
  params: {
    name: 'HomeExemptions',
    title: 'Exemptions waiting for you',
    description:
      'Requests to decide, for the platform team, and yours that expire within 14 days',
    layout: { width: { defaultColumns: 5 } },
    components: () =>
      import('@internal/plugin-scorecard').then(m => ({
        Content: m.HomeExemptionsContent,
      })),
  },
});

/** The user's running and recent scaffolder tasks. */
export const tasksWidget = HomePageWidgetBlueprint.make({
  name: 'tasks',
  params: {
    name: 'HomeTasks',
    title: 'Your tasks',
    description: 'Your running and recent template runs',
    layout: { width: { defaultColumns: 6 } },
    components: () =>
      import('./TasksContent').then(m => ({ Content: m.TasksContent })),
  },
});

/** This week's headline figures, for the platform team only. */
export const headlineFiguresWidget = HomePageWidgetBlueprint.make({
  name: 'headline-figures',
  params: {
    name: 'HomeHeadlineFigures',
    title: 'This week on the paved road',
    description: "This week's headline figures, for the platform team",
    layout: { width: { defaultColumns: 6 } },
    components: () =>
      import('@internal/plugin-insights').then(m => ({
        Content: m.HomeHeadlineFigures,
      })),
    componentProps: { Renderer: PlatformOnlyCard },
  },
});

// The home plugin's own widgets (a random joke, world clocks, visits) stay off: the home
// shows what needs the user on this portal.
const builtInWidgetsOff = (
  [
    'home-page-widget:home/toolkit',
    'home-page-widget:home/starred-entities',
    'home-page-widget:home/random-joke',
    'home-page-widget:home/most-visited',
    'home-page-widget:home/recently-visited',
    'home-page-widget:home/world-clock',
  ] as const
).map(id => homePlugin.getExtension(id).override({ disabled: true }));

/**
 * The portal's home page (`page:home` of `@backstage/plugin-home`, at /home, where `/`
 * redirects): our layout and widgets, the built-in ones off.
 */
export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [
    homeLayout,
    goldenPathsWidget,
    teamServicesWidget,
    exemptionsWidget,
    tasksWidget,
    headlineFiguresWidget,
    ...builtInWidgetsOff,
  ],
});
