//! Content: walking `content/`, reading every file, and turning it into
//! [`Page`]s and [`Section`]s with validated metadata.
//!
//! Loading owns everything that can be known from one file alone: its URL,
//! its kind, its front matter. Markdown rendering and links between pages
//! come later (`markdown`, `site`). Files are read and parsed in parallel;
//! [`load_with`] takes a cache (`serve`'s) of pages parsed in an earlier
//! load, reused for files that did not change. Page files that fail to load
//! are kept as raw text ([`Rejected`]) for the checks that read text.
//! Hidden names and editors' leftovers ([`is_left_out`]) are no part of a
//! site; nor is Markdown that is not a page (another ending, or a second
//! `.md` in a bundle), which gets a warning.

pub mod date;
pub mod frontmatter;
pub mod image;
pub mod meta;
pub mod slug;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::fingerprinted::Fingerprinted;
pub use meta::{CaseMeta, PageMeta};

/// The three kinds of training content.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Article,
    Checklist,
    Case,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Article, Kind::Checklist, Kind::Case];
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Checklist => "checklist",
            Kind::Case => "case",
        }
    }
    /// The template a page of this kind renders with, unless it names one.
    pub fn template(self) -> &'static str {
        match self {
            Kind::Article => "article.html",
            Kind::Checklist => "checklist.html",
            Kind::Case => "case.html",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    fn article_name(self) -> &'static str {
        match self {
            Kind::Article => "an article",
            Kind::Checklist => "a checklist",
            Kind::Case => "a case study",
        }
    }
}

/// How a deal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Won,
    Lost,
    NoDecision,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Won, Outcome::Lost, Outcome::NoDecision];
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Won => "won",
            Outcome::Lost => "lost",
            Outcome::NoDecision => "no-decision",
        }
    }
}

/// One Markdown page (a file, or a bundle's `index.md`).
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the site root, e.g. `content/artikler/tapte-salg.md`.
    pub source: PathBuf,
    /// Path relative to `content/`, with `/`: the key links resolve to.
    pub key: String,
    /// Site-relative URL without leading slash: `artikler/tapte-salg/`.
    pub url: String,
    /// Key of the section the page belongs to (`""` for the root).
    pub section: String,
    /// Shared: `serve` keeps parsed pages between rebuilds and hands out
    /// copies, which then copy no front matter, and its memo's
    /// fingerprint of it goes along ([`crate::fingerprinted`]).
    pub meta: Arc<Fingerprinted<PageMeta>>,
    /// The Markdown body (after front matter), `\n` line endings. Shared:
    /// `serve` keeps parsed pages between rebuilds and hands out copies.
    pub body: Arc<str>,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// Line of the front matter's first key, for whole-page diagnostics.
    pub front_line: usize,
    /// The raw front matter text (checked by the anonymization guard).
    pub front: Arc<str>,
    /// For bundles: the folder whose other files are the page's assets.
    pub bundle_dir: Option<PathBuf>,
}

impl Page {
    /// The file line of a top-level front matter key, for a problem found
    /// after loading (read from the front matter again: this is only needed
    /// when there is a problem to report, so pages do not keep a map of it).
    pub fn key_line(&self, key: &str) -> Option<usize> {
        frontmatter::key_lines(&self.front, self.front_line)
            .get(key)
            .copied()
    }

    /// The file line and column of `value` as written under the top-level
    /// key `key` (an entry of a list: `related`, `aliases`), else the
    /// key's line and column 1.
    pub fn value_place(&self, key: &str, value: &str) -> Option<(usize, usize)> {
        let line = self.key_line(key)?;
        let lines: Vec<&str> = self.front.lines().collect();
        let first = line.checked_sub(self.front_line)?;
        for (i, l) in lines.iter().enumerate().skip(first) {
            if i > first && !l.starts_with([' ', '\t', '-', '#']) && !l.trim().is_empty() {
                break; // the next key
            }
            if let Some(at) = l.find(value).filter(|_| !value.is_empty()) {
                return Some((self.front_line + i, l[..at].chars().count() + 1));
            }
        }
        Some((line, 1))
    }
}

/// A folder under `content/`.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Path relative to `content/` (`""` for the root, `artikler`, `artikler/verdi`).
    pub key: String,
    #[serde(skip)]
    pub source: Option<PathBuf>,
    pub url: String,
    pub title: String,
    pub description: String,
    pub weight: Option<i64>,
    pub draft: bool,
    pub kind: Option<Kind>,
    pub course: bool,
    pub search: bool,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub extra: serde_json::Value,
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub body_line: usize,
    pub parent: Option<String>,
}

/// A non-Markdown file to copy into the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Absolute path of the file to copy.
    pub from: PathBuf,
    /// Output path relative to the output root.
    pub to: String,
}

/// Everything loaded from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub pages: Vec<Page>,
    pub sections: BTreeMap<String, Section>,
    pub assets: Vec<Asset>,
    pub diagnostics: Diagnostics,
    /// Every file under `content/` (keys), for checking links to assets.
    pub files: std::collections::BTreeSet<String>,
    /// Page files that could not be loaded, as raw text.
    pub rejected: Vec<Rejected>,
    /// Pages left out as drafts (their own `draft: true` or a draft
    /// section above them), by key: a link to one is explained as such.
    pub drafts: std::collections::BTreeSet<String>,
}

/// A page file that could not be loaded (bad front matter, a failed
/// check), kept as raw text so that checks reading text — the
/// anonymization guard — still see it in the same run.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub source: PathBuf,
    /// Its kind, from its front matter if that parses, else its section's.
    pub kind: Kind,
    pub front: String,
    pub front_line: usize,
    pub body: String,
    pub body_line: usize,
}

/// The raw text of a page file that failed to load.
fn rejected(root: &Path, abs: &Path, default_kind: Kind) -> Option<Rejected> {
    let (text, _) = read_text(root, abs).ok()?;
    let (front, front_line, body, body_line) = match frontmatter::split(&text) {
        Ok(s) => (
            s.yaml.unwrap_or("").to_string(),
            s.yaml_line,
            s.body.to_string(),
            s.body_line,
        ),
        Err(_) => (String::new(), 1, text.clone(), 1),
    };
    let kind = frontmatter::parse::<frontmatter::PageFront>(&front, front_line)
        .ok()
        .and_then(|f| f.kind)
        .unwrap_or(default_kind);
    Some(Rejected {
        source: PathBuf::from(rel_to(root, abs)),
        kind,
        front,
        front_line,
        body,
        body_line,
    })
}

enum Entry {
    Page {
        abs: PathBuf,
        key: String,
        bundle: bool,
    },
    Section {
        abs: PathBuf,
        dir_key: String,
    },
}

/// A store of pages read before (`serve` keeps one between rebuilds).
pub trait PageCache: Sync {
    /// Called once per load, before any page: a cache keeps nothing read
    /// under another configuration.
    fn start(&self, config: &Config);
    /// The page in `abs`, as `key` (a bundle's or not) in `section` with
    /// `kind` by default: kept, if the file has not changed since it was
    /// read, or else from `read`.
    #[allow(clippy::too_many_arguments)]
    fn page(
        &self,
        abs: &Path,
        key: &str,
        bundle: bool,
        section: &str,
        kind: Kind,
        read: &dyn Fn() -> PageRead,
    ) -> PageRead;
}

/// A page and its warnings, or why it could not be read.
pub type PageRead = Result<(Page, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Loads every page and section under `root/content`.
pub fn load(root: &Path, config: &Config, include_drafts: bool) -> Loaded {
    load_with(root, config, include_drafts, None)
}

/// [`load`], with pages taken from `cache` when their files are unchanged.
pub fn load_with(
    root: &Path,
    config: &Config,
    include_drafts: bool,
    cache: Option<&dyn PageCache>,
) -> Loaded {
    if let Some(c) = cache {
        c.start(config);
    }
    let content = root.join("content");
    let mut out = Loaded::default();
    if !content.is_dir() {
        out.diagnostics.push(Diagnostic::error(
            "content",
            0,
            0,
            "there is no content/ folder: create it and put Markdown files in it",
        ));
        return out;
    }
    let canonical_root = content.canonicalize().unwrap_or_else(|_| content.clone());
    let mut entries = Vec::new();
    let mut dirs: Vec<String> = vec![String::new()];
    let mut bundle_dirs: Vec<String> = Vec::new();

    let mut walker = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    while let Some(item) = walker.next() {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| rel_to(root, p))
                    .unwrap_or_else(|| "content".into());
                out.diagnostics
                    .push(Diagnostic::error(p, 0, 0, format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        if entry.depth() == 0 {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_dir() && is_left_out(&name) {
            continue;
        }
        let rel = rel_key(&content, path);
        let mut is_dir = entry.file_type().is_dir();
        if entry.path_is_symlink() {
            if let Some((warning, message)) = symlink_problem(path, &canonical_root) {
                let at = rel_to(root, path);
                out.diagnostics.push(if warning {
                    Diagnostic::warning(at, 0, 0, message)
                } else {
                    Diagnostic::error(at, 0, 0, message)
                });
                continue;
            }
            is_dir = false;
        }
        if is_dir {
            // A folder with index.md (and no _index.md) is a page bundle.
            if path.join("index.md").is_file() && !path.join("_index.md").is_file() {
                bundle_dirs.push(rel.clone());
                entries.push(Entry::Page {
                    abs: path.join("index.md"),
                    key: format!("{rel}/index.md"),
                    bundle: true,
                });
                out.files.insert(format!("{rel}/index.md"));
                // Everything else inside is the bundle's assets.
                for a in walkdir::WalkDir::new(path)
                    .follow_links(false)
                    .sort_by_file_name()
                    .into_iter()
                    // Nothing in a hidden folder of the bundle is the site's.
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    })
                {
                    let Ok(a) = a else { continue };
                    let aname = a.file_name().to_string_lossy();
                    // A link in a bundle is taken as one beside it is.
                    let mut is_file = a.file_type().is_file();
                    if a.path_is_symlink() && !is_left_out(&aname) {
                        match symlink_problem(a.path(), &canonical_root) {
                            Some((warning, message)) => {
                                let at = rel_to(root, a.path());
                                out.diagnostics.push(if warning {
                                    Diagnostic::warning(at, 0, 0, message)
                                } else {
                                    Diagnostic::error(at, 0, 0, message)
                                });
                                continue;
                            }
                            None => is_file = true,
                        }
                    }
                    if is_file && a.path() != path.join("index.md") && !is_left_out(&aname) {
                        let akey = rel_key(&content, a.path());
                        let markdown = ends_with_ignoring_case(&aname, ".md")
                            || markdown_by_another_name(&aname).is_some();
                        if !markdown {
                            out.files.insert(akey.clone());
                        }
                        if markdown && !aname.starts_with('.') {
                            // Its text would skip every check a page gets.
                            out.diagnostics.push(Diagnostic::warning(
                                rel_to(root, a.path()),
                                0,
                                0,
                                "a Markdown file inside a page bundle is neither a page nor published: the bundle's page is its index.md; move the file out of the folder to make it a page",
                            ));
                        } else if !aname.starts_with('.') {
                            out.assets.push(Asset {
                                from: a.path().to_path_buf(),
                                to: asset_output(&akey, Some(&rel)),
                            });
                        }
                    }
                }
                walker.skip_current_dir();
            } else {
                dirs.push(rel);
            }
            continue;
        }
        out.files.insert(rel.clone());
        if name == "_index.md" {
            let dir_key = parent_key(&rel);
            entries.push(Entry::Section {
                abs: path.to_path_buf(),
                dir_key,
            });
        } else if name.ends_with(".md") {
            entries.push(Entry::Page {
                abs: path.to_path_buf(),
                key: rel,
                bundle: false,
            });
        } else if let Some(ending) = markdown_by_another_name(&name) {
            // Published as it is, its text would skip every check a page
            // gets (a case study's anonymization among them).
            out.files.remove(&rel);
            out.diagnostics.push(Diagnostic::warning(
                rel_to(root, path),
                0,
                0,
                format!(
                    "a `{ending}` file is neither a page nor published: only `.md` files are pages; rename it to end in `.md`"
                ),
            ));
        } else {
            out.assets.push(Asset {
                from: path.to_path_buf(),
                to: asset_output(&rel, None),
            });
        }
    }

    // Sections first: pages take their default kind from them.
    let mut sections: BTreeMap<String, Section> = dirs
        .iter()
        .map(|d| (d.clone(), default_section(d)))
        .collect();
    let mut page_entries = Vec::with_capacity(entries.len());
    for e in entries {
        match e {
            Entry::Section { abs, dir_key } => {
                let sec = sections
                    .entry(dir_key.clone())
                    .or_insert_with(|| default_section(&dir_key));
                if let Err(d) = read_section(root, &abs, sec) {
                    out.diagnostics.extend(d);
                }
            }
            Entry::Page { abs, key, bundle } => page_entries.push((abs, key, bundle)),
        }
    }
    // Draft sections hide everything below them.
    let draft_sections: Vec<String> = if include_drafts {
        Vec::new()
    } else {
        sections
            .values()
            .filter(|s| s.draft)
            .map(|s| s.key.clone())
            .collect()
    };
    sections.retain(|k, _| !draft_sections.iter().any(|d| is_under(k, d)));

    /// A loaded page, or `Err(key)` for a draft left out.
    type Kept = Result<(Page, Vec<Diagnostic>), String>;
    type Loaded1 = Result<Option<Kept>, (Vec<Diagnostic>, Option<Rejected>)>;
    let results: Vec<Loaded1> = page_entries
        .par_iter()
        // Small pieces, so an idle core can take some (see
        // `Renderer::render_all`).
        .with_max_len(64)
        .map(|(abs, key, bundle)| {
            let dir = parent_key(if *bundle {
                key.trim_end_matches("/index.md")
            } else {
                key
            });
            if draft_sections.iter().any(|d| is_under(&dir, d)) {
                return Ok(Some(Err(key.clone())));
            }
            let section = nearest_section(&sections, &dir);
            let Some(section) = section else {
                return Ok(None);
            };
            let kind = default_kind(&|d| sections.get(d).and_then(|s| s.kind), section, config);
            let read = || read_page(root, abs, key, *bundle, section, kind, config);
            let loaded = match cache {
                Some(c) => c.page(abs, key, *bundle, section, kind, &read),
                None => read(),
            };
            let (page, warnings) = loaded.map_err(|d| (d, rejected(root, abs, kind)))?;
            Ok(Some(if include_drafts || !page.meta.draft {
                Ok((page, warnings))
            } else {
                Err(key.clone())
            }))
        })
        .collect();
    // Pages are large: they are moved within the results' own allocation
    // (an in-place collect) rather than into fresh memory the kernel must
    // zero first.
    let (diagnostics, drafts, rejected) =
        (&mut out.diagnostics, &mut out.drafts, &mut out.rejected);
    out.pages = results
        .into_iter()
        .filter_map(|r| match r {
            Ok(Some(Ok((p, w)))) => {
                diagnostics.extend(w);
                Some(p)
            }
            Ok(Some(Err(draft))) => {
                drafts.insert(draft);
                None
            }
            Ok(None) => None,
            Err((d, raw)) => {
                diagnostics.extend(d);
                rejected.extend(raw);
                None
            }
        })
        .collect();
    out.sections = sections;
    out
}

fn is_under(key: &str, ancestor: &str) -> bool {
    key == ancestor || key.starts_with(&format!("{ancestor}/"))
}

fn nearest_section<'a>(sections: &'a BTreeMap<String, Section>, dir: &str) -> Option<&'a str> {
    let mut d = dir.to_string();
    loop {
        if let Some((k, _)) = sections.get_key_value(&d) {
            return Some(k.as_str());
        }
        if d.is_empty() {
            return None;
        }
        d = parent_key(&d);
    }
}

/// The kind a page in section `section` has unless it says otherwise: the
/// `kind` of the nearest section up that has one (`kind_of` gives it by
/// key), else the configuration's for the top folder, else an article.
pub fn default_kind(
    kind_of: &dyn Fn(&str) -> Option<Kind>,
    section: &str,
    config: &Config,
) -> Kind {
    let mut d = section.to_string();
    loop {
        if let Some(k) = kind_of(&d) {
            return k;
        }
        if d.is_empty() {
            break;
        }
        d = parent_key(&d);
    }
    let top = section.split('/').next().unwrap_or("");
    config.section_kind(top).unwrap_or_default()
}

/// The kind a page in the folder `section` (`artikler/pris`; `""` for
/// `content/` itself) gets when its front matter names none, as a build
/// gives it: from the `_index.md` files of that folder and those above it,
/// else `config`'s `[sections]`, else an article. An `_index.md` that
/// cannot be read names no kind, as in a build.
pub fn inherited_kind(root: &Path, section: &str, config: &Config) -> Kind {
    default_kind(&|key: &str| named_kind(root, key), section, config)
}

/// The kind the `_index.md` of the folder `key` names for its pages, if it
/// names one (and can be read).
pub fn named_kind(root: &Path, key: &str) -> Option<Kind> {
    let index = root.join("content").join(key).join("_index.md");
    if !index.is_file() {
        return None;
    }
    let mut sec = default_section(key);
    read_section(root, &index, &mut sec).ok()?;
    sec.kind
}

fn default_section(key: &str) -> Section {
    let name = key.rsplit('/').next().unwrap_or("");
    let mut title: String = name.replace(['-', '_'], " ");
    if let Some(first) = title.chars().next() {
        title = first.to_uppercase().collect::<String>() + &title[first.len_utf8()..];
    }
    Section {
        key: key.to_string(),
        source: None,
        url: url_for_dir(key),
        title,
        description: String::new(),
        weight: None,
        draft: false,
        kind: None,
        course: false,
        search: true,
        aliases: Vec::new(),
        template: None,
        extra: serde_json::Value::Null,
        body: String::new(),
        body_line: 1,
        parent: (!key.is_empty()).then(|| parent_key(key)),
    }
}

/// `artikler/Verdi og ROI` → `artikler/verdi-og-roi/`; the root is `""`.
pub fn url_for_dir(key: &str) -> String {
    let mut url = String::new();
    for seg in key.split('/').filter(|s| !s.is_empty()) {
        url.push_str(&slug::slugify(seg));
        url.push('/');
    }
    url
}

/// URL of a page from its key: `artikler/Tapte salg.md` → `artikler/tapte-salg/`.
pub fn url_for_page(key: &str) -> String {
    let trimmed = key.strip_suffix("/index.md").unwrap_or(key);
    let trimmed = trimmed.strip_suffix(".md").unwrap_or(trimmed);
    url_for_dir(trimmed)
}

/// Whether a file is an editor's or a merge tool's leftover, never part of
/// a site however it is named: backups (`x~`, `x.bak`, `x.orig`, `x.rej`,
/// `x.old`), Emacs's autosaves (`#x#`), swap and temporary files (`x.swp`,
/// `x.tmp`), nano's (`x.save`), JetBrains's safe-write files
/// (`x___jb_tmp___`), exiftool's backups (`x.jpg_original`, the file as it
/// was before its metadata was removed), Microsoft Office's owner files
/// (`~$rapport.docx`, holding the name of whoever has it open) and
/// Windows's folder files. Not
/// one is meant for readers, and a case study's backup still holds what its
/// anonymization took out. (Hidden names, `.x`, are left out wherever they
/// are.)
pub fn is_left_out(name: &str) -> bool {
    const ENDINGS: [&str; 14] = [
        "~",
        ".bak",
        ".save",
        ".orig",
        ".rej",
        ".old",
        ".swp",
        ".swo",
        ".swx",
        ".tmp",
        ".temp",
        ".part",
        "___jb_tmp___",
        "___jb_old___",
    ];
    (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.starts_with("~$")
        || ENDINGS.iter().any(|e| ends_with_ignoring_case(name, e))
        || name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
        || name
            .strip_suffix("_original")
            .is_some_and(|file| file.contains('.'))
}

/// Whether `name` ends with the ASCII `ending`, in any case (every file
/// name of `content/` is asked: no lowercased copy is made).
fn ends_with_ignoring_case(name: &str, ending: &str) -> bool {
    let (name, ending) = (name.as_bytes(), ending.as_bytes());
    name.len() >= ending.len() && name[name.len() - ending.len()..].eq_ignore_ascii_case(ending)
}

/// Why the symbolic link at `path` is not followed (and whether that is
/// only a warning), or `None` for a link to a file inside `content/`
/// (`canonical_root`), which is read as a file there would be.
fn symlink_problem(path: &Path, canonical_root: &Path) -> Option<(bool, &'static str)> {
    match path.canonicalize() {
        Err(_) => Some((
            false,
            "symbolic link is broken or loops back on itself: fix or remove it",
        )),
        Ok(target) if !target.starts_with(canonical_root) => Some((
            false,
            "symbolic link points outside content/: vinn does not follow it",
        )),
        Ok(target) if target.is_dir() => Some((
            true,
            "symbolic link to a folder inside content/ is not followed (its pages are already published)",
        )),
        Ok(_) => None,
    }
}

/// The ending of a Markdown file named other than `.md` (`.markdown`,
/// `.mdown`, `.mkd`, `.mkdn`, `.mdwn`, and `.MD` in other letters), if
/// `name` has one.
fn markdown_by_another_name(name: &str) -> Option<&str> {
    let dot = name.rfind('.')?;
    let ending = &name[dot..];
    if ending == ".md" {
        return None;
    }
    [".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn"]
        .iter()
        .any(|e| ending.eq_ignore_ascii_case(e))
        .then_some(ending)
}

fn asset_output(key: &str, bundle: Option<&str>) -> String {
    let (dir, file) = key.rsplit_once('/').unwrap_or(("", key));
    let dir_url = match bundle {
        Some(b) => {
            // Inside a bundle: keep the file's sub-path below the bundle.
            let inner = dir.strip_prefix(b).unwrap_or("").trim_start_matches('/');
            let mut u = url_for_dir(b);
            if !inner.is_empty() {
                u.push_str(inner);
                u.push('/');
            }
            u
        }
        None => url_for_dir(dir),
    };
    format!("{dir_url}{file}")
}

pub fn parent_key(key: &str) -> String {
    key.rsplit_once('/')
        .map(|(p, _)| p.to_string())
        .unwrap_or_default()
}

fn rel_key(content: &Path, p: &Path) -> String {
    display_path(p.strip_prefix(content).unwrap_or(p))
}

fn rel_to(root: &Path, p: &Path) -> String {
    display_path(p.strip_prefix(root).unwrap_or(p))
}

/// Reads a file as UTF-8 text with `\r\n` folded and a BOM dropped.
/// Problems come back as diagnostics at the right line.
fn read_text(root: &Path, abs: &Path) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let rel = rel_to(root, abs);
    let bytes = std::fs::read(abs).map_err(|e| {
        vec![Diagnostic::error(
            &rel,
            0,
            0,
            format!("cannot read file: {e}"),
        )]
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            let col = String::from_utf8_lossy(&bytes[..valid])
                .rsplit('\n')
                .next()
                .map(|l| l.chars().count() + 1)
                .unwrap_or(1);
            return Err(vec![Diagnostic::error(
                &rel,
                line,
                col,
                "file is not valid UTF-8: save it as UTF-8",
            )]);
        }
    };
    let mut warnings = Vec::new();
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => {
            warnings.push(Diagnostic::warning(
                &rel,
                1,
                1,
                "file starts with a byte-order mark (BOM); it was ignored",
            ));
            t.to_string()
        }
        None => text,
    };
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    Ok((text, warnings))
}

fn read_section(root: &Path, abs: &Path, sec: &mut Section) -> Result<(), Vec<Diagnostic>> {
    let rel = rel_to(root, abs);
    let (text, _warnings) = read_text(root, abs)?;
    let split =
        frontmatter::split(&text).map_err(|(l, m)| vec![Diagnostic::error(&rel, l, 1, m)])?;
    let front: frontmatter::SectionFront = match split.yaml {
        Some(y) => frontmatter::parse_all(y, split.yaml_line).map_err(|es| {
            es.into_iter()
                .map(|e| Diagnostic::error(&rel, e.line, e.col, e.message))
                .collect::<Vec<_>>()
        })?,
        None => Default::default(),
    };
    if let Some(t) = front.title.filter(|t| !t.trim().is_empty()) {
        sec.title = t;
    } else if let Some(h) = first_heading(split.body) {
        sec.title = h;
    }
    sec.source = Some(PathBuf::from(&rel));
    sec.description = front.description.unwrap_or_default();
    sec.weight = front.weight;
    sec.draft = front.draft;
    sec.kind = front.kind;
    sec.course = front.course;
    sec.search = front.search.unwrap_or(true);
    sec.aliases = front.aliases;
    sec.template = front.template;
    sec.extra = front.extra;
    sec.body = split.body.to_string();
    sec.body_line = split.body_line;
    Ok(())
}

/// The `_index.md` of section `old` read again, as loading reads it: the
/// folder's defaults, then the file. `Err` with no diagnostics when the
/// section has no file.
pub fn reread_section(root: &Path, old: &Section) -> Result<Section, Vec<Diagnostic>> {
    let source = old.source.as_ref().ok_or_else(Vec::new)?;
    let mut sec = default_section(&old.key);
    read_section(root, &root.join(source), &mut sec)?;
    Ok(sec)
}

/// The file of `old` read again, as the same page (key, section, bundle).
/// Its kind defaults to the kind `old` had, which is right exactly when the
/// front matter is unchanged — the case `serve`'s fast path checks for.
pub fn reread_page(root: &Path, old: &Page, config: &Config) -> PageRead {
    read_page(
        root,
        &root.join(&old.source),
        &old.key,
        old.bundle_dir.is_some(),
        &old.section,
        old.meta.kind,
        config,
    )
}

/// The page file at `key` (below `content/`, not a bundle's `index.md`),
/// not part of the loaded site, read as loading reads it into section
/// `section` (its folder) with default kind `kind` ([`default_kind`]).
/// For `serve`, after the file was made.
pub fn read_new_page(
    root: &Path,
    key: &str,
    section: &str,
    kind: Kind,
    config: &Config,
) -> PageRead {
    let abs = root.join("content").join(key);
    read_page(root, &abs, key, false, section, kind, config)
}

/// How loading orders two page keys: as the walk of `content/` meets
/// them, folder by folder, each folder's entries by name (a bundle's
/// `dir/index.md` where its folder `dir` is).
pub fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

fn read_page(
    root: &Path,
    abs: &Path,
    key: &str,
    bundle: bool,
    section: &str,
    default_kind: Kind,
    config: &Config,
) -> Result<(Page, Vec<Diagnostic>), Vec<Diagnostic>> {
    let rel = rel_to(root, abs);
    let (text, mut diags) = read_text(root, abs)?;
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::error(
            &rel,
            1,
            1,
            "file is empty: add front matter with a `title` and some text, or delete it",
        )]);
    }
    let split =
        frontmatter::split(&text).map_err(|(l, m)| vec![Diagnostic::error(&rel, l, 1, m)])?;
    let front = match split.yaml {
        Some(y) => {
            frontmatter::parse_all::<frontmatter::PageFront>(y, split.yaml_line).map_err(|es| {
                es.into_iter()
                    .map(|e| Diagnostic::error(&rel, e.line, e.col, e.message))
                    .collect::<Vec<_>>()
            })?
        }
        None => Default::default(),
    };
    let kind = front.kind.unwrap_or(default_kind);
    let fallback = if split.yaml.is_none() {
        first_heading(split.body)
    } else {
        None
    };
    let (meta, problems) = meta::validate(front, kind, split.yaml.is_some(), fallback, config);
    // The lines of the keys, only when a problem needs them.
    let keys = if problems.is_empty() {
        HashMap::new()
    } else {
        frontmatter::key_lines(split.yaml.unwrap_or(""), split.yaml_line)
    };
    // A draft is kept whatever its front matter lacks: left out (as
    // drafts are without `--drafts`), it says nothing; built, what is
    // left to fill in is a warning, and only a case not marked
    // `anonymized: true` an error.
    let mut errors = Vec::new();
    for p in &problems {
        let line = meta::problem_line(p, &keys, 1);
        if p.warning || (meta.draft && p.key != Some("anonymized")) {
            diags.push(Diagnostic::warning(&rel, line, 1, p.message.clone()));
        } else {
            errors.push(Diagnostic::error(&rel, line, 1, p.message.clone()));
        }
    }
    if meta.draft {
        diags.append(&mut errors);
    } else if !errors.is_empty() {
        errors.append(&mut diags);
        return Err(errors);
    }
    let body: Arc<str> = match without_title_heading(split.body, &meta.title, split.yaml.is_none())
    {
        Some(stripped) => stripped.into(),
        None => split.body.into(),
    };
    let page = Page {
        source: PathBuf::from(&rel),
        key: key.to_string(),
        url: url_for_page(key),
        section: section.to_string(),
        meta: Arc::new(meta.into()),
        body,
        body_line: split.body_line,
        front_line: split.yaml_line,
        front: split.yaml.unwrap_or("").into(),
        bundle_dir: bundle.then(|| PathBuf::from(parent_key(key))),
    };
    // Warnings do not stop the page; they travel with it.
    Ok((page, diags))
}

/// The body with its leading `# Heading` blanked, when that heading repeats
/// the title (or gave the title, for files without front matter), so the
/// page has one h1; `None` when the body stays as it is. The line stays,
/// empty, so positions in diagnostics stay right.
fn without_title_heading(body: &str, title: &str, title_from_heading: bool) -> Option<String> {
    let (i, line) = body
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())?;
    let t = line.trim_start();
    if !t.starts_with("# ") && t != "#" {
        return None;
    }
    let text = t
        .trim_start_matches('#')
        .trim()
        .trim_end_matches('#')
        .trim();
    (title_from_heading || text == title.trim()).then(|| {
        body.lines()
            .enumerate()
            .map(|(j, l)| if j == i { "" } else { l })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// The text of the first ATX heading (`# Title`) in a Markdown body.
pub fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .map(str::trim_start)
        .find(|l| l.starts_with('#'))
        .map(|l| {
            l.trim_start_matches('#')
                .trim()
                .trim_end_matches('#')
                .trim()
                .to_string()
        })
        .filter(|t| !t.is_empty())
}
