//! Pages that still hold the placeholder text `vinn new` wrote.
//!
//! The built-in archetypes start a page with lines meant to be written
//! over ("Skriv ingressen her: …", a checklist's "Første punkt"). A page
//! built at once publishes them, and an article's first line becomes its
//! summary in listings and the feed. This pass finds those lines, exactly
//! as the archetypes write them, and warns at each: the page still builds.

use crate::content::Page;
use crate::diagnostics::{Diagnostic, display_path};

/// The lines of the built-in archetypes that are meant to be replaced
/// (`scaffold` writes them; its tests hold the two lists together).
pub const PLACEHOLDERS: [&str; 8] = [
    "Skriv ingressen her: hva skal leseren lære?",
    "Når skal sjekklisten brukes, og av hvem?",
    "- [ ] Første punkt",
    "- [ ] Andre punkt",
    "Write the lead here: what will the reader learn?",
    "When is the checklist used, and by whom?",
    "- [ ] First item",
    "- [ ] Second item",
];

/// Finds the placeholders in a body: each by a few of its words, with
/// memchr's SIMD search (every body of a build passes here), then the
/// line around a hit compared whole.
pub struct Placeholders {
    finders: Vec<memchr::memmem::Finder<'static>>,
}

impl Default for Placeholders {
    fn default() -> Self {
        Placeholders {
            finders: PLACEHOLDERS
                .iter()
                .map(|p| memchr::memmem::Finder::new(&p.as_bytes()[p.len() - 12..]))
                .collect(),
        }
    }
}

impl Placeholders {
    /// A warning at each line of `page`'s body that is a placeholder (with
    /// nothing but white space around it).
    pub fn in_page(&self, page: &Page) -> Vec<Diagnostic> {
        self.in_body(&page.source, &page.body, page.body_line)
    }

    /// [`in_page`](Self::in_page) for the body `body` of the file `source`,
    /// whose first line is the file's line `body_line`.
    fn in_body(&self, source: &std::path::Path, body: &str, body_line: usize) -> Vec<Diagnostic> {
        let bytes = body.as_bytes();
        let mut hits: Vec<(usize, &str)> = Vec::new();
        for (finder, p) in self.finders.iter().zip(PLACEHOLDERS) {
            for at in finder.find_iter(bytes) {
                let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
                let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
                if bytes[start..end].trim_ascii() == p.as_bytes() {
                    hits.push((start, p));
                }
            }
        }
        hits.sort_unstable();
        let mut line = body_line;
        let mut counted = 0;
        hits.into_iter()
            .map(|(start, p)| {
                line += memchr::memchr_iter(b'\n', &bytes[counted..start]).count();
                counted = start;
                Diagnostic::warning(
                    display_path(source),
                    line,
                    1,
                    format!(
                        "still the placeholder that `vinn new` wrote (\"{p}\"): write the page's own text, or mark it `draft: true` until it is ready"
                    ),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_lines_only() {
        let lines = |body: &str| -> Vec<usize> {
            Placeholders::default()
                .in_body(std::path::Path::new("content/x.md"), body, 5)
                .iter()
                .map(|d| d.line)
                .collect()
        };
        assert_eq!(
            lines(
                "\nSkriv ingressen her: hva skal leseren lære?\n\n- [ ] Første punkt  \r\n  - [ ] Andre punkt"
            ),
            [6, 8, 9]
        );
        // Inside a sentence, or a longer item, it is the author's own.
        assert_eq!(
            lines(
                "Vi skrev «Skriv ingressen her: hva skal leseren lære?» i malen.\n- [ ] Første punkt er viktigst\n"
            ),
            Vec::<usize>::new()
        );
    }
}
