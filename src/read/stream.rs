//! Line-oriented datasets (NDJSON, a JSON array, CSV) read as a stream: reports are handed on
//! in groups as they are parsed, so a dataset of any size is read with memory bounded by one
//! record, not refused by its file size. What bounds the work is a cap per record
//! ([`MAX_RECORD_BYTES`]: a line, an array element, a CSV row), checked while reading.
//!
//! Owns the streaming and the per-record cap; the fields of a record are decoded by
//! [`super::json`], [`super::csv`] and [`crate::dataset`] exactly as for a file read whole.

use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use xxgk_schema::Report;

use super::InputFormat;
use crate::error::{Error, Result};
use crate::recognize::Recognized;

/// Largest record (NDJSON line, JSON array element, CSV row) accepted, in bytes.
pub const MAX_RECORD_BYTES: u64 = super::MAX_INPUT_BYTES;

/// Reports handed on at a time.
pub const GROUP: usize = 256;

/// Largest dataset workbook read (a dataset of many reports; report workbooks are capped by
/// [`super::MAX_INPUT_BYTES`]).
pub const MAX_DATASET_WORKBOOK_BYTES: u64 = 1024 * 1024 * 1024;

/// The formats read as a stream (an xlsx only when it is a dataset xxgk wrote).
pub fn is_streamed(format: InputFormat) -> bool {
    matches!(
        format,
        InputFormat::Ndjson | InputFormat::Json | InputFormat::Csv | InputFormat::Xlsx
    )
}

/// The format of a file named on the command line, when it is one read as a stream: from
/// `--from`, or from the extension alone.
pub fn streamed_format(path: &Path, from: Option<InputFormat>) -> Option<InputFormat> {
    let f = from.or_else(|| {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(InputFormat::Json),
            "ndjson" | "jsonl" => Some(InputFormat::Ndjson),
            "csv" => Some(InputFormat::Csv),
            "xlsx" if crate::batch::is_own_dataset(path) => Some(InputFormat::Xlsx),
            _ => None,
        }
    })?;
    is_streamed(f).then_some(f)
}

/// A reader that counts what it gives: at most `cap` bytes between two [`Budget::reset`]s
/// (the record being read), and a fingerprint of everything read.
struct Budget<R> {
    inner: R,
    used: Rc<Cell<u64>>,
    cap: u64,
    hash: xxhash_rust::xxh3::Xxh3,
}

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.used.get() > self.cap {
            return Err(std::io::Error::other(RecordTooLarge));
        }
        let n = self.inner.read(buf)?;
        self.used.set(self.used.get() + n as u64);
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

/// A file read with the per-record cap: reset the returned counter before each record.
pub(crate) fn capped(file: std::fs::File) -> (impl std::io::BufRead, Rc<Cell<u64>>) {
    let used = Rc::new(Cell::new(0));
    let budget = Budget {
        inner: file,
        used: used.clone(),
        cap: MAX_RECORD_BYTES,
        hash: xxhash_rust::xxh3::Xxh3::new(),
    };
    (BufReader::with_capacity(1 << 16, budget), used)
}

#[derive(Debug)]
pub(crate) struct RecordTooLarge;

impl std::fmt::Display for RecordTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record too large")
    }
}

impl std::error::Error for RecordTooLarge {}

fn too_large(path: &Path, at: String) -> Error {
    Error::malformed(
        path,
        at,
        format!("一条记录过大（超过 {MAX_RECORD_BYTES} 字节），不像 xxgk 导出的数据集"),
        format!("a record is too large (over {MAX_RECORD_BYTES} bytes), not a dataset xxgk wrote"),
    )
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.into(),
        source,
    }
}

/// Reports handed on in groups of [`GROUP`], counted so an error can say how many came first.
struct Groups<'a> {
    group: Vec<Recognized>,
    handed: usize,
    on_group: &'a mut dyn FnMut(Vec<Recognized>),
}

impl<'a> Groups<'a> {
    fn new(on_group: &'a mut dyn FnMut(Vec<Recognized>)) -> Groups<'a> {
        Groups {
            group: Vec::new(),
            handed: 0,
            on_group,
        }
    }

    fn push(&mut self, report: Report) {
        self.push_recognized(Recognized::from(report));
    }

    fn push_recognized(&mut self, r: Recognized) {
        self.group.push(r);
        if self.group.len() >= GROUP {
            self.handed += self.group.len();
            (self.on_group)(std::mem::take(&mut self.group));
        }
    }

    /// Hand on the last group; an error is told how many reports were handed on before it.
    fn finish<T>(mut self, result: Result<T>) -> Result<T> {
        let before = self.handed + self.group.len();
        if !self.group.is_empty() {
            (self.on_group)(std::mem::take(&mut self.group));
        }
        match result {
            Err(Error::Malformed { path, at, zh, en }) if before > 0 => Err(Error::Malformed {
                path,
                at,
                zh: format!("{zh}（此前的 {before} 份报告已读取）"),
                en: format!("{en} (the {before} report(s) before it were read)"),
            }),
            other => other,
        }
    }
}

/// Read a dataset file as a stream, handing on its reports in groups of up to [`GROUP`]. An
/// error ends the stream; the groups handed on before it stay handed on (the error says how
/// many reports came before it). Returns the file's fingerprint (as
/// [`crate::batch::fingerprint`] of its bytes).
pub fn read(
    path: &Path,
    format: InputFormat,
    on_group: &mut dyn FnMut(Vec<Recognized>),
) -> Result<u64> {
    let meta = std::fs::metadata(path).map_err(|e| io(path, e))?;
    if meta.is_dir() {
        return Err(Error::malformed(
            path,
            "",
            "这是一个目录，不是文件",
            "this is a directory, not a file",
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| io(path, e))?;
    if format == InputFormat::Xlsx {
        return dataset_workbook(path, file, on_group);
    }
    let used = Rc::new(Cell::new(0));
    let budget = Budget {
        inner: file,
        used: used.clone(),
        cap: MAX_RECORD_BYTES,
        hash: xxhash_rust::xxh3::Xxh3::new(),
    };
    let mut groups = Groups::new(on_group);
    let mut rd = BufReader::with_capacity(1 << 16, budget);
    let result = match format {
        InputFormat::Ndjson => ndjson(path, &mut rd, &used, &mut |r| groups.push(r)),
        InputFormat::Json => json(path, &mut rd, &used, &mut |r| groups.push(r)),
        // CSV rows come with the origins of their cells (findings name the CSV cell).
        _ => csv(path, &mut rd, &used, &mut |r| groups.push_recognized(r)),
    };
    groups.finish(result)?;
    // Hash what is left unread (white space at most), without holding it.
    used.set(0);
    let _ = std::io::copy(&mut rd, &mut std::io::sink());
    Ok(rd.get_ref().hash.digest())
}

pub(crate) fn dataset_workbook(
    path: &Path,
    file: std::fs::File,
    on_group: &mut dyn FnMut(Vec<Recognized>),
) -> Result<u64> {
    let mut bytes = Vec::new();
    file.take(MAX_DATASET_WORKBOOK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(path, e))?;
    if bytes.len() as u64 > MAX_DATASET_WORKBOOK_BYTES {
        return Err(Error::malformed(
            path,
            "",
            format!("数据集工作簿过大（上限 {MAX_DATASET_WORKBOOK_BYTES} 字节）；请导出为 CSV 或 NDJSON"),
            format!("the dataset workbook is too large (limit {MAX_DATASET_WORKBOOK_BYTES} bytes); export it as CSV or NDJSON"),
        ));
    }
    let mut groups = Groups::new(on_group);
    let found =
        super::workbook::read_dataset_xlsx(path, &bytes, &mut |r| groups.push_recognized(r));
    match groups.finish(found) {
        Ok(true) => Ok(crate::batch::fingerprint(&bytes)),
        Ok(false) => Err(Error::malformed(
            path,
            "",
            "这不是 xxgk 导出的数据集工作簿",
            "this is not a dataset workbook xxgk wrote",
        )),
        Err(e) => Err(e),
    }
}

pub(crate) fn is_too_large(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|i| i.is::<RecordTooLarge>())
}

fn ndjson(
    path: &Path,
    rd: &mut dyn BufRead,
    used: &Cell<u64>,
    hand: &mut dyn FnMut(Report),
) -> Result<()> {
    let mut line = Vec::new();
    let mut n = 0usize;
    loop {
        line.clear();
        used.set(0);
        n += 1;
        match read_line_capped(rd, &mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if is_too_large(&e) => return Err(too_large(path, format!(" line {n}"))),
            Err(e) => return Err(io(path, e)),
        }
        // Valid UTF-8 (the rule) is checked at SIMD speed; only a damaged line is decoded lossily.
        let text = match std::str::from_utf8(&line) {
            Ok(t) => std::borrow::Cow::Borrowed(t),
            Err(_) => String::from_utf8_lossy(&line),
        };
        let text = text.trim_start_matches('\u{feff}');
        if text.trim().is_empty() {
            continue;
        }
        let r: Report = serde_json::from_str(text).map_err(|e| json_error(path, n - 1, e))?;
        hand(r);
    }
}

/// One line (with its `\n`) into `line`, refused once it passes [`MAX_RECORD_BYTES`]: what
/// is held never exceeds the cap by more than one buffer.
fn read_line_capped(rd: &mut dyn BufRead, line: &mut Vec<u8>) -> std::io::Result<usize> {
    loop {
        let buf = rd.fill_buf()?;
        if buf.is_empty() {
            return Ok(line.len());
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if (line.len() + take) as u64 > MAX_RECORD_BYTES {
            return Err(std::io::Error::other(RecordTooLarge));
        }
        // A line that has grown past 4 MiB gets room up to the cap at once: doubling would leave
        // every smaller buffer behind (an allocator returns freed memory to the system only
        // after a while), up to twice the cap in all.
        let need = line.len() + take;
        if need > line.capacity() && need > 4 << 20 {
            line.reserve_exact(MAX_RECORD_BYTES as usize - line.len());
        }
        line.extend_from_slice(&buf[..take]);
        rd.consume(take);
        if done {
            return Ok(line.len());
        }
    }
}

fn json_error(path: &Path, line_offset: usize, e: serde_json::Error) -> Error {
    super::json::json_error(path, line_offset, e)
}

/// A JSON document: one report, or an array of reports read element by element.
fn json(
    path: &Path,
    rd: &mut dyn BufRead,
    used: &Cell<u64>,
    hand: &mut dyn FnMut(Report),
) -> Result<()> {
    use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
    // Skip a byte-order mark and white space to see whether this is an array.
    let first = loop {
        let buf = rd.fill_buf().map_err(|e| io(path, e))?;
        if buf.is_empty() {
            break None;
        }
        if buf.starts_with(b"\xEF\xBB\xBF") {
            rd.consume(3);
            continue;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                rd.consume(i);
                break Some(b);
            }
            None => {
                let n = buf.len();
                rd.consume(n);
            }
        }
    };
    let mut de = serde_json::Deserializer::from_reader(rd);
    let map_err = |e: serde_json::Error| {
        if e.is_io() {
            let inner: std::io::Error = e.into();
            if is_too_large(&inner) {
                return too_large(path, String::new());
            }
            return io(path, inner);
        }
        json_error(path, 0, e)
    };
    if first != Some(b'[') {
        used.set(0);
        let r: Report = serde::Deserialize::deserialize(&mut de).map_err(map_err)?;
        hand(r);
        return de.end().map_err(map_err);
    }
    struct Each<'a> {
        used: &'a Cell<u64>,
        hand: &'a mut dyn FnMut(Report),
    }
    impl<'de> DeserializeSeed<'de> for Each<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for Each<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "an array of reports")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
            loop {
                self.used.set(0);
                match seq.next_element::<Report>()? {
                    Some(r) => (self.hand)(r),
                    None => return Ok(()),
                }
            }
        }
    }
    Each { used, hand }.deserialize(&mut de).map_err(map_err)?;
    de.end().map_err(map_err)
}

/// A CSV dataset (wide or long), row by row. A file that is not UTF-8 (GBK, as Excel on
/// Chinese Windows saves CSV) is decoded whole, within [`super::MAX_INPUT_BYTES`].
fn csv(
    path: &Path,
    rd: &mut dyn BufRead,
    used: &Cell<u64>,
    hand: &mut dyn FnMut(Recognized),
) -> Result<()> {
    let head = rd.fill_buf().map_err(|e| io(path, e))?;
    let utf8 = head.starts_with(b"\xEF\xBB\xBF")
        || match std::str::from_utf8(head) {
            Ok(_) => true,
            // A character cut by the end of the buffer is still UTF-8.
            Err(e) => e.error_len().is_none(),
        };
    if !utf8 {
        let mut bytes = Vec::new();
        rd.take(super::MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io(path, e))?;
        if bytes.len() as u64 > super::MAX_INPUT_BYTES {
            return Err(Error::malformed(
                path,
                "",
                format!(
                    "CSV 不是 UTF-8 编码且超过 {} 字节；请另存为 UTF-8 后重试",
                    super::MAX_INPUT_BYTES
                ),
                format!(
                    "the CSV is not UTF-8 and is over {} bytes; save it as UTF-8 and retry",
                    super::MAX_INPUT_BYTES
                ),
            ));
        }
        for r in super::csv::read(path, &bytes)? {
            hand(r);
        }
        return Ok(());
    }
    super::csv::read_stream(path, rd, used, hand)
}
