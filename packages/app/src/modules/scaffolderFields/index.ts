export {
  scaffolderFieldsModule,
  newComponentNamePickerField,
  selfServiceAvailabilityField,
} from './scaffolderFieldsModule';
