/**
 * The portal's permission policy.
 *
 * @packageDocumentation
 */

export { permissionModulePavedRoad as default } from './module';
export { PavedRoadPermissionPolicy } from './PavedRoadPermissionPolicy';
