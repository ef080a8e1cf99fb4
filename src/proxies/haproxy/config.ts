import { HOP_HEADER, UPSTREAM_SERVICE_TIME_HEADER } from '../../load/headers.js';
import { CALIBRATION_RELAY_PORT } from '../calibration-delay.js';
import { DEFAULT_ROUTE_TIMEOUT_MS, type SidecarOptions } from '../driver.js';
import { ADMIN_SOCKET_PATH, globalTlsLines, inboundBind, inboundIdentityCheck, inboundTcpIdentityCheck, outboundIdentityCheck, outboundServer, outboundTcpIdentityCheck } from './tls.js';

/** HAProxy's global maxconn; the scenario schema refuses more connections than this (driver.connectionLimit). */
export const HAPROXY_MAXCONN = 8000;

/**
 * HAProxy 2.6 as a sidecar: inbound listener forwards to the local app, outbound listener forwards
 * to the connection's original destination (SO_ORIGINAL_DST through `server … 0.0.0.0:0`). Both
 * set x-envoy-upstream-service-time from %Tr (ms), as Envoy does, so one analysis serves all proxies,
 * and append the hop they served to x-sidecar-bench-hop, so a response shows the path it took.
 */
export function renderHaproxyConfig(options: SidecarOptions): string {
  // Calibrating: the app is reached through the delay relay inside this container.
  const appPort = options.calibrationDelayUs === undefined ? options.appPort : CALIBRATION_RELAY_PORT;
  const { tls } = options;
  // HTTP/2 and gRPC: h2c with prior knowledge on every bind and server line, except the client
  // sidecar's TLS server line: there ALPN h2 chooses the HTTP/2 mux (a peer that did not answer h2
  // would get HTTP/1.1, which the server sidecar's `proto h2` bind refuses: no silent downgrade).
  const isH2 = options.protocol === 'http2' || options.protocol === 'grpc';
  const h2 = isH2 ? ' proto h2' : '';
  const alpn = tls && isH2 ? ' alpn h2' : '';
  const tcpPorts = options.tcpPorts ?? [];
  if (tls && tcpPorts.length > 0 && tls.connectionReuse === 'per-request') throw new Error('HAProxy sidecars open a new TLS connection per request for HTTP/1.1 only (TCP keeps its connections)');
  // With TCP ports the inbound frontend is `mode tcp`, where http-request rules do not run: the
  // client's SPIFFE ID is then checked per connection by a tcp-request rule (tcpDispatch).
  const inboundCheck = tcpPorts.length > 0 ? '' : inboundIdentityCheck(tls);
  if (alpn && tls?.connectionReuse === 'per-request') throw new Error('HAProxy sidecars open a new TLS connection per request for HTTP/1.1 only (HTTP/2 multiplexes on kept-alive connections)');
  return `global
  nbthread ${options.workerThreads}${h2 ? h2StreamLines(options) : ''}
  # The runtime API: request counters per hop (the path check), TLS counters and SVID rotation.
  stats socket ${ADMIN_SOCKET_PATH} mode 600 level admin${globalTlsLines(tls)}
  # Errors only reach stdout (dontlog-normal below): failed requests' termination states and TLS
  # failures become evidence for the findings, and successful requests cost nothing to log.
  log stdout format raw local0 info
  # Two sockets per proxied connection must fit under the engine's open-file limit (20000 here;
  # HAProxy refuses to start when it cannot raise its limit that far).
  maxconn ${HAPROXY_MAXCONN}

defaults
  mode http
  log global
  option httplog
  option dontlog-normal
  timeout connect 5s
  timeout client 130s
  # The route timeout: past it, HAProxy answers 504 (termination state sH).
  timeout server ${options.routeTimeoutMs ?? DEFAULT_ROUTE_TIMEOUT_MS}ms
  timeout http-keep-alive 130s
  # Keep upstream connections open and shared, as a mesh proxy's connection pool does.
  http-reuse always

frontend inbound
  ${inboundBind(options.inboundPort, tls)}${alpn}${h2}${inboundCheck}${tcpDispatch(tcpPorts, (port) => `local_app_tcp_${port}`, tls ? inboundTcpIdentityCheck() : '')}
  default_backend local_app

frontend outbound
  bind :${options.outboundPort}${h2}${tcpDispatch(tcpPorts, () => 'original_destination_tcp')}
  default_backend original_destination

backend local_app
  ${inboundServer(options, appPort)}${h2}
  http-response set-header ${UPSTREAM_SERVICE_TIME_HEADER} %Tr
  http-response add-header ${HOP_HEADER} inbound

backend original_destination
  # 0.0.0.0:0 means: connect to the destination the client asked for (SO_ORIGINAL_DST).
  ${outboundServer(tls)}${tls ? alpn : h2}${outboundIdentityCheck(tls)}
  http-response set-header ${UPSTREAM_SERVICE_TIME_HEADER} %Tr
  http-response add-header ${HOP_HEADER} outbound
${tcpBackends(tcpPorts, tls)}`;
}

/**
 * The app as the inbound backend reaches it: 127.0.0.1, or (inboundEndpoint pod-ip) the inbound
 * connection's original destination address (SO_ORIGINAL_DST: the pod's IP) on the app port, as
 * Istio's sidecar does since 1.10. The sidecar's uid is exempt from the outbound redirect.
 */
function inboundServer(options: SidecarOptions, appPort: number): string {
  return options.inboundEndpoint === 'pod-ip' ? `# 0.0.0.0:port: the address the client connected to (the pod's IP), this port.\n  server app 0.0.0.0:${appPort}` : `server app 127.0.0.1:${appPort}`;
}

/**
 * With TCP ports, a frontend is `mode tcp` and picks its backend by the connection's original
 * destination port (dst_port reads SO_ORIGINAL_DST after a REDIRECT); everything else goes on to
 * the HTTP backend (`mode http`), which HAProxy allows from a TCP frontend.
 */
function tcpDispatch(tcpPorts: readonly number[], backend: (port: number) => string, identityCheck = ''): string {
  if (tcpPorts.length === 0) return '';
  return `\n  mode tcp${identityCheck}${tcpPorts.map((port) => `\n  use_backend ${backend(port)} if { dst_port ${port} }`).join('')}`;
}

/**
 * The TCP backends: to the app's port inbound, to the original destination outbound. With mtls the
 * outbound server line originates TLS with the SVID (as the HTTP backend's), and the server's
 * SPIFFE ID is checked on its first bytes back (tcp-response: the earliest point a `mode tcp`
 * backend has a rule for; the HTTP backend checks on its response too).
 */
function tcpBackends(tcpPorts: readonly number[], tls: SidecarOptions['tls']): string {
  if (tcpPorts.length === 0) return '';
  const inbound = tcpPorts.map((port) => `\nbackend local_app_tcp_${port}\n  mode tcp\n  server app 127.0.0.1:${port}\n`).join('');
  return `${inbound}\nbackend original_destination_tcp\n  mode tcp\n  ${outboundServer(tls)}${tls ? outboundTcpIdentityCheck() : ''}\n`;
}

/**
 * Concurrent HTTP/2 streams per connection HAProxy allows: its default (100) would hold a client's
 * 1024 streams back, so at least the seed's 1024, and never fewer than the load opens.
 */
export function haproxyMaxConcurrentStreams(options: SidecarOptions): number {
  return Math.max(1024, options.streamsPerConnection ?? 1);
}

function h2StreamLines(options: SidecarOptions): string {
  return `\n  # HTTP/2: streams per connection (default 100) at least what the load opens.\n  tune.h2.max-concurrent-streams ${haproxyMaxConcurrentStreams(options)}`;
}
