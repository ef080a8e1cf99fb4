import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { parseScenario } from './load-scenario.js';

const BASE = ['arms:', '  - { name: short, topology: sidecar, proxy: { routeTimeout: 50ms } }', '  - { name: long, topology: sidecar }', 'proxy: { profile: haproxy, routeTimeout: 2s }', 'load:', '  connections: 4', '  duration: 5s', ''].join('\n');

function message(text: string): string {
  try {
    parseScenario(text, 'faults.yaml');
  } catch (error) {
    if (error instanceof BenchError) return [error.message, ...error.details].join('\n');
    throw error;
  }
  throw new Error('accepted');
}

describe('scenario fields of the fault scenarios', () => {
  it('proxy.routeTimeout, per scenario and per arm, in µs', () => {
    const scenario = parseScenario(BASE, 'faults.yaml');
    expect(scenario.proxy.routeTimeoutUs).toBe(2_000_000);
    expect(scenario.arms.map((arm) => [arm.name, arm.proxy?.routeTimeoutUs])).toEqual([
      ['short', 50_000],
      ['long', 2_000_000],
    ]);
  });

  it('refuses a route timeout that is not whole milliseconds', () => {
    expect(message(BASE.replace('routeTimeout: 2s', 'routeTimeout: 1500us'))).toMatch(/proxy\.routeTimeout.*expected whole milliseconds/s);
  });

  it('gates.findings.failOn: finding names, deduplicated; an unknown name is refused with the list', () => {
    const scenario = parseScenario(`${BASE}gates:\n  findings: { failOn: [oom-killed, port-exhaustion, oom-killed] }\n`, 'faults.yaml');
    expect(scenario.gates.findings).toEqual({ failOn: ['oom-killed', 'port-exhaustion'] });
    expect(parseScenario(BASE, 'faults.yaml').gates.findings).toBeUndefined();
    expect(message(`${BASE}gates:\n  findings: { failOn: [oom] }\n`)).toMatch(/gates\.findings\.failOn\[0\]: unknown finding "oom"; expected one of upstream-timeout, upstream-connect-error, oom-killed/s);
  });
});
