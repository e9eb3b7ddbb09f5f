//! HTML pages: the published report as a web page → text (for metadata and narrative) and one
//! token per table cell, with the cell's position (`表2!C5`, spans expanded) as its origin.
//!
//! Uses a real HTML parser (html5ever through `scraper`), so pages that are not well-formed XML
//! parse the way a browser parses them. Cells are handed over in document order, exactly like a
//! browser copy: a `rowspan` cell appears once, in its first row; an empty cell is an explicit
//! blank. Which row is which is decided by [`crate::recognize`], as for every other format.

use scraper::{Html, Node};

use crate::diagnostic::{col_name, Origin};
use crate::read::text::normalize;
use crate::read::token::{Place, Token};

/// Largest HTML page accepted, in bytes.
pub const MAX_HTML_BYTES: usize = 16 * 1024 * 1024;

const BLOCK: [&str; 20] = [
    "p", "div", "br", "tr", "table", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "title", "td",
];

/// Deepest element nesting accepted. html5ever checks scope by walking the stack of open
/// elements, so parse time grows with the square of the depth; real pages nest a few dozen deep.
pub const MAX_DEPTH: usize = 3000;

/// The element nesting depth of a page, estimated without parsing: open tags minus close tags,
/// not counting void elements and those whose end tag may be left out (`p`, `li`, `td`, …), nor
/// anything inside comments, scripts and styles.
pub fn nesting_depth(html: &str) -> usize {
    const NO_DEPTH: [&str; 23] = [
        "br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "param",
        "source", "track", "wbr", "p", "li", "td", "th", "tr", "option", "dt", "dd", "o:p",
    ];
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            match html[i..].find("-->") {
                Some(j) => i += j + 3,
                None => break,
            }
            continue;
        }
        let close = b.get(i) == Some(&b'/');
        let start = if close { i + 1 } else { i };
        let end = (start..b.len())
            .find(|&k| !(b[k].is_ascii_alphanumeric() || b[k] == b':' || b[k] == b'-'))
            .unwrap_or(b.len());
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        if !close && (name == "script" || name == "style") {
            match html[end..].to_ascii_lowercase().find(&format!("</{name}")) {
                Some(j) => i = end + j,
                None => break,
            }
            continue;
        }
        let gt = html[end..].find('>').map_or(b.len(), |j| end + j);
        let self_closing = gt > 0 && b.get(gt - 1) == Some(&b'/');
        if NO_DEPTH.contains(&name.as_str()) || self_closing {
            i = gt;
            continue;
        }
        if close {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            max = max.max(depth);
        }
        i = gt;
    }
    max
}

/// What a page says about itself in its meta tags.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageMeta {
    /// The publication date (`YYYY-MM-DD`) of `<meta name="PubDate" content="2022-02-08 16:34">`,
    /// one of the meta tags every government website carries (政府网站发展指引, 2017:
    /// `SiteName`, `ColumnName`, `ArticleTitle`, `PubDate`, …).
    pub published: Option<String>,
}

/// The page's visible text (blocks on their own lines), its table cells as tokens, and what its
/// meta tags say.
pub fn read(html: &str) -> (String, Vec<Token>, PageMeta) {
    let doc = Html::parse_document(html);
    (page_text(&doc), table_tokens(&doc), page_meta(&doc))
}

fn page_meta(doc: &Html) -> PageMeta {
    let mut meta = PageMeta::default();
    for n in doc.root_element().descendants() {
        let Node::Element(e) = n.value() else {
            continue;
        };
        if e.name() != "meta" {
            continue;
        }
        let named = |want: &str| {
            e.attr("name")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(want))
        };
        if named("PubDate") {
            meta.published = e
                .attr("content")
                .and_then(|c| crate::recognize::meta::find_date(&normalize(c)));
            if meta.published.is_some() {
                break;
            }
        }
    }
    meta
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

fn span(e: &scraper::node::Element, attr: &str) -> usize {
    e.attr(attr)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map(|v| v.clamp(1, 1000))
        .unwrap_or(1)
}

/// Tables nested deeper than this are read as text of the cell that holds them.
pub const MAX_TABLE_DEPTH: usize = 32;
/// Largest number of table cells read from one page.
pub const MAX_CELLS: usize = 200_000;

/// One open table while walking the page.
struct OpenTable {
    index: u32,
    /// Columns still covered by a rowspan from an earlier row: col → rows left.
    covered: Vec<usize>,
    row: Option<usize>,
    rows_seen: usize,
    col: usize,
    started: bool,
    /// The open cell: (colspan, rowspan, text).
    cell: Option<(usize, usize, String)>,
    tokens: Vec<Token>,
}

impl OpenTable {
    fn end_row(&mut self) {
        if self.row.take().is_some() {
            for c in &mut self.covered {
                *c = c.saturating_sub(1);
            }
        }
    }

    fn end_cell(&mut self) {
        let Some((cs, rs, text)) = self.cell.take() else {
            return;
        };
        let ri = match self.row {
            Some(r) => r,
            None => return,
        };
        while self.covered.get(self.col).is_some_and(|&n| n > 0) {
            self.col += 1;
        }
        let col = self.col;
        if self.covered.len() < col + cs {
            self.covered.resize(col + cs, 0);
        }
        for c in &mut self.covered[col..col + cs] {
            *c = rs;
        }
        let text = normalize(&text);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() || self.started {
            self.started = true;
            self.tokens.push(Token {
                text,
                origin: Origin::Cell {
                    sheet: format!("表{}", self.index + 1),
                    cell: format!("{}{}", col_name(col as u32), ri + 1),
                },
                loose: false,
                slot: false,
                place: Some(Place::grid(self.index, ri as u32, col as u32, cs as u32)),
                key: Default::default(),
            });
        }
        self.col += cs;
    }
}

/// Every table cell of the page as a token, table by table in the order the tables open, each
/// table's cells row by row. One walk of the document: a nested table's cells belong to the
/// nested table, not to the text of the cell that holds it.
fn table_tokens(doc: &Html) -> Vec<Token> {
    let mut done: Vec<(u32, Vec<Token>)> = Vec::new();
    let mut stack: Vec<OpenTable> = Vec::new();
    let mut next_index = 0u32;
    let mut cells = 0usize;
    let mut skip = 0usize; // inside script/style
    let mut too_deep = 0usize; // nested tables beyond the depth limit
    for edge in doc.root_element().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => match n.value() {
                Node::Element(e) => match e.name() {
                    "script" | "style" => skip += 1,
                    "table" if too_deep > 0 || stack.len() >= MAX_TABLE_DEPTH => too_deep += 1,
                    "table" => {
                        stack.push(OpenTable {
                            index: next_index,
                            covered: Vec::new(),
                            row: None,
                            rows_seen: 0,
                            col: 0,
                            started: false,
                            cell: None,
                            tokens: Vec::new(),
                        });
                        next_index += 1;
                    }
                    "tr" if too_deep == 0 => {
                        if let Some(t) = stack.last_mut() {
                            t.end_cell();
                            t.end_row();
                            t.row = Some(t.rows_seen);
                            t.rows_seen += 1;
                            t.col = 0;
                            t.started = false;
                        }
                    }
                    "td" | "th" if too_deep == 0 => {
                        if let Some(t) = stack.last_mut() {
                            t.end_cell();
                            if t.row.is_some() && cells < MAX_CELLS {
                                cells += 1;
                                t.cell =
                                    Some((span(e, "colspan"), span(e, "rowspan"), String::new()));
                            }
                        }
                    }
                    _ => {}
                },
                Node::Text(txt) if skip == 0 => {
                    if let Some((_, _, buf)) = stack.last_mut().and_then(|t| t.cell.as_mut()) {
                        if buf.len() < 1 << 20 {
                            buf.push_str(txt);
                        }
                    }
                }
                _ => {}
            },
            ego_tree::iter::Edge::Close(n) => {
                if let Node::Element(e) = n.value() {
                    match e.name() {
                        "script" | "style" => skip = skip.saturating_sub(1),
                        "table" if too_deep > 0 => too_deep -= 1,
                        "table" => {
                            if let Some(mut t) = stack.pop() {
                                t.end_cell();
                                t.end_row();
                                done.push((t.index, t.tokens));
                            }
                        }
                        "tr" if too_deep == 0 => {
                            if let Some(t) = stack.last_mut() {
                                t.end_cell();
                                t.end_row();
                            }
                        }
                        "td" | "th" if too_deep == 0 => {
                            if let Some(t) = stack.last_mut() {
                                t.end_cell();
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    while let Some(mut t) = stack.pop() {
        t.end_cell();
        done.push((t.index, t.tokens));
    }
    done.sort_by_key(|d| d.0);
    done.into_iter().flat_map(|d| d.1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_government_page_s_pubdate_meta_is_its_publication_date() {
        let page = r#"<html><head><title>X_年报_平潭</title>
            <meta name="ArticleTitle" content="平潭综合实验区2021年度政府信息公开工作年度报告"/>
            <meta name="pubdate" content="2022-02-08 16:34"/></head><body><p>正文</p></body></html>"#;
        assert_eq!(read(page).2.published.as_deref(), Some("2022-02-08"));
        // No tag, or one that holds no date: nothing.
        assert_eq!(read("<p>正文</p>").2, PageMeta::default());
        let page = r#"<meta name="PubDate" content="unknown"><p>正文</p>"#;
        assert_eq!(read(page).2.published, None);
    }

    #[test]
    fn nesting_depth_is_estimated_without_parsing() {
        assert_eq!(
            nesting_depth("<html><body><p>a<p>b<table><tr><td>1</table></body></html>"),
            3
        );
        assert_eq!(
            nesting_depth("<div><!-- <div><div> --><br/><img src=x></div>"),
            1
        );
        assert_eq!(nesting_depth("<script>if (a<b) {}</script><div></div>"), 1);
        let deep = format!("{}{}", "<div>".repeat(5000), "</div>".repeat(5000));
        assert_eq!(nesting_depth(&deep), 5000);
    }

    #[test]
    fn spans_and_blanks() {
        let (text, toks, _) = read(
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
