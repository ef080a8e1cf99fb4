import { PROXY_GID, PROXY_UID } from '../../interception/index.js';
import { calibrationCommand } from '../calibration-delay.js';
import { supported, type ProxyDriver } from '../driver.js';
import { haproxyTlsAdmin } from './admin.js';
import { renderHaproxyConfig } from './config.js';
import { renderSpiffeLua, SPIFFE_LUA_PATH } from './tls.js';

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
    protocols: ['http1'],
  },
  versionCommand: ['haproxy', '-v'],
  upstreamTimeSource: 'HAProxy %Tr (response time of the upstream, whole ms), set as x-envoy-upstream-service-time',
  identityCheck: 'SPIFFE ID: a Lua check of the peer certificate’s single URI SAN, both directions (HAProxy 2.6 cannot match URI SANs natively); chain by CA',
  // The Debian package has one version; proxy.version does not apply (the schema refuses it).
  resolveImage: async (request, context) => request.image ?? (await context.ensureImage('haproxy')),
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
  tlsAdmin: haproxyTlsAdmin,
};

