import type Dockerode from 'dockerode';
import type { ImageName } from '../images/index.js';
import type { LoadProtocol } from '../load/protocols.js';
import type { Progress } from '../progress.js';
import type { SidecarStats } from '../results/schema.js';
import type { PodContainerSpec, SecretEntry } from '../runtime/pod.js';
import type { SidecarTls } from './sidecar-tls.js';
import type { ParsedTerminations } from './terminations.js';

/** How a pod asks one proxy for its sidecar: ports, threads, and the optional extras of a topology. */
export interface SidecarOptions {
  workerThreads: number;
  /** The app's port inside the server pod (inbound traffic is forwarded to 127.0.0.1:appPort, or the pod's IP: inboundEndpoint). */
  appPort: number;
  /**
   * pod-ip: inbound traffic goes to the connection's original destination (the pod's IP, the app
   * port), as Istio's sidecar does since 1.10; an app listening on 127.0.0.1 only then refuses it.
   * Absent: 127.0.0.1:appPort.
   */
  inboundEndpoint?: 'pod-ip';
  /** What the load speaks through the sidecar (absent: http1); http2 and grpc are h2c on both legs. */
  protocol?: LoadProtocol;
  /** http2, grpc: the concurrent streams the load opens per connection; the proxy must allow at least these. */
  streamsPerConnection?: number;
  /** The most requests in flight through this sidecar at once (connections × streams); limits never below it. */
  maxConcurrentRequests?: number;
  /**
   * Ports the sidecar carries at L4 (as Istio does for a Service port whose protocol is TCP): traffic
   * whose original destination port is one of these is passed through as bytes (HAProxy `mode tcp`,
   * Envoy `tcp_proxy`), to 127.0.0.1:port inbound and to the original destination outbound. Chosen
   * by the connection's original destination port, on the same capture ports; absent or empty: HTTP only.
   */
  tcpPorts?: readonly number[];
  inboundPort: number;
  outboundPort: number;
  /** Calibration only: a fixed delay the inbound listener adds to every request, in µs (0 still runs the
   *  delay action, so D = 0 and D > 0 differ by the delay alone). Absent: no delay action at all. */
  calibrationDelayUs?: number;
  /** Strict mTLS between sidecars (the mtls topologies). */
  tls?: SidecarTls;
  /** The most connections the scenario can have open through this sidecar at once (load and
   *  saturation); a proxy's connection limits are derived from it, never set below it. */
  maxConnections?: number;
  /** The sidecar's SVID and trust bundle: mounted into this container only, owned by the proxy uid. */
  secretFiles?: SecretEntry[];
  /**
   * How long a sidecar waits for the upstream's response before answering 504 (Envoy's route
   * timeout, HAProxy's timeout server), ms. Default 130000: longer than any trial's request.
   */
  routeTimeoutMs?: number;
}

/** Route timeout when the scenario sets none: longer than any request of a trial can wait. */
export const DEFAULT_ROUTE_TIMEOUT_MS = 130_000;

/** Whether a proxy can do one thing sidecar-bench asks of proxies, and if not, why (shown to the user). */
export type Capability = { supported: true } | { supported: false; reason: string };

/** What a scenario may ask of a proxy; the schema, runner and CLI check these, never the proxy's name. */
export interface ProxyCapabilities {
  /** `proxy.addedDelay` and `sidecar-bench calibrate`: a known fixed delay inside the server sidecar. */
  addedDelay: Capability;
  /** `mtls.rotateDuringTrial`: new SVIDs under load without a restart. */
  svidRotation: Capability;
  /** Per-trial TLS handshake/connection counters of the server sidecar. */
  tlsCounters: Capability;
  /** `mtls.sessionResumption: false`: full TLS handshakes only between the sidecars. */
  sessionResumptionOff: Capability;
  /** `mtls.cipher` with TLS 1.3: restricting the TLS 1.3 suites. */
  tls13CipherChoice: Capability;
  /** Application protocols the sidecar carries (what the load agent may speak through it). */
  protocols: readonly LoadProtocol[];
  /**
   * Which of those the sidecars also carry over their strict mTLS (the mtls topologies), and if
   * not, why (shown to the user). HTTP/1.1 always rides on the sidecars' TLS.
   */
  protocolsOverMtls: Readonly<Record<Exclude<LoadProtocol, 'http1'>, Capability>>;
}

/** The releases `proxy.version` may name, or why the proxy's version cannot be chosen. */
export type VersionChoice = { pinned: readonly string[]; default: string } | { reason: string };

/** Reads a sidecar's counters of traffic its own limits refused, cumulative since start, by the proxy's counter name. */
export type ProxyLimitReader = (sidecar: ProxyExec) => Promise<Record<string, number>>;

/** The smallest view of a running container a driver needs: `docker exec`. A StartedTestContainer fits. */
export interface ProxyExec {
  exec(command: string[], options?: { env?: Record<string, string> }): Promise<{ exitCode: number; output: string; stdout: string }>;
}

/** TLS counters of one sidecar since it started. */
export interface TlsCounters {
  /** TLS connections handled since start (frontend and backend). */
  cumulativeTlsConnections: number;
  /** Share of frontend handshakes that resumed a session, in %. */
  frontendSessionReusePercent?: number;
  /** Inbound (server-side) TLS handshakes since start that made a new session: full handshakes. */
  fullHandshakes?: number;
  /** Inbound TLS handshakes since start that resumed a session (ticket or cache). */
  resumedHandshakes?: number;
}

/** An SVID as a proxy is given it: PEM certificate chain, PKCS #8 key, and the leaf's serial (hex). */
export interface SvidPem {
  certificatePem: string;
  privateKeyPem: string;
  serialNumber: string;
}

/** A proxy's TLS operations at run time (present when capabilities.tlsCounters / svidRotation say so). */
export interface ProxyTlsAdmin {
  /** The server sidecar's TLS counters; absent when the driver's stats reader carries them (ssl.* per hop). */
  readCounters?(sidecar: ProxyExec): Promise<TlsCounters>;
  /**
   * Swaps the SVID the sidecar serves and presents (and its trust bundle), without a restart; resolves
   * once the proxy presents the new certificate, throws if it does not.
   */
  rotateSvid(sidecar: ProxyExec, svid: SvidPem, caCertificatePem: string): Promise<void>;
}

/** What a driver may use to find or build its image. */
export interface ProxyImageContext {
  dockerode: Dockerode;
  progress: Progress;
  /** Builds (or finds) one of sidecar-bench's own images from docker/. */
  ensureImage(name: ImageName): Promise<{ tag: string; id: string }>;
}

/** The image a driver resolved, and how (recorded in results.json). */
export interface ResolvedImage {
  reference: string;
  /** The engine's image id, when the image was checked locally. */
  id?: string;
  source: 'given' | 'local' | 'pulled' | 'built';
}

/** The scenario's `proxy` section as far as the image is concerned. */
export interface ProxyImageRequest {
  /** `proxy.image`: use this reference as given. */
  image?: string;
  /** `proxy.version`: which release of the proxy (drivers that pin versions). */
  version?: string;
  /** The run adds a calibration delay: the image must carry the delay relay. */
  needsDelayRelay?: boolean;
}

/**
 * One proxy sidecar-bench can put in a pod. Adding a proxy is one folder under src/proxies/ with a
 * driver and one row in src/proxies/registry.ts.
 */
export interface ProxyDriver {
  name: string;
  capabilities: ProxyCapabilities;
  versions: VersionChoice;
  /** Command (exec form) printing the proxy's version, run in the sidecar container. */
  versionCommand: string[];
  /** How the proxy reports upstream time on responses, for the report. */
  upstreamTimeSource: string;
  /** How the mtls topologies check the peer's SPIFFE ID with this proxy (recorded in results.json). */
  identityCheck: string;
  /** The image to run, present locally when it resolves (found, built or pulled). */
  resolveImage(request: ProxyImageRequest, context: ProxyImageContext): Promise<ResolvedImage>;
  /** The proxy's configuration file for one sidecar. */
  renderConfig(options: SidecarOptions): string;
  sidecarContainer(image: string, options: SidecarOptions): PodContainerSpec;
  /** How the sidecar is given its SVID and trust bundle: files (and links) owned by the proxy uid, keys owner-only. */
  svidSecrets(svid: SvidPem, caCertificatePem: string): SecretEntry[];
  tlsAdmin?: ProxyTlsAdmin;
  /** The stats reader: per-hop counters since start (cx/rq totals, TLS, upstream time), read through `docker exec`. */
  readStats?(sidecar: ProxyExec): Promise<SidecarStats>;
  /** Where readStats reads from, recorded with each trial's counters (e.g. "envoy admin /stats"). */
  statsSource?: string;
  /** A connection count the proxy cannot go above here; the schema refuses scenarios that ask for more. */
  connectionLimit?: { maxConnections: number; reason: string };
  /** Counters of traffic refused by the proxy's own limits (Envoy's circuit-breaker overflows). */
  readLimitCounters?: ProxyLimitReader;
  /**
   * The sidecar's records of requests it ended abnormally, parsed from its log (HAProxy: termination
   * states; Envoy: response flags): evidence for the findings. `source` is recorded with them.
   */
  terminations?: { source: string; parse(logLines: readonly string[]): ParsedTerminations };
}

/** A driver with its image resolved: what the planner puts in pods. */
export interface SidecarProxy {
  driver: ProxyDriver;
  image: string;
  /** How the image was found; absent when a caller bound an image directly (tests). */
  resolved?: ResolvedImage;
  sidecarContainer(options: SidecarOptions): PodContainerSpec;
}

/** Binds a driver to an image. */
export function sidecarProxy(driver: ProxyDriver, image: string | ResolvedImage): SidecarProxy {
  const resolved = typeof image === 'string' ? undefined : image;
  const reference = typeof image === 'string' ? image : image.reference;
  return { driver, image: reference, ...(resolved ? { resolved } : {}), sidecarContainer: (options) => driver.sidecarContainer(reference, options) };
}

export const supported: Capability = { supported: true };
export const unsupported = (reason: string): Capability => ({ supported: false, reason });
