import type { z } from 'zod';
import { trialsForConfidence } from '../analysis/statistics.js';
import { sequentialDesign } from '../analysis/sequential.js';
import { REFERENCE_TOPOLOGY, whyGateCannotApply, type ArmFacts } from './gate-applicability.js';
import type { GatesFile } from './gates-schema.js';

type GateEntry = GatesFile['thresholds'][number] | NonNullable<GatesFile['regressions']>[number];

/** The parts of a scenario file the gate checks read. */
interface GatedFile {
  /** The run's arms (one per topology in the simple form), and whether each has a sidecar. */
  arms: readonly ArmFacts[];
  /** The arm overheads are measured against (the app-only arm); absent when the run has none. */
  reference?: string;
  trials: number;
  gates: GatesFile;
}

/**
 * Refuses, when the scenario loads, every gate that could never be judged: a sidecar metric on a
 * topology without a sidecar, an overhead without the reference topology, a "*" that matches no
 * topology, and thresholds on fewer trials than the gate's confidence interval needs. A gate the
 * run cannot judge would otherwise only show up after the whole run, as "not evaluated".
 */
export function checkGateApplicability(file: GatedFile, ctx: z.RefinementCtx): void {
  const sections = [
    ['thresholds', file.gates.thresholds],
    ['regressions', file.gates.regressions ?? []],
  ] as const;
  const names = file.arms.map((arm) => arm.name);
  const hasSidecarByName = new Map(file.arms.map((arm) => [arm.name, arm.hasSidecar]));
  for (const [section, entries] of sections) {
    entries.forEach((entry: GateEntry, index) => {
      const at = (field: string) => ['gates', section, index, field];
      if (entry.metric === 'overhead' && file.reference === undefined) {
        ctx.addIssue({ code: 'custom', path: at('metric'), message: `overhead is measured against ${REFERENCE_TOPOLOGY}, which this scenario does not run; add ${REFERENCE_TOPOLOGY} to topologies (or an arm of topology ${REFERENCE_TOPOLOGY})` });
        return;
      }
      const named = entry.topology === '*' ? names : [entry.topology];
      // Unknown names are reported by the schema's own check; judge only the arms of the run.
      const reasons = named.filter((name) => hasSidecarByName.has(name)).map((name) => whyGateCannotApply(entry, { name, hasSidecar: hasSidecarByName.get(name) as boolean }, file.reference));
      if (entry.topology !== '*' && reasons[0]) {
        ctx.addIssue({ code: 'custom', path: at('topology'), message: `${entry.metric} can never apply here: ${reasons[0]}` });
      } else if (entry.topology === '*' && reasons.length > 0 && reasons.every((reason) => reason !== undefined)) {
        ctx.addIssue({ code: 'custom', path: at('metric'), message: `${entry.metric} applies to none of this scenario's topologies: ${reasons.join('; ')}` });
      }
    });
  }
  const { rounds } = file.gates;
  // Adaptive rounds: the sequential design must be able to bound a median by its last look.
  if (rounds && rounds.min <= rounds.max && sequentialDesign(rounds.min, rounds.max, file.gates.confidence).ranks[rounds.max] === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['gates', 'rounds', 'max'],
      message: `${rounds.max} rounds are too few for the sequential gate to decide anything at ${file.gates.confidence * 100} % confidence; raise max or lower gates.confidence`,
    });
  }
  const needed = trialsForConfidence(file.gates.confidence);
  if (!rounds && file.gates.thresholds.length > 0 && file.trials < needed) {
    const reached = (1 - 2 * 0.5 ** file.trials) * 100;
    ctx.addIssue({
      code: 'custom',
      path: ['trials'],
      message: `gates.thresholds need at least ${needed} trials for a ${file.gates.confidence * 100} % confidence interval (${file.trials} reach at most ${reached.toFixed(1)} %); raise trials or lower gates.confidence`,
    });
  }
}
