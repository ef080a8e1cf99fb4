/**
 * A realistic results.json and its summary, made by hand for the report's tests: three topologies
 * (app-only, sidecar-inbound, sidecar), two interleaved rounds each, real encoded histograms and
 * cumulative /proc samples every 250 ms. Deterministic: the same options give the same fixture.
 */
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import type { ContainerRole, OkTrial, PodRecord, Results, TopologyRecord, TrialRecord } from '../results/schema.js';
import type { ResultsSummary } from '../analysis/types.js';
import { summarizeFixture } from './fixture-summary.js';

export interface FixtureOptions {
  /** Put into the scenario description, every topology description and error message. */
  hostileText?: string;
  status?: Results['run']['status'];
  /** Also record a failed third round of `sidecar`. */
  withFailedTrial?: boolean;
}

interface ContainerPlan {
  name: string;
  role: ContainerRole;
  side: 'client' | 'server';
  vcpu: number;
  ctxPerSecond: number;
  rssMiB: number;
}

interface TopologyPlan {
  name: string;
  description: string;
  rps: number;
  medianUs: number;
  /** Which proxy, if any, answers the client and sets x-envoy-upstream-service-time. */
  nearestProxy: 'none' | 'server' | 'client';
  non2xx: number;
  containers: ContainerPlan[];
}

const WINDOW_MS = 10_000;
const INTERVAL_MS = 250;
const MIB = 1024 * 1024;
const RUN_START_MS = Date.parse('2025-11-26T09:30:00.000Z');

function container(side: 'client' | 'server', role: ContainerRole, vcpu: number, ctxPerSecond: number, rssMiB: number, prefix: string): ContainerPlan {
  return { name: `${prefix}-${side}-${role}`, role, side, vcpu, ctxPerSecond, rssMiB };
}

function plans(hostile: string): TopologyPlan[] {
  const suffix = hostile === '' ? '' : ` ${hostile}`;
  return [
    {
      name: 'app-only', description: `baseline: load generator → app, no proxy${suffix}`, rps: 9_000, medianUs: 300, nearestProxy: 'none', non2xx: 0,
      containers: [
        container('client', 'pause', 0, 0.2, 0.4, 'ao'), container('client', 'loadgen', 0.92, 3_800, 96, 'ao'),
        container('server', 'pause', 0, 0.2, 0.4, 'ao'), container('server', 'app', 0.55, 9_400, 61, 'ao'),
      ],
    },
    {
      name: 'sidecar-inbound', description: `server pod has an inbound sidecar${suffix}`, rps: 5_200, medianUs: 540, nearestProxy: 'server', non2xx: 0,
      containers: [
        container('client', 'pause', 0, 0.2, 0.4, 'si'), container('client', 'loadgen', 0.61, 2_600, 94, 'si'),
        container('server', 'pause', 0, 0.2, 0.4, 'si'), container('server', 'app', 0.33, 5_500, 60, 'si'),
        container('server', 'sidecar', 0.57, 10_800, 37, 'si'),
      ],
    },
    {
      name: 'sidecar', description: `both pods have a sidecar${suffix}`, rps: 3_600, medianUs: 700, nearestProxy: 'client', non2xx: 3,
      containers: [
        container('client', 'pause', 0, 0.2, 0.4, 'sc'), container('client', 'loadgen', 0.45, 1_900, 93, 'sc'),
        container('client', 'sidecar', 0.47, 7_600, 36, 'sc'), container('server', 'pause', 0, 0.2, 0.4, 'sc'),
        container('server', 'app', 0.24, 3_900, 60, 'sc'), container('server', 'sidecar', 0.41, 7_500, 37, 'sc'),
      ],
    },
  ];
}

/** mulberry32: a small seeded PRNG so fixtures are the same on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function loadOf(plan: TopologyPlan, round: number, startMs: number, random: () => number, hostile: string): OkTrial['load'] {
  const responses = Math.round(plan.rps * (WINDOW_MS / 1000) * (1 + 0.02 * (random() - 0.5)));
  const latency = newHistogramUs();
  const upstream = newHistogramUs();
  const app = newHistogramUs();
  const proxyOverhead = newHistogramUs();
  const networkAndProxies = newHistogramUs();
  for (let i = 0; i < responses; i++) {
    const tail = random() < 0.002 ? 4 + 16 * random() : 1;
    const totalUs = plan.medianUs * Math.exp(0.3 * normal(random)) * tail;
    const appUs = 12 + 10 * random();
    recordUs(latency, totalUs);
    recordUs(app, appUs);
    recordUs(networkAndProxies, totalUs - appUs);
    if (plan.nearestProxy !== 'none') {
      // The nearest proxy's upstream time, as HAProxy's %Tr reports it: whole milliseconds.
      const upstreamUs = plan.nearestProxy === 'server' ? appUs + 40 : totalUs * 0.55;
      const upstreamMs = Math.floor(upstreamUs / 1000);
      recordUs(upstream, upstreamMs * 1000);
      recordUs(proxyOverhead, totalUs - upstreamMs * 1000);
    }
  }
  const non2xx = round === 1 ? plan.non2xx : 0;
  const statusCodes: Record<string, number> = { '200': responses - non2xx };
  if (non2xx > 0) statusCodes['503'] = non2xx;
  const suffix = hostile === '' ? '' : ` ${hostile}`;
  return {
    window: { startEpochMs: startMs, endEpochMs: startMs + WINDOW_MS },
    responses,
    statusCodes,
    connectionErrors: 0,
    timeouts: 0,
    errorMessages: non2xx > 0 ? [`503 Service Unavailable: no server available${suffix}`] : [],
    bytesRead: responses * 1_180,
    headerCounts: { upstreamServiceTime: plan.nearestProxy === 'none' ? 0 : responses, appServiceTime: responses },
    histograms: {
      latencyUs: encodeHistogram(latency),
      upstreamServiceTimeUs: encodeHistogram(upstream),
      appServiceTimeUs: encodeHistogram(app),
      proxyOverheadUs: encodeHistogram(proxyOverhead),
      networkAndProxiesUs: encodeHistogram(networkAndProxies),
    },
  };
}

/** Cumulative /proc and cgroup samples every 250 ms from one interval before the window to one after. */
function samplesOf(plan: TopologyPlan, startMs: number, random: () => number): OkTrial['resources']['samples'] {
  const totals = new Map(plan.containers.map((c) => [c.name, { cpuUs: 5e6 * c.vcpu, voluntary: 1e4, involuntary: 1e3 }]));
  const samples: OkTrial['resources']['samples'] = [];
  for (let t = -INTERVAL_MS; t <= WINDOW_MS + INTERVAL_MS; t += INTERVAL_MS) {
    const containers: OkTrial['resources']['samples'][number]['containers'] = {};
    for (const c of plan.containers) {
      const total = totals.get(c.name)!;
      const jitter = 1 + 0.08 * normal(random);
      total.cpuUs += Math.max(0, c.vcpu * INTERVAL_MS * 1000 * jitter);
      const switches = Math.max(0, (c.ctxPerSecond * INTERVAL_MS) / 1000) * jitter;
      total.voluntary += Math.round(switches * 0.85);
      total.involuntary += Math.round(switches * 0.15);
      const rssBytes = Math.round((c.rssMiB + 0.5 * (t / WINDOW_MS) + 0.2 * random()) * MIB);
      containers[c.name] = {
        processes: [{
          pid: 4_000 + plan.containers.indexOf(c), comm: c.role === 'sidecar' ? 'haproxy' : c.role === 'pause' ? 'sleep' : 'node',
          cpuUs: Math.round(total.cpuUs), voluntaryCtxSwitches: total.voluntary, involuntaryCtxSwitches: total.involuntary,
          rssBytes, threads: c.role === 'pause' ? 1 : 7,
        }],
        cgroup: { cpuUsageUs: Math.round(total.cpuUs * 1.01), throttledPeriods: 0, throttledUs: 0, memoryUsageBytes: rssBytes + 8 * MIB, oomKills: 0 },
      };
    }
    samples.push({ epochMs: startMs + t, containers });
  }
  return samples;
}

function topologyRecord(plan: TopologyPlan): TopologyRecord {
  const pod = (side: 'client' | 'server'): PodRecord => ({
    name: `${plan.name}-${side}`, side, ip: side === 'client' ? '172.28.0.2' : '172.28.0.3', cpus: side === 'client' ? '0' : '1',
    interception: plan.containers.some((c) => c.side === side && c.role === 'sidecar'),
    containers: plan.containers.filter((c) => c.side === side).map((c, index) => ({
      name: c.name, role: c.role, image: `sidecar-bench/${c.role}:3f9a1c2e`, hostPid: 4_000 + index,
    })),
  });
  return { name: plan.name, description: plan.description, pods: [pod('client'), pod('server')] };
}

export function makeFixtureResults(options: FixtureOptions = {}): Results {
  const hostile = options.hostileText ?? '';
  const topologyPlans = plans(hostile);
  const random = prng(20251126);
  const trials: TrialRecord[] = [];
  let clockMs = RUN_START_MS + 20_000;
  for (const round of [0, 1]) {
    for (const plan of topologyPlans) {
      const windowStartMs = clockMs + 4_000;
      trials.push({
        state: 'ok', topology: plan.name, round, startedAt: new Date(clockMs).toISOString(),
        load: loadOf(plan, round, windowStartMs, random, hostile),
        resources: { intervalMs: INTERVAL_MS, samples: samplesOf(plan, windowStartMs, random) },
      });
      clockMs = windowStartMs + WINDOW_MS + 3_000;
    }
  }
  if (options.withFailedTrial) {
    trials.push({
      state: 'failed', topology: 'sidecar', round: 2, startedAt: new Date(clockMs).toISOString(),
      error: { code: 'SB_CONTAINER_FAILED', message: `container sc-server-sidecar exited with code 137 (OOMKilled)${hostile === '' ? '' : ` ${hostile}`}` },
    });
  }
  return {
    schemaVersion: 1,
    tool: { name: 'sidecar-bench', version: '0.1.0' },
    run: {
      id: 'baseline-haproxy-20251126T093000Z',
      startedAt: new Date(RUN_START_MS).toISOString(),
      finishedAt: new Date(clockMs).toISOString(),
      status: options.status ?? 'complete',
      ...(options.status === 'interrupted' ? { error: { code: 'SB_INTERRUPTED', message: 'interrupted by SIGINT' } } : {}),
    },
    scenario: {
      name: 'baseline-haproxy',
      description: `HAProxy sidecar, 16 closed-loop connections, 1 KiB responses${hostile === '' ? '' : ` ${hostile}`}`,
      sourceFile: 'scenarios/baseline-haproxy.yaml',
      topologies: topologyPlans.map((plan) => plan.name),
      proxy: { profile: 'haproxy', workerThreads: 1 },
      app: { responseBodyBytes: 1024, serviceTimeUs: 0 },
      load: { model: 'closed', connections: 16, warmupUs: 2_000_000, durationUs: 10_000_000, timeoutUs: 10_000_000 },
      trials: 2,
      sampling: { intervalUs: 250_000 },
      placement: { cpusets: 'split' },
    },
    host: {
      cpuModel: 'Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz', logicalCores: 2, aesNi: true, avx2: true,
      kernel: '6.1.0-28-cloud-amd64', os: 'Debian GNU/Linux 12 (bookworm)', dockerVersion: '20.10.24+dfsg1',
      nodeVersion: 'v20.20.0', cgroupVersion: 1,
    },
    images: {
      app: { tag: 'sidecar-bench/app:3f9a1c2e', id: 'sha256:5b1f0c' },
      haproxy: { tag: 'sidecar-bench/haproxy:8d02aa41', id: 'sha256:c7e911' },
    },
    proxyVersions: { haproxy: 'HAProxy version 2.6.12-1+deb12u1 2023/12/16' },
    topologies: topologyPlans.map(topologyRecord),
    trials,
    summary: null,
  };
}

export function makeFixture(options: FixtureOptions = {}): { results: Results; summary: ResultsSummary } {
  const results = makeFixtureResults(options);
  return { results, summary: summarizeFixture(results) };
}
