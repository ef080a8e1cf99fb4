import { describe, expect, it } from 'vitest';
import { makeFixtureResults } from '../report/fixtures.js';
import type { Results } from '../results/schema.js';
import { compareRuns, describeDifference } from './comparability.js';

const base = makeFixtureResults();

describe('compareRuns: what differs between a run and its baseline', () => {
  it('finds nothing between a run and itself', () => {
    expect(compareRuns(base, base)).toEqual([]);
  });

  it('calls load, app, topologies and the host incompatible, naming each field with both values', () => {
    const other: Results = {
      ...base,
      scenario: { ...base.scenario, topologies: ['app-only', 'sidecar'], load: { ...(base.scenario.load as object), connections: 32 }, app: { responseBodyBytes: 4096, serviceTimeUs: 0 } },
      host: { ...base.host, kernel: '6.18.0', logicalCores: 4 },
    };
    const differences = compareRuns(other, base);
    expect(differences.filter((d) => d.kind === 'incompatible').map(describeDifference)).toEqual([
      'topologies: ["app-only","sidecar"] in this run, ["app-only","sidecar-inbound","sidecar"] in the baseline',
      'load.connections: 32 in this run, 16 in the baseline',
      'app.responseBodyBytes: 4096 in this run, 1024 in the baseline',
      'host.logicalCores: 4 in this run, 2 in the baseline',
      'host.kernel: 6.18.0 in this run, 6.1.0-28-cloud-amd64 in the baseline',
    ]);
  });

  it('notes, without calling them incompatible, what a baseline comparison is for: the proxy, its version, mTLS, the trial count', () => {
    const other: Results = {
      ...base,
      scenario: { ...base.scenario, proxy: { profile: 'haproxy', workerThreads: 2 }, trials: 8 },
      proxyVersions: { haproxy: 'HAProxy version 2.8.5' },
      host: { ...base.host, dockerVersion: '24.0.7' },
    };
    expect(compareRuns(other, base)).toEqual([
      { field: 'proxy.workerThreads', candidate: '2', baseline: '1', kind: 'noted' },
      { field: 'trials', candidate: '8', baseline: '6', kind: 'noted' },
      { field: 'host.dockerVersion', candidate: '24.0.7', baseline: '20.10.24+dfsg1', kind: 'noted' },
      { field: 'proxyVersions.haproxy', candidate: 'HAProxy version 2.8.5', baseline: 'HAProxy version 2.6.12-1+deb12u1 2023/12/16', kind: 'noted' },
    ]);
  });

  it('says "(absent)" for a field only one run has, and folds long lists of leaves', () => {
    const load = base.scenario.load as Record<string, unknown>;
    const reshaped = Object.fromEntries(Object.keys(load).map((key, index) => [key, index]));
    // Every field of load changed, and two were added: 7 leaves, 6 listed.
    const differences = compareRuns({ ...base, scenario: { ...base.scenario, load: { ...reshaped, saturation: { connections: 64 }, arrivals: 'poisson' } } }, base);
    expect(Object.keys(load)).toHaveLength(5);
    expect(differences).toHaveLength(7);
    // Absent from the baseline: another version's field, noted rather than refused.
    expect(differences[4]).toEqual({ field: 'load.timeoutUs', candidate: '4', baseline: '10000000', kind: 'incompatible' });
    expect(differences[5]).toEqual({ field: 'load.saturation', candidate: '{"connections":64}', baseline: '(absent)', kind: 'noted' });
    expect(differences[6]).toEqual({ field: 'load (1 more fields)', candidate: '…', baseline: '…', kind: 'incompatible' });
    const absent = compareRuns({ ...base, scenario: { ...base.scenario, mtls: { tlsVersion: '1.2' } } }, base);
    expect(absent).toEqual([{ field: 'mtls', candidate: '{"tlsVersion":"1.2"}', baseline: '(absent)', kind: 'noted' }]);
  });
});
