/**
 * Per-response bookkeeping of the load agent: latency and the two service-time headers go into HDR
 * histograms in µs; only requests sent inside the measured window count.
 */
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import { APP_SERVICE_TIME_HEADER, UPSTREAM_SERVICE_TIME_HEADER } from '../load/headers.js';
import type { AgentResult } from '../load/agent-protocol.js';
import { classifyConnectError } from '../load/connect-errors.js';

const MAX_ERROR_MESSAGES = 5;

export interface ServiceTimes {
  upstreamServiceTimeUs?: number;
  appServiceTimeUs?: number;
}

/** A header value as a non-negative number, or undefined (Number('') is 0, which must not count). */
function parseNonNegative(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Reads the two headers from a raw [name, value, name, value, …] array as http parsers give it. */
export function readServiceTimes(rawHeaders: readonly string[] | undefined): ServiceTimes {
  const times: ServiceTimes = {};
  if (!rawHeaders) return times;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    if (name === UPSTREAM_SERVICE_TIME_HEADER) {
      const ms = parseNonNegative(rawHeaders[i + 1]);
      if (ms !== undefined) times.upstreamServiceTimeUs = ms * 1000;
    } else if (name === APP_SERVICE_TIME_HEADER) {
      const us = parseNonNegative(rawHeaders[i + 1]);
      if (us !== undefined) times.appServiceTimeUs = us;
    }
  }
  return times;
}

/**
 * Reads the two service times from headers as a record (node:http2 response headers, gRPC metadata
 * as a map): names lower-case, a repeated header's last value counts.
 */
export function serviceTimesOfRecord(headers: Readonly<Record<string, unknown>> | undefined): ServiceTimes {
  const times: ServiceTimes = {};
  if (!headers) return times;
  const text = (name: string): string | undefined => {
    const value = headers[name];
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    return typeof last === 'string' ? last : undefined;
  };
  const upstreamMs = parseNonNegative(text(UPSTREAM_SERVICE_TIME_HEADER));
  if (upstreamMs !== undefined) times.upstreamServiceTimeUs = upstreamMs * 1000;
  const appUs = parseNonNegative(text(APP_SERVICE_TIME_HEADER));
  if (appUs !== undefined) times.appServiceTimeUs = appUs;
  return times;
}

/** Open model only: the same response seen from its actual send, and how late the send was. */
export interface OpenModelTimes {
  /** From the actual write to the last byte (what a closed-loop tool would report). */
  uncorrectedLatencyUs: number;
  /** Actual write − scheduled send time: scheduler lateness plus waiting for a free connection. */
  sendLagUs: number;
}

/** True for a 2xx status: the only responses whose latency describes the service. */
export function isSuccess(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300;
}

/**
 * Keeps successful (2xx) responses apart from failed requests (non-2xx, resets, timeouts, no
 * answer by the end): a proxy that answers 503 in 50 µs for a dead app must not make its
 * topology look fast. Latency and the per-request estimators come from successes only; failures
 * get their own histogram (where their duration is known) and counts.
 */
export class ResponseRecorder {
  private readonly latency = newHistogramUs();
  private readonly failedLatency = newHistogramUs();
  private readonly uncorrectedLatency = newHistogramUs();
  private readonly sendLag = newHistogramUs();
  private openModel = false;
  private readonly upstreamServiceTime = newHistogramUs();
  private readonly appServiceTime = newHistogramUs();
  private readonly proxyOverhead = newHistogramUs();
  private readonly networkAndProxies = newHistogramUs();
  private readonly statusCodes = new Map<string, number>();
  private readonly errorMessages = new Set<string>();
  private readonly connectErrorsByErrno = new Map<string, number>();
  private responses = 0;
  private okResponses = 0;
  private connectionErrors = 0;
  private timeouts = 0;
  private unansweredAtEnd = 0;
  private latenciesAboveRange = 0;
  private bytesRead = 0;
  private upstreamHeaderCount = 0;
  private appHeaderCount = 0;

  /**
   * One response. latencyUs is the figure the model reports (open model: from the scheduled send,
   * so a stall cannot hide). The per-request estimators subtract the headers from the latency of
   * the request as actually sent, since that is the span the proxy and the app saw. A response
   * that is not `ok` (by default: not 2xx) goes to the failed histogram only. `status` is what
   * statusCodes counts it under: an HTTP status, or "grpc:<code>" (see transports/transport.ts).
   */
  recordResponse(status: number | string, bytes: number, latencyUs: number, times: ServiceTimes, open?: OpenModelTimes, ok = isSuccess(Number(status))): void {
    this.responses++;
    this.bytesRead += bytes;
    const key = String(status);
    this.statusCodes.set(key, (this.statusCodes.get(key) ?? 0) + 1);
    if (!ok) {
      this.recordFailedLatency(latencyUs);
      return;
    }
    this.okResponses++;
    if (recordUs(this.latency, latencyUs)) this.latenciesAboveRange++;
    if (open) {
      this.openModel = true;
      recordUs(this.uncorrectedLatency, open.uncorrectedLatencyUs);
      recordUs(this.sendLag, open.sendLagUs);
    }
    const servedLatencyUs = open ? open.uncorrectedLatencyUs : latencyUs;
    if (times.upstreamServiceTimeUs !== undefined) {
      this.upstreamHeaderCount++;
      recordUs(this.upstreamServiceTime, times.upstreamServiceTimeUs);
      recordUs(this.proxyOverhead, servedLatencyUs - times.upstreamServiceTimeUs);
    }
    if (times.appServiceTimeUs !== undefined) {
      this.appHeaderCount++;
      recordUs(this.appServiceTime, times.appServiceTimeUs);
      recordUs(this.networkAndProxies, servedLatencyUs - times.appServiceTimeUs);
    }
  }

  /**
   * A connection error (reset, refused) on a request; latencyUs when its send time is known.
   * `errno` is counted in connectErrorsByErrno (the transport's classification, see
   * load/connect-errors.ts); without one it is read from the message.
   */
  recordConnectionError(message: string, latencyUs?: number, errno: string = classifyConnectError(message)): void {
    this.connectionErrors++;
    this.connectErrorsByErrno.set(errno, (this.connectErrorsByErrno.get(errno) ?? 0) + 1);
    this.noteError(message);
    if (latencyUs !== undefined) this.recordFailedLatency(latencyUs);
  }

  /** A request the client gave up on after its timeout; latencyUs when its send time is known. */
  recordTimeout(latencyUs?: number): void {
    this.timeouts++;
    this.noteError('request timed out');
    if (latencyUs !== undefined) this.recordFailedLatency(latencyUs);
  }

  /** A request sent inside the window that had no answer when the agent stopped waiting for it. */
  recordUnanswered(latencyUs: number): void {
    this.unansweredAtEnd++;
    this.noteError('no answer by the end of the trial');
    this.recordFailedLatency(latencyUs);
  }

  get responseCount(): number {
    return this.responses;
  }

  private recordFailedLatency(latencyUs: number): void {
    if (recordUs(this.failedLatency, latencyUs)) this.latenciesAboveRange++;
  }

  private noteError(message: string): void {
    if (this.errorMessages.size < MAX_ERROR_MESSAGES) this.errorMessages.add(message);
  }

  toResult(window: AgentResult['window'], open?: AgentResult['open'], timeline?: AgentResult['timeline']): AgentResult {
    return {
      ...(open ? { open } : {}),
      ...(timeline ? { timeline } : {}),
      event: 'result',
      window,
      responses: this.responses,
      okResponses: this.okResponses,
      statusCodes: Object.fromEntries(this.statusCodes),
      connectionErrors: this.connectionErrors,
      connectErrorsByErrno: Object.fromEntries(this.connectErrorsByErrno),
      timeouts: this.timeouts,
      unansweredAtEnd: this.unansweredAtEnd,
      latenciesAboveRange: this.latenciesAboveRange,
      errorMessages: [...this.errorMessages],
      bytesRead: this.bytesRead,
      headerCounts: { upstreamServiceTime: this.upstreamHeaderCount, appServiceTime: this.appHeaderCount },
      histograms: {
        latencyUs: encodeHistogram(this.latency),
        failedLatencyUs: encodeHistogram(this.failedLatency),
        upstreamServiceTimeUs: encodeHistogram(this.upstreamServiceTime),
        appServiceTimeUs: encodeHistogram(this.appServiceTime),
        proxyOverheadUs: encodeHistogram(this.proxyOverhead),
        networkAndProxiesUs: encodeHistogram(this.networkAndProxies),
        ...(this.openModel || open
          ? { uncorrectedLatencyUs: encodeHistogram(this.uncorrectedLatency), sendLagUs: encodeHistogram(this.sendLag) }
          : {}),
      },
    };
  }
}
