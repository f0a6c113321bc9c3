import type { Schemas } from '@/api/client';
import { detail } from './testing';

// A lineage fixture for this feature's tests (not a test file itself): a chain of four versions
// over three derivations, viewed from the second one, with one more version of another split
// branching off it.
//
//   demo_coco/train ─▶ coco_people/train (root) ─▶ coco_small/train ─▶ coco_mix/train
//                                                 └▶ coco_people/val

const BASE = detail.datasets[0] as Schemas['Dataset'];

function version(
  id: string,
  groupId: string,
  split: Schemas['Split'],
  storage: string,
): Schemas['Dataset'] {
  return { ...BASE, id, group_id: groupId, split, storage_uri: storage };
}

export const RAW = version(BASE.id, BASE.group_id, 'TRAIN', BASE.storage_uri);
export const PEOPLE = version(
  '3f1c54a8-7a43-4d3e-9b1d-6a0e2c1f0a01',
  '8a7f0d8e-1b57-4a47-8d8e-0c3d4c3a9b01',
  'TRAIN',
  'processed/coco_people/train/v1.0.0',
);
export const SMALL = version(
  '3f1c54a8-7a43-4d3e-9b1d-6a0e2c1f0a02',
  '8a7f0d8e-1b57-4a47-8d8e-0c3d4c3a9b02',
  'TRAIN',
  'processed/coco_small/train/v1.0.0',
);
export const MIX = version(
  '3f1c54a8-7a43-4d3e-9b1d-6a0e2c1f0a03',
  '8a7f0d8e-1b57-4a47-8d8e-0c3d4c3a9b03',
  'TRAIN',
  'fusion/coco_mix/train/v1.0.0',
);
export const PEOPLE_VAL = version(
  '3f1c54a8-7a43-4d3e-9b1d-6a0e2c1f0a04',
  PEOPLE.group_id,
  'VAL',
  'processed/coco_people/val/v1.0.0',
);

const EXECUTION = 'fb93c90b-5128-4da1-9ce6-9859faad0f1f';

function transform(config: unknown): Schemas['LineageEdge']['transform_config'] {
  return config as Schemas['LineageEdge']['transform_config'];
}

export const chainLineage: Schemas['Lineage'] = {
  root: PEOPLE.id,
  direction: 'both',
  depth: 50,
  nodes: [
    { depth: -1, group_name: 'demo_coco', dataset_type: 'RAW', dataset: RAW },
    { depth: 0, group_name: 'coco_people', dataset_type: 'PROCESSED', dataset: PEOPLE },
    { depth: 1, group_name: 'coco_small', dataset_type: 'PROCESSED', dataset: SMALL },
    { depth: 2, group_name: 'coco_mix', dataset_type: 'FUSION', dataset: MIX },
    { depth: 1, group_name: 'coco_people', dataset_type: 'PROCESSED', dataset: PEOPLE_VAL },
  ],
  edges: [
    {
      parent_id: RAW.id,
      child_id: PEOPLE.id,
      created_at: '2026-11-27T04:38:15Z',
      transform_config: transform({
        execution_id: EXECUTION,
        sources: [
          {
            source_index: 0,
            manipulators: [
              { name: 'rotate_180', params: {} },
              { name: 'filter_keep_by_class', params: { classes: ['person', 'car'] } },
            ],
          },
        ],
        post_merge: [],
      }),
    },
    {
      parent_id: PEOPLE.id,
      child_id: SMALL.id,
      created_at: '2026-11-27T05:00:00Z',
      transform_config: transform({
        sources: [
          { source_index: 0, manipulators: [{ name: 'sample_n_images', params: { n: 10 } }] },
        ],
        post_merge: [],
      }),
    },
    {
      parent_id: SMALL.id,
      child_id: MIX.id,
      created_at: '2026-11-27T06:00:00Z',
      transform_config: transform({
        sources: [{ source_index: 1, manipulators: [] }],
        post_merge: [{ name: 'shuffle_image_ids', params: { seed: 7 } }],
      }),
    },
    {
      parent_id: PEOPLE.id,
      child_id: PEOPLE_VAL.id,
      created_at: '2026-11-27T07:00:00Z',
      transform_config: transform({ sources: [{ source_index: 0, manipulators: [] }] }),
    },
  ],
};
