/**
 * One fixture trial's measurements: the load agent's result (real encoded histograms, drawn from a
 * seeded PRNG request by request) and cumulative /proc and cgroup samples every 250 ms.
 */
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import type { OkTrial } from '../results/schema.js';
import type { TopologyPlan } from './fixture-plans.js';
import { seededRandom } from '../workloads/seeded-random.js';

export const WINDOW_MS = 5_000;
export const INTERVAL_MS = 250;
const MIB = 1024 * 1024;
/** z of the 99th percentile of a standard normal. */
const Z_99 = 2.326;

/** A seeded PRNG so fixtures are the same on every run. */
export const prng = seededRandom;

export function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** How late request `index` of `count` left: a growing backlog when the rate was not kept, else lognormal. */
function sendLagUs(plan: TopologyPlan, index: number, count: number, random: () => number): number {
  const open = plan.open;
  if (open === undefined) return 0;
  if (open.unsentShare > 0) return (index / count) * WINDOW_MS * 1000 * open.unsentShare + 50 * random();
  if (open.lagMedianUs <= 0) return 0;
  return open.lagMedianUs * Math.exp((Math.log(open.lagP99Us / open.lagMedianUs) / Z_99) * normal(random));
}

/**
 * The agent's result for one trial. `drift` scales every latency of the round (the machine's
 * state, shared by the topologies of one round); each trial adds its own `trialSpread` on top.
 */
export function loadOf(plan: TopologyPlan, round: number, startMs: number, drift: number, random: () => number, hostile: string): OkTrial['load'] {
  const seconds = WINDOW_MS / 1000;
  const open = plan.open;
  const scheduled = open ? Math.round(open.targetRps * seconds) : 0;
  const unsent = open ? Math.round(scheduled * open.unsentShare) : 0;
  const responses = open ? scheduled - unsent : Math.round(plan.rps * seconds * (1 + 0.02 * (random() - 0.5)));
  const trialMedianUs = plan.medianUs * drift * (1 + plan.trialSpread * normal(random));
  const names = ['latency', 'upstream', 'app', 'proxyOverhead', 'networkAndProxies', 'uncorrected', 'sendLag'] as const;
  const h = Object.fromEntries(names.map((name) => [name, newHistogramUs()])) as Record<(typeof names)[number], ReturnType<typeof newHistogramUs>>;
  for (let i = 0; i < responses; i++) {
    const tail = random() < 0.002 ? 4 + 16 * random() : 1;
    // Served: from the actual send to the last byte; the delay relay adds D and a few µs of its own.
    const servedUs = trialMedianUs * Math.exp(plan.sigma * normal(random)) * tail + (plan.delayUs > 0 ? plan.delayUs + 4 * random() : 0);
    const lagUs = sendLagUs(plan, i, responses, random);
    const appUs = 12 + 10 * random();
    recordUs(h.latency, servedUs + lagUs);
    if (open) {
      recordUs(h.uncorrected, servedUs);
      recordUs(h.sendLag, lagUs);
    }
    recordUs(h.app, appUs);
    recordUs(h.networkAndProxies, servedUs - appUs);
    if (plan.nearestProxy !== 'none') {
      // The nearest proxy's upstream time, as HAProxy's %Tr reports it: whole milliseconds. The
      // calibration delay sits upstream of both proxies, so it is inside that time.
      const upstreamUs = plan.nearestProxy === 'server' ? appUs + 40 + plan.delayUs : (servedUs - plan.delayUs) * 0.55 + plan.delayUs;
      const upstreamMs = Math.floor(upstreamUs / 1000);
      recordUs(h.upstream, upstreamMs * 1000);
      recordUs(h.proxyOverhead, servedUs - upstreamMs * 1000);
    }
  }
  const non2xx = round === 1 ? plan.non2xx : 0;
  const statusCodes: Record<string, number> = { '200': responses - non2xx };
  if (non2xx > 0) statusCodes['503'] = non2xx;
  const suffix = hostile === '' ? '' : ` ${hostile}`;
  return {
    ...(open ? { open: { targetRps: open.targetRps, scheduled, sent: responses, unsent, waitedForConnection: Math.round(responses * open.waitedShare) } } : {}),
    window: { startEpochMs: startMs, endEpochMs: startMs + WINDOW_MS },
    responses,
    statusCodes,
    connectionErrors: 0,
    timeouts: 0,
    errorMessages: non2xx > 0 ? [`503 Service Unavailable: no server available${suffix}`] : [],
    bytesRead: responses * 1_180,
    headerCounts: { upstreamServiceTime: plan.nearestProxy === 'none' ? 0 : responses, appServiceTime: responses },
    histograms: {
      latencyUs: encodeHistogram(h.latency),
      upstreamServiceTimeUs: encodeHistogram(h.upstream),
      appServiceTimeUs: encodeHistogram(h.app),
      proxyOverheadUs: encodeHistogram(h.proxyOverhead),
      networkAndProxiesUs: encodeHistogram(h.networkAndProxies),
      ...(open ? { uncorrectedLatencyUs: encodeHistogram(h.uncorrected), sendLagUs: encodeHistogram(h.sendLag) } : {}),
    },
  };
}

/** Cumulative /proc and cgroup samples every 250 ms from one interval before the window to one after. */
export function samplesOf(plan: TopologyPlan, startMs: number, random: () => number): OkTrial['resources']['samples'] {
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
