import { describe, expect, it } from 'vitest';
import type { BenchError } from '../errors.js';
import { parse } from 'yaml';
import { supported, unsupported, type ProxyCapabilities } from '../proxies/driver.js';
import { armCapabilityProblems, fileArms, mergeProxy } from './arms-schema.js';
import { parseScenario } from './load-scenario.js';
import { scenarioFileSchema } from './schema.js';
import { agentLoadOf } from '../runner/load-spec.js';

const LOAD = 'load: { connections: 4, duration: 2s }\n';
const notOverMtls = unsupported('not over mTLS');
const NOTHING_OVER_MTLS: ProxyCapabilities['protocolsOverMtls'] = { http2: notOverMtls, grpc: notOverMtls, websocket: notOverMtls, tcp: notOverMtls };

function problems(text: string): readonly string[] {
  try {
    parseScenario(text, 'arms.yaml');
  } catch (error) {
    return (error as BenchError).details;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('arms: resolution', () => {
  it('resolves each arm’s proxy over the scenario’s, and lists the distinct topologies in order', () => {
    const scenario = parseScenario(
      [
        'proxy: { profile: haproxy, workerThreads: 2 }',
        'arms:',
        '  - { topology: app-only }',
        '  - { name: haproxy, topology: sidecar }',
        '  - { name: haproxy-slow, topology: sidecar, proxy: { addedDelay: 1ms } }',
        '  - { name: envoy-old, topology: sidecar, proxy: { profile: envoy, version: "1.36.2" } }',
        '  - { name: inbound, topology: sidecar-inbound, proxy: { workerThreads: 1 } }',
        LOAD,
      ].join('\n'),
      'arms.yaml',
    );
    expect(scenario.topologies).toStrictEqual(['app-only', 'sidecar', 'sidecar-inbound']);
    expect(scenario.proxy).toStrictEqual({ profile: 'haproxy', workerThreads: 2 });
    expect(scenario.arms).toStrictEqual([
      { name: 'app-only', topology: 'app-only' },
      { name: 'haproxy', topology: 'sidecar', proxy: { profile: 'haproxy', workerThreads: 2 } },
      { name: 'haproxy-slow', topology: 'sidecar', proxy: { profile: 'haproxy', workerThreads: 2, addedDelayUs: 1000 } },
      // Another profile keeps only the thread count from the scenario's proxy.
      { name: 'envoy-old', topology: 'sidecar', proxy: { profile: 'envoy', version: '1.36.2', workerThreads: 2 } },
      { name: 'inbound', topology: 'sidecar-inbound', proxy: { profile: 'haproxy', workerThreads: 1 } },
    ]);
  });

  it('the simple form is one arm per topology with the scenario’s proxy, app-only without one', () => {
    const scenario = parseScenario(`topologies: [app-only, sidecar]\nproxy: { profile: haproxy, addedDelay: 500us }\n${LOAD}`, 'arms.yaml');
    expect(scenario.arms).toStrictEqual([
      { name: 'app-only', topology: 'app-only' },
      { name: 'sidecar', topology: 'sidecar', proxy: { profile: 'haproxy', workerThreads: 1, addedDelayUs: 500 } },
    ]);
  });

  it('mergeProxy: same profile inherits version, image and delay; another profile does not', () => {
    const defaults = { profile: 'envoy' as const, version: '1.40.0', workerThreads: 2, image: 'my/envoy:1', addedDelay: 1000 };
    expect(mergeProxy(defaults, undefined)).toBe(defaults);
    expect(mergeProxy(defaults, { version: '1.36.2' })).toStrictEqual({ ...defaults, version: '1.36.2' });
    expect(mergeProxy(defaults, { profile: 'haproxy' })).toStrictEqual({ profile: 'haproxy', workerThreads: 2 });
  });

  it('gates may name arms, in thresholds and as vs', () => {
    const scenario = parseScenario(
      ['arms:', '  - { topology: app-only }', '  - { name: a, topology: sidecar }', '  - { name: b, topology: sidecar }', LOAD, 'gates:', '  regressions:', '    - { topology: b, vs: a, metric: latency, statistic: p50 }'].join('\n'),
      'arms.yaml',
    );
    expect(scenario.gates.regressions?.map((gate) => [gate.topology, gate.vs])).toStrictEqual([['b', 'a']]);
  });
});

describe('arms: refused at load, naming the field', () => {
  it('both topologies and arms, or neither', () => {
    expect(problems(`topologies: [sidecar]\narms: [{ topology: sidecar }]\n${LOAD}`)).toStrictEqual([
      'arms.yaml:2:7  arms: give either topologies (one arm per topology, all with the scenario’s proxy) or arms, not both',
    ]);
    expect(problems(LOAD)).toStrictEqual(['arms.yaml:1:1  topologies: missing; expected topologies: [app-only, sidecar, …] or an arms: list']);
  });

  it('duplicate names, including two unnamed arms of one topology, and the reserved suffix', () => {
    expect(
      problems(['arms:', '  - { topology: sidecar }', '  - { topology: sidecar, proxy: { addedDelay: 1ms } }', '  - { name: x, topology: mtls }', '  - { name: x, topology: sidecar }', '  - { name: y-baseline, topology: sidecar }', LOAD].join('\n')),
    ).toStrictEqual([
      'arms.yaml:3:17  arms[1].topology: arm name "sidecar" is already used by arms[0]; give each arm its own name (an arm without a name is named after its topology)',
      'arms.yaml:5:13  arms[3].name: arm name "x" is already used by arms[2]; give each arm its own name',
      'arms.yaml:6:13  arms[4].name: arm names ending in "-baseline" are reserved for the baseline side of --interleave-with',
    ]);
  });

  it('a proxy on app-only, and a second app-only arm', () => {
    expect(problems(['arms:', '  - { topology: app-only, proxy: { profile: envoy } }', '  - { name: bare, topology: app-only }', LOAD].join('\n'))).toStrictEqual([
      'arms.yaml:2:34  arms[0].proxy: app-only has no sidecar; remove proxy from this arm',
      'arms.yaml:3:29  arms[1].topology: only one app-only arm per protocol (arms[0] is already the baseline every overhead of the scenario’s protocol is measured against)',
    ]);
  });

  it('an unknown proxy profile, a bad version, an unknown field and a bad arm name', () => {
    expect(
      problems(['arms:', '  - { name: A, topology: sidecar, proxy: { profile: nginx } }', '  - { name: b, topology: sidecar, proxy: { version: 1.36, threads: 2 } }', LOAD].join('\n')),
    ).toStrictEqual([
      'arms.yaml:2:13  arms[0].name: expected lower-case letters, digits, "." and "-", at most 40 (it names pods and report rows)',
      'arms.yaml:2:53  arms[0].proxy.profile: expected one of haproxy, envoy',
      'arms.yaml:3:53  arms[1].proxy.version: expected a release like "1.40.0" (quote it)',
      'arms.yaml:3:59  arms[1].proxy.threads: unknown field; remove it or check its spelling',
    ]);
  });

  it('a capability the arm’s proxy does not have, at the field that asks for it, once, with the driver’s reason', () => {
    const lacking: ProxyCapabilities = {
      addedDelay: unsupported('no delay relay'),
      svidRotation: unsupported('no rotation'),
      tlsCounters: supported,
      tls13CipherChoice: unsupported('no suite choice'),
      sessionResumptionOff: supported,
      protocols: ['http1'],
      protocolsOverMtls: NOTHING_OVER_MTLS,
    };
    const can = (profile: string): ProxyCapabilities => (profile === 'envoy' ? lacking : { ...lacking, addedDelay: supported, svidRotation: supported, tls13CipherChoice: supported });
    const armsOf = (lines: string[]) => fileArms(scenarioFileSchema.parse(parse([...lines, LOAD].join('\n'))));
    const listed = armsOf(['arms:', '  - { name: h, topology: mtls, proxy: { addedDelay: 1ms } }', '  - { name: e, topology: mtls, proxy: { profile: envoy, addedDelay: 1ms } }', '  - { name: e2, topology: sidecar, proxy: { profile: envoy } }']);
    expect(armCapabilityProblems(listed, { tlsVersion: '1.3', cipher: 'TLS_AES_128_GCM_SHA256', rotateDuringTrial: true }, can)).toStrictEqual([
      { path: ['arms', 1, 'proxy', 'addedDelay'], message: 'arm "e" runs envoy: no delay relay' },
      { path: ['mtls', 'cipher'], message: 'arm "e" runs envoy: no suite choice' },
      { path: ['mtls', 'rotateDuringTrial'], message: 'arm "e" runs envoy: no rotation' },
    ]);
    // The simple form: the driver's reason as it is, once for all arms sharing the scenario's proxy.
    const simple = armsOf(['topologies: [sidecar, mtls, mtls-churn]', 'proxy: { profile: envoy, addedDelay: 1ms }']);
    expect(armCapabilityProblems(simple, { tlsVersion: '1.2', rotateDuringTrial: true }, can)).toStrictEqual([
      { path: ['proxy', 'addedDelay'], message: 'no delay relay' },
      { path: ['mtls', 'rotateDuringTrial'], message: 'no rotation' },
    ]);
  });

  it('a gate naming an arm the scenario does not have lists the arm names', () => {
    expect(problems(['arms:', '  - { name: a, topology: sidecar }', LOAD, 'gates:', '  regressions:', '    - { topology: a, vs: c, metric: rps }'].join('\n'))).toStrictEqual([
      'arms.yaml:7:26  gates.regressions[0].vs: "c" is not one of this scenario\'s arms (a)',
    ]);
  });
});

describe('arms: protocols', () => {
  it('gives each arm its protocol and one app-only arm per protocol, the baseline of that protocol', () => {
    const scenario = parseScenario(
      [
        'arms:',
        '  - { topology: app-only }',
        '  - { name: haproxy, topology: sidecar }',
        '  - { name: app-only-ws, topology: app-only, protocol: websocket }',
        '  - { name: haproxy-ws, topology: sidecar, protocol: websocket }',
        '  - { name: app-only-tcp, topology: app-only, protocol: tcp }',
        '  - { name: envoy-tcp, topology: sidecar, protocol: tcp, proxy: { profile: envoy } }',
        'load: { connections: 4, duration: 2s, messageSize: 2KiB }',
      ].join('\n'),
      'arms.yaml',
    );
    expect(scenario.arms.map((arm) => [arm.name, arm.protocol])).toStrictEqual([
      ['app-only', undefined],
      ['haproxy', undefined],
      ['app-only-ws', 'websocket'],
      ['haproxy-ws', 'websocket'],
      ['app-only-tcp', 'tcp'],
      ['envoy-tcp', 'tcp'],
    ]);
    expect(scenario.load.messageBytes).toBe(2048);
    expect(agentLoadOf(scenario)).toMatchObject({ messageBytes: 2048 });
  });

  it('refuses TCP through mTLS sidecars, an added delay on echo protocols, two app-only arms of one protocol and an unknown protocol', () => {
    expect(problems(['arms:', '  - { name: q, topology: sidecar, protocol: quic }', LOAD].join('\n'))).toStrictEqual([
      'arms.yaml:2:45  arms[0].protocol: expected one of http1, http2, grpc, websocket, tcp',
    ]);
    expect(
      problems(
        [
          'arms:',
          '  - { name: a, topology: app-only, protocol: tcp }',
          '  - { name: b, topology: app-only, protocol: tcp }',
          '  - { name: c, topology: app-only }',
          LOAD,
        ].join('\n'),
      ),
    ).toStrictEqual([
      'arms.yaml:3:26  arms[1].topology: only one app-only arm per protocol (arms[0] is already the baseline every overhead of tcp protocol is measured against)',
    ]);
    expect(
      problems(
        [
          'arms:',
          '  - { name: a, topology: app-only, protocol: tcp }',
          '  - { name: m, topology: mtls-churn, protocol: tcp }',
          '  - { name: d, topology: sidecar, protocol: websocket, proxy: { addedDelay: 1ms } }',
          LOAD,
        ].join('\n'),
      ),
    ).toStrictEqual([
      'arms.yaml:3:48  arms[1].protocol: arm "m": tcp through the mtls-churn topology with haproxy sidecars: tcp keeps each connection for many messages; a TLS connection per request is rendered for http1 only; use mtls',
      'arms.yaml:4:45  arms[2].protocol: arm "d": the added delay is calibrated with HTTP/1.1 only; remove proxy.addedDelay from this arm',
    ]);
  });

  it('refuses a protocol the arm’s proxy carries in plaintext but not over its mTLS, with the driver’s reason', () => {
    const plaintextTcp: ProxyCapabilities = { addedDelay: supported, svidRotation: supported, tlsCounters: supported, tls13CipherChoice: supported, sessionResumptionOff: supported, protocols: ['http1', 'tcp'], protocolsOverMtls: NOTHING_OVER_MTLS };
    const arms = fileArms(scenarioFileSchema.parse(parse(['arms:', '  - { name: p, topology: sidecar, protocol: tcp }', '  - { name: m, topology: mtls, protocol: tcp }', LOAD].join('\n'))));
    expect(armCapabilityProblems(arms, { tlsVersion: '1.3', rotateDuringTrial: false }, () => plaintextTcp)).toStrictEqual([
      { path: ['arms', 1, 'protocol'], message: 'arm "m": tcp through the mtls topology with haproxy sidecars: not over mTLS; use sidecar or sidecar-inbound' },
    ]);
  });

  it('refuses a protocol the arm’s proxy does not carry, naming what it carries', () => {
    const httpOnly: ProxyCapabilities = { addedDelay: supported, svidRotation: supported, tlsCounters: supported, tls13CipherChoice: supported, sessionResumptionOff: supported, protocols: ['http1'], protocolsOverMtls: NOTHING_OVER_MTLS };
    const arms = fileArms(scenarioFileSchema.parse(parse(['arms:', '  - { name: t, topology: sidecar, protocol: tcp }', LOAD].join('\n'))));
    expect(armCapabilityProblems(arms, { tlsVersion: '1.3', rotateDuringTrial: false }, () => httpOnly)).toStrictEqual([
      { path: ['arms', 0, 'protocol'], message: 'arm "t": haproxy sidecars do not carry tcp here (they carry http1)' },
    ]);
  });
});
