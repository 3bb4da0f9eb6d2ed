//! Markdown cache: a rebuild renders again only the bodies that changed.
//!
//! The HTML of a body depends on its text, its first line, the UI labels,
//! and on what the site answers when the renderer asks about links and
//! images. The cache records those questions with their answers; an entry
//! is reused only when the text is the same and asking every recorded
//! question again gives the same answers. So renaming or deleting a page
//! re-renders exactly the pages whose links resolve differently.
//!
//! A record shares the page's text rather than copying it, and the body
//! taken back from the previous site keeps the memo's fingerprint of it
//! ([`crate::fingerprinted`]), so a reused body brings that along too.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::fingerprinted::Fingerprinted;
use crate::markdown::{self, Labels, LinkResolver, Rendered, Resolved};
use crate::site::{RenderMarkdown, Site};

#[derive(Debug, Clone, PartialEq)]
enum Question {
    Link(String, Resolved),
    Image(String, Option<(u32, u32)>),
}

/// How one body was rendered last time.
struct Record {
    /// The page's own text, shared: mostly the very text it is asked
    /// about next time.
    body: Arc<str>,
    first_line: usize,
    labels: Labels,
    questions: Vec<Question>,
}

struct Entry {
    record: Record,
    /// The HTML and friends, taken back from the previous site, with
    /// their fingerprint if serve's memo made one.
    rendered: Option<Fingerprinted<Rendered>>,
}

/// Asks the real resolver and writes down question and answer.
struct Recorder<'a> {
    inner: &'a dyn LinkResolver,
    questions: Mutex<Vec<Question>>,
}

impl LinkResolver for Recorder<'_> {
    fn resolve(&self, href: &str) -> Resolved {
        let r = self.inner.resolve(href);
        self.questions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Question::Link(href.to_string(), r.clone()));
        r
    }
    fn image_size(&self, href: &str) -> Option<(u32, u32)> {
        let r = self.inner.image_size(href);
        self.questions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Question::Image(href.to_string(), r));
        r
    }
}

/// The cache, kept across rebuilds by `serve`.
#[derive(Default)]
pub struct MarkdownCache {
    entries: Mutex<HashMap<String, Entry>>,
    next: Mutex<HashMap<String, Record>>,
    hits: std::sync::atomic::AtomicUsize,
    misses: std::sync::atomic::AtomicUsize,
}

impl MarkdownCache {
    /// Takes the rendered bodies back from the site of the previous
    /// rebuild (which is dropped) and starts a new round.
    pub fn absorb(&mut self, previous: Option<Site>) {
        let records = std::mem::take(self.next.get_mut().unwrap_or_else(|e| e.into_inner()));
        let entries = self.entries.get_mut().unwrap_or_else(|e| e.into_inner());
        if !records.is_empty() {
            entries.clear();
        }
        for (key, record) in records {
            entries.insert(
                key,
                Entry {
                    record,
                    rendered: None,
                },
            );
        }
        if let Some(site) = previous {
            for sp in site.pages {
                if let Some(e) = entries.get_mut(&sp.page.key) {
                    e.rendered = Some(sp.content);
                }
            }
            for (k, s) in site.sections {
                let key = if k.is_empty() {
                    "_index.md".to_string()
                } else {
                    format!("{k}/_index.md")
                };
                if let Some(e) = entries.get_mut(&key) {
                    e.rendered = Some(s.content.into());
                }
            }
        }
        entries.retain(|_, e| e.rendered.is_some());
        self.hits.store(0, std::sync::atomic::Ordering::Relaxed);
        self.misses.store(0, std::sync::atomic::Ordering::Relaxed);
    }

    /// Bodies reused / rendered in this round.
    pub fn counts(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.hits.load(Relaxed), self.misses.load(Relaxed))
    }
}

impl RenderMarkdown for MarkdownCache {
    fn render(
        &self,
        key: &str,
        body: &Arc<str>,
        first_line: usize,
        links: &dyn LinkResolver,
        labels: &Labels,
    ) -> Fingerprinted<Rendered> {
        use std::sync::atomic::Ordering::Relaxed;
        let entry = self
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
        if let Some(Entry {
            record,
            rendered: Some(rendered),
        }) = entry
        {
            let same = (Arc::ptr_eq(&record.body, body) || record.body == *body)
                && record.first_line == first_line
                && record.labels == *labels
                && record.questions.iter().all(|q| match q {
                    Question::Link(href, answer) => links.resolve(href) == *answer,
                    Question::Image(href, answer) => links.image_size(href) == *answer,
                });
            if same {
                self.hits.fetch_add(1, Relaxed);
                self.next
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key.to_string(), record);
                return rendered;
            }
        }
        self.misses.fetch_add(1, Relaxed);
        let recorder = Recorder {
            inner: links,
            questions: Mutex::new(Vec::new()),
        };
        let rendered = markdown::render(body, first_line, &recorder, labels);
        let record = Record {
            body: body.clone(),
            first_line,
            labels: labels.clone(),
            questions: recorder
                .questions
                .into_inner()
                .unwrap_or_else(|e| e.into_inner()),
        };
        self.next
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_string(), record);
        rendered.into()
    }
}
