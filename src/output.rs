//! Writing output files: atomically (temporary file + rename), never over an existing file
//! without `--force`, `-` for standard output.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Write `bytes` to `path` atomically. `-` writes to standard output.
pub fn write_atomic(path: &Path, force: bool, bytes: &[u8]) -> Result<()> {
    if path.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(bytes)
            .and_then(|_| out.flush())
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
    tmp.write_all(bytes).map_err(io)?;
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
