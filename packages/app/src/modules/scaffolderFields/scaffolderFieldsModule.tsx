import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * `scaffolder-form-field:scaffolder/new-component-name-picker`: the golden paths' name
 * field, which refuses a name the catalog has already before the form is submitted.
 */
export const newComponentNamePickerField = FormFieldBlueprint.make({
  name: 'new-component-name-picker',
  params: {
    field: () =>
      import('./NewComponentNamePicker').then(m => m.NewComponentNamePicker),
  },
});

/**
 * `scaffolder-form-field:scaffolder/self-service-availability`: in a self-service
 * template, refuses the form early when its action does not work for the chosen service
 * on this portal, with the sentence saying why and whom to ask.
 */
export const selfServiceAvailabilityField = FormFieldBlueprint.make({
  name: 'self-service-availability',
  params: {
    field: () =>
      import('./SelfServiceAvailabilityField').then(
        m => m.SelfServiceAvailability,
      ),
  },
});

/** The scaffolder form fields of our own. */
export const scaffolderFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [newComponentNamePickerField, selfServiceAvailabilityField],
});
