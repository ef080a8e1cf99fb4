/**
 * WebSocket: long-lived connections (an HTTP/1.1 Upgrade to spec.host:spec.port spec.path, then
 * binary messages), one echo round trip at a time per connection; latency is per message round
 * trip. The Upgrade itself (TCP connect + the 101 answer, through every proxy on the path) is the
 * connection setup, timed apart: `setupTimesUs` gets one value per connection opened, reconnections
 * included. The only service time a message carries is the app's, in-band (../echo-frame.ts): no
 * proxy can add x-envoy-upstream-service-time to a WebSocket message.
 */
import { WebSocket } from 'ws';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { MAX_ECHO_PAYLOAD_BYTES, decodeWsResponse } from '../echo-frame.js';
import { EchoConnection, type EchoSocket, type OpenEchoSocket } from './echo-connection.js';
import { DEFAULT_MESSAGE_BYTES } from './tcp.js';
import type { Transport } from './transport.js';

/** WebSocket echo; `onSetupUs` is called with each connection's setup time (connect + Upgrade), µs. */
export function websocketTransport(spec: AgentSpec, onSetupUs?: (setupUs: number) => void): Transport {
  const messageBytes = spec.messageBytes ?? DEFAULT_MESSAGE_BYTES;
  const payload = Buffer.alloc(messageBytes, 'x');
  const url = `ws://${spec.host}:${spec.port}${spec.path}`;
  const timeoutMs = spec.timeoutUs / 1000;
  const openSocket: OpenEchoSocket = (handlers) =>
    new Promise<EchoSocket>((resolve, reject) => {
      const startNs = process.hrtime.bigint();
      const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, maxPayload: MAX_ECHO_PAYLOAD_BYTES + 4 });
      let open = false;
      let silenced = false;
      const broken = (message: string) => {
        if (silenced) return;
        silenced = true;
        socket.terminate();
        if (open) handlers.onBroken(message);
        else reject(new Error(message));
      };
      socket.once('open', () => {
        open = true;
        onSetupUs?.(Number(process.hrtime.bigint() - startNs) / 1000);
        resolve({
          write: () => socket.send(payload, { binary: true }),
          destroy: () => {
            silenced = true;
            socket.terminate();
          },
        });
      });
      socket.on('unexpected-response', (_request, response) => broken(`WebSocket upgrade answered ${response.statusCode} instead of 101`));
      socket.on('message', (data) => {
        if (silenced) return;
        const message = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
        try {
          const { serviceTimeUs, payloadBytes } = decodeWsResponse(message);
          handlers.onAnswer({ payloadBytes, wireBytes: message.length, appServiceTimeUs: serviceTimeUs });
        } catch (error) {
          broken(error instanceof Error ? error.message : String(error));
        }
      });
      socket.on('error', (error) => broken(error.message));
      socket.on('close', () => broken('WebSocket closed before the response'));
    });
  return { open: () => EchoConnection.open(openSocket, messageBytes, timeoutMs) };
}
