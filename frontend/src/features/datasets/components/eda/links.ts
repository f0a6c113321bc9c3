import type { Schemas } from '@/api/client';
import { imageRootOf } from '../../api/shapes';
import { staticUrl } from '../presentation';

/** Where a version's files are served: for links from the report to the real images. */
export interface DatasetFiles {
  /** `storage_uri` of the version. */
  root: string;
  /** The image directory, relative to `root`. */
  imageRoot: string;
}

export function datasetFiles(dataset: Pick<Schemas['Dataset'], 'storage_uri' | 'metadata'>) {
  return { root: dataset.storage_uri, imageRoot: imageRootOf(dataset.metadata) };
}

/**
 * The URL of a file a report names. Image file names are relative to the image root; a file
 * that is no image of the dataset (`image_id: null`, a YOLO label without its image) is relative
 * to the dataset folder.
 */
export function reportFileUrl(
  files: DatasetFiles,
  fileName: string,
  isImage: boolean = true,
): string {
  return isImage
    ? staticUrl(files.root, files.imageRoot, fileName)
    : staticUrl(files.root, fileName);
}

/**
 * A gallery thumbnail (a NAS path). A new run rewrites the same names, so the run's end time
 * rides along to get past the browser's cache.
 */
export function thumbnailUrl(thumbnail: string, finishedAt: string | null | undefined): string {
  const url = staticUrl(thumbnail);
  return finishedAt ? `${url}?run=${encodeURIComponent(finishedAt)}` : url;
}
