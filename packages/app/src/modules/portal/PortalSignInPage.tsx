import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import { resolveSignInProviders } from './signInProviders';

export function PortalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const title = config.getOptionalString('app.title') ?? 'Paved Road';
  const providers = resolveSignInProviders(
    config.getOptionalStringArray('portal.signIn.providers'),
  );
  return (
    <SignInPage
      {...props}
      title={`Welcome to ${title}`}
      align="center"
      providers={providers}
    />
  );
}
