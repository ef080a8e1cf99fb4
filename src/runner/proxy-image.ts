import type Dockerode from 'dockerode';
import { BenchError, describeError } from '../errors.js';
import { followDockerStream, imageExists } from '../images/docker-stream.js';
import type { Progress } from '../progress.js';
import { envoyProfile } from '../runtime/proxies/envoy.js';
import { haproxyProfile } from '../runtime/proxies/haproxy.js';
import type { ProxyProfile } from '../runtime/proxies/proxy-profile.js';
import type { Scenario } from '../scenario/index.js';

/** The scenario's proxy profile with its image present locally (built for HAProxy, pulled for Envoy). */
export async function resolveProxyProfile(dockerode: Dockerode, scenario: Scenario, haproxyImage: string, progress: Progress): Promise<ProxyProfile> {
  if (scenario.proxy.profile === 'haproxy') return haproxyProfile(scenario.proxy.image ?? haproxyImage);
  const profile = envoyProfile(scenario.proxy.image);
  if (await imageExists(dockerode, profile.image)) return profile;
  const task = progress.start(`Pulling ${profile.image}`);
  try {
    const stream = await dockerode.pull(profile.image);
    await followDockerStream(dockerode, stream, (event) => event.status && task.update(event.status));
    task.succeed(`pulled ${profile.image}`);
    return profile;
  } catch (error) {
    task.fail();
    throw new BenchError(
      'SB_BASE_IMAGE_UNAVAILABLE',
      `the envoy profile needs the image ${profile.image}, which is not present and cannot be pulled: ${describeError(error)}`,
      [],
      'Load it with `docker load`, set proxy.image to an image you have, or use proxy.profile: haproxy.',
    );
  }
}
