/**
 * For tests of the load agent: one HTTP/1.1 server on 127.0.0.1 at a time, whose close() also
 * destroys its kept-alive sockets (server.close alone waits for them).
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

export class LoopbackHttpServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  /** Starts a server with this request handler on a free port of 127.0.0.1; resolves to the port. */
  async serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
    const server = createServer(handler);
    this.server = server;
    server.on('connection', (socket) => this.sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  /** Destroys every connection and closes the server, if one was started. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
