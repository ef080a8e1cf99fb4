/**
 * `sweep:` — capacity planning. The offered rate is swept per topology (open model), each step a
 * set of interleaved rounds (`trials` rounds per step), and each topology's knee is judged against
 * the SLO. Rates are either a list, run in ascending order, or an adaptive search between bounds
 * (geometric growth by `factor` until the SLO is missed, then bisection down to `resolution`).
 */
import { z } from 'zod';
import { parseLimit } from './gates-schema.js';
import { DURATION_FORMS, RATE_FORMS, parseDurationUs, parseRatePerSecond } from './units.js';

const rate = z.string({ error: `expected ${RATE_FORMS}` }).transform((text, ctx) => {
  const value = parseRatePerSecond(text);
  if (value === undefined || value <= 0) {
    ctx.addIssue({ code: 'custom', message: `expected ${RATE_FORMS} above 0; got "${text}"` });
    return z.NEVER;
  }
  return value;
});

const percent = (what: string) =>
  z.string({ error: `expected ${what} as a percentage like "0.1%"` }).transform((text, ctx) => {
    const value = parseLimit('percent', text);
    if (value === undefined || value >= 1) {
      ctx.addIssue({ code: 'custom', message: `expected ${what} as a percentage below 100 %, like "0.1%"; got "${text}"` });
      return z.NEVER;
    }
    return value;
  });

const sloSchema = z
  .strictObject({
    /** P99 latency limit of successful responses. */
    p99: z.string({ error: `expected ${DURATION_FORMS}` }).transform((text, ctx) => {
      const value = parseDurationUs(text);
      if (value === undefined || value <= 0) {
        ctx.addIssue({ code: 'custom', message: `expected ${DURATION_FORMS} above 0; got "${text}"` });
        return z.NEVER;
      }
      return value;
    }).default(10_000),
    /** Failed requests / attempts. */
    errorRate: percent('an error-rate limit').default(0.001),
  })
  .default({ p99: 10_000, errorRate: 0.001 });

const searchSchema = z.strictObject({
  from: rate,
  to: rate,
  /** At most this many steps per topology (growth and bisection together). */
  steps: z.number({ error: 'expected a whole number from 2 to 30' }).int({ error: 'expected a whole number from 2 to 30' }).min(2, { error: 'expected a whole number from 2 to 30' }).max(30, { error: 'expected a whole number from 2 to 30' }).default(8),
  /** Growth between steps while the SLO is met. */
  factor: z.number({ error: 'expected a number from 1.1 to 10' }).min(1.1, { error: 'expected a number from 1.1 to 10' }).max(10, { error: 'expected a number from 1.1 to 10' }).default(2),
  /** Bisection stops once the bracket [met, missed] is narrower than this share of its lower end. */
  resolution: percent('a resolution').default(0.1),
});

export const sweepSchema = z
  .strictObject({
    rates: z.array(rate, { error: 'expected a list of rates, like [500/s, 1000/s, 2000/s]' }).min(2, { error: 'expected at least 2 rates' }).max(30, { error: 'expected at most 30 rates' }).optional(),
    search: searchSchema.optional(),
    /** Pool size per step grows with the rate (ceil(rate/1000 · this)); absent: load.connections at every step. */
    connectionsPer1kRps: z.number({ error: 'expected a number of connections per 1000 req/s' }).positive({ error: 'expected a number above 0' }).max(1000, { error: 'expected at most 1000' }).optional(),
    slo: sloSchema,
  })
  .superRefine((sweep, ctx) => {
    if ((sweep.rates === undefined) === (sweep.search === undefined)) ctx.addIssue({ code: 'custom', message: 'give either rates (a list) or search (from, to), not both and not neither' });
    if (sweep.rates && new Set(sweep.rates).size !== sweep.rates.length) ctx.addIssue({ code: 'custom', path: ['rates'], message: 'a rate is listed twice' });
    if (sweep.search && sweep.search.from >= sweep.search.to) ctx.addIssue({ code: 'custom', path: ['search', 'to'], message: 'expected a rate above search.from' });
  });

export type SweepFile = z.output<typeof sweepSchema>;
