import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import type { OkTrial } from '../results/schema.js';
import { overheadEstimators, pairedOverhead, perRoundStatistic, statisticsOverTrials } from './estimators.js';

function encoded(valueUs: number, count = 100): string {
  const histogram = newHistogramUs();
  for (let i = 0; i < count; i++) recordUs(histogram, valueUs);
  return encodeHistogram(histogram);
}

/** A trial whose every latency is `latencyUs`, app time `appUs`, and (optionally) proxy overhead `proxyUs`. */
function trial(topology: string, round: number, latencyUs: number, appUs: number, proxyUs?: number): OkTrial {
  return {
    state: 'ok',
    topology,
    round,
    startedAt: '2025-01-01T00:00:00.000Z',
    resources: { intervalMs: 250, samples: [] },
    load: {
      window: { startEpochMs: 0, endEpochMs: 1000 },
      responses: 100,
      statusCodes: { '200': 100 },
      connectionErrors: 0,
      timeouts: 0,
      errorMessages: [],
      bytesRead: 0,
      headerCounts: { upstreamServiceTime: proxyUs === undefined ? 0 : 100, appServiceTime: 100 },
      histograms: {
        latencyUs: encoded(latencyUs),
        upstreamServiceTimeUs: encoded(0, proxyUs === undefined ? 0 : 100),
        appServiceTimeUs: encoded(appUs),
        proxyOverheadUs: proxyUs === undefined ? encoded(0, 0) : encoded(proxyUs),
        networkAndProxiesUs: encoded(latencyUs - appUs),
      },
    },
  };
}

// Six rounds: baseline latency 200 + round, arm 700 + 2·round, so the paired differences are 500 + round.
const baseline = [0, 1, 2, 3, 4, 5].map((round) => trial('app-only', round, 200 + round, 10));
const arm = [0, 1, 2, 3, 4, 5].map((round) => trial('sidecar', round, 700 + 2 * round, 10, 300));

describe('estimators over trials', () => {
  it('reads one statistic per round', () => {
    expect([...perRoundStatistic(baseline, 'latencyUs', 'p50Us')]).toStrictEqual([[0, 200], [1, 201], [2, 202], [3, 203], [4, 204], [5, 205]]);
  });

  it('summarises a statistic over trials with its interval', () => {
    expect(statisticsOverTrials(arm, 'latencyUs').p50Us).toStrictEqual({ n: 6, median: 705, low: 700, high: 710, coverage: 1 - 2 / 64 });
  });

  it('pairs arm and baseline by round for the differential estimator', () => {
    expect(pairedOverhead(arm, baseline, 'latencyUs').p50Us).toStrictEqual({ n: 6, median: 502.5, low: 500, high: 505, coverage: 1 - 2 / 64 });
  });

  it('gives all three estimators; the header one is absolute when the baseline has no proxy', () => {
    const estimators = overheadEstimators(arm, baseline);
    expect(estimators.differential.p99Us.median).toBe(502.5);
    expect(estimators.perRequestAppUs?.p50Us.median).toBe(502.5);
    expect(estimators.perRequestHeader?.p50Us).toStrictEqual({ n: 6, median: 300, low: 300, high: 300, coverage: 1 - 2 / 64 });
  });

  it('omits the header estimator when the arm carries no upstream-time header', () => {
    expect(overheadEstimators(baseline, baseline).perRequestHeader).toBeUndefined();
  });
});
