import { BPF_COUNTER_NAMES, type BpfCounters } from '../results/schema.js';
import type { BpfMechanisms } from './types.js';

// The names live with results.json's schema (the contract); their order is sb_counters' index order.
export { BPF_COUNTER_NAMES, type BpfCounters } from '../results/schema.js';
type BpfCounterName = (typeof BPF_COUNTER_NAMES)[number];

/**
 * Parses `bpftool -j map dump` of sb_counters (with BTF: `[{ "key": 0, "value": 5, "formatted": … }]`
 * or `{ formatted: { key, value } }`). Throws when the dump is not an array of numeric entries.
 */
export function parseCounterDump(json: string): BpfCounters {
  const entries: unknown = JSON.parse(json);
  if (!Array.isArray(entries)) throw new Error(`bpftool map dump: expected a JSON array, got ${json.slice(0, 120)}`);
  const counters = Object.fromEntries(BPF_COUNTER_NAMES.map((name) => [name, 0])) as BpfCounters;
  for (const entry of entries as Record<string, unknown>[]) {
    const pair = (entry.formatted ?? entry) as { key?: unknown; value?: unknown };
    const key = Number(pair.key);
    const value = Number(pair.value);
    if (!Number.isInteger(key) || !Number.isFinite(value)) throw new Error(`bpftool map dump: entry without a numeric key/value: ${JSON.stringify(entry).slice(0, 120)}`);
    const name = BPF_COUNTER_NAMES[key];
    if (name) counters[name] = value;
  }
  return counters;
}

/** after − before, counter by counter. */
export function counterDelta(before: BpfCounters, after: BpfCounters): BpfCounters {
  return Object.fromEntries(BPF_COUNTER_NAMES.map((name) => [name, after[name] - before[name]])) as BpfCounters;
}

/**
 * What shows the mechanisms did their job in a trial; empty when they did. sockmap: messages were
 * moved socket to socket. connect: connects were rewritten to the sidecar and the sidecar's
 * SO_ORIGINAL_DST lookups were answered.
 */
export function inactivityProblems(mechanisms: BpfMechanisms, delta: BpfCounters): string[] {
  const problems: string[] = [];
  if (mechanisms.sockmap && delta.messagesRedirected <= 0) problems.push(`sk_msg redirected no message (${delta.messagesPassed} left to TCP, ${delta.socketPairs} socket pairs)`);
  if (mechanisms.connect && delta.connectsRewritten <= 0) problems.push('cgroup/connect4 rewrote no connect');
  if (mechanisms.connect && delta.originalDstAnswered <= 0) problems.push(`cgroup/getsockopt answered no SO_ORIGINAL_DST (${delta.originalDstMissed} missed)`);
  return problems;
}
