export { ensureImages, type BuiltImage, type ImageSet, type EnsureImagesOptions } from './build-images.js';
export { BASE_IMAGE, PULLABLE_BASE_IMAGE, type BaseImage } from './base-image.js';
export { IMAGE_NAMES, IMAGE_LABEL, type ImageName } from './catalog.js';
