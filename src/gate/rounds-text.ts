import type { Results } from '../results/schema.js';

/**
 * How many rounds the run took and why it stopped, in one line for the gate's summary and report:
 * "Rounds: 9 of 6…30 (adaptive: sequential gate) — every check decided after 9 rounds. Trials per
 * arm: app-only 9, sidecar 9." A run of fixed size says so.
 */
export function describeRounds(results: Results): string {
  const perArm = new Map<string, number>();
  for (const trial of results.trials) if (trial.state === 'ok') perArm.set(trial.topology, (perArm.get(trial.topology) ?? 0) + 1);
  const arms = [...perArm].map(([arm, count]) => `${arm} ${count}`).join(', ');
  const armsText = arms ? ` Trials per arm: ${arms}.` : '';
  const { rounds } = results;
  if (!rounds) {
    const used = new Set(results.trials.map((trial) => trial.round)).size;
    return `Rounds: ${used} (fixed by the scenario's trials).${armsText}`;
  }
  return `Rounds: ${rounds.used} of ${rounds.min}…${rounds.max} (adaptive: sequential gate) — ${rounds.detail}.${armsText}`;
}
