import type { Schemas } from '@/api/client';
import {
  ANNOTATION_FORMATS,
  DATASET_STATUSES,
  DATASET_TYPES,
  MODALITIES,
  SPLITS,
  TASK_TYPES,
  isOneOf,
} from '@/lib/enums';
import type { GroupListQuery } from '../api/keys';

/**
 * The dataset list's filters, sort and page: everything the URL carries. Parameter names and
 * values are the API's (`?status=READY&sort=-image_count`), so a shared link reads like the query
 * it runs. Anything invalid in a URL is dropped rather than sent to the server for a 400.
 */
export const SORT_KEYS = ['name', 'created_at', 'image_count'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface ListSort {
  key: SortKey;
  desc: boolean;
}

export interface ListState {
  q: string;
  datasetType: Schemas['DatasetType'] | undefined;
  taskTypes: Schemas['TaskType'][];
  annotationFormat: Schemas['AnnotationFormat'] | undefined;
  modality: Schemas['Modality'] | undefined;
  split: Schemas['Split'] | undefined;
  status: Schemas['DatasetStatus'] | undefined;
  sort: ListSort;
  /** 1-based, like the API. */
  page: number;
  pageSize: number;
}

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_SORT: ListSort = { key: 'created_at', desc: true };
export const DEFAULT_STATE: ListState = {
  q: '',
  datasetType: undefined,
  taskTypes: [],
  annotationFormat: undefined,
  modality: undefined,
  split: undefined,
  status: undefined,
  sort: DEFAULT_SORT,
  page: 1,
  pageSize: 20,
};

/** The server refuses longer searches. */
const MAX_Q = 200;
const MAX_PAGE = 1_000_000;

export function sortToParam(sort: ListSort): string {
  return `${sort.desc ? '-' : ''}${sort.key}`;
}

export function parseSort(raw: string | null): ListSort | undefined {
  if (!raw) {
    return undefined;
  }
  const desc = raw.startsWith('-');
  const key = desc || raw.startsWith('+') ? raw.slice(1) : raw;
  return (SORT_KEYS as readonly string[]).includes(key) ? { key: key as SortKey, desc } : undefined;
}

function enumParam<T extends string>(
  params: URLSearchParams,
  name: string,
  labels: { [K in T]: string },
): T | undefined {
  const raw = params.get(name);
  return raw !== null && isOneOf(labels, raw) ? raw : undefined;
}

function positiveInt(raw: string | null): number | undefined {
  if (raw === null || !/^\d+$/.test(raw)) {
    return undefined;
  }
  const value = Number(raw);
  return value >= 1 && value <= MAX_PAGE ? value : undefined;
}

export function parseListState(params: URLSearchParams): ListState {
  const taskTypes = (params.get('task_types') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t): t is Schemas['TaskType'] => isOneOf(TASK_TYPES, t));
  const pageSize = positiveInt(params.get('page_size'));
  return {
    q: (params.get('q') ?? '').trim().slice(0, MAX_Q),
    datasetType: enumParam(params, 'dataset_type', DATASET_TYPES),
    // Declaration order, without repeats: one filter has one URL.
    taskTypes: (Object.keys(TASK_TYPES) as Schemas['TaskType'][]).filter((t) =>
      taskTypes.includes(t),
    ),
    annotationFormat: enumParam(params, 'annotation_format', ANNOTATION_FORMATS),
    modality: enumParam(params, 'modality', MODALITIES),
    split: enumParam(params, 'split', SPLITS),
    status: enumParam(params, 'status', DATASET_STATUSES),
    sort: parseSort(params.get('sort')) ?? DEFAULT_SORT,
    page: positiveInt(params.get('page')) ?? DEFAULT_STATE.page,
    pageSize:
      pageSize !== undefined && (PAGE_SIZES as readonly number[]).includes(pageSize)
        ? pageSize
        : DEFAULT_STATE.pageSize,
  };
}

/** The URL of a state; defaults are left out so the plain list is plain `/datasets`. */
export function serializeListState(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  const q = state.q.trim();
  if (q) params.set('q', q);
  if (state.datasetType) params.set('dataset_type', state.datasetType);
  if (state.taskTypes.length > 0) params.set('task_types', state.taskTypes.join(','));
  if (state.annotationFormat) params.set('annotation_format', state.annotationFormat);
  if (state.modality) params.set('modality', state.modality);
  if (state.split) params.set('split', state.split);
  if (state.status) params.set('status', state.status);
  if (state.sort.key !== DEFAULT_SORT.key || state.sort.desc !== DEFAULT_SORT.desc) {
    params.set('sort', sortToParam(state.sort));
  }
  if (state.page !== DEFAULT_STATE.page) params.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_STATE.pageSize) params.set('page_size', String(state.pageSize));
  return params;
}

/** The API query of a state: every parameter explicit, so the query key names the view. */
export function toGroupListQuery(state: ListState): GroupListQuery {
  const query: GroupListQuery = {
    sort: sortToParam(state.sort),
    page: state.page,
    page_size: state.pageSize,
  };
  const q = state.q.trim();
  if (q) query.q = q;
  if (state.datasetType) query.dataset_type = state.datasetType;
  if (state.taskTypes.length > 0) query.task_types = state.taskTypes.join(',');
  if (state.annotationFormat) query.annotation_format = state.annotationFormat;
  if (state.modality) query.modality = state.modality;
  if (state.split) query.split = state.split;
  if (state.status) query.status = state.status;
  return query;
}

/** Whether any filter narrows the list (sort and page do not). */
export function hasFilters(state: ListState): boolean {
  return (
    state.q.trim() !== '' ||
    state.datasetType !== undefined ||
    state.taskTypes.length > 0 ||
    state.annotationFormat !== undefined ||
    state.modality !== undefined ||
    state.split !== undefined ||
    state.status !== undefined
  );
}

export type FilterPatch = Partial<Omit<ListState, 'sort' | 'page' | 'pageSize'>>;

/** A changed filter starts again at page 1: the old page may not exist in the new result. */
export function withFilters(state: ListState, patch: FilterPatch): ListState {
  return { ...state, ...patch, page: 1 };
}

export function withoutFilters(state: ListState): ListState {
  return { ...DEFAULT_STATE, sort: state.sort, pageSize: state.pageSize };
}
