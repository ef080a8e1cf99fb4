import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import { RESULTS_FILE_NAME, readResults, writeResults } from './results-file.js';
import { RESULTS_SCHEMA_VERSION, type Results } from './schema.js';

function histogram(valuesUs: readonly number[]): string {
  const h = newHistogramUs();
  for (const value of valuesUs) recordUs(h, value);
  return encodeHistogram(h);
}

function validResults(): Results {
  return {
    schemaVersion: 1,
    tool: { name: 'sidecar-bench', version: '0.1.0' },
    run: { id: 'r1', startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:00:30.000Z', status: 'complete' },
    scenario: { name: 'quickstart', topologies: ['app-only'], load: { connections: 16 } },
    host: {
      cpuModel: 'Test CPU',
      logicalCores: 2,
      aesNi: false,
      avx2: true,
      kernel: '6.8.0',
      os: 'Ubuntu 24.04',
      dockerVersion: '27.3.1',
      nodeVersion: 'v20.19.0',
      cgroupVersion: 2,
    },
    images: { app: { tag: 'sb/app:0.1.0', id: 'sha256:abc' } },
    proxyVersions: { haproxy: 'HAProxy version 2.6.12' },
    topologies: [
      {
        name: 'app-only',
        description: 'baseline',
        pods: [{ name: 'app-only-server', side: 'server', ip: '172.18.0.3', cpus: '1', interception: false, containers: [{ name: 'app', role: 'app', image: 'sb/app:0.1.0', hostPid: 4242 }] }],
      },
    ],
    trials: [
      {
        state: 'ok',
        topology: 'app-only',
        round: 0,
        startedAt: '2025-01-01T00:00:01.000Z',
        load: {
          window: { startEpochMs: 1000, endEpochMs: 11_000 },
          responses: 3,
          statusCodes: { '200': 3 },
          connectionErrors: 0,
          timeouts: 0,
          errorMessages: [],
          bytesRead: 3072,
          headerCounts: { upstreamServiceTime: 0, appServiceTime: 3 },
          histograms: {
            latencyUs: histogram([100, 200, 300]),
            upstreamServiceTimeUs: histogram([]),
            appServiceTimeUs: histogram([5, 5, 5]),
            proxyOverheadUs: histogram([]),
            networkAndProxiesUs: histogram([95, 195, 295]),
          },
        },
        resources: {
          intervalMs: 250,
          samples: [{ epochMs: 1000, containers: { app: { processes: [{ pid: 4242, comm: 'node', cpuUs: 10, voluntaryCtxSwitches: 1, involuntaryCtxSwitches: 0, rssBytes: 4096, threads: 7 }], cgroup: { cpuUsageUs: 20 } } } }],
        },
      },
      { state: 'failed', topology: 'app-only', round: 1, startedAt: '2025-01-01T00:00:15.000Z', error: { code: 'SB_LOAD_FAILED', message: 'agent exited' } },
    ],
    summary: { baseline: 'app-only' },
  };
}

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'sb-results-test-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function rejection(path: string): Promise<BenchError> {
  try {
    await readResults(path);
  } catch (error) {
    expect(error).toBeInstanceOf(BenchError);
    expect((error as BenchError).code).toBe('SB_RESULTS_INVALID');
    return error as BenchError;
  }
  throw new Error('expected readResults to throw');
}

async function writeJson(value: unknown): Promise<string> {
  const path = join(directory, 'broken.json');
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('writeResults / readResults', () => {
  it('round-trips a results file', async () => {
    const results = validResults();
    const path = await writeResults(join(directory, 'nested', 'run'), results);
    expect(RESULTS_FILE_NAME).toBe('results.json');
    expect(path).toBe(join(directory, 'nested', 'run', 'results.json'));
    expect(await readResults(path)).toStrictEqual(results);
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n "schemaVersion": 1,\n')).toBe(true);
  });

  it('keeps unknown scenario fields (the scenario object is loose)', async () => {
    const path = await writeResults(directory, validResults());
    expect((await readResults(path)).scenario).toStrictEqual({ name: 'quickstart', topologies: ['app-only'], load: { connections: 16 } });
  });
});

describe('readResults rejects', () => {
  it('a missing file', async () => {
    const path = join(directory, 'missing.json');
    const error = await rejection(path);
    expect(error.message).toBe(`cannot read ${path}: no such file`);
  });

  it('a file that is not JSON', async () => {
    const path = await writeJson('{not json');
    const error = await rejection(path);
    expect(error.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not JSON: `));
  });

  it('another schemaVersion, with a hint', async () => {
    const path = await writeJson({ ...validResults(), schemaVersion: 2 });
    const error = await rejection(path);
    expect(RESULTS_SCHEMA_VERSION).toBe(1);
    expect(error.message).toBe(`${path}: schemaVersion is 2; this sidecar-bench reads version 1`);
    expect(error.hint).toBe('Re-run the scenario with this version, or use the sidecar-bench version that wrote the file.');
  });

  it('JSON null and a missing schemaVersion', async () => {
    expect((await rejection(await writeJson('null'))).message).toContain(': schemaVersion is undefined; this sidecar-bench reads version 1');
    expect((await rejection(await writeJson({}))).message).toContain(': schemaVersion is undefined; this sidecar-bench reads version 1');
  });

  it('a missing field, naming its path', async () => {
    const broken = validResults() as unknown as { host: Record<string, unknown> };
    delete broken.host.logicalCores;
    const path = await writeJson(broken);
    const error = await rejection(path);
    expect(error.message).toBe(`${path} is not a valid sidecar-bench results file:`);
    expect(error.details).toStrictEqual(['host.logicalCores: Invalid input: expected number, received undefined']);
  });

  it('a missing field deep inside a trial', async () => {
    const broken = validResults() as unknown as { trials: { load: { histograms: Record<string, unknown> } }[] };
    delete broken.trials[0]!.load.histograms.latencyUs;
    const error = await rejection(await writeJson(broken));
    expect(error.details).toStrictEqual(['trials.0.load.histograms.latencyUs: Invalid input: expected string, received undefined']);
  });

  it('wrong values in several places, each with its path', async () => {
    const broken = validResults() as unknown as Record<string, Record<string, unknown>>;
    broken.run!.status = 'done';
    broken.host!.cgroupVersion = 3;
    const error = await rejection(await writeJson(broken));
    expect(error.details).toHaveLength(2);
    expect(error.details[0]).toMatch(/^run\.status: /);
    expect(error.details[1]).toMatch(/^host\.cgroupVersion: /);
  });

  it('at most 12 problems, then a count of the rest', async () => {
    const broken = { ...validResults(), topologies: Array.from({ length: 15 }, () => ({})) };
    const error = await rejection(await writeJson(broken));
    expect(error.details).toHaveLength(13);
    expect(error.details[0]).toBe('topologies.0.name: Invalid input: expected string, received undefined');
    expect(error.details[12]).toBe('… and 33 more');
  });
});
