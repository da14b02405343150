import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';

/**
 * A mock action context for input of any shape (the tests feed invalid input on
 * purpose), with the outputs collected in a plain object.
 */
export function mockActionContext(options: {
  input: unknown;
  workspacePath: string;
  isDryRun?: boolean;
}) {
  const outputs: Record<string, unknown> = {};
  const ctx = createMockActionContext({
    input: options.input as JsonObject,
    workspacePath: options.workspacePath,
    isDryRun: options.isDryRun,
  });
  // createMockActionContext does not pass isDryRun on
  ctx.isDryRun = options.isDryRun;
  ctx.output = (name, value) => {
    outputs[String(name)] = value;
  };
  return { ctx: ctx as ActionContext<any, any>, outputs };
}
