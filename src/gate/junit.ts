import type { GateCheck, GateResult } from './evaluate.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] as string);

function testcase(check: GateCheck, policy: 'pass' | 'fail'): string {
  const open = `    <testcase classname="sidecar-bench.${check.kind}.${escapeXml(check.arm)}" name="${escapeXml(check.name)}" time="0">`;
  const reason = escapeXml(check.reason);
  const detectable = check.detectable ? `\n${escapeXml(`${check.kind === 'regression' ? 'smallest regression this run could detect' : 'this run could decide'}: ${check.detectable}`)}` : '';
  let body = `      <system-out>${reason}${detectable}</system-out>`;
  if (check.verdict === 'fail') body = `      <failure type="${check.kind === 'regression' ? 'regression' : 'threshold'}" message="${reason}">${reason}</failure>\n${body}`;
  if (check.verdict === 'inconclusive') {
    body = policy === 'fail' ? `      <failure type="inconclusive" message="inconclusive: ${reason}">${reason}</failure>\n${body}` : `      <skipped message="inconclusive: ${reason}"/>\n${body}`;
  }
  return `${open}\n${body}\n    </testcase>`;
}

/**
 * JUnit XML: one test case per check. A failed check is a <failure>; an inconclusive one is
 * <skipped> under the "pass" policy and a <failure type="inconclusive"> under "fail".
 */
export function renderJunit(result: GateResult, suiteName: string, timestamp: string): string {
  const failures = result.checks.filter((check) => check.verdict === 'fail' || (check.verdict === 'inconclusive' && result.inconclusivePolicy === 'fail')).length;
  const skipped = result.checks.filter((check) => check.verdict === 'inconclusive' && result.inconclusivePolicy === 'pass').length;
  const attributes = `tests="${result.checks.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sidecar-bench" ${attributes} time="0">`,
    `  <testsuite name="${escapeXml(suiteName)}" ${attributes} time="0" timestamp="${escapeXml(timestamp)}">`,
    ...result.checks.map((check) => testcase(check, result.inconclusivePolicy)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
