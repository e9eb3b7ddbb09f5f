//! Excel 2003 XML (SpreadsheetML, `<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`)
//! → [`Sheet`]s. `ss:Index` places rows and cells, `ss:MergeAcross`/`ss:MergeDown` become merged
//! ranges (cells covered from above are skipped even without an explicit `ss:Index`), and rich
//! text inside `<Data>` (`<html:Font>` …) is read as plain text.

use std::collections::HashSet;

use crate::read::sheet::{Sheet, MAX_CELLS};
use crate::read::xml::{walk, Ev, XmlError};

/// The SpreadsheetML namespace.
pub const NAMESPACE: &str = "urn:schemas-microsoft-com:office:spreadsheet";

fn num(a: &[(String, String)], name: &str) -> Option<u32> {
    a.iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.trim().parse::<u32>().ok())
        .map(|v| v.min(1_048_576))
}

/// Read every worksheet.
pub fn read(xml: &str) -> Result<Vec<Sheet>, XmlError> {
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut covered: HashSet<(u32, u32)> = HashSet::new();
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_started = false;
    let mut cell: Option<(u32, u32, String)> = None;
    let mut in_data = 0usize;
    let mut count = 0usize;
    let mut too_many = false;
    walk(xml, |e| match e {
        Ev::Start(n, a) if n == "Worksheet" => {
            let name = a
                .iter()
                .find(|(k, _)| k == "Name")
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| format!("Sheet{}", sheets.len() + 1));
            sheets.push(Sheet::new(name));
            covered.clear();
            row = 0;
            row_started = false;
        }
        Ev::Start(n, a) if n == "Row" => {
            if let Some(i) = num(&a, "Index") {
                row = i.saturating_sub(1);
            } else if row_started {
                row += 1;
            }
            row_started = true;
            col = 0;
        }
        Ev::End(n) if n == "Row" => {}
        Ev::Start(n, a) if n == "Cell" => {
            if let Some(i) = num(&a, "Index") {
                col = i.saturating_sub(1);
            } else {
                while covered.contains(&(row, col)) {
                    col += 1;
                }
            }
            let across = num(&a, "MergeAcross").unwrap_or(0).min(1000);
            let down = num(&a, "MergeDown").unwrap_or(0).min(1000);
            if across > 0 || down > 0 {
                if let Some(s) = sheets.last_mut() {
                    s.merges.push(((row, col), (row + down, col + across)));
                }
                for r in row..=row + down {
                    for c in col..=col + across {
                        if (r, c) != (row, col) && covered.len() < MAX_CELLS {
                            covered.insert((r, c));
                        }
                    }
                }
            }
            cell = Some((row, col, String::new()));
            col += across + 1;
        }
        Ev::End(n) if n == "Cell" => {
            if let (Some((r, c, t)), Some(s)) = (cell.take(), sheets.last_mut()) {
                count += 1;
                if count > MAX_CELLS {
                    too_many = true;
                } else {
                    s.set(r, c, &t);
                }
            }
        }
        Ev::Start(n, _) if n == "Data" => in_data += 1,
        Ev::End(n) if n == "Data" => in_data = in_data.saturating_sub(1),
        Ev::Text(t) if in_data > 0 => {
            if let Some((_, _, buf)) = cell.as_mut() {
                buf.push_str(&t);
            }
        }
        _ => {}
    })?;
    if too_many {
        return Err(XmlError {
            offset: 0,
            zh: format!("单元格过多（上限 {MAX_CELLS} 个）"),
            en: format!("too many cells (limit {MAX_CELLS})"),
        });
    }
    Ok(sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_and_merges_place_cells() {
        let x = r#"<?xml version="1.0"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">
 <Worksheet ss:Name="表二"><Table>
  <Row><Cell ss:MergeDown="1"><Data ss:Type="String">信息内容</Data></Cell><Cell ss:MergeAcross="1"><Data ss:Type="String">本年制发件数</Data></Cell></Row>
  <Row><Cell ss:Index="2"><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><Font>规</Font><Font>章</Font></ss:Data></Cell><Cell><Data ss:Type="Number">5</Data></Cell></Row>
  <Row ss:Index="5"><Cell><Data ss:Type="Number">7</Data></Cell></Row>
 </Table></Worksheet></Workbook>"#;
        let s = &read(x).unwrap()[0];
        assert_eq!(s.name, "表二");
        assert_eq!(s.cells.get(&(1, 1)).map(String::as_str), Some("规章"));
        assert_eq!(s.cells.get(&(1, 2)).map(String::as_str), Some("5"));
        assert_eq!(s.cells.get(&(4, 0)).map(String::as_str), Some("7"));
        assert_eq!(s.merges, vec![((0, 0), (1, 0)), ((0, 1), (0, 2))]);
    }

    #[test]
    fn covered_cells_are_skipped_without_index() {
        let x = r#"<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet Name="S"><Table>
  <Row><Cell MergeDown="1"><Data>A</Data></Cell><Cell><Data>B</Data></Cell></Row>
  <Row><Cell><Data>C</Data></Cell></Row></Table></Worksheet></Workbook>"#;
        let s = &read(x).unwrap()[0];
        assert_eq!(s.cells.get(&(1, 1)).map(String::as_str), Some("C"));
    }
}
