//! The `xxgk` command line: convert, check, schema.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xxgk::check::{check, Finding};
use xxgk::read::{self, InputFormat};
use xxgk::recognize::Options;
use xxgk::write::{json, OutputFormat};
use xxgk::{Diagnostic, Error, Severity};
use xxgk_schema::Edition;

#[derive(Parser)]
#[command(
    name = "xxgk",
    version,
    about = "政府信息公开工作年度报告工具 / Toolkit for government information disclosure annual reports",
    long_about = "读取年度报告（粘贴的文本、JSON），识别统计表（2021、2019、旧版），检查勾稽关系，输出 JSON。\n\
                  Reads annual reports (pasted text, JSON), recognizes their tables (2021, 2019, legacy \
                  editions), checks consistency rules, and writes JSON."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// 转换报告 / Convert reports to another format
    Convert {
        /// 输入文件 / input files
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// 输出文件（- 为标准输出）/ output file (- for standard output)
        #[arg(short, long)]
        output: PathBuf,
        /// 输出格式（默认按扩展名）/ output format (default: from the extension): json, ndjson
        #[arg(long)]
        to: Option<String>,
        /// 输入格式（默认按扩展名）/ input format (default: from the extension): text, json, ndjson
        #[arg(long)]
        from: Option<String>,
        /// 指定版本 / force the edition: 2021, 2019, legacy
        #[arg(long)]
        edition: Option<String>,
        /// 覆盖已存在的输出 / overwrite an existing output
        #[arg(long)]
        force: bool,
        /// 不显示提示信息 / do not print diagnostics
        #[arg(short, long)]
        quiet: bool,
    },
    /// 检查勾稽关系（退出码 0 无问题，1 有问题，2 无法读取）/ Check consistency (exit 0 clean, 1 findings, 2 unreadable)
    Check {
        /// 输入文件 / input files
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// 输入格式 / input format: text, json, ndjson
        #[arg(long)]
        from: Option<String>,
        /// 指定版本 / force the edition: 2021, 2019, legacy
        #[arg(long)]
        edition: Option<String>,
        /// 以 JSON 输出问题 / print findings as JSON lines
        #[arg(long)]
        json: bool,
    },
    /// 输出 JSON Schema / Print the JSON Schema of a report
    Schema {
        /// 写入文件而非标准输出 / write to a file instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 覆盖已存在的输出 / overwrite an existing output
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误 / error: {e}");
            ExitCode::from(2)
        }
    }
}

fn parse_opt<T: std::str::FromStr<Err = String>>(s: Option<&str>) -> Result<Option<T>, Error> {
    s.map(|s| s.parse::<T>())
        .transpose()
        .map_err(|m| Error::usage(m.clone(), m))
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.cmd {
        Cmd::Schema { output, force } => {
            let s = xxgk_schema::json_schema_string();
            let out = output.unwrap_or_else(|| PathBuf::from("-"));
            xxgk::output::write_atomic(&out, force, s.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Convert {
            inputs,
            output,
            to,
            from,
            edition,
            force,
            quiet,
        } => {
            let from: Option<InputFormat> = parse_opt(from.as_deref())?;
            let edition: Option<Edition> = parse_opt(edition.as_deref())?;
            let to: OutputFormat = match parse_opt(to.as_deref())? {
                Some(f) => f,
                None if output.as_os_str() == "-" => OutputFormat::Json,
                None => OutputFormat::from_path(&output).ok_or_else(|| {
                    Error::usage(
                        format!(
                            "无法从 {} 判断输出格式，请用 --to 指定（json、ndjson）",
                            output.display()
                        ),
                        format!(
                            "cannot tell the output format from {}; use --to (json, ndjson)",
                            output.display()
                        ),
                    )
                })?,
            };
            if output.as_os_str() != "-" && output.exists() && !force {
                return Err(Error::OutputExists(output));
            }
            let opts = Options { edition };
            let mut reports = Vec::new();
            let mut failed = 0;
            for input in &inputs {
                match read::read_path(input, from, &opts) {
                    Ok(loaded) => {
                        for r in loaded.reports {
                            if !quiet {
                                print_diagnostics(input, &r.diagnostics);
                            }
                            reports.push(r.report);
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("错误 / error: {e}");
                    }
                }
            }
            if reports.is_empty() {
                return Err(Error::usage(
                    "没有可转换的报告",
                    "no report could be read; nothing was written",
                ));
            }
            let bytes = match to {
                OutputFormat::Json => json::to_json(&reports),
                OutputFormat::Ndjson => json::to_ndjson(&reports),
            };
            xxgk::output::write_atomic(&output, force, &bytes)?;
            if failed > 0 {
                eprintln!(
                    "{failed} 个输入无法读取，其余 {} 份报告已写入 / {failed} input(s) failed; the other {} report(s) were written",
                    reports.len(),
                    reports.len()
                );
                return Ok(ExitCode::from(2));
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Check {
            inputs,
            from,
            edition,
            json,
        } => {
            let from: Option<InputFormat> = parse_opt(from.as_deref())?;
            let edition: Option<Edition> = parse_opt(edition.as_deref())?;
            let opts = Options { edition };
            let mut unreadable = false;
            let mut problems = false;
            for input in &inputs {
                match read::read_path(input, from, &opts) {
                    Ok(loaded) => {
                        for r in loaded.reports {
                            let findings = check(&r.report, Some(&r.origins));
                            let diags: Vec<&Diagnostic> = r
                                .diagnostics
                                .iter()
                                .filter(|d| d.severity >= Severity::Warning)
                                .collect();
                            problems |= !findings.is_empty() || !diags.is_empty();
                            if json {
                                print_json(input, &findings, &r.diagnostics);
                            } else {
                                print_diagnostics(input, &r.diagnostics);
                                print_findings(input, &findings);
                            }
                        }
                    }
                    Err(e) => {
                        unreadable = true;
                        eprintln!("错误 / error: {e}");
                    }
                }
            }
            Ok(ExitCode::from(if unreadable {
                2
            } else if problems {
                1
            } else {
                0
            }))
        }
    }
}

fn print_diagnostics(input: &Path, diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{}: {d}", input.display());
    }
}

fn print_findings(input: &Path, findings: &[Finding]) {
    for f in findings {
        let at = f
            .origin
            .as_ref()
            .map(|o| format!(" {o}"))
            .unwrap_or_default();
        println!(
            "{}{at}: {} [{}] {}\n    {}\n    {}",
            input.display(),
            f.severity,
            f.rule,
            f.field,
            f.message_zh,
            f.message_en
        );
    }
}

fn print_json(input: &Path, findings: &[Finding], diags: &[Diagnostic]) {
    for f in findings {
        let v = serde_json::json!({ "file": input, "finding": f });
        println!("{v}");
    }
    for d in diags {
        let v = serde_json::json!({ "file": input, "diagnostic": d });
        println!("{v}");
    }
}
