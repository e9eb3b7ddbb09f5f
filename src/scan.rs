//! Byte searches shared by the readers, the recognizer and the writers: the first byte of a
//! kind, and a substring test quick on short texts. Owns nothing but the searching.

/// Where the first byte of `b` that `hit` picks is, looked for 32 bytes at a time: a block
/// is tested whole (a loop without an early exit, which the compiler vectorizes when `hit` is
/// made of comparisons), and searched only when it holds one.
#[inline]
pub(crate) fn first_byte(b: &[u8], hit: impl Fn(u8) -> bool) -> Option<usize> {
    const BLOCK: usize = 32;
    let mut blocks = b.chunks_exact(BLOCK);
    let mut at = 0;
    for block in blocks.by_ref() {
        if block.iter().fold(false, |any, &x| any | hit(x)) {
            return block.iter().position(|&x| hit(x)).map(|i| at + i);
        }
        at += BLOCK;
    }
    blocks
        .remainder()
        .iter()
        .position(|&x| hit(x))
        .map(|i| at + i)
}

/// Whether `text` holds `word`: `str::contains`, quicker on short texts such as label keys and
/// lines (the standard search prepares a two-way searcher at every call). Candidates are found
/// by the word's first byte — byte by byte under 64 bytes, where memchr's set-up costs more —
/// and compared whole.
#[inline]
pub(crate) fn holds(text: &str, word: &str) -> bool {
    let (k, w) = (text.as_bytes(), word.as_bytes());
    let Some((&first, _)) = w.split_first() else {
        return true;
    };
    if w.len() > k.len() {
        return false;
    }
    let starts = &k[..=k.len() - w.len()];
    if starts.len() < 64 {
        return (0..starts.len()).any(|i| starts[i] == first && k[i..].starts_with(w));
    }
    memchr::memchr_iter(first, starts).any(|i| k[i..].starts_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `holds` is `str::contains`, on short and long texts.
        #[test]
        fn holds_is_contains(key in "[规章本年新收其他处理 a(1)、]{0,40}", word in "[规章本年新收其他 a(]{0,4}") {
            proptest::prop_assert_eq!(holds(&key, &word), key.contains(word.as_str()));
        }

        /// The block-wise search finds what a byte-by-byte search finds.
        #[test]
        fn first_byte_is_the_first(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120), from in 0usize..8) {
            let b = &b[from.min(b.len())..];
            proptest::prop_assert_eq!(first_byte(b, |x| x.is_ascii_digit()), b.iter().position(u8::is_ascii_digit));
        }
    }

    #[test]
    fn two_spaces_are_found_where_they_run() {
        let long = "规章 ".repeat(30);
        for s in [
            "a  b",
            "  ",
            "a b  ",
            "规章 1  2",
            "   x",
            &format!("{long} "),
            &format!("{long}x  y"),
        ] {
            assert!(holds(s, "  "), "{s:?}");
        }
        for s in [
            "",
            " ",
            "a b",
            " a b ",
            "规章 1 2",
            "a\u{3000}\u{3000}b",
            &long,
        ] {
            assert!(!holds(s, "  "), "{s:?}");
        }
    }
}
