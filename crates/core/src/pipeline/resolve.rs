//! Checking a config before anything runs: every manipulator exists, runs in a scope it allows,
//! gets params its schema accepts, understands the source's task types and the annotation
//! format at its place in the chain; every source's chain ends in the output's format. Every
//! problem is collected (not just the first), each with its JSON path.

use std::collections::BTreeMap;

use super::config::{ConfigProblem, PipelineConfig, StepSpec};
use super::manipulator::{PreparedStep, Scope, SourceLabel, Status};
use super::manipulators::{self, MERGE_NAME};
use crate::format::AnnotationFormat;
use crate::taxonomy::{DatasetType, Modality, TaskType};

/// What the caller knows about a source: from the config in local mode, from the registry in the
/// service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFacts {
    pub label: SourceLabel,
    pub format: AnnotationFormat,
    pub task_types: Vec<TaskType>,
    pub modality: Modality,
}

/// How strict to be.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Refuse EXPERIMENTAL manipulators (the service does unless the operator enabled them).
    pub refuse_experimental: bool,
    /// The operator's statuses from the catalog table, overriding the code's defaults.
    pub statuses: BTreeMap<String, Status>,
}

/// A step ready to run.
#[derive(Debug)]
pub struct ResolvedStep {
    /// JSON path of the step (`$.sources[0].manipulators[1]`).
    pub path: String,
    pub name: &'static str,
    pub step: Box<dyn PreparedStep>,
}

/// A source with its chain.
#[derive(Debug)]
pub struct ResolvedSource {
    pub facts: SourceFacts,
    pub steps: Vec<ResolvedStep>,
}

/// A checked pipeline.
#[derive(Debug)]
pub struct ResolvedPipeline {
    pub config: PipelineConfig,
    pub sources: Vec<ResolvedSource>,
    /// The post-merge chain, with the implicit merge in front when there are several sources.
    pub post_merge: Vec<ResolvedStep>,
}

impl ResolvedPipeline {
    /// The labels of the sources, in order.
    #[must_use]
    pub fn labels(&self) -> Vec<SourceLabel> {
        self.sources.iter().map(|s| s.facts.label.clone()).collect()
    }

    /// Whether any step changes pixels (so Phase B decodes some images).
    #[must_use]
    pub fn changes_pixels(&self) -> bool {
        self.sources
            .iter()
            .flat_map(|s| &s.steps)
            .chain(&self.post_merge)
            .any(|s| s.step.info().changes_pixels)
    }
}

/// Checks `config` against the sources' facts (one per source, in order).
pub fn resolve(
    config: &PipelineConfig,
    facts: &[SourceFacts],
    options: &ResolveOptions,
) -> Result<ResolvedPipeline, Vec<ConfigProblem>> {
    let mut problems = Vec::new();
    let output = &config.output;
    if !matches!(
        output.dataset_type,
        DatasetType::Processed | DatasetType::Fusion
    ) {
        problems.push(ConfigProblem::new(
            "$.output.dataset_type",
            format!(
                "a pipeline builds PROCESSED or FUSION datasets, not {}",
                output.dataset_type
            ),
        ));
    }
    if !valid_group_name(&output.group) {
        problems.push(ConfigProblem::new(
            "$.output.group",
            format!(
                "`{}` is not a usable group name: use letters, digits, `_`, `-` and `.`, starting with a letter or digit (at most 128)",
                output.group
            ),
        ));
    }
    if !output.annotation_format.is_writable() {
        problems.push(ConfigProblem::new(
            "$.output.annotation_format",
            format!(
                "Datamill cannot write {} annotations",
                output.annotation_format.title()
            ),
        ));
    }
    if output.task_types.is_empty() {
        problems.push(ConfigProblem::new(
            "$.output.task_types",
            "name at least one task type",
        ));
    }
    if config.sources.is_empty() {
        problems.push(ConfigProblem::new("$.sources", "name at least one source"));
    }
    if facts.len() != config.sources.len() {
        problems.push(ConfigProblem::new(
            "$.sources",
            format!(
                "{} sources in the config but {} resolved",
                config.sources.len(),
                facts.len()
            ),
        ));
        return Err(problems);
    }

    let mut sources = Vec::with_capacity(facts.len());
    for (index, (spec, facts)) in config.sources.iter().zip(facts).enumerate() {
        let base = format!("$.sources[{index}]");
        let mut format = facts.format;
        let mut steps = Vec::new();
        for (position, step) in spec.manipulators.iter().enumerate() {
            let path = format!("{base}.manipulators[{position}]");
            if let Some(resolved) = resolve_step(
                step,
                &path,
                Scope::PerSource,
                &mut format,
                &facts.task_types,
                options,
                &mut problems,
            ) {
                steps.push(resolved);
            }
        }
        if format != output.annotation_format {
            problems.push(ConfigProblem::new(
                base.clone(),
                format!(
                    "this source's annotations end up as {} but the output is {}{}",
                    format.title(),
                    output.annotation_format.title(),
                    converter_hint(format, output.annotation_format)
                ),
            ));
        }
        sources.push(ResolvedSource {
            facts: facts.clone(),
            steps,
        });
    }

    let mut post_merge = Vec::new();
    let mut format = output.annotation_format;
    let explicit_merge = config
        .post_merge
        .first()
        .is_some_and(|s| s.name == MERGE_NAME);
    if config.sources.len() > 1 && !explicit_merge {
        let merge = StepSpec {
            name: MERGE_NAME.to_owned(),
            params: serde_json::Value::Null,
        };
        if let Some(step) = resolve_step(
            &merge,
            "$.post_merge (implicit merge_datasets)",
            Scope::PostMerge,
            &mut format,
            &output.task_types,
            options,
            &mut problems,
        ) {
            post_merge.push(step);
        }
    }
    for (position, step) in config.post_merge.iter().enumerate() {
        let path = format!("$.post_merge[{position}]");
        if step.name == MERGE_NAME && position > 0 {
            problems.push(ConfigProblem::new(
                format!("{path}.name"),
                "merge_datasets must be the first post-merge step",
            ));
            continue;
        }
        if let Some(resolved) = resolve_step(
            step,
            &path,
            Scope::PostMerge,
            &mut format,
            &output.task_types,
            options,
            &mut problems,
        ) {
            post_merge.push(resolved);
        }
    }
    if format != output.annotation_format {
        problems.push(ConfigProblem::new(
            "$.post_merge",
            format!(
                "the post-merge chain changes the format to {}, but the output is {}",
                format.title(),
                output.annotation_format.title()
            ),
        ));
    }

    if problems.is_empty() {
        Ok(ResolvedPipeline {
            config: config.clone(),
            sources,
            post_merge,
        })
    } else {
        Err(problems)
    }
}

fn resolve_step(
    step: &StepSpec,
    path: &str,
    scope: Scope,
    format: &mut AnnotationFormat,
    task_types: &[TaskType],
    options: &ResolveOptions,
    problems: &mut Vec<ConfigProblem>,
) -> Option<ResolvedStep> {
    let Some(manipulator) = manipulators::find(&step.name) else {
        let names: Vec<&str> = manipulators::CATALOG
            .iter()
            .map(|m| m.info().name)
            .collect();
        problems.push(ConfigProblem::new(
            format!("{path}.name"),
            format!(
                "there is no manipulator `{}`; the manipulators are: {}",
                step.name,
                names.join(", ")
            ),
        ));
        return None;
    };
    let info = manipulator.info();
    let before = problems.len();
    if !info.scopes.contains(&scope) {
        let (here, there) = match scope {
            Scope::PerSource => ("in a source's chain", "after the merge (post_merge)"),
            Scope::PostMerge => (
                "after the merge",
                "in a source's chain (sources[].manipulators)",
            ),
        };
        problems.push(ConfigProblem::new(
            format!("{path}.name"),
            format!("{} cannot run {here}; it runs {there}", info.name),
        ));
    }
    let status = options
        .statuses
        .get(info.name)
        .copied()
        .unwrap_or(info.status);
    match status {
        Status::Deprecated => problems.push(ConfigProblem::new(
            format!("{path}.name"),
            format!("{} is deprecated and can no longer be used", info.name),
        )),
        Status::Experimental if options.refuse_experimental => problems.push(ConfigProblem::new(
            format!("{path}.name"),
            format!(
                "{} is experimental and not enabled on this platform",
                info.name
            ),
        )),
        Status::Active | Status::Experimental => {}
    }
    if !info.formats.contains(format) {
        let accepted: Vec<&str> = info.formats.iter().map(|f| f.title()).collect();
        problems.push(ConfigProblem::new(
            format!("{path}.name"),
            format!(
                "{} does not work on {} annotations (at this point of the chain); it takes {}",
                info.name,
                format.title(),
                accepted.join(", ")
            ),
        ));
    }
    let unsupported: Vec<&str> = task_types
        .iter()
        .filter(|t| !info.task_types.contains(t))
        .map(|t| t.as_str())
        .collect();
    if !unsupported.is_empty() {
        problems.push(ConfigProblem::new(
            format!("{path}.name"),
            format!(
                "{} does not support the task type {} of this dataset",
                info.name,
                unsupported.join(", ")
            ),
        ));
    }
    if let Some(output) = info.output_format {
        *format = output;
    }
    let prepared = match manipulator.prepare(&step.params) {
        Ok(prepared) => Some(prepared),
        Err(param_problems) => {
            for problem in param_problems {
                let at = if problem.path.is_empty() {
                    format!("{path}.params")
                } else if problem.path.starts_with('[') {
                    format!("{path}.params{}", problem.path)
                } else {
                    format!("{path}.params.{}", problem.path)
                };
                problems.push(ConfigProblem::new(
                    at,
                    format!("{}: {}", info.name, problem.message),
                ));
            }
            None
        }
    };
    if problems.len() > before {
        return None;
    }
    prepared.map(|step| ResolvedStep {
        path: path.to_owned(),
        name: info.name,
        step,
    })
}

fn converter_hint(from: AnnotationFormat, to: AnnotationFormat) -> String {
    let converter = manipulators::CATALOG.iter().find(|m| {
        let info = m.info();
        info.output_format == Some(to) && info.formats.contains(&from)
    });
    converter.map_or_else(
        || {
            format!(
                "; no manipulator converts {} to {}",
                from.title(),
                to.title()
            )
        },
        |m| format!("; add {} to its manipulators", m.info().name),
    )
}

fn valid_group_name(name: &str) -> bool {
    name.len() <= 128
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A file-name-safe label for each source: the group name from its path or reference, made
/// unique with the split and version, then with its position.
#[must_use]
pub fn source_labels(references: &[String]) -> Vec<SourceLabel> {
    let parts: Vec<Vec<String>> = references
        .iter()
        .map(|r| {
            r.split('/')
                .filter(|p| !p.is_empty())
                .map(sanitise)
                .collect()
        })
        .collect();
    // raw/coco/train/v1.0.0 → ["raw", "coco", "train", "v1.0.0"]: the group is the second part.
    let short = |p: &Vec<String>, detail: usize| -> String {
        if p.len() >= 4 {
            p[1..(2 + detail).min(p.len())].join("_")
        } else {
            p.join("_")
        }
    };
    let mut labels: Vec<String> = parts.iter().map(|p| short(p, 0)).collect();
    for detail in 1..=2 {
        let snapshot = labels.clone();
        for (index, label) in labels.iter_mut().enumerate() {
            if snapshot.iter().filter(|l| *l == label).count() > 1 {
                *label = short(&parts[index], detail);
            }
        }
    }
    let snapshot = labels.clone();
    for (index, label) in labels.iter_mut().enumerate() {
        if label.is_empty() || snapshot.iter().filter(|l| *l == label).count() > 1 {
            *label = format!("{label}{}s{index}", if label.is_empty() { "" } else { "_" });
        }
    }
    references
        .iter()
        .zip(labels)
        .map(|(reference, label)| SourceLabel {
            reference: reference.clone(),
            label,
        })
        .collect()
}

fn sanitise(part: &str) -> String {
    part.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(format: AnnotationFormat) -> SourceFacts {
        SourceFacts {
            label: SourceLabel {
                reference: "raw/a/train/v1.0.0".into(),
                label: "a".into(),
            },
            format,
            task_types: vec![TaskType::Detection],
            modality: Modality::Rgb,
        }
    }

    fn config(text: &str) -> PipelineConfig {
        PipelineConfig::parse(text).unwrap()
    }

    const HEAD: &str = "output: {group: out, dataset_type: PROCESSED, split: TRAIN, annotation_format: YOLO, task_types: [DETECTION]}\n";

    #[test]
    fn every_kind_of_problem_is_reported_with_its_path() {
        let text = format!(
            "{HEAD}sources:\n  - path: raw/a/train/v1.0.0\n    manipulators:\n      - {{name: no_such}}\n      - {{name: shuffle_image_ids}}\n      - {{name: change_compression, params: {{quality: 0}}}}\n      - {{name: format_convert_to_coco}}\npost_merge:\n  - {{name: rotate_180}}\n  - {{name: merge_datasets}}\n"
        );
        let problems = resolve(
            &config(&text),
            &[facts(AnnotationFormat::Coco)],
            &ResolveOptions::default(),
        )
        .err()
        .unwrap_or_default();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert!(
            paths.contains(&"$.sources[0].manipulators[0].name"),
            "{problems:#?}"
        );
        assert!(
            paths.contains(&"$.sources[0].manipulators[1].name"),
            "scope: {problems:#?}"
        );
        assert!(
            paths.contains(&"$.sources[0].manipulators[2].params.quality"),
            "{problems:#?}"
        );
        assert!(
            paths.contains(&"$.sources[0].manipulators[3].name"),
            "format: {problems:#?}"
        );
        assert!(
            paths.contains(&"$.sources[0]"),
            "ends in COCO: {problems:#?}"
        );
        assert!(paths.contains(&"$.post_merge[0].name"), "{problems:#?}");
        assert!(
            paths.contains(&"$.post_merge[1].name"),
            "merge not first: {problems:#?}"
        );
        let hint = problems
            .iter()
            .find(|p| p.path == "$.sources[0]")
            .map(|p| p.message.clone())
            .unwrap_or_default();
        assert!(hint.contains("format_convert_to_yolo"), "{hint}");
    }

    #[test]
    fn a_good_chain_resolves_with_an_implicit_merge_for_two_sources() {
        let text = format!(
            "{HEAD}sources:\n  - path: raw/a/train/v1.0.0\n    manipulators: [{{name: format_convert_to_yolo}}]\n  - path: raw/b/train/v1.0.0\npost_merge: [{{name: shuffle_image_ids, params: {{seed: 1}}}}]\n"
        );
        let resolved = resolve(
            &config(&text),
            &[facts(AnnotationFormat::Coco), facts(AnnotationFormat::Yolo)],
            &ResolveOptions::default(),
        )
        .unwrap();
        let names: Vec<&str> = resolved.post_merge.iter().map(|s| s.name).collect();
        assert_eq!(names, ["merge_datasets", "shuffle_image_ids"]);
    }

    #[test]
    fn task_types_experimental_and_deprecated_are_checked() {
        let text = format!(
            "{HEAD}sources:\n  - path: raw/a/train/v1.0.0\n    manipulators: [{{name: mask_region_by_class, params: {{classes: [a]}}}}]\n"
        );
        let mut classification = facts(AnnotationFormat::Yolo);
        classification.task_types = vec![TaskType::Classification];
        let options = ResolveOptions {
            refuse_experimental: true,
            ..ResolveOptions::default()
        };
        let problems = resolve(&config(&text), &[classification], &options)
            .err()
            .unwrap_or_default();
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("task type CLASSIFICATION")),
            "{problems:#?}"
        );
        assert!(
            problems.iter().any(|p| p.message.contains("experimental")),
            "{problems:#?}"
        );
    }

    #[test]
    fn labels_are_short_unique_and_file_name_safe() {
        let labels = source_labels(&[
            "raw/coco/train/v1.0.0".into(),
            "raw/coco/val/v1.0.0".into(),
            "source/yolo set/train/v2.0.0".into(),
        ]);
        let names: Vec<&str> = labels.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(names, ["coco_train", "coco_val", "yolo_set"]);
    }
}
