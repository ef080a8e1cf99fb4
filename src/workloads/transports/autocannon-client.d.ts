// autocannon's HTTP client (lib/httpClient.js) has no published types; this is the part we drive.
declare module 'autocannon/lib/httpClient.js' {
  import type { EventEmitter } from 'node:events';
  interface AutocannonClient extends EventEmitter {
    _doRequest(): void;
    /** Opens the connection (net.connect) and asks for the first request (_doRequest). */
    _connect(): void;
    /** Destroys the socket (listeners removed, pending requests cleared); the client stays usable. */
    _destroyConnection(): void;
    destroy(): void;
    /** Per-request timeout in ms (set from opts.timeout × 1000 before setupClient runs). */
    timeout: number;
  }
  interface AutocannonClientConstructor {
    new (options: Record<string, unknown>): AutocannonClient;
    prototype: AutocannonClient;
  }
  const Client: AutocannonClientConstructor;
  export default Client;
}
