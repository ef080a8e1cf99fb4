import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BenchError } from '../errors.js';
import { renderResourcesYaml, resourceRequirementsOf } from './resources-yaml.js';
import type { SidecarSizing } from './size-sidecar.js';
import { validateResourceRequirements } from './validate-resources.js';

const MI = 2 ** 20;
const sizing: SidecarSizing = {
  topology: 'sidecar',
  perReplicaRps: 2500,
  requests: { cpuMillis: 1020, memoryBytes: 44 * MI },
  limits: { cpuMillis: 2000, memoryBytes: 1024 * MI },
  concurrency: 2,
  cluster: { pods: 20, requestsVcpu: 20.4, requestsGiB: 0.86, limitsVcpu: 40, limitsGiB: 20 },
  kneeRps: 4000,
  notes: ['a caveat'],
};
const context = { runId: 'r1', scenario: 'capacity', targetRps: 5000, headroomShare: 0.3, services: 10, replicas: 2, slo: { p99Us: 10_000, maxErrorRate: 0.001 } };

describe('resources YAML', () => {
  it('is a Kubernetes ResourceRequirements in canonical quantities, with the plan in comments', () => {
    const text = renderResourcesYaml(sizing, context);
    expect(parse(text)).toEqual({ resources: { requests: { cpu: '1020m', memory: '44Mi' }, limits: { cpu: '2', memory: '1Gi' } } });
    expect(text).toMatch(/^# sidecar-bench plan: the sidecar container of topology "sidecar", from run r1/);
    expect(text).toContain('# concurrency: 2 worker thread(s)');
    expect(text).toContain('# cluster: 10 service(s) x 2 replica(s) = 20 sidecars: requests 20.40 vCPU, 0.86 GiB; limits 40.00 vCPU, 20.00 GiB');
    expect(text).toContain('# note: a caveat');
    expect(() => validateResourceRequirements(resourceRequirementsOf(sizing), { cpuMillis: [1020, 2000], memoryBytes: [44 * MI, 1024 * MI] })).not.toThrow();
  });

  it('refuses what the API server would: a malformed quantity, a request above its limit', () => {
    expect(() => validateResourceRequirements({ requests: { cpu: 'lots', memory: '1Mi' }, limits: { cpu: '1', memory: '1Mi' } }, { cpuMillis: [0, 1000], memoryBytes: [MI, MI] })).toThrow(/requests\/cpu/);
    expect(() => validateResourceRequirements({ requests: { cpu: '2', memory: '1Mi' }, limits: { cpu: '1', memory: '1Mi' } }, { cpuMillis: [2000, 1000], memoryBytes: [MI, MI] })).toThrow(BenchError);
  });
});
