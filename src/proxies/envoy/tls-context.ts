/**
 * Envoy's side of strict mTLS between sidecars, the Istio way: the SVID and the trust bundle come
 * through SDS from files in a watched directory (see sds.ts), the inbound listener requires a client
 * certificate, and both directions accept exactly the peer SPIFFE IDs the topology allows
 * (`match_typed_subject_alt_names` on the URI SAN). A plaintext client, a foreign CA or a wrong
 * SPIFFE ID fails the handshake (ssl.connection_error, ssl.fail_verify_error / fail_verify_san).
 */
import type { SidecarTls } from '../sidecar-tls.js';
import { BUNDLE_SECRET_FILE, BUNDLE_SECRET_NAME, CONTAINER_SDS, sdsSecretConfig, SVID_SECRET_FILE, SVID_SECRET_NAME, type SdsLocation } from './sds.js';

const DOWNSTREAM_TLS_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext';
const UPSTREAM_TLS_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
const ENVOY_TLS_VERSION: Record<SidecarTls['version'], string> = { 'TLSv1.2': 'TLSv1_2', 'TLSv1.3': 'TLSv1_3' };

/**
 * The common TLS context both directions share: version (and TLS 1.2 cipher), SVID and bundle by
 * SDS, allowed peer IDs, and the ALPN protocols offered (client) or accepted (server), if any.
 */
export function commonTlsContext(tls: SidecarTls, allowedPeerIds: readonly string[], location: SdsLocation = CONTAINER_SDS, alpnProtocols: readonly string[] = []) {
  // BoringSSL takes cipher_suites for TLS 1.2 only; the schema refuses a TLS 1.3 suite for Envoy.
  const cipher = tls.version === 'TLSv1.2' && tls.ciphers ? { cipher_suites: [tls.ciphers] } : {};
  return {
    ...(alpnProtocols.length > 0 ? { alpn_protocols: [...alpnProtocols] } : {}),
    tls_params: { tls_minimum_protocol_version: ENVOY_TLS_VERSION[tls.version], tls_maximum_protocol_version: ENVOY_TLS_VERSION[tls.version], ...cipher },
    tls_certificate_sds_secret_configs: [sdsSecretConfig(SVID_SECRET_NAME, SVID_SECRET_FILE, location)],
    combined_validation_context: {
      default_validation_context: { match_typed_subject_alt_names: allowedPeerIds.map((id) => ({ san_type: 'URI', matcher: { exact: id } })) },
      validation_context_sds_secret_config: sdsSecretConfig(BUNDLE_SECRET_NAME, BUNDLE_SECRET_FILE, location),
    },
  };
}

/**
 * The inbound listener's transport socket: TLS with a required client certificate from an allowed
 * client. `alpnProtocols` (HTTP/2, gRPC: ['h2']) is what the listener answers to a client's ALPN.
 */
export function downstreamTlsSocket(tls: SidecarTls, location: SdsLocation = CONTAINER_SDS, alpnProtocols: readonly string[] = []) {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: { '@type': DOWNSTREAM_TLS_TYPE, require_client_certificate: true, common_tls_context: commonTlsContext(tls, tls.allowedClientIds, location, alpnProtocols) },
  };
}

/**
 * The ORIGINAL_DST cluster's transport socket: TLS with this workload's SVID, to an allowed
 * server, offering `alpnProtocols` (HTTP/2, gRPC: ['h2']).
 */
export function upstreamTlsSocket(tls: SidecarTls, location: SdsLocation = CONTAINER_SDS, alpnProtocols: readonly string[] = []) {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: { '@type': UPSTREAM_TLS_TYPE, common_tls_context: commonTlsContext(tls, tls.allowedServerIds, location, alpnProtocols) },
  };
}

/**
 * Bootstrap fields the SDS and stats readers need: file-based SDS subscriptions require a node id and
 * cluster; `stats_flush_on_admin` merges histograms when the admin interface is read (per-trial
 * upstream_rq_time without waiting for the 5 s flush timer, and no timer waking the proxy).
 */
export function bootstrapSdsAndStats(nodeId: string) {
  return { node: { id: nodeId, cluster: 'sidecar-bench' }, stats_flush_on_admin: true };
}
