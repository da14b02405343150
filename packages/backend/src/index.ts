import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Config loading that refuses to start when an `${ENV_VAR}` the config needs is unset.
backend.add(import('./rootConfig'));
// In production, what libraries print by themselves goes through the JSON logger too.
backend.add(import('./libraryOutput'));
// A backend whose plugins failed to start exits instead of lingering unready.
backend.add(import('./startupFailure'));
// On PostgreSQL one replica starts (and migrates) at a time.
backend.add(import('./startupLock'));
// Error answers without the request echoed back.
backend.add(import('./rootHttpRouter'));

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@internal/plugin-auth-backend-module-paved-road'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@internal/plugin-catalog-backend-module-paved-road'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@internal/plugin-permission-backend-module-paved-road'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@internal/plugin-scaffolder-backend-module-paved-road'));

backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@internal/plugin-scorecard-backend'));
backend.add(import('@internal/plugin-insights-backend'));

// Notifications in the portal, pushed live to open pages through signals.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
