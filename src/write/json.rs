//! JSON and NDJSON: the canonical form of a report.

use std::io::Write;

use xxgk_schema::Report;

/// One report as pretty JSON, or several as a JSON array.
pub fn to_json(reports: &[Report]) -> Vec<u8> {
    let mut v = Vec::new();
    write_json(reports, &mut v).expect("writing to memory cannot fail");
    v
}

/// Stream one report as pretty JSON, or several as a JSON array.
pub fn write_json(reports: &[Report], out: &mut dyn Write) -> std::io::Result<()> {
    if reports.len() == 1 {
        serde_json::to_writer_pretty(&mut *out, &reports[0])?;
    } else {
        serde_json::to_writer_pretty(&mut *out, reports)?;
    }
    out.write_all(b"\n")
}

/// One report per line.
pub fn to_ndjson(reports: &[Report]) -> Vec<u8> {
    let mut v = Vec::new();
    write_ndjson(reports, &mut v).expect("writing to memory cannot fail");
    v
}

/// Stream one report per line.
pub fn write_ndjson(reports: &[Report], out: &mut dyn Write) -> std::io::Result<()> {
    let mut line = Vec::new();
    for r in reports {
        ndjson_line(r, &mut line)?;
        out.write_all(&line)?;
    }
    Ok(())
}

/// A report as one NDJSON line (the newline included), in `line` (cleared first).
pub fn ndjson_line(report: &Report, line: &mut Vec<u8>) -> std::io::Result<()> {
    line.clear();
    super::compact_json::to_vec(line, report)?;
    line.push(b'\n');
    Ok(())
}
