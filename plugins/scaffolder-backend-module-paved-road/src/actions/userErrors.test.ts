import { ConflictError, InputError } from '@backstage/errors';
import { withUserErrors } from './userErrors';

const failing = (error: Error) =>
  withUserErrors({
    id: 'test:fail',
    async handler(_ctx: { input: string }) {
      throw error;
    },
  });

describe('withUserErrors', () => {
  it.each([
    new InputError("Invalid input: field 'name': must not be empty"),
    new ConflictError('component:default/orders is already in the catalog'),
  ])('leaves only the message of %s for the task log', async error => {
    const thrown = await failing(error)
      .handler({ input: 'x' })
      .catch(e => e);
    expect(thrown).toBe(error);
    expect(thrown.stack).toBe(`${error.name}: ${error.message}`);
  });

  it('keeps the stack of anything else, for whoever debugs it', async () => {
    const bug = new TypeError(
      "Cannot read properties of undefined (reading 'x')",
    );
    const thrown = await failing(bug)
      .handler({ input: 'x' })
      .catch(e => e);
    expect(thrown.stack).toMatch(/\n\s+at /);
  });

  it('passes the context on and keeps the rest of the action', async () => {
    const seen: string[] = [];
    const action = withUserErrors({
      id: 'test:ok',
      description: 'records its input',
      async handler(ctx: { input: string }) {
        seen.push(ctx.input);
      },
    });
    await action.handler({ input: 'hello' });
    expect(seen).toEqual(['hello']);
    expect(action).toMatchObject({
      id: 'test:ok',
      description: 'records its input',
    });
  });
});
