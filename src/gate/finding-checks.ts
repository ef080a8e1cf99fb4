/** `gates.findings.failOn`: a finding of the diagnosis the run must not show. */
import { describeEvidence, diagnose, FINDING_CATALOG, type Finding, type FindingKind } from '../analysis/findings/index.js';
import type { ResultsSummary } from '../analysis/types.js';
import type { Results } from '../results/schema.js';

/** One listed finding, judged: fail when the run shows it, pass when it does not. */
export interface FindingCheck {
  finding: FindingKind;
  /** e.g. "finding: oom-killed (OOMKilled)". */
  name: string;
  verdict: 'pass' | 'fail';
  /** Where it was seen and the strongest evidence; or that no trial showed it. */
  reason: string;
  /** Arms it was seen in (empty on a pass). */
  arms: string[];
}

/** The run's findings: the summary's, or (a summary written before findings existed) diagnosed now. */
export function findingsOf(results: Results, summary: ResultsSummary): Finding[] {
  return summary.findings ?? diagnose(results);
}

/** Judges every kind the scenario lists against the run's findings, in the list's order. */
export function judgeFindings(failOn: readonly FindingKind[], findings: readonly Finding[]): FindingCheck[] {
  return failOn.map((kind) => {
    const name = `finding: ${kind} (${FINDING_CATALOG[kind].symptom})`;
    const finding = findings.find((candidate) => candidate.kind === kind);
    if (!finding) return { finding: kind, name, verdict: 'pass', reason: 'no trial showed it', arms: [] };
    const first = finding.evidence[0];
    return { finding: kind, name, verdict: 'fail', reason: `seen in ${finding.arms.join(', ')}${first ? `: ${describeEvidence(first)}` : ''}`, arms: finding.arms };
  });
}
