import { describe, expect, it } from 'vitest';
import { PROXY_DRIVERS, PROXY_NAMES, proxyDriver } from './registry.js';

describe('proxy registry', () => {
  it('names every driver by the key a scenario uses', () => {
    expect(PROXY_NAMES).toStrictEqual(['haproxy', 'envoy']);
    for (const name of PROXY_NAMES) expect(proxyDriver(name).name).toBe(name);
  });

  it('gives a reason for every capability a driver lacks, and TLS operations when it claims them', () => {
    for (const driver of Object.values(PROXY_DRIVERS)) {
      for (const [key, capability] of Object.entries(driver.capabilities)) {
        if (key === 'protocols' || !('supported' in capability) || capability.supported) continue;
        expect(capability.reason.length, `${driver.name}.${key}`).toBeGreaterThan(10);
      }
      const claimsTls = driver.capabilities.svidRotation.supported || driver.capabilities.tlsCounters.supported;
      expect(Boolean(driver.tlsAdmin), driver.name).toBe(claimsTls);
    }
  });
});
