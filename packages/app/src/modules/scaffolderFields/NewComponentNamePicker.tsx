import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import TextField from '@material-ui/core/TextField';

/**
 * The name of a new component: a text field, as the scaffolder's EntityNamePicker is,
 * that refuses a name a component in the catalog has already. The scaffolder backend
 * refuses it again when the task is created (two users may race).
 */
export function NewComponentNameInput(
  props: FieldExtensionComponentProps<string>,
) {
  const {
    onChange,
    required,
    schema: { title = 'Name', description },
    rawErrors,
    formData,
    uiSchema,
    idSchema,
    placeholder,
  } = props;
  return (
    <TextField
      id={idSchema?.$id}
      label={title}
      placeholder={placeholder}
      helperText={description}
      required={required}
      value={formData ?? ''}
      onChange={({ target: { value } }) => onChange(value)}
      margin="normal"
      error={(rawErrors?.length ?? 0) > 0 && !formData}
      inputProps={{ autoFocus: uiSchema?.['ui:autofocus'] }}
      FormHelperTextProps={{ margin: 'dense', style: { marginLeft: 0 } }}
    />
  );
}

/** Adds an error when a component of that name is in the catalog. */
export const newComponentNameValidation: CustomFieldValidator<string> = async (
  value,
  validation,
  { apiHolder },
) => {
  const catalogApi = apiHolder.get(catalogApiRef);
  if (!value || !catalogApi) {
    return;
  }
  const entity = await catalogApi
    .getEntityByRef({ kind: 'component', namespace: 'default', name: value })
    // the catalog may be unreachable: the server checks again anyway
    .catch(() => undefined);
  if (entity) {
    const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    validation.addError(
      `${stringifyEntityRef(entity)} already exists${
        typeof owner === 'string' ? ` (owned by ${owner})` : ''
      }: choose another name.`,
    );
  }
};

/** `ui:field: NewComponentNamePicker` in a template. */
export const NewComponentNamePicker = createFormField({
  name: 'NewComponentNamePicker',
  component: NewComponentNameInput,
  validation: newComponentNameValidation,
});
