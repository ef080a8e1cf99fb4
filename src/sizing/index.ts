export { sizeSidecar, type SidecarSizing, type SizingInput } from './size-sidecar.js';
export { renderResourcesYaml, resourceRequirementsOf, type PlanContext, type ResourceRequirements } from './resources-yaml.js';
export { validateResourceRequirements } from './validate-resources.js';
