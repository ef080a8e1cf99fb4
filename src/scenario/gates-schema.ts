import { z } from 'zod';
import { FINDING_KINDS } from './finding-kinds.js';
import { parseDurationUs, parseSizeBytes } from './units.js';

/**
 * The gate metrics a scenario may name, with the unit their limits are written in. Values are
 * judged per trial, then summarised as a median with a confidence interval over trials.
 */
export const GATE_METRICS = {
  latency: { unit: 'duration', needsStatistic: true, worse: 'higher' },
  overhead: { unit: 'duration', needsStatistic: true, worse: 'higher' },
  rps: { unit: 'number', needsStatistic: false, worse: 'lower' },
  'throughput-drop': { unit: 'percent', needsStatistic: false, worse: 'higher' },
  'sidecar-vcpu-per-1k-rps': { unit: 'number', needsStatistic: false, worse: 'higher' },
  'sidecar-rss': { unit: 'size', needsStatistic: false, worse: 'higher' },
  'ctx-switches-per-second-per-core': { unit: 'number', needsStatistic: false, worse: 'higher' },
  'error-rate': { unit: 'percent', needsStatistic: false, worse: 'higher' },
  'oom-kills': { unit: 'number', needsStatistic: false, worse: 'higher' },
} as const;
export type GateMetric = keyof typeof GATE_METRICS;
export const GATE_METRIC_NAMES = Object.keys(GATE_METRICS) as GateMetric[];

export const GATE_STATISTICS = { p50: 'p50Us', p90: 'p90Us', p99: 'p99Us', 'p99.9': 'p999Us', max: 'maxUs' } as const;
export type GateStatistic = keyof typeof GATE_STATISTICS;
export const ESTIMATOR_KEYS = { differential: 'differential', 'app-us': 'perRequestAppUs', header: 'perRequestHeader' } as const;
export type GateEstimator = keyof typeof ESTIMATOR_KEYS;

const UNIT_FORMS = {
  duration: 'a duration like "2ms" or "500us"',
  size: 'a size like "512MiB"',
  percent: 'a percentage like "0.1%" or "15%"',
  number: 'a number',
} as const;

/** A limit as written, converted to the metric's base unit (µs, bytes, fraction, plain number). */
export function parseLimit(unit: keyof typeof UNIT_FORMS, value: unknown): number | undefined {
  if (unit === 'number') return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (unit === 'duration') return parseDurationUs(value);
  if (unit === 'size') return parseSizeBytes(value);
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  return percent ? Number(percent[1]) / 100 : undefined;
}

const metricSchema = z.enum(GATE_METRIC_NAMES as [GateMetric, ...GateMetric[]], {
  error: (issue) => `unknown metric ${JSON.stringify(issue.input)}; expected one of ${GATE_METRIC_NAMES.join(', ')}`,
});
const statisticSchema = z.enum(Object.keys(GATE_STATISTICS) as [GateStatistic, ...GateStatistic[]], {
  error: `expected one of ${Object.keys(GATE_STATISTICS).join(', ')}`,
});
const estimatorSchema = z.enum(Object.keys(ESTIMATOR_KEYS) as [GateEstimator, ...GateEstimator[]], {
  error: `expected one of ${Object.keys(ESTIMATOR_KEYS).join(', ')}`,
});
const limitValue = z.union([z.string(), z.number()]);

const roundCount = z
  .number({ error: 'expected a whole number of rounds from 2 to 100' })
  .int({ error: 'expected a whole number of rounds from 2 to 100' })
  .min(2, { error: 'expected a whole number of rounds from 2 to 100' })
  .max(100, { error: 'expected a whole number of rounds from 2 to 100' });

/**
 * Adaptive rounds: the run does `min` rounds, then adds one at a time while any gate check is
 * inconclusive (and none has failed), up to `max` rounds or the time `budget`. The gate then uses
 * the sequential intervals of src/analysis/sequential.ts, valid however the run stopped.
 */
const roundsSchema = z
  .strictObject({
    min: roundCount.default(6),
    max: roundCount.default(30),
    /** Wall time for the trials (a duration like "20m"): no round is started that would end past it. */
    budget: z
      .string({ error: 'expected a duration like "20m"' })
      .refine((text) => (parseDurationUs(text) ?? 0) > 0, { error: 'expected a positive duration like "20m" or "1h"' })
      .optional(),
  })
  .refine((rounds) => rounds.min <= rounds.max, { error: 'min must not exceed max', path: ['max'] });

const common = {
  /** A topology (arm) name, or "*" for every one the metric applies to. */
  topology: z.string().min(1).default('*'),
  metric: metricSchema,
  statistic: statisticSchema.optional(),
  estimator: estimatorSchema.default('differential'),
  /** ctx-switches-per-second-per-core: whose (default the sidecars). */
  role: z.enum(['sidecar', 'app', 'loadgen']).default('sidecar'),
  /** throughput-drop: the topology the drop is measured against. */
  vs: z.string().optional(),
};

function checkLimits(fields: readonly ('max' | 'min' | 'tolerance' | 'floor')[]) {
  return (entry: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const metric = GATE_METRICS[entry.metric as GateMetric];
    if (!metric) return;
    if (metric.needsStatistic && entry.statistic === undefined) ctx.addIssue({ code: 'custom', path: ['statistic'], message: `metric ${entry.metric} needs a statistic (p50, p90, p99, p99.9 or max)` });
    if (entry.metric === 'throughput-drop' && entry.vs === undefined) ctx.addIssue({ code: 'custom', path: ['vs'], message: 'throughput-drop needs vs: the topology it is measured against' });
    for (const field of fields) {
      if (entry[field] === undefined) continue;
      const unit = field === 'tolerance' ? 'percent' : metric.unit;
      if (parseLimit(unit, entry[field]) === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `expected ${UNIT_FORMS[unit]} for metric ${entry.metric}` });
    }
  };
}

const thresholdSchema = z
  .strictObject({ ...common, max: limitValue.optional(), min: limitValue.optional() })
  .superRefine((entry, ctx) => {
    if ((entry.max === undefined) === (entry.min === undefined)) ctx.addIssue({ code: 'custom', path: [], message: 'give exactly one of max or min' });
    checkLimits(['max', 'min'])(entry, ctx);
  });

const regressionSchema = z
  .strictObject({ ...common, tolerance: limitValue.default('10%'), floor: limitValue.optional() })
  .superRefine((entry, ctx) => checkLimits(['tolerance', 'floor'])(entry, ctx));

export const gatesSchema = z
  .strictObject({
    /** What an inconclusive check (too noisy to judge) does to the exit code. */
    inconclusive: z.enum(['pass', 'fail'], { error: 'expected pass or fail' }).default('pass'),
    confidence: z.number().gt(0.5).lt(1).default(0.95),
    thresholds: z.array(thresholdSchema).default([]),
    /** Checked when a baseline results.json is given (sidecar-bench gate --baseline). */
    regressions: z.array(regressionSchema).optional(),
    /** Adaptive rounds instead of a fixed `trials` count. */
    rounds: roundsSchema.optional(),
    /** Findings of the diagnosis that fail the gate when the run shows them (e.g. failOn: [oom-killed, port-exhaustion]). */
    findings: z
      .strictObject({
        failOn: z
          .array(z.enum(FINDING_KINDS, { error: (issue) => `unknown finding ${JSON.stringify(issue.input)}; expected one of ${FINDING_KINDS.join(', ')}` }), { error: 'expected a list of finding names' })
          .min(1, { error: 'expected at least one finding name' }),
      }, { error: 'expected { failOn: [finding, …] }' })
      .optional(),
  })
  .default({ inconclusive: 'pass', confidence: 0.95, thresholds: [] });

export type GatesFile = z.output<typeof gatesSchema>;
