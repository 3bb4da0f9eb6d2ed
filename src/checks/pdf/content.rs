//! What a page's content stream draws as text, in the order it draws it.
//!
//! A content stream is a program: operators after their operands. This
//! module follows the ones that place and draw text (the text and line
//! matrices, the graphics state's transform, fonts, character and word
//! spacing, `Tj`, `TJ`, `'` and `"`), and forms drawn with `Do`, and skips
//! the rest (paths, colours, images). Where a string starts away from
//! where the last one ended — on another line, or past a gap wider than
//! letters are set apart — a space goes between them; letters a producer
//! set one at a time stay one word.

use std::rc::Rc;

use super::Doc;
use super::fonts::{Font, Fonts};
use super::syntax::{Dict, Lexer, Obj, Token, is_space, value_from};

/// The most tokens read from one document's pages, against damage.
const TOKEN_BUDGET: usize = 20_000_000;
/// How deep forms may draw forms.
const MAX_FORMS: usize = 8;

/// The text drawn so far on a page.
#[derive(Default)]
pub struct Text {
    pub out: String,
    /// Some text was drawn in a font whose codes are not letters vinn
    /// can read.
    pub unreadable: bool,
    last: Option<Pen>,
    tokens: usize,
}

/// Where the last string drawn ended, in device space.
struct Pen {
    end: (f64, f64),
    /// The direction text runs in (a unit vector).
    dir: (f64, f64),
    size: f64,
}

/// A transform `[a b c d e f]`.
type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn translate(x: f64, y: f64) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, x, y]
}

fn point(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// The text state and where text is placed.
struct State {
    ctm: Matrix,
    tm: Matrix,
    tlm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scale: f64,
    leading: f64,
}

/// Runs the content stream `data` with the resources `resources`,
/// adding what it draws to `text`.
pub fn run(
    doc: &Doc<'_>,
    fonts: &mut Fonts,
    resources: Option<&Dict>,
    data: &[u8],
    text: &mut Text,
) {
    run_with(doc, fonts, resources, data, IDENTITY, text, 0);
}

fn run_with(
    doc: &Doc<'_>,
    fonts: &mut Fonts,
    resources: Option<&Dict>,
    data: &[u8],
    ctm: Matrix,
    text: &mut Text,
    depth: usize,
) {
    let mut st = State {
        ctm,
        tm: IDENTITY,
        tlm: IDENTITY,
        font: None,
        size: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        scale: 1.0,
        leading: 0.0,
    };
    let mut saved: Vec<Matrix> = Vec::new();
    let mut operands: Vec<Obj> = Vec::new();
    let resource = |kind: &[u8], name: &Obj| -> Option<Obj> {
        let dict = doc.dict(resources?.get(kind)?)?;
        dict.get(name.name()?).cloned()
    };
    let mut lx = Lexer::new(data);
    while let Some(token) = lx.token() {
        text.tokens += 1;
        if text.tokens > TOKEN_BUDGET {
            return;
        }
        let op = match token {
            Token::Word(w) if !matches!(w, b"true" | b"false" | b"null") => w,
            t => {
                if let Some(v) = value_from(&mut lx, t, 0)
                    && operands.len() < 64
                {
                    operands.push(v);
                }
                continue;
            }
        };
        let n = |i: usize| -> f64 {
            let at = operands.len().wrapping_sub(i);
            operands.get(at).and_then(Obj::number).unwrap_or(0.0)
        };
        let matrix = || [n(6), n(5), n(4), n(3), n(2), n(1)];
        match op {
            b"q" if saved.len() < 1024 => saved.push(st.ctm),
            b"Q" => st.ctm = saved.pop().unwrap_or(ctm),
            b"cm" => st.ctm = mul(&matrix(), &st.ctm),
            b"BT" => {
                st.tm = IDENTITY;
                st.tlm = IDENTITY;
            }
            b"Tf" => {
                st.size = n(1);
                st.font = operands
                    .len()
                    .checked_sub(2)
                    .and_then(|i| resource(b"Font", &operands[i]))
                    .map(|f| fonts.get(doc, &f));
            }
            b"Tc" => st.char_spacing = n(1),
            b"Tw" => st.word_spacing = n(1),
            b"Tz" => st.scale = n(1) / 100.0,
            b"TL" => st.leading = n(1),
            b"Td" => st.next_line(n(2), n(1)),
            b"TD" => {
                st.leading = -n(1);
                st.next_line(n(2), n(1));
            }
            b"Tm" => {
                st.tlm = matrix();
                st.tm = st.tlm;
            }
            b"T*" => st.next_line(0.0, -st.leading),
            b"Tj" | b"'" | b"\"" => {
                if op == b"\"" {
                    st.word_spacing = n(3);
                    st.char_spacing = n(2);
                }
                if op != b"Tj" {
                    st.next_line(0.0, -st.leading);
                }
                if let Some(Obj::String(s)) = operands.last() {
                    st.show(s, text);
                }
            }
            b"TJ" => {
                if let Some(Obj::Array(items)) = operands.last() {
                    for item in items {
                        match item {
                            Obj::String(s) => st.show(s, text),
                            Obj::Number(adjust) => {
                                let tx = -adjust / 1000.0 * st.size * st.scale;
                                st.tm = mul(&translate(tx, 0.0), &st.tm);
                            }
                            _ => {}
                        }
                    }
                }
            }
            b"Do" if depth < MAX_FORMS => {
                if let Some(form @ Obj::Ref(_)) =
                    operands.last().and_then(|o| resource(b"XObject", o))
                    && let Some(dict) = doc.dict(&form)
                    && dict.get(b"Subtype").and_then(Obj::name) == Some(b"Form")
                    && let Some(data) = doc.stream(&form)
                {
                    let m = dict.get(b"Matrix").map(|m| doc.array(m)).unwrap_or(&[]);
                    let m: Vec<f64> = m.iter().filter_map(|v| doc.number(v)).collect();
                    let m: Matrix = m.try_into().unwrap_or(IDENTITY);
                    let own = dict.get(b"Resources").and_then(|r| doc.dict(r));
                    let form_ctm = mul(&m, &st.ctm);
                    run_with(
                        doc,
                        fonts,
                        own.or(resources),
                        &data,
                        form_ctm,
                        text,
                        depth + 1,
                    );
                }
            }
            b"BI" => skip_inline_image(&mut lx),
            _ => {}
        }
        operands.clear();
    }
}

impl State {
    fn next_line(&mut self, x: f64, y: f64) {
        self.tlm = mul(&translate(x, y), &self.tlm);
        self.tm = self.tlm;
    }

    /// Draws the string `s`: a space before it if it starts away from the
    /// last one's end, its letters, and the pen moved past it.
    fn show(&mut self, s: &[u8], text: &mut Text) {
        let Some(font) = self.font.clone() else {
            return;
        };
        let m = mul(&self.tm, &self.ctm);
        let start = point(&m, 0.0, 0.0);
        let up = point(&m, 0.0, 1.0);
        let ahead = point(&m, 1.0, 0.0);
        let size = self.size.abs() * (up.0 - start.0).hypot(up.1 - start.1);
        let dir = (ahead.0 - start.0, ahead.1 - start.1);
        let len = dir.0.hypot(dir.1);
        let dir = if len > 0.0 {
            (dir.0 / len, dir.1 / len)
        } else {
            (1.0, 0.0)
        };
        if let Some(last) = &text.last {
            let d = (start.0 - last.end.0, start.1 - last.end.1);
            let along = d.0 * last.dir.0 + d.1 * last.dir.1;
            let across = (last.dir.0 * d.1 - last.dir.1 * d.0).abs();
            let h = last.size.max(size).max(f64::EPSILON);
            if (across > 0.5 * h || along > 0.15 * h || along < -0.5 * h)
                && !text.out.ends_with(char::is_whitespace)
                && !text.out.is_empty()
            {
                text.out.push(' ');
            }
        }
        if !font.readable && !s.is_empty() {
            text.unreadable = true;
        }
        let mut advance = 0.0;
        // Spacing wide enough after a letter (some producers set a word's
        // last letter and the next word's first in one string, the space
        // between them as character spacing) parts two words.
        let mut gap_before = false;
        font.glyphs(s, |g| {
            if font.readable {
                if gap_before && !text.out.ends_with(char::is_whitespace) {
                    text.out.push(' ');
                }
                text.out.extend(
                    g.text
                        .chars()
                        .filter(|c| !c.is_control())
                        .map(|c| if c == '\u{a0}' { ' ' } else { c }),
                );
            }
            let spacing = self.char_spacing
                + if g.is_space_code {
                    self.word_spacing
                } else {
                    0.0
                };
            gap_before = spacing > 0.2 * self.size.abs();
            advance += (g.width / 1000.0 * self.size + spacing) * self.scale;
        });
        self.tm = mul(&translate(advance, 0.0), &self.tm);
        let end = point(&mul(&self.tm, &self.ctm), 0.0, 0.0);
        text.last = Some(Pen { end, dir, size });
    }
}

/// Moves past an inline image's data: from `BI` on, its dictionary up to
/// `ID`, then bytes up to an `EI` standing as a word.
fn skip_inline_image(lx: &mut Lexer<'_>) {
    while let Some(token) = lx.token() {
        if token == Token::Word(b"ID") {
            break;
        }
    }
    let b = lx.b;
    let mut at = lx.at + 1;
    while at + 2 <= b.len() {
        if &b[at..at + 2] == b"EI"
            && is_space(b[at - 1])
            && b.get(at + 2).is_none_or(|&c| is_space(c))
        {
            lx.at = at + 2;
            return;
        }
        at += 1;
    }
    lx.at = b.len();
}
