//! Incremental rebuild: the site kept in memory, rebuilt after a change
//! with as little work as the change needs, always to the very output a
//! fresh `vinn build` would write.
//!
//! An edit that changed only page bodies — and nothing other pages show of
//! them — takes a short path ([`Incremental::rebuild_paths`]): those pages
//! alone are read, checked and rendered with what the last full rebuild's
//! renderer prepared, and patched into the model and the served files.
//!
//! An edit of front matter or body that keeps each page's URL, section,
//! kind, aliases and heading ids takes a middle path: those pages alone
//! are read, checked and patched into the model, which is linked again
//! ([`Site::replace_pages`]) and rendered through the memo like any other
//! rebuild, with the templates parsed for the served site.
//!
//! An edit of sections' `_index.md` alone that keeps what their pages are
//! made of (URL, kind, course, draft, search, aliases) and their texts'
//! heading ids reads those sections again, puts them into the model and
//! renders it through the memo: a new text goes through Tera for the
//! section's listing alone, a new title for the outputs that show it.
//!
//! Page files made in folders that are sections, or published pages'
//! files deleted (a new article, a rename), read the new files alone,
//! check them, put them into the model and the deleted pages out, and
//! link and render the model through the memo
//! ([`Site::add_and_remove_pages`]); a deleted page something links to
//! takes the whole pipeline, which reports the broken links.
//!
//! An edit of the theme alone — templates and static files, the site's
//! own or its theme's — changes nothing the model is made of: the model
//! in memory is rendered again through the memo with the theme as it is
//! on disk now, without reading, rendering Markdown or checking anything.
//!
//! Any other rebuild runs the same pipeline as `build` ([`build::load_cached`],
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

use std::collections::BTreeSet;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::mdcache::MarkdownCache;
use super::memo::{Carry, Fingerprint, RenderMemo};
use super::pagecache::LoadCache;
use crate::build::{self, Options, Timings};
use crate::checks::anonymize::Guard;
use crate::config::AnonScope;
use crate::content::{self, Page};
use crate::diagnostics::{Diagnostic, Error};
use crate::insight::{Change, Figures};
use crate::render::{Prepared, Renderer, Sink};
use crate::site::Site;
use crate::theme::Theme;

pub use super::files::Files;
use super::files::Map;

/// A sink that keeps files in a map.
#[derive(Default)]
struct Collect(Mutex<Map>);

impl Sink for Collect {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        self.put_shared(path, Arc::from(bytes))
    }
    fn put_shared(&self, path: &str, bytes: Arc<[u8]>) -> std::io::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes);
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

/// A page file read again: the model's index of the page, the page, and
/// the warnings of reading it.
type Reread = (usize, Page, Vec<Diagnostic>);

/// What one rebuild did, for the terminal line.
pub struct Report {
    pub outcome: Outcome,
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    /// Markdown bodies rendered afresh / reused.
    pub markdown: (usize, usize),
    /// Outputs rendered through Tera afresh / reused.
    pub rendered: (usize, usize),
    /// Output paths this rebuild made again (rendered, recalled by their
    /// context, or written without a template), sorted. Every other path
    /// served was kept as it is, its context not even built: nothing it
    /// is made from changed.
    pub written: Vec<String>,
    /// Page files parsed afresh / kept from the last rebuild.
    pub parsed: (usize, usize),
    pub millis: f64,
    pub timings: Timings,
    /// The path of `base_url`, where the site is mounted.
    pub base_path: String,
    /// Which way the rebuild went.
    pub route: Route,
}

/// Which way a rebuild went ([`Incremental::rebuild_paths`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Only page bodies changed: only those pages were read, checked and
    /// rendered.
    Bodies,
    /// Only pages that kept their URL, section, kind, aliases and heading
    /// ids changed (front matter, or what listings show of a body): those
    /// pages alone were read again, and the site was linked and rendered
    /// from the model in memory.
    Fronts,
    /// Only the theme changed (templates, static files): the model in
    /// memory was rendered again with it.
    Theme,
    /// Only sections' `_index.md` changed, keeping what their pages are
    /// made of (URL, kind, course, draft, …) and their texts' heading ids:
    /// those sections alone were read again and the model in memory
    /// rendered with them.
    Sections,
    /// Only page files were made or deleted, in folders that are sections
    /// of the site: the new ones alone were read, and the model in memory,
    /// with them in and the deleted ones out, was linked and rendered.
    Pages,
    /// The whole pipeline, over the files on disk, with its caches.
    Whole,
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
    /// What the renderer of the latest good rebuild prepared, for
    /// [`Incremental::rebuild_paths`] to render single pages with; `None`
    /// once a rebuild failed (the model then is not the served site).
    prepared: Option<Prepared>,
    /// The insight figures of the latest rebuild's model.
    figures: Option<Arc<Figures>>,
    /// The anonymization guard of the current configuration, built on first use.
    guard: Option<Guard>,
    /// Files whose body edit failed on the short path: on disk they differ
    /// from the model, so every later short path reads them again too.
    pending: BTreeSet<PathBuf>,
    /// Page files the last full rebuild read or kept (drafts included), so
    /// the short path reports the same "parsed N of M".
    page_files: usize,
    /// How many template outputs the last render through the memo had.
    outputs: usize,
    /// The memo's carry is still to be settled against `served`
    /// ([`Incremental::settle`]).
    unsettled: bool,
    /// Frees what a rebuild no longer needs.
    aside: Aside<Prepared>,
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
            prepared: None,
            figures: None,
            guard: None,
            pending: BTreeSet::new(),
            page_files: 0,
            outputs: 0,
            unsettled: false,
            aside: Aside::start(),
        }
    }

    /// Lets the render memo drop what the served site no longer holds
    /// ([`Carry::settle`]). A rebuild leaves this to be done after its
    /// site is published, off the path from an edit to the reload event
    /// (1–2 ms at 10 000 pages); the next rebuild does it first if nobody
    /// did.
    pub fn settle(&mut self) {
        if !std::mem::take(&mut self.unsettled) {
            return;
        }
        if let (Some(memo), Some(served)) = (self.memo.as_mut(), self.served.as_deref()) {
            memo.settle(served);
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

    /// Whether a change at `path` can change the site. A build reads
    /// `site.toml`, `content/`, the theme (`templates/`, `static/`,
    /// `themes/`) and the deny list the configuration names, nothing else
    /// in the site's folder (`archetypes/` is read by `vinn new` only).
    /// Until a configuration has been read, any path may matter.
    pub fn reads(&self, path: &Path) -> bool {
        let root = &self.opts.root;
        let Some(site) = &self.site else {
            return true;
        };
        if deny_list(site, root).is_some_and(|list| path == list) {
            return true;
        }
        !never_read(root, path)
            && (path == root
                || path.starts_with(root.join("content"))
                || theme_path(root, path)
                || path == root.join(crate::config::CONFIG_FILE))
    }

    /// The files of the last good rebuild.
    pub fn served(&self) -> Option<Arc<Files>> {
        self.served.clone()
    }

    /// Rebuilds after changes to `paths`: when they are all page files
    /// whose edit changed nothing but the body, and nothing other pages
    /// show of it (summary, reading time, heading ids), only those pages
    /// are read, rendered and checked again — a few milliseconds however
    /// big the site. When they are page files whose edit kept each page's
    /// URL, section, kind, aliases and heading ids, the front matter path
    /// patches the model (`front_edits`). Edits of sections alone
    /// (`section_edits`) and of the theme alone (`theme_edits`) render the
    /// model in memory again. Anything else takes [`Incremental::rebuild`].
    pub fn rebuild_paths(&mut self, paths: &BTreeSet<PathBuf>, rescan: bool) -> Report {
        self.settle();
        let mut all = std::mem::take(&mut self.pending);
        all.extend(paths.iter().cloned());
        if !rescan && let Some(report) = self.theme_edits(&all) {
            return report;
        }
        if !rescan && let Some(report) = self.section_edits(&all) {
            return report;
        }
        let edits = if rescan { None } else { self.reread(&all) };
        if let Some(edits) = edits {
            if let Some(report) = self.body_edits(&edits) {
                if matches!(report.outcome, Outcome::Failed(_)) {
                    self.pending = all;
                }
                return report;
            }
            if let Some(report) = self.front_edits(edits) {
                return report;
            }
        } else if !rescan && let Some(report) = self.pages_made_or_deleted(&all) {
            return report;
        }
        self.rebuild()
    }

    /// Each of `paths` as a published page of the model (its index) read
    /// again, with the warnings of reading it; `None` when one is anything
    /// else, or when the model is not the served site, or when a file has
    /// errors (the full rebuild reports them all).
    fn reread(&self, paths: &BTreeSet<PathBuf>) -> Option<Vec<Reread>> {
        self.prepared.as_ref()?;
        self.served.as_ref()?;
        let site = self.site.as_ref()?;
        if paths.is_empty() {
            return None;
        }
        let content = self.opts.root.join("content");
        let mut edits: Vec<Reread> = Vec::new();
        for path in paths {
            let rel = path.strip_prefix(&content).ok()?;
            if outside_model(site, &self.opts.root, path) {
                continue;
            }
            let &i = site.by_key.get(&crate::diagnostics::display_path(rel))?;
            if edits.iter().any(|(j, _, _)| *j == i) {
                continue;
            }
            match content::reread_page(&self.opts.root, &site.pages[i].page, &site.config) {
                Ok((page, problems)) if !problems.iter().any(Diagnostic::is_error) => {
                    edits.push((i, page, problems))
                }
                _ => return None,
            }
        }
        Some(edits)
    }

    /// The fast path of [`Incremental::rebuild_paths`] for the pages read
    /// again in `edits`, or `None` when the change needs more.
    fn body_edits(&mut self, edits: &[Reread]) -> Option<Report> {
        let start = Instant::now();
        let prepared = self.prepared.clone()?;
        let served = self.served.clone()?;
        let site = self.site.as_ref()?;
        for (i, page, _) in edits {
            let old = &site.pages[*i];
            // A lesson's body is on its course's page too.
            if page.front != old.page.front
                || page.meta.title != old.page.meta.title
                || old.lesson.is_some()
            {
                return None;
            }
        }
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut fresh = Vec::new();
        for (i, page, read) in edits {
            let i = *i;
            let old = &site.pages[i];
            let (content, problems) = site.rerender_page(page, &crate::site::PlainMarkdown);
            // What other outputs show of the page must stay as it was.
            if content.summary != old.content.summary
                || crate::site::reading_time(&content) != old.reading_time
                || heading_ids(&content) != heading_ids(&old.content)
            {
                return None;
            }
            let mut found = problems;
            found.extend(read.iter().cloned());
            found.extend(page_checks(&mut self.guard, site, page)?);
            let (e, w): (Vec<Diagnostic>, Vec<Diagnostic>) =
                found.into_iter().partition(Diagnostic::is_error);
            errors.extend(e);
            warnings.extend(w);
            fresh.push((i, page.clone(), content));
        }
        let mut report = model_report(site, self.page_files, Route::Bodies, fresh.len(), warnings);
        if !errors.is_empty() {
            // The model stays the served site; the next edit starts from it.
            report.outcome = Outcome::Failed(
                crate::diagnostics::Diagnostics::from_iter(errors)
                    .sorted()
                    .into_vec(),
            );
            report.millis = ms(start);
            return Some(report);
        }
        let site = self.site.as_mut()?;
        let changed_pages: Vec<usize> = fresh.iter().map(|(i, _, _)| *i).collect();
        for (i, page, content) in fresh {
            site.pages[i].replace(page, content.into());
        }
        let site = self.site.as_ref()?;
        let mut renderer = Renderer::from_prepared(site, prepared);
        renderer.inject = Some(self.inject.clone());
        let sink = Collect::default();
        let t = Instant::now();
        let mut problems: Vec<Diagnostic> = changed_pages
            .iter()
            .filter_map(|&i| renderer.render_page(i, &sink))
            .collect();
        report.timings.render = ms(t);
        let outputs = self.outputs;
        report.rendered = (
            changed_pages.len(),
            outputs.saturating_sub(changed_pages.len()),
        );
        let rendered = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(memo) = &mut self.memo {
            // The memo's record of these outputs is stale now.
            for path in rendered.keys() {
                memo.forget(path);
            }
        }
        if problems.iter().any(Diagnostic::is_error) {
            // A template failed on the new body: the model no longer is the
            // served site, so the next change takes the full rebuild.
            self.prepared = None;
            problems.retain(Diagnostic::is_error);
            report.outcome = Outcome::Failed(crate::render::group_template_errors(problems));
            report.millis = ms(start);
            return Some(report);
        }
        report.warnings.extend(problems);
        report.written = sorted_paths(&rendered);
        // Only the rendered files can differ from the served ones.
        let (files, changed, removed) = updated(Some(&served), rendered, Vec::new());
        self.serve(files, changed, removed, &mut report, start);
        Some(report)
    }

    /// The path of [`Incremental::rebuild_paths`] for edits of front matter
    /// or body that keep each page's URL, section, kind, aliases and
    /// heading ids (the body may change what listings show of it: its
    /// summary, its reading time): those
    /// pages alone, read again in `read`, are checked (the anonymization
    /// guard looks at one page at a time, and the others passed) and put
    /// into the model, which is linked again (order, "Les også",
    /// taxonomies) and rendered through the memo. Loading, Markdown and
    /// checks are skipped for every other page.
    /// `None` when the change needs the whole pipeline, or when it has
    /// problems (the whole pipeline then reports them all).
    fn front_edits(&mut self, read: Vec<Reread>) -> Option<Report> {
        let start = Instant::now();
        let site = self.site.as_ref()?;
        let mut edits = Vec::new();
        let mut warnings = Vec::new();
        let mut checks = 0.0;
        for (i, page, read_warnings) in read {
            let old = &site.pages[i].page;
            if page.url != old.url
                || page.section != old.section
                || page.meta.kind != old.meta.kind
                || page.meta.draft != old.meta.draft
                || page.meta.aliases != old.meta.aliases
            {
                return None;
            }
            // Checked with every check one body gets (its lines may have
            // moved, even where the body is the same).
            let (rendered, mut problems) = site.rerender_page(&page, &crate::site::PlainMarkdown);
            // Links on other pages may point at its headings: they are not
            // checked again here, so the ids must stay.
            if page.body != old.body
                && heading_ids(&rendered) != heading_ids(&site.pages[i].content)
            {
                return None;
            }
            // The checks look at one page at a time, and the others passed.
            let t = Instant::now();
            problems.extend(page_checks(&mut self.guard, site, &page)?);
            checks += ms(t);
            if problems.iter().any(Diagnostic::is_error) {
                return None;
            }
            warnings.extend(read_warnings);
            warnings.extend(problems);
            edits.push((i, page, rendered));
        }
        let sources: BTreeSet<String> = edits
            .iter()
            .map(|(_, p, _)| crate::diagnostics::display_path(&p.source))
            .collect();
        let n = edits.len();
        // The insight figures hold unless a case, or a page the actions
        // may suggest, was edited.
        let figures = self.figures.take().map(|f| {
            let change = edits
                .iter()
                .map(|(i, page, _)| f.change(&site.pages[*i].page, page))
                .max()
                .unwrap_or(Change::None);
            (f, change)
        });
        let mut timings = Timings::default();
        let mut site = self.site.take()?;
        let found = site.replace_pages(edits).into_vec();
        timings.checks = checks;
        timings.markdown = ms(start) - checks;
        if found.iter().any(Diagnostic::is_error) {
            // The model is patched but not served: `rebuild_paths` goes on
            // to the whole rebuild, which starts over from the files.
            self.site = Some(site);
            return None;
        }
        warnings.extend(found.into_iter().filter(|d| sources.contains(&d.path)));
        let mut report = model_report(&site, self.page_files, Route::Fronts, n, warnings);
        report.timings = timings;
        // Only page files changed: the templates parsed for the served
        // site still hold.
        let reuse = self.prepared.take();
        self.render(site, &mut report, start, reuse, figures);
        Some(report)
    }

    /// The path of [`Incremental::rebuild_paths`] when every path is a
    /// page file made or deleted (not a bundle's `index.md`, nor a
    /// section's `_index.md`): a new file in a folder that is a section of
    /// the model and that the model was not made from, or a published
    /// page's file gone. The new files alone are read, checked and their
    /// bodies rendered; they go into the model and the deleted pages out
    /// ([`Site::add_and_remove_pages`]), which is linked again (page
    /// indices shift) and rendered through the memo; the insight figures
    /// stand, moved to the new indices, unless a case came or went
    /// ([`Figures::shifted`](crate::insight::Figures::shifted)). Loading
    /// every file and asking every body's links again, which a whole
    /// rebuild does, is skipped: a good
    /// site has no link to a file that did not exist (that is an error),
    /// and links to a deleted page send the change down the whole
    /// rebuild, which reports them. `None` when the change needs more, or
    /// has problems (the whole pipeline then reports them all).
    fn pages_made_or_deleted(&mut self, paths: &BTreeSet<PathBuf>) -> Option<Report> {
        self.prepared.as_ref()?;
        self.served.as_ref()?;
        let start = Instant::now();
        let site = self.site.as_ref()?;
        let root = &self.opts.root;
        let content = root.join("content");
        let mut removed = Vec::new();
        let mut added = Vec::new();
        let mut warnings = Vec::new();
        for path in paths {
            if outside_model(site, root, path) {
                continue;
            }
            let key = crate::diagnostics::display_path(path.strip_prefix(&content).ok()?);
            let name = key.rsplit('/').next().unwrap_or(&key);
            if !name.ends_with(".md") || name == "index.md" || name == "_index.md" {
                return None;
            }
            let file = path.symlink_metadata().map(|m| m.file_type().is_file());
            match (file, site.by_key.get(&key)) {
                (Err(_), Some(&i)) => removed.push(i),
                (Ok(true), None) if !site.files.contains(&key) => {
                    let section = content::parent_key(&key);
                    site.sections.get(&section)?;
                    let kind_of = |d: &str| site.sections.get(d).and_then(|s| s.section.kind);
                    let kind = content::default_kind(&kind_of, &section, &site.config);
                    let (page, problems) =
                        content::read_new_page(root, &key, &section, kind, &site.config).ok()?;
                    if page.meta.draft && !site.include_drafts {
                        return None;
                    }
                    let mut found = problems;
                    found.extend(page_checks(&mut self.guard, site, &page)?);
                    if found.iter().any(Diagnostic::is_error) {
                        return None;
                    }
                    warnings.extend(found);
                    added.push(page);
                }
                _ => return None,
            }
        }
        if removed.is_empty() && added.is_empty() {
            return None;
        }
        let gone: BTreeSet<String> = removed
            .iter()
            .map(|&i| site.pages[i].page.key.clone())
            .collect();
        if site.links_to(&gone) {
            return None;
        }
        let sources: BTreeSet<String> = added
            .iter()
            .map(|p| crate::diagnostics::display_path(&p.source))
            .collect();
        let read = added.len();
        let mut site = self.site.take()?;
        let t = Instant::now();
        let (found, moved) = site.add_and_remove_pages(&removed, added);
        let found = found.into_vec();
        let markdown = ms(t);
        if found.iter().any(Diagnostic::is_error) {
            // The model is changed but not served: `rebuild_paths` goes on
            // to the whole rebuild, which starts over from the files.
            self.site = Some(site);
            return None;
        }
        warnings.extend(found.into_iter().filter(|d| sources.contains(&d.path)));
        self.page_files = (self.page_files + read).saturating_sub(removed.len());
        let mut report = model_report(&site, self.page_files, Route::Pages, read, warnings);
        report.timings.load = ms(start) - markdown;
        report.timings.markdown = markdown;
        // What the memo knows of each page's output follows the page.
        if let Some(carry) = &mut self.memo {
            carry.shift_pages(&moved.now_at, site.pages.len());
        }
        // The insight figures stand but for page indices and the
        // actions, unless a case came or went.
        let figures = self.figures.take().and_then(|f| {
            let f = Arc::unwrap_or_clone(f).shifted(&site, &moved.now_at, &moved.added)?;
            Some((Arc::new(f), Change::None))
        });
        // Only page files changed: the templates parsed for the served
        // site still hold.
        let reuse = self.prepared.take();
        self.render(site, &mut report, start, reuse, figures);
        Some(report)
    }

    /// The path of [`Incremental::rebuild_paths`] when every path is part
    /// of a theme (see [`theme_path`]): the served model is rendered again
    /// through the memo, with the templates and static files read afresh,
    /// so only the outputs whose templates changed go through Tera.
    /// `None` when a path is anything else, or when the model is not the
    /// served site (after a failed rebuild: the whole pipeline then
    /// reports what is wrong).
    fn theme_edits(&mut self, paths: &BTreeSet<PathBuf>) -> Option<Report> {
        if paths.is_empty() || !paths.iter().all(|p| theme_path(&self.opts.root, p)) {
            return None;
        }
        self.prepared.as_ref()?;
        self.served.as_ref()?;
        let start = Instant::now();
        let site = self.site.take()?;
        let mut report = model_report(&site, self.page_files, Route::Theme, 0, Vec::new());
        // What the last renderer prepared is taken only if its templates
        // are still those on disk (a static file alone changed).
        let reuse = self.prepared.take();
        self.render_keeping_index(site, &mut report, start, reuse);
        Some(report)
    }

    /// The path of [`Incremental::rebuild_paths`] when every path is the
    /// `_index.md` of a section in the served model, and its edit kept what
    /// the pages and their order are made of: the section's URL, parent,
    /// kind, course, draft, search and aliases. Its title, description,
    /// weight, template, `extra` and text may change, the text keeping its
    /// heading ids (links on pages may point at them). Those texts are
    /// rendered and checked again, put into the model, whose sections are
    /// linked again (subsections ordered by weight and title), and the
    /// model is rendered through the memo, so only the outputs that show
    /// what changed go through Tera. `None` when the edit needs more, or
    /// when a text has an error (the whole pipeline then reports every
    /// problem).
    fn section_edits(&mut self, paths: &BTreeSet<PathBuf>) -> Option<Report> {
        self.prepared.as_ref()?;
        self.served.as_ref()?;
        if paths.is_empty() {
            return None;
        }
        let start = Instant::now();
        let site = self.site.as_ref()?;
        let root = &self.opts.root;
        let mut edits = Vec::new();
        let mut warnings = Vec::new();
        for path in paths {
            // An editor's temporary file, saved over the section.
            if outside_model(site, root, path) {
                continue;
            }
            let rel = path.strip_prefix(root).ok()?;
            let old = site
                .sections
                .values()
                .find(|s| s.section.source.as_deref() == Some(rel))?;
            let section = content::reread_section(root, &old.section).ok()?;
            if !same_structure(&section, &old.section) {
                return None;
            }
            let (rendered, problems) = site.rerender_section(&section, &crate::site::PlainMarkdown);
            if heading_ids(&rendered) != heading_ids(&old.content)
                || problems.iter().any(Diagnostic::is_error)
            {
                return None;
            }
            warnings.extend(problems);
            edits.push((old.section.key.clone(), section, rendered));
        }
        if edits.is_empty() {
            return None;
        }
        let mut site = self.site.take()?;
        let n = edits.len();
        site.replace_sections(edits);
        // No page file read; the sections' texts rendered again.
        let mut report = model_report(&site, self.page_files, Route::Sections, 0, warnings);
        report.markdown = (n, site.pages.len() + site.sections.len() - n);
        report.timings.markdown = ms(start);
        // Only sections' files changed: the templates parsed for the
        // served site still hold.
        let reuse = self.prepared.take();
        self.render_keeping_index(site, &mut report, start, reuse);
        Some(report)
    }

    /// [`Incremental::render`] after an edit that changed nothing the
    /// insight figures or the search index are made of (the theme,
    /// sections): the figures are kept, and so is the served index
    /// (unless one is due still).
    fn render_keeping_index(
        &mut self,
        site: Site,
        report: &mut Report,
        start: Instant,
        reuse: Option<Prepared>,
    ) {
        let figures = self.figures.take().map(|f| (f, Change::None));
        let index_due = self.index_due;
        self.render(site, report, start, reuse, figures);
        self.index_due = index_due;
    }

    /// Serves `files` from now on (the search index is due again) and puts
    /// them, with what changed, in `report`.
    fn serve(
        &mut self,
        files: Files,
        changed: Vec<String>,
        removed: Vec<String>,
        report: &mut Report,
        start: Instant,
    ) {
        let files = Arc::new(files);
        self.served = Some(files.clone());
        self.index_due = true;
        report.outcome = Outcome::Updated {
            files,
            changed,
            removed,
        };
        report.millis = ms(start);
    }

    /// Rebuilds from the files on disk now.
    pub fn rebuild(&mut self) -> Report {
        self.settle();
        let start = Instant::now();
        self.index_due = false;
        // Until the site renders, the model is not the one served: no
        // short path may start from it. What the last renderer prepared
        // goes to this one, which takes what still fits.
        let reuse = self.prepared.take();
        self.guard = None;
        self.markdown.absorb(self.site.take());
        let mut report = Report {
            outcome: Outcome::Failed(Vec::new()),
            warnings: Vec::new(),
            pages: 0,
            markdown: (0, 0),
            rendered: (0, 0),
            written: Vec::new(),
            parsed: (0, 0),
            millis: 0.0,
            timings: Timings::default(),
            base_path: "/".into(),
            route: Route::Whole,
        };
        let loaded = match build::load_cached(&self.opts, &self.markdown, Some(&self.pages)) {
            Ok(l) => l,
            Err(e) => {
                self.aside.free(reuse);
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
        report.parsed = self.pages.take_counts();
        self.page_files = report.parsed.0 + report.parsed.1;
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
            self.aside.free(reuse);
            self.site = Some(site);
            report.outcome = Outcome::Failed(errors);
            report.millis = ms(start);
            return report;
        }
        self.render(site, &mut report, start, reuse, None);
        report
    }

    /// Renders `site` through the memo and serves it if that went well;
    /// `site` is the model from then on either way. `reuse` is what the
    /// last renderer prepared: taken over if it [fits](Prepared::fits)
    /// the theme on disk now, else dropped.
    fn render(
        &mut self,
        site: Site,
        report: &mut Report,
        start: Instant,
        reuse: Option<Prepared>,
        figures: Option<(Arc<Figures>, Change)>,
    ) {
        let theme = match Theme::resolve(&site.root, &site.config.theme) {
            Ok(t) => t,
            Err(e) => {
                self.aside.free(reuse);
                self.site = Some(site);
                report.outcome = Outcome::Failed(error_diagnostics(e));
                report.millis = ms(start);
                return;
            }
        };
        // What does not fit the theme now still has per-page tables.
        let (reuse, stale) = match reuse {
            Some(p) if p.fits(&theme, &site.config.base_url) => (Some(p), None),
            other => (None, other),
        };
        let env = self.environment(&site);
        let memo = RenderMemo::new(self.memo.take(), env, &theme, site.pages.len());
        let sink = Collect::default();
        let build::Rendered {
            problems,
            prepared,
            figures,
        } = build::render_pages_with(
            &site,
            theme,
            &sink,
            build::Serving {
                inject: Some(self.inject.clone()),
                memo: Some(&memo),
                reuse: reuse.as_ref(),
                tables: reuse.as_ref().or(stale.as_ref()),
                figures,
            },
            &mut report.timings,
        );
        self.figures = figures;
        self.aside.free(reuse);
        self.aside.free(stale);
        report.rendered = {
            let (hits, misses) = memo.counts();
            self.outputs = hits + misses;
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
            return;
        }
        let rendered = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
        let kept = memo.kept();
        let carry = memo.finish(true);
        self.prepared = prepared;
        report.written = sorted_paths(&rendered);
        let removed = self
            .served
            .as_deref()
            .map(|old| gone(old, &rendered, kept, || carry.has()))
            .unwrap_or_default();
        let (files, changed, removed) = updated(self.served.as_deref(), rendered, removed);
        self.memo = Some(carry);
        self.unsettled = true;
        self.serve(files, changed, removed, report, start);
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

/// The report of a rebuild from the model in memory, before rendering:
/// `read` of its pages read and their bodies rendered again, the others
/// (of `page_files` read by the last full rebuild, drafts included) and
/// every section's body kept, counted as the full path counts them.
fn model_report(
    site: &Site,
    page_files: usize,
    route: Route,
    read: usize,
    warnings: Vec<Diagnostic>,
) -> Report {
    Report {
        outcome: Outcome::Failed(Vec::new()),
        warnings,
        pages: site.pages.len(),
        markdown: (read, site.pages.len() + site.sections.len() - read),
        rendered: (0, 0),
        written: Vec::new(),
        parsed: (read, page_files.max(site.pages.len()) - read),
        millis: 0.0,
        timings: Timings::default(),
        base_path: site.config.base_path(),
        route,
    }
}

/// Whether sections `a` and `b` (one file read twice) make the same pages
/// in the same order: what loading and linking take from a section besides
/// its title, description, weight, template, `extra` and text.
fn same_structure(a: &crate::content::Section, b: &crate::content::Section) -> bool {
    (
        &a.key, &a.url, &a.parent, a.kind, a.course, a.draft, a.search, &a.aliases,
    ) == (
        &b.key, &b.url, &b.parent, b.kind, b.course, b.draft, b.search, &b.aliases,
    )
}

/// The anonymization deny list `site`'s configuration names, if any.
fn deny_list(site: &Site, root: &Path) -> Option<PathBuf> {
    let file = site.config.anonymization.deny_list.as_ref()?;
    Some(root.join(file))
}

/// Whether `path` is part of a theme, which only rendering reads: below
/// the site's `templates/` or `static/`, or below `themes/`.
/// Whether `path` is one no build reads in whatever folder it is: a hidden
/// name below the site's top folders (vim's `content/a/.x.md.swp`) or an
/// editor's leftover file ([`crate::content::is_left_out`]: `x.md~`,
/// `#x.md#`). Editors write these as often as every few seconds; they
/// start no rebuild and no line in the terminal.
fn never_read(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let hidden = rel
        .components()
        .skip(1)
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    hidden
        || (!path.is_dir()
            && rel
                .file_name()
                .is_some_and(|n| crate::content::is_left_out(&n.to_string_lossy())))
}

fn theme_path(root: &Path, path: &Path) -> bool {
    ["templates", "static", "themes"]
        .iter()
        .any(|d| path.starts_with(root.join(d)))
}

/// Whether `path`, under `content/` in `root`, can be left out of a rebuild:
/// one no build reads ([`never_read`]), or gone and never part of the model
/// ([`Site::made_from`]). An editor that saves by writing a temporary file
/// and renaming it over the page reports both paths; the temporary one
/// must not send the edit down the whole rebuild. A path a rebuild did read
/// before it went (a file made and removed at once) is part of the model,
/// so it still takes the whole rebuild.
fn outside_model(site: &Site, root: &Path, path: &Path) -> bool {
    if !path.starts_with(root.join("content")) {
        return false;
    }
    // The anonymization guard reads its deny list, hidden or not.
    if deny_list(site, root).is_some_and(|list| path == list) {
        return false;
    }
    never_read(root, path) || (path.symlink_metadata().is_err() && !site.made_from(root, path))
}

/// The paths of `old` (the files served) that are gone after a rebuild
/// that `rendered` some outputs and kept `kept` others as served: those
/// neither rendered nor `live`. Looked for only when the counts do not
/// account for every served path.
fn gone<L: Fn(&str) -> bool>(
    old: &Files,
    rendered: &Map,
    kept: usize,
    live: impl FnOnce() -> L,
) -> Vec<String> {
    let new_paths = rendered.keys().filter(|k| !old.contains_key(k)).count();
    if kept + rendered.len() - new_paths == old.len() {
        return Vec::new();
    }
    let live = live();
    old.keys()
        .filter(|k| !live(k) && !rendered.contains_key(*k))
        .cloned()
        .collect()
}

/// The files served after a rebuild that `rendered` some outputs and
/// `removed` others from `old` (the rest kept as they are), with the paths
/// that differ from `old` and the paths removed (both sorted). Unchanged
/// files share their bytes with `old`.
fn updated(
    old: Option<&Files>,
    rendered: Map,
    mut removed: Vec<String>,
) -> (Files, Vec<String>, Vec<String>) {
    let Some(old) = old else {
        let changed = sorted_paths(&rendered);
        return (Files::from(rendered), changed, Vec::new());
    };
    // Start from what is served: most outputs were kept, and the copy
    // shares them (see `Files`).
    let mut files = old.clone();
    for path in &removed {
        files.remove(path);
    }
    let mut changed = Vec::new();
    for (path, bytes) in rendered {
        match files.get(&path) {
            // The same bytes: served from the new buffer all the same,
            // which the memo may have recorded ([`Carry::settle`] keeps
            // only records of what is served).
            Some(prev) if prev[..] == bytes[..] => {
                if !Arc::ptr_eq(prev, &bytes) {
                    files.insert(path, bytes);
                }
            }
            _ => {
                changed.push(path.clone());
                files.insert(path, bytes);
            }
        }
    }
    files.settle();
    changed.sort();
    removed.sort();
    (files, changed, removed)
}

/// The paths of `files`, sorted.
fn sorted_paths(files: &Map) -> Vec<String> {
    let mut paths: Vec<String> = files.keys().cloned().collect();
    paths.sort_unstable();
    paths
}

/// Frees what it is handed on a thread of its own, at the lowest CPU
/// priority: what a renderer prepared holds the menus of every section, a
/// few milliseconds to free on big sites, which the next edit's rebuild
/// need not wait for. (A thread started for each was a stack touched for
/// the first time in every rebuild, ~1 ms of CPU at 10 000 pages.)
struct Aside<T>(std::sync::mpsc::Sender<T>);

impl<T: Send + 'static> Aside<T> {
    fn start() -> Aside<T> {
        let (to_free, frees) = std::sync::mpsc::channel::<T>();
        let started = std::thread::Builder::new()
            .name("vinn-free".into())
            .spawn(move || {
                super::yield_to_rebuilds();
                frees.into_iter().for_each(drop);
            });
        // Without the thread, sending fails and `free` frees at once.
        drop(started);
        Aside(to_free)
    }

    fn free(&self, value: Option<T>) {
        if let Some(value) = value
            && let Err(unsent) = self.0.send(value)
        {
            drop(unsent.0);
        }
    }
}

/// What the checks of one page find in `page`, a page of `site` read
/// anew: placeholder text left from `vinn new`, and what the anonymization
/// guard finds (when the guard covers its kind), with the guard of the
/// site's configuration, built on first use into `guard`; `None` when the
/// guard cannot be built (the full rebuild reports why).
fn page_checks(guard: &mut Option<Guard>, site: &Site, page: &Page) -> Option<Vec<Diagnostic>> {
    let mut found = crate::checks::placeholders::Placeholders::default().in_page(page);
    let scan = site.config.anonymization.scope == AnonScope::All
        || page.meta.kind == crate::content::Kind::Case;
    if scan {
        if guard.is_none() {
            *guard = crate::checks::guard(site).ok();
        }
        found.extend(crate::checks::scan_page(guard.as_ref()?, page));
    }
    Some(found)
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

/// The ids of a body's headings, in order: what links from other pages
/// can point at.
fn heading_ids(r: &crate::markdown::Rendered) -> Vec<&str> {
    r.headings.iter().map(|h| h.id.as_str()).collect()
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, &str)]) -> Map {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), Arc::from(v.as_bytes())))
            .collect()
    }

    fn files(entries: &[(&str, &str)]) -> Files {
        Files::from(map(entries))
    }

    fn keys(f: &Files) -> Vec<&str> {
        let mut k: Vec<&str> = f.keys().map(String::as_str).collect();
        k.sort();
        k
    }

    #[test]
    fn what_is_put_aside_is_freed_on_one_thread_of_its_own() {
        // Each value says, when it is freed, on which thread.
        struct Tells(std::sync::mpsc::Sender<Option<String>>);
        impl Drop for Tells {
            fn drop(&mut self) {
                let _ = self.0.send(std::thread::current().name().map(String::from));
            }
        }
        let (tell, told) = std::sync::mpsc::channel();
        let aside = Aside::start();
        aside.free(Some(Tells(tell.clone())));
        aside.free(None);
        aside.free(Some(Tells(tell)));
        // A bound for a failure, not a wait for success: a value never
        // freed fails here instead of hanging the test.
        let within = std::time::Duration::from_secs(30);
        let freed_on: Vec<Option<String>> = (0..2)
            .map(|_| told.recv_timeout(within).expect("each value is freed"))
            .collect();
        assert_eq!(freed_on, vec![Some("vinn-free".to_string()); 2]);
    }

    #[test]
    fn updated_keeps_what_was_kept_and_finds_what_changed_or_went() {
        let old = files(&[("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]);
        // `b` rendered the same, `c` anew, `e` is new, `d` is gone.
        let rendered = map(&[("b", "B"), ("c", "C2"), ("e", "E")]);
        let b = rendered["b"].clone();
        let removed = gone(&old, &rendered, 1, || |p: &str| p == "a");
        let (new, changed, removed) = updated(Some(&old), rendered, removed);
        assert_eq!(keys(&new), ["a", "b", "c", "e"]);
        assert_eq!(changed, ["c", "e"]);
        assert_eq!(removed, ["d"]);
        assert_eq!(&new["c"][..], b"C2");
        // A kept file shares its bytes with the old site; one rendered to
        // the same bytes is served from its new buffer (the one the memo
        // records), though it is not counted as changed.
        assert!(Arc::ptr_eq(&new["a"], &old["a"]));
        assert!(Arc::ptr_eq(&new["b"], &b));
    }

    #[test]
    fn updated_with_every_path_accounted_for_removes_nothing() {
        let old = files(&[("a", "A"), ("b", "B")]);
        let rendered = map(&[("b", "B2")]);
        let removed = gone(&old, &rendered, 1, || -> fn(&str) -> bool {
            panic!("nothing is gone")
        });
        let (new, changed, removed) = updated(Some(&old), rendered, removed);
        assert_eq!(keys(&new), ["a", "b"]);
        assert_eq!(changed, ["b"]);
        assert!(removed.is_empty());
        // A first build: everything is new.
        let (new, changed, removed) = updated(None, map(&[("x", "X")]), Vec::new());
        assert_eq!(keys(&new), ["x"]);
        assert_eq!(changed, ["x"]);
        assert!(removed.is_empty());
    }
}
