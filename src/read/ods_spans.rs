//! Merged ranges of an OpenDocument spreadsheet, read from `content.xml` (calamine reads ods
//! values but has no merge API; without spans a merged value cell would look like a value
//! followed by blanks).

use std::collections::HashMap;

use crate::read::xml::{walk, Ev, Zip};

type Merge = ((u32, u32), (u32, u32));

fn num(attrs: &[(String, String)], name: &str) -> u32 {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1)
        .clamp(1, 1_048_576)
}

/// Sheet name → merged ranges. `None` when the file is not a readable ods.
pub fn read(bytes: &[u8]) -> Option<HashMap<String, Vec<Merge>>> {
    let mut z = Zip::open(bytes).ok()?;
    let xml = z.text("content.xml").ok()?;
    let mut out: HashMap<String, Vec<Merge>> = HashMap::new();
    let mut sheet: Option<String> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    let mut nested = 0usize;
    walk(&xml, |e| match e {
        Ev::Start(n, a) if n == "table" => {
            if sheet.is_some() {
                nested += 1;
                return;
            }
            let name = a.iter().find(|(k, _)| k == "name").map(|(_, v)| v.clone());
            sheet = Some(name.unwrap_or_default());
            row = 0;
        }
        Ev::End(n) if n == "table" => {
            if nested > 0 {
                nested -= 1;
            } else {
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
            if n == "table-cell" && (cs || rs) {
                let (w, h) = (
                    num(&a, "number-columns-spanned"),
                    num(&a, "number-rows-spanned"),
                );
                if w > 1 || h > 1 {
                    if let Some(s) = &sheet {
                        out.entry(s.clone()).or_default().push((
                            (row, col),
                            (row.saturating_add(h - 1), col.saturating_add(w - 1)),
                        ));
                    }
                }
            }
            col = col.saturating_add(num(&a, "number-columns-repeated"));
        }
        _ => {}
    })
    .ok()?;
    Some(out)
}
