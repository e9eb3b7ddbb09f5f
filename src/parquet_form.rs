//! Parquet datasets, wide and long, through the Apache Arrow crates (feature `parquet`, on by
//! default): what DuckDB, Spark, BigQuery and pandas read when a dataset outgrows one machine.
//!
//! The columns are the CSV dataset's ([`crate::dataset`]), typed by the codebook
//! ([`crate::codebook`]): counts as nullable Int64, amounts as exact Decimal128(38, 6), text
//! as UTF-8 (low-cardinality columns of the long table dictionary-encoded), marks in their own
//! column so that the numeric ones stay numeric. Written a row group at a time (flat memory);
//! read back into the same reports (values through their exact text, then
//! [`crate::dataset::unflatten`]).
//!
//! Owns the Arrow/Parquet mapping; must not decide what a column holds.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Decimal128Builder, Int64Builder, StringBuilder, StringDictionaryBuilder,
};
use arrow_array::types::Int32Type;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rust_decimal::Decimal;
use xxgk_schema::{Cell, Report};

use crate::codebook::{self, FieldType};
use crate::dataset::{self, Value, WideColumns};

/// Decimal scale of amounts: six places (万元 to the cent is four).
pub const SCALE: i8 = 6;
const PRECISION: u8 = 38;
/// Reports per row group of the wide table.
const WIDE_GROUP: usize = 1024;
/// Rows per row group of the long table.
const LONG_GROUP: usize = 65_536;

/// What a column of the wide table becomes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    Int,
    Decimal,
    Text,
}

fn col_kind(id: &str) -> Col {
    match codebook::entry(id).map(|e| e.kind) {
        Some(FieldType::Integer) => Col::Int,
        Some(FieldType::Number) => Col::Decimal,
        _ => Col::Text,
    }
}

fn write_error(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("Parquet: {e}"))
}

/// A decimal as the 128-bit integer of [`SCALE`] places, or why it does not fit.
fn to_scaled(d: &Decimal, id: &str) -> std::io::Result<i128> {
    let mut d = *d;
    d.rescale(SCALE as u32);
    if d.scale() != SCALE as u32 {
        return Err(std::io::Error::other(format!(
            "{id}: {d} has more than {SCALE} decimal places; write CSV or JSON instead"
        )));
    }
    Ok(d.mantissa())
}

/// The Arrow schema of a wide table.
fn wide_schema(columns: &WideColumns) -> (Arc<Schema>, Vec<Col>) {
    let kinds: Vec<Col> = columns.columns.iter().map(|c| col_kind(&c.id)).collect();
    let fields: Vec<Field> = columns
        .columns
        .iter()
        .zip(&kinds)
        .map(|(c, k)| {
            let ty = match k {
                Col::Int => DataType::Int64,
                Col::Decimal => DataType::Decimal128(PRECISION, SCALE),
                Col::Text => DataType::Utf8,
            };
            let mut f = Field::new(&c.id, ty, c.id != "report_id");
            let mut meta = std::collections::HashMap::new();
            meta.insert("title_zh".to_string(), c.label_zh.clone());
            f.set_metadata(meta);
            f
        })
        .collect();
    (Arc::new(Schema::new(fields)), kinds)
}

fn props() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("xxgk {}", env!("CARGO_PKG_VERSION")))
        .build()
}

/// One row group of the wide table.
fn wide_batch(
    schema: &Arc<Schema>,
    kinds: &[Col],
    columns: &WideColumns,
    rows: &[Vec<Value>],
) -> std::io::Result<RecordBatch> {
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(kinds.len());
    for (c, k) in kinds.iter().enumerate() {
        let id = &columns.columns[c].id;
        let a: ArrayRef = match k {
            Col::Int => {
                let mut b = Int64Builder::with_capacity(rows.len());
                for r in rows {
                    match &r[c] {
                        Value::Int(n) => b.append_value(*n),
                        Value::Cell(Cell::Number(d)) => {
                            let d = d.normalize();
                            let n = (d.scale() == 0)
                                .then(|| i64::try_from(d.mantissa()).ok())
                                .flatten()
                                .ok_or_else(|| {
                                    std::io::Error::other(format!(
                                        "{id}: {d} is not a whole number"
                                    ))
                                })?;
                            b.append_value(n)
                        }
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
            Col::Decimal => {
                let mut b = Decimal128Builder::with_capacity(rows.len())
                    .with_precision_and_scale(PRECISION, SCALE)
                    .map_err(write_error)?;
                for r in rows {
                    match &r[c] {
                        Value::Cell(Cell::Number(d)) => b.append_value(to_scaled(d, id)?),
                        Value::Int(n) => b.append_value(to_scaled(&Decimal::from(*n), id)?),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
            Col::Text => {
                let mut b = StringBuilder::new();
                for r in rows {
                    match &r[c] {
                        Value::Empty | Value::Cell(Cell::Blank) => b.append_null(),
                        v => b.append_value(v.text()),
                    }
                }
                Arc::new(b.finish())
            }
        };
        arrays.push(a);
    }
    RecordBatch::try_new(schema.clone(), arrays).map_err(write_error)
}

/// Write reports (one at a time, as from a [`crate::write::stream::Spool`]) as a wide Parquet
/// table, a row group of 1,024 reports at a time.
pub fn write_wide(
    columns: &WideColumns,
    rows: &mut dyn Iterator<Item = std::io::Result<Vec<Value>>>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    through_file(out, &mut |f| write_wide_to(columns, rows, f))
}

/// The Arrow writer needs a writer it could send to another thread: Parquet is written to an
/// anonymous temporary file, then copied to `out`.
type Sink = std::io::BufWriter<std::fs::File>;

fn through_file(
    out: &mut dyn std::io::Write,
    write: &mut dyn FnMut(&mut Sink) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Seek;
    let mut sink = std::io::BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
    write(&mut sink)?;
    let mut f = sink.into_inner().map_err(|e| e.into_error())?;
    f.rewind()?;
    std::io::copy(&mut f, out)?;
    Ok(())
}

fn write_wide_to(
    columns: &WideColumns,
    input: &mut dyn Iterator<Item = std::io::Result<Vec<Value>>>,
    out: &mut Sink,
) -> std::io::Result<()> {
    let (schema, kinds) = wide_schema(columns);
    let mut w = ArrowWriter::try_new(out, schema.clone(), Some(props())).map_err(write_error)?;
    let mut rows: Vec<Vec<Value>> = Vec::with_capacity(WIDE_GROUP);
    for row in input {
        rows.push(row?);
        if rows.len() == WIDE_GROUP {
            w.write(&wide_batch(&schema, &kinds, columns, &rows)?)
                .map_err(write_error)?;
            rows.clear();
        }
    }
    if !rows.is_empty() {
        w.write(&wide_batch(&schema, &kinds, columns, &rows)?)
            .map_err(write_error)?;
    }
    w.close().map_err(write_error)?;
    Ok(())
}

fn long_schema() -> Arc<Schema> {
    let dict = || DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let h = dataset::LONG_HEADER;
    Arc::new(Schema::new(vec![
        Field::new(h[0], dict(), false),
        Field::new(h[1], dict(), true),
        Field::new(h[2], DataType::Int64, true),
        Field::new(h[3], dict(), false),
        Field::new(h[4], dict(), false),
        Field::new(h[5], dict(), false),
        Field::new(h[6], dict(), false),
        Field::new(h[7], dict(), true),
        Field::new(h[8], dict(), true),
        Field::new(h[9], dict(), true),
        Field::new(h[10], DataType::Decimal128(PRECISION, SCALE), true),
        Field::new(h[11], dict(), true),
        Field::new(h[12], DataType::Boolean, false),
    ]))
}

/// Write reports as a long Parquet table (one row per cell) and, when `reports_out` is given,
/// their metadata and narrative as a wide table without cells.
pub fn write_long(
    ids: &[String],
    columns: &WideColumns,
    reports: &mut dyn Iterator<Item = std::io::Result<Report>>,
    out: &mut dyn std::io::Write,
    reports_out: Option<&mut dyn std::io::Write>,
) -> std::io::Result<()> {
    match reports_out {
        None => through_file(out, &mut |f| write_long_to(ids, columns, reports, f, None)),
        Some(o) => {
            let mut meta = std::io::BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
            through_file(out, &mut |f| {
                write_long_to(ids, columns, reports, f, Some(&mut meta))
            })?;
            let mut m = meta.into_inner().map_err(|e| e.into_error())?;
            use std::io::Seek;
            m.rewind()?;
            std::io::copy(&mut m, o)?;
            Ok(())
        }
    }
}

fn write_long_to(
    ids: &[String],
    columns: &WideColumns,
    reports: &mut dyn Iterator<Item = std::io::Result<Report>>,
    out: &mut Sink,
    reports_out: Option<&mut Sink>,
) -> std::io::Result<()> {
    let schema = long_schema();
    let mut w = ArrowWriter::try_new(out, schema.clone(), Some(props())).map_err(write_error)?;
    let meta_cols = columns.without_cells();
    let (meta_schema, _) = wide_schema(&meta_cols);
    let mut mw = match reports_out {
        Some(o) => Some(ArrowWriter::try_new(o, meta_schema, Some(props())).map_err(write_error)?),
        None => None,
    };
    let mut rows: Vec<[String; 13]> = Vec::new();
    let mut metas: Vec<Report> = Vec::new();
    let mut meta_ids: Vec<String> = Vec::new();
    let flush =
        |rows: &mut Vec<[String; 13]>, w: &mut ArrowWriter<&mut Sink>| -> std::io::Result<()> {
            if rows.is_empty() {
                return Ok(());
            }
            let mut arrays: Vec<ArrayRef> = Vec::new();
            for c in 0..13 {
                let a: ArrayRef = match c {
                    2 => {
                        let mut b = Int64Builder::new();
                        for r in rows.iter() {
                            match r[c].parse::<i64>() {
                                Ok(n) => b.append_value(n),
                                Err(_) => b.append_null(),
                            }
                        }
                        Arc::new(b.finish())
                    }
                    10 => {
                        let mut b = Decimal128Builder::new()
                            .with_precision_and_scale(PRECISION, SCALE)
                            .map_err(write_error)?;
                        for r in rows.iter() {
                            if r[c].is_empty() {
                                b.append_null();
                            } else {
                                let d: Decimal = r[c].parse().map_err(write_error)?;
                                b.append_value(to_scaled(&d, &r[6])?);
                            }
                        }
                        Arc::new(b.finish())
                    }
                    12 => {
                        let mut b = BooleanBuilder::new();
                        for r in rows.iter() {
                            b.append_value(r[c].eq_ignore_ascii_case("true"));
                        }
                        Arc::new(b.finish())
                    }
                    _ => {
                        let mut b = StringDictionaryBuilder::<Int32Type>::new();
                        let nullable = !matches!(c, 0 | 3 | 4 | 5 | 6);
                        for r in rows.iter() {
                            if nullable && r[c].is_empty() {
                                b.append_null();
                            } else {
                                b.append_value(&r[c]);
                            }
                        }
                        Arc::new(b.finish())
                    }
                };
                arrays.push(a);
            }
            let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(write_error)?;
            w.write(&batch).map_err(write_error)?;
            rows.clear();
            Ok(())
        };
    for (r, id) in reports.zip(ids) {
        let r = r?;
        rows.extend(dataset::long_rows(&r, id));
        if rows.len() >= LONG_GROUP {
            flush(&mut rows, &mut w)?;
        }
        if let Some(m) = mw.as_mut() {
            metas.push(r);
            meta_ids.push(id.clone());
            if metas.len() == WIDE_GROUP {
                write_meta(&meta_cols, &meta_ids, &metas, m)?;
                metas.clear();
                meta_ids.clear();
            }
        }
    }
    flush(&mut rows, &mut w)?;
    if let Some(mut m) = mw {
        write_meta(&meta_cols, &meta_ids, &metas, &mut m)?;
        m.close().map_err(write_error)?;
    }
    w.close().map_err(write_error)?;
    Ok(())
}

fn write_meta(
    cols: &WideColumns,
    ids: &[String],
    reports: &[Report],
    w: &mut ArrowWriter<&mut Sink>,
) -> std::io::Result<()> {
    if reports.is_empty() {
        return Ok(());
    }
    let (schema, kinds) = wide_schema(cols);
    let rows: Vec<Vec<Value>> = reports
        .iter()
        .zip(ids)
        .map(|(r, id)| cols.row(r, id))
        .collect();
    w.write(&wide_batch(&schema, &kinds, cols, &rows)?)
        .map_err(write_error)
}

/// Why a Parquet file could not be read: Chinese and English.
pub type ReadError = (String, String);

fn read_error(e: impl std::fmt::Display) -> ReadError {
    (
        format!("Parquet 文件无法读取：{e}"),
        format!("the Parquet file cannot be read: {e}"),
    )
}

/// A cell of an Arrow array as the text the CSV dataset would hold.
fn text_at(a: &dyn Array, i: usize) -> Result<String, ReadError> {
    use arrow_array::cast::AsArray;
    if a.is_null(i) {
        return Ok(String::new());
    }
    Ok(match a.data_type() {
        DataType::Int64 => a
            .as_primitive::<arrow_array::types::Int64Type>()
            .value(i)
            .to_string(),
        DataType::Decimal128(_, s) => {
            let v = a
                .as_primitive::<arrow_array::types::Decimal128Type>()
                .value(i);
            let d = Decimal::try_from_i128_with_scale(v, *s as u32).map_err(read_error)?;
            d.normalize().to_string()
        }
        DataType::Utf8 => a.as_string::<i32>().value(i).to_string(),
        DataType::LargeUtf8 => a.as_string::<i64>().value(i).to_string(),
        DataType::Boolean => a.as_boolean().value(i).to_string(),
        DataType::Dictionary(_, _) => {
            let d = a.as_dictionary::<Int32Type>();
            let k = d.keys().value(i) as usize;
            text_at(d.values().as_ref(), k)?
        }
        other => {
            return Err(read_error(format!(
                "column type {other} is not one xxgk writes"
            )))
        }
    })
}

/// Most rows read at a time.
const READ_BATCH: usize = 1024;

/// Read a Parquet dataset xxgk wrote (wide or long; a long one with its reports table, when
/// given) back into reports.
pub fn read(bytes: &[u8], reports_table: Option<&[u8]>) -> Result<Vec<Report>, ReadError> {
    let rows = table_rows(bytes)?;
    let Some((header, body)) = rows else {
        return Ok(Vec::new());
    };
    if header.iter().map(String::as_str).eq(dataset::LONG_HEADER) {
        let mut table = dataset::ReportsTable::default();
        if let Some(t) = reports_table {
            if let Some((h, rows)) = table_rows(t)? {
                for r in rows {
                    let fields: Vec<(String, String)> = h.iter().cloned().zip(r).collect();
                    let id = fields
                        .iter()
                        .find(|(k, _)| k == "report_id")
                        .map(|x| x.1.clone())
                        .unwrap_or_default();
                    table.order.push(id.clone());
                    table.rows.insert(id, fields);
                }
            }
        }
        return dataset::from_long_with(&body, false, &table).map_err(|(i, e)| {
            (
                format!("第 {i} 行 {}：{}", e.field, e.zh),
                format!("row {i} {}: {}", e.field, e.en),
            )
        });
    }
    if !(header.iter().any(|h| h == "report_id") && header.iter().any(|h| h == "edition")) {
        return Err((
            "Parquet 文件不是 xxgk 导出的数据集（没有 report_id 与 edition 列）".into(),
            "the Parquet file is not a dataset xxgk wrote (no report_id and edition columns)"
                .into(),
        ));
    }
    body.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let fields: Vec<(String, String)> = header.iter().cloned().zip(row).collect();
            dataset::unflatten(&fields).map_err(|e| {
                (
                    format!("第 {} 行 {}：{}", i + 1, e.field, e.zh),
                    format!("row {} {}: {}", i + 1, e.field, e.en),
                )
            })
        })
        .collect()
}

type Rows = Option<(Vec<String>, Vec<Vec<String>>)>;

fn table_rows(bytes: &[u8]) -> Result<Rows, ReadError> {
    let b = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        bytes::Bytes::copy_from_slice(bytes),
    )
    .map_err(read_error)?;
    // Column chunks must lie inside the file (the Arrow reader asserts it, and panics).
    for rg in b.metadata().row_groups() {
        for c in rg.columns() {
            let start = c.dictionary_page_offset().unwrap_or(c.data_page_offset());
            let len = c.compressed_size();
            if start < 0
                || len < 0
                || (start as u64).saturating_add(len as u64) > bytes.len() as u64
            {
                return Err((
                    "Parquet 文件已损坏：列数据块的位置超出文件范围".into(),
                    "the Parquet file is damaged: a column chunk lies outside the file".into(),
                ));
            }
        }
    }
    let rows_claimed = b.metadata().file_metadata().num_rows();
    let cols = b.schema().fields().len();
    // What the file says it holds, checked before anything is decoded.
    if rows_claimed < 0
        || (rows_claimed as u64).saturating_mul(cols as u64) > crate::read::MAX_DATASET_CELLS
    {
        return Err((
            format!("Parquet 文件声称有 {rows_claimed} 行 × {cols} 列，超过上限"),
            format!("the Parquet file claims {rows_claimed} rows × {cols} columns, over the limit"),
        ));
    }
    let header: Vec<String> = b
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let rd = b.with_batch_size(READ_BATCH).build().map_err(read_error)?;
    let mut out = Vec::new();
    for batch in rd {
        let batch = batch.map_err(read_error)?;
        for i in 0..batch.num_rows() {
            let mut row = Vec::with_capacity(batch.num_columns());
            for c in batch.columns() {
                row.push(text_at(c.as_ref(), i)?);
            }
            out.push(row);
        }
    }
    Ok(Some((header, out)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_schema::Edition;

    #[test]
    fn wide_and_long_round_trip_a_report_with_marks_and_amounts() {
        let mut r = Report::blank_template(Edition::E2019);
        r.info_mut().agency = Some("某局".into());
        r.info_mut().report_year = Some(2020);
        if let Report::E2019(x) = &mut r {
            let p = x.proactive_disclosure.as_mut().unwrap();
            p.art20_item9.centralized_procurement.total_amount.0 =
                Cell::Number("179092.2001".parse().unwrap());
            p.art20_item9.centralized_procurement.total_amount_unit =
                Some(xxgk_schema::AmountUnit::TenThousandYuan);
            x.applications
                .as_mut()
                .unwrap()
                .new_applications
                .natural_person
                .0 = Cell::Mark(xxgk_schema::Mark::Slash);
            x.applications.as_mut().unwrap().new_applications.total.0 = Cell::int(12);
        }
        let reports = vec![r];
        let ids = dataset::report_ids(&reports);
        let cols = WideColumns::of(&reports, &ids);
        let mut wide = Vec::new();
        write_wide(
            &cols,
            &mut reports.iter().zip(&ids).map(|(r, id)| Ok(cols.row(r, id))),
            &mut wide,
        )
        .unwrap();
        assert_eq!(read(&wide, None).unwrap(), reports);
        let (mut long, mut table) = (Vec::new(), Vec::new());
        write_long(
            &ids,
            &cols,
            &mut reports.iter().cloned().map(Ok),
            &mut long,
            Some(&mut table),
        )
        .unwrap();
        assert_eq!(read(&long, Some(&table)).unwrap(), reports);
    }
}
