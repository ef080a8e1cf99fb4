import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import type { OkTrial } from '../results/schema.js';
import { summarizeClosedCheck } from './closed-check.js';
import { summarizeSaturation } from './saturation.js';
import type { MedianEstimate } from './statistics.js';

function load(latencyUs: number) {
  const histogram = newHistogramUs();
  for (let i = 0; i < 100; i++) recordUs(histogram, latencyUs);
  const empty = encodeHistogram(newHistogramUs());
  return {
    window: { startEpochMs: 0, endEpochMs: 1000 },
    responses: 100,
    okResponses: 100,
    statusCodes: { '200': 100 },
    connectionErrors: 0,
    timeouts: 0,
    errorMessages: [],
    bytesRead: 0,
    headerCounts: { upstreamServiceTime: 0, appServiceTime: 0 },
    histograms: { latencyUs: encodeHistogram(histogram), upstreamServiceTimeUs: empty, appServiceTimeUs: empty, proxyOverheadUs: empty, networkAndProxiesUs: empty },
  };
}

/** Rounds 0-5: main load at `mainUs`, the 1-connection check at `checkUs + round`, saturation at `rps`. */
function trials(topology: string, mainUs: number, checkUs: number, rps: number): OkTrial[] {
  return [0, 1, 2, 3, 4, 5].map((round) => ({
    state: 'ok',
    topology,
    round,
    startedAt: '',
    load: load(mainUs),
    closedCheck: { connections: 1, load: load(checkUs + round) },
    saturation: { connections: 16, seconds: 1, responses: rps, rps, errors: 0 },
    resources: { intervalMs: 250, samples: [] },
  }));
}

const headline = (median: number): MedianEstimate => ({ n: 6, median, low: median - 10, high: median + 10, coverage: 0.96875 });

describe('summarizeClosedCheck', () => {
  const appOnly = trials('app-only', 300, 200, 10_000);
  const sidecar = trials('sidecar', 500, 400, 8_000);

  it('pairs the check’s P50 by round against the baseline’s check', () => {
    expect(summarizeClosedCheck(sidecar, appOnly, headline(200))?.overheadP50).toStrictEqual({ n: 6, median: 200, low: 200, high: 200, coverage: 0.96875 });
  });

  it('agrees within max(50 µs, 30 % of the check)', () => {
    expect(summarizeClosedCheck(sidecar, appOnly, headline(260))).toMatchObject({ toleranceUs: 60, agrees: true });
    expect(summarizeClosedCheck(sidecar, appOnly, headline(261))).toMatchObject({ toleranceUs: 60, agrees: false });
    // A 100 µs check: the 50 µs floor applies (30 % would be 30 µs).
    expect(summarizeClosedCheck(trials('sidecar', 500, 300, 8_000), appOnly, headline(150))).toMatchObject({ toleranceUs: 50, agrees: true });
  });

  it('gives the baseline its own latency only, and nothing for trials without a check', () => {
    expect(summarizeClosedCheck(appOnly, undefined, undefined)).toStrictEqual({ connections: 1, latencyP50: { n: 6, median: 202.5, low: 200, high: 205, coverage: 0.96875 } });
    expect(summarizeClosedCheck(appOnly.map(({ closedCheck: _c, ...trial }) => trial), undefined, undefined)).toBeUndefined();
  });
});

describe('summarizeSaturation', () => {
  it('reports the throughput at saturation and its drop vs the baseline, paired by round', () => {
    const summary = summarizeSaturation(trials('sidecar', 500, 400, 8_000), trials('app-only', 300, 200, 10_000));
    expect(summary?.rps.median).toBe(8_000);
    expect(summary?.dropVsBaseline?.median).toBeCloseTo(0.2, 12);
  });
});
