/**
 * The upstream app: a lean HTTP/1.1 server that reports its own service time. Its cost is part of
 * every baseline, so it does as little as possible: one preallocated body, no routing.
 *
 * Configured by environment: APP_PORT (8080), APP_RESPONSE_BYTES (1024), APP_SERVICE_TIME_US (0;
 * a whole number of ms, because Node timers have 1 ms resolution), APP_H2C_PORT (8081: HTTP/2
 * with prior knowledge), APP_GRPC_PORT (8082: the gRPC Bench service of proto/bench.proto); the
 * HTTP/2 and gRPC servers answer the same body with the same service time (app-h2.ts).
 * APP_TCP_PORT (9000): the raw TCP echo. APP_KEEP_ALIVE=false: every HTTP/1.1 answer carries
 * Connection: close (an app that does not keep connections alive; its sidecar reconnects per request).
 * APP_BIND_ADDRESS (0.0.0.0): where every server listens;
 * 127.0.0.1 reproduces the app that refuses its sidecar when the sidecar forwards to the pod's IP.
 *
 * It also echoes WebSocket messages (an Upgrade on APP_PORT) and length-prefixed TCP messages (on
 * APP_TCP_PORT), with its service time in-band: see echo-servers.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { startGrpcServer, startH2cServer } from './app-h2.js';
import { attachWebSocketEcho, startTcpEcho } from './echo-servers.js';

const APP_SERVICE_TIME_HEADER = 'x-app-service-time-us';

const port = Number(process.env.APP_PORT ?? 8080);
const bindAddress = process.env.APP_BIND_ADDRESS ?? '0.0.0.0';
const tcpPort = Number(process.env.APP_TCP_PORT ?? 9000);
const responseBytes = Number(process.env.APP_RESPONSE_BYTES ?? 1024);
const serviceTimeMs = Number(process.env.APP_SERVICE_TIME_US ?? 0) / 1000;
const body = Buffer.alloc(responseBytes, 'x');
const contentLength = String(body.length);
const keepAlive = process.env.APP_KEEP_ALIVE !== 'false';

function respond(response: ServerResponse, startNs: bigint): void {
  const serviceTimeUs = Number((process.hrtime.bigint() - startNs) / 1000n);
  response.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': contentLength,
    [APP_SERVICE_TIME_HEADER]: String(serviceTimeUs),
    ...(keepAlive ? {} : { connection: 'close' }),
  });
  response.end(body);
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const startNs = process.hrtime.bigint();
  const answer = () => (serviceTimeMs > 0 ? setTimeout(respond, serviceTimeMs, response, startNs) : respond(response, startNs));
  if (request.headers['content-length'] === undefined && request.headers['transfer-encoding'] === undefined) {
    answer();
  } else {
    request.resume();
    request.on('end', answer);
  }
}

const server = createServer(handle);
// Load generators hold connections open between trials; do not close them under their feet.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.requestTimeout = 0;
attachWebSocketEcho(server, serviceTimeMs);
server.listen(port, bindAddress, () => process.stdout.write(`app listening on ${bindAddress}:${port} (HTTP/1.1, WebSocket)
`));
const h2cPort = Number(process.env.APP_H2C_PORT ?? 8081);
const grpcPort = Number(process.env.APP_GRPC_PORT ?? 8082);
startH2cServer(h2cPort, { body, serviceTimeMs }, bindAddress).then(() => process.stdout.write(`app listening on :${h2cPort} (h2c)
`));
startGrpcServer(grpcPort, { body, serviceTimeMs }, bindAddress).then(() => process.stdout.write(`app listening on :${grpcPort} (gRPC)
`));
startTcpEcho(tcpPort, serviceTimeMs, () => process.stdout.write(`app listening on :${tcpPort} (TCP echo)
`), bindAddress);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
