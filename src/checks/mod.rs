//! Checks: passes over the site model that find problems no single stage
//! sees. Each check lives in its own module (the anonymization guard, and
//! `placeholders`: text `vinn new` wrote that is still there); this one
//! runs them and turns their findings into diagnostics. The anonymization
//! guard also reads the page files that failed to load (`Site::rejected`),
//! the addresses case studies are published at, and their files, each by
//! its kind (`FileKind`): text files as it reads a page (and the photos
//! inside them as `data:` URIs, `datauri`), images' and recordings'
//! metadata (`metadata`), PDF and office files' properties and text
//! (`documents`; a PDF's pages, comments and the rest, `pdf`), zip files'
//! files, and the files inside a document, as deep as three.

pub mod anonymize;
mod datauri;
pub mod documents;
pub mod metadata;
mod pdf;
pub mod placeholders;

use rayon::prelude::*;

use std::path::Path;

use crate::config::{AnonScope, AnonymizationConfig, CONFIG_FILE};
use crate::content::{Kind, Page};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path, line_col};
use crate::site::Site;
use anonymize::{AllowReason, Guard, GuardConfig};

/// What the checks found: errors, and notes on reviewed (allowed)
/// findings that `--verbose` shows.
#[derive(Debug, Default)]
pub struct Checked {
    pub diagnostics: Diagnostics,
}

/// Runs every check over the site.
pub fn run(site: &Site) -> Checked {
    run_with(site, guard(site))
}

/// [`run`] with the anonymization guard made beforehand ([`guard_for`]):
/// `vinn build` makes it while the Markdown is rendered.
pub fn run_with(site: &Site, guard: Result<Guard, Diagnostic>) -> Checked {
    let mut out = Checked::default();
    match guard {
        Ok(g) => anonymization(site, &g, &mut out),
        Err(d) => out.diagnostics.push(d),
    }
    let finder = placeholders::Placeholders::default();
    let placeholders: Vec<Diagnostic> = site
        .pages
        .par_iter()
        .flat_map_iter(|p| finder.in_page(&p.page))
        .collect();
    out.diagnostics.extend(placeholders);
    out
}

/// Builds the anonymization guard from `site.toml` and the deny-list file.
pub fn guard(site: &Site) -> Result<Guard, Diagnostic> {
    guard_for(&site.root, &site.config.anonymization)
}

/// [`guard`] of the site at `root` with the `[anonymization]` settings `a`.
pub fn guard_for(root: &Path, a: &AnonymizationConfig) -> Result<Guard, Diagnostic> {
    let mut deny_names = Vec::new();
    if let Some(file) = &a.deny_list {
        let path = root.join(file);
        match std::fs::read_to_string(&path) {
            Ok(text) => deny_names = anonymize::parse_deny_list(&text),
            Err(e) => {
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    1,
                    1,
                    format!("cannot read the anonymization deny list `{file}`: {e}"),
                ));
            }
        }
    }
    Guard::new(&GuardConfig {
        deny_names,
        allow: a.allow.clone(),
        patterns: a.patterns.clone(),
    })
    .map_err(|e| Diagnostic::error(CONFIG_FILE, 1, 1, format!("anonymization pattern: {e}")))
}

/// Scans a page's front matter and body, and the addresses it is
/// published at; returns errors and allowed notes.
pub fn scan_page(guard: &Guard, page: &Page) -> Vec<Diagnostic> {
    let mut out = scan_texts(
        guard,
        &page.source,
        page.meta.kind,
        &[(&page.front, page.front_line), (&page.body, page.body_line)],
        Source::Text,
    );
    out.extend(scan_address(
        guard,
        &page.source,
        page.meta.kind,
        (&page.url, 0),
        "the address of {} (its file or folder name)",
        "rename the file or folder",
    ));
    let aliases = page.key_line("aliases").unwrap_or(0);
    for alias in &page.meta.aliases {
        out.extend(scan_address(
            guard,
            &page.source,
            page.meta.kind,
            (alias, aliases),
            "an alias of {}",
            "remove the alias",
        ));
    }
    out
}

/// The deny list's names and the site's patterns in an address the file
/// `source` is published at (`address`, reported at `line`): `what` says
/// which address (`{}` standing for "a case study"), `fix` how to change
/// it.
fn scan_address(
    guard: &Guard,
    source: &Path,
    kind: Kind,
    (address, line): (&str, usize),
    what: &str,
    fix: &str,
) -> Vec<Diagnostic> {
    let path = display_path(source);
    let of = if kind == Kind::Case {
        "a case study"
    } else {
        "published content"
    };
    let what = what.replace("{}", of);
    guard
        .scan_address(address)
        .into_iter()
        .map(|f| match &f.allowed {
            None => Diagnostic::error(
                &path,
                line,
                0,
                format!(
                    "{} `{}` in {what}: addresses are published with the site; {fix} (if it is not personal or customer data, add an allow entry in site.toml)",
                    f.kind.describe(false),
                    f.masked
                ),
            ),
            Some(reason) => Diagnostic::note(
                &path,
                line,
                0,
                format!(
                    "allowed: {} `{}` in {what} ({})",
                    f.kind.describe(false),
                    f.masked,
                    allow_reason(reason)
                ),
            ),
        })
        .collect()
}

/// How a note names what allowed a finding.
fn allow_reason(reason: &AllowReason) -> String {
    match reason {
        AllowReason::Config { entry } => format!("allow entry \"{entry}\" in site.toml"),
        AllowReason::Inline { entry } => format!("inline marker vinn:allow \"{entry}\""),
    }
}

/// What a scanned text is: a page or a text file, where an inline marker
/// can allow a finding, or a document's text (a PDF's, an office file's),
/// where only an allow entry in `site.toml` can; a document's text may say
/// where in the file it is ("page 2"), standing for its line and column.
#[derive(Clone, Copy)]
enum Source<'a> {
    Text,
    Document { place: Option<&'a str> },
}

/// Scans texts of the file `source` (each with its first line).
fn scan_texts(
    guard: &Guard,
    source: &std::path::Path,
    kind: Kind,
    texts: &[(&str, usize)],
    what_source: Source<'_>,
) -> Vec<Diagnostic> {
    let path = display_path(source);
    let mut found = Vec::new();
    let what = if kind == Kind::Case {
        "in a case study"
    } else {
        "in published content"
    };
    let (place, how) = match what_source {
        Source::Text => (
            None,
            "add <!-- vinn:allow \"…\" --> or an allow entry in site.toml",
        ),
        Source::Document { place } => (place, "add an allow entry in site.toml"),
    };
    let at = place.map(|p| format!(" ({p})")).unwrap_or_default();
    for &(text, first_line) in texts {
        for f in guard.scan(text) {
            let (line, col) = line_col(text, f.start);
            let line = (line + first_line).saturating_sub(1);
            // A place stands for the line and column.
            let col = if place.is_some() { 0 } else { col };
            match &f.allowed {
                None => found.push(Diagnostic::error(
                    &path,
                    line,
                    col,
                    format!(
                        "{} `{}` {what}{at}: {} (if it is not personal or customer data, {how})",
                        f.kind.describe(false),
                        f.masked,
                        f.kind.advice(false)
                    ),
                )),
                Some(reason) => {
                    let why = allow_reason(reason);
                    found.push(Diagnostic::note(
                        &path,
                        line,
                        col,
                        format!(
                            "allowed: {} `{}`{at} ({why})",
                            f.kind.describe(false),
                            f.masked
                        ),
                    ));
                }
            }
        }
    }
    found
}

fn anonymization(site: &Site, guard: &Guard, out: &mut Checked) {
    let all = site.config.anonymization.scope == AnonScope::All;
    let results: Vec<Vec<Diagnostic>> = site
        .pages
        .par_iter()
        .filter(|p| all || p.page.meta.kind == Kind::Case)
        .map(|p| scan_page(guard, &p.page))
        .collect();
    for r in results {
        out.diagnostics.extend(r);
    }
    out.diagnostics.extend(case_files(site, guard, all));
    // Files that failed to load are scanned too, so a case study shows all
    // its problems in one run, not its identifiers only once it loads.
    for r in &site.rejected {
        if all || r.kind == Kind::Case {
            out.diagnostics.extend(scan_texts(
                guard,
                &r.source,
                r.kind,
                &[(&r.front, r.front_line), (&r.body, r.body_line)],
                Source::Text,
            ));
        }
    }
}

/// Files the guard's scope holds (all, or those of case studies: in a
/// case's bundle, or in a folder whose pages are case studies by default)
/// that lead back to someone ([`case_file`]).
fn case_files(site: &Site, guard: &Guard, all: bool) -> Vec<Diagnostic> {
    let content = site.root.join("content");
    site.assets
        .par_iter()
        .filter_map(|a| {
            let of_a_case = a
                .from
                .strip_prefix(&content)
                .is_ok_and(|rel| of_a_case(site, rel));
            (all || of_a_case).then_some((a, of_a_case))
        })
        .flat_map_iter(|(a, of_a_case)| {
            let rel = a.from.strip_prefix(&site.root).unwrap_or(&a.from);
            let kind = if of_a_case { Kind::Case } else { Kind::Article };
            let mut out = scan_address(
                guard,
                rel,
                kind,
                (&a.to, 0),
                "the name of a file of {}",
                "rename the file",
            );
            out.extend(case_file(guard, &a.from, rel, kind));
            out
        })
        .collect()
}

/// What the guard finds in the file at `path` (`rel` from the site root),
/// a file of a page of `kind`: see [`Found::file_findings`].
fn case_file(guard: &Guard, path: &Path, rel: &Path, kind: Kind) -> Vec<Diagnostic> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if FileKind::of(name).is_none() {
        return Vec::new();
    }
    let bytes = match FileKind::of(name) {
        // A video's metadata sits at one end; it may be large.
        Some(FileKind::Video) => read_ends(path, 4 << 20),
        _ => std::fs::read(path).unwrap_or_default(),
    };
    let at = Found {
        guard,
        rel,
        kind,
        attached: None,
    };
    at.file_findings(name, &bytes)
}

/// The first and last `each` bytes of the file at `path` (all of it when
/// it is smaller).
fn read_ends(path: &Path, each: u64) -> Vec<u8> {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let len = f.metadata().map_or(0, |m| m.len());
    if len <= 2 * each {
        let mut all = Vec::new();
        let _ = f.read_to_end(&mut all);
        return all;
    }
    let mut out = vec![0; 2 * each as usize];
    let (head, tail) = out.split_at_mut(each as usize);
    let ok = f.read_exact(head).is_ok()
        && f.seek(SeekFrom::Start(len - each)).is_ok()
        && f.read_exact(tail).is_ok();
    if ok { out } else { Vec::new() }
}

/// What a case file is to the guard, by its ending.
#[derive(Clone, Copy, PartialEq)]
enum FileKind {
    Text,
    Image,
    /// A video or a recording (MP4, MOV, M4A): its metadata only.
    Video,
    Document(documents::DocKind),
    /// A zip file: its files are read, each by its own ending.
    Zip,
    /// An older office format (`.doc`, `.xls`, `.ppt`) or an Outlook
    /// message (`.msg`), which it cannot read.
    Unread,
}

impl FileKind {
    fn of(name: &str) -> Option<FileKind> {
        // (`.eml`: an e-mail as text, headers and all; `.rtf`: text with
        // control words, which the guard reads past.)
        const TEXTS: [&str; 14] = [
            "txt", "csv", "tsv", "json", "xml", "svg", "html", "htm", "vcf", "ics", "yaml", "yml",
            "eml", "rtf",
        ];
        const IMAGES: [&str; 9] = [
            "jpg", "jpeg", "png", "webp", "tif", "tiff", "heic", "heif", "avif",
        ];
        const UNREAD: [&str; 4] = ["doc", "xls", "ppt", "msg"];
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let is = |list: &[&str]| list.iter().any(|i| ext.eq_ignore_ascii_case(i));
        if is(&TEXTS) {
            Some(FileKind::Text)
        } else if is(&IMAGES) {
            Some(FileKind::Image)
        } else if is(&["mp4", "m4v", "mov", "m4a", "3gp"]) {
            Some(FileKind::Video)
        } else if let Some(doc) = documents::DocKind::of(ext) {
            Some(FileKind::Document(doc))
        } else if ext.eq_ignore_ascii_case("zip") {
            Some(FileKind::Zip)
        } else if is(&UNREAD) {
            Some(FileKind::Unread)
        } else {
            None
        }
    }
}

/// Whether a file inside another is a folder or what a system leaves
/// beside files (macOS's `__MACOSX/` and `.DS_Store`, `Thumbs.db`).
fn is_leftover(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    name.ends_with('/')
        || name.starts_with("__MACOSX/")
        || file.starts_with("._")
        || file == ".DS_Store"
        || file.eq_ignore_ascii_case("Thumbs.db")
}

/// How deep files attached to files are read.
const MAX_ATTACHED: usize = 3;

/// Where findings in a case file go: the file (`rel`, of a page of
/// `kind`) and, when the bytes read are a file attached to it, that file's
/// name (`rapport.docx → kontakter.xlsx` for one in one).
struct Found<'a> {
    guard: &'a Guard,
    rel: &'a Path,
    kind: Kind,
    attached: Option<String>,
}

impl Found<'_> {
    /// The findings in a case file's bytes, by its name's ending: a text
    /// file's text read as a page's is; an image's EXIF or XMP giving a
    /// GPS position or a person's name; a PDF's or office file's
    /// properties naming its author or company, its comments, tracked
    /// changes and photos, its text read as a page's, and the files
    /// attached to it read the same way (a document it cannot open is a
    /// warning); an office file in a format the guard cannot read (`.doc`,
    /// `.xls`, `.ppt`) is a warning. In an attached file, each message
    /// names it, and stands at the line of the file it is attached to.
    fn file_findings(&self, name: &str, bytes: &[u8]) -> Vec<Diagnostic> {
        let file = display_path(self.rel);
        // The name a message gives the file, and what it says of it.
        let label = self.attached.clone().unwrap_or_else(|| file.clone());
        let said = |m: String| match &self.attached {
            None => m,
            Some(a) => format!("its attachment `{a}`: {m}"),
        };
        let place = |p: Option<&str>| match (&self.attached, p) {
            (None, p) => p.map(str::to_string),
            (Some(a), None) => Some(format!("its attachment `{a}`")),
            (Some(a), Some(p)) => Some(format!("{p} of its attachment `{a}`")),
        };
        // A text file's text takes an inline marker; a document's, or an
        // attached file's, does not.
        let scan = |text: &str, line: usize, at: Option<&str>, document: bool| {
            let placed = place(at);
            let source = if document || self.attached.is_some() {
                Source::Document {
                    place: placed.as_deref(),
                }
            } else {
                Source::Text
            };
            // (An attached file's lines are not the file's: its place
            // stands for them.)
            let line = if self.attached.is_some() { 0 } else { line };
            scan_texts(self.guard, self.rel, self.kind, &[(text, line)], source)
        };
        match FileKind::of(name) {
            // A file inside another that vinn cannot read is hidden from a
            // reader's eye as well.
            None if self.attached.is_some() && !is_leftover(name) => {
                vec![Diagnostic::warning(
                    &file,
                    0,
                    0,
                    said(
                        "vinn cannot read a file of this kind: check by hand that it names no person or customer"
                            .to_string(),
                    ),
                )]
            }
            None => Vec::new(),
            Some(FileKind::Zip) => {
                let (files, locked) = documents::zip_read(bytes, |_| true).unwrap_or_default();
                let mut out = self.inner_files(&files);
                if locked || files.is_empty() {
                    let why = if locked {
                        "it has a password"
                    } else {
                        "it is damaged, empty or not a zip file"
                    };
                    out.push(Diagnostic::warning(
                        &file,
                        0,
                        0,
                        said(format!(
                            "vinn cannot read the files in this zip file ({why}): check by hand that they name no person or customer"
                        )),
                    ));
                }
                out
            }
            Some(FileKind::Text) => {
                let text = String::from_utf8_lossy(bytes);
                let mut out = scan(&datauri::blank_payloads(&text), 1, None, false);
                // Photos inside it as `data:` URIs (an SVG from Inkscape).
                let images = datauri::images(&text, documents::TOTAL_LIMIT);
                out.extend(self.inner_files(&images));
                out
            }
            Some(FileKind::Image) => metadata::scan(bytes)
                .into_iter()
                .map(|f| Diagnostic::error(&file, 0, 0, said(f.message(&label))))
                .collect(),
            Some(FileKind::Video) => metadata::scan_video(bytes)
                .into_iter()
                .map(|f| Diagnostic::error(&file, 0, 0, said(f.video_message(&label))))
                .collect(),
            Some(FileKind::Document(doc)) => {
                let reading = documents::read(doc, bytes);
                let mut out: Vec<Diagnostic> = documents::messages(doc, &label, &reading.found)
                    .into_iter()
                    .map(|m| Diagnostic::error(&file, 0, 0, said(m)))
                    .collect();
                // Its text, as a page's: a line is a paragraph, or a PDF's page.
                for p in &reading.passages {
                    out.extend(scan(&p.text, p.line, p.place.as_deref(), true));
                }
                if let Some(why) = reading.unreadable {
                    out.push(Diagnostic::warning(
                        &file,
                        0,
                        0,
                        said(format!(
                            "vinn cannot read this document's properties and text ({why}): check by hand that it names no person or customer, or save it without a password so the guard can"
                        )),
                    ));
                } else if let Some(&first) = reading.unreadable_pages.first() {
                    let pages: Vec<String> = reading
                        .unreadable_pages
                        .iter()
                        .map(|p| p.to_string())
                        .collect();
                    let pages = if pages.len() == 1 {
                        format!("page {first}")
                    } else {
                        format!("pages {}", pages.join(", "))
                    };
                    let line = if self.attached.is_some() { 0 } else { first };
                    out.push(Diagnostic::warning(
                        &file,
                        line,
                        0,
                        said(format!(
                            "vinn cannot read the text on {pages} of this PDF (drawn in a font without a map to letters, or compressed in a way vinn does not decode): check by hand that it names no person or customer, or export the PDF again from its source"
                        )),
                    ));
                }
                out.extend(self.inner_files(&reading.attachments));
                out
            }
            Some(FileKind::Unread) => {
                let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
                let message = match ext.to_ascii_lowercase().as_str() {
                    "msg" => "vinn cannot read an Outlook message (`.msg`), whose sender, recipients and text name people: save it from Outlook as text or HTML, or as PDF, so the anonymization guard can check it".to_string(),
                    lower => {
                        let newer = match lower {
                            "xls" => "`.xlsx`",
                            "ppt" => "`.pptx`",
                            _ => "`.docx`",
                        };
                        format!(
                            "vinn cannot read the properties of a `.{ext}` file, which often name its author and company: save it as {newer} or PDF so the anonymization guard can check it"
                        )
                    }
                };
                vec![Diagnostic::warning(&file, 0, 0, said(message))]
            }
        }
    }

    /// The findings in the files inside this one (a document's
    /// attachments, a zip file's files), each read by its own ending, as
    /// deep as [`MAX_ATTACHED`].
    fn inner_files(&self, files: &[(String, Vec<u8>)]) -> Vec<Diagnostic> {
        let depth = self
            .attached
            .as_ref()
            .map_or(0, |a| a.matches(" → ").count() + 1);
        if depth >= MAX_ATTACHED {
            return Vec::new();
        }
        files
            .iter()
            .flat_map(|(inner, data)| {
                let within = Found {
                    attached: Some(match &self.attached {
                        None => inner.clone(),
                        Some(a) => format!("{a} → {inner}"),
                    }),
                    ..*self
                };
                within.file_findings(inner, data)
            })
            .collect()
    }
}

/// Whether the file at `rel` (under `content/`) belongs to a case study:
/// it sits in a case's bundle, or in a folder whose pages are case studies
/// unless they say otherwise.
fn of_a_case(site: &Site, rel: &Path) -> bool {
    let dirs = rel.ancestors().skip(1).map(display_path);
    for dir in dirs.clone() {
        if let Some(&i) = site.by_key.get(&format!("{dir}/index.md")) {
            return site.pages[i].page.meta.kind == Kind::Case;
        }
    }
    let dir = dirs.into_iter().next().unwrap_or_default();
    let kind_of = |k: &str| site.sections.get(k).and_then(|s| s.section.kind);
    crate::content::default_kind(&kind_of, &dir, &site.config) == Kind::Case
}
