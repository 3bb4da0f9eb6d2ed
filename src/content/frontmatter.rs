//! Front matter: splitting the YAML block off a Markdown file and parsing it
//! into typed structs. The usual shape of a block is read by a small reader
//! here (`simple`); anything else goes to `serde_yaml`. This is the only
//! module that touches `serde_yaml` (deprecated upstream), so replacing it
//! later is a one-file change.

use std::collections::HashMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::Kind;

/// A file split into its front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text, without the `---` fences; `None` when the file has none.
    pub yaml: Option<&'a str>,
    /// 1-based line of the first YAML line (the line after the opening fence).
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Splits `---` fenced front matter from the body. The text must already
/// have `\r\n` folded to `\n`. Errors carry the 1-based line.
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: Some(&text[yaml_start..pos]),
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err((
        1,
        "front matter opened with `---` is never closed: add a line with `---` after it".into(),
    ))
}

/// A YAML error mapped to the file: line, column, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// [`parse`], with every key's mistake: after one, the top-level key it
/// stands under is set aside (its lines made comments, so the others keep
/// their lines) and the block read again, up to 20 mistakes. A mistake
/// that no key holds (the YAML itself is broken) ends the search.
pub fn parse_all<T: DeserializeOwned + Default>(
    yaml: &str,
    first_line: usize,
) -> Result<T, Vec<YamlError>> {
    let mut errors: Vec<YamlError> = Vec::new();
    let mut text = yaml.to_string();
    loop {
        match parse::<T>(&text, first_line) {
            Ok(t) if errors.is_empty() => return Ok(t),
            Ok(_) => return Err(errors),
            Err(e) => {
                // Broken YAML says nothing more to trust after it.
                let syntax = serde_yaml::from_str::<serde_yaml::Value>(&text).is_err();
                let block = key_block(&text, e.line.saturating_sub(first_line));
                errors.push(e);
                let Some((from, to)) = block.filter(|_| errors.len() < 20 && !syntax) else {
                    return Err(errors);
                };
                text = text
                    .lines()
                    .enumerate()
                    .map(|(i, l)| if (from..to).contains(&i) { "#" } else { l })
                    .collect::<Vec<_>>()
                    .join("\n");
            }
        }
    }
}

/// The lines (`from..to`, 0-based in the block) of the top-level key whose
/// value holds the block's line `at`: its own line and the indented or
/// listed lines after it.
fn key_block(yaml: &str, at: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let top = |l: &str| !l.is_empty() && !l.starts_with([' ', '\t', '#', '-']) && l.contains(':');
    let from = (0..=at.min(lines.len().checked_sub(1)?))
        .rev()
        .find(|&i| top(lines[i]))?;
    let to = (from + 1..lines.len())
        .find(|&i| top(lines[i]))
        .unwrap_or(lines.len());
    Some((from, to))
}

/// Parses the YAML block into `T`. `first_line` is the file line of the
/// YAML's first line, so reported positions are file positions.
pub fn parse<T: DeserializeOwned + Default>(yaml: &str, first_line: usize) -> Result<T, YamlError> {
    if yaml.trim().is_empty() {
        return Ok(T::default());
    }
    if let Some(t) = simple::values(yaml).and_then(|v| T::deserialize(v).ok()) {
        return Ok(t);
    }
    serde_yaml::from_str(yaml).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line() + first_line - 1, l.column()))
            .unwrap_or((first_line, 1));
        // An error at the end of the block (an unclosed bracket) belongs to
        // the last line that has text, not to the closing fence.
        let last = yaml
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, _)| first_line + i)
            .last()
            .unwrap_or(first_line);
        let (mut line, mut col) = if line > last { (last, 1) } else { (line, col) };
        let full = e.to_string();
        let mut msg = full.clone();
        if let Some(i) = msg.find(" at line ") {
            msg.truncate(i);
        }
        if let Some(plain) = explain_syntax(yaml, first_line, &full, &msg, (line, col)) {
            return plain;
        }
        // serde_yaml places a key given twice at the start of the block:
        // the second one is where the mistake is.
        let twice = msg
            .strip_prefix("duplicate field `")
            .and_then(|rest| rest.strip_suffix('`'))
            .map(|key| top_level_lines(yaml, first_line, key));
        if let Some([first, second, ..]) = twice.as_deref() {
            msg = format!("{msg}, first given on line {first}: keep one");
            (line, col) = (*second, 1);
        }
        let msg = crate::diagnostics::explain_serde_message(&msg);
        YamlError {
            line,
            col,
            message: msg,
        }
    })
}

/// libyaml's messages for the slips authors make most, in their words and
/// at the place to fix: a quote never closed (at the quote, which libyaml
/// names only in its context: "…, while scanning a quoted scalar at line
/// 1 column 8"), a `: ` inside a value not in quotes, a tab that indents.
/// `full` is serde_yaml's message, `msg` the same without its places,
/// `at` the place in the file found for it.
fn explain_syntax(
    yaml: &str,
    first_line: usize,
    full: &str,
    msg: &str,
    at: (usize, usize),
) -> Option<YamlError> {
    let line_text = |file_line: usize| yaml.lines().nth(file_line.checked_sub(first_line)?);
    if msg.starts_with("found unexpected end of stream")
        && let Some(context) = full
            .split_once(", while scanning a quoted scalar")
            .map(|x| x.1)
    {
        // libyaml leaves out a place at the very start of the text.
        let (l, c) = context
            .strip_prefix(" at line ")
            .and_then(|p| {
                let (l, c) = p.split_once(" column ")?;
                Some((l.parse::<usize>().ok()?, c.parse::<usize>().ok()?))
            })
            .unwrap_or((1, 1));
        let line = l + first_line - 1;
        let quote = line_text(line)
            .and_then(|t| t.chars().nth(c - 1))
            .filter(|q| matches!(q, '"' | '\''))
            .unwrap_or('"');
        return Some(open_quote(line, c, quote));
    }
    if msg == "mapping values are not allowed in this context" {
        let example = line_text(at.0)
            .and_then(|t| t.split_once(": "))
            .filter(|(k, v)| !k.starts_with([' ', '\t', '-']) && !v.contains(['"', '\\']))
            .map(|(k, v)| format!(": `{k}: \"{}\"`", v.trim()))
            .unwrap_or_default();
        return Some(YamlError {
            line: at.0,
            col: at.1,
            message: format!(
                "{msg}: a `: ` inside a value reads as the start of another key; put the value in quotes{example}"
            ),
        });
    }
    let tabbed = line_text(at.0).and_then(|t| {
        let indent = &t[..t.len() - t.trim_start_matches([' ', '\t']).len()];
        indent.find('\t').map(|i| indent[..i].chars().count() + 1)
    });
    if let Some(col) = tabbed
        && (msg.contains("tab character") || msg == "found character that cannot start any token")
    {
        return Some(YamlError {
            line: at.0,
            col,
            message: "a tab indents this line, and tabs cannot indent YAML: indent with spaces"
                .into(),
        });
    }
    // A quote left open runs on into the next quoted value, and libyaml
    // stumbles lines later ("did not find expected key"): the open quote
    // before the place it names is the mistake.
    if let Some((line, col, quote)) = unclosed_quote(yaml, first_line, at.0) {
        return Some(open_quote(line, col, quote));
    }
    None
}

/// The error of a quote `quote` opened at `line`:`col` and never closed.
fn open_quote(line: usize, col: usize, quote: char) -> YamlError {
    YamlError {
        line,
        col,
        message: format!(
            "the quote `{quote}` that opens this value is not closed: end the value with `{quote}`"
        ),
    }
}

/// The first value up to the file line `upto` that opens a quote its line
/// does not close (`title: "Hvorfor taper vi?`): its line, column, quote.
fn unclosed_quote(yaml: &str, first_line: usize, upto: usize) -> Option<(usize, usize, char)> {
    for (i, l) in yaml.lines().enumerate() {
        let line = first_line + i;
        if line > upto {
            break;
        }
        let Some((key, value)) = l.split_once(": ") else {
            continue;
        };
        if key.trim().is_empty() || key.trim_start().starts_with('#') {
            continue;
        }
        let v = value.trim_start();
        let Some(quote) = v.chars().next().filter(|q| matches!(q, '"' | '\'')) else {
            continue;
        };
        let rest = &v[1..];
        let closed = if quote == '"' {
            let mut escaped = false;
            rest.chars().any(|c| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            })
        } else {
            // `''` is a quote inside; a lone one closes it.
            rest.replace("''", "").contains('\'')
        };
        if !closed {
            let col = l[..l.len() - v.len()].chars().count() + 1;
            return Some((line, col, quote));
        }
    }
    None
}

/// The 1-based file line of each top-level key in the YAML block, for
/// errors found after parsing ("`outcome` is only for case studies").
pub fn key_lines(yaml: &str, first_line: usize) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (line, key) in top_level_keys(yaml, first_line) {
        map.entry(key.to_string()).or_insert(line);
    }
    map
}

/// The file lines where the top-level key `key` is given, in order.
fn top_level_lines(yaml: &str, first_line: usize, key: &str) -> Vec<usize> {
    top_level_keys(yaml, first_line)
        .filter(|(_, k)| *k == key)
        .map(|(line, _)| line)
        .collect()
}

/// Each top-level key of the YAML block with its file line.
fn top_level_keys(yaml: &str, first_line: usize) -> impl Iterator<Item = (usize, &str)> {
    yaml.lines().enumerate().filter_map(move |(i, l)| {
        if l.starts_with([' ', '\t', '#', '-']) {
            return None;
        }
        let key = l[..l.find(':')?].trim().trim_matches(['"', '\'']);
        (!key.is_empty()).then_some((first_line + i, key))
    })
}

/// Everything a page's front matter may say. Which fields a kind may use is
/// checked in `content::meta`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub weight: Option<i64>,
    pub kind: Option<Kind>,
    pub author: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub search: Option<bool>,
    pub template: Option<String>,
    #[serde(default)]
    pub extra: serde_json::Value,
    // checklist
    pub phase: Option<String>,
    // case
    pub anonymized: Option<bool>,
    pub outcome: Option<String>,
    pub reasons: Option<Vec<String>>,
    pub industry: Option<String>,
    pub deal_size: Option<String>,
    pub decision_maker_role: Option<String>,
    pub lessons: Option<Vec<String>>,
    pub interview_date: Option<String>,
}

/// The plain shape most front matter has, read without a YAML parser
/// (libyaml through `serde_yaml` was two thirds of loading a page).
///
/// [`values`](simple::values) reads a block only when every line is one it
/// is sure of: `key: value` at the start of the line, where the value is a
/// double- or single-quoted string without escapes, a plain scalar that can
/// only be a string (or exactly `true`, `false`, or digits), or a flow list
/// `[a, "b"]` of those; or `key:` followed by `- item` lines. Anything else —
/// comments after a value, `#` or `:` in a plain scalar, numbers of other
/// forms, nested mappings, anchors, block scalars, control characters,
/// repeated keys — returns `None`, and so does a block whose values do not
/// fit the target type: then `serde_yaml` reads it, and reports its errors,
/// as before. A test compares both readers on every block the simple one
/// accepts.
mod simple {
    use serde_json::{Map, Value};

    pub fn values(yaml: &str) -> Option<Value> {
        let mut map = Map::new();
        let mut lines = yaml.lines().peekable();
        while let Some(line) = lines.next() {
            let t = line.trim_end_matches(' ');
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let (key, rest) = t.split_once(':')?;
            let key_ok = key.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !key_ok || map.contains_key(key) {
                return None;
            }
            let value = if rest.is_empty() {
                block_list(&mut lines)?
            } else {
                value(rest.strip_prefix(' ')?.trim_start_matches(' '))?
            };
            map.insert(key.to_string(), value);
        }
        Some(Value::Object(map))
    }

    /// `- item` lines, all with the same indentation.
    fn block_list<'a>(
        lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
    ) -> Option<Value> {
        let mut items = Vec::new();
        let mut indent = None;
        while let Some(line) = lines.peek() {
            let t = line.trim_end_matches(' ');
            let spaces = t.len() - t.trim_start_matches(' ').len();
            let Some(item) = t[spaces..].strip_prefix("- ") else {
                break;
            };
            if *indent.get_or_insert(spaces) != spaces {
                return None;
            }
            items.push(scalar(item.trim_start_matches(' '), false)?);
            lines.next();
        }
        // `key:` alone is null in YAML: left to serde_yaml.
        (!items.is_empty()).then_some(Value::Array(items))
    }

    fn value(v: &str) -> Option<Value> {
        match v.strip_prefix('[') {
            Some(inner) => flow_list(inner),
            None => scalar(v, false),
        }
    }

    /// The inside of `[…]` up to the closing bracket, which ends the line.
    fn flow_list(mut rest: &str) -> Option<Value> {
        let mut items = Vec::new();
        loop {
            rest = rest.trim_start_matches(' ');
            if items.is_empty() && rest.starts_with(']') {
                return (rest == "]").then_some(Value::Array(items));
            }
            let end = if rest.starts_with(['"', '\'']) {
                rest[1..].find(&rest[..1])? + 2
            } else {
                rest.find([',', ']'])?
            };
            items.push(scalar(rest[..end].trim_end_matches(' '), true)?);
            rest = rest[end..].trim_start_matches(' ');
            match rest.as_bytes().first()? {
                b',' => rest = &rest[1..],
                b']' if rest == "]" => return Some(Value::Array(items)),
                _ => return None,
            }
        }
    }

    /// One scalar, the whole of `v`; `flow` inside `[…]`.
    fn scalar(v: &str, flow: bool) -> Option<Value> {
        // The characters below are decoded only when a byte that can
        // start one is there: ASCII controls, `C2` (U+0080–U+009F),
        // `E2` (U+2028, U+2029) and `EF` (U+FEFF, U+FFFE, U+FFFF). Most
        // values are plain text without any (every page's title and
        // description come through here).
        let maybe = |b: &u8| matches!(b, 0..0x20 | 0x7F | 0xC2 | 0xE2 | 0xEF);
        if v.is_empty()
            || (v.as_bytes().iter().any(maybe)
                && v.chars().any(|c| {
                    c.is_control()
                        || matches!(
                            c,
                            '\u{85}'
                                | '\u{2028}'
                                | '\u{2029}'
                                | '\u{feff}'
                                | '\u{fffe}'
                                | '\u{ffff}'
                        )
                }))
        {
            return None;
        }
        for q in ['"', '\''] {
            if let Some(inner) = v.strip_prefix(q) {
                let inner = inner.strip_suffix(q)?;
                // No escapes (double) and no doubled quotes (single).
                return (!inner.contains([q, '\\'])).then(|| Value::String(inner.into()));
            }
        }
        const LEADING: &[char] = &[
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`', ' ',
        ];
        let has = |set: &[u8]| v.bytes().any(|b| set.contains(&b));
        if v.starts_with(LEADING) || has(b"#:") || (flow && has(b",[]{}")) {
            return None;
        }
        match v {
            "true" => return Some(Value::Bool(true)),
            "false" => return Some(Value::Bool(false)),
            _ => {}
        }
        let digits = v.bytes().all(|b| b.is_ascii_digit());
        if digits && v.len() <= 18 && (v == "0" || !v.starts_with('0')) {
            return v.parse::<i64>().ok().map(Value::from);
        }
        // Anything else that YAML might read as a number, a boolean or null
        // (`1.5`, `+1`, `.inf`, `True`, `NULL`, `~`, `yes`) is left to
        // serde_yaml; a date (`2024-10-21`) is a string there too.
        let is_date = v.len() == 10
            && v.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        // The words YAML reads as something else are at most five bytes.
        let special = v.len() <= 5
            && matches!(
                v.to_ascii_lowercase().as_str(),
                "true"
                    | "false"
                    | "null"
                    | "~"
                    | "yes"
                    | "no"
                    | "on"
                    | "off"
                    | "y"
                    | "n"
                    | ".inf"
                    | ".nan"
            )
            || v.starts_with(|c: char| c.is_ascii_digit() || c == '+')
            || v.strip_prefix('.')
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        (is_date || !special).then(|| Value::String(v.into()))
    }
}

/// What a section's `_index.md` may say.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFront {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub kind: Option<Kind>,
    #[serde(default)]
    pub course: bool,
    pub search: Option<bool>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub template: Option<String>,
    #[serde(default)]
    pub extra: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let t = "---\ntitle: A\n---\n# Body\n";
        let s = split(t).unwrap();
        assert_eq!(s.yaml, Some("title: A\n"));
        assert_eq!(s.body_line, 4);
        assert_eq!(s.body, "# Body\n");
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Tittel\ntekst").unwrap();
        assert!(s.yaml.is_none());
        assert_eq!(s.body_line, 1);
    }

    #[test]
    fn a_quote_left_open_is_found_before_later_quoted_values() {
        let yaml = "title: \"Hvorfor taper vi tilbud?\ndescription: \"De fleste taper på pris\"\ndate: 2026-01-01\n";
        let e = parse::<PageFront>(yaml, 2).unwrap_err();
        assert_eq!((e.line, e.col), (2, 8), "{e:?}");
        assert!(e.message.contains("is not closed"), "{e:?}");
        // Quotes closed, escaped or doubled are no mistake of this kind.
        assert_eq!(unclosed_quote("a: \"x \\\" y\"\nb: 'it''s'\n", 1, 9), None);
    }

    #[test]
    fn every_keys_mistake_is_reported_each_at_its_line() {
        let yaml = "title: Ok\nweight: tung\ntags:\n  - a\ndraft: kanskje\nauthour: Kari\n";
        let errors = parse_all::<PageFront>(yaml, 2).unwrap_err();
        let at: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(at, [3, 6, 7], "{errors:?}");
        assert!(errors[0].message.contains("weight"), "{errors:?}");
        assert!(errors[2].message.contains("authour"), "{errors:?}");
        // Broken YAML stops at its first mistake.
        let errors = parse_all::<PageFront>("title: \"Uavsluttet\nweight: tung\n", 2).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        // A block that reads well is read as before.
        let ok = parse_all::<PageFront>("title: Ok\nweight: 3\n", 2).unwrap();
        assert_eq!(ok.weight, Some(3));
    }

    #[test]
    fn unclosed_fence_is_an_error() {
        assert_eq!(split("---\ntitle: x\n").unwrap_err().0, 1);
    }

    /// The simple reader's result, when it has one, and serde_yaml's.
    fn both<T: DeserializeOwned + std::fmt::Debug>(yaml: &str) -> (Option<String>, Option<String>) {
        let fast = simple::values(yaml)
            .and_then(|v| T::deserialize(v).ok())
            .map(|t| format!("{t:?}"));
        let slow = serde_yaml::from_str::<T>(yaml)
            .ok()
            .map(|t| format!("{t:?}"));
        (fast, slow)
    }

    /// Whether the simple reader read `yaml` (as a page's or a section's
    /// front matter); where it did, it must agree with serde_yaml.
    fn agree(yaml: &str) -> bool {
        let (fast, slow) = both::<PageFront>(yaml);
        if fast.is_some() {
            assert_eq!(fast, slow, "page front matter:\n{yaml}");
        }
        let (sfast, sslow) = both::<SectionFront>(yaml);
        if sfast.is_some() {
            assert_eq!(sfast, sslow, "section front matter:\n{yaml}");
        }
        fast.is_some() || sfast.is_some()
    }

    #[test]
    fn the_simple_reader_reads_the_usual_shapes_as_serde_yaml_does() {
        let usual = [
            "title: \"Derfor tapte vi: en gjennomgang\"\ndescription: \"Pris # og verdi\"\ndate: 2024-10-21\nkind: case\nauthor: \"Fagteamet\"\ntopics: [evaluering, beslutningstakere, verdi]\ntags: [implementering, \"rolle, spill\"]\nanonymized: true\noutcome: lost\nreasons: [competitor, timing]\nindustry: \"Sjømat\"\ndeal_size: \"1M-5M NOK\"\ndecision_maker_role: Fagdirektør\nlessons:\n  - \"Knytt fornyelsen til gevinsten.\"\n  - Bekreft skriftlig hvem som eier forhandlingen.\ninterview_date: 2024-12-04\n",
            "title: Tapsintervju etter anbud\nweight: 10\ndraft: false\nrelated:\n- ../sjekklister/tapsintervju.md\n- 'før-første-møte.md'\n\n# en kommentar\nphase: Oppfølging\n",
            "title: Kurs\ncourse: true\nweight: 0\naliases: []\n",
        ];
        for y in usual {
            assert!(agree(y), "not read by the simple reader:\n{y}");
        }
        // Shapes it leaves to serde_yaml; where both read one, they agree.
        let other = [
            "title: Hei # kommentar\n",
            "title: \"a\" # kommentar\n",
            "title: \"escaped \\\" quote\"\n",
            "title: 'it''s'\n",
            "title: kl. 10:30\n",
            "title: 5 råd\n",
            "title: 1.5\n",
            "title: yes\n",
            "title: Null\n",
            "title: ~\n",
            "title: -minus\n",
            "title: >\n  folded\n",
            "title: |\n  literal\n",
            "title: &a anker\n",
            "title:\n",
            "title: a\ntitle: b\n",
            "title:  two spaces\n",
            "title:tight\n",
            "title: tab\there\n",
            "extra:\n  x: 1\n",
            "tags: [a, [b]]\n",
            "tags: [a,]\n",
            "tags: [a] # c\n",
            "tags:\n  - a\n   - b\n",
            "tags:\n  - a\n  -\n",
            "weight: 007\n",
            "weight: 99999999999999999999\n",
            "draft: True\n",
            "Title: x\n",
            "  title: x\n",
            "title: x\n  more\n",
            "title: \"line\u{2028}sep\"\n",
            "title: a\u{85}b\n",
            "title: a\u{ffff}b\n",
            "title: \"a\u{fffe}b\"\n",
        ];
        for y in other {
            agree(y);
        }
        assert!(!agree("title: Hei # kommentar\n"));
        assert!(!agree("title: a\ntitle: b\n"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn the_simple_reader_never_disagrees_with_serde_yaml(
            lines in proptest::collection::vec(
                (
                    proptest::sample::select(&[
                        "title", "description", "date", "weight", "draft", "kind", "tags",
                        "topics", "lessons", "anonymized", "extra", "course", "search", "x",
                    ][..]),
                    proptest::sample::select(&[
                        ": a", ": \"a b\"", ": 'a'", ": true", ": false", ": 12", ": 0",
                        ": 2024-01-02", ": [a, b]", ": []", ": [\"x, y\", z]", ":\n  - a\n  - b",
                        ":\n- a", ": article", ": case", ": a # c", ": a: b", ": \"\"",
                        ": 1e3", ": .5", ": null", ": ~", ":", ": [a", ": a]", ": {a: 1}",
                        ": æøå", ": \"\\u00e6\"", ": 'a''b'", ":  a", ": -", ": ?a", ": a,b",
                    ][..]),
                ),
                0..8,
            )
        ) {
            let yaml: String = lines.iter().map(|(k, v)| format!("{k}{v}\n")).collect();
            agree(&yaml);
        }
    }

    #[test]
    fn a_key_given_twice_is_reported_where_it_is_given_again() {
        let yaml = "title: \"X\"\ndate: 2026-11-29\ntags: [a]\ntopics: []\ntags: []\n";
        let e = parse::<PageFront>(yaml, 2).unwrap_err();
        assert_eq!((e.line, e.col), (6, 1), "{}", e.message);
        assert!(e.message.contains("`tags`"), "{}", e.message);
        assert!(e.message.contains("first given on line 4"), "{}", e.message);
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        for (yaml, col, quote) in [
            (
                "title: \"Hvem signerer?\ndate: 2026-01-15\ntags: [a]\n",
                8,
                '"',
            ),
            ("date: 2026-01-15\ntitle:   'Hvem signerer?\n", 10, '\''),
        ] {
            let e = parse::<PageFront>(yaml, 2).unwrap_err();
            let line = 2 + yaml.lines().position(|l| l.starts_with("title")).unwrap();
            assert_eq!((e.line, e.col), (line, col), "{yaml}: {}", e.message);
            assert_eq!(
                e.message,
                format!(
                    "the quote `{quote}` that opens this value is not closed: end the value with `{quote}`"
                )
            );
        }
        // At the very start of the block too (libyaml gives no place then).
        let e = parse::<PageFront>("\"title: x\n", 2).unwrap_err();
        assert_eq!((e.line, e.col), (2, 1), "{}", e.message);
        assert!(e.message.contains("not closed"), "{}", e.message);
    }

    #[test]
    fn a_colon_in_a_value_asks_for_quotes() {
        let e =
            parse::<PageFront>("title: Pris: hva koster det?\ndate: 2026-01-15\n", 2).unwrap_err();
        assert_eq!((e.line, e.col), (2, 12), "{}", e.message);
        assert_eq!(
            e.message,
            "mapping values are not allowed in this context: a `: ` inside a value reads as the start of another key; put the value in quotes: `title: \"Pris: hva koster det?\"`"
        );
    }

    #[test]
    fn a_tab_that_indents_is_named() {
        for (yaml, line, col) in [
            ("title: Tab\ntags:\n\t- a\n", 4, 1),
            ("title: x\nextra:\n  a: 1\n\tb: 2\n", 5, 1),
            ("title: x\nextra:\n  a: 1\n  \tb: 2\n", 5, 3),
        ] {
            let e = parse::<PageFront>(yaml, 2).unwrap_err();
            assert_eq!((e.line, e.col), (line, col), "{yaml:?}: {}", e.message);
            assert_eq!(
                e.message,
                "a tab indents this line, and tabs cannot indent YAML: indent with spaces",
                "{yaml:?}"
            );
        }
    }

    #[test]
    fn an_unknown_kind_gets_a_did_you_mean() {
        let e = parse::<PageFront>("title: K\nkind: artikel\n", 2).unwrap_err();
        assert_eq!((e.line, e.col), (3, 7), "{}", e.message);
        assert_eq!(
            e.message,
            "unknown value `artikel` for `kind`: did you mean `article`? (one of `article`, `checklist`, `case`)"
        );
    }

    #[test]
    fn yaml_error_has_file_line() {
        let e = parse::<PageFront>("title: ok\ndate: [unclosed\n", 2).unwrap_err();
        assert!(e.line >= 3, "{e:?}");
        let e = parse::<PageFront>("title: ok\ntitel: x\n", 2).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.message.contains("did you mean `title`"), "{}", e.message);
    }
}
