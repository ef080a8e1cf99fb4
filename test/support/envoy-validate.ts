import type Dockerode from 'dockerode';
import { pack } from 'tar-stream';
import type { PodContainerSpec } from '../../src/runtime/pod.js';
import { secretArchive } from '../../src/runtime/secret-archive.js';

export interface Validation {
  exitCode: number;
  output: string;
}

/**
 * Runs `envoy --mode validate` in the sidecar's image, as the sidecar's user, with the sidecar's
 * files and secrets in place: the config is checked by the real binary exactly as the pod gets it.
 * The container is removed on every path.
 */
export async function validateEnvoySidecar(dockerode: Dockerode, spec: PodContainerSpec, configPath = '/etc/sidecar/envoy.yaml'): Promise<Validation> {
  const container = await dockerode.createContainer({
    Image: spec.image,
    ...(spec.user ? { User: spec.user } : {}),
    Cmd: ['envoy', '--mode', 'validate', '-c', configPath, '--log-level', 'warn'],
    Labels: { 'io.sidecar-bench.test': 'envoy-validate' },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    const files = pack();
    for (const file of spec.files ?? []) files.entry({ name: file.target.slice(1), mode: 0o644 }, file.content);
    files.finalize();
    await container.putArchive(files, { path: '/' });
    if (spec.secretFiles) await container.putArchive(secretArchive(spec.secretFiles), { path: '/' });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true });
    return { exitCode: StatusCode, output: demux(logs) };
  } finally {
    await container.remove({ force: true });
  }
}

/** Docker's multiplexed log stream (8-byte frame headers) → text. */
function demux(buffer: Buffer): string {
  const parts: string[] = [];
  for (let at = 0; at + 8 <= buffer.length; ) {
    const size = buffer.readUInt32BE(at + 4);
    parts.push(buffer.subarray(at + 8, at + 8 + size).toString('utf8'));
    at += 8 + size;
  }
  return parts.join('');
}
