import type { GateCheck, GateResult, RunError } from './evaluate.js';
import type { FindingCheck } from './finding-checks.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] as string);

/** Whether a check is a JUnit failure: failed, not evaluated, or inconclusive under the "fail" policy. */
export function countsAsFailure(check: GateCheck, policy: 'pass' | 'fail'): boolean {
  return check.verdict === 'fail' || check.verdict === 'not-evaluated' || (check.verdict === 'inconclusive' && policy === 'fail');
}

function testcase(check: GateCheck, policy: 'pass' | 'fail'): string {
  const open = `    <testcase classname="sidecar-bench.${check.kind}.${escapeXml(check.arm)}" name="${escapeXml(check.name)}" time="0">`;
  const reason = escapeXml(check.reason);
  const detectable = check.detectable ? `\n${escapeXml(`${check.kind === 'regression' ? 'smallest regression this run could detect' : 'this run could decide'}: ${check.detectable}`)}` : '';
  let body = `      <system-out>${reason}${detectable}</system-out>`;
  if (check.verdict === 'fail') body = `      <failure type="${check.kind === 'regression' ? 'regression' : 'threshold'}" message="${reason}">${reason}</failure>\n${body}`;
  if (check.verdict === 'not-evaluated') body = `      <failure type="not-evaluated" message="${reason}">${reason}</failure>\n${body}`;
  if (check.verdict === 'inconclusive') {
    body = policy === 'fail' ? `      <failure type="inconclusive" message="inconclusive: ${reason}">${reason}</failure>\n${body}` : `      <skipped message="inconclusive: ${reason}"/>\n${body}`;
  }
  return `${open}\n${body}\n    </testcase>`;
}

/** A failed trial or an incomplete run: a JUnit <error> (the run broke), not a <failure> (a check did not hold). */
function errorcase(error: RunError): string {
  const message = escapeXml(error.message);
  const type = error.arm === undefined ? 'run-incomplete' : 'trial-failed';
  return [
    `    <testcase classname="sidecar-bench.run.${escapeXml(error.arm ?? 'run')}" name="${escapeXml(error.subject)}" time="0">`,
    `      <error type="${type}" message="${message}">${message}</error>`,
    '    </testcase>',
  ].join('\n');
}

/** gates.findings.failOn: a <failure type="finding"> when the run showed it. */
function findingcase(check: FindingCheck): string {
  const reason = escapeXml(check.reason);
  const body = check.verdict === 'fail' ? `      <failure type="finding" message="${reason}">${reason}</failure>\n` : '';
  return `    <testcase classname="sidecar-bench.finding" name="${escapeXml(check.name)}" time="0">\n${body}      <system-out>${reason}</system-out>\n    </testcase>`;
}

/**
 * JUnit XML: one test case per check, and one per run error. A failed or not-evaluated check is a
 * <failure>; an inconclusive one is <skipped> under the "pass" policy and a <failure
 * type="inconclusive"> under "fail". A failed trial or an incomplete run is an <error> naming the
 * topology, the trial and the cause.
 */
export function renderJunit(result: GateResult, suiteName: string, timestamp: string): string {
  const findingChecks = result.findingChecks ?? [];
  const failures = result.checks.filter((check) => countsAsFailure(check, result.inconclusivePolicy)).length + findingChecks.filter((check) => check.verdict === 'fail').length;
  const skipped = result.checks.filter((check) => check.verdict === 'inconclusive' && result.inconclusivePolicy === 'pass').length;
  const attributes = `tests="${result.checks.length + findingChecks.length + result.runErrors.length}" failures="${failures}" errors="${result.runErrors.length}" skipped="${skipped}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sidecar-bench" ${attributes} time="0">`,
    `  <testsuite name="${escapeXml(suiteName)}" ${attributes} time="0" timestamp="${escapeXml(timestamp)}">`,
    ...result.runErrors.map(errorcase),
    ...result.checks.map((check) => testcase(check, result.inconclusivePolicy)),
    ...findingChecks.map(findingcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
