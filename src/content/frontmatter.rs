//! Front matter: splitting the YAML block off a Markdown file and parsing it
//! into typed structs. This is the only module that touches `serde_yaml`
//! (deprecated upstream), so replacing it later is a one-file change.

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

/// Parses the YAML block into `T`. `first_line` is the file line of the
/// YAML's first line, so reported positions are file positions.
pub fn parse<T: DeserializeOwned + Default>(yaml: &str, first_line: usize) -> Result<T, YamlError> {
    if yaml.trim().is_empty() {
        return Ok(T::default());
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
        let (line, col) = if line > last { (last, 1) } else { (line, col) };
        let mut msg = e.to_string();
        if let Some(i) = msg.find(" at line ") {
            msg.truncate(i);
        }
        let msg = crate::diagnostics::explain_serde_message(&msg);
        YamlError {
            line,
            col,
            message: msg,
        }
    })
}

/// The 1-based file line of each top-level key in the YAML block, for
/// errors found after parsing ("`outcome` is only for case studies").
pub fn key_lines(yaml: &str, first_line: usize) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, l) in yaml.lines().enumerate() {
        if l.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some(colon) = l.find(':') {
            let key = l[..colon].trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                map.entry(key.to_string()).or_insert(first_line + i);
            }
        }
    }
    map
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
    fn unclosed_fence_is_an_error() {
        assert_eq!(split("---\ntitle: x\n").unwrap_err().0, 1);
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
