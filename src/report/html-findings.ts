/** The report's findings section: the seed's troubleshooting symptoms the run showed, with evidence. */
import type { ResultsSummary } from '../analysis/types.js';
import { describeEvidence, FINDING_KINDS, type Finding } from '../analysis/findings/index.js';
import { escapeHtml as e } from './escape.js';

function findingHtml(finding: Finding): string {
  const evidence = finding.evidence
    .map((entry) => `<li>${e(describeEvidence(entry))}${entry.logLines ? entry.logLines.map((line) => `<br><code>${e(line)}</code>`).join('') : ''}</li>`)
    .join('');
  return `<div class="banner finding" data-finding="${e(finding.kind)}"><strong>${e(finding.symptom)}</strong> in ${e(finding.arms.join(', '))}
<ul>${evidence}</ul>
<p><strong>Verify in a cluster:</strong> <code>${e(finding.verify)}</code></p>
<p><strong>Remedy:</strong> ${e(finding.remedy)}</p></div>`;
}

/** Every finding, or one line saying the run showed none of the symptoms looked for. Empty for files without a diagnosis. */
export function renderFindings(summary: ResultsSummary): string {
  const findings = summary.findings;
  if (!findings) return '';
  const body =
    findings.length === 0
      ? `<p class="note">No findings: none of the symptoms looked for (${FINDING_KINDS.join(', ')}) appeared in any trial.</p>`
      : findings.map(findingHtml).join('\n');
  return `<section id="findings"><h2>Findings</h2>\n${body}\n</section>`;
}
