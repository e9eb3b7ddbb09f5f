//! The error type of the toolkit: every error says where and what to do, in Chinese and English.

use std::path::PathBuf;

/// An error that stops one input (or the whole command) from being processed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read or written.
    #[error("{path}: 无法访问文件：{source} / cannot access file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The output exists and `--force` was not given.
    #[error(
        "{0}: 输出文件已存在，如需覆盖请加 --force / output exists; pass --force to overwrite it"
    )]
    OutputExists(PathBuf),
    /// The input format is not known or not supported.
    #[error("{path}: 无法识别的输入格式{hint}，请用 --from 指定 / unknown input format{hint_en}; name it with --from")]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// Chinese hint.
        hint: String,
        /// English hint.
        hint_en: String,
    },
    /// The input is malformed.
    #[error("{path}{at}: {zh} / {en}")]
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
    #[error("{path}: 未找到年度报告的统计表（二、三、四部分或旧版统计表）；请确认文件是政府信息公开工作年度报告 / no report tables found (sections 二/三/四 or a legacy 统计表); check that the file is an annual report")]
    NoTables {
        /// The file.
        path: PathBuf,
    },
    /// An output could not be produced.
    #[error("{message_zh} / {message_en}")]
    Write {
        /// Chinese message.
        message_zh: String,
        /// English message.
        message_en: String,
    },
    /// A usage error on the command line.
    #[error("{zh} / {en}")]
    Usage {
        /// Chinese message.
        zh: String,
        /// English message.
        en: String,
    },
}

impl Error {
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

/// Result with the toolkit's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
