import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { parseScenario } from './load-scenario.js';

const FILE = 'capacity.yaml';
const OPEN = ['topologies: [app-only, sidecar]', 'load:', '  model: open', '  duration: 2s'];

function problems(lines: string[]): readonly string[] {
  try {
    parseScenario(lines.join('\n'), FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(BenchError);
    return (error as BenchError).details;
  }
  throw new Error('expected parseScenario to throw');
}

describe('sweep: scenarios', () => {
  it('resolves a list of rates, ascending, with the default SLO; the load starts at the lowest', () => {
    const scenario = parseScenario([...OPEN, 'sweep:', '  rates: [2000/s, 500/s, 1000/s]'].join('\n'), FILE);
    expect(scenario.sweep).toEqual({ kind: 'rates', ratesPerSecond: [500, 1000, 2000], slo: { p99Us: 10_000, maxErrorRate: 0.001 } });
    expect(scenario.load).toMatchObject({ model: 'open', ratePerSecond: 500 });
  });

  it('resolves an adaptive search with its SLO and a pool that grows with the rate', () => {
    const scenario = parseScenario([...OPEN, 'sweep:', '  search: { from: 250/s, to: 16000/s, steps: 6 }', '  connectionsPer1kRps: 8', '  slo: { p99: 5ms, errorRate: 1% }'].join('\n'), FILE);
    expect(scenario.sweep).toEqual({ kind: 'search', fromRps: 250, toRps: 16_000, maxSteps: 6, factor: 2, resolutionShare: 0.1, connectionsPer1kRps: 8, slo: { p99Us: 5000, maxErrorRate: 0.01 } });
  });

  it('says everything wrong with a sweep at once, naming each field', () => {
    const found = problems([
      'topologies: [app-only]',
      'load: { model: closed, connections: 4, duration: 2s }',
      'gates: { rounds: { min: 6, max: 10 } }',
      'sweep:',
      '  rates: [1000/s, 1000/s, fast]',
      '  slo: { p99: soon, errorRate: 100% }',
    ]);
    const text = found.join('\n');
    expect(text).toMatch(/sweep\.rates\[2\]: expected a rate/);
    expect(text).toMatch(/sweep\.slo\.p99: expected a duration/);
    expect(text).toMatch(/sweep\.slo\.errorRate: expected an error-rate limit as a percentage below 100 %/);
  });

  it('refuses a sweep on the closed model, beside adaptive rounds, or with load.rate', () => {
    const closed = problems(['topologies: [app-only]', 'load: { model: closed, connections: 4, duration: 2s }', 'sweep: { rates: [1000/s, 2000/s] }']).join('\n');
    expect(closed).toMatch(/sweep: a rate sweep needs load\.model: open/);
    const withRate = problems([...OPEN, '  rate: 1000/s', 'sweep: { rates: [1000/s, 2000/s] }']).join('\n');
    expect(withRate).toMatch(/load\.rate: a sweep sets the rate of every step/);
    const rounds = problems([...OPEN, 'gates: { rounds: { min: 6, max: 10 } }', 'sweep: { rates: [1000/s, 2000/s] }']).join('\n');
    expect(rounds).toMatch(/gates\.rounds: adaptive rounds and a rate sweep do not combine/);
  });

  it('refuses fresh pods beside a sweep or eBPF interception, and outside 2…100 rounds; takes them otherwise', () => {
    const sweep = problems([...OPEN, 'freshPodsEvery: 3', 'sweep: { rates: [1000/s, 2000/s] }']).join('\n');
    expect(sweep).toMatch(/freshPodsEvery: fresh pods and a rate sweep do not combine/);
    const ebpf = problems(['topologies: [app-only, ebpf]', 'load: { model: open, rate: 100/s, duration: 2s }', 'freshPodsEvery: 3']).join('\n');
    expect(ebpf).toMatch(/freshPodsEvery: fresh pods are not supported with eBPF interception \(ebpf:/);
    expect(problems([...OPEN, '  rate: 100/s', 'freshPodsEvery: 1']).join('\n')).toMatch(/freshPodsEvery: expected a whole number/);
    expect(parseScenario([...OPEN, '  rate: 100/s', 'freshPodsEvery: 4'].join('\n'), FILE).freshPodsEvery).toBe(4);
    expect(parseScenario([...OPEN, '  rate: 100/s'].join('\n'), FILE).freshPodsEvery).toBeUndefined();
  });

  it('wants exactly one of rates and search, distinct rates, and search.to above search.from', () => {
    expect(problems([...OPEN, 'sweep: { slo: { p99: 10ms } }']).join('\n')).toMatch(/sweep: give either rates \(a list\) or search/);
    expect(problems([...OPEN, 'sweep: { rates: [1000/s, 1000/s] }']).join('\n')).toMatch(/sweep\.rates: a rate is listed twice/);
    expect(problems([...OPEN, 'sweep: { search: { from: 2000/s, to: 1000/s } }']).join('\n')).toMatch(/sweep\.search\.to: expected a rate above search\.from/);
  });

  it('still requires load.rate on the open model without a sweep', () => {
    expect(problems(OPEN).join('\n')).toMatch(/load\.rate: missing; expected a rate like "1000\/s"/);
  });
});
