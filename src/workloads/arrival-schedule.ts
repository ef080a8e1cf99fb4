/**
 * When each request of an open-model run is due, in ns after the start. Uniform arrivals are evenly
 * spaced; Poisson arrivals have exponential gaps with the same mean, from a seeded generator so a
 * run is repeatable. A perfectly periodic schedule can line up with the system's own periods (a
 * delay equal to the gap makes every release coincide with the next arrival, and they queue for the
 * same core); Poisson arrivals spread such collisions evenly over every arm, as real traffic does.
 */
export type Arrivals = 'uniform' | 'poisson';

/** mulberry32: a small, fast, well-distributed 32-bit generator; enough for inter-arrival gaps. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every arrival in [0, durationNs): rate × duration of them when uniform, a Poisson number otherwise. */
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
