//! Reports handed to an output one at a time, so a batch of any size holds only the reports
//! being read (memory is flat in the number of reports).
//!
//! * [`ReportWriter`] writes JSON, NDJSON and XML as each report arrives; the bytes are the same
//!   as the whole-list writers ([`super::json::write_json`], [`crate::xml_form::to_xml`]) give.
//! * [`Spool`] holds the reports of a dataset (CSV, xlsx) whose header needs every report's
//!   fields and ids before the first row: up to [`SPOOL_IN_MEMORY`] reports in memory, beyond
//!   that in an anonymous temporary file (deleted by the operating system when closed), while
//!   the ids and columns are gathered as the reports pass. A spool for a wide table only
//!   ([`Spool::for_rows`]) keeps each report on disk as its wide-table items, in a compact
//!   binary record, instead of as JSON: nothing is parsed or flattened again on the way back.
//!
//! Owns ordering and buffering only; what a row or a line holds is the writers' business.

use std::io::{BufRead, BufReader, BufWriter, Read, Seek, Write};

use xxgk_schema::Report;

use super::OutputFormat;
use crate::dataset::{self, WideColumns, WideColumnsBuilder};

/// Reports a [`Spool`] keeps in memory before it moves them to a temporary file.
pub const SPOOL_IN_MEMORY: usize = 256;

/// A writer of JSON, NDJSON or XML that takes one report at a time.
pub struct ReportWriter<'a> {
    format: OutputFormat,
    out: &'a mut dyn Write,
    count: usize,
    /// JSON: the first report, pretty-printed, until it is known whether a second follows (one
    /// report is written as an object, several as an array).
    first: Option<Vec<u8>>,
    /// NDJSON: the line being written (kept for its room).
    line: Vec<u8>,
}

impl<'a> ReportWriter<'a> {
    /// A writer for `format` (JSON, NDJSON or XML; others are [`Spool`]ed).
    pub fn new(format: OutputFormat, out: &'a mut dyn Write) -> ReportWriter<'a> {
        debug_assert!(matches!(
            format,
            OutputFormat::Json | OutputFormat::Ndjson | OutputFormat::Xml
        ));
        ReportWriter {
            format,
            out,
            count: 0,
            first: None,
            line: Vec::new(),
        }
    }

    /// Reports written so far.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Write the next report.
    pub fn push(&mut self, report: &Report) -> std::io::Result<()> {
        match self.format {
            OutputFormat::Ndjson => {
                super::json::ndjson_line(report, &mut self.line)?;
                self.out.write_all(&self.line)?;
            }
            OutputFormat::Xml => {
                if self.count == 0 {
                    self.out
                        .write_all(crate::xml_form::document_start().as_bytes())?;
                }
                self.out
                    .write_all(crate::xml_form::report_element(report).as_bytes())?;
            }
            _ => {
                let pretty = serde_json::to_vec_pretty(report)?;
                match self.count {
                    0 => self.first = Some(pretty),
                    1 => {
                        let first = self.first.take().unwrap_or_default();
                        self.out.write_all(b"[\n")?;
                        write_indented(&first, self.out)?;
                        self.out.write_all(b",\n")?;
                        write_indented(&pretty, self.out)?;
                    }
                    _ => {
                        self.out.write_all(b",\n")?;
                        write_indented(&pretty, self.out)?;
                    }
                }
            }
        }
        self.count += 1;
        Ok(())
    }

    /// End the document. Nothing is written when no report was.
    pub fn finish(mut self) -> std::io::Result<()> {
        match self.format {
            OutputFormat::Ndjson => {}
            OutputFormat::Xml => {
                if self.count > 0 {
                    self.out
                        .write_all(crate::xml_form::document_end().as_bytes())?;
                }
            }
            _ => match self.count {
                0 => {}
                1 => {
                    self.out.write_all(&self.first.take().unwrap_or_default())?;
                    self.out.write_all(b"\n")?;
                }
                _ => self.out.write_all(b"\n]\n")?,
            },
        }
        self.out.flush()
    }
}

/// A pretty-printed report as an element of a pretty-printed array: every line two spaces in
/// (JSON strings hold no raw line breaks, so lines are the formatter's own).
fn write_indented(pretty: &[u8], out: &mut dyn Write) -> std::io::Result<()> {
    for (i, line) in pretty.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(b"  ")?;
        out.write_all(line)?;
    }
    Ok(())
}

/// The reports of a dataset, held until their ids and columns are known.
#[derive(Default)]
pub struct Spool {
    memory: Vec<Report>,
    file: Option<BufWriter<std::fs::File>>,
    stems: Vec<String>,
    columns: WideColumnsBuilder,
    /// For a spool of wide rows: the item ids met so far, numbered in the records.
    rows: Option<Names>,
}

/// Item ids numbered in order of first appearance.
#[derive(Default)]
struct Names {
    number: rustc_hash::FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    fn number(&mut self, id: &str) -> u32 {
        if let Some(&n) = self.number.get(id) {
            return n;
        }
        let n = self.names.len() as u32;
        self.names.push(id.to_string());
        self.number.insert(id.to_string(), n);
        n
    }
}

impl Spool {
    /// An empty spool, of reports given back as reports.
    pub fn new() -> Spool {
        Spool::default()
    }

    /// An empty spool of reports that will only be wide-table rows: those beyond
    /// [`SPOOL_IN_MEMORY`] are kept as their items ([`Reports::rows`] gives them back; as
    /// reports, the [`Reports`] iterator fails on them).
    pub fn for_rows() -> Spool {
        Spool {
            rows: Some(Names::default()),
            ..Spool::default()
        }
    }

    /// Reports held.
    pub fn len(&self) -> usize {
        self.stems.len()
    }

    /// Whether no report is held.
    pub fn is_empty(&self) -> bool {
        self.stems.is_empty()
    }

    /// Take the next report.
    pub fn push(&mut self, report: Report) -> std::io::Result<()> {
        let stem = dataset::report_stem(&report, self.stems.len());
        self.columns.add(&report, &stem);
        self.stems.push(stem);
        if self.file.is_none() && self.memory.len() < SPOOL_IN_MEMORY {
            self.memory.push(report);
            return Ok(());
        }
        let f = match &mut self.file {
            Some(f) => f,
            // The reports in memory stay there: the first come back from memory, the rest
            // from the file, in order.
            None => self
                .file
                .insert(BufWriter::with_capacity(1 << 20, tempfile::tempfile()?)),
        };
        match &mut self.rows {
            None => {
                serde_json::to_writer(&mut *f, &report)?;
                f.write_all(b"\n")
            }
            Some(names) => write_record(f, names, &report),
        }
    }

    /// The reports' ids (unique, in order), their wide columns, and the reports again in order.
    pub fn finish(self) -> std::io::Result<Spooled> {
        let ids = dataset::unique_ids(&self.stems);
        let columns = self.columns.finish();
        let file = match self.file {
            None => None,
            Some(f) => {
                let mut f = f.into_inner().map_err(|e| e.into_error())?;
                f.rewind()?;
                Some(BufReader::with_capacity(1 << 20, f))
            }
        };
        Ok(Spooled {
            ids,
            columns,
            reports: Reports {
                memory: self.memory.into_iter(),
                file,
                line: Vec::new(),
                names: self.rows.map(|n| n.names),
            },
        })
    }
}

/// A finished [`Spool`].
pub struct Spooled {
    /// One id per report.
    pub ids: Vec<String>,
    /// The wide table's columns.
    pub columns: WideColumns,
    /// The reports, in the order they were pushed.
    pub reports: Reports,
}

/// The spooled reports, read back in order: those held in memory, then those in the file.
pub struct Reports {
    memory: std::vec::IntoIter<Report>,
    file: Option<BufReader<std::fs::File>>,
    line: Vec<u8>,
    /// For a spool of rows: the names of the item numbers in its records.
    names: Option<Vec<String>>,
}

impl Iterator for Reports {
    type Item = std::io::Result<Report>;
    fn next(&mut self) -> Option<Self::Item> {
        if let Some(r) = self.memory.next() {
            return Some(Ok(r));
        }
        let f = self.file.as_mut()?;
        if self.names.is_some() {
            self.file = None;
            return Some(Err(std::io::Error::other(
                "internal: a spool of wide rows read back as reports",
            )));
        }
        self.line.clear();
        match f.read_until(b'\n', &mut self.line) {
            Ok(0) => None,
            Ok(_) => Some(serde_json::from_slice(&self.line).map_err(std::io::Error::other)),
            Err(e) => Some(Err(e)),
        }
    }
}

impl Reports {
    /// The reports' rows of the wide table `columns` ([`WideColumns::row`] of each, with its
    /// id from `ids`), in order; from a spool of either kind.
    pub fn rows<'a>(
        &'a mut self,
        columns: &'a WideColumns,
        ids: &'a [String],
    ) -> impl Iterator<Item = std::io::Result<Vec<dataset::Value>>> + 'a {
        let reports = self;
        ids.iter().map_while(move |id| {
            if let Some(r) = reports.memory.next() {
                return Some(Ok(columns.row(&r, id)));
            }
            let Some(names) = &reports.names else {
                return reports.next().map(|r| r.map(|r| columns.row(&r, id)));
            };
            let f = reports.file.as_mut()?;
            Some(read_record(f, names).map(|items| columns.place(items, id)))
        })
    }
}

// A spooled row record: the number of items (u32), then per item its name number (u32), a
// flag byte (1: derived) and its value: a tag byte, then for a number its 16 bytes
// (`Decimal::serialize`), for a mark its text's byte length and text, for a text its byte
// length (u32) and bytes, for an integer its 8 bytes. Little-endian throughout.
const TAG_EMPTY: u8 = 0;
const TAG_BLANK: u8 = 1;
const TAG_NUMBER: u8 = 2;
const TAG_MARK: u8 = 3;
const TAG_TEXT: u8 = 4;
const TAG_INT: u8 = 5;

fn write_record(f: &mut impl Write, names: &mut Names, report: &Report) -> std::io::Result<()> {
    use dataset::Value;
    use xxgk_schema::Cell;
    let items = dataset::wide_items(report);
    let mut buf = Vec::with_capacity(items.len() * 24);
    buf.extend_from_slice(&(items.len() as u32).to_le_bytes());
    let text = |buf: &mut Vec<u8>, s: &str| {
        buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
        buf.extend_from_slice(s.as_bytes());
    };
    for it in &items {
        buf.extend_from_slice(&names.number(&it.id).to_le_bytes());
        buf.push(u8::from(it.derived));
        match &it.value {
            Value::Empty => buf.push(TAG_EMPTY),
            Value::Cell(Cell::Blank) => buf.push(TAG_BLANK),
            Value::Cell(Cell::Number(d)) => {
                buf.push(TAG_NUMBER);
                buf.extend_from_slice(&d.serialize());
            }
            Value::Cell(Cell::Mark(m)) => {
                buf.push(TAG_MARK);
                text(&mut buf, m.as_str());
            }
            Value::Text(t) => {
                buf.push(TAG_TEXT);
                text(&mut buf, t);
            }
            Value::Int(n) => {
                buf.push(TAG_INT);
                buf.extend_from_slice(&n.to_le_bytes());
            }
        }
    }
    f.write_all(&buf)
}

/// The items of the next row record, as `(id, derived, value)`.
fn read_record<'n>(
    f: &mut impl std::io::Read,
    names: &'n [String],
) -> std::io::Result<Vec<(&'n str, bool, dataset::Value)>> {
    use dataset::Value;
    use xxgk_schema::Cell;
    let bad = || std::io::Error::other("a spooled row record is damaged");
    let u32_at = |f: &mut dyn Read| -> std::io::Result<u32> {
        let mut b = [0u8; 4];
        f.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    };
    let n = u32_at(f)? as usize;
    let mut items = Vec::with_capacity(n.min(1 << 16));
    for _ in 0..n {
        let name = names.get(u32_at(f)? as usize).ok_or_else(bad)?;
        let mut head = [0u8; 2];
        f.read_exact(&mut head)?;
        let text = |f: &mut dyn Read| -> std::io::Result<String> {
            let len = u32_at(f)?;
            // Grown as read, so a damaged length cannot make it reserve gigabytes.
            let mut v = Vec::new();
            f.take(u64::from(len)).read_to_end(&mut v)?;
            if v.len() != len as usize {
                return Err(bad());
            }
            String::from_utf8(v).map_err(|_| bad())
        };
        let value = match head[1] {
            TAG_EMPTY => Value::Empty,
            TAG_BLANK => Value::Cell(Cell::Blank),
            TAG_NUMBER => {
                let mut b = [0u8; 16];
                f.read_exact(&mut b)?;
                Value::Cell(Cell::Number(xxgk_schema::Decimal::deserialize(b)))
            }
            TAG_MARK => Value::Cell(Cell::Mark(
                xxgk_schema::Mark::parse(&text(f)?).ok_or_else(bad)?,
            )),
            TAG_TEXT => Value::Text(text(f)?),
            TAG_INT => {
                let mut b = [0u8; 8];
                f.read_exact(&mut b)?;
                Value::Int(i64::from_le_bytes(b))
            }
            _ => return Err(bad()),
        };
        items.push((name.as_str(), head[0] == 1, value));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_schema::Edition;

    fn reports(n: usize) -> Vec<Report> {
        (0..n)
            .map(|i| {
                let mut r = Report::blank_template(if i % 2 == 0 {
                    Edition::E2021
                } else {
                    Edition::E2019
                });
                r.info_mut().agency = Some(format!("机关{i}\n第二行"));
                r
            })
            .collect()
    }

    #[test]
    fn streamed_json_ndjson_and_xml_equal_the_whole_list_writers() {
        for n in [0, 1, 2, 5] {
            let list = reports(n);
            for format in [OutputFormat::Json, OutputFormat::Ndjson, OutputFormat::Xml] {
                let mut streamed = Vec::new();
                let mut w = ReportWriter::new(format, &mut streamed);
                for r in &list {
                    w.push(r).unwrap();
                }
                w.finish().unwrap();
                let whole = match (format, n) {
                    (_, 0) => Vec::new(),
                    (OutputFormat::Json, _) => super::super::json::to_json(&list),
                    (OutputFormat::Ndjson, _) => super::super::json::to_ndjson(&list),
                    _ => crate::xml_form::to_xml(&list).into_bytes(),
                };
                assert_eq!(
                    String::from_utf8(streamed).unwrap(),
                    String::from_utf8(whole).unwrap(),
                    "{format:?} with {n} reports"
                );
            }
        }
    }

    /// Reports with every kind of value: numbers (whole and decimal, signed), marks, blanks,
    /// texts, derived cells (a 2021 report's （六） as one row is summed), and real legacy
    /// reports (their own indicators, some without a canonical id, and the layout column).
    fn varied(n: usize) -> Vec<Report> {
        use xxgk_schema::{Cell, Decimal, Mark, Visit};
        let legacy: Vec<Report> = [
            &include_bytes!("../../fixtures/corpus/010_pingtan_2018.txt")[..],
            &include_bytes!("../../fixtures/corpus/014_pingtan-xian_2011.txt")[..],
        ]
        .iter()
        .map(|b| {
            let l = crate::read::read_bytes(
                std::path::Path::new("legacy.txt"),
                b,
                None,
                &Default::default(),
            )
            .unwrap();
            let r = l.reports.into_iter().next().unwrap().report;
            assert_eq!(r.edition(), Edition::Legacy);
            r
        })
        .collect();
        (0..n)
            .map(|i| {
                let mut r = match i % 3 {
                    0 => Report::blank_template(Edition::E2021),
                    1 => Report::blank_template(Edition::E2019),
                    _ => legacy[i % 2].clone(),
                };
                let mut k = i;
                r.visit_mut(&mut Vec::new(), &mut |_, c, _| {
                    k += 1;
                    *c = match k % 5 {
                        0 => Cell::Blank,
                        1 => Cell::Mark(Mark::Slash),
                        2 => Cell::Number(Decimal::new(-(k as i64) * 7, 2)),
                        _ => Cell::int(k as i64),
                    };
                });
                let info = r.info_mut();
                info.agency = Some(format!("机关{i}\n第二行"));
                info.report_year = Some(2020 + (i % 3) as i32);
                r
            })
            .collect()
    }

    #[test]
    fn a_spool_of_rows_gives_the_rows_of_the_reports_from_memory_and_from_disk() {
        for n in [2, SPOOL_IN_MEMORY + 9] {
            let list = varied(n);
            let mut s = Spool::for_rows();
            for r in &list {
                s.push(r.clone()).unwrap();
            }
            let mut done = s.finish().unwrap();
            let whole = WideColumns::of(&list, &done.ids);
            assert_eq!(done.columns.columns, whole.columns);
            let rows: Vec<Vec<dataset::Value>> = done
                .reports
                .rows(&done.columns, &done.ids)
                .map(Result::unwrap)
                .collect();
            assert_eq!(rows.len(), n);
            // The legacy reports' indicators are there (not only their layout).
            let legacy_cells = done.columns.columns.iter().enumerate().filter(|(c, col)| {
                col.id.starts_with("statistics.")
                    && done.columns.is_cell_column(*c)
                    && rows.iter().any(|r| r[*c] != dataset::Value::Empty)
            });
            let legacy_cells = legacy_cells.count();
            assert!(
                n < 3 || legacy_cells > 10,
                "{legacy_cells} legacy cell columns"
            );
            for ((row, r), id) in rows.iter().zip(&list).zip(&done.ids) {
                assert_eq!(row, &whole.row(r, id), "report {id}");
            }
        }
    }

    #[test]
    fn a_spool_of_rows_refuses_to_give_spilled_reports_back_as_reports() {
        let mut s = Spool::for_rows();
        for r in varied(SPOOL_IN_MEMORY + 1) {
            s.push(r).unwrap();
        }
        let done = s.finish().unwrap();
        let back: Vec<std::io::Result<Report>> = done.reports.collect();
        assert_eq!(back.len(), SPOOL_IN_MEMORY + 1);
        assert!(back[..SPOOL_IN_MEMORY].iter().all(Result::is_ok));
        assert!(back[SPOOL_IN_MEMORY].is_err());
    }

    #[test]
    fn a_spool_gives_back_every_report_in_order_from_memory_and_from_disk() {
        for n in [3, SPOOL_IN_MEMORY + 7] {
            let list = reports(n);
            let mut s = Spool::new();
            for r in &list {
                s.push(r.clone()).unwrap();
            }
            assert_eq!(s.len(), n);
            let done = s.finish().unwrap();
            assert_eq!(done.ids, dataset::report_ids(&list));
            let back: Vec<Report> = done.reports.map(Result::unwrap).collect();
            assert_eq!(back, list);
            let whole = WideColumns::of(&list, &done.ids);
            assert_eq!(done.columns.columns, whole.columns);
        }
    }
}
