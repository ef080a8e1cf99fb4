/**
 * What the host sends the load agent (inside the client pod) and what it answers. The agent prints
 * progress as JSON lines on stderr and its single result as one JSON line on stdout.
 */
import { z } from 'zod';

import type { GrpcMethod, LoadProtocol } from './protocols.js';

export { APP_SERVICE_TIME_HEADER, UPSTREAM_SERVICE_TIME_HEADER } from './headers.js';

import type { ProtocolSettings } from './protocol-load.js';

export interface AgentSpec {
  model: 'closed' | 'open';
  /** What the agent speaks (absent: http1, as before the field existed). */
  protocol?: LoadProtocol;
  /** http2 and grpc: concurrent streams each connection carries (absent: 1). */
  streamsPerConnection?: number;
  /** websocket and tcp: the payload of every echo message, in bytes (absent: 1024). */
  messageBytes?: number;
  /** grpc: the method of proto/bench.proto to call (absent: Unary). */
  grpcMethod?: GrpcMethod;
  /** Scenario side only: other protocols' settings, resolved per arm by armLoadOf and never sent to the agent. */
  protocolSettings?: ProtocolSettings;
  /** Open model: scheduled sends per second (the mean, for Poisson arrivals). */
  ratePerSecond?: number;
  /** Open model: evenly spaced (default) or Poisson arrivals. */
  arrivals?: 'uniform' | 'poisson';
  /** Open model, Poisson: the generator's seed (a trial's schedule is repeatable). */
  seed?: number;
  /** Where the request goes: the server pod's IP and the app port (interception may redirect it). */
  host: string;
  port: number;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  requestBodyBytes: number;
  /** Closed model: connections, each with one request in flight. Open model: the connection pool. */
  connections: number;
  warmupUs: number;
  durationUs: number;
  /** Per request; honoured to the ms (Node's timer resolution), sub-second values included. */
  timeoutUs: number;
  /**
   * HTTP/1.1, false: every request on a new connection, which the agent closes once the response is
   * in (the active close: its TIME_WAIT stays in the client pod's netns). Absent: connections kept alive.
   */
  keepAlive?: false;
}

/** The spec as it travels on the agent's command line: base64 of its JSON (no quoting issues). */
export function encodeAgentSpec(spec: AgentSpec): string {
  return Buffer.from(JSON.stringify(spec)).toString('base64');
}

/** The inverse of encodeAgentSpec, as the agent reads its argument. */
export function decodeAgentSpec(encoded: string): AgentSpec {
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as AgentSpec;
}

export const agentProgressSchema = z.object({
  event: z.literal('progress'),
  phase: z.enum(['warmup', 'measure']),
  elapsedMs: z.number(),
  responses: z.number(),
});
export type AgentProgress = z.infer<typeof agentProgressSchema>;

export const agentHistogramsSchema = z.object({
  /**
   * Client latency of successful (2xx) responses: from just before the request is written (open
   * model: from its scheduled send) to the last byte of the response. Failures are never in it.
   */
  latencyUs: z.string(),
  /** Failed requests whose duration is known (non-2xx answers, resets, timeouts, unanswered at the end). */
  failedLatencyUs: z.string().optional(),
  /** `x-envoy-upstream-service-time` as the nearest proxy reported it (whole ms, recorded as µs). */
  upstreamServiceTimeUs: z.string(),
  /** `x-app-service-time-us` as the app reported it. */
  appServiceTimeUs: z.string(),
  /** Per request: client latency − upstream service time (the nearest proxy's own overhead, ms resolution). */
  proxyOverheadUs: z.string(),
  /** Per request: client latency − app service time (network + every proxy, µs resolution). */
  networkAndProxiesUs: z.string(),
  /** Open model: latency from the actual send (what a closed-loop tool reports); latencyUs is from the schedule. */
  uncorrectedLatencyUs: z.string().optional(),
  /** Open model: actual send − scheduled send. */
  sendLagUs: z.string().optional(),
  /**
   * WebSocket: each connection's setup (TCP connect + the Upgrade's 101 answer, through every proxy
   * on the path), every connection the agent opened, warm-up and reconnections included.
   */
  connectionSetupUs: z.string().optional(),
});

export const openModelStatsSchema = z.object({
  targetRps: z.number().positive(),
  /** Requests scheduled inside the measured window. */
  scheduled: z.number().int().nonnegative(),
  /** Of those, sent before the run ended. */
  sent: z.number().int().nonnegative(),
  /** Scheduled in the window but never sent: the system (or the load generator) could not keep up. */
  unsent: z.number().int().nonnegative(),
  /** Sent later than scheduled because every connection was busy. */
  waitedForConnection: z.number().int().nonnegative(),
});
export type OpenModelStats = z.infer<typeof openModelStatsSchema>;

export const timelinePointSchema = z.object({
  /** Whole seconds since the start of the measured window. */
  second: z.number().int().nonnegative(),
  responses: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  p50Us: z.number(),
  p99Us: z.number(),
  maxUs: z.number(),
});

export const agentResultSchema = z.object({
  event: z.literal('result'),
  open: openModelStatsSchema.optional(),
  /** Closed model: requests on the wire when the window ended (sent inside it, then waited for). */
  closed: z.object({ inFlightAtWindowEnd: z.number().int().nonnegative() }).optional(),
  /** Latency second by second over the measured window. */
  timeline: z.array(timelinePointSchema).optional(),
  window: z.object({ startEpochMs: z.number(), endEpochMs: z.number() }),
  /** HTTP responses of any status. */
  responses: z.number().int().nonnegative(),
  /** Of those, 2xx: the requests latency and throughput describe (absent in files before it existed). */
  okResponses: z.number().int().nonnegative().optional(),
  /** Responses by status: the HTTP status ("200", "503"), or for gRPC "grpc:<code>" ("grpc:0" is OK, "grpc:14" UNAVAILABLE). */
  statusCodes: z.record(z.string(), z.number().int().nonnegative()),
  connectionErrors: z.number().int().nonnegative(),
  /**
   * connectionErrors by errno (EADDRNOTAVAIL, ECONNREFUSED, ECONNRESET, ETIMEDOUT, …;
   * "closed-before-response" for a peer's FIN, "unknown" without a code). Absent in older files.
   */
  connectErrorsByErrno: z.record(z.string(), z.number().int().nonnegative()).optional(),
  timeouts: z.number().int().nonnegative(),
  /** Requests sent inside the window that had no answer when the agent stopped waiting (counted as failed). */
  unansweredAtEnd: z.number().int().nonnegative().optional(),
  /** Latencies beyond the histograms' range (60 s), recorded at its top: a percentile at 60 s means "at least". */
  latenciesAboveRange: z.number().int().nonnegative().optional(),
  /** A few distinct error messages, so a failure can be diagnosed, not just counted. */
  errorMessages: z.array(z.string()),
  bytesRead: z.number().nonnegative(),
  /** Responses that carried each header (the rest could not feed the per-request estimators). */
  headerCounts: z.object({ upstreamServiceTime: z.number().int(), appServiceTime: z.number().int() }),
  histograms: agentHistogramsSchema,
  /** The load agent's own garbage-collection pauses that started inside the window (none expected). */
  loadgenGc: z.object({ pauses: z.number().int().nonnegative(), totalMs: z.number().nonnegative(), maxMs: z.number().nonnegative() }).optional(),
});
export type AgentResult = z.infer<typeof agentResultSchema>;

export const agentProbeSchema = z.object({
  event: z.literal('probe'),
  /** The HTTP status; gRPC: 200 when the call returned OK, else 0 (see status). */
  statusCode: z.number().int(),
  /** The status as the load counts it ("200", "grpc:14"); absent from agents before protocols. */
  status: z.string().optional(),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())]).optional()),
});
export type AgentProbe = z.infer<typeof agentProbeSchema>;

/** True for a status key of statusCodes that is a success: HTTP 2xx, or gRPC OK ("grpc:0"). */
export function isSuccessStatus(code: string): boolean {
  return code === GRPC_OK_STATUS || code === ECHO_OK_STATUS || (code.startsWith('2') && !code.startsWith('grpc:'));
}

/** The statusCodes key of a WebSocket or TCP echo that came back whole (neither protocol has a status of its own). */
export const ECHO_OK_STATUS = 'echo';

/** The statusCodes key of a gRPC call that returned OK. */
export const GRPC_OK_STATUS = 'grpc:0';

/** Responses whose status is not a success (HTTP non-2xx, gRPC other than OK). */
export function non2xxResponses(statusCodes: Readonly<Record<string, number>>): number {
  return Object.entries(statusCodes).reduce((sum, [code, count]) => (isSuccessStatus(code) ? sum : sum + count), 0);
}

/** Requests that did not get a 2xx answer: connection errors, timeouts, non-2xx responses and requests unanswered at the end. */
export function failedRequests(load: Pick<AgentResult, 'connectionErrors' | 'timeouts' | 'statusCodes' | 'unansweredAtEnd'>): number {
  return load.connectionErrors + load.timeouts + (load.unansweredAtEnd ?? 0) + non2xxResponses(load.statusCodes);
}

/** Every request the window accounts for: answered (any status) or failed without an answer. */
export function attemptedRequests(load: Pick<AgentResult, 'responses' | 'connectionErrors' | 'timeouts' | 'unansweredAtEnd'>): number {
  return load.responses + load.connectionErrors + load.timeouts + (load.unansweredAtEnd ?? 0);
}

/** 2xx responses (files written before okResponses existed: every response minus the non-2xx). */
export function successfulResponses(load: Pick<AgentResult, 'responses' | 'okResponses' | 'statusCodes'>): number {
  return load.okResponses ?? load.responses - non2xxResponses(load.statusCodes);
}
