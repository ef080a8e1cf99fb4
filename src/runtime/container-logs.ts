import type Dockerode from 'dockerode';

/**
 * A container's output so far (stdout and stderr, interleaved), as lines. For non-TTY containers
 * the engine frames each chunk with an 8-byte header: [stream, 0, 0, 0, size (big-endian u32)].
 */
export async function readContainerLog(dockerode: Dockerode, nameOrId: string, tailLines?: number, sinceEpochSeconds?: number): Promise<string[]> {
  try {
    const buffer = await dockerode.getContainer(nameOrId).logs({
      stdout: true,
      stderr: true,
      follow: false,
      ...(tailLines ? { tail: tailLines } : {}),
      ...(sinceEpochSeconds ? { since: sinceEpochSeconds } : {}),
    });
    return demultiplex(buffer)
      .split('\n')
      .map((line) => line.trimEnd())
      .filter(Boolean);
  } catch {
    return [];
  }
}

export function demultiplex(buffer: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  return parts.join('');
}
