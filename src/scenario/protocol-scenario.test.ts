import { describe, expect, it } from 'vitest';
import type { BenchError } from '../errors.js';
import { AGENT_PROTOCOLS } from '../load/protocols.js';
import { agentLoadOf, armLoadOf } from '../runner/load-spec.js';
import { parseScenario } from './index.js';

const problems = (text: string): readonly string[] => {
  try {
    parseScenario(text, 'protocols.yaml');
  } catch (error) {
    return (error as BenchError).details;
  }
  return [];
};

describe('load.protocol', () => {
  it('defaults to http1 with one stream per connection, and says nothing of it', () => {
    const scenario = parseScenario('topologies: [app-only]\nload: { connections: 1, duration: 1s }\n', 'x.yaml');
    // HTTP/1.1 resolves as before protocols existed (results and baselines compare unchanged).
    expect(scenario.load).not.toHaveProperty('protocol');
    expect(scenario.load).not.toHaveProperty('streamsPerConnection');
    expect(scenario.load).not.toHaveProperty('grpcMethod');
  });

  it('carries http2 streams and the gRPC method to the agent', () => {
    const h2 = parseScenario('topologies: [app-only, sidecar]\nload: { connections: 2, duration: 1s, protocol: http2, http2: { streamsPerConnection: 1024 } }\n', 'x.yaml');
    expect(agentLoadOf(h2)).toMatchObject({ protocol: 'http2', streamsPerConnection: 1024 });
    const grpc = parseScenario('topologies: [sidecar]\nproxy: { profile: envoy }\nload: { model: open, rate: 100/s, duration: 1s, protocol: grpc, grpc: { streamsPerConnection: 4 } }\n', 'x.yaml');
    expect(agentLoadOf(grpc)).toMatchObject({ protocol: 'grpc', streamsPerConnection: 4, grpcMethod: 'Unary' });
  });

  it('refuses, all at once and each at its field: another protocol’s settings, the calibration delay, too many streams', () => {
    const found = problems(
      'topologies: [sidecar, mtls]\nproxy: { profile: haproxy, addedDelay: 1ms }\nload: { connections: 1, duration: 1s, protocol: http2, grpc: { method: Unary }, http2: { streamsPerConnection: 70000 } }\n',
    );
    expect(found).toContainEqual(expect.stringMatching(/load\.http2\.streamsPerConnection: expected a whole number from 1 to 65535/));
    const crossed = problems('topologies: [sidecar, mtls]\nproxy: { profile: haproxy, addedDelay: 1ms }\nload: { connections: 1, duration: 1s, protocol: http2, grpc: { method: Unary } }\n');
    expect(crossed).toStrictEqual([
      expect.stringMatching(/load\.grpc: applies to protocol: grpc; this load's protocol is http2 and no arm speaks grpc/),
      expect.stringMatching(/proxy\.addedDelay: the calibration delay is calibrated with HTTP\/1\.1 only/),
    ]);
  });

  it('gives arms of another protocol that protocol’s section of load: (gRPC multiplexed beside HTTP/1.1)', () => {
    const scenario = parseScenario(
      'arms:\n  - { topology: app-only }\n  - { name: grpc, topology: app-only, protocol: grpc }\n  - { name: h2, topology: app-only, protocol: http2 }\n  - { name: tcp, topology: app-only, protocol: tcp }\n' +
        'load: { model: open, rate: 100/s, connections: 4, duration: 1s, grpc: { streamsPerConnection: 8 }, http2: { streamsPerConnection: 16 } }\n',
      'x.yaml',
    );
    expect(scenario.load.protocolSettings).toStrictEqual({ http2: { streamsPerConnection: 16 }, grpc: { streamsPerConnection: 8, grpcMethod: 'Unary' } });
    const load = agentLoadOf(scenario);
    expect(armLoadOf(load, 'grpc')).toMatchObject({ protocol: 'grpc', streamsPerConnection: 8, grpcMethod: 'Unary' });
    expect(armLoadOf(load, 'http2')).toMatchObject({ protocol: 'http2', streamsPerConnection: 16 });
    for (const protocol of ['http1', 'tcp'] as const) {
      const arm = armLoadOf(load, protocol);
      expect(arm).not.toHaveProperty('streamsPerConnection');
      expect(arm).not.toHaveProperty('grpcMethod');
      // Scenario-side only: the agent never receives it.
      expect(arm).not.toHaveProperty('protocolSettings');
    }
    // A load of one protocol keeps its own settings, as before: nothing extra is resolved.
    expect(parseScenario('topologies: [app-only]\nload: { connections: 2, duration: 1s, protocol: grpc, grpc: { streamsPerConnection: 4 } }\n', 'x.yaml').load).not.toHaveProperty('protocolSettings');
  });

  it('takes every protocol through the mtls topology with both proxies', () => {
    for (const profile of ['haproxy', 'envoy']) {
      for (const protocol of ['http2', 'grpc', 'websocket', 'tcp']) {
        const scenario = parseScenario(`topologies: [app-only, sidecar, mtls]\nproxy: { profile: ${profile} }\nload: { connections: 1, duration: 1s, protocol: ${protocol} }\n`, 'x.yaml');
        expect(scenario.load.protocol).toBe(protocol);
      }
    }
  });

  it('refuses a TLS connection per request (mtls-churn) for anything but HTTP/1.1, with the reason and the way out', () => {
    const through = (topology: string, protocol: string, profile = 'haproxy') => problems(`topologies: [${topology}]\nproxy: { profile: ${profile} }\nload: { connections: 1, duration: 1s, protocol: ${protocol} }\n`);
    expect(through('mtls-churn', 'tcp', 'envoy')).toStrictEqual([
      'protocols.yaml:3:49  load.protocol: tcp through the mtls-churn topology with envoy sidecars: tcp keeps each connection for many messages; a TLS connection per request is rendered for http1 only; use mtls',
    ]);
    expect(through('mtls-churn', 'websocket')).toStrictEqual([
      'protocols.yaml:3:49  load.protocol: websocket through the mtls-churn topology with haproxy sidecars: websocket keeps each connection for many messages; a TLS connection per request is rendered for http1 only; use mtls',
    ]);
    expect(through('mtls-churn', 'grpc', 'envoy')).toStrictEqual([
      'protocols.yaml:3:49  load.protocol: grpc through the mtls-churn topology with envoy sidecars: grpc multiplexes streams on kept-alive connections; a TLS connection per request is rendered for http1 only; use mtls',
    ]);
  });

  it('refuses a protocol the load agent has no client for, naming the ones it has', () => {
    const missing = ['websocket', 'tcp'].filter((protocol) => !AGENT_PROTOCOLS.includes(protocol as never));
    for (const protocol of missing) {
      expect(problems(`topologies: [app-only]\nload: { connections: 1, duration: 1s, protocol: ${protocol} }\n`)).toStrictEqual([
        expect.stringMatching(new RegExp(`load\\.protocol: the load agent has no ${protocol} client yet; use one of ${AGENT_PROTOCOLS.join(', ')}`)),
      ]);
    }
  });
});
