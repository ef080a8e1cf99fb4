/**
 * `sidecar-bench tolerances`: the tolerance plan (tolerance-plan.ts) for every default regression
 * check of a paired A/A run, and the `gates.regressions` YAML that would decide on this machine.
 */
import { stringify } from 'yaml';
import type { ResultsSummary } from '../analysis/types.js';
import { median, pairedDifferences } from '../analysis/statistics.js';
import { BenchError } from '../errors.js';
import type { Results } from '../results/schema.js';
import { GATE_METRICS } from '../scenario/gates-schema.js';
import type { RegressionGate } from '../scenario/scenario.js';
import { DEFAULT_REGRESSIONS } from './default-regressions.js';
import { formatMetricValue } from './format-value.js';
import { sortedByRound } from './intervals.js';
import { measureMetric, selectedArms } from './metric-values.js';
import { planTolerance, type MetricTolerancePlan, type TolerancePlanOptions } from './tolerance-plan.js';

/**
 * The checks a tolerance is planned for: the paired defaults whose tolerance is a share. Error rate
 * (tolerance 0, floor 0.1 %) and overhead (judged as latency in a paired run) have none to plan.
 */
export const PLANNED_REGRESSIONS: readonly RegressionGate[] = DEFAULT_REGRESSIONS.filter((gate) => gate.metric !== 'overhead' && gate.metric !== 'error-rate');

export interface CheckTolerancePlan {
  arm: string;
  gate: RegressionGate;
  /** e.g. "latency p50". */
  label: string;
  plan?: MetricTolerancePlan;
  /** Why this check has no plan (not measured, too few rounds). */
  unmeasured?: string;
}

const labelOf = (gate: RegressionGate) => (gate.statistic ? `${gate.metric} ${gate.statistic}` : gate.metric);

/**
 * Plans every default regression check of every arm of a paired run against its "-baseline" twin.
 *
 * @throws BenchError SB_RESULTS_INVALID when the run is not paired (`--interleave-with`)
 */
export function planPairedTolerances(results: Results, summary: ResultsSummary, options: TolerancePlanOptions): CheckTolerancePlan[] {
  const suffix = results.pairing?.suffix;
  if (!suffix) {
    throw new BenchError('SB_RESULTS_INVALID', `run ${results.run.id} is not an A/A run: it has no baseline side`, [], 'Run the scenario against itself first: sidecar-bench run X.yaml --interleave-with X.yaml');
  }
  const names = new Set(results.topologies.map((topology) => topology.name));
  return PLANNED_REGRESSIONS.flatMap((gate) =>
    selectedArms(gate, results, summary)
      .filter((arm) => names.has(`${arm}${suffix}`))
      .map((arm): CheckTolerancePlan => {
        const base = { arm, gate, label: labelOf(gate) };
        const own = measureMetric(gate, results, summary, arm);
        if (!(own instanceof Map)) return { ...base, unmeasured: own.unmeasured };
        const twin = measureMetric(gate, results, summary, `${arm}${suffix}`);
        if (!(twin instanceof Map)) return { ...base, unmeasured: `its baseline side: ${twin.unmeasured}` };
        const differences = pairedDifferences(sortedByRound(own), twin);
        const baselineMedian = median([...twin.values()].sort((a, b) => a - b));
        try {
          return { ...base, plan: planTolerance(differences, baselineMedian, gate.floor, GATE_METRICS[gate.metric].worse, options) };
        } catch (error) {
          if (error instanceof RangeError) return { ...base, unmeasured: `${error.message}; run a longer A/A (gates.rounds min ≥ 10, or trials ≥ 10)` };
          throw error;
        }
      }),
  );
}

const percent = (share: number) => `${Number((share * 100).toFixed(1))}%`;

/** The checks as a table (markdown), one row per arm and metric, with the tolerances tried around the answer. */
export function renderTolerancePlan(plans: readonly CheckTolerancePlan[], options: TolerancePlanOptions): string {
  const header = [
    `Tolerances this machine can decide: ${options.simulations} simulated A/A gates per tolerance and direction, rounds ${options.minRounds}…${options.maxRounds}, ${percent(options.confidence)} confidence; a tolerance is "decided" when ≥ ${percent(options.power)} of them pass.`,
    '',
    '| arm | check | rounds | offset | spread (IQR) | smallest decided tolerance | passed | mean rounds | at 10 %: pass / fail / inconclusive |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const footer = [
    '',
    'offset: the median per-round difference between the two identical sides; spread: the interquartile range of the per-round differences (both as shares of the baseline side\'s median).',
    'The tolerance in brackets is in the metric\'s unit: the share of the baseline\'s median, or the check\'s floor when that is larger. error-rate keeps its default (0 %, floor 0.1 %): there is no share to plan.',
  ];
  const rows = plans.map(({ arm, gate, label, plan, unmeasured }) => {
    if (!plan) return `| ${arm} | ${label} | — | — | — | not planned: ${unmeasured ?? 'no value'} | | | |`;
    const at10 = plan.outcomes.find((outcome) => outcome.toleranceShare === 0.1);
    const at10Text = at10 ? `${percent(at10.passShare)} / ${percent(at10.failShare)} / ${percent(Math.max(0, 1 - at10.passShare - at10.failShare))}` : '—';
    const best = plan.recommended;
    const bestText = best ? `${percent(best.toleranceShare)} (${formatMetricValue(gate.metric, best.tolerance)})` : `none up to 100 %`;
    return `| ${arm} | ${label} | ${plan.rounds} | ${percent(plan.offsetShare)} | ${percent(plan.spreadShare)} | ${bestText} | ${best ? percent(best.passShare) : '—'} | ${best ? best.meanRounds.toFixed(1) : '—'} | ${at10Text} |`;
  });
  return [...header, ...rows, ...footer].join('\n');
}

/** A floor as the scenario file writes it (50us, 4MiB, 0.005). */
function floorText(gate: RegressionGate): string | number | undefined {
  if (gate.floor <= 0) return undefined;
  switch (GATE_METRICS[gate.metric].unit) {
    case 'duration':
      return `${gate.floor}us`;
    case 'size':
      return `${gate.floor / 1024 ** 2}MiB`;
    case 'percent':
      return `${Number((gate.floor * 100).toFixed(4))}%`;
    default:
      return gate.floor;
  }
}

/**
 * The `regressions:` list for a scenario's `gates:` section: the largest decided tolerance over the
 * arms (one entry per metric, for every arm), plus the error-rate check unchanged, under comments
 * that say where it goes and for which rounds it was planned. Checks no tolerance could decide are
 * left out and named in a comment.
 */
export function renderRegressionsYaml(plans: readonly CheckTolerancePlan[], options: Pick<TolerancePlanOptions, 'minRounds' | 'maxRounds'>): string {
  const entries: Record<string, unknown>[] = [];
  const undecided: string[] = [];
  for (const gate of PLANNED_REGRESSIONS) {
    const mine = plans.filter((plan) => plan.gate === gate && plan.plan);
    if (mine.length === 0) continue;
    const shares = mine.map((plan) => plan.plan?.recommended?.toleranceShare);
    if (shares.some((share) => share === undefined)) {
      undecided.push(labelOf(gate));
      continue;
    }
    const floor = floorText(gate);
    entries.push({ topology: '*', metric: gate.metric, ...(gate.statistic ? { statistic: gate.statistic } : {}), tolerance: percent(Math.max(...(shares as number[]))), ...(floor ? { floor } : {}) });
  }
  const errorRate = DEFAULT_REGRESSIONS.find((gate) => gate.metric === 'error-rate');
  if (errorRate) entries.push({ topology: '*', metric: 'error-rate', tolerance: '0%', floor: floorText(errorRate) });
  const comments = [
    '# Put under your scenario\'s gates:, replacing its regressions: list. Planned for',
    `# rounds: { min: ${options.minRounds}, max: ${options.maxRounds} }: keep gates.rounds so, or re-plan with --min-rounds/--max-rounds.`,
    ...(undecided.length > 0 ? [`# Not decided at any tolerance up to 100 % in those rounds, left out: ${undecided.join(', ')}`] : []),
  ];
  const lines = entries.map((entry) => `  - ${stringify(entry, { collectionStyle: 'flow', lineWidth: 0 }).trim()}`);
  return `${comments.join('\n')}\nregressions:\n${lines.join('\n')}\n`;
}
