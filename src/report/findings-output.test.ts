import { describe, expect, it } from 'vitest';
import { summarizeResults } from '../analysis/summarize.js';
import type { OkTrial } from '../results/schema.js';
import { makeFixtureResults } from './fixtures.js';
import { renderFindings } from './html-findings.js';
import { renderTerminalSummary } from './terminal-summary.js';

const HEALTHY = makeFixtureResults();

function withRefused() {
  const results = structuredClone(HEALTHY);
  const trial = results.trials.find((candidate) => candidate.state === 'ok' && candidate.topology === 'sidecar-inbound') as OkTrial;
  trial.load.statusCodes['503'] = 100;
  trial.proxyTerminations = [{ pod: 'server', source: 'haproxy log (termination state)', counts: { SC: 100 }, lines: ['local_app/app 503 <script>x</script> SC--'] }];
  return results;
}

describe('findings in the report and the terminal', () => {
  it('the report’s findings section: symptom, arms, evidence with log lines (escaped), verification and remedy', () => {
    const html = renderFindings(summarizeResults(withRefused()));
    expect(html).toMatch(/^<section id="findings"><h2>Findings<\/h2>\n<div class="banner finding" data-finding="upstream-connect-error"><strong>&quot;upstream connect error or disconnect\/reset before headers&quot; \/ connection refused<\/strong> in sidecar-inbound/);
    expect(html).toContain('<br><code>server sidecar: local_app/app 503 &lt;script&gt;x&lt;/script&gt; SC--</code>');
    expect(html).toContain('<strong>Verify in a cluster:</strong> <code>kubectl logs');
    expect(html).toContain('<strong>Remedy:</strong> The sidecar could not reach the app. Bind the app to 0.0.0.0');
    expect(html).not.toContain('<script>');
  });

  it('says so when a run has none', () => {
    expect(renderFindings(summarizeResults(HEALTHY))).toContain('<p class="note">No findings: none of the symptoms looked for (upstream-timeout, ');
  });

  it('the terminal summary lists findings before the table; a healthy run prints none', () => {
    const text = renderTerminalSummary(summarizeResults(withRefused()));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Findings (1):');
    expect(lines[1]).toBe('  ✖ "upstream connect error or disconnect/reset before headers" / connection refused [upstream-connect-error] in sidecar-inbound');
    expect(lines[2]).toMatch(/^ {6}sidecar-inbound round 1 over [\d.]+ s: proxyTerminations\.counts — responses503 100, /);
    expect(lines.some((line) => line.startsWith('      remedy: The sidecar could not reach the app.'))).toBe(true);
    expect(renderTerminalSummary(summarizeResults(HEALTHY))).not.toContain('Findings');
  });
});
