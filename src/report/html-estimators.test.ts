import { describe, expect, it } from 'vitest';
import { missingEstimatorReason } from './html-estimators.js';

describe('missingEstimatorReason', () => {
  it('says the upstream-time estimator cannot exist for WebSocket and TCP, rather than that no header came', () => {
    for (const protocol of ['websocket', 'tcp']) {
      expect(missingEstimatorReason('perRequestHeader', protocol)).toBe(
        `cannot exist for ${protocol}: its messages pass the proxies as bytes, so no proxy can add x-envoy-upstream-service-time to them (the app's µs time travels in-band)`,
      );
    }
    expect(missingEstimatorReason('perRequestHeader', undefined)).toBe('no response carried x-envoy-upstream-service-time');
    expect(missingEstimatorReason('perRequestHeader', 'http2')).toBe('no response carried x-envoy-upstream-service-time');
    // The app's time travels in-band, so its estimator keeps its ordinary reason.
    expect(missingEstimatorReason('perRequestAppUs', 'tcp')).toBe('x-app-service-time-us missing here or in the baseline');
  });
});
