//! # xxgk
//!
//! Toolkit for China's government information disclosure annual reports
//! (政府信息公开工作年度报告): read a report (pasted text, JSON), recognize its tables in the
//! right edition (2021, 2019, legacy), check their consistency (勾稽关系), and write JSON.
//!
//! 政府信息公开工作年度报告工具包：读取报告（粘贴文本、JSON），识别对应版本的统计表，
//! 检查勾稽关系，输出 JSON。
//!
//! Data flows one way: [`read`] (bytes → tokens with origins) → [`recognize`] (tokens → a typed
//! [`xxgk_schema::Report`] with [`Diagnostic`]s) → [`check`] (rules → [`check::Finding`]s) →
//! [`write`] (reports → bytes).
//!
//! ```
//! use std::path::Path;
//! let text = "第二十条第(五)项\n信息内容\n本年处理决定数量\n行政许可\n50076\n";
//! let loaded = xxgk::read::read_bytes(
//!     Path::new("r.txt"), text.as_bytes(), None, &Default::default()).unwrap();
//! let report = &loaded.reports[0].report;
//! assert_eq!(report.edition(), xxgk_schema::Edition::E2021);
//! assert_eq!(
//!     report.cell("proactive_disclosure.art20_item5.administrative_licensing.decisions_this_year"),
//!     Some(&xxgk_schema::Cell::int(50076)));
//! ```

pub mod batch;
pub mod check;
pub mod codebook;
pub mod dataset;
pub mod diagnostic;
pub mod error;
pub mod layout;
pub mod output;
#[cfg(feature = "parquet")]
pub mod parquet_form;
pub mod read;
pub mod recognize;
mod scan;
pub mod serve;
pub mod write;
pub mod xml_form;

pub use diagnostic::{Diagnostic, Origin, Severity};
pub use error::{Error, Result};
