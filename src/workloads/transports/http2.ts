/**
 * HTTP/2 with prior knowledge (h2c) through node:http2: each connection is one session carrying up
 * to `streamsPerConnection` concurrent streams, one request per stream, each timed on its own.
 *
 * A session that fails or is closed by the peer (GOAWAY, reset) ends the streams on it as
 * connection errors; the next send opens a new session, as autocannon's client reconnects.
 */
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { isSuccess, serviceTimesOfRecord } from '../loadgen-recorder.js';
import type { Outcome, Transport, TransportConnection } from './transport.js';

/**
 * Flow-control windows large enough that N × M streams of the scenario's bodies never wait for a
 * WINDOW_UPDATE (the protocol's 64 KiB defaults would throttle 1024 streams of 1 KiB to a few
 * round trips each): per stream 1 MiB, per connection 64 MiB. They are limits, not allocations.
 */
const STREAM_WINDOW_BYTES = 1 << 20;
const SESSION_WINDOW_BYTES = 64 << 20;
/** nghttp2's per-session memory cap, in MB (Node's default 10 would refuse ~1024 busy streams). */
const MAX_SESSION_MEMORY_MB = 256;

/** HTTP/2 (h2c) to spec.host:spec.port, spec.streamsPerConnection streams per connection (default 1). */
export function http2Transport(spec: AgentSpec): Transport {
  return { open: () => Http2Connection.open(spec) };
}

/**
 * Connects one session and checks that the server lets it carry the streams asked for: a server
 * (or proxy) that advertises fewer concurrent streams would queue the rest inside the client, a
 * hidden cap on the load, so it is refused with the numbers.
 */
async function connectSession(spec: AgentSpec): Promise<ClientHttp2Session> {
  const session = connect(`http://${spec.host}:${spec.port}`, {
    settings: { enablePush: false, initialWindowSize: STREAM_WINDOW_BYTES },
    maxSessionMemory: MAX_SESSION_MEMORY_MB,
  });
  await new Promise<void>((resolve, reject) => {
    // A peer that is not an h2c server (a strict mTLS port reads the preface as a bad TLS record)
    // closes without an error event, or says nothing: both would otherwise hang the caller.
    const timer = setTimeout(() => fail(new Error(`no HTTP/2 SETTINGS from ${spec.host}:${spec.port} within ${spec.timeoutUs / 1000} ms`)), spec.timeoutUs / 1000);
    const closed = () => fail(new Error(`${spec.host}:${spec.port} closed the connection before its HTTP/2 SETTINGS (not an h2c server?)`));
    const settle = () => {
      clearTimeout(timer);
      session.off('error', fail);
      session.off('close', closed);
    };
    function fail(error: Error) {
      settle();
      session.destroy();
      reject(error);
    }
    session.once('error', fail);
    session.once('close', closed);
    // 'remoteSettings' carries the server's SETTINGS; 'connect' may come before them.
    session.once('remoteSettings', () => {
      settle();
      resolve();
    });
  });
  session.setLocalWindowSize(SESSION_WINDOW_BYTES);
  const streams = spec.streamsPerConnection ?? 1;
  const allowed = session.remoteSettings.maxConcurrentStreams ?? Number.POSITIVE_INFINITY;
  if (allowed < streams) {
    session.destroy();
    throw new Error(`${spec.host}:${spec.port} allows ${allowed} concurrent HTTP/2 streams per connection; load.http2.streamsPerConnection asks ${streams}`);
  }
  return session;
}

class Http2Connection implements TransportConnection {
  readonly maxInFlight: number;
  private session: ClientHttp2Session | undefined;
  private closed = false;
  private readonly requestHeaders: Record<string, string>;
  private readonly body: Buffer | undefined;
  private readonly timeoutMs: number;

  private constructor(
    private readonly spec: AgentSpec,
    session: ClientHttp2Session,
  ) {
    this.maxInFlight = spec.streamsPerConnection ?? 1;
    this.body = spec.requestBodyBytes > 0 ? Buffer.alloc(spec.requestBodyBytes, 'b') : undefined;
    this.requestHeaders = {
      ':method': spec.method,
      ':path': spec.path,
      ...(this.body ? { 'content-type': 'application/octet-stream', 'content-length': String(this.body.length) } : {}),
    };
    this.timeoutMs = spec.timeoutUs / 1000;
    this.adopt(session);
  }

  static async open(spec: AgentSpec): Promise<Http2Connection> {
    return new Http2Connection(spec, await connectSession(spec));
  }

  send(done: (outcome: Outcome) => void): void {
    if (this.closed) return;
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: Outcome) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (!this.closed) done(outcome);
    };
    // Reconnect lazily: streams asked for while the new session connects wait in it.
    const session = this.session && !this.session.closed && !this.session.destroyed ? this.session : this.reconnect();
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(this.requestHeaders, { endStream: this.body === undefined });
    } catch (error) {
      // A session that died between the check and the request: never call done inside send.
      const message = error instanceof Error ? error.message : String(error);
      queueMicrotask(() => finish({ kind: 'connection-error', message }));
      return;
    }
    if (this.body) stream.end(this.body);
    let headers: IncomingHttpHeaders | undefined;
    let bytes = 0;
    stream.on('response', (received) => (headers = received));
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.on('end', () => {
      // Ended with no response header: the session went away under the stream.
      if (!headers) return finish({ kind: 'connection-error', message: 'connection closed before the response' });
      const status = Number(headers[':status']);
      finish({ kind: 'response', ok: isSuccess(status), status: String(status), bytes, serviceTimes: serviceTimesOfRecord(headers), headers });
    });
    stream.on('error', (error: Error) => finish({ kind: 'connection-error', message: error.message }));
    // A stream closed without an end (RST_STREAM from the peer) and without an error event.
    stream.on('close', () => finish({ kind: 'connection-error', message: `stream closed before the response (HTTP/2 error code ${stream.rstCode})` }));
    // One timer per stream: the session has many requests in flight, each with its own deadline.
    timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      stream.close(constants.NGHTTP2_CANCEL);
    }, this.timeoutMs);
  }

  close(): void {
    this.closed = true;
    this.session?.destroy();
  }

  private adopt(session: ClientHttp2Session): void {
    this.session = session;
    // Errors reach the streams on the session; this listener only keeps them from being thrown.
    session.on('error', () => {});
    session.on('goaway', () => session.close());
  }

  private reconnect(): ClientHttp2Session {
    const session = connect(`http://${this.spec.host}:${this.spec.port}`, { settings: { enablePush: false, initialWindowSize: STREAM_WINDOW_BYTES }, maxSessionMemory: MAX_SESSION_MEMORY_MB });
    session.once('connect', () => session.setLocalWindowSize(SESSION_WINDOW_BYTES));
    this.adopt(session);
    return session;
  }
}
