import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFixtureResults } from '../../src/report/fixtures.js';
import type { Results, TrialRecord } from '../../src/results/index.js';
import { parseScenario } from '../../src/scenario/index.js';
import { PROJECT_DIR, runCli } from '../support/cli.js';

const ROUNDS = 14;

/**
 * A fixture run made into an A/A pair: "sidecar-baseline" is the sidecar arm's own trials shifted
 * by one round, so the two sides differ by ordinary round-to-round noise.
 */
function pairedFixture(): Results {
  const fixture = makeFixtureResults({ rounds: ROUNDS });
  const sidecar = fixture.trials.filter((trial) => trial.topology === 'sidecar');
  const twins: TrialRecord[] = sidecar.map((trial, index) => ({ ...(sidecar[(index + 1) % sidecar.length] as TrialRecord), topology: 'sidecar-baseline', round: trial.round }));
  const record = fixture.topologies.find((topology) => topology.name === 'sidecar');
  if (!record) throw new Error('the fixture has no sidecar topology');
  return {
    ...fixture,
    topologies: [...fixture.topologies, { ...record, name: 'sidecar-baseline' }],
    pairing: { suffix: '-baseline', baselineScenario: { name: fixture.scenario.name } },
    trials: [...fixture.trials, ...twins],
  };
}

async function write(results: Results): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sidecar-bench-tolerances-'));
  const path = join(dir, 'results.json');
  await writeFile(path, JSON.stringify(results));
  return path;
}

describe('sidecar-bench tolerances (built CLI, results.json fixtures, no containers)', () => {
  it('plans every default check of the paired arm and prints gates.regressions a scenario file accepts', async () => {
    const path = await write(pairedFixture());
    const cli = await runCli(['tolerances', path, '--simulations', '200']);
    expect(cli.exitCode, cli.all).toBe(0);
    for (const check of ['latency p50', 'latency p99', 'rps', 'sidecar-vcpu-per-1k-rps', 'sidecar-rss']) expect(cli.stdout).toContain(`| sidecar | ${check} | ${ROUNDS} |`);
    expect(cli.stdout).toContain('rounds 6…30');
    expect(cli.stdout).toContain('at 10 %: pass / fail / inconclusive');
    const yaml = cli.stdout.slice(cli.stdout.indexOf('# Put under your scenario'));
    expect(yaml).toContain('# rounds: { min: 6, max: 30 }');
    expect(yaml).toContain('metric: error-rate');
    // Put under gates: as the comment says, the regressions load (the scenario schema checks every field).
    // gate-check.yaml's fixed trials give way to the adaptive rounds the plan was made for.
    const base = (await readFile(join(PROJECT_DIR, 'scenarios/gate-check.yaml'), 'utf8')).replace(/^trials: \d+\n/m, '');
    const indented = yaml.split('\n').map((line) => (line ? `  ${line}` : line)).join('\n');
    const scenario = parseScenario(`${base.slice(0, base.indexOf('gates:'))}gates:\n  rounds: { min: 6, max: 30 }\n${indented}`, 'pasted.yaml');
    expect(scenario.gates.regressions?.map((gate) => gate.metric)).toEqual(['latency', 'latency', 'rps', 'sidecar-vcpu-per-1k-rps', 'sidecar-rss', 'error-rate']);
    // The same seed gives the same answer.
    const again = await runCli(['tolerances', path, '--simulations', '200']);
    expect(again.stdout).toBe(cli.stdout);
  });

  it('refuses a run that is not an A/A pair, and bad flags, with exit 2 and no stack trace', async () => {
    const single = await runCli(['tolerances', await write(makeFixtureResults({ rounds: ROUNDS }))]);
    expect(single.exitCode).toBe(2);
    expect(single.stderr).toContain('is not an A/A run');
    expect(single.stderr).toContain('--interleave-with');
    const path = await write(pairedFixture());
    const power = await runCli(['tolerances', path, '--power', 'lots']);
    expect(power.exitCode).toBe(2);
    expect(power.stderr).toContain('--power: expected a percentage');
    const rounds = await runCli(['tolerances', path, '--min-rounds', '12', '--max-rounds', '8']);
    expect(rounds.exitCode).toBe(2);
    expect(rounds.stderr).toContain('--max-rounds');
    for (const run of [single, power, rounds]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
