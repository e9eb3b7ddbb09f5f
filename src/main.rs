//! The `xxgk` command line: convert, check, schema.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use xxgk::batch;
use xxgk::check::{check, Finding};
use xxgk::read::InputFormat;
use xxgk::recognize::Options;
use xxgk::write::csv::{self, Shape};
use xxgk::write::{stream, xlsx, OutputFormat};
use xxgk::{Diagnostic, Error, Severity};
use xxgk_schema::{Edition, Report};

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
    /// 转换报告（可批量：目录、通配符）/ Convert reports (batch: directories, globs)
    #[command(after_help = CONVERT_EXAMPLES)]
    Convert {
        /// 输入文件、目录或通配符 / input files, directories or glob patterns
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// 输出文件（- 为标准输出）/ output file (- for standard output)
        #[arg(short, long)]
        output: PathBuf,
        /// 输出格式（默认按扩展名）/ output format (default: from the extension): json, ndjson, xlsx, csv, xml
        #[arg(long)]
        to: Option<String>,
        /// 输入格式（默认按扩展名或内容）/ input format (default: extension or content): text, json, ndjson, html, xlsx, xls, ods, csv, docx, spreadsheetml, xml
        #[arg(long)]
        from: Option<String>,
        /// 指定版本 / force the edition: 2021, 2019, legacy
        #[arg(long)]
        edition: Option<String>,
        /// CSV 形式：wide（每份报告一行，默认）或 long（每个数值一行）/ CSV shape: wide (one row per report, default) or long (one row per value)
        #[arg(long)]
        shape: Option<String>,
        /// CSV 写入 UTF-8 BOM，便于 Excel 打开（默认）/ write a UTF-8 byte-order mark so Excel reads the CSV as UTF-8 (default)
        #[arg(long, overrides_with = "no_bom")]
        bom: bool,
        /// CSV 不写 BOM（供程序读取）/ no byte-order mark (for pipelines)
        #[arg(long, overrides_with = "bom")]
        no_bom: bool,
        /// xlsx 输出为数据集（每份报告一行），即使只有一份报告 / write xlsx as a dataset (one row per report) even for one report
        #[arg(long)]
        dataset: bool,
        /// CSV 中以 = + - @ 开头的文字不加前缀 ' （默认加，防止 Excel 将其当作公式执行）/ do not prefix CSV text that starts with = + - @ with ' (by default it is, so Excel cannot run it as a formula)
        #[arg(long)]
        no_formula_escape: bool,
        /// 覆盖已存在的输出 / overwrite an existing output
        #[arg(long)]
        force: bool,
        /// 不显示提示信息 / do not print diagnostics
        #[arg(short, long)]
        quiet: bool,
    },
    /// 检查勾稽关系（退出码 0 无问题，1 有问题，2 无法读取）/ Check consistency (exit 0 clean, 1 findings, 2 unreadable)
    Check {
        /// 输入文件、目录或通配符 / input files, directories or glob patterns
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// 输入格式 / input format: text, json, ndjson, html, xlsx, xls, ods, csv, docx, spreadsheetml, xml
        #[arg(long)]
        from: Option<String>,
        /// 指定版本 / force the edition: 2021, 2019, legacy
        #[arg(long)]
        edition: Option<String>,
        /// 以 JSON 输出问题 / print findings as JSON lines
        #[arg(long)]
        json: bool,
    },
    /// 生成空白的可填写 Excel 模板 / Write a blank fillable Excel form of an edition
    Template {
        /// 版本 / edition: 2021 or 2019
        #[arg(long, default_value = "2021")]
        edition: String,
        /// 输出文件 / output file (.xlsx)
        #[arg(short, long)]
        output: PathBuf,
        /// 覆盖已存在的输出 / overwrite an existing output
        #[arg(long)]
        force: bool,
    },
    /// 启动本机网页（粘贴或拖入报告，查看并下载）/ Start a local web page (paste or drop a report, view, download)
    Serve {
        /// 监听地址 / address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// 端口（0 为自动选择）/ port (0 picks a free one)
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// 同时处理的文件数上限（默认为 CPU 核数）/ most files processed at once (default: the number of cores)
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
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

const CONVERT_EXAMPLES: &str = "示例 / Examples:
  xxgk convert report.txt -o report.json
  xxgk convert report.json -o report.xlsx          # 官方表格样式的可填写工作簿 / fillable official form
  xxgk convert filled.xlsx -o report.json          # 读取填好的工作簿 / read a filled workbook
  xxgk convert reports/ -o dataset.csv             # 批量，宽表 / batch, wide table
  xxgk convert reports/ -o tidy.csv --shape long   # 批量，长表 / batch, long table
  xxgk convert 'reports/*.html' -o dataset.xlsx    # 通配符 / glob

退出码 / exit status: 0 全部成功 all read; 2 有文件无法读取（其余已写入）some inputs failed (the others were written) or usage error";

fn main() -> ExitCode {
    // `xxgk __read KIND`: a reader child (see `xxgk::read::isolate`), not a user command.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "__read") {
        return reader_child(args.get(2).and_then(|k| k.to_str()).unwrap_or(""));
    }
    if let Ok(exe) = std::env::current_exe() {
        xxgk::read::isolate::enable(exe);
    }
    xxgk::output::remove_temporaries_on_interrupt();
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

/// The reader child: one file on stdin, what its reader extracted as JSON on stdout.
fn reader_child(kind: &str) -> ExitCode {
    use xxgk::read::{isolate, workbook};
    match kind {
        "xls" => isolate::child_main(|b| workbook::dense_child(workbook::Kind::Xls, b)),
        "ods" => isolate::child_main(|b| workbook::dense_child(workbook::Kind::Ods, b)),
        #[cfg(feature = "pdf")]
        "pdf" => isolate::child_main(xxgk::read::pdf::read),
        _ => ExitCode::from(3),
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
        Cmd::Serve { host, port, jobs } => {
            if let Some(n) = jobs {
                xxgk::serve::set_jobs(usize::from(n));
            }
            let rt = tokio::runtime::Runtime::new().map_err(|e| Error::Io {
                path: PathBuf::from("tokio"),
                source: e,
            })?;
            rt.block_on(xxgk::serve::run((host, port).into(), |addr| {
                println!("请在浏览器中打开 / open in your browser: http://{addr}/");
                use std::io::Write;
                let _ = std::io::stdout().flush();
            }))
            .map_err(|e| Error::Io {
                path: PathBuf::from(format!("{host}:{port}")),
                source: e,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Template {
            edition,
            output,
            force,
        } => {
            let edition: Edition = edition
                .parse()
                .map_err(|m: String| Error::usage(m.clone(), m))?;
            if edition == Edition::Legacy {
                return Err(Error::usage(
                    "2008–2018 年的旧版统计表没有全国统一的格式，无法生成空白模板；请用 --edition 2021 或 2019",
                    "the 2008–2018 legacy tables had no national form, so there is no blank template; use --edition 2021 or 2019",
                ));
            }
            let bytes = xlsx::template(edition)?;
            xxgk::output::write_atomic(&output, force, &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Convert {
            inputs,
            output,
            to,
            from,
            edition,
            shape,
            bom,
            no_bom,
            dataset,
            no_formula_escape,
            force,
            quiet,
        } => {
            let from: Option<InputFormat> = parse_opt(from.as_deref())?;
            let edition: Option<Edition> = parse_opt(edition.as_deref())?;
            let shape: Shape = parse_opt(shape.as_deref())?.unwrap_or_default();
            let to: OutputFormat = match parse_opt(to.as_deref())? {
                Some(f) => f,
                None if output.as_os_str() == "-" => OutputFormat::Json,
                None => OutputFormat::from_path(&output).ok_or_else(|| {
                    Error::usage(
                        format!(
                            "无法从 {} 判断输出格式，请用 --to 指定（json、ndjson、xlsx、csv、xml）",
                            output.display()
                        ),
                        format!(
                            "cannot tell the output format from {}; use --to (json, ndjson, xlsx, csv, xml)",
                            output.display()
                        ),
                    )
                })?,
            };
            if output.as_os_str() != "-" && output.exists() && !force {
                return Err(Error::OutputExists(output));
            }
            let opts = Options { edition };
            let expansion = batch::expand(&inputs)?;
            if !quiet {
                print_skipped(&expansion);
            }
            let mut files = expansion.files;
            // Never read our own output as an input (e.g. `convert dir/ -o dir/all.csv`).
            if let Ok(out_abs) = std::fs::canonicalize(&output) {
                files.retain(|f| {
                    std::fs::canonicalize(f)
                        .map(|a| a != out_abs)
                        .unwrap_or(true)
                });
            }
            if files.is_empty() {
                return Err(Error::usage("没有找到输入文件", "no input files found"));
            }
            let bar = if quiet || files.len() < 2 {
                ProgressBar::hidden()
            } else {
                let b = ProgressBar::new(files.len() as u64);
                b.set_style(
                    ProgressStyle::with_template(
                        "{bar:40} {pos}/{len} 文件 files  {per_sec}  剩余 eta {eta}",
                    )
                    .expect("valid template"),
                );
                b
            };
            let tick = || bar.inc(1);
            // Keep only what is written and printed: each file's reports and, unless quiet,
            // its diagnostics (origins are dropped as soon as a file is read).
            type Kept = (
                PathBuf,
                Result<Vec<(Report, Vec<Diagnostic>)>, Error>,
                Option<u64>,
            );
            let keep = |o: batch::Outcome| -> Kept {
                let r = o.result.map(|l| {
                    l.reports
                        .into_iter()
                        .map(|r| (r.report, if quiet { Vec::new() } else { r.diagnostics }))
                        .collect()
                });
                (o.path, r, o.digest)
            };
            // Reports go to the output as they are read, in input order (see
            // `xxgk::write::stream`): JSON, NDJSON and XML straight to the file, CSV and xlsx
            // through a spool (their header needs every report's fields first).
            let mut failed: Vec<(PathBuf, Error)> = Vec::new();
            let mut fingerprints: Vec<(PathBuf, Option<u64>)> = Vec::new();
            let mut count = 0usize;
            let mut write_error: Option<std::io::Error> = None;
            let mut read_into = |push: &mut dyn FnMut(Report) -> std::io::Result<()>| {
                batch::for_each_in_order(&files, from, &opts, &tick, &keep, &mut |kept: Kept| {
                    let (path, result, digest) = kept;
                    if digest.is_some() {
                        fingerprints.push((path.clone(), digest));
                    }
                    match result {
                        Ok(list) => {
                            for (report, diags) in list {
                                print_diagnostics(&path, &diags);
                                count += 1;
                                if write_error.is_none() {
                                    if let Err(e) = push(report) {
                                        write_error = Some(e);
                                    }
                                }
                            }
                        }
                        Err(e) => failed.push((path, e)),
                    }
                });
                bar.finish_and_clear();
                write_error.take()
            };
            let no_reports = || {
                Error::usage(
                    "没有可转换的报告，未写入任何文件",
                    "no report could be read; nothing was written",
                )
            };
            let written = match to {
                OutputFormat::Json | OutputFormat::Ndjson | OutputFormat::Xml => {
                    let mut empty = false;
                    let r = xxgk::output::write_atomic_with(&output, force, &mut |w| {
                        let mut rw = stream::ReportWriter::new(to, w);
                        if let Some(e) = read_into(&mut |r| rw.push(&r)) {
                            return Err(e);
                        }
                        if rw.count() == 0 {
                            empty = true;
                            return Err(std::io::Error::other("no reports"));
                        }
                        rw.finish()
                    });
                    if empty {
                        Err(no_reports())
                    } else {
                        r
                    }
                }
                OutputFormat::Csv | OutputFormat::Xlsx => {
                    let mut spool = stream::Spool::new();
                    let spooled = match read_into(&mut |r| spool.push(r)) {
                        Some(e) => Err(e),
                        None => Ok(spool),
                    };
                    write_spooled(
                        spooled,
                        &output,
                        to,
                        &ConvertOptions {
                            force,
                            shape,
                            bom: bom || !no_bom,
                            escape_formulas: !no_formula_escape,
                            dataset,
                        },
                    )
                    .and_then(|n| if n == 0 { Err(no_reports()) } else { Ok(()) })
                }
            };
            if !quiet {
                print_identical(&fingerprints);
            }
            if !failed.is_empty() {
                eprintln!(
                    "\n{} 个文件无法读取 / {} file(s) could not be read:",
                    failed.len(),
                    failed.len()
                );
                for (_, e) in &failed {
                    eprintln!("  - {e}");
                }
            }
            written?;
            if !quiet && files.len() > 1 {
                eprintln!(
                    "已写入 {count} 份报告（{} 个文件，{} 个失败）/ wrote {count} report(s) from {} file(s), {} failed",
                    files.len(),
                    failed.len(),
                    files.len(),
                    failed.len()
                );
            }
            if !failed.is_empty() {
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
            let expansion = batch::expand(&inputs)?;
            print_skipped(&expansion);
            let files = expansion.files;
            let mut fingerprints = Vec::new();
            // Each file is checked and printed as soon as it is read, in input order.
            let mut on_outcome = |outcome: batch::Outcome| {
                if outcome.digest.is_some() {
                    fingerprints.push((outcome.path.clone(), outcome.digest));
                }
                let input = &outcome.path;
                match outcome.result {
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
            };
            batch::for_each_in_order(&files, from, &opts, &|| {}, &|o| o, &mut on_outcome);
            print_identical(&fingerprints);
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

/// How `convert` writes a dataset.
struct ConvertOptions {
    force: bool,
    shape: Shape,
    bom: bool,
    escape_formulas: bool,
    dataset: bool,
}

/// Write spooled reports as CSV or xlsx (one report as the official form unless `dataset`).
/// Returns the number of reports written (nothing is written for none).
fn write_spooled(
    spool: std::io::Result<stream::Spool>,
    output: &Path,
    to: OutputFormat,
    o: &ConvertOptions,
) -> Result<usize, Error> {
    let spool_error = |e: std::io::Error| Error::Write {
        message_zh: format!("暂存报告失败：{e}"),
        message_en: format!("could not spool the reports: {e}"),
    };
    let spool = spool.map_err(spool_error)?;
    let n = spool.len();
    if n == 0 {
        return Ok(0);
    }
    let mut done = spool.finish().map_err(spool_error)?;
    if to == OutputFormat::Xlsx {
        let bytes = if n == 1 && !o.dataset {
            let report = done
                .reports
                .next()
                .expect("one report")
                .map_err(spool_error)?;
            xlsx::report_workbook(&report)?
        } else {
            let (bytes, cuts) =
                xlsx::dataset_workbook_stream(&done.ids, &done.columns, &mut done.reports)?;
            if let Some((zh, en)) = xlsx::cuts_message(&cuts) {
                eprintln!("警告 / warning: {zh} / {en}");
            }
            bytes
        };
        xxgk::output::write_atomic(output, o.force, &bytes)?;
    } else {
        xxgk::output::write_atomic_with(output, o.force, &mut |w| {
            csv::write_csv_stream(
                &done.ids,
                &done.columns,
                &mut done.reports,
                o.shape,
                o.bom,
                o.escape_formulas,
                w,
            )
        })?;
    }
    Ok(n)
}

/// Print a line of results to standard output. A closed pipe (`xxgk check … | head`) ends the
/// program quietly with success, as `head` asked for no more.
fn emit(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("错误 / error: {e}");
        std::process::exit(2);
    }
}

/// Say which files under the given directories were left out, and why.
fn print_skipped(e: &batch::Expansion) {
    for (p, why) in &e.skipped {
        let (zh, en) = why.reason();
        eprintln!("跳过 / skipped {}: {zh} / {en}", p.display());
    }
}

/// Say which inputs are identical copies of each other.
fn print_identical(files: &[(PathBuf, Option<u64>)]) {
    for group in batch::identical(files) {
        let names: Vec<String> = group.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "注意 / note: 以下文件内容完全相同，报告会重复 / these files are identical, their reports repeat: {}",
            names.join(", ")
        );
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
        emit(&format!(
            "{}{at}: {} [{}] {}\n    {}\n    {}",
            input.display(),
            f.severity,
            f.rule,
            f.field,
            f.message_zh,
            f.message_en
        ));
    }
}

fn print_json(input: &Path, findings: &[Finding], diags: &[Diagnostic]) {
    for f in findings {
        let v = serde_json::json!({ "file": input, "finding": f });
        emit(&v.to_string());
    }
    for d in diags {
        let v = serde_json::json!({ "file": input, "diagnostic": d });
        emit(&v.to_string());
    }
}
