//! What calamine does not tell about an OpenDocument spreadsheet, read from `content.xml`
//! before calamine parses it: the merged ranges (calamine has no merge API for ods; without them
//! a merged value cell would look like a value followed by blanks), and how many cells the
//! sheets span (calamine builds dense ranges, so a tiny file that repeats a value over a million
//! rows must be refused first).

use std::collections::HashMap;

use crate::read::xml::{walk, Ev, Zip};

type Merge = ((u32, u32), (u32, u32));

/// Merged ranges by sheet name, and the number of cells the sheets' used areas span.
#[derive(Debug, Default)]
pub struct OdsLayout {
    /// Sheet name → merged ranges.
    pub merges: HashMap<String, Vec<Merge>>,
    /// Sum over sheets of (last used row + 1) × (last used column + 1).
    pub dense_cells: u64,
}

fn num(attrs: &[(String, String)], name: &str) -> u32 {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1)
        .clamp(1, 1_048_576)
}

/// Read the layout, or say why `content.xml` cannot be read (a DTD, too deep, malformed, not an
/// ods): a refusal is an error, never an empty layout.
pub fn read(bytes: &[u8]) -> Result<OdsLayout, String> {
    let mut z = Zip::open(bytes).map_err(|e| e.en)?;
    let xml = z.text("content.xml").map_err(|e| e.en)?;
    let mut out = OdsLayout::default();
    let mut sheet: Option<String> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    let mut nested = 0usize;
    // Last used row and column of the current sheet, if any cell holds a value.
    let mut used: Option<(u32, u32)> = None;
    walk(&xml, |e| match e {
        Ev::Start(n, a) if n == "table" => {
            if sheet.is_some() {
                nested += 1;
                return;
            }
            let name = a.iter().find(|(k, _)| k == "name").map(|(_, v)| v.clone());
            sheet = Some(name.unwrap_or_default());
            row = 0;
            used = None;
        }
        Ev::End(n) if n == "table" => {
            if nested > 0 {
                nested -= 1;
            } else {
                if let Some((r, c)) = used.take() {
                    let cells = (u64::from(r) + 1).saturating_mul(u64::from(c) + 1);
                    out.dense_cells = out.dense_cells.saturating_add(cells);
                }
                sheet = None;
            }
        }
        Ev::Start(n, a) if n == "table-row" && nested == 0 => {
            col = 0;
            row_repeat = num(&a, "number-rows-repeated");
        }
        Ev::End(n) if n == "table-row" && nested == 0 => {
            row = row.saturating_add(row_repeat);
        }
        Ev::Start(n, a) if (n == "table-cell" || n == "covered-table-cell") && nested == 0 => {
            let cs = a.iter().any(|(k, _)| k == "number-columns-spanned");
            let rs = a.iter().any(|(k, _)| k == "number-rows-spanned");
            let repeat = num(&a, "number-columns-repeated");
            if n == "table-cell" && (cs || rs) {
                let (w, h) = (
                    num(&a, "number-columns-spanned"),
                    num(&a, "number-rows-spanned"),
                );
                if w > 1 || h > 1 {
                    if let Some(s) = &sheet {
                        out.merges.entry(s.clone()).or_default().push((
                            (row, col),
                            (row.saturating_add(h - 1), col.saturating_add(w - 1)),
                        ));
                    }
                }
            }
            if a.iter().any(|(k, _)| k == "value-type") {
                let last = (
                    row.saturating_add(row_repeat - 1),
                    col.saturating_add(repeat - 1),
                );
                used = Some(match used {
                    Some((r, c)) => (r.max(last.0), c.max(last.1)),
                    None => last,
                });
            }
            col = col.saturating_add(repeat);
        }
        _ => {}
    })
    .map_err(|e| format!("content.xml: {}", e.en))?;
    Ok(out)
}
