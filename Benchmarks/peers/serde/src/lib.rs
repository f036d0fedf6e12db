//! The serde_json peer of eventc-bench's codec group: the benchmark's PaymentCompleted as a
//! `#[derive(Serialize, Deserialize)]` struct, as a Rust team would write it, doing the work our
//! generated codec does: the UUID to 16 bytes (the uuid crate's own serde support), the timestamp
//! to nanoseconds and back as RFC 3339 (the same algorithm as ours), the decimal kept as its exact
//! text after checking it is a JSON number, defaults for fields older writers leave out, unknown
//! keys skipped, unknown enum symbols read as the default.
//!
//! What serde_json validates here: the whole input against JSON's grammar (skipped values too),
//! UTF-8 in strings, escapes, nothing after the value (`from_slice`), nesting up to 128.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::hint::black_box;
use uuid::Uuid;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentCompleted {
    order_id: String,
    payment_id: Uuid,
    total: Money,
    #[serde(with = "rfc3339")]
    captured_at: i64,
    #[serde(default)]
    method: Method,
    #[serde(default)]
    note: Option<String>,
    #[serde(default = "one")]
    installments: i32,
}

#[derive(Serialize, Deserialize)]
struct Money {
    #[serde(with = "exact_decimal")]
    amount: String,
    #[serde(default = "krw")]
    currency: String,
}

#[derive(Serialize, Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Method {
    Transfer,
    Points,
    Wallet,
    /// Also what a symbol this code does not know reads as.
    #[default]
    #[serde(other)]
    Card,
}

fn one() -> i32 {
    1
}

fn krw() -> String {
    "KRW".to_owned()
}

/// A string's text handed to `parse`, whether serde_json could borrow it or had to unescape it.
struct TextVisitor<T>(fn(&str) -> Option<T>, &'static str);

impl<'de, T> Visitor<'de> for TextVisitor<T> {
    type Value = T;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.1)
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        (self.0)(text).ok_or_else(|| E::custom(self.1))
    }
}

mod exact_decimal {
    use super::*;

    pub fn serialize<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(TextVisitor(|text| is_json_number(text.as_bytes()).then(|| text.to_owned()), "a decimal number"))
    }

    /// JSON's number grammar over the whole text.
    fn is_json_number(text: &[u8]) -> bool {
        let mut index = 0;
        let run = |index: &mut usize| {
            let start = *index;
            while *index < text.len() && text[*index].is_ascii_digit() {
                *index += 1;
            }
            *index - start
        };
        if index < text.len() && text[index] == b'-' {
            index += 1;
        }
        if index < text.len() && text[index] == b'0' {
            index += 1;
        } else if run(&mut index) == 0 {
            return false;
        }
        if index < text.len() && text[index] == b'.' {
            index += 1;
            if run(&mut index) == 0 {
                return false;
            }
        }
        if index < text.len() && (text[index] == b'e' || text[index] == b'E') {
            index += 1;
            if index < text.len() && (text[index] == b'+' || text[index] == b'-') {
                index += 1;
            }
            if run(&mut index) == 0 {
                return false;
            }
        }
        index == text.len()
    }
}

mod rfc3339 {
    use super::*;

    fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
        let year = if month <= 2 { year - 1 } else { year };
        let era = if year >= 0 { year } else { year - 399 } / 400;
        let yoe = year - era * 400;
        let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    fn civil_from_days(days: i64) -> (i64, i64, i64) {
        let z = days + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + if month <= 2 { 1 } else { 0 }, month, day)
    }

    fn digits(text: &[u8], start: usize, count: usize) -> Option<i64> {
        let mut value = 0;
        for &byte in text.get(start..start + count)? {
            if !byte.is_ascii_digit() {
                return None;
            }
            value = value * 10 + i64::from(byte - b'0');
        }
        Some(value)
    }

    /// RFC 3339 date-time to nanoseconds since 1970, the same checks as our decoder's.
    pub fn parse(text: &str) -> Option<i64> {
        let text = text.as_bytes();
        if text.len() < 20 || text[4] != b'-' || text[7] != b'-' || (text[10] != b'T' && text[10] != b't') || text[13] != b':'
            || text[16] != b':'
        {
            return None;
        }
        let (year, month, day) = (digits(text, 0, 4)?, digits(text, 5, 2)?, digits(text, 8, 2)?);
        let (hour, minute, second) = (digits(text, 11, 2)?, digits(text, 14, 2)?, digits(text, 17, 2)?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        if !(1..=12).contains(&month) || day < 1 || day > month_days[month as usize - 1] || hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let mut index = 19;
        let mut fraction = 0;
        if text[index] == b'.' {
            index += 1;
            let start = index;
            let mut scale = 100_000_000;
            while index < text.len() && text[index].is_ascii_digit() {
                fraction += i64::from(text[index] - b'0') * scale;
                scale /= 10;
                index += 1;
            }
            if index == start {
                return None;
            }
        }
        let offset = match *text.get(index)? {
            b'Z' | b'z' if index + 1 == text.len() => 0,
            sign @ (b'+' | b'-') if text.len() == index + 6 && text[index + 3] == b':' => {
                let (offset_hour, offset_minute) = (digits(text, index + 1, 2)?, digits(text, index + 4, 2)?);
                if offset_hour > 23 || offset_minute > 59 {
                    return None;
                }
                (offset_hour * 3600 + offset_minute * 60) * if sign == b'+' { 1 } else { -1 }
            }
            _ => return None,
        };
        let seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
        Some(seconds * 1_000_000_000 + fraction)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the fraction 3, 6 or 9 digits as exactness needs: ours.
    pub fn format(nanos: i64, out: &mut [u8; 32]) -> usize {
        fn two(value: i64, at: usize, out: &mut [u8; 32]) {
            out[at] = b'0' + (value / 10) as u8;
            out[at + 1] = b'0' + (value % 10) as u8;
        }
        let seconds = nanos.div_euclid(1_000_000_000);
        let fraction = nanos.rem_euclid(1_000_000_000);
        let second_of_day = seconds.rem_euclid(86400);
        let (year, month, day) = civil_from_days(seconds.div_euclid(86400));
        two(year / 100, 0, out);
        two(year % 100, 2, out);
        out[4] = b'-';
        two(month, 5, out);
        out[7] = b'-';
        two(day, 8, out);
        out[10] = b'T';
        two(second_of_day / 3600, 11, out);
        out[13] = b':';
        two(second_of_day / 60 % 60, 14, out);
        out[16] = b':';
        two(second_of_day % 60, 17, out);
        let mut length = 19;
        if fraction != 0 {
            let (mut digits, mut value) = (9, fraction);
            while digits > 3 && value % 1000 == 0 {
                value /= 1000;
                digits -= 3;
            }
            out[length] = b'.';
            for position in (0..digits).rev() {
                out[length + 1 + position] = b'0' + (value % 10) as u8;
                value /= 10;
            }
            length += 1 + digits;
        }
        out[length] = b'Z';
        length + 1
    }

    pub fn serialize<S: Serializer>(nanos: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buffer = [0u8; 32];
        let length = format(*nanos, &mut buffer);
        // ASCII by construction.
        serializer.serialize_str(std::str::from_utf8(&buffer[..length]).map_err(serde::ser::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_str(TextVisitor(parse, "an RFC 3339 timestamp"))
    }
}

fn slice<'a>(bytes: *const u8, length: usize) -> &'a [u8] {
    // SAFETY: the benchmark passes a live buffer of `length` bytes.
    unsafe { std::slice::from_raw_parts(bytes, length) }
}

fn checksum(event: &PaymentCompleted) -> i64 {
    i64::from(event.installments) + event.order_id.len() as i64 + i64::from(event.payment_id.as_bytes()[15])
        + (event.captured_at & 0xFF) + event.total.amount.len() as i64 + event.note.as_ref().map_or(0, |note| note.len() as i64)
        + event.method as i64
}

/// Decodes `json` `iterations` times; returns a checksum of what was read, or -1 when it does not decode.
#[no_mangle]
pub extern "C" fn peer_serde_decode(json: *const u8, length: usize, iterations: i64) -> i64 {
    let json = slice(json, length);
    let mut sum = 0;
    for _ in 0..iterations {
        match serde_json::from_slice::<PaymentCompleted>(black_box(json)) {
            Ok(event) => sum += checksum(&event),
            Err(_) => return -1,
        }
    }
    sum
}

/// What one decode read, as `orderId|paymentId hex|amount|currency|nanoseconds|method|note|installments`
/// (note `-` when null): the benchmark checks both sides read the same values. The text's length, or -1.
#[no_mangle]
pub extern "C" fn peer_serde_describe(json: *const u8, length: usize, out: *mut u8, capacity: usize) -> i64 {
    let event = match serde_json::from_slice::<PaymentCompleted>(slice(json, length)) {
        Ok(event) => event,
        Err(_) => return -1,
    };
    let method = match event.method {
        Method::Card => "card",
        Method::Transfer => "transfer",
        Method::Points => "points",
        Method::Wallet => "wallet",
    };
    let text = format!(
        "{}|{}|{}|{}|{}|{}|{}|{}",
        event.order_id,
        event.payment_id.simple(),
        event.total.amount,
        event.total.currency,
        event.captured_at,
        method,
        event.note.as_deref().unwrap_or("-"),
        event.installments
    );
    copy_out(text.as_bytes(), out, capacity)
}

fn copy_out(bytes: &[u8], out: *mut u8, capacity: usize) -> i64 {
    if bytes.len() > capacity {
        return -1;
    }
    // SAFETY: the benchmark passes a buffer of `capacity` bytes.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), out, bytes.len()) };
    bytes.len() as i64
}

/// The event decoded from `json`, for the encode loops (null when it does not decode).
#[no_mangle]
pub extern "C" fn peer_serde_event_new(json: *const u8, length: usize) -> *mut PaymentCompleted {
    match serde_json::from_slice::<PaymentCompleted>(slice(json, length)) {
        Ok(event) => Box::into_raw(Box::new(event)),
        Err(_) => std::ptr::null_mut(),
    }
}

#[no_mangle]
pub extern "C" fn peer_serde_event_free(event: *mut PaymentCompleted) {
    if !event.is_null() {
        // SAFETY: made by `peer_serde_event_new`, freed once.
        drop(unsafe { Box::from_raw(event) });
    }
}

fn event<'a>(event: *const PaymentCompleted) -> &'a PaymentCompleted {
    // SAFETY: made by `peer_serde_event_new` and alive for the call.
    unsafe { &*event }
}

/// Encodes `iterations` times with `serde_json::to_vec` (a new Vec each time); returns the bytes written.
#[no_mangle]
pub extern "C" fn peer_serde_encode(event_pointer: *const PaymentCompleted, iterations: i64) -> i64 {
    let event = event(event_pointer);
    let mut total = 0;
    for _ in 0..iterations {
        match serde_json::to_vec(black_box(event)) {
            Ok(bytes) => total += black_box(bytes).len() as i64,
            Err(_) => return -1,
        }
    }
    total
}

/// Encodes `iterations` times into one reused Vec (cleared each time); returns the bytes written.
#[no_mangle]
pub extern "C" fn peer_serde_encode_reused(event_pointer: *const PaymentCompleted, iterations: i64) -> i64 {
    let event = event(event_pointer);
    let mut buffer = Vec::with_capacity(256);
    let mut total = 0;
    for _ in 0..iterations {
        buffer.clear();
        if serde_json::to_writer(&mut buffer, black_box(event)).is_err() {
            return -1;
        }
        total += black_box(&buffer).len() as i64;
    }
    total
}

/// One encoding of the event, copied to `out`: the benchmark checks it is byte for byte ours.
#[no_mangle]
pub extern "C" fn peer_serde_encode_once(event_pointer: *const PaymentCompleted, out: *mut u8, capacity: usize) -> i64 {
    match serde_json::to_vec(event(event_pointer)) {
        Ok(bytes) => copy_out(&bytes, out, capacity),
        Err(_) => -1,
    }
}
