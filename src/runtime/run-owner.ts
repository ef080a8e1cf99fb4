/**
 * Which process owns a run's containers and networks, recorded in their labels so that a later
 * `run`, `doctor` or `clean` can decide whether that process is gone (SIGKILL, OOM, a crashed
 * machine) and the resources are orphans.
 *
 * A PID alone is not enough: PIDs are reused, and several runs (and test workers) share one
 * engine. The owner is (host, boot id, PID, the process's start time in clock ticks since boot,
 * field 22 of /proc/PID/stat). It is gone when the machine has rebooted since (boot id differs),
 * or no process with that PID and that start time exists. A resource from another host, or one
 * without these labels (an older sidecar-bench), is never called an orphan: nothing here can tell.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export const OWNER_HOST_LABEL = 'io.sidecar-bench.owner-host';
export const OWNER_BOOT_ID_LABEL = 'io.sidecar-bench.owner-boot-id';
export const OWNER_PID_LABEL = 'io.sidecar-bench.owner-pid';
export const OWNER_START_TICKS_LABEL = 'io.sidecar-bench.owner-start-ticks';

export interface RunOwner {
  host: string;
  bootId: string;
  pid: number;
  /** Start time of the process, in clock ticks after boot (/proc/PID/stat field 22). */
  startTicks: number;
}

/** Reads /proc files; injectable so the decision can be tested on fixtures. */
export interface ProcView {
  /** Contents of a /proc file, or undefined when it does not exist (e.g. the PID is gone). */
  read(path: string): string | undefined;
  hostname(): string;
}

export const realProc: ProcView = {
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  hostname: () => hostname(),
};

/** Field 22 (starttime) of a /proc/PID/stat line; the command name (field 2) may hold spaces and parentheses. */
export function parseStartTicks(stat: string): number | undefined {
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // afterName[0] is field 3 (state), so field 22 is afterName[19].
  const ticks = Number(afterName[19]);
  return Number.isInteger(ticks) ? ticks : undefined;
}

/** This process as a run owner. Throws when /proc cannot say (not Linux). */
export function currentRunOwner(proc: ProcView = realProc, pid: number = process.pid): RunOwner {
  const bootId = proc.read('/proc/sys/kernel/random/boot_id')?.trim();
  const stat = proc.read(`/proc/${pid}/stat`);
  const startTicks = stat === undefined ? undefined : parseStartTicks(stat);
  if (!bootId || startTicks === undefined) throw new Error('cannot read this process from /proc (boot_id, stat): sidecar-bench runs on Linux');
  return { host: proc.hostname(), bootId, pid, startTicks };
}

/** The labels that record an owner. */
export function ownerLabels(owner: RunOwner): Record<string, string> {
  return {
    [OWNER_HOST_LABEL]: owner.host,
    [OWNER_BOOT_ID_LABEL]: owner.bootId,
    [OWNER_PID_LABEL]: String(owner.pid),
    [OWNER_START_TICKS_LABEL]: String(owner.startTicks),
  };
}

/** The owner recorded in a resource's labels, or undefined when they are missing or malformed. */
export function ownerFromLabels(labels: Record<string, string> | undefined): RunOwner | undefined {
  const host = labels?.[OWNER_HOST_LABEL];
  const bootId = labels?.[OWNER_BOOT_ID_LABEL];
  const pid = Number(labels?.[OWNER_PID_LABEL]);
  const startTicks = Number(labels?.[OWNER_START_TICKS_LABEL]);
  if (!host || !bootId || !Number.isInteger(pid) || pid <= 0 || !Number.isInteger(startTicks)) return undefined;
  return { host, bootId, pid, startTicks };
}

/**
 * Whether a run's owner still lives, seen from this process:
 * - `alive`: the same process (PID and start time) runs on this boot of this host;
 * - `gone`: it does not (or the host has rebooted since): its resources are orphans;
 * - `unknown`: no owner labels, or another host: nothing here can tell, so they are left alone.
 */
export type OwnerState = { state: 'alive' | 'gone' | 'unknown'; reason: string };

export function ownerState(owner: RunOwner | undefined, proc: ProcView = realProc): OwnerState {
  if (!owner) return { state: 'unknown', reason: 'no owner labels (made by an older sidecar-bench or by hand)' };
  const host = proc.hostname();
  if (owner.host !== host) return { state: 'unknown', reason: `owned by a process on host ${owner.host}, not this one (${host})` };
  const bootId = proc.read('/proc/sys/kernel/random/boot_id')?.trim();
  if (bootId && owner.bootId !== bootId) return { state: 'gone', reason: `its process (pid ${owner.pid}) ran before this machine last booted` };
  const stat = proc.read(`/proc/${owner.pid}/stat`);
  if (stat === undefined) return { state: 'gone', reason: `its process (pid ${owner.pid}) has exited` };
  if (parseStartTicks(stat) !== owner.startTicks) return { state: 'gone', reason: `its process (pid ${owner.pid}) has exited; that pid now belongs to another process` };
  return { state: 'alive', reason: `in use by a live run (pid ${owner.pid})` };
}
