import { formatMetricEstimate } from './format-value.js';
import { describeEvidence, type Finding } from '../analysis/findings/index.js';
import type { GateCheck, GateResult, Verdict } from './evaluate.js';

const ICON: Record<Verdict, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️', 'not-evaluated': '⛔' };
const HEADLINE: Record<GateResult['verdict'], string> = { pass: '✅ sidecar-bench gate: PASS', fail: '❌ sidecar-bench gate: FAIL', error: '❌ sidecar-bench gate: ERROR (the run is unfit to judge)' };
const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function estimateCell(check: GateCheck, which: 'value' | 'baseline' | 'change'): string {
  const estimate = check[which];
  if (!estimate) return '';
  return formatMetricEstimate(check.metric, estimate, which === 'change');
}

/** "3 passed · 1 failed · 0 inconclusive (counted as pass) · 1 not evaluated": the counts line of every output. */
export function countsLine(result: GateResult, separator = ' · '): string {
  const { counts } = result;
  const parts = [`${counts.pass} passed`, `${counts.fail} failed`, `${counts.inconclusive} inconclusive (counted as ${result.inconclusivePolicy})`, `${counts['not-evaluated']} not evaluated`];
  if (result.runErrors.length > 0) parts.push(`${result.runErrors.length} run error(s)`);
  return parts.join(separator);
}

/** A Markdown summary that fits a GitHub job summary or a pull-request comment. */
/** The run's findings, each with its evidence, how to verify it and the remedy (empty without findings). */
function findingLines(findings: readonly Finding[], result: GateResult): string[] {
  if (findings.length === 0) return [];
  const failing = new Set((result.findingChecks ?? []).filter((check) => check.verdict === 'fail').map((check) => check.finding));
  const lines = [`**Findings (${findings.length}):**`, ''];
  for (const finding of findings) {
    lines.push(`- ${failing.has(finding.kind) ? '❌' : '⚠️'} **${escapeCell(finding.symptom)}** (\`${finding.kind}\`${failing.has(finding.kind) ? ', fails the gate' : ''}) in ${escapeCell(finding.arms.join(', '))}`);
    for (const entry of finding.evidence) {
      lines.push(`  - ${escapeCell(describeEvidence(entry))}`);
      for (const line of entry.logLines ?? []) lines.push(`    \`${line.replace(/`/g, "'")}\``);
    }
    lines.push(`  - verify: \`${finding.verify.replace(/`/g, "'")}\``, `  - remedy: ${escapeCell(finding.remedy)}`);
  }
  lines.push('');
  return lines;
}

export function renderMarkdownSummary(result: GateResult, title: string, details: { scenario: string; runId: string; host: string; confidence: number; rounds?: string; findings?: readonly Finding[] }): string {
  const lines = [
    `## ${HEADLINE[result.verdict]} — ${escapeCell(title)}`,
    '',
    `${countsLine(result)} · scenario \`${escapeCell(details.scenario)}\` · run \`${details.runId}\` · ${escapeCell(details.host)}`,
    '',
    ...(details.rounds ? [details.rounds, ''] : []),
  ];
  lines.push(...findingLines(details.findings ?? [], result));
  if (result.runErrors.length > 0) {
    lines.push('**The run did not produce every trial it planned:**', '', ...result.runErrors.map((error) => `- ⛔ ${escapeCell(error.message)}`), '');
  }
  if (result.baselineDifferences?.length) {
    lines.push('**The baseline run differs:**', '', ...result.baselineDifferences.map((difference) => `- ${escapeCell(difference)}`), '');
  }
  const findingChecks = result.findingChecks ?? [];
  if (result.checks.length === 0 && findingChecks.length === 0) {
    lines.push('_No gate checks: the scenario has no thresholds and no baseline was given._', '');
    return lines.join('\n');
  }
  if (findingChecks.length > 0) {
    lines.push('| | finding (gates.findings.failOn) | verdict | why |', '|---|---|---|---|');
    for (const check of findingChecks) lines.push(`| ${ICON[check.verdict]} | ${escapeCell(check.name)} | ${check.verdict} | ${escapeCell(check.reason)} |`);
    lines.push('');
    if (result.checks.length === 0) return lines.join('\n');
  }
  const ci = `${(details.confidence * 100).toFixed(0)} % CI`;
  lines.push(`| | check | candidate (median [${ci}]) | baseline | change [${ci}] | verdict | could detect |`, '|---|---|---|---|---|---|---|');
  for (const check of result.checks) {
    lines.push(
      `| ${ICON[check.verdict]} | ${escapeCell(check.name)} | ${estimateCell(check, 'value')} | ${estimateCell(check, 'baseline')} | ${estimateCell(check, 'change')} | ${check.verdict} | ${escapeCell(check.detectable ?? '')} |`,
    );
  }
  const explained = result.checks.filter((check) => check.verdict !== 'pass');
  lines.push('', `_Could detect_: from this run's own noise and rounds, the smallest regression each check would have flagged at ${ci.replace(' CI', '')} confidence (its tolerance plus the distance from the median to the interval's optimistic bound); for a threshold, the medians it would fail or pass.`);
  if (explained.length > 0) {
    lines.push('', '<details><summary>Why each check that did not pass</summary>', '');
    for (const check of explained) lines.push(`- **${escapeCell(check.name)}**: ${escapeCell(check.reason)}`);
    lines.push('', '</details>');
  }
  lines.push('');
  return lines.join('\n');
}
