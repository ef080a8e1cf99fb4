import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { parseScenario } from './load-scenario.js';

const FILE = 'limits.yaml';
/** Lines 1–2; a test appends its sections from line 3 on. */
const BASE = ['topologies: [app-only, sidecar]', 'load: { connections: 4, duration: 2s }', ''].join('\n');

function problems(text: string): readonly string[] {
  try {
    parseScenario(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(BenchError);
    expect((error as BenchError).code).toBe('SB_SCENARIO_INVALID');
    return (error as BenchError).details;
  }
  throw new Error('expected parseScenario to throw');
}

describe('scenario resources', () => {
  it('resolves the seed’s Step 1 block to millicores and bytes, for every arm with that role', () => {
    const scenario = parseScenario(
      `${BASE}resources:\n  sidecar:\n    requests: { cpu: 200m, memory: 128Mi }\n    limits: { cpu: 1000m, memory: 512Mi }\n  app:\n    limits: { cpu: 0.5, memory: 1G }\n`,
      FILE,
    );
    const sidecar = { requests: { cpuMilli: 200, memoryBytes: 128 * 1024 ** 2 }, limits: { cpuMilli: 1000, memoryBytes: 512 * 1024 ** 2 } };
    const app = { requests: {}, limits: { cpuMilli: 500, memoryBytes: 1_000_000_000 } };
    expect(scenario.resources).toStrictEqual({ sidecar, app });
    // app-only has no sidecar: only the app's resources apply to it.
    expect(scenario.arms.map((arm) => arm.resources)).toStrictEqual([{ app }, { sidecar, app }]);
  });

  it('leaves scenarios without resources exactly as before (no field at all)', () => {
    const scenario = parseScenario(BASE, FILE);
    expect('resources' in scenario).toBe(false);
    expect(scenario.arms.every((arm) => !('resources' in arm) && !('sysctls' in arm))).toBe(true);
  });

  it('lets an arm replace a role’s resources (a CPU-limit sweep as arms)', () => {
    const scenario = parseScenario(
      [
        'proxy: { profile: haproxy }',
        'resources: { sidecar: { limits: { cpu: "1" } } }',
        'arms:',
        '  - { topology: app-only }',
        '  - { name: cpu-1, topology: sidecar }',
        '  - { name: cpu-100m, topology: sidecar, resources: { sidecar: { limits: { cpu: 100m } } } }',
        '  - { name: unlimited, topology: sidecar, resources: { sidecar: {} } }',
        'load: { connections: 4, duration: 2s }',
      ].join('\n'),
      FILE,
    );
    expect(scenario.arms.map((arm) => [arm.name, arm.resources])).toStrictEqual([
      ['app-only', undefined],
      ['cpu-1', { sidecar: { requests: {}, limits: { cpuMilli: 1000 } } }],
      ['cpu-100m', { sidecar: { requests: {}, limits: { cpuMilli: 100 } } }],
      ['unlimited', { sidecar: { requests: {}, limits: {} } }],
    ]);
  });

  it('names file, line, field and the value for a bad quantity', () => {
    expect(problems(`${BASE}resources:\n  sidecar:\n    limits: { cpu: 100mc, memory: 128MB }\n`)).toStrictEqual([
      'limits.yaml:5:20  resources.sidecar.limits.cpu: expected a Kubernetes quantity like "250m", "0.5", "2", "128Mi", "1G" or "1e3" (CPU cores); got "100mc"',
      'limits.yaml:5:35  resources.sidecar.limits.memory: expected a Kubernetes quantity like "250m", "0.5", "2", "128Mi", "1G" or "1e3" (bytes; Mi = 1024², M = 1000²); got "128MB"',
    ]);
  });

  it('refuses what the API server or Docker would refuse, naming the field', () => {
    expect(problems(`${BASE}resources: { sidecar: { requests: { cpu: "2" }, limits: { cpu: 500m } } }\n`)).toStrictEqual([
      'limits.yaml:3:42  resources.sidecar.requests.cpu: must be less than or equal to the cpu limit of 500m',
    ]);
    expect(problems(`${BASE}resources: { app: { requests: { memory: 1Gi }, limits: { memory: 512Mi } } }\n`)).toStrictEqual([
      'limits.yaml:3:41  resources.app.requests.memory: must be less than or equal to the memory limit of 512Mi',
    ]);
    expect(problems(`${BASE}resources: { sidecar: { limits: { memory: 4Mi } } }\n`)).toStrictEqual([
      'limits.yaml:3:43  resources.sidecar.limits.memory: Docker refuses memory limits below 6Mi (6291456 bytes); got 4194304 bytes',
    ]);
    expect(problems(`${BASE}resources: { sidecar: { limits: { cpu: 0 } } }\n`)).toStrictEqual([
      'limits.yaml:3:40  resources.sidecar.limits.cpu: a CPU limit of 0 is no limit to the kubelet; leave limits.cpu out instead',
    ]);
    expect(problems(`${BASE}resources: { sidecar: { limits: { cpu: -1 } } }\n`)).toStrictEqual([
      'limits.yaml:3:40  resources.sidecar.limits.cpu: must be greater than or equal to 0; got "-1"',
    ]);
  });

  it('refuses unknown roles and fields, and sidecar resources on an app-only arm', () => {
    expect(problems(`${BASE}resources: { loadgen: {} }\n`)).toStrictEqual(['limits.yaml:3:14  resources.loadgen: unknown field; remove it or check its spelling']);
    expect(problems(`${BASE}resources: { sidecar: { limit: { cpu: 1 } } }\n`)).toStrictEqual(['limits.yaml:3:25  resources.sidecar.limit: unknown field; remove it or check its spelling']);
    expect(problems(`${BASE}resources: { sidecar: { limits: { cpus: 1 } } }\n`)).toStrictEqual(['limits.yaml:3:35  resources.sidecar.limits.cpus: unknown field; remove it or check its spelling']);
    expect(
      problems(['arms:', '  - { topology: app-only, resources: { sidecar: { limits: { cpu: 1 } } } }', 'load: { connections: 4, duration: 2s }', ''].join('\n')),
    ).toStrictEqual(['limits.yaml:2:49  arms[0].resources.sidecar: app-only has no sidecar; remove resources.sidecar from this arm']);
  });
});

describe('scenario sysctls', () => {
  it('keeps every pod on the seed’s tunables when absent (no field), and takes numbers or strings', () => {
    expect('sysctls' in parseScenario(BASE, FILE)).toBe(false);
    const scenario = parseScenario(`${BASE}sysctls:\n  net.core.somaxconn: 4096\n  net.ipv4.ip_local_port_range: "1024 65535"\n  net.ipv4.tcp_tw_reuse: 1\n`, FILE);
    const sysctls = { 'net.core.somaxconn': '4096', 'net.ipv4.ip_local_port_range': '1024 65535', 'net.ipv4.tcp_tw_reuse': '1' };
    expect(scenario.sysctls).toStrictEqual(sysctls);
    expect(scenario.arms.map((arm) => arm.sysctls)).toStrictEqual([sysctls, sysctls]);
  });

  it('lets an arm run with the kernel’s defaults ({}) beside one with tunables: with/without in one run', () => {
    const scenario = parseScenario(
      [
        'sysctls: { net.ipv4.tcp_fin_timeout: 15 }',
        'arms:',
        '  - { name: tuned, topology: sidecar }',
        '  - { name: kernel-defaults, topology: sidecar, sysctls: {} }',
        '  - { name: narrow-ports, topology: sidecar, sysctls: { net.ipv4.ip_local_port_range: "40000 40100" } }',
        'load: { connections: 4, duration: 2s }',
      ].join('\n'),
      FILE,
    );
    expect(scenario.arms.map((arm) => arm.sysctls)).toStrictEqual([{ 'net.ipv4.tcp_fin_timeout': '15' }, {}, { 'net.ipv4.ip_local_port_range': '40000 40100' }]);
  });

  it('refuses sysctls a pod cannot set, saying why', () => {
    expect(problems(`${BASE}sysctls:\n  vm.swappiness: 10\n  kernel.shmmax: 1\n  net.core.rmem_max: 1\n  net.core.somaxconn: ""\n  net/core/somaxconn: 1\n`)).toStrictEqual([
      'limits.yaml:4:18  sysctls.vm.swappiness: vm.swappiness is not namespaced: it would change the whole host, not the pod (only net.* sysctls are per network namespace)',
      'limits.yaml:5:18  sysctls.kernel.shmmax: kernel.shmmax belongs to the IPC namespace, which the containers of a pod here do not share (only the network namespace is shared); only net.* sysctls can be set per pod',
      'limits.yaml:6:22  sysctls.net.core.rmem_max: net.core.rmem_max is host-wide: the kernel keeps it for the initial network namespace only, so a pod cannot set it',
      'limits.yaml:7:23  sysctls.net.core.somaxconn: expected a value, like "1024" or "1024 65535"',
      'limits.yaml:8:23  sysctls.net/core/somaxconn: "net/core/somaxconn" is not a sysctl name; expected a dotted name like net.core.somaxconn',
    ]);
  });
});
