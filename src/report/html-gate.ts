import type { MedianEstimate } from '../analysis/statistics.js';
import { countsLine, formatMetricValue, type GateCheck, type GateResult, type Verdict } from '../gate/index.js';
import { escapeHtml as e } from './escape.js';

const VERDICT_CLASS: Record<Verdict, string> = { pass: 'pass', fail: 'fail', inconclusive: 'inconclusive', 'not-evaluated': 'fail' };
/** "NOT EVALUATED", "FAIL", …: a verdict as the report prints it. */
const verdictText = (verdict: Verdict) => verdict.replace('-', ' ').toUpperCase();
const HEADLINE: Record<GateResult['verdict'], string> = { pass: 'Gate PASSED', fail: 'Gate FAILED', error: 'Gate ERROR: the run is unfit to judge' };

function estimate(check: GateCheck, value: MedianEstimate | undefined, signed = false): string {
  if (!value) return '';
  const format = (x: number) => formatMetricValue(check.metric, x, signed);
  return `${e(format(value.median))} <span class="ci">[${e(format(value.low))}, ${e(format(value.high))}]</span>`;
}

/** One short line per check that did not pass: what a reader needs before scrolling. */
function notPassedList(gate: GateResult): string {
  const notPassed = [...gate.checks, ...(gate.findingChecks ?? [])].filter((check) => check.verdict !== 'pass');
  if (notPassed.length === 0) return '';
  const items = notPassed.map((check) => {
    const detectable = 'detectable' in check && check.detectable ? ` — could detect ${e(check.detectable)}` : '';
    return `<li><span class="verdict ${VERDICT_CLASS[check.verdict]}">${e(verdictText(check.verdict))}</span> ${e(check.name)}${detectable}</li>`;
  });
  return `<ul class="not-passed">${items.join('')}</ul>\n`;
}

/**
 * The gate's verdict, first thing on the page: one line, the rounds, run errors and the checks that
 * did not pass (one line each). The table of every check comes after the answer (renderGateChecks),
 * so the verdict and the answer share the first screen.
 */
export function renderGate(gate: GateResult | undefined, rounds?: string): string {
  if (!gate) return '';
  const pass = gate.verdict === 'pass';
  const counts = countsLine(gate, ', ');
  const runErrors = gate.runErrors.length > 0 ? `<ul class="run-errors">${gate.runErrors.map((error) => `<li>${e(error.message)}</li>`).join('')}</ul>\n` : '';
  const total = gate.checks.length + (gate.findingChecks ?? []).length;
  const link = total > 0 ? `<p class="note"><a href="#gate-checks">Every check</a> (values, intervals, what each could detect, why) follows the answer.</p>\n` : '';
  return `<section id="gate"><h2>Gate</h2>
<p class="verdict-line ${pass ? 'pass' : 'fail'}">${HEADLINE[gate.verdict]}: ${e(counts)}.</p>
${rounds ? `<p class="rounds">${e(rounds)}</p>\n` : ''}${runErrors}${notPassedList(gate)}${link}</section>`;
}

/** Every gate check with its value, baseline, change, verdict, what it could detect and why. Empty without a gate. */
export function renderGateChecks(gate: GateResult | undefined): string {
  if (!gate) return '';
  const rows = gate.checks
    .map(
      (check) => `<tr><td>${e(check.name)}</td><td>${estimate(check, check.value)}</td><td>${estimate(check, check.baseline)}</td><td>${estimate(check, check.change, true)}</td>` +
        `<td class="verdict ${VERDICT_CLASS[check.verdict]}">${e(verdictText(check.verdict))}</td><td>${e(check.detectable ?? '')}</td><td>${e(check.reason)}</td></tr>`,
    )
    .join('\n');
  const findingRows = (gate.findingChecks ?? [])
    .map((check) => `<tr><td>${e(check.name)}</td><td></td><td></td><td></td><td class="verdict ${VERDICT_CLASS[check.verdict]}">${e(check.verdict.toUpperCase())}</td><td></td><td>${e(check.reason)}</td></tr>`)
    .join('\n');
  const allRows = [rows, findingRows].filter((part) => part.length > 0).join('\n');
  return `<section id="gate-checks"><h2>Gate checks</h2>
${
  gate.checks.length === 0 && (gate.findingChecks ?? []).length === 0
    ? '<p>No checks: the scenario has no thresholds and no baseline was given.</p>'
    : `<table><thead><tr><th>check</th><th>candidate: median [CI]</th><th>baseline</th><th>change [CI]</th><th>verdict</th><th>could detect</th><th>why</th></tr></thead><tbody>
${allRows}
</tbody></table>
<p class="note">Thresholds are judged against the confidence bound on their unsafe side; a check whose interval straddles its limit is inconclusive, never a coin flip. Regressions compare this run with a baseline run (Hodges–Lehmann shift with its exact interval). “Could detect” is what this run's own noise and rounds let a check resolve: the smallest regression it would have flagged (its tolerance plus the distance from the median to the interval's optimistic bound), or for a threshold the medians it would fail or pass.</p>`
}
</section>`;
}
