export { scaffolderModulePavedRoad as default } from './module';
export { createArgoCdApplicationAction } from './actions/argocdApplication';
export { createTerraformStubAction } from './actions/terraformStub';
export { createEventEmitAction } from './actions/eventEmit';
export { createRepoPublishAction } from './actions/repoPublish';
export { createCatalogRegisterAction } from './actions/catalogRegister';
export { createSkeletonRenderAction } from './actions/skeletonRender';
