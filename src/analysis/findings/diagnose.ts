import type { Results } from '../../results/schema.js';
import { FINDING_CATALOG, FINDING_KINDS } from './catalog.js';
import { DETECTORS } from './detectors.js';
import type { Finding, FindingEvidence } from './types.js';

/** Evidence entries kept per arm and finding: the report shows a few, not every round. */
const EVIDENCE_PER_ARM = 3;

/**
 * The seed's troubleshooting matrix applied to a run: a pure function of results.json. Every
 * measured trial (ok or failed) goes through every detector; a finding lists the arms it was
 * seen in and a few pieces of evidence per arm, in the catalog's order. A healthy run gives [].
 */
export function diagnose(results: Pick<Results, 'trials' | 'topologies'>): Finding[] {
  const armOrder = new Map(results.topologies.map((topology, index) => [topology.name, index]));
  const findings: Finding[] = [];
  for (const kind of FINDING_KINDS) {
    const detector = DETECTORS.find((candidate) => candidate.kind === kind);
    if (!detector) continue;
    const evidence: FindingEvidence[] = results.trials.flatMap((trial) => (trial.state === 'ok' ? (detector.ok?.(trial) ?? []) : (detector.failed?.(trial) ?? [])));
    if (evidence.length === 0) continue;
    const arms = [...new Set(evidence.map((entry) => entry.arm))].sort((a, b) => (armOrder.get(a) ?? 0) - (armOrder.get(b) ?? 0));
    const kept = arms.flatMap((arm) => evidence.filter((entry) => entry.arm === arm).slice(0, EVIDENCE_PER_ARM));
    findings.push({ kind, ...FINDING_CATALOG[kind], arms, evidence: kept });
  }
  return findings;
}

/** "504s: responses504 412, attempts 9000" style one-liner of an evidence entry, for text outputs. */
export function describeEvidence(entry: FindingEvidence): string {
  const values = Object.entries(entry.values).map(([name, value]) => `${name} ${value}`).join(', ');
  const seconds = entry.window ? ` over ${((entry.window.endEpochMs - entry.window.startEpochMs) / 1000).toFixed(1)} s` : '';
  return `${entry.arm} round ${entry.round + 1}${seconds}: ${entry.metric} — ${values}`;
}
