/**
 * What a sidecar's own counters say about the TLS hop between the sidecars, for the tests that
 * prove HTTP/2 rides on it: TLS handshakes and HTTP/2 (and HTTP/1.1) connections on that hop,
 * cumulative since the sidecar started. The client sidecar's side is the connection it originates
 * (HAProxy: the original_destination backend; Envoy: the original_destination cluster), the server
 * sidecar's the one it terminates (the inbound frontend / listener).
 */
import type { ProxyExec } from '../../src/proxies/driver.js';
import { adminGet } from '../../src/proxies/envoy/admin.js';
import { haproxyAdmin } from '../../src/proxies/haproxy/admin.js';
import type { ProxyName } from '../../src/proxies/registry.js';

export interface TlsHopCounters {
  /** TLS handshakes on the hop, full and resumed (HAProxy `ssl_sess` + `ssl_reused_sess`; Envoy `ssl.handshake`). */
  handshakes: number;
  /** HTTP/2 connections on the hop (HAProxy `h2_total_connections`; Envoy `upstream_cx_http2_total` / `downstream_cx_http2_total`). */
  h2Connections: number;
  /** HTTP/1.1 connections on the hop (Envoy only: what its ALPN-chosen codec fell back to). */
  http1Connections?: number;
}

/** One cell of HAProxy's `show stat` CSV, by proxy, row type (FRONTEND/BACKEND) and column name. */
export function haproxyStatCell(csv: string, proxy: string, row: string, column: string): number {
  const [header, ...lines] = csv.split('\n').filter((line) => line.trim() !== '');
  const index = (header ?? '').replace(/^#\s*/, '').split(',').indexOf(column);
  const cells = lines.map((line) => line.split(',')).find((cells) => cells[0] === proxy && cells[1] === row);
  if (index < 0 || !cells) throw new Error(`HAProxy show stat has no ${column} for ${proxy}/${row}`);
  return Number(cells[index] || 0);
}

/** Only the TLS handshakes of the hop: for the TCP ports' path (the client sidecar's original_destination_tcp). */
export async function readTcpTlsHandshakes(proxy: ProxyName, sidecar: ProxyExec, side: 'client' | 'server'): Promise<number> {
  if (side === 'server') return (await readTlsHop(proxy, sidecar, 'server')).handshakes;
  if (proxy === 'haproxy') {
    const csv = await haproxyAdmin(sidecar, 'show stat');
    return haproxyStatCell(csv, 'original_destination_tcp', 'BACKEND', 'ssl_sess') + haproxyStatCell(csv, 'original_destination_tcp', 'BACKEND', 'ssl_reused_sess');
  }
  const name = 'cluster.original_destination_tcp.ssl.handshake';
  const parsed = JSON.parse(await adminGet(sidecar, `/stats?format=json&filter=${encodeURIComponent(`^${name.replaceAll('.', '\\.')}$`)}`)) as { stats?: { name: string; value: number }[] };
  const found = parsed.stats?.find((stat) => stat.name === name);
  if (!found) throw new Error(`Envoy /stats has no ${name}`);
  return found.value;
}

export async function readTlsHop(proxy: ProxyName, sidecar: ProxyExec, side: 'client' | 'server'): Promise<TlsHopCounters> {
  if (proxy === 'haproxy') {
    const csv = await haproxyAdmin(sidecar, 'show stat');
    const [name, row] = side === 'client' ? ['original_destination', 'BACKEND'] : ['inbound', 'FRONTEND'];
    const cell = (column: string) => haproxyStatCell(csv, name, row, column);
    return { handshakes: cell('ssl_sess') + cell('ssl_reused_sess'), h2Connections: cell('h2_total_connections') };
  }
  const names =
    side === 'client'
      ? { handshakes: 'cluster.original_destination.ssl.handshake', h2Connections: 'cluster.original_destination.upstream_cx_http2_total', http1Connections: 'cluster.original_destination.upstream_cx_http1_total' }
      : { handshakes: 'listener.inbound.ssl.handshake', h2Connections: 'http.inbound.downstream_cx_http2_total', http1Connections: 'http.inbound.downstream_cx_http1_total' };
  const filter = `^(${Object.values(names).map((name) => name.replaceAll('.', '\\.')).join('|')})$`;
  const parsed = JSON.parse(await adminGet(sidecar, `/stats?format=json&filter=${encodeURIComponent(filter)}`)) as { stats?: { name: string; value: number }[] };
  const value = (name: string) => {
    const found = parsed.stats?.find((stat) => stat.name === name);
    if (!found) throw new Error(`Envoy /stats has no ${name}`);
    return found.value;
  };
  return { handshakes: value(names.handshakes), h2Connections: value(names.h2Connections), http1Connections: value(names.http1Connections) };
}

/** after − before, field by field. */
export function tlsHopDelta(before: TlsHopCounters, after: TlsHopCounters): TlsHopCounters {
  return {
    handshakes: after.handshakes - before.handshakes,
    h2Connections: after.h2Connections - before.h2Connections,
    ...(after.http1Connections !== undefined ? { http1Connections: after.http1Connections - (before.http1Connections ?? 0) } : {}),
  };
}

/** Connections the server sidecar opened to the app's TCP port since it started (its TCP backend / cluster). */
export async function readAppTcpConnections(proxy: ProxyName, serverSidecar: ProxyExec, port: number): Promise<number> {
  if (proxy === 'haproxy') return haproxyStatCell(await haproxyAdmin(serverSidecar, 'show stat'), `local_app_tcp_${port}`, 'BACKEND', 'connect');
  const name = `cluster.local_app_tcp_${port}.upstream_cx_total`;
  const parsed = JSON.parse(await adminGet(serverSidecar, `/stats?format=json&filter=${encodeURIComponent(`^${name.replaceAll('.', '\\.')}$`)}`)) as { stats?: { name: string; value: number }[] };
  const found = parsed.stats?.find((stat) => stat.name === name);
  if (!found) throw new Error(`Envoy /stats has no ${name}`);
  return found.value;
}
