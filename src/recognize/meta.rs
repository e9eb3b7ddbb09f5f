//! Report metadata (agency, year, title, date, URL) and narrative sections, from the full text.

use xxgk_schema::{Narrative, NarrativeSection};

/// Metadata found in the text.
#[derive(Debug, Default, Clone)]
pub struct Meta {
    pub title: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub published: Option<String>,
    pub url: Option<String>,
}

/// Find the title (`XX2021年度政府信息公开工作年度报告`), agency, year, date and URL.
pub fn extract(text: &str) -> Meta {
    let mut m = Meta::default();
    let b = text.as_bytes();
    // The index of the line starting at `at` (lines are counted up to `counted`, once).
    let (mut counted, mut counted_lines) = (0, 0);
    let mut line_index = |at: usize| {
        counted_lines += memchr::memchr_iter(b'\n', &b[counted..at]).count();
        counted = at;
        counted_lines
    };
    // The start of the next line to look at.
    let mut from = 0;
    while from < b.len() {
        let no = line_index(from);
        if no >= MAX_LINES {
            break;
        }
        if m.published.is_some() && m.title.is_some() {
            // Only a URL is left to find: the lines naming one are found by their `http`,
            // not read one by one.
            if m.url.is_none() {
                m.url = url_in_lines(&text[from..], MAX_LINES - no);
            }
            break;
        }
        // Only a line holding one of the words of what is still to be found can give
        // anything: the next such line is found in one scan, passing over the lines between.
        let wanted = Wanted {
            title: m.title.is_none(),
            date: m.published.is_none(),
        };
        let Some(at) = first_holding(&text[from..], wanted).map(|i| from + i) else {
            break;
        };
        let start = memchr::memrchr(b'\n', &b[from..at]).map_or(from, |i| from + i + 1);
        let end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i);
        if line_index(start) >= MAX_LINES {
            break;
        }
        from = end + 1;
        // The line holds a word, so it is not blank.
        let before = line_before(text, start);
        let l = metadata_line(crate::read::text::trim(&text[start..end]));
        // Matching sees traditional characters as simplified (`年度報告` → `年度报告`); what is
        // kept (title, agency) is as printed.
        use crate::recognize::labels::simplified;
        let simple: std::borrow::Cow<str> = if l.chars().any(|c| simplified(c) != c) {
            l.chars().map(simplified).collect::<String>().into()
        } else {
            l.into()
        };
        if m.url.is_none() {
            if let Some(i) = l.find("http") {
                if l[..i].contains("链接") || l[..i].contains("网址") || l[..i].contains("URL")
                {
                    m.url = Some(url_at(&l[i..]).to_string());
                }
            }
        }
        if m.published.is_none() && names_publication_date(&simple) {
            m.published = find_date(l).or_else(|| date_below_label(text, end, &simple));
        }
        // A title wrapped before its last words (`2024 年上海市科委政府信息公开工作` /
        // `年度报告`, as PDF converters break it): the short line after it completes it.
        let wrapped = if m.title.is_none()
            && simple.contains("信息公开")
            && !(simple.contains("报告") || simple.contains("年报"))
        {
            title_end_below(text, end)
                .map(|(next, simple_next)| (format!("{l}{next}"), format!("{simple}{simple_next}")))
        } else {
            None
        };
        let (l, simple): (&str, &str) = match &wrapped {
            Some((l, s)) => (l, s),
            None => (l, &simple),
        };
        if m.title.is_none()
            && l.chars().count() <= 80
            && simple.contains("信息公开")
            && (simple.contains("报告") || simple.contains("年报"))
        {
            // Converters put spaces around the year (`沐阳县人民政府 2025 年 政府信息公开…`).
            let unspaced: Vec<char> = l.chars().filter(|c| *c != ' ').collect();
            let unspaced_simple: Vec<char> = simple.chars().filter(|c| *c != ' ').collect();
            if let Some((agency, year)) = title_parts(&unspaced, &unspaced_simple) {
                m.title = Some(without_site_name(l).to_string());
                m.agency = agency;
                m.year = Some(year);
                // A title broken over two lines: the agency is on the line before.
                let b = before.trim();
                if m.agency.is_none()
                    && !b.is_empty()
                    && b.chars().count() <= 40
                    && !b.contains('。')
                    && !b.contains(':')
                    && b != "政府信息公开"
                {
                    m.agency = Some(b.to_string());
                    m.title = Some(format!("{b}{l}"));
                }
            }
        }
    }
    m
}

/// Whether a metadata line names the date the report was published (`发布时间`, `发布日期`,
/// `发文日期`, `公开日期`, a page header's bare `时间`), not the time a copy was captured,
/// generated or printed, nor the period the statistics cover (`采集时间：2025-12-30`, written
/// by the tool that saved the page, `统计时间为2021年1月1日至…`).
fn names_publication_date(simple: &str) -> bool {
    const PUBLISHED: [&str; 3] = ["发布", "发文日期", "公开日期"];
    const OTHER_TIMES: [&str; 10] = [
        "采集时间",
        "抓取时间",
        "爬取时间",
        "保存时间",
        "下载时间",
        "打印时间",
        "生成时间",
        "访问时间",
        "统计时间",
        "起止时间",
    ];
    if PUBLISHED.iter().any(|w| simple.contains(w)) {
        return true;
    }
    simple.contains("时间") && !OTHER_TIMES.iter().any(|w| simple.contains(w))
}

/// The date under a label that stands alone (`公开日期` in one cell of a page's index table,
/// `2024-01-17` in the next): the next non-blank line after `end`, when the label line is
/// short (a label, not a sentence) and so is the line below (a date and a time, not prose).
fn date_below_label(text: &str, end: usize, simple: &str) -> Option<String> {
    if simple.chars().count() > 12 {
        return None;
    }
    let next = next_line(text, end)?;
    (next.chars().count() <= 24)
        .then(|| find_date(next))
        .flatten()
}

/// The end of a title wrapped over two lines: the next non-blank line after `end`, when it is
/// short and ends the title (`年度报告`, `工作年度报告`, `年报`), as printed and simplified.
fn title_end_below(text: &str, end: usize) -> Option<(&str, String)> {
    let next = next_line(text, end)?;
    let simple: String = next
        .chars()
        .map(crate::recognize::labels::simplified)
        .collect();
    (next.chars().count() <= 12 && (simple.ends_with("报告") || simple.ends_with("年报")))
        .then_some((next, simple))
}

/// The first non-blank line after the line ending at `end`, trimmed.
fn next_line(text: &str, end: usize) -> Option<&str> {
    text.get(end..)?
        .lines()
        .skip(1)
        .map(crate::read::text::trim)
        .find(|l| !l.is_empty())
}

/// A page title without the site and column names a web page appends after the report's own
/// title (`…年度报告_政府信息公开年报_平潭综合实验区党工委管委会`, `…年度报告-沭阳县发改局`).
fn without_site_name(title: &str) -> &str {
    for (i, _) in title.match_indices("报告") {
        let after = &title[i + "报告".len()..];
        let mut chars = after.chars();
        if matches!(chars.next(), Some('_' | '-' | '|' | '—' | '–'))
            && !chars.as_str().trim().is_empty()
        {
            return &title[..i + "报告".len()];
        }
    }
    title
}

/// How many lines from the start of a report its metadata is looked for in.
const MAX_LINES: usize = 400;

/// The last line before the one starting at `start` that is not blank, trimmed; `""` if none.
fn line_before(text: &str, start: usize) -> &str {
    let b = text.as_bytes();
    // `end` is where a line before ends (at its `\n`).
    let mut end = start;
    while end > 0 {
        let e = end - 1;
        let s = memchr::memrchr(b'\n', &b[..e]).map_or(0, |i| i + 1);
        let l = crate::read::text::trim(&text[s..e]);
        if !l.is_empty() {
            return l;
        }
        end = s;
    }
    ""
}

/// The URL named in the first of the first `lines` lines of `text` that names one (`链接`,
/// `网址` or `URL` before its first `http`), found from the occurrences of `http`.
fn url_in_lines(text: &str, lines: usize) -> Option<String> {
    let b = text.as_bytes();
    let finder = memchr::memmem::Finder::new("http");
    // Lines before `counted` are counted in `line`.
    let (mut counted, mut line) = (0, 0);
    let mut from = 0;
    while let Some(p) = finder.find(&b[from..]).map(|p| p + from) {
        let start = memchr::memrchr(b'\n', &b[..p]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &b[p..]).map_or(b.len(), |i| p + i);
        line += memchr::memchr_iter(b'\n', &b[counted..start]).count();
        counted = start;
        if line >= lines {
            return None;
        }
        let l = metadata_line(crate::read::text::trim(&text[start..end]));
        if let Some(i) = l.find("http") {
            if l[..i].contains("链接") || l[..i].contains("网址") || l[..i].contains("URL") {
                return Some(url_at(&l[i..]).to_string());
            }
        }
        from = end;
    }
    None
}

/// A trimmed line without the marks a heading or a labelled title starts with (`# `, `标题:`).
fn metadata_line(l: &str) -> &str {
    // Markdown headings (`# 标题`) are titles too.
    let l = l.trim_start_matches('#').trim();
    l.strip_prefix("标题:")
        .or_else(|| l.strip_prefix("标题："))
        .unwrap_or(l)
        .trim()
}

/// What metadata is still to be found (a URL always is, until found or given up).
#[derive(Debug, Clone, Copy)]
struct Wanted {
    title: bool,
    date: bool,
}

/// Whether a line holds a word of [`first_holding`].
#[cfg(test)]
fn may_hold(line: &str, wanted: Wanted) -> bool {
    first_holding(line, wanted).is_some()
}

/// Where the first of the words what is `wanted` is found by is in `text` — `http` for a URL,
/// `信息公开` for the title, `发布`, `发文日期`, `公开日期` or `时间` for the date — or a traditional
/// character that reads as one of their characters once simplified (`發`, `時`, `開`): one
/// scan for all the words, over all the lines that cannot give anything.
fn first_holding(text: &str, wanted: Wanted) -> Option<usize> {
    const URL: &[&str] = &["http"];
    const TITLE: &[&str] = &["信息公开"];
    const DATE: &[&str] = &["发布", "发文日期", "公开日期", "时间"];
    type Automaton = std::sync::OnceLock<aho_corasick::AhoCorasick>;
    static AC: [Automaton; 4] = [const { Automaton::new() }; 4];
    let which = usize::from(wanted.title) | usize::from(wanted.date) << 1;
    AC[which]
        .get_or_init(|| {
            let mut words = URL.to_vec();
            if wanted.title {
                words.extend(TITLE);
            }
            if wanted.date {
                words.extend(DATE);
            }
            let mut pats: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            for (t, s) in crate::recognize::labels::traditional_pairs() {
                if words.iter().any(|w| w.contains(s)) {
                    pats.push(t.to_string());
                }
            }
            // Leftmost-first: its searcher skips ahead with SIMD (the first match of any kind
            // is in the first line holding a word, which is all that is asked).
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(pats)
                .expect("valid patterns")
        })
        .find(text)
        .map(|m| m.start())
}

/// The agency and year of a title line: `printed` as printed, `chars` the same characters as
/// simplified (one for one), for matching.
fn title_parts(printed: &[char], chars: &[char]) -> Option<(Option<String>, i32)> {
    for i in 0..chars.len().saturating_sub(4) {
        if chars[i..i + 4].iter().all(|c| c.is_ascii_digit()) && chars.get(i + 4) == Some(&'年') {
            if i > 0 && chars[i - 1].is_ascii_digit() {
                continue;
            }
            let year: i32 = chars[i..i + 4].iter().collect::<String>().parse().ok()?;
            if !(2000..=2100).contains(&year) {
                continue;
            }
            let rest: String = chars[i + 4..].iter().collect();
            if !rest.contains("信息公开") {
                continue;
            }
            let mut agency: String = printed[..i].iter().collect();
            if agency.trim().is_empty() {
                // `2019年上海市人民政府办公厅政府信息公开工作年度报告`: the agency follows the year.
                let after = rest.trim_start_matches('年').trim_start_matches('度');
                if let Some(j) = after
                    .find("政府信息公开")
                    .or_else(|| after.find("信息公开"))
                {
                    // The same characters as printed.
                    let skip = rest.chars().count() - after.chars().count();
                    let n = after[..j].chars().count();
                    agency = printed[i + 4 + skip..i + 4 + skip + n].iter().collect();
                }
            }
            let agency = agency
                .trim()
                .trim_end_matches("关于")
                .trim_matches(|c: char| c == '"' || c == '《' || c == '》')
                .trim()
                .to_string();
            return Some(((!agency.is_empty()).then_some(agency), year));
        }
    }
    None
}

/// The URL a text starts with: printable ASCII only (prose runs on after it without a space:
/// `http://x.gov.cn/index.htm)信息公开年报专栏下载。`), without the sentence's punctuation or a
/// closing bracket that has no opening one in the URL.
fn url_at(s: &str) -> &str {
    let end = s.find(|c: char| !c.is_ascii_graphic()).unwrap_or(s.len());
    let mut u = &s[..end];
    loop {
        let t = u.trim_end_matches(['.', ',', ';', ':', '!', '?', '"', '\'']);
        // A `)` that closes no `(` of the URL belongs to the prose.
        let t = match t.strip_suffix(')') {
            Some(inner) if inner.matches('(').count() <= inner.matches(')').count() => inner,
            _ => t,
        };
        if t.len() == u.len() {
            return u;
        }
        u = t;
    }
}

/// Whether a year, month and day make a date of the calendar (2021-02-29 does not).
fn valid_ymd(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2199).contains(&y) && (1..=days).contains(&d)
}

/// The first date in a line (`2021年3月8日`, `2021-03-08`), as `YYYY-MM-DD`.
pub(crate) fn find_date(l: &str) -> Option<String> {
    // 2021年03月08日: four digits (not five) before a 年.
    let b = l.as_bytes();
    for (p, _) in l.match_indices('年') {
        if p < 4
            || !b[p - 4..p].iter().all(u8::is_ascii_digit)
            || p > 4 && b[p - 5].is_ascii_digit()
        {
            continue;
        }
        // A year that is not a date's (`2021年度报告 发布时间：2022年1月5日`) is passed over.
        let rest = &l[p + '年'.len_utf8()..];
        let Some((mo, rest)) = rest.split_once('月') else {
            continue;
        };
        let Some((d, _)) = rest.split_once('日') else {
            continue;
        };
        let (Ok(mo), Ok(d)) = (mo.trim().parse::<u32>(), d.trim().parse::<u32>()) else {
            continue;
        };
        let y = &l[p - 4..p];
        if valid_ymd(y.parse().unwrap_or(0), mo, d) {
            return Some(format!("{y}-{mo:02}-{d:02}"));
        }
    }
    // 2021-03-08: looked for at each `-` that could be its first.
    for i in memchr::memchr_iter(b'-', b).filter_map(|q| q.checked_sub(4)) {
        let Some(s) = b.get(i..i + 10) else {
            break;
        };
        if s[..4].iter().all(u8::is_ascii_digit)
            && s[4] == b'-'
            && s[5..7].iter().all(u8::is_ascii_digit)
            && s[7] == b'-'
            && s[8..10].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
        {
            let num = |r: std::ops::Range<usize>| {
                std::str::from_utf8(&s[r])
                    .ok()
                    .and_then(|t| t.parse::<u32>().ok())
                    .unwrap_or(0)
            };
            if valid_ymd(num(0..4), num(5..7), num(8..10)) {
                return Some(String::from_utf8_lossy(s).into_owned());
            }
        }
    }
    None
}

/// The first of `pats` in `text[from..]` (the earliest start; the shortest at one start), as
/// byte offsets. One scan for the patterns' common prefix (`五、`), then each pattern tried
/// where it stands, instead of a scan of the whole text per pattern.
fn find_heading(text: &str, from: usize, pats: &[&str]) -> Option<(usize, usize)> {
    let first = pats.first()?;
    let mut common = first.len();
    for p in pats {
        common = common.min(
            first
                .bytes()
                .zip(p.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    while !first.is_char_boundary(common) {
        common -= 1;
    }
    let hay = &text[from..];
    let prefix = &first[..common];
    if prefix.is_empty() {
        return pats
            .iter()
            .filter_map(|p| {
                memchr::memmem::find(hay.as_bytes(), p.as_bytes())
                    .map(|i| (from + i, from + i + p.len()))
            })
            .min();
    }
    // Found with memmem (SIMD), as the whole text is searched.
    memchr::memmem::find_iter(hay.as_bytes(), prefix.as_bytes()).find_map(|i| {
        pats.iter()
            .filter(|p| hay[i..].starts_with(*p))
            .map(|p| (from + i, from + i + p.len()))
            .min()
    })
}

fn clean(s: &str) -> Option<String> {
    let t: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let t = t.join("\n");
    (!t.is_empty()).then_some(t)
}

/// Narrative sections 一, 五 and 六 of a 2019/2021 report.
pub fn narrative(text: &str) -> Narrative {
    let mut n = Narrative::default();
    let one = find_heading(text, 0, &["一、总体情况", "一、概述", "一、基本情况"]);
    let two = find_heading(text, one.map(|x| x.1).unwrap_or(0), &["二、主动公开"]);
    if let (Some(a), Some(b)) = (one, two) {
        n.general = clean(&text[a.1..b.0]);
    }
    let five = find_heading(
        text,
        two.map(|x| x.1).unwrap_or(0),
        &[
            "五、存在的主要问题",
            "五、政府信息公开工作存在",
            "五、存在问题",
            "五、主要问题",
        ],
    );
    let six = find_heading(
        text,
        five.map(|x| x.1).unwrap_or(0),
        &["六、其他需要报告的事项", "六、需要说明", "六、其他"],
    );
    if let Some(a) = five {
        let end = six.map(|x| x.0).unwrap_or(text.len());
        n.problems_and_improvements = clean(strip_heading_rest(&text[a.1..end]));
    }
    if let Some(a) = six {
        let rest = &text[a.1..];
        let end = ["附件下载", "扫一扫", "【打印", "相关附件"]
            .iter()
            .filter_map(|m| rest.find(m))
            .min()
            .unwrap_or(rest.len());
        n.other_matters = clean(strip_heading_rest(&rest[..end]));
    }
    n
}

/// Drop the remainder of a heading line (`…及改进情况`) when the heading is on its own line.
fn strip_heading_rest(s: &str) -> &str {
    match s.find('\n') {
        Some(i) if i < 40 && !s[..i].contains('。') => &s[i + 1..],
        _ => s,
    }
}

/// Narrative sections of a legacy report: every `一、…` heading line and the text under it.
pub fn legacy_narrative(text: &str) -> Vec<NarrativeSection> {
    const NUMS: &str = "一二三四五六七八九十";
    let mut out: Vec<NarrativeSection> = Vec::new();
    for line in text.lines() {
        let l = crate::read::text::trim(line);
        let is_heading = l.chars().count() <= 40
            && l.chars().next().is_some_and(|c| NUMS.contains(c))
            && l.contains('、')
            && l.chars().take_while(|c| NUMS.contains(*c)).count() + 1
                == l.chars().position(|c| c == '、').unwrap_or(usize::MAX) + 1;
        if is_heading && l.contains("统计") {
            break;
        }
        if is_heading {
            out.push(NarrativeSection {
                heading: l.to_string(),
                text: String::new(),
            });
        } else if let Some(s) = out.last_mut() {
            if !l.is_empty() {
                if !s.text.is_empty() {
                    s.text.push('\n');
                }
                s.text.push_str(l);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_agency_year() {
        let m = extract(
            "索引号 1\n\n泰兴市人民政府2021年政府信息公开工作年度报告\n发布日期:2022-02-08 14:30\n",
        );
        assert_eq!(m.agency.as_deref(), Some("泰兴市人民政府"));
        assert_eq!(m.year, Some(2021));
        assert_eq!(m.published.as_deref(), Some("2022-02-08"));
        let m = extract("标题: 平潭综合实验区2021年度政府信息公开工作年度报告\n原文链接: https://x.gov.cn/a.htm\n");
        assert_eq!(m.agency.as_deref(), Some("平潭综合实验区"));
        assert_eq!(m.url.as_deref(), Some("https://x.gov.cn/a.htm"));
    }

    #[test]
    fn a_copy_s_capture_time_is_not_the_publication_date() {
        // A saved page: the saving tool's header, then the site's index table, one cell a line.
        let m = extract(
            "标题：沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局\n采集时间：2025-12-30T21:37:37+08:00\n名称\n沭阳县发展和改革局2023年政府信息公开年度报告\n发布机构\n沭阳县发展和改革局\n公开日期\n2024-01-17\n",
        );
        assert_eq!(m.published.as_deref(), Some("2024-01-17"));
        assert_eq!(
            m.title.as_deref(),
            Some("沭阳县发展和改革局2023年政府信息公开年度报告")
        );
        // The period the statistics cover is no publication date either.
        let m = extract(
            "XX局2021年政府信息公开工作年度报告\n统计时间为2021年1月1日至2021年12月31日。\n",
        );
        assert_eq!(m.published, None);
        // A page header's bare 时间 is.
        let m = extract("来源：平潭县人民政府 时间：2022-02-08 16:34\n");
        assert_eq!(m.published.as_deref(), Some("2022-02-08"));
    }

    #[test]
    fn a_title_wrapped_over_two_lines_is_joined() {
        let m = extract("正文\n2024 年上海市科委政府信息公开工作\n年度报告\n根据《中华人民共和国政府信息公开条例》\n");
        assert_eq!(m.year, Some(2024));
        assert_eq!(m.agency.as_deref(), Some("上海市科委"));
        assert_eq!(
            m.title.as_deref(),
            Some("2024 年上海市科委政府信息公开工作年度报告")
        );
        // A long line after it is prose, not the title's end.
        let m = extract("2024年上海市科委政府信息公开工作\n市科委编制了2024年度政务公开工作报告\n");
        assert_eq!(m.title, None);
    }

    #[test]
    fn a_page_title_loses_the_site_s_name() {
        for (t, want) in [
            ("平潭综合实验区2021年度政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会", "平潭综合实验区2021年度政府信息公开工作年度报告"),
            ("沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局", "沭阳县发展和改革局2023年政府信息公开年度报告"),
            ("XX市2021年政府信息公开工作年度报告", "XX市2021年政府信息公开工作年度报告"),
            ("XX市2021年政府信息公开工作年度报告-", "XX市2021年政府信息公开工作年度报告-"),
        ] {
            assert_eq!(without_site_name(t), want);
        }
    }

    #[test]
    fn metadata_in_traditional_script_is_found() {
        let m =
            extract("正文\n平潭綜合實驗區2021年度政府資訊公開工作年度報告\n發佈時間：2022-01-20\n");
        assert_eq!(m.published.as_deref(), Some("2022-01-20"));
        let all = Wanted {
            title: true,
            date: true,
        };
        assert!(may_hold("發文日期", all));
        assert!(!may_hold("一、总体情况", all));
        // Once the title is found, a line that could only hold a title is passed over.
        let date = Wanted {
            title: false,
            date: true,
        };
        assert!(may_hold("政府資訊公開工作 發佈時間", date));
        assert!(!may_hold("政府信息公开工作", date));
        assert!(may_hold("政府信息公开 http://a.cn", date));
    }

    /// Once the title and date are found, the URL is the first line naming one (a link word
    /// before its first `http`), within the first 400 lines; prose quoting an address is not.
    #[test]
    fn a_url_after_the_title_and_date_is_on_a_line_naming_it() {
        let head = "泰兴市人民政府2021年政府信息公开工作年度报告\n发布日期:2022-02-08\n";
        let prose = "报告电子版可在 http://a.gov.cn 下载。\n";
        let link = "# 原文链接: https://x.gov.cn/a.htm。\n";
        let m = extract(&format!("{head}{prose}\n{link}"));
        assert_eq!(m.url.as_deref(), Some("https://x.gov.cn/a.htm"));
        assert_eq!(m.published.as_deref(), Some("2022-02-08"));
        // The link word must come before the first `http` of its line.
        let m = extract(&format!(
            "{head}见 http://a.gov.cn 原文链接 https://b.gov.cn\n"
        ));
        assert_eq!(m.url, None);
        // Line 400 is the last looked at: lines 1–2 hold the title and date.
        let at = |line: usize| format!("{head}{}{link}", "正文\n".repeat(line - 3));
        assert_eq!(
            extract(&at(400)).url.as_deref(),
            Some("https://x.gov.cn/a.htm")
        );
        assert_eq!(extract(&at(401)).url, None);
        assert_eq!(url_in_lines(&format!("a\n{link}"), 1), None);
        assert_eq!(
            url_in_lines(&format!("a\n{link}"), 2).as_deref(),
            Some("https://x.gov.cn/a.htm")
        );
    }

    #[test]
    fn a_url_ends_where_the_prose_goes_on() {
        assert_eq!(
            url_at("http://www.anhua.gov.cn/index.htm)信息公开年报专栏下载。"),
            "http://www.anhua.gov.cn/index.htm"
        );
        assert_eq!(url_at("https://x.gov.cn/a.htm。"), "https://x.gov.cn/a.htm");
        assert_eq!(
            url_at("https://x.gov.cn/a_(1).htm"),
            "https://x.gov.cn/a_(1).htm"
        );
        assert_eq!(
            url_at("http://x.cn/a?b=1&c=2 后文"),
            "http://x.cn/a?b=1&c=2"
        );
    }

    #[test]
    fn only_calendar_dates_are_taken() {
        assert_eq!(find_date("2024年2月29日").as_deref(), Some("2024-02-29"));
        assert_eq!(find_date("2023年2月29日"), None);
        assert_eq!(
            find_date("2021年度报告 发布时间：2022年1月5日").as_deref(),
            Some("2022-01-05")
        );
        assert_eq!(find_date("12021年1月5日"), None);
        assert_eq!(find_date("发布 2021-13-40"), None);
        assert_eq!(
            find_date("发布 2021-04-30 10:00").as_deref(),
            Some("2021-04-30")
        );
    }

    #[test]
    fn heading_is_the_earliest_then_shortest_pattern() {
        let t = "前言五、其他五、存在问题和五、存在的主要问题";
        assert_eq!(
            find_heading(t, 0, &["五、存在的主要问题", "五、存在问题"]),
            Some((t.find("五、存在问题").unwrap(), t.find("和").unwrap()))
        );
        assert_eq!(find_heading(t, 0, &["六、其他"]), None);
        let u = "六、其他需要报告的事项";
        assert_eq!(
            find_heading(u, 0, &["六、其他需要报告的事项", "六、其他"]),
            Some((0, "六、其他".len()))
        );
    }

    #[test]
    fn narrative_sections() {
        let n = narrative("一、总体情况\n概述文字\n二、主动公开政府信息情况\n表\n五、存在的主要问题及改进情况\n问题\n六、其他需要报告的事项\n未收费\n");
        assert_eq!(n.general.as_deref(), Some("概述文字"));
        assert_eq!(n.problems_and_improvements.as_deref(), Some("问题"));
        assert_eq!(n.other_matters.as_deref(), Some("未收费"));
    }
}
