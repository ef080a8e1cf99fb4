import { BenchError, describeError } from '../../errors.js';
import { followDockerStream, imageExists } from '../../images/docker-stream.js';
import type { ProxyImageContext, ProxyImageRequest } from '../driver.js';

/** The seed's proxy; needs a machine that can pull it. */
export const DEFAULT_ENVOY_IMAGE = 'envoyproxy/envoy:v1.28-latest';

/** The Envoy image present locally: proxy.image or the default, pulled when missing. */
export async function resolveEnvoyImage(request: ProxyImageRequest, context: ProxyImageContext): Promise<string> {
  const { dockerode, progress } = context;
  const image = request.image ?? DEFAULT_ENVOY_IMAGE;
  if (await imageExists(dockerode, image)) return image;
  const task = progress.start(`Pulling ${image}`);
  try {
    const stream = await dockerode.pull(image);
    await followDockerStream(dockerode, stream, (event) => event.status && task.update(event.status));
    task.succeed(`pulled ${image}`);
    return image;
  } catch (error) {
    task.fail();
    throw new BenchError(
      'SB_BASE_IMAGE_UNAVAILABLE',
      `the envoy profile needs the image ${image}, which is not present and cannot be pulled: ${describeError(error)}`,
      [],
      'Load it with `docker load`, set proxy.image to an image you have, or use proxy.profile: haproxy.',
    );
  }
}
