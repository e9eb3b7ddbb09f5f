//! Reports handed to an output one at a time, so a batch of any size holds only the reports
//! being read (memory is flat in the number of reports).
//!
//! * [`ReportWriter`] writes JSON, NDJSON and XML as each report arrives; the bytes are the same
//!   as the whole-list writers ([`super::json::write_json`], [`crate::xml_form::to_xml`]) give.
//! * [`Spool`] holds the reports of a dataset (CSV, xlsx) whose header needs every report's
//!   fields and ids before the first row: up to [`SPOOL_IN_MEMORY`] reports in memory, beyond
//!   that in an anonymous temporary file (deleted by the operating system when closed), while
//!   the ids and columns are gathered as the reports pass.
//!
//! Owns ordering and buffering only; what a row or a line holds is the writers' business.

use std::io::{BufRead, BufReader, BufWriter, Seek, Write};

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
                serde_json::to_writer(&mut *self.out, report)?;
                self.out.write_all(b"\n")?;
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
}

impl Spool {
    /// An empty spool.
    pub fn new() -> Spool {
        Spool::default()
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
        if self.file.is_none() {
            let mut f = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
            for r in self.memory.drain(..) {
                serde_json::to_writer(&mut f, &r)?;
                f.write_all(b"\n")?;
            }
            self.file = Some(f);
        }
        let f = self.file.as_mut().expect("created above");
        serde_json::to_writer(&mut *f, &report)?;
        f.write_all(b"\n")
    }

    /// The reports' ids (unique, in order), their wide columns, and the reports again in order.
    pub fn finish(self) -> std::io::Result<Spooled> {
        let ids = dataset::unique_ids(&self.stems);
        let columns = self.columns.finish();
        let source = match self.file {
            None => Source::Memory(self.memory.into_iter()),
            Some(f) => {
                let mut f = f.into_inner().map_err(|e| e.into_error())?;
                f.rewind()?;
                Source::File(BufReader::with_capacity(1 << 20, f), Vec::new())
            }
        };
        Ok(Spooled {
            ids,
            columns,
            reports: Reports(source),
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

enum Source {
    Memory(std::vec::IntoIter<Report>),
    File(BufReader<std::fs::File>, Vec<u8>),
}

/// The spooled reports, read back in order.
pub struct Reports(Source);

impl Iterator for Reports {
    type Item = std::io::Result<Report>;
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Source::Memory(it) => it.next().map(Ok),
            Source::File(f, line) => {
                line.clear();
                match f.read_until(b'\n', line) {
                    Ok(0) => None,
                    Ok(_) => Some(serde_json::from_slice(line).map_err(std::io::Error::other)),
                    Err(e) => Some(Err(e)),
                }
            }
        }
    }
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
