/**
 * Proof that every hop a topology should cross was crossed: each sidecar on the path counts, with
 * its own request counters, the requests it carried. Headers can say a proxy answered; only the
 * proxies' counters say that *each* of them carried the traffic (a client whose outbound sidecar
 * is bypassed still gets the server sidecar's header, and would be measured as a one-proxy path
 * labelled as two). Read before and after the probe and around every trial's load.
 */
import type { LoadProtocol } from '../load/protocols.js';
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

/**
 * What a hop must have counted for a load to have crossed it. HTTP: every request (each is one to
 * the proxy). WebSocket and TCP: every connection (downstream_cx_total), since the proxies see
 * connections and bytes, not the messages inside them.
 */
export interface HopCount {
  what: 'requests' | 'connections';
  expected: number;
}

/** The count a load of `protocol` must leave on every hop: its requests, or for WebSocket and TCP its connections. */
export function hopCount(protocol: LoadProtocol, requests: number, connections: number): HopCount {
  return protocol === 'websocket' || protocol === 'tcp' ? { what: 'connections', expected: connections } : { what: 'requests', expected: requests };
}

/** Requests (downstream_rq_total) or connections (downstream_cx_total) each hop's listener has counted since its sidecar started. */
export async function readHopRequests(readStats: NonNullable<ProxyDriver['readStats']>, hops: readonly Hop[], what: HopCount['what'] = 'requests'): Promise<number[]> {
  return Promise.all(
    hops.map(async (hop) => {
      const stats = (await readStats(hop.sidecar.handle))[hop.direction];
      return what === 'connections' ? stats.downstreamCxTotal : stats.downstreamRqTotal;
    }),
  );
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
export function missingTrialHops(proxyStats: readonly TrialProxyStats[], sent: number | HopCount, failedAtClient = 0): string[] {
  const { what, expected } = typeof sent === 'number' ? { what: 'requests' as const, expected: sent } : sent;
  const counted = (hop: TrialProxyStats['inbound']) => (what === 'connections' ? hop.downstreamCxTotal : hop.downstreamRqTotal);
  // Requests the client sidecar could not connect upstream never reached the server sidecar (HTTP only).
  const serverOwed = what === 'requests' ? Math.max(0, expected - failedAtClient) : expected;
  return proxyStats.flatMap((stats) => {
    const hop = stats.pod === 'client' ? { label: 'client sidecar (outbound)', carried: counted(stats.outbound), owed: expected } : { label: 'server sidecar (inbound)', carried: counted(stats.inbound), owed: serverOwed };
    if (hop.carried >= hop.owed) return [];
    if (what === 'connections') return [`the ${hop.label} counted ${hop.carried} of the ${hop.owed} connections the trial opened: the path bypassed it`];
    const excused = hop.owed < expected ? ` (the client sidecar failed to connect ${failedAtClient} upstream)` : '';
    return [`the ${hop.label} counted ${hop.carried} of the ${hop.owed} requests the trial sent${excused}: the path bypassed it`];
  });
}

/**
 * Requests of a trial that left the load agent: every attempt but those whose connect() failed
 * with EADDRNOTAVAIL, which fails inside the client pod's own socket layer (no free local port:
 * no SYN is sent, so no sidecar can count the request). Any other failure did reach the network.
 */
export function requestsLeavingTheAgent(attempts: number, connectErrorsByErrno: Readonly<Record<string, number>> | undefined): number {
  return Math.max(0, attempts - (connectErrorsByErrno?.['EADDRNOTAVAIL'] ?? 0));
}

/** Termination codes of a failed upstream connect (HAProxy SC/sC, Envoy UF/UH/UO): the request never left the client pod. */
export const CONNECT_FAILURE_CODES = ['SC', 'sC', 'UF', 'UH', 'UO'] as const;
