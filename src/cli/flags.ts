import { BenchError } from '../errors.js';

/**
 * A whole-number flag, e.g. `--replicas 3`.
 * @throws BenchError SB_SCENARIO_INVALID naming the flag and the range when `text` is not a whole number in [min, max]
 */
export function wholeFlag(name: string, text: string, min = 1, max = 100_000): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new BenchError('SB_SCENARIO_INVALID', `--${name}: expected a whole number from ${min} to ${max}; got "${text}"`);
  return value;
}
