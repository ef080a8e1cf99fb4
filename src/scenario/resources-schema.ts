import { z } from 'zod';
import { DOCKER_MIN_MEMORY_BYTES, formatCpuMillis, formatMemoryBytes, parseCpuMillis, parseMemoryBytes, sysctlProblem, sysctlValueProblem, type ContainerResources, type ResourceParse } from '../kubernetes/index.js';

function quantity(parse: (value: string | number) => ResourceParse, what: string) {
  return z.union([z.string(), z.number()], { error: `expected ${what}` }).transform((value, ctx) => {
    const parsed = parse(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.value;
  });
}

const cpu = quantity(parseCpuMillis, 'CPU as a Kubernetes quantity, like "250m" or "0.5"');
const memory = quantity(parseMemoryBytes, 'memory as a Kubernetes quantity, like "128Mi" or "1G"');
const amounts = z.strictObject({ cpu: cpu.optional(), memory: memory.optional() }, { error: 'expected { cpu, memory }' });

/**
 * One container's `resources:` as in a Kubernetes container spec, checked as the API server
 * checks it (pkg/apis/core/validation `ValidateResourceRequirements`): each request at most its
 * limit. Also refused: a limit of 0 (the kubelet would set no limit at all) and a memory limit
 * Docker 20.10 refuses (under 6 MiB).
 */
export const containerResourcesSchema = z
  .strictObject({ requests: amounts.optional(), limits: amounts.optional() }, { error: 'expected { requests: { cpu, memory }, limits: { cpu, memory } }' })
  .superRefine((value, ctx) => {
    const { requests = {}, limits = {} } = value;
    if (limits.cpu === 0) ctx.addIssue({ code: 'custom', path: ['limits', 'cpu'], message: 'a CPU limit of 0 is no limit to the kubelet; leave limits.cpu out instead' });
    if (limits.memory === 0) ctx.addIssue({ code: 'custom', path: ['limits', 'memory'], message: 'a memory limit of 0 is no limit to the kubelet; leave limits.memory out instead' });
    if (limits.memory !== undefined && limits.memory > 0 && limits.memory < DOCKER_MIN_MEMORY_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['limits', 'memory'], message: `Docker refuses memory limits below 6Mi (${DOCKER_MIN_MEMORY_BYTES} bytes); got ${limits.memory} bytes` });
    }
    if (requests.cpu !== undefined && limits.cpu !== undefined && limits.cpu > 0 && requests.cpu > limits.cpu) {
      ctx.addIssue({ code: 'custom', path: ['requests', 'cpu'], message: `must be less than or equal to the cpu limit of ${formatCpuMillis(limits.cpu)}` });
    }
    if (requests.memory !== undefined && limits.memory !== undefined && limits.memory > 0 && requests.memory > limits.memory) {
      ctx.addIssue({ code: 'custom', path: ['requests', 'memory'], message: `must be less than or equal to the memory limit of ${formatMemoryBytes(limits.memory)}` });
    }
  });

/** Per container role: the sidecar's and the app's resources. A role left out runs unconstrained. */
export const podResourcesSchema = z.strictObject(
  { sidecar: containerResourcesSchema.optional(), app: containerResourcesSchema.optional() },
  { error: 'expected { sidecar: { requests, limits }, app: { requests, limits } }' },
);

export type FileContainerResources = z.output<typeof containerResourcesSchema>;
export type FilePodResources = z.output<typeof podResourcesSchema>;

/**
 * Namespaced sysctls for the pods' network namespace: `{ net.core.somaxconn: 1024 }`. Values may
 * be numbers or strings ("1024 65535"); names that are not per-namespace are refused with why.
 */
export const sysctlsSchema = z
  .record(z.string(), z.union([z.string(), z.number()], { error: 'expected a value, like 1024 or "1024 65535"' }), { error: 'expected a mapping of sysctl names to values, like { net.core.somaxconn: 1024 }' })
  .superRefine((map, ctx) => {
    for (const [name, value] of Object.entries(map)) {
      const nameProblem = sysctlProblem(name);
      if (nameProblem) ctx.addIssue({ code: 'custom', path: [name], message: nameProblem });
      const valueProblem = typeof value === 'string' ? sysctlValueProblem(value) : Number.isFinite(value) ? undefined : 'expected a number';
      if (!nameProblem && valueProblem) ctx.addIssue({ code: 'custom', path: [name], message: valueProblem });
    }
  })
  .transform((map) => Object.fromEntries(Object.entries(map).map(([name, value]) => [name, String(value)])));

/** A role's resources resolved: only the fields written, CPU in millicores, memory in bytes. */
export function resolveContainerResources(file: FileContainerResources): ContainerResources {
  const amounts = (side: { cpu?: number | undefined; memory?: number | undefined } | undefined) => ({
    ...(side?.cpu !== undefined ? { cpuMilli: side.cpu } : {}),
    ...(side?.memory !== undefined ? { memoryBytes: side.memory } : {}),
  });
  return { requests: amounts(file.requests), limits: amounts(file.limits) };
}
