import type { PodContainerSpec, SecretFile } from '../pod.js';
import type { SidecarTls } from './haproxy-tls.js';

export interface SidecarOptions {
  workerThreads: number;
  /** The app's port inside the server pod (inbound traffic is forwarded to 127.0.0.1:appPort). */
  appPort: number;
  inboundPort: number;
  outboundPort: number;
  /** Calibration only: a fixed delay the inbound listener adds to every request, in µs (0 still runs the
   *  delay action, so D = 0 and D > 0 differ by the delay alone). Absent: no delay action at all. */
  calibrationDelayUs?: number;
  /** Strict mTLS between sidecars (the mtls topologies). */
  tls?: SidecarTls;
  /** The sidecar's SVID and trust bundle: mounted into this container only, owned by the proxy uid. */
  secretFiles?: SecretFile[];
}

/** A proxy as sidecar-bench knows it: an image, a rendered config and how to ask its version. */
export interface ProxyProfile {
  name: string;
  /** Image reference; built locally (haproxy) or pulled (envoy). */
  image: string;
  /** True when the image comes from a registry rather than docker/. */
  pulled: boolean;
  sidecarContainer(options: SidecarOptions): PodContainerSpec;
  /** Command (exec form) printing the proxy's version, run in the sidecar container. */
  versionCommand: string[];
  /** How the proxy reports upstream time on responses, for the report. */
  upstreamTimeSource: string;
  /** HAProxy's runtime API: TLS counters per trial and SVID rotation without a restart. */
  runtimeApi: boolean;
}
