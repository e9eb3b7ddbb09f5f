//! Writing output files: atomically (temporary file + rename), never over an existing file
//! without `--force`, `-` for standard output.
//!
//! Owns the temporary files: named `.xxgk-tmp-*` beside the output, created with the mode the
//! umask gives (as any program's new file), given the existing file's mode when `--force`
//! replaces one, and removed when the program is interrupted (SIGINT, SIGTERM) as well as on
//! every error. The output path never holds a partial file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// Temporary files being written, removed if the program is interrupted.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Remove the temporary files of outputs being written and end the program on SIGINT or
/// SIGTERM (exit status 130). Called once by the command-line front end.
pub fn remove_temporaries_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        // The lock is held until the process ends, so no temporary file can be created (and
        // left behind) after these are removed: `Temp::create` registers under the same lock.
        let live = LIVE.lock();
        if let Ok(live) = &live {
            for p in live.iter() {
                let _ = std::fs::remove_file(p);
            }
        }
        eprintln!("\n已中断，未写入输出 / interrupted; no output was written");
        std::process::exit(130);
    });
}

/// Write `bytes` to `path` atomically. `-` writes to standard output.
pub fn write_atomic(path: &Path, force: bool, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, force, &mut |w| w.write_all(bytes))
}

/// Two outputs produced in one pass (a long table and the reports table beside it), each
/// written atomically as by [`write_atomic_with`]. An error is reported for the file it
/// happened to, as it was.
pub fn write_atomic_pair(
    first: &Path,
    second: &Path,
    force: bool,
    produce: &mut dyn FnMut(&mut dyn Write, &mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut second_error: Option<Error> = None;
    let r = write_atomic_with(first, force, &mut |w| match write_atomic_with(
        second,
        force,
        &mut |w2| produce(&mut *w, w2),
    ) {
        Ok(()) => Ok(()),
        Err(e) => {
            second_error = Some(e);
            Err(std::io::Error::other("the second output failed"))
        }
    });
    match second_error {
        Some(e) => Err(e),
        None => r,
    }
}

/// A temporary file that is removed unless it was renamed into place.
struct Temp {
    path: PathBuf,
    done: bool,
}

impl Temp {
    fn create(dir: &Path) -> std::io::Result<(Temp, std::fs::File)> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        for _ in 0..64 {
            let nonce = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let name = format!(
                ".xxgk-tmp-{}-{}-{nonce:08x}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            );
            let path = dir.join(name);
            // Registered before it exists, under the lock the interrupt handler takes.
            let mut live = LIVE
                .lock()
                .map_err(|_| std::io::Error::other("lock poisoned"))?;
            let mut o = std::fs::OpenOptions::new();
            o.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                o.mode(0o666); // the umask decides, as for any new file
            }
            match o.open(&path) {
                Ok(f) => {
                    live.push(path.clone());
                    return Ok((Temp { path, done: false }, f));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("cannot create a temporary file"))
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|p| p != &self.path);
        }
    }
}

/// Like [`write_atomic`], for a writer that produces its output piece by piece (large CSV
/// datasets are streamed to the temporary file instead of being built in memory).
pub fn write_atomic_with(
    path: &Path,
    force: bool,
    produce: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    if path.as_os_str() == "-" {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        return match produce(&mut out).and_then(|_| out.flush()) {
            // The reader went away (`… -o - | head`): not an error of ours.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r,
        }
        .map_err(|source| Error::Io {
            path: path.into(),
            source,
        });
    }
    if path.is_dir() {
        return Err(Error::Write {
            message_zh: format!(
                "{} 是一个目录；请给出输出文件名，例如 {}",
                path.display(),
                path.join("reports.csv").display()
            ),
            message_en: format!(
                "{} is a directory; give an output file name, e.g. {}",
                path.display(),
                path.join("reports.csv").display()
            ),
        });
    }
    let existing = std::fs::metadata(path).ok();
    if existing.is_some() && !force {
        return Err(Error::OutputExists(path.into()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::Write {
            message_zh: format!("输出目录 {} 不存在；请先创建它", dir.display()),
            message_en: format!(
                "the output directory {} does not exist; create it first",
                dir.display()
            ),
        });
    }
    // Errors name the output the user gave, never the temporary file.
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let (mut tmp, file) = Temp::create(dir).map_err(io)?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, &file);
        produce(&mut w).and_then(|_| w.flush()).map_err(io)?;
    }
    if let Some(m) = existing {
        // `--force` replaces the file; it keeps the mode it had.
        file.set_permissions(m.permissions()).map_err(io)?;
    }
    file.sync_all().map_err(io)?;
    drop(file);
    {
        // Renamed under the interrupt handler's lock: interrupted, a file is either still a
        // temporary (removed) or complete in place.
        let _live = LIVE.lock();
        std::fs::rename(&tmp.path, path).map_err(io)?;
        tmp.done = true;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        write_atomic(&p, false, b"1").unwrap();
        assert!(matches!(
            write_atomic(&p, false, b"2"),
            Err(Error::OutputExists(_))
        ));
        write_atomic(&p, true, b"3").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"3");
        // No temporary file is left behind, and a failed write leaves none either.
        let e = write_atomic_with(&dir.path().join("b.json"), false, &mut |_| {
            Err(std::io::Error::other("boom"))
        });
        assert!(e.is_err());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["out.json"]);
    }

    #[test]
    fn a_pair_is_written_together_and_a_failure_names_its_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (
            dir.path().join("tidy.csv"),
            dir.path().join("tidy.reports.csv"),
        );
        write_atomic_pair(&a, &b, false, &mut |w, w2| {
            w.write_all(b"1")?;
            w2.write_all(b"2")
        })
        .unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"1");
        assert_eq!(std::fs::read(&b).unwrap(), b"2");
        // The second exists: refused for that file, and neither is changed.
        std::fs::remove_file(&a).unwrap();
        let e = write_atomic_pair(&a, &b, false, &mut |w, w2| {
            w.write_all(b"x")?;
            w2.write_all(b"y")
        })
        .unwrap_err();
        assert!(matches!(&e, Error::OutputExists(p) if p == &b), "{e}");
        assert!(!a.exists());
        assert_eq!(std::fs::read(&b).unwrap(), b"2");
    }

    #[cfg(unix)]
    #[test]
    fn force_keeps_the_existing_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, true, b"new").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn missing_directory_and_directory_outputs_are_said_plainly() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(&dir.path().join("nodir/sub/out.json"), false, b"1")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("does not exist") && !e.contains(".xxgk-tmp"),
            "{e}"
        );
        let e = write_atomic(dir.path(), false, b"1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a directory"), "{e}");
    }
}
