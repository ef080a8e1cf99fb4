import { readFile } from 'node:fs/promises';

/**
 * errno codes meaning "the process or thread is gone": ENOENT once /proc/PID is removed, ESRCH
 * when it exits between opening a file and reading it.
 */
const VANISHED_CODES = new Set(['ENOENT', 'ESRCH']);

/** True when `error` says the file's process (or cgroup) disappeared. */
export function isVanished(error: unknown): boolean {
  return VANISHED_CODES.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** Reads a small kernel file; undefined when its process vanished, any other failure throws. */
export async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isVanished(error)) return undefined;
    throw error;
  }
}

/**
 * Reads a small kernel file; undefined on any failure. For optional cgroup files, whose absence
 * (kernel version, controller not enabled, permissions) must only leave a field out.
 */
export async function readTextOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parses "key value" lines (cpu.stat, memory.events, memory.oom_control) into numbers. */
export function parseKeyValueLines(text: string): Map<string, bigint> {
  const values = new Map<string, bigint>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value && /^\d+$/.test(value)) values.set(key, BigInt(value));
  }
  return values;
}

/** Parses a file holding one unsigned integer (cpuacct.usage, memory.current). */
export function parseSingleInteger(text: string): bigint | undefined {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? BigInt(trimmed) : undefined;
}
