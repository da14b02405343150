import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import type { JsonObject } from '@backstage/types';
import { mockApis, TestApiProvider } from '@backstage/frontend-test-utils';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { render, screen } from '@testing-library/react';
import {
  SelfServiceAvailabilityInput,
  selfServiceAvailabilityValidation,
} from './SelfServiceAvailabilityField';

const BASE_URL = 'http://backend.test';
const noVault = 'Secret rotation is not set up on this portal: ask #platform.';

/** The scaffolder module's answer, at the HTTP layer. */
function backend(status = 200) {
  const asked: string[] = [];
  const fetch = jest.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    asked.push(url.searchParams.get('entityRef') ?? '');
    return new Response(
      JSON.stringify({
        entityRef: url.searchParams.get('entityRef'),
        actions: {
          database: { available: true },
          'secret-rotation': { available: false, reason: noVault },
        },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    );
  });
  const discoveryApi = mockApis.discovery({ baseUrl: BASE_URL });
  const fetchApi = mockApis.fetch({
    baseImplementation: fetch as unknown as typeof globalThis.fetch,
  });
  return { discoveryApi, fetchApi, asked };
}

async function validate(
  value: string,
  formData: JsonObject,
  apis: ReturnType<typeof backend>,
) {
  const errors: string[] = [];
  const validation = {
    addError: (message: string) => errors.push(message),
  } as unknown as Parameters<typeof selfServiceAvailabilityValidation>[1];
  await selfServiceAvailabilityValidation(value, validation, {
    apiHolder: {
      get: ref =>
        ({
          [discoveryApiRef.id]: apis.discoveryApi,
          [fetchApiRef.id]: apis.fetchApi,
        }[ref.id] as never),
    },
    formData,
    schema: {},
    uiSchema: {},
  });
  return errors;
}

const service = 'component:default/payments-api';

describe('SelfServiceAvailability', () => {
  it('refuses the step with the sentence when the action does not work for the service', async () => {
    const apis = backend();
    expect(await validate('secret-rotation', { service }, apis)).toEqual([
      noVault,
    ]);
    expect(apis.asked).toEqual([service]);
  });

  it('lets an action that works go on', async () => {
    expect(await validate('database', { service }, backend())).toEqual([]);
  });

  it('waits for a service before asking, and leaves it to the action when the backend cannot say', async () => {
    const apis = backend();
    expect(await validate('secret-rotation', {}, apis)).toEqual([]);
    expect(apis.asked).toEqual([]);
    expect(
      await validate('secret-rotation', { service }, backend(503)),
    ).toEqual([]);
  });

  it('shows the sentence under the picker as soon as the service is chosen', async () => {
    const apis = backend();
    const props = (action: string) =>
      ({
        formData: action,
        formContext: { formData: { service } },
        uiSchema: {},
        schema: {},
        onChange: jest.fn(),
      } as unknown as FieldExtensionComponentProps<string>);
    const { rerender } = render(
      <TestApiProvider
        apis={[
          [discoveryApiRef, apis.discoveryApi],
          [fetchApiRef, apis.fetchApi],
        ]}
      >
        <SelfServiceAvailabilityInput {...props('secret-rotation')} />
      </TestApiProvider>,
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(noVault);

    rerender(
      <TestApiProvider
        apis={[
          [discoveryApiRef, apis.discoveryApi],
          [fetchApiRef, apis.fetchApi],
        ]}
      >
        <SelfServiceAvailabilityInput {...props('database')} />
      </TestApiProvider>,
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
