import type { FindingKind } from './catalog.js';

/** One piece of evidence: what was seen, in which arm and trial, when, and how much. */
export interface FindingEvidence {
  /** The arm (topology) the trial ran. */
  arm: string;
  /** The trial's round (0-based, as in results.json). */
  round: number;
  /** What was read, e.g. "load.statusCodes[504]" or "pods.loadgen.tcp.TIME_WAIT". */
  metric: string;
  /** Epoch ms the evidence spans (the trial's samples, or its measured window); absent for a failed trial. */
  window?: { startEpochMs: number; endEpochMs: number };
  /** The figures, named with their units, e.g. { responses504: 412, attempts: 9000 }. */
  values: Record<string, number | string>;
  /** Lines the proxies or the runner logged, verbatim (a few). */
  logLines?: string[];
}

/** A symptom of the seed's troubleshooting matrix, seen in a run, with its evidence. */
export interface Finding {
  kind: FindingKind;
  /** The symptom in the seed's words. */
  symptom: string;
  /** Arms it was seen in, in the run's order. */
  arms: string[];
  /** The strongest evidence first; at most a few entries per arm. */
  evidence: FindingEvidence[];
  /** What a person would run in a cluster to see it. */
  verify: string;
  remedy: string;
}
