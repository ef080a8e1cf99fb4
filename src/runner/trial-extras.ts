import type Dockerode from 'dockerode';
import { describeError } from '../errors.js';
import { failedRequests, successfulResponses, type AgentSpec } from '../load/agent-protocol.js';
import { runLoad } from '../load/run-agent.js';
import type { TrialClosedCheck, TrialProxyStats, TrialProxyTerminations, TrialSaturation, TrialTls } from '../results/schema.js';
import type { ProxyDriver, ProxyTlsAdmin } from '../proxies/driver.js';
import { diffSidecarStats, serverHandshakesFromStats, tlsFailuresFromStats } from '../proxies/sidecar-stats.js';
import type { RunningContainer, StartedPod } from '../runtime/pod.js';
import { readContainerLog } from '../runtime/container-logs.js';
import { svidPem, type MtlsMaterial } from './mtls-material.js';

const sidecarOf = (pod: StartedPod): RunningContainer | undefined => pod.containers.find((container) => container.role === 'sidecar');

/** TLS failures HAProxy logs (errors only: dontlog-normal), e.g. "SSL handshake failure (… unknown ca)". */
const TLS_FAILURE = /SSL handshake failure|certificate verify failed|unknown ca|bad certificate|certificate unknown|no shared cipher|wrong version number/i;

export interface TlsWatch {
  /**
   * Call once the load is over: counters, rotations and failures of the trial. `proxyStats` (the
   * trial's hop counters) is where a driver without readCounters finds handshakes and failures.
   */
  finish(spanSeconds: number, proxyStats?: readonly TrialProxyStats[]): Promise<TrialTls>;
}

/**
 * For an mtls arm: reads the server sidecar's TLS counters now, optionally rotates every SVID at
 * `rotateAfterMs` (under load), and on finish reads the counters and the sidecars' error log again.
 */
export async function watchTls(dockerode: Dockerode, admin: ProxyTlsAdmin, client: StartedPod, server: StartedPod, rotation: { material: MtlsMaterial; afterMs: number } | undefined): Promise<TlsWatch> {
  const serverSidecar = sidecarOf(server);
  const clientSidecar = sidecarOf(client);
  if (!serverSidecar || !clientSidecar) throw new Error('an mtls arm has a sidecar in each pod');
  const sinceSeconds = Math.floor(Date.now() / 1000);
  const before = admin.readCounters ? await admin.readCounters(serverSidecar.handle) : undefined;
  const rotations: TrialTls['rotations'] = [];
  let rotating: Promise<void> | undefined;
  const timer = rotation
    ? setTimeout(() => {
        rotating = (async () => {
          const epochMs = Date.now();
          try {
            const svids = await rotation.material.reissue();
            await admin.rotateSvid(clientSidecar.handle, svidPem(svids.client), rotation.material.caCertificatePem);
            await admin.rotateSvid(serverSidecar.handle, svidPem(svids.server), rotation.material.caCertificatePem);
            rotations.push({ epochMs, ok: true, newSerials: [svids.client.certificate.serialNumber, svids.server.certificate.serialNumber] });
          } catch (error) {
            rotations.push({ epochMs, ok: false, error: describeError(error), newSerials: [] });
          }
        })();
      }, rotation.afterMs)
    : undefined;
  return {
    async finish(spanSeconds, proxyStats) {
      if (timer) clearTimeout(timer);
      await rotating;
      if (!admin.readCounters || !before) {
        const handshakes = proxyStats ? serverHandshakesFromStats(proxyStats) : undefined;
        if (!proxyStats || !handshakes) throw new Error('the server sidecar’s TLS counters were not read (no stats reader, or no TLS on its inbound side)');
        return {
          serverTlsConnections: handshakes.handshakes,
          spanSeconds,
          ...(handshakes.sessionReusePercent !== undefined ? { frontendSessionReusePercent: handshakes.sessionReusePercent } : {}),
          rotations,
          handshakeFailures: tlsFailuresFromStats(proxyStats),
        };
      }
      const after = await admin.readCounters(serverSidecar.handle);
      const logs = (await Promise.all([clientSidecar, serverSidecar].map((sidecar) => readContainerLog(dockerode, sidecar.id, 2000, sinceSeconds)))).flat();
      const failures = [...new Set(logs.filter((line) => TLS_FAILURE.test(line)).map((line) => line.replace(/^.*?\] /, '').slice(0, 200)))].slice(0, 10);
      return {
        serverTlsConnections: Math.max(0, after.cumulativeTlsConnections - before.cumulativeTlsConnections),
        spanSeconds,
        ...(after.frontendSessionReusePercent !== undefined ? { frontendSessionReusePercent: after.frontendSessionReusePercent } : {}),
        ...(after.fullHandshakes !== undefined && before.fullHandshakes !== undefined && after.resumedHandshakes !== undefined && before.resumedHandshakes !== undefined
          ? { serverFullHandshakes: Math.max(0, after.fullHandshakes - before.fullHandshakes), serverResumedHandshakes: Math.max(0, after.resumedHandshakes - before.resumedHandshakes) }
          : {}),
        rotations,
        handshakeFailures: failures,
      };
    },
  };
}

export interface ProxyStatsWatch {
  /** Call once the load is over: what each sidecar counted since the watch began. */
  finish(): Promise<TrialProxyStats[]>;
}

/** Reads every sidecar's counters now (before the load), through the driver's stats reader. */
export async function watchProxyStats(driver: ProxyDriver, client: StartedPod, server: StartedPod): Promise<ProxyStatsWatch | undefined> {
  const { readStats } = driver;
  if (!readStats) return undefined;
  const sidecars = [
    { pod: 'client' as const, sidecar: sidecarOf(client) },
    { pod: 'server' as const, sidecar: sidecarOf(server) },
  ].flatMap(({ pod, sidecar }) => (sidecar ? [{ pod, sidecar }] : []));
  if (sidecars.length === 0) return undefined;
  const before = await Promise.all(sidecars.map(({ sidecar }) => readStats(sidecar.handle)));
  return {
    async finish() {
      const after = await Promise.all(sidecars.map(({ sidecar }) => readStats(sidecar.handle)));
      return sidecars.map(({ pod }, index) => ({ pod, source: driver.statsSource ?? driver.name, ...diffSidecarStats(before[index]!, after[index]!) }));
    },
  };
}

/** Log lines read per sidecar and trial for its termination records: errors only are logged, so this is plenty. */
const TERMINATION_LOG_TAIL = 5000;

/**
 * From now on, each sidecar's records of requests it ended abnormally (its driver parses its log).
 * `finish()` reads the log lines since the watch began (whole seconds: the engine's `since`), so a
 * record of the previous trial's last second can be counted too; each trial of a fault shows
 * hundreds, a healthy one none. Undefined when the arm's driver keeps no such records.
 */
export function watchTerminations(dockerode: Dockerode, driver: ProxyDriver | undefined, client: StartedPod, server: StartedPod): { finish(): Promise<TrialProxyTerminations[]> } | undefined {
  const terminations = driver?.terminations;
  if (!terminations) return undefined;
  const sinceSeconds = Math.floor(Date.now() / 1000);
  const sidecars = [
    { pod: 'client' as const, sidecar: sidecarOf(client) },
    { pod: 'server' as const, sidecar: sidecarOf(server) },
  ].flatMap(({ pod, sidecar }) => (sidecar ? [{ pod, sidecar }] : []));
  if (sidecars.length === 0) return undefined;
  return {
    async finish() {
      const records = await Promise.all(
        sidecars.map(async ({ pod, sidecar }) => ({ pod, source: terminations.source, ...terminations.parse(await readContainerLog(dockerode, sidecar.id, TERMINATION_LOG_TAIL, sinceSeconds)) })),
      );
      return records.filter((record) => Object.keys(record.counts).length > 0 || record.lines.length > 0);
    },
  };
}

/** The closed-model burst after a trial's main load: how many requests per second the arm can take. */
export async function measureSaturation(dockerode: Dockerode, loadgenId: string, spec: AgentSpec, saturation: { connections: number; durationUs: number }, signal: AbortSignal): Promise<TrialSaturation> {
  const result = await runLoad(dockerode, loadgenId, { ...spec, model: 'closed', connections: saturation.connections, warmupUs: 500_000, durationUs: saturation.durationUs }, { signal });
  const seconds = (result.window.endEpochMs - result.window.startEpochMs) / 1000;
  return {
    connections: saturation.connections,
    seconds,
    responses: successfulResponses(result),
    rps: seconds > 0 ? successfulResponses(result) / seconds : 0,
    errors: failedRequests(result),
  };
}

/**
 * The closed-loop check after a trial's main load, on the same pods: N connections (usually 1), no
 * rate, so no queueing in front of any hop. Its overhead should agree with the open model's.
 */
export async function measureClosedCheck(dockerode: Dockerode, loadgenId: string, spec: AgentSpec, check: { connections: number; durationUs: number }, signal: AbortSignal): Promise<TrialClosedCheck> {
  const { event: _event, ...load } = await runLoad(dockerode, loadgenId, { ...spec, model: 'closed', connections: check.connections, warmupUs: 500_000, durationUs: check.durationUs }, { signal });
  return { connections: check.connections, load };
}
