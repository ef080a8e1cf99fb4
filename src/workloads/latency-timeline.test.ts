import { describe, expect, it } from 'vitest';
import { LatencyTimeline } from './latency-timeline.js';

const START_MS = 1_764_149_400_000;

describe('LatencyTimeline', () => {
  it('buckets responses and errors by whole seconds since the window start, with p50/p99/max per second', () => {
    const timeline = new LatencyTimeline(() => START_MS);
    // second 0: four responses, one error
    timeline.record(START_MS, 100);
    timeline.record(START_MS + 250, 400);
    timeline.record(START_MS + 500, 200);
    timeline.record(START_MS + 999, 300);
    timeline.recordError(START_MS + 999.9);
    // second 1: one response
    timeline.record(START_MS + 1000, 1500);
    // second 3: 100 responses 1..100 µs and two errors
    for (let us = 1; us <= 100; us++) timeline.record(START_MS + 3000 + us, us);
    timeline.recordError(START_MS + 3999);
    timeline.recordError(START_MS + 3000);
    expect(timeline.toSeries()).toStrictEqual([
      { second: 0, responses: 4, errors: 1, p50Us: 200, p99Us: 400, maxUs: 400 },
      { second: 1, responses: 1, errors: 0, p50Us: 1500, p99Us: 1500, maxUs: 1500 },
      { second: 2, responses: 0, errors: 0, p50Us: 0, p99Us: 0, maxUs: 0 },
      { second: 3, responses: 100, errors: 2, p50Us: 50, p99Us: 99, maxUs: 100 },
    ]);
  });

  it('ignores everything before the window start (warm-up)', () => {
    const timeline = new LatencyTimeline(() => START_MS);
    timeline.record(START_MS - 5000, 9000);
    timeline.record(START_MS - 1, 9000);
    timeline.record(START_MS - 0.5, 9000);
    timeline.recordError(START_MS - 1);
    expect(timeline.toSeries()).toStrictEqual([]);
    timeline.record(START_MS + 2000, 700);
    expect(timeline.toSeries()).toStrictEqual([
      { second: 0, responses: 0, errors: 0, p50Us: 0, p99Us: 0, maxUs: 0 },
      { second: 1, responses: 0, errors: 0, p50Us: 0, p99Us: 0, maxUs: 0 },
      { second: 2, responses: 1, errors: 0, p50Us: 700, p99Us: 700, maxUs: 700 },
    ]);
  });

  it('a second with errors only has zero latencies', () => {
    const timeline = new LatencyTimeline(() => START_MS);
    timeline.recordError(START_MS + 1200);
    expect(timeline.toSeries()).toStrictEqual([
      { second: 0, responses: 0, errors: 0, p50Us: 0, p99Us: 0, maxUs: 0 },
      { second: 1, responses: 0, errors: 1, p50Us: 0, p99Us: 0, maxUs: 0 },
    ]);
  });

  it('reads the window start when a record arrives (it is known only once warm-up ends)', () => {
    let startMs = Number.POSITIVE_INFINITY;
    const timeline = new LatencyTimeline(() => startMs);
    timeline.record(START_MS, 100); // warm-up: no window yet
    startMs = START_MS + 10_000;
    timeline.record(START_MS + 10_500, 250);
    expect(timeline.toSeries()).toStrictEqual([{ second: 0, responses: 1, errors: 0, p50Us: 250, p99Us: 250, maxUs: 250 }]);
  });

  it('reports the max as the top of its histogram bucket (3 significant digits) and rounds to whole µs', () => {
    const timeline = new LatencyTimeline(() => START_MS);
    timeline.record(START_MS, 10_000);
    timeline.record(START_MS + 1, 99.6);
    expect(timeline.toSeries()).toStrictEqual([{ second: 0, responses: 2, errors: 0, p50Us: 100, p99Us: 10_007, maxUs: 10_007 }]);
  });

  it('keeps at most an hour: a record more than 3600 s after the start is dropped', () => {
    const timeline = new LatencyTimeline(() => START_MS);
    timeline.record(START_MS + 3_601_000, 100);
    expect(timeline.toSeries()).toStrictEqual([]);
    timeline.record(START_MS + 3_600_999, 100);
    const series = timeline.toSeries();
    expect(series).toHaveLength(3601);
    expect(series[3600]).toStrictEqual({ second: 3600, responses: 1, errors: 0, p50Us: 100, p99Us: 100, maxUs: 100 });
  });
});
