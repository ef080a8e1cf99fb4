import type Dockerode from 'dockerode';

export interface DockerStreamEvent {
  stream?: string;
  status?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/** Follows a build/pull/import stream to its end; rejects with the engine's own error text. */
export function followDockerStream(
  dockerode: Dockerode,
  stream: NodeJS.ReadableStream,
  onEvent: (event: DockerStreamEvent) => void,
): Promise<DockerStreamEvent[]> {
  return new Promise((resolve, reject) => {
    dockerode.modem.followProgress(
      stream,
      (error: Error | null, events: DockerStreamEvent[]) => {
        if (error) return reject(error);
        const failed = events.find((event) => event.error);
        if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
        resolve(events);
      },
      onEvent,
    );
  });
}

export async function imageExists(dockerode: Dockerode, reference: string): Promise<string | undefined> {
  try {
    const info = await dockerode.getImage(reference).inspect();
    return info.Id;
  } catch {
    return undefined;
  }
}
