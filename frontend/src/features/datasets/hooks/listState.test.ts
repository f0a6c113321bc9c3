import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STATE,
  type ListState,
  hasFilters,
  parseListState,
  serializeListState,
  toGroupListQuery,
  withFilters,
  withoutFilters,
} from './listState';

const parse = (search: string) => parseListState(new URLSearchParams(search));

describe('dataset list URL state', () => {
  it('reads the defaults from an empty URL and writes nothing for them', () => {
    expect(parse('')).toEqual(DEFAULT_STATE);
    expect(serializeListState(DEFAULT_STATE).toString()).toBe('');
  });

  it('round-trips every filter, the sort and the page', () => {
    const state: ListState = {
      q: 'coco',
      datasetType: 'RAW',
      taskTypes: ['DETECTION', 'SEGMENTATION'],
      annotationFormat: 'YOLO',
      modality: 'THERMAL',
      split: 'VAL',
      status: 'READY',
      sort: { key: 'image_count', desc: true },
      page: 3,
      pageSize: 50,
    };
    const search = serializeListState(state).toString();
    expect(search).toBe(
      'q=coco&dataset_type=RAW&task_types=DETECTION%2CSEGMENTATION&annotation_format=YOLO' +
        '&modality=THERMAL&split=VAL&status=READY&sort=-image_count&page=3&page_size=50',
    );
    expect(parse(search)).toEqual(state);
  });

  it('drops invalid values instead of sending them to the server', () => {
    const state = parse(
      'dataset_type=RAWISH&task_types=DETECTION,NOPE,,DETECTION&status=ready&split=TRAIN' +
        '&sort=-colour&page=0&page_size=7&modality=',
    );
    expect(state).toEqual({ ...DEFAULT_STATE, taskTypes: ['DETECTION'], split: 'TRAIN' });
    expect(parse('page=-2').page).toBe(1);
    expect(parse('page=2.5').page).toBe(1);
    expect(parse('page_size=1000').pageSize).toBe(20);
  });

  it('keeps task types in one canonical order so one filter has one URL', () => {
    expect(parse('task_types=SEGMENTATION,DETECTION').taskTypes).toEqual([
      'DETECTION',
      'SEGMENTATION',
    ]);
  });

  it('accepts ascending sorts with or without a plus', () => {
    expect(parse('sort=name').sort).toEqual({ key: 'name', desc: false });
    expect(parse('sort=%2Bname').sort).toEqual({ key: 'name', desc: false });
    expect(
      serializeListState({ ...DEFAULT_STATE, sort: { key: 'name', desc: false } }).get('sort'),
    ).toBe('name');
  });

  it('builds the API query with the comma-separated task types the server expects', () => {
    const query = toGroupListQuery({
      ...DEFAULT_STATE,
      q: '  drone ',
      taskTypes: ['DETECTION', 'ZERO_SHOT'],
      status: 'ERROR',
    });
    expect(query).toEqual({
      q: 'drone',
      task_types: 'DETECTION,ZERO_SHOT',
      status: 'ERROR',
      sort: '-created_at',
      page: 1,
      page_size: 20,
    });
  });

  it('goes back to page 1 when a filter changes, and reset keeps sort and page size', () => {
    const state: ListState = {
      ...DEFAULT_STATE,
      status: 'READY',
      page: 4,
      pageSize: 50,
      sort: { key: 'name', desc: false },
    };
    expect(withFilters(state, { split: 'TEST' })).toMatchObject({ split: 'TEST', page: 1 });
    const reset = withoutFilters(state);
    expect(hasFilters(reset)).toBe(false);
    expect(reset).toMatchObject({ page: 1, pageSize: 50, sort: { key: 'name', desc: false } });
    expect(hasFilters(state)).toBe(true);
  });
});
