import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { decodeHistogram, summarizeUs, type Histogram } from '../hdr/histogram.js';
import { agentResultSchema } from '../load/agent-protocol.js';
import { ResponseRecorder, readServiceTimes, serviceTimesOfRecord } from './loadgen-recorder.js';

const WINDOW = { startEpochMs: 1_000, endEpochMs: 11_000 };

/** Count recorded at exactly this value (its bucket), through JsHistogram's public index API. */
function countAt(histogram: Histogram, valueUs: number): number {
  if (!(histogram instanceof hdr.JsHistogram)) throw new Error('expected a JS (non-WebAssembly) histogram');
  return histogram.getCountAtIndex(histogram.countsArrayIndex(valueUs));
}

describe('readServiceTimes', () => {
  it('is empty without headers', () => {
    expect(readServiceTimes(undefined)).toStrictEqual({});
    expect(readServiceTimes([])).toStrictEqual({});
  });

  it('converts x-envoy-upstream-service-time from ms to µs and keeps the app header in µs', () => {
    expect(
      readServiceTimes(['Content-Length', '1024', 'x-envoy-upstream-service-time', '3', 'x-app-service-time-us', '250']),
    ).toStrictEqual({ upstreamServiceTimeUs: 3000, appServiceTimeUs: 250 });
  });

  it('matches header names case-insensitively', () => {
    expect(readServiceTimes(['X-Envoy-Upstream-Service-Time', '12', 'X-APP-SERVICE-TIME-US', '7'])).toStrictEqual({
      upstreamServiceTimeUs: 12_000,
      appServiceTimeUs: 7,
    });
  });

  it('accepts 0 and fractional values', () => {
    expect(readServiceTimes(['x-envoy-upstream-service-time', '0', 'x-app-service-time-us', '12.5'])).toStrictEqual({
      upstreamServiceTimeUs: 0,
      appServiceTimeUs: 12.5,
    });
    expect(readServiceTimes(['x-envoy-upstream-service-time', '2.5'])).toStrictEqual({ upstreamServiceTimeUs: 2500 });
  });

  it.each([['abc'], ['-1'], ['NaN'], ['Infinity'], ['3ms']])('ignores the bad value %j', (value) => {
    expect(readServiceTimes(['x-envoy-upstream-service-time', value, 'x-app-service-time-us', value])).toStrictEqual({});
  });

  // BUG: loadgen-recorder.ts readServiceTimes uses Number(value), and Number('') === 0, so an empty
  // header becomes a measured 0 ms upstream / 0 µs app time instead of being ignored — and then
  // feeds proxyOverheadUs / networkAndProxiesUs with the whole client latency.
  it('ignores an empty header value', () => {
    expect(readServiceTimes(['x-envoy-upstream-service-time', '', 'x-app-service-time-us', ' '])).toStrictEqual({});
  });

  it('ignores a trailing name without a value and unrelated headers', () => {
    expect(readServiceTimes(['server', 'haproxy', 'x-app-service-time-us'])).toStrictEqual({});
  });

  it('keeps the last of repeated headers', () => {
    expect(readServiceTimes(['x-app-service-time-us', '5', 'x-app-service-time-us', '9'])).toStrictEqual({ appServiceTimeUs: 9 });
  });
});

describe('ResponseRecorder', () => {
  it('is empty before any response', () => {
    const result = new ResponseRecorder().toResult(WINDOW);
    expect(agentResultSchema.parse(result)).toStrictEqual(result);
    expect(result).toMatchObject({
      event: 'result',
      window: WINDOW,
      responses: 0,
      statusCodes: {},
      connectionErrors: 0,
      timeouts: 0,
      errorMessages: [],
      bytesRead: 0,
      headerCounts: { upstreamServiceTime: 0, appServiceTime: 0 },
    });
    for (const encoded of Object.values(result.histograms)) expect(decodeHistogram(encoded).totalCount).toBe(0);
  });

  it('counts statuses, bytes, errors and timeouts; latency holds the 2xx only', () => {
    const recorder = new ResponseRecorder();
    recorder.recordResponse(200, 1100, 500, {});
    recorder.recordResponse(200, 1100, 600, {});
    recorder.recordResponse(503, 90, 700, {});
    recorder.recordConnectionError('ECONNRESET');
    recorder.recordConnectionError('ECONNRESET');
    recorder.recordConnectionError('connect EADDRNOTAVAIL 10.0.0.2:8080');
    recorder.recordConnectionError('connection closed before the response', undefined, 'closed-before-response');
    recorder.recordTimeout();
    expect(recorder.responseCount).toBe(3);
    const result = recorder.toResult(WINDOW);
    expect(result.responses).toBe(3);
    expect(result.okResponses).toBe(2);
    expect(result.statusCodes).toStrictEqual({ '200': 2, '503': 1 });
    expect(result.bytesRead).toBe(2290);
    expect(result.connectionErrors).toBe(4);
    expect(result.connectErrorsByErrno).toStrictEqual({ ECONNRESET: 2, EADDRNOTAVAIL: 1, 'closed-before-response': 1 });
    expect(result.timeouts).toBe(1);
    expect(result.errorMessages).toStrictEqual(['ECONNRESET', 'connect EADDRNOTAVAIL 10.0.0.2:8080', 'connection closed before the response', 'request timed out']);
    expect(result.headerCounts).toStrictEqual({ upstreamServiceTime: 0, appServiceTime: 0 });
    expect(summarizeUs(decodeHistogram(result.histograms.latencyUs))).toMatchObject({ count: 2, minUs: 500, maxUs: 600, meanUs: 550 });
    // Only the 503 has a known duration: the reset and the timeout came without a send time.
    expect(summarizeUs(decodeHistogram(result.histograms.failedLatencyUs as string))).toMatchObject({ count: 1, minUs: 700, maxUs: 700 });
  });

  it('fast 503s and slow 200s: the latency is the 200s’, the 503s are counted apart with their own histogram', () => {
    const recorder = new ResponseRecorder();
    // What a sidecar in front of a dead app does: 503 in 80 µs, while the live requests take 2 ms.
    for (let i = 0; i < 90; i++) recorder.recordResponse(503, 100, 80, { upstreamServiceTimeUs: 0 });
    for (let i = 0; i < 10; i++) recorder.recordResponse(200, 1100, 2000, { upstreamServiceTimeUs: 1000, appServiceTimeUs: 1500 });
    const result = recorder.toResult(WINDOW);
    expect(result.responses).toBe(100);
    expect(result.okResponses).toBe(10);
    expect(result.statusCodes).toStrictEqual({ '200': 10, '503': 90 });
    expect(summarizeUs(decodeHistogram(result.histograms.latencyUs))).toStrictEqual({
      count: 10,
      minUs: 2000,
      meanUs: 2000,
      p50Us: 2000,
      p90Us: 2000,
      p99Us: 2000,
      p999Us: 2000,
      maxUs: 2000,
    });
    const failed = decodeHistogram(result.histograms.failedLatencyUs as string);
    expect(failed.totalCount).toBe(90);
    expect(countAt(failed, 80)).toBe(90);
    // The per-request estimators see the successes only.
    expect(result.headerCounts).toStrictEqual({ upstreamServiceTime: 10, appServiceTime: 10 });
    expect(countAt(decodeHistogram(result.histograms.proxyOverheadUs), 1000)).toBe(10);
    expect(countAt(decodeHistogram(result.histograms.networkAndProxiesUs), 500)).toBe(10);
  });

  it('records the duration of resets, timeouts and requests unanswered at the end when it is known', () => {
    const recorder = new ResponseRecorder();
    recorder.recordConnectionError('ECONNRESET', 1_200);
    recorder.recordTimeout(1_400_000);
    recorder.recordUnanswered(2_000_000);
    const result = recorder.toResult(WINDOW);
    expect(result).toMatchObject({ responses: 0, okResponses: 0, connectionErrors: 1, timeouts: 1, unansweredAtEnd: 1 });
    expect(result.errorMessages).toStrictEqual(['ECONNRESET', 'request timed out', 'no answer by the end of the trial']);
    const failed = decodeHistogram(result.histograms.failedLatencyUs as string);
    expect(failed.totalCount).toBe(3);
    expect([1_200, 1_400_000, 2_000_000].map((us) => countAt(failed, us))).toStrictEqual([1, 1, 1]);
    expect(decodeHistogram(result.histograms.latencyUs).totalCount).toBe(0);
  });

  it('counts a latency beyond the histogram’s 60 s range instead of clamping it silently', () => {
    const recorder = new ResponseRecorder();
    recorder.recordResponse(200, 10, 500, {});
    recorder.recordResponse(200, 10, 75_000_000, {});
    recorder.recordResponse(200, 10, 60_000_000, {});
    recorder.recordTimeout(61_000_000);
    const result = recorder.toResult(WINDOW);
    // 75 s (ok) and 61 s (failed) are beyond; exactly 60 s is within.
    expect(result.latenciesAboveRange).toBe(2);
    const latency = decodeHistogram(result.histograms.latencyUs);
    expect(latency.totalCount).toBe(3);
    expect(summarizeUs(latency).maxUs).toBeGreaterThanOrEqual(60_000_000);
  });

  it('keeps at most 5 distinct error messages but counts every error', () => {
    const recorder = new ResponseRecorder();
    for (const message of ['e1', 'e2', 'e1', 'e3', 'e4', 'e5', 'e6', 'e7']) recorder.recordConnectionError(message);
    recorder.recordTimeout();
    const result = recorder.toResult(WINDOW);
    expect(result.connectionErrors).toBe(8);
    expect(result.timeouts).toBe(1);
    expect(result.errorMessages).toStrictEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('computes proxyOverheadUs = latency − upstream and networkAndProxiesUs = latency − app per request', () => {
    const recorder = new ResponseRecorder();
    // latency 1500 µs, proxy says 1 ms upstream, app says 200 µs.
    recorder.recordResponse(200, 10, 1500, readServiceTimes(['x-envoy-upstream-service-time', '1', 'x-app-service-time-us', '200']));
    // latency 1900 µs, proxy says 1 ms, app says 300 µs.
    recorder.recordResponse(200, 10, 1900, readServiceTimes(['x-envoy-upstream-service-time', '1', 'x-app-service-time-us', '300']));
    // Only the app header (no proxy on the path): latency 800 µs, app 100 µs.
    recorder.recordResponse(200, 10, 800, readServiceTimes(['x-app-service-time-us', '100']));
    // No header at all: latency only.
    recorder.recordResponse(200, 10, 400, {});
    const result = recorder.toResult(WINDOW);
    expect(result.headerCounts).toStrictEqual({ upstreamServiceTime: 2, appServiceTime: 3 });

    const latency = decodeHistogram(result.histograms.latencyUs);
    expect(latency.totalCount).toBe(4);
    expect([400, 800, 1500, 1900].map((us) => countAt(latency, us))).toStrictEqual([1, 1, 1, 1]);

    const upstream = decodeHistogram(result.histograms.upstreamServiceTimeUs);
    expect(upstream.totalCount).toBe(2);
    expect(countAt(upstream, 1000)).toBe(2);

    const proxyOverhead = decodeHistogram(result.histograms.proxyOverheadUs);
    expect(summarizeUs(proxyOverhead)).toStrictEqual({
      count: 2,
      minUs: 500,
      meanUs: 700,
      p50Us: 500,
      p90Us: 900,
      p99Us: 900,
      p999Us: 900,
      maxUs: 900,
    });

    const app = decodeHistogram(result.histograms.appServiceTimeUs);
    expect([100, 200, 300].map((us) => countAt(app, us))).toStrictEqual([1, 1, 1]);

    const networkAndProxies = decodeHistogram(result.histograms.networkAndProxiesUs);
    expect(networkAndProxies.totalCount).toBe(3);
    expect([700, 1300, 1600].map((us) => countAt(networkAndProxies, us))).toStrictEqual([1, 1, 1]);
    expect(summarizeUs(networkAndProxies)).toMatchObject({ minUs: 700, p50Us: 1300, maxUs: 1600 });
  });

  it('records a negative difference (ms rounding of the upstream header) as 0', () => {
    const recorder = new ResponseRecorder();
    // Client saw 900 µs; the proxy rounded its upstream time up to 1 ms.
    recorder.recordResponse(200, 10, 900, { upstreamServiceTimeUs: 1000 });
    const proxyOverhead = decodeHistogram(recorder.toResult(WINDOW).histograms.proxyOverheadUs);
    expect(proxyOverhead.totalCount).toBe(1);
    expect(countAt(proxyOverhead, 0)).toBe(1);
  });

  it('produces a result the agent protocol accepts', () => {
    const recorder = new ResponseRecorder();
    recorder.recordResponse(200, 1024, 321, { upstreamServiceTimeUs: 0, appServiceTimeUs: 12 });
    const result = recorder.toResult(WINDOW);
    expect(agentResultSchema.parse(JSON.parse(JSON.stringify(result)))).toStrictEqual(result);
  });
});

describe('serviceTimesOfRecord (HTTP/2 headers, gRPC metadata)', () => {
  it('reads both headers, ms → µs for the upstream time, the last of repeated values', () => {
    expect(serviceTimesOfRecord({ ':status': 200, 'x-envoy-upstream-service-time': '3', 'x-app-service-time-us': ['5', '250'] })).toStrictEqual({
      upstreamServiceTimeUs: 3000,
      appServiceTimeUs: 250,
    });
  });

  it('ignores missing, empty and non-text values', () => {
    expect(serviceTimesOfRecord(undefined)).toStrictEqual({});
    expect(serviceTimesOfRecord({ 'x-envoy-upstream-service-time': '', 'x-app-service-time-us': Buffer.from('7') })).toStrictEqual({});
  });
});
