import { ResourceRequirements as K8sResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { BenchError, describeError } from '../errors.js';
import type { ResourceRequirements } from './resources-yaml.js';

/**
 * Checks a container `resources` object against the Kubernetes OpenAPI schema (kubernetes-models,
 * core/v1 ResourceRequirements, quantities by apimachinery's pattern) and the rule the API server
 * adds: a request may not exceed its limit. Throws BenchError SB_RESULTS_INVALID naming the field.
 */
export function validateResourceRequirements(resources: ResourceRequirements, compare: { cpuMillis: [number, number]; memoryBytes: [number, number] }): void {
  try {
    new K8sResourceRequirements(resources).validate();
  } catch (error) {
    throw new BenchError('SB_RESULTS_INVALID', `the planned resources are not a valid Kubernetes ResourceRequirements: ${describeError(error)}`);
  }
  if (compare.cpuMillis[0] > compare.cpuMillis[1]) throw new BenchError('SB_RESULTS_INVALID', `resources.requests.cpu ${resources.requests.cpu} exceeds resources.limits.cpu ${resources.limits.cpu}`);
  if (compare.memoryBytes[0] > compare.memoryBytes[1]) throw new BenchError('SB_RESULTS_INVALID', `resources.requests.memory ${resources.requests.memory} exceeds resources.limits.memory ${resources.limits.memory}`);
}
