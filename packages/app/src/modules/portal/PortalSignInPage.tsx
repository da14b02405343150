import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useSignInFailure } from './signInFailure';
import { resolveSignInProviders } from './signInProviders';

export function PortalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const failure = useSignInFailure();
  const title = `Welcome to ${
    config.getOptionalString('app.title') ?? 'Paved Road'
  }`;
  const providers = resolveSignInProviders(
    config.getOptionalStringArray('pavedRoad.signIn.providers'),
  );
  return (
    <SignInPage
      {...props}
      title={title}
      titleComponent={
        <Box width="100%">
          <Typography variant="h4" component="h2">
            {title}
          </Typography>
          {failure && (
            <Typography role="alert" color="error">
              {failure}
            </Typography>
          )}
        </Box>
      }
      align="center"
      providers={providers}
    />
  );
}
