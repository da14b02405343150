import { useEffect, useState } from 'react';
import { errorApiRef, useApi } from '@backstage/frontend-plugin-api';

function causeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null
    ? (error as { cause?: unknown }).cause
    : undefined;
}

function messageOf(error: unknown): string | undefined {
  return typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
    ? (error as { message: string }).message
    : undefined;
}

/**
 * What to tell someone whose sign-in failed: the innermost message. The sign-in
 * buttons report a failure as "Login failed; caused by NotAllowedError: <reason>", and
 * the reason (from the backend's sign-in resolver) is the part worth reading.
 */
export function signInFailureMessage(error: unknown): string | undefined {
  let innermost = error;
  while (messageOf(causeOf(innermost)) !== undefined) {
    innermost = causeOf(innermost);
  }
  return messageOf(innermost);
}

/**
 * The last sign-in failure while the sign-in page is shown. The sign-in buttons of
 * core-components report failures only to the error API (a toast that is easy to
 * miss), so the page listens there too.
 */
export function useSignInFailure(): string | undefined {
  const errorApi = useApi(errorApiRef);
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    const subscription = errorApi.error$().subscribe(({ error, context }) => {
      if (!context?.hidden) {
        setFailure(signInFailureMessage(error));
      }
    });
    return () => subscription.unsubscribe();
  }, [errorApi]);
  return failure;
}
