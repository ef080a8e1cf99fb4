import { describe, expect, it } from 'vitest';
import type { Results } from '../results/schema.js';
import { resultsSchema } from '../results/schema.js';
import {
  FAILED_ROTATION_ERROR,
  HOSTILE_FAILURE,
  IDENTITY,
  VERIFY_FAILURE,
  makeMtlsResults,
} from './mtls.fixture-data.js';
import { SEED_MTLS_THROUGHPUT_DROP, summarizeMtls } from './mtls.js';
import { summarizeResults } from './summarize.js';

/** [min, max] of 6 paired rounds: the narrowest order-statistics interval at 95 % (1 − 2/64). */
const SIX = { n: 6, coverage: 0.96875 };
const estimate = (median: number, low: number, high: number) => ({ ...SIX, median, low, high });

describe('summarizeMtls on a hand-built run (6 rounds of app-only, sidecar, mtls, mtls-churn)', () => {
  const results = makeMtlsResults();
  const mtls = summarizeResults(results).mtls;

  it('the fixture is a valid results.json', () => {
    expect(resultsSchema.safeParse(results).success).toBe(true);
  });

  it('compares mtls with the plaintext sidecar and echoes the identity (never a key)', () => {
    expect(mtls?.reference).toBe('sidecar');
    expect(mtls?.arm).toBe('mtls');
    expect(mtls?.identity).toStrictEqual(IDENTITY);
    expect(mtls?.loadDescription).toBe('at 16 connections (closed model)');
  });

  it('latency delta: mtls − sidecar per round, median over rounds', () => {
    // P50 deltas 40, 25, 60, 35, 50, 45 → median 42.5; P99 deltas 100, 120, 80, 90, 110, 130 → 105.
    expect(mtls?.latencyDelta.p50Us).toStrictEqual(estimate(42.5, 25, 60));
    expect(mtls?.latencyDelta.p90Us).toStrictEqual(estimate(42.5, 25, 60));
    expect(mtls?.latencyDelta.p99Us).toStrictEqual(estimate(105, 80, 130));
    expect(mtls?.latencyDelta.maxUs).toStrictEqual(estimate(105, 80, 130));
  });

  it('throughput drop at saturation: 1 − mtls/sidecar, paired by round', () => {
    expect(mtls?.saturation).toStrictEqual({
      referenceRps: estimate(12_800, 12_544, 13_056),
      mtlsRps: estimate(11_327, 11_000, 12_120),
      // drops 0.125, 0.0625, 0.109375, 0.140625, 0.1171875, 0.09375
      throughputDrop: estimate(0.11328125, 0.0625, 0.140625),
    });
    expect(SEED_MTLS_THROUGHPUT_DROP).toStrictEqual([0.1, 0.15]);
  });

  it('sidecar vCPU per 1k RPS, both sidecars together (1e-12 tolerance: CPU goes through /1e6 and /10 s)', () => {
    const vcpu = mtls?.sidecarVcpuPer1kRps;
    expect(vcpu?.reference).toMatchObject({ n: 6, low: vcpu?.reference.median, high: vcpu?.reference.median });
    expect(vcpu?.reference.median).toBeCloseTo(0.06, 12); // (0.15 + 0.15) vCPU at 5k RPS
    expect(vcpu?.mtls.median).toBeCloseTo(0.09, 12); // (0.2 + 0.25) vCPU at 5k RPS
    expect(vcpu?.delta.median).toBeCloseTo(0.03, 12);
    expect(vcpu?.delta.n).toBe(6);
  });

  it('handshakes: per second from the server sidecar counters, CPU per handshake and the first-request penalty', () => {
    const handshakes = mtls?.handshakes;
    expect(handshakes?.churnArm).toBe('mtls-churn');
    expect(handshakes?.perSecond).toStrictEqual(estimate(3000, 2900, 3100));
    expect(handshakes?.keepAlivePerSecond).toStrictEqual(estimate(2, 1, 3));
    // churn P50 per round 840, 815, 900, 875, 880, 900; mtls P50 540, 535, 580, 565, 590, 595.
    expect(handshakes?.firstRequestP50Us).toStrictEqual(estimate(877.5, 815, 900));
    expect(handshakes?.steadyP50Us).toStrictEqual(estimate(572.5, 535, 595));
    expect(handshakes?.firstRequestPenaltyUs).toStrictEqual(estimate(302.5, 280, 320));
    // The last churn trial's reuse share.
    expect(handshakes?.sessionReusePercent).toBe(12.5);
  });

  it('CPU per handshake: (churn − keep-alive sidecar CPU µs/s) / handshakes per second, per round (1e-6 µs tolerance)', () => {
    const cpu = mtls?.handshakes?.cpuUsPerHandshake;
    expect(cpu?.n).toBe(6);
    expect(cpu?.coverage).toBe(0.96875);
    expect(cpu?.median).toBeCloseTo(100, 6);
    expect(cpu?.low).toBeCloseTo(90, 6);
    expect(cpu?.high).toBeCloseTo(110, 6);
  });

  it('rotation: counts, failures, failed requests and latency around the swap second', () => {
    expect(mtls?.rotation).toStrictEqual({
      rotations: 2,
      failedRotations: [FAILED_ROTATION_ERROR],
      // round 2: 1 connection error + 2 × 503; round 4: 4 × 502.
      failedRequests: 7,
      // Swap 5.3 s into the window: second 5 is t = 0; seconds 2..8 are kept.
      around: [
        { t: -3, p50Us: 522, p99Us: 1600, errors: 0 },
        { t: -2, p50Us: 523, p99Us: 1600, errors: 0 },
        { t: -1, p50Us: 524, p99Us: 1600, errors: 0 },
        { t: 0, p50Us: 720, p99Us: 2500, errors: 3 },
        { t: 1, p50Us: 526, p99Us: 1600, errors: 0 },
        { t: 2, p50Us: 527, p99Us: 1600, errors: 0 },
        { t: 3, p50Us: 528, p99Us: 1600, errors: 0 },
      ],
    });
  });

  it('the run’s findings carry the verify failure with the logged lines, per trial (the mTLS diagnosis moved to analysis/findings)', () => {
    const verify = summarizeResults(results).findings?.find((finding) => finding.kind === 'certificate-verify-failed');
    expect(verify?.arms).toStrictEqual(['mtls', 'mtls-churn']);
    expect(verify?.evidence.map((entry) => [entry.arm, entry.round, entry.logLines])).toStrictEqual([
      ['mtls', 2, [VERIFY_FAILURE]],
      ['mtls-churn', 3, [VERIFY_FAILURE, HOSTILE_FAILURE]],
    ]);
    expect(verify?.remedy).toBe(
      'A peer certificate was refused. Check that both sidecars trust the same CA bundle, that every SVID was issued by it and is valid now (clock skew, expiry), that a rotation updated both sides, and that the TLS version and cipher are allowed on both.',
    );
  });
});

describe('summarizeMtls edges', () => {
  it('is undefined when results.mtls is absent', () => {
    const { mtls: _identity, ...plain } = makeMtlsResults();
    const results: Results = plain;
    expect(summarizeResults(results)).not.toHaveProperty('mtls');
    expect(summarizeMtls(results, summarizeResults(results))).toBeUndefined();
  });

  it('is undefined without ok trials of the reference or of the mtls arm', () => {
    const results = makeMtlsResults();
    const withoutSidecar: Results = { ...results, trials: results.trials.filter((trial) => trial.topology !== 'sidecar') };
    expect(summarizeResults(withoutSidecar)).not.toHaveProperty('mtls');
    const mtlsFailed: Results = {
      ...results,
      trials: results.trials.map((trial) => (trial.topology === 'mtls' ? { state: 'failed', topology: 'mtls', round: trial.round, startedAt: trial.startedAt, error: { message: 'handshake' } } : trial)),
    };
    expect(summarizeResults(mtlsFailed)).not.toHaveProperty('mtls');
  });

  it('leaves out saturation without bursts and handshakes without the churn arm', () => {
    const mtls = summarizeResults(makeMtlsResults({ saturation: false, churn: false })).mtls;
    expect(mtls).toBeDefined();
    expect(mtls).not.toHaveProperty('saturation');
    expect(mtls).not.toHaveProperty('handshakes');
    expect(mtls?.latencyDelta.p50Us).toStrictEqual(estimate(42.5, 25, 60));
  });

  it('describes an open-model load by its rate', () => {
    const mtls = summarizeResults(makeMtlsResults({ load: { model: 'open', ratePerSecond: 5000, connections: 16 } })).mtls;
    expect(mtls?.loadDescription).toBe('at 5000/s (open model)');
  });

  it('has no rotation and no verify finding when no trial rotated or logged a failure', () => {
    const results = makeMtlsResults();
    const quiet: Results = {
      ...results,
      trials: results.trials.map((trial) => (trial.state === 'ok' && trial.tls ? { ...trial, tls: { ...trial.tls, rotations: [], handshakeFailures: [] } } : trial)),
    };
    const summary = summarizeResults(quiet);
    expect(summary.mtls).not.toHaveProperty('rotation');
    expect(summary.findings?.map((finding) => finding.kind)).not.toContain('certificate-verify-failed');
  });
});
