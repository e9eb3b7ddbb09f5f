//! Our own XML form of reports (namespace [`NAMESPACE`]), both directions: one concept, one
//! place. `docs/xml-format.md` describes it for people.
//!
//! The XML mirrors the JSON form element by element, so the JSON Schema documents both:
//!
//! ```xml
//! <reports xmlns="urn:xxgk:report:1">
//!   <report>
//!     <edition>2021</edition>
//!     <agency>某某市人民政府</agency>
//!     <report_year t="number">2021</report_year>
//!     <applications>
//!       <new_applications>
//!         <natural_person t="number">12</natural_person>
//!         <commercial_enterprise>/</commercial_enterprise>
//!         …
//! ```
//!
//! * an object is an element whose children are its fields, in schema order;
//! * a string is text; a number has `t="number"`; an array has `t="array"` and `<item>`
//!   children; `null` is left out inside objects and is `<item t="null"/>` inside arrays; an
//!   empty object has `t="object"`;
//! * a blank cell (`null`) is therefore simply absent, a mark (`/`, `-`, `无`) is text;
//! * control characters that XML 1.0 cannot carry (U+0000–U+001F other than tab, line feed and
//!   carriage return) are left out of text, on writing and on reading.
//!
//! Reading accepts only this namespace, refuses DTDs and unknown entities (see
//! [`crate::read::xml`]), and checks the result against the report types.

use serde_json::{Map, Value};
use xxgk_schema::Report;

use crate::read::xml::{walk, Ev};

/// The namespace of our XML form.
pub const NAMESPACE: &str = "urn:xxgk:report:1";

/// Characters XML 1.0 cannot carry, not even as references.
fn is_illegal(c: char) -> bool {
    ((c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
}

fn esc(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            // Characters XML 1.0 cannot carry at all.
            c if is_illegal(c) => {}
            c => out.push(c),
        }
    }
}

fn element(name: &str, v: &Value, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    match v {
        Value::Null => {
            out.push_str(&format!("{pad}<{name} t=\"null\"/>\n"));
        }
        Value::Bool(b) => out.push_str(&format!("{pad}<{name} t=\"boolean\">{b}</{name}>\n")),
        Value::Number(n) => out.push_str(&format!("{pad}<{name} t=\"number\">{n}</{name}>\n")),
        Value::String(s) => {
            out.push_str(&format!("{pad}<{name}>"));
            esc(s, out);
            out.push_str(&format!("</{name}>\n"));
        }
        Value::Array(a) => {
            if a.is_empty() {
                out.push_str(&format!("{pad}<{name} t=\"array\"/>\n"));
            } else {
                out.push_str(&format!("{pad}<{name} t=\"array\">\n"));
                for x in a {
                    element("item", x, depth + 1, out);
                }
                out.push_str(&format!("{pad}</{name}>\n"));
            }
        }
        Value::Object(m) => {
            let fields: Vec<(&String, &Value)> = m.iter().filter(|(_, v)| !v.is_null()).collect();
            if fields.is_empty() {
                out.push_str(&format!("{pad}<{name} t=\"object\"/>\n"));
            } else {
                out.push_str(&format!("{pad}<{name}>\n"));
                for (k, x) in fields {
                    element(k, x, depth + 1, out);
                }
                out.push_str(&format!("{pad}</{name}>\n"));
            }
        }
    }
}

/// Reports as one XML document.
pub fn to_xml(reports: &[Report]) -> String {
    let mut out = document_start();
    for r in reports {
        out.push_str(&report_element(r));
    }
    out.push_str(document_end());
    out
}

/// The start of the XML document, up to the first report.
pub fn document_start() -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<reports xmlns=\"{NAMESPACE}\">\n")
}

/// One report's element, indented as inside `<reports>`.
pub fn report_element(report: &Report) -> String {
    let mut out = String::new();
    let v = serde_json::to_value(report).expect("reports serialize");
    element("report", &v, 1, &mut out);
    out
}

/// The end of the XML document.
pub fn document_end() -> &'static str {
    "</reports>\n"
}

/// Whether a document's root element is in our namespace (a cheap sniff of the first bytes).
pub fn is_ours(head: &str) -> bool {
    head.contains(NAMESPACE)
}

struct Node {
    name: String,
    t: Option<String>,
    text: String,
    children: Vec<(String, Value)>,
}

fn finish(n: Node) -> Result<Value, String> {
    Ok(match n.t.as_deref() {
        Some("null") => Value::Null,
        Some("number") => {
            let s = n.text.trim();
            let v: Value = serde_json::from_str(s).map_err(|_| {
                format!(
                    "<{}> 的数值「{s}」无效|<{}>: {s:?} is not a number",
                    n.name, n.name
                )
            })?;
            if !v.is_number() {
                return Err(format!(
                    "<{}> 的数值「{s}」无效|<{}>: {s:?} is not a number",
                    n.name, n.name
                ));
            }
            v
        }
        Some("boolean") => Value::Bool(n.text.trim() == "true"),
        Some("array") => Value::Array(n.children.into_iter().map(|(_, v)| v).collect()),
        Some("object") => Value::Object(Map::new()),
        None if !n.children.is_empty() => Value::Object(n.children.into_iter().collect()),
        None => Value::String(n.text),
        Some(other) => {
            return Err(format!(
                "<{}> 的类型 t=\"{other}\" 无效|<{}>: unknown type t={other:?}",
                n.name, n.name
            ))
        }
    })
}

/// Why a document could not be read as our XML: message pair.
pub type FormError = (String, String);

/// Read reports from our XML form.
pub fn from_xml(xml: &str) -> Result<Vec<Report>, FormError> {
    let mut stack: Vec<Node> = Vec::new();
    let mut reports: Vec<Value> = Vec::new();
    let mut root_ok = false;
    let mut err: Option<String> = None;
    walk(xml, |e| {
        if err.is_some() {
            return;
        }
        match e {
            Ev::Start(name, attrs) => {
                if stack.is_empty() && !root_ok {
                    let ns = attrs.iter().any(|(k, v)| k == "xmlns" && v == NAMESPACE);
                    if name != "reports" || !ns {
                        err = Some(format!("根元素应为 {NAMESPACE} 命名空间的 <reports>|the root element must be <reports> in namespace {NAMESPACE}"));
                        return;
                    }
                    root_ok = true;
                    return;
                }
                let t = attrs.iter().find(|(k, _)| k == "t").map(|(_, v)| v.clone());
                stack.push(Node {
                    name,
                    t,
                    text: String::new(),
                    children: Vec::new(),
                });
            }
            Ev::Text(s) => {
                if let Some(n) = stack.last_mut() {
                    // Control characters cannot be carried by XML 1.0; the writer leaves them
                    // out, and so does the reader when a document has them anyway.
                    n.text.extend(s.chars().filter(|&c| !is_illegal(c)));
                }
            }
            Ev::End(_) => {
                let Some(n) = stack.pop() else {
                    return;
                };
                let name = n.name.clone();
                match finish(n) {
                    Ok(v) => match stack.last_mut() {
                        Some(parent) => parent.children.push((name, v)),
                        None => reports.push(v),
                    },
                    Err(e) => err = Some(e),
                }
            }
        }
    })
    .map_err(|e| (format!("第 {} 字节：{}", e.offset, e.zh), format!("byte {}: {}", e.offset, e.en)))?;
    if let Some(e) = err {
        let (zh, en) = e.split_once('|').unwrap_or((&e, &e));
        return Err((zh.to_string(), en.to_string()));
    }
    if !root_ok {
        return Err(("文档为空".into(), "the document is empty".into()));
    }
    reports
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value::<Report>(v).map_err(|e| {
                (
                    format!("第 {} 个 <report> 不符合报告格式：{e}", i + 1),
                    format!(
                        "<report> number {} does not fit the report schema: {e}",
                        i + 1
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_schema::{Cell, Edition, Mark};

    #[test]
    fn round_trip_keeps_blanks_marks_and_text() {
        let mut r = Report::blank_template(Edition::E2021);
        r.info_mut().title = Some("a < b & \"c\"\n第二行".into());
        r.info_mut().report_year = Some(2021);
        if let Report::E2021(x) = &mut r {
            let a = x.applications.as_mut().unwrap();
            a.new_applications.natural_person.0 = Cell::int(12);
            a.new_applications.commercial_enterprise.0 = Cell::Mark(Mark::Slash);
            x.review_litigation = None;
        }
        let xml = to_xml(std::slice::from_ref(&r));
        assert!(xml.contains("<natural_person t=\"number\">12</natural_person>"));
        assert!(xml.contains("<commercial_enterprise>/</commercial_enterprise>"));
        assert_eq!(from_xml(&xml).unwrap(), vec![r]);
    }

    #[test]
    fn foreign_documents_are_refused() {
        assert!(from_xml("<reports><report/></reports>").is_err());
        assert!(from_xml("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><reports xmlns=\"urn:xxgk:report:1\"/>").is_err());
        let e = from_xml("<reports xmlns=\"urn:xxgk:report:1\"><report><edition>2030</edition></report></reports>").unwrap_err();
        assert!(e.1.contains("report schema"), "{e:?}");
    }
}
