/**
 * What the WebSocket and TCP transports share: one long-lived connection carrying one echo round
 * trip at a time, a per-request timeout, and reconnection on the next send after the connection
 * broke or a request timed out (a late answer must not be taken for the next request's).
 */
import { ECHO_OK_STATUS } from '../../load/agent-protocol.js';
import { APP_SERVICE_TIME_HEADER } from '../../load/headers.js';
import type { Outcome, TransportConnection } from './transport.js';

type Done = (outcome: Outcome) => void;

export { ECHO_OK_STATUS };
/** The statusCodes key of an echo whose payload came back at another size. */
export const ECHO_MISMATCH_STATUS = 'echo:size-mismatch';

/** A socket of one protocol, as EchoConnection drives it. */
export interface EchoSocket {
  /** Writes one request message (the payload, framed as the protocol frames it). */
  write(): void;
  /** Closes at once; no more answers or errors are reported. */
  destroy(): void;
}

/** How a protocol opens its socket: `onAnswer` per echo read back, `onBroken` once when it fails or closes. */
export type OpenEchoSocket = (handlers: { onAnswer(answer: EchoAnswer): void; onBroken(message: string): void }) => Promise<EchoSocket>;

/** One echo as read back: its payload size, its size on the wire, and the app's service time in it. */
export interface EchoAnswer {
  payloadBytes: number;
  wireBytes: number;
  appServiceTimeUs: number;
}

interface InFlight {
  done: Done;
  timer: NodeJS.Timeout;
}

/** Answers a request that failed before it could be written, never synchronously inside send(). */
function later(done: Done, outcome: Outcome): void {
  queueMicrotask(() => done(outcome));
}

export class EchoConnection implements TransportConnection {
  readonly maxInFlight = 1;
  private socket: EchoSocket | undefined;
  private connecting: Promise<EchoSocket> | undefined;
  private inFlight: InFlight | undefined;
  private closed = false;

  private constructor(
    private readonly openSocket: OpenEchoSocket,
    private readonly messageBytes: number,
    private readonly timeoutMs: number,
  ) {}

  /** Opens the first socket; rejects if it cannot (the scheduler then fails the run, as for HTTP). */
  static async open(openSocket: OpenEchoSocket, messageBytes: number, timeoutMs: number): Promise<EchoConnection> {
    const connection = new EchoConnection(openSocket, messageBytes, timeoutMs);
    await connection.connect();
    return connection;
  }

  send(done: Done): void {
    if (this.closed) return;
    if (this.inFlight) throw new Error('an echo connection carries one request at a time (maxInFlight is 1)');
    if (this.socket) {
      this.write(this.socket, done);
      return;
    }
    this.connect().then(
      (socket) => (this.closed ? socket.destroy() : this.write(socket, done)),
      (error: unknown) => this.closed || later(done, { kind: 'connection-error', message: error instanceof Error ? error.message : String(error) }),
    );
  }

  close(): void {
    this.closed = true;
    if (this.inFlight) clearTimeout(this.inFlight.timer);
    this.inFlight = undefined;
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): Promise<EchoSocket> {
    this.connecting ??= this.openSocket({ onAnswer: (answer) => this.onAnswer(answer), onBroken: (message) => this.onBroken(message) })
      .then((socket) => {
        this.socket = socket;
        return socket;
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  private write(socket: EchoSocket, done: Done): void {
    const timer = setTimeout(() => this.onTimeout(), this.timeoutMs);
    this.inFlight = { done, timer };
    socket.write();
  }

  private take(): Done | undefined {
    const inFlight = this.inFlight;
    if (!inFlight) return undefined;
    clearTimeout(inFlight.timer);
    this.inFlight = undefined;
    return inFlight.done;
  }

  private onAnswer(answer: EchoAnswer): void {
    const done = this.take();
    if (!done || this.closed) return;
    const ok = answer.payloadBytes === this.messageBytes;
    done({
      kind: 'response',
      ok,
      status: ok ? ECHO_OK_STATUS : ECHO_MISMATCH_STATUS,
      bytes: answer.wireBytes,
      serviceTimes: { appServiceTimeUs: answer.appServiceTimeUs },
      // As an HTTP answer would say it, for the probe: the app answered, with its time.
      headers: { [APP_SERVICE_TIME_HEADER]: String(answer.appServiceTimeUs) },
    });
  }

  private onBroken(message: string): void {
    this.socket = undefined;
    const done = this.take();
    if (done && !this.closed) done({ kind: 'connection-error', message });
  }

  private onTimeout(): void {
    const done = this.take();
    // Its answer may still come: drop the socket so it cannot be read as the next request's.
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    if (done && !this.closed) done({ kind: 'timeout' });
  }
}
