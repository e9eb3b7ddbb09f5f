//! Matching printed labels to rows: one place that knows every wording seen in real reports.
//!
//! Labels are compared by their [`key`]: NFKC-normalized text with whitespace, quotes and stray
//! `|` removed, so `商业 企业`, `(六)其\n他处理` (joined by the caller) and `（一）` match alike.

use xxgk_schema::Edition;

use crate::scan::holds;

/// [`key`], or `None` when the key is `text` itself (no character it drops or changes): the
/// text is copied only from its first change on, in runs.
pub fn key_if_changed(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    let mut i = 0;
    loop {
        let j = kept_run(b, i);
        if let Some(o) = &mut out {
            o.push_str(&text[i..j]);
        }
        let Some(c) = text[j..].chars().next() else {
            return out;
        };
        // One character that may change, by the definition of `key`.
        let w = c.len_utf8();
        let (kept, next) = if c.is_whitespace() || matches!(c, '"' | '\'' | '|' | '*' | '#') {
            (None, j + w)
        } else if c == '(' {
            match pinyin_after(&text[j + 1..]) {
                Some(skip) => (None, j + 1 + skip),
                None => (Some(c), j + 1),
            }
        } else {
            (Some(simplified(c)), j + w)
        };
        match (&mut out, kept) {
            (Some(o), Some(k)) => o.push(k),
            (Some(_), None) => {}
            (None, Some(k)) if k == c => {}
            (None, _) => {
                let mut o = String::with_capacity(text.len());
                o.push_str(&text[..j]);
                o.extend(kept);
                out = Some(o);
            }
        }
        i = next;
    }
}

/// The end of the run of bytes from `i` that `key` keeps as they are: ASCII it keeps, and
/// three-byte characters (U+0800–U+FFFF: ideographs, CJK punctuation) that are neither
/// whitespace nor traditional.
fn kept_run(b: &[u8], mut i: usize) -> usize {
    // The ASCII bytes `key` drops or may change: whitespace (tab to CR, space), quotes, `|`,
    // `*`, `#` and `(` (inline pinyin).
    const ASCII_STOPS: u128 = 1 << b' '
        | 0b11111 << 0x09
        | 1 << b'"'
        | 1 << b'\''
        | 1 << b'|'
        | 1 << b'*'
        | 1 << b'#'
        | 1 << b'(';
    let bits = key_stop_bits();
    while let Some(&x) = b.get(i) {
        if x < 0x80 {
            if ASCII_STOPS >> x & 1 != 0 {
                break;
            }
            i += 1;
        } else if let [0xE0..=0xEF, y, z, ..] = b[i..] {
            // U+0800–U+FFFF: kept unless `key` drops or changes it. The first two bytes name
            // the table's word, the third the bit.
            let word = usize::from(x & 0x0F) << 6 | usize::from(y & 0x3F);
            if bits[word] >> (z & 0x3F) & 1 != 0 {
                break;
            }
            i += 3;
        } else {
            break;
        }
    }
    i
}

/// Inline pinyin after a `(`: a parenthesized run of Latin letters (with tone marks) closed
/// within the next nine characters; the bytes up to and including the `)`.
fn pinyin_after(rest: &str) -> Option<usize> {
    let (end, _) = rest.char_indices().take(9).find(|&(_, x)| x == ')')?;
    let inner = &rest[..end];
    (!inner.is_empty()
        && inner
            .chars()
            .all(|x| x.is_alphabetic() && (x as u32) < 0x2E80))
    .then_some(end + 1)
}

/// The matching key of a label: no whitespace, no quotes, no `|`, `*` or `#` (markdown), no
/// inline pinyin (`項(xiàng)`), and traditional characters as simplified (`規章` → `规章`).
pub fn key(text: &str) -> String {
    key_if_changed(text).unwrap_or_else(|| text.to_string())
}

/// Every traditional character [`simplified`] changes, with its simplified form.
pub fn traditional_pairs() -> impl Iterator<Item = (char, char)> {
    TRADITIONAL.iter().copied()
}

/// The simplified form of a traditional character that labels use (others unchanged).
#[inline]
pub fn simplified(c: char) -> char {
    let u = c as u32;
    if u < 0x4E00 {
        return c;
    }
    if u < 0xA000 && !has_traditional_entry(traditional_bits(), u) {
        return c;
    }
    match TRADITIONAL.binary_search_by_key(&c, |&(t, _)| t) {
        Ok(i) => TRADITIONAL[i].1,
        Err(_) => c,
    }
}

/// Whether `u` (U+4E00–U+9FFF) has an entry in [`TRADITIONAL`], by its bit.
fn has_traditional_entry(bits: &TraditionalBits, u: u32) -> bool {
    bits[(u >> 6) as usize] >> (u & 63) & 1 != 0
}

/// One bit for each character of the Basic Multilingual Plane, 64 to a word (word `u >> 6`,
/// bit `u & 63`): a three-byte UTF-8 character names its word by its first two bytes and its
/// bit by its third, with no bounds to test.
type TraditionalBits = [u64; 0x10000 / 64];

/// Which characters of the CJK block have a traditional → simplified entry: one bit each, so
/// the common case (a simplified character) costs one lookup.
fn traditional_bits() -> &'static TraditionalBits {
    static BITS: std::sync::OnceLock<TraditionalBits> = std::sync::OnceLock::new();
    BITS.get_or_init(|| {
        let mut b = [0u64; 0x10000 / 64];
        for &(t, _) in TRADITIONAL {
            let u = t as u32;
            if (0x4E00..0xA000).contains(&u) {
                b[(u >> 6) as usize] |= 1 << (u & 63);
            }
        }
        b
    })
}

/// Which characters of the BMP `key` may drop or change: whitespace, and those `simplified`
/// changes. Read for three-byte characters only (ASCII and the rest are decided by hand).
fn key_stop_bits() -> &'static TraditionalBits {
    static BITS: std::sync::OnceLock<TraditionalBits> = std::sync::OnceLock::new();
    BITS.get_or_init(|| {
        let mut b = [0u64; 0x10000 / 64];
        let mut set = |u: u32| b[(u >> 6) as usize] |= 1 << (u & 63);
        for u in 0x800..0x10000u32 {
            if char::from_u32(u).is_some_and(char::is_whitespace) {
                set(u);
            }
        }
        for &(t, _) in TRADITIONAL {
            if (t as u32) < 0x10000 && simplified(t) != t {
                set(t as u32);
            }
        }
        b
    })
}

/// Traditional → simplified, for every character the labels of the forms use (from OpenCC's
/// `TSCharacters`), sorted by the traditional character.
const TRADITIONAL: &[(char, char)] = &[
    ('丟', '丢'),
    ('佈', '布'),
    ('係', '系'),
    ('俬', '私'),
    ('個', '个'),
    ('傢', '家'),
    ('傳', '传'),
    ('內', '内'),
    ('兩', '两'),
    ('別', '别'),
    ('動', '动'),
    ('務', '务'),
    ('區', '区'),
    ('厤', '历'),
    ('員', '员'),
    ('問', '问'),
    ('單', '单'),
    ('噹', '当'),
    ('國', '国'),
    ('埰', '采'),
    ('執', '执'),
    ('報', '报'),
    ('場', '场'),
    ('寀', '采'),
    ('實', '实'),
    ('審', '审'),
    ('寫', '写'),
    ('專', '专'),
    ('對', '对'),
    ('屬', '属'),
    ('廢', '废'),
    ('廳', '厅'),
    ('強', '强'),
    ('彆', '别'),
    ('彔', '录'),
    ('後', '后'),
    ('從', '从'),
    ('復', '复'),
    ('應', '应'),
    ('捲', '卷'),
    ('掃', '扫'),
    ('採', '采'),
    ('據', '据'),
    ('數', '数'),
    ('斷', '断'),
    ('於', '于'),
    ('時', '时'),
    ('曆', '历'),
    ('會', '会'),
    ('査', '查'),
    ('條', '条'),
    ('業', '业'),
    ('構', '构'),
    ('標', '标'),
    ('機', '机'),
    ('檢', '检'),
    ('權', '权'),
    ('歷', '历'),
    ('決', '决'),
    ('沒', '没'),
    ('況', '况'),
    ('減', '减'),
    ('為', '为'),
    ('無', '无'),
    ('爲', '为'),
    ('獲', '获'),
    ('現', '现'),
    ('當', '当'),
    ('發', '发'),
    ('盤', '盘'),
    ('眞', '真'),
    ('確', '确'),
    ('祕', '秘'),
    ('稱', '称'),
    ('穩', '稳'),
    ('穫', '获'),
    ('箇', '个'),
    ('範', '范'),
    ('簽', '签'),
    ('籤', '签'),
    ('糾', '纠'),
    ('納', '纳'),
    ('紙', '纸'),
    ('組', '组'),
    ('結', '结'),
    ('絡', '络'),
    ('統', '统'),
    ('經', '经'),
    ('綜', '综'),
    ('維', '维'),
    ('網', '网'),
    ('縣', '县'),
    ('總', '总'),
    ('織', '织'),
    ('繫', '系'),
    ('繳', '缴'),
    ('繼', '继'),
    ('續', '续'),
    ('纍', '累'),
    ('罰', '罚'),
    ('職', '职'),
    ('與', '与'),
    ('興', '兴'),
    ('舉', '举'),
    ('萬', '万'),
    ('處', '处'),
    ('號', '号'),
    ('衕', '同'),
    ('補', '补'),
    ('製', '制'),
    ('複', '复'),
    ('覈', '核'),
    ('見', '见'),
    ('規', '规'),
    ('計', '计'),
    ('記', '记'),
    ('訟', '讼'),
    ('訪', '访'),
    ('許', '许'),
    ('訴', '诉'),
    ('証', '证'),
    ('詢', '询'),
    ('話', '话'),
    ('該', '该'),
    ('認', '认'),
    ('誤', '误'),
    ('說', '说'),
    ('説', '说'),
    ('請', '请'),
    ('諮', '咨'),
    ('證', '证'),
    ('識', '识'),
    ('議', '议'),
    ('護', '护'),
    ('讀', '读'),
    ('責', '责'),
    ('費', '费'),
    ('購', '购'),
    ('踰', '逾'),
    ('軟', '软'),
    ('載', '载'),
    ('轉', '转'),
    ('辦', '办'),
    ('這', '这'),
    ('連', '连'),
    ('進', '进'),
    ('過', '过'),
    ('郵', '邮'),
    ('錄', '录'),
    ('録', '录'),
    ('錶', '表'),
    ('鏈', '链'),
    ('開', '开'),
    ('間', '间'),
    ('閤', '合'),
    ('關', '关'),
    ('陽', '阳'),
    ('際', '际'),
    ('隱', '隐'),
    ('隻', '只'),
    ('電', '电'),
    ('頁', '页'),
    ('項', '项'),
    ('頭', '头'),
    ('題', '题'),
    ('額', '额'),
    ('類', '类'),
    ('驗', '验'),
    ('體', '体'),
    ('髮', '发'),
    ('麪', '面'),
    ('麫', '面'),
    ('麵', '面'),
    ('齣', '出'),
];

/// A set of patterns found in a key in one pass: which occur anywhere, and which end the key.
///
/// Found by their first characters: one table lookup per character of the key tells whether a
/// pattern starts there, and only then are the few patterns starting with that character
/// compared. The patterns are label words of a few characters with distinct first characters
/// mostly, so this is two to four times quicker than an Aho-Corasick DFA on real keys (prose
/// tails included), and it finds the same matches (tested against `aho-corasick`).
pub struct Patterns {
    words: Vec<&'static str>,
    /// For each character of the Basic Multilingual Plane: 1 + the index into `starting` of the
    /// patterns that start with it, or 0.
    first: Box<[u8]>,
    /// Pattern indices by first character.
    starting: Vec<Vec<u8>>,
    /// The length of the shortest pattern, in bytes: a shorter key holds none.
    shortest: usize,
}

/// The patterns a key holds: bit `i` for pattern `i`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Found {
    anywhere: u128,
    at_end: u128,
}

impl Patterns {
    /// The patterns `words` (at most 128, none empty, each starting with a character of the
    /// Basic Multilingual Plane).
    pub fn new(words: Vec<&'static str>) -> Patterns {
        assert!(words.len() <= 128, "at most 128 patterns");
        let mut first = vec![0u8; 0x10000].into_boxed_slice();
        let mut starting: Vec<Vec<u8>> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let c = w.chars().next().expect("no empty pattern") as usize;
            assert!(
                c < 0x10000,
                "a pattern starts in the Basic Multilingual Plane"
            );
            if first[c] == 0 {
                starting.push(Vec::new());
                first[c] = u8::try_from(starting.len()).expect("at most 128 first characters");
            }
            starting[usize::from(first[c]) - 1].push(i as u8);
        }
        let shortest = words.iter().map(|w| w.len()).min().unwrap_or(0);
        Patterns {
            words,
            first,
            starting,
            shortest,
        }
    }

    /// The index of a pattern (building time only).
    pub fn index(&self, w: &str) -> usize {
        self.words
            .iter()
            .position(|x| *x == w)
            .unwrap_or_else(|| panic!("pattern {w:?} not in the set"))
    }

    /// Every pattern the key holds, in one pass.
    pub fn find(&self, key: &str) -> Found {
        let mut f = Found::default();
        if key.len() < self.shortest {
            return f;
        }
        let b = key.as_bytes();
        let mut next = 0;
        while next < b.len() {
            // The character at `i`, decoded by hand (a key is valid UTF-8): beyond the BMP no
            // pattern starts.
            let i = next;
            let x = b[i];
            let c = if x < 0x80 {
                next += 1;
                usize::from(x)
            } else if x < 0xE0 {
                next += 2;
                usize::from(x & 0x1F) << 6 | usize::from(b[i + 1] & 0x3F)
            } else if x < 0xF0 {
                next += 3;
                usize::from(x & 0x0F) << 12
                    | usize::from(b[i + 1] & 0x3F) << 6
                    | usize::from(b[i + 2] & 0x3F)
            } else {
                next += 4;
                continue;
            };
            let group = self.first[c];
            if group == 0 {
                continue;
            }
            for &p in &self.starting[usize::from(group) - 1] {
                let w = self.words[usize::from(p)].as_bytes();
                if b[i..].starts_with(w) {
                    let bit = 1u128 << p;
                    f.anywhere |= bit;
                    if i + w.len() == b.len() {
                        f.at_end |= bit;
                    }
                }
            }
        }
        f
    }
}

impl Found {
    /// Whether pattern `i` is there (at the end only, for a `long` key).
    pub fn has(&self, i: usize, long: bool) -> bool {
        self.bits(long) & (1u128 << i) != 0
    }

    /// The patterns there as bits (at the end only, for a `long` key).
    pub fn bits(&self, long: bool) -> u128 {
        if long {
            self.at_end
        } else {
            self.anywhere
        }
    }
}

/// One rule of a label table: the label names `then` when it holds any of `any` (and none of
/// `unless`). Rules are tried in order; the first that holds wins.
struct Rule<T: 'static> {
    any: &'static [&'static str],
    unless: &'static [&'static str],
    then: T,
}

/// A label table compiled: its rules with the indices of their patterns.
struct Table<T: 'static> {
    patterns: Patterns,
    /// Each rule as the bits of its `any` and `unless` patterns.
    rules: Vec<(u128, u128, &'static T)>,
}

impl<T> Table<T> {
    fn new(rules: &'static [Rule<T>]) -> Table<T> {
        let mut words: Vec<&'static str> = Vec::new();
        for r in rules {
            for w in r.any.iter().chain(r.unless) {
                if !words.contains(w) {
                    words.push(w);
                }
            }
        }
        let patterns = Patterns::new(words);
        let bits = |ws: &[&str]| ws.iter().fold(0u128, |b, w| b | 1 << patterns.index(w));
        let rules = rules
            .iter()
            .map(|r| (bits(r.any), bits(r.unless), &r.then))
            .collect();
        Table { patterns, rules }
    }

    /// The first rule that holds for `key` (patterns at the end only, for a `long` key).
    fn first(&self, key: &str, long: bool) -> Option<&'static T> {
        let found = self.patterns.find(key).bits(long);
        self.rules
            .iter()
            .find(|(any, unless, _)| found & any != 0 && found & unless == 0)
            .map(|r| r.2)
    }
}

/// What a section 三 rule names.
enum Sec3Then {
    Row(&'static str),
    Group,
}

const fn rule<T>(any: &'static [&'static str], then: T) -> Rule<T> {
    Rule {
        any,
        unless: &[],
        then,
    }
}

/// Every wording of the section 三 row labels, in the order they are tried.
static SEC3_RULES: &[Rule<Sec3Then>] = {
    use Sec3Then::*;
    &[
        rule(&["本年新收"], Row("new_applications")),
        rule(&["上年结转"], Row("carried_over_from_previous_year")),
        rule(&["结转下"], Row("carried_forward_to_next_year")),
        Rule {
            any: &["本年度办理结果"],
            unless: &["予以公开"],
            then: Group,
        },
        rule(&["部分公开"], Row("results.partially_granted")),
        rule(&["予以公开"], Row("results.granted")),
        rule(&["国家秘密"], Row("results.denied.state_secret")),
        rule(
            &["禁止公开", "其他法律"],
            Row("results.denied.prohibited_by_other_law"),
        ),
        rule(
            &["三安全一稳定", "危及"],
            Row("results.denied.endangers_security_stability"),
        ),
        rule(&["第三方"], Row("results.denied.third_party_rights")),
        rule(
            &["内部事务", "内容事务", "三类内"],
            Row("results.denied.internal_affairs"),
        ),
        rule(&["过程性"], Row("results.denied.process_information")),
        rule(&["执法案卷"], Row("results.denied.enforcement_case_file")),
        rule(
            &["行政查询"],
            Row("results.denied.administrative_query_matter"),
        ),
        rule(&["不予公开"], Group),
        rule(&["不掌握"], Row("results.unable_to_provide.not_held")),
        rule(
            &["另行制作", "现成信息"],
            Row("results.unable_to_provide.requires_creation"),
        ),
        rule(
            &["仍不明确", "补正后"],
            Row("results.unable_to_provide.unclear_after_correction"),
        ),
        rule(&["无法提供"], Group),
        rule(
            &["信访", "举报投诉"],
            Row("results.not_processed.petition_complaint"),
        ),
        rule(&["重复申请"], Row("results.not_processed.duplicate")),
        rule(
            &["出版物"],
            Row("results.not_processed.publication_request"),
        ),
        rule(
            &["大量反复", "大量反覆"],
            Row("results.not_processed.excessive_without_reason"),
        ),
        rule(
            &["重新出具", "确认或"],
            Row("results.not_processed.confirm_or_reissue"),
        ),
        rule(&["不予处理"], Group),
        rule(
            &["逾期不补正", "不补正"],
            Row("results.other_handling.correction_overdue"),
        ),
        rule(
            &["缴纳费用", "收费通知"],
            Row("results.other_handling.fee_unpaid"),
        ),
    ]
};

fn sec3_table() -> &'static Table<Sec3Then> {
    static T: std::sync::OnceLock<Table<Sec3Then>> = std::sync::OnceLock::new();
    T.get_or_init(|| Table::new(SEC3_RULES))
}

/// A row of the section 三 matrix, by its path under `applications`.
pub fn section3_row(key: &str, edition: Edition, after_other_handling: bool) -> Option<Sec3Label> {
    use Sec3Label::*;
    let k = key;
    let long = k.chars().count() > 60;
    let has = |p: &str| if long { k.ends_with(p) } else { holds(k, p) };
    if let Some(then) = sec3_table().first(k, long) {
        return Some(match then {
            Sec3Then::Row(p) => Row(p),
            Sec3Then::Group => Group,
        });
    }
    let other = has("其他处理");
    // Our own workbook's row for a mixed form's one-row （六）: `（六）其他处理（印为一行）`.
    if other && has("印为一行") {
        return Some(Row("results.other_handling.subtotal"));
    }
    if other {
        return match edition {
            Edition::E2019 => Some(Row("results.other_handling")),
            _ => Some(Group),
        };
    }
    if k.ends_with("3.其他") || (after_other_handling && k == "其他") {
        return Some(Row("results.other_handling.other"));
    }
    if k.ends_with("(七)总计") || k.ends_with("七)总计") || (after_other_handling && k == "总计")
    {
        return Some(Row("results.total"));
    }
    None
}

/// What a section 三 label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sec3Label {
    /// A data row: its path under `applications`.
    Row(&'static str),
    /// A group heading without values.
    Group,
}

/// Column ids of the section 三 matrix, in data order.
pub const SEC3_COLUMNS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_welfare_org",
    "legal_service_agency",
    "other_org",
    "total",
];

/// A row of section 二: its path under `proactive_disclosure` and its column ids.
pub fn section2_row(
    key: &str,
    edition: Edition,
) -> Option<(&'static str, &'static [&'static str])> {
    let long = key.chars().count() > 40;
    let has = |p: &str| {
        if long {
            key.ends_with(p)
        } else {
            holds(key, p)
        }
    };
    const I1_2021: &[&str] = &["issued_this_year", "repealed_this_year", "in_force_count"];
    const I1_2019: &[&str] = &[
        "newly_made_this_year",
        "newly_disclosed_this_year",
        "disclosed_total",
    ];
    const DEC_2021: &[&str] = &["decisions_this_year"];
    const DEC_2019: &[&str] = &["items_previous_year", "items_net_change", "decisions"];
    const FEE_2021: &[&str] = &["fee_amount_this_year_10k_cny"];
    const FEE_2019: &[&str] = &["items_previous_year", "items_net_change"];
    const PROC: &[&str] = &["projects_count", "total_amount"];
    let e21 = edition == Edition::E2021;
    // Header cells that contain row words but are not rows — unless a flattened copy glued the
    // first row's label to the header (`…本年处理决定数量行政许可`): then the label after the
    // header's last heading is the row.
    if !long && (holds(key, "信息内容") || key.starts_with("第二十条")) {
        const HEADINGS: [&str; 6] = ["信息内容", "件数", "数量", "增/减", "金额", "(单位:万元)"];
        let end = HEADINGS
            .iter()
            .filter_map(|h| {
                memchr::memmem::rfind(key.as_bytes(), h.as_bytes()).map(|i| i + h.len())
            })
            .max()
            .unwrap_or(0);
        let rest = &key[end..];
        if end == 0 || rest.is_empty() || rest.starts_with("第二十条") {
            return None;
        }
        return section2_row(rest, edition);
    }
    if has("规范性文件") {
        return Some((
            "art20_item1.normative_documents",
            if e21 { I1_2021 } else { I1_2019 },
        ));
    }
    if has("规章") {
        return Some(("art20_item1.rules", if e21 { I1_2021 } else { I1_2019 }));
    }
    if has("其他对外管理服务事项") && !e21 {
        return Some(("art20_item5.other_external_services", DEC_2019));
    }
    if has("行政许可") {
        return Some((
            "art20_item5.administrative_licensing",
            if e21 { DEC_2021 } else { DEC_2019 },
        ));
    }
    if has("行政处罚") {
        return Some((
            "art20_item6.administrative_penalty",
            if e21 { DEC_2021 } else { DEC_2019 },
        ));
    }
    if has("行政强制") {
        return Some((
            "art20_item6.administrative_compulsion",
            if e21 { DEC_2021 } else { DEC_2019 },
        ));
    }
    if has("行政事业性收费") || has("行政事业型收费") || has("事业性收费") {
        return Some((
            "art20_item8.administrative_fees",
            if e21 { FEE_2021 } else { FEE_2019 },
        ));
    }
    if has("政府集中采购") && !e21 {
        return Some(("art20_item9.centralized_procurement", PROC));
    }
    None
}

/// Header labels of section 四 (they never carry values).
pub fn is_section4_header(key: &str) -> bool {
    const H: [&str; 10] = [
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "复议后起诉",
        "行政法复议",
    ];
    H.contains(&key)
        || holds(key, "行政复议") && holds(key, "行政诉讼")
        || (key.chars().count() <= 30 && (holds(key, "复议") || holds(key, "诉讼")))
        || H.iter()
            .any(|h| key.ends_with(h) && key.starts_with("结果"))
}

/// Section 四 column paths, in data order.
pub const SEC4_COLUMNS: [&str; 15] = [
    "administrative_review.upheld",
    "administrative_review.corrected",
    "administrative_review.other_outcome",
    "administrative_review.pending",
    "administrative_review.total",
    "litigation_direct.upheld",
    "litigation_direct.corrected",
    "litigation_direct.other_outcome",
    "litigation_direct.pending",
    "litigation_direct.total",
    "litigation_after_review.upheld",
    "litigation_after_review.corrected",
    "litigation_after_review.other_outcome",
    "litigation_after_review.pending",
    "litigation_after_review.total",
];

/// Words of the 2021 form (template-spec §6.6).
const SIGNALS_2021: &[&str] = &[
    "本年制发件数",
    "本年废止件数",
    "现行有效件",
    "本年处理决定数量",
    "本年收费金额",
    "不补正",
    "缴纳费用",
];
/// Words of the 2019 form.
const SIGNALS_2019: &[&str] = &[
    "本年新制作",
    "上一年项目数量",
    "本年增/",
    "第二十条第(九)项",
    "政府集中采购",
    "其他对外管理服务事项",
    "对外公开总数量",
];
/// Words of the legacy (2008–2018) tables.
/// The first two are the words of its header (see [`edition_votes`]).
const SIGNALS_LEGACY: &[&str] = &[
    "指标名称",
    "计量单位",
    "受理申请数",
    "当面申请数",
    "全文电子化",
    "收取费用总数",
    "同意公开答复数",
    "主动公开信息数",
    "申请总数",
];

/// Signals of each edition in the tables' labels (template-spec §6.6).
pub fn edition_signals(key: &str) -> (u32, u32, u32) {
    let (s21, s19, legacy, _) = signals(key);
    (s21, s19, legacy)
}

/// [`edition_signals`] as votes for a report's edition: the header of a legacy table
/// (`指标名称`, `计量单位`, a lone `指标`) counts five more for the legacy tables.
pub fn edition_votes(key: &str) -> (u32, u32, u32) {
    let (s21, s19, legacy, header) = signals(key);
    let header = header || key == "指标";
    (s21, s19, legacy + if header { 5 } else { 0 })
}

/// The signals of each edition in a key, and whether it holds a legacy table's header word.
fn signals(key: &str) -> (u32, u32, u32, bool) {
    // Every signal holds a Chinese character: an ASCII key (a number) holds none.
    if key.is_ascii() {
        return (0, 0, 0, false);
    }
    static P: std::sync::OnceLock<Patterns> = std::sync::OnceLock::new();
    let p = P.get_or_init(|| Patterns::new([SIGNALS_2021, SIGNALS_2019, SIGNALS_LEGACY].concat()));
    // Each pattern counts once, wherever it is in the key.
    let bits = p.find(key).bits(false);
    let (a, b) = (SIGNALS_2021.len(), SIGNALS_2019.len());
    let range = |from: usize, n: usize| ((1u128 << n) - 1) << from;
    let count = |from: usize, n: usize| (bits & range(from, n)).count_ones();
    // The legacy list starts with the header words 指标名称 and 计量单位.
    let header = bits & range(a + b, 2) != 0;
    (
        count(0, a),
        count(a, b),
        count(a + b, SIGNALS_LEGACY.len()),
        header,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an Aho-Corasick automaton finds with overlapping matches: the reference for
    /// [`Patterns::find`].
    fn found_by_aho_corasick(words: &[&str], key: &str) -> (u128, u128) {
        let ac = aho_corasick::AhoCorasick::new(words).unwrap();
        let (mut anywhere, mut at_end) = (0u128, 0u128);
        for m in ac.find_overlapping_iter(key) {
            anywhere |= 1 << m.pattern().as_usize();
            if m.end() == key.len() {
                at_end |= 1 << m.pattern().as_usize();
            }
        }
        (anywhere, at_end)
    }

    /// Keys made of the pattern sets' own characters (so that they match often, overlap and
    /// end keys), with ASCII, CJK punctuation and a character beyond the BMP.
    fn key_from(words: &[&str], picks: &[(usize, usize)]) -> String {
        let mut s = String::new();
        for &(w, cut) in picks {
            match w % 7 {
                0 => s.push_str(["(", "3.", " ", "。", "𠀀", "其他", "处理"][cut % 7]),
                _ => {
                    let word: Vec<char> = words[w % words.len()].chars().collect();
                    // A whole pattern, or a piece of one.
                    let (a, b) = if cut % 3 == 0 {
                        (0, word.len())
                    } else {
                        (cut % word.len(), word.len())
                    };
                    s.extend(&word[a.min(b)..b]);
                }
            }
        }
        s
    }

    proptest::proptest! {
        #[test]
        fn patterns_find_what_aho_corasick_finds(picks in proptest::collection::vec((0usize..200, 0usize..50), 0..12)) {
            let sec3 = &sec3_table().patterns;
            let signals: Vec<&str> = [SIGNALS_2021, SIGNALS_2019, SIGNALS_LEGACY].concat();
            for words in [&sec3.words, &signals] {
                let key = key_from(words, &picks);
                let f = Patterns::new(words.clone()).find(&key);
                proptest::prop_assert_eq!((f.anywhere, f.at_end), found_by_aho_corasick(words, &key), "key {:?}", key);
            }
        }
    }

    #[test]
    fn section3_labels_and_variants() {
        let m = |s: &str| section3_row(&key(s), Edition::E2021, false);
        assert_eq!(
            m("一、本年新收政府信息公开申请数量"),
            Some(Sec3Label::Row("new_applications"))
        );
        assert_eq!(
            m("5.属于三类内容事务信息"),
            Some(Sec3Label::Row("results.denied.internal_affairs"))
        );
        assert_eq!(m("(三)不予公开"), Some(Sec3Label::Group));
        assert_eq!(m("(六)其他处理"), Some(Sec3Label::Group));
        assert_eq!(
            section3_row("(六)其他处理", Edition::E2019, false),
            Some(Sec3Label::Row("results.other_handling"))
        );
        assert_eq!(
            m("1.申请人无正常理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            Some(Sec3Label::Row("results.other_handling.correction_overdue"))
        );
        assert_eq!(
            m("四、结转下一年度继续办理"),
            Some(Sec3Label::Row("carried_forward_to_next_year"))
        );
        assert_eq!(m("总计"), None);
        assert_eq!(
            section3_row("总计", Edition::E2021, true),
            Some(Sec3Label::Row("results.total"))
        );
        assert_eq!(m("商业企业"), None);
    }

    /// The key as first written (one character at a time, always a new string): the
    /// definition the fast [`key_if_changed`] must agree with.
    fn key_by_definition(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_whitespace() || matches!(c, '"' | '\'' | '|' | '*' | '#') {
                continue;
            }
            if c == '(' {
                let rest: String = chars.clone().take(9).collect();
                if let Some(end) = rest.find(')') {
                    let inner = &rest[..end];
                    if !inner.is_empty()
                        && inner
                            .chars()
                            .all(|x| x.is_alphabetic() && (x as u32) < 0x2E80)
                    {
                        for _ in 0..=inner.chars().count() {
                            chars.next();
                        }
                        continue;
                    }
                }
            }
            out.push(simplified(c));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn key_agrees_with_its_definition(s in "[規章項总計 \t|*#\"'()xiàngaé1一()]{0,24}|\\PC{0,24}") {
            let fast = key_if_changed(&s);
            let expected = key_by_definition(&s);
            proptest::prop_assert_eq!(fast.as_deref().unwrap_or(&s), expected.as_str());
        }
    }

    /// Every character of the Basic Multilingual Plane, alone and between others: the bit table
    /// answers as the list of traditional characters does, and the fast key agrees with its
    /// definition.
    #[test]
    fn every_plane_character_keys_by_its_definition() {
        for u in 0..0x10000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let listed = TRADITIONAL
                .binary_search_by_key(&c, |&(t, _)| t)
                .map_or(c, |i| TRADITIONAL[i].1);
            assert_eq!(simplified(c), listed, "U+{u:04X}");
            for s in [c.to_string(), format!("规{c}章"), format!("a{c}")] {
                let fast = key_if_changed(&s);
                assert_eq!(
                    fast.as_deref().unwrap_or(&s),
                    key_by_definition(&s),
                    "U+{u:04X}"
                );
            }
        }
    }

    #[test]
    fn every_edition_signal_holds_a_chinese_character() {
        // `edition_signals` answers an ASCII key without searching.
        for w in [SIGNALS_2021, SIGNALS_2019, SIGNALS_LEGACY].concat() {
            assert!(!w.is_ascii(), "{w}");
        }
        assert_eq!(edition_signals("12345"), (0, 0, 0));
        assert_eq!(edition_signals("本年制发件数"), (1, 0, 0));
        // A legacy table's header counts five more, for the edition only.
        assert_eq!(edition_signals("指标名称"), (0, 0, 1));
        assert_eq!(edition_votes("指标名称"), (0, 0, 6));
        assert_eq!(edition_votes("指标"), (0, 0, 5));
        assert_eq!(edition_votes("计量单位:件受理申请数"), (0, 0, 7));
        assert_eq!(edition_votes("本年制发件数"), (1, 0, 0));
        assert_eq!(edition_votes("12345"), (0, 0, 0));
    }

    #[test]
    fn traditional_script_and_pinyin_match() {
        assert_eq!(key("規章"), "规章");
        assert_eq!(key("行政許可"), "行政许可");
        assert_eq!(
            key("本年新收政府信息公開申請數量"),
            "本年新收政府信息公开申请数量"
        );
        assert_eq!(key("總計"), "总计");
        assert_eq!(key("第二十條第(一)項(xiàng)"), "第二十条第(一)项");
        assert!(TRADITIONAL.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        assert_eq!(
            section2_row(&key("規章"), Edition::E2021).map(|r| r.0),
            Some("art20_item1.rules")
        );
    }

    #[test]
    fn section2_labels() {
        assert_eq!(
            section2_row("行政事业型收费", Edition::E2021).map(|r| r.0),
            Some("art20_item8.administrative_fees")
        );
        assert_eq!(
            section2_row("规范性文件", Edition::E2021).map(|r| r.0),
            Some("art20_item1.normative_documents")
        );
        assert_eq!(section2_row("信息内容", Edition::E2021), None);
        // A flattened copy glues the first row's label to the header.
        let glued = |s: &str, e| section2_row(&key(s), e).map(|r| r.0);
        assert_eq!(
            glued(
                "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可",
                Edition::E2019
            ),
            Some("art20_item5.administrative_licensing")
        );
        assert_eq!(
            glued(
                "第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费",
                Edition::E2019
            ),
            Some("art20_item8.administrative_fees")
        );
        assert_eq!(
            glued(
                "第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购",
                Edition::E2019
            ),
            Some("art20_item9.centralized_procurement")
        );
        assert_eq!(
            glued("第二十条第（五）项信息内容本年处理决定数量", Edition::E2021),
            None
        );
        assert_eq!(
            glued(
                "第二十条第（八）项信息内容本年收费金额（单位：万元）",
                Edition::E2021
            ),
            None
        );
    }
}
