//! Walking a report's cells by their stable field paths.
//!
//! Every table struct is declared once with the [`table!`] macro, which gives each field its
//! Chinese label (the JSON Schema `title`), its English label (`description` and `x-title-en`),
//! and a [`Visit`] implementation. Writers, checks and readers use [`Visit`] to reach every cell
//! with its path (`applications.results.denied.state_secret.natural_person`) and labels, so the
//! list of fields lives in exactly one place: the type declarations.

use crate::cell::{Amount, Cell, Count, Kind, Signed};

/// The identifier and the labels of one field of a table struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Field {
    /// Stable English snake_case identifier (the JSON key).
    pub id: &'static str,
    /// Chinese label as printed in the official template.
    pub zh: &'static str,
    /// English label.
    pub en: &'static str,
}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A named field of a struct.
    Field(&'static Field),
    /// A dynamic key: an entry of a list (legacy indicators and their value columns).
    Key(String),
}

impl Seg {
    /// The identifier this step contributes to the dotted path.
    pub fn id(&self) -> &str {
        match self {
            Seg::Field(f) => f.id,
            Seg::Key(k) => k,
        }
    }
}

/// Join a path into its dotted form, e.g. `applications.new_applications.total`.
pub fn dotted(path: &[Seg]) -> String {
    // Sized once: grown step by step, a path of five steps reallocated four times.
    let mut s = String::with_capacity(path.iter().map(|s| s.id().len() + 1).sum());
    dotted_into(path, &mut s);
    s
}

/// [`dotted`] into a buffer that is cleared first: a visit over every cell can reuse one
/// buffer instead of allocating a string per cell.
pub fn dotted_into(path: &[Seg], out: &mut String) {
    out.clear();
    push_dotted(path, out);
}

/// [`dotted`] appended to `out` (every path of a report can share one buffer).
pub fn push_dotted(path: &[Seg], out: &mut String) {
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(seg.id());
    }
}

/// Reach every value cell of a structure, with its path and kind.
pub trait Visit {
    /// Call `f` for every cell, in declaration (form) order.
    fn visit<'a>(&'a self, path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &'a Cell, Kind));
    /// Call `f` for every cell, mutably, in declaration (form) order.
    fn visit_mut(&mut self, path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &mut Cell, Kind));
}

macro_rules! leaf_visit {
    ($t:ty) => {
        impl Visit for $t {
            fn visit<'a>(&'a self, path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &'a Cell, Kind)) {
                f(path, &self.0, <$t>::KIND)
            }
            fn visit_mut(
                &mut self,
                path: &mut Vec<Seg>,
                f: &mut dyn FnMut(&[Seg], &mut Cell, Kind),
            ) {
                f(path, &mut self.0, <$t>::KIND)
            }
        }
    };
}
leaf_visit!(Count);
leaf_visit!(Signed);
leaf_visit!(Amount);

/// Whether a field is absent and so left out of JSON: only an optional part (`Option`) that is
/// `None` is; every cell and every table is always written, blank or not.
pub trait Absent {
    /// True when the field is left out of JSON.
    fn absent(&self) -> bool {
        false
    }
}

impl<T> Absent for Option<T> {
    fn absent(&self) -> bool {
        self.is_none()
    }
}
impl Absent for Count {}
impl Absent for Signed {}
impl Absent for Amount {}

/// The type of a [`table!`] field: `#[optional]` fields are `Option`s.
#[macro_export]
#[doc(hidden)]
macro_rules! __table_field_type {
    (optional; $ty:ty) => { ::core::option::Option<$ty> };
    (; $ty:ty) => { $ty };
}

impl<T: Visit> Visit for Option<T> {
    fn visit<'a>(&'a self, path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &'a Cell, Kind)) {
        if let Some(t) = self {
            t.visit(path, f)
        }
    }
    fn visit_mut(&mut self, path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &mut Cell, Kind)) {
        if let Some(t) = self {
            t.visit_mut(path, f)
        }
    }
}

/// Declare a table struct: serde + schemars derives, Chinese/English labels, and [`Visit`].
///
/// A field marked `#[optional]` is an `Option`: a part of the table that only some reports print
/// (it is left out of JSON when absent, and [`Visit`] skips it).
///
/// ```ignore
/// table! {
///     /// Doc comment.
///     pub struct ApplicantRow {
///         natural_person: Count => "自然人", "Natural persons",
///     }
/// }
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! table {
    (
        $(#[$m:meta])*
        pub struct $name:ident {
            $( $(#[$opt:ident])? $field:ident : $ty:ty => $zh:tt, $en:tt ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $(
                #[doc = $zh]
                #[doc = ""]
                #[doc = $en]
                #[serde(default, skip_serializing_if = "crate::fields::Absent::absent")]
                #[cfg_attr(feature = "schemars", schemars(title = $zh, description = $en, extend("x-title-en" = $en)))]
                pub $field: $crate::__table_field_type!($($opt)?; $ty),
            )*
        }

        impl $crate::Absent for $name {}

        impl $name {
            /// The fields of this table, in form order, with their labels.
            pub const FIELDS: &'static [$crate::Field] = &[
                $( $crate::Field { id: stringify!($field), zh: $zh, en: $en }, )*
            ];
        }

        impl $crate::Visit for $name {
            #[allow(unused_assignments, unused_mut, unused_variables)]
            fn visit<'a>(
                &'a self,
                path: &mut Vec<$crate::Seg>,
                f: &mut dyn FnMut(&[$crate::Seg], &'a $crate::Cell, $crate::Kind),
            ) {
                let mut i = 0;
                $(
                    path.push($crate::Seg::Field(&Self::FIELDS[i]));
                    $crate::Visit::visit(&self.$field, path, f);
                    path.pop();
                    i += 1;
                )*
            }
            #[allow(unused_assignments, unused_mut, unused_variables)]
            fn visit_mut(
                &mut self,
                path: &mut Vec<$crate::Seg>,
                f: &mut dyn FnMut(&[$crate::Seg], &mut $crate::Cell, $crate::Kind),
            ) {
                let mut i = 0;
                $(
                    path.push($crate::Seg::Field(&Self::FIELDS[i]));
                    $crate::Visit::visit_mut(&mut self.$field, path, f);
                    path.pop();
                    i += 1;
                )*
            }
        }
    };
}
