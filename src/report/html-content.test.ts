/**
 * What the report says, checked against exact figures of the deterministic fixtures: overheads as
 * median [CI], the three estimators, the open model's banners and the calibration verdicts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from './escape.js';
import { makeFixture } from './fixtures.js';
import { renderHtmlReport } from './html-report.js';

const MINUS = '\u2212';

function expectContains(page: string, needle: string): void {
  expect(page.includes(needle), `page should contain ${JSON.stringify(needle)}`).toBe(true);
}
function expectNotContains(page: string, needle: string): void {
  expect(page.includes(needle), `page should not contain ${JSON.stringify(needle)}`).toBe(false);
}
const count = (page: string, needle: string) => page.split(needle).length - 1;
/** The HTML of the element with this id, up to the end of its table or section. */
function element(page: string, id: string, end = '</table>'): string {
  const start = page.indexOf(`id="${id}"`);
  expect(start, `no element with id ${id}`).toBeGreaterThan(0);
  return page.slice(start, page.indexOf(end, start));
}

describe('HTML report: overheads with their confidence intervals', () => {
  const fixture = makeFixture({ withFailedTrial: true });
  let html = '';
  beforeAll(async () => {
    html = await renderHtmlReport(fixture.results, fixture.summary);
  });

  it('writes the overhead as median [CI] at a glance, with the coverage when below 95 %', () => {
    const glance = element(html, 'key-figures', '</section>');
    expectContains(glance, '<strong>sidecar-inbound</strong>: +0.235 ms [+0.226, +0.278] at P50 (+77%), +0.482 ms [+0.468, +0.562] at P99 (+77%) vs app-only;');
    expectContains(glance, '<strong>sidecar</strong>: +0.437 ms [+0.36, +0.50] (93.8 % CI) at P50 (+144%), +0.914 ms [+0.72, +1.02] (93.8 % CI) at P99 (+146%) vs app-only;');
  });

  it('has an overhead table of the differential estimator, median [CI] and % of the baseline', () => {
    const table = element(html, 'overhead');
    expectContains(table, '<td class="num">+0.235 [+0.226, +0.278]<br><span class="muted">+77%</span></td>');
    expectContains(table, `<td class="num">+2.017 [${MINUS}0.21, +3.68]<br><span class="muted">+54%</span></td>`);
    expectContains(table, '<td class="num">+0.437 [+0.36, +0.50]<br><span class="caveat">93.8 % CI</span><br><span class="muted">+144%</span></td>');
    expect(count(table, '<th scope="row">')).toBe(2);
    expectContains(html, `<p class="note">${escapeHtml(fixture.summary.ciMethod)}</p>`);
  });

  it('keeps the pooled percentiles and adds the per-trial median [CI] from latencyOverTrials', () => {
    const pooled = element(html, 'latency-pooled');
    expectContains(pooled, '<td class="num">0.303</td><td class="num">0.448</td><td class="num">0.631</td><td class="num">3.573</td><td class="num">11.967</td>');
    expectContains(pooled, '<td class="num bad">&lt;0.01%</td>');
    const overTrials = element(html, 'latency-over-trials');
    expectContains(overTrials, '<th scope="row">app-only</th><td class="num">6</td>\n<td class="num">0.303 [0.291, 0.321]</td>');
    expectContains(overTrials, '<td class="num">0.745 [0.67, 0.80]<br><span class="caveat">93.8 % CI</span></td>');
  });

  it('shows the three estimators side by side per topology, with the CI method under them', () => {
    const section = element(html, 'estimators', '</section>');
    expectContains(section, '<h2>Three estimators, side by side</h2>');
    expectContains(section, 'sees everything the topology adds (both proxies, the extra network hop, queueing) at µs resolution');
    expectContains(section, "so it should agree with the differential when the app's time does not change");
    const inbound = element(html, 'estimators-sidecar-inbound');
    expectContains(inbound, '<th scope="col">P50</th><th scope="col">P90</th><th scope="col">P99</th><th scope="col">P99.9</th></tr>');
    expectContains(inbound, '<tr><th scope="row">differential</th><td class="num">+0.235 [+0.226, +0.278]</td>');
    expectContains(inbound, '<tr><th scope="row">per-request header (x-envoy-upstream-service-time, 1 ms resolution)</th><td class="num">+0.543 [+0.524, +0.569]</td>');
    expectContains(inbound, '<tr><th scope="row">per-request app-µs (x-app-service-time-us)</th><td class="num">+0.235 [+0.226, +0.278]</td>');
    expectContains(element(html, 'estimators-sidecar'), '<td class="num">+0.437 [+0.36, +0.50]<br><span class="caveat">93.8 % CI</span></td>');
    expectContains(section, `<p class="note ci-method">${escapeHtml(fixture.summary.ciMethod)}</p>`);
    expect(section.indexOf('ci-method')).toBeGreaterThan(section.indexOf('id="estimators-sidecar"'));
    expectNotContains(section, 'id="estimators-app-only"');
  });
});

describe('HTML report: host', () => {
  it('shows what the stall probe saw on each CPU', async () => {
    const fixture = makeFixture();
    const html = await renderHtmlReport(fixture.results, fixture.summary);
    expectContains(
      html,
      '<div><dt>Machine stalls</dt><dd>cpu0 0.62 % stalled (1.5/s ≥ 1 ms, longest 3.4 ms), cpu1 0.02 % stalled (0.0/s ≥ 1 ms, longest 0.6 ms) <span class="muted small">(probed 2 s per CPU before the trials; gaps ≥ 0.5 ms)</span></dd>',
    );
  });
});

describe('HTML report: open model', () => {
  const fixture = makeFixture({ openModel: true });
  let html = '';
  beforeAll(async () => {
    html = await renderHtmlReport(fixture.results, fixture.summary);
  });

  it('puts a red banner under the answer for the topology that did not sustain its rate', () => {
    const banner =
      '<div class="banner" role="alert"><strong>sidecar: the target rate was NOT sustained.</strong> ' +
      '12000 of 120000 scheduled requests (10.0 %) could not be sent: the rate of 4000/s was not sustained. ' +
      'Only 3600/s were sent of the 4000/s scheduled (target 4000/s). Its latency and overhead describe an overloaded system at 3,600/s, not the planned 4,000/s.</div>';
    expectContains(html, banner);
    expect(count(html, 'role="alert"')).toBe(1);
    // Right under the answer table, whose row for the topology is flagged too.
    expect(html.indexOf(banner)).toBeGreaterThan(html.indexOf('id="answer"'));
    expect(html.indexOf(banner)).toBeLessThan(html.indexOf('<ul class="key-figures">'));
    expectContains(html, '<strong>sidecar</strong> <span class="bad">(target rate NOT sustained)</span>: +250.489 ms [+250.46, +250.60] at P50');
  });

  it('gives late sends and waits as amber notes, not banners', () => {
    expectContains(html, '<div class="notice" role="note"><strong>sidecar-inbound:</strong> 2.4 % of requests waited for a free connection: the system under test fell behind the schedule (their wait is in the latency).</div>');
    expectContains(html, '<div class="notice" role="note"><strong>sidecar-inbound:</strong> Send lag P99 is 1.39 ms: 1 % of requests left more than that after their scheduled time (the wait counts in their latency).</div>');
    expectContains(html, '<div class="notice" role="note"><strong>sidecar:</strong> 90.0 % of requests waited for a free connection');
    expect(count(html, 'class="notice"')).toBe(4);
    expectNotContains(html, '<strong>app-only:</strong>');
  });

  it('tabulates the schedule: target, sent, unsent, waited, send lag', () => {
    const table = element(html, 'open-schedule');
    expectContains(table, '<tr><th scope="row">app-only</th>\n<td class="num">4,000</td><td class="num">4,000</td>');
    expectContains(table, '<td class="num">0.018</td><td class="num">0.060</td><td class="num">0.154</td>');
    expectContains(table, '<tr><th scope="row">sidecar</th>\n<td class="num">4,000</td><td class="num bad">3,600</td>');
    expectContains(table, '<td class="num bad">12,000<br><span class="muted">10%</span></td><td class="num">97,200<br><span class="muted">90%</span></td>');
    expectContains(table, '<span class="verdict fail">NO</span>');
    expect(count(table, '<span class="verdict pass">yes</span>')).toBe(2);
  });

  it('shows the corrected latency next to the uncorrected one', () => {
    const table = element(html, 'open-latency');
    expectContains(table, '<td>from the scheduled send (corrected)</td><td class="num">250.879</td><td class="num">450.815</td>');
    expectContains(table, '<td class="muted">from the actual send (uncorrected, what a closed-loop tool reports)</td><td class="num">0.698</td><td class="num">1.030</td><td class="num">1.445</td>');
    expect(count(table, 'from the scheduled send (corrected)')).toBe(3);
  });

  it('explains where the differential and app-µs estimators disagree', () => {
    expectContains(element(html, 'estimators', '</section>'), 'At P50, P90, P99 the differential is above the app-µs estimate and their intervals do not overlap');
  });
});

describe('HTML report: calibration', () => {
  const fixture = makeFixture({ calibration: true });
  let html = '';
  let section = '';
  beforeAll(async () => {
    html = await renderHtmlReport(fixture.results, fixture.summary);
    section = element(html, 'calibration', '</section>');
  });

  it('uses a calibration fixture whose delayed arms shift the latency by about D', () => {
    const p50 = (arm: string) => fixture.summary.topologies.find((t) => t.topology === arm)!.latency.p50Us;
    for (const { arm, delayUs } of fixture.results.calibration!.delayedArms) expect(Math.abs(p50(arm) - p50('calibration-d0') - delayUs)).toBeLessThan(30);
    expect(fixture.results.baseline).toBe('calibration-d0');
  });

  it('comes first, with the overall verdict and what the verdict is judged by', () => {
    expect(html.indexOf('id="calibration"')).toBeLessThan(html.indexOf('id="key-figures"'));
    expectContains(section, '<p class="verdict-line pass"><strong>Calibration PASSED. Delays: PASS, differential and app-µs attributed every injected delay within tolerance (12 checks).');
    expectContains(section, '<strong>judged by: differential, app-µs (the header estimator cannot see a delay upstream of the proxy that sets the header)</strong>');
  });

  it('has a PASS/FAIL cell per delayed arm, estimator and statistic', () => {
    const table = element(html, 'calibration-checks');
    expectContains(table, '<th scope="rowgroup" rowspan="6">calibration-d500us</th><td class="num" rowspan="6">0.500</td><td>differential</td><td>P50</td>\n<td class="num">+0.503 [+0.476, +0.522]</td><td class="num">±0.030</td><td class="verdict pass">PASS</td>');
    expectContains(table, '<td class="num">+5.004 [+4.983, +5.052]</td><td class="num">±0.500</td><td class="verdict pass">PASS</td>');
    expectContains(table, `<td class="num">${MINUS}0.004 [${MINUS}0.010, +0.009]</td><td class="num">±0.050</td><td class="verdict fail not-judged">FAIL <span class="muted small">(not judged)</span></td>`);
    expect(count(table, '<td class="verdict pass">PASS</td>')).toBe(12);
    expect(count(table, '<td class="verdict fail not-judged">FAIL')).toBe(4);
    expect(count(table, '<td class="verdict pass not-judged">PASS')).toBe(2);
  });

  it('has the A/A table with difference [CI] and significance, and its verdict', () => {
    const table = element(html, 'calibration-aa');
    expectContains(table, `<tr><td>differential</td><td>P50</td>\n<td class="num">${MINUS}0.003 [${MINUS}0.025, +0.015]</td>\n<td class="verdict pass">not significant</td></tr>`);
    expect(count(table, 'not significant')).toBe(6);
    expectContains(section, '<p class="verdict-line pass"><strong>A/A (calibration-aa vs calibration-d0): PASS, no significant difference where there is none.</strong></p>');
  });

  it('says FAILED, in a judged FAIL cell, when a judged estimator misses its tolerance', async () => {
    const calibration = fixture.summary.calibration!;
    const checks = calibration.checks.map((check, index) => (index === 0 ? { ...check, pass: false } : check));
    const failing = { ...fixture.summary, calibration: { ...calibration, checks, pass: false } };
    const page = await renderHtmlReport(fixture.results, failing);
    expectContains(page, '<p class="verdict-line fail" role="alert"><strong>Calibration FAILED. Delays: FAIL, 1 of 12 checks by differential and app-µs out of tolerance: differential P50 at D = 0.500 ms.');
    expectContains(page, '<td class="num">+0.503 [+0.476, +0.522]</td><td class="num">±0.030</td><td class="verdict fail">FAIL</td>');
  });
});

describe('HTML report: the closed-loop re-check and the wake-up evidence', () => {
  const estimate = (median: number, low: number, high: number) => ({ n: 6, median, low, high, coverage: 0.96875 });

  async function reportWith(host: Partial<Parameters<typeof renderHtmlReport>[0]['host']>): Promise<string> {
    const fixture = makeFixture();
    const sidecar = fixture.summary.topologies.find((topology) => topology.topology === 'sidecar');
    const inbound = fixture.summary.topologies.find((topology) => topology.topology === 'sidecar-inbound');
    if (!sidecar || !inbound) throw new Error('fixture lacks a sidecar topology');
    sidecar.closedCheck = { connections: 1, latencyP50: estimate(159, 147, 179), overheadP50: estimate(101, 83, 129), headlineOverheadP50: estimate(164.5, 112, 282), toleranceUs: 50, agrees: false };
    inbound.closedCheck = { connections: 1, latencyP50: estimate(113, 98, 122), overheadP50: estimate(53.5, 35, 72), headlineOverheadP50: estimate(88, 28, 142), toleranceUs: 50, agrees: true };
    return renderHtmlReport({ ...fixture.results, host: { ...fixture.results.host, ...host } }, fixture.summary);
  }

  it('says which arms agree and, for one that does not, by how much they may differ', async () => {
    const html = await reportWith({});
    expectContains(html, '<span class="good">agree</span> within 50 µs (max(50 µs, 30 %))');
    expectContains(html, '<span class="bad">DISAGREE</span>: they differ by more than 50 µs (max(50 µs, 30 %))');
    expectContains(html, 'This run has no wake-up probe.');
  });

  it('cites the wake-up probe and, without a cpuidle driver, why CPUs cannot be kept awake', async () => {
    const wakeUp = { cpus: [0, 1] as [number, number], pauseMs: 1, roundTrips: 400, busyRoundTripUs: { p50: 57.5, p90: 68.8 }, idleRoundTripUs: { p50: 191.7, p90: 860.7 } };
    const html = await reportWith({ wakeUp, cpuIdleDriver: 'none' });
    expectContains(html, `Before the trials this machine measured: ${escapeHtml('cpu0↔cpu1 round trip 58 µs back to back, 192 µs after 1 ms idle (p50; p90 69 µs → 861 µs)')}, i.e. 134 µs more per round trip`);
    expectContains(html, 'This machine has no cpuidle driver');
    const withDriver = await reportWith({ wakeUp, cpuIdleDriver: 'haltpoll' });
    expectContains(withDriver, 'Compare a run with <code>host.keepCpusAwake: true</code>.');
  });
});
