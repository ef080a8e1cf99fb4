import type { ProxyLimitReader } from '../proxies/driver.js';
import type { TrialLimitHit } from '../results/schema.js';
import type { StartedTopology } from './pods-for-run.js';

export interface LimitWatch {
  /** The proxies' limit counters that moved since the watch began (none: no limit was hit). */
  finish(): Promise<TrialLimitHit[]>;
}

/**
 * Reads every sidecar's limit counters (e.g. Envoy's *_overflow) before a trial, and again at its
 * end: a counter that moved means the proxy's own limit refused requests or connections, so the
 * trial's errors are the proxy's cap, not the app's or the network's.
 */
export async function watchLimits(topology: StartedTopology, read: ProxyLimitReader): Promise<LimitWatch> {
  const sidecars = (['client', 'server'] as const).flatMap((pod) => topology[pod].containers.filter((container) => container.role === 'sidecar').map((container) => ({ pod, handle: container.handle })));
  const before = await Promise.all(sidecars.map((sidecar) => read(sidecar.handle)));
  return {
    async finish() {
      const after = await Promise.all(sidecars.map((sidecar) => read(sidecar.handle)));
      return sidecars.flatMap((sidecar, index) =>
        Object.entries(after[index] ?? {}).flatMap(([counter, value]) => {
          const count = value - (before[index]?.[counter] ?? 0);
          return count > 0 ? [{ pod: sidecar.pod, counter, count }] : [];
        }),
      );
    },
  };
}

/** One line for the run's log: which limit refused how much. */
export function describeLimitHits(hits: readonly TrialLimitHit[]): string {
  return `the proxy's own limits refused traffic (${hits.map((hit) => `${hit.pod} sidecar ${hit.counter} +${hit.count}`).join(', ')}): its errors come from a proxy cap, not from the app`;
}
