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
      { name: 'sidecar', topology: 'sidecar', description: TOPOLOGY_DESCRIPTIONS.sidecar, proxy: CANDIDATE.proxy },
      { name: 'mtls', topology: 'mtls', description: TOPOLOGY_DESCRIPTIONS.mtls, proxy: CANDIDATE.proxy },
    ]);
  });
});

describe('scenarioArms with resources and sysctls', () => {
  it('carries each arm’s resources and sysctls, and says in its description what sets it apart', () => {
    const arms = scenarioArms(
      scenario('limits.yaml', [
        'resources: { sidecar: { requests: { cpu: 200m, memory: 128Mi }, limits: { cpu: "1", memory: 512Mi } } }',
        'arms:',
        '  - { topology: app-only }',
        '  - { name: step1, topology: sidecar }',
        '  - { name: cpu-100m, topology: sidecar, resources: { sidecar: { limits: { cpu: 100m } } }, sysctls: {} }',
        ...LOAD,
      ]),
    );
    expect(arms.map((arm) => [arm.name, arm.resources?.sidecar?.limits, arm.sysctls])).toStrictEqual([
      ['app-only', undefined, undefined],
      ['step1', { cpuMilli: 1000, memoryBytes: 512 * 1024 ** 2 }, undefined],
      ['cpu-100m', { cpuMilli: 100 }, {}],
    ]);
    expect(arms.map((arm) => arm.description)).toStrictEqual([
      TOPOLOGY_DESCRIPTIONS['app-only'],
      `${TOPOLOGY_DESCRIPTIONS.sidecar} (sidecar cpu 200m–1, memory 128Mi–512Mi)`,
      `${TOPOLOGY_DESCRIPTIONS.sidecar} (sidecar cpu limit 100m; sysctls: kernel defaults)`,
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

  it('each side runs its own proxy: the baseline arm the baseline’s (here Envoy), the candidate arm the candidate’s', () => {
    expect(arms.map((arm) => [arm.name, arm.proxy])).toStrictEqual([
      ['app-only', undefined],
      ['sidecar-baseline', { profile: 'envoy', workerThreads: 1 }],
      ['sidecar', { profile: 'haproxy', workerThreads: 2 }],
      ['mtls-baseline', { profile: 'envoy', workerThreads: 1 }],
      ['mtls', { profile: 'haproxy', workerThreads: 2 }],
    ]);
  });

  it('pairs named arms by name, each twin with the baseline arm’s own proxy', () => {
    const arms = (file: string, delay: string) =>
      scenario(file, ['arms:', '  - { name: bare, topology: app-only }', `  - { name: h, topology: sidecar, proxy: { addedDelay: ${delay} } }`, '  - { name: e, topology: sidecar, proxy: { profile: envoy, version: "1.36.2" } }', ...LOAD]);
    const paired = pairedArms(arms('c.yaml', '1ms'), arms('b.yaml', '2ms'));
    expect(paired.map((arm) => [arm.name, arm.proxy?.addedDelayUs ?? arm.proxy?.version])).toStrictEqual([
      ['bare', undefined],
      ['h-baseline', 2000],
      ['h', 1000],
      ['e-baseline', '1.36.2'],
      ['e', '1.36.2'],
    ]);
    expect(paired.map((arm) => arm.description)).toStrictEqual([
      TOPOLOGY_DESCRIPTIONS['app-only'],
      `${TOPOLOGY_DESCRIPTIONS.sidecar} (haproxy, +2ms added delay; baseline: b.yaml)`,
      `${TOPOLOGY_DESCRIPTIONS.sidecar} (haproxy, +1ms added delay; candidate: c.yaml)`,
      `${TOPOLOGY_DESCRIPTIONS.sidecar} (envoy 1.36.2; baseline: b.yaml)`,
      `${TOPOLOGY_DESCRIPTIONS.sidecar} (envoy 1.36.2; candidate: c.yaml)`,
    ]);
  });

  it('follows the candidate’s topologies', () => {
    const candidate = scenario('c.yaml', ['topologies: [mtls-churn]', ...LOAD]);
    expect(pairedArms(candidate, BASELINE).map((arm) => arm.name)).toStrictEqual(['mtls-churn-baseline', 'mtls-churn']);
  });
});

describe('scenarioArms with an arms list', () => {
  it('names each arm’s proxy in its description when it is not the scenario’s default', () => {
    const listed = scenario('arms.yaml', ['arms:', '  - { topology: app-only }', '  - { name: h, topology: sidecar }', '  - { name: e, topology: sidecar, proxy: { profile: envoy, version: "1.40.0", workerThreads: 2 } }', ...LOAD]);
    expect(scenarioArms(listed).map((arm) => [arm.name, arm.description])).toStrictEqual([
      ['app-only', TOPOLOGY_DESCRIPTIONS['app-only']],
      ['h', TOPOLOGY_DESCRIPTIONS.sidecar],
      ['e', `${TOPOLOGY_DESCRIPTIONS.sidecar} (envoy 1.40.0, 2 threads)`],
    ]);
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

  it('names arms by name and topology when the two sides’ arms differ', () => {
    const a = scenario('a.yaml', ['arms:', '  - { name: x, topology: sidecar }', ...LOAD]);
    const b = scenario('b.yaml', ['arms:', '  - { name: y, topology: sidecar }', ...LOAD]);
    expect(pairingProblems(a, b)).toStrictEqual(['arms differ: a.yaml has [x: sidecar], b.yaml has [y: sidecar]']);
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
