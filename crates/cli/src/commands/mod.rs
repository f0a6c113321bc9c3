//! One module per subcommand.

pub(crate) mod convert;
pub(crate) mod inspect;
pub(crate) mod synth;
pub(crate) mod validate;

use datamill_core::AnnotationFormat;

/// Parses a format name for clap.
pub(crate) fn format_arg(text: &str) -> Result<AnnotationFormat, String> {
    text.parse()
        .map_err(|e: datamill_core::format::UnknownFormat| e.to_string())
}
