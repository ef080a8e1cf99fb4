/**
 * The app's HTTP/2 side: h2c (prior knowledge) on its own port, and the gRPC Bench service
 * (proto/bench.proto) on another, each answering with the same body and its own µs service time,
 * as the HTTP/1.1 server does (app-server.ts).
 */
import { createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { Metadata, Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { APP_SERVICE_TIME_HEADER } from '../load/headers.js';
import { loadBenchService } from './grpc/bench-service.js';

/**
 * Concurrent streams the app lets one connection carry: above the 1024 the seed asks of a sidecar,
 * so the app is never the cap (Node's own default is unlimited; this keeps it explicit).
 */
export const APP_MAX_CONCURRENT_STREAMS = 4096;

export interface AppAnswer {
  body: Buffer;
  /** The app's fixed wait before it answers, in ms (Node timers have 1 ms resolution); 0: at once. */
  serviceTimeMs: number;
}

const sinceUs = (startNs: bigint) => String(Number((process.hrtime.bigint() - startNs) / 1000n));

/** Serves h2c on `port`; resolves once listening. */
export async function startH2cServer(port: number, answer: AppAnswer, host = '0.0.0.0'): Promise<Http2Server> {
  const server = createServer({ settings: { maxConcurrentStreams: APP_MAX_CONCURRENT_STREAMS }, maxSessionMemory: 256 });
  const contentLength = String(answer.body.length);
  const respond = (stream: ServerHttp2Stream, startNs: bigint) => {
    if (stream.destroyed || stream.closed) return;
    stream.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'content-length': contentLength, [APP_SERVICE_TIME_HEADER]: sinceUs(startNs) });
    stream.end(answer.body);
  };
  server.on('stream', (stream: ServerHttp2Stream, _headers: IncomingHttpHeaders) => {
    const startNs = process.hrtime.bigint();
    const reply = () => (answer.serviceTimeMs > 0 ? setTimeout(respond, answer.serviceTimeMs, stream, startNs) : respond(stream, startNs));
    // Read the request body (if any) to its end, then answer.
    if (stream.readableEnded) reply();
    else {
      stream.on('end', reply);
      stream.resume();
    }
  });
  // A reset stream or a dropped connection must not take the app down.
  server.on('sessionError', () => {});
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}

/** Serves the gRPC Bench service on `port` (0: any free port); resolves once bound, with the port. */
export async function startGrpcServer(port: number, answer: AppAnswer, host = '0.0.0.0', protoPath?: string): Promise<{ server: Server; port: number }> {
  const Bench = loadBenchService(protoPath);
  const server = new Server({ 'grpc.max_concurrent_streams': APP_MAX_CONCURRENT_STREAMS });
  const reply = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<{ payload: Buffer }>, startNs: bigint) => {
    // Initial metadata, sent with the reply: the header block a proxy adds its upstream time to.
    const metadata = new Metadata();
    metadata.set(APP_SERVICE_TIME_HEADER, sinceUs(startNs));
    call.sendMetadata(metadata);
    callback(null, { payload: answer.body });
  };
  server.addService(Bench.service, {
    Unary: (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<{ payload: Buffer }>) => {
      const startNs = process.hrtime.bigint();
      if (answer.serviceTimeMs > 0) setTimeout(reply, answer.serviceTimeMs, call, callback, startNs);
      else reply(call, callback, startNs);
    },
  });
  const boundPort = await new Promise<number>((resolve, reject) => server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  return { server, port: boundPort };
}
