/**
 * A rate sweep (scenario sweep:): a sequence of steps, each an interleaved round set (runTrials)
 * over the arms still sweeping, each arm at the rate its own planner chose. After every step each
 * arm's trials are judged against the SLO; an arm past it stops while the others go on.
 */
import { judgeTrials } from '../analysis/sweep-steps.js';
import type { AgentSpec } from '../load/agent-protocol.js';
import type { SweepRecord, TrialRecord } from '../results/schema.js';
import type { SweepSpec } from '../scenario/index.js';
import { createSweepPlanner, describeSweepStop, type SweepPlanner } from './sweep-planner.js';
import { runTrials, type TrialsOptions } from './run-trials.js';

export interface SweepOptions extends Omit<TrialsOptions, 'rounds' | 'adaptive' | 'step' | 'loadFor'> {
  sweep: SweepSpec;
  /** Interleaved rounds per step (the scenario's trials). */
  roundsPerStep: number;
  /** Receives the sweep record as it grows, so an interrupted run keeps the steps it took. */
  onRecord?: (record: SweepRecord) => void;
}

/** The pool for a step: load.connections, or ceil(rate/1000 · connectionsPer1kRps) when the pool grows with the rate. */
export function stepConnections(sweep: SweepSpec, rateRps: number, fixed: number): number {
  return sweep.connectionsPer1kRps === undefined ? fixed : Math.max(1, Math.ceil((rateRps / 1000) * sweep.connectionsPer1kRps));
}

export async function runSweep(options: SweepOptions): Promise<SweepRecord> {
  const { sweep } = options;
  const arms = options.topologies.map((topology) => ({ topology, planner: createSweepPlanner(sweep) as SweepPlanner, steps: [] as SweepRecord['arms'][number]['steps'] }));
  const record = (): SweepRecord => ({
    slo: { ...sweep.slo },
    arms: arms.map((arm) => ({ arm: arm.topology.plan.arm, steps: [...arm.steps], stop: failed.has(arm.topology.plan.arm) ? 'a container was OOMKilled' : describeSweepStop(arm.planner.stop) })),
  });
  let firstRound = 0;
  // An arm whose container was OOMKilled has no pod left: it takes no further step (run-trials.ts).
  const failed = new Set<string>();
  for (let step = 0; ; step++) {
    const loads = new Map<string, Omit<AgentSpec, 'host' | 'port'>>();
    const active = arms.filter((arm) => {
      if (failed.has(arm.topology.plan.arm)) return false;
      const rate = arm.planner.next();
      if (rate === undefined) return false;
      const connections = stepConnections(sweep, rate, options.load.connections);
      loads.set(arm.topology.plan.arm, { ...options.load, ratePerSecond: rate, connections });
      arm.steps.push({ step, targetRps: rate, connections });
      return true;
    });
    if (active.length === 0) break;
    options.onRecord?.(record());
    const stepTrials: TrialRecord[] = [];
    await runTrials({
      ...options,
      topologies: active.map((arm) => arm.topology),
      rounds: options.roundsPerStep,
      // The pods are warm after the first step; later steps have the trial's own load warm-up.
      warmupRounds: step === 0 ? (options.warmupRounds ?? 0) : 0,
      step: { index: step, firstRound },
      loadFor: (arm) => loads.get(arm) ?? options.load,
      onArmFailed: (arm, trial) => {
        failed.add(arm);
        options.onArmFailed?.(arm, trial);
      },
      onTrial: (trial) => {
        stepTrials.push(trial);
        options.onTrial(trial);
      },
    });
    firstRound += options.roundsPerStep;
    for (const arm of active) {
      const name = arm.topology.plan.arm;
      if (failed.has(name)) continue;
      const rate = loads.get(name)?.ratePerSecond as number;
      const judgement = judgeTrials(rate, stepTrials.filter((trial) => trial.topology === name), sweep.slo);
      arm.planner.record(judgement);
      const verdict = judgement.meets ? 'meets' : 'misses';
      options.progress.info(`${name} at ${rate}/s: ${verdict} the SLO (P99 ${(judgement.p99Us.median / 1000).toFixed(2)} ms median, ${judgement.sustainedTrials}/${judgement.trials} trials kept the rate)`);
    }
  }
  const done = record();
  options.onRecord?.(done);
  for (const arm of done.arms) options.progress.info(`${arm.arm}: ${arm.stop} after ${arm.steps.length} step(s)`);
  return done;
}
