import type { Command } from 'commander';
import { ensureImages, IMAGE_NAMES } from '../images/index.js';
import { connectDocker } from '../runtime/docker-env.js';
import { EXIT_OK, reportError } from './exit-codes.js';
import { createProgressDisplay } from './progress-display.js';

/** Builds (or finds) every image up front: a CI cache step, or a first run's slow part done separately. */
export function registerImagesCommand(program: Command): Command {
  return program
    .command('images')
    .description('make sure the base image and every sidecar-bench image exist (bootstrap/build what is missing) and list them')
    .action(async () => {
      try {
        const { dockerode } = await connectDocker();
        const set = await ensureImages({ dockerode, progress: createProgressDisplay(), names: IMAGE_NAMES });
        const rows = [[`base (${set.base.source})`, set.base.reference, set.base.id], ...Object.entries(set.images).map(([name, image]) => [`${name}${image.built ? ' (built now)' : ''}`, image.tag, image.id])];
        process.stdout.write(`${rows.map((row) => row.join('\t')).join('\n')}\n`);
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
