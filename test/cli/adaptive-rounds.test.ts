import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/index.js';
import { runScenarioText } from '../support/cli.js';
import { dockerForTests } from '../support/docker.js';

const dockerode = await dockerForTests();

// At confidence 0.6 the sequential design over 2…4 rounds can bound nothing at 2 rounds (one side
// would need P(0 of 2 below the median) = 1/4 ≤ its budget 0.2 · (2/4)^¼ = 0.168) but can at 3
// (1/8 ≤ 0.186): the error-rate check is inconclusive after the minimum and decides one round later.
const ADAPTIVE_SCENARIO = `name: cli-adaptive
topologies: [app-only]
load:
  connections: 4
  warmup: 500ms
  duration: 1s
gates:
  confidence: 0.6
  rounds: { min: 2, max: 4 }
  thresholds:
    - { metric: error-rate, max: 1% }
`;

describe.skipIf(!dockerode)('sidecar-bench run with adaptive rounds (built CLI, real containers)', () => {
  let results: Results;
  let output: string;
  let exitCode: number | undefined;
  let summaryMd: string;

  beforeAll(async () => {
    const made = await runScenarioText('adaptive', ADAPTIVE_SCENARIO);
    output = made.run.all;
    exitCode = made.run.exitCode;
    results = made.results;
    summaryMd = await readFile(join(made.reportDir, 'summary.md'), 'utf8');
  });

  it('adds a round while the check is inconclusive, then stops as soon as it decides', () => {
    expect(exitCode, output).toBe(0);
    expect(output).toContain('1 gate check still inconclusive after 2 rounds: adding round 3');
    expect(results.rounds).toEqual({ min: 2, max: 4, used: 3, stop: 'decided', detail: 'every check decided after 3 rounds' });
    expect(results.trials.map((trial) => [trial.topology, trial.round, trial.state])).toEqual([
      ['app-only', 0, 'ok'],
      ['app-only', 1, 'ok'],
      ['app-only', 2, 'ok'],
    ]);
  });

  it('says in summary.md how many rounds each arm took and why the run stopped', () => {
    expect(summaryMd).toContain('Rounds: 3 of 2…4 (adaptive: sequential gate) — every check decided after 3 rounds. Trials per arm: app-only 3.');
    expect(summaryMd).toContain('| ✅ | app-only: error-rate ≤ 1% |');
  });

  it('plans its wall time for the maximum rounds', () => {
    expect(output).toContain('planned wall time: (1 warm-up + 4) rounds × 1 topology');
  });
});
