import { SEED_SYSCTLS } from '../kubernetes/index.js';
import { STREAMED_PROTOCOLS, type LoadProtocol } from '../load/protocols.js';
import type { FindingKind, PodResources, Scenario } from '../scenario/index.js';
import { interceptionFor, type Interception } from '../interception/index.js';
import { INBOUND_CAPTURE_PORT, OUTBOUND_CAPTURE_PORT } from '../interception/index.js';
import { renderNotrackRules, type NotrackScope } from '../interception/notrack.js';
import { topologyDefinition, type TopologyDefinition, type TopologyName } from '../topology/index.js';
import type { SidecarProxy } from '../proxies/driver.js';
import type { SvidPem } from '../proxies/driver.js';
import type { SidecarTls } from '../proxies/sidecar-tls.js';
import type { PodContainerSpec, PodSpec } from './pod.js';
import { armProtocolLoad } from '../load/protocol-load.js';

export const APP_PORT = 8080;
/** The app's HTTP/2 with prior knowledge (h2c). */
export const APP_H2C_PORT = 8081;
/** The app's gRPC Bench service (proto/bench.proto). */
export const APP_GRPC_PORT = 8082;

/** The app's raw TCP echo (WebSocket shares APP_PORT: it is an HTTP/1.1 Upgrade). */
export const APP_TCP_PORT = 9000;

/** The app port a protocol's load goes to (the sidecars forward inbound traffic there). */
export function appPortFor(protocol: LoadProtocol): number {
  if (protocol === 'http2') return APP_H2C_PORT;
  if (protocol === 'grpc') return APP_GRPC_PORT;
  if (protocol === 'tcp') return APP_TCP_PORT;
  return APP_PORT;
}

/** The seed's kernel tunables: every pod's network namespace gets them unless the scenario sets its own. */
export const POD_SYSCTLS: Readonly<Record<string, string>> = SEED_SYSCTLS;

export interface TopologyImages {
  app: string;
  loadgen: string;
}

export interface TopologyPlan {
  name: TopologyName;
  /** The catalog row the plan was made from. */
  definition: TopologyDefinition;
  /** How the pods' traffic reaches their sidecars (the init rules are already in the pod specs). */
  interception: Interception;
  /** The arm this plan serves: its pods are named after it (e.g. "sidecar", "calibration-d500us"). */
  arm: string;
  /** What the arm's load speaks: its port on the app, how its sidecars carry it, how its path is proven. */
  protocol: LoadProtocol;
  client: PodSpec;
  server: PodSpec;
  /** false: the load agent opens a new connection per request and closes it itself. */
  keepAlive?: false;
  /** The finding the arm reproduces on purpose: its start-up probe accepts that finding's answer. */
  fault?: FindingKind;
}

export interface PlanOptions {
  scenario: Scenario;
  images: TopologyImages;
  proxy: SidecarProxy;
  clientCpus?: string;
  serverCpus?: string;
  /** Names the pods; defaults to the topology name. */
  arm?: string;
  /** The arm's protocol (arms[].protocol); default the scenario's load.protocol, else http1. */
  protocol?: LoadProtocol;
  /** Calibration: the server sidecar holds every request for this long (0 = same path, no delay). */
  calibrationDelayUs?: number;
  /** The arm's Kubernetes resources per container role; absent roles run unconstrained. */
  resources?: PodResources;
  /** The arm's network sysctls for both pods; absent: the seed's (POD_SYSCTLS); {}: none set. */
  sysctls?: Record<string, string>;
  /** Traffic of the arm's pods exempt from connection tracking (arms[].conntrack.notrack): raw-table rules after the interception's. */
  notrack?: NotrackScope;
  /** The app listens on loopback only (absent: the scenario's app.bind, else every address). */
  appBind?: '127.0.0.1';
  /** false: a new load connection per request (the arm's load.keepAlive). */
  keepAlive?: false;
  /** The finding the arm reproduces on purpose. */
  fault?: FindingKind;
  /** mtls topologies: the trust bundle, each side's TLS settings and SVID (the proxy's driver mounts them). */
  mtls?: { caCertificatePem: string; client: { tls: SidecarTls; svid: SvidPem }; server: { tls: SidecarTls; svid: SvidPem } };
}

/** The two pods of a topology: which containers each has and whether traffic is intercepted. */
export function planTopology(name: TopologyName, options: PlanOptions): TopologyPlan {
  const { scenario, images, proxy } = options;
  // The arm's own protocol (arms[].protocol), else the scenario's load.protocol.
  const protocol = options.protocol ?? scenario.load.protocol ?? 'http1';
  const streams = STREAMED_PROTOCOLS.includes(protocol) ? armProtocolLoad(scenario.load, protocol).streamsPerConnection : 1;
  const sidecarOptions = {
    workerThreads: scenario.proxy.workerThreads,
    maxConnections: Math.max(scenario.load.connections, scenario.load.saturation?.connections ?? 0),
    maxConcurrentRequests: Math.max(scenario.load.connections, scenario.load.saturation?.connections ?? 0) * streams,
    ...(protocol !== 'http1' ? { protocol } : {}),
    ...(streams > 1 ? { streamsPerConnection: streams } : {}),
    // TCP keeps the HTTP path to the app's HTTP port; its own port is carried at L4 (tcpPorts).
    appPort: protocol === 'tcp' ? APP_PORT : appPortFor(protocol),
    // Istio carries a Service port whose protocol is TCP at L4; the other ports stay HTTP.
    ...(protocol === 'tcp' ? { tcpPorts: [APP_TCP_PORT] } : {}),
    inboundPort: INBOUND_CAPTURE_PORT,
    outboundPort: OUTBOUND_CAPTURE_PORT,
    ...(scenario.proxy.routeTimeoutUs !== undefined ? { routeTimeoutMs: scenario.proxy.routeTimeoutUs / 1000 } : {}),
    ...(scenario.proxy.inboundEndpoint ? { inboundEndpoint: scenario.proxy.inboundEndpoint } : {}),
  };
  const definition = topologyDefinition(name);
  const tls = definition.peerTls === 'mtls' ? options.mtls : undefined;
  if (definition.peerTls === 'mtls' && !tls) throw new Error(`topology ${name} needs mTLS material`);
  // per-request reuse (mtls-churn): the client sidecar opens a new TLS connection to the server sidecar per request.
  const clientTls = tls && definition.upstreamReuse === 'per-request' ? { ...tls.client.tls, connectionReuse: 'per-request' as const } : tls?.client.tls;
  const secrets = (side: { svid: SvidPem }) => proxy.driver.svidSecrets(side.svid, tls?.caCertificatePem ?? '');
  const sidecarResources = options.resources?.sidecar ? { resources: options.resources.sidecar } : {};
  const clientSidecar = { ...proxy.sidecarContainer({ ...sidecarOptions, ...(tls && clientTls ? { tls: clientTls, secretFiles: secrets(tls.client) } : {}) }), ...sidecarResources };
  // An arm's own calibration delay, else the scenario's proxy.addedDelay.
  const delayUs = options.calibrationDelayUs ?? scenario.proxy.addedDelayUs;
  const serverSidecar = {
    ...proxy.sidecarContainer({
      ...sidecarOptions,
      ...(tls ? { tls: tls.server.tls, secretFiles: secrets(tls.server) } : {}),
      ...(delayUs !== undefined ? { calibrationDelayUs: delayUs } : {}),
    }),
    ...sidecarResources,
  };
  const arm = options.arm ?? name;
  const app: PodContainerSpec = {
    role: 'app',
    image: images.app,
    environment: {
      APP_PORT: String(APP_PORT),
      APP_H2C_PORT: String(APP_H2C_PORT),
      APP_GRPC_PORT: String(APP_GRPC_PORT),
      APP_TCP_PORT: String(APP_TCP_PORT),
      APP_RESPONSE_BYTES: String(scenario.app.responseBodyBytes),
      APP_SERVICE_TIME_US: String(scenario.app.serviceTimeUs),
      ...(scenario.app.keepAlive === false ? { APP_KEEP_ALIVE: 'false' } : {}),
      // Absent: the app listens on 0.0.0.0.
      ...((options.appBind ?? scenario.app.bind) === '127.0.0.1' ? { APP_BIND_ADDRESS: '127.0.0.1' } : {}),
    },
    readinessCommand: `bash -c '</dev/tcp/127.0.0.1/${APP_PORT} && </dev/tcp/127.0.0.1/${APP_H2C_PORT} && </dev/tcp/127.0.0.1/${APP_GRPC_PORT} && </dev/tcp/127.0.0.1/${APP_TCP_PORT}'`,
    ...(options.resources?.app ? { resources: options.resources.app } : {}),
  };
  const loadgen: PodContainerSpec = { role: 'loadgen', image: images.loadgen };
  const interception = interceptionFor(definition.interception);
  const pod = (side: 'client' | 'server', containers: PodContainerSpec[], hasSidecar: boolean, cpus?: string): PodSpec => {
    const interceptionRules = interception.initRules({ side, hasSidecar });
    // The sidecar-to-app hop exists where the app runs beside a sidecar: the server pod.
    const notrack = options.notrack && side === 'server' && hasSidecar ? renderNotrackRules(options.notrack, [APP_PORT, APP_H2C_PORT, APP_GRPC_PORT, APP_TCP_PORT]) : undefined;
    const rules = interceptionRules !== undefined && notrack ? `${interceptionRules}${notrack}` : interceptionRules;
    return {
      name: `${arm}-${side}`,
      side,
      containers,
      sysctls: { ...(options.sysctls ?? POD_SYSCTLS) },
      ...(rules !== undefined ? { interceptionRules: rules } : {}),
      ...(cpus ? { cpus } : {}),
    };
  };
  return {
    name,
    definition,
    interception,
    arm,
    protocol,
    client: pod('client', definition.clientSidecar ? [loadgen, clientSidecar] : [loadgen], definition.clientSidecar, options.clientCpus),
    server: pod('server', definition.serverSidecar ? [app, serverSidecar] : [app], definition.serverSidecar, options.serverCpus),
    ...(options.keepAlive === false ? { keepAlive: false as const } : {}),
    ...(options.fault ? { fault: options.fault } : {}),
  };
}
