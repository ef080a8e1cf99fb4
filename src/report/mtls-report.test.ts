import { describe, expect, it } from 'vitest';
import type { MtlsSummary } from '../analysis/mtls.js';
import { makeMtlsResults } from '../analysis/mtls.fixture-data.js';
import { summarizeResults } from '../analysis/summarize.js';
import { formatEstimate, renderMtls } from './html-mtls.js';
import { renderTerminalMtls } from './terminal-mtls.js';

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const whole = (value: number) => value.toFixed(0);

function summaryOf(results = makeMtlsResults()): MtlsSummary {
  const mtls = summarizeResults(results).mtls;
  if (!mtls) throw new Error('the fixture has an mtls summary');
  return mtls;
}

/** A table row of renderMtls, as written. */
const row = (label: string, value: string, note = '') => `<tr><th scope="row">${label}</th><td class="num">${value}</td><td>${note}</td></tr>`;

describe('formatEstimate', () => {
  it('writes median [low, high] with the given format', () => {
    expect(formatEstimate({ n: 6, median: 0.11328125, low: 0.0625, high: 0.140625, coverage: 0.96875 }, percent)).toBe('11.3 % [6.3 %, 14.1 %]');
    expect(formatEstimate({ n: 6, median: 12_800, low: 12_544, high: 13_056, coverage: 0.96875 }, whole)).toBe('12800 [12544, 13056]');
  });

  it('states the coverage when it is under 95 %, and that one trial has no interval', () => {
    expect(formatEstimate({ n: 5, median: 3000, low: 2900, high: 3100, coverage: 0.9375 }, whole)).toBe('3000 [2900, 3100] (93.8 % CI)');
    expect(formatEstimate({ n: 1, median: 3000, low: 3000, high: 3000, coverage: 0 }, whole)).toBe('3000 (1 trial, no CI)');
  });

  it('is a dash for nothing to show', () => {
    expect(formatEstimate(undefined, whole)).toBe('—');
    expect(formatEstimate({ n: 0, median: Number.NaN, low: Number.NaN, high: Number.NaN, coverage: 0 }, whole)).toBe('—');
    expect(formatEstimate({ n: 3, median: Number.POSITIVE_INFINITY, low: 1, high: 2, coverage: 0.75 }, whole)).toBe('—');
  });
});

describe('renderMtls', () => {
  const html = renderMtls(summaryOf());

  it('is empty without an mtls summary', () => {
    expect(renderMtls(undefined)).toBe('');
  });

  it('states the identities and TLS settings, HTML-escaped', () => {
    expect(html.startsWith('<section id="mtls"><h2>mTLS cost</h2>\n')).toBe(true);
    expect(html).toContain(
      '<p>Trust domain <code>cluster.local</code>: client <code>spiffe://cluster.local/ns/bench/sa/loadgen</code>, server <code>spiffe://cluster.local/ns/bench/sa/app</code>; ecdsa-p256 SVIDs, TLS 1.3, TLS_AES_128_GCM_SHA256; strict (no plaintext accepted). Peer identity: Lua fetch on the peer&#39;s URI SAN: &lt;exactly one&gt; &amp; &quot;allowed&quot;.</p>',
    );
    expect(html).not.toContain('<exactly one>');
  });

  it('shows the latency deltas and the throughput drop with the seed’s 10.0 %–15.0 % beside it', () => {
    expect(html).toContain(row('latency P50, mtls − sidecar at 16 connections (closed model)', '+0.043 ms [+0.025, +0.060]'));
    expect(html).toContain(row('latency P99, mtls − sidecar at 16 connections (closed model)', '+0.105 ms [+0.080, +0.130]'));
    expect(html).toContain(row('throughput at saturation, sidecar (req/s)', '12800 [12544, 13056]'));
    expect(html).toContain(row('throughput at saturation, mtls (req/s)', '11327 [11000, 12120]'));
    expect(html).toContain(row('mTLS throughput drop at saturation', '11.3 % [6.3 %, 14.1 %]', 'the seed expects 10.0 %–15.0 % on AES-NI hardware'));
  });

  it('shows sidecar CPU and the handshake figures', () => {
    expect(html).toContain(row('sidecar vCPU per 1k RPS, sidecar', '0.060 [0.060, 0.060]', 'both sidecars together'));
    expect(html).toContain(row('sidecar vCPU per 1k RPS, mtls', '0.090 [0.090, 0.090]'));
    expect(html).toContain(row('extra sidecar vCPU per 1k RPS for mTLS', '+0.030 [+0.030, +0.030]'));
    expect(html).toContain(row('handshakes per second, mtls-churn', '3000 [2900, 3100]', 'TLS connections the server sidecar accepted'));
    expect(html).toContain(row('handshakes per second, mtls (connections kept alive)', '2.0 [1.0, 3.0]'));
    expect(html).toContain(row('sidecar CPU per handshake', '100 µs [90 µs, 110 µs]', 'extra CPU of mtls-churn over mtls, per handshake'));
    expect(html).toContain(row('P50 of a first request (new TLS connection)', '0.878 ms [0.815, 0.900]'));
    expect(html).toContain(row('P50 in steady state (connection reused)', '0.573 ms [0.535, 0.595]'));
    expect(html).toContain(row('handshake penalty on a first request (P50)', '+0.303 ms [+0.280, +0.320]'));
    expect(html).toContain(row('TLS sessions resumed (server sidecar)', '12.5 %', 'resumed handshakes skip the certificate exchange'));
  });

  it('shows the rotation with its failures escaped and the seconds around the swap', () => {
    expect(html).toContain(
      "<h3>SVID rotation under load</h3>\n<p>2 rotation(s) through HAProxy's runtime API, without a restart; 1 failed: HAProxy refused the new certificate: &lt;bad cert&gt;. Failed requests in the rotated trials: <strong>7</strong>.</p>",
    );
    const seconds = [
      [-3, '0.522', '1.600', 0],
      [-2, '0.523', '1.600', 0],
      [-1, '0.524', '1.600', 0],
      [0, '0.720', '2.500', 3],
      [1, '0.526', '1.600', 0],
      [2, '0.527', '1.600', 0],
      [3, '0.528', '1.600', 0],
    ];
    const rows = seconds.map(([t, p50, p99, errors]) => `<tr><td class="num">${t}</td><td class="num">${p50}</td><td class="num">${p99}</td><td class="num">${errors}</td></tr>`).join('\n');
    expect(html).toContain(`<tbody>\n${rows}\n</tbody></table>`);
  });

  it('leaves the verify-failure diagnosis to the findings section (no banner here)', () => {
    expect(html).not.toContain('certificate verify failed');
    expect(html).not.toContain('<script>');
  });

  it('says how to get the missing figures when saturation and churn were not measured', () => {
    const bare = renderMtls(summaryOf(makeMtlsResults({ saturation: false, churn: false })));
    expect(bare).toContain(row('throughput at saturation', '—', 'set load.saturation in the scenario to measure it'));
    expect(bare).toContain(row('handshake figures', '—', 'add the mtls-churn topology to measure handshake cost'));
    expect(bare).not.toContain('seed expects');
    expect(bare).not.toContain('handshakes per second');
  });
});

describe('renderTerminalMtls', () => {
  it('prints the key figures in a few lines', () => {
    expect(renderTerminalMtls(summaryOf())).toStrictEqual([
      'mTLS cost (mtls vs sidecar; median [95 % CI] over trials):',
      '  latency at 16 connections (closed model): P50 +0.043 ms [+0.025, +0.060], P99 +0.105 ms [+0.080, +0.130]',
      '  throughput drop at saturation: 11.3 % [6.3 %, 14.1 %] (seed: 10.0 %–15.0 %)',
      '  extra sidecar vCPU per 1k RPS: 0.030 [0.030, 0.030]',
      '  handshakes: 3000 [2900, 3100]/s in mtls-churn, 100 µs [90 µs, 110 µs] sidecar CPU per handshake, first-request P50 penalty +0.303 ms [+0.280, +0.320]',
      '  SVID rotation under load: 2 done, 1 failed, 7 failed requests',
    ]);
  });

  it('leaves out what was not measured', () => {
    const results = makeMtlsResults({ saturation: false, churn: false, load: { model: 'open', ratePerSecond: 5000 } });
    const quiet = {
      ...results,
      trials: results.trials.map((trial) => (trial.state === 'ok' && trial.tls ? { ...trial, tls: { ...trial.tls, rotations: [], handshakeFailures: [] } } : trial)),
    };
    expect(renderTerminalMtls(summaryOf(quiet))).toStrictEqual([
      'mTLS cost (mtls vs sidecar; median [95 % CI] over trials):',
      '  latency at 5000/s (open model): P50 +0.043 ms [+0.025, +0.060], P99 +0.105 ms [+0.080, +0.130]',
      '  extra sidecar vCPU per 1k RPS: 0.030 [0.030, 0.030]',
    ]);
  });
});
