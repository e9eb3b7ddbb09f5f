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
    "xlsm", "xls", "ods", "csv", "docx", "xml", "pdf",
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

/// Why a file under a directory was not taken as an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    /// A symbolic link: links inside a walked tree are never followed (they can point back into
    /// the tree, or out of it).
    Symlink,
    /// Not a regular file (a FIFO, a device, a socket).
    NotRegular,
    /// A dataset xxgk wrote (JSON array, NDJSON, CSV, our XML, dataset workbook, data package):
    /// reports of other files, not a report document.
    OwnOutput,
}

impl Skipped {
    /// Chinese and English reasons.
    pub fn reason(self) -> (&'static str, &'static str) {
        match self {
            Skipped::Symlink => (
                "符号链接（目录中的链接不跟随）",
                "a symbolic link (links inside a directory are not followed)",
            ),
            Skipped::NotRegular => ("不是普通文件", "not a regular file"),
            Skipped::OwnOutput => (
                "xxgk 生成的数据集文件（如需读取请直接指定该文件）",
                "a dataset xxgk wrote (name it to read it)",
            ),
        }
    }
}

/// The inputs of a command: the files to read, and what a directory walk left out.
#[derive(Debug, Default)]
pub struct Expansion {
    /// Files to read, in order.
    pub files: Vec<PathBuf>,
    /// Files under directories that were not taken, and why.
    pub skipped: Vec<(PathBuf, Skipped)>,
}

/// Whether a file found in a directory is a dataset xxgk wrote: decided from its first 8 KB.
pub fn is_own_dataset(p: &Path) -> bool {
    use std::io::Read;
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !matches!(
        ext.as_str(),
        "json" | "ndjson" | "jsonl" | "csv" | "xml" | "xlsx"
    ) {
        return false;
    }
    if p.file_name().is_some_and(|n| n == "datapackage.json") {
        return true;
    }
    let mut head = Vec::new();
    let Ok(f) = std::fs::File::open(p) else {
        return false;
    };
    let _ = f.take(8192).read_to_end(&mut head);
    let text = String::from_utf8_lossy(&head);
    let t = text.trim_start_matches('\u{FEFF}').trim_start();
    match ext.as_str() {
        "json" => t.starts_with('[') && t.contains("\"schema_version\""),
        "ndjson" | "jsonl" => t.contains("\"schema_version\""),
        "csv" => t.starts_with("report_id,"),
        "xml" => t.contains(crate::xml_form::NAMESPACE),
        // Our dataset workbook names its sheet; zip entry names and the workbook XML are
        // stored uncompressed enough to be seen in the first bytes only sometimes, so look
        // at the workbook part itself.
        "xlsx" => workbook_names_dataset_sheet(p),
        _ => false,
    }
}

/// Whether an xlsx's `xl/workbook.xml` names our dataset sheet: the zip's directory and that
/// one part (at most 1 MB of it) are read, never the whole file.
fn workbook_names_dataset_sheet(p: &Path) -> bool {
    use std::io::Read;
    let Ok(f) = std::fs::File::open(p) else {
        return false;
    };
    let Ok(mut z) = zip::ZipArchive::new(std::io::BufReader::new(f)) else {
        return false;
    };
    let Ok(part) = z.by_name("xl/workbook.xml") else {
        return false;
    };
    let mut xml = Vec::new();
    part.take(1 << 20).read_to_end(&mut xml).is_ok()
        && String::from_utf8_lossy(&xml)
            .contains(&format!("name=\"{}\"", crate::dataset::WIDE_SHEET))
}

fn walk(dir: &Path, out: &mut Expansion) -> Result<()> {
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
        // Never follow a link: decide on the entry itself.
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        let ft = meta.file_type();
        if ft.is_symlink() {
            if wanted(&p) || p.is_dir() {
                out.skipped.push((p, Skipped::Symlink));
            }
        } else if ft.is_dir() {
            walk(&p, out)?;
        } else if wanted(&p) {
            if !ft.is_file() {
                out.skipped.push((p, Skipped::NotRegular));
            } else if is_own_dataset(&p) {
                out.skipped.push((p, Skipped::OwnOutput));
            } else {
                out.files.push(p);
            }
        }
    }
    Ok(())
}

/// Expand the command-line inputs: a directory gives every report file under it (recursively,
/// sorted, hidden files and Office lock files `~$…` skipped, symbolic links not followed, only
/// regular files, xxgk's own datasets left out); a pattern with `*`, `?` or `[` is expanded as a
/// glob (for shells that do not, e.g. Windows `cmd`); a named file is kept as is.
pub fn expand(inputs: &[PathBuf]) -> Result<Expansion> {
    let mut out = Expansion::default();
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
            let before = out.files.len();
            for p in paths.flatten() {
                if p.is_file() && !hidden(&p) {
                    out.files.push(p);
                }
            }
            if out.files.len() == before {
                return Err(Error::usage(
                    format!("通配符 {s} 没有匹配任何文件"),
                    format!("pattern {s} matched no file"),
                ));
            }
        } else {
            out.files.push(input.clone());
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
    /// A fingerprint of the file's bytes (identical files have the same), when it was read.
    pub digest: Option<u64>,
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
    let mut out = Vec::new();
    for_each_in_order(files, format, opts, progress, keep, &mut |t| out.push(t));
    out
}

/// Files read in parallel at a time by [`for_each_in_order`], per thread.
const CHUNK_PER_THREAD: usize = 32;

/// Dataset files (NDJSON, JSON, CSV) larger than this are read as a stream
/// ([`read::stream`]), their reports handed on in groups: one such file may hold any number of
/// reports.
pub const STREAM_ABOVE: u64 = 1024 * 1024;

fn internal_error(p: &Path) -> Error {
    Error::malformed(
        p,
        "",
        "读取时发生内部错误（请报告此问题并附上文件）",
        "internal error while reading (please report it with the file)",
    )
}

/// The name each input's reports record as their source: its path relative to the deepest
/// folder that holds every input (`2021/海淀区.pdf`; for one file, its name), with `/` between
/// folders. The same files give the same names whatever their order or the working directory.
pub fn source_names(files: &[PathBuf]) -> Vec<String> {
    let abs: Vec<PathBuf> = canonical_paths(files)
        .into_iter()
        .zip(files)
        .map(|(c, f)| {
            c.unwrap_or_else(|| {
                std::env::current_dir()
                    .map(|d| d.join(f))
                    .unwrap_or_else(|_| f.clone())
            })
        })
        .collect();
    let mut root: Option<PathBuf> = None;
    for a in &abs {
        let parent = a.parent().map(Path::to_path_buf).unwrap_or_default();
        root = Some(match root {
            None => parent,
            Some(r) => {
                let common: PathBuf = r
                    .components()
                    .zip(parent.components())
                    .take_while(|(x, y)| x == y)
                    .map(|(x, _)| x)
                    .collect();
                common
            }
        });
    }
    let root = root.unwrap_or_default();
    abs.iter()
        .map(|a| {
            let rel = a.strip_prefix(&root).unwrap_or(a);
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

/// Each file's absolute path with no symbolic link in it (what `std::fs::canonicalize` gives),
/// `None` where there is none (the file is gone). A file that is not itself a link is its
/// folder's path joined with its name, and each folder is resolved once: resolving a path
/// asks the system about every component, so a batch of files in one folder would otherwise
/// cost a few calls per file for the same folder.
pub fn canonical_paths(files: &[PathBuf]) -> Vec<Option<PathBuf>> {
    let mut folders: rustc_hash::FxHashMap<&Path, Option<PathBuf>> = Default::default();
    files
        .iter()
        .map(|f| {
            // Only a path that ends in its name (not `…/.` or `…/`, which name a folder).
            let plain = f.file_name().zip(f.parent()).filter(|(name, _)| {
                f.as_os_str()
                    .as_encoded_bytes()
                    .ends_with(name.as_encoded_bytes())
            });
            let Some((name, parent)) = plain else {
                return std::fs::canonicalize(f).ok();
            };
            match std::fs::symlink_metadata(f) {
                Ok(m) if !m.file_type().is_symlink() => folders
                    .entry(parent)
                    .or_insert_with(|| {
                        let dir = if parent.as_os_str().is_empty() {
                            Path::new(".")
                        } else {
                            parent
                        };
                        std::fs::canonicalize(dir).ok()
                    })
                    .as_ref()
                    .map(|d| d.join(name)),
                Ok(_) => std::fs::canonicalize(f).ok(),
                Err(_) => None,
            }
        })
        .collect()
}

fn read_one(p: &Path, name: &str, format: Option<InputFormat>, opts: &Options) -> Outcome {
    let mut digest = None;
    // A reader bug must not take the batch down: a panic becomes this file's error.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let bytes = read::read_file(p)?;
        digest = Some(fingerprint(&bytes));
        read::read_bytes_as(p, Some(name), &bytes, format, opts)
    }))
    .unwrap_or_else(|_| Err(internal_error(p)));
    Outcome {
        path: p.to_path_buf(),
        result,
        digest,
    }
}

/// Read one large dataset file as a stream, handing each group of its reports (reduced by
/// `keep`) to `consume`; the file's fingerprint, or its error. With more than one thread, the
/// file is read and parsed on a thread of its own while `consume` takes the groups read so far
/// (a writer spooling or flattening them): the two overlap, a few groups apart at most.
fn read_streamed<T: Send>(
    p: &Path,
    format: InputFormat,
    keep: &(dyn Fn(Outcome) -> T + Sync),
    consume: &mut dyn FnMut(T),
) -> Result<u64> {
    let group = |reports| {
        keep(Outcome {
            path: p.to_path_buf(),
            result: Ok(Loaded {
                path: p.to_path_buf(),
                reports,
            }),
            digest: None,
        })
    };
    // A reader bug must not take the batch down: a panic becomes this file's error.
    let read = |hand: &mut dyn FnMut(T)| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read::stream::read(p, format, &mut |g| hand(group(g)))
        }))
        .unwrap_or_else(|_| Err(internal_error(p)))
    };
    if rayon::current_num_threads() <= 1 {
        return read(consume);
    }
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<T>(2);
        let reader = s.spawn(move || {
            read(&mut |t| {
                // The receiver lives until this thread is joined.
                let _ = tx.send(t);
            })
        });
        for t in rx {
            consume(t);
        }
        reader.join().unwrap_or_else(|_| Err(internal_error(p)))
    })
}

/// Read files in parallel and hand each outcome, reduced by `keep`, to `consume` in input
/// order, a chunk of files at a time: memory holds one chunk, whatever the number of files, so
/// a writer fed by `consume` streams. A large dataset file ([`STREAM_ABOVE`]) is read as a
/// stream and gives one outcome per group of reports, then a last one (with no reports) that
/// carries its fingerprint; an error mid-way is its last outcome.
pub fn for_each_in_order<T: Send>(
    files: &[PathBuf],
    format: Option<InputFormat>,
    opts: &Options,
    progress: &(dyn Fn() + Sync),
    keep: &(dyn Fn(Outcome) -> T + Sync),
    consume: &mut dyn FnMut(T),
) {
    let chunk = rayon::current_num_threads().max(1) * CHUNK_PER_THREAD;
    let names = source_names(files);
    // Decided once per file, size first (for an xlsx it looks inside the zip).
    let streamed: Vec<Option<InputFormat>> = files
        .iter()
        .map(|p| {
            let large = std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() > STREAM_ABOVE);
            large
                .then(|| read::stream::streamed_format(p, format))
                .flatten()
        })
        .collect();
    let mut i = 0;
    while i < files.len() {
        if let Some(f) = streamed[i] {
            let p = &files[i];
            let result = read_streamed(p, f, keep, consume);
            progress();
            let (result, digest) = match result {
                Ok(d) => (
                    Ok(Loaded {
                        path: p.clone(),
                        reports: Vec::new(),
                    }),
                    Some(d),
                ),
                Err(e) => (Err(e), None),
            };
            consume(keep(Outcome {
                path: p.clone(),
                result,
                digest,
            }));
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < files.len() && end - i < chunk && streamed[end].is_none() {
            end += 1;
        }
        let done: Vec<T> = files[i..end]
            .par_iter()
            .zip(&names[i..end])
            .map(|(p, name)| {
                let o = read_one(p, name, format, opts);
                progress();
                keep(o)
            })
            .collect();
        for t in done {
            consume(t);
        }
        i = end;
    }
}

/// A 64-bit fingerprint of a file's bytes (XXH3: the same in every run, at memory speed).
pub fn fingerprint(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Groups of files with identical bytes (each group in input order), from their fingerprints.
pub fn identical(files: &[(PathBuf, Option<u64>)]) -> Vec<Vec<PathBuf>> {
    let mut groups: Vec<(u64, Vec<PathBuf>)> = Vec::new();
    for (p, d) in files {
        let Some(d) = d else { continue };
        match groups.iter_mut().find(|g| g.0 == *d) {
            Some(g) => g.1.push(p.clone()),
            None => groups.push((*d, vec![p.clone()])),
        }
    }
    groups
        .into_iter()
        .filter(|g| g.1.len() > 1)
        .map(|g| g.1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths resolved a folder at a time are what `canonicalize` gives: plain files, a linked
    /// file, a file under a linked folder, `..` inside, a trailing `.`, a missing file.
    #[cfg(unix)]
    #[test]
    fn canonical_paths_are_what_canonicalize_gives() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::create_dir(p.join("sub")).unwrap();
        std::fs::write(p.join("a.txt"), b"x").unwrap();
        std::fs::write(p.join("sub/b.txt"), b"x").unwrap();
        std::os::unix::fs::symlink(p.join("sub/b.txt"), p.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(p.join("sub"), p.join("linked")).unwrap();
        let files: Vec<PathBuf> = [
            "a.txt",
            "sub/b.txt",
            "link.txt",
            "linked/b.txt",
            "sub/../a.txt",
            "linked/../a.txt",
            "linked/.",
            "missing.txt",
            "sub/missing.txt",
        ]
        .iter()
        .map(|f| p.join(f))
        .collect();
        let expected: Vec<Option<PathBuf>> = files
            .iter()
            .map(|f| std::fs::canonicalize(f).ok())
            .collect();
        assert_eq!(canonical_paths(&files), expected);
        assert!(expected[2].as_ref().unwrap().ends_with("sub/b.txt"));
    }

    #[test]
    fn directories_expand_to_report_files_only() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        for f in ["a.txt", "sub/b.xlsx", "c.png", ".hidden.txt", "~$lock.xlsx"] {
            std::fs::write(d.path().join(f), b"x").unwrap();
        }
        let got = expand(&[d.path().to_path_buf()]).unwrap().files;
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
        assert_eq!(expand(&[pat]).unwrap().files.len(), 1);
        assert!(expand(&[d.path().join("*.nothing")]).is_err());
    }
}
