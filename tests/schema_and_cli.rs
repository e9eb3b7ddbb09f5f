//! The published schema validates every converted report (checked with an independent
//! validator), JSON round-trips, every real corpus document converts or fails clearly, and the
//! CLI's exit codes and overwrite rules hold.

use std::path::{Path, PathBuf};
use std::process::Command;

use xxgk::read::read_path;
use xxgk_schema::Report;

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "txt" || e == "html" || e == "md")
        })
        .collect();
    v.sort();
    v
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(xxgk_schema::SCHEMA_FILE).unwrap();
    jsonschema::draft202012::new(&schema).expect("the committed schema is a valid 2020-12 schema")
}

#[test]
fn schema_validates_every_seed_and_corpus_report() {
    let v = validator();
    let mut n = 0;
    for p in fixtures("seeds").into_iter().chain(fixtures("corpus")) {
        let loaded = read_path(&p, None, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
        for r in loaded.reports {
            let json = serde_json::to_value(&r.report).unwrap();
            let errors: Vec<String> = v
                .iter_errors(&json)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", p.display());
            // JSON → report → JSON is lossless.
            let back: Report = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(back, r.report, "{}", p.display());
            n += 1;
        }
    }
    // Five seeds and the 31 corpus documents that are text, web pages or markdown.
    assert_eq!(n, 5 + 31);
}

#[test]
fn schema_rejects_what_it_should() {
    let v = validator();
    let bad = [
        r#"{"edition": "2022"}"#,
        r#"{"edition": "2021", "review_litigation": {"administrative_review": {"upheld": 1.5}}}"#,
        r#"{"edition": "2021", "review_litigation": {"administrative_review": {"upheld": "x"}}}"#,
        r#"{"edition": "2021", "review_litigation": {"administrative_review": {"uphold": 1}}}"#,
    ];
    for b in bad {
        let j: serde_json::Value = serde_json::from_str(b).unwrap();
        assert!(!v.is_valid(&j), "should be invalid: {b}");
    }
    let good = r#"{"edition": "2019", "proactive_disclosure": {"art20_item5": {"administrative_licensing": {"items_net_change": -58}}, "art20_item9": {"centralized_procurement": {"total_amount": 179092.2001, "total_amount_unit": "10k_yuan"}}}}"#;
    let j: serde_json::Value = serde_json::from_str(good).unwrap();
    assert!(v.is_valid(&j));
    let r: Report = serde_json::from_str(good).unwrap();
    assert!(serde_json::to_string(&r).unwrap().contains("179092.2001"));
}

fn xxgk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xxgk"))
}

fn seed(n: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/seeds/{n}.txt"))
}

#[test]
fn check_exit_codes() {
    let clean = xxgk().arg("check").arg(seed("000")).output().unwrap();
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let bad = xxgk().arg("check").arg(seed("003")).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(
        out.contains("s3.balance") && out.contains("勾稽关系") && out.contains("line "),
        "{out}"
    );
    let missing = xxgk()
        .arg("check")
        .arg("no/such/file.txt")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("无法访问文件") && err.contains("cannot access file"),
        "{err}"
    );
}

#[test]
fn convert_writes_atomically_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    let ok = xxgk()
        .args(["convert", "-q"])
        .arg(seed("000"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let first = std::fs::read(&out).unwrap();
    let r: Report = serde_json::from_slice(&first).unwrap();
    assert_eq!(r.info().report_year, Some(2021));
    let again = xxgk()
        .args(["convert", "-q"])
        .arg(seed("001"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(std::fs::read(&out).unwrap(), first, "output untouched");
    let forced = xxgk()
        .args(["convert", "-q", "--force"])
        .arg(seed("001"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(forced.status.success());
    // Many inputs → NDJSON, one report per line; JSON input converts back.
    let nd = dir.path().join("all.ndjson");
    let st = xxgk()
        .args(["convert", "-q"])
        .args((0..5).map(|i| seed(&format!("00{i}"))))
        .arg("-o")
        .arg(&nd)
        .status()
        .unwrap();
    assert!(st.success());
    let text = std::fs::read_to_string(&nd).unwrap();
    assert_eq!(text.lines().count(), 5);
    let back = dir.path().join("back.json");
    let st = xxgk()
        .args(["convert", "-q"])
        .arg(&nd)
        .arg("-o")
        .arg(&back)
        .status()
        .unwrap();
    assert!(st.success());
    let arr: Vec<Report> = serde_json::from_slice(&std::fs::read(&back).unwrap()).unwrap();
    assert_eq!(arr.len(), 5);
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let out = xxgk().arg("schema").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        xxgk_schema::SCHEMA_FILE
    );
}

#[test]
fn unreadable_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.json");
    std::fs::write(&p, "{\"edition\": \"2021\",\n \"applications\": 5}").unwrap();
    let out = xxgk().arg("check").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("JSON 不符合报告格式") && err.contains("Applications2021"),
        "{err}"
    );
    std::fs::write(&p, "{\"edition\": \"2021\",\n \"applications\": }").unwrap();
    let out = xxgk().arg("check").arg(&p).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2 column"));
    let p = dir.path().join("notes.txt");
    std::fs::write(&p, "今天天气很好。\n").unwrap();
    let out = xxgk().arg("check").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no report tables found"));
}

/// Command-line errors: said once, in both languages (clap's own included), with the way out.
#[test]
fn cli_errors_are_said_once_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed("000");
    let s = s.to_str().unwrap();
    let run = |args: &[&str]| {
        let o = xxgk().args(args).current_dir(dir.path()).output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    for (args, zh, en) in [
        (
            &["convert", s, "-o", "a.json", "--edition", "foo"][..],
            "未知的版本",
            "unknown edition",
        ),
        (
            &["convert", s, "-o", "a.json", "--shape", "tall"][..],
            "CSV 形式",
            "CSV shape",
        ),
        (
            &["convert", s, "-o", "a.json", "--from", "pdfx"][..],
            "不支持的输入格式",
            "unsupported input format",
        ),
        (&["convert", s][..], "缺少必需的参数", "were not provided"),
        (
            &["convert", s, "-o", "a.json", "--bogus"][..],
            "无法识别的参数",
            "unexpected argument",
        ),
        (
            &["frobnicate"][..],
            "无法识别的子命令",
            "unrecognized subcommand",
        ),
        (
            &["template", "-o", "blank.pdf"][..],
            ".xlsx",
            "must end in .xlsx",
        ),
        (
            &["convert", s, "-o", "a.csv", "--to", "json"][..],
            "不符",
            "does not match --to json",
        ),
        (
            &["convert", s, "-o", "nodir/sub/a.json"][..],
            "不存在",
            "does not exist",
        ),
        (
            &["convert", s, "-o", "."][..],
            "是一个目录",
            "is a directory; give an output file name",
        ),
    ] {
        let (code, err) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(zh) && err.contains(en), "{args:?}: {err}");
        assert_eq!(err.matches(en).count(), 1, "said once: {args:?}: {err}");
        assert!(!err.contains(".tmp") && !err.contains(".xxgk-tmp"), "{err}");
    }
    assert!(!dir.path().join("blank.pdf").exists());
    // A year is answered with the edition that covers it; nothing is converted.
    let (code, err) = run(&["convert", s, "-o", "a.json", "--edition", "2020"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--edition 2019") && err.contains("edition name, not a year"),
        "{err}"
    );
    assert!(!dir.path().join("a.json").exists());
    let (code, err) = run(&["check", s, "--edition", "2022"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--edition 2021"), "{err}");
    // Edition names still work.
    assert_eq!(
        run(&["convert", s, "-o", "b.json", "--edition", "2021"]).0,
        Some(0)
    );
    // Help says what it reads.
    let help = xxgk().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for word in ["PDF", "xlsx", "Word", "CSV", "without arguments"] {
        assert!(help.contains(word), "help mentions {word}: {help}");
    }
}

/// `-o -` with a binary format is refused when standard output is a terminal (run under
/// `script`, which gives the command a pseudo-terminal), and works into a pipe.
#[test]
#[cfg(unix)]
fn binary_output_to_a_terminal_is_refused() {
    let s = seed("000");
    let bin = env!("CARGO_BIN_EXE_xxgk");
    for args in [
        format!("{bin} convert {} -o - --to xlsx", s.display()),
        format!("{bin} template -o -"),
    ] {
        let o = Command::new("script")
            .args(["-qec", &args, "/dev/null"])
            .output()
            .expect("script (util-linux) runs the command on a pseudo-terminal");
        let all = String::from_utf8_lossy(&o.stdout);
        let why = String::from_utf8_lossy(&o.stderr);
        if why.contains("pseudo-terminal") || all.contains("pseudo-terminal") {
            // A sandbox without /dev/ptmx: there is no terminal to refuse.
            eprintln!("no pseudo-terminal here ({why}); skipped");
            return;
        }
        assert_eq!(o.status.code(), Some(2), "{args}: {all}");
        assert!(
            all.contains("不能输出到终端") && all.contains("cannot be written to a terminal"),
            "{all}"
        );
        assert!(
            !all.contains("PK\u{3}\u{4}"),
            "no zip bytes on the terminal"
        );
    }
    let piped = xxgk()
        .args(["convert", s.to_str().unwrap(), "-o", "-", "--to", "xlsx"])
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert!(piped.stdout.starts_with(b"PK\x03\x04"));
}

/// A wrong cell is reported at its own path (the root discriminates on `edition`), counts are
/// never negative, unknown fields are named, and the array and NDJSON-line schemas accept
/// what xxgk writes.
#[test]
fn schema_errors_name_the_cell_and_every_form_validates() {
    let v = validator();
    let r = read_path(&seed("000"), None, &Default::default())
        .unwrap()
        .reports
        .remove(0)
        .report;
    let good = serde_json::to_value(&r).unwrap();
    let path = "/applications/new_applications/total";
    for (bad, at) in [
        (serde_json::json!("12"), path),
        (serde_json::json!(-1), path),
        (serde_json::json!(1.5), path),
    ] {
        let mut doc = good.clone();
        *doc.pointer_mut(path).unwrap() = bad.clone();
        assert!(!v.is_valid(&doc), "{bad} refused");
        // The evaluation's errors lead to the cell: one stands at its path, every other on
        // the way to it (an optional section's `null` branch), none elsewhere.
        let eval = v.evaluate(&doc);
        let errors: Vec<(String, String)> = eval
            .iter_errors()
            .map(|e| (e.instance_location.to_string(), e.error.to_string()))
            .collect();
        assert!(errors.iter().any(|(l, _)| l == at), "{bad}: {errors:?}");
        assert!(
            errors.iter().all(|(l, _)| at.starts_with(l.as_str())),
            "{bad}: {errors:?}"
        );
        // The Rust types refuse the same numbers (they read numeric text leniently).
        if bad.is_number() {
            assert!(serde_json::from_value::<Report>(doc).is_err(), "{bad}");
        }
    }
    let mut doc = good.clone();
    doc["applications"]["new_applications"]["totl"] = serde_json::json!(1);
    let eval = v.evaluate(&doc);
    assert!(eval.iter_errors().any(|e| {
        e.instance_location.to_string() == "/applications/new_applications"
            && e.error.to_string().contains("totl")
    }));
    let mut doc = good.clone();
    doc["agencyy"] = serde_json::json!("x");
    assert!(v
        .iter_errors(&doc)
        .any(|e| e.to_string().contains("agencyy")));
    assert!(
        serde_json::from_value::<Report>(doc).is_err(),
        "unknown top-level field refused"
    );
    // The array form and the NDJSON line form.
    let array: serde_json::Value = serde_json::from_str(xxgk_schema::ARRAY_SCHEMA_FILE).unwrap();
    let av = jsonschema::draft202012::new(&array).unwrap();
    let json = xxgk::write::json::to_json(&[r.clone(), r.clone()]);
    let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert!(av.is_valid(&doc));
    assert!(!av.is_valid(&serde_json::json!([{"edition": "2020"}])));
    let line: serde_json::Value = serde_json::from_str(xxgk_schema::LINE_SCHEMA_FILE).unwrap();
    let lv = jsonschema::draft202012::new(&line).unwrap();
    for l in String::from_utf8(xxgk::write::json::to_ndjson(&[r.clone(), r]))
        .unwrap()
        .lines()
    {
        assert!(lv.is_valid(&serde_json::from_str(l).unwrap()));
    }
    // The root and its definitions have English names for code generators.
    let root: serde_json::Value = serde_json::from_str(xxgk_schema::SCHEMA_FILE).unwrap();
    assert_eq!(root["title"], "Report");
    assert_eq!(root["x-title-zh"], "政府信息公开工作年度报告");
    for k in root["$defs"].as_object().unwrap().keys() {
        assert!(k.is_ascii(), "$defs name {k}");
    }
    // `xxgk schema --form` prints each committed form.
    for (form, text) in [
        ("report", xxgk_schema::SCHEMA_FILE),
        ("array", xxgk_schema::ARRAY_SCHEMA_FILE),
        ("ndjson-line", xxgk_schema::LINE_SCHEMA_FILE),
    ] {
        let o = xxgk().args(["schema", "--form", form]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{form}");
        assert_eq!(String::from_utf8(o.stdout).unwrap(), text, "{form}");
    }
}
