import type { ProxyExec } from '../driver.js';
import { adminGet } from './admin.js';

/** Envoy's counters of traffic its own limits refused: circuit breakers (cx, pending, retry, pool) and listener caps. */
export const LIMIT_STATS_PATH = `/stats?filter=${encodeURIComponent('_overflow$')}`;

/** `/stats` text ("name: value" lines) → the counters ending in _overflow. */
export function parseOverflowCounters(text: string): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^([\w.:-]+_overflow): (\d+)$/.exec(line.trim());
    if (match) counters[match[1] as string] = Number(match[2]);
  }
  return counters;
}

export async function readEnvoyOverflows(sidecar: ProxyExec): Promise<Record<string, number>> {
  return parseOverflowCounters(await adminGet(sidecar, LIMIT_STATS_PATH));
}
