//! PDF: the text layer with positions → the page text (for metadata and narrative) and one token
//! per word with its measured place, through the pure-Rust `pdf_oxide` crate.
//!
//! Owns turning characters into rows and words, and refusing what cannot be read. It uses only
//! the characters `pdf_oxide` decodes (its fonts, `ToUnicode` maps and CID fonts) and the filled
//! rectangles a page draws — never its reading order or table detector:
//!
//! * **Rows.** Filled rectangles are the cells (or rows) Word and WPS draw; all their top and
//!   bottom edges cut the page into bands, and the characters of one band are one row of a table,
//!   however many lines a wrapped label takes (its values, vertically centred, join it). Characters
//!   outside every rectangle form rows line by line (vertical overlap).
//! * **Words.** A row's characters are cut into words at gaps; words of text stacked in one column
//!   (a label or header wrapped over two to five lines) are joined top to bottom. Every number stays
//!   its own word. A word's place is its horizontal extent in tenths of a point, measured: the
//!   recognizer maps it to the header column it stands under. Pages share one coordinate system, so a
//!   table broken across pages keeps its columns.
//! * **Refusals.** Encrypted documents that need a user password, pages without a text layer (scans:
//!   OCR is not done), text layers whose fonts have no Unicode mapping, malformed files, and more
//!   pages or characters than a report can have. Each is a bilingual error naming the pages.
//!
//! Which row is which is decided by [`crate::recognize`], as for every other format.

use crate::diagnostic::Origin;
use crate::read::text::{is_page_number, normalize};
use crate::read::token::{Place, Token};

/// Most pages read from one PDF (a report has a few dozen at most).
pub const MAX_PAGES: usize = 300;
/// Most characters read from one PDF.
pub const MAX_CHARS: usize = 2_000_000;
/// Most filled rectangles considered on one page.
const MAX_RECTS: usize = 20_000;

/// The text of a PDF, as the recognizer reads it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PdfText {
    /// The text, row by row, page by page.
    pub text: String,
    /// One token per word, in reading order, with measured places.
    pub tokens: Vec<Token>,
    /// 1-based pages that have no text layer (a scanned image, or empty).
    pub pages_without_text: Vec<usize>,
    /// Number of pages.
    pub pages: usize,
}

/// Why a PDF cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PdfError {
    /// Not a PDF, truncated or malformed: what the parser said.
    Malformed(String),
    /// Encrypted with a user password.
    Encrypted,
    /// No page has a text layer: a scan. The pages.
    Scanned(usize),
    /// The text layer's fonts give no Unicode text: the 1-based pages.
    Garbled(Vec<usize>),
    /// More pages than [`MAX_PAGES`].
    TooManyPages(usize),
    /// More characters than [`MAX_CHARS`].
    TooManyChars,
}

impl PdfError {
    /// The message, in Chinese and in English.
    pub fn messages(&self) -> (String, String) {
        match self {
            PdfError::Malformed(e) => (
                format!("PDF 文件已损坏或不完整，无法读取（{e}）；请重新下载或从原文导出"),
                format!("the PDF is damaged or incomplete and cannot be read ({e}); download it again or export it from the original"),
            ),
            PdfError::Encrypted => (
                "PDF 已加密，需要打开密码；请先用密码打开并另存为未加密的 PDF".into(),
                "the PDF is encrypted with a user password; open it with the password and save an unencrypted copy".into(),
            ),
            PdfError::Scanned(n) => (
                format!("PDF 没有文字层（共 {n} 页，均为扫描图像）；不支持 OCR 识别，请使用带文字的原文（Word、网页或文字版 PDF）"),
                format!("the PDF has no text layer (all {n} pages are scanned images); OCR is not supported, use a copy with text (Word, web page or a text PDF)"),
            ),
            PdfError::Garbled(pages) => {
                let p = pages_list(pages);
                (
                    format!("PDF 第 {p} 页的字体没有 Unicode 映射，文字层是乱码；请从原文重新导出 PDF（嵌入字体并保留文字），或改用 Word/网页版"),
                    format!("the fonts on page(s) {p} of the PDF have no Unicode mapping, so the text layer is garbled; export the PDF again from the original (with embedded fonts and text), or use the Word or web version"),
                )
            }
            PdfError::TooManyPages(n) => (
                format!("PDF 页数过多（{n} 页，上限 {MAX_PAGES}），不像一份年报"),
                format!("the PDF has too many pages ({n}; limit {MAX_PAGES}), not a report"),
            ),
            PdfError::TooManyChars => (
                format!("PDF 文字过多（超过 {MAX_CHARS} 个字符），不像一份年报"),
                format!("the PDF holds too much text (over {MAX_CHARS} characters), not a report"),
            ),
        }
    }
}

/// `1, 3–5, 8`.
pub fn pages_list(pages: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        out.push(if j > i {
            format!("{}–{}", pages[i], pages[j])
        } else {
            pages[i].to_string()
        });
        i = j + 1;
    }
    out.join(", ")
}

/// One character as the page draws it (PDF coordinates: y grows upwards).
#[derive(Debug, Clone, Copy)]
struct Glyph {
    c: char,
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
    size: f32,
}

impl Glyph {
    fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
}

/// A word: text and extent.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f32,
    x1: f32,
    top: f32,
    numeric: bool,
}

/// Read a PDF's text layer.
pub fn read(bytes: &[u8]) -> Result<PdfText, PdfError> {
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_inner(bytes)));
    match run {
        Ok(r) => r,
        Err(_) => Err(PdfError::Malformed("the PDF parser failed".into())),
    }
}

fn read_inner(bytes: &[u8]) -> Result<PdfText, PdfError> {
    if !looks_like_pdf(bytes) {
        return Err(PdfError::Malformed("no %PDF header".into()));
    }
    let doc = pdf_oxide::PdfDocument::from_bytes(bytes.to_vec())
        .map_err(|e| PdfError::Malformed(short(&e.to_string())))?;
    if doc.is_encrypted() && !doc.authenticate(b"").unwrap_or(false) {
        return Err(PdfError::Encrypted);
    }
    let pages = doc
        .page_count()
        .map_err(|e| PdfError::Malformed(short(&e.to_string())))?;
    if pages > MAX_PAGES {
        return Err(PdfError::TooManyPages(pages));
    }
    let mut out = PdfText {
        pages,
        ..Default::default()
    };
    let mut garbled = Vec::new();
    let mut total = 0usize;
    let mut row_base = 0u32;
    for p in 0..pages {
        let chars = match doc.extract_chars(p) {
            Ok(c) => c,
            Err(e) => {
                // One unreadable page is a page without text, not the whole document lost.
                let _ = e;
                out.pages_without_text.push(p + 1);
                continue;
            }
        };
        total += chars.len();
        if total > MAX_CHARS {
            return Err(PdfError::TooManyChars);
        }
        let mut glyphs: Vec<Glyph> = Vec::with_capacity(chars.len());
        let mut unmapped = 0usize;
        let mut visible = 0usize;
        for ch in &chars {
            let c = ch.char;
            if c.is_whitespace() {
                continue;
            }
            visible += 1;
            if !plausible(c) {
                unmapped += 1;
                continue;
            }
            let (x0, y0) = (ch.bbox.x, ch.bbox.y);
            let (w, h) = (ch.bbox.width.max(0.1), ch.bbox.height.max(0.1));
            if !(x0.is_finite() && y0.is_finite() && w.is_finite() && h.is_finite()) {
                continue;
            }
            // Bold is often drawn as the same glyph twice, a hair apart.
            if glyphs.last().is_some_and(|g: &Glyph| {
                g.c == c && (g.x0 - x0).abs() < 0.6 && (g.y0 - y0).abs() < 0.6
            }) {
                continue;
            }
            glyphs.push(Glyph {
                c,
                x0,
                x1: x0 + w,
                y0,
                y1: y0 + h,
                size: ch.font_size.max(h).clamp(1.0, 200.0),
            });
        }
        if visible == 0 {
            out.pages_without_text.push(p + 1);
            continue;
        }
        // A font without a Unicode mapping gives glyph numbers read as characters of every
        // script; a Chinese report's text is CJK, its punctuation and ASCII.
        if visible >= 20 && unmapped * 10 > visible * 3 {
            garbled.push(p + 1);
            continue;
        }
        // Horizontal rules: ruled lines (thin paths, stroked or filled) and the top and bottom of
        // filled cells.
        let mut rules: Vec<Rule> = Vec::new();
        for path in doc
            .extract_paths(p)
            .unwrap_or_default()
            .iter()
            .take(MAX_RECTS)
        {
            let b = &path.bbox;
            if ![b.x, b.y, b.width, b.height].iter().all(|v| v.is_finite()) || b.width < 3.0 {
                continue;
            }
            if b.height < 1.5 {
                rules.push((b.y + b.height / 2.0, b.x, b.x + b.width));
            } else if path.fill_color.is_some() && (4.0..600.0).contains(&b.height) {
                rules.push((b.y, b.x, b.x + b.width));
                rules.push((b.y + b.height, b.x, b.x + b.width));
            }
        }
        let rules = without_underlines(rules, &glyphs);
        let rows = page_rows(&glyphs, &rules);
        let mut table_row = 0u32;
        let mut text_row = 0u32;
        for (in_table, words) in rows {
            let line: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
            let line = line.join(" ");
            if is_page_number(&normalize(&line)) {
                continue;
            }
            let row_no = if in_table {
                table_row += 1;
                table_row
            } else {
                text_row += 1;
                text_row
            };
            out.text.push_str(&line);
            out.text.push('\n');
            let origin = Origin::Page {
                page: (p + 1) as u32,
                row: row_no,
                in_table,
            };
            row_base += 1;
            for w in words {
                let text = normalize(&w.text);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if text.is_empty() {
                    continue;
                }
                let x0 = (w.x0.max(0.0) * 10.0) as u32;
                let x1 = (w.x1.max(0.0) * 10.0) as u32;
                out.tokens.push(Token {
                    text,
                    origin: origin.clone(),
                    loose: false,
                    slot: false,
                    place: Some(Place::measured(0, row_base, x0, x1)),
                    key: Default::default(),
                });
            }
        }
        out.text.push('\n');
    }
    if !garbled.is_empty() && out.tokens.is_empty() {
        return Err(PdfError::Garbled(garbled));
    }
    if out.tokens.is_empty() {
        return Err(PdfError::Scanned(pages));
    }
    // Pages with garbled text where others read: said as pages without (readable) text.
    out.pages_without_text.extend(garbled);
    out.pages_without_text.sort_unstable();
    Ok(out)
}

/// A character a Chinese report's text layer can hold: CJK ideographs and punctuation, full-width
/// forms, ASCII and Latin-1, general punctuation and symbols. Anything else (U+FFFD, private use,
/// control characters, letters of unrelated scripts) is a sign of a font without Unicode mapping.
fn plausible(c: char) -> bool {
    matches!(c as u32,
        0x20..=0x7E | 0xA0..=0xFF | 0x2000..=0x206F | 0x2100..=0x22FF | 0x2460..=0x24FF
        | 0x2500..=0x25FF | 0x3000..=0x303F | 0x3200..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x2FFFF)
}

/// A PDF ends with `%%EOF`; a file cut short lacks it.
pub fn is_truncated(bytes: &[u8]) -> bool {
    !bytes[bytes.len().saturating_sub(2048)..]
        .windows(5)
        .any(|w| w == b"%%EOF")
}

fn short(e: &str) -> String {
    e.chars().take(160).collect()
}

/// A PDF begins with `%PDF-` (within its first kilobyte, as readers allow).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// A horizontal rule of a page: `(y, x0, x1)`.
type Rule = (f32, f32, f32);

/// The rules that are not text underlines. Word underlines the values of some tables (a short
/// stroke under each number, just below its baseline); taken for the bottom of a cell, such a
/// stroke would cut the values off from their row's label. A rule is an underline when it lies
/// within a fifth of a glyph size below the baseline of glyphs that cover all its length (an
/// underline is drawn under its run of text, about a tenth of the size below the baseline); a
/// cell's border runs past its text, under the descent and the cell's padding.
fn without_underlines(rules: Vec<Rule>, glyphs: &[Glyph]) -> Vec<Rule> {
    // Glyphs by baseline, so that each rule looks only at those just above it.
    let mut by_base: Vec<&Glyph> = glyphs.iter().collect();
    by_base.sort_by(|a, b| a.y0.total_cmp(&b.y0));
    let largest = glyphs.iter().map(|g| g.size).fold(0.0f32, f32::max);
    rules
        .into_iter()
        .filter(|&(y, x0, x1)| {
            let from = by_base.partition_point(|g| g.y0 < y - 0.05 * largest);
            let mut covered = 0.0;
            for g in &by_base[from..] {
                if g.y0 > y + 0.2 * largest {
                    break;
                }
                let below = g.y0 - y;
                if below >= -0.05 * g.size && below <= 0.2 * g.size {
                    covered += (g.x1.min(x1) - g.x0.max(x0)).max(0.0);
                }
            }
            covered < 0.95 * (x1 - x0)
        })
        .collect()
}

/// The rows of a page, top to bottom: whether the row is inside ruled cells, and its words left
/// to right.
///
/// A glyph inside ruled cells belongs to the band between the nearest rules above and below it
/// that reach across it; all glyphs of one band are one row (a wrapped label and its centred
/// values). A band holding two lines of numbers is not one row (a shaded background, not a
/// cell) and is read line by line. Glyphs outside ruled cells are read line by line, and a short
/// line of text that stands, tightly spaced, entirely in the label area of a line of values (the
/// rest of a wrapped label) joins that line.
fn page_rows(glyphs: &[Glyph], rules: &[Rule]) -> Vec<(bool, Vec<Word>)> {
    let band_of = |g: &Glyph| -> Option<(i32, i32)> {
        let (cx, cy) = ((g.x0 + g.x1) / 2.0, g.cy());
        let mut above = f32::MAX;
        let mut below = f32::MIN;
        for &(y, x0, x1) in rules {
            if cx < x0 - 1.0 || cx > x1 + 1.0 {
                continue;
            }
            if y > cy && y < above {
                above = y;
            } else if y < cy && y > below {
                below = y;
            }
        }
        (above < f32::MAX && below > f32::MIN && above - below < 250.0)
            .then_some(((below * 10.0) as i32, (above * 10.0) as i32))
    };
    let mut banded: Vec<((i32, i32), &Glyph)> = Vec::new();
    let mut loose: Vec<&Glyph> = Vec::new();
    for g in glyphs {
        match band_of(g) {
            Some(b) => banded.push((b, g)),
            None => loose.push(g),
        }
    }
    let mut rows: Vec<(f32, bool, Vec<Glyph>)> = Vec::new();
    banded.sort_by_key(|b| b.0);
    let mut bands: Vec<Vec<&Glyph>> = Vec::new();
    let mut i = 0;
    while i < banded.len() {
        let band = banded[i].0;
        let mut j = i;
        while j < banded.len() && banded[j].0 == band {
            j += 1;
        }
        bands.push(banded[i..j].iter().map(|b| b.1).collect());
        i = j;
    }
    // A band that is one line sharing its baseline with a line of another band is part of that
    // row (a cell whose fill, drawn over the grid, gives it other edges).
    let single: Vec<Option<f32>> = bands
        .iter()
        .map(|b| {
            let ls = lines(b);
            (ls.len() == 1).then(|| ls[0][0].cy())
        })
        .collect();
    for a in 0..bands.len() {
        let Some(cy) = single[a] else { continue };
        let host = (0..bands.len()).find(|&b| {
            b != a
                && !bands[b].is_empty()
                && (single[b].is_none() || bands[b].len() > bands[a].len())
                && bands[b].iter().any(|g| (g.cy() - cy).abs() <= 0.3 * g.size)
        });
        if let Some(b) = host {
            let moved = std::mem::take(&mut bands[a]);
            bands[b].extend(moved);
        }
    }
    for gs in bands.into_iter().filter(|b| !b.is_empty()) {
        let ls = join_wrapped_numbers(lines(&gs));
        let words: Vec<Vec<Word>> = ls
            .iter()
            .map(|l| words_of_row(&l.iter().collect::<Vec<_>>()))
            .collect();
        let numeric_lines = words.iter().filter(|w| w.iter().any(|w| w.numeric)).count();
        if numeric_lines > 1 && !one_row_at_two_heights(&words) {
            for l in ls {
                let r: Vec<&Glyph> = l.iter().collect();
                rows.push((top_of(&r), true, l));
            }
        } else {
            rows.push((top_of(&gs), true, ls.into_iter().flatten().collect()));
        }
    }
    for row in join_wrapped_labels(lines(&loose)) {
        rows.push((top_of(&row), false, row.into_iter().copied().collect()));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    rows.into_iter()
        .map(|(_, in_table, gs)| (in_table, words_of_row(&gs.iter().collect::<Vec<_>>())))
        .filter(|(_, w)| !w.is_empty())
        .collect()
}

/// Whether the lines of values in one band are one row whose cells stand at different heights
/// (Word puts a value one line up when its cell holds an empty paragraph after it): their
/// numbers stand in different columns, and at most one of those lines has a label. Two rows of a
/// band without a rule between them have their numbers in the same columns, or each its label.
fn one_row_at_two_heights(lines: &[Vec<Word>]) -> bool {
    // A row of the forms has at most 15 values; a band of more lines or numbers is several rows
    // (and is not compared number by number, which would take the square of their count).
    const MOST_VALUES: usize = 32;
    if lines.len() > MOST_VALUES {
        return false;
    }
    let mut numbers: Vec<(f32, f32)> = Vec::new();
    let mut labelled = 0;
    for words in lines {
        if !words.iter().any(|w| w.numeric) {
            continue;
        }
        labelled += usize::from(words.iter().any(|w| !w.numeric));
        let here: Vec<(f32, f32)> = words
            .iter()
            .filter(|w| w.numeric)
            .map(|w| (w.x0, w.x1))
            .collect();
        if here
            .iter()
            .any(|&(a0, a1)| numbers.iter().any(|&(b0, b1)| a0 < b1 && b0 < a1))
        {
            return false;
        }
        numbers.extend(here);
        if numbers.len() > MOST_VALUES {
            return false;
        }
    }
    labelled <= 1
}

/// The left edge of a line's first number word (`f32::MAX` when it has none): a list number
/// (`1.属于…`) or a year inside a label is not a number word.
fn first_number_word(line: &[&Glyph]) -> f32 {
    words_of_row(line)
        .iter()
        .filter(|w| w.numeric)
        .map(|w| w.x0)
        .fold(f32::MAX, f32::min)
}

/// The lines of one cell band, with a number that wrapped inside its cell (`14` over `7`) joined:
/// a line whose every word stands flush under a number word of the line above, and that has
/// fewer words than it, is the rest of those numbers; its glyphs move to the end of the number
/// they continue, on its line.
fn join_wrapped_numbers(ls: Vec<Vec<&Glyph>>) -> Vec<Vec<Glyph>> {
    let mut out: Vec<Vec<Glyph>> = Vec::new();
    for line in ls {
        let line: Vec<Glyph> = line.into_iter().copied().collect();
        if let Some(prev) = out.last_mut() {
            let above = words_of_row(&prev.iter().collect::<Vec<_>>());
            let below = words_of_row(&line.iter().collect::<Vec<_>>());
            let flush = !below.is_empty()
                && below.len() < above.len()
                && below.iter().all(|w| {
                    w.numeric
                        && above
                            .iter()
                            .any(|a| a.numeric && (a.x0 - w.x0).abs() <= 1.5)
                });
            if flush {
                let base = prev[0];
                for w in &below {
                    let Some(a) = above
                        .iter()
                        .find(|a| a.numeric && (a.x0 - w.x0).abs() <= 1.5)
                    else {
                        continue;
                    };
                    // The whole number keeps the extent of its first part: its digits are
                    // laid out evenly within it, so the gap to the next column stays.
                    let rest: Vec<Glyph> = line
                        .iter()
                        .filter(|g| g.x0 >= w.x0 - 0.1 && g.x1 <= w.x1 + 0.1)
                        .copied()
                        .collect();
                    let mut digits: Vec<usize> = (0..prev.len())
                        .filter(|&i| prev[i].x0 >= a.x0 - 0.1 && prev[i].x1 <= a.x1 + 0.1)
                        .collect();
                    digits.sort_by(|&i, &j| prev[i].x0.total_cmp(&prev[j].x0));
                    let n = (digits.len() + rest.len()) as f32;
                    let step = (a.x1 - a.x0) / n;
                    for (k, &i) in digits.iter().enumerate() {
                        prev[i].x0 = a.x0 + step * k as f32;
                        prev[i].x1 = prev[i].x0 + step;
                    }
                    for (k, g) in rest.iter().enumerate() {
                        let x0 = a.x0 + step * (digits.len() + k) as f32;
                        prev.push(Glyph {
                            x0,
                            x1: x0 + step,
                            y0: base.y0,
                            y1: base.y1,
                            ..*g
                        });
                    }
                }
                continue;
            }
        }
        out.push(line);
    }
    out
}

fn top_of(gs: &[&Glyph]) -> f32 {
    gs.iter().map(|g| g.y1).fold(f32::MIN, f32::max)
}

fn bottom_of(gs: &[&Glyph]) -> f32 {
    gs.iter().map(|g| g.y0).fold(f32::MAX, f32::min)
}

/// Unruled lines, top to bottom: a line of text only joins the line of values just above or
/// below it when it is tightly spaced to it and lies entirely left of that line's first number.
fn join_wrapped_labels(lines: Vec<Vec<&Glyph>>) -> Vec<Vec<&Glyph>> {
    let first_number = |l: &[&Glyph]| first_number_word(l);
    let size = |l: &[&Glyph]| l.iter().map(|g| g.size).fold(0.0f32, f32::max);
    let n = lines.len();
    let right = |l: &[&Glyph]| l.iter().map(|g| g.x1).fold(f32::MIN, f32::max);
    // Gap between line k and the next one below; tight when under 0.9 em.
    let gap_below: Vec<f32> = (0..n)
        .map(|k| {
            lines
                .get(k + 1)
                .map_or(f32::MAX, |next| bottom_of(&lines[k]) - top_of(next))
        })
        .collect();
    let tight = |k: usize| {
        lines
            .get(k + 1)
            .is_some_and(|next| gap_below[k] < 0.9 * size(&lines[k]).min(size(next)))
    };
    // For each text-only line, the line of values it joins: follow the tighter side through
    // tightly spaced text lines until a line of values; every line passed must lie left of that
    // line's first number.
    let mut home: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        if first_number(&lines[i]) < f32::MAX {
            continue;
        }
        let up = i > 0 && gap_below[i - 1] <= gap_below[i];
        let mut k = i;
        let mut passed = vec![i];
        home[i] = loop {
            let next = if up {
                if k == 0 || !tight(k - 1) {
                    break None;
                }
                k - 1
            } else {
                if !tight(k) {
                    break None;
                }
                k + 1
            };
            let fx = first_number(&lines[next]);
            if fx < f32::MAX {
                let fits = passed.iter().all(|&p| right(&lines[p]) <= fx - 2.0);
                break fits.then_some(next);
            }
            passed.push(next);
            k = next;
        };
    }
    let mut out: Vec<Vec<&Glyph>> = Vec::new();
    let mut index: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        if home[i].is_none() {
            index[i] = Some(out.len());
            out.push(lines[i].clone());
        }
    }
    for i in 0..n {
        if let Some(j) = home[i] {
            let k = index[j].expect("a line of values has a row");
            out[k].extend(lines[i].iter().copied());
        }
    }
    out
}

/// Glyphs grouped into lines by vertical overlap, top to bottom, each left to right.
fn lines<'a>(glyphs: &[&'a Glyph]) -> Vec<Vec<&'a Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| b.cy().total_cmp(&a.cy()));
    let mut out: Vec<(f32, f32, Vec<&Glyph>)> = Vec::new(); // (centre, size, glyphs)
    for g in sorted {
        match out.last_mut() {
            Some((c, s, v)) if (g.cy() - *c).abs() <= 0.45 * s.min(g.size) => v.push(g),
            _ => out.push((g.cy(), g.size, vec![g])),
        }
    }
    out.into_iter()
        .map(|(_, _, mut v)| {
            v.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            v
        })
        .collect()
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | ',' | '+' | '-' | '%')
}

/// A currency unit set just after a number on its line (`75394432.52 元`, the amount cell of
/// 政府集中采购) belongs to the number, as it does in a copied cell (`70487元`): without it the
/// amount's unit is lost. `words[from..]` are one line's words, left to right.
fn glue_units(words: &mut Vec<Word>, from: usize) {
    let mut i = words.len();
    while i > from + 1 {
        i -= 1;
        let (a, b) = (&words[i - 1], &words[i]);
        let unit = matches!(b.text.as_str(), "元" | "万元");
        let gap = b.x0 - a.x1;
        if unit && a.numeric && a.text.bytes().any(|c| c.is_ascii_digit()) && gap <= (b.x1 - b.x0) {
            let b = words.remove(i);
            let a = &mut words[i - 1];
            a.text.push_str(&b.text);
            a.x1 = a.x1.max(b.x1);
        }
    }
}

/// The words of one row: each line cut at gaps, numbers apart from text, then text words stacked
/// in one column joined top to bottom.
fn words_of_row(glyphs: &[&Glyph]) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    for line in lines(glyphs) {
        let line_start = words.len();
        let mut cur: Option<Word> = None;
        let mut prev: Option<&Glyph> = None;
        for g in line {
            let numeric = is_number_char(g.c);
            let split = match (prev, &cur) {
                (Some(p), Some(w)) => {
                    let gap = g.x0 - p.x1;
                    gap > 0.3 * p.size.min(g.size) || (numeric != w.numeric && gap > 0.05 * g.size)
                }
                _ => true,
            };
            if split {
                words.extend(cur.take());
                cur = Some(Word {
                    text: String::new(),
                    x0: g.x0,
                    x1: g.x1,
                    top: g.y1,
                    numeric,
                });
            }
            let w = cur.as_mut().expect("set");
            w.text.push(g.c);
            w.x1 = w.x1.max(g.x1);
            w.top = w.top.max(g.y1);
            w.numeric &= numeric;
            prev = Some(g);
        }
        words.extend(cur);
        glue_units(&mut words, line_start);
    }
    // A number word must have a digit (`-`, `.` alone are marks or text).
    for w in &mut words {
        w.numeric &= w.text.chars().any(|c| c.is_ascii_digit());
    }
    // Join text words stacked in one column (top to bottom), numbers never.
    words.sort_by(|a, b| b.top.total_cmp(&a.top));
    let mut joined: Vec<Word> = Vec::new();
    for w in words {
        let home = if w.numeric {
            None
        } else {
            joined.iter_mut().rev().find(|o| {
                let ov = o.x1.min(w.x1) - o.x0.max(w.x0);
                !o.numeric && ov > 0.0 && 2.0 * ov >= (o.x1 - o.x0).min(w.x1 - w.x0)
            })
        };
        match home {
            Some(o) => {
                o.text.push_str(&w.text);
                o.x0 = o.x0.min(w.x0);
                o.x1 = o.x1.max(w.x1);
            }
            None => joined.push(w),
        }
    }
    joined.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(c: char, x: f32, y: f32) -> Glyph {
        Glyph {
            c,
            x0: x,
            x1: x + 10.0,
            y0: y,
            y1: y + 10.0,
            size: 10.0,
        }
    }

    #[test]
    fn underlined_values_stay_in_their_label_s_row() {
        // A row band from y=100 to y=140; the label at the top, the values centred and
        // underlined (a stroke a point under each number's baseline, as Word draws them).
        let mut gs = Vec::new();
        for (i, c) in "一、本年新收".chars().enumerate() {
            gs.push(glyph(c, 10.0 + 10.0 * i as f32, 125.0));
        }
        gs.push(glyph('2', 200.0, 117.0));
        gs.push(glyph('0', 210.0, 117.0));
        gs.push(glyph('7', 300.0, 117.0));
        let cell_rules = vec![(100.0, 5.0, 320.0), (140.0, 5.0, 320.0)];
        let underlines = vec![(116.0, 200.0, 220.0), (116.0, 300.0, 310.0)];
        let all: Vec<Rule> = cell_rules.iter().chain(&underlines).copied().collect();
        assert_eq!(without_underlines(all.clone(), &gs), cell_rules);
        let rows = page_rows(&gs, &without_underlines(all, &gs));
        let texts: Vec<&str> = rows[0].1.iter().map(|w| w.text.as_str()).collect();
        assert_eq!((rows.len(), texts), (1, vec!["一、本年新收", "20", "7"]));
        // A cell's bottom rule under a short value is no underline: the value covers little of it.
        let r = vec![(116.0, 190.0, 260.0)];
        assert_eq!(without_underlines(r.clone(), &gs), r);
        // Nor is a tight header row's border, three tenths of the size under text that fills
        // most of the row.
        let header: Vec<Glyph> = (0..18)
            .map(|i| glyph('年', 10.0 + 10.0 * i as f32, 50.0))
            .collect();
        let r = vec![(47.0, 5.0, 200.0)];
        assert_eq!(without_underlines(r.clone(), &header), r);
    }

    #[test]
    fn a_currency_unit_after_a_number_is_part_of_it() {
        let mut gs = Vec::new();
        for (i, c) in "政府集中采购".chars().enumerate() {
            gs.push(glyph(c, 10.0 + 10.0 * i as f32, 100.0));
        }
        gs.push(glyph('1', 150.0, 100.0));
        for (i, c) in "7539.5".chars().enumerate() {
            gs.push(glyph(c, 250.0 + 6.0 * i as f32, 100.0));
        }
        gs.push(glyph('元', 293.0, 100.0));
        let words = words_of_row(&gs.iter().collect::<Vec<_>>());
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["政府集中采购", "1", "7539.5元"]);
        assert!(words[2].numeric);
        // A unit far from the number (its own column) stays apart.
        let far = [glyph('5', 10.0, 100.0), glyph('元', 80.0, 100.0)];
        assert_eq!(words_of_row(&far.iter().collect::<Vec<_>>()).len(), 2);
    }

    #[test]
    fn a_value_drawn_a_line_up_stays_in_its_row() {
        // One band (rules at 100 and 140): the first value a line above the label and the
        // other values (an empty paragraph after it in its cell).
        let mut gs = vec![glyph('0', 200.0, 125.0)];
        for (i, c) in "规章".chars().enumerate() {
            gs.push(glyph(c, 10.0 + 10.0 * i as f32, 112.0));
        }
        gs.push(glyph('0', 300.0, 112.0));
        gs.push(glyph('7', 400.0, 112.0));
        let rules = vec![(100.0, 5.0, 420.0), (140.0, 5.0, 420.0)];
        let rows = page_rows(&gs, &rules);
        assert_eq!(rows.len(), 1);
        let texts: Vec<&str> = rows[0].1.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["规章", "0", "0", "7"]);
        // Two rows in one band, their numbers in the same columns, stay two rows.
        let mut gs = Vec::new();
        for (y, label) in [(125.0, "规章"), (110.0, "规范")] {
            for (i, c) in label.chars().enumerate() {
                gs.push(glyph(c, 10.0 + 10.0 * i as f32, y));
            }
            gs.push(glyph('1', 200.0, y));
            gs.push(glyph('2', 300.0, y));
        }
        assert_eq!(page_rows(&gs, &rules).len(), 2);
        // A staircase of numbers, each on its own line in its own column, is not one row.
        let stairs: Vec<Vec<Word>> = (0..40)
            .map(|i| words_of_row(&[&glyph('1', 20.0 * i as f32, 500.0 - 12.0 * i as f32)]))
            .collect();
        assert!(!one_row_at_two_heights(&stairs));
    }

    #[test]
    fn a_wrapped_label_joins_its_values_in_one_band() {
        // One cell band from y=100 to y=140: the label on two lines, the value centred.
        let mut gs = Vec::new();
        for (i, c) in "部分公开".chars().enumerate() {
            gs.push(glyph(c, 10.0 + 10.0 * i as f32, 125.0));
        }
        for (i, c) in "其他情形".chars().enumerate() {
            gs.push(glyph(c, 10.0 + 10.0 * i as f32, 110.0));
        }
        gs.push(glyph('4', 200.0, 117.0));
        let rules = vec![(100.0, 5.0, 220.0), (140.0, 5.0, 220.0)];
        let rows = page_rows(&gs, &rules);
        assert_eq!(rows.len(), 1);
        let texts: Vec<&str> = rows[0].1.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["部分公开其他情形", "4"]);
    }

    #[test]
    fn an_unruled_wrapped_label_joins_its_line_of_values() {
        // Top-aligned cell: label line 1 with the values, line 2 below it, then the next row.
        let mut gs = Vec::new();
        for (i, c) in "一、本年新收".chars().enumerate() {
            gs.push(glyph(c, 10.0 + 10.0 * i as f32, 200.0));
        }
        gs.push(glyph('7', 200.0, 200.0));
        for (i, c) in "申请数量".chars().enumerate() {
            gs.push(glyph(c, 10.0 + 10.0 * i as f32, 188.0));
        }
        for (i, c) in "二、上年结转".chars().enumerate() {
            gs.push(glyph(c, 10.0 + 10.0 * i as f32, 160.0));
        }
        gs.push(glyph('1', 200.0, 160.0));
        let rows = page_rows(&gs, &[]);
        let texts: Vec<Vec<&str>> = rows
            .iter()
            .map(|r| r.1.iter().map(|w| w.text.as_str()).collect())
            .collect();
        assert_eq!(
            texts,
            [vec!["一、本年新收申请数量", "7"], vec!["二、上年结转", "1"]]
        );
    }

    #[test]
    fn numbers_are_their_own_words() {
        let gs = [
            glyph('规', 10.0, 100.0),
            glyph('章', 20.0, 100.0),
            glyph('1', 60.0, 100.0),
            glyph('2', 66.0, 100.0),
            glyph('0', 120.0, 100.0),
        ];
        let refs: Vec<&Glyph> = gs.iter().collect();
        let texts: Vec<String> = words_of_row(&refs).into_iter().map(|w| w.text).collect();
        assert_eq!(texts, ["规章", "12", "0"]);
    }

    #[test]
    fn page_lists() {
        assert_eq!(pages_list(&[1, 2, 3, 5, 7, 8]), "1–3, 5, 7–8");
    }
}
