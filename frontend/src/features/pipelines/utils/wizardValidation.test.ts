import { describe, expect, it } from 'vitest';
import { buildConfig, configKey } from './buildConfig';
import { converterPath, offerAt, sourceFit } from './compatibility';
import { EMPTY_DRAFT, type WizardDraft } from './draft';
import { validateParams } from './schemaForm';
import { CATALOG, CATALOG_MAP, candidate, group } from './testing';
import {
  type ValidationContext,
  firstInvalidStep,
  submitBlocker,
  validateOutput,
  validatePostMerge,
  validateSources,
} from './wizardValidation';

const coco = candidate({ id: 'coco-train' });
const yolo = candidate({
  id: 'yolo-train',
  groupName: 'demo_yolo',
  format: 'YOLO',
  taskTypes: ['DETECTION'],
});
const visdrone = candidate({
  id: 'visdrone',
  groupName: 'demo_visdrone',
  format: 'VISDRONE',
  taskTypes: ['DETECTION'],
});

const ctx: ValidationContext = {
  groups: [
    group({
      name: 'existing_processed',
      splits: [
        {
          split: 'TRAIN',
          versions: [
            {
              id: 'x',
              version: 'v1.0.0',
              status: 'READY',
              annotation_format: 'COCO',
              created_at: '',
              updated_at: '',
              storage_uri: '',
            },
          ],
        },
      ],
    }),
    group({ name: 'demo_coco', dataset_type: 'RAW' }),
  ],
  catalog: CATALOG_MAP,
  candidates: new Map([coco, yolo, visdrone].map((c) => [c.dataset.id, c] as const)),
  validateParams,
};

function draft(
  patch: Partial<Omit<WizardDraft, 'output'>> & { output?: Partial<WizardDraft['output']> } = {},
): WizardDraft {
  return {
    ...EMPTY_DRAFT,
    ...patch,
    output: { ...EMPTY_DRAFT.output, groupName: 'coco_person', ...patch.output },
  };
}

const messages = (result: { problems: { message: string }[] }) =>
  result.problems.map((p) => p.message);

describe('step 1: output', () => {
  it('passes with a new, well-formed group name and defaults', () => {
    expect(validateOutput(draft(), ctx)).toEqual({ valid: true, problems: [] });
  });

  it('needs a group name', () => {
    const result = validateOutput(draft({ output: { groupName: '  ' } }), ctx);
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([{ field: 'groupName', message: 'Name the output group' }]);
  });

  it('refuses names outside ^[A-Za-z0-9][A-Za-z0-9_.-]*$', () => {
    for (const name of ['_hidden', 'with space', 'a/b', '.dot']) {
      expect(validateOutput(draft({ output: { groupName: name } }), ctx).problems[0]?.field).toBe(
        'groupName',
      );
    }
    for (const name of ['a', 'coco-2017.v2_x', '9lives']) {
      expect(validateOutput(draft({ output: { groupName: name } }), ctx).valid).toBe(true);
    }
    expect(validateOutput(draft({ output: { groupName: 'a'.repeat(129) } }), ctx).valid).toBe(
      false,
    );
  });

  it('in "existing" mode needs a group that exists', () => {
    expect(
      validateOutput(draft({ output: { groupMode: 'existing', groupName: '' } }), ctx).problems[0]
        ?.message,
    ).toBe('Choose the output group');
    expect(
      validateOutput(draft({ output: { groupMode: 'existing', groupName: 'nope' } }), ctx).valid,
    ).toBe(false);
    expect(
      validateOutput(
        draft({ output: { groupMode: 'existing', groupName: 'existing_processed' } }),
        ctx,
      ).valid,
    ).toBe(true);
  });

  it('refuses writing into a RAW or SOURCE group (by any spelling)', () => {
    const result = validateOutput(draft({ output: { groupName: 'DEMO_COCO' } }), ctx);
    expect(messages(result)).toEqual([
      'demo_coco holds RAW datasets; a pipeline writes to PROCESSED or FUSION groups',
      'A pipeline builds PROCESSED or FUSION datasets',
    ]);
  });

  it('refuses RAW/SOURCE as the dataset type', () => {
    expect(validateOutput(draft({ output: { datasetType: 'SOURCE' } }), ctx).problems).toEqual([
      { field: 'datasetType', message: 'A pipeline builds PROCESSED or FUSION datasets' },
    ]);
    expect(validateOutput(draft({ output: { datasetType: 'FUSION' } }), ctx).valid).toBe(true);
  });

  it('checks an edited version: form, emptiness and versions the group already has', () => {
    expect(validateOutput(draft({ output: { version: 'v2.0.1' } }), ctx).valid).toBe(true);
    expect(validateOutput(draft({ output: { version: '' } }), ctx).problems[0]?.field).toBe(
      'version',
    );
    expect(validateOutput(draft({ output: { version: '1.0.0' } }), ctx).problems[0]?.message).toBe(
      '1.0.0 is not a version like v1.0.0',
    );
    expect(validateOutput(draft({ output: { version: 'v01.0.0' } }), ctx).valid).toBe(false);
    const taken = validateOutput(
      draft({ output: { groupName: 'existing_processed', version: 'v1.0.0' } }),
      ctx,
    );
    expect(taken.problems[0]?.message).toMatch(/already has TRAIN v1.0.0/);
    expect(
      validateOutput(
        draft({ output: { groupName: 'existing_processed', version: 'v1.0.0', split: 'VAL' } }),
        ctx,
      ).valid,
    ).toBe(true);
  });

  it('needs a task type', () => {
    expect(validateOutput(draft({ output: { taskTypes: [] } }), ctx).problems).toEqual([
      { field: 'taskTypes', message: 'Choose at least one task type' },
    ]);
  });

  it('refuses formats Datamill cannot write', () => {
    expect(
      validateOutput(draft({ output: { annotationFormat: 'VISDRONE' } }), ctx).problems[0]?.field,
    ).toBe('annotationFormat');
    expect(validateOutput(draft({ output: { annotationFormat: 'CUSTOM' } }), ctx).valid).toBe(
      false,
    );
    expect(validateOutput(draft({ output: { annotationFormat: 'YOLO' } }), ctx).valid).toBe(true);
  });
});

describe('step 2: sources', () => {
  const step = (name: string, params: Record<string, unknown> = {}) => ({
    key: name,
    name,
    params,
  });

  it('needs at least one source', () => {
    expect(messages(validateSources(draft(), ctx))).toEqual(['Select at least one source dataset']);
  });

  it('passes a COCO source with valid steps into a COCO output', () => {
    const d = draft({
      sources: [
        {
          datasetId: 'coco-train',
          steps: [step('rotate_180'), step('filter_keep_by_class', { classes: ['person'] })],
        },
      ],
    });
    expect(validateSources(d, ctx)).toEqual({ valid: true, problems: [] });
  });

  it('refuses a source that is not a known READY version', () => {
    expect(
      messages(validateSources(draft({ sources: [{ datasetId: 'gone', steps: [] }] }), ctx)),
    ).toEqual(['Source 1 is not a READY dataset version']);
  });

  it('reports invalid params with the source and step', () => {
    const d = draft({
      sources: [
        { datasetId: 'coco-train', steps: [step('filter_keep_by_class', { classes: [] })] },
      ],
    });
    expect(messages(validateSources(d, ctx))).toEqual([
      'Source 1 (demo_coco TRAIN v1.0.0) › step 1 (filter_keep_by_class): classes: must NOT have fewer than 1 items',
    ]);
  });

  it('refuses post-merge-only, experimental, deprecated and unknown manipulators in a source chain', () => {
    const d = draft({
      sources: [
        {
          datasetId: 'coco-train',
          steps: [
            step('shuffle_image_ids'),
            step('mask_region_by_class'),
            step('old_filter'),
            step('nope'),
          ],
        },
      ],
    });
    const result = messages(validateSources(d, ctx));
    expect(result).toHaveLength(4);
    expect(result[0]).toMatch(/shuffle_image_ids cannot run in a source chain/);
    expect(result[1]).toMatch(/experimental/);
    expect(result[2]).toMatch(/deprecated/);
    expect(result[3]).toMatch(/There is no manipulator nope/);
  });

  it('needs the chain to end in the output format, naming the converter to add', () => {
    const d = draft({
      output: { annotationFormat: 'YOLO' },
      sources: [{ datasetId: 'coco-train', steps: [] }],
    });
    expect(messages(validateSources(d, ctx))).toEqual([
      'Source 1 (demo_coco TRAIN v1.0.0): its annotations end up as COCO but the output is YOLO; add format_convert_to_yolo',
    ]);
    const fixed = draft({
      output: { annotationFormat: 'YOLO' },
      sources: [{ datasetId: 'coco-train', steps: [step('format_convert_to_yolo')] }],
    });
    expect(validateSources(fixed, ctx).valid).toBe(true);
  });

  it('follows the format along the chain: a COCO-only step after a YOLO converter is refused', () => {
    const d = draft({
      output: { annotationFormat: 'YOLO' },
      sources: [
        {
          datasetId: 'coco-train',
          steps: [step('format_convert_to_yolo'), step('format_convert_to_yolo')],
        },
      ],
    });
    expect(messages(validateSources(d, ctx))[0]).toMatch(
      /step 2 \(format_convert_to_yolo\): format_convert_to_yolo does not work on YOLO/,
    );
  });
});

describe('step 3: post-merge', () => {
  const step = (name: string, params: Record<string, unknown> = {}) => ({
    key: name,
    name,
    params,
  });

  it('passes an empty chain and valid post-merge steps', () => {
    expect(validatePostMerge(draft(), ctx).valid).toBe(true);
    expect(
      validatePostMerge(
        draft({ postMerge: [step('merge_datasets'), step('shuffle_image_ids')] }),
        ctx,
      ).valid,
    ).toBe(true);
  });

  it('refuses per-source-only manipulators after the merge', () => {
    expect(messages(validatePostMerge(draft({ postMerge: [step('rotate_180')] }), ctx))[0]).toMatch(
      /rotate_180 cannot run after the merge/,
    );
  });

  it('needs merge_datasets first', () => {
    const result = messages(
      validatePostMerge(
        draft({ postMerge: [step('shuffle_image_ids'), step('merge_datasets')] }),
        ctx,
      ),
    );
    expect(result).toEqual([
      'Post-merge › step 2 (merge_datasets): merge_datasets must be the first post-merge step',
    ]);
  });

  it('reports invalid params', () => {
    expect(
      messages(validatePostMerge(draft({ postMerge: [step('filter_final_classes', {})] }), ctx))[0],
    ).toMatch(/required property 'classes'/);
  });
});

describe('whole wizard and submit gate', () => {
  it('names the first invalid step', () => {
    expect(firstInvalidStep(draft({ output: { groupName: '' } }), ctx)).toBe(0);
    expect(firstInvalidStep(draft(), ctx)).toBe(1);
    expect(
      firstInvalidStep(draft({ sources: [{ datasetId: 'coco-train', steps: [] }] }), ctx),
    ).toBeNull();
  });

  it('submit needs valid steps and a preview of exactly the current config', () => {
    expect(
      submitBlocker({ stepsValid: false, currentConfigKey: 'a', previewedConfigKey: 'a' }),
    ).not.toBeNull();
    expect(
      submitBlocker({ stepsValid: true, currentConfigKey: 'a', previewedConfigKey: null }),
    ).toBe('Preview the pipeline first');
    expect(
      submitBlocker({ stepsValid: true, currentConfigKey: 'b', previewedConfigKey: 'a' }),
    ).toMatch(/changed since the preview/);
    expect(
      submitBlocker({ stepsValid: true, currentConfigKey: 'a', previewedConfigKey: 'a' }),
    ).toBeNull();
  });
});

describe('compatibility', () => {
  it('offers only what fits the chain point; experimental disabled, deprecated hidden', () => {
    const point = {
      scope: 'PER_SOURCE' as const,
      format: 'COCO' as const,
      taskTypes: ['DETECTION' as const],
    };
    const offers = Object.fromEntries(CATALOG.map((m) => [m.name, offerAt(m, point)]));
    expect(offers).toMatchObject({
      rotate_180: 'enabled',
      filter_keep_by_class: 'enabled',
      format_convert_to_yolo: 'enabled',
      format_convert_to_coco: 'hidden',
      shuffle_image_ids: 'hidden',
      mask_region_by_class: 'disabled',
      old_filter: 'hidden',
    });
    const toYolo = CATALOG_MAP.get('format_convert_to_yolo');
    expect(toYolo && offerAt(toYolo, { ...point, taskTypes: ['CLASSIFICATION'] })).toBe('hidden');
  });

  it('finds converter chains', () => {
    expect(converterPath('COCO', 'COCO', CATALOG, ['DETECTION'])).toEqual([]);
    expect(converterPath('VISDRONE', 'YOLO', CATALOG, ['DETECTION'])?.map((m) => m.name)).toEqual([
      'format_convert_visdrone_to_coco',
      'format_convert_to_yolo',
    ]);
    expect(converterPath('NONE', 'COCO', CATALOG, ['DETECTION'])).toBeNull();
  });

  it('judges sources by task types, modality and format', () => {
    const output = {
      taskTypes: ['DETECTION' as const],
      modality: 'RGB' as const,
      annotationFormat: 'YOLO' as const,
    };
    expect(sourceFit(coco, output, CATALOG)).toMatchObject({ compatible: true, reasons: [] });
    expect(sourceFit(coco, output, CATALOG).converters.map((m) => m.name)).toEqual([
      'format_convert_to_yolo',
    ]);
    expect(sourceFit({ ...coco, modality: 'THERMAL' }, output, CATALOG).compatible).toBe(false);
    expect(sourceFit({ ...coco, taskTypes: ['CLASSIFICATION'] }, output, CATALOG).compatible).toBe(
      false,
    );
  });
});

describe('the config sent to the server', () => {
  it('is shaped like pipeline_config.schema.json and leaves a proposed version out', () => {
    const d = draft({
      output: { description: '  person only ' },
      sources: [{ datasetId: 'coco-train', steps: [{ key: 'k', name: 'rotate_180', params: {} }] }],
      postMerge: [{ key: 'p', name: 'shuffle_image_ids', params: { seed: 7 } }],
    });
    expect(buildConfig(d, ctx.groups)).toEqual({
      output: {
        group: 'coco_person',
        dataset_type: 'PROCESSED',
        split: 'TRAIN',
        annotation_format: 'COCO',
        task_types: ['DETECTION'],
        modality: 'RGB',
        description: 'person only',
      },
      sources: [{ dataset_id: 'coco-train', manipulators: [{ name: 'rotate_180', params: {} }] }],
      post_merge: [{ name: 'shuffle_image_ids', params: { seed: 7 } }],
    });
  });

  it('suggests FUSION for several sources, keeps an existing group spelling and an edited version', () => {
    const d = draft({
      output: { groupName: 'EXISTING_PROCESSED', version: 'v1.0.7' },
      sources: [
        { datasetId: 'coco-train', steps: [] },
        { datasetId: 'yolo-train', steps: [] },
      ],
    });
    const config = buildConfig(d, ctx.groups);
    expect(config?.output).toMatchObject({
      group: 'existing_processed',
      dataset_type: 'PROCESSED',
      version: 'v1.0.7',
    });
    const fresh = buildConfig({ ...d, output: { ...d.output, groupName: 'new_one' } }, ctx.groups);
    expect(fresh?.output.dataset_type).toBe('FUSION');
  });

  it('is null without a source, and its key changes with any edit', () => {
    expect(buildConfig(draft(), ctx.groups)).toBeNull();
    const a = buildConfig(draft({ sources: [{ datasetId: 'coco-train', steps: [] }] }), ctx.groups);
    const b = buildConfig(
      draft({ sources: [{ datasetId: 'coco-train', steps: [] }], output: { split: 'VAL' } }),
      ctx.groups,
    );
    expect(configKey(a)).not.toEqual(configKey(b));
    expect(configKey(a)).toEqual(configKey(structuredClone(a)));
  });
});
