import { HOP_HEADER, UPSTREAM_SERVICE_TIME_HEADER } from '../../load/headers.js';
import { CALIBRATION_RELAY_PORT } from '../calibration-delay.js';
import type { SidecarOptions } from '../driver.js';
import { ADMIN_SOCKET_PATH, defaultsTlsLines, globalTlsLines, inboundBind, inboundIdentityCheck, outboundIdentityCheck, outboundServer } from './tls.js';

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
  return `global
  nbthread ${options.workerThreads}
  # The runtime API: request counters per hop (the path check), TLS counters and SVID rotation.
  stats socket ${ADMIN_SOCKET_PATH} mode 600 level admin${globalTlsLines(tls)}
  # Two sockets per proxied connection must fit under the engine's open-file limit (20000 here;
  # HAProxy refuses to start when it cannot raise its limit that far).
  maxconn ${HAPROXY_MAXCONN}

defaults
  mode http${defaultsTlsLines(tls)}
  timeout connect 5s
  timeout client 130s
  timeout server 130s
  timeout http-keep-alive 130s
  # Keep upstream connections open and shared, as a mesh proxy's connection pool does.
  http-reuse always

frontend inbound
  ${inboundBind(options.inboundPort, tls)}${inboundIdentityCheck(tls)}
  default_backend local_app

frontend outbound
  bind :${options.outboundPort}
  default_backend original_destination

backend local_app
  server app 127.0.0.1:${appPort}
  http-response set-header ${UPSTREAM_SERVICE_TIME_HEADER} %Tr
  http-response add-header ${HOP_HEADER} inbound

backend original_destination
  # 0.0.0.0:0 means: connect to the destination the client asked for (SO_ORIGINAL_DST).
  ${outboundServer(tls)}${outboundIdentityCheck(tls)}
  http-response set-header ${UPSTREAM_SERVICE_TIME_HEADER} %Tr
  http-response add-header ${HOP_HEADER} outbound
`;
}
