// Filled in by the portal's scaffolder when this repository was created.
export const SERVICE_NAME = '${{ values.name }}';
export const SERVICE_DESCRIPTION: string = ${{ values.description | dump }};
