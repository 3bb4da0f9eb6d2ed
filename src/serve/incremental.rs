//! Incremental rebuild: the site kept in memory, rebuilt after a change
//! with as little work as the change needs, always to the very output a
//! fresh `vinn build` would write.
//!
//! Every rebuild runs the same pipeline as `build` ([`build::load_cached`],
//! [`build::render_pages_with`]), over the files as they are on disk now, so
//! no change can be missed. What makes it fast are caches that check
//! themselves rather than trust file events:
//!
//! * [`LoadCache`]: a page file is read and parsed again only if its length
//!   or modification time changed, or the configuration did;
//! * [`MarkdownCache`]: a body is rendered again only if its text changed
//!   or a link or image in it now resolves differently;
//! * [`RenderMemo`]: a page, section or term page whose inputs (its own
//!   data, what it lists and links to, and the parts of the shared context
//!   its template closure can name) did not change is kept as it is served,
//!   without even building its context; any other output goes through Tera
//!   again only if its template closure or the context values that closure
//!   can name changed.
//!
//! A test applies random edits and compares every rebuild, byte for byte,
//! with a fresh build (`tests/serve.rs`).
//!
//! The result is swapped in whole, and only when it has no errors. The
//! search index is not part of it: [`Incremental::search_job`] builds it
//! afterwards, so a page reloads without waiting for the index.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::mdcache::MarkdownCache;
use super::memo::{Carry, Fingerprint, RenderMemo};
use super::pagecache::LoadCache;
use crate::build::{self, Options, Timings};
use crate::diagnostics::{Diagnostic, Error};
use crate::render::Sink;
use crate::site::Site;
use crate::theme::Theme;

/// The served files: output path (`artikler/a/index.html`) → bytes.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// A sink that keeps files in a map.
#[derive(Default)]
struct Collect(Mutex<Files>);

impl Sink for Collect {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), Arc::new(bytes));
        Ok(())
    }
}

/// How a rebuild ended.
pub enum Outcome {
    /// A new site, with the output paths that differ from the last one.
    Updated {
        files: Arc<Files>,
        changed: Vec<String>,
        removed: Vec<String>,
    },
    /// The site has errors: keep serving the last good one.
    Failed(Vec<Diagnostic>),
}

/// What one rebuild did, for the terminal line.
pub struct Report {
    pub outcome: Outcome,
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    /// Markdown bodies rendered afresh / reused.
    pub markdown: (usize, usize),
    /// Outputs rendered through Tera afresh / reused.
    pub rendered: (usize, usize),
    /// Page files parsed afresh / kept from the last rebuild.
    pub parsed: (usize, usize),
    pub millis: f64,
    pub timings: Timings,
    /// The path of `base_url`, where the site is mounted.
    pub base_path: String,
}

/// The site in memory between rebuilds.
pub struct Incremental {
    opts: Options,
    inject: String,
    markdown: MarkdownCache,
    pages: LoadCache,
    memo: Option<Carry>,
    /// The model of the latest rebuild (good or not): its Markdown feeds the cache.
    site: Option<Site>,
    /// The files of the latest good rebuild (without the search index).
    served: Option<Arc<Files>>,
    /// The latest rebuild was good: its search index is still to be built.
    index_due: bool,
}

impl Incremental {
    /// `inject` goes before `</body>` of every HTML page (the reload script).
    pub fn new(opts: Options, inject: String) -> Self {
        Incremental {
            opts,
            inject,
            markdown: MarkdownCache::default(),
            pages: LoadCache::default(),
            memo: None,
            site: None,
            served: None,
            index_due: false,
        }
    }

    /// The search index of the latest rebuild, once, if it was good. The
    /// files of [`Outcome::Updated`] have no search index: it is built from
    /// this, on any thread, and served beside them when it is done.
    pub fn search_job(&mut self) -> Option<build::SearchJob> {
        if !std::mem::take(&mut self.index_due) {
            return None;
        }
        self.site.as_ref().map(build::search_job)
    }

    /// The files of the last good rebuild.
    pub fn served(&self) -> Option<Arc<Files>> {
        self.served.clone()
    }

    /// Rebuilds from the files on disk now.
    pub fn rebuild(&mut self) -> Report {
        let start = Instant::now();
        self.index_due = false;
        self.markdown.absorb(self.site.take());
        let mut report = Report {
            outcome: Outcome::Failed(Vec::new()),
            warnings: Vec::new(),
            pages: 0,
            markdown: (0, 0),
            rendered: (0, 0),
            parsed: (0, 0),
            millis: 0.0,
            timings: Timings::default(),
            base_path: "/".into(),
        };
        let loaded = match build::load_cached(&self.opts, &self.markdown, Some(&self.pages)) {
            Ok(l) => l,
            Err(e) => {
                report.outcome = Outcome::Failed(error_diagnostics(e));
                report.millis = ms(start);
                return report;
            }
        };
        report.markdown = {
            let (hits, misses) = self.markdown.counts();
            (misses, hits)
        };
        report.timings = loaded.timings;
        let kept = self.pages.take_hits();
        report.parsed = (loaded.site.pages.len().saturating_sub(kept), kept);
        report.pages = loaded.site.pages.len();
        report.base_path = loaded.site.config.base_path();
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = loaded
            .diagnostics
            .sorted()
            .into_vec()
            .into_iter()
            .partition(Diagnostic::is_error);
        report.warnings = warnings;
        let site = loaded.site;
        if !errors.is_empty() {
            self.site = Some(site);
            report.outcome = Outcome::Failed(errors);
            report.millis = ms(start);
            return report;
        }
        let theme = match Theme::resolve(&site.root, &site.config.theme) {
            Ok(t) => t,
            Err(e) => {
                self.site = Some(site);
                report.outcome = Outcome::Failed(error_diagnostics(e));
                report.millis = ms(start);
                return report;
            }
        };
        let env = self.environment(&site);
        let memo = RenderMemo::new(self.memo.take(), env, &theme);
        let sink = Collect::default();
        let problems = build::render_pages_with(
            &site,
            theme,
            &sink,
            Some(self.inject.clone()),
            Some(&memo),
            &mut report.timings,
        );
        report.rendered = {
            let (hits, misses) = memo.counts();
            (misses, hits)
        };
        self.site = Some(site);
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            problems.into_iter().partition(Diagnostic::is_error);
        report.warnings.extend(warnings);
        if !errors.is_empty() {
            self.memo = Some(memo.finish(false));
            report.outcome = Outcome::Failed(
                crate::diagnostics::Diagnostics::from_iter(errors)
                    .sorted()
                    .into_vec(),
            );
            report.millis = ms(start);
            return report;
        }
        let mut files = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(served) = &self.served {
            for path in memo.kept() {
                if let Some(bytes) = served.get(&path) {
                    files.insert(path, bytes.clone());
                }
            }
        }
        self.memo = Some(memo.finish(true));
        let (changed, removed) = diff(self.served.as_deref(), &mut files);
        let files = Arc::new(files);
        self.served = Some(files.clone());
        self.index_due = true;
        report.outcome = Outcome::Updated {
            files,
            changed,
            removed,
        };
        report.millis = ms(start);
        report
    }

    /// Everything outside the template contexts that rendering depends on.
    fn environment(&self, site: &Site) -> u64 {
        let mut f = Fingerprint::default();
        f.str(&format!("{:?}", site.config));
        f.str(&format!("{:?}", site.strings));
        f.str(&self.inject);
        f.write_u8(u8::from(self.opts.drafts));
        f.finish()
    }
}

/// Paths that differ from `old` (sorted), and paths gone. Unchanged files
/// share their bytes with `old`.
fn diff(old: Option<&Files>, new: &mut Files) -> (Vec<String>, Vec<String>) {
    let mut changed = Vec::new();
    for (path, bytes) in new.iter_mut() {
        match old.and_then(|o| o.get(path)) {
            Some(prev) if Arc::ptr_eq(prev, bytes) || prev[..] == bytes[..] => {
                *bytes = prev.clone()
            }
            _ => changed.push(path.clone()),
        }
    }
    let mut removed: Vec<String> = old
        .map(|o| {
            o.keys()
                .filter(|k| !new.contains_key(*k))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    changed.sort();
    removed.sort();
    (changed, removed)
}

fn error_diagnostics(e: Error) -> Vec<Diagnostic> {
    match e {
        Error::Site(d) => d.sorted().into_vec(),
        other => vec![Diagnostic::error(
            crate::config::CONFIG_FILE,
            0,
            0,
            other.to_string(),
        )],
    }
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
