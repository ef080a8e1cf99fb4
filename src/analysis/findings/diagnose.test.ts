import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogramUs, recordUs } from '../../hdr/histogram.js';
import type { OkTrial, Results, TrialRecord } from '../../results/schema.js';
import { makeFixtureResults } from '../../report/fixtures.js';
import { FINDING_CATALOG } from './catalog.js';
import { describeEvidence, diagnose } from './diagnose.js';

/** Made once (it draws every request of every trial): each test changes its own copy. */
const HEALTHY = makeFixtureResults();

/** A healthy fixture run (app-only, sidecar-inbound, sidecar × 6 rounds), then `change` applied to one sidecar trial. */
function withTrial(change: (trial: OkTrial) => void, round = 2, arm = 'sidecar'): Results {
  const results = structuredClone(HEALTHY);
  const trial = results.trials.find((candidate): candidate is OkTrial => candidate.state === 'ok' && candidate.topology === arm && candidate.round === round);
  if (!trial) throw new Error(`no ${arm} trial in round ${round}`);
  change(trial);
  return results;
}

const kinds = (results: Results) => diagnose(results).map((finding) => finding.kind);

/** Sets a cgroup counter of one container to grow linearly over the trial's samples, from 0 to `total`. */
function growCgroup(trial: OkTrial, container: string, field: 'oomKills' | 'throttledUs' | 'throttledPeriods' | 'cfsPeriods', total: number) {
  const samples = trial.resources.samples;
  samples.forEach((sample, index) => {
    const reading = sample.containers[container];
    if (reading) reading.cgroup[field] = Math.round((total * index) / (samples.length - 1));
  });
}

/** Gives every sample a netns reading for `pod`, TIME_WAIT and conntrack as functions of the sample index. */
function netns(trial: OkTrial, pod: string, timeWait: (index: number) => number, conntrack?: (index: number) => { entries: number; drop: number }) {
  trial.resources.samples.forEach((sample, index) => {
    const ct = conntrack?.(index);
    sample.pods = { ...sample.pods, [pod]: { tcp: { ESTABLISHED: 16, TIME_WAIT: timeWait(index) }, ...(ct ? { conntrack: { ...ct, earlyDrop: 0, insertFailed: 0 } } : {}) } };
  });
}

function latencyHistograms(trial: OkTrial, latencyUs: number, appUs: number) {
  const latency = newHistogramUs();
  const mesh = newHistogramUs();
  for (let i = 0; i < 1000; i++) {
    recordUs(latency, latencyUs + i);
    recordUs(mesh, latencyUs + i - appUs);
  }
  trial.load.histograms.latencyUs = encodeHistogram(latency);
  trial.load.histograms.networkAndProxiesUs = encodeHistogram(mesh);
}

describe('diagnose: healthy runs', () => {
  it('finds nothing in a healthy closed-model run', () => {
    expect(diagnose(HEALTHY)).toEqual([]);
  });

  it('finds nothing in a healthy open-model run with netns samples (TIME_WAIT present, no drops, no errors)', () => {
    const results = makeFixtureResults({ openModel: true });
    for (const trial of results.trials) if (trial.state === 'ok') netns(trial, `${trial.topology}-client`, (i) => 40 + i, () => ({ entries: 120, drop: 0 }));
    expect(diagnose(results)).toEqual([]);
  });

  it('does not call one stray reset a fault (below 0.1 % of attempts)', () => {
    expect(kinds(withTrial((trial) => {
      trial.load.connectionErrors = 1;
      trial.load.connectErrorsByErrno = { 'closed-before-response': 1 };
    }))).toEqual([]);
  });

  it('does not blame the mesh for a slow app (P99 > 100 ms, nearly all of it the app’s)', () => {
    expect(kinds(withTrial((trial) => latencyHistograms(trial, 150_000, 149_000)))).toEqual([]);
  });

  it('does not flag resumed handshakes as churn', () => {
    expect(kinds(withTrial((trial) => {
      trial.tls = { serverTlsConnections: 12_000, spanSeconds: 12, serverFullHandshakes: 10, serverResumedHandshakes: 11_990, rotations: [], handshakeFailures: [] };
    }))).toEqual([]);
  });
});

describe('diagnose: one finding per symptom', () => {
  it('upstream timeout: 504s and the proxies’ timeout records (HAProxy sH, Envoy UT)', () => {
    const results = withTrial((trial) => {
      trial.load.statusCodes['504'] = 412;
      trial.proxyTerminations = [{ pod: 'client', source: 'envoy access log (response flags)', counts: { UT: 412 }, lines: ['504 UT upstream_request_timeout'] }];
    });
    const [finding] = diagnose(results);
    expect(finding).toMatchObject({ kind: 'upstream-timeout', symptom: '504 upstream request timeout', arms: ['sidecar'], verify: FINDING_CATALOG['upstream-timeout'].verify, remedy: FINDING_CATALOG['upstream-timeout'].remedy });
    expect(finding?.evidence).toHaveLength(1);
    expect(finding?.evidence[0]).toMatchObject({ arm: 'sidecar', round: 2, metric: 'load.statusCodes[504]', values: { responses504: 412, 'client:UT': 412 }, logLines: ['client sidecar: 504 UT upstream_request_timeout'] });
    const window = finding?.evidence[0]?.window;
    expect(window && window.endEpochMs > window.startEpochMs).toBe(true);
    expect(diagnose(results)).toHaveLength(1);
  });

  it('upstream connect error: HAProxy SC records and 503s', () => {
    const results = withTrial((trial) => {
      trial.load.statusCodes['503'] = 9000;
      trial.proxyTerminations = [{ pod: 'server', source: 'haproxy log (termination state)', counts: { SC: 9000 }, lines: ['inbound local_app/app 0/0/-1/-1/0 503 217 - - SC-- 1/1/0/0/3 0/0 "GET / HTTP/1.1"'] }];
    });
    expect(kinds(results)).toEqual(['upstream-connect-error']);
    expect(diagnose(results)[0]?.evidence[0]?.values).toMatchObject({ responses503: 9000, 'server:SC': 9000 });
  });

  it('upstream connect error: ECONNREFUSED at the load agent (no proxy on the path)', () => {
    const results = withTrial((trial) => {
      trial.load.connectionErrors = 50;
      trial.load.connectErrorsByErrno = { ECONNREFUSED: 50 };
    }, 1, 'app-only');
    expect(diagnose(results)).toMatchObject([{ kind: 'upstream-connect-error', arms: ['app-only'], evidence: [{ metric: 'load.connectErrorsByErrno', values: { econnrefused: 50 } }] }]);
  });

  it('OOMKilled: a cgroup OOM kill during a trial, and a trial that failed on one', () => {
    const results = withTrial((trial) => growCgroup(trial, 'sc-server-sidecar', 'oomKills', 1));
    const failed: TrialRecord = { state: 'failed', topology: 'sidecar-inbound', round: 4, startedAt: '2026-01-01T00:00:00Z', error: { code: 'SB_CONTAINER_FAILED', message: 'the sidecar container exited: OOMKilled (exit 137)' } };
    const recorded: TrialRecord = {
      state: 'failed',
      topology: 'app-only',
      round: 3,
      startedAt: '2026-01-01T00:00:00Z',
      error: { code: 'SB_OOM_KILLED', message: 'app container x OOMKilled (exit code 137, memory limit 16Mi)' },
      oomKills: [{ container: 'ao-server-app', role: 'app', exitCode: 137, memoryLimitBytes: 16 * 1024 * 1024, cgroupOomKills: 1 }],
    };
    results.trials.push(failed, recorded);
    const [finding] = diagnose(results);
    expect(finding?.kind).toBe('oom-killed');
    expect(finding?.arms).toEqual(['app-only', 'sidecar-inbound', 'sidecar']);
    expect(finding?.evidence.map((entry) => entry.metric)).toEqual(['trial.oomKills', 'trial.error', 'cgroup.oomKills[sc-server-sidecar]']);
    expect(finding?.evidence[0]?.values).toEqual({ container: 'ao-server-app', role: 'app', exitCode: 137, memoryLimitBytes: 16_777_216, cgroupOomKills: 1 });
  });

  it('CPU throttling from 25 % of CFS periods throttled (CPUThrottlingHigh), not below', () => {
    const results = withTrial((trial) => {
      growCgroup(trial, 'sc-server-sidecar', 'cfsPeriods', 100);
      growCgroup(trial, 'sc-server-sidecar', 'throttledPeriods', 30);
      growCgroup(trial, 'sc-server-sidecar', 'throttledUs', 300_000);
      growCgroup(trial, 'sc-server-app', 'cfsPeriods', 100);
      growCgroup(trial, 'sc-server-app', 'throttledPeriods', 20);
      growCgroup(trial, 'sc-server-app', 'throttledUs', 900_000);
    });
    const [finding] = diagnose(results);
    expect(finding?.evidence.map((entry) => entry.values)).toMatchObject([{ container: 'sc-server-sidecar', cfsPeriods: 100, throttledPeriods: 30, throttledPeriodPercent: 30 }]);
  });

  it('CPU throttling without CFS periods: from 1 % of wall time, not below', () => {
    const results = withTrial((trial) => {
      growCgroup(trial, 'sc-server-sidecar', 'throttledUs', 600_000);
      growCgroup(trial, 'sc-server-sidecar', 'throttledPeriods', 60);
      growCgroup(trial, 'sc-server-app', 'throttledUs', 10_000);
    });
    const [finding] = diagnose(results);
    expect(finding?.kind).toBe('cpu-throttling');
    expect(finding?.evidence).toHaveLength(1);
    expect(finding?.evidence[0]?.values).toMatchObject({ container: 'sc-server-sidecar', throttledPeriods: 60 });
    expect(finding?.evidence[0]?.values.throttledMsPerSecond).toBeGreaterThanOrEqual(100);
  });

  it('high latency: P99 over 100 ms that the app does not explain', () => {
    const results = withTrial((trial) => latencyHistograms(trial, 150_000, 50));
    expect(diagnose(results)).toMatchObject([{ kind: 'high-latency', evidence: [{ values: { thresholdUs: 100_000 } }] }]);
    expect((diagnose(results)[0]?.evidence[0]?.values.p99Us as number) > 100_000).toBe(true);
  });

  it('certificate verify failed: the sidecars’ TLS failures (the former mTLS diagnosis)', () => {
    const line = 'SSL handshake failure (error:0A000086:SSL routines::certificate verify failed)';
    const results = withTrial((trial) => {
      trial.tls = { serverTlsConnections: 10, spanSeconds: 12, rotations: [], handshakeFailures: [line] };
    });
    expect(diagnose(results)).toMatchObject([{ kind: 'certificate-verify-failed', symptom: 'certificate verify failed', evidence: [{ logLines: [line] }] }]);
  });

  it('port exhaustion: EADDRNOTAVAIL with the TIME_WAIT peak, and not also a connect error', () => {
    const results = withTrial((trial) => {
      trial.load.connectionErrors = 3000;
      trial.load.connectErrorsByErrno = { EADDRNOTAVAIL: 2990, ECONNRESET: 10 };
      netns(trial, 'sidecar-client', (i) => Math.min(100, i * 10));
    });
    expect(diagnose(results)).toMatchObject([{ kind: 'port-exhaustion', evidence: [{ metric: 'load.connectErrorsByErrno.EADDRNOTAVAIL', values: { eaddrnotavail: 2990, 'timeWaitPeak[sidecar-client]': 100 } }] }]);
  });

  it('port exhaustion seen through a proxy: its "no free ports" alert', () => {
    const results = withTrial((trial) => {
      trial.load.statusCodes['503'] = 500;
      trial.proxyTerminations = [{ pod: 'client', source: 'haproxy log (termination state)', counts: { SC: 500 }, lines: ['[ALERT] (8) : Connect() failed for backend original_destination: no free ports.'] }];
    });
    expect(kinds(results)).toEqual(['port-exhaustion']);
  });

  it('conntrack full: drops in a pod’s netns, or entries at the host’s limit', () => {
    const drops = withTrial((trial) => netns(trial, 'sidecar-client', () => 0, (i) => ({ entries: 500, drop: i * 3 })));
    expect(diagnose(drops)).toMatchObject([{ kind: 'conntrack-full', evidence: [{ metric: 'pods.sidecar-client.conntrack', values: { pod: 'sidecar-client' } }] }]);
    const atLimit = withTrial((trial) => {
      netns(trial, 'sidecar-client', () => 0, () => ({ entries: 2048, drop: 0 }));
      trial.resources.conntrackMax = 2048;
    });
    expect(diagnose(atLimit)).toMatchObject([{ kind: 'conntrack-full', evidence: [{ values: { drop: 0, peakEntries: 2048, conntrackMax: 2048 } }] }]);
  });

  it('handshake churn: full handshakes for most requests', () => {
    const results = withTrial((trial) => {
      const rate = trial.load.responses / ((trial.load.window.endEpochMs - trial.load.window.startEpochMs) / 1000);
      trial.tls = { serverTlsConnections: Math.round(rate * 12), spanSeconds: 12, serverFullHandshakes: Math.round(rate * 12), serverResumedHandshakes: 0, rotations: [], handshakeFailures: [] };
    });
    const [finding] = diagnose(results);
    expect(finding?.kind).toBe('handshake-churn');
    expect(finding?.evidence[0]?.values.fullHandshakesPerRequest).toBeCloseTo(1, 1);
  });

  it('keeps at most 3 pieces of evidence per arm, and says each in one line', () => {
    const results = structuredClone(HEALTHY);
    for (const trial of results.trials) if (trial.state === 'ok' && trial.topology === 'sidecar') trial.load.statusCodes['504'] = 7;
    const [finding] = diagnose(results);
    expect(finding?.evidence).toHaveLength(3);
    expect(describeEvidence(finding?.evidence[0] as NonNullable<typeof finding>['evidence'][number])).toMatch(/^sidecar round 1 over \d+\.\d s: load\.statusCodes\[504\] — responses504 7, attempts \d+$/);
  });
});
