//! The whole report of a small synthetic dataset with real JPEGs: every section's shape and
//! numbers, reviewed once and then held.

use datamill_core::AnnotationFormat;
use datamill_core::eda::{self, EdaLimits, EdaOptions, NoProgress};
use datamill_core::synth::{self, SynthConfig};

#[test]
fn the_report_of_a_small_synthetic_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let config = SynthConfig {
        images: 12,
        seed: 7,
        min_size: (64, 48),
        max_size: (96, 72),
        ..SynthConfig::default()
    };
    synth::write_dataset(&config, dir.path()).unwrap();
    let options = EdaOptions {
        limits: EdaLimits {
            max_points: 12,
            examples: 3,
            top_resolutions: 4,
            cooccurrence_classes: 5,
            heatmap_grid: 4,
            ..EdaLimits::default()
        },
        ..EdaOptions::default()
    };
    let report = eda::analyse(
        datamill_core::Files::local(),
        dir.path(),
        AnnotationFormat::Coco,
        &options,
        &NoProgress,
    )
    .unwrap();
    // The 50-odd COCO categories no synthetic object uses are left out of the snapshot (they
    // are all zeros); everything else is as reported.
    let unused = report.classes.iter().filter(|c| c.instances == 0).count();
    assert_eq!((report.classes.len(), unused), (80, 51));
    let mut shown = serde_json::to_value(&report).unwrap();
    shown["classes"]
        .as_array_mut()
        .unwrap()
        .retain(|class| class["instances"] != 0);
    insta::assert_json_snapshot!(shown);
}
