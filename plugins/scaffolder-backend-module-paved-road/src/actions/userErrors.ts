/** Failures a user acts on: bad input, a taken name, something missing or refused. */
const USER_ERRORS = new Set([
  'InputError',
  'ConflictError',
  'NotFoundError',
  'NotAllowedError',
  'ServiceUnavailableError',
  // something this portal is not set up to do: the sentence says whom to ask
  'NotImplementedError',
]);

/**
 * The action, whose failures a user acts on reach the task log as their message: the
 * scaffolder logs a failed step's `stack`, and a stack trace in front of "choose another
 * name" helps nobody. Other errors (bugs) keep their stack for whoever debugs them.
 */
export function withUserErrors<
  A extends { handler(...args: never[]): Promise<void> },
>(action: A): A {
  const run = action.handler as (
    ...args: Parameters<A['handler']>
  ) => Promise<void>;
  return {
    ...action,
    async handler(...args: Parameters<A['handler']>) {
      try {
        await run.apply(action, args);
      } catch (error) {
        if (error instanceof Error && USER_ERRORS.has(error.name)) {
          error.stack = `${error.name}: ${error.message}`;
        }
        throw error;
      }
    },
  };
}
