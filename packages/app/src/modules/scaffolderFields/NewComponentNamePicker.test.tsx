import { Entity } from '@backstage/catalog-model';
import { ApiHolder, ApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { fireEvent, render, screen } from '@testing-library/react';
import {
  NewComponentNameInput,
  newComponentNameValidation,
} from './NewComponentNamePicker';

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/payments-team' },
};

function apis(catalogApi?: unknown): ApiHolder {
  return {
    get: <T,>(ref: ApiRef<T>) =>
      (ref.id === catalogApiRef.id ? catalogApi : undefined) as T | undefined,
  };
}

async function validate(value: string, catalogApi?: unknown) {
  const errors: string[] = [];
  const validation = {
    addError: (message: string) => errors.push(message),
  } as unknown as Parameters<typeof newComponentNameValidation>[1];
  await newComponentNameValidation(value, validation, {
    apiHolder: apis(catalogApi),
    formData: {},
    schema: {},
  });
  return errors;
}

describe('NewComponentNamePicker', () => {
  it('refuses a name a component in the catalog has, saying whose it is', async () => {
    const catalog = catalogApiMock({ entities: [paymentsApi] });
    expect(await validate('payments-api', catalog)).toEqual([
      'component:default/payments-api already exists (owned by group:default/payments-team): choose another name.',
    ]);
  });

  it('accepts a name no component has', async () => {
    const catalog = catalogApiMock({ entities: [paymentsApi] });
    expect(await validate('orders-api', catalog)).toEqual([]);
  });

  it('leaves the decision to the server when the catalog cannot be asked', async () => {
    const catalog = catalogApiMock.mock({
      getEntityByRef: jest.fn().mockRejectedValue(new Error('offline')),
    });
    expect(await validate('payments-api', catalog)).toEqual([]);
    expect(await validate('payments-api')).toEqual([]);
  });

  it('is a text field that hands on what is typed', () => {
    const onChange = jest.fn();
    const props = {
      onChange,
      required: true,
      schema: { title: 'Name', description: 'Lowercase letters' },
      rawErrors: [],
      formData: '',
      uiSchema: {},
      idSchema: { $id: 'root_name' },
    } as unknown as FieldExtensionComponentProps<string>;
    render(<NewComponentNameInput {...props} />);

    const input = screen.getByRole('textbox', { name: /Name/ });
    fireEvent.change(input, { target: { value: 'orders-api' } });

    expect(onChange).toHaveBeenCalledWith('orders-api');
    expect(screen.getByText('Lowercase letters')).toBeInTheDocument();
  });
});
