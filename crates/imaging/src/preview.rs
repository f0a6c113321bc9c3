//! Previews: a small JPEG of any image Datamill reads, as a person would look at it (EDA
//! galleries, the image endpoint).
//!
//! One pass per file: decode (JPEG through libjpeg-turbo at the smallest DCT scale that is still
//! at least the preview's size, so a 1/8-scale decode of a large photo does an eighth of the
//! work; PNG, TIFF, BMP and WebP through `image`), make 8-bit display pixels (16-bit images
//! windowed by percentiles, alpha composited over white), resize with `fast_image_resize`
//! (SIMD convolution) in stored orientation, apply the EXIF orientation to the small image, and
//! encode with libjpeg-turbo. Nothing inside is threaded: callers run files in parallel.

use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use crate::pixels::{Layout, Pixels, Samples};
use crate::{ImagingError, SourceFormat, check_size, jpeg, orientation, other, probe, sniff};

/// The resampling filter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum PreviewFilter {
    /// Triangle filter: the fastest convolution, slightly soft.
    Bilinear,
    /// Catmull–Rom bicubic: sharp, little ringing.
    CatmullRom,
    /// Lanczos with 3 lobes: the sharpest (the `fast_image_resize` default).
    #[default]
    Lanczos3,
}

/// How to make a preview.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PreviewOptions {
    /// JPEG quality of the preview, 1..=100.
    pub quality: u8,
    /// EXIF orientation 1..=8 to apply; `None` reads it from the file (JPEG, PNG, WebP, TIFF).
    pub orientation: Option<u8>,
    /// Percentiles (0..=100) of the intensities mapped to black and white for images of more
    /// than 8 bits per sample (thermal IR: 14 bits of a 16-bit container, mostly in a narrow
    /// band). 8-bit images are shown as they are.
    pub window: (f32, f32),
    /// Enlarge images smaller than the preview size (otherwise they keep their size).
    pub upscale: bool,
    pub filter: PreviewFilter,
}

impl Default for PreviewOptions {
    fn default() -> Self {
        Self {
            quality: 80,
            orientation: None,
            window: (1.0, 99.0),
            upscale: false,
            filter: PreviewFilter::Lanczos3,
        }
    }
}

/// A preview and what it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Baseline JPEG (grey for grey sources, 4:2:0 colour otherwise), no EXIF.
    pub jpeg: Vec<u8>,
    /// The preview's size.
    pub width: u32,
    pub height: u32,
    /// The source's size as displayed (after its EXIF orientation).
    pub source_width: u32,
    pub source_height: u32,
    pub source_format: SourceFormat,
    /// Bits per sample of the decoded source (8 or 16).
    pub bit_depth: u8,
    /// The orientation applied.
    pub orientation: u8,
    /// For sources of more than 8 bits: the intensities mapped to 0 and 255.
    pub window: Option<[u16; 2]>,
}

/// The size of a preview of a `width × height` image whose longer side is at most `max_side`
/// (the shorter side rounded, at least 1). Smaller images keep their size unless `upscale`.
#[must_use]
pub fn preview_size(width: u32, height: u32, max_side: u32, upscale: bool) -> (u32, u32) {
    let longer = width.max(height);
    if longer == 0 || max_side == 0 || (longer <= max_side && !upscale) {
        return (width, height);
    }
    let scale = f64::from(max_side) / f64::from(longer);
    let side = |value: u32| ((f64::from(value) * scale).round() as u32).clamp(1, max_side);
    (side(width), side(height))
}

/// A JPEG preview of `source` whose longer side is `max_side` pixels (smaller images keep their
/// size unless [`PreviewOptions::upscale`]). Any bytes give a preview or an error, never a panic.
pub fn preview(
    source: &[u8],
    max_side: u32,
    options: &PreviewOptions,
) -> Result<Preview, ImagingError> {
    if !(1..=100).contains(&options.quality) {
        return Err(ImagingError::Quality(options.quality));
    }
    if max_side == 0 {
        return Err(ImagingError::PreviewSize);
    }
    let decoded = decode_display(source, max_side, options)?;
    let Prepared {
        mut pixels,
        format,
        bit_depth,
        window,
        orientation: applied,
        display,
        target,
    } = decoded;
    // Resize in stored orientation (the turn then moves the small image's pixels only).
    let stored_target = orientation::display_size(target.0, target.1, applied);
    if (pixels.width, pixels.height) != stored_target {
        pixels = resize(&pixels, stored_target, options.filter)?;
    }
    orientation::apply(&mut pixels, applied);
    let jpeg = jpeg::encode(&pixels, options.quality, None)?;
    Ok(Preview {
        jpeg,
        width: pixels.width,
        height: pixels.height,
        source_width: display.0,
        source_height: display.1,
        source_format: format,
        bit_depth,
        orientation: applied,
        window,
    })
}

/// Decodes the whole file without keeping its pixels: `Ok` when every byte of image data is
/// there and decodes, the decoder's complaint otherwise (a truncated JPEG, a PNG cut before
/// `IEND`). JPEGs decode at 1/8 scale (the entropy-coded data is still read to its end).
pub fn verify(source: &[u8]) -> Result<(), ImagingError> {
    let format = sniff(source).ok_or(ImagingError::UnsupportedFormat(None))?;
    match format {
        SourceFormat::Gif => Err(ImagingError::UnsupportedFormat(Some(format))),
        SourceFormat::Jpeg => {
            let header = jpeg::read_header(source)?;
            jpeg::decode_scaled(source, jpeg::reduction(&header, 1, 1)).map(drop)
        }
        _ => other::decode(source, format).map(drop),
    }
}

/// How often each sample value occurs in an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleHistogram {
    /// Bits per sample of the decoded image: 8 or 16.
    pub bit_depth: u8,
    /// `counts[v]`: samples of value `v` (256 entries for 8-bit images, 65,536 for 16-bit).
    /// Colour images count each of R, G and B; alpha is not counted.
    pub counts: Vec<u64>,
    pub width: u32,
    pub height: u32,
}

/// Decodes the image and counts its sample values (the EDA's thermal intensity histogram).
pub fn sample_histogram(source: &[u8]) -> Result<SampleHistogram, ImagingError> {
    let format = sniff(source).ok_or(ImagingError::UnsupportedFormat(None))?;
    let decoded = match format {
        SourceFormat::Gif => return Err(ImagingError::UnsupportedFormat(Some(format))),
        SourceFormat::Jpeg => jpeg::decode(source)?,
        _ => other::decode(source, format)?,
    };
    let pixels = decoded.pixels;
    let colour = colour_channels(pixels.layout);
    let channels = pixels.layout.channels();
    let (bit_depth, counts) = match &pixels.samples {
        Samples::U8(data) => (8, histogram(data, channels, colour, 256)),
        Samples::U16(data) => (16, histogram(data, channels, colour, 65_536)),
    };
    Ok(SampleHistogram {
        bit_depth,
        counts,
        width: pixels.width,
        height: pixels.height,
    })
}

/// The colour channels of a layout (alpha is the last channel of the alpha layouts).
const fn colour_channels(layout: Layout) -> usize {
    match layout {
        Layout::Grey | Layout::GreyAlpha => 1,
        Layout::Rgb | Layout::Rgba => 3,
    }
}

fn histogram<T: Copy + Into<u32>>(
    data: &[T],
    channels: usize,
    colour: usize,
    bins: usize,
) -> Vec<u64> {
    let mut counts = vec![0u64; bins];
    for pixel in data.chunks_exact(channels) {
        for &sample in &pixel[..colour] {
            counts[sample.into() as usize] += 1;
        }
    }
    counts
}

/// 8-bit grey or RGB pixels ready to be resized, turned and encoded.
struct Prepared {
    pixels: Pixels,
    format: SourceFormat,
    bit_depth: u8,
    window: Option<[u16; 2]>,
    orientation: u8,
    /// The source's displayed size.
    display: (u32, u32),
    /// The preview's displayed size.
    target: (u32, u32),
}

fn decode_display(
    source: &[u8],
    max_side: u32,
    options: &PreviewOptions,
) -> Result<Prepared, ImagingError> {
    let format = sniff(source).ok_or(ImagingError::UnsupportedFormat(None))?;
    if format == SourceFormat::Gif {
        return Err(ImagingError::UnsupportedFormat(Some(format)));
    }
    let orientation = options
        .orientation
        .or_else(|| probe::exif_orientation(source))
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1);
    let decoded = if format == SourceFormat::Jpeg {
        let header = jpeg::read_header(source)?;
        check_size(header.width as u64, header.height as u64)?;
        let (width, height) = (header.width as u32, header.height as u32);
        let display = orientation::display_size(width, height, orientation);
        let target = preview_size(display.0, display.1, max_side, options.upscale);
        let (min_width, min_height) = orientation::display_size(target.0, target.1, orientation);
        let factor = jpeg::reduction(&header, min_width as usize, min_height as usize);
        (jpeg::decode_scaled(source, factor)?, display, target)
    } else {
        let decoded = other::decode(source, format)?;
        let (width, height) = (decoded.pixels.width, decoded.pixels.height);
        let display = orientation::display_size(width, height, orientation);
        let target = preview_size(display.0, display.1, max_side, options.upscale);
        (decoded, display, target)
    };
    let (decoded, display, target) = decoded;
    let bit_depth = if decoded.pixels.is_sixteen_bit() {
        16
    } else {
        8
    };
    let (pixels, window) = to_display(decoded.pixels, options.window);
    Ok(Prepared {
        pixels,
        format,
        bit_depth,
        window,
        orientation,
        display,
        target,
    })
}

/// 8-bit grey or RGB: 16-bit samples windowed to 8 bits, alpha composited over white.
fn to_display(pixels: Pixels, window: (f32, f32)) -> (Pixels, Option<[u16; 2]>) {
    let Pixels {
        width,
        height,
        layout,
        samples,
    } = pixels;
    let channels = layout.channels();
    let colour = colour_channels(layout);
    let out_layout = if colour == 1 {
        Layout::Grey
    } else {
        Layout::Rgb
    };
    let has_alpha = channels > colour;
    let (data, window) = match samples {
        Samples::U8(data) if !has_alpha => (data, None),
        Samples::U8(data) => {
            let mut out = Vec::with_capacity(data.len() / channels * colour);
            for pixel in data.chunks_exact(channels) {
                let alpha = u32::from(pixel[colour]);
                out.extend(
                    pixel[..colour]
                        .iter()
                        .map(|&c| over_white(u32::from(c), alpha)),
                );
            }
            (out, None)
        }
        Samples::U16(data) => {
            let counts = histogram(&data, channels, colour, 65_536);
            let (low, high) = percentile_window(&counts, window);
            let lut = window_lut(low, high);
            let mut out = Vec::with_capacity(data.len() / channels * colour);
            for pixel in data.chunks_exact(channels) {
                let mapped = pixel[..colour].iter().map(|&c| lut[usize::from(c)]);
                if has_alpha {
                    let alpha = u32::from(pixel[colour] >> 8);
                    out.extend(mapped.map(|c| over_white(u32::from(c), alpha)));
                } else {
                    out.extend(mapped);
                }
            }
            (out, Some([low, high]))
        }
    };
    (
        Pixels {
            width,
            height,
            layout: out_layout,
            samples: Samples::U8(data),
        },
        window,
    )
}

/// `colour` at opacity `alpha` (0..=255) over white, rounded.
fn over_white(colour: u32, alpha: u32) -> u8 {
    ((colour * alpha + 255 * (255 - alpha) + 127) / 255) as u8
}

/// The values at the two percentiles of a histogram (nearest rank); the upper one is at least
/// one above the lower so that the window is never empty.
fn percentile_window(counts: &[u64], (low, high): (f32, f32)) -> (u16, u16) {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return (0, u16::MAX);
    }
    let at = |percent: f32| -> u16 {
        let percent = f64::from(percent).clamp(0.0, 100.0);
        // The rank of the sample, 0-based, among `total` sorted samples.
        let rank = ((percent / 100.0) * (total - 1) as f64).round() as u64;
        let mut seen = 0u64;
        for (value, count) in counts.iter().enumerate() {
            seen += count;
            if seen > rank {
                return value as u16;
            }
        }
        u16::MAX
    };
    let (low, high) = (at(low.min(high)), at(high.max(low)));
    if high > low {
        (low, high)
    } else if low < u16::MAX {
        (low, low + 1)
    } else {
        (low - 1, low)
    }
}

/// 16-bit value → 8-bit value: `low` and below black, `high` and above white, linear between.
fn window_lut(low: u16, high: u16) -> Vec<u8> {
    let span = f64::from(high - low);
    (0..=u16::MAX)
        .map(|value| {
            let t = (f64::from(value.clamp(low, high) - low) / span * 255.0).round();
            t as u8
        })
        .collect()
}

fn resize(
    pixels: &Pixels,
    (width, height): (u32, u32),
    filter: PreviewFilter,
) -> Result<Pixels, ImagingError> {
    let Samples::U8(data) = &pixels.samples else {
        return Err(resize_error("16-bit pixels reached the resizer"));
    };
    let pixel_type = match pixels.layout {
        Layout::Grey => PixelType::U8,
        Layout::Rgb => PixelType::U8x3,
        Layout::GreyAlpha | Layout::Rgba => {
            return Err(resize_error("pixels with alpha reached the resizer"));
        }
    };
    let source =
        fast_image_resize::images::ImageRef::new(pixels.width, pixels.height, data, pixel_type)
            .map_err(|e| resize_error(&e.to_string()))?;
    let mut target = fast_image_resize::images::Image::new(width, height, pixel_type);
    let algorithm = ResizeAlg::Convolution(match filter {
        PreviewFilter::Bilinear => FilterType::Bilinear,
        PreviewFilter::CatmullRom => FilterType::CatmullRom,
        PreviewFilter::Lanczos3 => FilterType::Lanczos3,
    });
    Resizer::new()
        .resize(
            &source,
            &mut target,
            &ResizeOptions::new().resize_alg(algorithm),
        )
        .map_err(|e| resize_error(&e.to_string()))?;
    Ok(Pixels {
        width,
        height,
        layout: pixels.layout,
        samples: Samples::U8(target.into_vec()),
    })
}

fn resize_error(message: &str) -> ImagingError {
    ImagingError::Resize(message.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

    use std::io::Cursor;

    use image::{ImageBuffer, Luma, Rgb, Rgba};
    use proptest::prelude::*;
    use turbojpeg::{PixelFormat, Subsamp};

    use super::*;
    use crate::{exif_orientation, process};

    /// An RGB JPEG whose left half is red and right half blue.
    fn halves_jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = ImageBuffer::from_fn(width, height, |x, _| {
            if x < width / 2 {
                Rgb([220u8, 20, 20])
            } else {
                Rgb([20, 20, 220])
            }
        });
        let image = turbojpeg::Image {
            pixels: image.as_raw().as_slice(),
            width: width as usize,
            pitch: width as usize * 3,
            height: height as usize,
            format: PixelFormat::RGB,
        };
        turbojpeg::compress(image, 95, Subsamp::Sub2x2)
            .unwrap()
            .to_vec()
    }

    /// A big-endian TIFF block with one IFD entry: Orientation.
    fn exif_tiff(orientation: u8) -> Vec<u8> {
        let mut tiff = b"MM\x00\x2A\x00\x00\x00\x08\x00\x01".to_vec();
        tiff.extend([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]);
        tiff.extend([0x00, orientation, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
        tiff
    }

    fn with_exif(jpeg: &[u8], orientation: u8) -> Vec<u8> {
        let mut segment = b"Exif\x00\x00".to_vec();
        segment.extend(exif_tiff(orientation));
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(u16::try_from(segment.len() + 2).unwrap().to_be_bytes());
        out.extend(segment);
        out.extend(&jpeg[2..]);
        out
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// `png` with an `eXIf` chunk right after `IHDR`.
    fn png_with_exif(png: &[u8], orientation: u8) -> Vec<u8> {
        let data = exif_tiff(orientation);
        let mut chunk = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        let mut body = b"eXIf".to_vec();
        body.extend(&data);
        chunk.extend(&body);
        chunk.extend(crc32(&body).to_be_bytes());
        // Signature (8) + IHDR (4 + 4 + 13 + 4).
        let mut out = png[..33].to_vec();
        out.extend(chunk);
        out.extend(&png[33..]);
        out
    }

    fn png<P: image::PixelWithColorType<Subpixel = S>, S: image::Primitive>(
        image: &ImageBuffer<P, Vec<S>>,
    ) -> Vec<u8>
    where
        [S]: image::EncodableLayout,
    {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn decoded(preview: &Preview) -> image::RgbImage {
        let image = image::load_from_memory(&preview.jpeg).unwrap();
        assert_eq!(
            (image.width(), image.height()),
            (preview.width, preview.height)
        );
        image.to_rgb8()
    }

    /// The mean colour of rows `rows` of an image.
    fn mean(image: &image::RgbImage, rows: std::ops::Range<u32>) -> [f64; 3] {
        let mut sum = [0.0; 3];
        let mut n = 0.0;
        for y in rows {
            for x in 0..image.width() {
                let p = image.get_pixel(x, y);
                for c in 0..3 {
                    sum[c] += f64::from(p[c]);
                }
                n += 1.0;
            }
        }
        sum.map(|s| s / n)
    }

    #[test]
    fn the_longer_side_becomes_the_preview_size() {
        let source = halves_jpeg(400, 300);
        let done = preview(&source, 100, &PreviewOptions::default()).unwrap();
        assert_eq!((done.width, done.height), (100, 75));
        assert_eq!((done.source_width, done.source_height), (400, 300));
        assert_eq!(done.source_format, SourceFormat::Jpeg);
        assert_eq!(
            (done.bit_depth, done.orientation, done.window),
            (8, 1, None)
        );
        let image = decoded(&done);
        // The halves survive the 1/4-scale decode and the resize.
        assert!(image.get_pixel(10, 40)[0] > 180 && image.get_pixel(90, 40)[2] > 180);
        let tall = preview(&halves_jpeg(300, 400), 100, &PreviewOptions::default()).unwrap();
        assert_eq!((tall.width, tall.height), (75, 100));
    }

    #[test]
    fn small_images_keep_their_size_unless_upscaled() {
        let source = halves_jpeg(64, 32);
        let kept = preview(&source, 256, &PreviewOptions::default()).unwrap();
        assert_eq!((kept.width, kept.height), (64, 32));
        let options = PreviewOptions {
            upscale: true,
            ..PreviewOptions::default()
        };
        let enlarged = preview(&source, 256, &options).unwrap();
        assert_eq!((enlarged.width, enlarged.height), (256, 128));
        assert_eq!(preview_size(1920, 1080, 320, false), (320, 180));
        assert_eq!(preview_size(3, 1000, 100, false), (1, 100));
        assert_eq!(preview_size(0, 0, 100, false), (0, 0));
    }

    #[test]
    fn the_exif_orientation_is_applied() {
        // Stored 80×40, red on the left; orientation 6 (turned 90° clockwise) shows it 40×80
        // with red on top.
        let source = with_exif(&halves_jpeg(80, 40), 6);
        assert_eq!(exif_orientation(&source), Some(6));
        let done = preview(&source, 40, &PreviewOptions::default()).unwrap();
        assert_eq!((done.width, done.height), (20, 40));
        assert_eq!((done.source_width, done.source_height), (40, 80));
        assert_eq!(done.orientation, 6);
        let image = decoded(&done);
        let (top, bottom) = (mean(&image, 2..16), mean(&image, 24..38));
        assert!(top[0] > 150.0 && top[2] < 100.0, "top {top:?}");
        assert!(bottom[2] > 150.0 && bottom[0] < 100.0, "bottom {bottom:?}");
        // The caller's orientation wins over the file's.
        let options = PreviewOptions {
            orientation: Some(1),
            ..PreviewOptions::default()
        };
        let unturned = preview(&source, 40, &options).unwrap();
        assert_eq!(
            (unturned.width, unturned.height, unturned.orientation),
            (40, 20, 1)
        );
    }

    #[test]
    fn png_exif_orientation_is_read_too() {
        let image = ImageBuffer::from_fn(8, 4, |x, _| Rgb([if x < 4 { 255u8 } else { 0 }, 0, 0]));
        let source = png_with_exif(&png(&image), 8);
        assert_eq!(exif_orientation(&source), Some(8));
        let done = preview(&source, 100, &PreviewOptions::default()).unwrap();
        assert_eq!((done.width, done.height, done.orientation), (4, 8, 8));
    }

    #[test]
    fn sixteen_bit_images_are_windowed_by_percentiles() {
        // A 14-bit-like thermal frame: a ramp over 20,000..21,000, one dead (0) and one hot
        // (65,535) pixel that a min–max stretch would let flatten everything.
        let image = ImageBuffer::from_fn(100, 100, |x, y| {
            Luma([match (x, y) {
                (0, 0) => 0u16,
                (99, 99) => u16::MAX,
                _ => 20_000 + (x * 10) as u16,
            }])
        });
        let done = preview(&png(&image), 100, &PreviewOptions::default()).unwrap();
        assert_eq!(done.bit_depth, 16);
        let [low, high] = done.window.unwrap();
        assert!((20_000..=20_020).contains(&low), "{low}");
        assert!((20_970..=20_990).contains(&high), "{high}");
        let shown = decoded(&done);
        // Dark on the left, bright on the right, a full range between.
        assert!(
            shown.get_pixel(3, 50)[0] < 20,
            "{:?}",
            shown.get_pixel(3, 50)
        );
        assert!(
            shown.get_pixel(96, 50)[0] > 235,
            "{:?}",
            shown.get_pixel(96, 50)
        );
        let middle = f64::from(shown.get_pixel(50, 50)[0]);
        assert!((100.0..155.0).contains(&middle), "{middle}");
        // A grey source gives a grey JPEG.
        let header = turbojpeg::read_header(&done.jpeg).unwrap();
        assert_eq!(header.subsamp, Subsamp::Gray);
    }

    #[test]
    fn transparent_pixels_show_white() {
        let image = ImageBuffer::from_fn(10, 10, |x, _| {
            Rgba([0u8, 0, 0, if x < 5 { 0 } else { 255 }])
        });
        let shown = decoded(&preview(&png(&image), 10, &PreviewOptions::default()).unwrap());
        assert!(shown.get_pixel(1, 5)[0] > 240);
        assert!(shown.get_pixel(8, 5)[0] < 15);
    }

    #[test]
    fn corrupt_inputs_are_errors_not_panics() {
        let jpeg = halves_jpeg(64, 48);
        let png = png(&ImageBuffer::from_pixel(32, 32, Rgb([1u8, 2, 3])));
        for (name, bytes) in [
            ("empty", Vec::new()),
            ("not an image", b"hello, world".to_vec()),
            ("jpeg cut in half", jpeg[..jpeg.len() / 2].to_vec()),
            ("jpeg header only", jpeg[..200].to_vec()),
            ("png cut", png[..png.len() - 20].to_vec()),
            ("gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec()),
        ] {
            let error = preview(&bytes, 64, &PreviewOptions::default());
            assert!(error.is_err(), "{name}: {error:?}");
            assert!(verify(&bytes).is_err(), "{name}");
        }
        verify(&jpeg).unwrap();
        verify(&png).unwrap();
        let error = preview(&jpeg, 0, &PreviewOptions::default()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "a preview needs a size of at least 1 pixel"
        );
        let options = PreviewOptions {
            quality: 0,
            ..PreviewOptions::default()
        };
        assert!(preview(&jpeg, 10, &options).is_err());
    }

    #[test]
    fn a_scaled_decode_leaves_the_next_full_decode_alone() {
        let source = halves_jpeg(256, 128);
        let small = preview(&source, 32, &PreviewOptions::default()).unwrap();
        assert_eq!((small.width, small.height), (32, 16));
        let full = process(&crate::Request {
            source: &source,
            orientation: 1,
            ops: &[crate::PixelOp::FillRect {
                x0: 0,
                y0: 0,
                x1: 1,
                y1: 1,
                color: [0, 0, 0],
            }],
            output: crate::OutputEncoding::Jpeg { quality: 90 },
        })
        .unwrap();
        assert_eq!((full.width, full.height), (256, 128));
    }

    #[test]
    fn sample_histograms_count_every_colour_sample() {
        let image = ImageBuffer::from_fn(4, 2, |x, _| Luma([if x == 0 { 7u16 } else { 40_000 }]));
        let counts = sample_histogram(&png(&image)).unwrap();
        assert_eq!((counts.bit_depth, counts.width, counts.height), (16, 4, 2));
        assert_eq!(counts.counts.len(), 65_536);
        assert_eq!((counts.counts[7], counts.counts[40_000]), (2, 6));
        let rgba = ImageBuffer::from_pixel(2, 2, Rgba([1u8, 2, 3, 4]));
        let counts = sample_histogram(&png(&rgba)).unwrap();
        assert_eq!(counts.counts.iter().sum::<u64>(), 12);
        assert_eq!(counts.counts[4], 0);
    }

    #[test]
    fn exif_orientation_is_found_in_every_container() {
        let jpeg = with_exif(&halves_jpeg(16, 16), 3);
        assert_eq!(exif_orientation(&jpeg), Some(3));
        assert_eq!(exif_orientation(&halves_jpeg(16, 16)), None);
        // TIFF: the file's own first IFD.
        let mut tiff = exif_tiff(5);
        tiff[2..4].copy_from_slice(&[0x00, 0x2A]);
        assert_eq!(exif_orientation(&tiff), Some(5));
        // WebP: an EXIF chunk with the JPEG-style prefix.
        let mut data = b"Exif\x00\x00".to_vec();
        data.extend(exif_tiff(7));
        let mut webp = b"RIFF\x00\x00\x00\x00WEBPEXIF".to_vec();
        webp.extend(u32::try_from(data.len()).unwrap().to_le_bytes());
        webp.extend(&data);
        assert_eq!(exif_orientation(&webp), Some(7));
        // Out of range, cut short, or no image at all.
        assert_eq!(exif_orientation(&with_exif(&halves_jpeg(16, 16), 9)), None);
        assert_eq!(exif_orientation(&jpeg[..20]), None);
        assert_eq!(exif_orientation(b"nothing"), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn damaged_files_give_errors_never_panics(cut in 0.0f64..1.0, flip in any::<(usize, u8)>()) {
            let jpeg = with_exif(&halves_jpeg(48, 32), 6);
            let mut bytes = jpeg[..((jpeg.len() as f64) * cut) as usize].to_vec();
            if !bytes.is_empty() {
                let at = flip.0 % bytes.len();
                bytes[at] ^= flip.1;
            }
            let _ = preview(&bytes, 16, &PreviewOptions::default());
            let _ = verify(&bytes);
            let _ = exif_orientation(&bytes);
        }

        #[test]
        fn previews_never_exceed_the_size_asked(width in 1u32..300, height in 1u32..300, side in 1u32..200) {
            let image = ImageBuffer::from_pixel(width, height, Rgb([9u8, 99, 199]));
            let done = preview(&png(&image), side, &PreviewOptions::default()).unwrap();
            prop_assert!(done.width.max(done.height) <= side.max(width.max(height).min(side)));
            prop_assert_eq!((done.width, done.height), preview_size(width, height, side, false));
        }
    }
}
