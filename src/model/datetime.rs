//! DICOM dates, times and date-times with their precision and time-zone offset kept.
//!
//! DICOM allows reduced precision (`HHMM`, `YYYYMMDDHH`, ...) and a UTC offset on DT values
//! (`&ZZXX`). Both are kept: a value serialises as reduced-precision ISO 8601 with exactly the
//! digits the file gave (`2019-03-08T11:30`, `10:06:47.812`, `2016-08-18T19:26:17.043+01:00`),
//! and parses back to an equal value.
//!
//! # Offsets and naive values
//!
//! A DT value without its own offset is in the time zone the report's Timezone Offset From
//! UTC (0008,0201) gives (PS3.5 6.2, DT), and the mappers give it that offset. A value with
//! neither is *naive*: a local time of the device whose offset is unknown
//! ([`DateTime::is_naive`]). Naive values stay naive: nothing here guesses a time zone.
//! [`Time`] values (TM) are always naive.

use std::fmt;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much of a date-time or time the file gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Precision {
    /// Year only.
    Year,
    /// Year and month.
    Month,
    /// A whole date.
    Day,
    /// Hours.
    Hour,
    /// Hours and minutes.
    Minute,
    /// Whole seconds.
    Second,
    /// Fractional seconds with this many digits (1 to 6).
    Fraction(u8),
}

/// A DICOM TM value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Time {
    /// The time of day (missing fields are zero).
    pub time: NaiveTime,
    /// What the file gave (`Hour` to `Fraction`).
    pub precision: Precision,
}

/// A DICOM DT value (or a DA + TM pair).
///
/// # Ordering
///
/// `DateTime` is totally ordered, consistently with `==`, by these keys in turn:
///
/// 1. the instant: the UTC instant when the value has an offset; for a naive value (offset
///    unknown) its local time read as if it were UTC. So two values with offsets compare by
///    the moment they denote, two naive values by their local time, and a naive value sorts
///    among offset values by its local clock reading (its true instant is unknown; reading
///    it as UTC keeps the order transitive);
/// 2. the local date and time (the same instant written in another time zone);
/// 3. the offset, naive first, then by offset east of UTC;
/// 4. the precision, coarser first.
///
/// Equal values are equal in every field, so sorting is deterministic whatever the input
/// order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DateTime {
    /// The local date and time (missing fields are the first month/day, zero time).
    pub local: NaiveDateTime,
    /// The UTC offset: the value's own, else the report's Timezone Offset From UTC
    /// (0008,0201); `None` for a naive value (offset unknown).
    pub offset: Option<FixedOffset>,
    /// What the file gave.
    pub precision: Precision,
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn num(s: &str, range: std::ops::Range<usize>) -> Option<u32> {
    s.get(range)?.parse().ok()
}

/// Parses a DA value: `YYYYMMDD` (or the old `YYYY.MM.DD`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let compact: String;
    let s = if s.len() == 10 && s.as_bytes().get(4) == Some(&b'.') {
        compact = s.replace('.', "");
        compact.as_str()
    } else {
        s
    };
    if s.len() != 8 || !digits(s) {
        return None;
    }
    NaiveDate::from_ymd_opt(num(s, 0..4)? as i32, num(s, 4..6)?, num(s, 6..8)?)
}

/// Parses a TM value: `HH`, `HHMM`, `HHMMSS`, `HHMMSS.F{1,6}` (also the old `HH:MM:SS`).
pub fn parse_time(s: &str) -> Option<Time> {
    let s = s.trim();
    let compact: String;
    let s = if s.contains(':') {
        compact = s.replace(':', "");
        compact.as_str()
    } else {
        s
    };
    let (main, frac) = match s.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (s, None),
    };
    if !digits(main) || !matches!(main.len(), 2 | 4 | 6) {
        return None;
    }
    let h = num(main, 0..2)?;
    let m = if main.len() >= 4 { num(main, 2..4)? } else { 0 };
    // A leap second (60) is legal in DICOM; chrono has no such time, so clamp to 59.
    let sec = if main.len() == 6 {
        num(main, 4..6)?.min(59)
    } else {
        0
    };
    let (nanos, precision) = match frac {
        Some(f) if (1..=6).contains(&f.len()) && digits(f) => {
            let micros: u32 = f.parse().ok()?;
            let scale = 10u32.pow(6 - f.len() as u32);
            (micros * scale * 1000, Precision::Fraction(f.len() as u8))
        }
        Some(_) => return None,
        None => (
            0,
            match main.len() {
                2 => Precision::Hour,
                4 => Precision::Minute,
                _ => Precision::Second,
            },
        ),
    };
    if frac.is_some() && main.len() != 6 {
        return None;
    }
    Some(Time {
        time: NaiveTime::from_hms_nano_opt(h, m, sec, nanos)?,
        precision,
    })
}

/// Parses a Timezone Offset From UTC (0008,0201) value: `&ZZXX` with `&` `+` or `-`, `ZZ`
/// hours and `XX` minutes, from -12:00 to +14:00 (PS3.3 C.12.1.1.8). `None` for anything
/// else (`UTC-04:00`, `-4`, `+2500`).
pub fn parse_utc_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim_matches([' ', '\0']);
    let offset = parse_offset(s)?;
    let secs = offset.local_minus_utc();
    let minutes = s.get(3..5).and_then(|m| m.parse::<u32>().ok())?;
    ((-12 * 3600..=14 * 3600).contains(&secs) && minutes < 60).then_some(offset)
}

fn parse_offset(s: &str) -> Option<FixedOffset> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = s.get(1..)?;
    if rest.len() != 4 || !digits(rest) {
        return None;
    }
    let secs = (num(rest, 0..2)? * 3600 + num(rest, 2..4)? * 60) as i32;
    FixedOffset::east_opt(sign * secs)
}

/// Parses a DT value: `YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX]`.
pub fn parse_datetime(s: &str) -> Option<DateTime> {
    let s = s.trim();
    let (main, offset) = match s.find(['+', '-']) {
        Some(i) => (s.get(..i)?, Some(parse_offset(s.get(i..)?)?)),
        None => (s, None),
    };
    let (whole, frac) = match main.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (main, None),
    };
    if !digits(whole) || !matches!(whole.len(), 4 | 6 | 8 | 10 | 12 | 14) {
        return None;
    }
    let y = num(whole, 0..4)? as i32;
    let mo = if whole.len() >= 6 {
        num(whole, 4..6)?
    } else {
        1
    };
    let d = if whole.len() >= 8 {
        num(whole, 6..8)?
    } else {
        1
    };
    let date = NaiveDate::from_ymd_opt(y, mo, d)?;
    let (time, precision) = if whole.len() > 8 {
        let t = parse_time(&format!(
            "{}{}",
            whole.get(8..)?,
            frac.map(|f| format!(".{f}")).unwrap_or_default()
        ))?;
        (t.time, t.precision)
    } else {
        if frac.is_some() {
            return None;
        }
        (
            NaiveTime::MIN,
            match whole.len() {
                4 => Precision::Year,
                6 => Precision::Month,
                _ => Precision::Day,
            },
        )
    };
    Some(DateTime {
        local: date.and_time(time),
        offset,
        precision,
    })
}

impl DateTime {
    /// Whether the value is naive: no offset of its own and none from the report, so its
    /// instant is unknown.
    pub fn is_naive(&self) -> bool {
        self.offset.is_none()
    }

    /// The local date and time as the file gave it (missing fields are the first month/day,
    /// zero time), without any offset.
    pub fn naive_local(&self) -> NaiveDateTime {
        self.local
    }

    /// The value as a `chrono` date-time with its offset; `None` for a naive value (its
    /// instant is unknown).
    pub fn to_fixed_offset(&self) -> Option<chrono::DateTime<FixedOffset>> {
        let offset = self.offset?;
        self.local.and_local_timezone(offset).single()
    }

    /// The UTC instant; `None` for a naive value.
    pub fn to_utc(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.to_fixed_offset().map(|d| d.to_utc())
    }

    /// The key of the first ordering rule: the UTC instant, or a naive value's local time
    /// read as UTC.
    fn instant_key(&self) -> NaiveDateTime {
        match self.offset {
            Some(o) => self
                .local
                .checked_sub_signed(chrono::TimeDelta::seconds(i64::from(o.local_minus_utc())))
                .unwrap_or(self.local),
            None => self.local,
        }
    }

    /// Combines a DA and a TM value (no offset: DA/TM pairs take the SOP's Timezone Offset
    /// From UTC, which the caller may apply).
    pub fn from_date_time(date: NaiveDate, time: Option<Time>) -> DateTime {
        match time {
            Some(t) => DateTime {
                local: date.and_time(t.time),
                offset: None,
                precision: t.precision,
            },
            None => DateTime {
                local: date.and_time(NaiveTime::MIN),
                offset: None,
                precision: Precision::Day,
            },
        }
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant_key()
            .cmp(&other.instant_key())
            .then_with(|| self.local.cmp(&other.local))
            .then_with(|| {
                let east = |d: &DateTime| d.offset.map(|o| o.local_minus_utc());
                east(self).cmp(&east(other))
            })
            .then_with(|| self.precision.cmp(&other.precision))
    }
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The local date and time, dropping any offset (see [`DateTime::naive_local`]).
impl From<DateTime> for NaiveDateTime {
    fn from(d: DateTime) -> NaiveDateTime {
        d.local
    }
}

/// A naive [`DateTime`] has no `chrono::DateTime<FixedOffset>`: its offset is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NaiveDateTimeError;

impl fmt::Display for NaiveDateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the date-time is naive: its UTC offset is unknown")
    }
}

impl std::error::Error for NaiveDateTimeError {}

/// The date-time with its offset (see [`DateTime::to_fixed_offset`]); an error for a naive
/// value.
impl TryFrom<DateTime> for chrono::DateTime<FixedOffset> {
    type Error = NaiveDateTimeError;

    fn try_from(d: DateTime) -> Result<Self, Self::Error> {
        d.to_fixed_offset().ok_or(NaiveDateTimeError)
    }
}

/// Serde for a UTC offset as `"+HH:MM"` / `"-HH:MM"` (`null` when absent).
pub(crate) mod offset_serde {
    use chrono::FixedOffset;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(o: &Option<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        match o {
            Some(o) => s.collect_str(&super::OffsetText(*o)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FixedOffset>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else {
            return Ok(None);
        };
        super::parse_offset(&text.replace(':', ""))
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid UTC offset {text:?}")))
    }
}

/// A UTC offset written `+HH:MM`.
struct OffsetText(FixedOffset);

impl fmt::Display for OffsetText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.local_minus_utc();
        let sign = if secs < 0 { '-' } else { '+' };
        let secs = secs.abs();
        write!(f, "{sign}{:02}:{:02}", secs / 3600, secs / 60 % 60)
    }
}

fn write_time(f: &mut fmt::Formatter<'_>, t: NaiveTime, p: Precision) -> fmt::Result {
    write!(f, "{:02}", t.hour())?;
    if p >= Precision::Minute {
        write!(f, ":{:02}", t.minute())?;
    }
    if p >= Precision::Second {
        write!(f, ":{:02}", t.second())?;
    }
    if let Precision::Fraction(n) = p {
        let micros = t.nanosecond() / 1000;
        let digits = format!("{micros:06}");
        write!(f, ".{}", digits.get(..n.min(6) as usize).unwrap_or(""))?;
    }
    Ok(())
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_time(f, self.time, self.precision)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.local.date();
        write!(f, "{:04}", d.year())?;
        if self.precision >= Precision::Month {
            write!(f, "-{:02}", d.month())?;
        }
        if self.precision >= Precision::Day {
            write!(f, "-{:02}", d.day())?;
        }
        if self.precision >= Precision::Hour {
            f.write_str("T")?;
            write_time(f, self.local.time(), self.precision)?;
        }
        if let Some(o) = self.offset {
            write!(f, "{}", OffsetText(o))?;
        }
        Ok(())
    }
}

/// Parses the ISO 8601 form written by `Display` back.
fn parse_iso_datetime(s: &str) -> Option<DateTime> {
    // Offsets are written as the last six characters, +HH:MM or -HH:MM, after the time or
    // the date, which may be a bare year or month (`2019+01:00`, `2019-03-01:00`). Nothing else
    // `Display` writes ends in a sign, two digits and a colon, so the offset is taken from
    // the end.
    let tail = s
        .len()
        .checked_sub(6)
        .and_then(|at| Some((s.get(..at)?, s.get(at..)?)))
        .filter(|(_, o)| o.starts_with(['+', '-']) && o.as_bytes().get(3) == Some(&b':'));
    let (main, offset) = match tail {
        Some((main, o)) => (main, Some(parse_offset(&o.replace(':', ""))?)),
        None => (s, None),
    };
    let compact: String = main
        .chars()
        .filter(|c| !matches!(c, '-' | ':' | 'T'))
        .collect();
    let mut dt = parse_datetime(&compact)?;
    dt.offset = offset;
    Some(dt)
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_time(&s).ok_or_else(|| serde::de::Error::custom(format!("invalid time {s:?}")))
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_iso_datetime(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid date-time {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_examples() {
        assert_eq!(
            parse_datetime("20060823114014")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2006-08-23T11:40:14")
        );
        assert_eq!(
            parse_datetime("19970101000631.737")
                .map(|d| d.to_string())
                .as_deref(),
            Some("1997-01-01T00:06:31.737")
        );
        assert_eq!(
            parse_time("100647.812000")
                .map(|t| t.to_string())
                .as_deref(),
            Some("10:06:47.812000")
        );
        assert_eq!(
            parse_time("100647.812000").map(|t| t.time),
            NaiveTime::from_hms_milli_opt(10, 6, 47, 812)
        );
    }

    #[test]
    fn b20_reduced_precision_is_read_correctly() {
        // OpenREM reads HHMM as HH:00:MM and YYYYMMDDHHMM as HH:0M:M0-style shifts; not here.
        let t = parse_time("1006").unwrap();
        assert_eq!(t.time, NaiveTime::from_hms_opt(10, 6, 0).unwrap());
        assert_eq!(t.to_string(), "10:06");
        let dt = parse_datetime("201903081130").unwrap();
        assert_eq!(dt.to_string(), "2019-03-08T11:30");
        assert_eq!(parse_time("10").unwrap().to_string(), "10");
        assert_eq!(parse_datetime("2019").unwrap().to_string(), "2019");
        assert_eq!(parse_datetime("201903").unwrap().to_string(), "2019-03");
    }

    #[test]
    fn b20_offsets_are_kept() {
        let dt = parse_datetime("20160818192617.043+0100").unwrap();
        assert_eq!(dt.offset, FixedOffset::east_opt(3600));
        assert_eq!(dt.to_string(), "2016-08-18T19:26:17.043+01:00");
        let neg = parse_datetime("20160818-0530").unwrap();
        assert_eq!(neg.to_string(), "2016-08-18-05:30");
    }

    #[test]
    fn json_round_trip() {
        for s in [
            "20160818192617.043+0100",
            "2019",
            "20190308",
            "2019030811",
            "20190308113000.5",
            "20160818-0530",
            // Reduced precision with an offset (found by the parse_lenient fuzz target).
            "2024+0100",
            "202403-0100",
            "2024031509-0100",
        ] {
            let dt = parse_datetime(s).unwrap();
            let json = serde_json::to_string(&dt).unwrap();
            let back: DateTime = serde_json::from_str(&json).unwrap();
            assert_eq!(back, dt, "{s} -> {json}");
        }
        let t = parse_time("1006").unwrap();
        let back: Time = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn timezone_offset_from_utc_values() {
        assert_eq!(parse_utc_offset("+0100"), FixedOffset::east_opt(3600));
        assert_eq!(
            parse_utc_offset("-0530 "),
            FixedOffset::west_opt(5 * 3600 + 1800)
        );
        assert_eq!(parse_utc_offset("+1400"), FixedOffset::east_opt(14 * 3600));
        // The corpus's `UTC-04:00`, and other malformed values.
        for bad in [
            "UTC-04:00",
            "-04:00",
            "-4",
            "+2500",
            "+0160",
            "-1300",
            "",
            "0100",
        ] {
            assert_eq!(parse_utc_offset(bad), None, "{bad}");
        }
    }

    #[test]
    fn datetimes_order_by_instant_then_local_then_offset_then_precision() {
        let dt = |s: &str| parse_datetime(s).unwrap();
        // Both with offsets: the UTC instant decides (11:00+02 is 09:00 UTC).
        assert!(dt("20240315110000+0200") < dt("20240315100000+0000"));
        // Both naive: the local time.
        assert!(dt("20240315100000") < dt("20240315103000"));
        // Mixed: the naive value's local time read as UTC.
        assert!(dt("20240315100000") < dt("20240315103000+0000"));
        assert!(dt("20240315093000+0000") < dt("20240315100000"));
        // The same instant in two zones: the local time, then naive first.
        assert!(dt("20240315090000+0000") < dt("20240315100000+0100"));
        assert!(dt("20240315100000") < dt("20240315100000+0000"));
        // Then precision: coarser first.
        assert!(dt("2024031510") < dt("202403151000"));
        // Transitive where a per-pair rule would cycle (10:00Z < 10:30 naive < 11:00+02).
        let mut v = [
            dt("20240315110000+0200"),
            dt("20240315103000"),
            dt("20240315100000+0000"),
        ];
        v.sort();
        assert_eq!(
            v.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "2024-03-15T11:00:00+02:00",
                "2024-03-15T10:00:00+00:00",
                "2024-03-15T10:30:00"
            ]
        );
        assert_eq!(
            dt("20240315100000").cmp(&dt("20240315100000")),
            std::cmp::Ordering::Equal
        );
    }

    #[test]
    fn datetimes_convert_to_chrono() {
        let with = parse_datetime("20160818192617.043+0100").unwrap();
        let fixed: chrono::DateTime<FixedOffset> = with.try_into().unwrap();
        assert_eq!(fixed.to_rfc3339(), "2016-08-18T19:26:17.043+01:00");
        assert_eq!(
            with.to_utc().unwrap().to_rfc3339(),
            "2016-08-18T18:26:17.043+00:00"
        );
        assert!(!with.is_naive());
        let naive = parse_datetime("20160818192617").unwrap();
        assert!(naive.is_naive());
        assert_eq!(naive.to_fixed_offset(), None);
        assert_eq!(
            chrono::DateTime::<FixedOffset>::try_from(naive),
            Err(NaiveDateTimeError)
        );
        let local: NaiveDateTime = naive.into();
        assert_eq!(local.to_string(), "2016-08-18 19:26:17");
        assert_eq!(NaiveDateTime::from(with), with.naive_local());
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "2019030",
            "20191332",
            "25",
            "1060",
            "123456.1234567",
            "2019+99",
        ] {
            assert!(parse_datetime(s).is_none() || s.len() == 4, "{s}");
        }
        assert!(parse_time("2500").is_none());
        assert!(parse_date("20190230").is_none());
        assert_eq!(
            parse_date("2019.03.08"),
            NaiveDate::from_ymd_opt(2019, 3, 8)
        );
    }
}
