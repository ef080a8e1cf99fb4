/**
 * The load agent's transport seam: a scheduler (closed or open model, ../schedulers/) decides
 * *when* a request leaves; a transport decides *how* (HTTP/1.1 through autocannon's client,
 * HTTP/2, gRPC, …). Schedulers time every request themselves (hrtime just before `send`, and at
 * `done`), so every transport is measured the same way; a transport only reports what came back.
 *
 * Shape after fortio's `periodic.Runnable` with `fhttp/`, `fgrpc/`, `tcprunner/` behind it.
 */
import type { ServiceTimes } from '../loadgen-recorder.js';

/** How one request ended, as the transport saw it. */
export type Outcome =
  | {
      kind: 'response';
      /**
       * True when the answer describes the service (HTTP 2xx; gRPC status OK). Only these go into
       * the latency histogram; the rest are failures with their own.
       */
      ok: boolean;
      /** What statusCodes counts it under: the HTTP status ("200", "503") or "grpc:<code>" (grpc:0 is OK). */
      status: string;
      /** Response bytes read (headers and body as the transport counts them). */
      bytes: number;
      /** The app's and the nearest proxy's service times, where the protocol carried them. */
      serviceTimes: ServiceTimes;
      /** The response headers (lower-case names) where the transport has them at no cost: the probe shows them. */
      headers?: Readonly<Record<string, string | string[] | undefined>>;
    }
  /** The connection failed (refused, reset, closed) with the request on it. */
  | {
      kind: 'connection-error';
      message: string;
      /** The errno ("ECONNREFUSED", "EADDRNOTAVAIL" …) or "closed-before-response" (load/connect-errors.ts); absent: read from the message. */
      errno?: string;
    }
  /** No answer within the per-request timeout. */
  | { kind: 'timeout' };

/**
 * One open connection. It carries up to `maxInFlight` requests at once (1 for HTTP/1.1, the
 * streams per connection for HTTP/2); a scheduler never asks for more.
 */
export interface TransportConnection {
  readonly maxInFlight: number;
  /**
   * Sends one request; `done` is called exactly once with its outcome (never synchronously inside
   * `send`). A connection that breaks reconnects by itself; the requests on it end as
   * 'connection-error' or 'timeout'.
   */
  send(done: (outcome: Outcome) => void): void;
  /** Closes the connection; requests still on it never call `done`. */
  close(): void;
}

/** A protocol client for one target; `open()` resolves once the connection can take requests. */
export interface Transport {
  open(): Promise<TransportConnection>;
}
