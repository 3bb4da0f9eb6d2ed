//! Diagnostics: the problems a build finds in a site, each tied to a file and
//! a position, collected so that one run reports every problem at once.
//!
//! This module owns the `path:line:col: error: message` format, the sorting
//! that makes output deterministic, and the summary line.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is. Errors fail the build; warnings are printed only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Information shown with `--verbose` only (e.g. reviewed findings).
    Note,
}

/// One problem at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with forward slashes.
    pub path: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(
        path: impl AsRef<Path>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: display_path(path.as_ref()),
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(
        path: impl AsRef<Path>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    pub fn note(
        path: impl AsRef<Path>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path,
            self.line.max(1),
            self.col.max(1),
            sev,
            self.message
        )
    }
}

/// Paths in diagnostics always use forward slashes, whatever the platform.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Every problem of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    /// Every warning made an error, saying so (`--strict`); notes stay.
    pub fn deny_warnings(&mut self) {
        for d in &mut self.items {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
                d.message.push_str(" (a warning, an error with --strict)");
            }
        }
    }
    /// [`Diagnostics::deny_warnings`], by value.
    pub fn denied_warnings(mut self) -> Self {
        self.deny_warnings();
        self
    }
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
    /// `N warnings` (`1 warning`).
    pub fn warnings_text(&self) -> String {
        let n = self.warning_count();
        format!("{n} warning{}", if n == 1 { "" } else { "s" })
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Sorted by path, line, column, then message; exact duplicates removed.
    pub fn sorted(mut self) -> Self {
        self.items.sort();
        self.items.dedup();
        self
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
    /// `N errors in M files` (and warnings when there are any).
    pub fn summary(&self) -> String {
        let errors = self.error_count();
        let files: BTreeSet<&str> = self
            .items
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.path.as_str())
            .collect();
        let mut s = format!(
            "{} error{} in {} file{}",
            errors,
            if errors == 1 { "" } else { "s" },
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
        if self.warning_count() > 0 {
            s.push_str(", ");
            s.push_str(&self.warnings_text());
        }
        s
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// Errors of the library. Only `main` turns them into text and exit codes.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The site has problems (content, links, anonymization, templates): exit 1.
    #[error("{}", .0.summary())]
    Site(Diagnostics),
    /// The environment is wrong (no site.toml, refusing an output dir, port busy): exit 2.
    #[error("{message}")]
    Environment { message: String },
    /// The command line asks for something that cannot be (an argument
    /// outside what it may be): exit 2.
    #[error("{message}")]
    Usage { message: String },
    /// `vinn new` would write over a file (`path`): exit 2.
    #[error("{} already exists: vinn new never overwrites; pick another title", .path.display())]
    Exists { path: PathBuf },
    /// An I/O error outside the content (writing the output, for instance): exit 2.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn env(message: impl Into<String>) -> Self {
        Error::Environment {
            message: message.into(),
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
        }
    }
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// 1-based line and column of a byte offset in `text` (column counts chars).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The nearest candidate to `word` by edit distance, when it is close enough
/// to be a plausible typo. Used for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = typo_distance(word, c);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(2))
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// [`edit_distance`] where two neighbours swapped are one slip, not two
/// (the optimal string alignment distance): `artikel` → `article` is a
/// substitution and a swap, 2. What [`did_you_mean`] measures typos by.
pub fn typo_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: the one before the last, the last, and this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            let mut d = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && ca == b[j - 1] && a[i - 1] == cb {
                d = d.min(before[j - 1] + 1);
            }
            cur[j + 1] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Serde's "unknown field `x`, expected one of `a`, `b`" message from
/// front matter, rewritten as a hint with the nearest valid key (and where
/// free keys go: `extra:`). Other messages pass through.
pub fn explain_serde_message(msg: &str) -> String {
    explain(msg, " (free keys go under `extra:`)")
}

/// [`explain_serde_message`] for `site.toml`, which has no place for keys
/// of one's own.
pub fn explain_config_message(msg: &str) -> String {
    explain(msg, "")
}

/// The messages above; `free_keys` ends an unknown key's.
fn explain(msg: &str, free_keys: &str) -> String {
    if let Some(plain) = explain_invalid_type(msg) {
        return plain;
    }
    if let Some(plain) = explain_unknown_variant(msg) {
        return plain;
    }
    let Some(rest) = msg.strip_prefix("unknown field `") else {
        return msg.to_string();
    };
    let Some(end) = rest.find('`') else {
        return msg.to_string();
    };
    let field = &rest[..end];
    let expected: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
    match did_you_mean(field, expected.iter().copied()) {
        Some(s) => format!("unknown key `{field}`: did you mean `{s}`?{free_keys}"),
        None => format!(
            "unknown key `{field}`; valid keys are {}{free_keys}",
            expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// serde's "unknown variant `artikel`, expected one of `article`, …"
/// (after the key, where the YAML reader names it) with the nearest value:
/// "unknown value `artikel` for `kind`: did you mean `article`? (one of
/// `article`, `checklist`, `case`)".
fn explain_unknown_variant(msg: &str) -> Option<String> {
    let (key, rest) = match msg.split_once(": unknown variant `") {
        Some((key, rest)) if !key.contains(' ') => (Some(key), rest),
        _ => (None, msg.strip_prefix("unknown variant `")?),
    };
    let (given, expected) = rest.split_once("`, expected ")?;
    // serde lists them as "`a`", "`a` or `b`" or "one of `a`, `b`, `c`".
    let values: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    if values.is_empty() {
        return None;
    }
    let listed = values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let what = match key {
        Some(k) => format!("unknown value `{given}` for `{k}`"),
        None => format!("unknown value `{given}`"),
    };
    Some(match did_you_mean(given, values.iter().copied()) {
        Some(v) => format!("{what}: did you mean `{v}`? (one of {listed})"),
        None => format!("{what}: write one of {listed}"),
    })
}

/// serde's "invalid type: string \"hundre\", expected i64" (after the
/// key it concerns, where the YAML reader names it) in an author's words:
/// "`weight` takes a whole number (e.g. 10), not the text `hundre`".
fn explain_invalid_type(msg: &str) -> Option<String> {
    let (key, rest) = match msg.split_once(": invalid type: ") {
        Some((key, rest)) if !key.contains(' ') => (Some(key), rest),
        _ => (None, msg.strip_prefix("invalid type: ")?),
    };
    let (found, expected) = rest.rsplit_once(", expected ")?;
    let takes = match expected {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            "a whole number (e.g. 10)"
        }
        "f32" | "f64" => "a number",
        "a boolean" => "true or false",
        "a string" => "text (in quotes when it could be read as something else)",
        "a sequence" => "a list: `[a, b]`, or one `- item` per line below it",
        e if e == "a map" || e.starts_with("struct ") => "keys, one per line, indented below it",
        _ => return None,
    };
    let found = if let Some(text) = found.strip_prefix("string ") {
        format!("the text `{}`", text.trim_matches('"'))
    } else if let Some(n) = found
        .strip_prefix("integer ")
        .or_else(|| found.strip_prefix("floating point "))
    {
        format!("the number {}", n.trim_matches('`'))
    } else if let Some(b) = found.strip_prefix("boolean ") {
        b.to_string()
    } else {
        match found {
            "sequence" => "a list".to_string(),
            "map" => "keys below it".to_string(),
            "unit value" => "an empty value".to_string(),
            other => other.to_string(),
        }
    };
    Some(match key {
        Some(k) => format!("`{k}` takes {takes}, not {found}"),
        None => format!("this setting takes {takes}, not {found}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_of_the_wrong_type_is_explained() {
        for (serde, plain) in [
            (
                "weight: invalid type: string \"hundre\", expected i64",
                "`weight` takes a whole number (e.g. 10), not the text `hundre`",
            ),
            (
                "anonymized: invalid type: string \"ja\", expected a boolean",
                "`anonymized` takes true or false, not the text `ja`",
            ),
            (
                "tags: invalid type: string \"tapsanalyse\", expected a sequence",
                "`tags` takes a list: `[a, b]`, or one `- item` per line below it, not the text `tapsanalyse`",
            ),
            (
                "title: invalid type: sequence, expected a string",
                "`title` takes text (in quotes when it could be read as something else), not a list",
            ),
            (
                "invalid type: floating point `1.5`, expected usize",
                "this setting takes a whole number (e.g. 10), not the number 1.5",
            ),
        ] {
            assert_eq!(explain_serde_message(serde), plain);
        }
        // Anything else is left as it was.
        let other = "invalid type: newtype struct, expected something odd";
        assert_eq!(explain_serde_message(other), other);
    }

    #[test]
    fn an_unknown_value_gets_the_nearest() {
        for (serde, plain) in [
            (
                "kind: unknown variant `artikel`, expected one of `article`, `checklist`, `case`",
                "unknown value `artikel` for `kind`: did you mean `article`? (one of `article`, `checklist`, `case`)",
            ),
            (
                "unknown variant `nn`, expected `nb` or `en`",
                "unknown value `nn`: did you mean `nb`? (one of `nb`, `en`)",
            ),
            (
                "kind: unknown variant `oppskrift`, expected one of `article`, `checklist`, `case`",
                "unknown value `oppskrift` for `kind`: write one of `article`, `checklist`, `case`",
            ),
        ] {
            assert_eq!(explain_serde_message(serde), plain);
        }
    }

    #[test]
    fn a_swap_of_neighbours_is_one_slip() {
        assert_eq!(typo_distance("artikel", "article"), 2);
        assert_eq!(edit_distance("artikel", "article"), 3);
        assert_eq!(typo_distance("ab", "ba"), 1);
        assert_eq!(typo_distance("titel", "title"), 1);
        assert_eq!(typo_distance("", "abc"), 3);
        assert_eq!(typo_distance("kitten", "sitting"), 3);
        assert_eq!(typo_distance("møte", "mote"), 1);
        assert_eq!(
            did_you_mean("artikel", ["article", "checklist", "case"]),
            Some("article")
        );
    }

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let t = "ab\næøå x";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        let x = t.find('x').unwrap();
        assert_eq!(line_col(t, x), (2, 5));
    }

    #[test]
    fn suggestion_for_typo() {
        let m = explain_serde_message("unknown field `titel`, expected one of `title`, `date`");
        assert!(m.contains("did you mean `title`"), "{m}");
        assert_eq!(did_you_mean("zzzzzz", ["title", "date"]), None);
    }

    #[test]
    fn summary_counts_files() {
        let d: Diagnostics = vec![
            Diagnostic::error("a.md", 1, 1, "x"),
            Diagnostic::error("a.md", 2, 1, "y"),
            Diagnostic::error("b.md", 1, 1, "z"),
        ]
        .into_iter()
        .collect();
        assert_eq!(d.summary(), "3 errors in 2 files");
        let mut d = d;
        d.push(Diagnostic::warning("c.md", 1, 1, "w"));
        d.push(Diagnostic::note("c.md", 2, 1, "n"));
        assert_eq!(d.summary(), "3 errors in 2 files, 1 warning");
        assert_eq!(d.warning_count(), 1);
    }
}
