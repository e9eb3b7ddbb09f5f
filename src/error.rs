//! The error type of the toolkit: every error says where and what to do, in Chinese and English.

use std::path::PathBuf;

/// An error that stops one input (or the whole command) from being processed.
#[derive(Debug)]
pub enum Error {
    /// The file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The output exists and `--force` was not given.
    OutputExists(PathBuf),
    /// The input format is not known or not supported.
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// Chinese hint.
        hint: String,
        /// English hint.
        hint_en: String,
    },
    /// The input is malformed.
    Malformed {
        /// The file.
        path: PathBuf,
        /// Position, e.g. ` line 3` (with a leading space) or empty.
        at: String,
        /// Chinese message.
        zh: String,
        /// English message.
        en: String,
    },
    /// No report tables were found.
    NoTables {
        /// The file.
        path: PathBuf,
    },
    /// An output could not be produced.
    Write {
        /// Chinese message.
        message_zh: String,
        /// English message.
        message_en: String,
    },
    /// A usage error on the command line.
    Usage {
        /// Chinese message.
        zh: String,
        /// English message.
        en: String,
    },
}

impl Error {
    /// The file the error is about and the position in it (` line 3`, or empty), when there
    /// is one.
    pub fn place(&self) -> Option<(&std::path::Path, &str)> {
        match self {
            Error::Io { path, .. }
            | Error::UnknownFormat { path, .. }
            | Error::NoTables { path } => Some((path, "")),
            Error::OutputExists(path) => Some((path, "")),
            Error::Malformed { path, at, .. } => Some((path, at)),
            Error::Write { .. } | Error::Usage { .. } => None,
        }
    }

    /// What went wrong and what to do, in Chinese and in English, without the place.
    pub fn messages(&self) -> (String, String) {
        match self {
            Error::Io { source, .. } => (
                format!("无法访问文件：{source}"),
                format!("cannot access file: {source}"),
            ),
            Error::OutputExists(_) => (
                "输出文件已存在，如需覆盖请加 --force".into(),
                "output exists; pass --force to overwrite it".into(),
            ),
            Error::UnknownFormat { hint, hint_en, .. } => (
                format!("无法识别的输入格式{hint}，请用 --from 指定"),
                format!("unknown input format{hint_en}; name it with --from"),
            ),
            Error::Malformed { zh, en, .. } | Error::Usage { zh, en } => (zh.clone(), en.clone()),
            Error::NoTables { .. } => (
                "未找到年度报告的统计表（二、三、四部分或旧版统计表）；请确认文件是政府信息公开工作年度报告".into(),
                "no report tables found (sections 二/三/四 or a legacy 统计表); check that the file is an annual report".into(),
            ),
            Error::Write {
                message_zh,
                message_en,
            } => (message_zh.clone(), message_en.clone()),
        }
    }

    /// A usage error.
    pub fn usage(zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::Usage {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A malformed-input error.
    pub fn malformed(
        path: impl Into<PathBuf>,
        at: impl Into<String>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Error {
        Error::Malformed {
            path: path.into(),
            at: at.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((path, at)) = self.place() {
            write!(f, "{}{at}: ", path.display())?;
        }
        let (zh, en) = self.messages();
        write!(f, "{zh} / {en}")
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Why a name (`--from`, `--to`, `--shape`) was not understood, in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{zh} / {en}")]
pub struct BadName {
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
}

impl From<BadName> for Error {
    fn from(b: BadName) -> Error {
        Error::Usage { zh: b.zh, en: b.en }
    }
}

/// Result with the toolkit's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
