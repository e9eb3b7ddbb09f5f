//! Safe XML and zip access shared by the XML-based readers (Word, SpreadsheetML, ODS spans, our
//! own XML).
//!
//! XML: quick-xml events flattened to [`Ev`]s with local names. Only the five predefined entities
//! and numeric character references are resolved; a DTD (`<!DOCTYPE`) or any other entity is
//! refused with its byte position, so entity-expansion attacks cannot happen; nesting is capped at
//! [`MAX_DEPTH`]. Zip: entry count and the *uncompressed* size read are capped, whatever the
//! archive declares, so a zip bomb stops at the limit.

use std::io::Read;

use quick_xml::events::Event;
use quick_xml::Reader;

/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 256;
/// Most entries a zip container may have.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Most bytes read from one zip entry after decompression.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

/// One XML event, by local name (prefixes dropped).
#[derive(Debug, Clone, PartialEq)]
pub enum Ev {
    /// An element starts, with its attributes (local name → value).
    Start(String, Vec<(String, String)>),
    /// An element ends.
    End(String),
    /// Text (entities resolved).
    Text(String),
}

/// Why XML could not be read: message and byte offset.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlError {
    /// Byte offset in the document.
    pub offset: u64,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
}

fn err(offset: u64, zh: impl Into<String>, en: impl Into<String>) -> XmlError {
    XmlError {
        offset,
        zh: zh.into(),
        en: en.into(),
    }
}

fn local(name: &str) -> String {
    match name.rfind(':') {
        Some(i) => name[i + 1..].to_string(),
        None => name.to_string(),
    }
}

fn attrs(
    e: &quick_xml::events::BytesStart<'_>,
    at: u64,
) -> Result<Vec<(String, String)>, XmlError> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| {
            err(
                at,
                format!("属性无效：{x}"),
                format!("invalid attribute: {x}"),
            )
        })?;
        let v = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|x| {
                err(
                    at,
                    format!("属性值含有不支持的实体：{x}"),
                    format!("attribute value has an unsupported entity: {x}"),
                )
            })?;
        out.push((local(a.key.as_ref()), v.into_owned()));
    }
    Ok(out)
}

/// Walk a document, calling `f` for each event. Stops at the first error.
pub fn walk(xml: &str, mut f: impl FnMut(Ev)) -> Result<(), XmlError> {
    let mut r = Reader::from_str(xml);
    r.config_mut().expand_empty_elements = true;
    r.config_mut().check_end_names = true;
    let mut depth = 0usize;
    loop {
        let at = r.buffer_position();
        let ev = r.read_event().map_err(|e| {
            err(
                r.error_position(),
                format!("XML 格式错误：{e}"),
                format!("malformed XML: {e}"),
            )
        })?;
        match ev {
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(err(
                        at,
                        format!("XML 嵌套过深（超过 {MAX_DEPTH} 层）"),
                        format!("XML nested too deeply (more than {MAX_DEPTH} levels)"),
                    ));
                }
                f(Ev::Start(local(e.name().as_ref()), attrs(&e, at)?));
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                f(Ev::End(local(e.name().as_ref())));
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                if !s.is_empty() {
                    f(Ev::Text(s.into_owned()));
                }
            }
            Event::CData(t) => f(Ev::Text(t.to_string())),
            Event::GeneralRef(g) => {
                if let Some(c) = g.resolve_char_ref().map_err(|e| {
                    err(
                        at,
                        format!("字符引用无效：{e}"),
                        format!("invalid character reference: {e}"),
                    )
                })? {
                    f(Ev::Text(c.to_string()));
                } else {
                    let name = g.to_string();
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => f(Ev::Text(s.to_string())),
                        None => {
                            return Err(err(
                                at,
                                format!("不支持的实体 &{name};（只接受 XML 预定义实体）"),
                                format!("unsupported entity &{name}; (only XML's predefined entities are accepted)"),
                            ))
                        }
                    }
                }
            }
            Event::DocType(_) => {
                return Err(err(
                    at,
                    "文档含有 DTD（<!DOCTYPE>），出于安全原因不予处理",
                    "the document has a DTD (<!DOCTYPE>); refused for safety",
                ))
            }
            Event::Eof => break,
            Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    Ok(())
}

/// A zip container opened with limits.
pub struct Zip<'a> {
    archive: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
}

impl<'a> Zip<'a> {
    /// Open a zip archive held in memory.
    pub fn open(bytes: &'a [u8]) -> Result<Zip<'a>, XmlError> {
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
            err(
                0,
                format!("不是有效的 zip 容器：{e}"),
                format!("not a valid zip container: {e}"),
            )
        })?;
        if archive.len() > MAX_ZIP_ENTRIES {
            return Err(err(
                0,
                format!(
                    "zip 容器条目过多（{} 个，上限 {MAX_ZIP_ENTRIES}）",
                    archive.len()
                ),
                format!(
                    "zip container has too many entries ({}; limit {MAX_ZIP_ENTRIES})",
                    archive.len()
                ),
            ));
        }
        Ok(Zip { archive })
    }

    /// Refuse a container whose entries declare more than `per_entry` bytes each (or, for
    /// `sharedStrings.xml`, which calamine holds in memory, more than [`MAX_ENTRY_BYTES`]) or
    /// more than `total` bytes together, before any of them is decompressed.
    pub fn check_declared_sizes(&mut self, per_entry: u64, total: u64) -> Result<(), XmlError> {
        let mut sum = 0u64;
        for i in 0..self.archive.len() {
            let f = self.archive.by_index_raw(i).map_err(|e| {
                err(
                    0,
                    format!("zip 条目无效：{e}"),
                    format!("invalid zip entry: {e}"),
                )
            })?;
            let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
            let size = f.size();
            let limit = if name.ends_with("sharedStrings.xml") {
                MAX_ENTRY_BYTES
            } else {
                per_entry
            };
            sum = sum.saturating_add(size);
            if size > limit || sum > total {
                return Err(err(
                    0,
                    format!("{name} 解压后声明为 {size} 字节，超出上限（可能是压缩炸弹），不予处理"),
                    format!("{name} declares {size} bytes uncompressed, over the limit (a zip bomb?); refused"),
                ));
            }
        }
        Ok(())
    }

    /// Whether an entry exists.
    pub fn has(&mut self, name: &str) -> bool {
        self.archive.by_name(name).is_ok()
    }

    /// Read an entry as UTF-8 text, refusing more than [`MAX_ENTRY_BYTES`] after decompression.
    pub fn text(&mut self, name: &str) -> Result<String, XmlError> {
        let entry = self.archive.by_name(name).map_err(|e| {
            err(
                0,
                format!("缺少 {name}：{e}"),
                format!("missing {name}: {e}"),
            )
        })?;
        let mut buf = Vec::new();
        entry
            .take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| {
                err(
                    0,
                    format!("无法解压 {name}：{e}"),
                    format!("cannot decompress {name}: {e}"),
                )
            })?;
        if buf.len() as u64 > MAX_ENTRY_BYTES {
            return Err(err(
                0,
                format!("{name} 解压后超过 {MAX_ENTRY_BYTES} 字节（可能是压缩炸弹），不予处理"),
                format!("{name} expands beyond {MAX_ENTRY_BYTES} bytes (a zip bomb?); refused"),
            ));
        }
        String::from_utf8(buf).map_err(|_| {
            err(
                0,
                format!("{name} 不是 UTF-8 文本"),
                format!("{name} is not UTF-8 text"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(x: &str) -> Result<Vec<Ev>, XmlError> {
        let mut v = Vec::new();
        walk(x, |e| v.push(e))?;
        Ok(v)
    }

    #[test]
    fn predefined_entities_and_char_refs_resolve() {
        let v = events("<a x=\"1&amp;2\">&lt;b&gt; &#20013;&#x6587;</a>").unwrap();
        let text: String = v
            .iter()
            .filter_map(|e| match e {
                Ev::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(text, "<b> 中文");
        assert_eq!(
            v[0],
            Ev::Start("a".into(), vec![("x".into(), "1&2".into())])
        );
    }

    #[test]
    fn dtd_and_custom_entities_are_refused() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;\">]><l>&b;</l>";
        let e = events(bomb).unwrap_err();
        assert!(e.en.contains("DTD"), "{e:?}");
        let e = events("<l>&b;</l>").unwrap_err();
        assert!(e.en.contains("unsupported entity"), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let x = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(events(&x).unwrap_err().en.contains("deeply"));
    }

    #[test]
    fn zip_bomb_stops_at_the_limit() {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            w.start_file("big.xml", opts).unwrap();
            let chunk = vec![b'a'; 1 << 20];
            for _ in 0..(MAX_ENTRY_BYTES >> 20) + 2 {
                w.write_all(&chunk).unwrap();
            }
            w.finish().unwrap();
        }
        let bytes = buf.into_inner();
        assert!(bytes.len() < 1 << 20, "compressed {}", bytes.len());
        let mut z = Zip::open(&bytes).unwrap();
        assert!(z.text("big.xml").unwrap_err().en.contains("zip bomb"));
        assert!(z
            .check_declared_sizes(MAX_ENTRY_BYTES, u64::MAX)
            .unwrap_err()
            .en
            .contains("zip bomb"));
        // The same bomb named as a workbook is refused before calamine sees it.
        let e = crate::read::read_bytes(
            std::path::Path::new("b.xlsx"),
            &bytes,
            None,
            &Default::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("zip") || e.to_string().contains("xlsx"),
            "{e}"
        );
    }
}
