/**
 * The load generator's own garbage-collection pauses inside the measured window. A pause stalls
 * the agent's event loop: a request due then leaves late and a response read then is stamped late,
 * so the pause lands in the measured latency as if the system under test had caused it. The agent
 * is started with a young generation big enough not to collect while it measures (run-agent.ts);
 * this records whether that held, so a result can say so instead of hiding it.
 */
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import type { AgentResult } from '../load/agent-protocol.js';

export type LoadgenGc = NonNullable<AgentResult['loadgenGc']>;

export interface GcPause {
  startEpochMs: number;
  durationMs: number;
}

/** Pauses that started inside the window, summed. Pure, for tests. */
export function gcPausesInWindow(pauses: readonly GcPause[], window: AgentResult['window']): LoadgenGc {
  const inside = pauses.filter((pause) => pause.startEpochMs >= window.startEpochMs && pause.startEpochMs < window.endEpochMs);
  return {
    pauses: inside.length,
    totalMs: inside.reduce((sum, pause) => sum + pause.durationMs, 0),
    maxMs: inside.reduce((max, pause) => Math.max(max, pause.durationMs), 0),
  };
}

/** Watches every GC of this process from now until stop(). */
export function watchGc(): { stop(window: AgentResult['window']): LoadgenGc } {
  const pauses: GcPause[] = [];
  const record = (entries: readonly PerformanceEntry[]) => {
    for (const entry of entries) pauses.push({ startEpochMs: performance.timeOrigin + entry.startTime, durationMs: entry.duration });
  };
  const observer = new PerformanceObserver((list) => record(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop: (window) => {
      // Entries are delivered asynchronously; take the ones still buffered too.
      record(observer.takeRecords());
      observer.disconnect();
      return gcPausesInWindow(pauses, window);
    },
  };
}
