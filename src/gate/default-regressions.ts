import type { RegressionGate } from '../scenario/scenario.js';

const base = { topology: '*', estimator: 'differential', role: 'sidecar' } as const;

/**
 * What `gate --baseline` checks when the scenario lists no regressions: latency and overhead at
 * P50 and P99, throughput, sidecar CPU and memory, errors. Tolerances are 10 % (15 % for CPU,
 * whose per-trial figures are noisier here) with floors that keep the gate from judging
 * differences smaller than this machine can resolve.
 */
export const DEFAULT_REGRESSIONS: RegressionGate[] = [
  { ...base, metric: 'latency', statistic: 'p50', toleranceShare: 0.1, floor: 50 },
  { ...base, metric: 'latency', statistic: 'p99', toleranceShare: 0.1, floor: 200 },
  { ...base, metric: 'overhead', statistic: 'p50', toleranceShare: 0.1, floor: 50 },
  { ...base, metric: 'overhead', statistic: 'p99', toleranceShare: 0.1, floor: 200 },
  { ...base, metric: 'rps', toleranceShare: 0.1, floor: 0 },
  { ...base, metric: 'sidecar-vcpu-per-1k-rps', toleranceShare: 0.15, floor: 0.005 },
  { ...base, metric: 'sidecar-rss', toleranceShare: 0.1, floor: 4 * 1024 ** 2 },
  { ...base, metric: 'error-rate', toleranceShare: 0, floor: 0.001 },
];
