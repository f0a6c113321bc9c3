import type { Sample, SampleCategory, SamplePage } from './api/samples';
import { json, problem } from './testing';

// Samples fixtures for this feature's tests (not a test file itself): three small images of the
// demo train set; the first has a box, a polygon, a crowd mask, an image label and attributes.

export const DATASET_ID = 'd7fdb188-dd6a-4053-92aa-6e94ed525e97';

const url = (imageId: number) => `/api/v1/datasets/${DATASET_ID}/images/${imageId}`;

export const categories: SampleCategory[] = [
  { id: 1, name: 'person', supercategory: 'person', images: 1 },
  { id: 2, name: 'bicycle', supercategory: 'vehicle', images: 0 },
  { id: 3, name: 'car', supercategory: 'vehicle', images: 2 },
];

/** 8 × 6 pixels; the crowd mask covers 3 pixels of column 1 (rows 1..3), column-major. */
export const street: Sample = {
  image_id: 1,
  file_name: '000000000001.jpg',
  width: 8,
  height: 6,
  url: url(1),
  attributes: { weather: 'sunny', night: false },
  annotations: [
    {
      id: 11,
      annotation_type: 'BBOX',
      category_id: 1,
      category: 'person',
      bbox: [0.5, 1.25, 3, 4],
      polygons: null,
      mask: null,
      area: 12,
      iscrowd: false,
      label: null,
      attributes: { occluded: true, color: null },
    },
    {
      id: 12,
      annotation_type: 'SEGMENTATION',
      category_id: 3,
      category: 'car',
      bbox: [4, 1, 3, 2],
      polygons: [
        [4, 1, 7, 1, 7, 3],
        [5, 4, 6, 4, 6, 5, 5, 5],
      ],
      mask: null,
      area: 4,
      iscrowd: false,
      label: null,
      attributes: {},
    },
    {
      id: 13,
      annotation_type: 'SEGMENTATION',
      category_id: 1,
      category: 'person',
      bbox: [1, 1, 1, 3],
      polygons: null,
      mask: { size: [6, 8], counts: [7, 3, 38] },
      area: 3,
      iscrowd: true,
      label: null,
      attributes: {},
    },
    {
      id: null,
      annotation_type: 'LABEL',
      category_id: null,
      category: null,
      bbox: null,
      polygons: null,
      mask: null,
      area: 0,
      iscrowd: false,
      label: 'street',
      attributes: {},
    },
  ],
};

export const parking: Sample = {
  image_id: 2,
  file_name: '000000000002.jpg',
  width: 8,
  height: 6,
  url: url(2),
  attributes: {},
  annotations: [
    {
      id: 21,
      annotation_type: 'BBOX',
      category_id: 3,
      category: 'car',
      bbox: [1, 1, 2, 2],
      polygons: null,
      mask: null,
      area: 4,
      iscrowd: false,
      label: null,
      attributes: {},
    },
  ],
};

export const empty: Sample = {
  image_id: 3,
  file_name: '000000000003.jpg',
  width: 8,
  height: 6,
  url: url(3),
  attributes: {},
  annotations: [],
};

export const SAMPLES = [street, parking, empty];

/**
 * Answers `GET /datasets/{id}/samples` the way the registry does: the samples with the class,
 * paged by `n`, the seed echoed; an unknown class is a 400 problem.
 */
export function samplesResponse(params: URLSearchParams): Response {
  const n = Number(params.get('n') ?? 24);
  const page = Number(params.get('page') ?? 1);
  const seed = Number(params.get('seed') ?? 99);
  const className = params.get('class');
  if (className && !categories.some((category) => category.name === className)) {
    return problem({
      type: 'about:blank',
      title: 'Unknown class',
      status: 400,
      code: 'UNKNOWN_CLASS',
      detail: `The dataset has no class named "${className}".`,
    });
  }
  const matching = className
    ? SAMPLES.filter((sample) => sample.annotations.some((a) => a.category === className))
    : SAMPLES;
  const body: SamplePage = {
    dataset_id: DATASET_ID,
    seed,
    n,
    page,
    total: matching.length,
    pages: Math.ceil(matching.length / n),
    class: className,
    categories,
    items: matching.slice((page - 1) * n, page * n),
  };
  return json(body);
}
