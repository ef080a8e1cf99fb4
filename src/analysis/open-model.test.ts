import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import type { OkTrial } from '../results/schema.js';
import { rateNotSustained } from './trial-validity.js';
import { summarizeOpenModel } from './open-model.js';

function encoded(valuesUs: readonly number[]): string {
  const histogram = newHistogramUs();
  for (const value of valuesUs) recordUs(histogram, value);
  return encodeHistogram(histogram);
}

function openTrial(stats: { scheduled: number; sent: number; unsent: number; waitedForConnection: number }, lagUs: number[], uncorrectedUs: number[]): OkTrial {
  return {
    state: 'ok',
    topology: 'sidecar',
    round: 0,
    startedAt: '2025-01-01T00:00:00.000Z',
    resources: { intervalMs: 250, samples: [] },
    load: {
      open: { targetRps: 1000, ...stats },
      window: { startEpochMs: 0, endEpochMs: 10_000 },
      responses: stats.sent,
      statusCodes: { '200': stats.sent },
      connectionErrors: 0,
      timeouts: 0,
      errorMessages: [],
      bytesRead: 0,
      headerCounts: { upstreamServiceTime: 0, appServiceTime: 0 },
      histograms: {
        latencyUs: encoded(uncorrectedUs),
        upstreamServiceTimeUs: encoded([]),
        appServiceTimeUs: encoded([]),
        proxyOverheadUs: encoded([]),
        networkAndProxiesUs: encoded([]),
        uncorrectedLatencyUs: encoded(uncorrectedUs),
        sendLagUs: encoded(lagUs),
      },
    },
  };
}

describe('summarizeOpenModel', () => {
  it('is absent for closed-model trials', () => {
    const closed = openTrial({ scheduled: 1, sent: 1, unsent: 0, waitedForConnection: 0 }, [], []);
    delete closed.load.open;
    expect(summarizeOpenModel([closed])).toBeUndefined();
  });

  it('calls a kept schedule sustained, with no findings', () => {
    const summary = summarizeOpenModel([openTrial({ scheduled: 10_000, sent: 10_000, unsent: 0, waitedForConnection: 3 }, [20, 30, 40], [300, 400])]);
    expect(summary).toMatchObject({ targetRps: 1000, sentRps: 1000, scheduled: 10_000, sent: 10_000, unsent: 0, sustained: true, findings: [] });
    expect(summary?.sendLag.p50Us).toBe(30);
  });

  it('judges a Poisson round by its own draw, not by the target: 1969 scheduled in 2 s, all sent, is sustained', () => {
    // protocols.yaml, round 2: every arm shared a draw 1.5 % under 1000/s and was called unkept.
    const drawn = openTrial({ scheduled: 1969, sent: 1969, unsent: 0, waitedForConnection: 0 }, [20], [300]);
    drawn.load.window = { startEpochMs: 0, endEpochMs: 2000 };
    expect(summarizeOpenModel([drawn])).toMatchObject({ sustained: true, findings: [] });
    expect(rateNotSustained(drawn)).toBeUndefined();
    const short = openTrial({ scheduled: 1969, sent: 1940, unsent: 0, waitedForConnection: 0 }, [20], [300]);
    short.load.window = { startEpochMs: 0, endEpochMs: 2000 };
    expect(rateNotSustained(short)).toBe('the rate of 1000/s was not sustained (sent 970/s, 0 of 1969 never sent)');
  });

  it('says plainly when the rate was not sustained', () => {
    const summary = summarizeOpenModel([openTrial({ scheduled: 10_000, sent: 7_000, unsent: 3_000, waitedForConnection: 7_000 }, [5_000], [900])]);
    expect(summary?.sustained).toBe(false);
    expect(summary?.findings).toStrictEqual([
      '3000 of 10000 scheduled requests (30.0 %) could not be sent: the rate of 1000/s was not sustained.',
      'Only 700/s were sent of the 1000/s scheduled (target 1000/s).',
      '100.0 % of requests waited for a free connection: the system under test fell behind the schedule (their wait is in the latency).',
      'Send lag P99 is 5.00 ms: 1 % of requests left more than that after their scheduled time (the wait counts in their latency).',
    ]);
  });

  it('names the load generator’s own GC pauses in the window, and keeps the rate sustained', () => {
    const kept = { scheduled: 10_000, sent: 10_000, unsent: 0, waitedForConnection: 0 };
    const withGc = openTrial(kept, [20], [300]);
    withGc.load.loadgenGc = { pauses: 3, totalMs: 4.5, maxMs: 2.25 };
    const clean = openTrial(kept, [20], [300]);
    clean.load.loadgenGc = { pauses: 0, totalMs: 0, maxMs: 0 };
    const summary = summarizeOpenModel([withGc, clean]);
    expect(summary?.sustained).toBe(true);
    expect(summary?.findings).toStrictEqual([
      'The load generator collected garbage 3 times while measuring (1 of 2 trials, longest pause 2.3 ms): requests due or answered then were charged for its pause.',
    ]);
  });
});
