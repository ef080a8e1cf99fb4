/**
 * The wire format of the app's echo protocols (WebSocket and raw TCP), shared by the app and the
 * load agent. Neither protocol has headers a proxy could add to, so the app's own service time
 * travels in-band, in the echoed message, as x-app-service-time-us does on HTTP.
 *
 * - TCP request:  [u32 BE payload bytes][payload]
 * - TCP response: [u32 BE payload bytes][u32 BE app service time, µs][payload echoed]
 * - WebSocket request:  one binary message, the payload
 * - WebSocket response: one binary message, [u32 BE app service time, µs][payload echoed]
 *
 * `messageBytes` in a scenario is the payload's size; the framing adds 4 (request) and 8 (TCP
 * response) or 4 (WebSocket response) bytes.
 */

/** The TCP echo's request header: the payload length. */
export const TCP_REQUEST_HEADER_BYTES = 4;
/** The TCP echo's response header: the payload length, then the app's service time in µs. */
export const TCP_RESPONSE_HEADER_BYTES = 8;
/** The WebSocket echo's response prefix: the app's service time in µs. */
export const WS_RESPONSE_PREFIX_BYTES = 4;
/** The largest payload either side accepts (a corrupt length must not make a reader buffer GiBs). */
export const MAX_ECHO_PAYLOAD_BYTES = 16 * 1024 * 1024;

const U32_MAX = 0xffff_ffff;

/** A service time as it fits the u32 field (µs; 71 minutes at most, far beyond any timeout). */
function u32(valueUs: number): number {
  return Math.min(U32_MAX, Math.max(0, Math.round(valueUs)));
}

/** A TCP echo request carrying `payload`. */
export function encodeTcpRequest(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(TCP_REQUEST_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  payload.copy(frame, TCP_REQUEST_HEADER_BYTES);
  return frame;
}

/** The TCP echo response to `payload`, stamped with the app's service time (µs). */
export function encodeTcpResponse(payload: Buffer, serviceTimeUs: number): Buffer {
  const frame = Buffer.allocUnsafe(TCP_RESPONSE_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(u32(serviceTimeUs), 4);
  payload.copy(frame, TCP_RESPONSE_HEADER_BYTES);
  return frame;
}

/** The WebSocket echo response to `payload`, stamped with the app's service time (µs). */
export function encodeWsResponse(payload: Buffer, serviceTimeUs: number): Buffer {
  const message = Buffer.allocUnsafe(WS_RESPONSE_PREFIX_BYTES + payload.length);
  message.writeUInt32BE(u32(serviceTimeUs), 0);
  payload.copy(message, WS_RESPONSE_PREFIX_BYTES);
  return message;
}

/** A WebSocket echo response read back: the app's service time and the payload's size. */
export function decodeWsResponse(message: Buffer): { serviceTimeUs: number; payloadBytes: number } {
  if (message.length < WS_RESPONSE_PREFIX_BYTES) throw new Error(`WebSocket echo response of ${message.length} bytes is shorter than its ${WS_RESPONSE_PREFIX_BYTES}-byte service-time prefix`);
  return { serviceTimeUs: message.readUInt32BE(0), payloadBytes: message.length - WS_RESPONSE_PREFIX_BYTES };
}

/** One complete frame from a TCP stream: its header fields and payload. */
export interface EchoFrame {
  payload: Buffer;
  /** Response frames only: the app's service time, µs. */
  serviceTimeUs?: number;
}

/**
 * Cuts a TCP byte stream into length-prefixed frames, whatever the chunking (a frame split over
 * reads, several frames in one read). `headerBytes` is 4 for requests, 8 for responses.
 * Throws on a length above MAX_ECHO_PAYLOAD_BYTES: the stream is not this protocol.
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly headerBytes: typeof TCP_REQUEST_HEADER_BYTES | typeof TCP_RESPONSE_HEADER_BYTES) {}

  /** Feeds one chunk; returns the frames it completed, in order. */
  push(chunk: Buffer): EchoFrame[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames: EchoFrame[] = [];
    while (this.pendingBytes >= this.headerBytes) {
      const head = this.peek(this.headerBytes);
      const payloadBytes = head.readUInt32BE(0);
      if (payloadBytes > MAX_ECHO_PAYLOAD_BYTES) throw new Error(`echo frame announces ${payloadBytes} bytes, above the ${MAX_ECHO_PAYLOAD_BYTES}-byte limit: not the echo protocol`);
      const frameBytes = this.headerBytes + payloadBytes;
      if (this.pendingBytes < frameBytes) break;
      const frame = this.take(frameBytes);
      frames.push({
        payload: frame.subarray(this.headerBytes),
        ...(this.headerBytes === TCP_RESPONSE_HEADER_BYTES ? { serviceTimeUs: frame.readUInt32BE(4) } : {}),
      });
    }
    return frames;
  }

  /** Bytes received that do not yet make a whole frame. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  private peek(bytes: number): Buffer {
    const first = this.pending[0] as Buffer;
    if (first.length >= bytes) return first;
    this.pending = [Buffer.concat(this.pending)];
    return this.pending[0] as Buffer;
  }

  private take(bytes: number): Buffer {
    const first = this.peek(bytes);
    this.pendingBytes -= bytes;
    if (first.length === bytes) this.pending.shift();
    else this.pending[0] = first.subarray(bytes);
    return first.subarray(0, bytes);
  }
}
