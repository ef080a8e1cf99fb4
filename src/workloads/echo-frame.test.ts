import { describe, expect, it } from 'vitest';
import { FrameReader, decodeWsResponse, encodeTcpRequest, encodeTcpResponse, encodeWsResponse, MAX_ECHO_PAYLOAD_BYTES } from './echo-frame.js';

describe('TCP echo frames', () => {
  it('encodes a request as length + payload and a response as length + service time + payload', () => {
    expect([...encodeTcpRequest(Buffer.from('abc'))]).toStrictEqual([0, 0, 0, 3, 97, 98, 99]);
    expect([...encodeTcpResponse(Buffer.from('ab'), 258)]).toStrictEqual([0, 0, 0, 2, 0, 0, 1, 2, 97, 98]);
  });

  it('clamps service times to the u32 field and rounds to whole µs', () => {
    expect(encodeTcpResponse(Buffer.alloc(0), -5).readUInt32BE(4)).toBe(0);
    expect(encodeTcpResponse(Buffer.alloc(0), 12.6).readUInt32BE(4)).toBe(13);
    expect(encodeTcpResponse(Buffer.alloc(0), 2 ** 40).readUInt32BE(4)).toBe(0xffff_ffff);
  });

  it('reads frames whatever the chunking: split headers, split payloads, several frames per chunk', () => {
    const stream = Buffer.concat([encodeTcpResponse(Buffer.from('hello'), 7), encodeTcpResponse(Buffer.alloc(0), 8), encodeTcpResponse(Buffer.from('xyz'), 9)]);
    for (const cut of [1, 2, 3, 5, 7, 13, stream.length]) {
      const reader = new FrameReader(8);
      const frames = [];
      for (let at = 0; at < stream.length; at += cut) frames.push(...reader.push(stream.subarray(at, at + cut)));
      expect(frames.map((frame) => [frame.payload.toString(), frame.serviceTimeUs])).toStrictEqual([['hello', 7], ['', 8], ['xyz', 9]]);
      expect(reader.bufferedBytes).toBe(0);
    }
  });

  it('keeps an incomplete frame buffered and carries no service time on request frames', () => {
    const reader = new FrameReader(4);
    const request = encodeTcpRequest(Buffer.from('ping'));
    expect(reader.push(request.subarray(0, 6))).toStrictEqual([]);
    expect(reader.bufferedBytes).toBe(6);
    expect(reader.push(request.subarray(6))).toStrictEqual([{ payload: Buffer.from('ping') }]);
  });

  it('refuses a length above the limit rather than buffering it', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(MAX_ECHO_PAYLOAD_BYTES + 1, 0);
    expect(() => new FrameReader(4).push(header)).toThrow(/above the 16777216-byte limit/);
  });
});

describe('WebSocket echo messages', () => {
  it('prefixes the echoed payload with the service time and reads it back', () => {
    const message = encodeWsResponse(Buffer.alloc(1024, 1), 42);
    expect(message.length).toBe(1028);
    expect(decodeWsResponse(message)).toStrictEqual({ serviceTimeUs: 42, payloadBytes: 1024 });
  });

  it('refuses a message too short to carry the prefix', () => {
    expect(() => decodeWsResponse(Buffer.from([1, 2]))).toThrow(/shorter than its 4-byte service-time prefix/);
  });
});
