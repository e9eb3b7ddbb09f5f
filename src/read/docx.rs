//! Word documents (.docx): the tables of `word/document.xml` as [`Sheet`]s (`w:gridSpan` and
//! `w:vMerge` become merged ranges, `w:gridBefore` skips grid columns) and the body text (for
//! the title, agency and narrative).
//!
//! A Word document is one report even when its statistical tables are split across several
//! Word tables (a page break, a table per section): [`crate::read::tables`] reads them as one.

use crate::read::sheet::Sheet;
use crate::read::xml::{walk, Ev, XmlError, Zip};

#[derive(Default)]
struct CellBuf {
    text: String,
    span: u32,
    vmerge: Option<bool>, // Some(true) restart, Some(false) continue
}

#[derive(Default)]
struct TableBuf {
    rows: Vec<(u32, Vec<CellBuf>)>, // (grid columns skipped before, cells)
    row: Option<(u32, Vec<CellBuf>)>,
    cell: Option<CellBuf>,
}

fn val(a: &[(String, String)]) -> Option<&str> {
    a.iter().find(|(k, _)| k == "val").map(|(_, v)| v.as_str())
}

/// Read a .docx: its tables (one sheet per top-level Word table, named `表1`, `表2`, …) and
/// its text.
pub fn read(bytes: &[u8]) -> Result<(Vec<Sheet>, String), XmlError> {
    let mut z = Zip::open(bytes)?;
    z.check_declared_sizes(
        crate::read::xml::MAX_ENTRY_BYTES,
        4 * crate::read::xml::MAX_ENTRY_BYTES,
    )?;
    let xml = z.text("word/document.xml")?;
    let mut text = String::new();
    let mut tables: Vec<TableBuf> = Vec::new(); // stack (nested tables)
    let mut done: Vec<TableBuf> = Vec::new();
    let mut in_t = false;
    walk(&xml, |e| match e {
        Ev::Start(n, _) if n == "tbl" => tables.push(TableBuf::default()),
        Ev::End(n) if n == "tbl" => {
            if let Some(t) = tables.pop() {
                if tables.is_empty() {
                    done.push(t);
                } else if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    // A nested table's text belongs to the outer cell.
                    for (_, row) in &t.rows {
                        for cell in row {
                            c.text.push(' ');
                            c.text.push_str(&cell.text);
                        }
                    }
                }
            }
            text.push('\n');
        }
        Ev::Start(n, _) if n == "tr" => {
            if let Some(t) = tables.last_mut() {
                t.row = Some((0, Vec::new()));
            }
        }
        Ev::End(n) if n == "tr" => {
            if let Some(t) = tables.last_mut() {
                if let Some(r) = t.row.take() {
                    t.rows.push(r);
                }
            }
            text.push('\n');
        }
        Ev::Start(n, a) if n == "gridBefore" => {
            if let Some((skip, _)) = tables.last_mut().and_then(|t| t.row.as_mut()) {
                *skip = val(&a).and_then(|v| v.parse().ok()).unwrap_or(0).min(1000);
            }
        }
        Ev::Start(n, _) if n == "tc" => {
            if let Some(t) = tables.last_mut() {
                t.cell = Some(CellBuf {
                    span: 1,
                    ..Default::default()
                });
            }
        }
        Ev::End(n) if n == "tc" => {
            if let Some(t) = tables.last_mut() {
                if let (Some(c), Some((_, row))) = (t.cell.take(), t.row.as_mut()) {
                    row.push(c);
                }
            }
            text.push('\t');
        }
        Ev::Start(n, a) if n == "gridSpan" => {
            if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                c.span = val(&a)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1)
                    .clamp(1, 1000);
            }
        }
        Ev::Start(n, a) if n == "vMerge" => {
            if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                c.vmerge = Some(val(&a) == Some("restart"));
            }
        }
        Ev::Start(n, _) if n == "t" => in_t = true,
        Ev::End(n) if n == "t" => in_t = false,
        Ev::Start(n, _) if n == "tab" => {
            push(&mut tables, &mut text, "\t");
        }
        Ev::Start(n, _) if n == "br" || n == "cr" => {
            push(&mut tables, &mut text, "\n");
        }
        Ev::End(n) if n == "p" => {
            push(&mut tables, &mut text, "\n");
        }
        Ev::Text(t) if in_t => push(&mut tables, &mut text, &t),
        _ => {}
    })?;
    let sheets = done
        .into_iter()
        .enumerate()
        .map(|(i, t)| to_sheet(&format!("表{}", i + 1), t))
        .collect();
    Ok((sheets, text))
}

fn push(tables: &mut [TableBuf], text: &mut String, s: &str) {
    text.push_str(s);
    if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
        c.text.push_str(s);
    }
}

fn to_sheet(name: &str, t: TableBuf) -> Sheet {
    let mut sheet = Sheet::new(name);
    // Open vertical merges: grid column → index into sheet.merges.
    let mut open: std::collections::HashMap<u32, usize> = Default::default();
    for (r, (skip, cells)) in t.rows.into_iter().enumerate() {
        let r = r as u32;
        let mut col = skip;
        for c in cells {
            let span = c.span;
            match c.vmerge {
                Some(false) => {
                    // Continues the merge above: extend it down to this row.
                    if let Some(&m) = open.get(&col) {
                        sheet.merges[m].1 .0 = r;
                    }
                }
                other => {
                    // Every Word table cell is a real cell: an empty one is a blank value.
                    if c.text.trim().is_empty() {
                        sheet.blanks.insert((r, col));
                    }
                    sheet.set(r, col, c.text.trim());
                    if other == Some(true) || span > 1 {
                        sheet.merges.push(((r, col), (r, col + span - 1)));
                        if other == Some(true) {
                            open.insert(col, sheet.merges.len() - 1);
                        } else {
                            open.remove(&col);
                        }
                    } else {
                        open.remove(&col);
                    }
                }
            }
            col += span;
        }
    }
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docx(body: &str) -> Vec<u8> {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        w.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        write!(
            w,
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
        .unwrap();
        w.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn spans_and_vertical_merges_become_merged_ranges() {
        let cell = |t: &str, extra: &str| {
            format!("<w:tc><w:tcPr>{extra}</w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>")
        };
        let body = format!(
            "<w:p><w:r><w:t>某局2021年政府信息公开工作年度报告</w:t></w:r></w:p><w:tbl>\
             <w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            cell("三、本年度办理结果", r#"<w:vMerge w:val="restart"/>"#),
            cell("（一）予以公开", r#"<w:gridSpan w:val="2"/>"#),
            cell("", "<w:vMerge/>"),
            cell("（三）不予公开", ""),
            cell("1.属于国家秘密", ""),
        );
        let (sheets, text) = read(&docx(&body)).unwrap();
        assert!(text.starts_with("某局2021年"));
        let s = &sheets[0];
        assert_eq!(s.merges, vec![((0, 0), (1, 0)), ((0, 1), (0, 2))]);
        assert_eq!(
            s.cells.get(&(1, 2)).map(String::as_str),
            Some("1.属于国家秘密")
        );
        let toks: Vec<String> = s.tokens(0).unwrap().into_iter().map(|t| t.text).collect();
        assert_eq!(
            toks,
            [
                "三、本年度办理结果",
                "(一)予以公开",
                "(三)不予公开",
                "1.属于国家秘密"
            ]
        );
    }

    #[test]
    fn not_a_docx_is_an_error() {
        assert!(read(b"PK\x03\x04garbage").is_err());
        assert!(read(&docx("<w:p>&xxe;</w:p>")).is_err());
    }
}
