// Test fixture (used by evaluate.test.ts): two runs of app-only + sidecar, six rounds each.
import { summarizeResults } from '../analysis/summarize.js';
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import type { OkTrial, Results } from '../results/schema.js';
import type { GateInputs } from './evaluate.js';

function trial(topology: string, round: number, latencyUs: number, rps: number): OkTrial {
  const histogram = newHistogramUs();
  for (let i = 0; i < 200; i++) recordUs(histogram, latencyUs + (i % 20));
  const empty = encodeHistogram(newHistogramUs());
  return {
    state: 'ok',
    topology,
    round,
    startedAt: '2026-11-26T00:00:00.000Z',
    resources: { intervalMs: 250, samples: [] },
    load: {
      window: { startEpochMs: round * 10_000, endEpochMs: round * 10_000 + 1000 },
      responses: rps,
      statusCodes: { '200': rps },
      connectionErrors: 0,
      timeouts: 0,
      errorMessages: [],
      bytesRead: 0,
      headerCounts: { upstreamServiceTime: 0, appServiceTime: 0 },
      histograms: { latencyUs: encodeHistogram(histogram), upstreamServiceTimeUs: empty, appServiceTimeUs: empty, proxyOverheadUs: empty, networkAndProxiesUs: empty },
    },
  };
}

function run(appOnlyFactor: number, sidecarExtraUs: number): Results {
  const rounds = [0, 1, 2, 3, 4, 5];
  return {
    schemaVersion: 1,
    tool: { name: 'sidecar-bench', version: 'test' },
    run: { id: 'r', startedAt: '', finishedAt: '', status: 'complete' },
    scenario: { name: 'drift', topologies: ['app-only', 'sidecar'] },
    host: { cpuModel: 'x', logicalCores: 2, aesNi: true, avx2: true, kernel: 'k', os: 'o', dockerVersion: 'd', nodeVersion: 'n', cgroupVersion: 1 },
    images: {},
    proxyVersions: {},
    topologies: ['app-only', 'sidecar'].map((name) => ({ name, description: name, pods: [] })),
    trials: rounds.flatMap((round) => [
      trial('app-only', round, Math.round((300 + round) * appOnlyFactor), Math.round(40_000 / appOnlyFactor) + round),
      trial('sidecar', round, Math.round((900 + round) * appOnlyFactor) + sidecarExtraUs, Math.round(12_000 / appOnlyFactor) + round),
    ]),
    summary: undefined,
  };
}

/**
 * One paired run (app-only, sidecar, sidecar-baseline), round by round; the whole machine drifts by
 * `driftPerRoundUs` each round (both sides alike), and the candidate's sidecar adds `sidecarExtraUs`.
 */
export function makePairedRun(change: { sidecarExtraUs: number; driftPerRoundUs: number }): GateInputs {
  const base = run(1, 0);
  const rounds = [0, 1, 2, 3, 4, 5];
  const drift = (round: number) => round * change.driftPerRoundUs;
  const results: Results = {
    ...base,
    topologies: ['app-only', 'sidecar-baseline', 'sidecar'].map((name) => ({ name, description: name, pods: [] })),
    pairing: { suffix: '-baseline', baselineScenario: { name: 'baseline' } },
    trials: rounds.flatMap((round) => [
      trial('app-only', round, 300 + drift(round), 40_000),
      trial('sidecar-baseline', round, 900 + drift(round), 12_000),
      trial('sidecar', round, 900 + drift(round) + change.sidecarExtraUs, 12_000),
    ]),
  };
  return { results, summary: summarizeResults(results), gates: { inconclusive: 'pass', confidence: 0.95, thresholds: [] } };
}

/** A baseline run and a candidate whose whole machine is `appOnlyFactor` slower, plus `sidecarExtraUs` on the sidecar only. */
export function makeRunPair(change: { appOnlyFactor: number; sidecarExtraUs: number }): GateInputs {
  const baseline = run(1, 0);
  const candidate = run(change.appOnlyFactor, change.sidecarExtraUs);
  return {
    results: candidate,
    summary: summarizeResults(candidate),
    gates: { inconclusive: 'pass', confidence: 0.95, thresholds: [] },
    baseline: { results: baseline, summary: summarizeResults(baseline) },
  };
}
