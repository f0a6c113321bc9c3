//! Any bytes as a pipeline config (YAML or JSON), then through the checks against a made-up
//! source: errors are fine, panics are not.
#![no_main]

use datamill_core::pipeline::{PipelineConfig, ResolveOptions, SourceFacts, SourceLabel, resolve};
use datamill_core::{AnnotationFormat, Modality, TaskType};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(config) = PipelineConfig::parse(&text) else {
        return;
    };
    let facts: Vec<SourceFacts> = (0..config.sources.len())
        .map(|index| SourceFacts {
            label: SourceLabel {
                reference: format!("raw/s{index}/train/v1.0.0"),
                label: format!("s{index}"),
            },
            format: AnnotationFormat::Coco,
            task_types: vec![TaskType::Detection],
            modality: Modality::Rgb,
        })
        .collect();
    let _ = resolve(&config, &facts, &ResolveOptions::default());
});
