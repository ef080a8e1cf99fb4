/**
 * Latency second by second across the measured window: enough to see an event (a certificate
 * rotation, a stall) in time, not just in the distribution. One small histogram per second.
 */
import { newHistogramUs, recordUs, type Histogram } from '../hdr/histogram.js';
import type { AgentResult } from '../load/agent-protocol.js';

export class LatencyTimeline {
  private readonly seconds: { histogram: Histogram; errors: number }[] = [];

  constructor(private readonly windowStartEpochMs: () => number) {}

  private slot(atEpochMs: number) {
    const index = Math.floor((atEpochMs - this.windowStartEpochMs()) / 1000);
    if (index < 0 || index > 3600) return undefined;
    while (this.seconds.length <= index) this.seconds.push({ histogram: newHistogramUs(), errors: 0 });
    return this.seconds[index];
  }

  record(atEpochMs: number, latencyUs: number): void {
    const slot = this.slot(atEpochMs);
    if (slot) recordUs(slot.histogram, latencyUs);
  }

  recordError(atEpochMs: number): void {
    const slot = this.slot(atEpochMs);
    if (slot) slot.errors++;
  }

  toSeries(): NonNullable<AgentResult['timeline']> {
    return this.seconds.map(({ histogram, errors }, second) => ({
      second,
      responses: histogram.totalCount,
      errors,
      p50Us: histogram.totalCount > 0 ? histogram.getValueAtPercentile(50) : 0,
      p99Us: histogram.totalCount > 0 ? histogram.getValueAtPercentile(99) : 0,
      maxUs: histogram.totalCount > 0 ? histogram.getValueAtPercentile(100) : 0,
    }));
  }
}
