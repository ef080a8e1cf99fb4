import { stringify } from 'yaml';
import { HOP_HEADER } from '../../load/headers.js';
import { CALIBRATION_RELAY_PORT } from '../calibration-delay.js';
import { DEFAULT_ROUTE_TIMEOUT_MS, type SidecarOptions } from '../driver.js';
import { ENVOY_ACCESS_LOG_MARKER } from '../terminations.js';
import type { SidecarTls } from '../sidecar-tls.js';
import { ADMIN_PORT } from './admin.js';
import { CONTAINER_SDS, type SdsLocation } from './sds.js';
import { bootstrapSdsAndStats, downstreamTlsSocket, upstreamTlsSocket } from './tls-context.js';

const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
const ORIGINAL_DST_TYPE = 'type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst';
const STDOUT_ACCESS_LOG_TYPE = 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog';

/**
 * Requests Envoy ended abnormally (any response flag: UT, UF, UC, URX, DC …) or answered with a
 * 5xx, one line each on stdout: the evidence behind the findings. Healthy requests are not logged,
 * so the log costs nothing in a healthy trial. Parsed by proxies/terminations.ts.
 */
const errorsAccessLog = () => [
  {
    name: 'envoy.access_loggers.stdout',
    filter: {
      or_filter: {
        filters: [{ response_flag_filter: {} }, { status_code_filter: { comparison: { op: 'GE', value: { default_value: 500, runtime_key: 'sidecar_bench.access_log_min_status' } } } }],
      },
    },
    typed_config: {
      '@type': STDOUT_ACCESS_LOG_TYPE,
      log_format: { text_format_source: { inline_string: `${ENVOY_ACCESS_LOG_MARKER} %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_TRANSPORT_FAILURE_REASON% %UPSTREAM_HOST%\n` } },
    },
  },
];
const TCP_PROXY_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';

/** The ORIGINAL_DST cluster the outbound listener's TCP ports go to (TLS-wrapped with mtls, as the HTTP one). */
export const OUTBOUND_TCP_CLUSTER = 'original_destination_tcp';
/** The STATIC cluster of one of the app's TCP ports, inbound. */
export const inboundTcpCluster = (port: number): string => `local_app_tcp_${port}`;

/** Envoy's default per-cluster circuit breakers (connections, pending and active requests): 1024 each. */
export const ENVOY_DEFAULT_CIRCUIT_BREAKER = 1024;

/**
 * The circuit breakers of both clusters: Envoy's defaults (1024) unless the scenario can have more
 * connections in flight than that, then its connection count, so the proxy never caps a run below
 * what it asks for. Every request of sidecar-bench's HTTP/1.1 load holds one connection.
 */
export function circuitBreakerLimit(options: SidecarOptions): number {
  // HTTP/2: every stream is a request in flight (connections × streams), all on few connections.
  return Math.max(ENVOY_DEFAULT_CIRCUIT_BREAKER, options.maxConnections ?? 0, options.maxConcurrentRequests ?? 0);
}

const isH2 = (options: SidecarOptions) => options.protocol === 'http2' || options.protocol === 'grpc';

/**
 * HTTP/2 codec options for both legs: streams per connection at least the seed's 1024 and never
 * fewer than the load opens (Envoy's own default is 2^31 − 1; stated, so the config says what it
 * allows).
 */
export function envoyHttp2Options(options: SidecarOptions) {
  return { max_concurrent_streams: Math.max(1024, options.streamsPerConnection ?? 1) };
}

const HTTP_PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const HTTP_PROTOCOL_OPTIONS_TYPE = `type.googleapis.com/${HTTP_PROTOCOL_OPTIONS}`;

const protocolOptions = (fields: Record<string, unknown>) => ({ typed_extension_protocol_options: { [HTTP_PROTOCOL_OPTIONS]: { '@type': HTTP_PROTOCOL_OPTIONS_TYPE, ...fields } } });

/** HTTP/2 and gRPC: the clusters speak h2c to the app and to the peer sidecar. */
function upstreamH2(options: SidecarOptions) {
  return isH2(options) ? protocolOptions({ explicit_http_config: { http2_protocol_options: envoyHttp2Options(options) } }) : {};
}

/** What the client sidecar offers the server sidecar in ALPN: h2 for HTTP/2 and gRPC, nothing otherwise. */
export const envoyAlpn = (options: SidecarOptions): string[] => (isH2(options) ? ['h2'] : []);

/**
 * The ORIGINAL_DST cluster's HTTP protocol. Plaintext: as upstreamH2. Over the sidecars' TLS,
 * HTTP/2 and gRPC take their codec from ALPN (auto_config: h2 when the server sidecar answers h2,
 * so `upstream_cx_http2_total` counts only connections that negotiated it; a peer that did not
 * would get HTTP/1.1, which the server sidecar's HTTP/2 listener refuses: no silent downgrade).
 * Handshake churn: one request per connection (HTTP/1.1 only; the schema refuses it for h2).
 */
function originalDestinationProtocol(options: SidecarOptions) {
  const { tls } = options;
  if (!tls) return upstreamH2(options);
  if (tls.connectionReuse === 'per-request') {
    if (isH2(options)) throw new Error('Envoy sidecars open a new TLS connection per request for HTTP/1.1 only (HTTP/2 multiplexes on kept-alive connections)');
    return protocolOptions({ common_http_protocol_options: { max_requests_per_connection: 1 }, explicit_http_config: { http_protocol_options: {} } });
  }
  return isH2(options) ? protocolOptions({ auto_config: { http2_protocol_options: envoyHttp2Options(options), http_protocol_options: {} } }) : {};
}

function circuitBreakers(options: SidecarOptions) {
  const limit = circuitBreakerLimit(options);
  return { thresholds: [{ priority: 'DEFAULT', max_connections: limit, max_pending_requests: limit, max_requests: limit }] };
}

/**
 * One filter chain per TCP port, matched on the connection's original destination port (the
 * original_dst listener filter restores it), before the HTTP chain that takes the rest: Istio's
 * listeners do the same for a Service port whose protocol is TCP.
 */
function tcpFilterChains(name: string, tcpPorts: readonly number[], cluster: (port: number) => string, tls?: { transport_socket: ReturnType<typeof downstreamTlsSocket> }) {
  return tcpPorts.map((port) => ({
    filter_chain_match: { destination_port: port },
    // mtls: the server sidecar terminates the TCP port's TLS as it does the HTTP chain's (same SVID, same client check).
    ...(tls ?? {}),
    filters: [
      {
        name: 'envoy.filters.network.tcp_proxy',
        typed_config: {
          '@type': TCP_PROXY_TYPE,
          stat_prefix: `${name}_tcp_${port}`,
          cluster: cluster(port),
          // mtls: connect to the app only once the client's handshake (and its SPIFFE ID) passed; by
          // default tcp_proxy connects on accept, so a refused client would still open an app connection.
          ...(tls ? { upstream_connect_mode: 'ON_DOWNSTREAM_TLS_HANDSHAKE', max_early_data_bytes: 0 } : {}),
        },
      },
    ],
  }));
}

function httpListener(name: string, port: number, cluster: string, originalDestination: boolean, tls: SidecarTls | undefined, sds: SdsLocation, options: SidecarOptions, tcpChains: ReturnType<typeof tcpFilterChains> = []) {
  return {
    name,
    address: { socket_address: { address: '0.0.0.0', port_value: port } },
    // listener.<name>.* (ssl.handshake, downstream_cx_total …) rather than listener.0.0.0.0_<port>.*
    stat_prefix: name,
    ...(originalDestination || tcpChains.length > 0 ? { listener_filters: [{ name: 'envoy.filters.listener.original_dst', typed_config: { '@type': ORIGINAL_DST_TYPE } }] } : {}),
    filter_chains: [
      ...tcpChains,
      {
        ...(tls ? { transport_socket: downstreamTlsSocket(tls, sds, envoyAlpn(options)) } : {}),
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': HCM_TYPE,
              stat_prefix: name,
              // HTTP/2 and gRPC: h2c with prior knowledge from the client (or the peer sidecar).
              ...(isH2(options) ? { codec_type: 'HTTP2', http2_protocol_options: envoyHttp2Options(options) } : {}),
              // A fresh object per listener: the YAML then has no anchors/aliases.
              access_log: errorsAccessLog(),
              route_config: {
                virtual_hosts: [
                  {
                    name: 'all',
                    domains: ['*'],
                    routes: [
                      {
                        match: { prefix: '/' },
                        // Past the route timeout Envoy answers 504 with the UT flag.
                        route: { cluster, timeout: `${(options.routeTimeoutMs ?? DEFAULT_ROUTE_TIMEOUT_MS) / 1000}s` },
                        // The hop this sidecar served, appended on the way back (as the HAProxy config does).
                        response_headers_to_add: [{ header: { key: HOP_HEADER, value: name }, append_action: 'APPEND_IF_EXISTS_OR_ADD' }],
                      },
                    ],
                  },
                ],
              },
              // WebSocket: the Upgrade passes, then the connection carries frames as bytes (Istio enables it too).
              upgrade_configs: [{ upgrade_type: 'websocket' }],
              // Envoy adds x-envoy-upstream-service-time itself (whole ms) unless told not to.
              http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } }],
            },
          },
        ],
      },
    ],
  };
}

/** Envoy bootstrap: outbound listener → ORIGINAL_DST cluster, inbound listener → the local app. */
export function renderEnvoyConfig(options: SidecarOptions, sds: SdsLocation = CONTAINER_SDS): string {
  const tcpPorts = options.tcpPorts ?? [];
  const inboundTcpTls = options.tls ? { transport_socket: downstreamTlsSocket(options.tls, sds) } : undefined;
  const podIp = options.inboundEndpoint === 'pod-ip';
  const config = {
    ...bootstrapSdsAndStats('sidecar'),
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: ADMIN_PORT } } },
    static_resources: {
      listeners: [
        httpListener('outbound', options.outboundPort, 'original_destination', true, undefined, sds, options, tcpFilterChains('outbound', tcpPorts, () => OUTBOUND_TCP_CLUSTER)),
        // pod-ip: the inbound listener restores the original destination, where local_app sends the request.
        httpListener('inbound', options.inboundPort, 'local_app', podIp, options.tls, sds, options, tcpFilterChains('inbound', tcpPorts, inboundTcpCluster, inboundTcpTls)),
      ],
      clusters: [
        {
          name: 'original_destination',
          type: 'ORIGINAL_DST',
          lb_policy: 'CLUSTER_PROVIDED',
          connect_timeout: '5s',
          circuit_breakers: circuitBreakers(options),
          ...originalDestinationProtocol(options),
          ...(options.tls ? { transport_socket: upstreamTlsSocket(options.tls, sds, envoyAlpn(options)) } : {}),
        },
        podIp
          ? // Istio's inbound passthrough since 1.10: the connection's original destination (the pod's IP, the app port).
            { name: 'local_app', type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED', connect_timeout: '5s', circuit_breakers: circuitBreakers(options), ...upstreamH2(options) }
          : {
              name: 'local_app',
              type: 'STATIC',
              connect_timeout: '5s',
              circuit_breakers: circuitBreakers(options),
              ...upstreamH2(options),
              load_assignment: {
                cluster_name: 'local_app',
                // Calibrating: the app is reached through the delay relay inside this container.
                endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: options.calibrationDelayUs === undefined ? options.appPort : CALIBRATION_RELAY_PORT } } } }] }],
              },
            },
        ...tcpClusters(tcpPorts, circuitBreakers(options), options.tls ? { transport_socket: upstreamTlsSocket(options.tls, sds) } : undefined),
      ],
    },
  };
  return stringify(config);
}

/**
 * The TCP ports' clusters: the app's ports inbound (plaintext, in the pod), the original destination
 * outbound; with mtls the outbound one wraps the bytes in TLS with the SVID (`upstreamTls`), as the
 * HTTP cluster does, so the TCP port crosses the sidecars' strict mTLS too.
 */
function tcpClusters(tcpPorts: readonly number[], breakers: ReturnType<typeof circuitBreakers>, upstreamTls?: { transport_socket: ReturnType<typeof upstreamTlsSocket> }) {
  if (tcpPorts.length === 0) return [];
  const staticCluster = (port: number) => ({
    name: inboundTcpCluster(port),
    type: 'STATIC',
    connect_timeout: '5s',
    circuit_breakers: breakers,
    load_assignment: { cluster_name: inboundTcpCluster(port), endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: port } } } }] }] },
  });
  return [{ name: OUTBOUND_TCP_CLUSTER, type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED', connect_timeout: '5s', circuit_breakers: breakers, ...(upstreamTls ?? {}) }, ...tcpPorts.map(staticCluster)];
}
