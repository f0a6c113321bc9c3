//! A minimal JSON cursor for the fast paths of the large COCO arrays.
//!
//! serde_json's exact float parsing (`float_roundtrip`) and its visitor machinery are most of the
//! time of reading COCO-train. The element types whose shape is fixed and number-heavy
//! (annotations) are first tried with this cursor: it accepts only plain, common JSON (no
//! escapes, no unknown members) and gives up — `None` — on anything else, so the caller falls
//! back to serde_json, which then decides, with its own messages. A fast path therefore never
//! changes what is accepted, what is rejected, or the value read.
//!
//! Numbers are correctly rounded, like serde_json with `float_roundtrip` (so a value written
//! back with the shortest representation is the text that was read): a decimal with at most 19
//! significant digits whose mantissa fits in 53 bits and whose exponent is within ±22 is exact
//! by one IEEE multiplication or division (both operands are exact, and IEEE operations round
//! correctly: Clinger's fast path); anything else goes to the standard library's parser, which
//! is correctly rounded too.

use super::fixed::POWERS_OF_TEN;

/// Powers of ten that are exact in `f64`.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// 2^53: every integer up to it is exact in `f64`.
const EXACT_MANTISSA: u64 = 1 << 53;

/// A number token as read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Number {
    /// No fraction and no exponent, at most 18 digits (serde_json hands these to `visit_i64` /
    /// `visit_u64`).
    Integer(i64),
    /// A fraction or an exponent.
    Float(f64),
}

impl Number {
    /// The value as serde_json gives it to an `f64` field (`visit_i64` casts with `as`).
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Self::Integer(value) => value as f64,
            Self::Float(value) => value,
        }
    }
}

/// Reads the run of ASCII digits at `*pos` into `mantissa` (`mantissa · 10 + digit` for each, with
/// wrapping: the caller's digit count decides whether the result is used) and moves past it;
/// returns how many digits there were. Eight bytes at a time where the slice has them.
#[inline]
fn digit_run(bytes: &[u8], pos: &mut usize, mantissa: &mut u64) -> u32 {
    let mut total = 0;
    while let Some(word) = bytes.get(*pos..).and_then(|rest| rest.first_chunk::<8>()) {
        let (count, value) = leading_digits(u64::from_le_bytes(*word));
        *mantissa = mantissa
            .wrapping_mul(POWERS_OF_TEN[count as usize])
            .wrapping_add(value);
        *pos += count as usize;
        total += count;
        if count < 8 {
            return total;
        }
    }
    while let Some(&byte) = bytes.get(*pos)
        && byte.is_ascii_digit()
    {
        *mantissa = mantissa
            .wrapping_mul(10)
            .wrapping_add(u64::from(byte - b'0'));
        *pos += 1;
        total += 1;
    }
    total
}

/// The leading ASCII digits of eight bytes read little-endian (the first byte lowest): how many
/// there are (0–8) and their value. SWAR: a byte is a digit when its high nibble is 3 and its
/// low nibble below 10, tested in all eight lanes at once; no lane carries into the next.
#[inline]
fn leading_digits(word: u64) -> (u32, u64) {
    const LOW: u64 = 0x0F0F_0F0F_0F0F_0F0F;
    let high_wrong = (word & !LOW) ^ 0x3030_3030_3030_3030;
    let low_wrong = ((word & LOW) + 0x0606_0606_0606_0606) & 0x1010_1010_1010_1010;
    let wrong = high_wrong | low_wrong;
    // The top bit of every byte of `wrong` that is not zero.
    let flags =
        (((wrong & 0x7F7F_7F7F_7F7F_7F7F) + 0x7F7F_7F7F_7F7F_7F7F) | wrong) & 0x8080_8080_8080_8080;
    let count = flags.trailing_zeros() / 8;
    if count == 0 {
        return (0, 0);
    }
    // The digits' values moved to the top bytes (zeros below them: leading zeros), then
    // combined in pairs, fours and eights.
    let value = (word & LOW) << (8 * (8 - count));
    let value = (value.wrapping_mul(10 * 256 + 1) >> 8) & 0x00FF_00FF_00FF_00FF;
    let value = (value.wrapping_mul(100 * 65_536 + 1) >> 16) & 0x0000_FFFF_0000_FFFF;
    (count, value.wrapping_mul(10_000 * (1 << 32) + 1) >> 32)
}

pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    fn skip_whitespace(&mut self) {
        while let Some(&byte) = self.bytes.get(self.pos) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.pos += 1;
        }
    }

    /// The next non-whitespace byte, not consumed.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `byte` if it is next (after whitespace).
    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes `byte`, which must be next.
    pub(crate) fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// Consumes `,` (true) or `close` (false); anything else gives up.
    pub(crate) fn comma_or(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(true)
            }
            byte if byte == close => {
                self.pos += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// Whether only whitespace is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }

    /// An object key without escapes, and the `:` after it.
    pub(crate) fn key(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let start = self.pos;
        let rest = self.bytes.get(start..)?;
        let length = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
        if rest[length] == b'\\' {
            return None;
        }
        self.pos = start + length + 1;
        self.expect(b':')?;
        Some(&rest[..length])
    }

    /// Consumes a literal such as `true` if it is next.
    pub(crate) fn literal(&mut self, word: &[u8]) -> bool {
        self.skip_whitespace();
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    /// A number in JSON's grammar; `None` for anything else, for numbers serde_json would not
    /// give as these values (`-0` as an integer, integers of more than 18 digits) and for values
    /// out of `f64`'s range (serde_json refuses them).
    pub(crate) fn number(&mut self) -> Option<Number> {
        self.skip_whitespace();
        let bytes = self.bytes;
        let start = self.pos;
        let mut pos = start;
        let negative = bytes.get(pos) == Some(&b'-');
        if negative {
            pos += 1;
        }
        let mut mantissa = 0_u64;
        let mut digits = 0_u32;
        // Integer part: `0` or a non-zero digit and more digits.
        match bytes.get(pos) {
            Some(b'0') => {
                pos += 1;
                if bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                    return None;
                }
            }
            Some(b'1'..=b'9') => {
                let count = digit_run(bytes, &mut pos, &mut mantissa);
                digits += count;
            }
            _ => return None,
        }
        let mut exponent = 0_i64;
        let mut is_integer = true;
        if bytes.get(pos) == Some(&b'.') {
            is_integer = false;
            pos += 1;
            let leading_zeros = if mantissa == 0 {
                // Leading zeros of the whole number add no significant digit.
                bytes[pos..]
                    .iter()
                    .take_while(|&&byte| byte == b'0')
                    .count() as u32
            } else {
                0
            };
            let count = digit_run(bytes, &mut pos, &mut mantissa);
            if count == 0 {
                return None;
            }
            digits += count - leading_zeros.min(count);
            exponent -= i64::from(count);
        }
        if matches!(bytes.get(pos), Some(b'e' | b'E')) {
            is_integer = false;
            pos += 1;
            let exponent_negative = match bytes.get(pos) {
                Some(b'-') => {
                    pos += 1;
                    true
                }
                Some(b'+') => {
                    pos += 1;
                    false
                }
                _ => false,
            };
            let exponent_start = pos;
            let mut written = 0_i64;
            while let Some(&byte) = bytes.get(pos)
                && byte.is_ascii_digit()
            {
                written = (written * 10 + i64::from(byte - b'0')).min(1 << 20);
                pos += 1;
            }
            if pos == exponent_start {
                return None;
            }
            exponent += if exponent_negative { -written } else { written };
        }
        self.pos = pos;
        if is_integer {
            if digits > 18 || (negative && mantissa == 0) {
                return None;
            }
            let value = i64::try_from(mantissa).ok()?;
            return Some(Number::Integer(if negative { -value } else { value }));
        }
        let value = if digits <= 19 && mantissa < EXACT_MANTISSA && exponent.abs() <= 22 {
            let exact = mantissa as f64;
            let power = EXACT_POWERS[exponent.unsigned_abs() as usize];
            if exponent < 0 {
                exact / power
            } else {
                exact * power
            }
        } else {
            let text = std::str::from_utf8(&bytes[start..pos]).ok()?;
            let parsed: f64 = text.parse().ok()?;
            if !parsed.is_finite() {
                return None;
            }
            return Some(Number::Float(parsed));
        };
        Some(Number::Float(if negative { -value } else { value }))
    }

    /// An `f64` field, as serde_json reads it from any number.
    pub(crate) fn f64(&mut self) -> Option<f64> {
        self.number().map(Number::as_f64)
    }

    /// An integer field: an integer token only (serde_json's other forms take the slow path).
    pub(crate) fn integer(&mut self) -> Option<i64> {
        match self.number()? {
            Number::Integer(value) => Some(value),
            Number::Float(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(text: &str) -> Option<Number> {
        let mut cursor = Cursor::new(text.as_bytes());
        let number = cursor.number()?;
        cursor.at_end().then_some(number)
    }

    /// What serde_json (with `float_roundtrip`) reads for an `f64` field.
    fn serde_f64(text: &str) -> Option<f64> {
        serde_json::from_str::<f64>(text).ok()
    }

    #[test]
    fn reads_json_numbers_exactly() {
        for (text, value) in [
            ("0", 0.0),
            ("570.52", 570.52),
            ("-12.5", -12.5),
            ("1e3", 1000.0),
            ("2.5E-3", 0.0025),
            ("0.000001", 1e-6),
            ("-0.0", -0.0),
            ("123456789012345678", 123_456_789_012_345_678.0),
            ("0.1234567890123456789012", 0.123_456_789_012_345_68),
            ("1.7976931348623157e308", f64::MAX),
            ("5e-324", 5e-324),
        ] {
            let read = read(text).map(Number::as_f64);
            assert_eq!(read.map(f64::to_bits), Some(value.to_bits()), "{text}");
            assert_eq!(
                serde_f64(text).map(f64::to_bits),
                Some(value.to_bits()),
                "{text}"
            );
        }
    }

    #[test]
    fn gives_up_where_json_or_serde_json_differ() {
        for text in [
            "",
            "-",
            "01",
            "1.",
            ".5",
            "1e",
            "1e+",
            "+1",
            "-0",
            "1e400",
            "NaN",
            "0x10",
            "1234567890123456789",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
    }

    proptest! {
        /// Any decimal the cursor accepts has serde_json's value, bit for bit.
        #[test]
        fn agrees_with_serde_json(
            negative: bool,
            integer in 0_u64..100_000_000_000,
            fraction in proptest::option::of("[0-9]{1,22}"),
            exponent in proptest::option::of(-330_i32..330),
        ) {
            let mut text = String::new();
            if negative {
                text.push('-');
            }
            text.push_str(&integer.to_string());
            if let Some(fraction) = &fraction {
                text.push('.');
                text.push_str(fraction);
            }
            if let Some(exponent) = exponent {
                text.push('e');
                text.push_str(&exponent.to_string());
            }
            if let Some(number) = read(&text) {
                let expected = serde_f64(&text);
                prop_assert_eq!(Some(number.as_f64().to_bits()), expected.map(f64::to_bits), "{}", text);
            }
        }

        /// Shortest representations of random doubles read back to themselves.
        #[test]
        fn round_trips_shortest_representations(bits: u64) {
            let value = f64::from_bits(bits);
            prop_assume!(value.is_finite());
            let text = serde_json::to_string(&value).unwrap_or_default();
            let read = read(&text).map(Number::as_f64);
            prop_assert_eq!(read.map(f64::to_bits), Some(value.to_bits()), "{}", text);
        }
    }
}
