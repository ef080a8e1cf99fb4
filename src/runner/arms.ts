import type { CalibrationPlan } from '../results/schema.js';
import { TOPOLOGY_DESCRIPTIONS, type Scenario, type TopologyName } from '../scenario/index.js';

/** One measured thing in a run: a topology, possibly with a calibration delay in its server sidecar. */
export interface Arm {
  name: string;
  topology: TopologyName;
  description: string;
  calibrationDelayUs?: number;
}

/** An ordinary run: one arm per scenario topology, named after it. */
export function scenarioArms(scenario: Scenario): Arm[] {
  return scenario.topologies.map((topology) => ({ name: topology, topology, description: TOPOLOGY_DESCRIPTIONS[topology] }));
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
