//! Pasted text: bytes → decoded text → normalized lines → cell tokens with their line numbers.
//!
//! Owns decoding (UTF-8 with or without BOM, UTF-16, GBK/GB18030), Unicode normalization
//! (NFKC, quote folding, invisible characters) and splitting lines into cells for every layout
//! seen in real copies: one cell per line, `|`-separated (with stray `|||` lines), tab-separated,
//! markdown tables, space-aligned columns, and lines whose cells ran together
//! (`规章000行政规范性文件693665`). It knows nothing about which row is which: that is
//! [`crate::recognize`]'s job.

use std::borrow::Cow;

use crate::diagnostic::Origin;

use unicode_normalization::UnicodeNormalization;

/// One cell of text, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Normalized text of the cell; empty for an explicitly blank cell (tab/pipe layouts).
    pub text: String,
    /// Where the cell is in the input (a line, or a sheet cell).
    pub origin: Origin,
    /// True when the token's boundaries are uncertain: it was cut out of a line where cells ran
    /// together or were separated by single spaces. Only such tokens may be split further.
    pub loose: bool,
    /// True when a grid puts this token where a value belongs (a value column of a data row):
    /// text there is a value that is not a number, to be reported at its cell, not a label.
    pub slot: bool,
}

/// The decoded input: normalized lines and the encoding that was used.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Normalized text, lines separated by `\n`.
    pub text: String,
    /// Name of the encoding the bytes were read as (`UTF-8`, `UTF-16LE`, `GBK`, …).
    pub encoding: &'static str,
}

/// Decode bytes: BOM first, then strict UTF-8, then UTF-16 without BOM, then a detector
/// (GBK/GB18030 in practice). Never fails: undecodable bytes become U+FFFD.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (text, encoding) = decode_raw(bytes);
    Decoded {
        text: normalize(&text),
        encoding,
    }
}

/// Decode a web page: as [`decode`], except that a page that is not UTF-8 and declares its
/// encoding (`<meta charset="gbk">`, `content="text/html; charset=gb2312"`, an XML declaration)
/// is read in that encoding before any guessing.
pub fn decode_html(bytes: &[u8]) -> Decoded {
    if encoding_rs::Encoding::for_bom(bytes).is_none() && std::str::from_utf8(bytes).is_err() {
        if let Some(enc) = declared_charset(bytes) {
            let enc = if enc == encoding_rs::GBK {
                encoding_rs::GB18030
            } else {
                enc
            };
            let (s, _) = enc.decode_without_bom_handling(bytes);
            return Decoded {
                text: normalize(&s),
                encoding: enc.name(),
            };
        }
    }
    decode(bytes)
}

/// The encoding a page declares in its first 4 KB (`charset=…` or `encoding="…"`).
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head: Vec<u8> = bytes[..bytes.len().min(4096)].to_ascii_lowercase();
    for key in [&b"charset="[..], &b"encoding="[..]] {
        let mut from = 0;
        while let Some(i) = head[from..].windows(key.len()).position(|w| w == key) {
            let start = from + i + key.len();
            let label: Vec<u8> = head[start..]
                .iter()
                .skip_while(|b| **b == b'"' || **b == b'\'' || **b == b' ')
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b'_')
                .copied()
                .collect();
            if let Some(enc) = encoding_rs::Encoding::for_label(&label) {
                return Some(enc);
            }
            from = start;
        }
    }
    None
}

/// Decode bytes like [`decode`] but keep the text exactly as written (no normalization):
/// for structured inputs (CSV, XML) whose text is data, not a copy to be matched.
pub fn decode_exact(bytes: &[u8]) -> String {
    decode_raw(bytes).0
}

fn decode_raw(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (s.into_owned(), enc.name());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), "UTF-8");
    }
    // UTF-16 without a BOM: many NUL bytes at odd or even positions.
    if bytes.len() >= 4 {
        let n = bytes.len().min(4096) / 2;
        let even_nul = (0..n).filter(|i| bytes[2 * i] == 0).count();
        let odd_nul = (0..n).filter(|i| bytes[2 * i + 1] == 0).count();
        if odd_nul * 3 > n && even_nul * 10 < n {
            let (s, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(bytes);
            return (s.into_owned(), "UTF-16LE");
        }
        if even_nul * 3 > n && odd_nul * 10 < n {
            let (s, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(bytes);
            return (s.into_owned(), "UTF-16BE");
        }
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let mut enc = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    if enc == encoding_rs::GBK {
        // GB18030 is a superset of GBK; decoding as GB18030 loses nothing.
        enc = encoding_rs::GB18030;
    }
    let (s, _) = enc.decode_without_bom_handling(bytes);
    (s.into_owned(), enc.name())
}

/// Normalize text for matching: NFKC (full-width brackets, digits and punctuation to
/// half-width, NBSP and ideographic space to space), curly quotes to straight ones, invisible
/// characters removed, HTML comments (`<!--[if !supportLists]-->`) removed, CRLF to LF.
pub fn normalize(s: &str) -> String {
    let s = strip_html_comments(s);
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc() {
        match c {
            '\r' => {}
            '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{2060}' | '\u{00AD}' => {}
            '“' | '”' | '„' | '‟' | '″' | '〝' | '〞' => out.push('"'),
            '‘' | '’' | '‚' | '‛' | '′' => out.push('\''),
            '\u{00A0}' | '\u{3000}' | '\u{2002}'..='\u{200A}' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn strip_html_comments(s: &str) -> Cow<'_, str> {
    if !s.contains("<!--") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        match rest[i..].find("-->") {
            Some(j) => rest = &rest[i + j + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Split normalized text into cell tokens, line by line.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        tokenize_line(line, (i + 1) as u32, &mut out);
    }
    out
}

fn is_filler_line(t: &str) -> bool {
    t.chars()
        .all(|c| c == '|' || c == '-' || c == ':' || c == '+' || c.is_whitespace())
        && t.contains('|')
}

fn tokenize_line(line: &str, no: u32, out: &mut Vec<Token>) {
    let t = line.trim();
    if t.is_empty() || is_filler_line(t) {
        return;
    }
    if t.contains('\t') {
        push_cells(t.split('\t'), no, out);
    } else if t.contains('|') {
        let mut pieces: Vec<&str> = t.split('|').collect();
        if pieces.first().is_some_and(|p| p.trim().is_empty()) {
            pieces.remove(0);
        }
        if pieces.last().is_some_and(|p| p.trim().is_empty()) {
            pieces.pop();
        }
        push_cells(pieces.into_iter(), no, out);
    } else if t.contains("  ") {
        // Space-aligned columns: two or more spaces separate cells.
        let cells: Vec<&str> = t.split("  ").filter(|c| !c.trim().is_empty()).collect();
        for c in cells {
            split_spaced(c.trim(), no, out);
        }
    } else {
        split_spaced(t, no, out);
    }
}

/// Cells of a tab- or pipe-separated line. Leading empty cells (indentation under a merged row
/// header) are dropped; empty cells after the first non-empty one are explicit blanks.
fn push_cells<'a>(cells: impl Iterator<Item = &'a str>, no: u32, out: &mut Vec<Token>) {
    let mut started = false;
    for c in cells {
        let c = c.trim();
        if c.is_empty() {
            if started {
                out.push(Token {
                    text: String::new(),
                    origin: Origin::Line { line: no },
                    loose: false,
                    slot: false,
                });
            }
            continue;
        }
        started = true;
        if c.contains(' ') && c.split(' ').any(is_numeric_piece) {
            split_spaced(c, no, out);
        } else {
            split_glued(c, no, false, out);
        }
    }
}

fn is_numeric_piece(p: &str) -> bool {
    let p = p.trim();
    !p.is_empty()
        && p.chars().any(|c| c.is_ascii_digit())
        && p.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '+' | '-' | '%'))
}

/// A cell whose parts are separated by single spaces: numbers become their own tokens; adjacent
/// text pieces stay together (`商业 企业` is one label).
fn split_spaced(cell: &str, no: u32, out: &mut Vec<Token>) {
    let pieces: Vec<&str> = cell.split(' ').filter(|p| !p.is_empty()).collect();
    if pieces.len() == 1 {
        split_glued(pieces[0], no, false, out);
        return;
    }
    let mut text = String::new();
    let mut pieces = pieces.into_iter().peekable();
    while let Some(p) = pieces.next() {
        // `2011 年度` is a header word, not a value followed by text.
        if p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(next) = pieces.peek() {
                if next.starts_with('年') {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(p);
                    text.push_str(pieces.next().expect("peeked"));
                    continue;
                }
            }
        }
        if is_numeric_piece(p) {
            if !text.is_empty() {
                split_glued(&std::mem::take(&mut text), no, true, out);
            }
            out.push(Token {
                text: p.to_string(),
                origin: Origin::Line { line: no },
                loose: true,
                slot: false,
            });
        } else {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(p);
        }
    }
    if !text.is_empty() {
        split_glued(&text, no, true, out);
    }
}

fn is_num_char(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || c == ','
}

/// Split a cell where label text and numbers ran together (`行政规范性文件693665`,
/// `00000002.其他法律行政法规禁止公开`). A digit followed by `.` or `、` and then text is an
/// enumerator that starts the next label. Numbers keep a trailing unit (`元`, `万元`).
fn split_glued(cell: &str, no: u32, loose: bool, out: &mut Vec<Token>) {
    let chars: Vec<char> = cell.chars().collect();
    // Fast path: pure label or pure number.
    let has_digit = chars.iter().any(|c| c.is_ascii_digit());
    if !has_digit || is_value_like(cell) || is_enumerated_label(&chars) && !has_trailing_run(&chars)
    {
        out.push(Token {
            text: cell.trim().to_string(),
            origin: Origin::Line { line: no },
            loose,
            slot: false,
        });
        return;
    }
    let mut segs: Vec<(String, bool)> = Vec::new(); // (text, is_number)
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_number = c.is_ascii_digit()
            || ((c == '-' || c == '+')
                && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())
                && segs.last().is_some_and(|(_, num)| *num));
        if starts_number && !is_enumerator_at(&chars, i) {
            let start = i;
            i += 1;
            while i < chars.len() {
                if is_num_char(chars[i]) {
                    // The last digit of a run followed by `.` + text is the next label's enumerator.
                    if chars[i].is_ascii_digit() && is_enumerator_at(&chars, i) {
                        break;
                    }
                    i += 1;
                } else if (chars[i] == '-' || chars[i] == '+')
                    && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())
                {
                    i += 1;
                } else {
                    break;
                }
            }
            // A year or date inside a label (`2013年度`, `12月31日`) is text, not a value.
            if matches!(
                chars.get(i),
                Some('年') | Some('月') | Some('日') | Some('号')
            ) {
                let mut j = i + 1;
                while j < chars.len() && !chars[j].is_ascii_digit() {
                    j += 1;
                }
                let text: String = chars[start..j].iter().collect();
                match segs.last_mut() {
                    Some((prev, false)) => prev.push_str(&text),
                    _ => segs.push((text, false)),
                }
                i = j;
                continue;
            }
            let mut end = i;
            // Trim a trailing '.' or ',' that is punctuation, not part of the number.
            while end > start + 1 && matches!(chars[end - 1], '.' | ',') {
                end -= 1;
                i = end;
            }
            let mut num: String = chars[start..end].iter().collect();
            // Keep a unit that follows the number.
            for unit in ["万元", "元"] {
                let u: Vec<char> = unit.chars().collect();
                if chars[i..].starts_with(&u) {
                    num.push_str(unit);
                    i += u.len();
                    break;
                }
            }
            segs.push((num, true));
        } else {
            let start = i;
            i += 1;
            if is_enumerator_at(&chars, start) {
                // Skip over the enumerator digit and its dot.
                i = start + 2;
            }
            while i < chars.len() {
                let d = chars[i];
                if d.is_ascii_digit() {
                    // Digits inside a label stay when they are part of it: `第1项`, `(2)`.
                    let prev = chars[i - 1];
                    let next = chars.get(i + 1).copied();
                    let inside_parens = prev == '(' && next.is_some_and(|n| n == ')');
                    if inside_parens {
                        i += 1;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            if !text.trim().is_empty() {
                match segs.last_mut() {
                    // `其中:` + `1、当面申请数` stay one label; so does a year glued to text.
                    Some((prev, false))
                        if !is_enumerator_at(&chars, start) || prev.ends_with(':') =>
                    {
                        prev.push_str(&text)
                    }
                    _ => segs.push((text.trim().to_string(), false)),
                }
            }
        }
    }
    let glued = segs.len() > 1;
    for (text, _) in segs {
        out.push(Token {
            text,
            origin: Origin::Line { line: no },
            loose: loose || glued,
            slot: false,
        });
    }
}

/// `chars[i]` is a single digit that starts an enumerated label: `2.其他…`, `3、…`.
fn is_enumerator_at(chars: &[char], i: usize) -> bool {
    chars[i].is_ascii_digit()
        && matches!(chars.get(i + 1), Some('.') | Some('、'))
        && chars
            .get(i + 2)
            .is_some_and(|c| !c.is_ascii_digit() && !c.is_whitespace() && *c != '.')
        && (i == 0 || !chars[i - 1].is_ascii_digit() || is_run_before(chars, i))
}

/// A digit run ends just before `i` (so `chars[i]` may be an enumerator glued to values).
fn is_run_before(chars: &[char], i: usize) -> bool {
    i > 0 && chars[i - 1].is_ascii_digit()
}

fn is_enumerated_label(chars: &[char]) -> bool {
    !chars.is_empty() && is_enumerator_at(chars, 0)
}

fn has_trailing_run(chars: &[char]) -> bool {
    chars.len() > 2 && chars[2..].iter().any(|c| c.is_ascii_digit())
}

/// A cell that is a value on its own: a number (with sign, separators, unit) or a mark.
pub fn is_value_like(cell: &str) -> bool {
    let t = cell.trim();
    if xxgk_schema::Mark::parse(t).is_some() {
        return true;
    }
    let t = strip_unit(t).0;
    let t = t
        .strip_prefix('+')
        .or_else(|| t.strip_prefix('-'))
        .unwrap_or(t);
    !t.is_empty()
        && t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars().all(is_num_char)
}

/// Units that real reports print inside value cells.
pub const CELL_UNITS: [&str; 9] = ["万元", "元", "人次", "件", "条", "个", "次", "项", "人"];

/// Split a trailing unit off a value cell: `251000元` → (`251000`, Some(`元`)).
pub fn strip_unit(t: &str) -> (&str, Option<&'static str>) {
    for u in CELL_UNITS {
        if let Some(v) = t.strip_suffix(u) {
            if v.chars().last().is_some_and(|c| c.is_ascii_digit()) {
                return (v.trim_end(), Some(u));
            }
        }
    }
    (t, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(&normalize(s))
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn one_cell_per_line() {
        assert_eq!(texts("规章\n\n0\n\n12\n"), ["规章", "0", "12"]);
    }

    #[test]
    fn pipe_cells_and_filler() {
        assert_eq!(texts("规章 |\n|||\n0 |\n5 |\n"), ["规章", "0", "5"]);
        assert_eq!(
            texts("| 规章 | 0 |  | 3 |\n|---|---|---|---|"),
            ["规章", "0", "", "3"]
        );
    }

    #[test]
    fn tabs_keep_blanks_but_not_indentation() {
        assert_eq!(
            texts("\t1.属于国家秘密\t0\t\t1"),
            ["1.属于国家秘密", "0", "", "1"]
        );
    }

    #[test]
    fn space_aligned_and_single_spaces() {
        assert_eq!(
            texts("主动公开信息数 条 72804 76424"),
            ["主动公开信息数 条", "72804", "76424"]
        );
        assert_eq!(texts("商业 企业"), ["商业 企业"]);
        assert_eq!(texts("(六)其他处理4 0 0 0 0 0 4")[0], "(六)其他处理");
    }

    #[test]
    fn glued_cells_split_at_labels_and_enumerators() {
        assert_eq!(
            texts("规章 000行政规范性文件693665第二十条第(五)项"),
            [
                "规章",
                "000",
                "行政规范性文件",
                "693665",
                "第二十条第(五)项"
            ]
        );
        assert_eq!(
            texts("1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"),
            [
                "1.属于国家秘密",
                "0000000",
                "2.其他法律行政法规禁止公开",
                "0000000"
            ]
        );
        assert_eq!(
            texts("政府集中采购39573802895.90元三、收到"),
            ["政府集中采购", "39573802895.90元", "三、收到"]
        );
        assert_eq!(texts("行政处罚2648-18538"), ["行政处罚", "2648-18538"]);
    }

    #[test]
    fn normalization() {
        assert_eq!(normalize("（一）\u{a0}93　“三安全”"), "(一) 93 \"三安全\"");
        assert_eq!(normalize("a<!--[if !supportLists]-->b"), "ab");
    }

    #[test]
    fn decodes_gbk_and_utf16() {
        let s = "三、收到和处理政府信息公开申请情况\n自然人\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(s);
        assert_eq!(decode(&gbk).text, s);
        let mut u16le = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            u16le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&u16le).text, s);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode(&bom).text, s);
    }
}
