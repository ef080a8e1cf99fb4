import { PROXY_GID, PROXY_UID } from '../../interception/index.js';
import { supported, unsupported, type ProxyDriver } from '../driver.js';
import { renderEnvoyConfig } from './config.js';
import { resolveEnvoyImage } from './image.js';

const CONFIG_PATH = '/etc/sidecar/envoy.yaml';

/** Envoy as an Istio-style sidecar (static bootstrap: inbound listener, original-destination outbound). */
export const envoyDriver: ProxyDriver = {
  name: 'envoy',
  capabilities: {
    addedDelay: unsupported('only the haproxy profile can add a delay (its image carries the delay relay)'),
    svidRotation: unsupported('rotation under load goes through HAProxy’s runtime API; the envoy profile reads its SVIDs at start only'),
    tlsCounters: unsupported('the envoy profile does not read its admin /stats yet'),
    tls13CipherChoice: unsupported('Envoy (BoringSSL) cannot restrict TLS 1.3 suites; remove the cipher or use tlsVersion "1.2"'),
    protocols: ['http1'],
  },
  versionCommand: ['envoy', '--version'],
  upstreamTimeSource: 'Envoy x-envoy-upstream-service-time (whole ms)',
  identityCheck: 'SPIFFE ID: Envoy matches the peer certificate’s URI SAN (match_typed_subject_alt_names), both directions',
  resolveImage: resolveEnvoyImage,
  renderConfig: renderEnvoyConfig,
  sidecarContainer: (image, options) => ({
    role: 'sidecar',
    image,
    user: `${PROXY_UID}:${PROXY_GID}`,
    command: ['envoy', '-c', CONFIG_PATH, '--concurrency', String(options.workerThreads), '--log-level', 'warn'],
    files: [{ content: renderEnvoyConfig(options), target: CONFIG_PATH }],
    ...(options.secretFiles ? { secretFiles: options.secretFiles } : {}),
    readinessCommand: `bash -c '</dev/tcp/127.0.0.1/${options.inboundPort} && </dev/tcp/127.0.0.1/${options.outboundPort}'`,
  }),
};
