//! Datasets as a data journalist uses them: loaded with no options by pandas and DuckDB, a
//! data package that `frictionless validate` passes, Parquet read by pyarrow and DuckDB with the
//! CSV's numbers, ids that do not depend on the order of the inputs, one panel across
//! editions, and the rule across years that names both reports.
//!
//! The Python half needs pandas, duckdb, pyarrow and frictionless: CI installs them
//! (`XXGK_REQUIRE_PYDATA=1` makes a missing one a failure); elsewhere it is skipped with a note.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn xxgk(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Seeds and the real text and web-page reports, copied under `dir/in/seeds` and `dir/in/real`.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (sub, src, exts) in [
        ("seeds", "fixtures/seeds", &["txt"][..]),
        ("real", "fixtures/corpus", &["txt", "html"][..]),
    ] {
        let d = dir.join("in").join(sub);
        std::fs::create_dir_all(&d).unwrap();
        let mut names: Vec<PathBuf> = std::fs::read_dir(root().join(src))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| exts.contains(&e))
            })
            .collect();
        names.sort();
        for p in names {
            let to = d.join(p.file_name().unwrap());
            std::fs::copy(&p, &to).unwrap();
            out.push(to);
        }
    }
    out
}

fn csv_table(p: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rd = csv::Reader::from_path(p).unwrap();
    let header: Vec<String> = rd
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn ids_and_columns_do_not_depend_on_the_order_of_the_inputs() {
    let d = tempfile::tempdir().unwrap();
    let files = inputs(d.path());
    let rel: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(d.path())
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut forward = vec!["convert"];
    forward.extend(rel.iter().map(String::as_str));
    forward.extend(["-o", "a.csv", "-q"]);
    assert_eq!(xxgk(d.path(), &forward).0, 0);
    let mut backward = vec!["convert"];
    backward.extend(rel.iter().rev().map(String::as_str));
    backward.extend(["-o", "b.csv", "-q", "--no-datapackage"]);
    assert_eq!(xxgk(d.path(), &backward).0, 0);
    let (ha, mut ra) = csv_table(&d.path().join("a.csv"));
    let (hb, mut rb) = csv_table(&d.path().join("b.csv"));
    assert_eq!(ha, hb, "the same columns in the same order");
    assert_eq!(ra.len(), files.len());
    ra.sort();
    rb.sort();
    assert_eq!(ra, rb, "the same rows, ids included");
    // source.file is the path under the folder holding all inputs; two copies of one file in
    // different folders get different ids and are said to be identical.
    let file_col = ha.iter().position(|h| h == "source.file").unwrap();
    assert!(
        ra.iter().any(|r| r[file_col] == "seeds/000.txt"),
        "{:?}",
        ra[0]
    );
    std::fs::create_dir(d.path().join("in/copy")).unwrap();
    std::fs::copy(
        d.path().join("in/seeds/000.txt"),
        d.path().join("in/copy/000.txt"),
    )
    .unwrap();
    let (code, _, err) = xxgk(
        d.path(),
        &[
            "convert",
            "in/seeds/000.txt",
            "in/copy/000.txt",
            "-o",
            "c.csv",
            "--no-datapackage",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("identical"), "{err}");
    let (_, rc) = csv_table(&d.path().join("c.csv"));
    assert_ne!(rc[0][0], rc[1][0]);
    assert!(rc[0][0].starts_with("000-") && rc[1][0].starts_with("000-"));
}

#[test]
fn a_panel_of_2019_2020_and_2021_edition_reports_has_one_column_per_section_three_cell() {
    let d = tempfile::tempdir().unwrap();
    inputs(d.path());
    assert_eq!(
        xxgk(d.path(), &["convert", "in", "-o", "ds.csv", "-q"]).0,
        0
    );
    let (h, rows) = csv_table(&d.path().join("ds.csv"));
    let col = |id: &str| {
        let n = h.iter().filter(|x| *x == id).count();
        assert_eq!(n, 1, "{id} appears once");
        h.iter().position(|x| x == id).unwrap()
    };
    let (edition, year, derived) = (col("edition"), col("report_year"), col("derived"));
    let other = col("applications.results.other_handling.total");
    let parts = [
        col("applications.results.other_handling.correction_overdue.total"),
        col("applications.results.other_handling.fee_unpaid.total"),
        col("applications.results.other_handling.other.total"),
    ];
    let mut years = std::collections::BTreeSet::new();
    for r in &rows {
        match r[edition].as_str() {
            "2019" => {
                years.insert(r[year].clone());
                assert!(!r[derived].contains("applications.results.other_handling.total"));
                assert!(parts.iter().all(|&p| r[p].is_empty()));
            }
            "2021" => {
                years.insert(r[year].clone());
                // Derived, and said so, never passed off as printed.
                assert!(
                    r[derived]
                        .split(' ')
                        .any(|f| f == "applications.results.other_handling.total"),
                    "{}",
                    r[derived]
                );
                if parts.iter().all(|&p| !r[p].is_empty()) {
                    let sum: i64 = parts.iter().map(|&p| r[p].parse::<i64>().unwrap()).sum();
                    assert_eq!(r[other], sum.to_string());
                }
            }
            _ => {}
        }
    }
    for y in ["2019", "2020", "2021"] {
        assert!(years.contains(y), "{years:?}");
    }
    // Every cell column holds numbers only: marks are listed in `marks`.
    let first_cell = col("proactive_disclosure.art20_item1.rules.issued_this_year");
    let narrative = h.iter().position(|x| x.starts_with("narrative.")).unwrap();
    for r in &rows {
        for (i, v) in r.iter().enumerate().take(narrative).skip(first_cell) {
            let legacy_value = h[i]
                .rsplit('.')
                .next()
                .is_some_and(|a| a.starts_with('c') && a[1..].parse::<u32>().is_ok());
            if h[i].starts_with("statistics.") && !legacy_value {
                continue;
            }
            if h[i].ends_with("_unit") {
                continue;
            }
            assert!(
                v.is_empty() || v.parse::<f64>().is_ok(),
                "{}: {v:?} in a numeric column",
                h[i]
            );
        }
    }
}

#[test]
fn the_rule_across_years_finds_a_planted_mismatch_and_names_both_reports() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    for (y, f) in [
        ("2022", "006_pingtan_2022.txt"),
        ("2023", "007_pingtan_2023.txt"),
    ] {
        std::fs::copy(root().join("fixtures/corpus").join(f), p.join(f)).unwrap();
        let (code, _, err) = xxgk(p, &["convert", f, "-o", &format!("{y}.json"), "-q"]);
        assert_eq!(code, 0, "{err}");
    }
    // The real pair agrees: nothing across years but the check itself.
    let (_, out, _) = xxgk(p, &["check", "2022.json", "2023.json", "--json"]);
    assert!(!out.contains("cross_year.carry_over"), "{out}");
    // Plant a mismatch in 2023's 上年结转 (自然人).
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.join("2023.json")).unwrap()).unwrap();
    let cell = &mut v["applications"]["carried_over_from_previous_year"]["natural_person"];
    let was = cell.as_i64().unwrap();
    *cell = serde_json::json!(was + 7);
    std::fs::write(p.join("2023.json"), serde_json::to_vec(&v).unwrap()).unwrap();
    let (code, out, _) = xxgk(p, &["check", "2022.json", "2023.json", "--json"]);
    assert_eq!(code, 1);
    let found: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|l| l["across"]["rule"] == "cross_year.carry_over")
        .map(|l| l["across"].clone())
        .collect();
    assert_eq!(found.len(), 1, "{out}");
    let f = &found[0];
    assert_eq!(
        f["field"],
        "applications.carried_over_from_previous_year.natural_person"
    );
    assert_eq!(f["printed"], (was + 7).to_string());
    assert_eq!(f["expected"], was.to_string());
    let files: Vec<&str> = f["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(files, ["007_pingtan_2023.txt", "006_pingtan_2022.txt"]);
    // The same from the dataset of both, whose per-report findings name the CSV cell.
    assert_eq!(
        xxgk(
            p,
            &["convert", "2022.json", "2023.json", "-o", "two.csv", "-q"]
        )
        .0,
        0
    );
    let (_, text, _) = xxgk(p, &["check", "two.csv"]);
    assert!(
        text.contains("cross_year.carry_over") && text.contains("007_pingtan_2023"),
        "{text}"
    );
    let (_, json, _) = xxgk(p, &["check", "two.csv", "--json"]);
    let s3: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|l| l["finding"]["rule"] == "s3.balance")
        .collect();
    assert!(
        !s3.is_empty(),
        "the planted cell breaks 2023's balance: {json}"
    );
    assert!(s3[0]["report_id"]
        .as_str()
        .unwrap()
        .starts_with("007_pingtan_2023-"));
    let cell = s3[0]["finding"]["origin"]["cell"].as_str().unwrap();
    assert!(cell.ends_with('3'), "the third line of two.csv: {cell}");
    // So does the dataset workbook (row 1 ids, row 2 labels, then one report per row).
    assert_eq!(
        xxgk(
            p,
            &["convert", "2022.json", "2023.json", "-o", "two.xlsx", "-q"]
        )
        .0,
        0
    );
    let (_, json, _) = xxgk(p, &["check", "two.xlsx", "--json"]);
    let f = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|l| l["finding"]["rule"] == "s3.balance")
        .expect("findings");
    assert_eq!(f["finding"]["origin"]["sheet"], "reports", "{f}");
    assert!(
        f["finding"]["origin"]["cell"]
            .as_str()
            .unwrap()
            .ends_with('4'),
        "{f}"
    );
    // A dataset large enough to be read as a stream names its cells too.
    let many: Vec<String> = (0..300)
        .map(|i| {
            let f = format!("copy{i:03}.json");
            std::fs::copy(p.join("2023.json"), p.join(&f)).unwrap();
            f
        })
        .collect();
    let mut args = vec!["convert"];
    args.extend(many.iter().map(String::as_str));
    args.extend(["-o", "many.csv", "-q", "--no-datapackage"]);
    assert_eq!(xxgk(p, &args).0, 0);
    assert!(std::fs::metadata(p.join("many.csv")).unwrap().len() > 1024 * 1024);
    let (_, json, _) = xxgk(p, &["check", "many.csv", "--json"]);
    let last = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .rfind(|l| l["finding"]["rule"] == "s3.balance")
        .expect("findings");
    let cell = last["finding"]["origin"]["cell"].as_str().unwrap();
    assert!(
        cell.ends_with("301"),
        "the last report is on row 301: {cell}"
    );
    // The long table (small, and streamed) names the row of the cell's value.
    for (out, files) in [("tidy2.csv", &many[..1]), ("tidy300.csv", &many[..])] {
        let mut args = vec!["convert"];
        args.extend(files.iter().map(String::as_str));
        args.extend(["-o", out, "--shape", "long", "-q", "--no-datapackage"]);
        assert_eq!(xxgk(p, &args).0, 0);
        let (_, json, _) = xxgk(p, &["check", out, "--json"]);
        let f = json
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .rfind(|l| l["finding"]["rule"] == "s3.balance")
            .expect("findings");
        let cell = f["finding"]["origin"]["cell"].as_str().unwrap().to_string();
        let row: usize = cell[1..].parse().unwrap();
        assert!(cell.starts_with('K') && row > 1, "{out}: {cell}");
        // That row is the cell the finding is about.
        let (_, rows) = csv_table(&p.join(out));
        let r = &rows[row - 2];
        let field = f["finding"]["field"].as_str().unwrap();
        assert_eq!(format!("{}.{}.{}", r[4], r[5], r[6]), field, "{out}");
    }
}

#[test]
fn header_forms_codebook_and_parquet_round_trip() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    inputs(p);
    let run = |args: &[&str]| {
        let (code, _, err) = xxgk(p, args);
        assert_eq!(code, 0, "{args:?}: {err}");
    };
    run(&["convert", "in", "-o", "ids.csv", "-q"]);
    run(&[
        "convert",
        "in",
        "-o",
        "two.csv",
        "--labels",
        "second-row",
        "-q",
        "--no-datapackage",
    ]);
    run(&[
        "convert",
        "in",
        "-o",
        "zh.csv",
        "--labels",
        "zh",
        "-q",
        "--no-datapackage",
    ]);
    run(&["convert", "in", "-o", "ds.parquet", "-q"]);
    run(&[
        "convert",
        "in",
        "-o",
        "tidy.parquet",
        "--shape",
        "long",
        "-q",
    ]);
    run(&["convert", "in", "-o", "tidy.csv", "--shape", "long", "-q"]);
    let zh = std::fs::read_to_string(p.join("zh.csv")).unwrap();
    assert!(zh
        .trim_start_matches('\u{feff}')
        .starts_with("报告标识,表格版本,机关名称"));
    let two = std::fs::read_to_string(p.join("two.csv")).unwrap();
    assert!(two.lines().nth(1).unwrap().starts_with("#,"));
    // Every form reads back to the same reports.
    for f in [
        "ids.csv",
        "two.csv",
        "ds.parquet",
        "tidy.parquet",
        "tidy.csv",
    ] {
        run(&["convert", f, "-o", &format!("{f}.ndjson"), "-q"]);
    }
    let first = std::fs::read(p.join("ids.csv.ndjson")).unwrap();
    for f in ["two.csv", "ds.parquet", "tidy.parquet", "tidy.csv"] {
        let got = std::fs::read(p.join(format!("{f}.ndjson"))).unwrap();
        assert!(got == first, "{f} reads back differently from ids.csv");
    }
    // The codebook says which fields exist in which edition.
    let (_, md, _) = xxgk(p, &["codebook"]);
    assert!(md.contains("| `applications.results.other_handling.total` |"));
    assert!(md.contains("2021, 2019"));
    let (_, csvbook, _) = xxgk(p, &["codebook", "--format", "csv"]);
    assert!(csvbook.starts_with("field,title_zh,title_en,type,unit,minimum,editions"));
    // One data package describes all three CSVs written with one.
    let pkg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.join("datapackage.json")).unwrap()).unwrap();
    let paths: Vec<&str> = pkg["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    for want in ["ids.csv", "tidy.csv", "tidy.reports.csv"] {
        assert!(paths.contains(&want), "{paths:?}");
    }
    python_loads(p);
    r_loads(p);
}

/// R's `read.csv` with no options: the cell columns numeric, `derived` logical.
fn r_loads(dir: &Path) {
    let required = std::env::var("XXGK_REQUIRE_PYDATA").as_deref() == Ok("1");
    if Command::new("Rscript").arg("--version").output().is_err() {
        assert!(!required, "R (Rscript) is not installed");
        eprintln!("Rscript not installed; the R half is skipped");
        return;
    }
    let script = r#"
d <- read.csv("ids.csv")
t <- read.csv("tidy.csv")
stopifnot(names(d)[1] == "report_id")
stopifnot(is.numeric(d[["applications.new_applications.total"]]), is.numeric(d$report_year))
stopifnot(is.numeric(t$value), is.logical(t$derived))
cat(sum(d[["applications.new_applications.total"]], na.rm = TRUE))
"#;
    let o = Command::new("Rscript")
        .args(["-e", script])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sum: f64 = String::from_utf8_lossy(&o.stdout).trim().parse().unwrap();
    assert!(sum > 0.0);
}

const PYDATA: &str = r#"
import json, sys
import pandas as pd, duckdb, pyarrow.parquet as pq
from frictionless import validate

out = {}
w = pd.read_csv("ids.csv")
cells = [c for c in w.columns if c.split(".")[0] in ("proactive_disclosure", "applications", "review_litigation") and not c.endswith("_unit")]
out["wide_numeric"] = all(pd.api.types.is_numeric_dtype(w[c]) for c in cells)
out["wide_year_numeric"] = bool(pd.api.types.is_numeric_dtype(w["report_year"]))
l = pd.read_csv("tidy.csv")
out["long_value_numeric"] = bool(pd.api.types.is_numeric_dtype(l["value"]))
out["long_derived_bool"] = bool(pd.api.types.is_bool_dtype(l["derived"]))
col = "applications.new_applications.total"
out["pandas_sum"] = float(w[col].sum())
t = duckdb.sql("describe select * from read_csv_auto('ids.csv')").fetchall()
types = {r[0]: r[1] for r in t}
out["duckdb_types"] = sorted({types[c] for c in cells})
out["duckdb_csv_sum"] = float(duckdb.sql(f"select sum(\"{col}\") from read_csv_auto('ids.csv')").fetchall()[0][0])
out["duckdb_parquet_sum"] = float(duckdb.sql(f"select sum(\"{col}\") from 'ds.parquet'").fetchall()[0][0])
fee = "proactive_disclosure.art20_item8.administrative_fees.fee_amount_this_year_10k_cny"
pt = pq.read_table("ds.parquet")
out["parquet_count_type"] = str(pt.schema.field(col).type)
out["parquet_fee_type"] = str(pt.schema.field(fee).type)
pw = pt.to_pandas()
out["parquet_equals_csv"] = all(
    ((pw[c].isna() & w[c].isna()) | (pw[c].astype("float64") == w[c].astype("float64"))).all()
    for c in cells
)
lt = pq.read_table("tidy.parquet")
out["long_parquet_rows"] = lt.num_rows
out["long_csv_rows"] = len(l)
out["long_parquet_value"] = str(lt.schema.field("value").type)
out["long_parquet_mark"] = str(lt.schema.field("mark").type)
r = validate("datapackage.json")
out["frictionless_valid"] = r.valid
if not r.valid:
    out["frictionless_errors"] = [e["message"] for e in r.flatten(["message"])][:5]
print(json.dumps(out))
"#;

fn python_loads(dir: &Path) {
    let required = std::env::var("XXGK_REQUIRE_PYDATA").as_deref() == Ok("1");
    let have = Command::new("python3")
        .args(["-c", "import pandas, duckdb, pyarrow, frictionless"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            !required,
            "pandas, duckdb, pyarrow or frictionless is not installed"
        );
        eprintln!("pandas/duckdb/pyarrow/frictionless not installed; the Python half is skipped");
        return;
    }
    let o = Command::new("python3")
        .args(["-c", PYDATA])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["wide_numeric"], true, "{v}");
    assert_eq!(v["wide_year_numeric"], true, "{v}");
    assert_eq!(v["long_value_numeric"], true, "{v}");
    assert_eq!(v["long_derived_bool"], true, "{v}");
    let types: Vec<&str> = v["duckdb_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        types.iter().all(|t| matches!(*t, "BIGINT" | "DOUBLE")),
        "DuckDB types the cell columns as numbers: {types:?}"
    );
    assert_eq!(v["pandas_sum"], v["duckdb_csv_sum"], "{v}");
    assert_eq!(v["duckdb_csv_sum"], v["duckdb_parquet_sum"], "{v}");
    assert_eq!(v["parquet_count_type"], "int64");
    assert_eq!(v["parquet_fee_type"], "decimal128(38, 6)");
    assert_eq!(v["parquet_equals_csv"], true, "{v}");
    assert_eq!(v["long_parquet_rows"], v["long_csv_rows"], "{v}");
    assert_eq!(v["long_parquet_value"], "decimal128(38, 6)");
    assert!(v["long_parquet_mark"]
        .as_str()
        .unwrap()
        .starts_with("dictionary"));
    assert_eq!(v["frictionless_valid"], true, "{v}");
}

#[test]
fn legacy_reports_are_columns_by_indicator_and_the_rest_rows_of_the_long_table() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    inputs(p);
    let (code, _, err) = xxgk(
        p,
        &["convert", "in/real", "-o", "wide.csv", "--no-datapackage"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("legacy indicator(s) have no canonical id"),
        "the indicators left out of the wide table are said: {err}"
    );
    let (h, rows) = csv_table(&p.join("wide.csv"));
    let stats: Vec<&String> = h.iter().filter(|c| c.starts_with("statistics.")).collect();
    assert!(
        stats.iter().all(|c| {
            let attr = c.rsplit('.').next().unwrap();
            *c == "statistics.layout"
                || matches!(attr, "this_year" | "cumulative" | "previous_year")
                || (attr.starts_with('c') && attr[1..].parse::<u32>().is_ok())
        }),
        "{stats:?}"
    );
    assert!(!stats.iter().any(|c| c.contains(".row_")), "{stats:?}");
    // 平潭's 2011–2018 series of one indicator is one column.
    let col = h
        .iter()
        .position(|c| c == "statistics.applications_total.this_year")
        .unwrap();
    let (year, key, edition) = (
        h.iter().position(|c| c == "report_year").unwrap(),
        h.iter().position(|c| c == "agency_key").unwrap(),
        h.iter().position(|c| c == "edition").unwrap(),
    );
    let series: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter(|r| r[edition] == "legacy" && r[key] == "平潭综合实验区" && !r[col].is_empty())
        .map(|r| r[year].as_str())
        .collect();
    assert!(series.len() >= 5, "{series:?}");
    // The unrecognized ones are rows of the long table, and everything reads back.
    let (code, _, err) = xxgk(
        p,
        &[
            "convert",
            "in/real",
            "-o",
            "tidy.csv",
            "--shape",
            "long",
            "-q",
            "--no-datapackage",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, long) = csv_table(&p.join("tidy.csv"));
    assert!(long
        .iter()
        .any(|r| r[4] == "statistics" && r[5].starts_with("row_")));
    for f in ["wide.csv", "tidy.csv"] {
        assert_eq!(
            xxgk(p, &["convert", f, "-o", &format!("{f}.ndjson"), "-q"]).0,
            0
        );
    }
    assert_eq!(
        std::fs::read(p.join("wide.csv.ndjson")).unwrap(),
        std::fs::read(p.join("tidy.csv.ndjson")).unwrap()
    );
}
