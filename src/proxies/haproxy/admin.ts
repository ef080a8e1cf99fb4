import type { HopStats, SidecarStats } from '../../results/schema.js';
import type { ProxyExec, ProxyTlsAdmin, TlsCounters } from '../driver.js';
import { SVID_PEM_PATH } from '../sidecar-tls.js';
import { ADMIN_SOCKET_PATH } from './tls.js';

/**
 * HAProxy's runtime API, reached with `docker exec … socat` on the sidecar's admin socket. The
 * command travels in an environment variable, so certificates never touch a command line.
 */
export async function haproxyAdmin(sidecar: ProxyExec, command: string): Promise<string> {
  const result = await sidecar.exec(['bash', '-c', `printf '%s\\n' "$SB_ADMIN_COMMAND" | socat -t 5 - UNIX-CONNECT:${ADMIN_SOCKET_PATH}`], {
    env: { SB_ADMIN_COMMAND: command },
  });
  if (result.exitCode !== 0) throw new Error(`HAProxy runtime API: "${command.split('\n')[0]}" failed: ${result.output.trim()}`);
  return result.stdout;
}

/**
 * Swaps the SVID (certificate + key) the sidecar serves and presents, without a restart: the
 * runtime API's transaction (set, then commit). Established connections keep their session; new
 * handshakes use the new certificate.
 */
export async function rotateSvid(sidecar: ProxyExec, certificateAndKeyPem: string): Promise<void> {
  const set = await haproxyAdmin(sidecar, `set ssl cert ${SVID_PEM_PATH} <<\n${certificateAndKeyPem.trim()}\n`);
  if (!/Transaction (created|updated)/i.test(set)) throw new Error(`HAProxy refused the new certificate: ${set.trim()}`);
  const commit = await haproxyAdmin(sidecar, `commit ssl cert ${SVID_PEM_PATH}`);
  if (!/Success!/.test(commit)) throw new Error(`HAProxy could not commit the new certificate: ${commit.trim()}`);
}

/** The serial of the certificate HAProxy currently uses for the SVID file (hex, upper case). */
export async function servedSerial(sidecar: ProxyExec): Promise<string | undefined> {
  const details = await haproxyAdmin(sidecar, `show ssl cert ${SVID_PEM_PATH}`);
  return /^Serial:\s*([0-9A-F]+)/im.exec(details)?.[1]?.toUpperCase();
}

/** Parses `show info` ("Name: value" lines). */
export function parseTlsCounters(info: string): TlsCounters {
  const field = (name: string) => {
    const value = new RegExp(`^${name}:\\s*(\\d+(?:\\.\\d+)?)`, 'm').exec(info)?.[1];
    return value === undefined ? undefined : Number(value);
  };
  const reuse = field('SslFrontendSessionReuse_pct');
  return { cumulativeTlsConnections: field('CumSslConns') ?? 0, ...(reuse !== undefined ? { frontendSessionReusePercent: reuse } : {}) };
}

/**
 * The inbound frontend's handshakes from `show stat` (CSV): the SSL stats module's `ssl_sess`
 * (sessions established with a full handshake) and `ssl_reused_sess` (resumed). Measured on
 * HAProxy 2.6 with mtls-churn for 2 s: 2 new + 488 reused of 490 connections with resumption,
 * 406 new + 0 reused without.
 */
export function parseFrontendHandshakes(csv: string, frontend = 'inbound'): { fullHandshakes: number; resumedHandshakes: number } | undefined {
  const lines = csv.split('\n');
  const header = lines.find((line) => line.startsWith('# '))?.slice(2).split(',');
  const row = lines.find((line) => line.startsWith(`${frontend},FRONTEND,`))?.split(',');
  if (!header || !row) return undefined;
  const value = (name: string) => {
    const index = header.indexOf(name);
    const text = index < 0 ? undefined : row[index];
    return text === undefined || text === '' ? undefined : Number(text);
  };
  const full = value('ssl_sess');
  const resumed = value('ssl_reused_sess');
  return full === undefined || resumed === undefined || !Number.isFinite(full) || !Number.isFinite(resumed) ? undefined : { fullHandshakes: full, resumedHandshakes: resumed };
}

export async function readTlsCounters(sidecar: ProxyExec): Promise<TlsCounters> {
  const counters = parseTlsCounters(await haproxyAdmin(sidecar, 'show info'));
  const handshakes = parseFrontendHandshakes(await haproxyAdmin(sidecar, 'show stat'));
  return { ...counters, ...(handshakes ?? {}) };
}

/** HAProxy's TLS operations through the runtime API. */
export const haproxyTlsAdmin: ProxyTlsAdmin = {
  readCounters: readTlsCounters,
  // The CA does not change in a rotation; HAProxy's bundle file stays as it is.
  rotateSvid: (sidecar, svid) => rotateSvid(sidecar, `${svid.certificatePem.trim()}\n${svid.privateKeyPem.trim()}\n`),
};

/**
 * `show stat` (CSV, one row per frontend/backend/server) as per-hop counters in Envoy's
 * vocabulary: the inbound/outbound frontends are the listeners (downstream), the local_app and
 * original_destination backends the clusters (upstream). Columns are found by name.
 */
export function parseHaproxyStats(csv: string): SidecarStats {
  const [headerLine, ...lines] = csv.split('\n').filter((line) => line.trim() !== '');
  const columns = (headerLine ?? '').replace(/^#\s*/, '').split(',');
  const index = (name: string) => columns.indexOf(name);
  const rows = lines.map((line) => line.split(','));
  const value = (proxy: string, server: string, column: string) => {
    const row = rows.find((cells) => cells[0] === proxy && cells[1] === server);
    const cell = row?.[index(column)];
    return cell === undefined || cell === '' ? 0 : Number(cell);
  };
  const hop = (frontend: string, backend: string): HopStats => ({
    downstreamCxTotal: value(frontend, 'FRONTEND', 'stot'),
    downstreamRqTotal: value(frontend, 'FRONTEND', 'req_tot'),
    upstreamCxTotal: value(backend, 'BACKEND', 'connect'),
    upstreamRqTotal: value(backend, 'BACKEND', 'req_tot'),
    upstreamRqTimeMs: [],
  });
  return { inbound: hop('inbound', 'local_app'), outbound: hop('outbound', 'original_destination') };
}

/** HAProxy's per-hop counters through the runtime API (`show stat`): the driver's stats reader. */
export async function readHaproxyStats(sidecar: ProxyExec): Promise<SidecarStats> {
  return parseHaproxyStats(await haproxyAdmin(sidecar, 'show stat'));
}
