/**
 * The calibration section, at the top of a calibration run's report: per delayed arm, estimator and
 * statistic, the delay injected and the overhead attributed; then the A/A check.
 */
import type { ResultsSummary } from '../analysis/types.js';
import type { Results } from '../results/schema.js';
import {
  CALIBRATION_STATISTIC_LABELS,
  aaVerdict,
  checksByArm,
  delayedArmsOf,
  delayVerdict,
  isJudged,
  judgedByLine,
  machineStallsNote,
  overallVerdict,
  toleranceRule,
} from './calibration-text.js';
import { escapeHtml as e } from './escape.js';
import { formatMs } from './format.js';
import { estimateCell } from './html-estimate.js';
import { ESTIMATOR_LABELS, type CalibrationCheck, type CalibrationSummary } from './summary-types.js';

function verdictCell(pass: boolean, judged: boolean): string {
  const word = pass ? 'PASS' : 'FAIL';
  if (!judged) return `<td class="verdict ${pass ? 'pass' : 'fail'} not-judged">${word} <span class="muted small">(not judged)</span></td>`;
  return `<td class="verdict ${pass ? 'pass' : 'fail'}">${word}</td>`;
}

function checkRow(calibration: CalibrationSummary, check: CalibrationCheck): string {
  const judged = isJudged(calibration, check.estimator);
  return `<td${judged ? '' : ' class="muted"'}>${e(ESTIMATOR_LABELS[check.estimator])}</td><td>${CALIBRATION_STATISTIC_LABELS[check.statistic]}</td>
${estimateCell(check.attributed, { signed: true })}<td class="num">±${formatMs(check.toleranceUs)}</td>${verdictCell(check.pass, judged)}`;
}

function checksTable(results: Results, calibration: CalibrationSummary): string {
  const rows = checksByArm(calibration, delayedArmsOf(calibration, results.calibration)).flatMap(({ arm, delayUs, checks }) =>
    checks.map((check, index) =>
      index === 0
        ? `<tr class="group-start"><th scope="rowgroup" rowspan="${checks.length}">${e(arm)}</th><td class="num" rowspan="${checks.length}">${formatMs(delayUs)}</td>${checkRow(calibration, check)}</tr>`
        : `<tr>${checkRow(calibration, check)}</tr>`,
    ),
  );
  return `<div class="table-wrap"><table class="data" id="calibration-checks">
<thead><tr><th scope="col">arm</th><th scope="col">injected D (ms)</th><th scope="col">estimator</th><th scope="col">statistic</th>
<th scope="col">attributed (ms)<br><span class="small">median over rounds [CI]</span></th><th scope="col">tolerance (ms)</th><th scope="col">verdict</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div>`;
}

function aaTable(calibration: CalibrationSummary): string {
  const rows = calibration.aa.map((check) => {
    const judged = isJudged(calibration, check.estimator);
    const ok = check.significance === 'not significant';
    return `<tr><td${judged ? '' : ' class="muted"'}>${e(ESTIMATOR_LABELS[check.estimator])}</td><td>${CALIBRATION_STATISTIC_LABELS[check.statistic]}</td>
${estimateCell(check.difference, { signed: true })}
<td class="verdict ${ok ? 'pass' : 'fail'}${judged ? '' : ' not-judged'}">${e(check.significance)}${judged ? '' : ' <span class="muted small">(not judged)</span>'}</td></tr>`;
  });
  return `<div class="table-wrap"><table class="data" id="calibration-aa">
<thead><tr><th scope="col">estimator</th><th scope="col">statistic</th><th scope="col">difference (ms)<br><span class="small">median over rounds [CI]</span></th><th scope="col">significance</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div>`;
}

function stallsParagraph(calibration: CalibrationSummary): string {
  const note = machineStallsNote(calibration);
  return note === undefined ? '' : `<p class="note" id="calibration-machine-stalls">${e(note)}</p>\n`;
}

export function renderCalibration(results: Results, summary: ResultsSummary): string {
  const calibration = summary.calibration;
  if (calibration === undefined) return '';
  const verdict = overallVerdict(calibration);
  return `<section id="calibration"><h2>Calibration</h2>
<p class="verdict-line ${verdict.pass ? 'pass' : 'fail'}"${verdict.pass ? '' : ' role="alert"'}><strong>${e(verdict.text)}</strong></p>
<p>Each delayed arm holds every request for a known time D in the server sidecar, between the proxy and the app; every other part of its path is the
reference arm's (<code>${e(calibration.referenceArm)}</code>, D = 0). An estimator that measures the proxy's cost correctly attributes exactly D to
the delayed arm. ${e(toleranceRule())}</p>
<p class="judged-by"><strong>${e(judgedByLine(calibration))}</strong></p>
${checksTable(results, calibration)}
<p class="note">${e(delayVerdict(calibration))}</p>
${stallsParagraph(calibration)}<h3>A/A check</h3>
<p><code>${e(calibration.aaArm)}</code> runs the reference path again (D = 0): the harness must find no significant difference from
<code>${e(calibration.referenceArm)}</code>. Significant means the interval excludes zero; an interval below 95 % coverage is too few trials to tell.</p>
${aaTable(calibration)}
<p class="verdict-line ${calibration.aaPass ? 'pass' : 'fail'}"><strong>${e(aaVerdict(calibration))}</strong></p>
<p class="note">${e(summary.ciMethod)}</p>
</section>`;
}
