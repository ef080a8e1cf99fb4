import { sequentialDesign, sequentialMedian, sequentialShift, type SequentialDesign } from '../analysis/sequential.js';
import { estimateShift } from '../analysis/shift.js';
import { estimateMedian, type MedianEstimate } from '../analysis/statistics.js';
import type { GatesSpec } from '../scenario/scenario.js';

/**
 * How a gate turns per-round figures into intervals: fixed-size order-statistics intervals for a
 * run of a set number of rounds, or the sequential design's (src/analysis/sequential.ts) for a run
 * that adds rounds until its checks decide (gates.rounds).
 */
export interface IntervalRule {
  confidence: number;
  /** One sample, in round order: per-round figures of an arm, or per-round differences. */
  median(inRoundOrder: readonly number[]): MedianEstimate;
  /** Candidate − baseline shift between two separate runs (candidate rounds in round order). */
  shift(candidateInRoundOrder: readonly number[], baseline: readonly number[]): MedianEstimate;
  /** Present for adaptive rounds. */
  design?: SequentialDesign;
}

/** The fixed-size intervals of statistics.ts and shift.ts. */
export function fixedIntervals(confidence: number): IntervalRule {
  return { confidence, median: (values) => estimateMedian(values, confidence), shift: (candidate, baseline) => estimateShift(candidate, baseline, confidence) };
}

/** The rule a scenario's gates call for: sequential when gates.rounds is set. */
export function intervalRule(gates: GatesSpec): IntervalRule {
  if (!gates.rounds) return fixedIntervals(gates.confidence);
  const design = sequentialDesign(gates.rounds.min, gates.rounds.max, gates.confidence);
  return {
    confidence: gates.confidence,
    median: (values) => sequentialMedian(values, design),
    shift: (candidate, baseline) => sequentialShift(candidate, baseline, design),
    design,
  };
}

/** A round → value map with its rounds in ascending order (the order the sequential looks saw them). */
export function sortedByRound(byRound: ReadonlyMap<number, number>): Map<number, number> {
  return new Map([...byRound].sort(([a], [b]) => a - b));
}

/** The values of a round → value map in round order. */
export function inRoundOrder(byRound: ReadonlyMap<number, number>): number[] {
  return [...sortedByRound(byRound).values()];
}
