//! Compiles the C side of the coefficient-domain JPEG transcode (`csrc/coeffs.c`) against the
//! libjpeg-turbo that `turbojpeg-sys` builds: its headers come from that crate's `include`
//! metadata (`DEP_TURBOJPEG_INCLUDE`), its symbols from the static `libturbojpeg.a` it links.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=csrc/coeffs.c");
    println!("cargo:rerun-if-changed=csrc/coeffs.h");
    println!("cargo:rerun-if-env-changed=DEP_TURBOJPEG_INCLUDE");
    let Ok(include) = env::var("DEP_TURBOJPEG_INCLUDE") else {
        panic!(
            "turbojpeg-sys did not report its include directory (DEP_TURBOJPEG_INCLUDE); \
             datamill-imaging needs libjpeg-turbo's jpeglib.h, which the vendored build installs"
        );
    };
    let mut build = cc::Build::new();
    build
        .file("csrc/coeffs.c")
        .include("csrc")
        // The requantisation loop is the one hot loop here and must be vectorised even in
        // debug builds (`make dev` runs the pipeline worker unoptimised).
        .opt_level(3)
        .flag_if_supported("-std=c99")
        .warnings(true)
        .extra_warnings(true);
    for dir in include.split(',').filter(|dir| !dir.is_empty()) {
        build.include(dir);
    }
    build.compile("datamill_coeffs");
}
