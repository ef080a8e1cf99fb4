import { PROXY_GID, PROXY_UID } from '../../interception/index.js';
import { calibrationCommand } from '../calibration-delay.js';
import { supported, type ProxyDriver } from '../driver.js';
import { readHaproxyStats, haproxyTlsAdmin } from './admin.js';
import { HAPROXY_MAXCONN, renderHaproxyConfig } from './config.js';
import { parseHaproxyTerminations } from '../terminations.js';
import { haproxySvidSecrets, renderSpiffeLua, SPIFFE_LUA_PATH } from './tls.js';

const CONFIG_PATH = '/etc/sidecar/haproxy.cfg';
const HAPROXY_COMMAND = ['haproxy', '-db', '-f', CONFIG_PATH];

/** HAProxy 2.6 from Debian bookworm, built locally as docker/haproxy (with the calibration delay relay). */
export const haproxyDriver: ProxyDriver = {
  name: 'haproxy',
  capabilities: {
    addedDelay: supported,
    svidRotation: supported,
    tlsCounters: supported,
    tls13CipherChoice: supported,
    sessionResumptionOff: supported,
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
  versions: { reason: 'HAProxy comes from Debian bookworm’s package (2.6), one version; set proxy.image to run another build' },
  versionCommand: ['haproxy', '-v'],
  upstreamTimeSource: 'HAProxy %Tr (response time of the upstream, whole ms), set as x-envoy-upstream-service-time',
  identityCheck: 'SPIFFE ID: a Lua check of the peer certificate’s single URI SAN, both directions (HAProxy 2.6 cannot match URI SANs natively); chain by CA',
  // The Debian package has one version; proxy.version does not apply (the schema refuses it).
  resolveImage: async (request, context) => {
    if (request.image !== undefined) return { reference: request.image, source: 'given' };
    const built = await context.ensureImage('haproxy');
    return { reference: built.tag, id: built.id, source: 'local' };
  },
  renderConfig: renderHaproxyConfig,
  sidecarContainer: (image, options) => ({
    role: 'sidecar',
    image,
    user: `${PROXY_UID}:${PROXY_GID}`,
    command: options.calibrationDelayUs === undefined ? HAPROXY_COMMAND : calibrationCommand(options.calibrationDelayUs, options.appPort, HAPROXY_COMMAND),
    files: [
      { content: renderHaproxyConfig(options), target: CONFIG_PATH },
      ...(options.tls ? [{ content: renderSpiffeLua(options.tls), target: SPIFFE_LUA_PATH }] : []),
    ],
    ...(options.secretFiles ? { secretFiles: options.secretFiles } : {}),
    readinessCommand: `bash -c '</dev/tcp/127.0.0.1/${options.inboundPort} && </dev/tcp/127.0.0.1/${options.outboundPort}'`,
  }),
  svidSecrets: haproxySvidSecrets,
  tlsAdmin: haproxyTlsAdmin,
  // Above maxconn, HAProxy would leave connections waiting in the kernel's accept queue: a hidden cap.
  connectionLimit: { maxConnections: HAPROXY_MAXCONN, reason: 'HAProxy’s maxconn: two sockets per proxied connection must fit under the engine’s open-file limit (20000 here)' },
  readStats: readHaproxyStats,
  statsSource: 'haproxy runtime API show stat',
  terminations: { source: 'haproxy log (termination state, errors only)', parse: parseHaproxyTerminations },
};

