//! Fixed-point text of a float, `format!("{value:.precision$}")` exactly, without the formatting
//! machinery: a YOLO label file is a few numbers with six decimals, and writing 118,000 of them
//! spent more time in `core::fmt`'s exact-mode digit generation than in building the lines.
//!
//! The value `m · 2^e` is scaled by `10^precision` in 128-bit integers, so the rounding is done
//! on the exact binary value, half to even, as the standard library does. Values this cannot
//! hold exactly (|x| ≥ 2^32, more than 9 decimals) and non-finite ones go to `core::fmt`.

use std::fmt::Write as _;

/// Largest precision taken here: 10^9 · 2^53 · 2^32 < 2^128.
const MAX_PRECISION: usize = 9;

/// 10^0 to 10^9.
pub(crate) const POWERS_OF_TEN: [u64; MAX_PRECISION + 1] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// Appends `value` with `precision` decimals, as `write!(out, "{value:.precision$}")` would.
pub(crate) fn push_fixed(out: &mut String, value: f64, precision: usize) {
    if precision > MAX_PRECISION || !value.is_finite() || value.abs() >= 4_294_967_296.0 {
        let _ = write!(out, "{value:.precision$}");
        return;
    }
    let bits = value.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // Subnormals have no implicit bit and the smallest exponent.
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    let scale = POWERS_OF_TEN[precision];
    let scaled = u128::from(mantissa) * u128::from(scale);
    let units: u128 = if exponent >= 0 {
        // |value| < 2^32 with a 53-bit mantissa: the shift is below 32.
        scaled << exponent
    } else {
        let shift = exponent.unsigned_abs();
        if shift >= 128 {
            // scaled < 2^83, so the value is below 2^-45 units: it rounds to zero.
            0
        } else {
            let quotient = scaled >> shift;
            let remainder = scaled & ((1_u128 << shift) - 1);
            let half = 1_u128 << (shift - 1);
            if remainder > half || (remainder == half && quotient & 1 == 1) {
                quotient + 1
            } else {
                quotient
            }
        }
    };
    if value.is_sign_negative() {
        out.push('-');
    }
    // units < 2^32 · 10^9 + 1 fits in u64.
    let units = units as u64;
    push_integer(out, units / scale);
    if precision > 0 {
        out.push('.');
        let mut digits = [b'0'; MAX_PRECISION];
        let mut rest = units % scale;
        for digit in digits[..precision].iter_mut().rev() {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        for &digit in &digits[..precision] {
            out.push(char::from(digit));
        }
    }
}

/// Appends a non-negative integer in decimal.
pub(crate) fn push_integer(out: &mut String, mut value: u64) {
    let mut digits = [0_u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        out.push(char::from(digit));
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn fixed(value: f64, precision: usize) -> String {
        let mut out = String::new();
        push_fixed(&mut out, value, precision);
        out
    }

    #[test]
    fn ties_signs_and_edges_read_as_the_standard_library_writes_them() {
        let values = [
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.125,
            0.375,
            -0.125,
            0.000_000_5,
            -0.000_000_4,
            1.0,
            0.999_999_5,
            0.999_999_499_999,
            f64::MIN_POSITIVE,
            5e-324,
            4_294_967_295.999_999,
            4_294_967_296.0,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for value in values {
            for precision in 0..=12 {
                assert_eq!(
                    fixed(value, precision),
                    format!("{value:.precision$}"),
                    "{value:e} with {precision} decimals"
                );
            }
        }
    }

    #[test]
    fn integers_read_as_the_standard_library_writes_them() {
        for value in [0, 7, 10, 99, 100, 12_345, u64::from(u32::MAX), u64::MAX] {
            let mut out = String::new();
            push_integer(&mut out, value);
            assert_eq!(out, value.to_string());
        }
    }

    proptest! {
        #[test]
        fn any_float_reads_as_the_standard_library_writes_it(
            bits in any::<u64>(),
            precision in 0_usize..=10,
        ) {
            let value = f64::from_bits(bits);
            prop_assert_eq!(fixed(value, precision), format!("{value:.precision$}"));
        }

        #[test]
        fn normalised_coordinates_read_as_the_standard_library_writes_them(
            numerator in 0.0_f64..5000.0,
            size in 1_u32..10_000,
            precision in 0_usize..=9,
        ) {
            let value = numerator / f64::from(size);
            prop_assert_eq!(fixed(value, precision), format!("{value:.precision$}"));
        }
    }
}
