//! The `xxgk` command line: convert, check, schema.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use xxgk::batch;
use xxgk::check::Finding;
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
    long_about = "读取年度报告（粘贴的文本、网页、Word、Excel/WPS 工作簿 xlsx/xls/ods、Excel 2003 XML、PDF，\
                  以及本工具导出的 JSON/NDJSON/CSV/XML/Parquet），识别统计表（2021、2019、2008–2018 旧版），检查勾稽关系，\
                  输出 JSON、NDJSON、可填写的官方样式 Excel、CSV 或 Parquet 数据集（附 Frictionless 数据包说明）或 XML。不带参数运行即打开本机网页。\n\
                  Reads annual reports (pasted text, web pages, Word, Excel/WPS workbooks xlsx/xls/ods, Excel \
                  2003 XML, PDF, and xxgk's own JSON/NDJSON/CSV/XML/Parquet), recognizes their tables (2021, 2019 and \
                  2008–2018 legacy editions), checks the consistency rules, and writes JSON, NDJSON, a fillable \
                  official-form Excel workbook, CSV or Parquet datasets (with a Frictionless data package) or XML. Run without arguments to open the local page."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Cmd>,
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
        /// 输出格式（默认按扩展名）/ output format (default: from the extension): json, ndjson, xlsx, csv, xml, parquet
        #[arg(long)]
        to: Option<String>,
        /// 输入格式（默认按扩展名或内容）/ input format (default: extension or content): text, json, ndjson, html, xlsx, xls, ods, csv, docx, spreadsheetml, xml, pdf, parquet
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
        /// 宽表 CSV 的表头：ids（字段标识一行，默认）、zh（中文名称一行，供人阅读）、second-row（标识一行加中文名称一行）/ header of a wide CSV: ids (one row of field ids, default), zh (one row of Chinese labels, for people), second-row (ids, then a row of labels)
        #[arg(long)]
        labels: Option<String>,
        /// CSV 旁不写 datapackage.json（Frictionless 数据包说明）/ do not write datapackage.json (the Frictionless Data Package descriptor) beside a CSV
        #[arg(long)]
        no_datapackage: bool,
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
        /// 启动后在默认浏览器中打开网页 / open the page in the default browser once started
        #[arg(long)]
        open: bool,
    },
    /// 输出数据集的字段说明（代码本）/ Print the codebook: every column of a dataset, its title, type, unit and editions
    Codebook {
        /// 形式：markdown（默认）、csv、json（Table Schema）/ form: markdown (default), csv, json (a Table Schema)
        #[arg(long, default_value = "markdown")]
        format: String,
        /// 写入文件而非标准输出 / write to a file instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 覆盖已存在的输出 / overwrite an existing output
        #[arg(long)]
        force: bool,
    },
    /// 输出 JSON Schema / Print the JSON Schema of a report
    Schema {
        /// 形式：report（一份报告，默认）、array（报告数组）、ndjson-line（NDJSON 的一行）/ form: report (default), array, ndjson-line
        #[arg(long, default_value = "report")]
        form: String,
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
  xxgk convert reports/ -o tidy.csv --shape long   # 批量，长表（另写 tidy.reports.csv）/ batch, long table (and tidy.reports.csv)
  xxgk convert reports/ -o dataset.parquet         # Parquet（DuckDB、Spark、pandas）
  xxgk check dataset.csv                           # 含跨年度核对 / with the rules across years
  xxgk codebook                                    # 字段说明 / what every column means
  xxgk convert 'reports/*.html' -o dataset.xlsx    # 通配符 / glob

退出码 / exit status: 0 全部成功 all read; 2 有文件无法读取（其余已写入）some inputs failed (the others were written) or usage error";

/// mimalloc rather than the system allocator: recognition makes many small strings, and the
/// text batch takes about a fifth less time with it (see README's benchmarks). Reader children
/// are told to reserve its arenas in small steps (see [`xxgk::read::isolate`]).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        Err(e) if !e.use_stderr() => {
            // --help, --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprint!("{}", usage_error_text(&e));
            return ExitCode::from(2);
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
        #[cfg(feature = "parquet")]
        "parquet" => isolate::child_main(xxgk::read::parquet_child),
        _ => ExitCode::from(3),
    }
}

/// A command-line error from clap, in Chinese and English: what kind of error, clap's own
/// (English) details, and where to read more.
fn usage_error_text(e: &clap::Error) -> String {
    use clap::error::ErrorKind as K;
    let zh = match e.kind() {
        K::MissingRequiredArgument => "缺少必需的参数",
        K::UnknownArgument => "无法识别的参数",
        K::InvalidValue | K::ValueValidation => "参数的值无效",
        K::InvalidSubcommand => "无法识别的子命令（可用：convert、check、template、serve、schema）",
        K::MissingSubcommand | K::DisplayHelpOnMissingArgumentOrSubcommand => "缺少子命令",
        K::TooManyValues | K::TooFewValues | K::WrongNumberOfValues => "参数的值的个数不对",
        K::ArgumentConflict => "参数互相冲突",
        K::NoEquals => "参数需要用 = 给出值",
        _ => "命令行有误",
    };
    let en = e.render().to_string();
    let en = en.trim_end().trim_start_matches("error: ");
    format!("错误 / error: {zh} / {en}\n（运行 xxgk --help 或 xxgk 子命令 --help 查看用法 / run xxgk --help or xxgk COMMAND --help for usage）\n")
}

/// A `--from`, `--to` or `--shape` value; its parser says what is wrong in both languages.
fn parse_opt<T: std::str::FromStr<Err = xxgk::error::BadName>>(
    s: Option<&str>,
) -> Result<Option<T>, Error> {
    Ok(s.map(|s| s.parse::<T>()).transpose()?)
}

/// `--edition`: only the names of the editions. A year is answered with the edition that
/// covers it, so nobody gets the 2019 form by typing 2020.
fn parse_edition(s: Option<&str>) -> Result<Option<Edition>, Error> {
    let Some(s) = s else { return Ok(None) };
    match s.trim().to_ascii_lowercase().as_str() {
        "2021" => Ok(Some(Edition::E2021)),
        "2019" => Ok(Some(Edition::E2019)),
        "legacy" => Ok(Some(Edition::Legacy)),
        other => {
            let meant = other.parse::<u32>().ok().and_then(|y| match y {
                2021.. => Some("2021"),
                2019..=2020 => Some("2019"),
                2008..=2018 => Some("legacy"),
                _ => None,
            });
            Err(match meant {
                Some(e) => Error::usage(
                    format!("--edition 取版本名而不是年份：{other} 年度的报告用 {e} 版表格，请写 --edition {e}"),
                    format!("--edition takes an edition name, not a year: reports on {other} use the {e} edition; write --edition {e}"),
                ),
                None => Error::usage(
                    format!("未知的版本 {other:?}，可选 2021、2019、legacy"),
                    format!("unknown edition {other:?}; use 2021, 2019 or legacy"),
                ),
            })
        }
    }
}

/// Refuse to write a binary format to a terminal (`-o -` without a redirect).
fn refuse_binary_to_terminal(output: &Path, (zh, en): (&str, &str)) -> Result<(), Error> {
    use std::io::IsTerminal;
    if output.as_os_str() == "-" && std::io::stdout().is_terminal() {
        return Err(Error::usage(
            format!("{zh}是二进制文件，不能输出到终端；请用 -o 文件名.xlsx，或把标准输出重定向到文件"),
            format!("{en} is a binary file and cannot be written to a terminal; use -o NAME.xlsx or redirect standard output to a file"),
        ));
    }
    Ok(())
}

/// Start the local page, say in both languages where it is and how to stop it, and open it in
/// the default browser when asked.
fn serve(
    host: std::net::IpAddr,
    port: u16,
    jobs: Option<u16>,
    open: bool,
) -> Result<ExitCode, Error> {
    if let Some(n) = jobs {
        xxgk::serve::set_jobs(usize::from(n));
    }
    let rt = tokio::runtime::Runtime::new().map_err(|e| Error::Io {
        path: PathBuf::from("tokio"),
        source: e,
    })?;
    rt.block_on(xxgk::serve::run((host, port).into(), |addr| {
        let url = format!("http://{addr}/");
        // Nobody may be reading standard output (a closed pipe is no reason to stop serving).
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = writeln!(out, "xxgk 网页已启动 / the xxgk page is running: {url}");
        let _ = writeln!(out, "请在浏览器中打开上面的地址；用完后关闭此窗口或按 Ctrl+C 停止 / open the address above in your browser; when done, close this window or press Ctrl+C to stop");
        let _ = out.flush();
        if open && webbrowser::open(&url).is_err() {
            eprintln!("无法自动打开浏览器，请手动打开 {url} / could not open a browser; open {url} yourself");
        }
    }))
    .map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Error::usage(
                format!("端口 {port} 已被占用（也许 xxgk 已在运行）；请用 --port 0 自动选择空闲端口，或换一个端口"),
                format!("port {port} is in use (perhaps xxgk is already running); use --port 0 to pick a free one, or another port"),
            )
        } else if e.kind() == std::io::ErrorKind::AddrNotAvailable {
            Error::usage(
                format!("无法在地址 {host} 上监听：这不是本机的地址"),
                format!("cannot listen on {host}: not an address of this computer"),
            )
        } else {
            Error::usage(
                format!("无法启动网页服务（{host}:{port}）：{e}"),
                format!("cannot start the page on {host}:{port}: {e}"),
            )
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    // No command (e.g. double-clicked): the page is the front door.
    let Some(cmd) = cli.cmd else {
        return serve(std::net::Ipv4Addr::LOCALHOST.into(), 0, None, true);
    };
    match cmd {
        Cmd::Schema {
            form,
            output,
            force,
        } => {
            let form = match form.as_str() {
                "report" => xxgk_schema::SchemaForm::Report,
                "array" => xxgk_schema::SchemaForm::Array,
                "ndjson-line" | "line" => xxgk_schema::SchemaForm::NdjsonLine,
                other => {
                    return Err(Error::usage(
                        format!("未知的形式 {other:?}（可选 report、array、ndjson-line）"),
                        format!("unknown form {other:?} (report, array or ndjson-line)"),
                    ))
                }
            };
            let s = xxgk_schema::json_schema_string_of(form);
            let out = output.unwrap_or_else(|| PathBuf::from("-"));
            xxgk::output::write_atomic(&out, force, s.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Codebook {
            format,
            output,
            force,
        } => {
            let entries = xxgk::codebook::entries();
            let text = match format.as_str() {
                "markdown" | "md" => xxgk::codebook::render(&entries, true),
                "csv" => xxgk::codebook::render(&entries, false),
                "json" => {
                    let mut s =
                        serde_json::to_string_pretty(&xxgk::codebook::table_schema(&entries))
                            .expect("JSON values serialize");
                    s.push('\n');
                    s
                }
                other => {
                    return Err(Error::usage(
                        format!("未知的形式 {other:?}（可选 markdown、csv、json）"),
                        format!("unknown form {other:?} (markdown, csv or json)"),
                    ))
                }
            };
            let out = output.unwrap_or_else(|| PathBuf::from("-"));
            xxgk::output::write_atomic(&out, force, text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Serve {
            host,
            port,
            jobs,
            open,
        } => serve(host, port, jobs, open),
        Cmd::Template {
            edition,
            output,
            force,
        } => {
            let edition = parse_edition(Some(&edition))?.expect("given");
            if output.as_os_str() != "-"
                && OutputFormat::from_path(&output) != Some(OutputFormat::Xlsx)
            {
                return Err(Error::usage(
                    format!("模板是 Excel 工作簿，输出文件名应以 .xlsx 结尾（而不是 {}）", output.display()),
                    format!("the template is an Excel workbook; the output name must end in .xlsx (not {})", output.display()),
                ));
            }
            refuse_binary_to_terminal(&output, ("模板", "the template"))?;
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
            labels,
            no_datapackage,
        } => {
            let from: Option<InputFormat> = parse_opt(from.as_deref())?;
            let edition = parse_edition(edition.as_deref())?;
            let shape: Shape = parse_opt(shape.as_deref())?.unwrap_or_default();
            let labels: csv::Labels = parse_opt(labels.as_deref())?.unwrap_or_default();
            if output.is_dir() {
                return Err(Error::usage(
                    format!(
                        "{} 是一个目录；请给出输出文件名，例如 {}",
                        output.display(),
                        output.join("reports.csv").display()
                    ),
                    format!(
                        "{} is a directory; give an output file name, e.g. {}",
                        output.display(),
                        output.join("reports.csv").display()
                    ),
                ));
            }
            let to_name = to.clone().unwrap_or_default();
            let to_given: Option<OutputFormat> = parse_opt(to.as_deref())?;
            let to: OutputFormat = match to_given {
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
            if let (Some(named), Some(ext)) = (OutputFormat::from_path(&output), to_given) {
                if named != ext {
                    return Err(Error::usage(
                        format!(
                            "输出文件名 {} 的扩展名与 --to {} 不符；请改文件名或去掉 --to",
                            output.display(),
                            to_name
                        ),
                        format!(
                            "the output name {} does not match --to {}; rename it or drop --to",
                            output.display(),
                            to_name
                        ),
                    ));
                }
            }
            if to == OutputFormat::Xlsx {
                refuse_binary_to_terminal(&output, ("xlsx 工作簿", "an xlsx workbook"))?;
            }
            if to == OutputFormat::Parquet {
                refuse_binary_to_terminal(&output, ("Parquet 文件", "a Parquet file"))?;
            }
            if output.as_os_str() != "-" && output.exists() && !force {
                return Err(Error::OutputExists(output));
            }
            // The files written beside a CSV: the reports table of a long one, the data package.
            let mut beside: Vec<PathBuf> = Vec::new();
            if to == OutputFormat::Parquet && shape == Shape::Long && output.as_os_str() != "-" {
                beside.push(csv::reports_table_path(&output).with_extension("parquet"));
            }
            if to == OutputFormat::Csv && output.as_os_str() != "-" {
                if shape == Shape::Long {
                    beside.push(csv::reports_table_path(&output));
                }
                let pkg = csv::data_package_path(&output);
                // An earlier data package of ours in the folder gets this dataset added.
                let ours = std::fs::read(&pkg).is_ok_and(|b| csv::is_our_data_package(&b));
                if !no_datapackage && !ours {
                    beside.push(pkg);
                }
            }
            for p in &beside {
                if p.exists() && !force {
                    return Err(Error::usage(
                        format!(
                            "{} 已存在（它与 CSV 一同写入）；加 --force 覆盖，或用 --no-datapackage 不写数据包说明，或换一个文件夹",
                            p.display()
                        ),
                        format!(
                            "{} exists (it is written with the CSV); add --force to overwrite it, --no-datapackage to skip the data package, or use another folder",
                            p.display()
                        ),
                    ));
                }
            }
            let opts = Options { edition };
            let expansion = batch::expand(&inputs)?;
            if !quiet {
                print_skipped(&expansion);
            }
            let mut files = expansion.files;
            // Never read our own output as an input (e.g. `convert dir/ -o dir/all.csv`).
            if let Ok(out_abs) = std::fs::canonicalize(&output) {
                let abs = batch::canonical_paths(&files);
                let mut abs = abs.iter();
                files.retain(|_| abs.next().is_some_and(|a| a.as_ref() != Some(&out_abs)));
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
            // Legacy indicators without a canonical id (no column of the wide table), and the
            // agencies' years seen (one agency's year twice is said).
            let mut open_indicators = 0usize;
            let mut years: std::collections::HashMap<(String, i32), Vec<String>> =
                Default::default();
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
                                if let Report::Legacy(r) = &report {
                                    if let Some(s) = &r.statistics {
                                        open_indicators += xxgk::dataset::legacy_keys(s)
                                            .iter()
                                            .filter(|k| k.starts_with("row_"))
                                            .count();
                                    }
                                }
                                let info = report.info();
                                if let (Some(a), Some(y)) = (&info.agency, info.report_year) {
                                    years
                                        .entry((xxgk::dataset::agency_key(a), y))
                                        .or_default()
                                        .push(path.display().to_string());
                                }
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
                OutputFormat::Csv | OutputFormat::Xlsx | OutputFormat::Parquet => {
                    // Written as wide rows only (whatever the number of reports, the first
                    // are held in memory as reports, so one report can still be a form).
                    let mut spool = if to == OutputFormat::Xlsx || shape == Shape::Wide {
                        stream::Spool::for_rows()
                    } else {
                        stream::Spool::new()
                    };
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
                            labels,
                            datapackage: !no_datapackage,
                        },
                    )
                    .and_then(|n| if n == 0 { Err(no_reports()) } else { Ok(()) })
                }
            };
            if !quiet {
                print_identical(&fingerprints);
                let mut twice: Vec<_> = years.iter().filter(|(_, v)| v.len() > 1).collect();
                twice.sort();
                for ((agency, year), files) in twice {
                    eprintln!(
                        "注意 / note: {agency} 的 {year} 年报告有 {} 份 / {agency}'s report on {year} appears {} times: {}",
                        files.len(),
                        files.len(),
                        files.join(", ")
                    );
                }
                let wide = shape == Shape::Wide
                    && matches!(
                        to,
                        OutputFormat::Csv | OutputFormat::Parquet | OutputFormat::Xlsx
                    );
                if wide && open_indicators > 0 {
                    eprintln!(
                        "注意 / note: {open_indicators} 个旧版统计指标没有规范标识，不作为宽表的列（数值在 statistics.layout 中，长表中每格一行：--shape long）/ {open_indicators} legacy indicator(s) have no canonical id and are not columns of the wide table (their values are in statistics.layout, and rows of the long table: --shape long)"
                    );
                }
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
            let edition = parse_edition(edition.as_deref())?;
            let opts = Options { edition };
            let mut unreadable = false;
            let mut problems = false;
            let expansion = batch::expand(&inputs)?;
            print_skipped(&expansion);
            let files = expansion.files;
            let mut fingerprints = Vec::new();
            let mut summaries: Vec<xxgk::check::across::Summary> = Vec::new();
            let mut index = 0usize;
            // Each file is checked and printed as soon as it is read, in input order.
            let mut on_outcome = |outcome: batch::Outcome| {
                if outcome.digest.is_some() {
                    fingerprints.push((outcome.path.clone(), outcome.digest));
                }
                let input = &outcome.path;
                match outcome.result {
                    Ok(loaded) => {
                        let several = loaded.reports.len() > 1;
                        for r in loaded.reports {
                            let report_id = xxgk::dataset::report_stem(&r.report, index);
                            index += 1;
                            summaries.extend(xxgk::check::across::summarize(&r.report, &report_id));
                            let findings = xxgk::check::check_recognized(&r);
                            let diags: Vec<&Diagnostic> = r
                                .diagnostics
                                .iter()
                                .filter(|d| d.severity >= Severity::Warning)
                                .collect();
                            problems |= !findings.is_empty() || !diags.is_empty();
                            if json {
                                print_json(input, &report_id, &findings, &r.diagnostics);
                            } else {
                                print_diagnostics(input, &r.diagnostics);
                                print_findings(
                                    input,
                                    several.then_some(report_id.as_str()),
                                    &findings,
                                );
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
            // Rules between reports (one agency's consecutive years), once all are read.
            for f in xxgk::check::across::check_across(&summaries) {
                problems |= f.severity >= Severity::Warning;
                if json {
                    emit(&serde_json::json!({ "across": f }).to_string());
                } else {
                    emit(&format!(
                        "{}: [{}] {}\n    {}\n    {}",
                        f.severity, f.rule, f.field, f.message_zh, f.message_en
                    ));
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

/// How `convert` writes a dataset.
struct ConvertOptions {
    force: bool,
    shape: Shape,
    bom: bool,
    escape_formulas: bool,
    dataset: bool,
    labels: csv::Labels,
    datapackage: bool,
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
    #[cfg(feature = "parquet")]
    if to == OutputFormat::Parquet {
        use xxgk::parquet_form;
        if o.shape == Shape::Long && output.as_os_str() != "-" {
            let table = csv::reports_table_path(output).with_extension("parquet");
            xxgk::output::write_atomic_pair(output, &table, o.force, &mut |w, w2| {
                parquet_form::write_long(&done.ids, &done.columns, &mut done.reports, w, Some(w2))
            })?;
        } else {
            xxgk::output::write_atomic_with(output, o.force, &mut |w| match o.shape {
                Shape::Wide => {
                    let mut rows = done.reports.rows(&done.columns, &done.ids);
                    parquet_form::write_wide(&done.columns, &mut rows, w)
                }
                Shape::Long => {
                    parquet_form::write_long(&done.ids, &done.columns, &mut done.reports, w, None)
                }
            })?;
        }
        return Ok(n);
    }
    #[cfg(not(feature = "parquet"))]
    if to == OutputFormat::Parquet {
        return Err(Error::usage(
            "此版本的 xxgk 未包含 Parquet 功能（编译时未启用 parquet 特性）",
            "this build of xxgk cannot write Parquet (built without the `parquet` feature)",
        ));
    }
    if to == OutputFormat::Xlsx {
        let bytes = if n == 1 && !o.dataset {
            let report = done
                .reports
                .next()
                .expect("one report")
                .map_err(spool_error)?;
            xlsx::report_workbook(&report)?
        } else {
            let (bytes, cuts) = xlsx::dataset_workbook_stream(
                &done.ids,
                &done.columns,
                &mut done.reports.rows(&done.columns, &done.ids),
            )?;
            if let Some((zh, en)) = xlsx::cuts_message(&cuts) {
                eprintln!("警告 / warning: {zh} / {en}");
            }
            bytes
        };
        xxgk::output::write_atomic(output, o.force, &bytes)?;
    } else {
        let copts = csv::CsvOptions {
            shape: o.shape,
            bom: o.bom,
            escape_formulas: o.escape_formulas,
            labels: o.labels,
        };
        let to_file = output.as_os_str() != "-";
        if o.shape == Shape::Long && to_file {
            // The long table and, beside it, the reports table, in one pass over the reports.
            let reports_path = csv::reports_table_path(output);
            xxgk::output::write_atomic_pair(output, &reports_path, o.force, &mut |w, w2| {
                csv::write_csv_stream(
                    &done.ids,
                    &done.columns,
                    &mut done.reports,
                    &copts,
                    w,
                    Some(w2),
                )
            })?;
        } else {
            xxgk::output::write_atomic_with(output, o.force, &mut |w| match o.shape {
                Shape::Wide => {
                    let mut rows = done.reports.rows(&done.columns, &done.ids);
                    csv::write_csv_rows(&done.columns, &mut rows, &copts, w)
                }
                Shape::Long => csv::write_csv_stream(
                    &done.ids,
                    &done.columns,
                    &mut done.reports,
                    &copts,
                    w,
                    None,
                ),
            })?;
        }
        if o.datapackage && to_file {
            let path = csv::data_package_path(output);
            let mut pkg = csv::data_package(output, &done.columns, &copts);
            let mut force = o.force;
            if let Ok(old) = std::fs::read(&path) {
                if csv::is_our_data_package(&old) {
                    pkg = csv::merge_data_package(&old, pkg);
                    force = true;
                }
            }
            let mut bytes = serde_json::to_vec_pretty(&pkg).expect("JSON values serialize");
            bytes.push(b'\n');
            xxgk::output::write_atomic(&path, force, &bytes)?;
        }
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

fn print_findings(input: &Path, report_id: Option<&str>, findings: &[Finding]) {
    for f in findings {
        let at = f
            .origin
            .as_ref()
            .map(|o| format!(" {o}"))
            .unwrap_or_default();
        let report = report_id.map(|r| format!(" [{r}]")).unwrap_or_default();
        emit(&format!(
            "{}{report}{at}: {} [{}] {}\n    {}\n    {}",
            input.display(),
            f.severity,
            f.rule,
            f.field,
            f.message_zh,
            f.message_en
        ));
    }
}

fn print_json(input: &Path, report_id: &str, findings: &[Finding], diags: &[Diagnostic]) {
    for f in findings {
        let v = serde_json::json!({ "file": input, "report_id": report_id, "finding": f });
        emit(&v.to_string());
    }
    for d in diags {
        let v = serde_json::json!({ "file": input, "report_id": report_id, "diagnostic": d });
        emit(&v.to_string());
    }
}
