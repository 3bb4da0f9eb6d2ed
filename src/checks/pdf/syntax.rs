//! PDF syntax: the tokens of a PDF file or content stream, and the values
//! they make (numbers, strings, names, arrays, dictionaries, references).
//!
//! Strings come out decoded to their bytes (escapes and hex undone), names
//! with their `#xx` escapes undone; [`text_string`] reads a string meant
//! as text. Nesting is bounded, and bytes that make no value give none.

use super::MAX_DEPTH;

/// A PDF text string as text: UTF-16 after its byte order mark, UTF-8
/// after its mark (PDF 2.0), else PDFDocEncoding (read as Latin-1, which it
/// matches for letters).
pub fn text_string(value: &[u8]) -> String {
    if let Some(utf16) = value.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(utf8) = value.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        String::from_utf8_lossy(utf8).into_owned()
    } else {
        value.iter().map(|&c| char::from(c)).collect()
    }
}

// ---------------------------------------------------------------- lexer

/// One token of PDF syntax.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    Number(f64),
    /// A literal `(…)` or hex `<…>` string, decoded to its bytes.
    String(Vec<u8>),
    /// A name without its slash, `#xx` escapes decoded.
    Name(Vec<u8>),
    ArrayOpen,
    ArrayClose,
    DictOpen,
    DictClose,
    /// Anything else: an operator, `true`, `null`, `R`, `obj`, `stream`.
    Word(&'a [u8]),
}

/// PDF white space.
pub(super) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

/// PDF delimiters.
pub(super) fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Reads tokens from bytes, keeping its position.
pub struct Lexer<'a> {
    pub b: &'a [u8],
    pub at: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Lexer { b, at: 0 }
    }

    /// Moves past white space and comments.
    fn skip_space(&mut self) {
        while let Some(&c) = self.b.get(self.at) {
            if is_space(c) {
                self.at += 1;
            } else if c == b'%' {
                while self
                    .b
                    .get(self.at)
                    .is_some_and(|&c| c != b'\n' && c != b'\r')
                {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token, or None at the end (or at bytes that cannot start
    /// one, which are skipped one at a time by the caller's next call).
    pub fn token(&mut self) -> Option<Token<'a>> {
        self.skip_space();
        let b = self.b;
        let c = *b.get(self.at)?;
        let start = self.at;
        self.at += 1;
        Some(match c {
            b'[' => Token::ArrayOpen,
            b']' => Token::ArrayClose,
            b'<' if b.get(self.at) == Some(&b'<') => {
                self.at += 1;
                Token::DictOpen
            }
            b'>' if b.get(self.at) == Some(&b'>') => {
                self.at += 1;
                Token::DictClose
            }
            b'(' => Token::String(self.literal()),
            b'<' => Token::String(self.hex()),
            b'/' => {
                let end = self.word_end();
                let raw = &b[start + 1..end];
                self.at = end;
                Token::Name(decode_name(raw))
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => {
                let end = self.word_end();
                self.at = end;
                let text = std::str::from_utf8(&b[start..end]).unwrap_or("");
                match text.parse::<f64>() {
                    Ok(n) => Token::Number(n),
                    // `--5` and the like: read as 0, as readers do.
                    Err(_) => Token::Number(0.0),
                }
            }
            _ if is_delimiter(c) => Token::Word(&b[start..self.at]),
            _ => {
                let end = self.word_end();
                self.at = end;
                Token::Word(&b[start..end])
            }
        })
    }

    /// Where the regular characters from here end.
    fn word_end(&self) -> usize {
        let rest = &self.b[self.at.min(self.b.len())..];
        self.at
            + rest
                .iter()
                .position(|&c| is_space(c) || is_delimiter(c))
                .unwrap_or(rest.len())
    }

    /// A literal string's bytes, after its `(`.
    fn literal(&mut self) -> Vec<u8> {
        let b = self.b;
        let mut out = Vec::new();
        let mut depth = 1;
        while let Some(&c) = b.get(self.at) {
            self.at += 1;
            match c {
                b'\\' => {
                    let Some(&next) = b.get(self.at) else { break };
                    self.at += 1;
                    match next {
                        b'0'..=b'7' => {
                            let mut value = u32::from(next - b'0');
                            for _ in 0..2 {
                                match b.get(self.at) {
                                    Some(&d @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(d - b'0');
                                        self.at += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(value as u8);
                        }
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        // A line break after a backslash continues the line.
                        b'\r' => {
                            if b.get(self.at) == Some(&b'\n') {
                                self.at += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        out
    }

    /// A hex string's bytes, after its `<`.
    fn hex(&mut self) -> Vec<u8> {
        let b = self.b;
        let mut nibbles = Vec::new();
        while let Some(&c) = b.get(self.at) {
            self.at += 1;
            if c == b'>' {
                break;
            }
            if let Some(d) = (c as char).to_digit(16) {
                nibbles.push(d as u8);
            }
        }
        // An odd count ends in a nibble that stands for its high half.
        nibbles
            .chunks(2)
            .map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0))
            .collect()
    }
}

/// A name's bytes with its `#xx` escapes decoded.
fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = |j: usize| raw.get(j).and_then(|&c| (c as char).to_digit(16));
        match (raw[i], hex(i + 1), hex(i + 2)) {
            (b'#', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, ..) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The string value at the start of `b` (after white space), decoded.
pub fn string_at(b: &[u8]) -> Option<Vec<u8>> {
    match Lexer::new(b).token()? {
        Token::String(s) => Some(s),
        _ => None,
    }
}

// ---------------------------------------------------------------- values

/// A PDF value.
#[derive(Debug, Clone, PartialEq)]
pub enum Obj {
    Null,
    Bool(bool),
    Number(f64),
    String(Vec<u8>),
    Name(Vec<u8>),
    Array(Vec<Obj>),
    Dict(Dict),
    /// A reference to an indirect object, by number.
    Ref(u32),
    /// A word out of place.
    Other,
}

/// A dictionary's entries, in the file's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dict(pub(super) Vec<(Vec<u8>, Obj)>);

impl Dict {
    /// The value of the key `key` (without its slash).
    pub fn get(&self, key: &[u8]) -> Option<&Obj> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl Obj {
    pub fn name(&self) -> Option<&[u8]> {
        match self {
            Obj::Name(n) => Some(n),
            _ => None,
        }
    }

    pub fn number(&self) -> Option<f64> {
        match self {
            Obj::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// Parses one value from the lexer, `depth` levels down.
pub(super) fn value(lx: &mut Lexer<'_>, depth: usize) -> Option<Obj> {
    let token = lx.token()?;
    value_from(lx, token, depth)
}

/// The value that starts with `token`.
pub(super) fn value_from(lx: &mut Lexer<'_>, token: Token<'_>, depth: usize) -> Option<Obj> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match token {
        Token::Number(n) => {
            // `12 0 R` is a reference.
            let save = lx.at;
            if n >= 0.0
                && n.fract() == 0.0
                && let Some(Token::Number(_)) = lx.token()
                && let Some(Token::Word(b"R")) = lx.token()
            {
                return Some(Obj::Ref(n as u32));
            }
            lx.at = save;
            Obj::Number(n)
        }
        Token::String(s) => Obj::String(s),
        Token::Name(n) => Obj::Name(n),
        Token::ArrayOpen => {
            let mut items = Vec::new();
            loop {
                match lx.token()? {
                    Token::ArrayClose => break,
                    t => items.push(value_from(lx, t, depth + 1)?),
                }
            }
            Obj::Array(items)
        }
        Token::DictOpen => {
            let mut entries = Vec::new();
            loop {
                match lx.token()? {
                    Token::DictClose => break,
                    Token::Name(key) => {
                        let v = value(lx, depth + 1)?;
                        entries.push((key, v));
                    }
                    // A key that is not a name: skip it.
                    _ => {}
                }
            }
            Obj::Dict(Dict(entries))
        }
        Token::Word(b"null") => Obj::Null,
        Token::Word(b"true") => Obj::Bool(true),
        Token::Word(b"false") => Obj::Bool(false),
        Token::ArrayClose | Token::DictClose | Token::Word(_) => Obj::Other,
    })
}

/// Parses the value at the start of `b`.
pub fn parse_value(b: &[u8]) -> Option<Obj> {
    value(&mut Lexer::new(b), 0)
}
