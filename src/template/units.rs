//! Unit normalisation: one unit per quantity (the table is `docs/units.md`).
//!
//! Every NUM value the mappers keep is converted to the canonical unit of its quantity
//! (DAP in Gy·m², air kerma at the reference point in Gy, glandular and CT doses in mGy, time
//! in s, length in mm, angle in degrees, ...). A value in another known unit is converted and
//! the conversion is recorded as an info diagnostic with the raw unit, except where the unit
//! is the one the DICOM template defines for the item (`PROJECTION_DEFINED_UNITS`: exposure time and
//! pulse width in ms, entrance exposure at RP in mGy, compression contact area in mm²), which is converted silently; an
//! unknown unit keeps the number as if it were canonical, with a warning. Unit codes are UCUM (`Gy.m2`), including the
//! spellings vendors write (`Gym2`, `Gy*m2`, `dGy.cm2`, `uGy.m2`, `µGy.m2`, ...).

/// A physical quantity with its canonical unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Quantity {
    /// Dose area product, canonical Gy·m².
    DoseAreaProduct,
    /// Air kerma / dose, canonical Gy (Dose (RP), Dose (RP) Total).
    DoseGy,
    /// Dose in mGy (AGD, entrance exposure, CTDI).
    DoseMilliGy,
    /// Dose length product, canonical mGy·cm.
    DoseLengthProduct,
    /// Effective dose, canonical mSv.
    EffectiveDose,
    /// Time in seconds.
    Seconds,
    /// Length in millimetres.
    Millimetres,
    /// Area in m².
    SquareMetres,
    /// Plane angle in degrees.
    Degrees,
    /// Tube voltage in kV.
    Kilovolts,
    /// Tube current in mA.
    Milliamperes,
    /// Tube current–time product in µAs.
    MicroampereSeconds,
    /// Pulse rate in pulses per second.
    PerSecond,
    /// Force in newtons.
    Newtons,
    /// Pressure in kPa (mammography compression pressure).
    Kilopascals,
    /// A percentage.
    Percent,
    /// Activity in MBq.
    Activity,
    /// Volume in ml.
    Millilitres,
    /// Mass in kg.
    Kilograms,
    /// Specific activity in Bq/mol.
    SpecificActivity,
    /// Calendar age in years.
    Years,
    /// Body mass index in kg/m².
    BodyMassIndex,
    /// Glucose concentration in mmol/l.
    Glucose,
    /// Serum creatinine concentration in mg/dl.
    SerumCreatinine,
    /// Glomerular filtration rate in ml/min/1.73 m².
    GlomerularFiltrationRate,
    /// A dimensionless number (ratio, count, index); units are not checked.
    Dimensionless,
}

impl Quantity {
    /// The canonical UCUM unit.
    pub fn canonical(self) -> &'static str {
        match self {
            Quantity::DoseAreaProduct => "Gy.m2",
            Quantity::DoseGy => "Gy",
            Quantity::DoseMilliGy => "mGy",
            Quantity::DoseLengthProduct => "mGy.cm",
            Quantity::EffectiveDose => "mSv",
            Quantity::Seconds => "s",
            Quantity::Millimetres => "mm",
            Quantity::SquareMetres => "m2",
            Quantity::Degrees => "deg",
            Quantity::Kilovolts => "kV",
            Quantity::Milliamperes => "mA",
            Quantity::MicroampereSeconds => "uA.s",
            Quantity::PerSecond => "{pulse}/s",
            Quantity::Newtons => "N",
            Quantity::Kilopascals => "kPa",
            Quantity::Percent => "%",
            Quantity::Activity => "MBq",
            Quantity::Millilitres => "ml",
            Quantity::Kilograms => "kg",
            Quantity::SpecificActivity => "Bq/mol",
            Quantity::Years => "a",
            Quantity::BodyMassIndex => "kg/m2",
            Quantity::Glucose => "mmol/l",
            Quantity::SerumCreatinine => "mg/dl",
            Quantity::GlomerularFiltrationRate => "ml/min/{1.73_m2}",
            Quantity::Dimensionless => "1",
        }
    }
}

/// The result of normalising one value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Normalised {
    /// Already in the canonical unit.
    Canonical(f64),
    /// Converted from another known unit by `factor`.
    Converted {
        /// The value in the canonical unit.
        value: f64,
        /// The multiplication applied.
        factor: f64,
    },
    /// The unit is not known for this quantity; the value is kept as if canonical.
    UnknownUnit(f64),
}

impl Normalised {
    /// The value in the canonical unit (or as given for an unknown unit).
    pub fn value(self) -> f64 {
        match self {
            Normalised::Canonical(v) | Normalised::UnknownUnit(v) => v,
            Normalised::Converted { value, .. } => value,
        }
    }
}

/// Canonical spelling of a unit code: drops `*`, `·`, spaces and `^`, reads `µ` as `u`.
fn squash(unit: &str) -> String {
    unit.chars()
        .filter(|c| !matches!(c, '*' | '·' | ' ' | '^' | '.'))
        .map(|c| if c == 'µ' || c == 'μ' { 'u' } else { c })
        .collect()
}

/// [`squash`] into a buffer on the stack (no allocation per value); `None` when the result
/// does not fit.
fn squash_into<'b>(unit: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    let mut n = 0;
    for c in unit.chars() {
        if matches!(c, '*' | '·' | ' ' | '^' | '.') {
            continue;
        }
        let c = if c == 'µ' || c == 'μ' { 'u' } else { c };
        let dst = buf.get_mut(n..)?;
        if dst.len() < c.len_utf8() {
            return None;
        }
        n += c.encode_utf8(dst).len();
    }
    std::str::from_utf8(buf.get(..n)?).ok()
}

/// Factors to the canonical unit, keyed by squashed unit codes.
fn factor(quantity: Quantity, unit: &str) -> Option<f64> {
    let mut buf = [0u8; 32];
    let owned;
    let u = match squash_into(unit, &mut buf) {
        Some(u) => u,
        None => {
            owned = squash(unit);
            owned.as_str()
        }
    };
    Some(match quantity {
        Quantity::DoseAreaProduct => match u {
            "Gym2" => 1.0,
            "dGycm2" => 1e-5,
            "cGycm2" => 1e-6,
            "mGycm2" => 1e-7,
            "uGycm2" => 1e-10,
            "Gycm2" => 1e-4,
            "mGym2" => 1e-3,
            "uGym2" => 1e-6,
            "mGydm2" => 1e-5,
            "dGym2" => 0.1,
            "cGym2" => 0.01,
            _ => return None,
        },
        Quantity::DoseGy => match u {
            "Gy" => 1.0,
            "dGy" => 0.1,
            "cGy" => 0.01,
            "mGy" => 1e-3,
            "uGy" => 1e-6,
            _ => return None,
        },
        Quantity::DoseMilliGy => match u {
            "mGy" => 1.0,
            "Gy" => 1e3,
            "dGy" => 100.0,
            "cGy" => 10.0,
            "uGy" => 1e-3,
            _ => return None,
        },
        Quantity::DoseLengthProduct => match u {
            "mGycm" => 1.0,
            "mGymm" => 0.1,
            "Gycm" => 1e3,
            "mGym" => 100.0,
            _ => return None,
        },
        Quantity::EffectiveDose => match u {
            "mSv" => 1.0,
            "Sv" => 1e3,
            "uSv" => 1e-3,
            _ => return None,
        },
        Quantity::Seconds => match u {
            "s" => 1.0,
            "ms" => 1e-3,
            "us" => 1e-6,
            "min" => 60.0,
            "h" => 3600.0,
            _ => return None,
        },
        Quantity::Millimetres => match u {
            "mm" => 1.0,
            "cm" => 10.0,
            "m" => 1e3,
            "um" => 1e-3,
            _ => return None,
        },
        Quantity::SquareMetres => match u {
            "m2" => 1.0,
            "cm2" => 1e-4,
            "mm2" => 1e-6,
            _ => return None,
        },
        Quantity::Degrees => match u {
            "deg" | "{deg}" | "degrees" => 1.0,
            "rad" => 180.0 / std::f64::consts::PI,
            _ => return None,
        },
        Quantity::Kilovolts => match u {
            "kV" => 1.0,
            "V" => 1e-3,
            _ => return None,
        },
        Quantity::Milliamperes => match u {
            "mA" => 1.0,
            "A" => 1e3,
            "uA" => 1e-3,
            _ => return None,
        },
        Quantity::MicroampereSeconds => match u {
            "uAs" => 1.0,
            "mAs" => 1e3,
            "As" => 1e6,
            _ => return None,
        },
        Quantity::PerSecond => match u {
            "{pulse}/s" | "/s" | "1/s" | "{pulses}/s" | "Hz" | "{frame}/s" | "pulse/s"
            | "pulses/s" | "{pulse}/sec" => 1.0,
            _ => return None,
        },
        Quantity::Newtons => match u {
            "N" => 1.0,
            "daN" => 10.0,
            "kN" => 1e3,
            _ => return None,
        },
        Quantity::Kilopascals => match u {
            "kPa" => 1.0,
            "Pa" => 1e-3,
            "hPa" => 0.1,
            "MPa" => 1e3,
            "N/cm2" => 10.0,
            _ => return None,
        },
        Quantity::Percent => match u {
            "%" => 1.0,
            "1" | "{ratio}" => 100.0,
            _ => return None,
        },
        Quantity::Activity => match u {
            "MBq" => 1.0,
            "Bq" => 1e-6,
            "kBq" => 1e-3,
            "GBq" => 1e3,
            "TBq" => 1e6,
            // 1 Ci = 3.7e10 Bq.
            "mCi" => 37.0,
            "uCi" => 0.037,
            "Ci" => 37e3,
            _ => return None,
        },
        Quantity::Millilitres => match u {
            "ml" | "mL" | "cm3" => 1.0,
            "l" | "L" | "dm3" => 1e3,
            "ul" | "uL" | "mm3" => 1e-3,
            _ => return None,
        },
        Quantity::Kilograms => match u {
            "kg" => 1.0,
            "g" => 1e-3,
            "mg" => 1e-6,
            _ => return None,
        },
        Quantity::SpecificActivity => match u {
            "Bq/mol" => 1.0,
            "MBq/mol" => 1e6,
            "GBq/mol" => 1e9,
            "MBq/mmol" => 1e9,
            "GBq/mmol" => 1e12,
            "MBq/umol" => 1e12,
            "GBq/umol" => 1e15,
            _ => return None,
        },
        Quantity::Years => match u {
            "a" | "yr" | "{yr}" | "year" | "years" => 1.0,
            "mo" => 1.0 / 12.0,
            "wk" => 7.0 / 365.25,
            "d" => 1.0 / 365.25,
            _ => return None,
        },
        Quantity::BodyMassIndex => match u {
            "kg/m2" => 1.0,
            _ => return None,
        },
        Quantity::Glucose => match u {
            "mmol/l" | "mmol/L" => 1.0,
            "umol/l" | "umol/L" => 1e-3,
            _ => return None,
        },
        Quantity::SerumCreatinine => match u {
            "mg/dl" | "mg/dL" => 1.0,
            "mg/l" | "mg/L" => 0.1,
            _ => return None,
        },
        Quantity::GlomerularFiltrationRate => match u {
            "ml/min/{173_m2}" | "mL/min/{173_m2}" | "ml/min/173m2" | "mL/min/173m2"
            | "ml/min/{173m2}" | "mL/min/{173m2}" => 1.0,
            _ => return None,
        },
        Quantity::Dimensionless => 1.0,
    })
}

/// TID 10001 items whose unit in the DICOM templates is not the canonical unit of their
/// quantity: the value is converted to the canonical unit without a diagnostic when the file
/// gives this unit. (In TID 10013 Exposure Time is in s: another unit there is noted.)
pub(crate) const PROJECTION_DEFINED_UNITS: &[(&crate::sr::CodeConst, &str)] = &[
    // TID 10003b: Exposure Time and Pulse Width in ms (canonical: s).
    (&crate::sr::codes::EXPOSURE_TIME, "ms"),
    (&crate::sr::codes::EXPOSURE_TIME_LEGACY, "ms"),
    (&crate::sr::codes::PULSE_WIDTH, "ms"),
    // TID 10003: Entrance Exposure at RP in mGy (canonical for air kerma at the reference
    // point: Gy).
    (&crate::sr::codes::ENTRANCE_EXPOSURE_AT_RP, "mGy"),
    // TID 10003c: Compression Contact Area in mm2 (canonical for area: m2).
    (&crate::sr::codes::COMPRESSION_CONTACT_AREA, "mm2"),
];

/// Whether two unit codes are spellings of the same unit.
pub(crate) fn same_unit(a: &str, b: &str) -> bool {
    squash(a) == squash(b)
}

/// `value * factor`. A power-of-ten factor shifts the decimal exponent of the value's
/// shortest decimal form and parses it back (`10.2` ms is `10.2e-3` s, the double nearest
/// 0.0102), so a decimal value converts without binary noise (not 0.010199999999999999).
fn scale(value: f64, factor: f64) -> f64 {
    let exponent = factor.log10().round();
    if factor > 0.0 && 10f64.powi(exponent as i32) == factor {
        if let Ok(v) = format!("{value}e{exponent}").parse::<f64>() {
            return v;
        }
    }
    value * factor
}

/// Normalises `value` given in `unit` (a UCUM code value; `None` when the file has no unit).
pub fn normalise(quantity: Quantity, value: f64, unit: Option<&str>) -> Normalised {
    let Some(unit) = unit else {
        return Normalised::Canonical(value);
    };
    match factor(quantity, unit) {
        Some(1.0) => Normalised::Canonical(value),
        Some(f) => Normalised::Converted {
            value: crate::model::round15(scale(value, f)),
            factor: f,
        },
        None => Normalised::UnknownUnit(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openrem_704_dgy_cm2_is_1e_minus_5_gy_m2() {
        let n = normalise(Quantity::DoseAreaProduct, 1.034, Some("dGy.cm2"));
        assert!((n.value() - 1.034e-5).abs() < 1e-18, "{n:?}");
        assert!(matches!(n, Normalised::Converted { .. }));
    }

    #[test]
    fn gym2_spellings_and_missing_unit_are_canonical() {
        for u in ["Gy.m2", "Gym2", "Gy*m2", "Gy·m²".replace('²', "2").as_str()] {
            assert_eq!(
                normalise(Quantity::DoseAreaProduct, 2.5, Some(u)),
                Normalised::Canonical(2.5),
                "{u}"
            );
        }
        assert_eq!(
            normalise(Quantity::DoseAreaProduct, 2.5, None),
            Normalised::Canonical(2.5)
        );
    }

    #[test]
    fn other_dap_units_convert() {
        let v = |u| normalise(Quantity::DoseAreaProduct, 1.0, Some(u)).value();
        assert_eq!(v("cGy.cm2"), 1e-6);
        assert_eq!(v("mGy.cm2"), 1e-7);
        assert_eq!(v("uGy.m2"), 1e-6);
        assert_eq!(v("µGy.m2"), 1e-6);
        assert_eq!(v("Gy.cm2"), 1e-4);
    }

    #[test]
    fn times_lengths_and_unknowns() {
        assert_eq!(normalise(Quantity::Seconds, 500.0, Some("ms")).value(), 0.5);
        // Decimal milliseconds convert without binary noise.
        assert_eq!(
            normalise(Quantity::Seconds, 4.5, Some("ms")).value(),
            0.0045
        );
        assert_eq!(
            normalise(Quantity::Seconds, 10.2, Some("ms")).value(),
            0.0102
        );
        assert_eq!(
            normalise(Quantity::DoseGy, 3.65, Some("mGy")).value(),
            0.00365
        );
        assert_eq!(
            normalise(Quantity::Millimetres, 9.5, Some("cm")).value(),
            95.0
        );
        assert!(matches!(
            normalise(Quantity::Kilovolts, 80.0, Some("furlong")),
            Normalised::UnknownUnit(80.0)
        ));
    }
}
