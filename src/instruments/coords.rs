//! Coordinates as an analyst types or copies them, and as the viewer writes them.
//!
//! [`parse`] reads the common forms into a [`LonLat`] on WGS84: a bare decimal pair
//! (longitude first, the `--center LON,LAT` contract), decimal degrees with hemisphere
//! letters, degrees-minutes-seconds and degrees-decimal-minutes (with `°′″`, the ASCII
//! stand-ins `'` `"` `''`, `d`/`m`/`s` letters or plain spaces) and MGRS references.
//! [`format_decimal`], [`format_dms`] and [`format_mgrs`] write a position back out; each
//! result parses back to the same point.
//!
//! MGRS goes through UTM on WGS84 ([`to_utm`], [`from_utm`]): Krüger's series to sixth order
//! in the third flattening (Karney 2011, "Transverse Mercator with an accuracy of a few
//! nanometers"), which is accurate to well under a millimetre within a zone. The polar UPS
//! zones (south of 80°S, from 84°N) are not supported.
//!
//! Used by the "Go to" box (Ctrl+G), the "copy coordinates" menu and
//! `bordermap export --center TEXT`. Pure logic: no GUI types, no panics on any input.

use std::fmt;

/// A position in WGS84 degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLat {
    /// Longitude in degrees, east positive, -180 to 180.
    pub lon: f64,
    /// Latitude in degrees, north positive, -90 to 90.
    pub lat: f64,
}

/// Why a text that looks like coordinates cannot be read, or a position cannot be written.
///
/// Its `Display` text is shown to the user under the input box: it says what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoordError(pub String);

impl fmt::Display for CoordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CoordError {}

/// A UTM position on WGS84.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Utm {
    /// Zone number, 1 to 60.
    pub zone: u8,
    /// `true` in the northern hemisphere (no false northing), `false` in the southern one
    /// (false northing of 10,000 km).
    pub north: bool,
    /// Easting in metres, including the 500 km false easting.
    pub easting: f64,
    /// Northing in metres, including the false northing in the southern hemisphere.
    pub northing: f64,
}

/// Longest text (in characters) that [`parse`] and [`parse_mgrs`] will read.
pub const MAX_INPUT_CHARS: usize = 200;

/// The message for a text that looks like coordinates but has no recognisable shape.
const EXPECTED: &str = "expected a longitude and a latitude such as 70.82,40.06, \
     40°03′36″N 70°49′12″E, 40.06N 70.82E or an MGRS reference such as 42TXK5522336003";

const WGS84_A: f64 = 6_378_137.0;
const WGS84_F: f64 = 1.0 / 298.257_223_563;
const UTM_K0: f64 = 0.9996;
const FALSE_EASTING: f64 = 500_000.0;
const FALSE_NORTHING_SOUTH: f64 = 10_000_000.0;

/// MGRS latitude bands from 80°S, 8° each (X is 12°: 72°N to 84°N).
const BANDS: &[u8; 20] = b"CDEFGHJKLMNPQRSTUVWX";
/// MGRS 100 km column letters, by `(zone - 1) % 3`.
const COLUMN_SETS: [&[u8; 8]; 3] = [b"ABCDEFGH", b"JKLMNPQR", b"STUVWXYZ"];
/// MGRS 100 km row letters (the AA scheme); even zones start 5 rows later (at F).
const ROW_LETTERS: &[u8; 20] = b"ABCDEFGHJKLMNPQRSTUV";
/// How far (degrees of latitude) an MGRS reference may fall outside its band.
const BAND_SLACK_DEG: f64 = 1.0;

fn fail<T>(msg: impl Into<String>) -> Result<T, CoordError> {
    Err(CoordError(msg.into()))
}

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

/// Reads `text` as a position.
///
/// `None` when the text does not look like coordinates at all (a place name such as
/// "Vorukh" or "Ворух", or an empty text: the caller then searches place names);
/// `Some(Err(..))` when it looks like coordinates but is wrong; `Some(Ok(..))` otherwise.
///
/// Without hemisphere letters a pair is read longitude first (`70.82,40.06`); with them the
/// letters decide (`40.06N 70.82E`, `70.82E 40.06N`).
pub fn parse(text: &str) -> Option<Result<LonLat, CoordError>> {
    let text = text.trim();
    if text.is_empty() || !text.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let count = text.chars().count();
    if count > MAX_INPUT_CHARS {
        return Some(fail(format!(
            "the text is too long ({count} characters): expected at most {MAX_INPUT_CHARS}"
        )));
    }
    if looks_like_mgrs(text) {
        return Some(parse_mgrs(text));
    }
    match tokenize(text) {
        Err(TokenError::NotCoordinates) => None,
        Err(TokenError::Bad(msg)) => Some(Err(CoordError(msg))),
        Ok(tokens) => Some(parse_tokens(&tokens)),
    }
}

/// Whether `text` has the shape of an MGRS reference: 1–2 digits, three letters, digits.
fn looks_like_mgrs(text: &str) -> bool {
    let mut chars = text.chars().filter(|c| !c.is_whitespace()).peekable();
    let mut zone_digits = 0;
    while chars.next_if(char::is_ascii_digit).is_some() {
        zone_digits += 1;
    }
    if !(1..=2).contains(&zone_digits) {
        return false;
    }
    for _ in 0..3 {
        if chars.next_if(char::is_ascii_alphabetic).is_none() {
            return false;
        }
    }
    chars.all(|c| c.is_ascii_digit())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Deg = 0,
    Min = 1,
    Sec = 2,
}

impl Unit {
    fn from_index(i: usize) -> Option<Unit> {
        match i {
            0 => Some(Unit::Deg),
            1 => Some(Unit::Min),
            2 => Some(Unit::Sec),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// An unsigned number with its sign and text as typed.
    Num {
        neg: bool,
        value: f64,
        text: String,
    },
    Unit(Unit),
    /// N, S, E or W (upper case).
    Hemi(char),
    /// A lower-case `s`: seconds after a seconds value, South otherwise.
    LowerS,
    /// A comma or semicolon.
    Sep,
}

enum TokenError {
    /// The text has letters that are not coordinate markers: a place name, say.
    NotCoordinates,
    /// The text looks like coordinates but has a character that does not belong.
    Bad(String),
}

fn is_marker_letter(c: char) -> bool {
    matches!(c, 'N' | 'S' | 'E' | 'W' | 'n' | 's' | 'e' | 'w' | 'd' | 'm')
}

fn tokenize(text: &str) -> Result<Vec<Token>, TokenError> {
    if text
        .chars()
        .any(|c| c.is_alphabetic() && !is_marker_letter(c))
    {
        return Err(TokenError::NotCoordinates);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        let token = match c {
            c if c.is_whitespace() => continue,
            ',' | ';' => Token::Sep,
            '+' | '-' | '\u{2212}' | '.' | '0'..='9' => {
                let neg = matches!(c, '-' | '\u{2212}');
                let mut digits = String::new();
                if matches!(c, '.' | '0'..='9') {
                    digits.push(c);
                }
                let mut seen_dot = c == '.';
                while let Some(&d) = chars.get(i) {
                    if d.is_ascii_digit() {
                        digits.push(d);
                    } else if d == '.' && !seen_dot {
                        seen_dot = true;
                        digits.push(d);
                    } else {
                        break;
                    }
                    i += 1;
                }
                if !digits.chars().any(|d| d.is_ascii_digit()) {
                    return Err(TokenError::Bad(format!("unexpected '{c}': {EXPECTED}")));
                }
                if chars.get(i) == Some(&'.') {
                    return Err(TokenError::Bad(format!(
                        "'{digits}.' has more than one decimal point: {EXPECTED}"
                    )));
                }
                let value = digits.parse::<f64>().map_err(|_| {
                    TokenError::Bad(format!("'{digits}' is not a number: {EXPECTED}"))
                })?;
                let text = if neg { format!("-{digits}") } else { digits };
                Token::Num { neg, value, text }
            }
            '°' | 'º' | '˚' | 'd' => Token::Unit(Unit::Deg),
            '\'' | '’' => {
                if chars.get(i) == Some(&c) {
                    i += 1;
                    Token::Unit(Unit::Sec)
                } else {
                    Token::Unit(Unit::Min)
                }
            }
            '′' | '‘' | '´' | 'm' => Token::Unit(Unit::Min),
            '″' | '"' | '“' | '”' => Token::Unit(Unit::Sec),
            'N' | 'n' => Token::Hemi('N'),
            'E' | 'e' => Token::Hemi('E'),
            'W' | 'w' => Token::Hemi('W'),
            'S' => Token::Hemi('S'),
            's' => Token::LowerS,
            other => {
                return Err(TokenError::Bad(format!(
                    "unexpected character '{other}': {EXPECTED}"
                )));
            }
        };
        tokens.push(token);
    }
    Ok(tokens)
}

/// One number of a coordinate: degrees, minutes or seconds.
#[derive(Clone, Debug)]
struct Part {
    neg: bool,
    value: f64,
    text: String,
    unit: Option<Unit>,
}

/// One coordinate as typed: an optional hemisphere letter and up to three numbers.
#[derive(Clone, Debug, Default)]
struct Component {
    hemi: Option<char>,
    /// Whether the hemisphere letter came before the numbers ("N40.06").
    leading: bool,
    parts: Vec<Part>,
}

impl Component {
    fn is_empty(&self) -> bool {
        self.hemi.is_none() && self.parts.is_empty()
    }

    /// The unit the last part gets if it has no marker of its own.
    fn implied_unit_of_last(&self) -> Option<Unit> {
        let mut next = 0;
        let mut implied = None;
        for part in &self.parts {
            let unit = match part.unit {
                Some(u) => u,
                None => Unit::from_index(next)?,
            };
            implied = Some(unit);
            next = unit as usize + 1;
        }
        implied
    }
}

/// Ends the coordinate being read. Unmarked numbers whose first one has a decimal point
/// ("70.82 40.06N", "N40.06 70.82") are two coordinates, not degrees and minutes.
fn close(components: &mut Vec<Component>, current: &mut Component) {
    if current.is_empty() {
        return;
    }
    let mut c = std::mem::take(current);
    let two = c.parts.len() >= 2
        && c.parts.iter().all(|p| p.unit.is_none())
        && c.parts.first().is_some_and(|p| p.text.contains('.'));
    if two {
        let rest = c.parts.split_off(1);
        let (first_hemi, rest_hemi) = if c.leading {
            (c.hemi, None)
        } else {
            (None, c.hemi)
        };
        components.push(Component {
            hemi: first_hemi,
            leading: c.leading,
            parts: c.parts,
        });
        components.push(Component {
            hemi: rest_hemi,
            leading: false,
            parts: rest,
        });
    } else {
        components.push(c);
    }
}

fn apply_unit(
    unit: Unit,
    after_number: bool,
    components: &mut Vec<Component>,
    current: &mut Component,
) -> Result<(), CoordError> {
    let symbol = match unit {
        Unit::Deg => "degree sign",
        Unit::Min => "minutes sign",
        Unit::Sec => "seconds sign",
    };
    let Some(mut last) = current.parts.pop().filter(|_| after_number) else {
        return fail(format!("a {symbol} must follow a number: {EXPECTED}"));
    };
    if last.unit.is_some() {
        return fail(format!("a {symbol} must follow a number: {EXPECTED}"));
    }
    last.unit = Some(unit);
    if unit == Unit::Deg && !current.parts.is_empty() {
        // A second degrees value starts the second coordinate ("70.82 40.06°").
        close(components, current);
    }
    current.parts.push(last);
    Ok(())
}

fn parse_tokens(tokens: &[Token]) -> Result<LonLat, CoordError> {
    let mut components = Vec::new();
    let mut current = Component::default();
    let mut after_number = false;
    for token in tokens {
        let mut is_number = false;
        match token {
            Token::Sep => close(&mut components, &mut current),
            Token::Num { neg, value, text } => {
                current.parts.push(Part {
                    neg: *neg,
                    value: *value,
                    text: text.clone(),
                    unit: None,
                });
                is_number = true;
            }
            Token::Unit(unit) => apply_unit(*unit, after_number, &mut components, &mut current)?,
            Token::LowerS => {
                let seconds = after_number
                    && current.parts.last().is_some_and(|p| p.unit.is_none())
                    && current.implied_unit_of_last() == Some(Unit::Sec);
                if seconds {
                    apply_unit(Unit::Sec, true, &mut components, &mut current)?;
                } else {
                    hemisphere('S', &mut components, &mut current);
                }
            }
            Token::Hemi(h) => hemisphere(*h, &mut components, &mut current),
        }
        after_number = is_number;
    }
    close(&mut components, &mut current);

    // A bare pair of whole numbers separated by a space: "70 40".
    if let [only] = components.as_slice()
        && only.hemi.is_none()
        && only.parts.len() == 2
        && only.parts.iter().all(|p| p.unit.is_none())
    {
        components = only
            .parts
            .iter()
            .map(|p| Component {
                hemi: None,
                leading: false,
                parts: vec![p.clone()],
            })
            .collect();
    }
    let [first, second] = components.as_slice() else {
        return fail(EXPECTED);
    };
    let a = component_value(first)?;
    let b = component_value(second)?;
    let (lon, lat) = match (axis(first.hemi), axis(second.hemi)) {
        (Axis::Lat, Axis::Lat) => {
            return fail(
                "two latitudes (N/S) were given: expected one latitude (N or S) and one \
                 longitude (E or W)",
            );
        }
        (Axis::Lon, Axis::Lon) => {
            return fail(
                "two longitudes (E/W) were given: expected one latitude (N or S) and one \
                 longitude (E or W)",
            );
        }
        (Axis::Lat, _) | (Axis::None, Axis::Lon) => (b.0, a.0),
        (Axis::Lon, _) | (Axis::None, Axis::Lat) => (a.0, b.0),
        (Axis::None, Axis::None) => {
            if a.1 || b.1 {
                return fail(
                    "degrees, minutes and seconds need hemisphere letters: expected a form \
                     such as 40°03′36″N 70°49′12″E (a pair without letters is read as a \
                     decimal longitude and latitude, such as 70.82,40.06)",
                );
            }
            (a.0, b.0)
        }
    };
    check_lon_lat(lon, lat)
}

fn hemisphere(h: char, components: &mut Vec<Component>, current: &mut Component) {
    if !current.parts.is_empty() && current.hemi.is_none() {
        // Trailing letter: "40.06N".
        current.hemi = Some(h);
        close(components, current);
    } else {
        // Leading letter: "N40.06".
        close(components, current);
        current.hemi = Some(h);
        current.leading = true;
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Axis {
    Lat,
    Lon,
    None,
}

fn axis(hemi: Option<char>) -> Axis {
    match hemi {
        Some('N' | 'S') => Axis::Lat,
        Some(_) => Axis::Lon,
        None => Axis::None,
    }
}

/// The signed value of one coordinate in degrees, and whether it used minutes or seconds.
fn component_value(c: &Component) -> Result<(f64, bool), CoordError> {
    if c.parts.is_empty() {
        let h = c.hemi.unwrap_or('?');
        return fail(format!("the letter {h} has no number with it: {EXPECTED}"));
    }
    if c.parts.len() > 3 {
        return fail(format!(
            "too many numbers in one coordinate: expected degrees, minutes and seconds at \
             most; {EXPECTED}"
        ));
    }
    let mut values = [0.0_f64; 3];
    let mut next = 0;
    let mut dms = false;
    let last = c.parts.len() - 1;
    for (i, part) in c.parts.iter().enumerate() {
        let unit = match part.unit {
            Some(u) if (u as usize) >= next => u,
            Some(_) => {
                return fail(
                    "degrees, minutes and seconds are out of order: expected them in that order, \
                     such as 40°03′36″N",
                );
            }
            None => match Unit::from_index(next) {
                Some(u) => u,
                None => return fail(format!("too many numbers in one coordinate: {EXPECTED}")),
            },
        };
        next = unit as usize + 1;
        if i > 0 && part.neg {
            return fail(format!(
                "'{}' has a sign in the middle of a coordinate: only the degrees may have a \
                 minus sign",
                part.text
            ));
        }
        if i < last && part.text.contains('.') {
            return fail(format!(
                "'{}' has a decimal point but is not the last of the degrees, minutes and \
                 seconds: only the last may have one",
                part.text
            ));
        }
        if !part.value.is_finite() {
            return fail(format!(
                "'{}' is not a finite number: {EXPECTED}",
                part.text
            ));
        }
        match unit {
            Unit::Min if part.value >= 60.0 => {
                return fail(format!(
                    "minutes {} is out of range: expected 0 to less than 60",
                    part.text
                ));
            }
            Unit::Sec if part.value >= 60.0 => {
                return fail(format!(
                    "seconds {} is out of range: expected 0 to less than 60",
                    part.text
                ));
            }
            _ => {}
        }
        dms |= unit != Unit::Deg;
        values[unit as usize] = part.value;
    }
    let magnitude = values[0] + values[1] / 60.0 + values[2] / 3600.0;
    let neg = c.parts.first().is_some_and(|p| p.neg);
    let mut value = if neg { -magnitude } else { magnitude };
    if let Some(h @ ('S' | 'W')) = c.hemi {
        if neg {
            return fail(format!(
                "a coordinate has both a minus sign and the letter {h}: use one or the other"
            ));
        }
        value = -value;
    }
    Ok((value, dms))
}

fn check_lon_lat(lon: f64, lat: f64) -> Result<LonLat, CoordError> {
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return fail(format!(
            "latitude {lat} is out of range: expected -90 to 90"
        ));
    }
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return fail(format!(
            "longitude {lon} is out of range: expected -180 to 180"
        ));
    }
    Ok(LonLat { lon, lat })
}

// ---------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------

/// Writes `p` as decimal degrees with hemisphere letters, latitude first:
/// `"40.060000° N, 70.820000° E"` (6 decimals, about 0.1 m). Parses back with [`parse`].
pub fn format_decimal(p: LonLat) -> String {
    let ns = if p.lat < 0.0 { 'S' } else { 'N' };
    let ew = if p.lon < 0.0 { 'W' } else { 'E' };
    format!("{:.6}° {ns}, {:.6}° {ew}", p.lat.abs(), p.lon.abs())
}

/// Writes `p` as degrees, minutes and seconds to 0.1″, latitude first:
/// `"40°03′36.0″N 70°49′12.0″E"`. Seconds that round to 60 carry into the minutes (and
/// minutes into the degrees), so `59.96″` never shows as `60.0″`. Parses back with [`parse`].
pub fn format_dms(p: LonLat) -> String {
    format!(
        "{}{} {}{}",
        dms_magnitude(p.lat),
        if p.lat < 0.0 { 'S' } else { 'N' },
        dms_magnitude(p.lon),
        if p.lon < 0.0 { 'W' } else { 'E' }
    )
}

fn dms_magnitude(v: f64) -> String {
    // Work in whole tenths of a second so that rounding carries correctly.
    let tenths = (v.abs() * 36_000.0).round();
    let tenths = if tenths.is_finite() { tenths as u64 } else { 0 };
    let deg = tenths / 36_000;
    let min = (tenths % 36_000) / 600;
    let sec = tenths % 600;
    format!("{deg}°{min:02}′{:02}.{}″", sec / 10, sec % 10)
}

/// Writes `p` as a compact MGRS reference with `digits` (0 to 5) digits per axis, e.g.
/// `"42TXK5522336003"` (5 digits: the 1 m square containing `p`; 0 digits: the 100 km
/// square). Coordinates are truncated, not rounded, as MGRS requires.
///
/// Errors outside MGRS's UTM range: latitudes below 80°S or at/above 84°N are in the polar
/// UPS zones, which are not supported.
pub fn format_mgrs(p: LonLat, digits: u8) -> Result<String, CoordError> {
    if digits > 5 {
        return fail(format!(
            "MGRS precision of {digits} digits is not supported: expected 0 to 5 digits per axis"
        ));
    }
    let utm = to_utm(p)?;
    let band = band_index(p.lat)
        .and_then(|i| BANDS.get(i))
        .map(|&b| char::from(b))
        .ok_or_else(|| CoordError(format!("latitude {} has no MGRS band", p.lat)))?;
    let set = COLUMN_SETS
        .get(usize::from(utm.zone - 1) % 3)
        .ok_or_else(|| CoordError(format!("UTM zone {} is out of range", utm.zone)))?;
    let column = (utm.easting / 100_000.0).floor() as i64 - 1;
    let column = usize::try_from(column)
        .ok()
        .and_then(|c| set.get(c))
        .map(|&b| char::from(b))
        .ok_or_else(|| {
            CoordError(format!(
                "easting {:.0} m is outside the MGRS grid of zone {}",
                utm.easting, utm.zone
            ))
        })?;
    let offset = if utm.zone.is_multiple_of(2) { 5 } else { 0 };
    let row = ((utm.northing / 100_000.0).floor() as i64 + offset).rem_euclid(20);
    let row = usize::try_from(row)
        .ok()
        .and_then(|r| ROW_LETTERS.get(r))
        .map(|&b| char::from(b))
        .ok_or_else(|| CoordError(format!("northing {:.0} m has no MGRS row", utm.northing)))?;
    let mut out = format!("{}{band}{column}{row}", utm.zone);
    if digits > 0 {
        let width = usize::from(digits);
        let unit = 10_f64.powi(5 - i32::from(digits));
        let e = (utm.easting.rem_euclid(100_000.0) / unit).floor() as u64;
        let n = (utm.northing.rem_euclid(100_000.0) / unit).floor() as u64;
        out.push_str(&format!("{e:0width$}{n:0width$}"));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// MGRS parsing
// ---------------------------------------------------------------------------------------

/// Reads an MGRS reference as the centre of the square it names (the 1 m square for 5
/// digits per axis, the 100 km square for none). Compact (`"42TXK5522336003"`) or with
/// spaces (`"42T XK 55223 36003"`), in either case.
///
/// Checks the zone (1–60), the band letter (C–X without I and O; the polar A, B, Y and Z
/// are not supported), the 100 km square letters for the zone, an even number of digits,
/// and that the square lies in (or within 1° of) its latitude band, which also resolves
/// the 2,000 km ambiguity of the row letters.
pub fn parse_mgrs(text: &str) -> Result<LonLat, CoordError> {
    let text = text.trim();
    let count = text.chars().count();
    if count > MAX_INPUT_CHARS {
        return fail(format!(
            "the text is too long ({count} characters): expected at most {MAX_INPUT_CHARS}"
        ));
    }
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let chars: Vec<char> = compact.chars().collect();
    let shape_error = || {
        CoordError(format!(
            "MGRS '{compact}' is not a valid reference: expected a zone number, a latitude \
             band letter, two 100 km square letters and digits, such as 42TXK5522336003"
        ))
    };
    let zone_len = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&zone_len) {
        return Err(shape_error());
    }
    let zone: u8 = chars
        .iter()
        .take(zone_len)
        .filter_map(|c| c.to_digit(10))
        .fold(0, |acc, d| acc * 10 + d as u8);
    let letters: Vec<char> = chars.iter().skip(zone_len).take(3).copied().collect();
    let [band, column, row] = letters.as_slice() else {
        return Err(shape_error());
    };
    let (band, column, row) = (*band, *column, *row);
    if ![band, column, row].iter().all(char::is_ascii_alphabetic) {
        return Err(shape_error());
    }
    let digits: Vec<u32> = chars
        .iter()
        .skip(zone_len + 3)
        .map(|c| c.to_digit(10).filter(|_| c.is_ascii_digit()))
        .collect::<Option<_>>()
        .ok_or_else(shape_error)?;

    if !(1..=60).contains(&zone) {
        return fail(format!(
            "MGRS zone {zone} is out of range: expected 1 to 60"
        ));
    }
    let band_index = match band {
        'A' | 'B' | 'Y' | 'Z' => {
            return fail(format!(
                "MGRS band {band} is in a polar (UPS) zone, which is not supported: expected a \
                 band letter C to X (without I and O), 80°S to 84°N"
            ));
        }
        _ => BANDS
            .iter()
            .position(|&b| char::from(b) == band)
            .ok_or_else(|| {
                CoordError(format!(
                    "MGRS band letter {band} is not valid: expected a letter C to X without I and O"
                ))
            })?,
    };
    if digits.len() % 2 == 1 {
        return fail(format!(
            "MGRS '{compact}' has an odd number of digits: expected 2, 4, 6, 8 or 10 digits \
             after the 100 km square"
        ));
    }
    if digits.len() > 10 {
        return fail(format!(
            "MGRS '{compact}' has {} digits: expected at most 10 (5 per axis, 1 m)",
            digits.len()
        ));
    }
    // With spaces, the easting and northing groups must match ("42T XK 5522 33600").
    let groups: Vec<&str> = text.split_whitespace().collect();
    if let [.., e, n] = groups.as_slice() {
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if groups.len() >= 3 && all_digits(e) && all_digits(n) && e.len() != n.len() {
            return fail(format!(
                "MGRS easting {e} and northing {n} have different numbers of digits: expected \
                 the same number for each, such as 42T XK 55223 36003"
            ));
        }
    }

    let set_index = usize::from(zone - 1) % 3;
    let set = COLUMN_SETS.get(set_index).ok_or_else(shape_error)?;
    let column_index = set
        .iter()
        .position(|&b| char::from(b) == column)
        .ok_or_else(|| {
            let allowed: String = set.iter().map(|&b| char::from(b)).collect();
            CoordError(format!(
                "MGRS 100 km square {column}{row} is not valid in zone {zone}: expected a \
                 column letter among {allowed}"
            ))
        })?;
    let row_position = ROW_LETTERS
        .iter()
        .position(|&b| char::from(b) == row)
        .ok_or_else(|| {
            CoordError(format!(
                "MGRS 100 km square {column}{row} is not valid: expected a row letter A to V \
                 without I and O"
            ))
        })?;
    let offset = if zone.is_multiple_of(2) { 5 } else { 0 };
    let row_index = (row_position + 20 - offset) % 20;

    let per_axis = digits.len() / 2;
    let number = |ds: &[u32]| ds.iter().fold(0.0, |acc, &d| acc * 10.0 + f64::from(d));
    let (e_digits, n_digits) = digits.split_at(per_axis);
    let size = 10_f64.powi(5 - per_axis as i32);
    let easting = (column_index as f64 + 1.0) * 100_000.0 + number(e_digits) * size + size / 2.0;
    let northing_in_cycle = row_index as f64 * 100_000.0 + number(n_digits) * size + size / 2.0;

    let lat_min = -80.0 + 8.0 * band_index as f64;
    let lat_max = if band == 'X' { 84.0 } else { lat_min + 8.0 };
    let north = band >= 'N';
    let mut best: Option<(f64, LonLat)> = None;
    for cycle in 0..5 {
        let northing = northing_in_cycle + 2_000_000.0 * f64::from(cycle);
        let p = from_utm(&Utm {
            zone,
            north,
            easting,
            northing,
        });
        let outside = if p.lat < lat_min {
            lat_min - p.lat
        } else if p.lat > lat_max {
            p.lat - lat_max
        } else {
            0.0
        };
        if best.is_none_or(|(d, _)| outside < d) {
            best = Some((outside, p));
        }
    }
    match best {
        Some((outside, p)) if outside <= BAND_SLACK_DEG && p.lat.is_finite() => Ok(p),
        _ => fail(format!(
            "MGRS '{compact}' is inconsistent: the 100 km square {column}{row} does not lie in \
             latitude band {band} ({} to {}) of zone {zone}",
            fmt_lat(lat_min),
            fmt_lat(lat_max)
        )),
    }
}

fn fmt_lat(lat: f64) -> String {
    if lat < 0.0 {
        format!("{}°S", -lat)
    } else {
        format!("{lat}°N")
    }
}

/// The index into [`BANDS`] for a latitude in the UTM range.
fn band_index(lat: f64) -> Option<usize> {
    if !(-80.0..84.0).contains(&lat) {
        return None;
    }
    let i = ((lat + 80.0) / 8.0).floor() as usize;
    Some(i.min(19))
}

// ---------------------------------------------------------------------------------------
// UTM
// ---------------------------------------------------------------------------------------

/// Converts `p` to UTM in its standard zone: 6° zones from 180°W, with the Norway (32V
/// extended west to 3°E) and Svalbard (31X, 33X, 35X, 37X) exceptions.
///
/// Errors for non-finite values, longitudes outside -180..180, and latitudes outside the
/// UTM range (below 80°S or at/above 84°N: the polar UPS zones are not supported).
pub fn to_utm(p: LonLat) -> Result<Utm, CoordError> {
    if !p.lat.is_finite() || !(-90.0..=90.0).contains(&p.lat) {
        return fail(format!(
            "latitude {} is out of range: expected -90 to 90",
            p.lat
        ));
    }
    if !p.lon.is_finite() || !(-180.0..=180.0).contains(&p.lon) {
        return fail(format!(
            "longitude {} is out of range: expected -180 to 180",
            p.lon
        ));
    }
    if !(-80.0..84.0).contains(&p.lat) {
        return fail(format!(
            "latitude {} is outside UTM and MGRS, which cover 80°S up to 84°N: the polar UPS \
             zones are not supported",
            p.lat
        ));
    }
    let lon = normalize_lon(p.lon);
    let zone = standard_zone(p.lat, lon);
    Ok(to_utm_in_zone(LonLat { lon, lat: p.lat }, zone))
}

/// Converts a UTM position back to longitude and latitude (any zone and easting; the
/// result's longitude is normalised to -180..180).
pub fn from_utm(u: &Utm) -> LonLat {
    let x = u.easting - FALSE_EASTING;
    let y = if u.north {
        u.northing
    } else {
        u.northing - FALSE_NORTHING_SOUTH
    };
    let (lat, dlon) = tm_inverse(x, y);
    LonLat {
        lon: normalize_lon(central_meridian(u.zone) + dlon),
        lat,
    }
}

/// The UTM zone for a point, with the Norway and Svalbard exceptions (as in GeographicLib's
/// `UTMUPS::StandardZone`). `lat` must be in -80..84 and `lon` in -180..180.
fn standard_zone(lat: f64, lon: f64) -> u8 {
    let ilon = (lon.floor() as i32).clamp(-180, 179);
    let mut zone = (ilon + 186) / 6;
    match band_index(lat) {
        // Band V (56°N to 64°N): 32V extends west to 3°E.
        Some(17) if zone == 31 && ilon >= 3 => zone = 32,
        // Band X (72°N to 84°N), 0°E to 42°E: 31X, 33X, 35X and 37X only.
        Some(19) if (0..42).contains(&ilon) => zone = 2 * ((ilon + 183) / 12) + 1,
        _ => {}
    }
    zone.clamp(1, 60) as u8
}

fn central_meridian(zone: u8) -> f64 {
    6.0 * f64::from(zone) - 183.0
}

fn normalize_lon(lon: f64) -> f64 {
    if (-180.0..180.0).contains(&lon) {
        lon
    } else {
        (lon + 180.0).rem_euclid(360.0) - 180.0
    }
}

fn to_utm_in_zone(p: LonLat, zone: u8) -> Utm {
    let dlon = normalize_lon(p.lon - central_meridian(zone));
    let (x, y) = tm_forward(p.lat, dlon);
    let north = p.lat >= 0.0;
    Utm {
        zone,
        north,
        easting: FALSE_EASTING + x,
        northing: if north { y } else { y + FALSE_NORTHING_SOUTH },
    }
}

/// Constants of Krüger's series for WGS84 (Karney 2011, eqs. 14, 35 and 36, to n⁶).
struct Series {
    /// Eccentricity.
    e: f64,
    /// k0 times the rectifying radius A.
    k0_a: f64,
    alpha: [f64; 6],
    beta: [f64; 6],
}

fn series() -> Series {
    let f = WGS84_F;
    let n = f / (2.0 - f);
    let (n2, n3) = (n * n, n * n * n);
    let (n4, n5, n6) = (n2 * n2, n2 * n3, n3 * n3);
    let a = WGS84_A / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0);
    let alpha = [
        n / 2.0 - 2.0 / 3.0 * n2 + 5.0 / 16.0 * n3 + 41.0 / 180.0 * n4 - 127.0 / 288.0 * n5
            + 7891.0 / 37800.0 * n6,
        13.0 / 48.0 * n2 - 3.0 / 5.0 * n3 + 557.0 / 1440.0 * n4 + 281.0 / 630.0 * n5
            - 1_983_433.0 / 1_935_360.0 * n6,
        61.0 / 240.0 * n3 - 103.0 / 140.0 * n4
            + 15061.0 / 26880.0 * n5
            + 167_603.0 / 181_440.0 * n6,
        49561.0 / 161_280.0 * n4 - 179.0 / 168.0 * n5 + 6_601_661.0 / 7_257_600.0 * n6,
        34729.0 / 80640.0 * n5 - 3_418_889.0 / 1_995_840.0 * n6,
        212_378_941.0 / 319_334_400.0 * n6,
    ];
    let beta = [
        n / 2.0 - 2.0 / 3.0 * n2 + 37.0 / 96.0 * n3 - 1.0 / 360.0 * n4 - 81.0 / 512.0 * n5
            + 96199.0 / 604_800.0 * n6,
        n2 / 48.0 + n3 / 15.0 - 437.0 / 1440.0 * n4 + 46.0 / 105.0 * n5
            - 1_118_711.0 / 3_870_720.0 * n6,
        17.0 / 480.0 * n3 - 37.0 / 840.0 * n4 - 209.0 / 4480.0 * n5 + 5569.0 / 90720.0 * n6,
        4397.0 / 161_280.0 * n4 - 11.0 / 504.0 * n5 - 830_251.0 / 7_257_600.0 * n6,
        4583.0 / 161_280.0 * n5 - 108_847.0 / 3_991_680.0 * n6,
        20_648_693.0 / 638_668_800.0 * n6,
    ];
    Series {
        e: (f * (2.0 - f)).sqrt(),
        k0_a: UTM_K0 * a,
        alpha,
        beta,
    }
}

/// tan of the conformal latitude from tan of the geodetic latitude.
fn conformal_tan(tau: f64, e: f64) -> f64 {
    let sigma = (e * (e * tau / tau.hypot(1.0)).atanh()).sinh();
    tau * sigma.hypot(1.0) - sigma * tau.hypot(1.0)
}

/// Transverse Mercator (UTM scale) of a point `dlon` degrees from the central meridian:
/// `(x, y)` in metres without false easting or northing.
fn tm_forward(lat: f64, dlon: f64) -> (f64, f64) {
    let s = series();
    let lam = dlon.to_radians();
    let taup = conformal_tan(lat.to_radians().tan(), s.e);
    let xip = taup.atan2(lam.cos());
    let etap = (lam.sin() / taup.hypot(lam.cos())).asinh();
    let (mut xi, mut eta) = (xip, etap);
    for (j, a) in s.alpha.iter().enumerate() {
        let k = 2.0 * (j as f64 + 1.0);
        xi += a * (k * xip).sin() * (k * etap).cosh();
        eta += a * (k * xip).cos() * (k * etap).sinh();
    }
    (s.k0_a * eta, s.k0_a * xi)
}

/// Inverse of [`tm_forward`]: `(lat, dlon)` in degrees.
fn tm_inverse(x: f64, y: f64) -> (f64, f64) {
    let s = series();
    let xi = y / s.k0_a;
    let eta = x / s.k0_a;
    let (mut xip, mut etap) = (xi, eta);
    for (j, b) in s.beta.iter().enumerate() {
        let k = 2.0 * (j as f64 + 1.0);
        xip -= b * (k * xi).sin() * (k * eta).cosh();
        etap -= b * (k * xi).cos() * (k * eta).sinh();
    }
    let (sinh_etap, sin_xip, cos_xip) = (etap.sinh(), xip.sin(), xip.cos());
    let taup = sin_xip / sinh_etap.hypot(cos_xip);
    // Newton's method for tau from tau' (Karney 2011, eqs. 19–21).
    let e2 = s.e * s.e;
    let mut tau = taup;
    for _ in 0..10 {
        let taui = conformal_tan(tau, s.e);
        let delta = (taup - taui) / taui.hypot(1.0) * (1.0 + (1.0 - e2) * tau * tau)
            / ((1.0 - e2) * tau.hypot(1.0));
        tau += delta;
        if delta.is_nan() || delta.abs() <= 1e-14 * tau.abs().max(1.0) {
            break;
        }
    }
    (
        tau.atan().to_degrees(),
        sinh_etap.atan2(cos_xip).to_degrees(),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn ok(text: &str) -> LonLat {
        match parse(text) {
            Some(Ok(p)) => p,
            other => panic!("{text:?} gave {other:?}"),
        }
    }

    fn err(text: &str) -> String {
        match parse(text) {
            Some(Err(e)) => e.to_string(),
            other => panic!("{text:?} gave {other:?}, expected an error"),
        }
    }

    fn close_to(p: LonLat, lon: f64, lat: f64, tol: f64) -> bool {
        (p.lon - lon).abs() <= tol && (p.lat - lat).abs() <= tol
    }

    fn utm_close(u: &Utm, zone: u8, north: bool, easting: f64, northing: f64, tol: f64) {
        assert_eq!((u.zone, u.north), (zone, north), "{u:?}");
        assert!(
            (u.easting - easting).abs() <= tol,
            "{u:?} vs easting {easting}"
        );
        assert!(
            (u.northing - northing).abs() <= tol,
            "{u:?} vs northing {northing}"
        );
    }

    // --- Published reference points -----------------------------------------------------

    /// GeographicLib's GeoConvert manual (man/GeoConvert.pod in geographiclib/geographiclib,
    /// also https://geographiclib.sourceforge.io/C++/doc/GeoConvert.1.html):
    /// - "33.3 44.4" (lat lon) is equivalent to "38n 444140.54 3684706.36";
    /// - `echo 38SMB4488 | GeoConvert` => 33.33424 44.40363, and with -u => 38n 444500 3688500;
    /// - `echo E44d24 N33d20 | GeoConvert -m -p -3` => 38SMB4488;
    /// - 79.9S 6.1E is 32CMS4324728161 (standard zone) or 31CEM6066227959 (zone 31), and
    ///   `echo 79.9S 6.1E | GeoConvert -p -3 -m` => 32CMS4328;
    /// - `echo -1 3 | GeoConvert -u` => 31s 500000 9889470.
    #[test]
    fn geoconvert_manual_examples() {
        let u = to_utm(LonLat {
            lon: 44.4,
            lat: 33.3,
        })
        .unwrap();
        utm_close(&u, 38, true, 444_140.54, 3_684_706.36, 0.006);

        let p = parse_mgrs("38SMB4488").unwrap();
        assert!(close_to(p, 44.40363, 33.33424, 5e-6), "{p:?}");
        let u = to_utm(p).unwrap();
        utm_close(&u, 38, true, 444_500.0, 3_688_500.0, 1e-6);
        assert_eq!(ok("38SMB4488"), p);

        let q = ok("E44d24 N33d20");
        assert!(close_to(q, 44.4, 33.0 + 1.0 / 3.0, 1e-12), "{q:?}");
        assert_eq!(format_mgrs(q, 2).unwrap(), "38SMB4488");

        let south = ok("79.9S 6.1E");
        assert!(close_to(south, 6.1, -79.9, 1e-12));
        assert_eq!(format_mgrs(south, 5).unwrap(), "32CMS4324728161");
        assert_eq!(format_mgrs(south, 2).unwrap(), "32CMS4328");
        let other_zone = parse_mgrs("31CEM6066227959").unwrap();
        assert!(close_to(other_zone, 6.1, -79.9, 2e-5), "{other_zone:?}");

        let u = to_utm(LonLat {
            lon: 3.0,
            lat: -1.0,
        })
        .unwrap();
        utm_close(&u, 31, false, 500_000.0, 9_889_470.0, 0.5);
    }

    /// `GeoConvert -u -s -p 9` output (GeographicLib) quoted in the SwiftyGeographicLib test
    /// suite (clickr/SwiftyGeographicLib, Tests/TransverseMercatorTests/
    /// TransverseMercatorTests.swift and Generated_tokyo.swift):
    /// - Perth airport -31.93980 115.96650 => 50s 402314.322464520 6465770.872261507
    /// - Tokyo 35.6762 139.6503 => 54n 377855.775951768 3948874.392162377
    #[test]
    fn geoconvert_utm_to_the_millimetre() {
        let perth = LonLat {
            lon: 115.96650,
            lat: -31.93980,
        };
        let u = to_utm(perth).unwrap();
        utm_close(
            &u,
            50,
            false,
            402_314.322_464_520,
            6_465_770.872_261_507,
            1e-4,
        );
        let back = from_utm(&u);
        assert!(close_to(back, perth.lon, perth.lat, 1e-10), "{back:?}");

        let tokyo = LonLat {
            lon: 139.6503,
            lat: 35.6762,
        };
        let u = to_utm(tokyo).unwrap();
        utm_close(
            &u,
            54,
            true,
            377_855.775_951_768,
            3_948_874.392_162_377,
            1e-4,
        );
        let back = from_utm(&u);
        assert!(close_to(back, tokyo.lon, tokyo.lat, 1e-10), "{back:?}");
    }

    /// The `mgrs` npm package (proj4js/mgrs, test/test.js, v2.2.0), whose `toPoint` returns
    /// the centre of the square:
    /// - toPoint('33UXP04') ≈ [16.41450, 48.24949]; forward(that point) = '33UXP0500444997',
    ///   forward(point, 1) = '33UXP04', forward(point, 0) = '33UXP'. (That package's inverse
    ///   is a few metres off the exact centre, 33UXP 05000 45000: its own forward of the
    ///   point gives 05004 44997. We agree with its forward exactly and with its inverse to
    ///   within those few metres.)
    /// - toPoint('24XWT783908') ≈ [-32.66433, 83.62778]; forward(point, 3) = '25XEN041865'
    ///   (a point near a zone border, referenced in zone 24 but standard in zone 25);
    /// - forward([0, 0], 5) = '31NAA6602100000'; forward([0, 0.00001], 5) = '31NAA6602100001';
    /// - forward([-115.0820944, 36.2361322]) = '11SPA7234911844'.
    #[test]
    fn mgrs_npm_package_examples() {
        let published = LonLat {
            lon: 16.41450,
            lat: 48.24949,
        };
        assert_eq!(format_mgrs(published, 5).unwrap(), "33UXP0500444997");
        assert_eq!(format_mgrs(published, 1).unwrap(), "33UXP04");
        let p = parse_mgrs("33UXP04").unwrap();
        assert!(close_to(p, 16.41450, 48.24949, 1e-4), "{p:?}");
        let centre = to_utm(p).unwrap();
        utm_close(&centre, 33, true, 605_000.0, 5_345_000.0, 1e-6);
        assert_eq!(format_mgrs(p, 1).unwrap(), "33UXP04");
        assert_eq!(format_mgrs(p, 0).unwrap(), "33UXP");

        let p = parse_mgrs("24XWT783908").unwrap();
        assert!(close_to(p, -32.66433, 83.62778, 1e-5), "{p:?}");
        assert_eq!(format_mgrs(p, 3).unwrap(), "25XEN041865");
        assert_eq!(format_mgrs(p, 0).unwrap(), "25XEN");

        let origin = LonLat { lon: 0.0, lat: 0.0 };
        assert_eq!(format_mgrs(origin, 5).unwrap(), "31NAA6602100000");
        let just_north = LonLat {
            lon: 0.0,
            lat: 0.00001,
        };
        assert_eq!(format_mgrs(just_north, 5).unwrap(), "31NAA6602100001");

        let nevada = LonLat {
            lon: -115.0820944,
            lat: 36.2361322,
        };
        assert_eq!(format_mgrs(nevada, 5).unwrap(), "11SPA7234911844");
        assert_eq!(format_mgrs(nevada, 0).unwrap(), "11SPA");
        let back = parse_mgrs("11SPA7234911844").unwrap();
        assert!(close_to(back, nevada.lon, nevada.lat, 1e-5), "{back:?}");
    }

    /// MapColonies/geocoding (tests/integration/mgrs/mgrs.spec.ts; it uses the `mgrs` package):
    /// tile '18SUJ2339007393' has bbox [-77.03654883669269, 38.89767541638445,
    /// -77.03653756947197, 38.897684623284015] (the White House, Washington DC; the pair
    /// [-77.036548, 38.897676] lies in that 1 m square).
    #[test]
    fn white_house_square() {
        let (w, s, e, n) = (
            -77.036_548_836_692_69,
            38.897_675_416_384_45,
            -77.036_537_569_471_97,
            38.897_684_623_284_015,
        );
        let p = parse_mgrs("18SUJ2339007393").unwrap();
        let tol = 1e-7; // about 1 cm
        assert!((p.lon - (w + e) / 2.0).abs() < tol && (p.lat - (s + n) / 2.0).abs() < tol);
        assert!(p.lon > w && p.lon < e && p.lat > s && p.lat < n, "{p:?}");
        let pair = LonLat {
            lon: -77.036548,
            lat: 38.897676,
        };
        assert_eq!(format_mgrs(pair, 5).unwrap(), "18SUJ2339007393");
        assert_eq!(format_mgrs(p, 5).unwrap(), "18SUJ2339007393");
    }

    /// Zone exceptions as specified for MGRS/UTM (NGA; GeographicLib `UTMUPS::StandardZone`;
    /// GeoConvert.pod: "standard rules ... with the Norway and Svalbard exceptions"):
    /// 32V covers 3°E–12°E in 56°N–64°N; in 72°N–84°N only 31X (0–9°E), 33X (9–21°E),
    /// 35X (21–33°E) and 37X (33–42°E) exist.
    #[test]
    fn norway_and_svalbard_zones() {
        let cases = [
            (5.32, 60.39, 32, "32V"), // Bergen
            (2.5, 60.0, 31, "31V"),
            (3.0, 56.0, 32, "32V"),
            (2.999, 63.9, 31, "31V"),
            (3.5, 64.0, 31, "31W"), // band W: no exception
            (3.5, 55.99, 31, "31U"),
            (8.9, 78.0, 31, "31X"),
            (9.0, 78.0, 33, "33X"),
            (20.9, 78.0, 33, "33X"),
            (21.1, 78.0, 35, "35X"),
            (32.9, 78.0, 35, "35X"),
            (33.1, 78.0, 37, "37X"),
            (41.9, 72.0, 37, "37X"),
            (42.1, 78.0, 38, "38X"),
            (-0.1, 78.0, 30, "30X"),
            (9.1, 71.9, 32, "32W"),
            (15.6, 78.22, 33, "33X"), // Longyearbyen
        ];
        for (lon, lat, zone, prefix) in cases {
            let p = LonLat { lon, lat };
            assert_eq!(to_utm(p).unwrap().zone, zone, "{p:?}");
            let m = format_mgrs(p, 5).unwrap();
            assert!(m.starts_with(prefix), "{p:?} gave {m}");
            let back = parse_mgrs(&m).unwrap();
            assert!(close_to(back, lon, lat, 1e-4), "{m} gave {back:?}");
        }
    }

    // --- The project's region ---------------------------------------------------------

    #[test]
    fn vorukh_reference() {
        // The example: zone 42 (central meridian 69°E), square XK: easting
        // 655223 m, northing 4436003 m, which is 70.8200°E 40.0600°N, by Vorukh/Isfara.
        let p = ok("42TXK5522336003");
        assert!(close_to(p, 70.820_004, 40.059_999, 1e-6), "{p:?}");
        assert_eq!(format_mgrs(p, 5).unwrap(), "42TXK5522336003");
        assert_eq!(ok("42T XK 55223 36003"), p);
        assert_eq!(ok("42txk5522336003"), p);
        let u = to_utm(p).unwrap();
        utm_close(&u, 42, true, 655_223.5, 4_436_003.5, 1e-6);
        assert_eq!(
            format_mgrs(ok("70.82,40.06"), 5).unwrap(),
            "42TXK5522336003"
        );
        assert_eq!(format_dms(ok("70.82,40.06")), "40°03′36.0″N 70°49′12.0″E");
        assert_eq!(
            format_decimal(ok("70.82,40.06")),
            "40.060000° N, 70.820000° E"
        );
    }

    // --- Accepted forms -----------------------------------------------------------------

    #[test]
    fn accepted_forms() {
        let forms = [
            "70.82,40.06",
            "70.82, 40.06",
            "70.82 40.06",
            "  70.82 ;\t40.06 ",
            "40.06N 70.82E",
            "40.06 N, 70.82 E",
            "N40.06 E70.82",
            "N 40.06, E 70.82",
            "70.82E 40.06N",
            "E70.82 N40.06",
            "40.06n 70.82e",
            "40.060000° N, 70.820000° E",
            "40.06°N 70.82°E",
            "40.06° 70.82°E",
            "40°03′36″N 70°49′12″E",
            "40°03'36\"N 70°49'12\"E",
            "40°03'36''N 70°49'12''E",
            "40°03’36’’N 70°49’12’’E",
            "40° 03′ 36″ N, 70° 49′ 12″ E",
            "40 03 36 N 70 49 12 E",
            "N 40 03 36 E 70 49 12",
            "40°03.6′N 70°49.2′E",
            "40 3.6 N 70 49.2 E",
            "40d03m36sN 70d49m12sE",
            "40d03m36s N, 70d49m12s E",
            "40d3.6mN 70d49.2mE",
            "40°03′36.0″N 70°49′12.0″E",
        ];
        for form in forms {
            let p = ok(form);
            assert!(close_to(p, 70.82, 40.06, 1e-9), "{form:?} gave {p:?}");
        }
        let sw = [
            "-70.5 -39.8",
            "39.8S 70.5W",
            "W70.5 S39.8",
            "39°48′S 70°30′W",
            "39d48mS 70d30mW",
            "−70.5, −39.8",
        ];
        for form in sw {
            let p = ok(form);
            assert!(close_to(p, -70.5, -39.8, 1e-9), "{form:?} gave {p:?}");
        }
        let p = ok("-70.5, 39.8");
        assert!(close_to(p, -70.5, 39.8, 1e-12));
        // The letters decide, whatever the order; one letter is enough.
        assert!(close_to(ok("70.82 40.06N"), 70.82, 40.06, 1e-12));
        assert!(close_to(ok("40.06 70.82E"), 70.82, 40.06, 1e-12));
        assert!(close_to(ok("N40.06 70.82"), 70.82, 40.06, 1e-12));
        assert!(close_to(ok("70 40"), 70.0, 40.0, 0.0));
        assert!(close_to(ok("70,40"), 70.0, 40.0, 0.0));
        assert!(close_to(ok("0°30′S 0°30′W"), -0.5, -0.5, 1e-12));
        assert!(close_to(ok("-0 30, 0 30N"), -0.5, 0.5, 1e-12));
        assert!(close_to(ok("40S 70E, "), 70.0, -40.0, 0.0));
        assert!(close_to(ok("180, 90"), 180.0, 90.0, 0.0));
        assert!(close_to(ok("-180,-90"), -180.0, -90.0, 0.0));
    }

    #[test]
    fn place_names_are_not_coordinates() {
        for name in [
            "Vorukh",
            "Ворух",
            "Kok-Tash",
            "Кок-Таш",
            "Osh",
            "Naryn",
            "Sokh",
            "Eki-Tash",
            "Warsaw",
            "Isfara",
            "Batken",
            "",
            "   ",
            "N",
            "E",
            "NEWS",
            "sed",
            "東京",
            "NaN,NaN",
            "inf,0",
            "-inf, 0",
            "Route 66",
            "Sokh 2",
            "Naryn 41.4",
            "Ворух 40,70",
        ] {
            assert_eq!(parse(name), None, "{name:?}");
        }
    }

    // --- Errors -------------------------------------------------------------------------

    #[test]
    fn error_messages() {
        assert_eq!(
            err("70, 95"),
            "latitude 95 is out of range: expected -90 to 90"
        );
        assert_eq!(
            err("95N 70E"),
            "latitude 95 is out of range: expected -90 to 90"
        );
        assert_eq!(
            err("190, 40"),
            "longitude 190 is out of range: expected -180 to 180"
        );
        assert_eq!(
            err("40N 200.5W"),
            "longitude -200.5 is out of range: expected -180 to 180"
        );
        assert_eq!(
            err("40°75′N 70°49′E"),
            "minutes 75 is out of range: expected 0 to less than 60"
        );
        assert_eq!(
            err("40 60 00 N 70 00 00 E"),
            "minutes 60 is out of range: expected 0 to less than 60"
        );
        assert_eq!(
            err("40°03′60″N 70°49′12″E"),
            "seconds 60 is out of range: expected 0 to less than 60"
        );
        assert_eq!(
            err("42TXK55223"),
            "MGRS '42TXK55223' has an odd number of digits: expected 2, 4, 6, 8 or 10 digits \
             after the 100 km square"
        );
        assert!(err("42IXK5522336003").contains("band letter I is not valid"));
        assert!(err("42OXK5522336003").contains("band letter O is not valid"));
        assert!(err("42ZXK5522336003").contains("polar (UPS) zone, which is not supported"));
        assert!(err("61TXK5522336003").contains("zone 61 is out of range: expected 1 to 60"));
        assert!(err("0TXK5522336003").contains("zone 0 is out of range"));
        assert!(err("42TAK5522336003").contains("expected a column letter among STUVWXYZ"));
        assert!(err("42TXW5522336003").contains("row letter A to V"));
        assert!(err("42TXK552233600312").contains("expected at most 10"));
        // Row A in zone 42 is 1,500 km (mod 2,000 km) north: latitude 31.6° or 49.7°,
        // not in band T (40°N to 48°N).
        assert!(err("42TXA5522336003").contains("does not lie in latitude band T"));
        assert!(err("42T XK 5522 336003").contains("different numbers of digits"));
        let two_lat = "two latitudes (N/S) were given: expected one latitude (N or S) and one \
                       longitude (E or W)";
        assert_eq!(err("40N 70N"), two_lat);
        assert_eq!(err("40.06S, 70.82N"), two_lat);
        assert!(err("40E 70W").starts_with("two longitudes"));
        assert!(err("70.82").starts_with("expected a longitude and a latitude"));
        assert!(err("70.82, 40.06, 5").starts_with("expected a longitude and a latitude"));
        assert!(err("40°03′36″ 70°49′12″").contains("need hemisphere letters"));
        assert!(err("-40S 70E").contains("both a minus sign"));
        assert!(err("40.5°03′N 70E").contains("decimal point"));
        assert!(err("40 03 36 12 N 70E").contains("too many numbers"));
        assert!(err("40″03′N 70E").contains("out of order"));
        assert!(err("40′03°N 70E").starts_with("expected a longitude"));
        assert!(err("1.2.3, 4").contains("more than one decimal point"));
        assert!(err("40N ° 70E").contains("must follow a number"));
        assert!(err("40 @ 70").contains("unexpected character '@'"));
        assert!(err("1e308,1e308").starts_with("expected"));
        assert!(
            format_mgrs(
                LonLat {
                    lon: 70.0,
                    lat: 84.0
                },
                5
            )
            .unwrap_err()
            .0
            .contains("polar UPS zones are not supported")
        );
        assert!(
            format_mgrs(
                LonLat {
                    lon: 70.0,
                    lat: -80.5
                },
                5
            )
            .unwrap_err()
            .0
            .contains("polar UPS zones are not supported")
        );
        assert!(
            format_mgrs(
                LonLat {
                    lon: 70.0,
                    lat: 40.0
                },
                6
            )
            .unwrap_err()
            .0
            .contains("expected 0 to 5")
        );
        assert!(
            format_mgrs(
                LonLat {
                    lon: 70.0,
                    lat: 83.999
                },
                5
            )
            .is_ok()
        );
        assert!(
            format_mgrs(
                LonLat {
                    lon: 70.0,
                    lat: -80.0
                },
                5
            )
            .is_ok()
        );
    }

    // --- Round trips --------------------------------------------------------------------

    fn grid() -> Vec<LonLat> {
        let mut lons = vec![-180.0, -179.99, 179.99, 179.9999, 0.0, -0.0001, 0.0001];
        for zone_edge in (-174..=174).step_by(6) {
            let edge = f64::from(zone_edge);
            lons.extend([edge - 1e-4, edge + 1e-4]);
        }
        lons.extend([
            3.0001, 2.9999, 8.9999, 9.0001, 20.9999, 21.0001, 41.9999, 42.0001,
        ]);
        for i in 0..37 {
            lons.push(-179.3 + f64::from(i) * 9.87);
        }
        let mut lats = vec![
            -79.9999, -72.0001, -0.0001, 0.0, 0.0001, 56.0001, 63.9999, 72.0001,
        ];
        lats.extend([83.9999, 40.06, -33.8688, 78.2232]);
        for i in 0..17 {
            lats.push(-79.5 + f64::from(i) * 9.9);
        }
        let mut points = Vec::new();
        for &lat in &lats {
            for &lon in &lons {
                points.push(LonLat { lon, lat });
            }
        }
        points
    }

    #[test]
    fn decimal_round_trip() {
        for p in grid() {
            let text = format_decimal(p);
            let q = ok(&text);
            assert!(
                close_to(q, p.lon, p.lat, 5.0000001e-7),
                "{p:?} -> {text} -> {q:?}"
            );
        }
        for p in [
            LonLat {
                lon: -180.0,
                lat: -90.0,
            },
            LonLat {
                lon: 180.0,
                lat: 90.0,
            },
            LonLat {
                lon: -0.0000004,
                lat: -0.0000004,
            },
        ] {
            let q = ok(&format_decimal(p));
            assert!(close_to(q, p.lon, p.lat, 5.0000001e-7));
        }
    }

    #[test]
    fn dms_round_trip() {
        let tenth_second = 0.1 / 3600.0;
        for p in grid() {
            let text = format_dms(p);
            assert!(!text.contains("60.0″") && !text.contains("′60"), "{text}");
            let q = ok(&text);
            assert!(
                close_to(q, p.lon, p.lat, tenth_second / 2.0 + 1e-12),
                "{p:?} -> {text}"
            );
        }
        // 10°59′59.96″ rounds up to 11°00′00.0″, never 10°59′60.0″.
        let p = LonLat {
            lon: -(179.0 + 59.0 / 60.0 + 59.96 / 3600.0),
            lat: 10.0 + 59.0 / 60.0 + 59.96 / 3600.0,
        };
        assert_eq!(format_dms(p), "11°00′00.0″N 180°00′00.0″W");
        let p = LonLat {
            lon: 70.0 + 49.0 / 60.0 + 59.949 / 3600.0,
            lat: -(40.0 + 3.0 / 60.0 + 0.04 / 3600.0),
        };
        assert_eq!(format_dms(p), "40°03′00.0″S 70°49′59.9″E");
    }

    #[test]
    fn mgrs_round_trip() {
        for p in grid() {
            if !(-80.0..84.0).contains(&p.lat) {
                continue;
            }
            for digits in 0..=5_u8 {
                let text = format_mgrs(p, digits).unwrap();
                let q = parse_mgrs(&text).unwrap_or_else(|e| panic!("{p:?} -> {text}: {e}"));
                assert_eq!(ok(&text), q);
                // The centre of the square is within half its diagonal of the point.
                let size = 10_f64.powi(5 - i32::from(digits));
                let dy = (q.lat - p.lat) * 111_700.0;
                let dlon = normalize_lon(q.lon - p.lon);
                let dx = dlon * 111_700.0 * p.lat.to_radians().cos();
                let dist = dx.hypot(dy);
                assert!(
                    dist <= size * 0.72 + 0.01,
                    "{p:?} -> {text} -> {q:?}: {dist} m"
                );
                let on_zone_edge = ((p.lon + 180.0) / 6.0).fract().abs() < 1e-9;
                if digits == 5 && !on_zone_edge {
                    assert_eq!(format_mgrs(q, 5).unwrap(), text, "{p:?}");
                }
            }
        }
    }

    #[test]
    fn utm_round_trip() {
        for p in grid() {
            let Ok(u) = to_utm(p) else {
                assert!(!(-80.0..84.0).contains(&p.lat));
                continue;
            };
            let q = from_utm(&u);
            let dlon = normalize_lon(q.lon - p.lon);
            assert!(
                dlon.abs() < 1e-9 && (q.lat - p.lat).abs() < 1e-9,
                "{p:?} {u:?} {q:?}"
            );
        }
    }

    // --- Robustness ---------------------------------------------------------------------

    #[test]
    fn long_input_is_rejected_quickly() {
        let start = std::time::Instant::now();
        let digits = "1,".repeat(5000);
        assert!(matches!(parse(&digits), Some(Err(_))));
        assert!(parse_mgrs(&"4".repeat(10_000)).is_err());
        assert_eq!(parse(&"a".repeat(10_000)), None);
        let mixed = "40°03′36″N ".repeat(1000);
        assert!(err(&mixed).contains("too long"));
        assert!(start.elapsed() < std::time::Duration::from_millis(500));
    }

    #[test]
    fn fuzz_no_panics() {
        let pool: Vec<char> = "0123456789.,;+-− NnSsEeWwdm°º′″'\"’”x@ЖЁ東🙂\u{301}\t٣"
            .chars()
            .collect();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut inputs: Vec<String> = vec![
            "1e308,1e308".into(),
            "NaN,NaN".into(),
            "inf,0".into(),
            "0,inf".into(),
            "-0,-0".into(),
            "9".repeat(199),
            format!("{},0", "9".repeat(190)),
            format!("0,{}", "9".repeat(190)),
            format!("{}.5N 1E", "1".repeat(150)),
            format!("42TXK{}", "1".repeat(190)),
            "99TXK5522336003".into(),
            "1CAA".into(),
            "60XZV9999999999".into(),
            "1CAA0000000000".into(),
            "°′″".into(),
            "'".into(),
            "''''".into(),
            "-".into(),
            ".".into(),
            "+.".into(),
            "40°03′36″N\u{301} 70E".into(),
            "4 0 ° 0 3".into(),
        ];
        for _ in 0..5000 {
            let len = (next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| pool[(next() % pool.len() as u64) as usize])
                .collect();
            inputs.push(s);
        }
        for s in &inputs {
            if let Some(Ok(p)) = parse(s) {
                assert!(p.lon.is_finite() && p.lat.is_finite(), "{s:?} -> {p:?}");
                assert!((-180.0..=180.0).contains(&p.lon) && (-90.0..=90.0).contains(&p.lat));
            }
            let _ = parse_mgrs(s);
        }
        for p in [
            LonLat {
                lon: f64::NAN,
                lat: 0.0,
            },
            LonLat {
                lon: 0.0,
                lat: f64::NAN,
            },
            LonLat {
                lon: f64::INFINITY,
                lat: f64::NEG_INFINITY,
            },
            LonLat {
                lon: 1e308,
                lat: -1e308,
            },
            LonLat {
                lon: 540.0,
                lat: 0.0,
            },
        ] {
            let _ = format_decimal(p);
            let _ = format_dms(p);
            assert!(format_mgrs(p, 5).is_err(), "{p:?}");
            assert!(to_utm(p).is_err());
            let _ = from_utm(&Utm {
                zone: 0,
                north: true,
                easting: p.lon,
                northing: p.lat,
            });
        }
        // Every valid MGRS reference in every zone and square parses to a finite point.
        for zone in 1..=60_u8 {
            for &band in BANDS {
                for col in b'A'..=b'Z' {
                    for row in [b'A', b'F', b'L', b'V'] {
                        let text = format!(
                            "{zone}{}{}{}5050",
                            char::from(band),
                            char::from(col),
                            char::from(row)
                        );
                        if let Ok(p) = parse_mgrs(&text) {
                            assert!(p.lon.is_finite() && p.lat.is_finite(), "{text}");
                        }
                    }
                }
            }
        }
    }
}
