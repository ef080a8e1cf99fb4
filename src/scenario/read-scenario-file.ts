import { readFile, stat } from 'node:fs/promises';
import { BenchError, describeError, isBenchError } from '../errors.js';

/** A scenario is a few KiB of YAML; anything past this is not one (and must not be read into memory whole). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

const HINT = 'Pass the path of a YAML file, e.g. scenarios/quickstart.yaml.';

function unreadable(path: string, reason: string): BenchError {
  return new BenchError('SB_SCENARIO_NOT_FOUND', `cannot read scenario ${path}: ${reason}`, [], HINT);
}

const ERRNO_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory; pass a YAML file inside it',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * The text of a scenario file: a regular file of at most {@link MAX_SCENARIO_BYTES}, in UTF-8.
 * Directories, devices, FIFOs (which would block or never end), oversized and non-UTF-8 files are
 * refused with a BenchError naming the file and what it is instead.
 */
export async function readScenarioText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw unreadable(path, ERRNO_REASONS.EISDIR as string);
    if (!info.isFile()) throw unreadable(path, 'it is not a regular file (a device, FIFO or socket)');
    if (info.size > MAX_SCENARIO_BYTES) throw unreadable(path, `it is ${info.size} bytes; a scenario file is at most ${MAX_SCENARIO_BYTES} bytes (1 MiB)`);
    bytes = await readFile(path);
  } catch (error) {
    if (isBenchError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadable(path, (code && ERRNO_REASONS[code]) ?? describeError(error));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).filter((byte) => byte === 0x0a).length + 1;
    throw new BenchError('SB_SCENARIO_INVALID', `${path} is not UTF-8 text: byte ${at} (line ${line}) is 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}`, [], 'Save the file as UTF-8 (YAML files are UTF-8).');
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  while (offset < bytes.length) {
    const lead = bytes[offset] as number;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (length === 0 || offset + length > bytes.length) return offset;
    try {
      decoder.decode(bytes.subarray(offset, offset + length));
    } catch {
      return offset;
    }
    offset += length;
  }
  return offset;
}
