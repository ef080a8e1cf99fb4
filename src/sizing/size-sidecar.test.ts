import { describe, expect, it } from 'vitest';
import type { CapacitySummary, CostPoint, SidecarCost, TopologyCapacity } from '../analysis/capacity.js';
import { fitLine } from '../analysis/linear-fit.js';
import { findKnee, judgeStep } from '../analysis/knee.js';
import { BenchError } from '../errors.js';
import { sizeSidecar } from './size-sidecar.js';

const MI = 2 ** 20;
const slo = { p99Us: 10_000, maxErrorRate: 0.001 };

/** A sidecar costing exactly 0.02 + 0.0003 · rps vCPU, RSS 40 MiB + 1 MiB per 1000 req/s. */
function sidecar(container: string, side: 'client' | 'server', rates: number[], slope = 0.0003): SidecarCost {
  const points: CostPoint[] = rates.map((rps, step) => ({ step, round: step, rps, connections: 16, vcpu: 0.02 + slope * rps, rssBytes: 40 * MI + (rps / 1000) * MI, ctxSwitchesPerSecondPerCore: 100, ctxSwitchesPerRequest: 2 }));
  const cpuFit = fitLine(points.map((point) => ({ x: point.rps, y: point.vcpu })))!;
  const med = { n: 3, median: 2, low: 2, high: 2, coverage: 0.75 };
  return {
    container, pod: side, side, points, cpuFit,
    vcpuPer1kRps: { estimate: cpuFit.slope.estimate * 1000, low: cpuFit.slope.low * 1000, high: cpuFit.slope.high * 1000 },
    idleVcpu: cpuFit.intercept,
    rssBaseBytes: 40 * MI, rssPeakBytes: Math.max(...points.map((point) => point.rssBytes)),
    ctxSwitchesPerRequest: med, ctxSwitchesPerSecondPerCore: { ...med, median: 100 }, ctxSwitchesPerSecondPerCorePeak: 100,
  };
}

/** A topology with P99 2 ms up to `kneeRps`, 50 ms above. */
function topology(name: string, rates: number[], kneeRps: number, sidecars: SidecarCost[]): TopologyCapacity {
  const steps = rates.map((rate, step) => ({ ...judgeStep(rate, [1, 2, 3].map(() => ({ achievedRps: rate, p99Us: rate <= kneeRps ? 2000 : 50_000, errorRate: 0, sustained: true })), slo), step, connections: 16, p50Us: { n: 3, median: 500, low: 500, high: 500, coverage: 0.75 } }));
  return { topology: name, steps, knee: findKnee(steps), stop: 'past-slo', sidecars };
}

const rates = [1000, 2000, 4000, 8000];
const capacity: CapacitySummary = {
  slo, confidence: 0.95, method: '',
  topologies: [
    topology('app-only', rates, 8000, []),
    topology('sidecar', rates, 4000, [sidecar('client-sidecar', 'client', rates), sidecar('server-sidecar', 'server', rates, 0.0004)]),
  ],
};

describe('sizeSidecar', () => {
  it('sizes requests at the per-replica rate and limits at the knee with headroom, from the costlier sidecar', () => {
    const sizing = sizeSidecar(capacity, { targetRps: 5000, headroomShare: 0.3, services: 10, replicas: 2 });
    expect(sizing.topology).toBe('sidecar');
    expect(sizing.perReplicaRps).toBe(2500);
    // Server sidecar: 0.02 + 0.0004 · 2500 = 1.02 vCPU → 1020m.
    expect(sizing.requests.cpuMillis).toBe(1020);
    // At the knee (4000/s): 0.02 + 1.6 = 1.62 × 1.3 = 2.106 → 2110m.
    expect(sizing.limits.cpuMillis).toBe(2110);
    // Peak RSS within the SLO (≤ 4000/s): 44 MiB; over the sweep 48 MiB × 1.3 = 62.4 → 63 MiB.
    expect(sizing.requests.memoryBytes).toBe(44 * MI);
    expect(sizing.limits.memoryBytes).toBe(63 * MI);
    expect(sizing.concurrency).toBe(3);
    expect(sizing.cluster).toEqual({ pods: 20, requestsVcpu: 20.4, requestsGiB: (20 * 44) / 1024, limitsVcpu: 42.2, limitsGiB: (20 * 63) / 1024 });
    expect(sizing.notes).toEqual([]);
  });

  it('says how many replicas it takes when one replica would run past the knee', () => {
    const sizing = sizeSidecar(capacity, { targetRps: 5000, headroomShare: 0.3, services: 1, replicas: 1, measuredWorkerThreads: 1 });
    expect(sizing.notes.join('\n')).toMatch(/5000 req\/s per replica is past the knee \(4000 req\/s\): run at least 2 replicas/);
    expect(sizing.notes.join('\n')).toMatch(/measured 1 worker thread/);
  });

  it('refuses a topology that was not swept or has no sidecar, naming the option', () => {
    expect(() => sizeSidecar(capacity, { targetRps: 1000, headroomShare: 0.3, services: 1, replicas: 1, topology: 'mtls' })).toThrow(BenchError);
    expect(() => sizeSidecar(capacity, { targetRps: 1000, headroomShare: 0.3, services: 1, replicas: 1, topology: 'app-only' })).toThrow(/--topology: "app-only" has no sidecar/);
    expect(() => sizeSidecar({ ...capacity, topologies: [capacity.topologies[0]!] }, { targetRps: 1000, headroomShare: 0.3, services: 1, replicas: 1 })).toThrow(/nothing to size/);
  });
});
