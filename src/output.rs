//! Writing output files: atomically (temporary file + rename), never over an existing file
//! without `--force`, `-` for standard output.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Write `bytes` to `path` atomically. `-` writes to standard output.
pub fn write_atomic(path: &Path, force: bool, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, force, &mut |w| w.write_all(bytes))
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
    if path.exists() && !force {
        return Err(Error::OutputExists(path.into()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        produce(&mut w).and_then(|_| w.flush()).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
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
    }
}
