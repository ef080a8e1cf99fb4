import { describe, expect, it } from 'vitest';
import { summarizeResults } from '../analysis/summarize.js';
import { MTLS_SATURATION_RPS, SIDECAR_SATURATION_RPS, THROUGHPUT_DROPS, makeMtlsResults } from '../analysis/mtls.fixture-data.js';
import type { Results } from '../results/schema.js';
import type { GateSelector } from '../scenario/index.js';
import { metricByRound } from './metric-values.js';

const DROP_VS_SIDECAR: GateSelector = { topology: 'mtls', metric: 'throughput-drop', estimator: 'differential', role: 'sidecar', vs: 'sidecar' };

const byRound = (values: readonly number[]) => new Map(values.map((value, round) => [round, value]));

/** The fixture with the mtls arm's main load at `rps` (its 10 s window holds rps × 10 responses). */
function withMtlsMainRps(results: Results, rps: number): Results {
  return {
    ...results,
    trials: results.trials.map((trial) =>
      trial.state === 'ok' && trial.topology === 'mtls' ? { ...trial, load: { ...trial.load, responses: rps * 10, statusCodes: { '200': rps * 10 } } } : trial,
    ),
  };
}

describe('metricByRound: throughput-drop', () => {
  it('uses the saturation burst’s rps when the trials have one: 1 − mtls/sidecar per round', () => {
    const results = makeMtlsResults();
    expect(SIDECAR_SATURATION_RPS.map((rps, round) => 1 - (MTLS_SATURATION_RPS[round] as number) / rps)).toStrictEqual(THROUGHPUT_DROPS);
    // The main load (5000/s in both arms) would give 0: the saturation figure wins.
    expect(metricByRound(DROP_VS_SIDECAR, results, summarizeResults(results), 'mtls')).toStrictEqual(byRound(THROUGHPUT_DROPS));
  });

  it('ignores the main load’s rps when saturation was measured', () => {
    const results = withMtlsMainRps(makeMtlsResults(), 1000);
    expect(metricByRound(DROP_VS_SIDECAR, results, summarizeResults(results), 'mtls')).toStrictEqual(byRound(THROUGHPUT_DROPS));
  });

  it('falls back to the main load’s rps without saturation bursts', () => {
    const results = withMtlsMainRps(makeMtlsResults({ saturation: false }), 4375);
    // 1 − 4375/5000 = 0.125 in every round.
    expect(metricByRound(DROP_VS_SIDECAR, results, summarizeResults(results), 'mtls')).toStrictEqual(byRound([0.125, 0.125, 0.125, 0.125, 0.125, 0.125]));
  });

  it('skips rounds the reference did not measure', () => {
    const full = makeMtlsResults();
    const results: Results = { ...full, trials: full.trials.filter((trial) => !(trial.topology === 'sidecar' && (trial.round === 1 || trial.round === 4))) };
    expect(metricByRound(DROP_VS_SIDECAR, results, summarizeResults(results), 'mtls')).toStrictEqual(
      new Map([
        [0, 0.125],
        [2, 0.109375],
        [3, 0.140625],
        [5, 0.09375],
      ]),
    );
  });

  it('does not apply without vs, against the arm itself, or against a topology the run lacks', () => {
    const results = makeMtlsResults();
    const summary = summarizeResults(results);
    const { vs: _vs, ...withoutVs } = DROP_VS_SIDECAR;
    expect(metricByRound(withoutVs, results, summary, 'mtls')).toBeUndefined();
    expect(metricByRound({ ...DROP_VS_SIDECAR, vs: 'mtls' }, results, summary, 'mtls')).toBeUndefined();
    expect(metricByRound({ ...DROP_VS_SIDECAR, vs: 'sidecar-inbound' }, results, summary, 'mtls')).toBeUndefined();
  });
});
