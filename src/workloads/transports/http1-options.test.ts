import { createServer, type Server, type Socket } from 'node:net';
import Client from 'autocannon/lib/httpClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchError } from '../../errors.js';
import { decodeAgentSpec, encodeAgentSpec, type AgentSpec } from '../../load/agent-protocol.js';
import { agentLoadOf } from '../../runner/load-spec.js';
import { parseScenario } from '../../scenario/index.js';
import { clientOptions, clientTimeoutMs } from './http1-options.js';

const scenarioWithTimeout = (timeout: string) =>
  parseScenario(`topologies: [app-only]\nload: { connections: 1, duration: 1s, timeout: ${timeout} }\n`, 'inline.yaml');

/** The spec as the agent receives it: from the scenario, through the runner, across the command line. */
function specAtTheAgent(timeout: string, port = 1): AgentSpec {
  return decodeAgentSpec(encodeAgentSpec({ ...agentLoadOf(scenarioWithTimeout(timeout)), host: '127.0.0.1', port }));
}

describe('the request timeout survives the trip to the agent at full resolution', () => {
  it.each([
    ['1400ms', 1400],
    ['300ms', 300],
    ['10s', 10_000],
    ['1ms', 1],
  ])('%s is %d ms in the agent', (timeout, ms) => {
    const spec = specAtTheAgent(timeout);
    expect(spec.timeoutUs).toBe(ms * 1000);
    expect(clientTimeoutMs(spec)).toBe(ms);
  });

  it('refuses a timeout finer than the agent’s 1 ms timer resolution', () => {
    let details: readonly string[] = [];
    try {
      scenarioWithTimeout('1500us');
    } catch (error) {
      details = (error as BenchError).details;
    }
    expect(details).toHaveLength(1);
    expect(details[0]).toMatch(/load\.timeout: expected whole milliseconds of at least 1ms/);
  });

  describe('in autocannon’s client', () => {
    let server: Server;
    let port: number;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      // Accepts and never answers.
      server = createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('arms a 300 ms timeout as 300 ms (it used to be rounded up to 1 s)', async () => {
      let created: InstanceType<typeof Client> | undefined;
      const startedMs = performance.now();
      const client = new Client(clientOptions(specAtTheAgent('300ms', port), (c) => (created = c)));
      expect(created?.timeout).toBe(300);
      const firedAfterMs = await new Promise<number>((resolve) => client.once('timeout', () => resolve(performance.now() - startedMs)));
      client.destroy();
      // Timers fire no earlier than asked; well under the 1000 ms the old rounding gave.
      expect(firedAfterMs).toBeGreaterThanOrEqual(299);
      expect(firedAfterMs).toBeLessThan(900);
    });
  });
});
