/**
 * The conntrack-full finding on hand-made results shaped like scenarios/faults/conntrack-saturation.yaml:
 * a fault arm whose server pod's table fills (entries at the lowered nf_conntrack_max, SYNs dropped)
 * and a remedy arm whose sidecar-to-app hop is untracked (a handful of entries, no drops).
 */
import { describe, expect, it } from 'vitest';
import type { OkTrial, Results } from '../../results/schema.js';
import { makeFixtureResults } from '../../report/fixtures.js';
import { diagnose } from './diagnose.js';

const HEALTHY = makeFixtureResults();
const MAX = 2048;

/** Every sample of the trial gets a conntrack reading for `pod` from `at(index)`; other pods keep theirs. */
function conntrack(trial: OkTrial, pod: string, at: (index: number) => { entries: number; drop?: number; earlyDrop?: number; insertFailed?: number }) {
  trial.resources.conntrackMax = MAX;
  trial.resources.samples.forEach((sample, index) => {
    const { entries, drop = 0, earlyDrop = 0, insertFailed = 0 } = at(index);
    sample.pods = { ...sample.pods, [pod]: { tcp: { ESTABLISHED: 8 }, conntrack: { entries, drop: 1000 + drop, earlyDrop, insertFailed } } };
  });
}

function okTrial(results: Results, arm: string, round: number): OkTrial {
  const trial = results.trials.find((candidate): candidate is OkTrial => candidate.state === 'ok' && candidate.topology === arm && candidate.round === round);
  if (!trial) throw new Error(`no ${arm} trial in round ${round}`);
  return trial;
}

/** The fault arm ("sidecar"): entries climb by 400 a sample to the limit, then every new connection's SYN is dropped. */
function saturated(results: Results, fullFrom = 5): OkTrial {
  const trial = okTrial(results, 'sidecar', 1);
  conntrack(trial, 'sidecar-server', (i) => ({ entries: Math.min(MAX, 400 * i), drop: Math.max(0, i - fullFrom) * 16 }));
  trial.load.timeouts = 40;
  trial.load.statusCodes['503'] = 25;
  trial.proxyTerminations = [{ pod: 'server', source: 'haproxy log (termination state)', counts: { sC: 25 }, lines: ['inbound local_app/app 0/0/-1/-1/5001 503 217 - - sC-- 1/1/0/0/3 0/0 "GET / HTTP/1.1"'] }];
  return trial;
}

/** The remedy arm ("sidecar-inbound" here): the sidecar-to-app hop untracked, only the redirected connections counted. */
function remedied(results: Results): OkTrial {
  const trial = okTrial(results, 'sidecar-inbound', 1);
  conntrack(trial, 'sidecar-inbound-server', () => ({ entries: 12 }));
  return trial;
}

describe('conntrack-full: a pod whose table filled, and its NOTRACK remedy', () => {
  it('is found in the fault arm only, with the count against the max, the drops and when they began', () => {
    const results = structuredClone(HEALTHY);
    const fault = saturated(results);
    remedied(results);
    const findings = diagnose(results);
    // The 503s (sC: the sidecar's connect to the app timed out) are the full table's, not a second finding.
    expect(findings.map((finding) => finding.kind)).toEqual(['conntrack-full']);
    const [finding] = findings;
    expect(finding?.arms).toEqual(['sidecar']);
    expect(finding?.evidence).toHaveLength(1);
    const samples = fault.resources.samples;
    const last = samples.length - 1;
    expect(finding?.evidence[0]).toMatchObject({
      arm: 'sidecar',
      round: 1,
      metric: 'pods.sidecar-server.conntrack',
      values: { pod: 'sidecar-server', drop: (last - 5) * 16, earlyDrop: 0, insertFailed: 0, peakEntries: MAX, conntrackMax: MAX, peakPercentOfMax: 100, failed: 65 },
    });
    // Trouble from the first sample at the limit (index 6: 2400 capped at 2048), to the last.
    expect(finding?.evidence[0]?.window).toEqual({ startEpochMs: samples[6]?.epochMs, endEpochMs: samples[last]?.epochMs });
    expect(finding?.evidence[0]?.values.firstSeenAfterMs).toBe((samples[6]?.epochMs as number) - (samples[0]?.epochMs as number));
    expect(finding?.verify).toContain('nf_conntrack');
    expect(finding?.remedy).toMatch(/NOTRACK|--notrack/);
  });

  it('is found from drops alone (entries below the limit: the host’s max is another netns’ business)', () => {
    const results = structuredClone(HEALTHY);
    conntrack(okTrial(results, 'sidecar', 2), 'sidecar-client', (i) => ({ entries: 300, drop: i }));
    expect(diagnose(results)).toMatchObject([{ kind: 'conntrack-full', arms: ['sidecar'], evidence: [{ values: { drop: expect.any(Number), peakEntries: 300, peakPercentOfMax: 14.6 } }] }]);
  });

  it('is found from entries evicted to make room (early_drop), without drops', () => {
    const results = structuredClone(HEALTHY);
    conntrack(okTrial(results, 'sidecar', 2), 'sidecar-server', (i) => ({ entries: 1950, earlyDrop: 10 * i }));
    expect(diagnose(results)).toMatchObject([{ kind: 'conntrack-full', evidence: [{ values: { drop: 0, earlyDrop: expect.any(Number) } }] }]);
  });

  it('is not found from insert_failed alone (racing packets clash with a table far from full)', () => {
    const results = structuredClone(HEALTHY);
    conntrack(okTrial(results, 'sidecar', 2), 'sidecar-server', (i) => ({ entries: 40, insertFailed: i }));
    expect(diagnose(results)).toEqual([]);
  });

  it('is not found in a remedied arm, nor in a busy table with no drops below the limit', () => {
    const results = structuredClone(HEALTHY);
    remedied(results);
    conntrack(okTrial(results, 'sidecar', 3), 'sidecar-server', () => ({ entries: MAX - 1 }));
    expect(diagnose(results)).toEqual([]);
  });
});

describe('conntrack-full: the kernel’s own lines', () => {
  it('cites the kernel’s "table full in netns" lines of the pod, with their count', () => {
    const results = structuredClone(HEALTHY);
    const fault = saturated(results);
    const line = '[24880.991578] nf_conntrack: nf_conntrack: table full in netns 4026532510, dropping packet';
    fault.kernelLog = [{ pod: 'sidecar-server', netns: '4026532510', tableFullMessages: 10, lines: [line] }];
    const [finding] = diagnose(results);
    expect(finding?.evidence[0]).toMatchObject({ values: { kernelTableFullMessages: 10 }, logLines: [`kernel (netns 4026532510): ${line}`] });
  });
});
