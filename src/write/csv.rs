//! CSV: the wide table (one row per report) and the long, tidy table (one row per value).
//!
//! Both start with a UTF-8 byte-order mark by default, so Excel on Chinese Windows opens them
//! as UTF-8 instead of GBK; pass `bom = false` for pipelines. The wide table's first row holds
//! field ids and its second row Chinese labels (`#` in the first column marks that row as a
//! label row for readers: ours skips it). Blank cells are empty fields; marks are written as
//! printed (`/`, `-`, `无`); numbers exactly.

use xxgk_schema::Report;

use crate::dataset;
use crate::error::{Error, Result};

/// The shape of a CSV dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// One row per report, one column per field.
    #[default]
    Wide,
    /// One row per value (tidy).
    Long,
}

impl std::str::FromStr for Shape {
    type Err = crate::error::BadName;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "wide" => Ok(Shape::Wide),
            "long" | "tidy" => Ok(Shape::Long),
            o => Err(crate::error::BadName {
                zh: format!("CSV 形式 {o:?} 无效（可用：wide、long）"),
                en: format!("CSV shape {o:?} is not one of wide, long"),
            }),
        }
    }
}

pub use crate::dataset::LABEL_ROW_MARK;

/// What the header of a wide CSV holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Labels {
    /// One row of field ids (`applications.new_applications.total`): what pandas, R, DuckDB and
    /// csvkit load with no options. The labels are in the codebook and the data package.
    #[default]
    Ids,
    /// One row of Chinese labels, for people reading the table in a spreadsheet (not read back).
    Zh,
    /// Field ids, then a second row of Chinese labels marked `#` in its first field (the form of
    /// xxgk before 0.2; read back).
    SecondRow,
}

impl std::str::FromStr for Labels {
    type Err = crate::error::BadName;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "ids" | "id" | "none" => Ok(Labels::Ids),
            "zh" => Ok(Labels::Zh),
            "second-row" => Ok(Labels::SecondRow),
            o => Err(crate::error::BadName {
                zh: format!("表头形式 {o:?} 无效（可用：ids、zh、second-row）"),
                en: format!("header form {o:?} is not one of ids, zh, second-row"),
            }),
        }
    }
}

/// How a CSV dataset is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Wide or long.
    pub shape: Shape,
    /// Start with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
    /// Prefix text that a spreadsheet would run as a formula with `'`.
    pub escape_formulas: bool,
    /// The wide table's header.
    pub labels: Labels,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            shape: Shape::Wide,
            bom: true,
            escape_formulas: true,
            labels: Labels::Ids,
        }
    }
}

/// Reports as CSV of the given shape, text escaped against formulas. For the long shape this is
/// the table of cells only (see [`write_csv_stream`] for the reports table beside it).
pub fn to_csv(reports: &[Report], shape: Shape, bom: bool) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    let opts = CsvOptions {
        shape,
        bom,
        ..Default::default()
    };
    write_csv(reports, &opts, &mut buf, None).map_err(|e| Error::Write {
        message_zh: format!("写入 CSV 失败：{e}"),
        message_en: format!("could not write CSV: {e}"),
    })?;
    Ok(buf)
}

/// Reports as CSV to `out` (and, for the long shape, their metadata and narrative to
/// `reports_out`).
pub fn write_csv(
    reports: &[Report],
    opts: &CsvOptions,
    out: &mut dyn std::io::Write,
    reports_out: Option<&mut dyn std::io::Write>,
) -> std::io::Result<()> {
    let ids = dataset::report_ids(reports);
    let columns = dataset::WideColumns::of(reports, &ids);
    write_csv_stream(
        &ids,
        &columns,
        &mut reports.iter().cloned().map(Ok),
        opts,
        out,
        reports_out,
    )
}

/// The file name of the reports table written beside a long CSV: `tidy.csv` → `tidy.reports.csv`.
pub fn reports_table_path(long: &std::path::Path) -> std::path::PathBuf {
    let stem = long
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    long.with_file_name(format!("{stem}.reports.csv"))
}

/// A data package's name for a file: its stem, lowercase, other characters as `-`.
fn resource_name(path: &std::path::Path, fallback: &str) -> String {
    let stem = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = stem.strip_suffix(".csv").unwrap_or(&stem);
    let name: String = stem
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if name.trim_matches('-').is_empty() {
        fallback.to_string()
    } else {
        name
    }
}

/// Where the data package of a CSV dataset is written: `datapackage.json` in its folder.
pub fn data_package_path(csv: &std::path::Path) -> std::path::PathBuf {
    csv.with_file_name("datapackage.json")
}

/// The Frictionless Data Package (`datapackage.json`) that describes a CSV dataset written to
/// `csv` with these columns and options (and, for the long shape, its reports table).
pub fn data_package(
    csv: &std::path::Path,
    columns: &dataset::WideColumns,
    opts: &CsvOptions,
) -> serde_json::Value {
    let file = |p: &std::path::Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let wide_resource = |path: &std::path::Path, keep: &dyn Fn(usize) -> bool, name: String| {
        let cols: Vec<&dataset::Column> = columns
            .columns
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, c)| c)
            .collect();
        crate::codebook::CsvResource {
            name,
            path: file(path),
            columns: cols.iter().map(|c| c.id.clone()).collect(),
            header: cols
                .iter()
                .map(|c| match opts.labels {
                    Labels::Zh => c.label_zh.clone(),
                    _ => c.id.clone(),
                })
                .collect(),
            label_row: opts.labels == Labels::SecondRow,
            bom: opts.bom,
            primary_key: vec![match opts.labels {
                Labels::Zh => "报告标识".into(),
                _ => "report_id".into(),
            }],
        }
    };
    match opts.shape {
        Shape::Wide => crate::codebook::data_package(
            &[wide_resource(csv, &|_| true, resource_name(csv, "reports"))],
            None,
        ),
        Shape::Long => {
            let meta = |i: usize| {
                !columns.is_cell_column(i)
                    && !matches!(
                        columns.columns[i].id.as_str(),
                        dataset::MARKS | dataset::DERIVED
                    )
            };
            let reports = reports_table_path(csv);
            let long = crate::codebook::CsvResource {
                name: resource_name(csv, "cells"),
                path: file(csv),
                columns: dataset::LONG_HEADER.iter().map(|s| s.to_string()).collect(),
                header: dataset::LONG_HEADER.iter().map(|s| s.to_string()).collect(),
                label_row: false,
                bom: opts.bom,
                primary_key: Vec::new(),
            };
            crate::codebook::data_package(
                &[wide_resource(
                    &reports,
                    &meta,
                    resource_name(&reports, "reports"),
                )],
                Some(&long),
            )
        }
    }
}

/// Whether a data package file was written by xxgk (so a new dataset in the same folder may add
/// its resources to it).
pub fn is_our_data_package(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .is_some_and(|v| v.get("x-xxgk-version").is_some() && v["resources"].is_array())
}

/// `new` with the resources of an earlier data package of ours in the same folder that
/// describe other files: one package describes every dataset xxgk wrote there.
pub fn merge_data_package(existing: &[u8], mut new: serde_json::Value) -> serde_json::Value {
    let Ok(old) = serde_json::from_slice::<serde_json::Value>(existing) else {
        return new;
    };
    if old.get("x-xxgk-version").is_none() {
        return new;
    }
    let ours: Vec<serde_json::Value> = new["resources"].as_array().cloned().unwrap_or_default();
    let paths: Vec<&serde_json::Value> = ours.iter().map(|r| &r["path"]).collect();
    let names: Vec<&serde_json::Value> = ours.iter().map(|r| &r["name"]).collect();
    let mut kept: Vec<serde_json::Value> = old["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| !paths.contains(&&r["path"]) && !names.contains(&&r["name"]))
        .collect();
    kept.extend(ours);
    new["resources"] = serde_json::Value::Array(kept);
    new
}

/// Like [`write_csv`], for reports that come one at a time (from a
/// [`super::stream::Spool`]): `ids` and `columns` are those of all of them, in order. For the
/// long shape, `reports_out` (when given) receives the reports table: one row per report with
/// its metadata and narrative (the wide table without its cells).
pub fn write_csv_stream(
    ids: &[String],
    columns: &dataset::WideColumns,
    reports: &mut dyn Iterator<Item = std::io::Result<Report>>,
    opts: &CsvOptions,
    out: &mut dyn std::io::Write,
    reports_out: Option<&mut dyn std::io::Write>,
) -> std::io::Result<()> {
    if opts.shape == Shape::Wide {
        let mut rows = reports
            .zip(ids)
            .map(|(r, id)| r.map(|r| columns.row(&r, id)));
        return write_csv_rows(columns, &mut rows, opts, out);
    }
    write_csv_with(
        columns,
        Input::Reports(ids, reports),
        opts,
        out,
        reports_out,
    )
}

/// The wide CSV of rows of `columns` (as [`super::stream::Reports::rows`] gives them).
pub fn write_csv_rows(
    columns: &dataset::WideColumns,
    rows: &mut dyn Iterator<Item = std::io::Result<Vec<dataset::Value>>>,
    opts: &CsvOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_csv_with(columns, Input::Rows(rows), opts, out, None)
}

/// What a CSV is written from: reports (the long shape) or wide rows.
enum Input<'a> {
    Reports(
        &'a [String],
        &'a mut dyn Iterator<Item = std::io::Result<Report>>,
    ),
    Rows(&'a mut dyn Iterator<Item = std::io::Result<Vec<dataset::Value>>>),
}

fn write_csv_with(
    columns: &dataset::WideColumns,
    input: Input<'_>,
    opts: &CsvOptions,
    out: &mut dyn std::io::Write,
    reports_out: Option<&mut dyn std::io::Write>,
) -> std::io::Result<()> {
    let esc = |s: String| -> String {
        if opts.escape_formulas {
            dataset::escape_formula(&s).into_owned()
        } else {
            s
        }
    };
    let start = |out: &mut dyn std::io::Write| -> std::io::Result<()> {
        if opts.bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        Ok(())
    };
    start(out)?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let io = |e: csv::Error| -> std::io::Error { std::io::Error::other(e) };
    let header = |w: &mut csv::Writer<&mut dyn std::io::Write>, keep: &dyn Fn(usize) -> bool| {
        let cols: Vec<&dataset::Column> = columns
            .columns
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, c)| c)
            .collect();
        match opts.labels {
            Labels::Zh => w.write_record(cols.iter().map(|c| c.label_zh.as_str())),
            Labels::Ids => w.write_record(cols.iter().map(|c| c.id.as_str())),
            Labels::SecondRow => {
                w.write_record(cols.iter().map(|c| c.id.as_str()))?;
                let mut labels: Vec<&str> = cols.iter().map(|c| c.label_zh.as_str()).collect();
                if let Some(first) = labels.first_mut() {
                    *first = LABEL_ROW_MARK;
                }
                w.write_record(&labels)
            }
        }
        .map_err(io)
    };
    let text_of = |v: &dataset::Value| match v {
        dataset::Value::Text(t) => esc(t.clone()),
        other => other.text(),
    };
    match input {
        Input::Rows(rows) => {
            header(&mut w, &|_| true)?;
            for row in rows {
                w.write_record(row?.iter().map(text_of)).map_err(io)?;
            }
        }
        Input::Reports(ids, reports) => {
            let meta = |i: usize| {
                !columns.is_cell_column(i)
                    && !matches!(
                        columns.columns[i].id.as_str(),
                        dataset::MARKS | dataset::DERIVED
                    )
            };
            let mut rw = match reports_out {
                Some(o) => {
                    start(o)?;
                    let mut m = csv::WriterBuilder::new()
                        .terminator(csv::Terminator::CRLF)
                        .from_writer(o);
                    header(&mut m, &meta)?;
                    Some(m)
                }
                None => None,
            };
            w.write_record(dataset::LONG_HEADER).map_err(io)?;
            for (r, id) in reports.zip(ids) {
                let r = r?;
                if let Some(m) = rw.as_mut() {
                    let row = columns.row(&r, id);
                    m.write_record(
                        row.iter()
                            .enumerate()
                            .filter(|(i, _)| meta(*i))
                            .map(|(_, v)| text_of(v)),
                    )
                    .map_err(io)?;
                }
                for mut row in dataset::long_rows(&r, id) {
                    // Text columns: agency and the labels.
                    for i in [1, 7, 8] {
                        row[i] = esc(std::mem::take(&mut row[i]));
                    }
                    w.write_record(&row).map_err(io)?;
                }
            }
            if let Some(mut m) = rw {
                m.flush()?;
            }
        }
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_schema::{Cell, Edition};

    #[test]
    fn wide_csv_has_bom_ids_and_labels() {
        let mut r = Report::blank_template(Edition::E2021);
        r.info_mut().agency = Some("某局, \"测试\"".into());
        if let Report::E2021(x) = &mut r {
            x.applications.as_mut().unwrap().new_applications.total.0 = Cell::int(7);
        }
        let out = to_csv(std::slice::from_ref(&r), Shape::Wide, true).unwrap();
        assert!(out.starts_with(b"\xEF\xBB\xBF"));
        let s = String::from_utf8(out[3..].to_vec()).unwrap();
        let lines: Vec<&str> = s.split("\r\n").collect();
        assert!(lines[0].starts_with("report_id,edition,agency,agency_key"));
        assert!(lines[1].contains("\"某局, \"\"测试\"\"\""));
        assert!(lines[0].contains("applications.new_applications.total"));
        // Labels only when asked: a second row marked `#`, or Chinese headers.
        let opts = CsvOptions {
            labels: Labels::SecondRow,
            bom: false,
            ..Default::default()
        };
        let mut two = Vec::new();
        write_csv(&[r.clone()], &opts, &mut two, None).unwrap();
        let two = String::from_utf8(two).unwrap();
        assert!(two
            .split("\r\n")
            .nth(1)
            .unwrap()
            .starts_with("#,表格版本,机关名称"));
        let opts = CsvOptions {
            labels: Labels::Zh,
            bom: false,
            ..Default::default()
        };
        let mut zh = Vec::new();
        write_csv(&[r], &opts, &mut zh, None).unwrap();
        assert!(String::from_utf8(zh)
            .unwrap()
            .starts_with("报告标识,表格版本,机关名称"));
    }
}
