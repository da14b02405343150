export {
  scaffolderFieldsModule,
  newComponentNamePickerField,
} from './scaffolderFieldsModule';
