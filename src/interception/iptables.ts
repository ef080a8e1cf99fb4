import type { Interception } from './types.js';

/**
 * The pod's traffic interception, as istio-init installs it: inbound TCP is redirected to the
 * sidecar's inbound port, outbound TCP to its outbound port; the proxy's own uid/gid and
 * loopback-to-loopback traffic are exempt, so the proxy's upstream connections do not loop back
 * into it.
 */
export const INBOUND_CAPTURE_PORT = 15006;
export const OUTBOUND_CAPTURE_PORT = 15001;
export const PROXY_UID = 1337;
export const PROXY_GID = 1337;

export interface InterceptionOptions {
  inboundPort?: number;
  outboundPort?: number;
  proxyUid?: number;
  proxyGid?: number;
  /** Inbound destination ports left alone (e.g. a health port). */
  excludeInboundPorts?: readonly number[];
  /** Install the outbound (OUTPUT → 15001) rules; default true. False when eBPF's connect4 replaces them. */
  outbound?: boolean;
}

/** iptables-restore input for the pod's nat table (applied with --noflush by the init container). */
export function renderInterceptionRules(options: InterceptionOptions = {}): string {
  const inboundPort = options.inboundPort ?? INBOUND_CAPTURE_PORT;
  const outboundPort = options.outboundPort ?? OUTBOUND_CAPTURE_PORT;
  const uid = options.proxyUid ?? PROXY_UID;
  const gid = options.proxyGid ?? PROXY_GID;
  const outbound = options.outbound ?? true;
  const lines = [
    '*nat',
    ':SIDECAR_INBOUND - [0:0]',
    ...(outbound ? [':SIDECAR_OUTBOUND - [0:0]'] : []),
    '-A PREROUTING -p tcp -j SIDECAR_INBOUND',
    ...(options.excludeInboundPorts ?? []).map((port) => `-A SIDECAR_INBOUND -p tcp --dport ${port} -j RETURN`),
    `-A SIDECAR_INBOUND -p tcp -j REDIRECT --to-ports ${inboundPort}`,
    ...(outbound
      ? [
          '-A OUTPUT -p tcp -j SIDECAR_OUTBOUND',
          `-A SIDECAR_OUTBOUND -m owner --uid-owner ${uid} -j RETURN`,
          `-A SIDECAR_OUTBOUND -m owner --gid-owner ${gid} -j RETURN`,
          '-A SIDECAR_OUTBOUND -o lo -d 127.0.0.0/8 -j RETURN',
          `-A SIDECAR_OUTBOUND -p tcp -j REDIRECT --to-ports ${outboundPort}`,
        ]
      : []),
    'COMMIT',
  ];
  return `${lines.join('\n')}\n`;
}

/** istio-init's interception: nat REDIRECT rules in every pod that runs a sidecar. */
export const IPTABLES_INTERCEPTION: Interception = {
  name: 'iptables',
  initRules: (pod) => (pod.hasSidecar ? renderInterceptionRules() : undefined),
  undo: 'nothing to undo: the rules live in the pod’s network namespace and go with its pause container',
};
