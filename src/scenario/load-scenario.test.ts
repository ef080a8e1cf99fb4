import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { loadScenario, parseScenario } from './load-scenario.js';
import type { MtlsSpec, Scenario } from './scenario.js';

const QUICKSTART_PATH = fileURLToPath(new URL('../../scenarios/quickstart.yaml', import.meta.url));
const FILE = 'bad.yaml';

/** The smallest valid scenario; tests append or replace lines to break it. */
const MINIMAL = ['topologies: [app-only]', 'load:', '  connections: 10', '  duration: 10s', ''].join('\n');

/** The mtls section every scenario gets when it says nothing about mTLS. */
const DEFAULT_MTLS: MtlsSpec = {
  trustDomain: 'cluster.local',
  namespace: 'bench',
  clientServiceAccount: 'loadgen',
  serverServiceAccount: 'app',
  keyAlgorithm: 'ecdsa-p256',
  svidTtlUs: 3_600_000_000,
  tlsVersion: '1.3',
  rotateDuringTrial: false,
  sessionResumption: true,
};

function rejection(text: string, path = FILE): BenchError {
  try {
    parseScenario(text, path);
  } catch (error) {
    expect(error).toBeInstanceOf(BenchError);
    const benchError = error as BenchError;
    expect(benchError.code).toBe('SB_SCENARIO_INVALID');
    expect(benchError.message).toContain(path);
    return benchError;
  }
  throw new Error('expected parseScenario to throw');
}

describe('parseScenario: valid files', () => {
  it('resolves scenarios/overhead-check.yaml: quickstart plus a 1-connection closed loop on the same pods', () => {
    const quickstart = parseScenario(readFileSync(QUICKSTART_PATH, 'utf8'), 'scenarios/quickstart.yaml');
    const check = parseScenario(readFileSync(QUICKSTART_PATH.replace('quickstart.yaml', 'overhead-check.yaml'), 'utf8'), 'scenarios/overhead-check.yaml');
    expect(check.load).toStrictEqual({ ...quickstart.load, closedCheck: { connections: 1, durationUs: 3_000_000 } });
    expect({ ...check, name: '', description: '', sourceFile: '', load: quickstart.load }).toStrictEqual({ ...quickstart, name: '', description: '', sourceFile: '' });
  });

  it('takes warmupRounds from 0 to 10', () => {
    expect(parseScenario(`${MINIMAL}warmupRounds: 0\n`, FILE).warmupRounds).toBe(0);
    expect(() => parseScenario(`${MINIMAL}warmupRounds: 11\n`, FILE)).toThrow();
  });

  it('resolves scenarios/quickstart.yaml to exact values', () => {
    const scenario = parseScenario(readFileSync(QUICKSTART_PATH, 'utf8'), 'scenarios/quickstart.yaml');
    const expected: Scenario = {
      name: 'quickstart',
      description: 'App alone vs one inbound sidecar vs both sidecars (HAProxy), open model at 1000 req/s.',
      sourceFile: 'scenarios/quickstart.yaml',
      topologies: ['app-only', 'sidecar-inbound', 'sidecar'],
      proxy: { profile: 'haproxy', workerThreads: 1 },
      arms: [
        { name: 'app-only', topology: 'app-only' },
        { name: 'sidecar-inbound', topology: 'sidecar-inbound', proxy: { profile: 'haproxy', workerThreads: 1 } },
        { name: 'sidecar', topology: 'sidecar', proxy: { profile: 'haproxy', workerThreads: 1 } },
      ],
      app: { responseBodyBytes: 1024, serviceTimeUs: 0 },
      load: {
        model: 'open',
        ratePerSecond: 1000,
        arrivals: 'uniform',
        connections: 16,
        warmupUs: 1_000_000,
        durationUs: 3_000_000,
        timeoutUs: 10_000_000,
        request: { method: 'GET', path: '/', bodyBytes: 0 },
        saturation: { connections: 16, durationUs: 1_000_000 },
      },
      trials: 6,
      warmupRounds: 1,
      sampling: { intervalUs: 250_000 },
      mtls: DEFAULT_MTLS,
      gates: {
        inconclusive: 'pass',
        confidence: 0.95,
        thresholds: [
          { topology: '*', metric: 'latency', statistic: 'p99', estimator: 'differential', role: 'sidecar', bound: 'max', limit: 100_000, limitText: '100ms' },
          { topology: '*', metric: 'sidecar-vcpu-per-1k-rps', estimator: 'differential', role: 'sidecar', bound: 'max', limit: 0.5, limitText: '0.5' },
          { topology: '*', metric: 'sidecar-rss', estimator: 'differential', role: 'sidecar', bound: 'max', limit: 512 * 1024 ** 2, limitText: '512MiB' },
          { topology: '*', metric: 'ctx-switches-per-second-per-core', estimator: 'differential', role: 'sidecar', bound: 'max', limit: 5000, limitText: '5000' },
          { topology: '*', metric: 'error-rate', estimator: 'differential', role: 'sidecar', bound: 'max', limit: 0.001, limitText: '0.1%' },
        ],
      },
      host: { keepCpusAwake: false },
      placement: { cpusets: 'split' },
    };
    expect(scenario).toStrictEqual(expected);
  });

  it('fills every default and names the scenario after its file', () => {
    const scenario = parseScenario(MINIMAL, 'scenarios/my-run.yml');
    expect(scenario).toStrictEqual({
      name: 'my-run',
      description: '',
      sourceFile: 'scenarios/my-run.yml',
      topologies: ['app-only'],
      proxy: { profile: 'haproxy', workerThreads: 1 },
      arms: [{ name: 'app-only', topology: 'app-only' }],
      app: { responseBodyBytes: 1024, serviceTimeUs: 0 },
      load: {
        model: 'closed',
        connections: 10,
        warmupUs: 2_000_000,
        durationUs: 10_000_000,
        timeoutUs: 10_000_000,
        request: { method: 'GET', path: '/', bodyBytes: 0 },
      },
      trials: 6,
      warmupRounds: 1,
      sampling: { intervalUs: 250_000 },
      mtls: DEFAULT_MTLS,
      gates: { inconclusive: 'pass', confidence: 0.95, thresholds: [] },
      host: { keepCpusAwake: false },
      placement: { cpusets: 'split' },
    } satisfies Scenario);
  });

  it('passes an image override and explicit cpusets through', () => {
    const scenario = parseScenario(
      [
        'topologies: [sidecar]',
        'proxy: { profile: envoy, workerThreads: 2, image: "envoyproxy/envoy:v1.30-latest" }',
        'app: { responseBody: 64kB, serviceTime: 2ms }',
        'load: { connections: 1, duration: 1s, warmup: 0s, timeout: 1500ms, request: { method: POST, path: /echo, body: 1MiB } }',
        'sampling: { interval: 10ms }',
        'placement: { cpusets: { client: "0-1", server: "2,3" } }',
      ].join('\n'),
      FILE,
    );
    expect(scenario.proxy).toStrictEqual({ profile: 'envoy', workerThreads: 2, image: 'envoyproxy/envoy:v1.30-latest' });
    expect(scenario.app).toStrictEqual({ responseBodyBytes: 64_000, serviceTimeUs: 2000 });
    expect(scenario.load).toStrictEqual({
      model: 'closed',
      connections: 1,
      warmupUs: 0,
      durationUs: 1_000_000,
      timeoutUs: 1_500_000,
      request: { method: 'POST', path: '/echo', bodyBytes: 1_048_576 },
    });
    expect(scenario.sampling.intervalUs).toBe(10_000);
    expect(scenario.placement.cpusets).toStrictEqual({ client: '0-1', server: '2,3' });
  });
});

describe('parseScenario: proxy.version', () => {
  const withProxy = (proxy: string) => `topologies: [sidecar]\nproxy: ${proxy}\nload: { connections: 1, duration: 1s }\n`;

  it('passes a pinned Envoy version through', () => {
    expect(parseScenario(withProxy('{ profile: envoy, version: 1.36.2 }'), FILE).proxy).toStrictEqual({ profile: 'envoy', workerThreads: 1, version: '1.36.2' });
  });

  it('refuses a version that is not pinned, naming the pinned ones', () => {
    expect(rejection(withProxy('{ profile: envoy, version: 1.28.0 }')).details).toStrictEqual(['bad.yaml:2:35  proxy.version: envoy 1.28.0 is not pinned; pinned: 1.40.0, 1.36.2']);
  });

  it('refuses more connections than HAProxy’s maxconn, rather than let it queue them unseen', () => {
    const text = 'topologies: [sidecar]\nload: { connections: 9000, duration: 1s }\n';
    expect(rejection(text).details[0]).toMatch(/^bad\.yaml:2:22  load\.connections: haproxy takes at most 8000 connections per sidecar here \(HAProxy’s maxconn/);
    expect(parseScenario(text.replace('load:', 'proxy: { profile: envoy }\nload:'), FILE).load.connections).toBe(9000);
  });

  it('refuses a version for HAProxy, and a version beside an image', () => {
    expect(rejection(withProxy('{ profile: haproxy, version: 2.6.12 }')).details[0]).toMatch(/^bad\.yaml:2:37  proxy\.version: HAProxy comes from Debian bookworm’s package/);
    expect(rejection(withProxy('{ profile: envoy, version: 1.40.0, image: my/envoy }')).details).toStrictEqual(['bad.yaml:2:35  proxy.version: proxy.image already says which build runs; give proxy.image or proxy.version, not both']);
  });
});

describe('parseScenario: every problem at once, with file:line:col', () => {
  it('points at an unknown top-level key', () => {
    const error = rejection(['topologies: [app-only]', 'laod: 1', 'load:', '  connections: 10', '  duration: 10s'].join('\n'));
    expect(error.message).toBe('bad.yaml is not a valid scenario (1 problem):');
    expect(error.details).toStrictEqual(['bad.yaml:2:1  laod: unknown field; remove it or check its spelling']);
    expect(error.hint).toBe('See scenarios/quickstart.yaml for a complete, commented example.');
  });

  it('points at an unknown nested key, not at its value', () => {
    const error = rejection(`${MINIMAL}  rate: 1000/s\n`);
    expect(error.details).toStrictEqual(['bad.yaml:5:3  load.rate: unknown field; remove it or check its spelling']);
  });

  it('points at the value of a wrong type (connections: "ten")', () => {
    const error = rejection(MINIMAL.replace('connections: 10', 'connections: "ten"'));
    expect(error.details).toStrictEqual(['bad.yaml:3:16  load.connections: expected a whole number from 1 to 10000']);
  });

  it('rejects a duration without a unit (duration: 10)', () => {
    const error = rejection(MINIMAL.replace('duration: 10s', 'duration: 10'));
    expect(error.details).toStrictEqual([
      'bad.yaml:4:13  load.duration: expected a duration with a unit, like "10s", "250ms" or "500us"',
    ]);
  });

  it('rejects a duration string with an unknown unit, quoting it', () => {
    const error = rejection(MINIMAL.replace('duration: 10s', 'duration: 10sec'));
    expect(error.details).toStrictEqual([
      'bad.yaml:4:13  load.duration: expected a duration with a unit, like "10s", "250ms" or "500us"; got "10sec"',
    ]);
  });

  it('points at the unknown topology inside a block list', () => {
    const error = rejection(['topologies:', '  - app-only', '  - sidecar-outbound', 'load:', '  connections: 10', '  duration: 10s'].join('\n'));
    expect(error.details).toStrictEqual([
      'bad.yaml:3:5  topologies[1]: unknown topology "sidecar-outbound"; expected one of app-only, sidecar-inbound, sidecar, mtls, mtls-churn, ebpf-sockmap, ebpf-connect, ebpf',
    ]);
  });

  it('points at the unknown topology inside a flow list', () => {
    const error = rejection(MINIMAL.replace('[app-only]', '[app-only, sidecars]'));
    expect(error.details).toStrictEqual([
      'bad.yaml:1:24  topologies[1]: unknown topology "sidecars"; expected one of app-only, sidecar-inbound, sidecar, mtls, mtls-churn, ebpf-sockmap, ebpf-connect, ebpf',
    ]);
  });

  it('reports several problems at once', () => {
    const error = rejection(
      ['topologies: [app-only]', 'extra: 1', 'load:', '  connections: 0', '  duration: 5', 'trials: 1.5'].join('\n'),
    );
    expect(error.message).toBe('bad.yaml is not a valid scenario (4 problems):');
    expect(error.details).toStrictEqual([
      'bad.yaml:4:16  load.connections: expected a whole number from 1 to 10000',
      'bad.yaml:5:13  load.duration: expected a duration with a unit, like "10s", "250ms" or "500us"',
      'bad.yaml:6:9  trials: expected a whole number from 1 to 100',
      'bad.yaml:2:1  extra: unknown field; remove it or check its spelling',
    ]);
  });

  it('rejects a sampling interval over 250ms', () => {
    const error = rejection(`${MINIMAL}sampling:\n  interval: 500ms\n`);
    expect(error.details).toStrictEqual(['bad.yaml:6:13  sampling.interval: expected an interval from 10ms to 250ms']);
  });

  it('rejects a sampling interval under 10ms', () => {
    const error = rejection(`${MINIMAL}sampling:\n  interval: 9ms\n`);
    expect(error.details).toStrictEqual(['bad.yaml:6:13  sampling.interval: expected an interval from 10ms to 250ms']);
  });

  it('rejects a topology listed twice', () => {
    const error = rejection(MINIMAL.replace('[app-only]', '[app-only, sidecar, app-only]'));
    expect(error.details).toStrictEqual(['bad.yaml:1:13  topologies: a topology is listed twice']);
  });

  it('rejects a duration under 1s', () => {
    const error = rejection(MINIMAL.replace('duration: 10s', 'duration: 500ms'));
    expect(error.details).toStrictEqual(['bad.yaml:4:13  load.duration: expected at least 1s']);
  });

  it('reports a missing required section at the document start', () => {
    const error = rejection('topologies: [app-only]\n');
    expect(error.details).toStrictEqual(['bad.yaml:1:1  load: missing; expected a load section (model: closed with connections, or model: open with rate)']);
  });

  it('reports a YAML syntax error with its message', () => {
    const error = rejection(['topologies: [app-only', 'load:', '  connections: 10'].join('\n'));
    expect(error.message).toBe('bad.yaml is not a valid scenario (1 problem):');
    expect(error.details).toHaveLength(1);
    expect(error.details[0]).toMatch(/^bad\.yaml.*  Flow sequence in block collection must be sufficiently indented and end with a \]$/);
  });

  // BUG: load-scenario.ts:23 parses with `prettyErrors: false`, so yaml never fills `error.linePos`
  // and line 26 (`error.linePos?.[0]`) always falls back to the bare path. The position is known:
  // error.pos[0] = 22 → lineCounter.linePos(22) = { line: 2, col: 1 }.
  it('reports a YAML syntax error at file:line:col', () => {
    const error = rejection(['topologies: [app-only', 'load:', '  connections: 10'].join('\n'));
    expect(error.details).toStrictEqual([
      'bad.yaml:2:1  Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports a duplicate key at file:line:col', () => {
    const error = rejection(`topologies: [sidecar]\n${MINIMAL}`);
    expect(error.details).toStrictEqual(['bad.yaml:2:1  Map keys must be unique']);
  });
});

describe('loadScenario', () => {
  it('reads quickstart.yaml from disk', async () => {
    const scenario = await loadScenario(QUICKSTART_PATH);
    expect(scenario.sourceFile).toBe(QUICKSTART_PATH);
    expect(scenario.load.durationUs).toBe(3_000_000);
  });

  it('throws SB_SCENARIO_NOT_FOUND for a missing file', async () => {
    await expect(loadScenario('/nonexistent/dir/x.yaml')).rejects.toMatchObject({
      code: 'SB_SCENARIO_NOT_FOUND',
      message: 'cannot read scenario /nonexistent/dir/x.yaml: no such file',
    });
  });
});
