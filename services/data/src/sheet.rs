//! Spreadsheets: read XLSX, XLS and ODS (calamine), write XLSX (rust_xlsxwriter).
//!
//! Hostile files are bounded before calamine sees them: a ZIP-based file (XLSX, ODS) is
//! decompressed once into a counting sink, so a zip bomb stops at `DATA_SHEET_MAX_UNZIPPED_MB`
//! whatever its directory claims; XLSX cells are read one at a time (calamine's cell reader), so
//! a sheet with one cell at A1 and one at XFD1048576 is refused by position instead of allocating
//! a 17-billion-cell grid; ODS row and column repeats are summed from `content.xml` first, for the
//! same reason. XLS (BIFF8) cannot exceed 65,536 × 256 cells.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Reader, Xlsx};
use chrono::{Datelike, NaiveDateTime, Timelike};
use quick_xml::events::Event;
use serde_json::{Map, Value};

use crate::convert::Format;
use crate::error::DataError;

/// Limits on spreadsheets.
#[derive(Debug, Clone, Copy)]
pub struct SheetLimits {
    /// Most data rows (`DATA_CSV_MAX_ROWS`).
    pub max_rows: usize,
    /// Most columns (`DATA_CSV_MAX_COLUMNS`).
    pub max_columns: usize,
    /// Most bytes a ZIP-based file may decompress to (`DATA_SHEET_MAX_UNZIPPED_MB`).
    pub max_unzipped: u64,
}

/// Which sheet, and which part of it.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// A sheet by name (string) or position from 0 (number); default the first.
    pub sheet: Option<Value>,
    /// An A1-style range (`B2:F100`); default the used area.
    pub range: Option<String>,
    /// The first row names the columns (default true).
    pub header: bool,
    /// Every sheet, as an object by name.
    pub all_sheets: bool,
}

fn bad(message: impl Into<String>) -> DataError {
    DataError::invalid("data", message)
}

fn field(field: &'static str, message: impl Into<String>) -> DataError {
    DataError::invalid(field, message)
}

/// Decompress every entry of a ZIP into a counting sink: the real size, not the claimed one.
fn check_zip(bytes: &[u8], max: u64, kind: &str) -> Result<(), DataError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        bad(format!(
            "is not a valid {kind} file (not a readable ZIP): {e}"
        ))
    })?;
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut f = zip
            .by_index(i)
            .map_err(|e| bad(format!("is not a valid {kind} file: {e}")))?;
        loop {
            let n = f
                .read(&mut buf)
                .map_err(|e| bad(format!("is not a valid {kind} file: {e}")))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > max {
                return Err(bad(format!(
                    "decompresses to more than {} MiB (DATA_SHEET_MAX_UNZIPPED_MB): refused as a possible zip bomb",
                    max >> 20
                )));
            }
        }
    }
    Ok(())
}

/// Sum ODS row and column repeats per table, as calamine would materialise them.
fn check_ods(bytes: &[u8], lim: SheetLimits) -> Result<(), DataError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| bad(format!("is not a valid ods file: {e}")))?;
    let mut content = Vec::new();
    zip.by_name("content.xml")
        .map_err(|_| bad("is not a valid ods file: no content.xml"))?
        .read_to_end(&mut content)
        .map_err(|e| bad(format!("is not a valid ods file: {e}")))?;
    let mut r = quick_xml::Reader::from_reader(content.as_slice());
    let repeat = |e: &quick_xml::events::BytesStart, name: &[u8]| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse().ok())
            .unwrap_or(1)
    };
    let (mut rows, mut pending_rows, mut cols_max) = (0u64, 0u64, 0u64);
    let (mut row_rep, mut cols, mut pending_cols, mut row_has) = (1u64, 0u64, 0u64, false);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.name().as_ref() {
                b"table:table" => (rows, pending_rows) = (0, 0),
                b"table:table-row" => {
                    (row_rep, cols, pending_cols, row_has) =
                        (repeat(&e, b"table:number-rows-repeated"), 0, 0, false);
                }
                b"table:table-cell" | b"table:covered-table-cell" => {
                    let rep = repeat(&e, b"table:number-columns-repeated");
                    let has_value = e
                        .attributes()
                        .flatten()
                        .any(|a| matches!(a.key.as_ref(), b"office:value-type" | b"table:formula"));
                    if has_value {
                        cols += pending_cols + rep;
                        pending_cols = 0;
                        row_has = true;
                    } else {
                        pending_cols += rep;
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.name().as_ref() == b"table:table-row" => {
                if row_has {
                    rows += pending_rows + row_rep;
                    pending_rows = 0;
                    cols_max = cols_max.max(cols);
                } else {
                    pending_rows += row_rep;
                }
                if rows > lim.max_rows as u64 + 1 {
                    return Err(bad(format!(
                        "has more than {} rows (DATA_CSV_MAX_ROWS)",
                        lim.max_rows
                    )));
                }
                if cols_max > lim.max_columns as u64 {
                    return Err(bad(format!(
                        "has more than {} columns (DATA_CSV_MAX_COLUMNS)",
                        lim.max_columns
                    )));
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Err(e) => return Err(bad(format!("is not a valid ods file: {e}"))),
            Ok(_) => {}
        }
    }
}

fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

fn when(dt: NaiveDateTime) -> Value {
    let date = dt.date();
    // Excel's day 0 (and 1900's phantom day): a time of day without a date.
    let time_only = date.year() == 1899 && date.month() == 12 && matches!(date.day(), 30 | 31);
    let has_time = dt.time() != chrono::NaiveTime::MIN;
    let ms = dt.nanosecond() / 1_000_000;
    let time = if ms > 0 {
        dt.format("%H:%M:%S%.3f").to_string()
    } else {
        dt.format("%H:%M:%S").to_string()
    };
    Value::String(match (time_only, has_time) {
        (true, _) => time,
        (false, false) => date.format("%Y-%m-%d").to_string(),
        (false, true) => format!("{}T{time}", date.format("%Y-%m-%d")),
    })
}

fn excel_dt(d: &calamine::ExcelDateTime) -> Value {
    if d.is_duration() {
        return match d.as_duration() {
            Some(dur) => {
                let s = dur.num_seconds();
                Value::String(format!("PT{}H{}M{}S", s / 3600, (s % 3600) / 60, s % 60))
            }
            None => number(d.as_f64()),
        };
    }
    d.as_datetime()
        .map(when)
        .unwrap_or_else(|| number(d.as_f64()))
}

fn from_ref(d: &DataRef) -> Value {
    match d {
        DataRef::Int(i) => Value::from(*i),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => Value::String(s.clone()),
        DataRef::SharedString(s) => Value::String((*s).to_string()),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => excel_dt(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::String(s.clone()),
        DataRef::Error(e) => Value::String(e.to_string()),
        DataRef::Empty => Value::Null,
    }
}

fn from_data(d: &Data) -> Value {
    match d {
        Data::Int(i) => Value::from(*i),
        Data::Float(f) => number(*f),
        Data::String(s) => Value::String(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => excel_dt(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::String(s.clone()),
        Data::Error(e) => Value::String(e.to_string()),
        Data::Empty => Value::Null,
    }
}

type Cells = Vec<(u32, u32, Value)>;

/// `B2:F100` as 0-based (row0, col0, row1, col1), inclusive.
fn parse_range(s: &str) -> Result<(u32, u32, u32, u32), DataError> {
    let bad_range = || {
        field(
            "range",
            format!("must be an A1-style range such as A1:D100; got {s:?}"),
        )
    };
    let cell = |c: &str| -> Option<(u32, u32)> {
        let c = c.trim().replace('$', "");
        let split = c.find(|ch: char| ch.is_ascii_digit())?;
        let (letters, digits) = c.split_at(split);
        if letters.is_empty() || letters.len() > 3 {
            return None;
        }
        let mut col: u32 = 0;
        for ch in letters.chars() {
            if !ch.is_ascii_alphabetic() {
                return None;
            }
            col = col * 26 + (ch.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
        }
        let row: u32 = digits.parse().ok().filter(|r| *r >= 1)?;
        Some((row - 1, col - 1))
    };
    let (a, b) = s.split_once(':').ok_or_else(bad_range)?;
    let (r0, c0) = cell(a).ok_or_else(bad_range)?;
    let (r1, c1) = cell(b).ok_or_else(bad_range)?;
    if r1 < r0 || c1 < c0 {
        return Err(bad_range());
    }
    Ok((r0, c0, r1, c1))
}

fn check_pos(r: u32, c: u32, lim: SheetLimits) -> Result<(), DataError> {
    if r as usize > lim.max_rows {
        return Err(bad(format!(
            "has a cell in row {} , past {} rows (DATA_CSV_MAX_ROWS)",
            r + 1,
            lim.max_rows
        )));
    }
    if c as usize >= lim.max_columns {
        return Err(bad(format!(
            "has a cell in column {}, past {} columns (DATA_CSV_MAX_COLUMNS)",
            c + 1,
            lim.max_columns
        )));
    }
    Ok(())
}

fn header_names(row: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(row.len());
    for (i, v) in row.iter().enumerate() {
        let base = match v {
            Value::Null => format!("field_{}", i + 1),
            Value::String(s) if s.trim().is_empty() => format!("field_{}", i + 1),
            Value::String(s) => s.trim().to_string(),
            other => other.to_string(),
        };
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

/// Sparse cells to records (or rows): the used area, or `range`; wholly empty rows skipped.
fn table(cells: Cells, opt: &ReadOptions, lim: SheetLimits) -> Result<Value, DataError> {
    let window = opt.range.as_deref().map(parse_range).transpose()?;
    let cells: Cells = match window {
        Some((r0, c0, r1, c1)) => cells
            .into_iter()
            .filter(|(r, c, _)| (r0..=r1).contains(r) && (c0..=c1).contains(c))
            .collect(),
        None => cells,
    };
    let cells: Cells = cells.into_iter().filter(|(_, _, v)| !v.is_null()).collect();
    if cells.is_empty() {
        return Ok(Value::Array(Vec::new()));
    }
    let (r0, c0) = match window {
        Some((r0, c0, _, _)) => (r0, c0),
        None => (
            cells.iter().map(|c| c.0).min().unwrap_or(0),
            cells.iter().map(|c| c.1).min().unwrap_or(0),
        ),
    };
    let width = cells.iter().map(|c| c.1 - c0 + 1).max().unwrap_or(0) as usize;
    if width > lim.max_columns {
        return Err(bad(format!(
            "has more than {} columns (DATA_CSV_MAX_COLUMNS)",
            lim.max_columns
        )));
    }
    let mut rows: BTreeMap<u32, Vec<Value>> = BTreeMap::new();
    for (r, c, v) in cells {
        let row = rows
            .entry(r - r0)
            .or_insert_with(|| vec![Value::Null; width]);
        row[(c - c0) as usize] = v;
    }
    let mut it = rows.into_values();
    if !opt.header {
        let out: Vec<Value> = it.map(Value::Array).collect();
        if out.len() > lim.max_rows {
            return Err(bad(format!(
                "has more than {} rows (DATA_CSV_MAX_ROWS)",
                lim.max_rows
            )));
        }
        return Ok(Value::Array(out));
    }
    let names = header_names(&it.next().unwrap_or_default());
    let mut out = Vec::new();
    for row in it {
        if out.len() == lim.max_rows {
            return Err(bad(format!(
                "has more than {} rows (DATA_CSV_MAX_ROWS)",
                lim.max_rows
            )));
        }
        let mut m = Map::with_capacity(width);
        for (k, v) in names.iter().zip(row) {
            m.insert(k.clone(), v);
        }
        out.push(Value::Object(m));
    }
    Ok(Value::Array(out))
}

fn pick_sheet(names: &[String], sheet: Option<&Value>) -> Result<String, DataError> {
    let listed = || names.join(", ");
    match sheet {
        None => names.first().cloned().ok_or_else(|| bad("has no sheets")),
        Some(Value::String(s)) => names.iter().find(|n| *n == s).cloned().ok_or_else(|| {
            field(
                "sheet",
                format!("names no sheet of this file: {s:?} (sheets: {})", listed()),
            )
        }),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|i| names.get(i as usize))
            .cloned()
            .ok_or_else(|| {
                field(
                    "sheet",
                    format!(
                        "is out of range: the file has {} sheets ({})",
                        names.len(),
                        listed()
                    ),
                )
            }),
        Some(other) => Err(field(
            "sheet",
            format!("must be a sheet name or a position from 0; got {other}"),
        )),
    }
}

/// The sheets to read: all, or the one `sheet` names.
fn wanted(names: Vec<String>, opt: &ReadOptions) -> Result<Vec<String>, DataError> {
    if opt.all_sheets {
        Ok(names)
    } else {
        Ok(vec![pick_sheet(&names, opt.sheet.as_ref())?])
    }
}

/// Read a spreadsheet into records (or rows), or, with `allSheets`, an object of them by sheet.
pub fn read(
    bytes: &[u8],
    kind: Format,
    opt: &ReadOptions,
    lim: SheetLimits,
) -> Result<Value, DataError> {
    let kname = kind.name();
    if matches!(kind, Format::Xlsx | Format::Ods) {
        check_zip(bytes, lim.max_unzipped, kname)?;
    }
    if kind == Format::Ods {
        check_ods(bytes, lim)?;
    }
    let mut out = Map::new();
    if kind == Format::Xlsx {
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
            .map_err(|e| bad(format!("is not a valid xlsx file: {e}")))?;
        let wanted = wanted(wb.sheet_names(), opt)?;
        for name in wanted {
            let mut reader = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| bad(format!("sheet {name:?} cannot be read: {e}")))?;
            let mut cells = Vec::new();
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| bad(format!("sheet {name:?} cannot be read: {e}")))?
            {
                let (r, c) = cell.get_position();
                check_pos(r, c, lim)?;
                cells.push((r, c, from_ref(cell.get_value())));
            }
            drop(reader);
            out.insert(name, table(cells, opt, lim)?);
        }
    } else {
        let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|e| bad(format!("is not a valid {kname} file: {e}")))?;
        let wanted = wanted(wb.sheet_names(), opt)?;
        for name in wanted {
            let range = wb
                .worksheet_range(&name)
                .map_err(|e| bad(format!("sheet {name:?} cannot be read: {e}")))?;
            let (sr, sc) = range.start().unwrap_or((0, 0));
            let mut cells = Vec::new();
            for (r, c, v) in range.cells() {
                let (r, c) = (sr + r as u32, sc + c as u32);
                if !matches!(v, Data::Empty) {
                    check_pos(r, c, lim)?;
                    cells.push((r, c, from_data(v)));
                }
            }
            out.insert(name, table(cells, opt, lim)?);
        }
    }
    if opt.all_sheets {
        Ok(Value::Object(out))
    } else {
        Ok(out
            .into_iter()
            .next()
            .map(|(_, v)| v)
            .unwrap_or(Value::Null))
    }
}

fn xerr(e: rust_xlsxwriter::XlsxError) -> DataError {
    bad(format!("cannot be written as xlsx: {e}"))
}

/// A naive ISO date or date-time string as an Excel date, with its number format.
fn as_excel_date(s: &str) -> Option<(rust_xlsxwriter::ExcelDateTime, &'static str)> {
    let b = s.as_bytes();
    let date_like = b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[8..10].iter().all(u8::is_ascii_digit);
    if !date_like {
        return None;
    }
    let date_only = b.len() == 10;
    let (dt, format) = if date_only {
        let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        (d.and_time(chrono::NaiveTime::MIN), "yyyy-mm-dd")
    } else {
        let t = s.replacen(' ', "T", 1);
        let dt = NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M"))
            .ok()?;
        (dt, "yyyy-mm-dd hh:mm:ss")
    };
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(
        u16::try_from(dt.year()).ok()?,
        dt.month() as u8,
        dt.day() as u8,
    )
    .ok()?;
    let x = if date_only {
        day
    } else {
        day.and_hms_milli(
            dt.hour() as u16,
            dt.minute() as u8,
            dt.second() as u8,
            (dt.nanosecond() / 1_000_000) as u16,
        )
        .ok()?
    };
    Some((x, format))
}

fn write_sheet(
    ws: &mut rust_xlsxwriter::Worksheet,
    rows: &[Value],
    bold: &rust_xlsxwriter::Format,
    formats: &BTreeMap<&'static str, rust_xlsxwriter::Format>,
) -> Result<(), DataError> {
    let mut columns: Vec<String> = Vec::new();
    let records = rows.iter().all(Value::is_object);
    if records {
        for r in rows {
            if let Value::Object(m) = r {
                for k in m.keys() {
                    if !columns.contains(k) {
                        columns.push(k.clone());
                    }
                }
            }
        }
        for (c, name) in columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, name, bold)
                .map_err(xerr)?;
        }
        if !columns.is_empty() {
            ws.set_freeze_panes(1, 0).map_err(xerr)?;
        }
    }
    let top = u32::from(records);
    for (i, r) in rows.iter().enumerate() {
        let row = top + u32::try_from(i).map_err(|_| bad("has too many rows for xlsx"))?;
        let cells: Vec<&Value> = match r {
            Value::Object(m) => columns
                .iter()
                .map(|k| m.get(k).unwrap_or(&Value::Null))
                .collect(),
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for (c, v) in cells.into_iter().enumerate() {
            let col =
                u16::try_from(c).map_err(|_| bad("has more columns than xlsx allows (16,384)"))?;
            match v {
                Value::Null => continue,
                Value::Bool(b) => ws.write_boolean(row, col, *b),
                Value::Number(n) => ws.write_number(row, col, n.as_f64().unwrap_or(0.0)),
                Value::String(s) => match as_excel_date(s) {
                    Some((d, f)) => match formats.get(f) {
                        Some(fmt) => ws.write_datetime_with_format(row, col, &d, fmt),
                        None => ws.write_string(row, col, s),
                    },
                    None => ws.write_string(row, col, s),
                },
                nested => ws.write_string(row, col, nested.to_string()),
            }
            .map_err(xerr)?;
        }
    }
    ws.autofit();
    Ok(())
}

/// Records (or rows) as an XLSX file: one sheet from an array, or one per key of an object of
/// arrays. Header bold and frozen, columns fitted, ISO dates written as Excel dates.
pub fn write_xlsx(v: &Value) -> Result<Vec<u8>, DataError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let mut formats = BTreeMap::new();
    for f in ["yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"] {
        formats.insert(f, rust_xlsxwriter::Format::new().set_num_format(f));
    }
    let sheets: Vec<(String, &Vec<Value>)> = match v {
        Value::Array(rows) => vec![("Sheet1".to_string(), rows)],
        Value::Object(m) if !m.is_empty() && m.values().all(Value::is_array) => m
            .iter()
            .filter_map(|(k, v)| v.as_array().map(|a| (k.clone(), a)))
            .collect(),
        other => {
            return Err(bad(format!(
                "must be an array of records (one sheet) or an object of such arrays by sheet name to write xlsx; got {}",
                crate::convert::kind(other)
            )));
        }
    };
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(|e| {
            bad(format!(
                "has the sheet name {name:?}, which xlsx refuses: {e}"
            ))
        })?;
        write_sheet(ws, rows, &bold, &formats)?;
    }
    wb.save_to_buffer().map_err(xerr)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use flowforge_kit::DomainError;
    use serde_json::json;

    const LIM: SheetLimits = SheetLimits {
        max_rows: 1000,
        max_columns: 50,
        max_unzipped: 64 << 20,
    };

    fn opts() -> ReadOptions {
        ReadOptions {
            header: true,
            ..ReadOptions::default()
        }
    }

    #[test]
    fn xlsx_round_trip_with_dates_and_sheets() {
        let data = json!({
            "Orders":[{"id":1,"when":"2024-03-10","at":"2024-03-10T14:30:00","paid":true,"total":12.5,"note":null},
                      {"id":2,"when":"2024-03-11","at":"2024-03-11 08:00","paid":false,"total":3,"note":"x"}],
            "Empty":[]
        });
        let bytes = write_xlsx(&data).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let v = read(&bytes, Format::Xlsx, &opts(), LIM).unwrap();
        assert_eq!(
            v,
            json!([{"id":1,"when":"2024-03-10","at":"2024-03-10T14:30:00","paid":true,"total":12.5,"note":null},
                   {"id":2,"when":"2024-03-11","at":"2024-03-11T08:00:00","paid":false,"total":3,"note":"x"}])
        );
        let all = read(
            &bytes,
            Format::Xlsx,
            &ReadOptions {
                all_sheets: true,
                ..opts()
            },
            LIM,
        )
        .unwrap();
        assert_eq!(all["Empty"], json!([]));
        let second = ReadOptions {
            sheet: Some(json!(1)),
            ..opts()
        };
        assert_eq!(read(&bytes, Format::Xlsx, &second, LIM).unwrap(), json!([]));
        let rows = ReadOptions {
            header: false,
            range: Some("A1:B2".into()),
            ..opts()
        };
        assert_eq!(
            read(&bytes, Format::Xlsx, &rows, LIM).unwrap(),
            json!([["id", "when"], [1, "2024-03-10"]])
        );
        let e = read(
            &bytes,
            Format::Xlsx,
            &ReadOptions {
                sheet: Some(json!("Nope")),
                ..opts()
            },
            LIM,
        )
        .unwrap_err();
        assert_eq!(e.field(), "sheet");
        assert!(e.hint().contains("Orders, Empty"), "{}", e.hint());
        assert_eq!(parse_range("b2:$AA$10").unwrap(), (1, 1, 9, 26));
        assert!(parse_range("2B:C3").is_err());
    }

    #[test]
    fn limits_hold_before_memory_is_spent() {
        // One cell at A1 and one far away: refused by position, not allocated as a grid.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "a").unwrap();
        ws.write_string(1_048_575, 16_383, "z").unwrap();
        let far = wb.save_to_buffer().unwrap();
        let e = read(&far, Format::Xlsx, &opts(), LIM).unwrap_err();
        assert!(e.hint().contains("DATA_CSV_MAX_ROWS"), "{}", e.hint());
        // A zip that inflates past the limit.
        let big: Vec<Value> = (0..2000)
            .map(|i| json!({"k": "x".repeat(500), "i": i}))
            .collect();
        let bytes = write_xlsx(&Value::Array(big)).unwrap();
        let tight = SheetLimits {
            max_unzipped: 100 << 10,
            max_rows: 10_000,
            ..LIM
        };
        let e = read(&bytes, Format::Xlsx, &opts(), tight).unwrap_err();
        assert!(e.hint().contains("zip bomb"), "{}", e.hint());
        assert!(read(b"not a spreadsheet", Format::Xlsx, &opts(), LIM).is_err());
        assert!(read(b"not a spreadsheet", Format::Xls, &opts(), LIM).is_err());
        assert!(write_xlsx(&json!({"bad/name":[{"a":1}]})).is_err());
        assert!(write_xlsx(&json!(3)).is_err());
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn xls_and_ods_from_other_writers() {
        let people = json!([
            {"name":"Ada","born":"1815-12-10","score":91.5,"active":true},
            {"name":"Alan","born":"1912-06-23","score":88,"active":false}
        ]);
        for (file, kind) in [("sample.xls", Format::Xls), ("sample.ods", Format::Ods)] {
            let bytes = fixture(file);
            let v = read(&bytes, kind, &opts(), LIM).unwrap();
            assert_eq!(v, people, "{file}");
            let all = read(
                &bytes,
                kind,
                &ReadOptions {
                    all_sheets: true,
                    header: false,
                    ..opts()
                },
                LIM,
            )
            .unwrap();
            assert_eq!(all["Second"], json!([["only"]]), "{file}");
        }
    }

    #[test]
    fn an_ods_repeat_bomb_is_refused_from_its_counts() {
        let e = read(&fixture("bomb.ods"), Format::Ods, &opts(), LIM).unwrap_err();
        assert!(e.hint().contains("DATA_CSV_MAX_"), "{}", e.hint());
    }
}
