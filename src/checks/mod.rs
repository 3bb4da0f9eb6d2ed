//! Checks: passes over the site model that find problems no single stage
//! sees. Each check lives in its own module (the anonymization guard, and
//! `placeholders`: text `vinn new` wrote that is still there); this one
//! runs them and turns their findings into diagnostics. The anonymization
//! guard also reads the page files that failed to load (`Site::rejected`),
//! the addresses case studies are published at, and their files, each by
//! its kind (`FileKind`): text files as it reads a page (and the photos
//! inside them as `data:` URIs, `datauri`; a page's Markdown's too),
//! images' and videos' metadata (`metadata`), sound recordings' tags
//! (`tags`: MP3, WAV, Ogg, Opus, FLAC), PDF and
//! office files' properties and text (`documents`; a PDF's pages, comments
//! and the rest, `pdf`), zip files' files, and the files inside a
//! document, as deep as three, their names too (`files`).

pub mod anonymize;
mod datauri;
pub mod documents;
mod files;
pub mod metadata;
mod pdf;
pub mod placeholders;
pub mod tags;

use rayon::prelude::*;

use std::path::Path;

use crate::config::{AnonScope, CONFIG_FILE, Config};
use crate::content::{Kind, Page};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path, line_col};
use crate::site::Site;
use anonymize::{AllowReason, Finding, Guard, GuardConfig};

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
    guard_for(&site.root, &site.config)
}

/// [`guard`] of the site at `root` with the settings `config`; a deny
/// list it cannot read or a pattern that does not compile is an error at
/// its line of `site.toml`.
pub fn guard_for(root: &Path, config: &Config) -> Result<Guard, Diagnostic> {
    let a = &config.anonymization;
    let at = |path: &[&str], message: String| {
        let (line, col) = config.place(path);
        Diagnostic::error(CONFIG_FILE, line, col, message)
    };
    let mut deny_names = Vec::new();
    if let Some(file) = &a.deny_list {
        let path = root.join(file);
        match std::fs::read_to_string(&path) {
            Ok(text) => deny_names = anonymize::parse_deny_list(&text),
            Err(e) => {
                return Err(at(
                    &["anonymization", "deny_list"],
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
    .map_err(|e| {
        let i = a.patterns.iter().position(|p| *p == e.pattern);
        let key = match e.pattern.as_str() {
            "<deny list>" => "deny_list",
            "<allow list>" => "allow",
            _ => "patterns",
        };
        let i = i.map(|i| i.to_string());
        let path: Vec<&str> = ["anonymization", key]
            .into_iter()
            .chain(i.as_deref())
            .collect();
        at(&path, e.to_string())
    })
}

/// Scans a page's front matter and body, and the addresses it is
/// published at; returns errors and allowed notes.
pub fn scan_page(guard: &Guard, page: &Page) -> Vec<Diagnostic> {
    let mut out = scan_source(
        guard,
        &page.source,
        page.meta.kind,
        (&page.front, page.front_line),
        (&page.body, page.body_line),
    );
    out.extend(address_findings(
        guard.scan_address(&page.url),
        &page.source,
        page.meta.kind,
        0,
        "the address of {} (its file or folder name)",
        "addresses are published with the site; rename the file or folder",
    ));
    // A tag or topic is published as an address too (`stikkord/…/`).
    for (key, terms) in [("tags", &page.meta.tags), ("topics", &page.meta.topics)] {
        let line = page.key_line(key).unwrap_or(0);
        for term in terms {
            if !guard.scan(term).is_empty() {
                continue; // found in the front matter's text already
            }
            out.extend(address_findings(
                guard.scan_address(&crate::content::slug::slugify(term)),
                &page.source,
                page.meta.kind,
                line,
                &format!("the `{key}` of {{}}"),
                "each one is published as an address of its own; remove it or name it otherwise",
            ));
        }
    }
    let aliases = page.key_line("aliases").unwrap_or(0);
    for alias in &page.meta.aliases {
        if !guard.scan(alias).is_empty() {
            continue; // found in the front matter's text already
        }
        out.extend(address_findings(
            guard.scan_address(alias),
            &page.source,
            page.meta.kind,
            aliases,
            "an alias of {}",
            "addresses are published with the site; remove the alias",
        ));
    }
    out
}

/// What the guard finds in a page's source (`source`, of a page of
/// `kind`): its front matter's and its Markdown's text, each with its
/// first line, and the photos the Markdown carries as `data:` URIs (their
/// base64 no source of words).
fn scan_source(
    guard: &Guard,
    source: &Path,
    kind: Kind,
    front: (&str, usize),
    (body, body_line): (&str, usize),
) -> Vec<Diagnostic> {
    let text = datauri::blank_payloads(body);
    let mut out = scan_texts(
        guard,
        source,
        kind,
        &[front, (&text, body_line)],
        Source::Text,
    );
    if body.contains("data:image/") {
        out.extend(files::page_photos(guard, source, kind, (body, body_line)));
    }
    out
}

/// Diagnostics for what [`Guard::scan_address`] `found` in an address of
/// the file `source` (reported at `line`): `what` says which address
/// (`{}` standing for "a case study"), `fix` why and how to change it.
fn address_findings(
    found: Vec<Finding>,
    source: &Path,
    kind: Kind,
    line: usize,
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
    found
        .into_iter()
        .map(|f| match &f.allowed {
            None => Diagnostic::error(
                &path,
                line,
                0,
                format!(
                    "{} `{}` in {what}: {fix} (if it is not personal or customer data, add an allow entry in site.toml)",
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
            out.diagnostics.extend(scan_source(
                guard,
                &r.source,
                r.kind,
                (&r.front, r.front_line),
                (&r.body, r.body_line),
            ));
        }
    }
}

/// Files the guard's scope holds (all, or those of case studies: in a
/// case's bundle, or in a folder whose pages are case studies by default)
/// that lead back to someone ([`files::case_file`]).
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
            let mut out = address_findings(
                guard.scan_address(&a.to),
                rel,
                kind,
                0,
                "the name of a file of {}",
                "addresses are published with the site; rename the file",
            );
            out.extend(files::case_file(guard, &a.from, rel, kind));
            out
        })
        .collect()
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
