// Generated from proto-schemas/openapi.json by `make frontend-api`. Do not edit by hand.

export interface paths {
    "/api/v1/dataset-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List dataset groups with their splits × versions (filter, sort and page run in SQL). */
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
            /** @description Counts, class histogram and validation summary taken at registration (EDA adds more). */
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
}
