//! Pasted text: bytes → decoded text → normalized lines → cell tokens with their line numbers.
//!
//! Owns decoding (UTF-8 with or without BOM, UTF-16, GBK/GB18030), Unicode normalization
//! (NFKC, quote folding, invisible characters) and splitting lines into cells for every layout
//! seen in real copies: one cell per line, `|`-separated (with stray `|||` lines), tab-separated,
//! markdown tables, space-aligned columns, and lines whose cells ran together
//! (`规章000行政规范性文件693665`). It knows nothing about which row is which: that is
//! [`crate::recognize`]'s job.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

pub use crate::read::token::{Place, Token};

/// The decoded input: normalized lines and the encoding that was used.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Normalized text, lines separated by `\n`.
    pub text: String,
    /// Name of the encoding the bytes were read as (`UTF-8`, `UTF-16LE`, `GBK`, …).
    pub encoding: &'static str,
    /// What decoding had to work around (bytes that are no character, mixed encodings).
    pub damage: Option<Damage>,
}

/// Damage found while decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// A UTF-8 file with some bytes that are no UTF-8: the 1-based lines that hold them (each
    /// replaced by U+FFFD).
    InvalidUtf8 {
        /// Lines.
        lines: Vec<u32>,
    },
    /// Lines in UTF-8 and lines in GBK/GB18030 in one file: the 1-based lines read as GB18030.
    Mixed {
        /// Lines.
        gbk_lines: Vec<u32>,
    },
}

impl Damage {
    /// A diagnostic for it.
    pub fn diagnostic(&self) -> crate::Diagnostic {
        let list = |v: &[u32]| {
            let mut s: Vec<String> = v.iter().take(20).map(u32::to_string).collect();
            if v.len() > 20 {
                s.push(format!("… ({})", v.len()));
            }
            s.join(", ")
        };
        match self {
            Damage::InvalidUtf8 { lines } => crate::Diagnostic::new(
                "read.invalid_utf8",
                crate::Severity::Warning,
                lines.first().map(|&line| crate::Origin::Line { line }),
                format!("文件为 UTF-8，但第 {} 行有无法识别的字节（已显示为 �）；请核对这些行的文字", list(lines)),
                format!("the file is UTF-8 but line(s) {} hold bytes that are no character (shown as �); check the text of those lines", list(lines)),
            ),
            Damage::Mixed { gbk_lines } => crate::Diagnostic::new(
                "read.mixed_encoding",
                crate::Severity::Warning,
                gbk_lines.first().map(|&line| crate::Origin::Line { line }),
                format!("文件混用了两种编码：大部分为 UTF-8，第 {} 行为 GBK，已按各自的编码读取；请另存为统一的 UTF-8", list(gbk_lines)),
                format!("the file mixes two encodings: mostly UTF-8, line(s) {} in GBK, each read in its own; save it as UTF-8 throughout", list(gbk_lines)),
            ),
        }
    }
}

/// Decode bytes: BOM first, then strict UTF-8, then UTF-16 without BOM, then mostly-UTF-8
/// (damaged or mixed with GBK, said in [`Decoded::damage`]), then a detector (GBK/GB18030 in
/// practice). Never fails: undecodable bytes become U+FFFD.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (text, encoding, damage) = decode_raw(bytes);
    Decoded {
        text: normalize(&text),
        encoding,
        damage,
    }
}

/// Decode a web page: as [`decode`], except that a page that is not UTF-8 and declares its
/// encoding (`<meta charset="gbk">`, `content="text/html; charset=gb2312"`, an XML declaration)
/// is read in that encoding before any guessing.
pub fn decode_html(bytes: &[u8]) -> Decoded {
    if encoding_rs::Encoding::for_bom(bytes).is_none() && simdutf8::basic::from_utf8(bytes).is_err()
    {
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
                damage: None,
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
    decode_raw(bytes).0.into_owned()
}

/// A character a decoded Chinese report plausibly holds: CJK ideographs and punctuation,
/// full-width forms, printable ASCII and whitespace, general punctuation.
fn plausible_char(c: char) -> bool {
    matches!(c as u32,
        0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xA0..=0xFF | 0x2000..=0x206F | 0x2100..=0x22FF
        | 0x2460..=0x24FF | 0x2500..=0x25FF | 0x3000..=0x303F | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

/// UTF-16 without a BOM: the byte order whose decoding is (almost) all plausible characters.
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, &'static str)> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192) & !1];
    for (enc, name) in [
        (encoding_rs::UTF_16LE, "UTF-16LE"),
        (encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        let (s, had_errors) = enc.decode_without_bom_handling(sample);
        if had_errors && sample.len() == bytes.len() {
            continue;
        }
        let total = s.chars().count();
        let good = s.chars().filter(|&c| plausible_char(c)).count();
        let cjk = s
            .chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
            .count();
        if total > 0 && good * 100 >= total * 97 && cjk * 10 >= total {
            let (full, _) = enc.decode_without_bom_handling(bytes);
            return Some((full.into_owned(), name));
        }
    }
    None
}

/// Decode a file that is not valid UTF-8 but mostly is: a few stray bytes (kept as U+FFFD and
/// named by line), or lines in GBK among UTF-8 lines (each line read in its own encoding).
fn mostly_utf8(bytes: &[u8]) -> Option<(String, Damage)> {
    // Count valid multi-byte sequences and invalid bytes.
    let (mut multi, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                multi += s.bytes().filter(|b| *b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let good = &rest[..e.valid_up_to()];
                multi += good.iter().filter(|b| **b >= 0xC0).count();
                let bad = e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                invalid += bad;
                rest = &rest[e.valid_up_to() + bad..];
            }
        }
    }
    if multi < 20 || multi < invalid {
        return None; // not UTF-8 with damage: let the detector decide
    }
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let bad_lines: Vec<usize> = (0..lines.len())
        .filter(|&i| std::str::from_utf8(lines[i]).is_err())
        .collect();
    // Lines that decode cleanly as GB18030 and are mostly CJK there: GBK lines.
    let gbk = |l: &[u8]| {
        let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(l);
        let total = s.chars().filter(|c| !c.is_whitespace()).count();
        let cjk = s
            .chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
            .count();
        !had_errors && total > 0 && cjk * 2 >= total
    };
    let gbk_lines: Vec<usize> = bad_lines
        .iter()
        .copied()
        .filter(|&i| gbk(lines[i]))
        .collect();
    if gbk_lines.len() * 2 > bad_lines.len() && gbk_lines.len() >= 2 {
        let mut out = String::with_capacity(bytes.len());
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if gbk_lines.contains(&i) {
                out.push_str(&encoding_rs::GB18030.decode_without_bom_handling(l).0);
            } else {
                out.push_str(&String::from_utf8_lossy(l));
            }
        }
        return Some((
            out,
            Damage::Mixed {
                gbk_lines: gbk_lines.iter().map(|&i| (i + 1) as u32).collect(),
            },
        ));
    }
    if invalid * 100 > bytes.len() {
        return None; // too damaged to call it UTF-8
    }
    Some((
        String::from_utf8_lossy(bytes).into_owned(),
        Damage::InvalidUtf8 {
            lines: bad_lines.iter().map(|&i| (i + 1) as u32).collect(),
        },
    ))
}

/// The text of `bytes` (borrowed when they are UTF-8 already: normalizing copies it anyway).
fn decode_raw(bytes: &[u8]) -> (Cow<'_, str>, &'static str, Option<Damage>) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (s, enc.name(), None);
    }
    // Checked with SIMD: a report is mostly three-byte characters, where the standard
    // library's check goes byte by byte.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return (Cow::Borrowed(s), "UTF-8", None);
    }
    if let Some((s, name)) = utf16_without_bom(bytes) {
        return (s.into(), name, None);
    }
    if let Some((s, damage)) = mostly_utf8(bytes) {
        return (s.into(), "UTF-8", Some(damage));
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let mut enc = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    if enc == encoding_rs::GBK {
        // GB18030 is a superset of GBK; decoding as GB18030 loses nothing.
        enc = encoding_rs::GB18030;
    }
    let (s, _) = enc.decode_without_bom_handling(bytes);
    (s, enc.name(), None)
}

/// Normalize text for matching: NFKC (full-width brackets, digits and punctuation to
/// half-width, NBSP and ideographic space to space), curly quotes to straight ones, invisible
/// characters removed, HTML comments (`<!--[if !supportLists]-->`) removed, CRLF to LF.
pub fn normalize(s: &str) -> String {
    let s = strip_html_comments(s);
    let mut out = String::with_capacity(s.len());
    // Fast path: ASCII and CJK ideographs are their own NFKC form and never combine with a
    // neighbour; full-width ASCII maps one for one. Every other run of characters (with the
    // character before it, which a combining mark may attach to) goes through NFKC whole.
    // CJK punctuation of prose (、。〈〉《》「」『』【】〔〕 and the em dash) has no decomposition
    // and composes with nothing, so it is its own NFKC form too; so are the curly quotes
    // (“”‘’), which `push_normal` then folds to straight ones.
    let fast = normal_alone;
    // Fast characters that `push_normal` changes: not copied with a run.
    let folded = |c: char| matches!(c, '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}');
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        // A run of characters that are their own normal form (fast characters other than the
        // CR and form feed that `push_normal` folds) is copied whole; its last character stays
        // out when a slow character follows, as it starts that character's NFKC run.
        let mut j = i;
        let mut last = i;
        while j < b.len() {
            let c = b[j];
            let w = if c < 0x80 {
                if c == b'\r' || c == 0x0C {
                    break;
                }
                1
            } else if (0xE5..=0xE9).contains(&c) || c == 0xE4 && b[j + 1] != 0xB7 {
                // U+4000–U+4DBF and U+4E00–U+9FFF (not U+4DC0–U+4DFF): ideographs, fast.
                3
            } else if let Some(ascii) = folded_to_ascii(&b[j..]) {
                // Full-width ASCII (the comma, colon and brackets of prose) or a curly quote,
                // which become one ASCII character — unless a slow character follows, whose
                // NFKC run this one starts (left to the general path below). The run so far
                // is copied, as the general path would copy it (neither is slow).
                let after = j + 3;
                if slow_at(&s, after) {
                    break;
                }
                out.push_str(&s[i..j]);
                out.push(char::from(ascii));
                i = after;
                j = after;
                last = after;
                continue;
            } else {
                let ch = s[j..].chars().next().expect("in bounds");
                if !fast(ch) || folded(ch) {
                    break;
                }
                ch.len_utf8()
            };
            last = j;
            j += w;
        }
        if j > i {
            let slow_next = s[j..]
                .chars()
                .next()
                .is_some_and(|n| !fast(n) && !is_fullwidth(n));
            let end = if slow_next { last } else { j };
            out.push_str(&s[i..end]);
            i = end;
            if end == j {
                continue; // the character at `j` (if any) is looked at by the next round
            }
        }
        if i == b.len() {
            break; // the text ended on a folded character
        }
        // ASCII bytes need no decoding.
        if b[i] < 0x80 {
            let next_slow = b.get(i + 1).is_some_and(|&n| n >= 0x80)
                && s[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| !fast(n) && !is_fullwidth(n));
            if !next_slow {
                push_normal(&mut out, b[i] as char);
                i += 1;
                continue;
            }
        }
        let c = s[i..].chars().next().expect("in bounds");
        let after = i + c.len_utf8();
        let next_slow = s[after..]
            .chars()
            .next()
            .is_some_and(|n| !fast(n) && !is_fullwidth(n));
        if fast(c) && !next_slow {
            push_normal(&mut out, c);
            i = after;
        } else if is_fullwidth(c) && !next_slow {
            push_normal(&mut out, char::from_u32(c as u32 - 0xFEE0).expect("ASCII"));
            i = after;
        } else {
            // A slow run: from here to the next fast or full-width character.
            let mut end = after;
            for n in s[after..].chars() {
                if fast(n) || is_fullwidth(n) {
                    break;
                }
                end += n.len_utf8();
            }
            for n in s[i..end].nfkc() {
                push_normal(&mut out, n);
            }
            i = end;
        }
    }
    out
}

/// The ASCII character that the three-byte character `b` starts with becomes in
/// [`normalize`]: full-width ASCII (U+FF01–U+FF5E, by NFKC) and the curly quotes (U+2018,
/// U+2019, U+201C, U+201D, by our folding); `None` for any other.
#[inline]
fn folded_to_ascii(b: &[u8]) -> Option<u8> {
    match *b {
        [0xEF, 0xBC, z @ 0x81..=0xBF, ..] => Some(z - 0x60),
        [0xEF, 0xBD, z @ 0x80..=0x9E, ..] => Some(z - 0x20),
        [0xE2, 0x80, 0x98 | 0x99, ..] => Some(b'\''),
        [0xE2, 0x80, 0x9C | 0x9D, ..] => Some(b'"'),
        _ => None,
    }
}

/// Whether the character at byte `at` of `s` (if any) is slow: not its own normal form alone
/// and not full-width ASCII, so that it goes through NFKC with the character before it.
#[inline]
fn slow_at(s: &str, at: usize) -> bool {
    match s.as_bytes().get(at) {
        None => false,
        Some(&x) if x < 0x80 || (0xE5..=0xE9).contains(&x) => false,
        Some(_) => s[at..]
            .chars()
            .next()
            .is_some_and(|n| !normal_alone(n) && !is_fullwidth(n)),
    }
}

/// A character that is its own NFKC form and never combines with a neighbour (see
/// [`normalize`]).
#[inline]
fn normal_alone(c: char) -> bool {
    let u = c as u32;
    u < 0x80
        || (0x4E00..=0x9FFF).contains(&u)
        || (0x3400..=0x4DBF).contains(&u)
        || (0x3001..=0x3002).contains(&u)
        || (0x3008..=0x3011).contains(&u)
        || (0x3014..=0x301B).contains(&u)
        || u == 0x2014
        || (0x2018..=0x2019).contains(&u)
        || (0x201C..=0x201D).contains(&u)
}

/// Full-width ASCII (`１`, `Ａ`, `（`): NFKC maps it to ASCII, one for one.
#[inline]
fn is_fullwidth(c: char) -> bool {
    (0xFF01..=0xFF5E).contains(&(c as u32))
}

/// Push a character that is already NFKC, with our own foldings.
#[inline]
fn push_normal(out: &mut String, c: char) {
    match c {
        '\r' => {}
        // A form feed (page break in pdftotext output) separates like a space.
        '\u{000C}' => out.push(' '),
        '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{2060}' | '\u{00AD}' => {}
        '“' | '”' | '„' | '‟' | '″' | '〝' | '〞' => out.push('"'),
        '‘' | '’' | '‚' | '‛' | '′' => out.push('\''),
        '\u{00A0}' | '\u{3000}' | '\u{2002}'..='\u{200A}' => out.push(' '),
        _ => out.push(c),
    }
}

fn strip_html_comments(s: &str) -> Cow<'_, str> {
    if memchr::memmem::find(s.as_bytes(), b"<!--").is_none() {
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

/// `s.trim()`, answered without decoding a character when the first and the last are plainly
/// not whitespace (most cells and lines): an ASCII character above the space, or a character
/// of three or four bytes from U+4000 on (none of them is whitespace).
#[inline]
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return s;
    };
    let plain_start = (b' ' < first && first < 0x80) || first >= 0xE4;
    let plain_end = (b' ' < last && last < 0x80)
        || (b.len() >= 3 && (0xE4..=0xEF).contains(&b[b.len() - 3]))
        || (b.len() >= 4 && b[b.len() - 4] >= 0xF0);
    if plain_start && plain_end {
        s
    } else {
        s.trim()
    }
}

/// Most tokens one text or web page may give (a report has about a thousand).
pub const MAX_TOKENS: usize = 500_000;

/// [`tokenize`], refusing text that would give more than [`MAX_TOKENS`] tokens: `Err` holds the
/// line where the limit was reached.
pub fn tokenize_bounded(text: &str) -> Result<Vec<Token>, u32> {
    tokenize_with(text, MAX_TOKENS)
}

/// Split normalized text into cell tokens, line by line.
///
/// Lines that hold a row of a grid give their cells a [`Place`]: tab-separated lines and
/// pipe/markdown rows by field position, space-aligned lines by display column. Consecutive lines
/// of one kind form one table; a markdown separator (`|---|`) starts a new table at the line
/// above it. Page numbers (`— 5 —`, `-3-`, `第 3 页`) are not cells and are dropped.
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_with(text, usize::MAX).expect("no limit")
}

fn tokenize_with(text: &str, limit: usize) -> Result<Vec<Token>, u32> {
    // About one token per 40 bytes of a report (room for one per 32: a report with more than
    // usual is not copied to grow); capped, as the text may be anything.
    let mut out = Vec::with_capacity((text.len() / 32).min(1 << 14));
    let mut blocks = Blocks::default();
    // The lines, each with the one after it (a pipe row looks ahead for a markdown separator).
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    let mut start = 0;
    let mut end = ends.next().expect("one end at least");
    let mut i = 0;
    loop {
        let line = &text[start..end];
        let next = ends.next();
        let next_line = next.map(|e| &text[end + 1..e]);
        // Checked before the line is cut: a line can give no more tokens than it has cell
        // boundaries (separators, and changes between digits and other characters).
        // A line gives at most one token more than it has bytes: most lines are counted only
        // when that bound comes near the limit.
        if limit != usize::MAX
            && out.len().saturating_add(line.len() + 1) > limit
            && out.len().saturating_add(max_tokens(line)) > limit
        {
            return Err((i + 1) as u32);
        }
        tokenize_line(line, (i + 1) as u32, next_line, &mut blocks, &mut out);
        match next {
            Some(e) => {
                start = end + 1;
                end = e;
                i += 1;
            }
            None => return Ok(out),
        }
    }
}

/// The most tokens a line can give: one more than its separators and digit/non-digit changes.
fn max_tokens(line: &str) -> usize {
    // Bytes, not characters: every byte of a multi-byte character is a non-digit, like the
    // character, so the count of changes is the same.
    let mut n = 1;
    let mut prev_digit = None;
    for c in line.bytes() {
        if matches!(c, b' ' | b'\t' | b'|') {
            n += 1;
            prev_digit = None;
            continue;
        }
        let d = c.is_ascii_digit();
        if prev_digit.is_some_and(|p| p != d) {
            n += 1;
        }
        prev_digit = Some(d);
    }
    n
}

/// The kind of a line, for grouping lines into tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Tab,
    Pipe,
    Aligned,
}

/// Assigns table ids to runs of lines of the same kind.
#[derive(Default)]
struct Blocks {
    next: u32,
    current: Option<(LineKind, u32)>,
}

impl Blocks {
    /// The table id of a line of `kind`; `fresh` forces a new table (a markdown header row).
    fn table(&mut self, kind: LineKind, fresh: bool) -> u32 {
        match self.current {
            Some((k, id)) if k == kind && !fresh => id,
            _ => {
                self.next += 1;
                self.current = Some((kind, self.next));
                self.next
            }
        }
    }

    /// A line that is not part of a grid ends the current table (blank lines end only tab and
    /// pipe tables: aligned text keeps its columns across blank lines).
    fn end(&mut self, blank: bool) {
        if !(blank && matches!(self.current, Some((LineKind::Aligned, _)))) {
            self.current = None;
        }
    }
}

fn is_filler_line(t: &str) -> bool {
    t.chars()
        .all(|c| c == '|' || c == '-' || c == ':' || c == '+' || c.is_whitespace())
        && t.contains('|')
}

/// A page number printed on its own line: `— 5 —`, `-3-`, `- 12 -`, `第 3 页`, `第3页 共5页`.
pub fn is_page_number(t: &str) -> bool {
    let t = trim(t);
    if let Some(rest) = t.strip_prefix('第') {
        let rest = rest.trim_start();
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 4 {
            return false;
        }
        let rest = rest[digits..].trim_start();
        let Some(rest) = rest.strip_prefix('页') else {
            return false;
        };
        let rest = rest.trim_start_matches([' ', ',', '，', '/']);
        if rest.is_empty() {
            return true;
        }
        let Some(rest) = rest.strip_prefix('共') else {
            return false;
        };
        let rest = rest.trim();
        let d = rest.bytes().take_while(u8::is_ascii_digit).count();
        return d > 0 && rest[d..].trim() == "页";
    }
    let dash = |c: char| matches!(c, '-' | '—' | '–' | '―' | '－' | '─' | '~');
    let inner = t.trim_start_matches(dash);
    if inner.len() == t.len() {
        return false;
    }
    let inner2 = inner.trim_end_matches(dash);
    if inner2.len() == inner.len() {
        return false;
    }
    let n = inner2.trim();
    !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
}

/// A page number appended to the end of a line (`… 0 0 — 4 —`): the line without it. Only the
/// unambiguous form, a number between long dashes after a space.
fn strip_trailing_page_number(t: &str) -> &str {
    // The page number may contain spaces itself: try the last three space-separated pieces.
    let mut cut = t.len();
    let mut best = None;
    for _ in 0..3 {
        let Some(i) = t[..cut].rfind(' ') else { break };
        let tail = &t[i + 1..];
        if is_page_number(tail) && tail.chars().any(|c| matches!(c, '—' | '–' | '―')) {
            best = Some(i);
        }
        cut = i;
    }
    match best {
        Some(i) => t[..i].trim_end(),
        None => t,
    }
}

/// Display width of a string ([`display_width`] summed), counted over the bytes without
/// decoding when every character is ASCII or starts with E3–E9 (U+3000–U+9FFF, all wide).
fn str_width(s: &str) -> u32 {
    // Three counts: ASCII bytes, lead bytes E3–E9 and lead bytes of any kind, in blocks of 255
    // bytes into byte-sized counters (a loop the compiler vectorizes).
    let (mut narrow, mut wide, mut leads) = (0usize, 0usize, 0usize);
    for block in s.as_bytes().chunks(255) {
        let (mut n, mut w, mut l) = (0u8, 0u8, 0u8);
        for &x in block {
            n += u8::from(x < 0x80);
            w += u8::from(x.wrapping_sub(0xE3) < 7);
            l += u8::from(x >= 0xC0);
        }
        narrow += usize::from(n);
        wide += usize::from(w);
        leads += usize::from(l);
    }
    if leads != wide {
        return s.chars().map(display_width).sum();
    }
    (narrow + 2 * wide) as u32
}

/// The runs of characters between the spaces of `line`: `(start, end, x, w)` with byte
/// offsets, the display column `x` where the run starts and its width `w` (both 0 unless
/// `measure`).
fn runs(line: &str, measure: bool) -> impl Iterator<Item = (usize, usize, u32, u32)> + '_ {
    let (mut pos, mut x) = (0, 0);
    std::iter::from_fn(move || {
        while pos < line.len() {
            let start = pos;
            let end = memchr::memchr(b' ', &line.as_bytes()[pos..]).map_or(line.len(), |o| pos + o);
            pos = end + 1;
            if end > start {
                let w = if measure {
                    str_width(&line[start..end])
                } else {
                    0
                };
                let run = (start, end, x, w);
                x += w + 1; // the run and the space after it
                return Some(run);
            }
            x += 1; // a space
        }
        None
    })
}

/// Display width of a character in a monospaced rendering (CJK and full-width count twice).
fn display_width(c: char) -> u32 {
    let u = c as u32;
    if (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
        || (0x20000..=0x3FFFD).contains(&u)
    {
        2
    } else {
        1
    }
}

/// Where the first ASCII digit of `b` is.
#[inline]
fn first_digit(b: &[u8]) -> Option<usize> {
    crate::scan::first_byte(b, |x| x.is_ascii_digit())
}

/// What the tokenizer asks of a line before cutting it, found in one pass over its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LineBytes {
    /// A byte that can make the line more than one plain cell: a digit (a value, a page
    /// number, a list number), a tab or a `|` (grid separators).
    special: bool,
    /// Two spaces running before the trailing whitespace (aligned columns).
    two_spaces: bool,
    /// A space in the trimmed line (a cell of words, or of pieces).
    space: bool,
}

impl LineBytes {
    /// The bytes of `line`, whose trimmed text is `t`.
    fn of(line: &str, t: &str) -> LineBytes {
        let end = line.trim_end().len();
        let b = &line.as_bytes()[..end];
        // Pairs of bytes, every byte tested without an early exit (a loop the compiler
        // vectorizes); the last byte on its own.
        let special_byte = |x: u8| x.is_ascii_digit() | (x == b'\t') | (x == b'|');
        let (mut special, mut space, mut two_spaces) = (false, false, false);
        for (&x, &y) in b.iter().zip(b.iter().skip(1)) {
            special |= special_byte(x);
            space |= x == b' ';
            two_spaces |= (x == b' ') & (y == b' ');
        }
        if let Some(&x) = b.last() {
            special |= special_byte(x);
            space |= x == b' ';
        }
        // The trailing whitespace may hold a tab; leading whitespace is not the trimmed line.
        special |= line.as_bytes()[end..].contains(&b'\t');
        if t.len() != end {
            space = t.contains(' ');
        }
        LineBytes {
            special,
            two_spaces,
            space,
        }
    }
}

fn tokenize_line(
    line: &str,
    no: u32,
    next_line: Option<&str>,
    blocks: &mut Blocks,
    out: &mut Vec<Token>,
) {
    let t = trim(line);
    if t.is_empty() {
        blocks.end(true);
        return;
    }
    // Most lines (prose, labels) hold no digit, tab or `|`, and no two spaces running: they are
    // one cell, as the general path below would find (it cannot be filler, a page number or a
    // grid row), taken without looking at them again.
    let bytes = LineBytes::of(line, t);
    if !bytes.special && !bytes.two_spaces {
        blocks.end(false);
        out.push(Token::line(t, no, bytes.space));
        return;
    }
    // A value on a line of its own (tables pasted a cell per line): one token, as the general
    // path below would find, without its tests (a line of digits is no filler, page number or
    // grid row, and holds no enumerator).
    if t.bytes().all(|b| b.is_ascii_digit()) && !bytes.two_spaces {
        blocks.end(false);
        out.push(Token::line(t, no, false));
        return;
    }
    if is_filler_line(t) || is_page_number(t) {
        return;
    }
    let t = strip_trailing_page_number(t);
    // Byte searches (`memchr`): the standard `contains` of a character searches a word at a
    // time, and these lines are the long ones (prose with a number in it).
    let has = |b: u8| memchr::memchr(b, t.as_bytes()).is_some();
    if has(b'\t') {
        let fields: Vec<&str> = t.split('\t').collect();
        let table = (fields.len() >= 2).then(|| blocks.table(LineKind::Tab, false));
        if table.is_none() {
            blocks.end(false);
        }
        push_cells(fields.into_iter(), no, table, out);
    } else if has(b'|') {
        let mut pieces: Vec<&str> = t.split('|').collect();
        if pieces.first().is_some_and(|p| p.trim().is_empty()) {
            pieces.remove(0);
        }
        if pieces.last().is_some_and(|p| p.trim().is_empty()) {
            pieces.pop();
        }
        // A row of a grid has two cells or more; `规章 |` is one cell per line.
        let next_is_separator =
            || next_line.is_some_and(|l| is_filler_line(l.trim()) && l.contains('-'));
        let table = (pieces.len() >= 2).then(|| blocks.table(LineKind::Pipe, next_is_separator()));
        if table.is_none() {
            blocks.end(false);
        }
        push_cells(pieces.into_iter(), no, table, out);
    } else if bytes.two_spaces {
        // Space-aligned columns: two or more spaces separate cells; positions are display
        // columns of the line as printed (indentation included).
        let table = blocks.table(LineKind::Aligned, false);
        let line = line.trim_end();
        // A cell is runs of characters separated by single spaces; two spaces end it.
        let mut cells: Vec<(&str, u32)> = Vec::new();
        let mut open: Option<(usize, usize, u32)> = None; // start, end, column
        for (s, e, x, _) in runs(line, true) {
            match &mut open {
                Some((_, end, _)) if s - *end < 2 => *end = e,
                _ => {
                    if let Some((cs, ce, x0)) = open.replace((s, e, x)) {
                        cells.push((line[cs..ce].trim_end(), x0));
                    }
                }
            }
        }
        if let Some((cs, ce, x0)) = open {
            cells.push((line[cs..ce].trim_end(), x0));
        }
        for (c, x0) in cells {
            split_spaced(c, no, Some((table, x0)), out);
        }
    } else {
        blocks.end(false);
        split_spaced(t, no, None, out);
    }
}

/// Cells of a tab- or pipe-separated line. Leading empty cells (indentation under a merged row
/// header) are dropped; empty cells after the first non-empty one are explicit blanks. With a
/// `table`, each cell gets its field position as its place.
fn push_cells<'a>(
    cells: impl Iterator<Item = &'a str>,
    no: u32,
    table: Option<u32>,
    out: &mut Vec<Token>,
) {
    let mut started = false;
    for (i, c) in cells.enumerate() {
        let c = trim(c);
        let place = table.map(|t| Place::grid(t, no, i as u32, 1));
        if c.is_empty() {
            if started {
                let mut tok = Token::line(String::new(), no, false);
                tok.place = place;
                out.push(tok);
            }
            continue;
        }
        started = true;
        let from = out.len();
        if c.contains(' ') && c.split(' ').any(is_numeric_piece) {
            split_spaced(c, no, None, out);
        } else {
            split_glued(c, no, false, out);
        }
        for tok in &mut out[from..] {
            tok.place = place;
        }
    }
}

fn is_numeric_piece(p: &str) -> bool {
    let p = trim(p);
    !p.is_empty()
        && !is_enumerator(p)
        && p.chars().any(|c| c.is_ascii_digit())
        && p.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '+' | '-' | '%'))
}

/// A list number on its own: `2.`, `3、`, `12.` (it starts a label, it is not a value).
pub fn is_enumerator(p: &str) -> bool {
    let p = trim(p);
    let digits = p.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits) && matches!(&p[digits..], "." | "、")
}

/// A cell whose parts are separated by single spaces: numbers become their own tokens; adjacent
/// text pieces stay together (`商业 企业` is one label). With `at` (the table and the display
/// column where the cell starts), each token gets its measured place.
fn split_spaced(cell: &str, no: u32, at: Option<(u32, u32)>, out: &mut Vec<Token>) {
    // One piece (most cells, and lines of prose): no extents to measure but its own.
    if !cell.is_empty() && memchr::memchr(b' ', cell.as_bytes()).is_none() {
        let from = out.len();
        split_glued(cell, no, false, out);
        if let Some((table, x0)) = at {
            let x1 = x0 + str_width(cell);
            for tok in &mut out[from..] {
                tok.place = Some(Place::measured(table, no, x0, x1));
            }
        }
        return;
    }
    // Pieces with their display extents (measured only for a place to give).
    let mut pieces: Vec<(&str, u32, u32)> = Vec::new();
    let x0 = at.map_or(0, |a| a.1);
    for (s, e, x, w) in runs(cell, at.is_some()) {
        pieces.push((&cell[s..e], x0 + x, x0 + x + w));
    }
    let place = |x0: u32, x1: u32| at.map(|(t, _)| Place::measured(t, no, x0, x1));
    let from = out.len();
    if pieces.len() == 1 {
        split_glued(pieces[0].0, no, false, out);
        for tok in &mut out[from..] {
            tok.place = place(pieces[0].1, pieces[0].2);
        }
        return;
    }
    let mut text = String::new();
    let mut text_x: Option<(u32, u32)> = None;
    let flush = |text: &mut String, text_x: &mut Option<(u32, u32)>, out: &mut Vec<Token>| {
        if !text.is_empty() {
            let from = out.len();
            split_glued(&std::mem::take(text), no, true, out);
            if let Some((x0, x1)) = text_x.take() {
                for tok in &mut out[from..] {
                    tok.place = place(x0, x1);
                }
            }
        }
        *text_x = None;
    };
    let mut pieces = pieces.into_iter().peekable();
    while let Some((p, x0, x1)) = pieces.next() {
        let join = |text: &mut String, text_x: &mut Option<(u32, u32)>, s: &str, e: u32| {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(s);
            *text_x = Some((text_x.map_or(x0, |t| t.0), e));
        };
        // `2011 年度` is a header word, not a value followed by text.
        if p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(&(next, _, nx1)) = pieces.peek() {
                if next.starts_with('年') {
                    join(&mut text, &mut text_x, p, x1);
                    text.push_str(next);
                    text_x = text_x.map(|t| (t.0, nx1));
                    pieces.next();
                    continue;
                }
            }
        }
        if is_numeric_piece(p) {
            flush(&mut text, &mut text_x, out);
            let mut tok = Token::line(p, no, true);
            tok.place = place(x0, x1);
            out.push(tok);
        } else {
            join(&mut text, &mut text_x, p, x1);
        }
    }
    flush(&mut text, &mut text_x, out);
}

fn is_num_char(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || c == ','
}

/// Split a cell where label text and numbers ran together (`行政规范性文件693665`,
/// `00000002.其他法律行政法规禁止公开`). A digit followed by `.` or `、` and then text is an
/// enumerator that starts the next label. Numbers keep a trailing unit (`元`, `万元`).
///
/// Works on byte offsets: every character it looks for (digits, signs, `.`, `,`, `(`, `)`,
/// `:`, a space) is ASCII, which in UTF-8 never occurs inside another character, so runs of
/// text are skipped byte by byte without decoding them.
fn split_glued(cell: &str, no: u32, loose: bool, out: &mut Vec<Token>) {
    // Fast path: a label without digits (most cells, and prose) is taken whole.
    if first_digit(cell.as_bytes()).is_none() {
        out.push(Token::line(trim(cell), no, loose));
        return;
    }
    // Fast path: pure number, enumerator or a label that only starts with its number.
    if is_value_like(cell)
        || is_enumerator(cell)
        || is_column_number_header(cell)
        || is_enumerator_at(cell, 0) && !has_trailing_run(cell)
    {
        out.push(Token::line(trim(cell), no, loose));
        return;
    }
    let b = cell.as_bytes();
    let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut segs: Vec<(String, bool)> = Vec::new(); // (text, is_number)
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let starts_number = c.is_ascii_digit()
            || ((c == b'-' || c == b'+') && digit_at(i + 1) && segs.last().is_some_and(|s| s.1));
        if starts_number && !is_enumerator_at(cell, i) {
            // The run is ASCII: byte offsets count its characters.
            let start = i;
            i += 1;
            while i < b.len() {
                if matches!(b[i], b'0'..=b'9' | b'.' | b',') {
                    // The last digit of a run followed by `.` + text is the next label's enumerator.
                    if b[i].is_ascii_digit() && is_enumerator_at(cell, i) {
                        break;
                    }
                    i += 1;
                } else if (b[i] == b'-' || b[i] == b'+') && digit_at(i + 1) {
                    i += 1;
                } else {
                    break;
                }
            }
            // A year or date inside a label (`2013年度`, `12月31日`) is text, not a value.
            if let Some(d @ ('年' | '月' | '日' | '号')) = cell[i..].chars().next() {
                let after = i + d.len_utf8();
                let j = first_digit(&b[after..]).map_or(b.len(), |n| after + n);
                let text = &cell[start..j];
                match segs.last_mut() {
                    Some((prev, false)) => prev.push_str(text),
                    _ => segs.push((text.to_string(), false)),
                }
                i = j;
                continue;
            }
            let mut end = i;
            // Trim a trailing '.' or ',' that is punctuation, not part of the number.
            while end > start + 1 && matches!(b[end - 1], b'.' | b',') {
                end -= 1;
                i = end;
            }
            let mut num = cell[start..end].to_string();
            // Keep a unit that follows the number.
            for unit in ["万元", "元"] {
                if cell[i..].starts_with(unit) {
                    num.push_str(unit);
                    i += unit.len();
                    break;
                }
            }
            // A sign inside a run starts the next number (`35-15`: 35 and −15) — unless the run
            // reads as a date, a span of years or a telephone number (`2021-01-31`,
            // `2019-2020`, `0591-23158668`), which stays one piece of text.
            if signed_run_splits(&num) {
                let mut from = 0;
                let nb = num.as_bytes();
                for k in 1..nb.len() {
                    if matches!(nb[k], b'-' | b'+') && nb[k - 1].is_ascii_digit() {
                        segs.push((num[from..k].to_string(), true));
                        from = k;
                    }
                }
                segs.push((num[from..].to_string(), true));
            } else {
                segs.push((num, true));
            }
        } else {
            let start = i;
            let enumerator = is_enumerator_at(cell, start);
            let char_len = |at: usize| cell[at..].chars().next().map_or(0, char::len_utf8);
            i = if enumerator {
                // Skip over the enumerator digit and its dot.
                start + 1 + char_len(start + 1)
            } else {
                start + char_len(start)
            };
            loop {
                i = first_digit(&b[i..]).map_or(b.len(), |n| i + n);
                // Digits inside a label stay when they are part of it: `第1项`, `(2)`.
                if i < b.len() && b[i - 1] == b'(' && b.get(i + 1) == Some(&b')') {
                    i += 1;
                    continue;
                }
                break;
            }
            let text = &cell[start..i];
            if !text.trim().is_empty() {
                match segs.last_mut() {
                    // `其中:` + `1、当面申请数` stay one label; so does a year glued to text.
                    Some((prev, false)) if !enumerator || prev.ends_with(':') => {
                        prev.push_str(text)
                    }
                    _ => segs.push((text.trim().to_string(), false)),
                }
            }
        }
    }
    let glued = segs.len() > 1;
    for (text, _) in segs {
        out.push(Token::line(text, no, loose || glued));
    }
}

/// Whether a glued run with a sign inside (`35-15`) is several numbers: not when its first
/// number is a year (1900–2100: a date or a span of years) or starts with a 0 (a telephone
/// area code), and not when it has no inner sign at all.
fn signed_run_splits(run: &str) -> bool {
    let body = run.trim_start_matches(['-', '+']);
    let Some(cut) = body.find(['-', '+']) else {
        return false;
    };
    let first = &body[..cut];
    let year = first.len() == 4
        && first
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y));
    let area_code = first.len() > 1 && first.starts_with('0');
    !year && !area_code
}

/// The character at byte `i` of `cell` is a single digit that starts an enumerated label:
/// `2.其他…`, `3、…` (the label may follow after one space, `1. 属于国家秘密`, as markdown
/// converters write).
fn is_enumerator_at(cell: &str, i: usize) -> bool {
    let b = cell.as_bytes();
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let after_dot = match b.get(i + 1) {
        Some(b'.') => i + 2,
        Some(_) if cell[i + 1..].starts_with('、') => i + 1 + '、'.len_utf8(),
        _ => return false,
    };
    let text_at = if b.get(after_dot) == Some(&b' ') {
        after_dot + 1
    } else {
        after_dot
    };
    cell[text_at..]
        .chars()
        .next()
        .is_some_and(|c| !c.is_ascii_digit() && !c.is_whitespace() && c != '.')
}

/// Digits after the first two characters (`2.其他` has none; `2.其他3` has).
fn has_trailing_run(cell: &str) -> bool {
    cell.char_indices()
        .nth(2)
        .is_some_and(|(o, _)| cell[o..].bytes().any(|b| b.is_ascii_digit()))
}

/// `数据1` … `数据6`: header cells that PDF converters write instead of the applicant names.
pub fn is_column_number_header(cell: &str) -> bool {
    trim(cell)
        .strip_prefix("数据")
        .is_some_and(|d| (1..=2).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// A cell that is a value on its own: a number (with sign, separators, unit) or a mark. A list
/// number (`2.`) is not a value.
pub fn is_value_like(cell: &str) -> bool {
    let t = trim(cell);
    // Most values: digits alone (no enumerator, mark or unit can be).
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    // A number starts with a digit or a sign; anything else (most cells: labels) can only be
    // a mark.
    if !t
        .as_bytes()
        .first()
        .is_some_and(|b| matches!(b, b'0'..=b'9' | b'+' | b'-'))
    {
        // No mark is longer than six bytes (`——`, `－－`).
        return t.len() <= 6 && xxgk_schema::Mark::parse(t).is_some();
    }
    if is_enumerator(t) {
        return false;
    }
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
    // Every unit is a CJK word: a text ending in ASCII has none.
    if t.as_bytes().last().is_none_or(u8::is_ascii) {
        return (t, None);
    }
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
    fn a_line_gives_at_most_one_token_more_than_its_bytes() {
        // The bound `tokenize_with` checks before it counts a line exactly.
        for line in [
            "",
            "1",
            "1 2",
            "a1b2c3",
            "| 1 | 2 |",
            "\t\t",
            "规章 1 2 3",
            "1-2+3",
        ] {
            assert!(max_tokens(line) <= line.len() + 1, "{line:?}");
        }
        assert_eq!(max_tokens("a1b2c3"), 6);
    }

    #[test]
    fn bounded_tokenizing_stops_at_the_limit() {
        let text = "1 ".repeat(MAX_TOKENS + 10);
        assert_eq!(tokenize_bounded(&text), Err(1));
        assert_eq!(tokenize_bounded("规章 1 2 3").unwrap().len(), 4);
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
        // A sign inside a run starts the next number.
        assert_eq!(texts("行政处罚2648-18538"), ["行政处罚", "2648", "-18538"]);
        assert_eq!(
            texts("行政事业性收费35-15第二十条"),
            ["行政事业性收费", "35", "-15", "第二十条"]
        );
        // Dates, spans of years and telephone numbers stay whole.
        assert_eq!(texts("发布日期2021-01-31"), ["发布日期", "2021-01-31"]);
        assert_eq!(texts("统计期2019-2020"), ["统计期", "2019-2020"]);
        assert_eq!(texts("电话0591-23158668"), ["电话", "0591-23158668"]);
    }

    #[test]
    fn fast_normalization_equals_nfkc() {
        // The fast path must give what NFKC gives (plus our foldings), on every kind of text.
        let samples = [
            "（一）予以公开：１２３，ＡＢＣ　“三安全一稳定”",
            "規章\u{00A0}行政許可 e\u{0301} ﬁ ① ㈠ ㍻ ｶﾞ 〶 \u{F900}",
            "第二十条第(五)项\r\n信息内容\u{200B}本年处理决定数量\u{000C}",
            "、。〈〉《》「」『』【】〔〕〖〗〘〙〚〛——、\u{0301}。\u{3099}〜〝",
            "䶵䷀\u{0301}一\u{0301}丂㐀\u{4DFF}\u{9FFF}\u{0301}",
            "“三安全”‘a’“\u{0301}”\u{0301}一“”\u{3099}‘\u{FF76}\u{FF9E}’″′",
            "１\u{0301}Ａ\u{0301}（\u{3099}，一，，“\u{0301}”Ａ\u{FF9E}～｡（",
        ];
        for s in samples {
            let slow: String = {
                let mut out = String::new();
                for c in s.nfkc() {
                    push_normal(&mut out, c);
                }
                out
            };
            assert_eq!(normalize(s), slow, "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_normalization_is_nfkc_on_any_text(s in "(\\PC|[\u{300}-\u{36F}\u{FF61}-\u{FF9F}\u{3099}\u{309A}\u{FF01}-\u{FF5E}\u{3000}-\u{301F}\u{2010}-\u{2027}]){0,40}") {
            let mut slow = String::new();
            for c in strip_html_comments(&s).nfkc() {
                push_normal(&mut slow, c);
            }
            proptest::prop_assert_eq!(normalize(&s), slow);
        }
    }

    /// The definitions of [`is_value_like`] and [`strip_unit`] before their fast paths.
    fn is_value_like_reference(cell: &str) -> bool {
        let t = cell.trim();
        if is_enumerator(t) {
            return false;
        }
        if xxgk_schema::Mark::parse(t).is_some() {
            return true;
        }
        let t = strip_unit_reference(t).0;
        let t = t
            .strip_prefix('+')
            .or_else(|| t.strip_prefix('-'))
            .unwrap_or(t);
        !t.is_empty()
            && t.chars().next().is_some_and(|c| c.is_ascii_digit())
            && t.chars().all(is_num_char)
    }

    fn strip_unit_reference(t: &str) -> (&str, Option<&'static str>) {
        for u in CELL_UNITS {
            if let Some(v) = t.strip_suffix(u) {
                if v.chars().last().is_some_and(|c| c.is_ascii_digit()) {
                    return (v.trim_end(), Some(u));
                }
            }
        }
        (t, None)
    }

    proptest::proptest! {
        #[test]
        fn trim_is_str_trim(s in "[ \t\n\u{0B}\u{0C}\r\u{85}\u{A0}\u{1680}\u{2000}-\u{200B}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}a1(、。规]{0,4}(\\PC{0,3})[ \t\u{85}\u{A0}\u{2028}\u{3000}\u{FEFF}a1)、。规\u{1F600}]{0,4}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }

    proptest::proptest! {
        #[test]
        fn string_width_is_the_sum_of_character_widths(s in "(\\PC|[\u{3000}-\u{9FFF}\u{2E80}-\u{2FFF}\u{A000}-\u{A4FF}\u{FF00}-\u{FFEF}]){0,600}") {
            proptest::prop_assert_eq!(str_width(&s), s.chars().map(display_width).sum::<u32>());
        }

        /// A line with no digit, tab, `|` or two spaces running is one cell, as the general
        /// path finds it: the same token with or without the fast path's shortcut.
        #[test]
        fn a_plain_line_is_one_cell(s in "[ a-z年月日号元万(第)、其中:.,+\\-—–%/无规章项页\u{3000}\u{2028}\u{4E00}-\u{4E20}]{0,30}") {
            let line = normalize(&s);
            let toks = tokenize(&line);
            let t = line.trim();
            let plain = !line.bytes().any(|b| b.is_ascii_digit() || b == b'\t' || b == b'|')
                && !line.trim_end().contains("  ")
                && !line.contains('\n');
            if plain && !t.is_empty() {
                // The general path: one piece, or pieces joined back by their single spaces.
                let mut general = Vec::new();
                split_spaced(t, 1, None, &mut general);
                proptest::prop_assert_eq!(&toks, &general);
                proptest::prop_assert_eq!(toks.len(), 1);
                proptest::prop_assert_eq!(toks[0].text.as_str(), t);
            }
        }

        /// The byte searches of lines find what byte-by-byte searches find.
        #[test]
        fn byte_searches_find_the_first(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120), from in 0usize..8) {
            let b = &b[from.min(b.len())..];
            proptest::prop_assert_eq!(first_digit(b), b.iter().position(u8::is_ascii_digit));
        }

        /// A line's bytes, found in one pass, are what separate searches find.
        #[test]
        fn line_bytes_are_what_searches_find(line in "[ \t|0-9a规章\u{3000}\u{a0}]{0,80}") {
            let special = line.bytes().any(|x| x.is_ascii_digit() || x == b'\t' || x == b'|');
            proptest::prop_assert_eq!(
                LineBytes::of(&line, trim(&line)),
                LineBytes {
                    special,
                    two_spaces: line.trim_end().contains("  "),
                    space: line.trim().contains(' '),
                }
            );
        }

        /// A line of digits alone (indented by a space at most, trailing spaces allowed) is
        /// the one token the general path makes of it; indented by two spaces it is a cell of
        /// aligned columns, with its place.
        #[test]
        fn a_line_of_digits_is_one_value(digits in "[0-9]{1,24}", lead in 0usize..3, trail in 0usize..3) {
            let line = format!("{}{digits}{}", " ".repeat(lead), " ".repeat(trail));
            let toks = tokenize(&line);
            proptest::prop_assert_eq!(toks.len(), 1);
            proptest::prop_assert_eq!(toks[0].text.as_str(), digits.as_str());
            if lead < 2 {
                let mut general = Vec::new();
                split_spaced(&digits, 1, None, &mut general);
                proptest::prop_assert_eq!(&toks, &general);
                proptest::prop_assert!(toks[0].place.is_none() && !toks[0].loose);
            } else {
                proptest::prop_assert!(toks[0].place.is_some());
            }
        }
    }

    #[test]
    fn runs_between_spaces_carry_their_display_columns() {
        // `规章` starts at column 2 and is 4 wide; `ab` at 7; `1` at 11.
        let found: Vec<_> = runs("  规章 ab  1 ", true).collect();
        assert_eq!(found, vec![(2, 8, 2, 4), (9, 11, 7, 2), (13, 14, 11, 1)]);
        assert_eq!(runs("   ", true).count(), 0);
    }

    #[test]
    fn aligned_cells_end_at_two_spaces() {
        let toks = tokenize("  商业 企业  12  3\n");
        let cells: Vec<(&str, u32, u32)> = toks
            .iter()
            .map(|t| {
                let p = t.place.expect("an aligned cell has a place");
                (t.text.as_str(), p.x0, p.x1)
            })
            .collect();
        assert_eq!(
            cells,
            vec![("商业 企业", 2, 11), ("12", 13, 15), ("3", 17, 18)]
        );
    }

    proptest::proptest! {
        #[test]
        fn value_tests_keep_their_definition(s in "[0-9 .,+\\-/／—－–无無万元人次件条个项年a-z、。]{0,8}") {
            proptest::prop_assert_eq!(is_value_like(&s), is_value_like_reference(&s));
            proptest::prop_assert_eq!(strip_unit(&s), strip_unit_reference(&s));
        }
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
