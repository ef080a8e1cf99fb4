/**
 * Options of autocannon's HTTP client (lib/httpClient.js) for one load-agent connection. Both load
 * models drive that client directly: its parser and write path are autocannon's, its scheduling ours.
 */
import { URL, urlToHttpOptions } from 'node:url';
import type Client from 'autocannon/lib/httpClient.js';
import type { AgentSpec } from '../../load/agent-protocol.js';

type AutocannonClient = InstanceType<typeof Client>;

/**
 * The client's per-request timeout in ms, exactly as the scenario gave it. autocannon takes whole
 * seconds at its front door (`timeout < 1` is refused), and this agent used to round to them: a
 * 1400 ms timeout became 1 s, a 300 ms one 1 s. The client itself keeps ms, so it is set there.
 */
export function clientTimeoutMs(spec: Pick<AgentSpec, 'timeoutUs'>): number {
  return spec.timeoutUs / 1000;
}

/** Constructor options for one connection; `onCreated` runs before the client connects or sends. */
export function clientOptions(spec: AgentSpec, onCreated: (client: AutocannonClient) => void): Record<string, unknown> {
  const options = urlToHttpOptions(new URL(`http://${spec.host}:${spec.port}${spec.path}`)) as Record<string, unknown>;
  const body = spec.requestBodyBytes > 0 ? Buffer.alloc(spec.requestBodyBytes, 'b') : undefined;
  const timeoutMs = clientTimeoutMs(spec);
  return {
    ...options,
    host: `${spec.host}:${spec.port}`,
    method: spec.method,
    ...(body ? { body, headers: { 'content-type': 'application/octet-stream' } } : {}),
    pipelining: 1,
    setupClient: (created: AutocannonClient) => {
      // The constructor has set timeout from opts.timeout (s) but not yet armed its timer: override in ms.
      created.timeout = timeoutMs;
      onCreated(created);
    },
  };
}
