//! The legacy statistical tables (reports on 2008–2018).
//!
//! There was no single national table before 2014, and the 2014 national table was extended
//! locally, so a legacy report's statistics are an open list of indicators, kept in printed
//! order, each with the label as printed and, where it is recognized, a canonical `id`.

use crate::cell::{Amount, Cell, Kind};
use crate::fields::{Seg, Visit};
#[cfg(feature = "schemars")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A legacy 统计表: an open list of indicators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schemars",
    schemars(
        title = "政府信息公开情况统计表",
        description = "Legacy statistical table (reports on 2008–2018): indicators in printed order"
    )
)]
pub struct LegacyStatistics {
    /// 数值列的表头
    ///
    /// Headers of the value columns as printed, e.g. `["数量"]` or `["2015年度", "历年累计"]`.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "数值列的表头",
            description = "Headers of the value columns as printed, e.g. [\"数量\"] or [\"2015年度\", \"历年累计\"]"
        )
    )]
    pub value_columns: Vec<String>,
    /// 指标
    ///
    /// The indicators, in printed order.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "指标", description = "The indicators, in printed order")
    )]
    pub indicators: Vec<LegacyIndicator>,
}

/// One indicator (row) of a legacy table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LegacyIndicator {
    /// 规范标识
    ///
    /// Canonical identifier when the label is recognized (e.g. `applications_total`), else null.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "规范标识",
            description = "Canonical identifier when the label is recognized (e.g. applications_total), else null"
        )
    )]
    pub id: Option<String>,
    /// 指标名称
    ///
    /// The label as printed.
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "指标名称", description = "The indicator label as printed")
    )]
    pub label: String,
    /// 所属分组
    ///
    /// The group heading the indicator sits under, if any.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "所属分组",
            description = "The group heading the indicator sits under, if any"
        )
    )]
    pub group: Option<String>,
    /// 计量单位
    ///
    /// Unit as printed (条, 件, 人次, 万元 …).
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(
            title = "计量单位",
            description = "Unit as printed (条, 件, 人次, 万元 …)"
        )
    )]
    pub unit: Option<String>,
    /// 数值
    ///
    /// One value per value column.
    #[serde(default)]
    #[cfg_attr(
        feature = "schemars",
        schemars(title = "数值", description = "One value per value column")
    )]
    pub values: Vec<Amount>,
}

impl LegacyIndicator {
    /// The path key of this indicator: its id, or `row_N` (1-based position) when unrecognized.
    pub fn key(&self, position: usize) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => format!("row_{}", position + 1),
        }
    }
}

impl Visit for LegacyStatistics {
    fn visit<'a>(&'a self, path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &'a Cell, Kind)) {
        for (i, ind) in self.indicators.iter().enumerate() {
            path.push(Seg::Key(ind.key(i)));
            for (c, v) in ind.values.iter().enumerate() {
                path.push(Seg::Key(format!("c{}", c + 1)));
                f(path, &v.0, Kind::Amount);
                path.pop();
            }
            path.pop();
        }
    }
    fn visit_mut(&mut self, path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &mut Cell, Kind)) {
        for (i, ind) in self.indicators.iter_mut().enumerate() {
            path.push(Seg::Key(ind.key(i)));
            for (c, v) in ind.values.iter_mut().enumerate() {
                path.push(Seg::Key(format!("c{}", c + 1)));
                f(path, &mut v.0, Kind::Amount);
                path.pop();
            }
            path.pop();
        }
    }
}
