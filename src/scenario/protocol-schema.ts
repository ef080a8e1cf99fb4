/**
 * load.protocol and its per-protocol settings, and the protocol × proxy × topology combinations
 * that cannot work, refused at load with the reason (each named at its field).
 */
import { z } from 'zod';
import { AGENT_PROTOCOLS, GRPC_METHODS, LOAD_PROTOCOLS, STREAMED_PROTOCOLS, type LoadProtocol } from '../load/protocols.js';
import type { ProxyCapabilities } from '../proxies/driver.js';
import { hasPeerTls, topologyDefinition, type TopologyName } from '../topology/catalog.js';
import type { FileArm } from './arms-schema.js';
import type { ProxyProfileName } from './topologies.js';

/**
 * HTTP/2 streams per connection: up to 65535 here. The seed asks sidecars for ≥ 1024 per
 * connection; the proxies' configs advertise at least what the scenario asks.
 */
const MAX_STREAMS_PER_CONNECTION = 65_535;

const streams = z
  .number({ error: `expected a whole number from 1 to ${MAX_STREAMS_PER_CONNECTION}` })
  .int({ error: `expected a whole number from 1 to ${MAX_STREAMS_PER_CONNECTION}` })
  .min(1, { error: `expected a whole number from 1 to ${MAX_STREAMS_PER_CONNECTION}` })
  .max(MAX_STREAMS_PER_CONNECTION, { error: `expected a whole number from 1 to ${MAX_STREAMS_PER_CONNECTION}` });

/** Fields of `load:` (spread into both load models). */
export const protocolLoadFields = {
  /** What the load agent speaks to the app, through the sidecars. */
  protocol: z.enum(LOAD_PROTOCOLS, { error: `expected one of ${LOAD_PROTOCOLS.join(', ')}` }).default('http1'),
  /** protocol: http2 (h2c between pods). */
  http2: z.strictObject({ streamsPerConnection: streams.default(1) }).optional(),
  /** protocol: grpc (unary calls of proto/bench.proto). */
  grpc: z.strictObject({ method: z.enum(GRPC_METHODS, { error: `expected one of ${GRPC_METHODS.join(', ')}` }).default('Unary'), streamsPerConnection: streams.default(1) }).optional(),
};

type Issue = { path: (string | number)[]; message: string };

/**
 * Why a protocol cannot run through one topology's sidecars with this proxy, as an answer with
 * its way out, or undefined when it can. Plaintext topologies carry every protocol the proxy
 * carries; the mTLS ones what the proxy's `protocolsOverMtls` says; handshake churn (a new TLS
 * connection per request) is rendered for HTTP/1.1 only.
 */
export function peerTlsProtocolGap(protocol: LoadProtocol, topology: TopologyName, can: ProxyCapabilities): string | undefined {
  if (protocol === 'http1' || !hasPeerTls(topology)) return undefined;
  const overMtls = can.protocolsOverMtls[protocol];
  if (!overMtls.supported) return `${overMtls.reason}; use sidecar or sidecar-inbound`;
  if (topologyDefinition(topology).upstreamReuse === 'per-request') {
    const why = STREAMED_PROTOCOLS.includes(protocol) ? 'multiplexes streams on kept-alive connections' : 'keeps each connection for many messages';
    return `${protocol} ${why}; a TLS connection per request is rendered for http1 only; use mtls`;
  }
  return undefined;
}

interface ProtocolLoad {
  protocol: LoadProtocol;
  http2?: { streamsPerConnection: number } | undefined;
  grpc?: { method: string; streamsPerConnection: number } | undefined;
}

/** The streams per connection a load asks for (1 for protocols without streams). */
export function streamsPerConnectionOf(load: ProtocolLoad): number {
  if (load.protocol === 'http2') return load.http2?.streamsPerConnection ?? 1;
  if (load.protocol === 'grpc') return load.grpc?.streamsPerConnection ?? 1;
  return 1;
}

/**
 * What cannot work: a protocol the agent has no transport for; a settings section of another
 * protocol; a sidecar whose proxy does not carry the protocol; a protocol the mTLS topology's
 * sidecars do not carry over their TLS (peerTlsProtocolGap); the calibration delay with any
 * protocol but HTTP/1.1 (calibrated with HTTP/1.1 only).
 */
export function protocolProblems(load: ProtocolLoad, arms: readonly FileArm[], capabilities: (profile: ProxyProfileName) => ProxyCapabilities): Issue[] {
  const issues: Issue[] = [];
  const { protocol } = load;
  if (!AGENT_PROTOCOLS.includes(protocol)) issues.push({ path: ['load', 'protocol'], message: `the load agent has no ${protocol} client yet; use one of ${AGENT_PROTOCOLS.join(', ')}` });
  for (const section of ['http2', 'grpc'] as const) {
    const armSpeaks = arms.some((arm) => arm.protocol === section);
    if (load[section] !== undefined && protocol !== section && !armSpeaks) {
      issues.push({ path: ['load', section], message: `applies to protocol: ${section}; this load's protocol is ${protocol} and no arm speaks ${section}` });
    }
  }
  const seen = new Set<string>();
  const add = (issue: Issue) => {
    const key = `${issue.path.join('.')}|${issue.message}`;
    if (!seen.has(key)) issues.push(issue);
    seen.add(key);
  };
  for (const arm of arms) {
    if (!arm.proxy) continue;
    const who = arm.proxyPath[0] === 'arms' ? `arm "${arm.name}" runs ${arm.proxy.profile}, which` : `${arm.proxy.profile}`;
    const carried = capabilities(arm.proxy.profile).protocols;
    if (!carried.includes(protocol)) add({ path: ['load', 'protocol'], message: `${who} does not carry ${protocol} as a sidecar here (it carries ${carried.join(', ')})` });
    const gap = carried.includes(protocol) ? peerTlsProtocolGap(protocol, arm.topology, capabilities(arm.proxy.profile)) : undefined;
    if (gap) add({ path: ['load', 'protocol'], message: `${protocol} through the ${arm.topology} topology with ${arm.proxy.profile} sidecars: ${gap}` });
    if (protocol !== 'http1' && arm.proxy.addedDelay !== undefined) {
      add({ path: [...arm.proxyPath, 'addedDelay'], message: `the calibration delay is calibrated with HTTP/1.1 only; remove it or use protocol: http1` });
    }
  }
  return issues;
}
