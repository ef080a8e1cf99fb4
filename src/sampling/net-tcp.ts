/**
 * TCP socket states and conntrack counters of one network namespace, read from the host through
 * a PID that lives in it: /proc/PID/net/tcp, tcp6 and stat/nf_conntrack show that PID's netns,
 * not the host's. Evidence for the port-exhaustion (TIME_WAIT pile-up) and conntrack findings.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isVanished } from './read-text.js';

/** The kernel's TCP states in the order of include/net/tcp_states.h (TCP_ESTABLISHED = 1 …). */
export const TCP_STATE_NAMES = [
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
] as const;
export type TcpStateName = (typeof TCP_STATE_NAMES)[number];

/** Sockets per state (states with none are left out). */
export type TcpStateCounts = Partial<Record<TcpStateName, number>>;

/**
 * Counts the sockets of a /proc/net/tcp or tcp6 text by state. The 4th column ("st") is the state
 * in hex; the first line is a header. Lines that do not parse are skipped (the file is the kernel's,
 * a torn last line is the only realistic damage).
 */
export function parseNetTcp(text: string, into: TcpStateCounts = {}): TcpStateCounts {
  const lines = text.split('\n');
  for (let index = 1; index < lines.length; index++) {
    const fields = (lines[index] as string).trim().split(/\s+/);
    if (fields.length < 4 || !fields[0]?.endsWith(':')) continue;
    const name = TCP_STATE_NAMES[Number.parseInt(fields[3] as string, 16) - 1];
    if (name) into[name] = (into[name] ?? 0) + 1;
  }
  return into;
}

/** Conntrack of one netns: its entry count and the drops its table caused, summed over CPUs. */
export interface ConntrackStat {
  /** Entries tracked in this netns now. */
  entries: number;
  /** New connections dropped because the table was full (cumulative since the netns began). */
  drop: number;
  /** Entries evicted early to make room for a new one (cumulative). */
  earlyDrop: number;
  /** Entries that could not be inserted (cumulative). */
  insertFailed: number;
}

/**
 * Parses /proc/PID/net/stat/nf_conntrack: a header naming the columns, then one line of hex per
 * CPU. "entries" is the netns' count (the same on every line); the other counters are per CPU and
 * summed. Columns are found by name, since kernels add and remove them. Undefined without an
 * "entries" column.
 */
export function parseConntrackStat(text: string): ConntrackStat | undefined {
  const [header, ...rows] = text.trim().split('\n');
  const columns = (header ?? '').trim().split(/\s+/);
  const at = (name: string) => columns.indexOf(name);
  if (at('entries') < 0) return undefined;
  const sum = (name: string) =>
    at(name) < 0 ? 0 : rows.reduce((total, row) => total + (Number.parseInt(row.trim().split(/\s+/)[at(name)] ?? '0', 16) || 0), 0);
  const first = rows[0]?.trim().split(/\s+/)[at('entries')];
  return { entries: first ? Number.parseInt(first, 16) : 0, drop: sum('drop'), earlyDrop: sum('early_drop'), insertFailed: sum('insert_failed') };
}

/** One netns at one instant. */
export interface NetnsSample {
  tcp: TcpStateCounts;
  /** Absent where the kernel has no conntrack in that netns (module not loaded, no procfs). */
  conntrack?: ConntrackStat;
}

/**
 * Reads the TCP states (IPv4 + IPv6) and conntrack counters of PID's network namespace.
 * Undefined when the process is gone; a missing tcp6 (IPv6 off) or conntrack file is skipped.
 */
export async function readNetnsSample(pid: number, procRoot = '/proc'): Promise<NetnsSample | undefined> {
  const read = async (file: string) => {
    try {
      return await readFile(join(procRoot, String(pid), 'net', file), 'utf8');
    } catch (error) {
      if (isVanished(error)) return undefined;
      throw error;
    }
  };
  const [tcp, tcp6, conntrack] = await Promise.all([read('tcp'), read('tcp6'), read('stat/nf_conntrack')]);
  if (tcp === undefined) return undefined;
  const counts = parseNetTcp(tcp);
  if (tcp6 !== undefined) parseNetTcp(tcp6, counts);
  const stat = conntrack === undefined ? undefined : parseConntrackStat(conntrack);
  return { tcp: counts, ...(stat ? { conntrack: stat } : {}) };
}

/** The host's conntrack limit (net.netfilter.nf_conntrack_max, global); undefined without conntrack. */
export async function readConntrackMax(procRoot = '/proc'): Promise<number | undefined> {
  try {
    const value = Number((await readFile(join(procRoot, 'sys/net/netfilter/nf_conntrack_max'), 'utf8')).trim());
    return Number.isSafeInteger(value) ? value : undefined;
  } catch (error) {
    if (isVanished(error)) return undefined;
    throw error;
  }
}
