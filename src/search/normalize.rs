//! Text normalization shared by the index builder and the browser.
//!
//! Every step of the pipeline below has a twin in
//! `themes/default/static/search.js`; the agreement test
//! (`tests/search_agreement.rs`) runs both over a word list and fails on the
//! first difference. Change both sides together. (`token_spans`' reading of
//! 64-byte blocks as bit masks is the index builder's alone: a faster way to
//! the same spans, checked against the character-at-a-time definition.)
//!
//! The pipeline for a piece of text is:
//!
//! 1. Unicode NFC, then split into tokens: a token is a run of *word
//!    characters* ([`is_word_char`]); soft hyphens and zero-width joiners inside
//!    a word are dropped ([`is_ignorable`]).
//! 2. Each token is lowercased and put in NFC again ([`normalize_word`]).
//!    Tokens shorter than two or longer than forty characters are skipped, and
//!    so are stop words ([`is_stop_word`]) when building the index.
//! 3. For lookups, a word is *folded* ([`fold`]): `æ`→`ae`, `ø`→`o`, `å`→`a`
//!    (and a few other accented letters), then `aa`→`a` and `oe`→`o`. Folding
//!    lets `mote`, `moete` and `møte` meet; exact spellings still rank first.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::Lang;

/// Shortest token (in characters) that is indexed or searched.
pub const MIN_TOKEN_CHARS: usize = 2;
/// Longest token (in characters) that is indexed or searched.
pub const MAX_TOKEN_CHARS: usize = 40;

/// Whether `c` is part of a word. ASCII letters and digits are; other ASCII
/// and Latin-1 punctuation is not; from U+00C0 on, everything is a word
/// character except the punctuation, symbol, private-use and emoji blocks
/// listed here.
pub fn is_word_char(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return c.is_ascii_alphanumeric();
    }
    !matches!(cp,
        0x80..=0xBF
            | 0xD7
            | 0xF7
            | 0x2000..=0x2BFF
            | 0x2E00..=0x2E7F
            | 0x3000..=0x303F
            | 0xD800..=0xF8FF
            | 0xFE10..=0xFE1F
            | 0xFE30..=0xFE6F
            | 0xFEFF
            | 0xFF00..=0xFF0F
            | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65
            | 0xFFF0..=0xFFFF
            | 0x1F000..=0x1FAFF
    )
}

/// Characters removed inside words without splitting them: soft hyphen,
/// zero-width non-joiner and zero-width joiner.
pub fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200C}' | '\u{200D}')
}

/// Lowercase and compose one word: NFC, lowercase, NFC.
pub fn normalize_word(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let lower = if is_nfc(word) {
        word.to_lowercase()
    } else {
        word.nfc().collect::<String>().to_lowercase()
    };
    if is_nfc(&lower) {
        lower
    } else {
        lower.nfc().collect()
    }
}

/// Whether `s` is certainly in NFC (a quick check: `false` may also mean
/// "maybe").
pub(crate) fn is_nfc(s: &str) -> bool {
    // Characters below U+0300 (ASCII, Latin-1, Latin Extended, …: UTF-8
    // bytes below 0xCC) are all NFC starters that compose with nothing
    // before them, so a text of only those is in NFC. The largest byte of
    // each chunk is computed with vector instructions.
    let low = |c: &[u8]| c.iter().fold(0, |m, &b| m.max(b)) < 0xCC;
    s.as_bytes().chunks(64).all(low) || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// Split `text` into normalized tokens (see the module docs), keeping
/// duplicates and order. Stop words are *not* removed here.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let composed: String;
    let text = if is_nfc(text) {
        text
    } else {
        composed = text.nfc().collect();
        &composed
    };
    token_spans(text, |start, end, ignorables| {
        let raw = &text[start..end];
        let word = if ignorables {
            token_word(&strip_ignorables(raw))
        } else {
            token_word(raw)
        };
        out.extend(word);
    });
    out
}

/// Calls `f(start, end, ignorables)` for every raw token of `text` (which
/// must be in NFC), in order: `text[start..end]` is a run of word characters
/// and ignorable characters that starts with a word character; `ignorables`
/// tells whether it contains any (see [`strip_ignorables`]).
pub(crate) fn token_spans(text: &str, mut f: impl FnMut(usize, usize, bool)) {
    let bytes = text.as_bytes();
    let len = bytes.len();
    // The length of a word character at `i` read without decoding, through
    // [`BYTE_CLASS`]: an ASCII letter or digit (1), or a Latin-1 letter
    // U+00C0–U+00FF (`æ`, `ø`, `å` …, all but `×` and `÷`: 2), else 0.
    let quick = |i: usize| -> usize {
        match BYTE_CLASS[usize::from(bytes[i])] {
            ASCII_WORD => 1,
            LATIN1_LEAD => match bytes.get(i + 1) {
                Some(0x97 | 0xB7) | None => 0,
                Some(_) => 2,
            },
            _ => 0,
        }
    };
    let mut start: Option<usize> = None;
    let mut ignorables = false;
    let mut i = 0;
    while i < len {
        // Most of a text is ASCII and Latin-1 letters: 64 bytes at a time
        // are read as bit masks, up to the first other character.
        if let Some(block) = bytes.get(i..i + 64) {
            let (word, n) = block_words(block.try_into().expect("64 bytes"));
            if n > 0 {
                let valid = if n == 64 { !0 } else { (1u64 << n) - 1 };
                let mut pos = 0;
                while pos < n {
                    let from = !0u64 << pos;
                    if let Some(s) = start {
                        let ends = !word & valid & from;
                        if ends == 0 {
                            break;
                        }
                        pos = ends.trailing_zeros();
                        f(s, i + pos as usize, ignorables);
                        start = None;
                        ignorables = false;
                    } else {
                        let starts = word & valid & from;
                        if starts == 0 {
                            break;
                        }
                        pos = starts.trailing_zeros();
                        start = Some(i + pos as usize);
                    }
                }
                i += n as usize;
                continue;
            }
        }
        let n = quick(i);
        if n > 0 {
            // A run of such characters is taken at once.
            start.get_or_insert(i);
            i += n;
            while i < len {
                match quick(i) {
                    0 => break,
                    n => i += n,
                }
            }
            continue;
        }
        if BYTE_CLASS[usize::from(bytes[i])] == ASCII_OTHER {
            // Any other ASCII ends the token (no ASCII is ignorable).
            if let Some(s) = start.take() {
                f(s, i, ignorables);
                ignorables = false;
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("not at the end");
        let n = c.len_utf8();
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
        } else if is_ignorable(c) {
            ignorables |= start.is_some();
        } else if let Some(s) = start.take() {
            f(s, i, ignorables);
            ignorables = false;
        }
        i += n;
    }
    if let Some(s) = start {
        f(s, len, ignorables);
    }
}

/// The word characters of a block of UTF-8 that starts on a character
/// boundary, as a bit mask (bit `j` for byte `j`), and how many of its
/// bytes the mask covers: all up to the first character that is neither
/// ASCII nor U+00C0–U+00FF, and not a character cut by the block's end.
/// Every other character in the covered bytes is a separator (none is
/// ignorable).
fn block_words(block: &[u8; 64]) -> (u64, u32) {
    let ByteMasks {
        alnum,
        high,
        lead,
        letter,
    } = byte_masks(block);
    // Each 0xC3 and the byte after it are one character of U+00C0–U+00FF.
    let latin1 = lead | (lead << 1);
    let mut n = (high & !latin1).trailing_zeros();
    if lead >> 63 != 0 {
        // The block ends inside a character.
        n = n.min(63);
    }
    let pairs = lead & (letter >> 1);
    (alnum | pairs | (pairs << 1), n)
}

/// What [`block_words`] reads off each byte of a block, one bit per byte.
#[derive(Debug, PartialEq)]
struct ByteMasks {
    /// An ASCII letter or digit.
    alnum: u64,
    /// Not ASCII.
    high: u64,
    /// 0xC3, the first byte of U+00C0–U+00FF.
    lead: u64,
    /// A second byte of a letter after 0xC3: not `×` (0x97) or `÷` (0xB7).
    letter: u64,
}

/// [`ByteMasks`] of a block, 16 bytes per vector compare.
#[cfg(target_arch = "x86_64")]
fn byte_masks(block: &[u8; 64]) -> ByteMasks {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8,
        _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY (every `unsafe` below): SSE2 is part of the x86-64 baseline,
    // so its instructions run on every CPU this code is built for.
    fn splat(b: u8) -> __m128i {
        unsafe { _mm_set1_epi8(i8::from_ne_bytes([b])) }
    }
    fn within(x: __m128i, lo: u8, hi: u8) -> __m128i {
        unsafe {
            _mm_and_si128(
                _mm_cmpeq_epi8(_mm_max_epu8(x, splat(lo)), x),
                _mm_cmpeq_epi8(_mm_min_epu8(x, splat(hi)), x),
            )
        }
    }
    fn bits(v: __m128i) -> u64 {
        u64::from(unsafe { _mm_movemask_epi8(v) } as u16)
    }
    let mut m = ByteMasks {
        alnum: 0,
        high: 0,
        lead: 0,
        letter: 0,
    };
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        let shift = 16 * k;
        // SAFETY: as above, and `chunk` is 16 readable bytes (an unaligned
        // load may start anywhere).
        unsafe {
            let x = _mm_loadu_si128(chunk.as_ptr().cast());
            let letters = within(_mm_or_si128(x, splat(0x20)), b'a', b'z');
            m.alnum |= bits(_mm_or_si128(within(x, b'0', b'9'), letters)) << shift;
            m.high |= bits(x) << shift;
            m.lead |= bits(_mm_cmpeq_epi8(x, splat(0xC3))) << shift;
            let second = _mm_cmpeq_epi8(_mm_and_si128(x, splat(0xC0)), splat(0x80));
            let sign = _mm_cmpeq_epi8(_mm_and_si128(x, splat(0xDF)), splat(0x97));
            m.letter |= bits(_mm_andnot_si128(sign, second)) << shift;
        }
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
use byte_masks_by_byte as byte_masks;

/// [`ByteMasks`] of a block, one byte at a time.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn byte_masks_by_byte(block: &[u8; 64]) -> ByteMasks {
    let mut m = ByteMasks {
        alnum: 0,
        high: 0,
        lead: 0,
        letter: 0,
    };
    for (j, &b) in block.iter().enumerate() {
        m.alnum |= u64::from(b.is_ascii_alphanumeric()) << j;
        m.high |= u64::from(b >= 0x80) << j;
        m.lead |= u64::from(b == 0xC3) << j;
        m.letter |= u64::from(b & 0xC0 == 0x80 && b & 0xDF != 0x97) << j;
    }
    m
}

/// [`BYTE_CLASS`]: ASCII that is not a word character.
const ASCII_OTHER: u8 = 0;
/// [`BYTE_CLASS`]: an ASCII letter or digit.
const ASCII_WORD: u8 = 1;
/// [`BYTE_CLASS`]: 0xC3, the first byte of U+00C0–U+00FF.
const LATIN1_LEAD: u8 = 2;
/// [`BYTE_CLASS`]: any other byte of a character beyond ASCII.
const NON_ASCII: u8 = 3;

/// What each byte of UTF-8 text tells [`token_spans`] without decoding.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 0x80 {
        t[b] = if (b as u8).is_ascii_alphanumeric() {
            ASCII_WORD
        } else {
            ASCII_OTHER
        };
        b += 1;
    }
    t[0xC3] = LATIN1_LEAD;
    t
};

/// A raw token without its ignorable characters.
pub(crate) fn strip_ignorables(raw: &str) -> String {
    raw.chars().filter(|&c| !is_ignorable(c)).collect()
}

/// The normalized word of a raw token (ignorables removed), or `None` when
/// it is too short or too long to be a token.
pub(crate) fn token_word(raw: &str) -> Option<String> {
    let w = normalize_word(raw);
    let n = w.chars().count();
    (MIN_TOKEN_CHARS..=MAX_TOKEN_CHARS)
        .contains(&n)
        .then_some(w)
}

/// Spelling-insensitive key of a normalized word (see the module docs).
pub fn fold(word: &str) -> String {
    let mut s = String::with_capacity(word.len() + 2);
    for c in word.chars() {
        match c {
            'æ' | 'ä' => s.push_str("ae"),
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' | 'õ' => s.push('o'),
            'å' | 'á' | 'à' | 'â' | 'ã' => s.push('a'),
            'é' | 'è' | 'ê' | 'ë' => s.push('e'),
            'í' | 'ì' | 'î' | 'ï' => s.push('i'),
            'ú' | 'ù' | 'û' | 'ü' => s.push('u'),
            'ý' | 'ÿ' => s.push('y'),
            'ç' => s.push('c'),
            'ñ' => s.push('n'),
            _ => s.push(c),
        }
    }
    s.replace("aa", "a").replace("oe", "o")
}

/// Common Bokmål function words that are neither indexed nor searched.
const STOP_NB: &[&str] = &[
    "at", "av", "bare", "ble", "bli", "blir", "blitt", "da", "de", "deg", "dem", "den", "denne",
    "dens", "der", "dere", "deres", "det", "dette", "di", "din", "disse", "ditt", "du", "eller",
    "en", "enn", "er", "et", "ett", "etter", "for", "fordi", "fra", "før", "hadde", "ham", "han",
    "hans", "har", "hen", "henne", "hennes", "her", "hos", "hun", "hva", "hvem", "hver", "hvilke",
    "hvilken", "hvis", "hvor", "ikke", "ingen", "inn", "jeg", "kan", "kun", "kunne", "man", "med",
    "meg", "men", "mer", "min", "mitt", "mot", "mye", "må", "noe", "noen", "nok", "nå", "når",
    "og", "også", "om", "opp", "oss", "over", "på", "sa", "seg", "selv", "sin", "sine", "sitt",
    "skal", "skulle", "slik", "som", "så", "til", "ut", "uten", "var", "ved", "vi", "vil", "ville",
    "vår", "være", "vært", "å",
];

/// Common English function words that are neither indexed nor searched.
const STOP_EN: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have",
    "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not",
    "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "to", "us", "was", "we", "were", "what", "when", "which", "who",
    "will", "with", "would", "you", "your",
];

/// Whether a normalized word is a stop word for `lang`.
pub fn is_stop_word(word: &str, lang: Lang) -> bool {
    let (list, longest) = match lang {
        Lang::Nb => (STOP_NB, STOP_NB_LONGEST),
        Lang::En => (STOP_EN, STOP_EN_LONGEST),
    };
    // Most words of a text are longer than every stop word: no search.
    word.len() <= longest && list.binary_search(&word).is_ok()
}

/// Length in bytes of the longest word of `list`.
const fn longest(list: &[&str]) -> usize {
    let (mut i, mut max) = (0, 0);
    while i < list.len() {
        if list[i].len() > max {
            max = list[i].len();
        }
        i += 1;
    }
    max
}
const STOP_NB_LONGEST: usize = longest(STOP_NB);
const STOP_EN_LONGEST: usize = longest(STOP_EN);

/// The stop words of `lang`, sorted (exported for the JS agreement test).
pub fn stop_words(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Nb => STOP_NB,
        Lang::En => STOP_EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `token_spans` as its documentation says, one character at a time.
    fn spans_by_chars(text: &str) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        let (mut start, mut ign) = (None, false);
        for (i, c) in text.char_indices() {
            if is_word_char(c) {
                start.get_or_insert(i);
            } else if is_ignorable(c) {
                ign |= start.is_some();
            } else if let Some(s) = start.take() {
                out.push((s, i, ign));
                ign = false;
            }
        }
        if let Some(s) = start {
            out.push((s, text.len(), ign));
        }
        out
    }

    /// What `token_spans` calls its closure with for `text`.
    fn spans(text: &str) -> Vec<(usize, usize, bool)> {
        let mut got = Vec::new();
        token_spans(text, |s, e, i| got.push((s, e, i)));
        got
    }

    proptest::proptest! {
        #[test]
        fn token_spans_agree_with_a_character_at_a_time(
            text in "([a-zA-Z0-9 .,;:!?()\\-]|[æøåÆØÅéüß×÷\\u{ad}\\u{200c}\\u{200d}\\u{a0}’–]|\\PC)*"
        ) {
            proptest::prop_assert_eq!(spans(&text), spans_by_chars(&text));
        }

        /// Texts long enough for the 64-byte blocks, mostly of the
        /// characters they take, with the others and cut characters at
        /// every offset.
        #[test]
        fn token_spans_agree_over_blocks(
            text in "([a-z0-9 .,\\-]|[æøåÆØÅ×÷éü]|[\u{ad}\u{200d}«»–’\u{a0}]|\\PC){0,400}"
        ) {
            proptest::prop_assert_eq!(spans(&text), spans_by_chars(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn byte_masks_agree_with_a_byte_at_a_time(bytes in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::num::u8::ANY,
                proptest::sample::select(&[0xC3u8, 0x97, 0xB7, 0x80, 0xBF, b'0', b'9', b'a', b'z', b'A', b'Z', b'@', b'[', b'`', b'{', b'/', b':'][..]),
            ],
            64,
        )) {
            let block: &[u8; 64] = bytes.as_slice().try_into().unwrap();
            proptest::prop_assert_eq!(byte_masks(block), byte_masks_by_byte(block));
        }
    }

    #[test]
    fn blocks_end_before_a_cut_character() {
        // Each step of the padding moves `ø` (two bytes) one byte on, so
        // it crosses the first block's end (bytes 63 and 64 at `pad` 62);
        // `«`, a soft hyphen inside a word, `×` and `÷` move three and
        // four bytes a step, through the first three blocks.
        for pad in 0..70 {
            let text = format!(
                "{}bøker og {}«x» {}a\u{ad}b ×÷ æ",
                "a".repeat(pad),
                "b ".repeat(pad),
                "c".repeat(pad)
            );
            assert_eq!(spans(&text), spans_by_chars(&text), "pad {pad}");
        }
    }

    #[test]
    fn latin_letters_join_words_and_times_and_divided_by_split_them() {
        let mut got = Vec::new();
        let text = "blåbær×2 ÆØÅ÷x fa\u{ad}ktura";
        token_spans(text, |s, e, i| got.push((&text[s..e], i)));
        assert_eq!(
            got,
            [
                ("blåbær", false),
                ("2", false),
                ("ÆØÅ", false),
                ("x", false),
                ("fa\u{ad}ktura", true)
            ]
        );
    }

    #[test]
    fn stop_lists_are_sorted() {
        for list in [STOP_NB, STOP_EN] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted, list);
        }
    }

    #[test]
    fn tokenizes_norwegian_text() {
        assert_eq!(
            tokenize("Hvorfor TAPER vi? «Salgsmøtet» gikk 5-0; e-post: Øst."),
            [
                "hvorfor",
                "taper",
                "vi",
                "salgsmøtet",
                "gikk",
                "post",
                "øst"
            ]
        );
    }

    #[test]
    fn composes_and_lowercases() {
        // "Å" written as A + combining ring, "Ø" precomposed.
        assert_eq!(normalize_word("A\u{30a}PEN"), "åpen");
        assert_eq!(normalize_word("MØTE"), "møte");
        assert_eq!(tokenize("fo\u{AD}rhandling"), ["forhandling"]);
        assert_eq!(tokenize("a\u{30a}r"), ["år"]);
    }

    #[test]
    fn low_characters_are_nfc_starters() {
        // The fast path of `is_nfc`.
        for c in (0..0x300).filter_map(char::from_u32) {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes);
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0);
        }
        assert!(is_nfc("blåbærsyltetøy ǅ ʼ"));
        assert!(!is_nfc("a\u{30a}"));
    }

    #[test]
    fn folds_spelling_variants() {
        assert_eq!(fold("møte"), "mote");
        assert_eq!(fold("moete"), "mote");
        assert_eq!(fold("mote"), "mote");
        assert_eq!(fold("påstand"), "pastand");
        assert_eq!(fold("paastand"), "pastand");
        assert_eq!(fold("være"), "vaere");
        assert_eq!(fold("vaere"), "vaere");
        assert_eq!(fold("idé"), "ide");
        assert_ne!(fold("møte"), fold("mate"));
    }

    #[test]
    fn stop_words_are_language_specific() {
        assert!(is_stop_word("og", Lang::Nb));
        assert!(!is_stop_word("og", Lang::En));
        assert!(is_stop_word("the", Lang::En));
        assert!(!is_stop_word("salg", Lang::Nb));
    }
}
