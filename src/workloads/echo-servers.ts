/**
 * The app's echo protocols (wire format in echo-frame.ts): WebSocket on the HTTP port (an HTTP/1.1
 * Upgrade, the way a mesh sees it) and raw TCP on a port of its own. Each echoes every message
 * with the app's own service time in it, from the moment the message is whole to the write.
 */
import type { Server as HttpServer } from 'node:http';
import { createServer, type Server as TcpServer, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { FrameReader, MAX_ECHO_PAYLOAD_BYTES, TCP_REQUEST_HEADER_BYTES, encodeTcpResponse, encodeWsResponse } from './echo-frame.js';

/** Calls `reply` now, or after `serviceTimeMs` (Node timers: whole ms) when the app has a service time. */
function answer(serviceTimeMs: number, reply: () => void): void {
  if (serviceTimeMs > 0) setTimeout(reply, serviceTimeMs);
  else reply();
}

function elapsedUs(startNs: bigint): number {
  return Number((process.hrtime.bigint() - startNs) / 1000n);
}

/**
 * Serves the WebSocket echo on `server`'s Upgrade requests (any path). Binary and text messages
 * are echoed as binary, prefixed with the service time. No compression: a mesh benchmark's
 * payload should cost the same on every hop.
 */
export function attachWebSocketEcho(server: HttpServer, serviceTimeMs: number): WebSocketServer {
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: MAX_ECHO_PAYLOAD_BYTES });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const startNs = process.hrtime.bigint();
      const payload = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      answer(serviceTimeMs, () => socket.send(encodeWsResponse(payload, elapsedUs(startNs)), { binary: true }));
    });
    // A client that goes away mid-message is not the app's problem; do not crash on it.
    socket.on('error', () => socket.terminate());
  });
  return wss;
}

/** Serves the TCP echo on `port`: length-prefixed requests, answered in order on the same connection. */
export function startTcpEcho(port: number, serviceTimeMs: number, onListening?: () => void, host = '0.0.0.0'): TcpServer {
  const server = createServer({ noDelay: true }, (socket: Socket) => {
    const reader = new FrameReader(TCP_REQUEST_HEADER_BYTES);
    socket.on('data', (chunk) => {
      let frames;
      try {
        frames = reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        const startNs = process.hrtime.bigint();
        answer(serviceTimeMs, () => {
          if (!socket.destroyed) socket.write(encodeTcpResponse(frame.payload, elapsedUs(startNs)));
        });
      }
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(port, host, onListening);
  return server;
}
