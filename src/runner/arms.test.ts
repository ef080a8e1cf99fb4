import { describe, expect, it } from 'vitest';
import { parseScenario, TOPOLOGY_DESCRIPTIONS, type Scenario } from '../scenario/index.js';
import { BASELINE_ARM_SUFFIX, pairedArms, pairingProblems, scenarioArms } from './arms.js';

const LOAD = ['load:', '  connections: 16', '  duration: 10s'];

function scenario(path: string, lines: string[]): Scenario {
  return parseScenario([...lines, ''].join('\n'), path);
}

const CANDIDATE = scenario('candidate.yaml', ['topologies: [app-only, sidecar, mtls]', 'proxy: { profile: haproxy, workerThreads: 2 }', ...LOAD]);
const BASELINE = scenario('baseline.yaml', ['topologies: [app-only, sidecar, mtls]', 'proxy: { profile: envoy }', 'mtls: { tlsVersion: "1.2" }', ...LOAD]);

describe('scenarioArms', () => {
  it('is one arm per topology, named after it', () => {
    expect(scenarioArms(CANDIDATE)).toStrictEqual([
      { name: 'app-only', topology: 'app-only', description: TOPOLOGY_DESCRIPTIONS['app-only'] },
      { name: 'sidecar', topology: 'sidecar', description: TOPOLOGY_DESCRIPTIONS.sidecar },
      { name: 'mtls', topology: 'mtls', description: TOPOLOGY_DESCRIPTIONS.mtls },
    ]);
  });
});

describe('pairedArms', () => {
  const arms = pairedArms(CANDIDATE, BASELINE);

  it('runs app-only once and every other topology as baseline then candidate, side by side', () => {
    expect(BASELINE_ARM_SUFFIX).toBe('-baseline');
    expect(arms.map((arm) => [arm.name, arm.topology])).toStrictEqual([
      ['app-only', 'app-only'],
      ['sidecar-baseline', 'sidecar'],
      ['sidecar', 'sidecar'],
      ['mtls-baseline', 'mtls'],
      ['mtls', 'mtls'],
    ]);
  });

  it('describes each arm with the file it takes its settings from', () => {
    expect(arms.map((arm) => arm.description)).toStrictEqual([
      'baseline: load generator → app, no proxy',
      'both pods have a sidecar: client outbound proxy → server inbound proxy → app (baseline: baseline.yaml)',
      'both pods have a sidecar: client outbound proxy → server inbound proxy → app (candidate: candidate.yaml)',
      `${TOPOLOGY_DESCRIPTIONS.mtls} (baseline: baseline.yaml)`,
      `${TOPOLOGY_DESCRIPTIONS.mtls} (candidate: candidate.yaml)`,
    ]);
  });

  it('only the baseline arms carry the baseline scenario (the others run the candidate’s settings)', () => {
    expect(arms.map((arm) => arm.settingsFrom)).toStrictEqual([undefined, BASELINE, undefined, BASELINE, undefined]);
    expect(arms.filter((arm) => 'settingsFrom' in arm).map((arm) => arm.name)).toStrictEqual(['sidecar-baseline', 'mtls-baseline']);
    expect(arms.every((arm) => arm.calibrationDelayUs === undefined)).toBe(true);
  });

  it('follows the candidate’s topologies', () => {
    const candidate = scenario('c.yaml', ['topologies: [mtls-churn]', ...LOAD]);
    expect(pairedArms(candidate, BASELINE).map((arm) => arm.name)).toStrictEqual(['mtls-churn-baseline', 'mtls-churn']);
  });
});

describe('pairingProblems', () => {
  it('accepts scenarios that differ only in proxy and mTLS settings', () => {
    expect(pairingProblems(CANDIDATE, BASELINE)).toStrictEqual([]);
  });

  it('names different topologies with both lists', () => {
    const other = scenario('other.yaml', ['topologies: [app-only, sidecar]', ...LOAD]);
    expect(pairingProblems(CANDIDATE, other)).toStrictEqual([
      'topologies differ: candidate.yaml has [app-only, sidecar, mtls], other.yaml has [app-only, sidecar]',
    ]);
  });

  it('refuses a different load, however small the difference', () => {
    const other = scenario('other.yaml', ['topologies: [app-only, sidecar, mtls]', 'load:', '  connections: 16', '  duration: 10s', '  warmup: 3s']);
    expect(pairingProblems(CANDIDATE, other)).toStrictEqual(['load differs between candidate.yaml and other.yaml: both sides must see the same load']);
    const saturated = scenario('sat.yaml', ['topologies: [app-only, sidecar, mtls]', ...LOAD, '  saturation: { connections: 64, duration: 2s }']);
    expect(pairingProblems(CANDIDATE, saturated)).toStrictEqual(['load differs between candidate.yaml and sat.yaml: both sides must see the same load']);
  });

  it('refuses a different app (app-only is shared by both sides)', () => {
    const other = scenario('other.yaml', ['topologies: [app-only, sidecar, mtls]', 'app: { responseBody: 2KiB }', ...LOAD]);
    expect(pairingProblems(CANDIDATE, other)).toStrictEqual(['app differs between candidate.yaml and other.yaml: app-only is shared by both sides']);
  });

  it('lists every problem at once', () => {
    const other = scenario('other.yaml', ['topologies: [sidecar]', 'app: { serviceTime: 1ms }', 'load:', '  model: open', '  rate: 100/s', '  duration: 10s']);
    expect(pairingProblems(CANDIDATE, other)).toStrictEqual([
      'topologies differ: candidate.yaml has [app-only, sidecar, mtls], other.yaml has [sidecar]',
      'load differs between candidate.yaml and other.yaml: both sides must see the same load',
      'app differs between candidate.yaml and other.yaml: app-only is shared by both sides',
    ]);
  });
});
