/**
 * Raw TCP: fixed-size length-prefixed messages echoed by the app (wire format in ../echo-frame.ts),
 * one round trip at a time per connection, connections held for the whole run. Through sidecars
 * this is their L4 path (HAProxy `mode tcp`, Envoy `tcp_proxy`): no proxy adds anything to the
 * bytes, so the only service time a response carries is the app's, in-band.
 */
import { connect } from 'node:net';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { FrameReader, TCP_RESPONSE_HEADER_BYTES, encodeTcpRequest } from '../echo-frame.js';
import { EchoConnection, type EchoSocket, type OpenEchoSocket } from './echo-connection.js';
import type { Transport } from './transport.js';

/** The payload size when the spec names none: Istio's benchmark's 1 KiB. */
export const DEFAULT_MESSAGE_BYTES = 1024;

/** TCP echo to spec.host:spec.port, spec.messageBytes per message. */
export function tcpTransport(spec: AgentSpec): Transport {
  const messageBytes = spec.messageBytes ?? DEFAULT_MESSAGE_BYTES;
  const request = encodeTcpRequest(Buffer.alloc(messageBytes, 'x'));
  const openSocket: OpenEchoSocket = (handlers) =>
    new Promise<EchoSocket>((resolve, reject) => {
      const socket = connect({ host: spec.host, port: spec.port, noDelay: true });
      const reader = new FrameReader(TCP_RESPONSE_HEADER_BYTES);
      let open = false;
      let silenced = false;
      const broken = (message: string) => {
        if (silenced) return;
        silenced = true;
        socket.destroy();
        if (open) handlers.onBroken(message);
        else reject(new Error(message));
      };
      socket.once('connect', () => {
        open = true;
        resolve({
          write: () => socket.write(request),
          destroy: () => {
            silenced = true;
            socket.destroy();
          },
        });
      });
      socket.on('data', (chunk) => {
        if (silenced) return;
        let frames;
        try {
          frames = reader.push(chunk);
        } catch (error) {
          broken(error instanceof Error ? error.message : String(error));
          return;
        }
        for (const frame of frames) {
          handlers.onAnswer({ payloadBytes: frame.payload.length, wireBytes: TCP_RESPONSE_HEADER_BYTES + frame.payload.length, appServiceTimeUs: frame.serviceTimeUs ?? 0 });
        }
      });
      socket.on('error', (error) => broken(error.message));
      socket.on('close', () => broken('connection closed before the response'));
    });
  return { open: () => EchoConnection.open(openSocket, messageBytes, spec.timeoutUs / 1000) };
}
