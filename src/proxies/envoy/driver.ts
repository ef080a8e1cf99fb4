import { PROXY_GID, PROXY_UID } from '../../interception/index.js';
import { calibrationCommand } from '../calibration-delay.js';
import { supported, unsupported, type ProxyDriver } from '../driver.js';
import { renderEnvoyConfig } from './config.js';
import { rotateEnvoySvid, sdsSecretEntries } from './sds.js';
import { readEnvoyStats } from './stats.js';
import { resolveEnvoyImage } from './image.js';
import { readEnvoyOverflows } from './limits.js';
import { DEFAULT_ENVOY_VERSION, PINNED_ENVOY_VERSIONS } from './versions.js';
import { parseEnvoyTerminations } from '../terminations.js';

const CONFIG_PATH = '/etc/sidecar/envoy.yaml';
/**
 * Access-log lines (the evidence of failed requests, read from the container log after each trial)
 * are flushed every second: at Envoy's default of 10 s a few-second trial's lines were mostly still
 * buffered when read (0, 83 and 236 of 300 UF lines in three runs of scenarios/faults/connection-refused.yaml).
 */
export const ENVOY_LOG_FLUSH_INTERVAL_MS = 1000;
const envoyCommand = (workerThreads: number) => ['envoy', '-c', CONFIG_PATH, '--concurrency', String(workerThreads), '--log-level', 'warn', '--file-flush-interval-msec', String(ENVOY_LOG_FLUSH_INTERVAL_MS)];

/** Envoy as an Istio-style sidecar (static bootstrap: inbound listener, original-destination outbound). */
export const envoyDriver: ProxyDriver = {
  name: 'envoy',
  capabilities: {
    // The same relay as HAProxy's (docker/shared/delay-relay.c), built into sidecar-bench's Envoy
    // image: both proxies are calibrated on the same path. Envoy's fault filter takes whole-ms
    // delays (a dispatcher timer), too coarse for the sub-ms steps calibration uses.
    addedDelay: supported,
    svidRotation: supported,
    tlsCounters: supported,
    sessionResumptionOff: unsupported('the envoy profile does not render session-resumption settings yet (max_session_keys: 0 upstream, disable_stateless_session_resumption downstream); use proxy.profile: haproxy or leave mtls.sessionResumption at true'),
    tls13CipherChoice: unsupported('Envoy (BoringSSL) cannot restrict TLS 1.3 suites; remove the cipher or use tlsVersion "1.2"'),
    protocols: ['http1', 'http2', 'grpc', 'websocket', 'tcp'],
    // HTTP/2 and gRPC ride on the sidecars' TLS as h2 (ALPN); see the config's TLS lines.
    // Each proven on containers: test/integration/protocols-h2.test.ts, echo-protocols.test.ts.
    protocolsOverMtls: {
      http2: supported,
      grpc: supported,
      // The Upgrade and its frames ride on the TLS connection the client sidecar opens for it.
      websocket: supported,
      // The TCP port's bytes are wrapped in TLS at L4 between the sidecars, identities checked as for HTTP.
      tcp: supported,
    },
  },
  versions: { pinned: PINNED_ENVOY_VERSIONS, default: DEFAULT_ENVOY_VERSION },
  versionCommand: ['envoy', '--version'],
  upstreamTimeSource: 'Envoy x-envoy-upstream-service-time (whole ms)',
  identityCheck: 'SPIFFE ID: Envoy matches the peer certificate’s URI SAN (match_typed_subject_alt_names), both directions',
  resolveImage: resolveEnvoyImage,
  renderConfig: renderEnvoyConfig,
  sidecarContainer: (image, options) => ({
    role: 'sidecar',
    image,
    user: `${PROXY_UID}:${PROXY_GID}`,
    command: options.calibrationDelayUs === undefined ? envoyCommand(options.workerThreads) : calibrationCommand(options.calibrationDelayUs, options.appPort, envoyCommand(options.workerThreads)),
    files: [{ content: renderEnvoyConfig(options), target: CONFIG_PATH }],
    ...(options.secretFiles ? { secretFiles: options.secretFiles } : {}),
    readinessCommand: `bash -c '</dev/tcp/127.0.0.1/${options.inboundPort} && </dev/tcp/127.0.0.1/${options.outboundPort}'`,
  }),
  // File-based SDS from a Kubernetes-style secret volume (sds.ts): rotation swaps its ..data link.
  svidSecrets: (svid, caCertificatePem) => sdsSecretEntries(svid, caCertificatePem, { uid: PROXY_UID, gid: PROXY_GID }),
  // TLS counters come from the stats reader (ssl.* per hop), so there is no readCounters.
  tlsAdmin: { rotateSvid: (sidecar, svid, caCertificatePem) => rotateEnvoySvid(sidecar, svid, caCertificatePem) },
  readStats: readEnvoyStats,
  statsSource: 'envoy admin /stats',
  // Circuit breakers follow the scenario (config.ts), and a trial that still overflows says so.
  readLimitCounters: readEnvoyOverflows,
  terminations: { source: 'envoy access log (response flags; flagged or 5xx only)', parse: parseEnvoyTerminations },
};
