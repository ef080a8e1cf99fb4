/** The findings as terminal lines: symptom and arms, evidence, how to verify, the remedy. */
import { describeEvidence, type Finding } from '../analysis/findings/index.js';

/** Lines for the terminal (empty when the run has no findings). */
export function renderTerminalFindings(findings: readonly Finding[] | undefined): string[] {
  if (!findings || findings.length === 0) return [];
  const lines = [`Findings (${findings.length}):`];
  for (const finding of findings) {
    lines.push(`  ✖ ${finding.symptom} [${finding.kind}] in ${finding.arms.join(', ')}`);
    for (const entry of finding.evidence) {
      lines.push(`      ${describeEvidence(entry)}`);
      for (const line of entry.logLines ?? []) lines.push(`        | ${line}`);
    }
    lines.push(`      verify: ${finding.verify}`, `      remedy: ${finding.remedy}`);
  }
  return lines;
}
