import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, type WizardDraft } from './draft';
import { locateProblem } from './problemPaths';

const draft: WizardDraft = {
  ...EMPTY_DRAFT,
  sources: [
    {
      datasetId: 'a',
      steps: [
        { key: '1', name: 'rotate_180', params: {} },
        { key: '2', name: 'filter_keep_by_class', params: { classes: [] } },
      ],
    },
  ],
  postMerge: [{ key: '3', name: 'shuffle_image_ids', params: { seed: -1 } }],
};
const labels = ['Source 1 (demo_coco TRAIN v1.0.0)'];

describe('JSON paths of a 422 in the wizard words', () => {
  it.each([
    [
      '$.sources[0].manipulators[1].params.classes',
      'Source 1 (demo_coco TRAIN v1.0.0) › step 2 (filter_keep_by_class) › classes',
      1,
    ],
    [
      '$.sources[0].steps[1].params.classes',
      'Source 1 (demo_coco TRAIN v1.0.0) › step 2 (filter_keep_by_class) › classes',
      1,
    ],
    [
      '$.sources[0].manipulators[0].name',
      'Source 1 (demo_coco TRAIN v1.0.0) › step 1 (rotate_180) › name',
      1,
    ],
    ['$.sources[0]', 'Source 1 (demo_coco TRAIN v1.0.0)', 1],
    ['$.sources[3].dataset_id', 'Source 4 › dataset_id', 1],
    ['$.post_merge[0].params.seed', 'Post-merge › step 1 (shuffle_image_ids) › seed', 2],
    ['$.post_merge (implicit merge_datasets)', 'Post-merge › (implicit merge_datasets)', 2],
    ['$.output.version', 'Output › version', 0],
    ['$.output.task_types[0]', 'Output › task_types › [1]', 0],
    ['$', 'Pipeline', 2],
  ])('%s → %s', (path, label, step) => {
    expect(locateProblem(path, draft, labels)).toEqual({ label, wizardStep: step });
  });
});
