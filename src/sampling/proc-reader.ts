import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { readKernelFile, type KernelFileRead } from './open-file-cache.js';
import { isVanished } from './read-text.js';
import type { ProcessSample } from './types.js';

/** Where to read a process from, and how to convert its clock ticks. */
export interface ProcReadOptions {
  /** Directory of the proc filesystem to read. Default "/proc"; tests pass a fixture tree. */
  procRoot?: string;
  /** USER_HZ, the unit of utime/stime in /proc/PID/stat (see {@link readClockTicksPerSecond}). */
  clockTicksPerSecond: number;
  /** How files are read. Default: readFile per call; the sampler passes an OpenFileCache's read. */
  read?: KernelFileRead;
}

/** The fields of /proc/PID/stat that the sampler uses. */
export interface ProcStat {
  comm: string;
  utimeTicks: number;
  stimeTicks: number;
  threads: number;
}

/** Context switch counters of one task (/proc/PID/task/TID/status). */
export interface CtxSwitches {
  voluntary: number;
  involuntary: number;
}

/**
 * Parses /proc/PID/stat. comm may hold spaces and parentheses ("sh) -c (x"), so it runs from the
 * first '(' to the LAST ')'; the numbered fields follow. Undefined when the text is not a stat line.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // After ") " comes field 3 (state); field N is at index N - 3.
  const fields = text.slice(close + 2).trim().split(' ');
  const utimeTicks = Number(fields[14 - 3]);
  const stimeTicks = Number(fields[15 - 3]);
  const threads = Number(fields[20 - 3]);
  if (![utimeTicks, stimeTicks, threads].every(Number.isSafeInteger)) return undefined;
  return { comm: text.slice(open + 1, close), utimeTicks, stimeTicks, threads };
}

// Compiled once: they run for every thread on every sample.
const VM_RSS_KIB = /^VmRSS:\s*(\d+)/m;
const VOLUNTARY = /^voluntary_ctxt_switches:\s*(\d+)/m;
const NONVOLUNTARY = /^nonvoluntary_ctxt_switches:\s*(\d+)/m;

function statusField(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** VmRSS of a status file, in bytes; undefined without one (kernel threads, a zombie has no mm). */
export function parseVmRssBytes(statusText: string): number | undefined {
  const kib = statusField(statusText, VM_RSS_KIB);
  return kib === undefined ? undefined : kib * 1024;
}

/** voluntary_ctxt_switches / nonvoluntary_ctxt_switches of one task's status; 0 when absent. */
export function parseCtxSwitches(statusText: string): CtxSwitches {
  return {
    voluntary: statusField(statusText, VOLUNTARY) ?? 0,
    involuntary: statusField(statusText, NONVOLUNTARY) ?? 0,
  };
}

/** Thread ids of the process; undefined when it vanished. */
async function listTids(pid: number, taskDir: string, threads: number): Promise<string[] | undefined> {
  // A single-threaded process's only task is itself: skip the readdir (most proxies' workers).
  if (threads === 1) return [String(pid)];
  try {
    return await readdir(taskDir);
  } catch (error) {
    if (isVanished(error)) return undefined;
    throw error;
  }
}

/**
 * Reads one process (all of its threads). Undefined when the process vanishes before or during the
 * read (ENOENT/ESRCH); other failures (e.g. EACCES, an unparseable stat) throw: not a race but a
 * setup problem.
 *
 * cpuUs is utime + stime of the whole thread group, including threads that already exited, but not
 * waited-for children (those are in the container's cgroup CPU). Resolution is one clock tick
 * (10 ms at 100 Hz): rates need windows of seconds, not single samples.
 *
 * Context switches are summed over the live threads (task/TID/status; /proc/PID/status reports
 * only the main thread's). A thread that exits takes its counts with it, so the sum can go down
 * between two samples.
 *
 * rssBytes is VmRSS, taken from the task status files already read: every thread shows the same
 * mm, and task/PID/status is the same text as /proc/PID/status, so reading that too would only add
 * a file per process per sample.
 */
export async function readProcessSample(pid: number, options: ProcReadOptions): Promise<ProcessSample | undefined> {
  const read = options.read ?? readKernelFile;
  const pidDir = join(options.procRoot ?? '/proc', String(pid));
  const statText = await read(join(pidDir, 'stat'));
  if (statText === undefined) return undefined;
  const stat = parseProcStat(statText);
  if (stat === undefined) throw new Error(`unparseable ${join(pidDir, 'stat')}: ${JSON.stringify(statText.slice(0, 200))}`);
  const taskDir = join(pidDir, 'task');
  const tids = await listTids(pid, taskDir, stat.threads);
  if (tids === undefined) return undefined;
  // A thread that exits between readdir and its read just drops out (undefined).
  const statuses = (await Promise.all(tids.map((tid) => read(join(taskDir, tid, 'status'))))).filter(
    (text): text is string => text !== undefined,
  );
  if (statuses.length === 0) return undefined;
  let voluntaryCtxSwitches = 0;
  let involuntaryCtxSwitches = 0;
  let rssBytes: number | undefined;
  for (const text of statuses) {
    const counts = parseCtxSwitches(text);
    voluntaryCtxSwitches += counts.voluntary;
    involuntaryCtxSwitches += counts.involuntary;
    // A main thread that called pthread_exit is a zombie without VmRSS; the others still show it.
    rssBytes ??= parseVmRssBytes(text);
  }
  return {
    pid,
    comm: stat.comm,
    cpuUs: ticksToUs(stat.utimeTicks + stat.stimeTicks, options.clockTicksPerSecond),
    voluntaryCtxSwitches,
    involuntaryCtxSwitches,
    rssBytes: rssBytes ?? 0,
    threads: stat.threads,
  };
}

/** Clock ticks → µs, rounded to a whole µs (exact for 100 Hz and 1000 Hz). */
export function ticksToUs(ticks: number, clockTicksPerSecond: number): number {
  return Math.round((ticks * 1_000_000) / clockTicksPerSecond);
}

/** Runs a command and returns its stdout; injectable so the fallback can be tested. */
export type RunCommand = (file: string, args: string[]) => Promise<{ stdout: string }>;

/** The Linux default USER_HZ, used when getconf is missing or says something odd. */
export const DEFAULT_CLOCK_TICKS_PER_SECOND = 100;

/**
 * USER_HZ via `getconf CLK_TCK` (Node has no sysconf binding). Call it once per run, not per
 * sample. Falls back to {@link DEFAULT_CLOCK_TICKS_PER_SECOND} when getconf fails.
 */
export async function readClockTicksPerSecond(run: RunCommand = (file, args) => execa(file, args)): Promise<number> {
  try {
    const { stdout } = await run('getconf', ['CLK_TCK']);
    const ticks = Number(stdout.trim());
    return Number.isSafeInteger(ticks) && ticks > 0 ? ticks : DEFAULT_CLOCK_TICKS_PER_SECOND;
  } catch {
    return DEFAULT_CLOCK_TICKS_PER_SECOND;
  }
}
