/**
 * Proof that every hop a topology should cross was crossed: each sidecar on the path counts, with
 * its own request counters, the requests it carried. Headers can say a proxy answered; only the
 * proxies' counters say that *each* of them carried the traffic (a client whose outbound sidecar
 * is bypassed still gets the server sidecar's header, and would be measured as a one-proxy path
 * labelled as two). Read before and after the probe and around every trial's load.
 */
import type { ProxyDriver } from '../proxies/driver.js';
import type { TrialProxyStats } from '../results/schema.js';
import type { RunningContainer, StartedPod } from '../runtime/pod.js';

export interface Hop {
  /** e.g. "client sidecar (outbound)". */
  label: string;
  direction: 'inbound' | 'outbound';
  sidecar: RunningContainer;
}

/** The hops a request crosses: the client pod's sidecar outbound, the server pod's sidecar inbound. */
export function expectedHops(client: StartedPod, server: StartedPod): Hop[] {
  const sidecarOf = (pod: StartedPod) => pod.containers.find((container) => container.role === 'sidecar');
  const clientSidecar = sidecarOf(client);
  const serverSidecar = sidecarOf(server);
  return [
    ...(clientSidecar ? [{ label: 'client sidecar (outbound)', direction: 'outbound' as const, sidecar: clientSidecar }] : []),
    ...(serverSidecar ? [{ label: 'server sidecar (inbound)', direction: 'inbound' as const, sidecar: serverSidecar }] : []),
  ];
}

/** Requests each hop's listener has counted since its sidecar started (downstream_rq_total). */
export async function readHopRequests(readStats: NonNullable<ProxyDriver['readStats']>, hops: readonly Hop[]): Promise<number[]> {
  return Promise.all(hops.map(async (hop) => (await readStats(hop.sidecar.handle))[hop.direction].downstreamRqTotal));
}

/**
 * The hops that carried fewer than `expected` requests between two reads, each said in a sentence
 * naming the hop. Pure: the counters only grow, so a hop on the path counts at least every request
 * sent through it (warm-up and retries may add more, never fewer).
 */
export function missingHops(hops: readonly Hop[], before: readonly number[], after: readonly number[], expected: number, what: string): string[] {
  return hops.flatMap((hop, index) => {
    const carried = (after[index] ?? 0) - (before[index] ?? 0);
    return carried >= expected ? [] : [`the ${hop.label} counted ${carried} of the ${expected} ${what}: the path bypassed it`];
  });
}

/**
 * The same check on a trial's counters (proxyStats: each sidecar's difference over the trial):
 * the client pod's sidecar must have counted the requests outbound, the server pod's inbound.
 * `failedAtClient`: requests the client sidecar itself recorded as failing to connect upstream
 * (its termination records: no free ports, refused); those never reach the server pod, so its
 * sidecar owes only the rest.
 */
export function missingTrialHops(proxyStats: readonly TrialProxyStats[], sent: number, failedAtClient = 0): string[] {
  return proxyStats.flatMap((stats) => {
    const hop = stats.pod === 'client' ? { label: 'client sidecar (outbound)', carried: stats.outbound.downstreamRqTotal, owed: sent } : { label: 'server sidecar (inbound)', carried: stats.inbound.downstreamRqTotal, owed: Math.max(0, sent - failedAtClient) };
    if (hop.carried >= hop.owed) return [];
    const excused = hop.owed < sent ? ` (the client sidecar failed to connect ${failedAtClient} upstream)` : '';
    return [`the ${hop.label} counted ${hop.carried} of the ${hop.owed} requests the trial sent${excused}: the path bypassed it`];
  });
}

/** Termination codes of a failed upstream connect (HAProxy SC/sC, Envoy UF/UH/UO): the request never left the client pod. */
export const CONNECT_FAILURE_CODES = ['SC', 'sC', 'UF', 'UH', 'UO'] as const;
