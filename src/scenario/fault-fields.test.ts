import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { parseScenario } from './load-scenario.js';

const BASE = ['arms:', '  - { name: short, topology: sidecar, proxy: { routeTimeout: 50ms } }', '  - { name: long, topology: sidecar }', 'proxy: { profile: haproxy, routeTimeout: 2s }', 'load:', '  connections: 4', '  duration: 5s', ''].join('\n');

function message(text: string): string {
  try {
    parseScenario(text, 'faults.yaml');
  } catch (error) {
    if (error instanceof BenchError) return [error.message, ...error.details].join('\n');
    throw error;
  }
  throw new Error('accepted');
}

describe('scenario fields of the fault scenarios', () => {
  it('proxy.routeTimeout, per scenario and per arm, in µs', () => {
    const scenario = parseScenario(BASE, 'faults.yaml');
    expect(scenario.proxy.routeTimeoutUs).toBe(2_000_000);
    expect(scenario.arms.map((arm) => [arm.name, arm.proxy?.routeTimeoutUs])).toEqual([
      ['short', 50_000],
      ['long', 2_000_000],
    ]);
  });

  it('refuses a route timeout that is not whole milliseconds', () => {
    expect(message(BASE.replace('routeTimeout: 2s', 'routeTimeout: 1500us'))).toMatch(/proxy\.routeTimeout.*expected whole milliseconds/s);
  });

  it('gates.findings.failOn: finding names, deduplicated; an unknown name is refused with the list', () => {
    const scenario = parseScenario(`${BASE}gates:\n  findings: { failOn: [oom-killed, port-exhaustion, oom-killed] }\n`, 'faults.yaml');
    expect(scenario.gates.findings).toEqual({ failOn: ['oom-killed', 'port-exhaustion'] });
    expect(parseScenario(BASE, 'faults.yaml').gates.findings).toBeUndefined();
    expect(message(`${BASE}gates:\n  findings: { failOn: [oom] }\n`)).toMatch(/gates\.findings\.failOn\[0\]: unknown finding "oom"; expected one of upstream-timeout, upstream-connect-error, oom-killed/s);
  });
});

describe('arm fields of the fault scenarios: app.bind, load.keepAlive, fault, proxy.inboundEndpoint', () => {
  const ARMS = [
    'arms:',
    '  - { name: loopback, topology: sidecar, app: { bind: 127.0.0.1 }, load: { keepAlive: false }, fault: upstream-connect-error, proxy: { inboundEndpoint: pod-ip } }',
    '  - { name: plain, topology: sidecar }',
    'load:',
    '  connections: 4',
    '  duration: 5s',
    '',
  ].join('\n');

  it('resolves each arm’s own, and leaves an ordinary arm exactly as before', () => {
    const scenario = parseScenario(ARMS, 'faults.yaml');
    const [loopback, plain] = scenario.arms;
    expect(loopback).toMatchObject({ appBind: '127.0.0.1', keepAlive: false, fault: 'upstream-connect-error', proxy: { inboundEndpoint: 'pod-ip' } });
    expect(plain).toStrictEqual({ name: 'plain', topology: 'sidecar', proxy: { profile: 'haproxy', workerThreads: 1 } });
    expect(scenario.app).toStrictEqual({ responseBodyBytes: 1024, serviceTimeUs: 0 });
  });

  it('takes app.bind and proxy.inboundEndpoint for every arm from the scenario, an arm’s own app.bind over it', () => {
    const text = ['app: { bind: 127.0.0.1 }', 'proxy: { profile: envoy, inboundEndpoint: pod-ip }', 'arms:', '  - { name: a, topology: sidecar }', '  - { name: b, topology: sidecar, app: { bind: 0.0.0.0 } }', 'load: { connections: 4, duration: 5s }', ''].join('\n');
    const scenario = parseScenario(text, 'faults.yaml');
    expect(scenario.app.bind).toBe('127.0.0.1');
    expect(scenario.arms.map((arm) => [arm.name, arm.appBind, arm.proxy?.inboundEndpoint])).toStrictEqual([
      ['a', '127.0.0.1', 'pod-ip'],
      ['b', undefined, 'pod-ip'],
    ]);
  });

  it('refuses an unknown fault, bind address or endpoint, naming the field and what is expected', () => {
    expect(message(ARMS.replace('fault: upstream-connect-error', 'fault: refused'))).toMatch(/arms\[0\]\.fault: unknown finding "refused"; expected one of upstream-timeout/s);
    expect(message(ARMS.replace('bind: 127.0.0.1', 'bind: 10.0.0.1'))).toMatch(/arms\[0\]\.app\.bind: expected "0\.0\.0\.0".*or "127\.0\.0\.1"/s);
    expect(message(ARMS.replace('inboundEndpoint: pod-ip', 'inboundEndpoint: eth0'))).toMatch(/arms\[0\]\.proxy\.inboundEndpoint: expected localhost or pod-ip/s);
  });

  it('refuses a new connection per request for a protocol other than HTTP/1.1, and pod-ip with the delay relay or TCP ports', () => {
    expect(message(ARMS.replace('fault: upstream-connect-error', 'fault: upstream-connect-error, protocol: http2'))).toMatch(/arms\[0\]\.load\.keepAlive: a new connection per request is an HTTP\/1\.1 load only; this arm speaks http2/s);
    expect(message(ARMS.replace('inboundEndpoint: pod-ip', 'inboundEndpoint: pod-ip, addedDelay: 1ms'))).toMatch(/arms\[0\]\.proxy\.inboundEndpoint: pod-ip does not pass the added delay/s);
  });
});
