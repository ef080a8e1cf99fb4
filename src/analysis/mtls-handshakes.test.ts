import { describe, expect, it } from 'vitest';
import type { Results } from '../results/schema.js';
import { renderMtls } from '../report/html-mtls.js';
import { renderTerminalMtls } from '../report/terminal-mtls.js';
import { CHURN_HANDSHAKES_PER_SECOND, TLS_SPAN_SECONDS, makeMtlsResults } from './mtls.fixture-data.js';
import { handshakeKind, summarizeMtls } from './mtls.js';
import { summarizeResults } from './summarize.js';

/** The fixture run with the churn arm's handshakes split into full and resumed: `resumedOf(round)` of each round's total resumed. */
function withHandshakeKinds(sessionResumption: boolean, resumedOf: (round: number) => number): Results {
  const results = makeMtlsResults();
  results.scenario = { ...results.scenario, mtls: { sessionResumption } };
  for (const trial of results.trials) {
    if (trial.state !== 'ok' || trial.topology !== 'mtls-churn' || !trial.tls) continue;
    const total = trial.tls.serverTlsConnections;
    const resumed = Math.round(total * resumedOf(trial.round));
    trial.tls = { ...trial.tls, serverFullHandshakes: total - resumed, serverResumedHandshakes: resumed };
  }
  return results;
}

const handshakesOf = (results: Results) => {
  const summary = summarizeResults(results);
  return summarizeMtls(results, summary)?.handshakes;
};

describe('handshakeKind', () => {
  it('names what a churn arm priced from the share that resumed', () => {
    expect([undefined, 0, 0.05, 0.06, 0.5, 0.94, 0.95, 1].map(handshakeKind)).toEqual(['unknown', 'full', 'full', 'mixed', 'mixed', 'mixed', 'resumed', 'resumed']);
  });
});

describe('handshakes by kind', () => {
  it('with resumption off: every handshake full, CPU priced per full handshake', () => {
    const handshakes = handshakesOf(withHandshakeKinds(false, () => 0));
    expect(handshakes?.sessionResumption).toBe(false);
    expect(handshakes?.kind).toBe('full');
    expect(handshakes?.resumedShare?.median).toBe(0);
    // The fixture's churn rates, all of them full.
    expect(handshakes?.fullPerSecond?.median).toBe(3000);
    expect(handshakes?.resumedPerSecond?.median).toBe(0);
    expect(Math.round((handshakes?.perSecond.median ?? 0) * TLS_SPAN_SECONDS)).toBe(3000 * TLS_SPAN_SECONDS);
  });

  it('with resumption on: the resumed share and rates per kind, priced per resumed handshake', () => {
    const handshakes = handshakesOf(withHandshakeKinds(true, () => 0.99));
    expect(handshakes?.kind).toBe('resumed');
    expect(handshakes?.resumedShare?.median).toBeCloseTo(0.99, 2);
    const resumed = CHURN_HANDSHAKES_PER_SECOND.map((rate) => Math.round(rate * TLS_SPAN_SECONDS * 0.99) / TLS_SPAN_SECONDS).sort((a, b) => a - b);
    expect(handshakes?.resumedPerSecond?.median).toBeCloseTo(((resumed[2] as number) + (resumed[3] as number)) / 2, 6);
  });

  it('calls a mix mixed, and unknown without counters', () => {
    expect(handshakesOf(withHandshakeKinds(true, (round) => (round % 2 === 0 ? 0.4 : 0.6)))?.kind).toBe('mixed');
    const plain = handshakesOf(makeMtlsResults());
    expect(plain?.kind).toBe('unknown');
    expect(plain?.fullPerSecond).toBeUndefined();
    expect(plain?.sessionResumption).toBe(true);
  });

  it('shows full vs resumed rates and the kind priced in the terminal and the report', () => {
    const results = withHandshakeKinds(false, () => 0);
    const mtls = summarizeResults(results).mtls;
    if (!mtls) throw new Error('the fixture has an mtls summary');
    const line = renderTerminalMtls(mtls).find((text) => text.startsWith('  handshakes:'));
    expect(line).toBe('  handshakes: 3000 [2900, 3100]/s in mtls-churn (3000 [2900, 3100]/s full, 0 [0, 0]/s resumed), 100 µs [90 µs, 110 µs] sidecar CPU per full handshake, first-request P50 penalty +0.303 ms [+0.280, +0.320]');
    const html = renderMtls(mtls);
    expect(html).toContain('<th scope="row">full handshakes per second, mtls-churn</th><td class="num">3000 [2900, 3100]</td>');
    expect(html).toContain('<th scope="row">share of handshakes resumed</th><td class="num">0.0 % [0.0 %, 0.0 %]</td><td>mtls.sessionResumption: false</td>');
    expect(html).toContain('<th scope="row">sidecar CPU per full handshake</th>');
  });
});
