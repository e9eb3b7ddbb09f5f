//! No silent gaps: a cell that was printed but not read, a row that was not found, a section that is
//! missing — each makes `xxgk check` report it (exit status 1), while a row whose label is missing
//! is read only when its position between two known rows proves which row it is.

use std::path::Path;
use std::process::Command;

use xxgk::read::read_bytes;
use xxgk::Severity;
use xxgk_schema::Cell;

fn seed000() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/000.txt");
    std::fs::read_to_string(p).unwrap()
}

/// `xxgk check` on a text: (exit status, everything it printed).
fn check(text: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("report.txt");
    std::fs::write(&p, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .arg("check")
        .arg(&p)
        .output()
        .unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap(), printed)
}

fn read(text: &str) -> xxgk::recognize::Recognized {
    read_bytes(
        Path::new("r.txt"),
        text.as_bytes(),
        None,
        &Default::default(),
    )
    .unwrap()
    .reports
    .remove(0)
}

#[test]
fn the_seed_itself_is_clean() {
    assert_eq!(check(&seed000()).0, 0);
}

#[test]
fn a_blank_rules_label_is_proven_by_position() {
    // One cell per line: the label 规章 left blank, its three values still there.
    let text = seed000().replacen("\n规章\n", "\n\n", 1);
    let rec = read(&text);
    let p = "proactive_disclosure.art20_item1.rules";
    for (c, want) in ["issued_this_year", "repealed_this_year", "in_force_count"]
        .iter()
        .zip([0, 0, 0])
    {
        assert_eq!(rec.report.cell(&format!("{p}.{c}")), Some(&Cell::int(want)));
    }
    let d = rec
        .diagnostics
        .iter()
        .find(|d| d.code == "recognize.row_placed_by_position")
        .expect("said");
    assert_eq!(d.path.as_deref(), Some(p));
    assert_eq!(d.severity, Severity::Info);
}

#[test]
fn a_missing_row_is_reported() {
    // The 规章 row gone entirely: nothing proves its values, and check says so.
    let text = seed000().replacen("\n规章\n\n0\n\n0\n\n0\n", "\n", 1);
    let rec = read(&text);
    assert!(rec
        .report
        .cell("proactive_disclosure.art20_item1.rules.issued_this_year")
        .unwrap()
        .is_blank());
    let (code, out) = check(&text);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("recognize.rows_not_found"), "{out}");
    // Named as the form prints it, in both languages, never by its id.
    assert!(out.contains("「第二十条第（一）项·规章」"), "{out}");
    assert!(
        out.contains("“Art. 20(1): rules and normative documents › Rules (规章)”"),
        "{out}"
    );
    assert!(!out.contains("art20_item1.rules"), "{out}");
}

#[test]
fn values_no_row_can_own_are_reported() {
    // One cell per line: extra values after a complete row follow its label, so the row is
    // reported as uncertain.
    let text = seed000().replacen(
        "\n行政规范性文件\n",
        "\n\n7\n\n8\n\n9\n\n行政规范性文件\n",
        1,
    );
    let (code, out) = check(&text);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("recognize.row_cells_uncertain"), "{out}");
    assert!(out.contains("0 0 0 7 8 9"), "{out}");
    // In a grid, a row of values without a label between two complete rows has no open row to
    // go to: reported as values without a row.
    let grid = "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n\
                规章\t0\t0\t0\n\t7\t8\t9\n行政规范性文件\t2\t0\t43\n";
    let (code, out) = check(grid);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("recognize.values_without_row"), "{out}");
    assert!(out.contains("7 8 9"), "{out}");
}

#[test]
fn a_missing_section_is_reported() {
    let text = seed000();
    let cut = text.find("四、政府信息公开行政复议、行政诉讼情况").unwrap();
    let end = text.find("五、").unwrap();
    let text = format!("{}{}", &text[..cut], &text[end..]);
    let (code, out) = check(&text);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("recognize.section_missing"), "{out}");
}

#[test]
fn a_page_number_inside_a_row_is_not_a_value() {
    // `— 5 —` on its own line between a label and its values, and a list number left on the
    // line before its label.
    let text = seed000()
        .replacen("\n规章\n", "\n规章\n\n— 5 —\n", 1)
        .replacen(
            "2.没有现成信息需要另行制作",
            "2.\n没有现成信息需要另行制作",
            1,
        );
    let (code, out) = check(&text);
    assert_eq!(code, 0, "{out}");
    let rec = read(&text);
    assert_eq!(
        rec.report
            .cell("applications.results.unable_to_provide.requires_creation.total"),
        read(&seed000())
            .report
            .cell("applications.results.unable_to_provide.requires_creation.total")
    );
}
