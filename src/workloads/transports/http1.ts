/**
 * HTTP/1.1 through autocannon's own client (lib/httpClient.js): its parser and write path, our
 * scheduling. The client would send its next request as soon as an answer arrives (and on every
 * (re)connect); its `_doRequest` is therefore replaced *on each instance* by a gate that parks the
 * client until the scheduler sends. The prototype is never touched.
 *
 * What the client does on its own is kept: a connection that errors, ends or times out is
 * re-opened at once. A request that was on it ends as a timeout (the client's per-request timer)
 * or as a connection error.
 *
 * keepAlive false (a client without connection reuse): the agent closes each connection as soon
 * as its response is in, and opens the next one only when the next request is due (its `_connect`
 * is gated too), so a connect that fails (EADDRNOTAVAIL once the pod's ephemeral ports sit in
 * TIME_WAIT) costs that request, not a busy reconnect loop.
 */
import Client from 'autocannon/lib/httpClient.js';
import { classifyConnectError, CLOSED_BEFORE_RESPONSE } from '../../load/connect-errors.js';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { isSuccess, readServiceTimes } from '../loadgen-recorder.js';
import { clientOptions } from './http1-options.js';
import type { Outcome, Transport, TransportConnection } from './transport.js';

type AutocannonClient = InstanceType<typeof Client>;
type Done = (outcome: Outcome) => void;

const originalDoRequest = Client.prototype._doRequest;
const originalConnect = Client.prototype._connect;

/** HTTP/1.1, one request in flight per connection (no pipelining), to spec.host:spec.port spec.path. */
export function http1Transport(spec: AgentSpec): Transport {
  return { open: async () => new Http1Connection(spec) };
}

class Http1Connection implements TransportConnection {
  readonly maxInFlight = 1;
  private client: AutocannonClient | undefined;
  /** The client asked to send (connected, or answered) and waits for the scheduler. */
  private parked = false;
  /** A send that came while the client was not yet ready (inside its response or error handling). */
  private pending: Done | undefined;
  private inFlight: Done | undefined;
  /** A request whose connection went away; classified once the client says why. */
  private orphan: Done | undefined;
  private headers: string[] | undefined;
  private closed = false;
  /** keepAlive false: each connection carries one request and is closed by us after its response. */
  private readonly perRequest: boolean;
  /** perRequest: a response just arrived; the client's next _doRequest closes its connection. */
  private answered = false;
  /** perRequest: no connection open; the next send opens one. */
  private idle = false;

  constructor(spec: AgentSpec) {
    this.perRequest = spec.keepAlive === false;
    let connects = 0;
    const client = new Client(
      clientOptions(spec, (created) => {
        this.client = created;
        // Before the constructor connects: its first _doRequest already lands here.
        created._doRequest = () => this.onClientReady();
        // perRequest: the constructor's connection carries the first request; after that the
        // client's own reconnects (error, end, timeout) leave it idle until a send.
        if (this.perRequest) created._connect = () => (connects++ === 0 ? originalConnect.call(created) : this.onClientReconnect());
      }),
    );
    client.on('headers', (parsed: { headers?: string[] }) => {
      this.headers = parsed.headers;
    });
    client.on('response', (statusCode: number, bytes: number) => {
      const done = this.inFlight;
      const headers = this.headers;
      this.inFlight = undefined;
      this.headers = undefined;
      this.answered = this.perRequest;
      this.finish(done, { kind: 'response', ok: isSuccess(statusCode), status: String(statusCode), bytes, serviceTimes: readServiceTimes(headers) });
    });
    client.on('timeout', () => {
      // The client re-connected (and so parked, orphaning the request) before this event.
      const done = this.orphan;
      this.orphan = undefined;
      this.finish(done, { kind: 'timeout' });
    });
    client.on('connError', (error: Error) => {
      const done = this.inFlight ?? this.orphan;
      this.inFlight = undefined;
      this.orphan = undefined;
      this.finish(done, { kind: 'connection-error', message: error.message, errno: classifyConnectError(error) });
    });
  }

  send(done: Done): void {
    if (this.closed) return;
    if (this.idle) {
      // A new connection for this request: _connect asks for it at once (onClientReady).
      this.idle = false;
      this.pending = done;
      originalConnect.call(this.client as AutocannonClient);
    } else if (this.parked) this.write(done);
    else this.pending = done;
  }

  close(): void {
    this.closed = true;
    this.client?.destroy();
  }

  private write(done: Done): void {
    this.parked = false;
    this.inFlight = done;
    originalDoRequest.call(this.client as AutocannonClient);
  }

  /** The client would send now: after an answer, or after it (re)connected. */
  private onClientReady(): void {
    if (this.answered) {
      // The active close: this side's socket goes to TIME_WAIT, as a client without reuse leaves it.
      this.answered = false;
      this.goIdle();
      return;
    }
    this.orphanInFlight();
    this.parked = true;
    const pending = this.pending;
    this.pending = undefined;
    if (pending && !this.closed) this.write(pending);
  }

  /** perRequest: the client lost its connection (error, end, timeout) and would reconnect now. */
  private onClientReconnect(): void {
    this.orphanInFlight();
    this.goIdle();
  }

  private goIdle(): void {
    (this.client as AutocannonClient)._destroyConnection();
    this.parked = false;
    this.idle = true;
    // A send that came while the response was being handled goes out on a new connection now.
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.send(pending);
  }

  /**
   * A request still open on a connection that went away (server closed, or timeout: the 'timeout'
   * event follows at once). Classified once the client has spoken.
   */
  private orphanInFlight(): void {
    if (this.inFlight) {
      const lost = this.inFlight;
      this.inFlight = undefined;
      this.orphan = lost;
      queueMicrotask(() => {
        if (this.orphan !== lost) return;
        this.orphan = undefined;
        this.finish(lost, { kind: 'connection-error', message: 'connection closed before the response', errno: CLOSED_BEFORE_RESPONSE });
      });
    }
  }

  private finish(done: Done | undefined, outcome: Outcome): void {
    if (done && !this.closed) done(outcome);
  }
}
