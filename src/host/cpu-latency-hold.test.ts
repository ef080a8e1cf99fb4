import { describe, expect, it } from 'vitest';
import { whyCpusCannotBeKeptAwake } from './cpu-latency-hold.js';

describe('whyCpusCannotBeKeptAwake', () => {
  it('refuses a machine with no cpuidle driver, saying why', () => {
    expect(whyCpusCannotBeKeptAwake('none')).toMatch(/no cpuidle driver \(current_driver is "none"\)/);
    expect(whyCpusCannotBeKeptAwake('none\n')).toMatch(/"none"/);
    expect(whyCpusCannotBeKeptAwake(undefined)).toMatch(/current_driver is missing/);
  });

  it('lets a machine with a driver hold its CPUs awake', () => {
    expect(whyCpusCannotBeKeptAwake('haltpoll')).toBeUndefined();
    expect(whyCpusCannotBeKeptAwake('intel_idle')).toBeUndefined();
  });
});
