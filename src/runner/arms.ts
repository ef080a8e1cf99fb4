import type { CalibrationPlan } from '../results/schema.js';
import type { Scenario } from '../scenario/index.js';
import { hasSidecar, TOPOLOGY_DESCRIPTIONS, type TopologyName } from '../topology/index.js';

/** One measured thing in a run: a topology, possibly with a calibration delay in its server sidecar. */
export interface Arm {
  name: string;
  topology: TopologyName;
  description: string;
  calibrationDelayUs?: number;
  /** Whose proxy and mTLS settings the arm runs with (the baseline side of a paired run); default the run's scenario. */
  settingsFrom?: Scenario;
}

/** An ordinary run: one arm per scenario topology, named after it. */
export function scenarioArms(scenario: Scenario): Arm[] {
  return scenario.topologies.map((topology) => ({ name: topology, topology, description: TOPOLOGY_DESCRIPTIONS[topology] }));
}

export const BASELINE_ARM_SUFFIX = '-baseline';

/**
 * A candidate and a baseline configuration in one run: each topology without a proxy (app-only) once (it is the
 * same for both), and each other topology twice, as the candidate (its own name) and as the baseline
 * (name + "-baseline"), next to each other in every round. Both sides see the same machine at the
 * same time, so their difference is the change, not drift.
 */
export function pairedArms(candidate: Scenario, baseline: Scenario): Arm[] {
  return candidate.topologies.flatMap((topology): Arm[] => {
    const own = { name: topology, topology, description: `${TOPOLOGY_DESCRIPTIONS[topology]} (candidate: ${candidate.sourceFile})` };
    // Without a proxy the arm is the same on both sides: it runs once.
    if (!hasSidecar(topology)) return [{ ...own, description: TOPOLOGY_DESCRIPTIONS[topology] }];
    return [
      { name: `${topology}${BASELINE_ARM_SUFFIX}`, topology, description: `${TOPOLOGY_DESCRIPTIONS[topology]} (baseline: ${baseline.sourceFile})`, settingsFrom: baseline },
      own,
    ];
  });
}

export const CALIBRATION_REFERENCE_ARM = 'calibration-d0';
export const CALIBRATION_AA_ARM = 'calibration-aa';

function delayLabel(delayUs: number): string {
  return delayUs % 1000 === 0 ? `${delayUs / 1000}ms` : `${delayUs}us`;
}

/**
 * Calibration arms over one topology: D = 0 (the reference), D = 0 again (the A/A check: the
 * harness must not see a difference where there is none), and one arm per delay.
 */
export function calibrationArms(topology: TopologyName, delaysUs: readonly number[]): { arms: Arm[]; plan: CalibrationPlan } {
  const base = TOPOLOGY_DESCRIPTIONS[topology];
  const delayed = delaysUs.map((delayUs) => ({
    name: `calibration-d${delayLabel(delayUs)}`,
    topology,
    description: `${base}; server sidecar holds each request ${delayLabel(delayUs)}`,
    calibrationDelayUs: delayUs,
  }));
  const arms: Arm[] = [
    { name: CALIBRATION_REFERENCE_ARM, topology, description: `${base}; calibration path, no delay (reference)`, calibrationDelayUs: 0 },
    { name: CALIBRATION_AA_ARM, topology, description: `${base}; calibration path, no delay (A/A check)`, calibrationDelayUs: 0 },
    ...delayed,
  ];
  return {
    arms,
    plan: { referenceArm: CALIBRATION_REFERENCE_ARM, aaArm: CALIBRATION_AA_ARM, delayedArms: delayed.map((arm) => ({ arm: arm.name, delayUs: arm.calibrationDelayUs })) },
  };
}

/** Two scenarios can be interleaved only if they measure the same topologies under the same load. */
export function pairingProblems(candidate: Scenario, baseline: Scenario): string[] {
  const problems: string[] = [];
  if (candidate.topologies.join(',') !== baseline.topologies.join(',')) {
    problems.push(`topologies differ: ${candidate.sourceFile} has [${candidate.topologies.join(', ')}], ${baseline.sourceFile} has [${baseline.topologies.join(', ')}]`);
  }
  if (JSON.stringify(candidate.load) !== JSON.stringify(baseline.load)) problems.push(`load differs between ${candidate.sourceFile} and ${baseline.sourceFile}: both sides must see the same load`);
  if (JSON.stringify(candidate.app) !== JSON.stringify(baseline.app)) problems.push(`app differs between ${candidate.sourceFile} and ${baseline.sourceFile}: app-only is shared by both sides`);
  return problems;
}
