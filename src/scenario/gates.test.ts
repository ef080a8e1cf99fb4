import { describe, expect, it } from 'vitest';
import { isBenchError, type BenchError } from '../errors.js';
import { parseScenario } from './load-scenario.js';

const BASE = 'topologies: [app-only, sidecar]\nload: { connections: 4, duration: 2s }\n';

function rejection(text: string): BenchError {
  try {
    parseScenario(text, 'gates.yaml');
  } catch (error) {
    if (isBenchError(error)) return error;
    throw error;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('gates in a scenario', () => {
  it('rejects a gate on a topology the scenario does not run, and a proxy version that is not pinned', () => {
    const error = rejection(`${BASE}proxy: { profile: envoy, version: 1.28.0 }\ngates:\n  thresholds:\n    - { topology: mtls, metric: rps, min: 1 }\n    - { topology: sidecar, metric: throughput-drop, vs: sidcar, max: 15% }\n`);
    expect(error.details).toStrictEqual([
      'gates.yaml:3:35  proxy.version: envoy 1.28.0 is not pinned; pinned: 1.40.0, 1.36.2',
      'gates.yaml:6:19  gates.thresholds[0].topology: "mtls" is not one of this scenario\'s topologies (app-only, sidecar) or "*"',
      'gates.yaml:7:57  gates.thresholds[1].vs: "sidcar" is not one of this scenario\'s topologies (app-only, sidecar)',
    ]);
  });

  it('resolves thresholds to base units and keeps the text as written', () => {
    const scenario = parseScenario(
      `${BASE}gates:\n  thresholds:\n    - { topology: sidecar, metric: overhead, statistic: p99, max: 2ms }\n    - { metric: sidecar-rss, max: 512MiB }\n    - { metric: error-rate, max: 0.1% }\n    - { metric: sidecar-vcpu-per-1k-rps, max: 0.5 }\n`,
      'gates.yaml',
    );
    expect(scenario.gates.inconclusive).toBe('pass');
    expect(scenario.gates.confidence).toBe(0.95);
    expect(scenario.gates.thresholds.map(({ topology, metric, bound, limit, limitText }) => ({ topology, metric, bound, limit, limitText }))).toStrictEqual([
      { topology: 'sidecar', metric: 'overhead', bound: 'max', limit: 2000, limitText: '2ms' },
      { topology: '*', metric: 'sidecar-rss', bound: 'max', limit: 512 * 1024 ** 2, limitText: '512MiB' },
      { topology: '*', metric: 'error-rate', bound: 'max', limit: 0.001, limitText: '0.1%' },
      { topology: '*', metric: 'sidecar-vcpu-per-1k-rps', bound: 'max', limit: 0.5, limitText: '0.5' },
    ]);
    expect(scenario.gates.regressions).toBeUndefined();
  });

  it('resolves regressions with their tolerance and floor', () => {
    const scenario = parseScenario(`${BASE}gates:\n  inconclusive: fail\n  regressions:\n    - { metric: latency, statistic: p99, tolerance: 5%, floor: 100us }\n`, 'gates.yaml');
    expect(scenario.gates.inconclusive).toBe('fail');
    expect(scenario.gates.regressions).toMatchObject([{ metric: 'latency', statistic: 'p99', toleranceShare: 0.05, floor: 100 }]);
  });

  it('names file, line and field for a limit in the wrong unit, a missing statistic, an unknown metric and a doubled bound', () => {
    const error = rejection(
      `${BASE}gates:\n  thresholds:\n    - { metric: overhead, statistic: p99, max: 2MiB }\n    - { metric: latency, max: 100ms }\n    - { metric: speed, max: 1 }\n    - { metric: rps, max: 1, min: 0 }\n`,
    );
    expect(error.details).toStrictEqual([
      'gates.yaml:5:48  gates.thresholds[0].max: expected a duration like "2ms" or "500us" for metric overhead',
      'gates.yaml:6:7  gates.thresholds[1].statistic: metric latency needs a statistic (p50, p90, p99, p99.9 or max)',
      'gates.yaml:7:17  gates.thresholds[2].metric: unknown metric "speed"; expected one of latency, overhead, rps, throughput-drop, sidecar-vcpu-per-1k-rps, sidecar-rss, ctx-switches-per-second-per-core, error-rate, oom-kills',
      'gates.yaml:8:7  gates.thresholds[3]: give exactly one of max or min',
    ]);
  });

  it('refuses, naming the field, gates that can never apply: a sidecar metric on app-only, overhead without app-only, "*" matching nothing', () => {
    const onAppOnly = rejection(`${BASE}gates:\n  thresholds:\n    - { topology: app-only, metric: sidecar-rss, max: 512MiB }\n    - { topology: app-only, metric: overhead, statistic: p99, max: 2ms }\n`);
    expect(onAppOnly.details).toStrictEqual([
      'gates.yaml:5:19  gates.thresholds[0].topology: sidecar-rss can never apply here: app-only has no sidecar and sidecar-rss reads a sidecar',
      'gates.yaml:6:19  gates.thresholds[1].topology: overhead can never apply here: app-only is the reference overhead is measured against (its overhead is 0 by definition)',
    ]);
    const noReference = rejection('topologies: [sidecar]\nload: { connections: 4, duration: 2s }\ngates:\n  regressions:\n    - { metric: overhead, statistic: p50 }\n');
    expect(noReference.details).toStrictEqual(['gates.yaml:5:17  gates.regressions[0].metric: overhead is measured against app-only, which this scenario does not run; add app-only to topologies (or an arm of topology app-only)']);
    const nothing = rejection('topologies: [app-only]\nload: { connections: 4, duration: 2s }\ngates:\n  thresholds:\n    - { metric: sidecar-vcpu-per-1k-rps, max: 0.5 }\n    - { metric: ctx-switches-per-second-per-core, role: app, max: 5000 }\n');
    expect(nothing.details).toStrictEqual([
      'gates.yaml:5:17  gates.thresholds[0].metric: sidecar-vcpu-per-1k-rps applies to none of this scenario\'s topologies: app-only has no sidecar and sidecar-vcpu-per-1k-rps reads a sidecar',
    ]);
  });

  it('refuses thresholds on fewer trials than the gate\'s interval needs; the default trial count (6) supports a 95 % interval', () => {
    const few = rejection(`${BASE}trials: 3\ngates:\n  thresholds:\n    - { metric: error-rate, max: 0.1% }\n`);
    expect(few.details).toStrictEqual(['gates.yaml:3:9  trials: gates.thresholds need at least 6 trials for a 95 % confidence interval (3 reach at most 75.0 %); raise trials or lower gates.confidence']);
    const stricter = rejection(`${BASE}trials: 6\ngates:\n  confidence: 0.99\n  thresholds:\n    - { metric: error-rate, max: 0.1% }\n`);
    expect(stricter.details).toStrictEqual(['gates.yaml:3:9  trials: gates.thresholds need at least 8 trials for a 99 % confidence interval (6 reach at most 96.9 %); raise trials or lower gates.confidence']);
    const defaulted = parseScenario(`${BASE}gates:\n  thresholds:\n    - { metric: error-rate, max: 0.1% }\n`, 'gates.yaml');
    expect(defaulted.trials).toBe(6);
  });

  it('resolves adaptive rounds: defaults 6…30, a time budget in µs, and trials set to the minimum', () => {
    const scenario = parseScenario(`${BASE}gates:\n  rounds: { budget: 20m }\n`, 'gates.yaml');
    expect(scenario.gates.rounds).toStrictEqual({ min: 6, max: 30, budgetUs: 20 * 60e6 });
    expect(scenario.trials).toBe(6);
    expect(parseScenario(`${BASE}gates:\n  rounds: { min: 8, max: 12 }\n`, 'gates.yaml').gates.rounds).toStrictEqual({ min: 8, max: 12 });
    expect(parseScenario(`${BASE}trials: 6\n`, 'gates.yaml').gates.rounds).toBeUndefined();
  });

  it('refuses rounds that cannot work, and trials beside gates.rounds', () => {
    expect(rejection(`${BASE}gates:\n  rounds: { min: 12, max: 8, budget: soon }\n`).details).toStrictEqual([
      'gates.yaml:4:38  gates.rounds.budget: expected a positive duration like "20m" or "1h"',
      'gates.yaml:4:27  gates.rounds.max: min must not exceed max',
    ]);
    expect(rejection(`${BASE}gates:\n  rounds: { min: 1 }\n`).details).toStrictEqual(['gates.yaml:4:18  gates.rounds.min: expected a whole number of rounds from 2 to 100']);
    expect(rejection(`${BASE}gates:\n  rounds: { min: 3, max: 5 }\n`).details).toStrictEqual([
      'gates.yaml:4:26  gates.rounds.max: 5 rounds are too few for the sequential gate to decide anything at 95 % confidence; raise max or lower gates.confidence',
    ]);
    // The fixed-trials minimum does not apply: the design decides when it can (8 rounds at 99 %).
    expect(parseScenario(`${BASE}gates:\n  confidence: 0.99\n  rounds: { min: 6, max: 30 }\n  thresholds:\n    - { metric: error-rate, max: 0.1% }\n`, 'gates.yaml').gates.rounds).toStrictEqual({ min: 6, max: 30 });
    expect(rejection(`${BASE}trials: 6\ngates:\n  rounds: { min: 6, max: 30 }\n`).details).toStrictEqual([
      'gates.yaml:3:9  trials: give either trials (a fixed count) or gates.rounds (adaptive: min…max), not both',
    ]);
  });
});
