import type { RoundsRecord } from '../results/schema.js';

/**
 * The gate's counts on the rounds so far: checks failed (or not evaluable), inconclusive, and run
 * errors (failed trials: the run cannot pass its gate). Undefined when the run has no gate checks.
 */
export type GateCounts = { fail: number; inconclusive: number; runErrors?: number } | undefined;

const formatSeconds = (ms: number) => (ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(0)} s`);
const stillInconclusive = (counts: GateCounts) => (counts && counts.inconclusive > 0 ? `; ${counts.inconclusive} check${counts.inconclusive === 1 ? '' : 's'} still inconclusive` : '');

/**
 * Whether an adaptive run (gates.rounds) adds another round, and why it stopped. After each round
 * from the minimum on it asks the gate for its verdicts on the rounds so far; it stops when every
 * check has decided, when one has failed (the gate fails whatever the others say), at the maximum
 * rounds, or when another round would end past the time budget (judged by the mean round so far).
 * Stopping on any of these keeps the sequential gate valid (src/analysis/sequential.ts).
 */
export class AdaptiveRounds {
  private stop: Pick<RoundsRecord, 'stop' | 'detail'> | undefined;
  private startedMs: number | undefined;
  /** Told each time a round is added, and why (for the progress display). */
  onMore: ((why: string) => void) | undefined;

  constructor(
    private readonly spec: { min: number; max: number; budgetUs?: number },
    private readonly judge: () => GateCounts,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Call when the first trial starts: the time budget counts from here. */
  start(): void {
    this.startedMs = this.nowMs();
  }

  /** Called after round `roundsDone` (≥ min): true to run one more. */
  another(roundsDone: number): boolean {
    const counts = this.judge();
    const after = `after ${roundsDone} round${roundsDone === 1 ? '' : 's'}`;
    if (!counts) this.stop = { stop: 'decided', detail: `no gate checks to decide; stopped ${after}, the minimum` };
    else if ((counts.runErrors ?? 0) > 0) this.stop = { stop: 'decided', detail: `a trial failed ${after}, so the run cannot pass its gate` };
    else if (counts.fail > 0) this.stop = { stop: 'decided', detail: `a check failed ${after}, so the gate fails whatever the others say${stillInconclusive(counts)}` };
    else if (counts.inconclusive === 0) this.stop = { stop: 'decided', detail: `every check decided ${after}` };
    else if (roundsDone >= this.spec.max) this.stop = { stop: 'max-rounds', detail: `the maximum of ${this.spec.max} rounds was spent${stillInconclusive(counts)}` };
    else if (this.spec.budgetUs !== undefined && this.startedMs !== undefined) {
      const elapsedMs = this.nowMs() - this.startedMs;
      const budgetMs = this.spec.budgetUs / 1000;
      if (elapsedMs + elapsedMs / roundsDone > budgetMs) {
        this.stop = { stop: 'time-budget', detail: `another round would end past the time budget of ${formatSeconds(budgetMs)} (${roundsDone} rounds took ${formatSeconds(elapsedMs)})${stillInconclusive(counts)}` };
      }
    }
    if (this.stop === undefined) this.onMore?.(`${counts?.inconclusive ?? 0} gate check${counts?.inconclusive === 1 ? '' : 's'} still inconclusive ${after}: adding round ${roundsDone + 1}`);
    return this.stop === undefined;
  }

  /** What results.json keeps: the rounds asked for, used, and why the run stopped ("cut-short" if it never decided to). */
  record(used: number): RoundsRecord {
    const stop = this.stop ?? { stop: 'cut-short' as const, detail: `the run ended after ${used} round${used === 1 ? '' : 's'} before it could decide (interrupted or failed)` };
    return { min: this.spec.min, max: this.spec.max, ...(this.spec.budgetUs !== undefined ? { budgetUs: this.spec.budgetUs } : {}), used, ...stop };
  }
}
