//! DICOM dates, times and date-times with their precision and time-zone offset kept.
//!
//! DICOM allows reduced precision (`HHMM`, `YYYYMMDDHH`, ...) and a UTC offset on DT values
//! (`&ZZXX`). Both are kept: a value serialises as reduced-precision ISO 8601 with exactly the
//! digits the file gave (`2019-03-08T11:30`, `10:06:47.812`, `2016-08-18T19:26:17.043+01:00`),
//! and parses back to an equal value.

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DateTime {
    /// The local date and time (missing fields are the first month/day, zero time).
    pub local: NaiveDateTime,
    /// The UTC offset, when the value carried one.
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
            let secs = o.local_minus_utc();
            let sign = if secs < 0 { '-' } else { '+' };
            let secs = secs.abs();
            write!(f, "{sign}{:02}:{:02}", secs / 3600, secs / 60 % 60)?;
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
