//! The schema from other languages, as docs/guide-developer.md shows: Python models generated
//! by datamodel-code-generator (pydantic v2) and TypeScript types by json-schema-to-typescript,
//! each used on real reports. CI installs both (`XXGK_REQUIRE_CODEGEN=1` makes a missing tool
//! a failure); elsewhere a missing tool skips its half with a note.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn required() -> bool {
    std::env::var("XXGK_REQUIRE_CODEGEN").as_deref() == Ok("1")
}

fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The seeds as our JSON, in `dir`.
fn seed_json(dir: &Path) -> Vec<PathBuf> {
    ["000", "001", "002", "003", "004"]
        .iter()
        .map(|s| {
            let out = dir.join(format!("{s}.json"));
            let o = Command::new(env!("CARGO_BIN_EXE_xxgk"))
                .args(["convert"])
                .arg(root().join(format!("fixtures/seeds/{s}.txt")))
                .arg("-o")
                .arg(&out)
                .arg("-q")
                .output()
                .unwrap();
            assert!(o.status.success());
            out
        })
        .collect()
}

#[test]
fn pydantic_models_from_the_schema_read_every_seed_and_refuse_a_negative_count() {
    if !have("datamodel-codegen", "--version") {
        assert!(!required(), "datamodel-codegen is not installed");
        eprintln!("datamodel-codegen not installed; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new("datamodel-codegen")
        .arg("--input")
        .arg(root().join("schema/xxgk-report.schema.json"))
        .args([
            "--input-file-type",
            "jsonschema",
            "--output-model-type",
            "pydantic_v2.BaseModel",
        ])
        .arg("--output")
        .arg(dir.path().join("xxgk_model.py"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let seeds = seed_json(dir.path());
    let script = r#"
import json, sys
from xxgk_model import Report2019, Report2021, ReportLegacy
EDITIONS = {"2021": Report2021, "2019": Report2019, "legacy": ReportLegacy}
for path in sys.argv[1:]:
    doc = json.load(open(path, encoding="utf-8"))
    report = EDITIONS[doc["edition"]].model_validate(doc)
    print(doc["edition"], report.agency)
    if doc["edition"] != "legacy":
        doc["applications"]["new_applications"]["total"] = -1
        try:
            EDITIONS[doc["edition"]].model_validate(doc)
            print("ACCEPTED NEGATIVE")
        except Exception:
            print("refused")
"#;
    let o = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&seeds)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("20") || l.starts_with("legacy"))
            .count(),
        5,
        "{out}"
    );
    assert!(out.contains("2021 泰兴市人民政府"), "{out}");
    assert!(!out.contains("ACCEPTED"), "{out}");
    assert!(out.contains("refused"), "{out}");
}

#[test]
fn typescript_types_from_the_schema_compile_and_read_a_seed() {
    let bin = root().join("tests/browser/node_modules/.bin");
    let (json2ts, tsc) = (bin.join("json2ts"), bin.join("tsc"));
    if !json2ts.exists() || !tsc.exists() || !have("node", "--version") {
        assert!(
            !required(),
            "json-schema-to-typescript or typescript is not installed"
        );
        eprintln!("json2ts/tsc not installed (npm ci --prefix tests/browser); skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(&json2ts)
        .arg("--unreachableDefinitions")
        .arg("-i")
        .arg(root().join("schema/xxgk-report.schema.json"))
        .arg("-o")
        .arg(dir.path().join("report.d.ts"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let types = std::fs::read_to_string(dir.path().join("report.d.ts")).unwrap();
    for t in [
        "export interface Report2021",
        "export interface Report2019",
        "export interface ReportLegacy",
    ] {
        assert!(types.contains(t), "{t}");
    }
    std::fs::write(
        dir.path().join("use.ts"),
        r#"import type { Report2019, Report2021, ReportLegacy } from "./report";
declare const process: { argv: string[] };
declare function require(m: string): { readFileSync(p: string, e: string): string };
type AnyReport = Report2021 | Report2019 | ReportLegacy;
const report = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8")) as AnyReport;
if (report.edition === "2021") {
  const total = report.applications?.new_applications?.total;
  console.log(report.agency, total);
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tsconfig.json"),
        r#"{"compilerOptions":{"strict":true,"module":"commonjs","target":"es2020","types":[],"outDir":"out"},"files":["use.ts"]}"#,
    )
    .unwrap();
    let o = Command::new(&tsc)
        .arg("-p")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "tsc: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    let seeds = seed_json(dir.path());
    let o = Command::new("node")
        .arg(dir.path().join("out/use.js"))
        .arg(&seeds[0])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(out.trim(), "泰兴市人民政府 482");
}
