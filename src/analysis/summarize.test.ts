import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import { resultsSchema, type OkTrial, type Results, type TopologyRecord, type TrialRecord } from '../results/schema.js';
import type { ResourceSample } from '../sampling/types.js';
import { BASELINE_TOPOLOGY, summarizeResults } from './summarize.js';

function encoded(valuesUs: readonly number[]): string {
  const histogram = newHistogramUs();
  for (const value of valuesUs) recordUs(histogram, value);
  return encodeHistogram(histogram);
}

function samples(startEpochMs: number, container: string, cpuUsFrom: number, cpuUsTo: number, ctxTo: number): ResourceSample[] {
  const at = (epochMs: number, cpuUs: number, ctx: number) => ({
    epochMs,
    containers: {
      [container]: {
        processes: [{ pid: 1, comm: container.endsWith('loadgen') ? 'node' : 'app', cpuUs, voluntaryCtxSwitches: ctx, involuntaryCtxSwitches: 0, rssBytes: 1_000_000, threads: 1 }],
        cgroup: {},
      },
    },
  });
  return [at(startEpochMs, cpuUsFrom, 0), at(startEpochMs + 2000, cpuUsTo, ctxTo)];
}

interface TrialLoad {
  responses: number;
  latency: number[];
  statusCodes?: Record<string, number>;
  connectionErrors?: number;
  timeouts?: number;
  errorMessages?: string[];
  upstream?: number[];
  app?: number[];
  proxyOverhead?: number[];
  networkAndProxies?: number[];
  headerCounts?: { upstreamServiceTime: number; appServiceTime: number };
}

/** An ok trial whose measured window is 2 s, starting at round × 10 s. */
function okTrial(topology: string, round: number, load: TrialLoad, resourceSamples: ResourceSample[] = []): OkTrial {
  const startEpochMs = round * 10_000;
  return {
    state: 'ok',
    topology,
    round,
    startedAt: '2025-01-01T00:00:00.000Z',
    load: {
      window: { startEpochMs, endEpochMs: startEpochMs + 2000 },
      responses: load.responses,
      statusCodes: load.statusCodes ?? { '200': load.responses },
      connectionErrors: load.connectionErrors ?? 0,
      timeouts: load.timeouts ?? 0,
      errorMessages: load.errorMessages ?? [],
      bytesRead: load.responses * 1024,
      headerCounts: load.headerCounts ?? { upstreamServiceTime: 0, appServiceTime: 0 },
      histograms: {
        latencyUs: encoded(load.latency),
        upstreamServiceTimeUs: encoded(load.upstream ?? []),
        appServiceTimeUs: encoded(load.app ?? []),
        proxyOverheadUs: encoded(load.proxyOverhead ?? []),
        networkAndProxiesUs: encoded(load.networkAndProxies ?? []),
      },
    },
    resources: { intervalMs: 250, samples: resourceSamples },
  };
}

function topology(name: string, serverCpus?: string): TopologyRecord {
  const container = (pod: string, role: 'pause' | 'app' | 'loadgen') => ({ name: `${pod}-${role}`, role, image: `sb/${role}`, hostPid: 1 });
  return {
    name,
    description: `${name} topology`,
    pods: [
      { name: `${name}-client`, side: 'client', ip: '10.0.0.2', interception: false, containers: [container(`${name}-client`, 'loadgen')] },
      {
        name: `${name}-server`,
        side: 'server',
        ip: '10.0.0.3',
        ...(serverCpus ? { cpus: serverCpus } : {}),
        interception: name !== 'app-only',
        containers: [container(`${name}-server`, 'pause'), container(`${name}-server`, 'app')],
      },
    ],
  };
}

function results(topologies: TopologyRecord[], trials: TrialRecord[]): Results {
  return {
    schemaVersion: 1,
    tool: { name: 'sidecar-bench', version: '0.1.0' },
    run: { id: 'run-1', startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:01:00.000Z', status: 'complete' },
    scenario: { name: 'test', topologies: topologies.map((t) => t.name) },
    host: {
      cpuModel: 'Test CPU',
      logicalCores: 4,
      aesNi: true,
      avx2: true,
      kernel: '6.1.0',
      os: 'Linux',
      dockerVersion: '27.0.0',
      nodeVersion: 'v20.19.0',
      cgroupVersion: 2,
    },
    images: {},
    proxyVersions: {},
    topologies,
    trials,
    summary: undefined,
  };
}

const RUN = results(
  [topology('app-only', '1'), topology('sidecar')],
  [
    okTrial('app-only', 0, { responses: 2000, latency: [100, 200], app: [10, 10], networkAndProxies: [90, 190], headerCounts: { upstreamServiceTime: 0, appServiceTime: 2000 } }, [
      ...samples(0, 'app-only-server-app', 0, 1_000_000, 400),
      ...samples(0, 'app-only-client-loadgen', 0, 400_000, 800),
    ]),
    okTrial('sidecar', 1, {
      responses: 1500,
      latency: [250, 700, 1000],
      statusCodes: { '200': 1490, '503': 10 },
      connectionErrors: 3,
      timeouts: 2,
      errorMessages: ['ECONNRESET', 'request timed out'],
      upstream: [0, 0, 1000],
      proxyOverhead: [250, 700, 0],
      app: [10, 20, 30],
      networkAndProxies: [240, 680, 970],
      // The agent counts headers on successful responses only: 1192 of the 1490 2xx.
      headerCounts: { upstreamServiceTime: 1192, appServiceTime: 1490 },
    }),
    okTrial('app-only', 2, { responses: 2000, latency: [300, 400], app: [10, 10], networkAndProxies: [290, 390], headerCounts: { upstreamServiceTime: 0, appServiceTime: 2000 } }, [
      ...samples(20_000, 'app-only-server-app', 5_000_000, 7_000_000, 800),
    ]),
    { state: 'failed', topology: 'sidecar', round: 3, startedAt: '2025-01-01T00:00:40.000Z', error: { code: 'SB_LOAD_FAILED', message: 'agent exited with 1' } },
  ],
);

describe('summarizeResults', () => {
  const summary = summarizeResults(RUN);
  const [appOnly, sidecar] = summary.topologies;

  it('is built on a fixture that results.json validation accepts', () => {
    expect(resultsSchema.safeParse(RUN).success).toBe(true);
  });

  it('measures against app-only', () => {
    expect(BASELINE_TOPOLOGY).toBe('app-only');
    expect(summary.baseline).toBe('app-only');
    expect(summary.topologies.map((t) => t.topology)).toStrictEqual(['app-only', 'sidecar']);
    expect(appOnly?.estimators).toBeUndefined();
  });

  it('merges the trials of a topology', () => {
    expect(appOnly).toMatchObject({ description: 'app-only topology', okTrials: 2, failedTrials: 0, failures: [], responses: 4000, windowSeconds: 4, rps: 1000 });
    expect(appOnly?.latency).toStrictEqual({ count: 4, minUs: 100, meanUs: 250, p50Us: 200, p90Us: 400, p99Us: 400, p999Us: 400, maxUs: 400 });
    expect(appOnly?.percentileCurve.at(-1)).toStrictEqual({ percentile: 100, valueUs: 400 });
    expect(appOnly?.trials.map((t) => [t.round, t.rps, t.latency.p50Us])).toStrictEqual([
      [0, 1000, 100],
      [2, 1000, 300],
    ]);
  });

  it('pairs overheads by round: the sidecar ran in round 1, the baseline only in rounds 0 and 2, so none pair', () => {
    expect(sidecar?.latency).toMatchObject({ count: 3, p50Us: 700, p90Us: 1000, p99Us: 1000, p999Us: 1000, maxUs: 1000 });
    expect(sidecar?.estimators?.differential.p50Us.n).toBe(0);
    expect(sidecar?.estimators?.perRequestAppUs?.p50Us.n).toBe(0);
    // The header estimator needs no pairing when the baseline has no proxy: its own trials count.
    expect(sidecar?.estimators?.perRequestHeader?.p50Us).toStrictEqual({ n: 1, median: 250, low: 250, high: 250, coverage: 0 });
  });

  it('gives per-trial medians of each statistic', () => {
    expect(appOnly?.latencyOverTrials.p50Us).toStrictEqual({ n: 2, median: 200, low: 100, high: 300, coverage: 0.5 });
  });

  it('counts and lists failed trials (1-based round)', () => {
    // Responses and throughput count the 1490 successful responses, not the 10 503s.
    expect(sidecar).toMatchObject({ okTrials: 1, failedTrials: 1, failures: ['round 4: agent exited with 1'], responses: 1490, windowSeconds: 2, rps: 745 });
  });

  it('computes the error rate over every attempt', () => {
    expect(sidecar?.errors).toStrictEqual({
      connectionErrors: 3,
      timeouts: 2,
      unansweredAtEnd: 0,
      non2xx: 10,
      attempts: 1500 + 3 + 2,
      errorRate: (3 + 2 + 10) / (1500 + 3 + 2),
      messages: ['ECONNRESET', 'request timed out'],
    });
    expect(appOnly?.errors).toStrictEqual({ connectionErrors: 0, timeouts: 0, unansweredAtEnd: 0, non2xx: 0, attempts: 4000, errorRate: 0, messages: [] });
  });

  it('reports header shares and the per-request estimators only where headers were seen', () => {
    expect(sidecar?.perRequest.upstreamHeaderShare).toBe(0.8);
    expect(sidecar?.perRequest.appHeaderShare).toBe(1);
    expect(sidecar?.perRequest.proxyOverheadUs).toMatchObject({ count: 3, minUs: 250, p50Us: 250, maxUs: 700 });
    expect(sidecar?.perRequest.upstreamServiceTimeUs).toMatchObject({ count: 3, p50Us: 0, maxUs: 1000 });
    expect(sidecar?.perRequest.networkAndProxiesUs).toMatchObject({ count: 3, minUs: 240, p50Us: 680, maxUs: 970 });
    expect(appOnly?.perRequest.upstreamHeaderShare).toBe(0);
    expect(appOnly?.perRequest.appHeaderShare).toBe(1);
    expect(appOnly?.perRequest).not.toHaveProperty('proxyOverheadUs');
    expect(appOnly?.perRequest).not.toHaveProperty('upstreamServiceTimeUs');
    expect(appOnly?.perRequest.networkAndProxiesUs).toMatchObject({ count: 4, minUs: 90, p50Us: 190, maxUs: 390 });
  });

  it('computes per-trial resources per container, using the pod cpuset or every host core', () => {
    const [first, second] = appOnly?.trials ?? [];
    expect(first?.resources.map((r) => [r.container, r.vcpu, r.ctxSwitchesPerSecond, r.ctxSwitchesPerSecondPerCore, r.vcpuPer1kRps])).toStrictEqual([
      // Client pod is not pinned: 4 host cores.
      ['app-only-client-loadgen', 0.2, 400, 100, 0.2],
      // Server pod is pinned to cpuset "1": one core.
      ['app-only-server-app', 0.5, 200, 200, 0.5],
    ]);
    expect(second?.resources.map((r) => [r.container, r.vcpu, r.ctxSwitchesPerSecond])).toStrictEqual([['app-only-server-app', 1, 400]]);
  });

  it('averages resources over the trials that have them', () => {
    const app = appOnly?.resources.find((r) => r.container === 'app-only-server-app');
    expect(app).toMatchObject({ vcpu: 0.75, cpuSeconds: 1.5, ctxSwitchesPerSecond: 300, rssMaxBytes: 1_000_000, processNames: ['app'], role: 'app', side: 'server' });
    expect(appOnly?.resourceSeries.map((p) => [p.round, p.container, p.tSeconds, p.vcpu])).toStrictEqual([
      [0, 'app-only-client-loadgen', 2, 0.2],
      [0, 'app-only-server-app', 2, 0.5],
      [2, 'app-only-server-app', 2, 1],
    ]);
    expect(sidecar?.resources).toStrictEqual([]);
  });

  it('has no baseline when app-only is absent or has no ok trial', () => {
    const withoutBaseline = summarizeResults(results([topology('sidecar')], RUN.trials.filter((t) => t.topology === 'sidecar')));
    expect(withoutBaseline.baseline).toBeUndefined();
    expect(withoutBaseline.topologies[0]?.estimators).toBeUndefined();

    const failedBaseline = summarizeResults(
      results(
        [topology('app-only'), topology('sidecar')],
        [
          { state: 'failed', topology: 'app-only', round: 0, startedAt: '', error: { message: 'boom' } },
          ...RUN.trials.filter((t) => t.topology === 'sidecar'),
        ],
      ),
    );
    expect(failedBaseline.baseline).toBeUndefined();
    expect(failedBaseline.topologies[0]).toMatchObject({ okTrials: 0, failedTrials: 1, failures: ['round 1: boom'], rps: 0, responses: 0 });
    expect(failedBaseline.topologies[0]?.latency.count).toBe(0);
    expect(failedBaseline.topologies[1]?.estimators).toBeUndefined();
  });

  // meanResources once averaged only the first trial's keys and counted a figure missing from a
  // later trial as 0, so optional cgroup figures depended on trial order; this pins the fix.
  it('averages optional cgroup figures independently of trial order', () => {
    const cgroupSamples = (startEpochMs: number, withCgroup: boolean): ResourceSample[] =>
      samples(startEpochMs, 'app-only-server-app', 0, 1_000_000, 0).map((sample, index) => ({
        ...sample,
        containers: {
          'app-only-server-app': { ...sample.containers['app-only-server-app']!, cgroup: withCgroup ? { cpuUsageUs: index * 2_000_000 } : {} },
        },
      }));
    const withCgroup = okTrial('app-only', 0, { responses: 0, latency: [] }, cgroupSamples(0, true));
    const without = okTrial('app-only', 1, { responses: 0, latency: [] }, cgroupSamples(10_000, false));
    const meanOf = (trials: TrialRecord[]) => summarizeResults(results([topology('app-only')], trials)).topologies[0]?.resources[0]?.cgroupVcpu;
    expect(summarizeResults(results([topology('app-only')], [withCgroup])).topologies[0]?.resources[0]?.cgroupVcpu).toBe(1);
    expect(meanOf([withCgroup, without])).toBe(meanOf([without, withCgroup]));
  });
});

describe('summarizeResults: one baseline per protocol', () => {
  const withSidecar = (record: TopologyRecord): TopologyRecord => ({
    ...record,
    pods: record.pods.map((pod) => (pod.side === 'server' ? { ...pod, containers: [...pod.containers, { name: `${pod.name}-sidecar`, role: 'sidecar' as const, image: 'sb/haproxy', hostPid: 1 }] } : pod)),
  });
  const speaking = (record: TopologyRecord, protocol: 'websocket' | 'tcp'): TopologyRecord => ({ ...record, protocol });
  const trials = (name: string, latencyUs: number) => [0, 1].map((round) => okTrial(name, round, { responses: 1000, latency: [latencyUs], app: [5], networkAndProxies: [latencyUs - 5], headerCounts: { upstreamServiceTime: 0, appServiceTime: 1000 } }));
  const run = results(
    [topology('app-only'), withSidecar(topology('http1-haproxy')), speaking(topology('ws'), 'websocket'), speaking(withSidecar(topology('ws-haproxy')), 'websocket')],
    [...trials('app-only', 100), ...trials('http1-haproxy', 400), ...trials('ws', 1000), ...trials('ws-haproxy', 1300)],
  );
  const summary = summarizeResults(run);
  const arm = (name: string) => summary.topologies.find((topology) => topology.topology === name);

  it('measures each arm over the app-only arm of its own protocol, and says which', () => {
    expect(summary.baseline).toBe('app-only');
    expect([arm('http1-haproxy')?.baseline, arm('ws-haproxy')?.baseline, arm('ws')?.baseline]).toStrictEqual([undefined, 'ws', undefined]);
    expect([arm('ws')?.protocol, arm('ws-haproxy')?.protocol, arm('http1-haproxy')?.protocol]).toStrictEqual(['websocket', 'websocket', undefined]);
    // 1300 − 1000, not 1300 − 100: the HTTP baseline would credit the proxy with WebSocket's own cost.
    expect(arm('ws-haproxy')?.estimators?.differential.p50Us.median).toBeCloseTo(300, -1);
    expect(arm('http1-haproxy')?.estimators?.differential.p50Us.median).toBeCloseTo(300, -1);
    expect(arm('ws')?.estimators).toBeUndefined();
    expect(arm('app-only')?.estimators).toBeUndefined();
  });

  it('has no overhead for an arm whose protocol has no app-only arm', () => {
    const lone = summarizeResults(results([topology('app-only'), speaking(withSidecar(topology('tcp-haproxy')), 'tcp')], [...trials('app-only', 100), ...trials('tcp-haproxy', 900)]));
    expect(lone.topologies.find((topology) => topology.topology === 'tcp-haproxy')?.estimators).toBeUndefined();
  });
});
