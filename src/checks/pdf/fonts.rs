//! What a PDF font's codes mean: the letters each code stands for and how
//! far each one moves the pen.
//!
//! A page draws its text as codes of its fonts. A font's `/ToUnicode` map
//! says which letters a code stands for (what browsers, Word and
//! LibreOffice write for the fonts they embed); a simple font without one
//! means its encoding (`/WinAnsiEncoding`, `/MacRomanEncoding`, the
//! standard encoding, with `/Differences` naming glyphs). The widths
//! (`/Widths`, a composite font's `/W`) tell [`super::content`] where a
//! drawn string ends, so that it can tell a space between words from
//! letters set one by one.

use std::collections::HashMap;

use super::{Dict, Doc, Lexer, Obj, Token};

/// The fonts read so far, by object number (a font used on many pages is
/// read once).
#[derive(Default)]
pub struct Fonts {
    by_number: HashMap<u32, std::rc::Rc<Font>>,
}

impl Fonts {
    /// The font `obj` (a reference or a dictionary) means.
    pub fn get(&mut self, doc: &Doc<'_>, obj: &Obj) -> std::rc::Rc<Font> {
        let read = || {
            std::rc::Rc::new(
                doc.dict(obj)
                    .map_or_else(Font::unknown, |d| Font::read(doc, d)),
            )
        };
        match obj {
            Obj::Ref(n) => self.by_number.entry(*n).or_insert_with(read).clone(),
            _ => read(),
        }
    }
}

/// One font, as far as reading text needs it.
pub struct Font {
    /// Codes are two bytes long (a composite font) instead of one.
    two_byte: bool,
    /// Letters by code, from `/ToUnicode`.
    unicode: HashMap<u32, String>,
    /// For a simple font, the letter of each code by its encoding.
    encoding: Option<Box<[char; 256]>>,
    /// Codes `/Differences` gave a ligature's glyph (`/fi`).
    ligatures: HashMap<u32, &'static str>,
    /// Widths by code, in thousandths of the font size.
    widths: HashMap<u32, f64>,
    default_width: f64,
    /// Thousandths of text space per width unit (a Type 3 font's matrix).
    scale: f64,
    /// Whether its codes can be read as letters.
    pub readable: bool,
}

/// One code of a drawn string.
pub struct Glyph<'g> {
    pub text: &'g str,
    /// Its advance, in thousandths of the font size.
    pub width: f64,
    /// Whether it is the single-byte code 32, which word spacing widens.
    pub is_space_code: bool,
}

impl Font {
    fn unknown() -> Font {
        Font {
            two_byte: false,
            unicode: HashMap::new(),
            encoding: Some(Box::new(encoding_table(Base::Standard))),
            ligatures: HashMap::new(),
            widths: HashMap::new(),
            default_width: 500.0,
            scale: 1.0,
            readable: true,
        }
    }

    fn read(doc: &Doc<'_>, dict: &Dict) -> Font {
        let subtype = dict.get(b"Subtype").and_then(Obj::name).unwrap_or(b"");
        let unicode = dict
            .get(b"ToUnicode")
            .and_then(|t| doc.stream(t))
            .map(|data| to_unicode(&data))
            .unwrap_or_default();
        let mut font = Font::unknown();
        if subtype == b"Type0" {
            font.two_byte = true;
            font.encoding = None;
            font.readable = !unicode.is_empty();
            font.default_width = 1000.0;
            let descendant = dict
                .get(b"DescendantFonts")
                .and_then(|d| doc.array(d).first())
                .and_then(|d| doc.dict(d));
            if let Some(cid) = descendant {
                if let Some(dw) = cid.get(b"DW").and_then(|w| doc.number(w)) {
                    font.default_width = dw;
                }
                if let Some(w) = cid.get(b"W") {
                    font.widths = cid_widths(doc, doc.array(w));
                }
            }
        } else {
            let mut table = encoding_table(Base::Standard);
            match dict.get(b"Encoding").map(|e| doc.resolve(e)) {
                Some(Obj::Name(name)) => table = encoding_table(Base::named(name)),
                Some(Obj::Dict(enc)) => {
                    if let Some(name) = enc.get(b"BaseEncoding").and_then(Obj::name) {
                        table = encoding_table(Base::named(name));
                    }
                    if let Some(diffs) = enc.get(b"Differences") {
                        font.ligatures = differences(&mut table, doc.array(diffs));
                    }
                }
                _ => {}
            }
            font.encoding = Some(Box::new(table));
            let first = dict.get(b"FirstChar").and_then(|f| doc.number(f));
            if let (Some(first), Some(widths)) = (first, dict.get(b"Widths")) {
                for (i, w) in doc.array(widths).iter().enumerate() {
                    if let Some(w) = doc.number(w) {
                        font.widths.insert(first as u32 + i as u32, w);
                    }
                }
            }
            if let Some(m) = dict.get(b"FontMatrix") {
                let m = doc.array(m);
                if let Some(a) = m.first().and_then(|a| doc.number(a)) {
                    font.scale = a * 1000.0;
                }
            }
        }
        font.unicode = unicode;
        font
    }

    /// The glyphs of the drawn string `s`.
    pub fn glyphs(&self, s: &[u8], mut each: impl FnMut(Glyph<'_>)) {
        let step = if self.two_byte { 2 } else { 1 };
        let mut buf = [0u8; 4];
        for code in s.chunks(step) {
            let code = code.iter().fold(0u32, |c, &b| c << 8 | u32::from(b));
            let text: &str = match (self.unicode.get(&code), &self.encoding) {
                (Some(t), _) => t,
                (None, _) if self.ligatures.contains_key(&code) => self.ligatures[&code],
                (None, Some(table)) if table[code as usize & 0xff] != '\0' => {
                    table[code as usize & 0xff].encode_utf8(&mut buf)
                }
                _ => "",
            };
            let width = self
                .widths
                .get(&code)
                .copied()
                .unwrap_or(self.default_width)
                * self.scale;
            each(Glyph {
                text,
                width,
                is_space_code: step == 1 && code == 32,
            });
        }
    }
}

/// The non-ASCII letters and signs the tables below use, by glyph name.
const LATIN: [(&str, char); 40] = [
    ("Aring", 'Å'),
    ("aring", 'å'),
    ("AE", 'Æ'),
    ("ae", 'æ'),
    ("Oslash", 'Ø'),
    ("oslash", 'ø'),
    ("Adieresis", 'Ä'),
    ("adieresis", 'ä'),
    ("Odieresis", 'Ö'),
    ("odieresis", 'ö'),
    ("Udieresis", 'Ü'),
    ("udieresis", 'ü'),
    ("Eacute", 'É'),
    ("eacute", 'é'),
    ("Egrave", 'È'),
    ("egrave", 'è'),
    ("Ecircumflex", 'Ê'),
    ("ecircumflex", 'ê'),
    ("Oacute", 'Ó'),
    ("oacute", 'ó'),
    ("Ocircumflex", 'Ô'),
    ("ocircumflex", 'ô'),
    ("Aacute", 'Á'),
    ("aacute", 'á'),
    ("Agrave", 'À'),
    ("agrave", 'à'),
    ("Ccedilla", 'Ç'),
    ("ccedilla", 'ç'),
    ("Ntilde", 'Ñ'),
    ("ntilde", 'ñ'),
    ("germandbls", 'ß'),
    ("Iacute", 'Í'),
    ("iacute", 'í'),
    ("Uacute", 'Ú'),
    ("uacute", 'ú'),
    ("endash", '–'),
    ("emdash", '—'),
    ("quoteright", '’'),
    ("quotedblleft", '“'),
    ("quotedblright", '”'),
];

/// A simple font's base encoding.
#[derive(Clone, Copy)]
enum Base {
    Standard,
    WinAnsi,
    MacRoman,
}

impl Base {
    fn named(name: &[u8]) -> Base {
        match name {
            b"WinAnsiEncoding" => Base::WinAnsi,
            b"MacRomanEncoding" => Base::MacRoman,
            _ => Base::Standard,
        }
    }
}

/// The letters of a base encoding's codes, as far as text needs them:
/// ASCII's printable range, and the Latin letters above it (a code not
/// known here is no letter).
fn encoding_table(base: Base) -> [char; 256] {
    let mut t = ['\0'; 256];
    for c in 32u8..127 {
        t[c as usize] = c as char;
    }
    let high: &[(u8, char)] = match base {
        Base::Standard => &[
            (0x27, '’'),
            (0x60, '‘'),
            (0xb1, '–'),
            (0xd0, '—'),
            (0xe1, 'Æ'),
            (0xe9, 'Ø'),
            (0xf1, 'æ'),
            (0xf9, 'ø'),
            (0xfb, 'ß'),
        ],
        Base::WinAnsi => &[
            (0x92, '’'),
            (0x93, '“'),
            (0x94, '”'),
            (0x96, '–'),
            (0x97, '—'),
        ],
        Base::MacRoman => &[
            (0x80, 'Ä'),
            (0x81, 'Å'),
            (0x82, 'Ç'),
            (0x83, 'É'),
            (0x84, 'Ñ'),
            (0x85, 'Ö'),
            (0x86, 'Ü'),
            (0x87, 'á'),
            (0x88, 'à'),
            (0x8a, 'ä'),
            (0x8c, 'å'),
            (0x8d, 'ç'),
            (0x8e, 'é'),
            (0x8f, 'è'),
            (0x90, 'ê'),
            (0x92, 'í'),
            (0x96, 'ñ'),
            (0x97, 'ó'),
            (0x99, 'ô'),
            (0x9a, 'ö'),
            (0x9c, 'ú'),
            (0x9f, 'ü'),
            (0xa7, 'ß'),
            (0xae, 'Æ'),
            (0xaf, 'Ø'),
            (0xbe, 'æ'),
            (0xbf, 'ø'),
            (0xd0, '–'),
            (0xd1, '—'),
            (0xd5, '’'),
        ],
    };
    if let Base::WinAnsi = base {
        // Latin-1, which WinAnsi matches from 0xA0 on.
        for c in 0xa0u8..=0xff {
            t[c as usize] = char::from(c);
        }
    }
    for &(code, c) in high {
        t[code as usize] = c;
    }
    t
}

/// Applies a `/Differences` array (`[code /name /name code /name …]`);
/// gives the codes it named a ligature (`/fi`, `/ffl`) and its letters.
fn differences(table: &mut [char; 256], diffs: &[Obj]) -> HashMap<u32, &'static str> {
    const LIGATURES: [(&[u8], &str); 5] = [
        (b"fi", "fi"),
        (b"fl", "fl"),
        (b"ff", "ff"),
        (b"ffi", "ffi"),
        (b"ffl", "ffl"),
    ];
    let mut ligatures = HashMap::new();
    let mut code = 0usize;
    for d in diffs {
        match d {
            Obj::Number(n) => code = *n as usize,
            Obj::Name(name) => {
                if let Some(slot) = table.get_mut(code) {
                    *slot = glyph_char(name).unwrap_or('\0');
                    if let Some((_, letters)) = LIGATURES.iter().find(|(n, _)| n == name) {
                        ligatures.insert(code as u32, *letters);
                    }
                }
                code += 1;
            }
            _ => {}
        }
    }
    ligatures
}

/// The letter a glyph name stands for: one letter or digit (`a`, `K`),
/// a digit's or sign's name, `uniXXXX`, `uXXXX`, or a Latin letter's name.
fn glyph_char(name: &[u8]) -> Option<char> {
    const NAMED: [(&str, char); 16] = [
        ("space", ' '),
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("period", '.'),
        ("comma", ','),
        ("hyphen", '-'),
        ("at", '@'),
        ("colon", ':'),
    ];
    let name = std::str::from_utf8(name).ok()?;
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_alphanumeric()
    {
        return Some(c);
    }
    if let Some(hex) = name.strip_prefix("uni").or_else(|| name.strip_prefix('u'))
        && (4..=6).contains(&hex.len())
    {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    NAMED
        .iter()
        .chain(LATIN.iter())
        .find(|(n, _)| *n == name)
        .map(|(_, c)| *c)
}

/// A composite font's `/W` array: `c [w1 w2 …]` or `first last w`.
fn cid_widths(doc: &Doc<'_>, w: &[Obj]) -> HashMap<u32, f64> {
    let mut out = HashMap::new();
    let mut i = 0;
    while i < w.len() {
        let Some(first) = doc.number(&w[i]) else {
            break;
        };
        match w.get(i + 1).map(|x| doc.resolve(x)) {
            Some(Obj::Array(list)) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = doc.number(v) {
                        out.insert(first as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(Obj::Number(last)) => {
                let width = w.get(i + 2).and_then(|x| doc.number(x)).unwrap_or(0.0);
                let (first, last) = (first as u32, *last as u32);
                // A range wider than any font is damage.
                for c in first..=last.min(first.saturating_add(0xffff)) {
                    out.insert(c, width);
                }
                i += 3;
            }
            _ => break,
        }
    }
    out
}

/// A `/ToUnicode` CMap's codes and the letters each stands for
/// (`bfchar` entries and `bfrange` ranges, the target UTF-16).
fn to_unicode(data: &[u8]) -> HashMap<u32, String> {
    let mut out = HashMap::new();
    let mut lx = Lexer::new(data);
    let code = |s: &[u8]| s.iter().take(4).fold(0u32, |c, &b| c << 8 | u32::from(b));
    let units = |s: &[u8]| -> Vec<u16> {
        s.chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect()
    };
    let mut left = 1 << 17; // entries at most, against damage
    while let Some(token) = lx.token() {
        match token {
            Token::Word(b"beginbfchar") => {
                while let (Some(Token::String(src)), Some(Token::String(dst))) =
                    (lx.token(), lx.token())
                {
                    out.insert(code(&src), String::from_utf16_lossy(&units(&dst)));
                }
            }
            Token::Word(b"beginbfrange") => {
                while let (Some(Token::String(lo)), Some(Token::String(hi))) =
                    (lx.token(), lx.token())
                {
                    let (lo, hi) = (code(&lo), code(&hi));
                    match lx.token() {
                        Some(Token::String(dst)) => {
                            // The last UTF-16 unit counts up along the range.
                            let mut units = units(&dst);
                            for c in lo..=hi {
                                if left == 0 {
                                    return out;
                                }
                                left -= 1;
                                out.insert(c, String::from_utf16_lossy(&units));
                                if let Some(last) = units.last_mut() {
                                    *last = last.wrapping_add(1);
                                }
                            }
                        }
                        Some(Token::ArrayOpen) => {
                            let mut c = lo;
                            while let Some(Token::String(dst)) = lx.token() {
                                if c <= hi {
                                    out.insert(c, String::from_utf16_lossy(&units(&dst)));
                                }
                                c = c.saturating_add(1);
                            }
                        }
                        _ => break,
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_chars_and_ranges() {
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0044> <00E6> endbfchar
2 beginbfrange <0048> <004A> <0065> <0050> <0051> [<00F8> <00660069>] endbfrange";
        let map = to_unicode(cmap);
        assert_eq!(map[&3], " ");
        assert_eq!(map[&0x44], "æ");
        assert_eq!(map[&0x48], "e");
        assert_eq!(map[&0x4a], "g");
        assert_eq!(map[&0x50], "ø");
        assert_eq!(map[&0x51], "fi");
        assert!(!map.contains_key(&0x4b));
    }

    #[test]
    fn encodings_and_differences() {
        let win = encoding_table(Base::WinAnsi);
        assert_eq!(win[0xe6], 'æ');
        assert_eq!(win[0xd8], 'Ø');
        assert_eq!(win[0xe5], 'å');
        assert_eq!(win[b'K' as usize], 'K');
        let mac = encoding_table(Base::MacRoman);
        assert_eq!(mac[0xbf], 'ø');
        assert_eq!(mac[0x8c], 'å');
        let mut t = encoding_table(Base::Standard);
        assert_eq!(t[0xf9], 'ø');
        let ligatures = differences(
            &mut t,
            &[
                Obj::Number(1.0),
                Obj::Name(b"aring".to_vec()),
                Obj::Name(b"K".to_vec()),
                Obj::Name(b"uni00D8".to_vec()),
                Obj::Name(b"g123".to_vec()),
                Obj::Number(12.0),
                Obj::Name(b"fi".to_vec()),
            ],
        );
        assert_eq!(&t[1..5], &['å', 'K', 'Ø', '\0']);
        assert_eq!(ligatures, HashMap::from([(12, "fi")]));
    }
}
