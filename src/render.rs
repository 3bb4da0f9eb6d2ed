//! Render: the site model through Tera (2) templates into output files.
//!
//! Templates are parsed once per build ([`Renderer::new`]); the parts of the
//! context shared by many pages (site, translations, section menus) are
//! serialized once, each page's listing card and link once per build
//! (Tera values share them behind `Arc`s), and pages render in parallel,
//! each worker reusing one copy of the shared context. The navigation of a
//! section's pages is rendered once per section from `nav.html`
//! (`Renderer::nav`), and the site header and footer once per `root` from
//! `header.html` and `footer.html` (`Renderer::chrome`), and each page's
//! listing card from `card.html` once per `root` (`Renderer::cards_html`;
//! once for every `root` when `card.html` only prints it).
//! Listings longer than `[listing] per_page` continue on numbered pages
//! (`Renderer::render_paged`). Template errors name the
//! template file, its line and column, and the page being rendered; one
//! mistake many outputs meet is one error ([`group_template_errors`]). A
//! `[brand] logo` that no published file backs, which the header would
//! show broken, is found here too ([`missing_logo`]).
//!
//! [`Prepared`] is what a renderer made once for a site; `serve` renders
//! single pages with it after an edit that changed only their bodies, and
//! takes its parsed templates and untouched section menus after an edit of
//! front matter, and the cards, links and card HTML of the pages the edit
//! did not touch ([`Renderer::adopt_tables`]).
//!
//! A [`Memo`] (given by `serve`) may answer for outputs whose inputs did not
//! change, so a rebuild renders only what a change touched; `build` has none.
//! What it keys on is [`Inputs`]: fingerprints of what each output's context
//! is made from, built on each page's own ([`page_fingerprints`]), which stay
//! with the page between rebuilds. Files made without a template (the
//! sitemap; insight's exports) ask it too ([`Renderer::keeps_file`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};

use crate::config::Language;
use crate::content::Kind;
use crate::diagnostics::{Diagnostic, display_path};
use crate::markdown::{escape, escape_to};
use crate::site::{Site, SitePage, Taxonomy, Term, Urls, href_between, moved, relative_url};
use crate::theme::Theme;

/// Where rendered files go: the staging directory, memory, or nowhere.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()>;
    /// [`Sink::put`] for bytes shared with a [`Memo`] (`serve`): a sink
    /// that keeps files in memory keeps them without a copy.
    fn put_shared(&self, path: &str, bytes: Arc<[u8]>) -> std::io::Result<()> {
        self.put(path, bytes.to_vec())
    }
}

/// A rendered file: owned, for a sink that writes it and lets it go
/// (`vinn build`), or shared with the memo that remembers it (`serve`).
enum Output {
    Owned(Vec<u8>),
    Shared(Arc<[u8]>),
}

impl From<Vec<u8>> for Output {
    fn from(bytes: Vec<u8>) -> Output {
        Output::Owned(bytes)
    }
}

/// A sink that keeps nothing (for `vinn check`).
pub struct Discard;
impl Sink for Discard {
    fn put(&self, _: &str, _: Vec<u8>) -> std::io::Result<()> {
        Ok(())
    }
}

/// A sink that collects files in memory (for `serve` and tests).
#[derive(Default)]
pub struct Memory(pub std::sync::Mutex<BTreeMap<String, Vec<u8>>>);
impl Sink for Memory {
    fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes);
        Ok(())
    }
}

#[derive(Serialize, Clone)]
struct TermCtx {
    name: String,
    title: String,
    description: String,
    url: String,
    count: usize,
}

/// A page as listings show it.
#[derive(Serialize)]
struct Summary<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    description: &'a str,
    summary: &'a str,
    date: Option<String>,
    date_fmt: Option<String>,
    updated_fmt: Option<String>,
    reading_time: usize,
    topics: &'a [String],
    tags: &'a [String],
    outcome: Option<&'static str>,
    reasons: &'a [String],
    industry: Option<&'a str>,
    phase: Option<&'a str>,
    weight: Option<i64>,
    /// Only with `--drafts`: a page not yet published.
    draft: bool,
}

/// A page in the menu of its section, on content pages.
#[derive(Serialize)]
struct MenuEntry<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    weight: Option<i64>,
}

/// `section` on content pages: the section with its menu entries.
#[derive(Serialize)]
struct MenuSection<'a> {
    title: &'a str,
    url: &'a str,
    course: bool,
    pages: &'a Value,
}

/// A page as another page links to it ("Les også", previous, next).
#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    description: &'a str,
}

/// `page.case`: the facts of a case study.
#[derive(Serialize)]
struct CaseCtx<'a> {
    outcome: &'static str,
    outcome_label: Option<&'a String>,
    reasons: &'a [String],
    reason_labels: Vec<String>,
    industry: Option<&'a str>,
    deal_size: &'a Option<String>,
    decision_maker_role: &'a Option<String>,
    lessons: &'a [String],
    interview_date: Option<String>,
    interview_date_fmt: Option<String>,
    anonymized: bool,
}

/// `page.lesson`: the page's place in its course.
#[derive(Serialize)]
struct Lesson<'a> {
    n: usize,
    total: usize,
    title: &'a str,
    url: &'a str,
}

/// One step of the breadcrumbs.
#[derive(Serialize)]
struct Crumb<'a> {
    title: &'a str,
    url: &'a str,
}

/// `page`: everything templates see of a content page.
#[derive(Serialize)]
struct PageCtx<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    permalink: String,
    kind: &'static str,
    kind_label: Option<&'a String>,
    /// Only with `--drafts`: a page not yet published.
    draft: bool,
    date: Option<String>,
    date_fmt: Option<String>,
    updated: Option<String>,
    updated_fmt: Option<String>,
    author: &'a str,
    topics: Vec<Value>,
    tags: Vec<Value>,
    content: &'a str,
    toc: crate::markdown::Toc<'a>,
    headings: usize,
    reading_time: usize,
    words: usize,
    summary: &'a str,
    tasks: &'a [crate::markdown::TaskItem],
    phase: Option<&'a str>,
    case: Option<CaseCtx<'a>>,
    /// [`Link`]s.
    related: Vec<Value>,
    prev: Option<Value>,
    next: Option<Value>,
    lesson: Option<Lesson<'a>>,
    extra: &'a serde_json::Value,
    source: String,
    section: &'a str,
    breadcrumbs: Vec<Crumb<'a>>,
    /// Where the page's file is edited (`edit_url` in site.toml), if set.
    edit_url: Option<String>,
}

/// `section` on section pages.
#[derive(Serialize)]
struct SectionCtx<'a> {
    key: &'a str,
    title: &'a str,
    description: &'a str,
    url: &'a str,
    content: &'a str,
    toc: crate::markdown::Toc<'a>,
    course: bool,
    extra: &'a serde_json::Value,
    pages: Value,
    subsections: Vec<SubsectionCtx<'a>>,
    breadcrumbs: Vec<Crumb<'a>>,
    is_root: bool,
    /// Where the section's `_index.md` is edited (`edit_url`), if it has
    /// one and the setting is there.
    edit_url: Option<String>,
}

/// A subsection as its parent's page lists it.
#[derive(Serialize)]
struct SubsectionCtx<'a> {
    title: &'a str,
    url: &'a str,
    description: &'a str,
    count: usize,
}

/// `list` on list and term pages.
#[derive(Serialize)]
struct ListCtx<'a> {
    title: &'a str,
    description: &'a str,
    /// The listing's URL (its first page).
    url: &'a str,
    /// The cards of this page.
    pages: Value,
    /// How many pages the whole listing has.
    total: usize,
    /// Links to the listing's other pages, when it has more than one.
    pager: Option<&'a Pager>,
}

/// A listing to render over as many pages as it needs
/// ([`Renderer::render_paged`]).
#[derive(Clone, Copy)]
struct Listing<'a> {
    template: &'a str,
    /// The URL of its first page.
    url: &'a str,
    title: &'a str,
    description: &'a str,
    pages: &'a [usize],
    /// Fingerprints what the listing is built from besides its cards, for
    /// `serve`'s memo ([`Inputs::chunk`] adds the cards of each page).
    inputs: &'a (dyn Fn(&Inputs) -> u64 + Sync),
    /// Adds what the template needs besides `list`.
    extra: &'a (dyn Fn(&mut Context) + Sync),
    /// What it is, for error messages ("the term page").
    what: &'a str,
}

/// One page of a listing: where it is, and its pager.
struct ListPage {
    url: String,
    page_url: String,
    pager: Option<Pager>,
}

impl ListPage {
    /// Page `n` (from 1) of `count` of the listing at `url`.
    fn new(url: &str, n: usize, count: usize, lang: Language) -> ListPage {
        let at = |k: usize| Urls::list_page(url, k, lang);
        let pager = (count > 1).then(|| {
            // First, last, and two on each side of the current page; a gap
            // stands for the pages between.
            let mut items: Vec<PagerItem> = Vec::new();
            for k in 1..=count {
                if k == 1 || k == count || k.abs_diff(n) <= 2 {
                    if items.last().is_some_and(|last| last.n + 1 < k && !last.gap) {
                        items.push(PagerItem {
                            n: 0,
                            url: String::new(),
                            current: false,
                            gap: true,
                        });
                    }
                    items.push(PagerItem {
                        n: k,
                        url: at(k),
                        current: k == n,
                        gap: false,
                    });
                }
            }
            Pager {
                current: n,
                count,
                prev: (n > 1).then(|| at(n - 1)),
                next: (n < count).then(|| at(n + 1)),
                items,
            }
        });
        ListPage {
            url: url.to_string(),
            page_url: at(n),
            pager,
        }
    }
}

/// `list.pager`: the pages of a listing split over several.
#[derive(Serialize)]
struct Pager {
    /// This page, from 1.
    current: usize,
    /// How many pages the listing is split over.
    count: usize,
    prev: Option<String>,
    next: Option<String>,
    /// The page links to show; `gap` items stand for pages left out.
    items: Vec<PagerItem>,
}

#[derive(Serialize)]
struct PagerItem {
    n: usize,
    url: String,
    current: bool,
    gap: bool,
}

/// What a [`Renderer`] prepares once for a site and theme: the parsed
/// templates, the shared context (with its globals) and the section menus.
/// `serve` keeps it between rebuilds: a body edit renders its pages with it
/// as it is, since none of it depends on a body, and any other rebuild
/// whose theme and `base_url` it [fits](Prepared::fits) takes over what
/// is still right of it ([`Renderer::new`], [`Renderer::adopt_tables`]).
#[derive(Clone)]
pub struct Prepared {
    tera: Arc<Tera>,
    theme: Arc<Theme>,
    base: Context,
    menus: Arc<HashMap<String, Arc<Menu>>>,
    navs: Arc<std::sync::Mutex<Navs>>,
    nav_vars: NavVars,
    chromes: Arc<std::sync::Mutex<Chromes>>,
    terms: Arc<TermValues>,
    /// The per-page tables of the renderer that prepared this, in `serve`
    /// ([`Renderer::finish`]), for the next renderer of the site to adopt
    /// ([`Renderer::adopt_tables`]); taken by the first that does.
    tables: Arc<std::sync::Mutex<Option<Carried>>>,
    /// The `base_url` the templates were parsed for (its path is set in
    /// Tera's URL functions).
    base_url: String,
}

impl Prepared {
    /// Whether this carries per-page tables ([`Renderer::adopt_tables`]),
    /// for a site of any number of pages: they are taken over page by
    /// page, by what each was made from.
    fn carries(&self) -> bool {
        let tables = self.tables.lock().unwrap_or_else(|e| e.into_inner());
        tables.is_some()
    }

    /// Whether what this holds was prepared from `theme` as it is now, for
    /// a site at `base_url`: then a renderer may take it over
    /// ([`Renderer::new`]) whatever else changed in the site, for each
    /// menu and per-page entry it takes is checked against what it was
    /// made from.
    pub fn fits(&self, theme: &Theme, base_url: &str) -> bool {
        self.base_url == base_url && *self.theme == *theme
    }
}

/// A renderer's per-page tables as the next renderer of the same site and
/// templates may adopt them, with what each entry was made from.
struct Carried {
    cards: Vec<std::sync::OnceLock<Value>>,
    links: Vec<std::sync::OnceLock<Value>>,
    card_html: Option<CardHtml>,
    /// Each page's card fingerprint ([`PageFingerprints::card`]): the
    /// page's card and link are made from what it covers, and its card
    /// HTML too, with the globals.
    made_from: Vec<u64>,
    /// The configuration and translations.
    env: u64,
    /// The memo's key of the globals as `card.html` reads them (`None`:
    /// the card HTML is made again).
    card_base: Option<u64>,
}

/// A section's menu entries as templates see them, with a fingerprint of
/// what they were made from, so a renderer of the same site after a front
/// matter edit reuses the menus the edit did not touch.
struct Menu {
    of: u64,
    value: Value,
}

/// Every topic and tag as pages show it (`page.topics`, `page.tags`),
/// serialized once per build, by slug, instead of once per page using it.
struct TermValues {
    topics: HashMap<String, Value>,
    tags: HashMap<String, Value>,
}

impl TermValues {
    /// The values of one taxonomy's terms.
    fn of(&self, tax: Taxonomy) -> &HashMap<String, Value> {
        match tax {
            Taxonomy::Topics => &self.topics,
            Taxonomy::Tags => &self.tags,
        }
    }

    fn new(site: &Site) -> TermValues {
        let values = |map: &BTreeMap<String, Term>| {
            map.iter()
                .map(|(slug, t)| (slug.clone(), Value::from_serializable(&term_ctx(t))))
                .collect()
        };
        TermValues {
            topics: values(&site.topics),
            tags: values(&site.tags),
        }
    }
}

/// The navigation of the pages of each section, rendered once per section
/// from `nav.html` (by section key; `None` when the section has none).
type Navs = HashMap<String, Option<Arc<Nav>>>;

/// The variables `nav.html` (with what it includes) may read, made on
/// first use and shared by the renderers of the same templates (`None`:
/// the whole context). See [`Renderer::nav_shared_by`].
type NavVars = Arc<std::sync::OnceLock<Option<std::collections::BTreeSet<String>>>>;

/// One section's navigation, as its pages share it.
struct Nav {
    /// The pages' `root`.
    root: String,
    /// The `current_url` it was rendered with: below the section, and the
    /// place `rel` hrefs in it start from.
    here: String,
    html: String,
    /// Where `aria-current` goes for each linked URL: the byte offset just
    /// after the first `href="…"` with that (escaped) value.
    marks: HashMap<String, usize>,
}

impl Nav {
    fn new(root: String, here: String, html: String) -> Nav {
        let mut marks = HashMap::new();
        let mut rest = 0;
        while let Some(at) = html[rest..].find("href=\"") {
            let start = rest + at + 6;
            let Some(len) = html[start..].find('"') else {
                break;
            };
            let end = start + len + 1;
            marks
                .entry(html[start..start + len].to_string())
                .or_insert(end);
            rest = end;
        }
        Nav {
            root,
            here,
            html,
            marks,
        }
    }

    /// Whether the copies of this navigation fit the page at `url`: a page
    /// in the section's folder, like `here` (so its `root` is the same, and
    /// `rel` hrefs start from the right place).
    fn fits(&self, url: &str) -> bool {
        folder_of(url) == folder_of(&self.here)
    }

    /// The HTML for the page at `url`, with `aria-current="page"` after the
    /// first link to it: written as `{{ url | rel }}` or as `{{ root }}{{ url }}`.
    fn marked(&self, url: &str) -> String {
        let by_rel = escape(&href_between(&self.here, url));
        let at = self.marks.get(by_rel.as_str()).or_else(|| {
            self.marks
                .get(escape(&format!("{}{url}", self.root)).as_str())
        });
        match at {
            Some(&at) => {
                let mut out = String::with_capacity(self.html.len() + 20);
                out.push_str(&self.html[..at]);
                out.push_str(" aria-current=\"page\"");
                out.push_str(&self.html[at..]);
                out
            }
            None => self.html.clone(),
        }
    }
}

/// The header and footer of `base.html` for every `root` met so far,
/// rendered once per `root` from `header.html` and `footer.html` (`None`
/// when the theme has neither).
type Chromes = HashMap<String, Option<Arc<Chrome>>>;

/// The header and footer of the outputs with one `root`, as the context
/// variables `header_html` and `footer_html` (each `None` when the theme
/// has no such template or it fails: the output then includes it itself).
struct Chrome {
    header: Option<Value>,
    footer: Option<Value>,
}

/// What `cache` holds for `key`, made by `make` on first use (outside the
/// lock: two threads may both make it, and the first one kept is the one
/// every caller gets).
fn once_per_key<T>(
    cache: &std::sync::Mutex<HashMap<String, Option<Arc<T>>>>,
    key: &str,
    make: impl FnOnce() -> Option<T>,
) -> Option<Arc<T>> {
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = lock().get(key) {
        return known.clone();
    }
    let made = make().map(Arc::new);
    lock().entry(key.to_string()).or_insert(made).clone()
}

/// Every page's `card.html` as listings at one depth show it: the root
/// `../` that many times (`./` at 0). Each is made on first use (`None`
/// where it failed) and kept at its length (`Arc<str>`): Tera renders
/// into a larger buffer, and ~22 000 of those would hold on to 30 MB more.
type CardColumn = Vec<std::sync::OnceLock<Option<Arc<str>>>>;

/// How many depths of listings get their cards' HTML kept; a listing
/// deeper still puts its cards together each time.
const CARD_DEPTHS: usize = 8;

/// What `card.html` is given as `root` when it prints `root` only as
/// `{{ root }}` ([`prints_root_only`]): a noncharacter, which no
/// template or card value is left to hold, so each one in the output is
/// where the root goes.
const ROOT_MARK: char = '\u{FDD0}';

/// A page's `card.html` rendered for listings at any root: its text
/// without the root, and where the root goes.
struct CardTemplate {
    text: Box<str>,
    roots: Box<[u32]>,
}

impl CardTemplate {
    /// A card rendered with [`ROOT_MARK`] as its root.
    fn new(html: &str) -> CardTemplate {
        let mut text = String::with_capacity(html.len());
        let mut roots = Vec::new();
        for (k, piece) in html.split(ROOT_MARK).enumerate() {
            if k > 0 {
                roots.push(text.len() as u32);
            }
            text.push_str(piece);
        }
        CardTemplate {
            text: text.into_boxed_str(),
            roots: roots.into_boxed_slice(),
        }
    }

    /// The card at `root`.
    fn at(&self, root: &str) -> Arc<str> {
        let mut out = String::with_capacity(self.text.len() + self.roots.len() * root.len());
        let mut from = 0;
        for &at in &self.roots {
            out.push_str(&self.text[from..at as usize]);
            out.push_str(root);
            from = at as usize;
        }
        out.push_str(&self.text[from..]);
        Arc::from(out)
    }
}

/// Every page's `card.html`, a column per depth of the listings that show
/// it, made when a listing at that depth first asks: first pages of
/// listings and their `side/N/` pages sit at a few depths. A listing page
/// finds its cards in one column, at their pages' indices, and copies
/// each whole. (A map of roots per page made a lookup several reads far
/// apart in memory, and most of a listing page's time after a page was
/// added in `serve`.) When `card.html` prints the root and does nothing
/// else with it ([`prints_root_only`]), a card is rendered once, as a
/// [`CardTemplate`], and each depth's entry is that template with the
/// root put in.
struct CardHtml {
    columns: [std::sync::OnceLock<CardColumn>; CARD_DEPTHS],
    /// Each page's card for any root, with `any_root`.
    templates: std::sync::OnceLock<Vec<std::sync::OnceLock<Option<CardTemplate>>>>,
    pages: usize,
    /// `card.html` prints the root only ([`prints_root_only`]).
    any_root: bool,
    /// No global holds [`ROOT_MARK`] (worked out on first use, once the
    /// globals are set).
    globals_clear: std::sync::OnceLock<bool>,
}

impl CardHtml {
    fn new(pages: usize, any_root: bool) -> CardHtml {
        CardHtml {
            columns: Default::default(),
            templates: std::sync::OnceLock::new(),
            pages,
            any_root,
            globals_clear: std::sync::OnceLock::new(),
        }
    }

    /// The column of listings whose root is `root`, made now if new;
    /// `None` for a root that is not `./` or `../` repeated.
    fn column(&self, root: &str) -> Option<&CardColumn> {
        let depth = match root {
            "./" => 0,
            _ if root.len() % 3 == 0 && root.as_bytes().chunks(3).all(|c| c == b"../") => {
                root.len() / 3
            }
            _ => return None,
        };
        let column = self.columns.get(depth)?;
        Some(column.get_or_init(|| self.empty_column()))
    }

    /// The entry of page `i`'s [`CardTemplate`], made now if new.
    fn template(&self, i: usize) -> Option<&std::sync::OnceLock<Option<CardTemplate>>> {
        self.templates.get_or_init(|| self.empty_column()).get(i)
    }

    fn empty_column<T>(&self) -> Vec<std::sync::OnceLock<T>> {
        crate::site::filled_with_room(self.pages, std::sync::OnceLock::new)
    }

    /// The table with each column's entries moved to where `now_at` (as
    /// in [`crate::site::Moved`]) put their pages, among `pages` now. What
    /// it found of the globals holds too: a table is moved only while the
    /// globals `card.html` reads are the same ([`Renderer::adopt_tables`]),
    /// and no other global reaches a card.
    fn moved(mut self, now_at: &[Option<usize>], pages: usize) -> CardHtml {
        let out = CardHtml::new(pages, self.any_root);
        if let Some(clear) = self.globals_clear.take() {
            let _ = out.globals_clear.set(clear);
        }
        if let Some(templates) = self.templates.take() {
            let _ = out.templates.set(moved(templates, now_at, pages));
        }
        for (from, to) in self.columns.iter_mut().zip(&out.columns) {
            if let Some(column) = from.take() {
                let _ = to.set(moved(column, now_at, pages));
            }
        }
        out
    }
}

/// Every global a renderer sets: [`Renderer::new`]'s and those given to
/// [`Renderer::set_global`] (which checks that its key is here).
const CARD_GLOBALS: [&str; 4] = ["site", "t", "lang", "insight"];

/// Whether any string in `v` holds [`ROOT_MARK`].
fn holds_root_mark(v: &Value) -> bool {
    if let Some(text) = v.as_str() {
        return text.contains(ROOT_MARK);
    }
    if let Some(map) = v.as_map() {
        return map.values().any(holds_root_mark);
    }
    v.as_array().is_some_and(|a| a.iter().any(holds_root_mark))
}

/// Whether `theme`'s `card.html` uses `root` only to print it, as
/// `{{ root }}`, and includes, extends and imports nothing (which could
/// read it too): then a card rendered once serves listings at any depth.
fn prints_root_only(theme: &Theme) -> bool {
    let Some(card) = theme.template_path("card.html") else {
        return false;
    };
    let text = &card.text;
    if text.contains(ROOT_MARK)
        || ["include", "extends", "import", "macro", "block"]
            .iter()
            .any(|w| text.contains(w))
    {
        return false;
    }
    let printed = regex::Regex::new(r"\{\{\s*root\s*\}\}").expect("valid pattern");
    let named = regex::Regex::new(r"\broot\b").expect("valid pattern");
    !named.is_match(&printed.replace_all(text, ""))
}

/// Whether any template of `theme` mentions `cards_html`: only then are
/// listings given their cards rendered (see [`Renderer::cards_html`]).
fn reads_cards_html(theme: &Theme) -> bool {
    theme.template_path("card.html").is_some()
        && theme
            .templates
            .iter()
            .any(|t| t.text.contains("cards_html"))
}

/// Sets `key` in `ctx` to `value`, or takes it out: a context reused from
/// output to output must not keep the last one's.
fn set_or_remove(ctx: &mut Context, key: &'static str, value: Option<Value>) {
    match value {
        Some(v) => ctx.insert_value(key, v),
        None => {
            ctx.remove(key);
        }
    }
}

/// The file of the output at directory URL `url` (`a/b/` → `a/b/index.html`).
fn index_html(url: &str) -> String {
    format!("{url}index.html")
}

/// The folder a page's directory URL is in (`a/b/` → `a`; `b/` → none).
fn folder_of(url: &str) -> Option<&str> {
    url.trim_end_matches('/')
        .rsplit_once('/')
        .map(|(dir, _)| dir)
}

/// The renderer: parsed templates plus the shared context.
pub struct Renderer<'s> {
    site: &'s Site,
    tera: Arc<Tera>,
    theme: Arc<Theme>,
    base: Context,
    /// Menu entries of each section's pages (content pages): the slimmer
    /// shape every page of a section copies into its context.
    menus: Arc<HashMap<String, Arc<Menu>>>,
    navs: Arc<std::sync::Mutex<Navs>>,
    /// The navigation of each listing's pages after the first, by their
    /// folder ([`Renderer::list_nav`]).
    list_navs: std::sync::Mutex<HashMap<String, Option<Arc<Value>>>>,
    nav_vars: NavVars,
    chromes: Arc<std::sync::Mutex<Chromes>>,
    terms: Arc<TermValues>,
    /// What this render works out per page, on first use.
    per_page: PerPage,
    /// Extra script injected before `</body>` (live reload in `serve`).
    pub inject: Option<String>,
    /// Earlier output to reuse when a template's inputs are unchanged (`serve`).
    pub memo: Option<&'s dyn Memo>,
}

/// What one render of a site works out per page, each on first use: the
/// tables a renderer holds beside what [`Prepared`] carries from render to
/// render.
struct PerPage {
    /// Each page as listings show it.
    cards: Vec<std::sync::OnceLock<Value>>,
    /// Each page as other pages link to it.
    links: Vec<std::sync::OnceLock<Value>>,
    /// Each page's `card.html`, a column per depth (see
    /// [`Renderer::cards_html`]); `None` when no template reads `cards_html`.
    card_html: Option<CardHtml>,
    /// The pages' body HTML when `vinn build` handed it over
    /// ([`Renderer::hand_over_bodies`]; else empty, and bodies are read
    /// from the site).
    bodies: Vec<std::sync::Mutex<String>>,
    /// Fingerprints of the inputs of pages, sections and term pages, made
    /// when a memo first asks.
    inputs: std::sync::OnceLock<Inputs>,
}

/// Entry `i` of `table`, made by `make` on first use; made afresh each
/// time when there is no table ([`PerPage::none`]).
fn cached(table: &[std::sync::OnceLock<Value>], i: usize, make: impl FnOnce() -> Value) -> Value {
    match table.get(i) {
        Some(entry) => entry.get_or_init(make).clone(),
        None => make(),
    }
}

/// An empty entry for every page of `site`.
fn empty_table<T: Default>(site: &Site) -> Vec<T> {
    crate::site::filled_with_room(site.pages.len(), T::default)
}

/// The card HTML table of `site`'s pages: `None` when no template of
/// `theme` reads `cards_html`.
fn card_html_table(site: &Site, theme: &Theme) -> Option<CardHtml> {
    reads_cards_html(theme).then(|| CardHtml::new(site.pages.len(), prints_root_only(theme)))
}

impl PerPage {
    /// No tables: each card and link is made where it is used. For a
    /// renderer of a few pages ([`Renderer::from_prepared`]), where tables
    /// for every page of a big site cost more to make than they save.
    fn none() -> PerPage {
        PerPage {
            cards: Vec::new(),
            links: Vec::new(),
            card_html: None,
            bodies: Vec::new(),
            inputs: std::sync::OnceLock::new(),
        }
    }

    /// Empty tables for the pages of `site` rendered with `theme`.
    fn new(site: &Site, theme: &Theme) -> PerPage {
        PerPage {
            cards: empty_table(site),
            links: empty_table(site),
            card_html: card_html_table(site, theme),
            bodies: Vec::new(),
            inputs: std::sync::OnceLock::new(),
        }
    }
}

/// A store of earlier renders, consulted before every template render:
/// `serve` answers for outputs whose template and context did not change
/// since the last rebuild, so only what changed goes through Tera.
pub trait Memo: Sync {
    /// A fingerprint of everything `template` can read from `ctx`, or
    /// `None` when the memo cannot tell what that is (a template that
    /// reads the whole context, or one it does not know) or no earlier
    /// render can match it (a template edited since the last rebuild, or
    /// no earlier rebuild to match): such an output is rendered, and not
    /// recorded.
    /// `base` is the shared context `ctx` was built on: values `ctx`
    /// takes from it may be fingerprinted once for all outputs.
    fn key(&self, template: &str, ctx: &Context, base: &Context) -> Option<u64>;
    /// [`Memo::key`] whether or not an earlier render can match it:
    /// `None` only when the memo cannot tell what `template` reads. What
    /// the per-page tables' card HTML was made with is told by it
    /// ([`Renderer::adopt_tables`]), in the first rebuild too.
    fn fingerprint(&self, template: &str, ctx: &Context, base: &Context) -> Option<u64> {
        self.key(template, ctx, base)
    }
    /// The output recorded under `key` (script already injected).
    fn recall(&self, key: u64) -> Option<Arc<[u8]>>;
    /// Counts a fresh output, and records it under `key` if it has one.
    fn remember(&self, key: Option<u64>, html: &Arc<[u8]>);
    /// Whether the output at `path` may be kept as it was, unrendered and
    /// without building its context: `inputs` fingerprints what its context
    /// is built from (`Renderer::keeps`), `base` is the shared context.
    fn keep(&self, _path: &str, _template: &str, _inputs: u64, _base: &Context) -> bool {
        false
    }
    /// [`Memo::keep`] for page `index` of the site, whose `inputs` cover
    /// its path too: the memo may find it by its index, without asking
    /// for its `path` when nothing changed.
    fn keep_page(
        &self,
        _index: usize,
        path: &dyn Fn() -> String,
        template: &str,
        inputs: u64,
        base: &Context,
    ) -> bool {
        self.keep(&path(), template, inputs, base)
    }
    /// Whether the file at `path`, made without a template, may be kept as
    /// it was: `inputs` fingerprints everything it is made from.
    fn keep_file(&self, _path: &str, _inputs: u64) -> bool {
        false
    }
    /// Whether `template` may read the value at `path` of its context: a
    /// variable, then field names, `[]` standing for every item of a list
    /// (`["page", "topics", "[]", "count"]`). When it cannot, the inputs
    /// that [`Memo::keep`] is given may leave that value out.
    fn reads(&self, _template: &str, _path: &[&str]) -> bool {
        true
    }
}

/// The template, line and column of each ` --> NAME:L:C` in a Tera report.
fn report_positions(msg: &str) -> Vec<(&str, usize, usize)> {
    msg.match_indices("--> ")
        .filter_map(|(i, _)| {
            let rest = msg[i + 4..].lines().next()?.trim();
            let mut parts = rest.rsplitn(3, ':');
            let col = parts.next()?.parse::<usize>().ok()?;
            let line = parts.next()?.parse::<usize>().ok()?;
            // Reports count columns from 1 already.
            Some((parts.next()?, line, col))
        })
        .collect()
}

/// `[brand] logo` when it names no file the site publishes (its static
/// files and those under `content/`): the header would show a broken
/// image on every page.
pub fn missing_logo(site: &Site, theme: &Theme) -> Option<Diagnostic> {
    let logo = site.config.brand.logo.as_deref()?;
    let path = logo.trim_start_matches('/');
    let published = theme.statics.iter().any(|f| f.out_path() == path)
        || site.assets.iter().any(|a| a.to == path);
    (!published).then(|| {
        let (line, col) = site.config.place(&["brand", "logo"]);
        Diagnostic::error(
            crate::config::CONFIG_FILE,
            line,
            col,
            format!(
                "`[brand] logo` = `{logo}` is no file of the site: put it in static/{path} (or name a file there)"
            ),
        )
    })
}

/// Where a template fills a block its parent lacks (`case.html` fills
/// `before_content`, which a site's own `article.html` left out): which
/// file the parent is, and what to add to it.
fn missing_block_hint(theme: &Theme, name: &str, text: &str) -> Option<String> {
    let block = text.strip_prefix("Block `")?.split('`').next()?;
    let child = theme.template_path(name)?;
    let parent = child
        .text
        .split("{% extends \"")
        .nth(1)?
        .split('"')
        .next()?;
    let from = theme.template_path(parent)?;
    Some(format!(
        " (`{name}` extends `{parent}`, which is `{}` here: add `{{% block {block} %}}{{% endblock {block} %}}` to it)",
        from.path
    ))
}

/// How a template error's message starts: the output, then the cause.
const RENDERING: &str = "template error while rendering ";

/// Template errors that are one mistake met by many outputs (a typo in
/// `footer.html` fails every page: 10 000 lines at 10 000 pages) become one
/// error each: the same place and cause, naming the first output in order
/// and how many others met it. Other problems pass as they are.
pub fn group_template_errors(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    type Place = (String, usize, usize, String);
    let mut groups: BTreeMap<Place, (String, usize)> = BTreeMap::new();
    let mut out = Vec::new();
    for d in problems {
        let split = d
            .message
            .strip_prefix(RENDERING)
            .and_then(|rest| rest.split_once(": "))
            .filter(|_| d.is_error());
        let Some((source, cause)) = split else {
            out.push(d);
            continue;
        };
        let place = (d.path.clone(), d.line, d.col, cause.to_string());
        let group = groups
            .entry(place)
            .or_insert_with(|| (source.to_string(), 0));
        if source < group.0.as_str() {
            group.0 = source.to_string();
        }
        group.1 += 1;
    }
    for ((path, line, col, cause), (first, n)) in groups {
        let others = match n - 1 {
            0 => String::new(),
            1 => " and 1 other output".to_string(),
            k => format!(" and {k} other outputs"),
        };
        out.push(Diagnostic::error(
            path,
            line,
            col,
            format!("{RENDERING}{first}{others}: {cause}"),
        ));
    }
    out
}

/// The full error chain of a Tera error as one line of text.
fn chain(e: &tera::Error) -> String {
    let mut parts = vec![match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => r.message().to_string(),
        _ => e.to_string(),
    }];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join(": ")
}

/// Where a Tera error points: the template name and 1-based line and
/// column, when it says.
fn error_position(e: &tera::Error) -> Option<(String, usize, usize)> {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) if !r.filename().is_empty() => {
            Some((
                r.filename().to_string(),
                r.span().start_line,
                r.span().start_col + 1,
            ))
        }
        _ => report_positions(&e.to_string())
            .first()
            .map(|&(n, l, c)| (n.to_string(), l, c)),
    }
}

/// The file of template `name`, as diagnostics name it.
fn template_file(theme: &Theme, name: &str) -> String {
    theme
        .template_path(name)
        .map(|t| t.path.clone())
        .unwrap_or_else(|| format!("templates/{name}"))
}

/// A Tera instance as vinn configures it: HTML escaping for `.html` and
/// `.xml` (leaving `/` alone, so URLs stay readable) and `url_for`.
fn configured_tera(base_url: &str) -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_to);
    let base_url = base_url.to_string();
    tera.register_function("url_for", move |kwargs: Kwargs, _: &State| {
        let path = kwargs.get::<&str>("path")?.unwrap_or("");
        Ok::<_, tera::Error>(format!("{}{}", base_url, path.trim_start_matches('/')))
    });
    tera.register_filter("rel", rel);
    tera.register_filter("safe", safe);
    tera
}

/// `{{ html | safe }}` as Tera's own filter writes it, without copying a
/// value that is safe already: the HTML vinn puts into the context (the
/// header, the navigation, the footer, the cards) is, and Tera's filter
/// copied those ~10 KB into a new string on every page.
fn safe(value: Value, _: Kwargs, _: &State) -> Value {
    if value.is_safe() {
        return value;
    }
    match value.as_str() {
        Some(s) => Value::safe_string(s),
        None => Value::safe_string(&value.to_string()),
    }
}

/// `{{ url | rel }}`: the shortest href from the current page to the site
/// URL `url` (`../b/` between two pages of a folder, where `{{ root }}{{
/// url }}` climbs to the root and back down). Where `root` is not the way
/// up from `current_url` (the 404 page, whose `root` is absolute), it is
/// `{{ root }}{{ url }}`.
fn rel(url: &str, _: Kwargs, state: &State) -> tera::TeraResult<String> {
    let root = state.get::<String>("root")?.unwrap_or_default();
    match state.get::<String>("current_url")? {
        Some(here) if relative_url(&here, "") == root => Ok(href_between(&here, url)),
        _ => Ok(format!("{root}{url}")),
    }
}

/// Parses the theme's templates into one Tera instance. On failure every
/// file's syntax errors come back at once (adding templates together stops
/// at the first, so each is parsed alone then — only then), else what the
/// whole set lacks (an unknown filter, a missing include) at its line.
fn load_templates(theme: &Theme, base_url: &str) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = configured_tera(base_url);
    let Err(e) = tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str())),
    ) else {
        return Ok(tera);
    };
    let syntax: Vec<Diagnostic> = theme
        .templates
        .iter()
        .filter_map(|t| {
            let e = configured_tera(base_url)
                .add_raw_template(&t.name, &t.text)
                .err()?;
            let ErrorKind::SyntaxError(r) = e.kind() else {
                return None;
            };
            Some(Diagnostic::error(
                &t.path,
                r.span().start_line.max(1),
                r.span().start_col + 1,
                format!("template syntax error: {}", r.message()),
            ))
        })
        .collect();
    if !syntax.is_empty() {
        return Err(syntax);
    }
    let msg = e.to_string();
    // Several reports (unknown filter, missing include …) may be joined.
    let found: Vec<Diagnostic> = msg
        .split("\n\n")
        .filter_map(|report| {
            let &(name, line, col) = report_positions(report).first()?;
            let text = report
                .lines()
                .next()
                .unwrap_or(report)
                .trim_start_matches("error: ");
            let hint = missing_block_hint(theme, name, text).unwrap_or_default();
            Some(Diagnostic::error(
                template_file(theme, name),
                line,
                col,
                format!("template error: {text}{hint}"),
            ))
        })
        .collect();
    if !found.is_empty() {
        return Err(found);
    }
    let path = theme
        .templates
        .iter()
        .find(|t| msg.contains(&format!("`{}`", t.name)) || msg.contains(&format!("'{}'", t.name)))
        .map(|t| t.path.clone())
        .unwrap_or_else(|| "templates".into());
    Err(vec![Diagnostic::error(
        path,
        1,
        1,
        format!("template error: {}", msg.replace('\n', " ")),
    )])
}

impl<'s> Renderer<'s> {
    /// A renderer of `site` with the templates of `theme`, each parsed
    /// once; syntax errors come back as diagnostics at the template file
    /// and line. With `reuse`, what an earlier renderer of the same site
    /// prepared, whose templates did not change since (serve, after a front
    /// matter edit): its parsed templates are taken as they are, and each
    /// section menu whose pages are the same. With `reused_later`, each
    /// menu is fingerprinted for that (from its pages' fingerprints, which
    /// serve's memo keeps anyway).
    pub fn new(
        site: &'s Site,
        theme: Theme,
        reuse: Option<&Prepared>,
        reused_later: bool,
    ) -> Result<Self, Vec<Diagnostic>> {
        let (tera, theme) = match reuse {
            Some(p) => (p.tera.clone(), p.theme.clone()),
            None => (
                Arc::new(load_templates(&theme, &site.config.base_url)?),
                Arc::new(theme),
            ),
        };
        let mut base = Context::new();
        base.insert_value("site", site_context(site));
        base.insert("t", &site.strings);
        base.insert("lang", site.config.language.code());
        let menus = site
            .sections
            .par_iter()
            .map(|(k, s)| {
                use std::hash::{Hash, Hasher};
                // The pages' cards cover each entry's fields (and more).
                let mut f = crate::serve::memo::Fingerprint::default();
                if reused_later {
                    s.pages
                        .iter()
                        .for_each(|&i| page_fingerprints(&site.pages[i]).card.hash(&mut f));
                }
                let of = f.finish();
                let menu = reuse
                    .and_then(|p| p.menus.get(k))
                    .filter(|m| reused_later && m.of == of)
                    .cloned()
                    .unwrap_or_else(|| {
                        let list: Vec<MenuEntry> = s
                            .pages
                            .iter()
                            .map(|&i| {
                                let m = &site.pages[i].page.meta;
                                MenuEntry {
                                    title: &m.title,
                                    url: &site.pages[i].page.url,
                                    kind: m.kind.as_str(),
                                    weight: m.weight,
                                }
                            })
                            .collect();
                        Arc::new(Menu {
                            of,
                            value: Value::from_serializable(&list),
                        })
                    });
                (k.clone(), menu)
            })
            .collect();
        // Tables to adopt come with `reuse`: none are made until then.
        let per_page = match reuse.is_some_and(Prepared::carries) {
            true => PerPage::none(),
            false => PerPage::new(site, &theme),
        };
        Ok(Renderer {
            site,
            tera,
            theme,
            base,
            menus: Arc::new(menus),
            navs: Arc::default(),
            list_navs: Default::default(),
            // The same templates read the same variables.
            nav_vars: reuse.map(|p| p.nav_vars.clone()).unwrap_or_default(),
            chromes: Arc::default(),
            terms: Arc::new(TermValues::new(site)),
            per_page,
            inject: None,
            memo: None,
        })
    }

    /// The navigation of the pages of section `key`, rendered on first use.
    ///
    /// `nav.html` draws the same navigation for every page of a section but
    /// for the page's own link, and it was a tenth of a build's CPU. It is
    /// rendered once per section, as for a page of the section (same `root`;
    /// `current_url` is the section's URL followed by a NUL and `/`: a
    /// folder in the section, equal to nothing, from which `rel` hrefs are
    /// right for every page of the section), and each page in the section's
    /// folder gets a copy with
    /// `aria-current="page"` after the `href` of its own link, in the
    /// context variable `nav_html`. A theme without `nav.html`, or whose
    /// navigation depends on more than the section, is not affected:
    /// `base.html` decides whether it uses `nav_html`. (`serve` renders only
    /// the sections whose pages it renders.)
    fn nav(&self, key: &str) -> Option<Arc<Nav>> {
        once_per_key(&self.navs, key, || self.render_nav(key))
    }

    /// The navigation of the listing page at `page_url`, one after the
    /// first of its listing, rendered once per listing.
    ///
    /// Those pages sit side by side in one folder (`side/2/`, `side/3/` …)
    /// and no menu links to one of them, so their navigation is the same.
    /// It is rendered with the globals, their `root` and `current_url` set
    /// to their folder followed by a NUL character and `/` (equal to no
    /// URL), and again with another character in place of the NUL: if
    /// `nav.html` prints `current_url`, the two differ, and it is rendered
    /// with each page instead (`None`), as it is when it reads a variable
    /// of the listing ([`Renderer::nav_shared_by`]).
    fn list_nav(&self, page_url: &str) -> Option<Value> {
        self.theme.template_path("nav.html")?;
        let folder = folder_of(page_url)?;
        let made = once_per_key(&self.list_navs, folder, || {
            let render = |mark: char| {
                let here = format!("{folder}/{mark}/");
                let mut ctx = self.base.clone();
                ctx.insert("root", &relative_url(&here, ""));
                ctx.insert("current_url", &here);
                self.tera.render("nav.html", &ctx).ok()
            };
            let html = render('\u{0}')?;
            (render('\u{1}')? == html).then(|| Value::safe_string(&html))
        });
        made.map(|nav| Value::clone(&nav))
    }

    /// Whether `nav.html` reads nothing of the context `ctx` of a listing
    /// page that [`Renderer::list_nav`] draws it without (`list`, a term
    /// page's `term` and `taxonomy` …).
    fn nav_shared_by(&self, ctx: &Context) -> bool {
        let vars = self
            .nav_vars
            .get_or_init(|| crate::serve::memo::closure_vars(&self.theme, "nav.html"));
        vars.as_ref().is_some_and(|vars| {
            vars.iter().all(|v| {
                v == "root"
                    || v == "current_url"
                    || self.base.contains_key(v)
                    || !ctx.contains_key(v)
            })
        })
    }

    fn render_nav(&self, key: &str) -> Option<Nav> {
        self.theme.template_path("nav.html")?;
        let sec = &self.site.sections.get(key)?.section;
        let here = format!("{}\u{0}/", sec.url);
        let root = relative_url(&here, "");
        let mut ctx = self.base.clone();
        ctx.insert("root", &root);
        ctx.insert("current_url", &here);
        ctx.insert_value("section", self.menu_section(key)?);
        // A failure shows when the pages render `nav.html` themselves.
        let html = self.tera.render("nav.html", &ctx).ok()?;
        Some(Nav::new(root, here, html))
    }

    /// The header and footer for outputs whose `root` is `root`, rendered
    /// on first use.
    ///
    /// `base.html`'s header and footer depend on `root` and the globals
    /// alone, and rendering them for every output was 4 % of a build's
    /// CPU. They are rendered once per `root` (with no `current_url`, so
    /// `rel` hrefs go through `root`), and every output gets them in
    /// `header_html` and `footer_html`. `base.html` decides whether it
    /// uses them: it includes the templates itself when they are not set.
    fn chrome(&self, root: &str) -> Option<Arc<Chrome>> {
        once_per_key(&self.chromes, root, || self.render_chrome(root))
    }

    fn render_chrome(&self, root: &str) -> Option<Chrome> {
        let mut ctx = self.base.clone();
        ctx.insert("root", root);
        let part = |name: &str| {
            self.theme.template_path(name)?;
            // A failure shows when the outputs render the template themselves.
            let html = self.tera.render(name, &ctx).ok()?;
            Some(Value::safe_string(&html))
        };
        let chrome = Chrome {
            header: part("header.html"),
            footer: part("footer.html"),
        };
        (chrome.header.is_some() || chrome.footer.is_some()).then_some(chrome)
    }

    /// Puts where an output is into `ctx`: its `root`, its `current_url`
    /// and the header and footer for that `root`.
    fn place(&self, ctx: &mut Context, root: &str, here: &str) {
        ctx.insert("root", root);
        ctx.insert("current_url", here);
        let chrome = self.chrome(root);
        let chrome = chrome.as_deref();
        set_or_remove(ctx, "header_html", chrome.and_then(|c| c.header.clone()));
        set_or_remove(ctx, "footer_html", chrome.and_then(|c| c.footer.clone()));
    }

    /// What this renderer prepared, to render pages of the same site
    /// again. With `keep_tables` (and a memo, which fingerprints what the
    /// tables are made from) its per-page tables go along, for the next
    /// renderer to adopt what an edit left as it was; else they (some
    /// 20 000 small maps at 10 000 pages) are freed on another thread, so
    /// the build does not wait for it.
    pub fn finish(self, keep_tables: bool) -> Prepared {
        let PerPage {
            cards,
            links,
            card_html,
            inputs,
            ..
        } = self.per_page;
        let carried = match (keep_tables, self.memo, inputs.into_inner()) {
            (true, Some(memo), Some(inputs)) => Some(Carried {
                card_base: memo.fingerprint("card.html", &self.base, &self.base),
                cards,
                links,
                card_html,
                made_from: inputs.cards,
                env: inputs.env,
            }),
            _ => {
                std::thread::spawn(move || drop((cards, links, card_html)));
                None
            }
        };
        Prepared {
            tera: self.tera,
            theme: self.theme,
            base: self.base,
            menus: self.menus,
            navs: self.navs,
            nav_vars: self.nav_vars,
            chromes: self.chromes,
            terms: self.terms,
            tables: Arc::new(std::sync::Mutex::new(carried)),
            base_url: self.site.config.base_url.clone(),
        }
    }

    /// Takes over the per-page tables of the renderer that prepared
    /// `from` ([`Renderer::finish`]), for every page whose card
    /// fingerprint was some page's then: its card, link and card HTML are
    /// made from the same values, and they are not made again. An entry
    /// follows its fingerprint, which covers the page's key, so pages
    /// added, removed or renamed since shift no one else's. Call it
    /// once the memo, its inputs ([`Renderer::set_inputs`]) and every
    /// global are set; without them, or after a change of configuration
    /// or of the globals `card.html` reads, nothing is taken and
    /// the tables are made empty. ([`Renderer::new`] with a `reuse` that
    /// carries tables makes none: until this call, cards and links are
    /// made where they are used, and listings render `card.html`
    /// themselves.) `from` may have been prepared with other templates
    /// (after a template edit): the cards and links are data, and the
    /// cards' HTML is taken only if `card.html` and what it reads are the
    /// same ([`Memo::fingerprint`]).
    pub fn adopt_tables(&mut self, from: &Prepared) {
        let old = from.tables.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some(old) = old else {
            // Tables made by `Renderer::new` (`from` was not its `reuse`)
            // stay; else they are made now.
            if self.per_page.cards.is_empty() {
                self.make_tables();
            }
            return;
        };
        let (Some(memo), Some(inputs)) = (self.memo, self.per_page.inputs.get()) else {
            return self.make_tables();
        };
        if old.env != inputs.env {
            return self.make_tables();
        }
        let same_html = old.card_base.is_some()
            && old.card_base == memo.fingerprint("card.html", &self.base, &self.base)
            && old.card_html.is_some() == reads_cards_html(&self.theme);
        let Carried {
            cards,
            links,
            card_html,
            made_from,
            ..
        } = old;
        // Where each page's entries were: most pages keep their index, or
        // are as many places on as pages came before them. Each is looked
        // for where the page before it was found (moved on by one), then
        // near there. A page found nowhere near is new, or its card
        // changed; once more than a few are, the others are looked up
        // among all.
        const NEAR: isize = 8;
        let mut by_fingerprint: Option<HashMap<u64, usize>> = None;
        let mut shift = 0isize;
        let mut not_near = 0;
        let mut now_at = vec![None; made_from.len()];
        for (i, now) in inputs.cards.iter().enumerate() {
            let at = |d: isize| {
                let j = i.checked_add_signed(shift + d)?;
                (made_from.get(j) == Some(now)).then_some(j)
            };
            let near = at(0).or_else(|| (1..=NEAR).find_map(|d| at(d).or_else(|| at(-d))));
            let was = match near {
                Some(j) => Some(j),
                None if not_near < NEAR => {
                    not_near += 1;
                    None
                }
                None => by_fingerprint
                    .get_or_insert_with(|| {
                        made_from.iter().enumerate().map(|(j, &f)| (f, j)).collect()
                    })
                    .get(now)
                    .copied(),
            };
            if let Some(j) = was {
                shift = j as isize - i as isize;
                now_at[j] = Some(i);
            }
        }
        let n = inputs.cards.len();
        self.per_page.cards = moved(cards, &now_at, n);
        self.per_page.links = moved(links, &now_at, n);
        self.per_page.card_html = match (same_html, card_html) {
            (true, Some(table)) => Some(table.moved(&now_at, n)),
            _ => card_html_table(self.site, &self.theme),
        };
    }

    /// Empty per-page tables (cards, links, card HTML) for every page.
    fn make_tables(&mut self) {
        self.per_page.cards = empty_table(self.site);
        self.per_page.links = empty_table(self.site);
        self.per_page.card_html = card_html_table(self.site, &self.theme);
    }

    /// A renderer over `site` with what an earlier one prepared: `site`
    /// must differ from that one's in page bodies only. It is for a few
    /// pages ([`Renderer::render_page`]), so it keeps no per-page tables.
    pub fn from_prepared(site: &'s Site, p: Prepared) -> Self {
        Renderer {
            per_page: PerPage::none(),
            site,
            tera: p.tera,
            theme: p.theme,
            base: p.base,
            menus: p.menus,
            navs: p.navs,
            list_navs: Default::default(),
            nav_vars: p.nav_vars,
            chromes: p.chromes,
            terms: p.terms,
            inject: None,
            memo: None,
        }
    }

    /// Takes the body HTML of every page (in site order), which the site
    /// then no longer holds: each is read once, when its page renders, and
    /// freed right after, so a build does not keep all bodies to its end.
    /// For one render of the site only: a page rendered again would have
    /// an empty body. An empty `bodies` leaves them in the site.
    pub fn hand_over_bodies(&mut self, bodies: Vec<String>) {
        self.per_page.bodies = bodies.into_iter().map(std::sync::Mutex::new).collect();
    }

    /// Adds a value every template sees (e.g. `insight` for the front page).
    pub fn set_global(&mut self, key: &'static str, value: Value) {
        assert!(
            CARD_GLOBALS.contains(&key),
            "global `{key}` is not in CARD_GLOBALS"
        );
        self.base.insert_value(key, value);
    }

    /// Renders `template` with `ctx` into HTML bytes (Tera writes UTF-8;
    /// rendering into bytes spares checking it again). With a memo, the
    /// output is copied once into a buffer of its size, which the memo and
    /// the sink share: the render buffer (32 KB, for most pages too much)
    /// is freed at once, and its memory is the next render's.
    fn render(&self, template: &str, ctx: &Context, source: &str) -> Result<Output, Diagnostic> {
        self.render_with(template, ctx, source, true)
    }

    /// [`Renderer::render`]; with `recall` false the memo is not asked
    /// for an earlier output of the same context (nor keeps this one
    /// under it), for outputs whose context costs more to fingerprint
    /// than to render.
    fn render_with(
        &self,
        template: &str,
        ctx: &Context,
        source: &str,
        recall: bool,
    ) -> Result<Output, Diagnostic> {
        let memo = self.memo.map(|m| {
            (
                m,
                recall.then(|| m.key(template, ctx, &self.base)).flatten(),
            )
        });
        if let Some(html) = memo.and_then(|(m, key)| m.recall(key?)) {
            return Ok(Output::Shared(html));
        }
        let mut html = Vec::with_capacity(32 * 1024);
        match self.tera.render_to(template, ctx, &mut html) {
            Ok(()) => {
                if let Some(script) = &self.inject {
                    let at = html
                        .windows(7)
                        .rposition(|w| w == b"</body>")
                        .unwrap_or(html.len());
                    html.splice(at..at, script.bytes());
                }
                Ok(match memo {
                    Some((m, key)) => {
                        let html = Arc::from(html);
                        m.remember(key, &html);
                        Output::Shared(html)
                    }
                    None => Output::Owned(html),
                })
            }
            Err(e) => {
                let msg = chain(&e);
                let (path, line, col) = match error_position(&e) {
                    Some((name, line, col)) => (template_file(&self.theme, &name), line, col),
                    None => (template_file(&self.theme, template), 1, 1),
                };
                Err(Diagnostic::error(
                    path,
                    line,
                    col,
                    format!("{RENDERING}{source}: {}", msg.replace('\n', " ")),
                ))
            }
        }
    }

    /// Puts the context of page `i` into `ctx`, a clone of the shared
    /// context reused from page to page: only the per-page keys are
    /// replaced, so the shared values are not copied for every page.
    fn page_context(&self, ctx: &mut Context, i: usize) {
        let site = self.site;
        let sp = &site.pages[i];
        let p = &sp.page;
        let lang = site.config.language;
        let root = relative_url(&p.url, "");
        let nav = self.nav(&p.section);
        let nav = nav.as_deref().filter(|nav| nav.fits(&p.url));
        set_or_remove(
            ctx,
            "nav_html",
            nav.map(|nav| Value::safe_string(&nav.marked(&p.url))),
        );
        self.place(ctx, &root, &p.url);
        let link = |j: usize| {
            cached(&self.per_page.links, j, || {
                let q = &site.pages[j];
                Value::from_serializable(&Link {
                    title: &q.page.meta.title,
                    url: &q.page.url,
                    kind: q.page.meta.kind.as_str(),
                    description: &q.page.meta.description,
                })
            })
        };
        // A handed-over body is taken: once copied into the context, it
        // is freed with this function's frame.
        let handed = self
            .per_page
            .bodies
            .get(i)
            .map(|b| std::mem::take(&mut *b.lock().unwrap_or_else(|e| e.into_inner())));
        let case = p.meta.case.as_ref().map(|c| CaseCtx {
            outcome: c.outcome.as_str(),
            outcome_label: site.strings.get(c.outcome.as_str()),
            reasons: &c.reasons,
            reason_labels: c
                .reasons
                .iter()
                .map(|r| crate::i18n::reason_label(r, lang))
                .collect(),
            industry: c.industry.as_deref(),
            deal_size: &c.deal_size,
            decision_maker_role: &c.decision_maker_role,
            lessons: &c.lessons,
            interview_date: c.interview_date.map(|d| d.to_string()),
            interview_date_fmt: c.interview_date.map(|d| d.format(lang)),
            anonymized: c.anonymized,
        });
        let lesson = sp.lesson.map(|(n, total)| {
            let sec = &site.sections[&p.section];
            Lesson {
                n,
                total,
                title: &sec.section.title,
                url: &sec.section.url,
            }
        });
        let source = display_path(&p.source);
        let page = PageCtx {
            title: &p.meta.title,
            description: &p.meta.description,
            url: &p.url,
            permalink: format!("{}{}", site.config.base_url, p.url),
            kind: p.meta.kind.as_str(),
            kind_label: site.strings.get(p.meta.kind.as_str()),
            draft: p.meta.draft,
            date: p.meta.date.map(|d| d.to_string()),
            date_fmt: p.meta.date.map(|d| d.format(lang)),
            updated: p.meta.updated.map(|d| d.to_string()),
            updated_fmt: p.meta.updated.map(|d| d.format(lang)),
            author: &p.meta.author,
            topics: terms_of(&self.terms.topics, &p.meta.topics),
            tags: terms_of(&self.terms.tags, &p.meta.tags),
            content: handed.as_deref().unwrap_or(&sp.content.html),
            toc: crate::markdown::Toc::of(&sp.content.headings),
            headings: sp.content.headings.len(),
            reading_time: sp.reading_time,
            words: sp.content.words,
            summary: &sp.content.summary,
            tasks: &sp.content.tasks,
            phase: p.meta.phase.as_deref(),
            case,
            related: sp.related.iter().map(|&j| link(j)).collect(),
            prev: sp.prev.map(link),
            next: sp.next.map(link),
            lesson,
            extra: &p.meta.extra,
            edit_url: site.config.edit_url_of(&source),
            source,
            section: &p.section,
            breadcrumbs: breadcrumbs(site, &p.section),
        };
        ctx.insert_value("page", Value::from_serializable(&page));
        match self.menu_section(&p.section) {
            Some(section) => ctx.insert_value("section", section),
            None => {
                ctx.remove("section");
            }
        }
    }

    /// `section` as content pages see it: `{title, url, course, pages}`
    /// with the section's menu entries (a clone of the prepared menu, not
    /// a second serialization).
    fn menu_section(&self, key: &str) -> Option<Value> {
        let menu = self.menus.get(key)?;
        let sec = &self.site.sections.get(key)?.section;
        Some(Value::from_serializable(&MenuSection {
            title: &sec.title,
            url: &sec.url,
            course: sec.course,
            pages: &menu.value,
        }))
    }

    fn section_context(&self, key: &str) -> Context {
        let site = self.site;
        let s = &site.sections[key];
        let mut ctx = self.base.clone();
        let root = relative_url(&s.section.url, "");
        self.place(&mut ctx, &root, &s.section.url);
        set_or_remove(&mut ctx, "cards_html", self.cards_html(&s.pages, &root));
        let subsections = s
            .subsections
            .iter()
            .map(|k| {
                let ss = &site.sections[k];
                SubsectionCtx {
                    title: &ss.section.title,
                    url: &ss.section.url,
                    description: &ss.section.description,
                    count: count_pages(site, k),
                }
            })
            .collect();
        let section = SectionCtx {
            key,
            title: &s.section.title,
            description: &s.section.description,
            url: &s.section.url,
            content: &s.content.html,
            toc: crate::markdown::Toc::of(&s.content.headings),
            course: s.section.course,
            extra: &s.section.extra,
            pages: self.card_list(&s.pages),
            subsections,
            breadcrumbs: breadcrumbs(site, s.section.parent.as_deref().unwrap_or("")),
            is_root: key.is_empty(),
            edit_url: s
                .section
                .source
                .as_ref()
                .and_then(|p| site.config.edit_url_of(&display_path(p))),
        };
        ctx.insert_value("section", Value::from_serializable(&section));
        ctx
    }

    /// The context of one page of a listing: `page_url` is where this page
    /// is, `list.url` the listing's own URL, `cards` this page's pages out
    /// of `total`.
    fn list_context(
        &self,
        list: &ListPage,
        title: &str,
        description: &str,
        cards: &[usize],
        total: usize,
    ) -> Context {
        let mut ctx = self.base.clone();
        let root = relative_url(&list.page_url, "");
        self.place(&mut ctx, &root, &list.page_url);
        set_or_remove(&mut ctx, "cards_html", self.cards_html(cards, &root));
        ctx.insert_value(
            "list",
            Value::from_serializable(&ListCtx {
                title,
                description,
                url: &list.url,
                pages: self.card_list(cards),
                total,
                pager: list.pager.as_ref(),
            }),
        );
        ctx
    }

    /// Renders `listing` split into pages of `[listing] per_page` cards:
    /// the first at its URL, the next ones at `side/2/`, `side/3/` … below
    /// it (`page/2/` in English).
    fn render_paged(&self, sink: &dyn Sink, listing: &Listing) -> Vec<Diagnostic> {
        let Listing {
            template,
            url,
            title,
            description,
            pages,
            inputs,
            extra,
            what,
        } = *listing;
        let per = self.site.config.listing.per_page;
        let chunks: Vec<&[usize]> = if per == 0 || pages.len() <= per {
            vec![pages]
        } else {
            pages.chunks(per).collect()
        };
        let lang = self.site.config.language;
        let count = chunks.len();
        // The listing's own fingerprint, once for all its pages (only
        // serve's memo asks for it).
        let frame = self.memo.map(|_| inputs(self.inputs()));
        // In pieces, so a long listing whose pages all changed (a page
        // added to it changes every page's count) is shared by the cores.
        chunks
            .par_iter()
            .enumerate()
            .with_max_len(8)
            .filter_map(|(i, cards)| {
                let path = index_html(&Urls::list_page(url, i + 1, lang));
                // Each page of a listing shows its own cards and the
                // listing's length: an edit to one card touches one page.
                let chunk =
                    |f: &Inputs| f.chunk(frame.unwrap_or_default(), i, count, pages.len(), cards);
                if self.keeps(&path, template, chunk) {
                    return None;
                }
                let list = ListPage::new(url, i + 1, count, lang);
                let mut ctx = self.list_context(&list, title, description, cards, pages.len());
                extra(&mut ctx);
                if i > 0 && self.nav_shared_by(&ctx) {
                    set_or_remove(&mut ctx, "nav_html", self.list_nav(&list.page_url));
                }
                // Given its cards' HTML, a listing page renders in less
                // time than fingerprinting its cards' fields takes (~30
                // against ~70 µs with the default theme): its inputs
                // changed, so it goes through Tera without asking the memo
                // for an earlier output of the same context.
                let recall = !ctx.contains_key("cards_html");
                let source = format!("{what} {}", list.page_url);
                match self.render_with(template, &ctx, &source, recall) {
                    Ok(html) => put_file(sink, path, html),
                    Err(d) => Some(d),
                }
            })
            .collect()
    }

    /// Pages as listings show them, each serialized once per build and
    /// shared by every listing it is on.
    fn card_list(&self, pages: &[usize]) -> Value {
        Value::from(
            pages
                .iter()
                .map(|&i| self.card_list_one(i))
                .collect::<Vec<Value>>(),
        )
    }

    /// Page `i` as listings show it, serialized once per build.
    fn card_list_one(&self, i: usize) -> Value {
        cached(&self.per_page.cards, i, || {
            Value::from_serializable(&summary(self.site, &self.site.pages[i]))
        })
    }

    /// The cards of `pages` as a listing at `root` shows them, for the
    /// context variable `cards_html`: `card.html` rendered for each page
    /// with `p` (its card), `h = 2`, `root` and the globals, and joined.
    ///
    /// A page is on many listings (its section's, its kind's, each of its
    /// topics' and tags'), and rendering its card again for each was a
    /// third of the listings' Tera time. Its card is rendered once per
    /// `root` now. `None` when no template reads `cards_html`, or a card
    /// fails (the listing then renders `card.html` itself, which reports it).
    fn cards_html(&self, pages: &[usize], root: &str) -> Option<Value> {
        let table = self.per_page.card_html.as_ref()?;
        let any_root = table.any_root
            && *table.globals_clear.get_or_init(|| {
                !CARD_GLOBALS
                    .iter()
                    .filter_map(|k| self.base.get(k))
                    .any(holds_root_mark)
            });
        // Page `i`'s card at `root`: its template with the root put in,
        // or rendered for this root.
        let card = |i: usize| -> Option<Arc<str>> {
            if !any_root {
                return self.card_html_of(i, root);
            }
            match table.template(i) {
                Some(entry) => entry
                    .get_or_init(|| self.card_template_of(i))
                    .as_ref()
                    .map(|t| t.at(root)),
                None => self.card_template_of(i).map(|t| t.at(root)),
            }
            .or_else(|| self.card_html_of(i, root))
        };
        let mut out = String::new();
        match table.column(root) {
            // Borrowed where they are kept: cloning each `Arc` wrote to
            // its count, a line of memory other threads read too.
            Some(column) => {
                let cards = pages
                    .iter()
                    .map(|&i| column.get(i)?.get_or_init(|| card(i)).as_deref())
                    .collect::<Option<Vec<&str>>>()?;
                out.reserve(cards.iter().map(|c| c.len()).sum());
                cards.iter().for_each(|c| out.push_str(c));
            }
            None => {
                for &i in pages {
                    out.push_str(&card(i)?);
                }
            }
        }
        Some(Value::safe_string(&out))
    }

    /// Page `i`'s `card.html` for a listing at `root`, rendered.
    fn card_html_of(&self, i: usize, root: &str) -> Option<Arc<str>> {
        let mut ctx = self.base.clone();
        ctx.insert("root", root);
        ctx.insert("h", &2);
        ctx.insert_value("p", self.card_list_one(i));
        let html = self.tera.render("card.html", &ctx).ok()?;
        Some(Arc::from(html))
    }

    /// Page `i`'s `card.html` for listings at any root: `None` when it
    /// fails, or when the card's own values hold [`ROOT_MARK`] (it is then
    /// rendered for each root).
    fn card_template_of(&self, i: usize) -> Option<CardTemplate> {
        let p = self.card_list_one(i);
        if holds_root_mark(&p) {
            return None;
        }
        let mut ctx = self.base.clone();
        ctx.insert("root", &ROOT_MARK.to_string());
        ctx.insert("h", &2);
        ctx.insert_value("p", p);
        let html = self.tera.render("card.html", &ctx).ok()?;
        Some(CardTemplate::new(&html))
    }

    /// Renders every page of the site into `sink`. Returns every problem.
    pub fn render_all(&self, sink: &dyn Sink) -> Vec<Diagnostic> {
        let site = self.site;

        // Pages, and beside them the listings: their largest renders start
        // first, so both cores stay busy to the end.
        // The rest (feeds, sitemap, static files) runs beside them too, not
        // after them on one core.
        let (mut problems, (listings, rest)) = rayon::join(
            || -> Vec<Diagnostic> {
                let Some(memo) = self.memo else {
                    // In pieces of at most 32 pages. Rayon splits a list
                    // only as far as it expects to need on this many
                    // cores (a quarter of it on two), so a core done with
                    // its other work (listings, search) found nothing left
                    // to take while the other rendered the rest of a
                    // quarter: ~100 ms with one core idle at the end of a
                    // 10 000-page build. The other long parallel loops of
                    // a build are cut into small pieces for the same reason.
                    return site
                        .pages
                        .par_iter()
                        .enumerate()
                        .with_max_len(32)
                        .map_init(
                            || self.base.clone(),
                            |ctx, (i, _)| self.page_into(ctx, i, sink),
                        )
                        .flatten()
                        .collect();
                };
                // In serve most pages are kept. The few to render (often
                // one section's, side by side in the list) are sorted out
                // first and then shared out: in the whole list, they would
                // fall in one core's stretch.
                let todo: Vec<usize> = (0..site.pages.len())
                    .into_par_iter()
                    .filter(|&i| !self.page_kept(memo, i))
                    .collect();
                todo.par_iter()
                    .with_max_len(32)
                    .map_init(|| self.base.clone(), |ctx, &i| self.page_into(ctx, i, sink))
                    .flatten()
                    .collect()
            },
            || rayon::join(|| self.render_listings(sink), || self.render_rest(sink)),
        );
        problems.extend(listings);
        problems.extend(rest);
        problems
    }

    /// Section pages, taxonomy indexes, term pages and the kind lists.
    /// Sections, taxonomies and kind lists do not wait for each other: in
    /// `serve`, where an edit renders a few of each, one after the other
    /// they kept one core waiting while the other rendered.
    fn render_listings(&self, sink: &dyn Sink) -> Vec<Diagnostic> {
        let (mut problems, (terms, lists)) = rayon::join(
            || self.render_sections(sink),
            || {
                rayon::join(
                    || self.render_taxonomies(sink),
                    || self.render_kind_lists(sink),
                )
            },
        );
        problems.extend(terms);
        problems.extend(lists);
        problems
    }

    /// Section pages (and the front page).
    fn render_sections(&self, sink: &dyn Sink) -> Vec<Diagnostic> {
        let site = self.site;
        let keys: Vec<&String> = site.sections.keys().collect();
        // Few and uneven: in small pieces (see `render_all`).
        keys.par_iter()
            .with_max_len(4)
            .filter_map(|k| {
                let s = &site.sections[k.as_str()];
                let tpl = s.section.template.clone().unwrap_or_else(|| {
                    if k.is_empty() {
                        "index.html".into()
                    } else {
                        "section.html".into()
                    }
                });
                if self.keeps(&index_html(&s.section.url), &tpl, |f| {
                    f.sections[k.as_str()]
                }) {
                    return None;
                }
                let ctx = self.section_context(k);
                let source = s
                    .section
                    .source
                    .as_ref()
                    .map(|p| display_path(p))
                    .unwrap_or_else(|| format!("content/{k}"));
                match self.render(&tpl, &ctx, &source) {
                    Ok(html) => put_file(sink, index_html(&s.section.url), html),
                    Err(d) => Some(d),
                }
            })
            .collect()
    }

    /// Taxonomies: an index per taxonomy and a page per term.
    fn render_taxonomies(&self, sink: &dyn Sink) -> Vec<Diagnostic> {
        let site = self.site;
        let lang = site.config.language;
        let mut problems = Vec::new();
        for (tax, terms) in [
            (Taxonomy::Topics, &site.topics),
            (Taxonomy::Tags, &site.tags),
        ] {
            let folder = format!("{}/", tax.folder(lang));
            let title = site
                .strings
                .get(if tax == Taxonomy::Topics {
                    "topics"
                } else {
                    "tags"
                })
                .cloned()
                .unwrap_or_default();
            // The index shows every term (with its count) and nothing else
            // of the pages.
            let index = |f: &Inputs| {
                use std::hash::{Hash, Hasher};
                let mut h = crate::serve::memo::Fingerprint::default();
                (f.env, tax).hash(&mut h);
                terms.values().for_each(|t| f.terms[&t.url].hash(&mut h));
                h.finish()
            };
            if !self.keeps(&index_html(&folder), "taxonomy.html", index) {
                let mut ctx = self.base.clone();
                self.place(&mut ctx, &relative_url(&folder, ""), &folder);
                // Topics in `site.toml`'s order (as `site.topics`, so a
                // theme colours each alike on both pages), others after.
                let mut list: Vec<&Term> = terms.values().collect();
                if tax == Taxonomy::Topics {
                    let config = &site.config.topics;
                    list.sort_by_key(|t| {
                        config
                            .iter()
                            .position(|c| crate::content::slug::slugify(&c.slug) == t.slug)
                            .unwrap_or(usize::MAX)
                    });
                }
                ctx.insert(
                    "taxonomy",
                    &serde_json::json!({"title": title, "url": folder, "kind": tax, "terms": list.into_iter().map(term_ctx).collect::<Vec<_>>()}),
                );
                match self.render(
                    "taxonomy.html",
                    &ctx,
                    &format!("the {} index", tax.folder(lang)),
                ) {
                    Ok(html) => problems.extend(put_file(sink, index_html(&folder), html)),
                    Err(d) => problems.push(d),
                }
            }
            // The longest term pages first.
            let mut term_list: Vec<(&String, &Term)> = terms.iter().collect();
            term_list.sort_by_key(|(_, t)| std::cmp::Reverse(t.pages.len()));
            let values = self.terms.of(tax);
            let term_problems: Vec<Diagnostic> = term_list
                .par_iter()
                // Each term on its own: they differ in size by hundreds.
                .with_max_len(1)
                .flat_map(|&(slug, t)| {
                    self.render_paged(
                        sink,
                        &Listing {
                            template: "term.html",
                            url: &t.url,
                            title: &t.title,
                            description: &t.description,
                            pages: &t.pages,
                            inputs: &|f: &Inputs| f.terms[&t.url],
                            extra: &|ctx: &mut Context| {
                                ctx.insert_value("term", values[slug].clone());
                                ctx.insert(
                                    "taxonomy",
                                    &serde_json::json!({"title": title, "url": folder, "kind": tax}),
                                );
                            },
                            what: "the term page",
                        },
                    )
                })
                .collect();
            problems.extend(term_problems);
        }
        problems
    }

    /// One list per kind, and "Nytt".
    fn render_kind_lists(&self, sink: &dyn Sink) -> Vec<Diagnostic> {
        let site = self.site;
        let lang = site.config.language;
        // Each sorted whole, so side by side.
        let mut lists: Vec<(String, String, Vec<usize>)> = Kind::ALL
            .par_iter()
            .map(|&kind| {
                let of_kind =
                    (0..site.pages.len()).filter(|&i| site.pages[i].page.meta.kind == kind);
                let pages = newest(site, of_kind, usize::MAX);
                let key = match kind {
                    Kind::Article => "articles",
                    Kind::Checklist => "checklists",
                    Kind::Case => "cases",
                };
                (
                    Urls::kind_list(kind, lang),
                    site.strings[key].clone(),
                    pages,
                )
            })
            .collect();
        lists.push((
            Urls::new_list(lang).to_string(),
            site.strings["new"].clone(),
            newest(site, dated(site), 50),
        ));
        // The longest lists first (`alle/artikler/` lists most pages).
        lists.sort_by_key(|(_, _, pages)| std::cmp::Reverse(pages.len()));
        lists
            .par_iter()
            .flat_map(|(url, title, pages)| {
                self.render_paged(
                    sink,
                    &Listing {
                        template: "list.html",
                        url,
                        title,
                        description: "",
                        pages,
                        inputs: &|f: &Inputs| f.env,
                        extra: &|_: &mut Context| {},
                        what: "the list",
                    },
                )
            })
            .collect()
    }

    /// Each course whole on one page (`kurs/hele-kurset/`): its lessons'
    /// bodies one after the other, made to fit one page ([`crate::course`]).
    fn render_courses(&self, sink: &dyn Sink) -> Vec<Diagnostic> {
        let site = self.site;
        let lang = site.config.language;
        // `leksjon-2`: no lesson's slug can meet an id of the theme's.
        let word = match lang {
            Language::Nb => "leksjon",
            Language::En => "lesson",
        };
        let mut problems = Vec::new();
        for s in site.sections.values() {
            if !s.section.course || s.pages.is_empty() {
                continue;
            }
            let url = format!("{}{}", s.section.url, Urls::course_page(lang));
            let anchors: Vec<String> = (1..=s.pages.len()).map(|n| format!("{word}-{n}")).collect();
            let inputs = || {
                use std::hash::{Hash, Hasher};
                let mut h = crate::serve::memo::Fingerprint::default();
                (&s.section.title, &s.section.description).hash(&mut h);
                for &i in &s.pages {
                    let p = &site.pages[i];
                    (&p.page.url, &p.page.meta.title, &p.page.meta.description).hash(&mut h);
                    (p.page.meta.kind.as_str(), p.reading_time, &p.content.html).hash(&mut h);
                }
                h.finish()
            };
            if self.keeps_extra("course-page.html", &url, inputs) {
                continue;
            }
            let lessons = crate::course::Lessons {
                anchors: s
                    .pages
                    .iter()
                    .zip(&anchors)
                    .map(|(&i, a)| (site.pages[i].page.url.as_str(), a.as_str()))
                    .collect(),
                page: &url,
            };
            let list: Vec<serde_json::Value> = s
                .pages
                .iter()
                .enumerate()
                .map(|(n, &i)| {
                    let p = &site.pages[i];
                    serde_json::json!({
                        "n": n + 1,
                        "title": p.page.meta.title,
                        "description": p.page.meta.description,
                        "url": p.page.url,
                        "kind": p.page.meta.kind.as_str(),
                        "reading_time": p.reading_time,
                        "anchor": anchors[n],
                        "content": crate::course::lesson_body(
                            &p.content.html,
                            &p.page.url,
                            &anchors[n],
                            &p.page.meta.title,
                            &lessons,
                        ),
                    })
                })
                .collect();
            // On a printed handout, a QR code of the course online (where
            // base_url has a host: an address a phone can open).
            let permalink = format!("{}{}", site.config.base_url, s.section.url);
            let qr = permalink
                .contains("://")
                .then(|| crate::qr::svg(&permalink))
                .flatten();
            let mut ctx = self.base.clone();
            self.place(&mut ctx, &relative_url(&url, ""), &url);
            ctx.insert(
                "course",
                &serde_json::json!({
                    "title": s.section.title,
                    "description": s.section.description,
                    "url": s.section.url,
                    "permalink": permalink,
                    "qr": qr,
                    "reading_time": s.pages.iter().map(|&i| site.pages[i].reading_time).sum::<usize>(),
                    "lessons": list,
                }),
            );
            match self.render(
                "course-page.html",
                &ctx,
                &format!("the whole course /{}", s.section.url),
            ) {
                Ok(html) => problems.extend(put_file(sink, index_html(&url), html)),
                Err(d) => problems.push(d),
            }
        }
        problems
    }

    /// Search page, 404, aliases, static files, assets and machine files.
    fn render_rest(&self, sink: &dyn Sink) -> Vec<Diagnostic> {
        let site = self.site;
        let mut problems = Vec::new();
        let lang = site.config.language;

        // Search page, 404, aliases.
        // None of them is made from more than the shared context (which
        // the memo's key of a kept output covers) and what is hashed here.
        if site.config.search.enabled && !self.keeps_extra("search.html", Urls::search(lang), || 0)
        {
            let url = Urls::search(lang);
            let mut ctx = self.base.clone();
            self.place(&mut ctx, &relative_url(url, ""), url);
            match self.render("search.html", &ctx, "the search page") {
                Ok(html) => problems.extend(put_file(sink, index_html(url), html)),
                Err(d) => problems.push(d),
            }
        }
        if !self.keeps("404.html", "404.html", |f| f.with_env(0)) {
            let mut ctx = self.base.clone();
            // The 404 page is served at any depth: its links are absolute.
            self.place(&mut ctx, &site.config.base_path(), "404.html");
            match self.render("404.html", &ctx, "the 404 page") {
                Ok(html) => problems.extend(put_file(sink, "404.html".into(), html)),
                Err(d) => problems.push(d),
            }
        }
        // What a reader without a network sees for a page not kept: served
        // in place of any page, so its links are absolute too.
        if site.config.offline.enabled
            && !self.keeps("offline.html", "offline.html", |f| f.with_env(0))
        {
            let mut ctx = self.base.clone();
            self.place(&mut ctx, &site.config.base_path(), "offline.html");
            match self.render("offline.html", &ctx, "the offline page") {
                Ok(html) => problems.extend(put_file(sink, "offline.html".into(), html)),
                Err(d) => problems.push(d),
            }
        }
        let mut aliases: Vec<(String, String, String)> = Vec::new();
        for sp in &site.pages {
            for a in &sp.page.meta.aliases {
                aliases.push((
                    crate::site::alias_url(a, &site.config),
                    sp.page.url.clone(),
                    sp.page.meta.title.clone(),
                ));
            }
        }
        for s in site.sections.values() {
            for a in &s.section.aliases {
                aliases.push((
                    crate::site::alias_url(a, &site.config),
                    s.section.url.clone(),
                    s.section.title.clone(),
                ));
            }
        }
        for (from, to, title) in aliases {
            let inputs = || {
                use std::hash::{Hash, Hasher};
                let mut h = crate::serve::memo::Fingerprint::default();
                (&to, &title).hash(&mut h);
                h.finish()
            };
            if self.keeps_extra("alias.html", &from, inputs) {
                continue;
            }
            let mut ctx = self.base.clone();
            ctx.insert("root", &relative_url(&from, ""));
            ctx.insert("target", &relative_url(&from, &to));
            ctx.insert("permalink", &format!("{}{}", site.config.base_url, to));
            ctx.insert("title", &title);
            match self.render("alias.html", &ctx, &format!("the alias /{from}")) {
                Ok(html) => problems.extend(put_file(sink, index_html(&from), html)),
                Err(d) => problems.push(d),
            }
        }

        problems.extend(self.render_courses(sink));

        // Static files of the theme and the site (the offline worker only
        // where the site reads offline).
        for s in &self.theme.statics {
            if s.out_path() == "sw.js" && !site.config.offline.enabled {
                continue;
            }
            let bytes = match s {
                crate::theme::StaticFile::Embedded { bytes, .. } => Ok(bytes.to_vec()),
                crate::theme::StaticFile::Disk { from, .. } => std::fs::read(from),
            };
            match bytes {
                Ok(b) => problems.extend(put_file(sink, s.out_path().to_string(), b)),
                // Gone since the theme was read (a tool's short-lived
                // file): it is not there to publish, and `serve` sees it go.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => problems.push(Diagnostic::error(
                    match s {
                        crate::theme::StaticFile::Disk { from, .. } => {
                            display_path(from.strip_prefix(&site.root).unwrap_or(from))
                        }
                        _ => s.out_path().to_string(),
                    },
                    0,
                    0,
                    format!("cannot read static file: {e}"),
                )),
            }
        }
        // Content assets (bundle files, images beside pages).
        let asset_problems: Vec<Diagnostic> = site
            .assets
            .par_iter()
            .filter_map(|a| match std::fs::read(&a.from) {
                Ok(b) => put_file(sink, a.to.clone(), b),
                // Gone since `content/` was read: as above.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => Some(Diagnostic::error(
                    display_path(a.from.strip_prefix(&site.root).unwrap_or(&a.from)),
                    0,
                    0,
                    format!("cannot read asset: {e}"),
                )),
            })
            .collect();
        problems.extend(asset_problems);

        // Machine files.
        if !self.keeps_file("sitemap.xml", || self.inputs().sitemap) {
            problems.extend(put_file(
                sink,
                "sitemap.xml".into(),
                sitemap(site).into_bytes(),
            ));
        }
        problems.extend(put_file(sink, "atom.xml".into(), atom(site).into_bytes()));
        problems.extend(put_file(
            sink,
            "robots.txt".into(),
            robots(site).into_bytes(),
        ));
        problems
    }

    /// Renders page `i` alone into `sink` (`serve`, after a body edit).
    pub fn render_page(&self, i: usize, sink: &dyn Sink) -> Option<Diagnostic> {
        self.page_into(&mut self.base.clone(), i, sink)
    }

    /// Whether `memo` keeps page `i` as it is served.
    fn page_kept(&self, memo: &dyn Memo, i: usize) -> bool {
        let page = &self.site.pages[i].page;
        let tpl = page.meta.template_name();
        // A kept page costs no allocation, nor a look at its URL.
        let path = || index_html(&page.url);
        memo.keep_page(i, &path, tpl, self.inputs().pages[i], &self.base)
    }

    /// Renders page `i` with `ctx`, a clone of the shared context (reused
    /// from page to page).
    fn page_into(&self, ctx: &mut Context, i: usize, sink: &dyn Sink) -> Option<Diagnostic> {
        let sp = &self.site.pages[i];
        let tpl = sp.page.meta.template_name();
        self.page_context(ctx, i);
        match self.render(tpl, ctx, &display_path(&sp.page.source)) {
            Ok(html) => put_file(sink, index_html(&sp.page.url), html),
            Err(d) => Some(d),
        }
    }

    /// The memo's fingerprints of this site, worked out beforehand (else
    /// the first output that needs them does, while other threads wait).
    pub fn set_inputs(&mut self, inputs: Inputs) {
        self.per_page.inputs = std::sync::OnceLock::from(inputs);
    }

    /// Whether the memo keeps the extra page at `url` ([`Renderer::render_extra`]
    /// with `template`) as it is served, so its context need not even be
    /// built: `inputs` fingerprints everything that context is made from
    /// other than the configuration and translations.
    pub fn keeps_extra(&self, template: &str, url: &str, inputs: impl FnOnce() -> u64) -> bool {
        self.keeps(&index_html(url), template, |f| f.with_env(inputs()))
    }

    /// Whether the memo keeps the file at `path`, made without a template,
    /// as it is served: `inputs` fingerprints everything it is made from
    /// other than the configuration and translations.
    pub fn keeps_file(&self, path: &str, inputs: impl FnOnce() -> u64) -> bool {
        match self.memo {
            Some(m) => m.keep_file(path, self.inputs().with_env(inputs())),
            None => false,
        }
    }

    /// Renders an extra page from a template with additional context
    /// (used by passes such as insight).
    pub fn render_extra(
        &self,
        template: &str,
        url: &str,
        extra: Vec<(&'static str, Value)>,
        sink: &dyn Sink,
    ) -> Option<Diagnostic> {
        let mut ctx = self.base.clone();
        self.place(&mut ctx, &relative_url(url, ""), url);
        for (k, v) in extra {
            ctx.insert_value(k, v);
        }
        match self.render(template, &ctx, &format!("/{url}")) {
            Ok(html) => put_file(sink, index_html(url), html),
            Err(d) => Some(d),
        }
    }
}

/// Writes one output file; a failure becomes a diagnostic at its path.
fn put_file(sink: &dyn Sink, path: String, bytes: impl Into<Output>) -> Option<Diagnostic> {
    match bytes.into() {
        Output::Owned(bytes) => sink.put(&path, bytes),
        Output::Shared(bytes) => sink.put_shared(&path, bytes),
    }
    .err()
    .map(|e| Diagnostic::error(&path, 0, 0, format!("cannot write output file: {e}")))
}

/// Fingerprints of what the contexts of pages, sections and term pages
/// are built from, for [`Memo::keep`]. Each covers more than its context
/// reads today — the whole front matter and content of the page, its
/// section whole and the sections up its chain without their pages
/// (which no context shows), every page listed with it (for a page of a
/// listing, the cards on that page), linked from it, or below a section —
/// so a field added to a context from any of those is covered too.
/// Anything else a context gains must be added here.
pub struct Inputs {
    pages: Vec<u64>,
    sections: HashMap<String, u64>,
    /// Each term without its pages' cards (see [`Inputs::chunk`]), by URL.
    terms: Fast<String, u64>,
    /// What the sitemap is made from.
    sitemap: u64,
    /// Each page as listings show it.
    cards: Vec<u64>,
    /// The configuration and translations.
    env: u64,
}

/// Feeds serialized values to a hasher.
struct HashWriter<'a, H: std::hash::Hasher>(&'a mut H);
impl<H: std::hash::Hasher> std::io::Write for HashWriter<'_, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Feeds `v`, serialized as JSON, to `h` (without building the text).
pub fn hash_json<H: std::hash::Hasher>(h: &mut H, v: &impl Serialize) {
    let _ = serde_json::to_writer(HashWriter(h), v);
    h.write_u8(0xff);
}

/// A page's fingerprints for serve's memo: its front matter, the rest of
/// it (`plain` aside, which only restates the text of `html`), its card
/// (the page as others show it: link, summary, counts), and what the
/// sitemap shows of it (URL and last change).
#[derive(Debug, Clone, Copy)]
pub struct PageFingerprints {
    pub meta: u64,
    pub body: u64,
    pub card: u64,
    pub sitemap: u64,
}

/// The fingerprints of `sp`, worked out once and kept with the page between
/// rebuilds (`SitePage::derived`): a front matter edit hashes only the
/// pages it touched.
pub fn page_fingerprints(sp: &SitePage) -> PageFingerprints {
    use crate::serve::memo::Fingerprint;
    use std::hash::{Hash, Hasher};
    let [meta, body, card, sitemap] = sp.derived(|sp| {
        let (p, c) = (&sp.page, &sp.content);
        // The two costly parts travel with the front matter and the
        // rendered body, so pages a whole rebuild takes from serve's
        // caches do not hash them again.
        let meta = p.meta.fingerprint(|m| {
            let mut f = Fingerprint::default();
            hash_json(&mut f, m);
            f.finish()
        });
        let text = c.fingerprint(|c| {
            let mut f = Fingerprint::default();
            (&c.html, c.words, &c.summary).hash(&mut f);
            (&c.headings, &c.tasks).hash(&mut f);
            f.finish()
        });
        let mut body = Fingerprint::default();
        (&p.key, &p.url, &p.source, &p.section, text).hash(&mut body);
        let mut card = Fingerprint::default();
        (meta, &p.key, &p.url, &p.section, &c.summary).hash(&mut card);
        let counts = (c.words, c.headings.len(), c.tasks.len());
        (sp.reading_time, counts).hash(&mut card);
        let mut sitemap = Fingerprint::default();
        (&p.url, p.meta.updated.max(p.meta.date)).hash(&mut sitemap);
        [meta, body.finish(), card.finish(), sitemap.finish()]
    });
    PageFingerprints {
        meta,
        body,
        card,
        sitemap,
    }
}

/// A map keyed by names this program made: hashed fast.
type Fast<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<crate::serve::memo::Fingerprint>>;

impl Inputs {
    /// The fingerprints of `site`'s outputs. What `memo` says no template
    /// reads ([`Memo::reads`]) is left out.
    pub fn of(site: &Site, memo: Option<&dyn Memo>) -> Inputs {
        use crate::serve::memo::Fingerprint;
        use std::hash::{Hash, Hasher};
        let mut env = Fingerprint::default();
        hash_json(&mut env, &site.config);
        hash_json(&mut env, &site.strings);
        let env = env.finish();
        let own: Vec<PageFingerprints> = site.pages.par_iter().map(page_fingerprints).collect();
        let cards: Vec<u64> = own.iter().map(|o| o.card).collect();
        // The sitemap lists every section and page.
        let mut sitemap = Fingerprint::default();
        for sec in site.sections.values() {
            sec.section.url.hash(&mut sitemap);
        }
        own.iter().for_each(|o| o.sitemap.hash(&mut sitemap));
        let sitemap = sitemap.finish();
        // A section's front matter (its title, URL, course: what
        // breadcrumbs and menus show of it); with its subsections (what
        // its listing shows of them); then with its text, as its own
        // listing shows it.
        let section_front: Fast<&str, u64> = site
            .sections
            .iter()
            .map(|(k, s)| {
                let mut h = Fingerprint::default();
                hash_json(&mut h, &s.section);
                (k.as_str(), h.finish())
            })
            .collect();
        let section_shown: Fast<&str, u64> = site
            .sections
            .iter()
            .map(|(k, s)| {
                let mut h = Fingerprint::default();
                section_front.get(k.as_str()).hash(&mut h);
                s.subsections.hash(&mut h);
                (k.as_str(), h.finish())
            })
            .collect();
        let section_head: Fast<&str, u64> = site
            .sections
            .iter()
            .map(|(k, s)| {
                let mut h = Fingerprint::default();
                section_shown.get(k.as_str()).hash(&mut h);
                s.content.html.hash(&mut h);
                s.content.headings.hash(&mut h);
                s.content.summary.hash(&mut h);
                (k.as_str(), h.finish())
            })
            .collect();
        // A section with the cards of its pages, after `head`: one of the
        // three above.
        let with_cards = |head: &Fast<&str, u64>| -> Fast<&str, u64> {
            site.sections
                .iter()
                .map(|(k, s)| {
                    let mut h = Fingerprint::default();
                    head.get(k.as_str()).hash(&mut h);
                    for &j in &s.pages {
                        cards[j].hash(&mut h);
                    }
                    (k.as_str(), h.finish())
                })
                .collect()
        };
        let section_own = with_cards(&section_head);
        // A section, as `own` gives it, with the front matter of the
        // sections up its chain (breadcrumbs show their titles and URLs):
        // for its own listing, or for its pages, which show its title and
        // menu but neither its text nor its subsections.
        let chain = |own: &Fast<&str, u64>| -> Fast<&str, u64> {
            site.sections
                .keys()
                .map(|k| {
                    let mut h = Fingerprint::default();
                    own.get(k.as_str()).hash(&mut h);
                    let mut cur = k.as_str();
                    while let Some(parent) = site.sections[cur].section.parent.as_deref() {
                        let Some((parent, _)) = site.sections.get_key_value(parent) else {
                            break;
                        };
                        section_front.get(parent.as_str()).hash(&mut h);
                        cur = parent.as_str();
                    }
                    (k.as_str(), h.finish())
                })
                .collect()
        };
        let chains = chain(&section_own);
        let page_chains = chain(&with_cards(&section_front));
        // A section as its ancestors' listings count and show it.
        let section_listed = with_cards(&section_shown);
        // The terms each page shows, as they show: one sum per page, of
        // its terms' fingerprints (the order of its names is in its front
        // matter), made from the terms' page lists, not from the names.
        // Each term's page count is in the context of every page that
        // shows it, so a page added to a topic touches half the site: it
        // counts only where the page's template may print it.
        let mut shown_terms = vec![0u64; site.pages.len()];
        let mut counted: HashMap<&str, bool> = HashMap::new();
        let counts: Vec<bool> = site
            .pages
            .iter()
            .map(|sp| {
                let tpl = sp.page.meta.template_name();
                *counted.entry(tpl).or_insert_with(|| {
                    memo.is_none_or(|m| {
                        ["topics", "tags"]
                            .iter()
                            .any(|tax| m.reads(tpl, &["page", tax, "[]", "count"]))
                    })
                })
            })
            .collect();
        for (tax, map) in [(0u8, &site.topics), (1, &site.tags)] {
            for t in map.values() {
                let mut h = Fingerprint::default();
                (tax, &t.name, &t.title, &t.url).hash(&mut h);
                let fp = h.finish();
                t.pages.len().hash(&mut h);
                let with_count = h.finish();
                for &i in &t.pages {
                    let fp = if counts[i] { with_count } else { fp };
                    shown_terms[i] = shown_terms[i].wrapping_add(fp);
                }
            }
        }
        // The page itself, and what it shows of others.
        let pages: Vec<u64> = site
            .pages
            .par_iter()
            .zip(&own)
            .zip(&shown_terms)
            .map(|((sp, own), terms)| {
                let mut h = Fingerprint::default();
                (env, own.meta, own.body).hash(&mut h);
                (sp.reading_time, sp.lesson).hash(&mut h);
                // "Les også", then previous and next, each told apart.
                sp.related.len().hash(&mut h);
                for &j in &sp.related {
                    cards[j].hash(&mut h);
                }
                (sp.prev.map(|j| cards[j]), sp.next.map(|j| cards[j])).hash(&mut h);
                terms.hash(&mut h);
                page_chains.get(sp.page.section.as_str()).hash(&mut h);
                h.finish()
            })
            .collect();
        // A section's whole subtree (its pages and every section below),
        // for counts and listings: worked out from the deepest up. A
        // listing shows its subsections' front matter, not their text (its
        // own text is in its chain).
        let mut subtree: Fast<&str, u64> = Fast::default();
        for (k, _) in site.sections.iter().rev() {
            subtree_of(site, k, &section_listed, &mut subtree);
        }
        let sections = site
            .sections
            .iter()
            .map(|(k, s)| {
                let mut h = Fingerprint::default();
                env.hash(&mut h);
                chains.get(k.as_str()).hash(&mut h);
                for sub in &s.subsections {
                    subtree.get(sub.as_str()).hash(&mut h);
                }
                subtree.get(k.as_str()).hash(&mut h);
                (k.clone(), h.finish())
            })
            .collect();
        let terms = site
            .topics
            .values()
            .chain(site.tags.values())
            .map(|t| {
                let mut h = Fingerprint::default();
                env.hash(&mut h);
                hash_json(&mut h, t);
                t.pages.len().hash(&mut h);
                (t.url.clone(), h.finish())
            })
            .collect();
        Inputs {
            pages,
            sections,
            terms,
            sitemap,
            cards,
            env,
        }
    }

    /// `inputs` with the configuration and translations.
    fn with_env(&self, inputs: u64) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::serve::memo::Fingerprint::default();
        (self.env, inputs).hash(&mut h);
        h.finish()
    }

    /// Page `index` of `count` of a listing of `total` pages that shows
    /// `cards`, where `frame` fingerprints the rest of the listing (its
    /// term, or just the environment).
    fn chunk(&self, frame: u64, index: usize, count: usize, total: usize, cards: &[usize]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::serve::memo::Fingerprint::default();
        (frame, index, count, total, cards.len()).hash(&mut h);
        cards.iter().for_each(|&j| self.cards[j].hash(&mut h));
        h.finish()
    }
}

impl Renderer<'_> {
    /// Whether the memo keeps the output at `path` as it was.
    fn keeps(&self, path: &str, template: &str, inputs: impl FnOnce(&Inputs) -> u64) -> bool {
        match self.memo {
            Some(m) => m.keep(path, template, inputs(self.inputs()), &self.base),
            None => false,
        }
    }

    fn inputs(&self) -> &Inputs {
        self.per_page
            .inputs
            .get_or_init(|| Inputs::of(self.site, self.memo))
    }
}

/// The pages with a date: what the newest lists, the front page and the
/// feed choose from.
fn dated(site: &Site) -> impl Iterator<Item = usize> + '_ {
    (0..site.pages.len()).filter(|&i| site.pages[i].page.meta.date.is_some())
}

/// The first `limit` of `pages`, newest first (last update, else date),
/// then by key. Only those are sorted: a feed or "Nytt" of a large site
/// picks a few pages out of thousands.
fn newest(site: &Site, pages: impl Iterator<Item = usize>, limit: usize) -> Vec<usize> {
    // The date as one integer (none sorts last), so most comparisons
    // decide on it alone.
    let day = |d: Option<crate::content::date::Date>| {
        d.map_or(0, |d| {
            (i64::from(d.year) + (1 << 31)) << 9 | i64::from(d.month) << 5 | i64::from(d.day)
        })
    };
    let mut keyed: Vec<_> = pages
        .map(|i| {
            let p = &site.pages[i].page;
            (
                std::cmp::Reverse(day(p.meta.updated.max(p.meta.date))),
                p.key.as_str(),
                i,
            )
        })
        .collect();
    if keyed.len() > limit {
        keyed.select_nth_unstable(limit);
        keyed.truncate(limit);
    }
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

/// The fingerprint of section `key` with every section below it, pages
/// and all (`own`: each section with its own pages), kept in `done`.
fn subtree_of<'a, S: std::hash::BuildHasher>(
    site: &'a Site,
    key: &'a str,
    own: &HashMap<&str, u64, S>,
    done: &mut HashMap<&'a str, u64, S>,
) -> u64 {
    use std::hash::{Hash, Hasher};
    if let Some(&h) = done.get(key) {
        return h;
    }
    let mut h = crate::serve::memo::Fingerprint::default();
    own.get(key).hash(&mut h);
    if let Some((key, s)) = site.sections.get_key_value(key) {
        for sub in &s.subsections {
            subtree_of(site, sub, own, done).hash(&mut h);
        }
        let h = h.finish();
        done.insert(key.as_str(), h);
        return h;
    }
    h.finish()
}

fn count_pages(site: &Site, key: &str) -> usize {
    let s = &site.sections[key];
    s.pages.len()
        + s.subsections
            .iter()
            .map(|k| count_pages(site, k))
            .sum::<usize>()
}

fn term_ctx(t: &Term) -> TermCtx {
    TermCtx {
        name: t.name.clone(),
        title: t.title.clone(),
        description: t.description.clone(),
        url: t.url.clone(),
        count: t.pages.len(),
    }
}

/// The terms `names` as pages show them (`values` by slug).
fn terms_of(values: &HashMap<String, Value>, names: &[String]) -> Vec<Value> {
    names
        .iter()
        .filter_map(|n| values.get(&crate::content::slug::slugify(n)).cloned())
        .collect()
}

fn breadcrumbs<'a>(site: &'a Site, section: &str) -> Vec<Crumb<'a>> {
    let mut crumbs = Vec::new();
    let mut key = Some(section);
    while let Some(k) = key {
        let Some(s) = site.sections.get(k) else {
            break;
        };
        crumbs.push(Crumb {
            title: if k.is_empty() {
                &site.strings["home"]
            } else {
                &s.section.title
            },
            url: &s.section.url,
        });
        key = s.section.parent.as_deref();
    }
    crumbs.reverse();
    crumbs
}

fn summary<'a>(site: &Site, sp: &'a SitePage) -> Summary<'a> {
    let m = &sp.page.meta;
    let lang = site.config.language;
    Summary {
        title: &m.title,
        url: &sp.page.url,
        kind: m.kind.as_str(),
        description: &m.description,
        summary: &sp.content.summary,
        date: m.date.map(|d| d.to_string()),
        date_fmt: m.date.map(|d| d.format(lang)),
        updated_fmt: m.updated.map(|d| d.format(lang)),
        reading_time: sp.reading_time,
        topics: &m.topics,
        tags: &m.tags,
        outcome: m.case.as_ref().map(|c| c.outcome.as_str()),
        reasons: m.case.as_ref().map(|c| c.reasons.as_slice()).unwrap_or(&[]),
        industry: m.case.as_ref().and_then(|c| c.industry.as_deref()),
        phase: m.phase.as_deref(),
        weight: m.weight,
        draft: m.draft,
    }
}

fn site_context(site: &Site) -> Value {
    let c = &site.config;
    let lang = c.language;
    let top: Vec<_> = site
        .sections
        .get("")
        .map(|root| {
            root.subsections
                .iter()
                .map(|k| {
                    let s = &site.sections[k];
                    serde_json::json!({"title": s.section.title, "url": s.section.url, "course": s.section.course, "description": s.section.description})
                })
                .collect()
        })
        .unwrap_or_default();
    let courses: Vec<_> = site
        .sections
        .values()
        .filter(|s| s.section.course)
        .map(|s| serde_json::json!({"title": s.section.title, "url": s.section.url, "description": s.section.description, "lessons": s.pages.len()}))
        .collect();
    let newest: Vec<Summary> = newest(site, dated(site), 6)
        .iter()
        .map(|&i| summary(site, &site.pages[i]))
        .collect();
    let core_topics: Vec<_> = c
        .topics
        .iter()
        .filter_map(|t| site.topics.get(&crate::content::slug::slugify(&t.slug)))
        .map(term_ctx)
        .collect();
    let mut counts: BTreeMap<&str, usize> = Kind::ALL.iter().map(|k| (k.as_str(), 0)).collect();
    for p in &site.pages {
        *counts.entry(p.page.meta.kind.as_str()).or_default() += 1;
    }
    let kinds: Vec<_> = Kind::ALL
        .iter()
        .map(|k| serde_json::json!({"kind": k.as_str(), "label": site.strings[match k { Kind::Article => "articles", Kind::Checklist => "checklists", Kind::Case => "cases" }], "url": Urls::kind_list(*k, lang), "count": counts[k.as_str()]}))
        .collect();
    let brand_css = brand_css(c);
    Value::from_serializable(&serde_json::json!({
        "title": c.title,
        "description": c.description,
        "base_url": c.base_url,
        "base_path": c.base_path(),
        "language": lang.code(),
        "author": c.author,
        "menu": top,
        "courses": courses,
        "newest": newest,
        "topics": core_topics,
        "kinds": kinds,
        "counts": counts,
        "search": c.search.enabled,
        "offline": c.offline.enabled,
        "search_url": Urls::search(lang),
        "course_page": Urls::course_page(lang),
        "new_url": Urls::new_list(lang),
        "topics_url": format!("{}/", Taxonomy::Topics.folder(lang)),
        "tags_url": format!("{}/", Taxonomy::Tags.folder(lang)),
        "insight_url": crate::insight::page_url(&c.insight.path),
        "has_cases": counts["case"] > 0,
        "brand_css": brand_css,
        "logo": c.brand.logo,
    }))
}

/// CSS custom properties from `[brand]`, validated so nothing but a colour
/// or a font list reaches the stylesheet.
fn brand_css(c: &crate::config::Config) -> String {
    let safe = |v: &str| {
        v.chars()
            .all(|ch| ch.is_alphanumeric() || " #%,.()-'\"".contains(ch))
    };
    let mut css = String::new();
    if let Some(a) = c.brand.accent.as_deref().filter(|v| safe(v)) {
        css.push_str(&format!("--accent:{a};"));
    }
    if let Some(f) = c
        .brand
        .font
        .as_deref()
        .filter(|v| v.chars().all(crate::config::is_font_char))
    {
        css.push_str(&format!("--font:{f};"));
    }
    let mut out = String::new();
    if !css.is_empty() {
        out.push_str(&format!(":root{{{css}}}"));
    }
    if let Some(a) = c.brand.accent_dark.as_deref().filter(|v| safe(v)) {
        // Dark by choice (the toggle), or by the system when nothing is chosen.
        out.push_str(&format!(
            ":root[data-theme=dark]{{--accent:{a};}}@media (prefers-color-scheme:dark){{:root:not([data-theme=light]){{--accent:{a};}}}}"
        ));
    }
    out
}

/// Everything [`sitemap`] is made of besides the configuration.
fn sitemap(site: &Site) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let base = escape(&site.config.base_url);
    let mut urls: Vec<(&str, Option<crate::content::date::Date>)> = site
        .sections
        .values()
        .map(|sec| (sec.section.url.as_str(), None))
        .chain(site.pages.iter().map(|p| {
            let m = &p.page.meta;
            (p.page.url.as_str(), m.updated.max(m.date))
        }))
        .collect();
    urls.sort_unstable();
    // Each entry's tags and date take 60 bytes: with the URLs' lengths,
    // the file is made in one buffer, never copied to a larger one.
    s.reserve(urls.iter().map(|(u, _)| u.len() + base.len() + 60).sum());
    for (u, lastmod) in urls {
        s.push_str("  <url><loc>");
        s.push_str(&base);
        crate::markdown::escape_into(&mut s, u);
        s.push_str("</loc>");
        if let Some(l) = lastmod {
            s.push_str("<lastmod>");
            l.push_to(&mut s);
            s.push_str("</lastmod>");
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// The Atom id of the page at `path` (`""` for the feed): its URL where
/// `base_url` has a host. Else a `urn:uuid:` made from the site's title and
/// the path, the same in every build: Atom asks for an absolute IRI, and a
/// path is none (a reader takes relative links from the feed's address).
fn atom_id(c: &crate::config::Config, path: &str) -> String {
    if c.base_url.contains("://") {
        return format!("{}{path}", c.base_url);
    }
    let mut b =
        xxhash_rust::xxh3::xxh3_128(format!("vinn\0{}\0{path}", c.title).as_bytes()).to_be_bytes();
    // Version 8 (made by its own rule), RFC 9562's variant.
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn atom(site: &Site) -> String {
    let c = &site.config;
    let pages = newest(site, dated(site), c.feed.limit);
    let updated = pages
        .first()
        .and_then(|&i| {
            let m = &site.pages[i].page.meta;
            m.updated.max(m.date)
        })
        .map(|d| format!("{d}T00:00:00Z"))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let author = if c.author.is_empty() {
        &c.title
    } else {
        &c.author
    };
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n  <id>{}</id>\n  <author><name>{}</name></author>\n  <updated>{updated}</updated>\n",
        c.language.code(),
        escape(&c.title),
        escape(&c.base_url),
        escape(&c.base_url),
        escape(&atom_id(c, "")),
        escape(author)
    );
    for i in pages {
        let sp = &site.pages[i];
        let m = &sp.page.meta;
        let url = format!("{}{}", c.base_url, sp.page.url);
        let upd = m
            .updated
            .max(m.date)
            .map(|d| format!("{d}T00:00:00Z"))
            .unwrap_or_default();
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <updated>{upd}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            escape(&m.title),
            escape(&url),
            escape(&atom_id(c, &sp.page.url)),
            escape(if m.description.is_empty() { &sp.content.summary } else { &m.description })
        ));
    }
    s.push_str("</feed>\n");
    s
}

fn robots(site: &Site) -> String {
    if site.config.robots.allow_indexing {
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            site.config.base_url
        )
    } else {
        "# An internal training site: crawlers are asked to stay away.\nUser-agent: *\nDisallow: /\n".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_template_mistake_met_by_many_outputs_is_one_error() {
        let at = |path: &str, line, what: &str, cause: &str| {
            Diagnostic::error(path, line, 3, format!("{RENDERING}{what}: {cause}"))
        };
        let grouped = group_template_errors(vec![
            at(
                "templates/footer.html",
                2,
                "content/b.md",
                "Field `x` is not defined",
            ),
            Diagnostic::error("content/c.md", 4, 1, "link to a missing page"),
            at(
                "templates/footer.html",
                2,
                "content/a.md",
                "Field `x` is not defined",
            ),
            at(
                "templates/footer.html",
                2,
                "the 404 page",
                "Field `x` is not defined",
            ),
            at(
                "templates/footer.html",
                2,
                "content/a.md",
                "Field `y` is not defined",
            ),
            at(
                "templates/card.html",
                1,
                "content/a.md",
                "Field `x` is not defined",
            ),
        ]);
        let messages: Vec<String> = grouped.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            messages,
            [
                "content/c.md:4:1: error: link to a missing page",
                "templates/card.html:1:3: error: template error while rendering content/a.md: Field `x` is not defined",
                "templates/footer.html:2:3: error: template error while rendering content/a.md and 2 other outputs: Field `x` is not defined",
                "templates/footer.html:2:3: error: template error while rendering content/a.md: Field `y` is not defined",
            ]
        );
    }

    #[test]
    fn the_safe_filter_writes_what_teras_own_does() {
        const T: &str =
            "{{ a | safe }}|{{ b | safe }}|{{ n | safe }}|{{ l | safe }}|{{ a }}|{{ b }}";
        let mut tera = configured_tera("/");
        tera.add_raw_template("t.html", T).unwrap();
        let mut ctx = Context::new();
        ctx.insert("a", "<b>x</b> & y");
        ctx.insert_value("b", Value::safe_string("<i>z</i>"));
        ctx.insert("n", &5);
        ctx.insert("l", &["<p>", "q"]);
        let ours = tera.render("t.html", &ctx).unwrap();
        let mut plain = Tera::new();
        plain.autoescape_on(vec![".html"]);
        plain.set_escape_fn(escape_to);
        plain.add_raw_template("t.html", T).unwrap();
        assert_eq!(ours, plain.render("t.html", &ctx).unwrap());
        assert!(ours.starts_with("<b>x</b> & y|<i>z</i>|5|"), "{ours}");
        assert!(
            ours.ends_with("|&lt;b&gt;x&lt;/b&gt; &amp; y|<i>z</i>"),
            "{ours}"
        );
    }

    #[test]
    fn a_section_navigation_marks_the_page_by_either_kind_of_href() {
        let here = "a/b/\u{0}/".to_string();
        // A theme's own nav.html may still write `{{ root }}{{ url }}`.
        let html =
            r#"<a href="../../../">Hjem</a><a href="../x/">X</a><a href="../../../a/b/y/">Y</a>"#;
        let nav = Nav::new(relative_url(&here, ""), here, html.to_string());
        assert_eq!(
            nav.marked("a/b/x/"),
            r#"<a href="../../../">Hjem</a><a href="../x/" aria-current="page">X</a><a href="../../../a/b/y/">Y</a>"#
        );
        assert!(
            nav.marked("a/b/y/")
                .contains(r#"y/" aria-current="page">Y"#)
        );
        assert_eq!(nav.marked("a/b/z/"), html);
        // Copies fit pages in the section's folder only.
        assert!(nav.fits("a/b/x/"));
        assert!(!nav.fits("a/c/x/"));
        assert!(!nav.fits("a/b/x/y/"));
        let top = Nav::new("../".into(), "\u{0}/".into(), String::new());
        assert!(top.fits("x/"));
        assert!(!top.fits("a/x/"));
    }

    #[test]
    fn rel_climbs_only_to_the_shared_folder_and_keeps_an_absolute_root() {
        let mut tera = configured_tera("/");
        tera.add_raw_template("a.html", "{{ u | rel }}").unwrap();
        let href = |root: &str, here: &str, u: &str| {
            let mut ctx = Context::new();
            ctx.insert("root", root);
            ctx.insert("current_url", here);
            ctx.insert("u", u);
            tera.render("a.html", &ctx).unwrap()
        };
        assert_eq!(href("../../", "artikler/a/", "artikler/b/"), "../b/");
        assert_eq!(
            href("../../", "artikler/a/", "sjekklister/c/"),
            "../../sjekklister/c/"
        );
        // The 404 page is served anywhere: its root is absolute, and so are
        // its links.
        assert_eq!(href("/", "404.html", "artikler/b/"), "/artikler/b/");
    }

    #[test]
    fn finds_positions_in_tera_reports() {
        let mut tera = Tera::new();
        let e = tera
            .add_raw_templates([("a.html", "x\n{{ y | nosuch }}"), ("b.html", "{{ z }}")])
            .unwrap_err();
        assert_eq!(error_position(&e), Some(("a.html".to_string(), 2, 8)));
        let e = tera.add_raw_template("c.html", "{% if %}").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::SyntaxError(_)));
        assert_eq!(
            error_position(&e).map(|p| (p.0, p.1)),
            Some(("c.html".into(), 1))
        );
        assert_eq!(report_positions("no position"), vec![]);
    }

    #[test]
    fn a_card_is_drawn_for_any_root_only_when_it_just_prints_the_root() {
        let card = |text: &str| Theme {
            templates: vec![crate::theme::TemplateSource {
                name: "card.html".into(),
                text: text.into(),
                path: "templates/card.html".into(),
            }],
            statics: Vec::new(),
        };
        for text in [
            "<a href=\"{{ root }}{{ p.url }}\">{{ p.title }}</a>",
            "{{root}}x{{  root  }}",
            "<p>{{ p.rooted }}</p>",
        ] {
            assert!(prints_root_only(&card(text)), "{text}");
        }
        for text in [
            "{% if root == \"./\" %}x{% endif %}",
            "{{ root ~ p.url }}",
            "{{- root }}",
            "{{ p.root }}",
            "{% include \"other.html\" %}",
            "{% extends \"base.html\" %}",
            "\u{FDD0}",
        ] {
            assert!(!prints_root_only(&card(text)), "{text}");
        }
        assert!(!prints_root_only(&Theme {
            templates: Vec::new(),
            statics: Vec::new(),
        }));
    }

    #[test]
    fn a_card_drawn_for_any_root_takes_each_root_where_it_was_printed() {
        let card = CardTemplate::new("<a href=\"\u{FDD0}x/\">\u{FDD0}</a>");
        assert_eq!(&*card.at("../../"), "<a href=\"../../x/\">../../</a>");
        assert_eq!(&*card.at("./"), "<a href=\"./x/\">./</a>");
        let plain = CardTemplate::new("<p>x</p>");
        assert_eq!(&*plain.at("../"), "<p>x</p>");
    }

    #[test]
    fn every_broken_template_is_reported_in_one_run() {
        let tpl = |name: &str, text: &str| crate::theme::TemplateSource {
            name: name.into(),
            text: text.into(),
            path: format!("templates/{name}"),
        };
        let theme = |templates| Theme {
            templates,
            statics: Vec::new(),
        };
        let broken = theme(vec![
            tpl("a.html", "ok"),
            tpl("b.html", "x\n{{ y }"),
            tpl("c.html", "{% if %}"),
        ]);
        let Err(errors) = load_templates(&broken, "/") else {
            panic!("broken templates loaded");
        };
        let at: Vec<(&str, usize)> = errors.iter().map(|d| (d.path.as_str(), d.line)).collect();
        assert_eq!(at, [("templates/b.html", 2), ("templates/c.html", 1)]);
        assert!(errors.iter().all(|d| d.message.contains("syntax error")));
        // A filter no one registered is found across the set, at its line.
        let unknown = theme(vec![tpl("a.html", "a\nb {{ x | nosuch }}")]);
        let Err(errors) = load_templates(&unknown, "/") else {
            panic!("an unknown filter loaded");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].path.as_str(), errors[0].line),
            ("templates/a.html", 2)
        );
        assert!(
            load_templates(
                &theme(vec![tpl("a.html", "{{ url_for(path=\"/x\") }}")]),
                "/"
            )
            .is_ok()
        );
    }

    #[test]
    fn runtime_errors_point_at_their_line() {
        let mut tera = Tera::new();
        tera.add_raw_templates([("p.html", "a\nb {{ page.missing }}")])
            .unwrap();
        let mut ctx = Context::new();
        ctx.insert("page", &serde_json::json!({"title": "x"}));
        let e = tera.render("p.html", &ctx).unwrap_err();
        assert_eq!(
            error_position(&e).map(|p| (p.0, p.1)),
            Some(("p.html".into(), 2))
        );
        assert!(chain(&e).contains("missing"), "{}", chain(&e));
    }
}
