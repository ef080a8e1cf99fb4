import { describe, expect, it } from 'vitest';
import { isExpectedFaultAnswer } from './fault-probe.js';

describe('the start-up probe of a fault arm', () => {
  it('accepts exactly the answer of the fault the arm declares', () => {
    expect(isExpectedFaultAnswer('upstream-timeout', 504)).toBe(true);
    expect(isExpectedFaultAnswer('upstream-connect-error', 503)).toBe(true);
    expect(isExpectedFaultAnswer('upstream-timeout', 503)).toBe(false);
    expect(isExpectedFaultAnswer('upstream-connect-error', 504)).toBe(false);
  });

  it('accepts nothing but a 200 from an arm without a fault, or with a fault that shows under load only', () => {
    for (const status of [504, 503, 502, 500, 0]) {
      expect(isExpectedFaultAnswer(undefined, status)).toBe(false);
      expect(isExpectedFaultAnswer('port-exhaustion', status)).toBe(false);
    }
  });
});
