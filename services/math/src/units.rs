//! Units of measure for expressions: a quantity is a value in SI base units with a dimension
//! vector, and the unit it is shown in. Names follow math.js where it has them (`cm`, `inch`,
//! `mph`, `degC`, `KiB`), with SI prefixes on the units that take them and binary prefixes on
//! data units.

use std::fmt::Write as _;

/// Base dimensions, in this order: length, mass, time, temperature, current, amount, luminous
/// intensity, information (bits), angle.
pub const BASES: [&str; 9] = ["m", "kg", "s", "K", "A", "mol", "cd", "bit", "rad"];

/// Exponents of the base dimensions.
pub type Dim = [i8; 9];

/// No dimension: a plain number.
pub const NONE: Dim = [0; 9];

const L: usize = 0;
const M: usize = 1;
const T: usize = 2;
const K: usize = 3;
const I: usize = 4;
const N: usize = 5;
const J: usize = 6;
const B: usize = 7;
const A: usize = 8;

const fn d(pairs: &[(usize, i8)]) -> Dim {
    let mut out = NONE;
    let mut i = 0;
    while i < pairs.len() {
        out[pairs[i].0] = pairs[i].1;
        i += 1;
    }
    out
}

/// A unit: SI value = x · factor + offset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// Multiplier to SI base units.
    pub factor: f64,
    /// Added after scaling (temperatures in °C and °F only).
    pub offset: f64,
    /// Its dimension.
    pub dim: Dim,
}

/// Whether a unit takes SI prefixes (`k`, `m`, `M`, …), and binary ones (`Ki`, `Mi`, …).
#[derive(Clone, Copy, PartialEq)]
enum Prefixes {
    No,
    Si,
    SiAndBinary,
}

struct Def {
    names: &'static [&'static str],
    factor: f64,
    offset: f64,
    dim: Dim,
    prefixes: Prefixes,
}

const LEN: Dim = d(&[(L, 1)]);
const MASS: Dim = d(&[(M, 1)]);
const TIME: Dim = d(&[(T, 1)]);
const TEMP: Dim = d(&[(K, 1)]);
const AREA: Dim = d(&[(L, 2)]);
const VOL: Dim = d(&[(L, 3)]);
const SPEED: Dim = d(&[(L, 1), (T, -1)]);
const FORCE: Dim = d(&[(M, 1), (L, 1), (T, -2)]);
const ENERGY: Dim = d(&[(M, 1), (L, 2), (T, -2)]);
const POWER: Dim = d(&[(M, 1), (L, 2), (T, -3)]);
const PRESSURE: Dim = d(&[(M, 1), (L, -1), (T, -2)]);
const FREQ: Dim = d(&[(T, -1)]);
const CHARGE: Dim = d(&[(I, 1), (T, 1)]);
const VOLT: Dim = d(&[(M, 1), (L, 2), (T, -3), (I, -1)]);
const OHM: Dim = d(&[(M, 1), (L, 2), (T, -3), (I, -2)]);
const DATA: Dim = d(&[(B, 1)]);
const ANGLE: Dim = d(&[(A, 1)]);

macro_rules! defs {
    ($( [$($n:literal),+] $f:expr, $o:expr, $dim:expr, $p:ident; )*) => {
        &[$(Def { names: &[$($n),+], factor: $f, offset: $o, dim: $dim, prefixes: Prefixes::$p }),*]
    };
}

const INCH: f64 = 0.0254;
const FOOT: f64 = 0.3048;
const MILE: f64 = 1609.344;
const POUND: f64 = 0.453_592_37;
const GALLON: f64 = 3.785_411_784e-3;
const DAY: f64 = 86_400.0;
const PI: f64 = std::f64::consts::PI;

static DEFS: &[Def] = defs! {
    // Length.
    ["m", "meter", "meters", "metre", "metres"] 1.0, 0.0, LEN, Si;
    ["inch", "inches"] INCH, 0.0, LEN, No;
    ["ft", "foot", "feet"] FOOT, 0.0, LEN, No;
    ["yd", "yard", "yards"] 0.9144, 0.0, LEN, No;
    ["mi", "mile", "miles"] MILE, 0.0, LEN, No;
    ["nmi", "nauticalmile"] 1852.0, 0.0, LEN, No;
    ["au"] 149_597_870_700.0, 0.0, LEN, No;
    ["ly", "lightyear"] 9_460_730_472_580_800.0, 0.0, LEN, No;
    // Mass.
    ["g", "gram", "grams"] 1e-3, 0.0, MASS, Si;
    ["t", "tonne", "tonnes"] 1000.0, 0.0, MASS, No;
    ["lb", "lbs", "pound", "pounds"] POUND, 0.0, MASS, No;
    ["oz", "ounce", "ounces"] POUND / 16.0, 0.0, MASS, No;
    ["st", "stone"] POUND * 14.0, 0.0, MASS, No;
    ["ton", "shortton"] POUND * 2000.0, 0.0, MASS, No;
    // Time.
    ["s", "sec", "second", "seconds"] 1.0, 0.0, TIME, Si;
    ["min", "minute", "minutes"] 60.0, 0.0, TIME, No;
    ["h", "hr", "hour", "hours"] 3600.0, 0.0, TIME, No;
    ["day", "days"] DAY, 0.0, TIME, No;
    ["week", "weeks"] 7.0 * DAY, 0.0, TIME, No;
    ["month", "months"] 30.436_875 * DAY, 0.0, TIME, No;
    ["year", "years", "yr"] 365.25 * DAY, 0.0, TIME, No;
    // Temperature: kelvin, and the two scales with an offset.
    ["K", "kelvin"] 1.0, 0.0, TEMP, No;
    ["degC", "celsius", "°C"] 1.0, 273.15, TEMP, No;
    ["degF", "fahrenheit", "°F"] 5.0 / 9.0, 273.15 - 32.0 * 5.0 / 9.0, TEMP, No;
    ["degR", "rankine"] 5.0 / 9.0, 0.0, TEMP, No;
    // Area and volume.
    ["ha", "hectare", "hectares"] 1e4, 0.0, AREA, No;
    ["acre", "acres"] 4_046.856_422_4, 0.0, AREA, No;
    ["L", "l", "liter", "liters", "litre", "litres"] 1e-3, 0.0, VOL, Si;
    ["gal", "gallon", "gallons"] GALLON, 0.0, VOL, No;
    ["qt", "quart", "quarts"] GALLON / 4.0, 0.0, VOL, No;
    ["pt", "pint", "pints"] GALLON / 8.0, 0.0, VOL, No;
    ["cup", "cups"] GALLON / 16.0, 0.0, VOL, No;
    ["floz", "fluidounce"] GALLON / 128.0, 0.0, VOL, No;
    ["tbsp", "tablespoon"] GALLON / 256.0, 0.0, VOL, No;
    ["tsp", "teaspoon"] GALLON / 768.0, 0.0, VOL, No;
    // Speed.
    ["mph"] MILE / 3600.0, 0.0, SPEED, No;
    ["kph", "kmh"] 1000.0 / 3600.0, 0.0, SPEED, No;
    ["knot", "knots", "kn"] 1852.0 / 3600.0, 0.0, SPEED, No;
    // Force, energy, power, pressure.
    ["N", "newton", "newtons"] 1.0, 0.0, FORCE, Si;
    ["lbf"] POUND * 9.806_65, 0.0, FORCE, No;
    ["J", "joule", "joules"] 1.0, 0.0, ENERGY, Si;
    ["cal", "calorie", "calories"] 4.184, 0.0, ENERGY, Si;
    ["Wh"] 3600.0, 0.0, ENERGY, Si;
    ["eV"] 1.602_176_634e-19, 0.0, ENERGY, Si;
    ["BTU", "btu"] 1_055.055_852_62, 0.0, ENERGY, No;
    ["W", "watt", "watts"] 1.0, 0.0, POWER, Si;
    ["hp", "horsepower"] 745.699_871_582_270_2, 0.0, POWER, No;
    ["Pa", "pascal"] 1.0, 0.0, PRESSURE, Si;
    ["bar"] 1e5, 0.0, PRESSURE, Si;
    ["atm"] 101_325.0, 0.0, PRESSURE, No;
    ["psi"] 6_894.757_293_168_361, 0.0, PRESSURE, No;
    ["mmHg"] 133.322_387_415, 0.0, PRESSURE, No;
    // Frequency and electricity.
    ["Hz", "hertz"] 1.0, 0.0, FREQ, Si;
    ["A", "ampere", "amperes", "amp", "amps"] 1.0, 0.0, d(&[(I, 1)]), Si;
    ["C", "coulomb", "coulombs"] 1.0, 0.0, CHARGE, Si;
    ["V", "volt", "volts"] 1.0, 0.0, VOLT, Si;
    ["ohm", "ohms", "Ω"] 1.0, 0.0, OHM, Si;
    ["mol", "mole", "moles"] 1.0, 0.0, d(&[(N, 1)]), Si;
    ["cd", "candela"] 1.0, 0.0, d(&[(J, 1)]), No;
    // Data: bits are the base; a byte is 8 of them.
    ["bit", "bits"] 1.0, 0.0, DATA, SiAndBinary;
    ["B", "byte", "bytes"] 8.0, 0.0, DATA, SiAndBinary;
    // Angle.
    ["rad", "radian", "radians"] 1.0, 0.0, ANGLE, Si;
    ["deg", "degree", "degrees", "°"] PI / 180.0, 0.0, ANGLE, No;
    ["grad", "gradian"] PI / 200.0, 0.0, ANGLE, No;
    ["turn", "turns", "rev"] 2.0 * PI, 0.0, ANGLE, No;
};

const SI_PREFIXES: &[(&str, f64)] = &[
    ("da", 1e1),
    ("Y", 1e24),
    ("Z", 1e21),
    ("E", 1e18),
    ("P", 1e15),
    ("T", 1e12),
    ("G", 1e9),
    ("M", 1e6),
    ("k", 1e3),
    ("h", 1e2),
    ("d", 1e-1),
    ("c", 1e-2),
    ("m", 1e-3),
    ("u", 1e-6),
    ("µ", 1e-6),
    ("n", 1e-9),
    ("p", 1e-12),
    ("f", 1e-15),
];

const BINARY_PREFIXES: &[(&str, f64)] = &[
    ("Ki", 1024.0),
    ("Mi", 1_048_576.0),
    ("Gi", 1_073_741_824.0),
    ("Ti", 1_099_511_627_776.0),
    ("Pi", 1_125_899_906_842_624.0),
    ("Ei", 1_152_921_504_606_846_976.0),
];

fn exact(name: &str) -> Option<&'static Def> {
    DEFS.iter().find(|u| u.names.contains(&name))
}

/// Look a unit name up: an exact name first, then a prefix on a unit that takes it
/// (`km`, `mg`, `MiB`, `kWh`). `None` when the name is not a unit.
pub fn lookup(name: &str) -> Option<Unit> {
    if let Some(u) = exact(name) {
        return Some(Unit {
            factor: u.factor,
            offset: u.offset,
            dim: u.dim,
        });
    }
    let prefixed = |table: &[(&str, f64)], binary: bool| {
        table.iter().find_map(|(p, f)| {
            let rest = name.strip_prefix(p)?;
            // Prefixes go on symbols only (`km`, not `kmeter`, except for data: `kilobyte` is not
            // offered, `KiB` is).
            let u = exact(rest)?;
            let ok = match u.prefixes {
                Prefixes::No => false,
                Prefixes::Si => !binary,
                Prefixes::SiAndBinary => true,
            };
            (ok && rest == u.names[0]).then_some(Unit {
                factor: u.factor * f,
                offset: 0.0,
                dim: u.dim,
            })
        })
    };
    prefixed(BINARY_PREFIXES, true).or_else(|| prefixed(SI_PREFIXES, false))
}

/// Whether `name` is a unit.
pub fn is_unit(name: &str) -> bool {
    lookup(name).is_some()
}

/// The dimension written with SI base units: `m/s^2`, `kg*m^2/s^2`, `bit`.
pub fn si_name(dim: &Dim) -> String {
    let mut num = Vec::new();
    let mut den = Vec::new();
    for (i, &e) in dim.iter().enumerate() {
        let base = BASES[i];
        match e {
            0 => {}
            1 => num.push(base.to_string()),
            e if e > 1 => num.push(format!("{base}^{e}")),
            -1 => den.push(base.to_string()),
            e => den.push(format!("{base}^{}", -e)),
        }
    }
    let mut s = if num.is_empty() {
        "1".to_string()
    } else {
        num.join("*")
    };
    if !den.is_empty() {
        let _ = write!(
            s,
            "/{}",
            if den.len() > 1 {
                format!("({})", den.join("*"))
            } else {
                den.join("")
            }
        );
    }
    s
}

/// `a + b` of dimensions (for a product), or `a - b` (for a quotient).
pub fn combine(a: &Dim, b: &Dim, sign: i8) -> Option<Dim> {
    let mut out = NONE;
    for i in 0..out.len() {
        out[i] = a[i].checked_add(b[i].checked_mul(sign)?)?;
    }
    Some(out)
}

/// `a · n`, or `None` when an exponent would not be whole or would overflow.
pub fn scale(a: &Dim, n: f64) -> Option<Dim> {
    let mut out = NONE;
    for i in 0..out.len() {
        let e = f64::from(a[i]) * n;
        if e.fract() != 0.0 || e.abs() > 100.0 {
            return None;
        }
        out[i] = e as i8;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_prefixes() {
        assert_eq!(lookup("cm").map(|u| u.factor), Some(0.01));
        assert_eq!(lookup("km").map(|u| u.dim), Some(LEN));
        assert_eq!(lookup("MiB").map(|u| u.factor), Some(8.0 * 1_048_576.0));
        assert_eq!(lookup("kWh").map(|u| u.factor), Some(3.6e6));
        assert_eq!(lookup("min").map(|u| u.factor), Some(60.0));
        assert!(lookup("kinch").is_none());
        assert!(lookup("Kim").is_none());
        assert!(lookup("x").is_none());
        assert_eq!(si_name(&FORCE), "m*kg/s^2");
        assert_eq!(si_name(&SPEED), "m/s");
    }
}
