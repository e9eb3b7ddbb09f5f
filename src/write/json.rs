//! JSON and NDJSON: the canonical form of a report.

use xxgk_schema::Report;

/// One report as pretty JSON, or several as a JSON array.
pub fn to_json(reports: &[Report]) -> Vec<u8> {
    let mut v = if reports.len() == 1 {
        serde_json::to_vec_pretty(&reports[0])
    } else {
        serde_json::to_vec_pretty(reports)
    }
    .expect("reports serialize");
    v.push(b'\n');
    v
}

/// One report per line.
pub fn to_ndjson(reports: &[Report]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in reports {
        serde_json::to_writer(&mut out, r).expect("reports serialize");
        out.push(b'\n');
    }
    out
}
