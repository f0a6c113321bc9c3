// Generated from proto-schemas/openapi.json by `make frontend-api`. Do not edit by hand.

export interface paths {
    "/api/v1/dataset-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List dataset groups with their splits × versions (filtered, sorted and paged server-side). */
        get: operations["list_groups"];
        put?: never;
        /** Create a dataset group. */
        post: operations["create_group"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dataset-groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A group with all its dataset versions. */
        get: operations["get_group"];
        put?: never;
        post?: never;
        /** Delete a group; refused while versions exist unless `cascade=true`. NAS files are kept. */
        delete: operations["delete_group"];
        options?: never;
        head?: never;
        /** Change a group's metadata. Name, type and format cannot change while versions exist. */
        patch: operations["update_group"];
        trace?: never;
    };
    "/api/v1/dataset-groups/{id}/next-version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The version a new dataset of this split would get (latest + 1 patch, or v1.0.0). */
        get: operations["next_version"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List dataset versions (all groups, or one), newest first. */
        get: operations["list_datasets"];
        put?: never;
        /** Register a dataset version already on the NAS (validated first; READY when valid). */
        post: operations["register_dataset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A dataset version. */
        get: operations["get_dataset"];
        put?: never;
        post?: never;
        /** Delete a dataset record. NAS files of data the platform did not create are never deleted. */
        delete: operations["delete_dataset"];
        options?: never;
        head?: never;
        /** Change a dataset's description or status. */
        patch: operations["update_dataset"];
        trace?: never;
    };
    "/api/v1/datasets/{id}/eda": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The version's EDA: the state of its run (queued, running with progress, done, failed) and the
         *     report of the last finished run (statistics, health checks, gallery).
         */
        get: operations["get_eda"];
        put?: never;
        /**
         * Run the version's EDA again (READY versions only). A run already waiting is kept; the report
         *     of the last run stays readable until the new one ends.
         */
        post: operations["rerun_eda"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{id}/images/{image_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A JPEG preview of one image of the version: EXIF orientation applied, 16-bit (thermal)
         *     images windowed to 8 bits by percentiles, longest side at most the size `max` rounds up to.
         *     Made once and cached on the NAS.
         */
        get: operations["dataset_image"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{id}/lineage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The versions a dataset was built from and those built from it (nodes and edges, with the
         *     transform each edge carries).
         */
        get: operations["dataset_lineage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{id}/samples": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A page of the version's images in a seeded random order (optionally only those with a
         *     class), each with its annotations in the format-independent model: boxes, polygons, RLE masks
         *     as uncompressed runs, labels and attributes.
         */
        get: operations["dataset_samples"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/validate-path": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the validator on a NAS path: existence, layout, counts, class histogram, problems. */
        post: operations["validate_path"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Service health with the database state. */
        get: operations["health_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/manipulators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The manipulator catalog (synced from the code at start-up), with each params JSON Schema. */
        get: operations["list_manipulators"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/manipulators/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Set a manipulator's status (ACTIVE, EXPERIMENTAL, DEPRECATED); kept across restarts. */
        patch: operations["update_manipulator"];
        trace?: never;
    };
    "/api/v1/pipelines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The execution history, newest first. */
        get: operations["list_pipelines"];
        put?: never;
        /**
         * Submit a pipeline. In one transaction: the output group (when new), the output dataset
         *     (PENDING, version assigned), the execution with the config snapshot and the lineage edges.
         */
        post: operations["submit_pipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pipelines/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An execution: status, stage, progress, error, timings. */
        get: operations["get_pipeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pipelines/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel: a PENDING execution at once, a RUNNING one at its next image boundary. */
        post: operations["cancel_pipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pipelines/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Dry run of a pipeline: every check, then Phase A on the sources' annotations; the exact
         *     output counts, class histogram and report. Nothing is created or written.
         */
        post: operations["preview_pipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/system/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What runs and what waits: each worker (pipeline and eda) with the age of its last heartbeat,
         *     each queue's due backlog, in-flight and scheduled jobs and the age of its oldest due job, and
         *     the database latency. With the database down: its error, and no workers or queues.
         */
        get: operations["system_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/training/gpus": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The GPUs and who holds them (release 2). */
        get: operations["list_gpus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/training/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Training jobs (release 2). */
        get: operations["list_training_jobs"];
        put?: never;
        /** Submit a training job: a solution version on reserved GPUs (release 2). */
        post: operations["submit_training_job"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/training/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A training job's status and metrics (release 2). */
        get: operations["get_training_job"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/training/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a training job (release 2). */
        post: operations["cancel_training_job"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description An annotation format, as stored on a dataset (`annotation_format`). On the wire the names are
         *     upper case (`COCO`); on the command line any case is accepted (`coco`).
         * @enum {string}
         */
        AnnotationFormat: "COCO" | "YOLO" | "ATTR_JSON" | "CLS_FOLDER" | "VISDRONE" | "CUSTOM" | "NONE";
        /**
         * @description What an annotation describes.
         * @enum {string}
         */
        AnnotationType: "BBOX" | "SEGMENTATION" | "LABEL" | "ATTRIBUTE";
        /** @description One row of the class histogram. */
        ClassCount: {
            /** Format: int64 */
            annotations: number;
            /** Format: int64 */
            id: number;
            /**
             * Format: int64
             * @description Images with at least one annotation of the class.
             */
            images: number;
            name: string;
        };
        /** @description Images and annotations of one class in the output. */
        ClassTally: {
            /** Format: int64 */
            annotations: number;
            /** Format: int64 */
            images: number;
            name: string;
        };
        /**
         * @description What happened to a piece of data.
         * @enum {string}
         */
        ConversionAction: "dropped" | "clamped" | "renamed" | "reindexed" | "converted" | "lossy";
        /** @description Counts on both sides of a conversion. */
        ConversionCounts: {
            /** Format: int64 */
            annotations: number;
            /** Format: int64 */
            categories: number;
            /** Format: int64 */
            images: number;
        };
        /** @description One event, with the thing it concerns. */
        ConversionEvent: {
            action: components["schemas"]["ConversionAction"];
            /** @description The annotation id (or line) it concerns, if any. */
            annotation?: string | null;
            detail: string;
            /** @description The image file the event concerns, if any. */
            image?: string | null;
            reason: components["schemas"]["ConversionReason"];
        };
        /**
         * @description Why it happened. Stable snake_case names: tools and the GUI group by them.
         * @enum {string}
         */
        ConversionReason: "crowd_skipped" | "crowd_converted" | "ignored_region" | "degenerate_box" | "out_of_bounds" | "unknown_category" | "class_index" | "invalid_polygon" | "mask_converted" | "invalid_rle" | "missing_image" | "unsupported_field" | "no_category" | "name_collision" | "class_name";
        /** @description The typed result of a conversion; the CLI writes it as `conversion_report.json`. */
        ConversionReport: {
            /** @description The class index → name list written (YOLO) or the category mapping used. */
            class_names?: string[];
            /** @description The events themselves, up to `events_limit` per (action, reason). */
            events: components["schemas"]["ConversionEvent"][];
            from?: components["schemas"]["AnnotationFormat"] | null;
            input: components["schemas"]["ConversionCounts"];
            /** @description Options that shaped the result (crowd policy, image transfer mode, …). */
            options?: {
                [key: string]: string;
            };
            output: components["schemas"]["ConversionCounts"];
            /** @description Exact counts per (action, reason), most frequent first. */
            summary: components["schemas"]["ConversionTally"][];
            to: components["schemas"]["AnnotationFormat"];
        };
        /** @description A tally of one (action, reason) pair. */
        ConversionTally: {
            action: components["schemas"]["ConversionAction"];
            /** Format: int64 */
            count: number;
            reason: components["schemas"]["ConversionReason"];
        };
        DatabaseHealth: {
            error?: string | null;
            /** Format: double */
            latency_ms?: number | null;
            /** @description `up` or `down`. */
            status: string;
        };
        /** @description One split × version of a group. */
        Dataset: {
            /** @description The effective format: the version's override, else the group's. */
            annotation_format: components["schemas"]["AnnotationFormat"];
            /** @description `true` when the format is a per-version override of the group's. */
            annotation_format_overridden: boolean;
            /** Format: int32 */
            class_count?: number | null;
            /** Format: date-time */
            created_at: string;
            description?: string | null;
            /** Format: uuid */
            group_id: string;
            /** Format: uuid */
            id: string;
            /** Format: int32 */
            image_count?: number | null;
            /**
             * @description Counts, class histogram and validation summary taken at registration. The EDA report is
             *     stored here too (`eda`) but served by `GET /datasets/{id}/eda`, not in this object.
             */
            metadata: Record<string, never>;
            split: components["schemas"]["Split"];
            status: components["schemas"]["DatasetStatus"];
            /** @description Relative to the NAS base, e.g. `raw/coco2017/train/v1.0.0`. */
            storage_uri: string;
            /** Format: date-time */
            updated_at: string;
            version: components["schemas"]["Version"];
        };
        /** @description Counts of what the dataset holds. */
        DatasetCounts: {
            /** @description Annotations per type (`BBOX`, `SEGMENTATION`, …). */
            annotation_types: {
                [key: string]: number;
            };
            /** Format: int64 */
            annotations: number;
            /** Format: int64 */
            classes: number;
            /**
             * Format: int64
             * @description Annotations with `iscrowd`.
             */
            crowd_annotations: number;
            /** Format: int64 */
            images: number;
            /**
             * Format: int64
             * @description Images without any annotation (negatives).
             */
            images_without_annotations: number;
        };
        /** @description A page of dataset versions, newest first. */
        DatasetPage: {
            items: components["schemas"]["Dataset"][];
            /** Format: int64 */
            page: number;
            /** Format: int64 */
            page_size: number;
            /** Format: int64 */
            total: number;
        };
        /** @description `PATCH /datasets/{id}`. */
        DatasetPatch: {
            /** @description `null` clears it. */
            description?: string | null;
            status?: components["schemas"]["DatasetStatus"] | null;
        };
        /**
         * @description The life cycle of a dataset version. READY versions are immutable.
         * @enum {string}
         */
        DatasetStatus: "PENDING" | "PROCESSING" | "READY" | "ERROR";
        /**
         * @description What stage of refinement a group's data is at; also the NAS top-level folder.
         * @enum {string}
         */
        DatasetType: "RAW" | "SOURCE" | "PROCESSED" | "FUSION";
        /** @description Value balance of one attribute. */
        EdaAttributeStats: {
            annotations?: components["schemas"]["EdaValueCounts"] | null;
            images?: components["schemas"]["EdaValueCounts"] | null;
            /**
             * @description The schema's type (`bool`, `enum`, `number`, `text`), or `undeclared` for an attribute
             *     that records carry but the schema does not name.
             */
            kind: string;
            name: string;
        };
        /**
         * @description The scatter's points, column by column (index `i` of every column is one box). A value is
         *     `null` where it is unknown: pixels on an image whose size could not be read (YOLO stores
         *     normalised boxes), normalised values on an image whose size is 0.
         */
        EdaBoxPoints: {
            /** @description The box's category id (`null`: none). */
            class_id: (number | null)[];
            height: (number | null)[];
            norm_height: (number | null)[];
            /** @description Box width ÷ image width (6 decimals). */
            norm_width: (number | null)[];
            /** @description Box width in pixels (2 decimals). */
            width: (number | null)[];
        };
        /**
         * @description The box-size scatter: a deterministic sample of at most `limits.max_points` boxes (those
         *     whose hash of image file name and annotation index is smallest, so the same dataset gives the
         *     same points whatever the order of its images or the number of threads).
         */
        EdaBoxSizes: {
            points: components["schemas"]["EdaBoxPoints"];
            /**
             * Format: int64
             * @description Points in `points` (`min(total, max_points)`).
             */
            sampled: number;
            /**
             * Format: int64
             * @description Boxes with a positive, finite size: the population sampled.
             */
            total: number;
            /**
             * Format: int64
             * @description Boxes of the population whose normalised size is known (the image size is known, or the
             *     format stores normalised boxes).
             */
            with_normalised: number;
            /**
             * Format: int64
             * @description Boxes of the population whose size in pixels is known.
             */
            with_pixels: number;
        };
        /** @description Objects per COCO area bucket. */
        EdaBucketCounts: {
            /**
             * Format: int64
             * @description Area ≥ 96².
             */
            large: number;
            /**
             * Format: int64
             * @description 32² ≤ area < 96².
             */
            medium: number;
            /**
             * Format: int64
             * @description Area < 32².
             */
            small: number;
            /**
             * Format: int64
             * @description No area in pixels: a box on an image of unknown size, or a degenerate box without a
             *     stated area.
             */
            unknown: number;
        };
        /** @description Box centres on a `grid × grid` raster of the normalised image. */
        EdaCentreHeatmap: {
            /**
             * @description Row-major, row 0 at the top, column 0 at the left: `counts[row * grid + column]`.
             *     A centre at exactly 1.0 falls in the last row or column.
             */
            counts: number[];
            /** Format: int32 */
            grid: number;
            /**
             * Format: int64
             * @description Centres outside `[0, 1]²` (boxes hanging off the image), not in the grid.
             */
            outside: number;
            /**
             * Format: int64
             * @description Centres counted in the grid.
             */
            total: number;
            /**
             * Format: int64
             * @description Boxes without a normalised centre (image size unknown), not in the grid.
             */
            unknown: number;
        };
        /** @description One class. */
        EdaClassStats: {
            /** @description Whether the dataset declares the category. */
            declared: boolean;
            /**
             * Format: int64
             * @description The category id as the dataset numbers it (YOLO: the class index).
             */
            id: number;
            /**
             * Format: int64
             * @description Images with at least one annotation of the class.
             */
            images: number;
            /**
             * Format: int64
             * @description Annotations of the class (every type: a class folder's labels count here).
             */
            instances: number;
            /** @description The category name; empty for a class that annotations use but no category declares. */
            name: string;
            /** @description The class's objects by COCO area bucket. */
            sizes: components["schemas"]["EdaBucketCounts"];
        };
        /** @description Images containing two classes. */
        EdaCooccurrence: {
            /** @description The classes of the matrix, by images (most first, then id). */
            class_ids: number[];
            /**
             * Format: int64
             * @description Classes with at least one image.
             */
            classes_total: number;
            /**
             * @description `matrix[i][j]`: images with at least one annotation of class `class_ids[i]` and one of
             *     `class_ids[j]`; the diagonal is the images containing the class.
             */
            matrix: number[][];
            /** @description Whether classes were left out (more than `limits.cooccurrence_classes`). */
            truncated: boolean;
        };
        /** @description One bin: values `min..=max`. */
        EdaCountBin: {
            /** Format: int64 */
            count: number;
            /** Format: int64 */
            max: number;
            /** Format: int64 */
            min: number;
        };
        /** @description A histogram of whole numbers with explicit, inclusive bins and an open last bin. */
        EdaCountHistogram: {
            /** @description Consecutive bins covering `0..=overflow_min - 1`. */
            bins: components["schemas"]["EdaCountBin"][];
            /** Format: int64 */
            max: number;
            /** Format: double */
            mean: number;
            /**
             * Format: int64
             * @description The lower median.
             */
            median: number;
            /** Format: int64 */
            overflow: number;
            /**
             * Format: int64
             * @description Values at or above this are counted in `overflow`.
             */
            overflow_min: number;
            /**
             * Format: int64
             * @description What was counted (images).
             */
            total: number;
        };
        /** @description Byte-identical image files. */
        EdaDuplicateCheck: {
            /**
             * Format: int64
             * @description Groups of identical files.
             */
            count: number;
            /** @description The groups, by their first file name, at most `limits.examples`. */
            groups: components["schemas"]["EdaDuplicateGroup"][];
            /**
             * Format: int64
             * @description Files in those groups (a group of 3 is 3 files, 2 of them redundant).
             */
            images: number;
        };
        /** @description Files with the same content. */
        EdaDuplicateGroup: {
            /**
             * Format: int64
             * @description File size in bytes.
             */
            bytes: number;
            /**
             * Format: int64
             * @description Files in the group.
             */
            count: number;
            /** @description Their names, sorted, at most `limits.examples`. */
            file_names: string[];
            /** @description XXH3-128 of the content, 32 hex digits. */
            hash: string;
        };
        /** @description Images with an EXIF orientation other than 1. */
        EdaExifCheck: {
            /** @description Images per orientation value (`"2"` … `"8"`; 5–8 swap width and height). */
            by_orientation: {
                [key: string]: number;
            };
            /** Format: int64 */
            count: number;
            examples: components["schemas"]["EdaHealthExample"][];
        };
        /** @description One thumbnail of the gallery. */
        EdaGalleryItem: {
            /**
             * Format: int64
             * @description The class the image was picked for (`null`: an image without annotations).
             */
            class_id?: number | null;
            /** @description Relative to the image root. */
            file_name: string;
            /** Format: int32 */
            height: number;
            /** Format: int64 */
            image_id: number;
            /** Format: int32 */
            original_height: number;
            /**
             * Format: int32
             * @description The image's displayed size.
             */
            original_width: number;
            /**
             * @description The thumbnail's path inside the storage (`eda/{dataset_id}/gallery/0003_42.jpg`), served
             *     read-only under `/static/`.
             */
            thumbnail: string;
            /** Format: int32 */
            width: number;
        };
        /**
         * @description The health checks. A check that needs the image files is `null` when they were not
         *     inspected.
         */
        EdaHealth: {
            /** @description Boxes whose width or height is ≤ 0 or not a finite number (one per annotation). */
            degenerate_boxes: components["schemas"]["EdaHealthCheck"];
            duplicate_images?: components["schemas"]["EdaDuplicateCheck"] | null;
            exif_rotated?: components["schemas"]["EdaExifCheck"] | null;
            /** @description Images without any annotation (negatives, or forgotten ones). */
            images_without_annotations: components["schemas"]["EdaHealthCheck"];
            missing_files?: components["schemas"]["EdaHealthCheck"] | null;
            /**
             * @description Boxes reaching past the image by more than the tolerance in `limits` (one per
             *     annotation).
             */
            out_of_bounds_boxes: components["schemas"]["EdaHealthCheck"];
            size_mismatches?: components["schemas"]["EdaHealthCheck"] | null;
            unreadable_images?: components["schemas"]["EdaHealthCheck"] | null;
        };
        /** @description One health check. */
        EdaHealthCheck: {
            /**
             * Format: int64
             * @description How many images (or annotations, for the box checks) fail it.
             */
            count: number;
            /** @description The first of them by file name (then annotation index), at most `limits.examples`. */
            examples: components["schemas"]["EdaHealthExample"][];
        };
        /** @description One failing image or annotation. */
        EdaHealthExample: {
            /**
             * Format: int64
             * @description The annotation's id, where the format has ids.
             */
            annotation_id?: number | null;
            /**
             * Format: int32
             * @description The annotation's position in its image's list, for the box checks.
             */
            annotation_index?: number | null;
            /** @description What is wrong, in words. */
            detail: string;
            /** @description Relative to the image root (a label file: relative to the dataset directory). */
            file_name: string;
            /**
             * Format: int64
             * @description `null` for a file that is no image of the dataset (a YOLO label without an image).
             */
            image_id?: number | null;
        };
        /**
         * @description A histogram over real values: `counts[i]` counts `edges[i] ≤ v < edges[i + 1]`; values at or
         *     above the last edge are in `overflow`.
         */
        EdaHistogram: {
            counts: number[];
            edges: number[];
            /** Format: int64 */
            overflow: number;
        };
        /** @description Equal-width integer bins. */
        EdaIntensityHistogram: {
            /** Format: int32 */
            bin_width: number;
            counts: number[];
            /** Format: int32 */
            start: number;
        };
        /** @description The caps applied while computing a report, so that a reader knows what "top" means. */
        EdaLimits: {
            /**
             * Format: int32
             * @description Values listed per attribute at most (the rest are counted in `other`).
             */
            attribute_values: number;
            /**
             * Format: int32
             * @description Classes in the co-occurrence matrix at most (those on the most images).
             */
            cooccurrence_classes: number;
            /**
             * Format: int32
             * @description Examples listed per health check (and duplicate groups listed) at most.
             */
            examples: number;
            /**
             * Format: int32
             * @description Cells per side of the centre heatmap.
             */
            heatmap_grid: number;
            /**
             * Format: int32
             * @description Points of the box-size scatter at most.
             */
            max_points: number;
            /** Format: double */
            out_of_bounds_tolerance_normalised: number;
            /**
             * Format: double
             * @description How far (pixels) a box may reach past the image before it counts as out of bounds;
             *     `out_of_bounds_tolerance_normalised` for boxes on images of unknown size.
             */
            out_of_bounds_tolerance_px: number;
            /**
             * Format: int32
             * @description 16-bit images decoded for the thermal histogram at most.
             */
            thermal_images: number;
            /**
             * Format: int32
             * @description Distinct resolutions listed at most (the rest are counted in `other`).
             */
            top_resolutions: number;
        };
        /**
         * @description Problems the reader reported (they are the validator's business; counted here so that the
         *     EDA page can point to them).
         */
        EdaReaderProblems: {
            /** @description Problems per stable code (`unknown_category`, `orphan_label`, …), all severities. */
            by_code: {
                [key: string]: number;
            };
            /** Format: int64 */
            errors: number;
            /** Format: int64 */
            warnings: number;
        };
        /** @description Statistics and health checks of one dataset version. */
        EdaReport: {
            /**
             * @description Per-attribute value balance (ATTR_JSON, and attributes of any format); empty without
             *     attributes.
             */
            attributes: components["schemas"]["EdaAttributeStats"][];
            /** @description Width × height scatter of the boxes, downsampled. */
            box_sizes: components["schemas"]["EdaBoxSizes"];
            /** @description Objects (annotations with geometry) per image. */
            boxes_per_image: components["schemas"]["EdaCountHistogram"];
            /** @description Where box centres fall, on a grid over the normalised image. */
            centre_heatmap: components["schemas"]["EdaCentreHeatmap"];
            /**
             * @description Every declared category in the dataset's order, then categories used by annotations but
             *     not declared (`declared: false`), by id.
             */
            classes: components["schemas"]["EdaClassStats"][];
            /** @description Images containing two classes. */
            cooccurrence: components["schemas"]["EdaCooccurrence"];
            /** @description The annotation format the dataset was read as. */
            format: components["schemas"]["AnnotationFormat"];
            /** @description Thumbnails written by the gallery step; empty until then. */
            gallery: components["schemas"]["EdaGalleryItem"][];
            health: components["schemas"]["EdaHealth"];
            /** @description The caps applied to the lists below. */
            limits: components["schemas"]["EdaLimits"];
            /** @description Image sizes: from the headers when the images were inspected, else from the annotations. */
            resolutions: components["schemas"]["EdaResolutions"];
            /**
             * Format: int32
             * @description `EDA_REPORT_VERSION` of the code that wrote the report (this shape: 1).
             */
            schema_version: number;
            /** @description COCO's small / medium / large object areas. */
            size_buckets: components["schemas"]["EdaSizeBuckets"];
            summary: components["schemas"]["EdaSummary"];
            thermal?: components["schemas"]["EdaThermal"] | null;
        };
        /** @description How many images have one size. */
        EdaResolutionCount: {
            /** Format: int32 */
            height: number;
            /** Format: int64 */
            images: number;
            /** Format: int32 */
            width: number;
        };
        /** @description Image sizes. */
        EdaResolutions: {
            /**
             * Format: int64
             * @description Distinct width × height pairs.
             */
            distinct: number;
            /**
             * Format: int64
             * @description Bytes of the image files read; 0 without headers.
             */
            file_bytes: number;
            /** @description Images per container format from the headers (`JPEG`, `PNG`, …); empty without headers. */
            formats: {
                [key: string]: number;
            };
            height: components["schemas"]["EdaValueStats"];
            /**
             * Format: int64
             * @description Images with a known size.
             */
            images: number;
            /** @description Images by megapixels (width × height / 10⁶). */
            megapixels: components["schemas"]["EdaHistogram"];
            /**
             * Format: int64
             * @description Images whose size is not in `top`.
             */
            other: number;
            source: components["schemas"]["EdaResolutionSource"];
            /** @description The most frequent sizes (most images first, then larger first). */
            top: components["schemas"]["EdaResolutionCount"][];
            /**
             * Format: int64
             * @description Images without one (missing or unreadable files, or a size of 0 in the annotations).
             */
            unknown: number;
            width: components["schemas"]["EdaValueStats"];
        };
        /**
         * @description Where the image sizes came from.
         * @enum {string}
         */
        EdaResolutionSource: "headers" | "annotations";
        /**
         * @description A version's EDA run (`GET /datasets/{id}/eda`): its state and progress, and the report of
         *     the last run that finished.
         */
        EdaRun: {
            /** Format: int32 */
            attempts: number;
            /** @description `reading`, `annotations`, `headers`, `duplicates`, `thermal`, `gallery`, `done`. */
            current_stage?: string | null;
            /** Format: uuid */
            dataset_id: string;
            error_message?: string | null;
            /** Format: date-time */
            finished_at?: string | null;
            /** Format: int32 */
            processed_count: number;
            report?: components["schemas"]["EdaReport"] | null;
            /** Format: date-time */
            requested_at?: string | null;
            /** Format: date-time */
            started_at?: string | null;
            status: components["schemas"]["EdaStatus"];
            /** Format: int32 */
            total_count: number;
            worker_id?: string | null;
        };
        /** @description COCO's area buckets over every object. */
        EdaSizeBuckets: {
            /**
             * Format: int64
             * @description Objects bucketed by the area the annotation states (COCO/ATTR_JSON `area`: the mask's
             *     area, as COCO's evaluation does).
             */
            area_from_annotation: number;
            /**
             * Format: int64
             * @description Objects bucketed by their box's area (formats without `area`, e.g. YOLO).
             */
            area_from_box: number;
            /**
             * Format: int64
             * @description Area ≥ 96².
             */
            large: number;
            /**
             * Format: int64
             * @description 32² ≤ area < 96².
             */
            medium: number;
            /**
             * Format: int64
             * @description Area < 32².
             */
            small: number;
            /**
             * Format: int64
             * @description No area in pixels: a box on an image of unknown size, or a degenerate box without a
             *     stated area.
             */
            unknown: number;
        };
        /**
         * @description Where a version's EDA run is.
         * @enum {string}
         */
        EdaStatus: "NOT_REQUESTED" | "PENDING" | "RUNNING" | "DONE" | "FAILED";
        /** @description The headline numbers. */
        EdaSummary: {
            /** @description Annotations per type (`BBOX`, `SEGMENTATION`, `LABEL`, `ATTRIBUTE`). */
            annotation_types: {
                [key: string]: number;
            };
            /**
             * Format: int64
             * @description Annotations of every type.
             */
            annotations: number;
            /**
             * Format: int64
             * @description Declared categories.
             */
            classes: number;
            /**
             * Format: int64
             * @description Classes (declared or not) with at least one annotation.
             */
            classes_used: number;
            /**
             * Format: int64
             * @description Annotations with `iscrowd`.
             */
            crowd_annotations: number;
            /**
             * Format: int64
             * @description The sum of the health checks' counts (duplicate images count once per group).
             */
            health_issues: number;
            /** Format: int64 */
            images: number;
            /**
             * @description Whether the image files were looked at (headers, duplicates, thermal); the sections that
             *     need them are `null` otherwise.
             */
            images_inspected: boolean;
            /** Format: int64 */
            images_without_annotations: number;
            /**
             * Format: int64
             * @description Annotations with geometry (a box, or a mask and its box): what the box statistics count.
             */
            objects: number;
            /** @description What the format's reader reported while reading. */
            reader: components["schemas"]["EdaReaderProblems"];
        };
        /** @description Intensities of the images with more than 8 bits per sample. */
        EdaThermal: {
            /**
             * Format: int32
             * @description Bits per sample of the container (16).
             */
            bit_depth: number;
            /**
             * Format: int32
             * @description Bits needed for the largest value seen (a 14-bit sensor in a 16-bit PNG: 14).
             */
            effective_bits: number;
            /**
             * Format: int64
             * @description Sampled images that could not be decoded (also in `health.unreadable_images`).
             */
            failed: number;
            /**
             * @description `counts[i]` counts values `start + i·bin_width ..= start + (i + 1)·bin_width − 1`; at
             *     most 256 bins from `min` to `max`.
             */
            histogram: components["schemas"]["EdaIntensityHistogram"];
            /**
             * Format: int64
             * @description Images whose header says more than 8 bits per sample.
             */
            images: number;
            /** Format: int32 */
            max: number;
            /** Format: double */
            mean: number;
            /** Format: int32 */
            min: number;
            /** Format: int32 */
            p1: number;
            /** Format: int32 */
            p50: number;
            /** Format: int32 */
            p99: number;
            /**
             * Format: int64
             * @description Of those, the images decoded for the statistics: at most `limits.thermal_images`,
             *     chosen by the hash of their file name.
             */
            sampled: number;
            /**
             * Format: int64
             * @description Samples counted (pixels, times 3 for colour images).
             */
            samples: number;
        };
        /** @description One value and how many records have it. */
        EdaValueCount: {
            /** Format: int64 */
            count: number;
            /** @description A JSON boolean, number or string. */
            value: boolean | number | string;
        };
        /** @description How often each value occurs. */
        EdaValueCounts: {
            /**
             * Format: int64
             * @description Distinct values seen.
             */
            distinct: number;
            /**
             * Format: int64
             * @description Records with a value.
             */
            labelled: number;
            /**
             * Format: int64
             * @description Records without one (absent or `null`: not labelled, which is not `false`).
             */
            missing: number;
            /**
             * Format: int64
             * @description Records whose value is not listed in `values`.
             */
            other: number;
            /**
             * @description Values with their counts: an enum's values in schema order and a bool's `true`, `false`
             *     (zeros included), numbers ascending, text by count; at most `limits.attribute_values`.
             */
            values: components["schemas"]["EdaValueCount"][];
        };
        /** @description Smallest, lower median, mean and largest of a set of values (all 0 for an empty set). */
        EdaValueStats: {
            /** Format: double */
            max: number;
            /** Format: double */
            mean: number;
            /** Format: double */
            median: number;
            /** Format: double */
            min: number;
        };
        /** @description One run of a pipeline. */
        Execution: {
            /**
             * Format: int32
             * @description Runs started; more than 1 after a retry or a worker that died.
             */
            attempts: number;
            cancel_requested: boolean;
            /** @description The config as submitted, with the version assigned. */
            config: Record<string, never>;
            /** Format: date-time */
            created_at: string;
            /** @description `loading`, `transforming`, `annotations`, `images`, `done` (or `cancelled`). */
            current_stage?: string | null;
            /** @description What went wrong, in words a person can act on (which image, which manipulator, why). */
            error_message?: string | null;
            /** Format: date-time */
            finished_at?: string | null;
            /** Format: uuid */
            id: string;
            /** @description Its job on the queue (`apalis.jobs.id`). */
            job_id?: string | null;
            /** Format: uuid */
            output_dataset_id?: string | null;
            /** Format: uuid */
            output_group_id?: string | null;
            /** Format: int32 */
            processed_count: number;
            report?: components["schemas"]["PipelineReport"] | null;
            /** Format: date-time */
            started_at?: string | null;
            /** @description PENDING → RUNNING → DONE | FAILED | CANCELLED. */
            status: components["schemas"]["ExecutionStatus"];
            /** Format: int32 */
            total_count?: number | null;
            /** Format: date-time */
            updated_at: string;
            /** @description The worker running it, or that ran it last. */
            worker_id?: string | null;
        };
        /** @description The execution history, newest first. */
        ExecutionPage: {
            items: components["schemas"]["Execution"][];
            /** Format: int64 */
            page: number;
            /** Format: int64 */
            page_size: number;
            /** Format: int64 */
            total: number;
        };
        /**
         * @description The state of a pipeline execution.
         * @enum {string}
         */
        ExecutionStatus: "PENDING" | "RUNNING" | "DONE" | "FAILED" | "CANCELLED";
        /** @description One thing wrong with the request, and where. */
        FieldProblem: {
            /** @description Where: a JSON path (`$.group_id`), a query or path parameter name, or a file location. */
            field: string;
            message: string;
        };
        /** @description A dataset group as stored. */
        Group: {
            annotation_format: components["schemas"]["AnnotationFormat"];
            /** Format: date-time */
            created_at: string;
            dataset_type: components["schemas"]["DatasetType"];
            description?: string | null;
            extra: Record<string, never>;
            /** Format: uuid */
            id: string;
            modality: components["schemas"]["Modality"];
            name: string;
            source_origin?: string | null;
            task_types: components["schemas"]["TaskType"][];
            /** Format: date-time */
            updated_at: string;
        };
        /** @description A group with all its dataset versions (fresh from the tables, not the summary view). */
        GroupDetail: components["schemas"]["Group"] & {
            /** @description Every version, newest first within each split (TRAIN, VAL, TEST, NONE). */
            datasets: components["schemas"]["Dataset"][];
        };
        /** @description A page of the dataset list. */
        GroupPage: {
            items: components["schemas"]["GroupSummary"][];
            /** Format: int64 */
            page: number;
            /** Format: int64 */
            page_size: number;
            /** Format: int64 */
            total: number;
        };
        /** @description Changes to a group; absent fields stay as they are. */
        GroupPatch: {
            annotation_format?: components["schemas"]["AnnotationFormat"] | null;
            dataset_type?: components["schemas"]["DatasetType"] | null;
            /** @description `null` clears it. */
            description?: string | null;
            extra?: Record<string, never> | null;
            modality?: components["schemas"]["Modality"] | null;
            name?: string | null;
            /** @description `null` clears it. */
            source_origin?: string | null;
            task_types?: components["schemas"]["TaskType"][] | null;
        };
        /** @description One row of the dataset list: a group with its splits × versions. */
        GroupSummary: {
            annotation_format: components["schemas"]["AnnotationFormat"];
            /** Format: date-time */
            created_at: string;
            dataset_type: components["schemas"]["DatasetType"];
            description?: string | null;
            /** Format: uuid */
            group_id: string;
            /**
             * Format: int64
             * @description Images in the latest version of each split, summed.
             */
            image_count: number;
            modality: components["schemas"]["Modality"];
            name: string;
            source_origin?: string | null;
            /**
             * @description Splits in TRAIN, VAL, TEST, NONE order, each with its versions newest first. Built by
             *     the summary view in this exact shape and passed through unparsed.
             */
            splits: components["schemas"]["SummarySplit"][];
            task_types: components["schemas"]["TaskType"][];
            /** Format: date-time */
            updated_at: string;
            /** Format: int32 */
            version_count: number;
        };
        /** @description `/health`. */
        Health: {
            database: components["schemas"]["DatabaseHealth"];
            service: string;
            /** @description `ok` or `unavailable`. */
            status: string;
            version: string;
        };
        /**
         * Format: binary
         * @description A JPEG file (the body of an image response).
         */
        JpegImage: string;
        /** @description Where the dataset's files are. */
        Layout: {
            annotation_files: string[];
            /** @description The image directory, relative to the dataset directory. */
            image_root: string;
        };
        /** @description A lineage graph around one dataset version. */
        Lineage: {
            /** Format: int32 */
            depth: number;
            direction: components["schemas"]["LineageDirection"];
            edges: components["schemas"]["LineageEdge"][];
            nodes: components["schemas"]["LineageNode"][];
            /** Format: uuid */
            root: string;
        };
        /**
         * @description Which way a lineage query goes.
         * @enum {string}
         */
        LineageDirection: "up" | "down" | "both";
        /** @description A parent → child edge with what was done to the parent. */
        LineageEdge: {
            /** Format: uuid */
            child_id: string;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            parent_id: string;
            /** @description The manipulators applied to the parent and the post-merge chain, as submitted. */
            transform_config: Record<string, never>;
        };
        /** @description A dataset version in a lineage graph. */
        LineageNode: {
            dataset: components["schemas"]["Dataset"];
            dataset_type: components["schemas"]["DatasetType"];
            /**
             * Format: int32
             * @description Negative upstream (-1 = a direct parent), positive downstream, 0 for the version asked about.
             */
            depth: number;
            group_name: string;
        };
        /**
         * @description Where a problem is: a file (relative to the dataset directory), and in it a line or a JSON
         *     path.
         */
        Location: {
            file?: string | null;
            /** @description e.g. `$.annotations[12].bbox`. */
            json_path?: string | null;
            /** Format: int64 */
            line?: number | null;
        };
        /** @description A manipulator of the catalog. */
        Manipulator: {
            category: components["schemas"]["ManipulatorCategory"];
            /** @description The annotation formats it accepts at its point of a chain. */
            compatible_annotation_fmts: components["schemas"]["AnnotationFormat"][];
            compatible_task_types: components["schemas"]["TaskType"][];
            description?: string | null;
            /** @example filter_keep_by_class */
            name: string;
            output_annotation_fmt?: components["schemas"]["AnnotationFormat"] | null;
            /** @description JSON Schema (2020-12) of its params; the GUI renders its form from it. */
            params_schema: Record<string, never>;
            /** @description Where it may run: `PER_SOURCE`, `POST_MERGE` or both. */
            scope: components["schemas"]["Scope"][];
            /** @description ACTIVE, EXPERIMENTAL (usable from the API and CLI, disabled in the GUI) or DEPRECATED. */
            status: components["schemas"]["ManipulatorStatus"];
            /** Format: date-time */
            updated_at: string;
            version: string;
        };
        /**
         * @description What a manipulator does.
         * @enum {string}
         */
        ManipulatorCategory: "FILTER" | "AUGMENT" | "FORMAT_CONVERT" | "MERGE" | "SAMPLE" | "REMAP";
        /** @description The catalog. */
        ManipulatorList: {
            items: components["schemas"]["Manipulator"][];
        };
        /** @description The operator's change to a manipulator. */
        ManipulatorPatch: {
            status: components["schemas"]["ManipulatorStatus"];
        };
        /**
         * @description Whether a manipulator may be used.
         * @enum {string}
         */
        ManipulatorStatus: "ACTIVE" | "EXPERIMENTAL" | "DEPRECATED";
        /**
         * @description The kind of imagery (checked text column).
         * @enum {string}
         */
        Modality: "RGB" | "THERMAL" | "DEPTH" | "MULTISPECTRAL";
        /** @description `POST /datasets`: register data already on the NAS. */
        NewDataset: {
            annotation_format?: components["schemas"]["AnnotationFormat"] | null;
            description?: string | null;
            /** Format: uuid */
            group_id: string;
            split: components["schemas"]["Split"];
            storage_uri: string;
            version?: components["schemas"]["Version"] | null;
        };
        /** @description A new dataset group. */
        NewGroup: {
            annotation_format: components["schemas"]["AnnotationFormat"];
            dataset_type: components["schemas"]["DatasetType"];
            description?: string | null;
            /** @description Free-form metadata (an object). */
            extra?: Record<string, never> | null;
            modality?: components["schemas"]["Modality"] | null;
            /**
             * @description Letters, digits, `.`, `_`, `-`; it is the group's NAS folder name. Unique, ignoring case.
             * @example coco2017
             */
            name: string;
            source_origin?: string | null;
            task_types?: components["schemas"]["TaskType"][];
        };
        /** @description `GET /dataset-groups/{id}/next-version`. */
        NextVersion: {
            /** Format: uuid */
            group_id: string;
            latest?: components["schemas"]["Version"] | null;
            split: components["schemas"]["Split"];
            /** @description The proposed version: the latest plus one patch, or v1.0.0 for a new split. */
            version: components["schemas"]["Version"];
        };
        /** @description One image given another file name, and why. */
        PipelineFileRename: {
            from: string;
            reason: string;
            /** @description The source's label (see [`SourceLabel`](super::SourceLabel)). */
            source: string;
            /** @description The step that renamed it. */
            step: string;
            to: string;
        };
        /** @description Where a pipeline's output goes. */
        PipelineOutput: {
            group: string;
            /**
             * Format: uuid
             * @description `null` when the group does not exist yet (the pipeline creates it).
             */
            group_id?: string | null;
            split: components["schemas"]["Split"];
            storage_uri: string;
            /** @description The configured version, or the next patch version of (group, split). */
            version: components["schemas"]["Version"];
        };
        /** @description The dry run of a pipeline: what it would write, exactly. */
        PipelinePreview: {
            output: components["schemas"]["PipelineOutput"];
            /** @description Per-step counts, warnings, file renames and conversion events. */
            report: components["schemas"]["PipelineReport"];
            /** @description Images, annotations, categories, per-class counts, images copied and transformed. */
            summary: components["schemas"]["PlanSummary"];
        };
        /** @description The whole report. */
        PipelineReport: {
            /** @description Everything converters and the writer dropped, clamped or converted. */
            conversion: components["schemas"]["ConversionReport"];
            renames: components["schemas"]["PipelineFileRename"][];
            steps: components["schemas"]["PipelineStepSummary"][];
            warnings: components["schemas"]["PipelineWarning"][];
        };
        /** @description Images and annotations before and after one step. */
        PipelineStepSummary: {
            /** Format: int64 */
            annotations_in: number;
            /** Format: int64 */
            annotations_out: number;
            /** Format: int64 */
            categories_out: number;
            /** Format: int64 */
            images_in: number;
            /** Format: int64 */
            images_out: number;
            manipulator: string;
            /** @description JSON path of the step in the config. */
            step: string;
        };
        /** @description Something a step noticed that did not stop it. */
        PipelineWarning: {
            message: string;
            step: string;
        };
        /** @description The output's counts, exact, before a single image is written. */
        PlanSummary: {
            /** Format: int64 */
            annotations: number;
            /** Format: int64 */
            categories: number;
            /** @description Per class in category order. */
            classes: components["schemas"]["ClassTally"][];
            /** Format: int64 */
            images: number;
            /**
             * Format: int64
             * @description Images copied (or linked) as they are.
             */
            images_copied: number;
            /**
             * Format: int64
             * @description Images decoded, changed and encoded.
             */
            images_transformed: number;
        };
        /**
         * @description An RFC 9457 problem document with Datamill's extension members.
         * @example {
         *       "type": "https://datamill.dev/problems/conflict",
         *       "title": "Conflict",
         *       "status": 409,
         *       "detail": "the group has 3 dataset versions; delete them first or pass cascade=true",
         *       "code": "GROUP_NOT_EMPTY",
         *       "request_id": "9b0c2a51-8a0e-4c47-9a8f-3f0f2c7f7e11"
         *     }
         */
        Problem: {
            /** @description A stable, machine-readable code (`NOT_FOUND`, `VALIDATION_FAILED`, …). */
            code: string;
            /** @description What happened in this occurrence, in words a person can act on. */
            detail?: string | null;
            /** @description Every individual problem, when there are several. */
            errors?: components["schemas"]["FieldProblem"][];
            /** @description The request path. */
            instance?: string | null;
            /** @description The request id of the failing request, for support and log search. */
            request_id?: string | null;
            /** Format: int32 */
            status: number;
            /** @description A short summary of the problem type (the HTTP reason phrase). */
            title: string;
            /** @description A URI naming the problem type; it ends with the stable `code` in lower case. */
            type: string;
        };
        /**
         * @description A stable, machine-readable kind of problem.
         * @enum {string}
         */
        ProblemCode: "missing_file" | "missing_image" | "unannotated_image" | "orphan_label" | "unexpected_file" | "unparsable" | "invalid_value" | "unknown_category" | "unknown_image" | "duplicate_id" | "degenerate_box" | "out_of_bounds" | "invalid_polygon" | "invalid_rle" | "size_mismatch" | "unreadable_image" | "inconsistent_metadata" | "not_a_dataset" | "unsupported";
        /** @description A job queue in `apalis.jobs`. */
        QueueStatus: {
            /**
             * Format: int64
             * @description Jobs that ended FAILED for good in the last 24 hours.
             */
            failed_last_day: number;
            /**
             * Format: int64
             * @description Jobs taken by a worker (`Queued`, `Running`).
             */
            in_flight: number;
            name: string;
            /**
             * Format: double
             * @description How long the oldest due job has waited.
             */
            oldest_pending_age_secs?: number | null;
            /**
             * Format: int64
             * @description Jobs due and waiting for a worker, retries included (what autoscaling counts).
             */
            pending: number;
            /**
             * Format: int64
             * @description Jobs waiting for a later retry time.
             */
            scheduled: number;
        };
        /** @description One image and everything annotated on it, in the format-independent model. */
        Sample: {
            annotations: components["schemas"]["SampleAnnotation"][];
            /** @description Attribute name → value (`null`: not labelled). */
            attributes: {
                [key: string]: boolean | number | string | null;
            };
            /** @description Path relative to the dataset's image root. */
            file_name: string;
            /** Format: int32 */
            height: number;
            /** Format: int64 */
            image_id: number;
            /** @description The preview (`GET /datasets/{id}/images/{image_id}`; add `?max=`). */
            url: string;
            /**
             * Format: int32
             * @description Displayed width (after EXIF orientation): the annotations' coordinate space.
             */
            width: number;
        };
        /** @description One annotation, with its geometry in absolute pixels (top-left origin). */
        SampleAnnotation: {
            annotation_type: components["schemas"]["AnnotationType"];
            /**
             * Format: double
             * @description The stated area, else the mask's, else the box's.
             */
            area: number;
            /** @description Attribute name → value (`null`: not labelled). */
            attributes: {
                [key: string]: boolean | number | string | null;
            };
            /** @description `[x, y, w, h]`. */
            bbox?: number[] | null;
            category?: string | null;
            /** Format: int64 */
            category_id?: number | null;
            /**
             * Format: int64
             * @description The source's annotation id (`null` for formats without ids).
             */
            id?: number | null;
            iscrowd: boolean;
            label?: string | null;
            mask?: components["schemas"]["SampleMask"] | null;
            /** @description Polygon parts, each `[x0, y0, x1, y1, …]`. */
            polygons?: number[][] | null;
        };
        /** @description A category and how many images carry it. */
        SampleCategory: {
            /** Format: int64 */
            id: number;
            /**
             * Format: int64
             * @description Images with at least one annotation of this category.
             */
            images: number;
            name: string;
            supercategory?: string | null;
        };
        /**
         * @description An uncompressed COCO RLE: run lengths alternating background and mask, starting with
         *     background (possibly 0), over the pixels in column-major order (pixel `i` is at
         *     `x = i / height`, `y = i % height`), exactly as pycocotools decodes it.
         */
        SampleMask: {
            counts: number[];
            /** @description `[height, width]`. */
            size: number[];
        };
        /** @description A page of a dataset's images in a seeded random order, with their annotations. */
        SamplePage: {
            /** @description Every category of the dataset, in the source's order. */
            categories: components["schemas"]["SampleCategory"][];
            class?: string | null;
            /** Format: uuid */
            dataset_id: string;
            items: components["schemas"]["Sample"][];
            /** Format: int32 */
            n: number;
            /** Format: int32 */
            page: number;
            /** Format: int64 */
            pages: number;
            /** Format: int32 */
            seed: number;
            /**
             * Format: int64
             * @description Images matching the filter.
             */
            total: number;
        };
        /**
         * @description Where in a pipeline a manipulator may run.
         * @enum {string}
         */
        Scope: "PER_SOURCE" | "POST_MERGE";
        /**
         * @description How bad a problem is. Errors make a dataset unusable as it stands (the validator exits 1);
         *     warnings are worth a look; notes are informational.
         * @enum {string}
         */
        Severity: "error" | "warning" | "note";
        /** @description Counts per severity. */
        SeverityCounts: {
            /** Format: int64 */
            error: number;
            /** Format: int64 */
            note: number;
            /** Format: int64 */
            warning: number;
        };
        /**
         * @description A dataset split. Versions increase independently per (group, split).
         * @enum {string}
         */
        Split: "TRAIN" | "VAL" | "TEST" | "NONE";
        /** @description A version's EDA in the list: its state and, once done, the headline numbers. */
        SummaryEda: {
            /**
             * Format: int64
             * @description Classes with at least one annotation.
             */
            classes_used?: number | null;
            /**
             * Format: int64
             * @description The sum of the health checks' counts.
             */
            health_issues?: number | null;
            /**
             * Format: int64
             * @description Annotations with geometry.
             */
            objects?: number | null;
            status: components["schemas"]["EdaStatus"];
        };
        /** @description A split and its versions, newest first. */
        SummarySplit: {
            split: components["schemas"]["Split"];
            versions: components["schemas"]["SummaryVersion"][];
        };
        /** @description A version in the list's split × version matrix. */
        SummaryVersion: {
            annotation_format: components["schemas"]["AnnotationFormat"];
            /** Format: int64 */
            class_count?: number | null;
            /** Format: date-time */
            created_at: string;
            eda?: components["schemas"]["SummaryEda"] | null;
            /** Format: uuid */
            id: string;
            /** Format: int64 */
            image_count?: number | null;
            status: components["schemas"]["DatasetStatus"];
            storage_uri: string;
            /** Format: date-time */
            updated_at: string;
            version: components["schemas"]["Version"];
        };
        /** @description What runs and what waits: workers, queues and the database. */
        SystemStatus: {
            /** Format: date-time */
            checked_at: string;
            database: components["schemas"]["DatabaseHealth"];
            /** @description One entry per queue (`pipeline`, `eda`), also when empty. */
            queues: components["schemas"]["QueueStatus"][];
            /** @description Workers seen in the last 24 hours, most recent first. */
            workers: components["schemas"]["WorkerStatus"][];
        };
        /**
         * @description A task a dataset serves (stored in the `task_types` JSON array).
         * @enum {string}
         */
        TaskType: "DETECTION" | "SEGMENTATION" | "ATTR_CLASSIFICATION" | "ZERO_SHOT" | "CLASSIFICATION";
        /** @description `POST /datasets/validate-path`. */
        ValidatePathRequest: {
            annotation_format: components["schemas"]["AnnotationFormat"];
            /** @example raw/coco2017/train/v1.0.0 */
            storage_uri: string;
        };
        /** @description What the validator found at a NAS path. */
        ValidatePathResponse: {
            /** @description Whether the path exists under the NAS base. */
            exists: boolean;
            report: components["schemas"]["ValidationReport"];
            storage_uri: string;
            /** @description Whether it can be registered (it exists and has no errors; warnings are allowed). */
            valid: boolean;
        };
        /** @description One problem. */
        ValidationProblem: {
            code: components["schemas"]["ProblemCode"];
            location: components["schemas"]["Location"];
            message: string;
            severity: components["schemas"]["Severity"];
        };
        /** @description The validator's answer: counts, the class histogram and every problem with its location. */
        ValidationReport: {
            class_histogram: components["schemas"]["ClassCount"][];
            counts: components["schemas"]["DatasetCounts"];
            /** Format: int64 */
            errors: number;
            format: components["schemas"]["AnnotationFormat"];
            layout?: components["schemas"]["Layout"] | null;
            problem_counts: {
                [key: string]: components["schemas"]["SeverityCounts"];
            };
            /** @description Problems, at most a fixed number per code; `problem_counts` has the exact numbers. */
            problems: components["schemas"]["ValidationProblem"][];
            /** @description `true` when there are no errors (warnings allowed). */
            valid: boolean;
            /** Format: int64 */
            warnings: number;
        };
        /**
         * @description A dataset version, vMAJOR.MINOR.PATCH
         * @example v1.0.0
         */
        Version: string;
        /** @description A worker and its last heartbeat. */
        WorkerStatus: {
            /**
             * Format: uuid
             * @description The execution (pipeline) or dataset (eda) it is working on.
             */
            current?: string | null;
            /** Format: double */
            heartbeat_age_secs: number;
            host: string;
            id: string;
            /** @description `pipeline` or `eda`. */
            kind: string;
            /** Format: date-time */
            last_seen_at: string;
            /** Format: int32 */
            pid: number;
            /** Format: date-time */
            started_at: string;
            /**
             * @description ALIVE: a heartbeat within the last 30 seconds (six missed 5-second beats); STALE
             *     otherwise (stopped, killed or cut off).
             */
            state: string;
            version: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    list_groups: {
        parameters: {
            query?: {
                annotation_format?: components["schemas"]["AnnotationFormat"];
                dataset_type?: components["schemas"]["DatasetType"];
                modality?: components["schemas"]["Modality"];
                /** @description 1-based page number (default 1). */
                page?: number;
                /** @description Rows per page, 1–200 (default 20). */
                page_size?: number;
                /** @description Case-insensitive search in the group name. */
                q?: string;
                /**
                 * @description `name`, `created_at` or `image_count`; a leading `-` sorts descending. Default `-created_at`.
                 * @example -image_count
                 */
                sort?: string;
                /** @description Groups having a version of this split. */
                split?: components["schemas"]["Split"];
                /** @description Groups having a version with this status. */
                status?: components["schemas"]["DatasetStatus"];
                /**
                 * @description Any of these task types, comma-separated (`DETECTION,SEGMENTATION`).
                 * @example DETECTION,SEGMENTATION
                 */
                task_types?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupPage"];
                };
            };
            /** @description An invalid query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    create_group: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewGroup"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Group"];
                };
            };
            /** @description The name is taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a JSON body */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An invalid field */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_group: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Group id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupDetail"];
                };
            };
            /** @description Not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such group */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_group: {
        parameters: {
            query?: {
                /** @description Delete the group's dataset records too (the NAS files stay). */
                cascade?: boolean;
            };
            header?: never;
            path: {
                /** @description Group id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such group */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Versions exist */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_group: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Group id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GroupPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Group"];
                };
            };
            /** @description Not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such group */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The name is taken, or versions exist */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An invalid field */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    next_version: {
        parameters: {
            query: {
                split: components["schemas"]["Split"];
            };
            header?: never;
            path: {
                /** @description Group id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NextVersion"];
                };
            };
            /** @description Not a UUID or no split */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such group */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_datasets: {
        parameters: {
            query?: {
                group_id?: string;
                /** @description 1-based page number (default 1). */
                page?: number;
                /** @description Rows per page, 1–200 (default 50). */
                page_size?: number;
                split?: components["schemas"]["Split"];
                status?: components["schemas"]["DatasetStatus"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetPage"];
                };
            };
            /** @description An invalid query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    register_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewDataset"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dataset"];
                };
            };
            /** @description The version exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a JSON body */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Invalid fields, or the data has errors (each listed with its location) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dataset"];
                };
            };
            /** @description Not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such dataset */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such dataset */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_dataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DatasetPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dataset"];
                };
            };
            /** @description Not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such dataset */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A status change that is not allowed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An invalid field */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_eda: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdaRun"];
                };
            };
            /** @description Not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such dataset */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rerun_eda: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EdaRun"];
                };
            };
            /** @description Not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such dataset */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The dataset is not READY, or a run is in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    dataset_image: {
        parameters: {
            query?: {
                /**
                 * @description Longest side wanted, 16..=4096 (default 1024). It is rounded up to one of the cached
                 *     sizes (128, 256, 320, 512, 768, 1024, 1280, 1600, 2048, 3072, 4096); images smaller than
                 *     that keep their size.
                 */
                max?: number;
            };
            header?: never;
            path: {
                /** @description Dataset id */
                id: string;
                /** @description The image's id in the dataset (as `samples` lists it) */
                image_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The preview */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": components["schemas"]["JpegImage"];
                };
            };
            /** @description The client's copy (If-None-Match) is current */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not a UUID, not an image id, or `max` out of range */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such dataset, image or image file */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The dataset is not READY, or the image does not decode */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database or the storage is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    dataset_lineage: {
        parameters: {
            query?: {
                /** @description Edges to follow each way, 1..=50 (default 10). */
                depth?: number;
                /** @description `up`, `down` or `both` (default). */
                direction?: components["schemas"]["LineageDirection"];
            };
            header?: never;
            path: {
                /** @description Dataset id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lineage"];
                };
            };
            /** @description Not a UUID, or an invalid query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such dataset */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    dataset_samples: {
        parameters: {
            query?: {
                /** @description Only images with at least one annotation of this class (a category name of the dataset). */
                class?: string;
                /** @description Images per page, 1..=200 (default 24). */
                n?: number;
                /** @description 1-based (default 1). */
                page?: number;
                /**
                 * @description The random order: the same seed gives the same pages. Absent, the server picks one and
                 *     returns it; send it back for the next pages.
                 */
                seed?: number;
            };
            header?: never;
            path: {
                /** @description Dataset id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamplePage"];
                };
            };
            /** @description Not a UUID, an invalid query parameter or an unknown class */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such dataset */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The dataset is not READY, or its annotations no longer read */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database or the storage is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    validate_path: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ValidatePathRequest"];
            };
        };
        responses: {
            /** @description The report (also when the data has errors) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidatePathResponse"];
                };
            };
            /** @description Not a JSON body */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The path is refused (absolute, `..`, escapes the NAS) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    health_v1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The service and its database are up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    list_manipulators: {
        parameters: {
            query?: {
                /** @description A format the manipulator must accept (`COCO`). */
                annotation_format?: string;
                /** @description `PER_SOURCE` or `POST_MERGE`. */
                scope?: string;
                /** @description `ACTIVE`, `EXPERIMENTAL` or `DEPRECATED`. */
                status?: string;
                /** @description A task type the manipulator must support (`DETECTION`). */
                task_type?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManipulatorList"];
                };
            };
            /** @description An invalid query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    update_manipulator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Manipulator name */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ManipulatorPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Manipulator"];
                };
            };
            /** @description No such manipulator */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An invalid field */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_pipelines: {
        parameters: {
            query?: {
                /** @description RFC 3339 (`2026-11-27T00:00:00Z`): created at or after. */
                created_after?: string;
                /** @description RFC 3339: created before. */
                created_before?: string;
                output_group_id?: string;
                /** @description 1-based (default 1). */
                page?: number;
                /** @description 1..=200 (default 20). */
                page_size?: number;
                /** @description PENDING, RUNNING, DONE, FAILED or CANCELLED. */
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionPage"];
                };
            };
            /** @description An invalid query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    submit_pipeline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A pipeline config (proto-schemas/pipeline_config.schema.json) whose sources name `dataset_id`s */
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Accepted; follow the execution at Location */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description Not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Every problem of the config, each with its JSON path */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_pipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Execution id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description Not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such execution */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancel_pipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Execution id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled, or asked to stop */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description Not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such execution */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The execution has ended */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    preview_pipeline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A pipeline config (proto-schemas/pipeline_config.schema.json) whose sources name `dataset_id`s */
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PipelinePreview"];
                };
            };
            /** @description Not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Every problem of the config, each with its JSON path */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    system_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SystemStatus"];
                };
            };
        };
    };
    list_gpus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Release 2 */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_training_jobs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Release 2 */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    submit_training_job: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Release 2 */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_training_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Training job id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Release 2 */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancel_training_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Training job id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Release 2 */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
