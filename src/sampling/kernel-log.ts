/**
 * The kernel's own word on a full conntrack table: "nf_conntrack: table full in netns <inode>,
 * dropping packet" (kernel 6.18; older kernels print no namespace). Read from /dev/kmsg (needs
 * root, like dmesg with dmesg_restrict) around each trial, and attributed to a pod by the inode of
 * its network namespace (/proc/PID/ns/net). The kernel rate-limits the message (net_ratelimit):
 * its count is a lower bound of the drops, which the pod's nf_conntrack stat counts exactly.
 */
import { closeSync, constants, openSync, readlinkSync, readSync } from 'node:fs';

export const KMSG_PATH = '/dev/kmsg';
/** The message, with the namespace where the kernel names it. */
export const CONNTRACK_FULL_LINE = /nf_conntrack: table full(?: in netns (\d+))?, dropping packet/;

/** One /dev/kmsg record: "prio,seq,usec,flags[,…];message". */
export interface KmsgRecord {
  seq: number;
  /** Microseconds since boot (the kernel's monotonic clock). */
  usec: number;
  message: string;
}

/** Parses one record as /dev/kmsg returns it; undefined for anything else. */
export function parseKmsgRecord(text: string): KmsgRecord | undefined {
  const semicolon = text.indexOf(';');
  if (semicolon < 0) return undefined;
  const [, seq, usec] = text.slice(0, semicolon).split(',');
  const message = text.slice(semicolon + 1).split('\n')[0] ?? '';
  if (seq === undefined || usec === undefined || !/^\d+$/.test(seq) || !/^\d+$/.test(usec)) return undefined;
  return { seq: Number(seq), usec: Number(usec), message };
}

/**
 * Every record the kernel's ring buffer holds now, oldest first (non-blocking: stops at the
 * newest). Throws when the log cannot be opened (not root).
 */
export function readKernelLog(path = KMSG_PATH): KmsgRecord[] {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const buffer = Buffer.alloc(16 * 1024);
  const records: KmsgRecord[] = [];
  try {
    for (;;) {
      let bytes: number;
      try {
        bytes = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        // EPIPE: the record was overwritten while we read; the next read returns the oldest left.
        if (code === 'EPIPE') continue;
        throw error;
      }
      if (bytes === 0) break;
      const record = parseKmsgRecord(buffer.toString('utf8', 0, bytes));
      if (record) records.push(record);
    }
  } finally {
    closeSync(fd);
  }
  return records;
}

/** The inode of a process's network namespace ("4026532926"), or undefined when it is gone. */
export function netnsInode(pid: number, procRoot = '/proc'): string | undefined {
  try {
    return /^net:\[(\d+)\]$/.exec(readlinkSync(`${procRoot}/${pid}/ns/net`))?.[1];
  } catch {
    return undefined;
  }
}

/** What the kernel said about one pod's conntrack table during a trial. */
export interface PodKernelLog {
  pod: string;
  /** The inode of the pod's network namespace, as the kernel names it. */
  netns: string;
  /** "table full, dropping packet" messages (rate-limited by the kernel: a lower bound). */
  tableFullMessages: number;
  /** A few of them, verbatim. */
  lines: string[];
}

/** The table-full messages after `afterSeq` that name one of the pods' namespaces, per pod. Pure. */
export function conntrackFullByPod(records: readonly KmsgRecord[], afterSeq: number, pods: ReadonlyMap<string, string>, maxLines = 3): PodKernelLog[] {
  const byPod = new Map<string, PodKernelLog>();
  for (const record of records) {
    if (record.seq <= afterSeq) continue;
    const netns = CONNTRACK_FULL_LINE.exec(record.message)?.[1];
    const pod = netns === undefined ? undefined : pods.get(netns);
    if (pod === undefined || netns === undefined) continue;
    const entry = byPod.get(pod) ?? { pod, netns, tableFullMessages: 0, lines: [] };
    entry.tableFullMessages++;
    if (entry.lines.length < maxLines) entry.lines.push(`[${(record.usec / 1e6).toFixed(6)}] ${record.message}`);
    byPod.set(pod, entry);
  }
  return [...byPod.values()];
}

/**
 * Watches the kernel log for one trial: the newest record's sequence number now, then the pods'
 * table-full messages since. Undefined when the log cannot be read (not root): the finding then
 * rests on the pods' counters alone.
 */
export function watchKernelLog(pods: readonly { name: string; hostPid: number }[], path = KMSG_PATH): { finish(): PodKernelLog[] } | undefined {
  let startSeq: number;
  try {
    startSeq = readKernelLog(path).reduce((max, record) => Math.max(max, record.seq), -1);
  } catch {
    return undefined;
  }
  const inodes = new Map(pods.flatMap((pod) => {
    const inode = netnsInode(pod.hostPid);
    return inode === undefined ? [] : [[inode, pod.name] as const];
  }));
  return {
    finish: () => {
      try {
        return conntrackFullByPod(readKernelLog(path), startSeq, inodes);
      } catch {
        return [];
      }
    },
  };
}
