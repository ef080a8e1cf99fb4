/**
 * Host sysctls a run changes for its duration (today: net.netfilter.nf_conntrack_max, which this
 * kernel keeps global: read-only in every network namespace but the host's). A change is recorded
 * on disk before it is made, with the run's owner (src/runtime/run-owner.ts), and undone on every
 * path: the run's end, a failure, Ctrl-C / SIGTERM (the runner's cleanups), process.exit (a
 * synchronous 'exit' handler) and, for a run killed with SIGKILL, the next `run` or `clean`, which
 * finds the record of a process that is gone and restores the value.
 *
 * The records live under /run (a tmpfs emptied at boot), the lifetime of a sysctl value itself.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import { ownerState, realProc, type ProcView, type RunOwner } from '../runtime/run-owner.js';

export const HOST_SETTINGS_DIR = '/run/sidecar-bench/host-settings';

/** What a run changed, written before the change: enough for a later process to undo it. */
export interface HostSettingRecord {
  runId: string;
  owner: RunOwner;
  /** The sysctl, dotted, e.g. "net.netfilter.nf_conntrack_max". */
  key: string;
  originalValue: string;
  appliedValue: string;
  /** ISO time the value was applied. */
  appliedAt: string;
}

/** Where a dotted sysctl lives under procRoot, e.g. /proc/sys/net/netfilter/nf_conntrack_max. */
export function sysctlPath(key: string, procRoot = '/proc'): string {
  return join(procRoot, 'sys', ...key.split('.'));
}

function readSysctl(key: string, procRoot: string): string {
  return readFileSync(sysctlPath(key, procRoot), 'utf8').trim();
}

/**
 * Why this process cannot change `key`, or undefined when it can. Proven by writing the current
 * value back (changes nothing): a root user in a container, or with /proc/sys mounted read-only,
 * reads the file but cannot write it.
 */
export function whySysctlCannotBeWritten(key: string, procRoot = '/proc'): string | undefined {
  const path = sysctlPath(key, procRoot);
  let current: string;
  try {
    current = readSysctl(key, procRoot);
  } catch (error) {
    return `${path} cannot be read (${describeError(error)})`;
  }
  try {
    writeFileSync(path, current);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? describeError(error);
    return `${path} cannot be written (${code}): changing it needs root in the host's network namespace${process.getuid?.() === 0 ? ' (this process is root, but not there, or /proc/sys is read-only)' : ' (this process is not root)'}`;
  }
}

export interface HostSysctlsOptions {
  runId: string;
  owner: RunOwner;
  /** Default {@link HOST_SETTINGS_DIR}. */
  dir?: string;
  /** Default /proc. */
  procRoot?: string;
  /** Default the real /proc (owner liveness of other runs' records). */
  proc?: ProcView;
}

/** The host sysctls one run has changed; {@link restoreAll} (or the 'exit' handler) puts them back. */
export class HostSysctls {
  readonly #options: Required<HostSysctlsOptions>;
  readonly #applied = new Map<string, { record: HostSettingRecord; file: string }>();
  readonly #onExit = () => this.restoreAllSync();

  constructor(options: HostSysctlsOptions) {
    this.#options = { dir: HOST_SETTINGS_DIR, procRoot: '/proc', proc: realProc, ...options };
  }

  /** The current value of a host sysctl. */
  read(key: string): string {
    return readSysctl(key, this.#options.procRoot);
  }

  /**
   * Sets `key` to `value` until {@link restoreAll}; records the original first. Throws (changing
   * nothing) when another live run holds a change of the same key, or a killed run's change was
   * never undone: the "original" read now would be that run's value.
   */
  set(key: string, value: string): { originalValue: string } {
    const { dir, runId, owner, procRoot, proc } = this.#options;
    for (const other of readRecords(dir)) {
      if (other.record.key !== key || other.record.runId === runId) continue;
      const state = ownerState(other.record.owner, proc);
      throw new Error(`${key} is already changed by run ${other.record.runId} (${state.reason}; it set ${other.record.appliedValue}, the original is ${other.record.originalValue})${state.state === 'gone' ? '; `sidecar-bench clean` restores it' : ''}`);
    }
    const originalValue = this.#applied.get(key)?.record.originalValue ?? readSysctl(key, procRoot);
    const record: HostSettingRecord = { runId, owner, key, originalValue, appliedValue: value, appliedAt: new Date().toISOString() };
    const file = join(dir, `${runId}--${key}.json`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
    if (this.#applied.size === 0) process.once('exit', this.#onExit);
    this.#applied.set(key, { record, file });
    writeFileSync(sysctlPath(key, procRoot), value);
    return { originalValue };
  }

  /** Keys changed and not yet restored, with their original values. */
  get changed(): { key: string; originalValue: string; appliedValue: string }[] {
    return [...this.#applied.values()].map(({ record }) => ({ key: record.key, originalValue: record.originalValue, appliedValue: record.appliedValue }));
  }

  /** Puts every changed key back. Safe to call twice. Returns what could not be restored. */
  async restoreAll(): Promise<string[]> {
    return this.restoreAllSync();
  }

  /** As {@link restoreAll}, synchronously: what the process's 'exit' handler can still do. */
  restoreAllSync(): string[] {
    const problems: string[] = [];
    for (const [key, { record, file }] of this.#applied) {
      try {
        writeFileSync(sysctlPath(key, this.#options.procRoot), record.originalValue);
        rmSync(file, { force: true });
        this.#applied.delete(key);
      } catch (error) {
        problems.push(`${key}: could not restore ${record.originalValue} (${describeError(error)}); the record ${file} lets \`sidecar-bench clean\` retry`);
      }
    }
    if (this.#applied.size === 0) process.off('exit', this.#onExit);
    return problems;
  }
}

function readRecords(dir: string): { record: HostSettingRecord; file: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const file = join(dir, name);
    try {
      return [{ record: JSON.parse(readFileSync(file, 'utf8')) as HostSettingRecord, file }];
    } catch {
      return [];
    }
  });
}

/** One left-over change, and what was done about it. */
export interface LeftHostSetting {
  record: HostSettingRecord;
  outcome: 'restored' | 'would-restore' | 'already-reset' | 'changed-since' | 'left-alone' | 'failed';
  /** One line for a person. */
  detail: string;
}

/**
 * Host settings changed by runs whose process is gone (SIGKILL, a crash): each is put back to its
 * original value when the host still holds the value that run set; left alone when it does not
 * (someone changed it since) or when the run still lives. With `dryRun`, only reported.
 */
export function restoreLeftHostSettings(options: { dir?: string; procRoot?: string; proc?: ProcView; dryRun?: boolean } = {}): LeftHostSetting[] {
  const { dir = HOST_SETTINGS_DIR, procRoot = '/proc', proc = realProc } = options;
  const left: LeftHostSetting[] = [];
  for (const { record, file } of readRecords(dir)) {
    const state = ownerState(record.owner, proc);
    const what = `${record.key} (run ${record.runId} set ${record.appliedValue}, was ${record.originalValue})`;
    if (state.state !== 'gone') {
      left.push({ record, outcome: 'left-alone', detail: `${what}: left alone, ${state.reason}` });
      continue;
    }
    if (options.dryRun) {
      left.push({ record, outcome: 'would-restore', detail: `${what}: not restored yet, ${state.reason}` });
      continue;
    }
    try {
      if (record.owner.bootId !== proc.read('/proc/sys/kernel/random/boot_id')?.trim()) {
        left.push({ record, outcome: 'already-reset', detail: `${what}: the machine has rebooted since, the kernel's default is back` });
      } else {
        const current = readSysctl(record.key, procRoot);
        if (current !== record.appliedValue) {
          left.push({ record, outcome: 'changed-since', detail: `${what}: now ${current}, changed since by someone else; left as it is` });
        } else {
          writeFileSync(sysctlPath(record.key, procRoot), record.originalValue);
          left.push({ record, outcome: 'restored', detail: `${what}: restored to ${record.originalValue}; ${state.reason}` });
        }
      }
      rmSync(file, { force: true });
    } catch (error) {
      left.push({ record, outcome: 'failed', detail: `${what}: could not restore (${describeError(error)})` });
    }
  }
  return left;
}
