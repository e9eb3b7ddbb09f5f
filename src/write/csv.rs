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

/// Reports as CSV of the given shape, text escaped against formulas.
pub fn to_csv(reports: &[Report], shape: Shape, bom: bool) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    write_csv(reports, shape, bom, true, &mut buf).map_err(|e| Error::Write {
        message_zh: format!("写入 CSV 失败：{e}"),
        message_en: format!("could not write CSV: {e}"),
    })?;
    Ok(buf)
}

/// Stream reports as CSV of the given shape to `out`, row by row. With `escape_formulas`, text
/// that Excel would run as a formula gets a leading `'` ([`dataset::escape_formula`]); our
/// readers remove it.
pub fn write_csv(
    reports: &[Report],
    shape: Shape,
    bom: bool,
    escape_formulas: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let ids = dataset::report_ids(reports);
    let columns = match shape {
        Shape::Wide => dataset::WideColumns::of(reports, &ids),
        Shape::Long => dataset::WideColumnsBuilder::default().finish(),
    };
    write_csv_stream(
        &ids,
        &columns,
        &mut reports.iter().cloned().map(Ok),
        shape,
        bom,
        escape_formulas,
        out,
    )
}

/// Like [`write_csv`], for reports that come one at a time (from a
/// [`super::stream::Spool`]): `ids` and `columns` are those of all of them, in order.
pub fn write_csv_stream(
    ids: &[String],
    columns: &dataset::WideColumns,
    reports: &mut dyn Iterator<Item = std::io::Result<Report>>,
    shape: Shape,
    bom: bool,
    escape_formulas: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let esc = |s: String| -> String {
        if escape_formulas {
            dataset::escape_formula(&s).into_owned()
        } else {
            s
        }
    };
    if bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let io = |e: csv::Error| -> std::io::Error { std::io::Error::other(e) };
    match shape {
        Shape::Wide => {
            let cols = columns;
            w.write_record(cols.columns.iter().map(|c| c.id.as_str()))
                .map_err(io)?;
            let mut labels: Vec<&str> = cols.columns.iter().map(|c| c.label_zh.as_str()).collect();
            if let Some(first) = labels.first_mut() {
                *first = LABEL_ROW_MARK;
            }
            w.write_record(&labels).map_err(io)?;
            for (r, id) in reports.zip(ids) {
                let r = r?;
                w.write_record(cols.row(&r, id).iter().map(|v| match v {
                    dataset::Value::Text(t) => esc(t.clone()),
                    other => other.text(),
                }))
                .map_err(io)?;
            }
        }
        Shape::Long => {
            w.write_record(dataset::LONG_HEADER).map_err(io)?;
            for (r, id) in reports.zip(ids) {
                for mut row in dataset::long_rows(&r?, id) {
                    // Text columns: agency, the labels, and the value of metadata rows.
                    let text_cols: &[usize] = if row[4] == "info" {
                        &[1, 7, 8, 10]
                    } else {
                        &[1, 7, 8]
                    };
                    for &i in text_cols {
                        row[i] = esc(std::mem::take(&mut row[i]));
                    }
                    w.write_record(&row).map_err(io)?;
                }
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
        let out = to_csv(&[r], Shape::Wide, true).unwrap();
        assert!(out.starts_with(b"\xEF\xBB\xBF"));
        let s = String::from_utf8(out[3..].to_vec()).unwrap();
        let lines: Vec<&str> = s.split("\r\n").collect();
        assert!(lines[0].starts_with("report_id,edition,agency"));
        assert!(lines[1].starts_with("#,表格版本,机关名称"));
        assert!(lines[2].contains("\"某局, \"\"测试\"\"\""));
        assert!(lines[0].contains("applications.new_applications.total"));
    }
}
