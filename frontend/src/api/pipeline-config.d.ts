// Generated from proto-schemas/pipeline_config.schema.json by `make frontend-api`. Do not edit by hand.

/**
 * A dataset split.
 *
 * This interface was referenced by `DatamillPipelineConfig`'s JSON-Schema
 * via the `definition` "Split".
 */
export type Split = 'TRAIN' | 'VAL' | 'TEST' | 'NONE';
/**
 * A dataset version, vMAJOR.MINOR.PATCH
 *
 * This interface was referenced by `DatamillPipelineConfig`'s JSON-Schema
 * via the `definition` "Version".
 */
export type Version = string;
/**
 * An annotation format, as stored on a dataset (`annotation_format`). On the wire the names are
 * upper case (`COCO`); on the command line any case is accepted (`coco`).
 *
 * This interface was referenced by `DatamillPipelineConfig`'s JSON-Schema
 * via the `definition` "AnnotationFormat".
 */
export type AnnotationFormat =
  'COCO' | 'YOLO' | 'ATTR_JSON' | 'CLS_FOLDER' | 'VISDRONE' | 'CUSTOM' | 'NONE';
/**
 * What a dataset's annotations are for.
 *
 * This interface was referenced by `DatamillPipelineConfig`'s JSON-Schema
 * via the `definition` "TaskType".
 */
export type TaskType =
  'DETECTION' | 'SEGMENTATION' | 'ATTR_CLASSIFICATION' | 'ZERO_SHOT' | 'CLASSIFICATION';
/**
 * What the pixels measure.
 *
 * This interface was referenced by `DatamillPipelineConfig`'s JSON-Schema
 * via the `definition` "Modality".
 */
export type Modality = 'RGB' | 'THERMAL' | 'DEPTH' | 'MULTISPECTRAL';
/**
 * Where a dataset sits in the NAS: collected (raw), curated (source), or built by a pipeline
 * from one source (processed) or several (fusion).
 *
 * This interface was referenced by `DatamillPipelineConfig`'s JSON-Schema
 * via the `definition` "DatasetType".
 */
export type DatasetType = 'RAW' | 'SOURCE' | 'PROCESSED' | 'FUSION';

/**
 * A whole pipeline.
 */
export interface DatamillPipelineConfig {
  output: OutputSpec;
  /**
   * One or more dataset versions to build from, in order (the order of the merge).
   *
   * @minItems 1
   */
  sources: [SourceSpec, ...SourceSpec[]];
  /**
   * Steps on the merged annotations. `merge_datasets`, when listed, comes first; with several
   * sources and no explicit merge, a merge with default params runs first.
   */
  post_merge?: StepSpec[];
}
/**
 * The dataset version a pipeline creates.
 *
 * This interface was referenced by `DatamillPipelineConfig`'s JSON-Schema
 * via the `definition` "OutputSpec".
 */
export interface OutputSpec {
  /**
   * The dataset group (its NAS folder name): letters, digits, `_`, `-`, `.`.
   */
  group: string;
  /**
   * PROCESSED (built from one source) or FUSION (from several).
   */
  dataset_type: 'RAW' | 'SOURCE' | 'PROCESSED' | 'FUSION';
  split: Split;
  /**
   * Left out: the next patch version of (group, split), or v1.0.0 for a new one.
   */
  version?: Version | null;
  annotation_format: AnnotationFormat;
  /**
   * @minItems 1
   */
  task_types: [TaskType, ...TaskType[]];
  /**
   * What the pixels measure.
   */
  modality?: 'RGB' | 'THERMAL' | 'DEPTH' | 'MULTISPECTRAL';
  description?: string | null;
}
/**
 * One source dataset version and its own chain.
 *
 * This interface was referenced by `DatamillPipelineConfig`'s JSON-Schema
 * via the `definition` "SourceSpec".
 */
export interface SourceSpec {
  /**
   * Local mode: the dataset directory relative to the NAS base (`raw/coco/train/v1.0.0`).
   */
  path?: string | null;
  /**
   * Service mode: the registered dataset version's id.
   */
  dataset_id?: string | null;
  /**
   * The source's format (local mode; the service knows it from the registry).
   */
  annotation_format?: AnnotationFormat | null;
  /**
   * The source's task types (local mode; default: the output's).
   */
  task_types?: TaskType[] | null;
  /**
   * The source's modality (local mode; default: the output's).
   */
  modality?: Modality | null;
  /**
   * Steps on this source alone, in order.
   */
  manipulators?: StepSpec[];
}
/**
 * One manipulator with its params.
 *
 * This interface was referenced by `DatamillPipelineConfig`'s JSON-Schema
 * via the `definition` "StepSpec".
 */
export interface StepSpec {
  /**
   * The manipulator's name (`datamill manipulators list`).
   */
  name: string;
  /**
   * Checked against the manipulator's params schema; left out means all defaults.
   */
  params?: {
    [k: string]: unknown;
  };
}
