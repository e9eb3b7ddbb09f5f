//! Shared by the bench binaries: deterministic generated reports and a plain-text rendering of
//! them (the official layout as tab-separated rows, as a table copied off a web page).

#![allow(dead_code)]

use xxgk::layout::{self, Content};
use xxgk_schema::{Cell, Edition, Kind, Report, Visit};

/// A small deterministic generator (xorshift), so every run measures the same reports.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` reports, half 2021 and half 2019, with counts, some blanks and marks, and row totals
/// that add up.
pub fn generate(n: usize) -> Vec<Report> {
    let mut rng = Rng::new(42);
    (0..n)
        .map(|i| {
            let edition = if i % 2 == 0 {
                Edition::E2021
            } else {
                Edition::E2019
            };
            let mut r = Report::blank_template(edition);
            r.visit_mut(&mut Vec::new(), &mut |_, c, k| {
                *c = match (rng.below(20), k) {
                    (0, _) => Cell::Blank,
                    (1, _) => Cell::Mark(xxgk_schema::Mark::Slash),
                    (_, Kind::Signed) => Cell::int(rng.below(200) as i64 - 100),
                    (_, Kind::Amount) => {
                        Cell::Number(xxgk_schema::Decimal::new(rng.below(10_000_000) as i64, 2))
                    }
                    (_, Kind::Count) => Cell::int(rng.below(500) as i64),
                };
            });
            let info = r.info_mut();
            info.agency = Some(format!("某某县第{}局", i + 1));
            info.report_year = Some(if edition == Edition::E2021 {
                2022
            } else {
                2020
            });
            info.title = Some(format!(
                "某某县第{}局{}年政府信息公开工作年度报告",
                i + 1,
                info.report_year.unwrap()
            ));
            r
        })
        .collect()
}

/// The report as pasted text: title, then each table of the form as tab-separated rows.
pub fn render_text(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(
        r.info()
            .title
            .as_deref()
            .unwrap_or("政府信息公开工作年度报告"),
    );
    out.push_str("\n一、总体情况\n本年度依法做好政府信息公开工作。\n");
    for g in layout::grids(r) {
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); g.height() as usize];
        let mut cells: Vec<&layout::Placed> = g.cells.iter().collect();
        cells.sort_by_key(|p| (p.row, p.col));
        for p in cells {
            let text = match &p.content {
                Content::Title(t) | Content::Header(t) | Content::Label(t) => t.clone(),
                Content::Value { cell, .. } => cell.display().into_owned(),
            };
            rows[p.row as usize].push(text);
        }
        for row in rows {
            out.push_str(&row.join("\t"));
            out.push('\n');
        }
    }
    out.push_str("五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n");
    out
}

/// Peak resident memory of a child process, polled from /proc until it exits (Linux).
pub fn run_measured(cmd: &mut std::process::Command) -> (std::time::Duration, u64, bool) {
    let t = std::time::Instant::now();
    let mut child = cmd.spawn().expect("spawn");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(l) = s.lines().find(|l| l.starts_with("VmHWM:")) {
                let kb: u64 = l
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(st) = child.try_wait().expect("wait") {
            return (t.elapsed(), peak_kb, st.success());
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
