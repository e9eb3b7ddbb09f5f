//! Turning the value tokens of one table row into its cells.
//!
//! Owns the rule that a row is **never silently shifted**. A row with exactly the expected number
//! of cells is taken as printed. Otherwise the row is resolved against its own structure:
//!
//! * cells that ran together (`640020470` for seven cells) are split in every possible way, and
//!   only splits that satisfy the row's own totals are kept;
//! * a row that lost cells in copying is tried with the missing cells at every position, and
//!   only placements that satisfy the row's own totals are kept.
//!
//! A cell gets a value only when **every** surviving reading agrees on it; all other cells stay
//! null, and a diagnostic says which line and which label, in Chinese and English.

use rust_decimal::Decimal;
use xxgk_schema::{parse_decimal, Cell, Kind, Mark};

use crate::read::text::{strip_unit, Token};

/// A parsed value token.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A cell (blank, number or mark) with the unit printed inside it, if any.
    Cell(Cell, Option<&'static str>),
    /// Text that is not a value.
    Text,
}

/// Parse one value token: `469`, `+3`, `-14`, `9119.15`, `1,234`, `251000元`, `/`, `无`, ``.
pub fn parse_value(text: &str) -> Parsed {
    let t = crate::read::text::trim(text);
    if t.is_empty() {
        return Parsed::Cell(Cell::Blank, None);
    }
    // Most values: digits alone (no mark, unit or thousands separator can be).
    if t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(d) = parse_decimal(t) {
            return Parsed::Cell(Cell::Number(d), None);
        }
    }
    if let Some(m) = Mark::parse(t) {
        return Parsed::Cell(Cell::Mark(m), None);
    }
    let (num, unit) = strip_unit(t);
    // Borrowed unless thousands separators are to be dropped (most values are plain digits).
    let cleaned: std::borrow::Cow<str> = if is_grouped(num) {
        num.chars().filter(|&c| c != ',').collect::<String>().into()
    } else {
        num.into()
    };
    match parse_decimal(&cleaned) {
        Some(d) => Parsed::Cell(Cell::Number(d), unit),
        None => Parsed::Text,
    }
}

/// `1,234,567` with proper thousands groups.
fn is_grouped(s: &str) -> bool {
    let body = s.trim_start_matches(['+', '-']);
    let int = body.split('.').next().unwrap_or("");
    if !int.contains(',') {
        return false;
    }
    let groups: Vec<&str> = int.split(',').collect();
    groups[0].len() <= 3
        && !groups[0].is_empty()
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
}

/// A consistency constraint of a row: `cells[total] == Σ cells[parts]`.
#[derive(Debug, Clone)]
pub struct SumRule {
    /// Positions of the parts.
    pub parts: Vec<usize>,
    /// Position of the total.
    pub total: usize,
}

/// How a row's cells were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Exactly as printed.
    AsPrinted,
    /// Cells had run together; the row's totals proved the only split.
    Split,
    /// Cells were missing; some or all could not be placed.
    Partial,
    /// Nothing could be placed.
    Unresolved,
    /// Each cell read from the column it stands in under the table's header (blank where the
    /// row has no cell in that column).
    ByColumn,
}

/// The cells of a row and how they were obtained.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// One entry per expected cell; `None` means "could not be determined" (written as null).
    pub cells: Vec<Option<Cell>>,
    /// Units printed inside cells, by position.
    pub units: Vec<Option<&'static str>>,
    /// How the cells were obtained.
    pub how: How,
    /// Number of readings that satisfied the row's structure (for messages).
    pub readings: usize,
    /// Tokens that were not values (text in a value position), with their position in the row.
    pub texts: Vec<String>,
}

const MAX_READINGS: usize = 512;
const MAX_STEPS: usize = 200_000;

/// Resolve the value tokens of a row into `kinds.len()` cells.
pub fn resolve(tokens: &[&Token], kinds: &[Kind], rules: &[SumRule]) -> Resolution {
    let n = kinds.len();
    let mut toks: Vec<&Token> = tokens.to_vec();
    // Blank cells beyond the expected count are merged-cell filler.
    while toks.len() > n && toks.last().is_some_and(|t| t.text.is_empty()) {
        toks.pop();
    }
    let parsed: Vec<Parsed> = toks.iter().map(|t| parse_value(&t.text)).collect();
    let texts: Vec<String> = toks
        .iter()
        .zip(&parsed)
        .filter(|(_, p)| **p == Parsed::Text)
        .map(|(t, _)| t.text.clone())
        .collect();

    if toks.len() == n {
        let mut cells = Vec::with_capacity(n);
        let mut units = Vec::with_capacity(n);
        for (p, k) in parsed.iter().zip(kinds) {
            match p {
                Parsed::Cell(c, u) if fits_kind(c, *k) => {
                    cells.push(Some(c.clone()));
                    units.push(*u);
                }
                _ => {
                    cells.push(None);
                    units.push(None);
                }
            }
        }
        return Resolution {
            cells,
            units,
            how: How::AsPrinted,
            readings: 1,
            texts,
        };
    }

    if toks.len() < n {
        // 1. Cells that ran together, where the token boundaries are uncertain.
        if toks.iter().any(|t| t.loose) {
            let pieces: Option<Vec<Piece>> = toks.iter().map(|t| Piece::of(t)).collect();
            if let Some(pieces) = pieces {
                let readings = split_readings(&pieces, kinds, rules);
                if !readings.is_empty() {
                    return agree(readings, n, How::Split, texts);
                }
            }
        }
        // 2. Cells lost in copying: try the missing ones (as blanks) at every position.
        if parsed.iter().all(|p| matches!(p, Parsed::Cell(..))) {
            let present: Vec<(Cell, Option<&'static str>)> = parsed
                .iter()
                .map(|p| match p {
                    Parsed::Cell(c, u) => (c.clone(), *u),
                    Parsed::Text => unreachable!(),
                })
                .collect();
            let readings = missing_readings(&present, kinds, rules);
            if !readings.is_empty() {
                return agree(readings, n, How::Partial, texts);
            }
        }
    }
    Resolution {
        cells: vec![None; n],
        units: vec![None; n],
        how: How::Unresolved,
        readings: 0,
        texts,
    }
}

/// Whether a cell can be a value of kind `k` (counts and signed values are whole numbers).
pub fn fits_kind(c: &Cell, k: Kind) -> bool {
    match (c, k) {
        (Cell::Number(d), Kind::Count | Kind::Signed) => d.normalize().scale() == 0,
        _ => true,
    }
}

type Reading = Vec<(Cell, Option<&'static str>)>;

fn agree(readings: Vec<Reading>, n: usize, how: How, texts: Vec<String>) -> Resolution {
    let mut cells = Vec::with_capacity(n);
    let mut units = Vec::with_capacity(n);
    for i in 0..n {
        let first = &readings[0][i];
        if readings.iter().all(|r| r[i] == *first) {
            cells.push(Some(first.0.clone()));
            units.push(first.1);
        } else {
            cells.push(None);
            units.push(None);
        }
    }
    let how = if how == How::Split && readings.len() == 1 {
        How::Split
    } else if cells.iter().all(Option::is_none) {
        How::Unresolved
    } else {
        How::Partial
    };
    Resolution {
        cells,
        units,
        how,
        readings: readings.len(),
        texts,
    }
}

fn satisfies(cells: &[Cell], rules: &[SumRule]) -> bool {
    rules.iter().all(|r| {
        let Some(total) = cells[r.total].number() else {
            return true; // a blank total cannot be checked
        };
        let mut sum = Decimal::ZERO;
        for &p in &r.parts {
            match &cells[p] {
                Cell::Number(d) => sum += *d,
                Cell::Blank | Cell::Mark(_) => {}
            }
        }
        sum == total
    })
}

fn missing_readings(
    present: &[(Cell, Option<&'static str>)],
    kinds: &[Kind],
    rules: &[SumRule],
) -> Vec<Reading> {
    let n = kinds.len();
    let missing = n - present.len();
    let mut out = Vec::new();
    // Choose the positions of the missing cells: combinations of `missing` out of `n`.
    let mut combo: Vec<usize> = (0..missing).collect();
    loop {
        let mut reading: Reading = Vec::with_capacity(n);
        let mut it = present.iter();
        for pos in 0..n {
            if combo.contains(&pos) {
                reading.push((Cell::Blank, None));
            } else {
                reading.push(it.next().cloned().expect("count checked"));
            }
        }
        let cells: Vec<Cell> = reading.iter().map(|(c, _)| c.clone()).collect();
        if cells.iter().zip(kinds).all(|(c, k)| fits_kind(c, *k)) && satisfies(&cells, rules) {
            out.push(reading);
            if out.len() >= MAX_READINGS {
                return Vec::new();
            }
        }
        // Next combination.
        let mut i = missing;
        loop {
            if i == 0 {
                return out;
            }
            i -= 1;
            if combo[i] < n - missing + i {
                combo[i] += 1;
                for j in i + 1..missing {
                    combo[j] = combo[j - 1] + 1;
                }
                break;
            }
        }
        if missing == 0 {
            return out;
        }
    }
}

/// A token prepared for splitting: mandatory pieces (split at signs), the unit, and whether it
/// may be split at all.
#[derive(Debug)]
struct Piece {
    /// Sub-strings that must each become at least one cell (`2648-18538` → `2648`, `-18538`).
    parts: Vec<String>,
    unit: Option<&'static str>,
    splittable: bool,
    atomic: Option<Cell>,
}

impl Piece {
    fn of(t: &Token) -> Option<Piece> {
        let text = crate::read::text::trim(&t.text);
        if !t.loose {
            return match parse_value(text) {
                Parsed::Cell(c, u) => Some(Piece {
                    parts: vec![],
                    unit: u,
                    splittable: false,
                    atomic: Some(c),
                }),
                Parsed::Text => None,
            };
        }
        if let Some(m) = Mark::parse(text) {
            return Some(Piece {
                parts: vec![],
                unit: None,
                splittable: false,
                atomic: Some(Cell::Mark(m)),
            });
        }
        let (body, unit) = strip_unit(text);
        if body.is_empty()
            || !body
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
        {
            return None;
        }
        let mut parts = Vec::new();
        let mut cur = String::new();
        for c in body.chars() {
            if (c == '-' || c == '+') && !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
        parts.push(cur);
        Some(Piece {
            parts,
            unit,
            splittable: true,
            atomic: None,
        })
    }
}

/// Every way to cut `s` (digits, an optional leading sign, maybe one '.') into `k` numbers that
/// fit `kinds`, without leading zeros.
fn cuts(s: &str, kinds: &[Kind], out: &mut Vec<Vec<Cell>>, steps: &mut usize) {
    fn rec(
        s: &str,
        kinds: &[Kind],
        acc: &mut Vec<Cell>,
        out: &mut Vec<Vec<Cell>>,
        steps: &mut usize,
    ) {
        *steps += 1;
        if *steps > MAX_STEPS || out.len() > MAX_READINGS {
            return;
        }
        if kinds.is_empty() {
            if s.is_empty() {
                out.push(acc.clone());
            }
            return;
        }
        if s.len() < kinds.len() {
            return;
        }
        let max = s.len() - (kinds.len() - 1);
        for len in 1..=max {
            let head = &s[..len];
            if let Some(c) = number_for(head, kinds[0]) {
                acc.push(c);
                rec(&s[len..], &kinds[1..], acc, out, steps);
                acc.pop();
            }
        }
    }
    rec(s, kinds, &mut Vec::new(), out, steps);
}

fn number_for(text: &str, kind: Kind) -> Option<Cell> {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() || digits.starts_with('.') || digits.ends_with('.') {
        return None;
    }
    let int = digits.split('.').next().unwrap_or("");
    if int.len() > 1 && int.starts_with('0') {
        return None; // no leading zeros
    }
    if digits.contains('.') && kind != Kind::Amount {
        return None;
    }
    if sign == "-" && kind == Kind::Count {
        return None;
    }
    parse_decimal(&format!("{sign}{digits}")).map(Cell::Number)
}

fn split_readings(pieces: &[Piece], kinds: &[Kind], rules: &[SumRule]) -> Vec<Reading> {
    // Flatten mandatory sub-parts: each must produce ≥ 1 cell.
    struct Unit<'a> {
        text: Option<&'a str>,
        atomic: Option<&'a Cell>,
        unit: Option<&'static str>,
        last_of_piece: bool,
    }
    let mut units = Vec::new();
    for p in pieces {
        if let Some(c) = &p.atomic {
            units.push(Unit {
                text: None,
                atomic: Some(c),
                unit: p.unit,
                last_of_piece: true,
            });
        } else {
            debug_assert!(p.splittable);
            for (i, s) in p.parts.iter().enumerate() {
                units.push(Unit {
                    text: Some(s),
                    atomic: None,
                    unit: p.unit,
                    last_of_piece: i + 1 == p.parts.len(),
                });
            }
        }
    }
    let n = kinds.len();
    let mut out: Vec<Reading> = Vec::new();
    let mut steps = 0usize;
    fn rec(
        units: &[Unit<'_>],
        kinds: &[Kind],
        pos: usize,
        acc: &mut Reading,
        rules: &[SumRule],
        out: &mut Vec<Reading>,
        steps: &mut usize,
    ) {
        if *steps > MAX_STEPS || out.len() > MAX_READINGS {
            return;
        }
        let n = kinds.len();
        let Some((u, rest)) = units.split_first() else {
            if pos == n {
                let cells: Vec<Cell> = acc.iter().map(|(c, _)| c.clone()).collect();
                if satisfies(&cells, rules) {
                    out.push(acc.clone());
                }
            }
            return;
        };
        let remaining_units = rest.len();
        if let Some(c) = u.atomic {
            if pos < n && fits_kind(c, kinds[pos]) {
                acc.push((c.clone(), u.unit));
                rec(rest, kinds, pos + 1, acc, rules, out, steps);
                acc.pop();
            }
            return;
        }
        let text = u.text.unwrap_or("");
        let max_k = (n - pos).saturating_sub(remaining_units);
        for k in 1..=max_k.min(text.len()) {
            let mut options = Vec::new();
            cuts(text, &kinds[pos..pos + k], &mut options, steps);
            for cells in options {
                let len = cells.len();
                for (i, c) in cells.into_iter().enumerate() {
                    let unit = if u.last_of_piece && i + 1 == len {
                        u.unit
                    } else {
                        None
                    };
                    acc.push((c, unit));
                }
                rec(rest, kinds, pos + k, acc, rules, out, steps);
                acc.truncate(acc.len() - len);
            }
        }
    }
    let mut acc = Vec::with_capacity(n);
    rec(&units, kinds, 0, &mut acc, rules, &mut out, &mut steps);
    if steps > MAX_STEPS || out.len() > MAX_READINGS {
        return vec![vec![(Cell::Blank, None); n], vec![(Cell::int(0), None); n]];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(s: &str, loose: bool) -> Token {
        Token::line(s, 1, loose)
    }
    fn row_rule() -> Vec<SumRule> {
        vec![SumRule {
            parts: (0..6).collect(),
            total: 6,
        }]
    }
    fn show(r: &Resolution) -> Vec<String> {
        r.cells
            .iter()
            .map(|c| match c {
                None => "?".into(),
                Some(c) => c.display().into_owned(),
            })
            .collect()
    }

    #[test]
    fn values_parse() {
        assert_eq!(parse_value("+3"), Parsed::Cell(Cell::int(3), None));
        assert_eq!(parse_value("1,234"), Parsed::Cell(Cell::int(1234), None));
        assert_eq!(
            parse_value("251000元"),
            Parsed::Cell(Cell::int(251000), Some("元"))
        );
        assert_eq!(parse_value("—"), Parsed::Cell(Cell::Mark(Mark::Dash), None));
        assert_eq!(parse_value("见附件"), Parsed::Text);
        assert_eq!(parse_value("12,34"), Parsed::Text);
    }

    #[test]
    fn run_together_row_split_by_its_total() {
        let t = tok("640020470", true);
        let r = resolve(&[&t], &[Kind::Count; 7], &row_rule());
        assert_eq!(show(&r), ["64", "0", "0", "2", "0", "4", "70"]);
        assert_eq!(r.how, How::Split);
    }

    #[test]
    fn ambiguous_run_stays_null() {
        let t = tok("693665", true);
        let r = resolve(&[&t], &[Kind::Count; 3], &[]);
        assert!(r.cells.iter().all(Option::is_none), "{:?}", show(&r));
        let t = tok("000", true);
        let r = resolve(&[&t], &[Kind::Count; 3], &[]);
        assert_eq!(show(&r), ["0", "0", "0"]);
    }

    #[test]
    fn signed_run_is_ambiguous() {
        let t = tok("2648-18538", true);
        let r = resolve(&[&t], &[Kind::Count, Kind::Signed, Kind::Count], &[]);
        assert_eq!(show(&r), ["2648", "?", "?"]);
    }

    #[test]
    fn missing_cell_is_never_shifted() {
        // seed 001, 4.保护第三方合法权益: 9 0 0 0 0 9 (one cell lost)
        let toks: Vec<Token> = ["9", "0", "0", "0", "0", "9"]
            .iter()
            .map(|s| tok(s, false))
            .collect();
        let refs: Vec<&Token> = toks.iter().collect();
        let r = resolve(&refs, &[Kind::Count; 7], &row_rule());
        // The 9 could be 自然人 or 商业企业, and the total could be the lost cell.
        assert!(r.cells.iter().all(Option::is_none), "{:?}", show(&r));
        assert_ne!(r.how, How::AsPrinted);
    }

    #[test]
    fn exact_row_taken_as_printed() {
        let toks: Vec<Token> = ["469", "13", "0", "0", "0", "0", "482"]
            .iter()
            .map(|s| tok(s, false))
            .collect();
        let refs: Vec<&Token> = toks.iter().collect();
        let r = resolve(&refs, &[Kind::Count; 7], &row_rule());
        assert_eq!(r.how, How::AsPrinted);
        assert_eq!(show(&r)[6], "482");
    }

    #[test]
    fn spaced_run_with_glued_pair() {
        // corpus 004: 四、结转下年度继续办理 0 0 00 00 0
        let toks: Vec<Token> = ["0", "0", "00", "00", "0"]
            .iter()
            .map(|s| tok(s, true))
            .collect();
        let refs: Vec<&Token> = toks.iter().collect();
        let r = resolve(&refs, &[Kind::Count; 7], &row_rule());
        assert_eq!(show(&r), ["0"; 7]);
    }

    #[test]
    fn section4_run_with_three_totals() {
        let t = tok("10203120001200000", true);
        let rules: Vec<SumRule> = (0..3)
            .map(|g| SumRule {
                parts: (g * 5..g * 5 + 4).collect(),
                total: g * 5 + 4,
            })
            .collect();
        let r = resolve(&[&t], &[Kind::Count; 15], &rules);
        // The only split where each group's total is the sum of its four outcomes.
        assert_eq!(
            show(&r),
            ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]
        );
        assert_eq!(r.how, How::Split);
    }
}
