//! The site model: every published page and section after Markdown, with
//! the links between them — ordering, taxonomies, courses, "Les også",
//! previous/next — and the checks that need the whole site (duplicate URLs,
//! content at the URLs vinn writes itself ([`Urls`]), missing link targets
//! and anchors, empty checklists).
//!
//! [`Site::assemble`] is the one way in: it takes what `content` loaded and
//! returns the model plus every problem found. [`Site::rerender_page`]
//! renders and checks one page's body again against an assembled model
//! (`serve`, after an edit that changed only that body);
//! [`Site::replace_pages`] puts pages whose front matter changed in place
//! and links again what they can change (`serve`, after an edit of front
//! matter: the model keeps the index "Les også" is scored from,
//! [`crate::related::Related`], so only the pages whose ranking the edit
//! can change are scored again); [`Site::rerender_section`] and
//! [`Site::replace_sections`] do the same for sections' `_index.md`;
//! [`Site::add_and_remove_pages`] takes pages made or deleted in and out,
//! the others' terms, "Les også" lists and order following them to their
//! new indices ([`follow`], [`moved`]).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Language};
use crate::content::slug::{anchor_id, slugify};
use crate::content::{self, Kind, Loaded, Page, Section};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::fingerprinted::Fingerprinted;
use crate::i18n::Strings;
use crate::markdown::{self, Heading, LinkResolver, Rendered, Resolved};

/// A page with its rendered Markdown and its place in the site.
#[derive(Debug, Clone)]
pub struct SitePage {
    /// The page as loaded; replace it, and `content`, with
    /// [`SitePage::replace`] only, so what is derived from them (serve's
    /// fingerprints, [`crate::render::page_fingerprints`]) stays true.
    pub page: Page,
    /// Kept with its fingerprint: see [`crate::fingerprinted`].
    pub content: Fingerprinted<Rendered>,
    pub reading_time: usize,
    /// Indices of "Les også" pages: explicit first, then suggestions.
    pub related: Vec<usize>,
    pub prev: Option<usize>,
    pub next: Option<usize>,
    /// Position in a course: (1-based lesson number, lessons in the course).
    pub lesson: Option<(usize, usize)>,
    /// What [`SitePage::derived`] worked out from `page` and `content`.
    derived: OnceLock<[u64; 4]>,
    /// The page as the search index reads it ([`SitePage::search_doc`]).
    search: OnceLock<Arc<crate::search::SearchDoc>>,
}

impl SitePage {
    pub(crate) fn new(page: Page, content: Fingerprinted<Rendered>) -> Self {
        SitePage {
            reading_time: reading_time(&content),
            page,
            content,
            related: Vec::new(),
            prev: None,
            next: None,
            lesson: None,
            derived: OnceLock::new(),
            search: OnceLock::new(),
        }
    }

    /// A value worked out by `compute` from `page` and `content` alone,
    /// once, and kept with them until [`SitePage::replace`]: serve keeps
    /// the fingerprints of its render memo here from rebuild to rebuild,
    /// so a front matter edit does not hash every page again. One function
    /// computes it ([`crate::render::page_fingerprints`]), so whoever asks
    /// first, the value is the same.
    pub(crate) fn derived(&self, compute: impl FnOnce(&SitePage) -> [u64; 4]) -> [u64; 4] {
        *self.derived.get_or_init(|| compute(self))
    }

    /// Puts a page read again, with its rendered body, in place of this
    /// one; its place in the site (related, order) stays until the site is
    /// linked again.
    pub fn replace(&mut self, page: Page, content: Fingerprinted<Rendered>) {
        self.reading_time = reading_time(&content);
        self.page = page;
        self.content = content;
        self.derived = OnceLock::new();
        self.search = OnceLock::new();
    }

    /// The page as the search index reads it, made by `make` from `page`
    /// and `content` alone, once, and kept like [`SitePage::derived`]:
    /// serve hands the index all pages after every edit, and makes only
    /// the edited ones again.
    pub(crate) fn search_doc(
        &self,
        make: impl FnOnce(&SitePage) -> crate::search::SearchDoc,
    ) -> Arc<crate::search::SearchDoc> {
        self.search.get_or_init(|| Arc::new(make(self))).clone()
    }
}

/// A section with its rendered text and its ordered pages.
#[derive(Debug, Clone)]
pub struct SiteSection {
    pub section: Section,
    pub content: Rendered,
    /// Page indices, ordered by weight, then date (newest first), then title.
    pub pages: Vec<usize>,
    /// Keys of direct subsections, ordered by weight then title.
    pub subsections: Vec<String>,
}

/// A taxonomy term (one topic or one tag) and the pages that carry it.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub title: String,
    pub description: String,
    #[serde(skip)]
    pub pages: Vec<usize>,
}

/// Which taxonomy a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Taxonomy {
    Topics,
    Tags,
}

impl Taxonomy {
    /// The URL folder of the taxonomy for the site's language.
    pub fn folder(self, lang: Language) -> &'static str {
        use Language::*;
        match (self, lang) {
            (Taxonomy::Topics, Nb) => "tema",
            (Taxonomy::Topics, En) => "topics",
            (Taxonomy::Tags, Nb) => "stikkord",
            (Taxonomy::Tags, En) => "tags",
        }
    }

    /// The names `page` gives in this taxonomy, as written.
    fn names(self, page: &Page) -> &[String] {
        match self {
            Taxonomy::Topics => &page.meta.topics,
            Taxonomy::Tags => &page.meta.tags,
        }
    }
}

impl Term {
    /// A term only pages name (none is configured), as `name` spells it,
    /// with no pages yet.
    fn named(tax: Taxonomy, language: Language, slug: String, name: &str) -> Term {
        Term {
            name: name.to_string(),
            url: format!("{}/{}/", tax.folder(language), slug),
            slug,
            title: name.to_string(),
            description: String::new(),
            pages: Vec::new(),
        }
    }
}

/// What an edit changed of the pages [`Site::link`] is told of.
#[derive(Debug, Clone, Copy)]
struct Relink {
    /// Their topics or tags: the members of terms.
    terms: bool,
    /// Their topics, tags, `related` or dates: "Les også".
    related: bool,
}

impl Relink {
    /// Everything: the site is linked for the first time.
    const ALL: Relink = Relink {
        terms: true,
        related: true,
    };
}

/// The generated listing pages, with their URL folders per language.
pub struct Urls;
impl Urls {
    pub fn kind_list(kind: Kind, lang: Language) -> String {
        match (lang, kind) {
            (Language::Nb, Kind::Article) => "alle/artikler/".into(),
            (Language::Nb, Kind::Checklist) => "alle/sjekklister/".into(),
            (Language::Nb, Kind::Case) => "alle/case/".into(),
            (Language::En, Kind::Article) => "all/articles/".into(),
            (Language::En, Kind::Checklist) => "all/checklists/".into(),
            (Language::En, Kind::Case) => "all/cases/".into(),
        }
    }
    pub fn new_list(lang: Language) -> &'static str {
        match lang {
            Language::Nb => "nytt/",
            Language::En => "new/",
        }
    }
    /// Page `n` (from 1) of the listing at `url`: the first is the
    /// listing itself, the next ones `side/N/` below it (`page/N/`).
    pub fn list_page(url: &str, n: usize, lang: Language) -> String {
        match (n, lang) {
            (1, _) => url.to_string(),
            (_, Language::Nb) => format!("{url}side/{n}/"),
            (_, Language::En) => format!("{url}page/{n}/"),
        }
    }
    /// A course's lessons on one page, below the course's URL.
    pub fn course_page(lang: Language) -> &'static str {
        match lang {
            Language::Nb => "hele-kurset/",
            Language::En => "whole-course/",
        }
    }
    pub fn search(lang: Language) -> &'static str {
        match lang {
            Language::Nb => "sok/",
            Language::En => "search/",
        }
    }
}

/// Minutes to read a rendered body: 200 words a minute, at least one.
pub fn reading_time(content: &Rendered) -> usize {
    content.words.div_ceil(200).max(1)
}

/// The whole published site in memory.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub strings: Strings,
    pub pages: Vec<SitePage>,
    pub sections: BTreeMap<String, SiteSection>,
    pub by_key: HashMap<String, usize>,
    pub topics: BTreeMap<String, Term>,
    pub tags: BTreeMap<String, Term>,
    pub assets: Vec<content::Asset>,
    pub include_drafts: bool,
    /// Every file under content/ (keys like `artikler/a.md`), published or
    /// not: what links may point at.
    pub files: std::collections::BTreeSet<String>,
    /// Page files that failed to load, as raw text (for the anonymization
    /// guard: every problem of a case shows in one run).
    pub rejected: Vec<content::Rejected>,
    /// Keys of the pages left out as drafts.
    pub drafts: std::collections::BTreeSet<String>,
    /// Page indices in page order, as the last [`Site::link`] sorted them.
    order: Vec<usize>,
    /// What "Les også" was worked out from, as the last [`Site::link`]
    /// left it.
    related: crate::related::Related,
}

/// Where [`Site::add_and_remove_pages`] put the pages.
#[derive(Debug, Clone)]
pub struct Moved {
    /// Page `j` before is page `now_at[j]` now (`None`: removed).
    pub now_at: Vec<Option<usize>>,
    /// The pages added, where they are now.
    pub added: Vec<usize>,
}

/// Moves page index `i` to where `now_at` (page `j` before is page
/// `now_at[j]` now, as in [`Moved`]) put its page; `false` when that page
/// was removed (or `i` was not a page before). For `retain_mut` over
/// lists of page indices.
pub fn follow(now_at: &[Option<usize>], i: &mut usize) -> bool {
    match now_at.get(*i).copied().flatten() {
        Some(j) => {
            *i = j;
            true
        }
        None => false,
    }
}

/// Room to leave in a table with a slot per page, beyond its `n` pages,
/// for pages added later in `serve`: without it the first page added
/// after `vinn serve` started moved each such table into a buffer twice
/// its size, memory touched for the first time (16 ms of the pages'
/// table alone at 10 000 pages). Room that is never used is never
/// touched, so `vinn build` does not pay for it.
pub fn with_room<T>(n: usize) -> Vec<T> {
    Vec::with_capacity(room_for(n))
}

/// `n` values made by `f`, in a table [`with_room`].
pub fn filled_with_room<T>(n: usize, f: impl FnMut() -> T) -> Vec<T> {
    let mut values = with_room(n);
    values.extend(std::iter::repeat_with(f).take(n));
    values
}

/// Gives `values`, a table with a slot per page, the room [`with_room`]
/// leaves (moving it now, if it has less).
pub fn give_room<T>(values: &mut Vec<T>) {
    let room = room_for(values.len());
    values.reserve_exact(room.saturating_sub(values.len()));
}

/// The capacity [`with_room`] gives a table of `n` pages.
fn room_for(n: usize) -> usize {
    n + n / 16 + 16
}

/// What `values` held for each page, each at the index `now_at` (as in
/// [`Moved`]) put its page, among `n` pages; the others (new pages) hold
/// the default.
///
/// The pages that stay keep their order, so the values move in place:
/// those going to a lower index first to last, then those going to a
/// higher one last to first, each into a slot whose value has moved on
/// already or is dropped. A new buffer would be memory touched for the
/// first time, which costs more here than the moves (see the README's
/// performance section).
pub fn moved<T: Default>(mut values: Vec<T>, now_at: &[Option<usize>], n: usize) -> Vec<T> {
    let targets = now_at.iter().take(values.len()).flatten();
    let in_order = targets.clone().is_sorted_by(|a, b| a < b);
    if !in_order || targets.clone().any(|&i| i >= n) {
        let mut out: Vec<T> = std::iter::repeat_with(T::default).take(n).collect();
        for (value, at) in values.into_iter().zip(now_at) {
            if let Some(slot) = at.and_then(|i| out.get_mut(i)) {
                *slot = value;
            }
        }
        return out;
    }
    let mut filled = vec![false; n];
    targets.for_each(|&i| filled[i] = true);
    let len = values.len();
    values.resize_with(len.max(n), T::default);
    let moves = now_at.iter().take(len).enumerate();
    for (j, &at) in moves.clone() {
        if let Some(i) = at.filter(|&i| i < j) {
            values[i] = std::mem::take(&mut values[j]);
        }
    }
    for (j, &at) in moves.rev() {
        if let Some(i) = at.filter(|&i| i > j) {
            values[i] = std::mem::take(&mut values[j]);
        }
    }
    values.truncate(n);
    for (value, _) in values.iter_mut().zip(filled).filter(|(_, f)| !f) {
        *value = T::default();
    }
    values
}

/// What links may point at, known before any Markdown is rendered.
struct Targets<'a> {
    urls: TargetUrls<'a>,
    files: &'a std::collections::BTreeSet<String>,
    drafts: &'a std::collections::BTreeSet<String>,
    content_dir: PathBuf,
    base_path: String,
}

/// Where the URLs of pages and sections (by key) come from.
enum TargetUrls<'a> {
    /// Maps built from the loaded pages, while the site is assembled.
    Maps {
        pages: HashMap<&'a str, &'a str>,
        sections: HashMap<String, &'a str>,
    },
    /// An assembled site (its keys and URLs did not change).
    Site(&'a Site),
}

impl Targets<'_> {
    fn page_url(&self, key: &str) -> Option<&str> {
        match &self.urls {
            TargetUrls::Maps { pages, .. } => pages.get(key).copied(),
            TargetUrls::Site(site) => site
                .by_key
                .get(key)
                .map(|&i| site.pages[i].page.url.as_str()),
        }
    }

    fn section_url(&self, key: &str) -> Option<&str> {
        match &self.urls {
            TargetUrls::Maps { sections, .. } => sections.get(key).copied(),
            TargetUrls::Site(site) => site.sections.get(key).map(|s| s.section.url.as_str()),
        }
    }
}

/// Resolves links written in one page (or section text).
struct PageLinks<'a> {
    targets: &'a Targets<'a>,
    /// Folder of the source file, relative to content/ (`artikler`).
    dir: String,
    /// URL of the page being rendered (`artikler/tapte-salg/`).
    url: String,
    /// For bundles, assets sit beside the page's output.
    bundle: bool,
}

/// How [`Site::assemble_with`] turns one body into HTML. `key` is the file
/// relative to content/ (`artikler/a.md`, `artikler/_index.md`); everything
/// else the result may depend on comes in through `links` and `labels`.
pub trait RenderMarkdown: Sync {
    /// `body` is shared, so a cache can keep it without copying it and
    /// tell it is the same text it saw without reading it.
    fn render(
        &self,
        key: &str,
        body: &Arc<str>,
        first_line: usize,
        links: &dyn LinkResolver,
        labels: &markdown::Labels,
    ) -> Fingerprinted<Rendered>;
}

/// Renders every body afresh.
pub struct PlainMarkdown;
impl RenderMarkdown for PlainMarkdown {
    fn render(
        &self,
        _key: &str,
        body: &Arc<str>,
        first_line: usize,
        links: &dyn LinkResolver,
        labels: &markdown::Labels,
    ) -> Fingerprinted<Rendered> {
        markdown::render(body, first_line, links, labels).into()
    }
}

/// Normalizes `a/b/../c` and `./x`; `None` when it climbs out of content/.
pub fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The shortest relative href from the page at `from` (a directory URL) to
/// `to`: up to the folder both are in, then down (`artikler/a/` →
/// `artikler/b/` is `../b/`, where [`relative_url`] goes up to the root).
pub fn href_between(from: &str, to: &str) -> String {
    // The longest common prefix that ends at a folder boundary.
    let common = from
        .bytes()
        .zip(to.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let common = from[..common].rfind('/').map_or(0, |i| i + 1);
    up_then_down(&from[common..], &to[common..])
}

/// A relative href from the page at `from` (a directory URL) to `to`.
pub fn relative_url(from: &str, to: &str) -> String {
    up_then_down(from, to)
}

/// `../` for every folder of `up`, then `down`; `./` when both are empty.
fn up_then_down(up: &str, down: &str) -> String {
    let ups = up.bytes().filter(|&b| b == b'/').count();
    let mut s = String::with_capacity(3 * ups + down.len());
    for _ in 0..ups {
        s.push_str("../");
    }
    s.push_str(down);
    if s.is_empty() {
        s.push_str("./");
    }
    s
}

/// Percent-decodes once; `None` on a malformed escape or invalid UTF-8.
/// Shared by link resolution here and request paths in `serve`.
pub fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Decodes a link written by an author; a malformed escape stays as written.
fn decode_link(s: &str) -> String {
    percent_decode(s).unwrap_or_else(|| s.to_string())
}

/// The heading id a link's fragment as written stands for, when that is not
/// the fragment itself: decoded, then [`anchor_id`] (`f%C3%B8rste-del` and
/// `første-del` are `forste-del`). None for a fragment that names its id.
fn fragment_id(raw: &str) -> Option<String> {
    match anchor_id(&decode_link(raw)) {
        Cow::Owned(id) => Some(id),
        Cow::Borrowed(_) => None,
    }
}

impl LinkResolver for PageLinks<'_> {
    fn resolve(&self, href: &str) -> Resolved {
        let href = href.trim();
        if href.is_empty() || href.starts_with("//") || has_scheme(href) {
            return Resolved::Keep;
        }
        // A heading on the same page: only the fragment may change.
        if let Some(fragment) = href.strip_prefix('#') {
            return fragment_id(fragment)
                .map_or(Resolved::Keep, |id| Resolved::Rewrite(format!("#{id}")));
        }
        let (path, anchor) = match href.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (href, None),
        };
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (p, format!("?{q}")),
            None => (path, String::new()),
        };
        let path = decode_link(path);
        // The fragment as the heading's id (`#første-del` → `#forste-del`).
        let frag = match &anchor {
            Some(a) => format!("#{}", fragment_id(a).as_deref().unwrap_or(a)),
            None => String::new(),
        };
        // Site-absolute links ("/artikler/x/") are made relative, so they
        // keep working under a sub-path and from file://.
        if let Some(abs) = path.strip_prefix('/') {
            let abs = abs
                .strip_prefix(self.targets.base_path.trim_start_matches('/'))
                .unwrap_or(abs);
            return Resolved::Rewrite(format!("{}{query}{frag}", href_between(&self.url, abs)));
        }
        let joined = if self.dir.is_empty() {
            path.clone()
        } else {
            let mut j = String::with_capacity(self.dir.len() + 1 + path.len());
            j.push_str(&self.dir);
            j.push('/');
            j.push_str(&path);
            j
        };
        let Some(key) = normalize_path(&joined) else {
            return Resolved::Missing(format!("link `{href}` climbs out of content/"));
        };
        // `page.md/` is the page too: as a file it would be the source,
        // which is not published.
        if path.trim_end_matches('/').ends_with(".md") {
            if let Some(url) = self.targets.page_url(&key) {
                return Resolved::Page {
                    href: href_between(&self.url, url) + &frag,
                    target: key,
                    anchor,
                };
            }
            let sec_key = key
                .strip_suffix("_index.md")
                .map(|k| k.trim_end_matches('/').to_string());
            if let Some(url) = sec_key.as_ref().and_then(|k| self.targets.section_url(k)) {
                return Resolved::Page {
                    href: href_between(&self.url, url) + &frag,
                    target: key,
                    anchor,
                };
            }
            if self.targets.drafts.contains(&key) {
                return Resolved::Missing(format!(
                    "link to `{path}`, which is a draft: it is published only with --drafts"
                ));
            }
            if self.targets.files.contains(&key) {
                return Resolved::Held(format!(
                    "link to `{path}`, which has errors of its own (at content/{key}): it is published once they are fixed"
                ));
            }
            return Resolved::Missing(format!(
                "link to a missing page `{path}` (looked for content/{key})"
            ));
        }
        if path.is_empty() {
            return Resolved::Keep;
        }
        let dir_key = key.trim_end_matches('/');
        if let Some(url) = self.targets.section_url(dir_key) {
            return Resolved::Rewrite(format!("{}{query}{frag}", href_between(&self.url, url)));
        }
        // A page bundle's folder is its page.
        let bundle = format!("{dir_key}/index.md");
        if let Some(url) = self.targets.page_url(&bundle) {
            return Resolved::Page {
                href: href_between(&self.url, url) + &frag,
                target: bundle,
                anchor,
            };
        }
        if self.targets.files.contains(&key) {
            let (dir, file) = key.rsplit_once('/').unwrap_or(("", key.as_str()));
            let out_path = if self.bundle && dir == self.dir {
                format!("{}{file}", self.url)
            } else {
                format!("{}{file}", content::url_for_dir(dir))
            };
            // Assets inside a bundle's subfolders keep their sub-path.
            let out_path = if self.bundle && dir != self.dir && dir.starts_with(&self.dir) {
                format!(
                    "{}{}",
                    self.url,
                    &key[self.dir.len()..].trim_start_matches('/')
                )
            } else {
                out_path
            };
            // A space is no URL character (`mitt diagram.png`).
            return Resolved::Rewrite(format!(
                "{}{query}{frag}",
                href_between(&self.url, &out_path).replace(' ', "%20")
            ));
        }
        Resolved::Missing(format!(
            "link to a missing file `{path}` (looked for content/{key})"
        ))
    }

    fn image_size(&self, href: &str) -> Option<(u32, u32)> {
        if has_scheme(href) || href.starts_with('/') {
            return None;
        }
        let joined = if self.dir.is_empty() {
            href.to_string()
        } else {
            format!("{}/{}", self.dir, href)
        };
        let key = normalize_path(&decode_link(&joined))?;
        content::image::size(&self.targets.content_dir.join(key))
    }
}

fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !href[..i].contains('/')
        }
        None => false,
    }
}

/// Order of pages in a listing: weight, then date (newest first), then
/// title, then path — total, so no page can drop out of a sorted list.
pub fn page_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    order_key(a).cmp(&order_key(b))
}

/// The key of a section's own file, `_index.md` in its folder (as links
/// name it).
fn section_file_key(section: &str) -> String {
    if section.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{section}/_index.md")
    }
}

/// What [`page_order`] compares: weight (none last), newest first, title
/// without case, key.
fn order_key(
    p: &Page,
) -> (
    i64,
    std::cmp::Reverse<Option<content::date::Date>>,
    String,
    &str,
) {
    (
        p.meta.weight.unwrap_or(i64::MAX),
        std::cmp::Reverse(p.meta.date),
        p.meta.title.to_lowercase(),
        p.key.as_str(),
    )
}

/// Every page's index, in [`page_order`].
fn page_order_of(pages: &[SitePage]) -> Vec<usize> {
    let keys: Vec<_> = pages.par_iter().map(|sp| order_key(&sp.page)).collect();
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.par_sort_unstable_by(|&a, &b| keys[a].cmp(&keys[b]));
    order
}

/// Each section's pages, in `rank` order, and its subsections, ordered
/// by weight and title: all of [`Site::link_sections`] but previous and
/// next, so it can run beside work that reads the pages.
fn section_lists(
    site_pages: &[SitePage],
    site_sections: &mut BTreeMap<String, SiteSection>,
    rank: &[u32],
) {
    for s in site_sections.values_mut() {
        s.pages.clear();
        s.subsections.clear();
    }
    let keys: Vec<String> = site_sections.keys().cloned().collect();
    // Pages come folder by folder: most are in the section of the one
    // before, found without searching the map.
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); keys.len()];
    let mut last: Option<(&str, usize)> = None;
    for (i, sp) in site_pages.iter().enumerate() {
        let section = sp.page.section.as_str();
        let at = match last {
            Some((k, at)) if k == section => Some(at),
            _ => keys.binary_search_by(|k| k.as_str().cmp(section)).ok(),
        };
        if let Some(at) = at {
            lists[at].push(i);
            last = Some((section, at));
        }
    }
    for (sec, list) in site_sections.values_mut().zip(lists) {
        sec.pages = list;
    }
    for k in &keys {
        if let Some(parent) = site_sections[k].section.parent.clone()
            && let Some(p) = site_sections.get_mut(&parent)
        {
            p.subsections.push(k.clone());
        }
    }
    let order_sections = |a: &SiteSection, b: &SiteSection| {
        a.section
            .weight
            .unwrap_or(i64::MAX)
            .cmp(&b.section.weight.unwrap_or(i64::MAX))
            .then_with(|| {
                a.section
                    .title
                    .to_lowercase()
                    .cmp(&b.section.title.to_lowercase())
            })
            .then_with(|| a.section.key.cmp(&b.section.key))
    };
    for k in &keys {
        let mut subs = std::mem::take(&mut site_sections.get_mut(k).expect("key").subsections);
        subs.sort_by(|a, b| order_sections(&site_sections[a], &site_sections[b]));
        let sec = site_sections.get_mut(k).expect("key");
        sec.subsections = subs;
        sec.pages.sort_unstable_by_key(|&i| rank[i]);
    }
}

/// Previous, next and lesson of every page, from its section's page list
/// ([`section_lists`]).
fn set_all_neighbours(site_pages: &mut [SitePage], sections: &BTreeMap<String, SiteSection>) {
    for sp in site_pages.iter_mut() {
        sp.prev = None;
        sp.next = None;
        sp.lesson = None;
    }
    for sec in sections.values() {
        set_neighbours(site_pages, sec);
    }
}

/// Each term's pages in `rank` order.
fn sort_terms(
    topics: &mut BTreeMap<String, Term>,
    tags: &mut BTreeMap<String, Term>,
    rank: &[u32],
) {
    for term in topics.values_mut().chain(tags.values_mut()) {
        term.pages.sort_unstable_by_key(|&i| rank[i]);
    }
}

/// Previous and next of each page of `sec` (its pages in order), and in
/// a course each page's lesson number.
fn set_neighbours(site_pages: &mut [SitePage], sec: &SiteSection) {
    let n = sec.pages.len();
    for (pos, &pi) in sec.pages.iter().enumerate() {
        let sp = &mut site_pages[pi];
        sp.prev = pos.checked_sub(1).map(|p| sec.pages[p]);
        sp.next = sec.pages.get(pos + 1).copied();
        if sec.section.course {
            sp.lesson = Some((pos + 1, n));
        }
    }
}

/// The taxonomies of `site_pages` into `topics` and `tags`: configured
/// topics, then every name pages give, each with its pages in page order
/// (unsorted until [`Site::link`] sorts).
fn taxonomies(
    config: &Config,
    site_pages: &[SitePage],
    topics: &mut BTreeMap<String, Term>,
    tags: &mut BTreeMap<String, Term>,
) {
    topics.clear();
    tags.clear();
    for t in &config.topics {
        topics.insert(
            t.slug.clone(),
            Term {
                name: t.slug.clone(),
                slug: slugify(&t.slug),
                url: format!(
                    "{}/{}/",
                    Taxonomy::Topics.folder(config.language),
                    slugify(&t.slug)
                ),
                title: t.title.clone(),
                description: t.description.clone(),
                pages: Vec::new(),
            },
        );
    }
    // A site has far fewer distinct names than pages × names.
    let mut slugs: HashMap<&str, String> = HashMap::new();
    for (i, sp) in site_pages.iter().enumerate() {
        for (tax, map) in [
            (Taxonomy::Topics, &mut *topics),
            (Taxonomy::Tags, &mut *tags),
        ] {
            for name in tax.names(&sp.page) {
                let slug = slugs.entry(name.as_str()).or_insert_with(|| slugify(name));
                if !map.contains_key(slug.as_str()) {
                    map.insert(
                        slug.clone(),
                        Term::named(tax, config.language, slug.clone(), name),
                    );
                }
                let term = map.get_mut(slug.as_str()).expect("inserted above");
                // Pages come in order: a name given twice by page `i`
                // finds `i` last.
                if term.pages.last() != Some(&i) {
                    term.pages.push(i);
                }
            }
        }
    }
}

/// `order` (every page in [`page_order`]) after the pages `edited` changed:
/// they are taken out and put back where their keys now go, a binary
/// search each, instead of sorting every page again.
fn reorder(order: &mut Vec<usize>, pages: &[SitePage], edited: &[usize]) {
    let edited: std::collections::BTreeSet<usize> = edited.iter().copied().collect();
    order.retain(|i| !edited.contains(i));
    for &i in &edited {
        let key = order_key(&pages[i].page);
        let at = order.partition_point(|&j| order_key(&pages[j].page) < key);
        order.insert(at, i);
    }
}

impl Site {
    /// Builds the model from loaded content: renders Markdown in parallel,
    /// checks links, orders, computes taxonomies, courses and related pages.
    pub fn assemble(
        root: &Path,
        config: Config,
        strings: Strings,
        loaded: Loaded,
        include_drafts: bool,
    ) -> (Site, Diagnostics) {
        Site::assemble_with(
            root,
            config,
            strings,
            loaded,
            include_drafts,
            &PlainMarkdown,
        )
    }

    /// [`Site::assemble`] with the Markdown of pages and sections rendered
    /// through `md` (`serve` plugs in a cache of unchanged bodies).
    pub fn assemble_with(
        root: &Path,
        config: Config,
        strings: Strings,
        loaded: Loaded,
        include_drafts: bool,
        md: &dyn RenderMarkdown,
    ) -> (Site, Diagnostics) {
        let Loaded {
            pages,
            sections,
            assets,
            mut diagnostics,
            files,
            rejected,
            drafts,
        } = loaded;
        let labels = crate::i18n::markdown_labels(&strings);

        check_duplicate_urls(pages.iter(), sections.iter(), &config, &mut diagnostics);

        let targets = Targets {
            urls: TargetUrls::Maps {
                pages: pages
                    .iter()
                    .map(|p| (p.key.as_str(), p.url.as_str()))
                    .collect(),
                sections: sections
                    .iter()
                    .map(|(k, s)| (k.clone(), s.url.as_str()))
                    .collect(),
            },
            files: &files,
            drafts: &drafts,
            content_dir: root.join("content"),
            base_path: config.base_path(),
        };

        let rendered: Vec<Fingerprinted<Rendered>> = pages
            .par_iter()
            // Small pieces, so an idle core can take some (see
            // `Renderer::render_all`).
            .with_max_len(64)
            .map(|p| {
                let links = PageLinks {
                    targets: &targets,
                    dir: content::parent_key(&p.key),
                    url: p.url.clone(),
                    bundle: p.bundle_dir.is_some(),
                };
                md.render(&p.key, &p.body, p.body_line, &links, &labels)
            })
            .collect();
        let section_rendered: Vec<(String, Rendered)> = sections
            .par_iter()
            .map(|(k, s)| {
                let links = PageLinks {
                    targets: &targets,
                    dir: k.clone(),
                    url: s.url.clone(),
                    bundle: false,
                };
                let key = section_file_key(k);
                (
                    k.clone(),
                    md.render(
                        &key,
                        &Arc::from(s.body.as_str()),
                        s.body_line,
                        &links,
                        &labels,
                    )
                    .into_inner(),
                )
            })
            .collect();

        // Anchors: every heading id of every page and section.
        let mut anchors: HashMap<String, &[Heading]> = pages
            .par_iter()
            .zip(&rendered)
            .map(|(p, r)| (p.key.clone(), r.headings.as_slice()))
            .collect();
        for (k, r) in &section_rendered {
            anchors.insert(section_file_key(k), &r.headings);
        }
        let ids_of = |key: &str| anchors.get(key).copied();
        // Links and anchors, and checklists' items, page by page in
        // parallel (the diagnostics are sorted at the end).
        let page_problems: Vec<Diagnostic> = pages
            .par_iter()
            .zip(&rendered)
            .flat_map_iter(|(p, r)| {
                let mut found = check_links(&p.source, &p.key, r, &ids_of);
                found.extend(check_items(p, r));
                found
            })
            .collect();
        diagnostics.extend(page_problems);
        for (k, r) in &section_rendered {
            if let Some(src) = sections.get(k).and_then(|s| s.source.clone()) {
                let key = section_file_key(k);
                diagnostics.extend(check_links(&src, &key, r, &ids_of));
            }
        }

        let by_key: HashMap<String, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.clone(), i))
            .collect();
        // Moving 10 000 pages into place touches fresh memory: in parallel.
        let mut site_pages: Vec<SitePage> = with_room(pages.len());
        site_pages.par_extend(
            pages
                .into_par_iter()
                .zip(rendered)
                .map(|(page, content)| SitePage::new(page, content)),
        );

        let mut site_sections: BTreeMap<String, SiteSection> = BTreeMap::new();
        let mut rendered_by_key: HashMap<String, Rendered> = section_rendered.into_iter().collect();
        for (k, s) in sections {
            let content = rendered_by_key.remove(&k).unwrap_or_default();
            site_sections.insert(
                k,
                SiteSection {
                    section: s,
                    content,
                    pages: Vec::new(),
                    subsections: Vec::new(),
                },
            );
        }
        let mut site = Site {
            root: root.to_path_buf(),
            config,
            strings,
            pages: site_pages,
            sections: site_sections,
            by_key,
            topics: BTreeMap::new(),
            tags: BTreeMap::new(),
            assets,
            include_drafts,
            files,
            rejected,
            drafts,
            order: Vec::new(),
            related: Default::default(),
        };
        site.link(&mut diagnostics, None, Relink::ALL);
        (site, diagnostics)
    }

    /// Links the pages to each other from their front matter: "Les også",
    /// the order of each section with previous/next and course positions,
    /// subsections, and the taxonomies. Whatever an earlier call linked is
    /// replaced, so after an edit of front matter ([`Site::replace_pages`])
    /// the site is linked as [`Site::assemble_with`] would link it. With
    /// `edited`, only those pages changed since the last call, in what
    /// `changed` says: the others keep their order, and the edited ones are
    /// put back in it; "Les også" is worked out again only where they can
    /// change it; and with the edited pages still in their sections, only
    /// the lists that hold them are worked out again
    /// ([`Site::relink_edited`]).
    fn link(&mut self, diagnostics: &mut Diagnostics, edited: Option<&[usize]>, changed: Relink) {
        let mut terms = changed.terms;
        match edited {
            Some(edited) if changed.related => self.relate_edited(edited, diagnostics),
            None if changed.related => {
                self.link_related_with(diagnostics, terms);
                terms = false;
            }
            _ => {}
        }
        match edited {
            Some(edited) if self.order.len() == self.pages.len() => {
                reorder(&mut self.order, &self.pages, edited);
            }
            _ => self.order = page_order_of(&self.pages),
        }
        let rank = self.ranks();
        if let Some(edited) = edited
            && self.in_their_sections(edited)
        {
            if changed.terms {
                self.retag_edited(edited, None);
            }
            self.relink_edited(&rank, edited);
            return;
        }
        self.link_lists(&rank, terms);
    }

    /// The sections' and (with `terms`) the taxonomies' lists of pages
    /// made again from every page, in `rank` order.
    fn link_lists(&mut self, rank: &[u32], terms: bool) {
        self.link_sections(rank);
        if terms {
            self.link_taxonomies();
        }
        sort_terms(&mut self.topics, &mut self.tags, rank);
    }

    /// Whether each of `edited` is on the page list of its section (as
    /// the last linking left it): then an edit kept the sections' pages.
    fn in_their_sections(&self, edited: &[usize]) -> bool {
        edited.iter().all(|&i| {
            self.sections
                .get(self.pages[i].page.section.as_str())
                .is_some_and(|s| s.pages.contains(&i))
        })
    }

    /// [`Site::link`] after an edit that kept every section's pages and
    /// moved at most the `edited` pages in page order (their terms already
    /// put right by [`Site::retag_edited`]): the other pages keep their order
    /// among themselves, so only the lists that hold an edited page are
    /// sorted again, and only their sections' previous/next worked out
    /// again. Linking everything walks all pages three times, and at
    /// 10 000 pages that was 5–10 ms of a title edit in `serve`.
    fn relink_edited(&mut self, rank: &[u32], edited: &[usize]) {
        let keys: BTreeSet<String> = edited
            .iter()
            .map(|&i| self.pages[i].page.section.clone())
            .collect();
        for k in &keys {
            if let Some(sec) = self.sections.get_mut(k) {
                sec.pages.sort_unstable_by_key(|&i| rank[i]);
                set_neighbours(&mut self.pages, sec);
            }
        }
        for term in self.topics.values_mut().chain(self.tags.values_mut()) {
            if term.pages.iter().any(|i| edited.contains(i)) {
                term.pages.sort_unstable_by_key(|&i| rank[i]);
            }
        }
    }

    /// "Les også": explicit `related` pages, checked like links, then
    /// suggestions ([`crate::related`]).
    fn link_related(&mut self, diagnostics: &mut Diagnostics) {
        self.link_related_with(diagnostics, false);
    }

    /// [`Site::link_related`], and with `terms` the taxonomies made anew
    /// beside it ([`Site::link_taxonomies`]): both only read the pages,
    /// and the first part of scoring runs on one core.
    fn link_related_with(&mut self, diagnostics: &mut Diagnostics, terms: bool) {
        let explicit = (0..self.pages.len())
            .map(|i| self.explicit_related(i, diagnostics))
            .collect();
        let count = self.config.related.count;
        // The closures borrow the fields they use, the two maps mutably.
        let ((index, lists), ()) = rayon::join(
            || crate::related::Related::new(&self.pages, explicit, count),
            || {
                if terms {
                    taxonomies(&self.config, &self.pages, &mut self.topics, &mut self.tags);
                }
            },
        );
        for (sp, list) in self.pages.iter_mut().zip(lists) {
            sp.related = list;
        }
        self.related = index;
    }

    /// [`Site::link_related`] after an edit of the `edited` pages' terms,
    /// `related` or dates, no page added or removed: only their explicit
    /// pages are checked again, and only the lists they can change are
    /// worked out again ([`crate::related::Related::update`]).
    fn relate_edited(&mut self, edited: &[usize], diagnostics: &mut Diagnostics) {
        if !self.related.covers(self.pages.len()) {
            return self.link_related(diagnostics);
        }
        let edits = edited
            .iter()
            .map(|&i| (i, self.explicit_related(i, diagnostics)))
            .collect();
        let mut index = std::mem::take(&mut self.related);
        for (i, list) in index.update(&self.pages, edits) {
            self.pages[i].related = list;
        }
        self.related = index;
    }

    /// Page `i`'s explicit `related` pages, each once; what does not lead
    /// to another published page goes to `diagnostics`.
    fn explicit_related(&self, i: usize, diagnostics: &mut Diagnostics) -> Vec<usize> {
        let page = &self.pages[i].page;
        let mut explicit = Vec::new();
        if page.meta.related.is_empty() {
            return explicit;
        }
        let dir = content::parent_key(&page.key);
        for rel in &page.meta.related {
            let joined = match rel.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None if dir.is_empty() => rel.clone(),
                None => format!("{dir}/{rel}"),
            };
            let key = normalize_path(&joined).unwrap_or_default();
            // A problem stands at the entry, as written.
            let (line, col) = page.value_place("related", rel).unwrap_or((1, 1));
            match self.by_key.get(&key) {
                Some(&j) if j != i => {
                    if !explicit.contains(&j) {
                        explicit.push(j);
                    }
                }
                Some(_) => diagnostics.push(Diagnostic::error(
                    &page.source,
                    line,
                    col,
                    "`related` lists the page itself",
                )),
                // A page with errors of its own is reported there: here it
                // is a warning, as the entry works once they are fixed.
                None if self.files.contains(&key) && !self.drafts.contains(&key) => {
                    diagnostics.push(Diagnostic::warning(
                        &page.source,
                        line,
                        col,
                        format!("`related` page `{rel}` has errors of its own (at content/{key}): it is listed once they are fixed"),
                    ))
                }
                None => {
                    let why = if self.drafts.contains(&key) {
                        "is a draft"
                    } else {
                        "does not exist"
                    };
                    diagnostics.push(Diagnostic::error(
                        &page.source,
                        line,
                        col,
                        format!("`related` page `{rel}` {why} (looked for content/{key})"),
                    ))
                }
            }
        }
        explicit
    }

    /// Sections: pages in `rank` order, subsections, previous/next, courses.
    fn link_sections(&mut self, rank: &[u32]) {
        section_lists(&self.pages, &mut self.sections, rank);
        set_all_neighbours(&mut self.pages, &self.sections);
    }

    /// The taxonomies made anew from every page ([`taxonomies`]).
    fn link_taxonomies(&mut self) {
        taxonomies(&self.config, &self.pages, &mut self.topics, &mut self.tags);
    }

    /// [`Site::link_taxonomies`] after an edit of the `edited` pages'
    /// topics or tags, no page added or removed: each term loses the
    /// edited pages and gets back those that still name it, a term no
    /// page names any more goes (a configured topic stays), and a new one
    /// comes. A term keeps the spelling of the first page (in the order
    /// pages were loaded) that names it, as linking everything gives it.
    /// The lists are left for [`Site::relink_edited`] to sort.
    ///
    /// With `now_at`, pages came and went before (see
    /// [`Site::add_and_remove_pages`]) and `edited` are the new ones: each
    /// list first follows its pages to their new indices and loses those
    /// removed.
    fn retag_edited(&mut self, edited: &[usize], now_at: Option<&[Option<usize>]>) {
        let Site {
            config,
            pages,
            topics,
            tags,
            ..
        } = self;
        for (tax, map) in [(Taxonomy::Topics, topics), (Taxonomy::Tags, tags)] {
            let mut touched: BTreeSet<String> = BTreeSet::new();
            for (slug, term) in map.iter_mut() {
                let before = term.pages.len();
                term.pages.retain_mut(|i| match now_at {
                    Some(now_at) => follow(now_at, i),
                    None => !edited.contains(i),
                });
                if term.pages.len() != before {
                    touched.insert(slug.clone());
                }
            }
            for &i in edited {
                for name in tax.names(&pages[i].page) {
                    let slug = slugify(name);
                    let term = map
                        .entry(slug.clone())
                        .or_insert_with(|| Term::named(tax, config.language, slug.clone(), name));
                    // A name given twice by page `i` finds `i` last.
                    if term.pages.last() != Some(&i) {
                        term.pages.push(i);
                    }
                    touched.insert(slug);
                }
            }
            for slug in touched {
                if tax == Taxonomy::Topics && config.topics.iter().any(|t| t.slug == slug) {
                    continue;
                }
                let first = map[&slug].pages.iter().min().copied();
                let Some(first) = first else {
                    map.remove(&slug);
                    continue;
                };
                if let Some(name) = tax
                    .names(&pages[first].page)
                    .iter()
                    .find(|n| slugify(n) == slug)
                {
                    let term = map.get_mut(&slug).expect("touched terms are in the map");
                    term.name.clone_from(name);
                    term.title.clone_from(name);
                }
            }
        }
    }

    /// Whether anything this model was made from — a page, a draft, a
    /// section file or an asset — is at `path` (absolute, in the site
    /// folder `root`) or below it.
    pub fn made_from(&self, root: &Path, path: &Path) -> bool {
        let Ok(in_root) = path.strip_prefix(root) else {
            return false;
        };
        // Pages and drafts by their key under `content/`, assets by
        // absolute path, section files from the site root.
        let key = in_root
            .strip_prefix("content")
            .map(crate::diagnostics::display_path);
        let at_or_below = |k: &str| {
            key.as_ref().is_ok_and(|key| {
                k.strip_prefix(key.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
        };
        self.by_key.keys().any(|k| at_or_below(k))
            || self.drafts.iter().any(|k| at_or_below(k))
            || self.assets.iter().any(|a| a.from.starts_with(path))
            || self.sections.values().any(|s| {
                let source = s.section.source.as_deref();
                source.is_some_and(|p| p.starts_with(in_root) || p.starts_with(path))
            })
    }

    /// Puts each edited page (its index, the page read anew, its body
    /// rendered by [`Site::rerender_page`]) in place and links the site
    /// again, returning what linking found (the explicit `related` pages of
    /// edited pages that changed their topics, tags, `related` or date:
    /// only then is "Les også" worked out again, where they can change it). For
    /// `serve`, after an edit of front matter that kept each page's URL,
    /// section, kind and body, so nothing else of the model can change.
    pub fn replace_pages(&mut self, edits: Vec<(usize, Page, Rendered)>) -> Diagnostics {
        let mut changed = Relink {
            terms: false,
            related: false,
        };
        let mut edited = Vec::with_capacity(edits.len());
        for (i, page, content) in edits {
            let old = &self.pages[i].page.meta;
            let terms = (&old.topics, &old.tags) != (&page.meta.topics, &page.meta.tags);
            changed.terms |= terms;
            changed.related |=
                terms || old.related != page.meta.related || old.date != page.meta.date;
            self.pages[i].replace(page, content.into());
            edited.push(i);
        }
        let mut diagnostics = Diagnostics::new();
        self.link(&mut diagnostics, Some(&edited), changed);
        diagnostics
    }

    /// Takes the pages at `removed` out of the site and puts `added` in
    /// (pages read from files the site was not made from), each where
    /// loading puts it ([`content::walk_order`]); renders their bodies
    /// against the site as it is then, and links the site again as
    /// [`Site::assemble_with`] does (the pages that stayed keep their
    /// order among themselves, so only the added ones are sorted in; their
    /// terms and "Les også" lists follow them to their new indices, see
    /// [`crate::related::Related::shift`]; the sections' lists are made
    /// anew). Returns what the added
    /// pages' bodies, the URLs and linking found. For `serve`, after page
    /// files were made or deleted in folders that are sections of the
    /// site and nothing else changed; what stays must not link to a
    /// removed page ([`Site::links_to`]), for its body is not rendered
    /// or checked again.
    pub fn add_and_remove_pages(
        &mut self,
        removed: &[usize],
        added: Vec<Page>,
    ) -> (Diagnostics, Moved) {
        let mut removed = removed.to_vec();
        removed.sort_unstable();
        removed.dedup();
        let before = self.pages.len();
        for &i in removed.iter().rev() {
            let gone = self.pages.remove(i);
            self.files.remove(&gone.page.key);
        }
        // Where each added page is, moved on as later ones go before it.
        let mut at_now: Vec<usize> = Vec::with_capacity(added.len());
        for page in added {
            let at = self
                .pages
                .partition_point(|sp| content::walk_order(&sp.page.key, &page.key).is_lt());
            for a in &mut at_now {
                *a += usize::from(*a >= at);
            }
            at_now.push(at);
            self.files.insert(page.key.clone());
            self.pages
                .insert(at, SitePage::new(page, Rendered::default().into()));
        }
        let added = at_now;
        let mut now_at = vec![None; before];
        let mut stayed = (0..before).filter(|j| removed.binary_search(j).is_err());
        for i in (0..self.pages.len()).filter(|i| !added.contains(i)) {
            if let Some(j) = stayed.next() {
                now_at[j] = Some(i);
            }
        }
        // Each key that stayed moves with its page, in place.
        self.by_key.retain(|_, i| follow(&now_at, i));
        for &i in &added {
            self.by_key.insert(self.pages[i].page.key.clone(), i);
        }
        // The pages that stayed keep their order among themselves: the
        // last order, its indices moved to where those pages are now,
        // takes the added ones in where they go, without sorting again.
        let mut order: Vec<usize> = std::mem::take(&mut self.order)
            .into_iter()
            .filter_map(|j| now_at.get(j).copied().flatten())
            .collect();
        order.extend(&added);
        if order.len() == self.pages.len() {
            reorder(&mut order, &self.pages, &added);
            self.order = order;
        } else {
            self.order = page_order_of(&self.pages);
        }
        // Every added body first: one may link to a heading of another.
        for &i in &added {
            let page = self.pages[i].page.clone();
            let (content, _) = self.rerender_page(&page, &PlainMarkdown);
            self.pages[i].replace(page, content.into());
        }
        let mut diagnostics = Diagnostics::new();
        for &i in &added {
            let SitePage { page, content, .. } = &self.pages[i];
            let ids_of = |k: &str| self.headings_with(k, &page.key, &content.headings);
            diagnostics.extend(check_links(&page.source, &page.key, content, &ids_of));
            diagnostics.extend(check_items(page, content));
        }
        self.check_urls_of(&added, &mut diagnostics);
        // The taxonomies and "Les også" follow the pages that stayed and
        // take in the new ones. The number of pages weighs every term:
        // the pages whose candidates stayed are checked, and scored again
        // only where the new weights can reorder them.
        self.retag_edited(&added, Some(&now_at));
        // "Les også" reads the pages, and the sections' and terms' lists
        // are made beside it; previous and next are set after.
        let rank = self.ranks();
        let mut index = std::mem::take(&mut self.related);
        let mut sections = std::mem::take(&mut self.sections);
        let (mut topics, mut tags) = (
            std::mem::take(&mut self.topics),
            std::mem::take(&mut self.tags),
        );
        let (shifted, ()) = rayon::join(
            || {
                index.shift(&self.pages, &now_at, &added, |i| {
                    self.explicit_related(i, &mut diagnostics)
                })
            },
            || {
                section_lists(&self.pages, &mut sections, &rank);
                sort_terms(&mut topics, &mut tags, &rank);
            },
        );
        (self.related, self.sections, self.topics, self.tags) = (index, sections, topics, tags);
        set_all_neighbours(&mut self.pages, &self.sections);
        match shifted {
            Some(lists) => {
                // Each list that stayed follows its pages (none of which
                // was removed: the page was then scored again).
                self.pages
                    .par_iter_mut()
                    .for_each(|sp| sp.related.retain_mut(|j| follow(&now_at, j)));
                for (i, list) in lists {
                    self.pages[i].related = list;
                }
            }
            None => self.link_related_with(&mut diagnostics, true),
        }
        (diagnostics, Moved { now_at, added })
    }

    /// [`check_duplicate_urls`] after the pages `added` came into a site
    /// that had no two claims on one URL (pages removed make none): only
    /// a URL an added page claims, its own or an alias, can be claimed
    /// twice now, so only the pages claiming one of those are checked,
    /// with every section and the URLs vinn makes itself.
    fn check_urls_of(&self, added: &[usize], diagnostics: &mut Diagnostics) {
        let claimed = |p: &Page| -> Vec<String> {
            std::iter::once(p.url.clone())
                .chain(p.meta.aliases.iter().map(|a| alias_url(a, &self.config)))
                .collect()
        };
        let new_urls: BTreeSet<String> = added
            .iter()
            .flat_map(|&i| claimed(&self.pages[i].page))
            .collect();
        let claiming: Vec<&Page> = self
            .pages
            .iter()
            .map(|sp| &sp.page)
            .filter(|p| {
                new_urls.contains(&p.url)
                    || (!p.meta.aliases.is_empty()
                        && claimed(p).iter().any(|u| new_urls.contains(u)))
            })
            .collect();
        check_duplicate_urls(
            claiming.into_iter(),
            self.sections.iter().map(|(k, s)| (k, &s.section)),
            &self.config,
            diagnostics,
        );
    }

    /// Whether a body of a page or section links to one of the pages
    /// `keys` (files below `content/`).
    pub fn links_to(&self, keys: &BTreeSet<String>) -> bool {
        // Some 30 000 links at 10 000 pages: a link whose target is not as
        // long as any of `keys` (nearly all) is passed by its length alone.
        let lengths: Vec<usize> = keys.iter().map(String::len).collect();
        let links = |r: &Rendered| {
            r.links
                .iter()
                .any(|l| lengths.contains(&l.target.len()) && keys.contains(&l.target))
        };
        self.pages.par_iter().any(|sp| links(&sp.content))
            || self.sections.values().any(|s| links(&s.content))
    }

    /// Puts each edited section (its key, the section read anew, its text
    /// rendered by [`Site::rerender_section`]) in place and links the
    /// sections again: a new weight or title may order subsections
    /// differently. For `serve`, after an edit that kept each section's
    /// URL, parent, kind, course, draft, search and aliases, so the pages
    /// and their order stay as they are.
    pub fn replace_sections(&mut self, edits: Vec<(String, Section, Rendered)>) {
        for (key, section, content) in edits {
            if let Some(s) = self.sections.get_mut(&key) {
                s.section = section;
                s.content = content;
            }
        }
        let rank = self.ranks();
        self.link_sections(&rank);
    }

    /// The body of `page` — a page of this site, its file read anew —
    /// rendered again, with every check [`Site::assemble_with`] makes of one body:
    /// its links and anchors against this site, and a checklist's items.
    /// For `serve`, when an edit changed nothing but a body.
    pub fn rerender_page(
        &self,
        page: &Page,
        md: &dyn RenderMarkdown,
    ) -> (Rendered, Vec<Diagnostic>) {
        let (r, mut problems) = self.rerender(
            md,
            (&page.key, &page.body, page.body_line),
            content::parent_key(&page.key),
            &page.url,
            page.bundle_dir.is_some(),
            Some(&page.source),
        );
        problems.extend(check_items(page, &r));
        (r, problems)
    }

    /// The text of `section` — a section of this site, its `_index.md`
    /// read anew — rendered again, with the checks [`Site::assemble_with`]
    /// makes of a section's text: its links and anchors against this
    /// site. For `serve`, after an edit of the section's file.
    pub fn rerender_section(
        &self,
        section: &Section,
        md: &dyn RenderMarkdown,
    ) -> (Rendered, Vec<Diagnostic>) {
        self.rerender(
            md,
            (
                &section_file_key(&section.key),
                &Arc::from(section.body.as_str()),
                section.body_line,
            ),
            section.key.clone(),
            &section.url,
            false,
            section.source.as_deref(),
        )
    }

    /// One body — `(key, text, first line)` of a file in folder `dir`,
    /// published at `url` — rendered against this site, with the problems
    /// of its links and anchors, reported at `source` (none without one).
    fn rerender(
        &self,
        md: &dyn RenderMarkdown,
        (key, body, first_line): (&str, &Arc<str>, usize),
        dir: String,
        url: &str,
        bundle: bool,
        source: Option<&Path>,
    ) -> (Rendered, Vec<Diagnostic>) {
        let targets = self.targets();
        let links = PageLinks {
            targets: &targets,
            dir,
            url: url.to_string(),
            bundle,
        };
        let labels = crate::i18n::markdown_labels(&self.strings);
        let r = md
            .render(key, body, first_line, &links, &labels)
            .into_inner();
        let ids_of = |k: &str| self.headings_with(k, key, &r.headings);
        let problems = match source {
            Some(source) => check_links(source, key, &r, &ids_of),
            None => Vec::new(),
        };
        (r, problems)
    }

    /// What links in a body rendered again resolve against: this site.
    fn targets(&self) -> Targets<'_> {
        Targets {
            urls: TargetUrls::Site(self),
            files: &self.files,
            drafts: &self.drafts,
            content_dir: self.root.join("content"),
            base_path: self.config.base_path(),
        }
    }

    /// The headings of the page or section file `key` (`…/_index.md`),
    /// with `own` standing for those of `own_key`, the body rendered again.
    fn headings_with<'a>(
        &'a self,
        key: &str,
        own_key: &str,
        own: &'a [Heading],
    ) -> Option<&'a [Heading]> {
        if key == own_key {
            Some(own)
        } else if let Some(&j) = self.by_key.get(key) {
            Some(&self.pages[j].content.headings)
        } else {
            let dir = key.strip_suffix("_index.md")?.trim_end_matches('/');
            Some(&self.sections.get(dir)?.content.headings)
        }
    }

    /// Each page's position in page order ([`page_order`]), so that lists
    /// of pages (a section's, a term's — thousands of pages on big sites)
    /// sort by one integer instead of lowercasing two titles per
    /// comparison.
    pub fn ranks(&self) -> Vec<u32> {
        let mut rank = vec![0u32; self.pages.len()];
        for (r, &i) in self.order.iter().enumerate() {
            rank[i] = r as u32;
        }
        rank
    }

    /// Published case studies.
    pub fn cases(&self) -> impl Iterator<Item = &SitePage> {
        self.pages.iter().filter(|p| p.page.meta.kind == Kind::Case)
    }
}

/// Problems of the links in one rendered body: what the Markdown renderer
/// found, and anchors missing in their target (`ids_of` gives the headings
/// of a page or section by key, `None` for an unknown key).
fn check_links<'a>(
    source: &Path,
    self_key: &str,
    r: &Rendered,
    ids_of: &dyn Fn(&str) -> Option<&'a [Heading]>,
) -> Vec<Diagnostic> {
    let src = display_path(source);
    let mut out = Vec::new();
    for (line, col, msg) in &r.problems {
        out.push(Diagnostic::error(&src, *line, *col, msg.clone()));
    }
    for (line, col, msg) in &r.warnings {
        out.push(Diagnostic::warning(&src, *line, *col, msg.clone()));
    }
    for l in &r.links {
        let Some(anchor) = &l.anchor else { continue };
        if anchor.is_empty() {
            continue;
        }
        let target = if l.target.is_empty() {
            self_key
        } else {
            l.target.as_str()
        };
        let id = fragment_id(anchor).unwrap_or_else(|| decode_link(anchor));
        if let Some(headings) = ids_of(target)
            && !headings.iter().any(|h| h.id == id)
        {
            let ids = headings.iter().map(|h| h.id.as_str());
            let hint = crate::diagnostics::did_you_mean(&id, ids)
                .map(|s| format!(": did you mean `#{s}`?"))
                .unwrap_or_default();
            let what = if l.target.is_empty() {
                "this page".to_string()
            } else {
                format!("`{}`", l.target)
            };
            out.push(Diagnostic::error(
                &src,
                l.line,
                l.col,
                format!("link to a missing heading `#{anchor}` in {what}{hint}"),
            ));
        }
    }
    out
}

/// A checklist needs items.
fn check_items(p: &Page, r: &Rendered) -> Option<Diagnostic> {
    (p.meta.kind == Kind::Checklist && r.tasks.is_empty()).then(|| {
        Diagnostic::error(
            &p.source,
            p.key_line("kind").unwrap_or(p.body_line),
            1,
            "a checklist needs at least one item: write them as a task list (`- [ ] Hvem signerer?`)",
        )
    })
}

/// Two sources mapping to one URL is an error that names both files.
fn check_duplicate_urls<'a>(
    pages: impl ExactSizeIterator<Item = &'a Page>,
    sections: impl Iterator<Item = (&'a String, &'a Section)> + Clone,
    config: &Config,
    diags: &mut Diagnostics,
) {
    /// Who claims a URL; named only when two do (every page claims one).
    #[derive(Clone, Copy)]
    enum Who<'a> {
        /// A page vinn makes itself (a list, the search page).
        Builtin(&'static str),
        Section(&'a str, &'a Section),
        Page(&'a Page),
    }
    let name = |w: Who| match w {
        Who::Builtin(what) => what.to_string(),
        Who::Section(k, s) => s
            .source
            .as_ref()
            .map(|p| display_path(p))
            .unwrap_or_else(|| format!("content/{k}/")),
        Who::Page(p) => display_path(&p.source),
    };
    let mut seen: HashMap<Cow<str>, Who> = HashMap::with_capacity(pages.len() + 64);
    let mut claim = |url, who, line, diags: &mut Diagnostics| match seen.get(&url) {
        Some(Who::Builtin(what)) => diags.push(Diagnostic::error(
            name(who),
            line,
            1,
            format!("URL `/{url}` is where vinn writes {what}: rename this folder or page"),
        )),
        Some(first) => diags.push(Diagnostic::error(
            name(who),
            line,
            1,
            format!(
                "URL `/{url}` is also produced by {}: rename one of them",
                name(*first)
            ),
        )),
        None => {
            seen.insert(url, who);
        }
    };
    // The pages vinn makes itself come first: content that claims one of
    // their URLs is the one reported (and would otherwise overwrite it, or
    // be overwritten, in whichever order the two were written).
    let lang = config.language;
    for kind in Kind::ALL {
        claim(
            Cow::Owned(Urls::kind_list(kind, lang)),
            Who::Builtin("the list of every page of one kind"),
            1,
            diags,
        );
    }
    claim(
        Cow::Borrowed(Urls::new_list(lang)),
        Who::Builtin("the list of the newest pages"),
        1,
        diags,
    );
    if config.search.enabled {
        claim(
            Cow::Borrowed(Urls::search(lang)),
            Who::Builtin("the search page"),
            1,
            diags,
        );
    }
    for tax in [Taxonomy::Topics, Taxonomy::Tags] {
        claim(
            Cow::Owned(format!("{}/", tax.folder(lang))),
            Who::Builtin("the index of topics or tags"),
            1,
            diags,
        );
    }
    for (_, s) in sections.clone().filter(|(_, s)| s.course) {
        claim(
            Cow::Owned(format!("{}{}", s.url, Urls::course_page(lang))),
            Who::Builtin("the whole course on one page"),
            1,
            diags,
        );
    }
    for (k, s) in sections.clone() {
        claim(Cow::Borrowed(&s.url), Who::Section(k, s), 1, diags);
    }
    let mut sorted: Vec<&Page> = pages.collect();
    sorted.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    for p in sorted {
        claim(Cow::Borrowed(&p.url), Who::Page(p), 1, diags);
        for a in &p.meta.aliases {
            let line = p.key_line("aliases").unwrap_or(1);
            claim(Cow::Owned(alias_url(a, config)), Who::Page(p), line, diags);
        }
    }
    for (k, s) in sections {
        for a in &s.aliases {
            claim(
                Cow::Owned(alias_url(a, config)),
                Who::Section(k, s),
                1,
                diags,
            );
        }
    }
}

/// An alias as an output directory URL: `/gammel/adresse` → `gammel/adresse/`.
pub fn alias_url(alias: &str, config: &Config) -> String {
    let a = alias.trim().trim_start_matches('/');
    let base = config.base_path();
    let a = a.strip_prefix(base.trim_start_matches('/')).unwrap_or(a);
    let a = a.trim_end_matches("index.html").trim_matches('/');
    if a.is_empty() {
        String::new()
    } else {
        format!("{a}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_moved_in_place_go_where_their_pages_went() {
        // Every way 0–3 pages of 5 can go and 0–3 come, in any places:
        // the value of each page that stayed is at its new index, new
        // pages hold the default, and no value is lost or doubled.
        let naive = |values: &[u32], now_at: &[Option<usize>], n: usize| {
            let mut out = vec![0; n];
            for (v, at) in values.iter().zip(now_at) {
                if let Some(i) = at {
                    out[*i] = *v;
                }
            }
            out
        };
        let mut cases = 0;
        for removed in 0u32..32 {
            for added in 0u32..256 {
                let stay = 5 - removed.count_ones() as usize;
                let n = stay + added.count_ones() as usize;
                if n > 8 {
                    continue;
                }
                // The new indices of the pages that stayed: those not
                // marked as new, in order.
                let mut free = (0..n).filter(|i| added & (1 << i) == 0);
                let now_at: Vec<Option<usize>> = (0..5)
                    .map(|j| (removed & (1 << j) == 0).then(|| free.next()).flatten())
                    .collect();
                if now_at.iter().flatten().count() != stay {
                    continue;
                }
                let values: Vec<u32> = (1..=5).collect();
                assert_eq!(
                    moved(values.clone(), &now_at, n),
                    naive(&values, &now_at, n),
                    "{now_at:?} among {n}"
                );
                cases += 1;
            }
        }
        assert!(cases > 100, "{cases}");
        // Pages out of their order (never from `add_and_remove_pages`)
        // and indices past the end are taken as they come.
        let now_at = [Some(2), None, Some(0), Some(7)];
        assert_eq!(moved(vec![1, 2, 3, 4], &now_at, 3), vec![3, 0, 1]);
    }

    #[test]
    fn a_table_with_room_takes_added_pages_where_it_is() {
        // One page added among 1 000: a table made with room stays in its
        // buffer, and so does one given room.
        let one_more = |n: usize, at: usize| -> Vec<Option<usize>> {
            (0..n).map(|j| Some(j + usize::from(j >= at))).collect()
        };
        let table = filled_with_room(1000, || 7u64);
        let buffer = table.as_ptr();
        let table = moved(table, &one_more(1000, 10), 1001);
        assert_eq!(table.as_ptr(), buffer);
        assert_eq!((table[10], table[11]), (0, 7));

        let mut given: Vec<u64> = vec![7; 1000];
        give_room(&mut given);
        let buffer = given.as_ptr();
        let given = moved(given, &one_more(1000, 0), 1001);
        assert_eq!(given.as_ptr(), buffer);
        assert_eq!(&given[..2], [0, 7]);
    }

    #[test]
    fn hrefs_between_pages_go_up_only_to_the_shared_folder() {
        assert_eq!(href_between("artikler/a/", "artikler/b/"), "../b/");
        assert_eq!(href_between("artikler/a/", "artikler/"), "../");
        assert_eq!(href_between("artikler/a/", "artikler/a/"), "./");
        assert_eq!(href_between("artikler/", "artikler/b/"), "b/");
        assert_eq!(
            href_between("artikler/a/", "sjekklister/b/"),
            "../../sjekklister/b/"
        );
        // `artikler-2/` only shares a prefix of characters, not a folder.
        assert_eq!(
            href_between("artikler/a/", "artikler-2/b/"),
            "../../artikler-2/b/"
        );
        assert_eq!(href_between("a/b/c/", "a/x/"), "../../x/");
        assert_eq!(href_between("", "a/b/"), "a/b/");
        assert_eq!(href_between("a/\u{0}/", "a/b/"), "../b/");
        // The same page as `relative_url` reaches, by a shorter way.
        for (from, to) in [("a/b/c/", "a/x/"), ("a/", "b/"), ("a/b/", "a/b/c/")] {
            assert_eq!(
                normalize(&format!("{from}{}", href_between(from, to))),
                normalize(&format!("{from}{}", relative_url(from, to)))
            );
        }
    }

    /// Resolves `..` and `.` segments of a relative URL path.
    fn normalize(path: &str) -> String {
        let mut out: Vec<&str> = Vec::new();
        for seg in path.split('/') {
            match seg {
                ".." => {
                    out.pop();
                }
                "." | "" => {}
                s => out.push(s),
            }
        }
        out.join("/")
    }

    #[test]
    fn relative_urls() {
        assert_eq!(
            relative_url("artikler/a/", "sjekklister/b/"),
            "../../sjekklister/b/"
        );
        assert_eq!(relative_url("", "artikler/"), "artikler/");
        assert_eq!(relative_url("", ""), "./");
        assert_eq!(
            normalize_path("a/b/../c/./d.md").as_deref(),
            Some("a/c/d.md")
        );
        assert_eq!(normalize_path("../x.md"), None);
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x.no"));
        assert!(has_scheme("mailto:a"));
        assert!(!has_scheme("a/b.md"));
        assert!(!has_scheme("x/y:z.md"));
    }

    /// Every section's pages, and each page's previous and next, as a
    /// fresh linking of `site` makes them.
    fn links_as_fresh(site: &Site) -> bool {
        let mut fresh: Vec<(usize, Option<usize>, Option<usize>)> = Vec::new();
        let mut copy = BTreeMap::new();
        let rank = site.ranks();
        for k in site.sections.keys() {
            let mut list: Vec<usize> = (0..site.pages.len())
                .filter(|&i| site.pages[i].page.section == *k)
                .collect();
            list.sort_unstable_by_key(|&i| rank[i]);
            for (pos, &i) in list.iter().enumerate() {
                let prev = pos.checked_sub(1).map(|p| list[p]);
                fresh.push((i, prev, list.get(pos + 1).copied()));
            }
            copy.insert(k.clone(), list);
        }
        let linked: BTreeMap<String, Vec<usize>> = site
            .sections
            .iter()
            .map(|(k, s)| (k.clone(), s.pages.clone()))
            .collect();
        linked == copy
            && fresh
                .iter()
                .all(|&(i, prev, next)| (site.pages[i].prev, site.pages[i].next) == (prev, next))
    }

    /// `replace_pages` is for edits that keep each page's section; one
    /// that breaks that rule still gets every section linked again (not
    /// just the lists the page was on before), so no list keeps a page
    /// that left it.
    #[test]
    fn a_page_moved_to_another_section_is_linked_there() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut loaded = crate::build::load(&crate::build::Options {
            root,
            ..Default::default()
        })
        .expect("the basic fixture loads");
        let site = &mut loaded.site;
        assert!(links_as_fresh(site));
        let i = site
            .pages
            .iter()
            .position(|p| p.page.key == "artikler/alfa.md")
            .expect("alfa is a page");
        assert!(site.sections["artikler"].pages.contains(&i));
        let mut page = site.pages[i].page.clone();
        page.section = "kurs".into();
        let content = (*site.pages[i].content).clone();
        site.replace_pages(vec![(i, page, content)]);
        assert!(site.sections["kurs"].pages.contains(&i));
        assert!(!site.sections["artikler"].pages.contains(&i));
        assert!(links_as_fresh(site));
        // A course numbers its lessons: the moved page is one of them now.
        let n = site.sections["kurs"].pages.len();
        assert!(site.pages[i].lesson.is_some_and(|(_, of)| of == n));
    }
}
