//! Batch reading: expand directories and glob patterns into input files, read them in parallel
//! on all cores, and keep every file's outcome (one bad file never stops the others).
//!
//! Owns input expansion and parallelism; what a file holds is [`crate::read`]'s business.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::read::{self, InputFormat, Loaded};
use crate::recognize::Options;

/// File extensions picked up when a directory is given.
pub const EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "json", "ndjson", "jsonl", "html", "htm", "xhtml", "shtml", "xlsx",
    "xlsm", "xls", "ods", "csv", "docx", "xml",
];

fn wanted(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn hidden(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') || n.starts_with("~$"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.into(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if hidden(&p) {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else if wanted(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// Expand the command-line inputs: a directory gives every report file under it (recursively,
/// sorted, hidden files and Office lock files `~$…` skipped); a pattern with `*`, `?` or `[`
/// is expanded as a glob (for shells that do not, e.g. Windows `cmd`); a file is kept as is.
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        let s = input.to_string_lossy();
        if input.is_dir() {
            walk(input, &mut out)?;
        } else if !input.exists() && s.contains(['*', '?', '[']) {
            let opts = glob::MatchOptions {
                require_literal_leading_dot: true,
                ..Default::default()
            };
            let paths = glob::glob_with(&s, opts).map_err(|e| {
                Error::usage(
                    format!("通配符 {s} 无效：{e}"),
                    format!("invalid pattern {s}: {e}"),
                )
            })?;
            let before = out.len();
            for p in paths.flatten() {
                if p.is_file() && !hidden(&p) {
                    out.push(p);
                }
            }
            if out.len() == before {
                return Err(Error::usage(
                    format!("通配符 {s} 没有匹配任何文件"),
                    format!("pattern {s} matched no file"),
                ));
            }
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

/// The outcome of one input file.
#[derive(Debug)]
pub struct Outcome {
    /// The file.
    pub path: PathBuf,
    /// What was read, or why it failed.
    pub result: Result<Loaded>,
}

/// Read files in parallel (input order is kept). `progress` is called once per finished file.
pub fn read_all(
    files: &[PathBuf],
    format: Option<InputFormat>,
    opts: &Options,
    progress: &(dyn Fn() + Sync),
) -> Vec<Outcome> {
    read_all_map(files, format, opts, progress, &|o| o)
}

/// Read files in parallel and reduce each outcome with `keep` as soon as it is read, so a batch
/// of thousands of files holds only what the caller needs (e.g. the reports, not the origins).
pub fn read_all_map<T: Send>(
    files: &[PathBuf],
    format: Option<InputFormat>,
    opts: &Options,
    progress: &(dyn Fn() + Sync),
    keep: &(dyn Fn(Outcome) -> T + Sync),
) -> Vec<T> {
    files
        .par_iter()
        .map(|p| {
            // A reader bug must not take the batch down: a panic becomes this file's error.
            let result = std::panic::catch_unwind(|| read::read_path(p, format, opts))
                .unwrap_or_else(|_| {
                    Err(Error::malformed(
                        p,
                        "",
                        "读取时发生内部错误（请报告此问题并附上文件）",
                        "internal error while reading (please report it with the file)",
                    ))
                });
            progress();
            keep(Outcome {
                path: p.clone(),
                result,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_expand_to_report_files_only() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        for f in ["a.txt", "sub/b.xlsx", "c.png", ".hidden.txt", "~$lock.xlsx"] {
            std::fs::write(d.path().join(f), b"x").unwrap();
        }
        let got = expand(&[d.path().to_path_buf()]).unwrap();
        let names: Vec<String> = got
            .iter()
            .map(|p| {
                p.strip_prefix(d.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.txt", "sub/b.xlsx"]);
        let pat = d.path().join("*.txt");
        assert_eq!(expand(&[pat]).unwrap().len(), 1);
        assert!(expand(&[d.path().join("*.nothing")]).is_err());
    }
}
