/**
 * When each request of an open-model run is due, in ns after the start. Uniform arrivals are evenly
 * spaced; Poisson arrivals have exponential gaps with the same mean, from a seeded generator so a
 * run is repeatable. A perfectly periodic schedule can line up with the system's own periods (a
 * delay equal to the gap makes every release coincide with the next arrival, and they queue for the
 * same core); Poisson arrivals spread such collisions evenly over every arm, as real traffic does.
 */
import { seededRandom } from './seeded-random.js';

export type Arrivals = 'uniform' | 'poisson';

export function arrivalOffsetsNs(durationNs: number, ratePerSecond: number, arrivals: Arrivals, seed = 1): Float64Array {
  const meanGapNs = 1e9 / ratePerSecond;
  if (arrivals === 'uniform') {
    const count = Math.floor((durationNs * ratePerSecond) / 1e9);
    return Float64Array.from({ length: count }, (_, i) => i * meanGapNs);
  }
  const random = seededRandom(seed);
  const offsets: number[] = [];
  for (let at = 0; at < durationNs; at += -Math.log(1 - random()) * meanGapNs) offsets.push(at);
  return Float64Array.from(offsets);
}
