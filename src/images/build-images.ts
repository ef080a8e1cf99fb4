import type Dockerode from 'dockerode';
import { BenchError, describeError } from '../errors.js';
import type { Progress } from '../progress.js';
import { ensureBaseImage, type BaseImage } from './base-image.js';
import { stageBuildContext, type StagedContext } from './build-context.js';
import { IMAGE_DEFINITIONS, IMAGE_LABEL, IMAGE_REPOSITORY_PREFIX, type ImageName } from './catalog.js';
import { followDockerStream, imageExists } from './docker-stream.js';

export interface BuiltImage {
  /** e.g. sidecar-bench/haproxy:3f2a9c1d04e1 — the suffix is the build context's hash. */
  tag: string;
  id: string;
  /** False when an image with the same context hash already existed. */
  built: boolean;
}

export interface ImageSet {
  base: BaseImage;
  images: Partial<Record<ImageName, BuiltImage>>;
}

export interface EnsureImagesOptions {
  dockerode: Dockerode;
  progress: Progress;
  names: readonly ImageName[];
  debianMirror?: string;
}

/** Makes sure every named image exists, building only those whose context changed. */
export async function ensureImages(options: EnsureImagesOptions): Promise<ImageSet> {
  const { dockerode, progress } = options;
  const base = await ensureBaseImage({ dockerode, progress, ...(options.debianMirror ? { debianMirror: options.debianMirror } : {}) });
  const images: ImageSet['images'] = {};
  for (const name of options.names) {
    images[name] = await ensureImage(dockerode, progress, name, base);
  }
  return { base, images };
}

async function ensureImage(dockerode: Dockerode, progress: Progress, name: ImageName, base: BaseImage): Promise<BuiltImage> {
  const buildArgs = { BASE_IMAGE: base.reference };
  await using context = await stageBuildContext(IMAGE_DEFINITIONS[name], base.id, buildArgs);
  const tag = `${IMAGE_REPOSITORY_PREFIX}${name}:${context.hash.slice(0, 12)}`;
  const existingId = await imageExists(dockerode, tag);
  if (existingId) return { tag, id: existingId, built: false };
  // Awaited here: returning the promise would dispose the staged context while the build still reads it.
  return await buildStagedImage({ dockerode, progress, name, tag, context, buildArgs });
}

export interface StagedBuild {
  dockerode: Dockerode;
  progress: Progress;
  /** The folder under docker/ (for the label and error hints). */
  name: string;
  tag: string;
  context: StagedContext;
  buildArgs: Record<string, string>;
}

/** Builds a staged context into `tag` (labelled as sidecar-bench's), showing progress; a failure names the build log's end. */
export async function buildStagedImage(build: StagedBuild): Promise<BuiltImage> {
  const { dockerode, progress, name, tag, context, buildArgs } = build;
  const task = progress.start(`Building image ${tag}`);
  const log: string[] = [];
  try {
    const stream = await dockerode.buildImage(
      { context: context.dir, src: context.files },
      { t: tag, buildargs: buildArgs, labels: { [IMAGE_LABEL]: name }, rm: true, forcerm: true, pull: false } as Dockerode.ImageBuildOptions,
    );
    await followDockerStream(dockerode, stream, (event) => {
      const line = event.stream?.trim();
      if (!line) return;
      log.push(line);
      if (line.startsWith('Step ')) task.update(line.length > 100 ? `${line.slice(0, 97)}...` : line);
    });
    const id = await imageExists(dockerode, tag);
    if (!id) throw new Error('the engine reported success but the image is missing');
    task.succeed(`built ${tag}`);
    return { tag, id, built: true };
  } catch (error) {
    task.fail();
    throw new BenchError('SB_IMAGE_BUILD_FAILED', `building image ${name} failed: ${describeError(error)}`, log.slice(-15), `The build context is docker/${name}/; the lines above are the end of the build log.`, { cause: error });
  }
}
