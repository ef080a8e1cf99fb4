import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario } from '../scenario/index.js';
import { renderInterceptionRules } from '../interception/index.js';
import type { PodContainerSpec } from './pod.js';
import { sidecarProxy } from '../proxies/driver.js';
import { renderHaproxyConfig } from '../proxies/haproxy/config.js';
import { haproxyDriver } from '../proxies/haproxy/driver.js';
import { APP_PORT, POD_SYSCTLS, appPortFor, planTopology, type PlanOptions } from './topology.js';

const SCENARIO: Scenario = parseScenario(
  [
    'name: plan',
    'topologies: [app-only, sidecar-inbound, sidecar]',
    'proxy: { profile: haproxy, workerThreads: 2 }',
    'app: { responseBody: 4KiB, serviceTime: 2ms }',
    'load: { connections: 8, warmup: 1s, duration: 5s }',
  ].join('\n'),
  'plan.yaml',
);

const OPTIONS: PlanOptions = {
  scenario: SCENARIO,
  images: { app: 'sb/app:test', loadgen: 'sb/loadgen:test' },
  proxy: sidecarProxy(haproxyDriver, 'sb/haproxy:test'),
};

const roles = (containers: readonly PodContainerSpec[]) => containers.map((container) => container.role);

describe('planTopology', () => {
  it('app-only: loadgen → app, no sidecar, no interception', () => {
    const plan = planTopology('app-only', OPTIONS);
    expect(plan.name).toBe('app-only');
    expect(plan.client).toMatchObject({ name: 'app-only-client', side: 'client' });
    expect(plan.server).toMatchObject({ name: 'app-only-server', side: 'server' });
    expect(roles(plan.client.containers)).toStrictEqual(['loadgen']);
    expect(roles(plan.server.containers)).toStrictEqual(['app']);
    expect(plan.client).not.toHaveProperty('interceptionRules');
    expect(plan.server).not.toHaveProperty('interceptionRules');
  });

  it('sidecar-inbound: only the server pod has a sidecar and interception', () => {
    const plan = planTopology('sidecar-inbound', OPTIONS);
    expect(roles(plan.client.containers)).toStrictEqual(['loadgen']);
    expect(roles(plan.server.containers)).toStrictEqual(['app', 'sidecar']);
    expect(plan.client).not.toHaveProperty('interceptionRules');
    expect(plan.server.interceptionRules).toBe(renderInterceptionRules());
  });

  it('sidecar: both pods have a sidecar and interception', () => {
    const plan = planTopology('sidecar', OPTIONS);
    expect(plan.client.name).toBe('sidecar-client');
    expect(roles(plan.client.containers)).toStrictEqual(['loadgen', 'sidecar']);
    expect(roles(plan.server.containers)).toStrictEqual(['app', 'sidecar']);
    expect(plan.client.interceptionRules).toBe(renderInterceptionRules());
    expect(plan.server.interceptionRules).toBe(renderInterceptionRules());
  });

  it('ebpf topologies: both sidecars; the outbound REDIRECT only where connect4 does not replace it', () => {
    for (const name of ['ebpf-sockmap', 'ebpf-connect', 'ebpf'] as const) {
      const plan = planTopology(name, OPTIONS);
      expect(roles(plan.client.containers)).toStrictEqual(['loadgen', 'sidecar']);
      expect(roles(plan.server.containers)).toStrictEqual(['app', 'sidecar']);
      expect(plan.interception.name).toBe(name);
      const outbound = name === 'ebpf-sockmap';
      expect(plan.client.interceptionRules).toBe(renderInterceptionRules({ outbound }));
      expect(plan.server.interceptionRules).toBe(renderInterceptionRules({ outbound }));
    }
  });

  it('renders the sidecar from the scenario worker threads and the app port', () => {
    const sidecar = planTopology('sidecar', OPTIONS).server.containers[1];
    expect(APP_PORT).toBe(8080);
    expect(sidecar?.image).toBe('sb/haproxy:test');
    expect(sidecar?.files).toStrictEqual([
      { content: renderHaproxyConfig({ workerThreads: 2, appPort: 8080, inboundPort: 15006, outboundPort: 15001 }), target: '/etc/sidecar/haproxy.cfg' },
    ]);
  });

  it('sends HTTP/2 and gRPC to the app’s h2c and gRPC ports, through sidecars rendered for them', () => {
    for (const [protocol, port] of [['http2', 8081], ['grpc', 8082]] as const) {
      const scenario = parseScenario(`topologies: [sidecar]\nload: { connections: 2, duration: 1s, protocol: ${protocol}, ${protocol}: { streamsPerConnection: 512 } }\n`, 'x.yaml');
      expect(appPortFor(protocol)).toBe(port);
      const sidecar = planTopology('sidecar', { ...OPTIONS, scenario }).server.containers[1];
      const config = String(sidecar?.files?.[0]?.content);
      expect(config).toContain(`server app 127.0.0.1:${port} proto h2`);
      expect(config).toContain('tune.h2.max-concurrent-streams 1024');
    }
  });

  it('a tcp arm’s sidecars carry the app’s TCP port at L4, its load goes to that port; other protocols keep the HTTP port', () => {
    const plan = planTopology('sidecar', { ...OPTIONS, protocol: 'tcp' });
    expect(plan.protocol).toBe('tcp');
    const expected = renderHaproxyConfig({ workerThreads: 2, maxConnections: 8, appPort: 8080, inboundPort: 15006, outboundPort: 15001, tcpPorts: [9000] });
    expect([plan.client, plan.server].map((pod) => pod.containers.find((container) => container.role === 'sidecar')?.files?.[0]?.content)).toStrictEqual([expected, expected]);
    expect(planTopology('sidecar', { ...OPTIONS, protocol: 'websocket' }).server.containers[1]?.files?.[0]?.content).not.toContain('mode tcp');
    expect(planTopology('sidecar', OPTIONS).protocol).toBe('http1');
    expect([appPortFor('tcp'), appPortFor('websocket'), appPortFor('http1')]).toStrictEqual([9000, 8080, 8080]);
  });

  it('configures the app from the scenario', () => {
    expect(planTopology('app-only', OPTIONS).server.containers[0]).toStrictEqual({
      role: 'app',
      image: 'sb/app:test',
      environment: { APP_PORT: '8080', APP_H2C_PORT: '8081', APP_GRPC_PORT: '8082', APP_TCP_PORT: '9000', APP_RESPONSE_BYTES: '4096', APP_SERVICE_TIME_US: '2000' },
      readinessCommand: "bash -c '</dev/tcp/127.0.0.1/8080 && </dev/tcp/127.0.0.1/8081 && </dev/tcp/127.0.0.1/8082 && </dev/tcp/127.0.0.1/9000'",
    });
    expect(planTopology('app-only', OPTIONS).client.containers[0]).toStrictEqual({ role: 'loadgen', image: 'sb/loadgen:test' });
  });

  it('a fault arm: the app on loopback only, the load without keep-alive, the fault it reproduces', () => {
    const plan = planTopology('sidecar', { ...OPTIONS, appBind: '127.0.0.1', keepAlive: false, fault: 'upstream-connect-error' });
    expect(plan.server.containers.find((container) => container.role === 'app')?.environment?.APP_BIND_ADDRESS).toBe('127.0.0.1');
    expect([plan.keepAlive, plan.fault]).toStrictEqual([false, 'upstream-connect-error']);
    const plain = planTopology('sidecar', OPTIONS);
    expect([plain.keepAlive, plain.fault]).toStrictEqual([undefined, undefined]);
  });

  it('passes the cpusets through to each pod', () => {
    const plan = planTopology('sidecar', { ...OPTIONS, clientCpus: '0', serverCpus: '1-2' });
    expect(plan.client.cpus).toBe('0');
    expect(plan.server.cpus).toBe('1-2');
  });

  it('leaves pods unpinned without cpusets', () => {
    const plan = planTopology('sidecar', OPTIONS);
    expect(plan.client).not.toHaveProperty('cpus');
    expect(plan.server).not.toHaveProperty('cpus');
  });

  it("sets the seed's sysctls in every pod", () => {
    expect(POD_SYSCTLS).toStrictEqual({
      'net.core.somaxconn': '1024',
      'net.ipv4.tcp_fin_timeout': '15',
      'net.ipv4.ip_local_port_range': '1024 65535',
    });
    for (const name of ['app-only', 'sidecar-inbound', 'sidecar'] as const) {
      const plan = planTopology(name, OPTIONS);
      expect(plan.client.sysctls).toStrictEqual(POD_SYSCTLS);
      expect(plan.server.sysctls).toStrictEqual(POD_SYSCTLS);
    }
  });

  it("sets an arm's own sysctls instead (none at all with {})", () => {
    const tuned = planTopology('sidecar', { ...OPTIONS, sysctls: { 'net.ipv4.tcp_tw_reuse': '1' } });
    expect(tuned.client.sysctls).toStrictEqual({ 'net.ipv4.tcp_tw_reuse': '1' });
    expect(tuned.server.sysctls).toStrictEqual({ 'net.ipv4.tcp_tw_reuse': '1' });
    expect(planTopology('sidecar', { ...OPTIONS, sysctls: {} }).server.sysctls).toStrictEqual({});
  });

  it('gives both sidecars the sidecar resources and the app its own; loadgen stays unconstrained', () => {
    const sidecar = { requests: { cpuMilli: 200 }, limits: { cpuMilli: 1000, memoryBytes: 512 * 1024 ** 2 } };
    const app = { requests: {}, limits: { cpuMilli: 500 } };
    const plan = planTopology('sidecar', { ...OPTIONS, resources: { sidecar, app } });
    const resourcesOf = (containers: readonly PodContainerSpec[]) => containers.map((container) => [container.role, container.resources]);
    expect(resourcesOf(plan.client.containers)).toStrictEqual([['loadgen', undefined], ['sidecar', sidecar]]);
    expect(resourcesOf(plan.server.containers)).toStrictEqual([['app', app], ['sidecar', sidecar]]);
    expect(planTopology('sidecar', OPTIONS).server.containers.every((container) => container.resources === undefined)).toBe(true);
  });
});
