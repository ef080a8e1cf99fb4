/**
 * load.protocol and its per-protocol settings, and the protocol × proxy × topology combinations
 * that cannot work, refused at load with the reason (each named at its field).
 */
import { z } from 'zod';
import { AGENT_PROTOCOLS, GRPC_METHODS, LOAD_PROTOCOLS, type LoadProtocol } from '../load/protocols.js';
import type { ProxyCapabilities } from '../proxies/driver.js';
import { hasPeerTls } from '../topology/catalog.js';
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

/** Why a protocol cannot run through the mTLS topologies yet. */
const MTLS_GAP: Record<Exclude<LoadProtocol, 'http1'>, string> = {
  http2: 'the sidecars’ mTLS does not negotiate HTTP/2 (ALPN h2) yet',
  grpc: 'the sidecars’ mTLS does not negotiate HTTP/2 (ALPN h2) yet',
  websocket: 'WebSocket has not been measured through the sidecars’ mTLS yet',
  tcp: 'the sidecars carry TCP in plaintext only (their L4 paths have no TLS yet)',
};

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
 * protocol; a sidecar whose proxy does not carry the protocol; HTTP/2 and gRPC through the mTLS
 * topologies (the sidecars' TLS does not negotiate h2 yet); the calibration delay with any
 * protocol but HTTP/1.1 (calibrated with HTTP/1.1 only).
 */
export function protocolProblems(load: ProtocolLoad, arms: readonly FileArm[], capabilities: (profile: ProxyProfileName) => ProxyCapabilities): Issue[] {
  const issues: Issue[] = [];
  const { protocol } = load;
  if (!AGENT_PROTOCOLS.includes(protocol)) issues.push({ path: ['load', 'protocol'], message: `the load agent has no ${protocol} client yet; use one of ${AGENT_PROTOCOLS.join(', ')}` });
  for (const section of ['http2', 'grpc'] as const) {
    if (load[section] !== undefined && protocol !== section) issues.push({ path: ['load', section], message: `applies to protocol: ${section}; this load's protocol is ${protocol}` });
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
    if (protocol !== 'http1' && hasPeerTls(arm.topology)) {
      add({ path: ['load', 'protocol'], message: `${protocol} through the ${arm.topology} topology: ${MTLS_GAP[protocol]}; use sidecar or sidecar-inbound` });
    }
    if (protocol !== 'http1' && arm.proxy.addedDelay !== undefined) {
      add({ path: [...arm.proxyPath, 'addedDelay'], message: `the calibration delay is calibrated with HTTP/1.1 only; remove it or use protocol: http1` });
    }
  }
  return issues;
}
