import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import Typography from '@material-ui/core/Typography';
import {
  fetchSelfServiceCapabilities,
  SelfServiceAction,
  useSelfServiceCapabilities,
} from '../selfService/capabilities';

const ACTIONS: readonly string[] = [
  'database',
  'queue',
  'bucket',
  'secret-rotation',
] satisfies SelfServiceAction[];

type Options = {
  /** The form field holding the service's entity reference. Defaults to `service`. */
  entityField?: string;
};

function isAction(value: unknown): value is SelfServiceAction {
  return typeof value === 'string' && ACTIONS.includes(value);
}

function serviceOf(
  formData: unknown,
  entityField: string | undefined,
): string | undefined {
  const value = (formData as Record<string, unknown> | undefined)?.[
    entityField ?? 'service'
  ];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Says, under the service picker, when the template's action does not work for the
 * chosen service on this portal (no Vault, no repository here, ...). Its value is the
 * action (`database`, `queue`, `bucket`, `secret-rotation`), given as its `default`.
 */
export function SelfServiceAvailabilityInput(
  props: FieldExtensionComponentProps<string, Options>,
) {
  const { formData, uiSchema, formContext, registry } = props;
  const form = formContext?.formData ?? registry?.formContext?.formData;
  const service = serviceOf(form, uiSchema?.['ui:options']?.entityField);
  const { capabilities } = useSelfServiceCapabilities(service);
  const capability = isAction(formData) ? capabilities?.[formData] : undefined;
  if (!capability || capability.available) {
    return null;
  }
  return (
    <Typography role="alert" color="error" variant="body2">
      {capability.reason}
    </Typography>
  );
}

/** Refuses the step while the action does not work for the chosen service. */
export const selfServiceAvailabilityValidation: CustomFieldValidator<
  string,
  Options
> = async (value, validation, { apiHolder, formData, uiSchema }) => {
  const discoveryApi = apiHolder.get(discoveryApiRef);
  const fetchApi = apiHolder.get(fetchApiRef);
  const service = serviceOf(formData, uiSchema?.['ui:options']?.entityField);
  if (!isAction(value) || !service || !discoveryApi || !fetchApi) {
    return;
  }
  const capabilities = await fetchSelfServiceCapabilities(
    { discoveryApi, fetchApi },
    service,
  )
    // unknown: the action says what is wrong if it fails
    .catch(() => undefined);
  const capability = capabilities?.[value];
  if (capability && !capability.available) {
    validation.addError(capability.reason);
  }
};

/** `ui:field: SelfServiceAvailability` in a self-service template. */
export const SelfServiceAvailability = createFormField({
  name: 'SelfServiceAvailability',
  component: SelfServiceAvailabilityInput,
  validation: selfServiceAvailabilityValidation,
});
