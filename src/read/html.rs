//! HTML pages: the published report as a web page → text (for metadata and narrative) and one
//! token per table cell, with the cell's position (`表2!C5`, spans expanded) as its origin.
//!
//! Uses a real HTML parser (html5ever through `scraper`), so pages that are not well-formed XML
//! parse the way a browser parses them. Cells are handed over in document order, exactly like a
//! browser copy: a `rowspan` cell appears once, in its first row; an empty cell is an explicit
//! blank. Which row is which is decided by [`crate::recognize`], as for every other format.

use scraper::{ElementRef, Html, Node, Selector};

use crate::diagnostic::{col_name, Origin};
use crate::read::text::{normalize, Token};

/// Largest HTML page accepted, in bytes.
pub const MAX_HTML_BYTES: usize = 16 * 1024 * 1024;

const BLOCK: [&str; 20] = [
    "p", "div", "br", "tr", "table", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "title", "td",
];

/// The page's visible text (blocks on their own lines) and its table cells as tokens.
pub fn read(html: &str) -> (String, Vec<Token>) {
    let doc = Html::parse_document(html);
    (page_text(&doc), table_tokens(&doc))
}

fn page_text(doc: &Html) -> String {
    let mut out = String::new();
    let mut skip = 0usize;
    for edge in doc.root_element().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => match n.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if name == "script" || name == "style" {
                        skip += 1;
                    }
                    if BLOCK.contains(&name) {
                        out.push('\n');
                    }
                }
                Node::Text(t) if skip == 0 => out.push_str(t),
                _ => {}
            },
            ego_tree::iter::Edge::Close(n) => {
                if let Node::Element(e) = n.value() {
                    let name = e.name();
                    if name == "script" || name == "style" {
                        skip = skip.saturating_sub(1);
                    }
                    if BLOCK.contains(&name) && name != "td" {
                        out.push('\n');
                    }
                }
            }
        }
    }
    normalize(&out)
}

fn span(e: &ElementRef<'_>, attr: &str) -> usize {
    e.value()
        .attr(attr)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map(|v| v.clamp(1, 1000))
        .unwrap_or(1)
}

fn table_tokens(doc: &Html) -> Vec<Token> {
    let tables = Selector::parse("table").expect("valid selector");
    let mut out = Vec::new();
    for (ti, table) in doc.select(&tables).enumerate() {
        let sheet = format!("表{}", ti + 1);
        // Columns still covered by a rowspan from an earlier row: col → rows left.
        let mut covered: Vec<usize> = Vec::new();
        let rows = table
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "tr")
            // Rows of nested tables belong to those tables.
            .filter(|tr| {
                tr.ancestors()
                    .filter_map(ElementRef::wrap)
                    .find(|a| a.value().name() == "table")
                    .is_some_and(|t| t.id() == table.id())
            });
        for (ri, tr) in rows.enumerate() {
            let mut col = 0usize;
            let mut started = false;
            for cell in tr.children().filter_map(ElementRef::wrap) {
                let name = cell.value().name();
                if name != "td" && name != "th" {
                    continue;
                }
                while covered.get(col).is_some_and(|&n| n > 0) {
                    col += 1;
                }
                let (cs, rs) = (span(&cell, "colspan"), span(&cell, "rowspan"));
                if covered.len() < col + cs {
                    covered.resize(col + cs, 0);
                }
                for c in &mut covered[col..col + cs] {
                    *c = rs;
                }
                let text: String = cell.text().collect();
                let text = normalize(&text);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() || started {
                    started = true;
                    out.push(Token {
                        text,
                        origin: Origin::Cell {
                            sheet: sheet.clone(),
                            cell: format!("{}{}", col_name(col as u32), ri + 1),
                        },
                        loose: false,
                        slot: false,
                    });
                }
                col += cs;
            }
            for c in &mut covered {
                *c = c.saturating_sub(1);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_blanks() {
        let (text, toks) = read(
            "<p>标题</p><table><tr><td rowspan=2>(三)不予公开</td><td>1.属于国家秘密</td><td>&nbsp;</td><td>3</td></tr>\
             <tr><td>2.其他</td><td colspan=2>5</td><td><p>7</p></td></tr></table>",
        );
        assert!(text.contains("标题"));
        let v: Vec<(String, String)> = toks
            .iter()
            .map(|t| (t.text.clone(), t.origin.to_string()))
            .collect();
        assert_eq!(
            v,
            [
                ("(三)不予公开", "表1!A1"),
                ("1.属于国家秘密", "表1!B1"),
                ("", "表1!C1"),
                ("3", "表1!D1"),
                ("2.其他", "表1!B2"),
                ("5", "表1!C2"),
                ("7", "表1!E2"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert_eq!(col_name(27), "AB");
    }
}
