//! Scaffolding: `vinn init` (a new site with a sample of each kind that
//! builds at once) and `vinn new` (a page from an archetype, site-local
//! archetypes in `archetypes/` overriding the built-in ones).

use std::path::{Path, PathBuf};

use crate::content::Kind;
use crate::content::slug::slugify;
use crate::diagnostics::{Error, Result};

const ARTICLE: &str = r#"---
title: "{{title}}"
description: ""
date: {{date}}
topics: []
tags: []
related: []
---

Skriv ingressen her: hva skal leseren lære?

## Hovedpoeng

"#;

const CHECKLIST: &str = r#"---
title: "{{title}}"
description: ""
date: {{date}}
phase: "Før møtet"     # salgsfasen listen hører til, vises på siden og kortet
topics: []
tags: []
---

Når skal sjekklisten brukes, og av hvem?

- [ ] Første punkt
- [ ] Andre punkt
"#;

const CASE: &str = r#"---
title: "{{title}}"
description: ""
date: {{date}}
# Et utkast: vises med `vinn serve --drafts` og publiseres ikke. Fjern linjen
# når casen er fylt ut og anonymisert.
draft: true
# ANONYMISERING: Ingen navn på personer eller kunder, ingen e-postadresser,
# telefonnumre, fødselsnumre, organisasjonsnumre eller kontonumre.
# Beskriv folk med rolle ("innkjøpssjefen") og kunden med bransje og størrelse.
# Sett anonymized: true først når teksten er gjennomgått.
anonymized: false
outcome: ""            # won | lost | no-decision
reasons: []            # decision-maker, value, price, timing, competitor, relationship, scope
industry: ""
deal_size: ""          # et intervall, f.eks. "500k-1M NOK"
decision_maker_role: ""
lessons: []
# interview_date: {{date}}   # datoen for tapsintervjuet
topics: [evaluering]
tags: []
---

## Situasjonen

## Hva skjedde

## Hva vi lærte
"#;

/// The archetypes of an English site (`language = "en"`).
const ARTICLE_EN: &str = r#"---
title: "{{title}}"
description: ""
date: {{date}}
topics: []
tags: []
related: []
---

Write the lead here: what will the reader learn?

## Main points

"#;

const CHECKLIST_EN: &str = r#"---
title: "{{title}}"
description: ""
date: {{date}}
phase: "Before the meeting"   # the sales phase the list belongs to, shown on the page and its card
topics: []
tags: []
---

When is the checklist used, and by whom?

- [ ] First item
- [ ] Second item
"#;

const CASE_EN: &str = r#"---
title: "{{title}}"
description: ""
date: {{date}}
# A draft: shown by `vinn serve --drafts`, never published. Remove the line
# when the case is written and anonymized.
draft: true
# ANONYMIZATION: no names of people or customers, no e-mail addresses,
# phone numbers, national identity numbers, organisation or account numbers.
# Describe people by role ("the head of procurement") and the customer by
# industry and size. Set anonymized: true only once the text is reviewed.
anonymized: false
outcome: ""            # won | lost | no-decision
reasons: []            # decision-maker, value, price, timing, competitor, relationship, scope
industry: ""
deal_size: ""          # a band, e.g. "500k-1M NOK"
decision_maker_role: ""
lessons: []
# interview_date: {{date}}   # the date of the loss interview
topics: []
tags: []
---

## The situation

## What happened

## What we learned
"#;

fn today() -> String {
    // Days since the epoch → civil date (proleptic Gregorian).
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Where `vinn new KIND` writes without `--section`: the folder of that
/// kind in the site's language (`artikler`, `checklists` …) where it
/// exists, else the first top-level folder whose `_index.md` or
/// `[sections]` entry names that kind, else the other language's
/// folder where it exists, else the language's.
fn default_section(
    root: &Path,
    kind: Kind,
    config: Option<&crate::config::Config>,
    english: bool,
) -> String {
    let (nb, en) = match kind {
        Kind::Article => ("artikler", "articles"),
        Kind::Checklist => ("sjekklister", "checklists"),
        Kind::Case => ("case", "cases"),
    };
    let (own, other) = if english { (en, nb) } else { (nb, en) };
    let content = root.join("content");
    if content.join(own).is_dir() {
        return own.to_string();
    }
    let mut folders: Vec<String> = std::fs::read_dir(&content)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    // Named, not inherited: every folder's pages are articles by default.
    let names_kind = |name: &str| {
        config.is_some_and(|c| c.section_kind(name) == Some(kind))
            || crate::content::named_kind(root, name) == Some(kind)
    };
    let found = folders.into_iter().find(|n| n != other && names_kind(n));
    found.unwrap_or_else(|| {
        if content.join(other).is_dir() {
            other
        } else {
            own
        }
        .to_string()
    })
}

/// The longest slug `vinn new` names a file with, in bytes: a long title
/// would otherwise make a file name longer than file systems take (255
/// bytes) and an address no one reads.
const MAX_FILE_SLUG: usize = 80;

/// `slug` cut to at most [`MAX_FILE_SLUG`] bytes, after its last whole word
/// that fits (within a word only when the first is longer than that).
fn file_slug(slug: &str) -> &str {
    if slug.len() <= MAX_FILE_SLUG {
        return slug;
    }
    let mut end = MAX_FILE_SLUG;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    if slug.as_bytes()[end] != b'-'
        && let Some(dash) = slug[..end].rfind('-')
    {
        end = dash;
    }
    slug[..end].trim_end_matches('-')
}

/// `--section PATH` as a section's key: a folder under `content/`, given
/// from there (`artikler/pris`, slashes around it or `.` steps ignored);
/// `""` and `.` are `content/` itself. An absolute path, one that goes up
/// (`..`) and a hidden folder (never published) are usage errors.
fn section_key(given: &str) -> Result<String> {
    let inside = "give a folder inside content/, as seen from there (e.g. `artikler/pris`), or `.` for content/ itself";
    if given.starts_with(['/', '\\']) || Path::new(given).is_absolute() {
        return Err(Error::usage(format!(
            "--section `{given}` is an absolute path: {inside}"
        )));
    }
    let mut parts = Vec::new();
    for part in given.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                return Err(Error::usage(format!(
                    "--section `{given}` goes up with `..`, out of content/: {inside}"
                )));
            }
            hidden if hidden.starts_with('.') => {
                return Err(Error::usage(format!(
                    "--section `{given}` names a hidden folder, `{hidden}`, which is never published: {inside}"
                )));
            }
            part => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// `vinn new KIND "Title" [--section PATH]`: writes the file, returns its path.
pub fn new_page(root: &Path, kind: Kind, title: &str, section: Option<&str>) -> Result<PathBuf> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(Error::env(format!(
            "no site.toml in {}: run `vinn init` first, or pass --root DIR",
            root.display()
        )));
    }
    let whole = slugify(title);
    let slug = file_slug(&whole);
    if slug.is_empty() {
        return Err(Error::env("the title needs at least one letter or digit"));
    }
    let config = crate::config::Config::load(root).ok();
    let english = config
        .as_ref()
        .is_some_and(|c| c.language == crate::config::Language::En);
    let section = match section {
        Some(s) => section_key(s)?,
        None => default_section(root, kind, config.as_ref(), english),
    };
    let section = section.as_str();
    let dir = root.join("content").join(section);
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::Exists { path });
    }
    let local = root
        .join("archetypes")
        .join(format!("{}.md", kind.as_str()));
    let template = match std::fs::read_to_string(&local) {
        Ok(t) => t,
        Err(_) => match (kind, english) {
            (Kind::Article, false) => ARTICLE,
            (Kind::Checklist, false) => CHECKLIST,
            (Kind::Case, false) => CASE,
            (Kind::Article, true) => ARTICLE_EN,
            (Kind::Checklist, true) => CHECKLIST_EN,
            (Kind::Case, true) => CASE_EN,
        }
        .to_string(),
    };
    let escaped = title.replace('\\', "\\\\").replace('"', "\\\"");
    let text = template
        .replace("{{title}}", &escaped)
        .replace("{{date}}", &today())
        .replace("{{slug}}", slug)
        .replace("{{kind}}", kind.as_str());
    // Where the folder would give the page another kind, the page says its
    // own (a site.toml that cannot be read gives no default to rely on).
    let inherited = config
        .as_ref()
        .map(|c| crate::content::inherited_kind(root, section, c));
    let text = if inherited == Some(kind) {
        text
    } else {
        with_kind(&text, kind)
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// `text` (a page) with `kind: KIND` in its front matter, after the
/// title, unless the front matter names a kind already; a page without
/// front matter gets one holding only the kind.
fn with_kind(text: &str, kind: Kind) -> String {
    let line = format!("kind: {}\n", kind.as_str());
    let Ok(split) = crate::content::frontmatter::split(text) else {
        return text.to_string();
    };
    let Some(yaml) = split.yaml else {
        return format!("---\n{line}---\n\n{text}");
    };
    let keys = crate::content::frontmatter::key_lines(yaml, split.yaml_line);
    if keys.contains_key("kind") {
        return text.to_string();
    }
    // After the title's line, else first; lines are counted from 1.
    let after = keys.get("title").copied().unwrap_or(1);
    let at: usize = text.split_inclusive('\n').take(after).map(str::len).sum();
    let mut out = String::with_capacity(text.len() + line.len());
    out.push_str(&text[..at]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&line);
    out.push_str(&text[at..]);
    out
}

const INIT_FILES: &[(&str, &str)] = &[
    (
        "site.toml",
        r#"title = "Salgsopplæring"
description = "Det vi har lært om å vinne og tape salg"
base_url = "/"
language = "nb"

[sections]
artikler = { kind = "article" }
sjekklister = { kind = "checklist" }
case = { kind = "case" }

[[topics]]
slug = "beslutningstakere"
title = "Beslutningstakere"
description = "Hvem har mandatet, og hvem signerer?"

[[topics]]
slug = "verdi"
title = "Verdi"
description = "Kundens gevinst, ROI og behovsanalyse"

[[topics]]
slug = "evaluering"
title = "Evaluering"
description = "Tapsintervjuer og læring etter hver avtale"
"#,
    ),
    (
        "content/_index.md",
        "---\ntitle: \"Salgsopplæring\"\n---\n\nHer samler vi det vi lærer av avtalene vi vinner og taper.\n",
    ),
    (
        "content/artikler/_index.md",
        "---\ntitle: \"Artikler\"\ndescription: \"Lærdom om salg\"\n---\n",
    ),
    (
        "content/artikler/hvem-signerer.md",
        "---\ntitle: \"Hvem signerer?\"\ndate: 2026-01-15\ntopics: [beslutningstakere]\ntags: [mandat]\nrelated: [../sjekklister/for-forste-mote.md]\n---\n\nPersonen du møter, har ofte mandat til små innkjøp, men ikke til en rammeavtale.\n\n## Finn mandatet\n\nSpør tidlig hvem som godkjenner avtalen, og be om et møte med den personen.\n",
    ),
    (
        "content/sjekklister/_index.md",
        "---\ntitle: \"Sjekklister\"\ndescription: \"Konkrete steg å krysse av\"\n---\n",
    ),
    (
        "content/sjekklister/for-forste-mote.md",
        "---\ntitle: \"Før første møte\"\ndate: 2026-01-20\nphase: Før møtet\ntopics: [beslutningstakere, verdi]\n---\n\n- [ ] Hvem tar beslutningen?\n- [ ] Hva begrenser kunden i dag?\n- [ ] Hvilken gevinst kan vi tallfeste?\n",
    ),
    (
        "content/case/_index.md",
        "---\ntitle: \"Kundecase\"\ndescription: \"Anonymiserte historier om vunne og tapte avtaler\"\n---\n",
    ),
    (
        "content/case/tapt-i-byggebransjen.md",
        "---\ntitle: \"Tapt rammeavtale i byggebransjen\"\ndate: 2026-02-10\nanonymized: true\noutcome: lost\nreasons: [decision-maker]\nindustry: \"Bygg og anlegg\"\ndeal_size: \"1M-5M NOK\"\ndecision_maker_role: \"Innkjøpssjef\"\nlessons:\n  - \"Avklar hvem som eier rammeavtalen før tilbudet skrives.\"\ntopics: [beslutningstakere, evaluering]\n---\n\nVi snakket med prosjektlederen hele veien, men avtalen ble avgjort av innkjøpsavdelingen.\n",
    ),
];

/// `vinn init [DIR]`: a new site that builds at once. Refuses a folder
/// that already has a site.toml or content/.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.join(crate::config::CONFIG_FILE).exists() || dir.join("content").exists() {
        return Err(Error::env(format!(
            "{} already has a site (site.toml or content/): vinn init never overwrites",
            dir.display()
        )));
    }
    let mut written = Vec::new();
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_placeholder_check_knows_every_archetype_placeholder() {
        for p in crate::checks::placeholders::PLACEHOLDERS {
            assert!(
                [
                    super::ARTICLE,
                    super::CHECKLIST,
                    super::ARTICLE_EN,
                    super::CHECKLIST_EN,
                ]
                .iter()
                .any(|a| a.lines().any(|l| l == p)),
                "{p} is in no archetype"
            );
        }
    }

    #[test]
    fn a_kind_goes_after_the_title_unless_the_page_names_one() {
        use super::{Kind, with_kind};
        assert_eq!(
            with_kind(
                "---\ntitle: \"X\"\ndate: 2026-01-01\n---\n\nTekst\n",
                Kind::Checklist
            ),
            "---\ntitle: \"X\"\nkind: checklist\ndate: 2026-01-01\n---\n\nTekst\n"
        );
        assert_eq!(
            with_kind("---\ndate: 2026-01-01\n---\n", Kind::Case),
            "---\nkind: case\ndate: 2026-01-01\n---\n"
        );
        let named = "---\ntitle: X\nkind: article\n---\n";
        assert_eq!(with_kind(named, Kind::Case), named);
        assert_eq!(
            with_kind("# X\n", Kind::Article),
            "---\nkind: article\n---\n\n# X\n"
        );
    }

    #[test]
    fn a_long_slug_is_cut_after_a_whole_word() {
        use super::{MAX_FILE_SLUG, file_slug};
        assert_eq!(file_slug("kort-tittel"), "kort-tittel");
        let words = "hvem-signerer-".repeat(20);
        let cut = file_slug(&words);
        assert_eq!(cut.len(), 74, "{cut}");
        assert!(words.starts_with(cut));
        assert!(cut.ends_with("-hvem"), "{cut}");
        // A dash right after the limit: the word before it fits whole.
        let exact = format!("{}-neste", "a".repeat(MAX_FILE_SLUG));
        assert_eq!(file_slug(&exact), "a".repeat(MAX_FILE_SLUG));
        // One word longer than the limit is cut within it, on a char.
        let long = "é".repeat(MAX_FILE_SLUG);
        assert_eq!(file_slug(&long), "é".repeat(MAX_FILE_SLUG / 2));
        assert_eq!(file_slug(&"x".repeat(300)).len(), MAX_FILE_SLUG);
    }

    #[test]
    fn a_section_is_a_folder_inside_content() {
        use super::section_key;
        for (given, key) in [
            ("artikler", "artikler"),
            ("artikler/pris/", "artikler/pris"),
            ("./artikler//pris/", "artikler/pris"),
            ("", ""),
            (".", ""),
            ("./", ""),
        ] {
            assert_eq!(section_key(given).unwrap(), key, "{given}");
        }
        for (given, says) in [
            ("/etc", "absolute path"),
            ("/artikler/", "absolute path"),
            ("../ut", "goes up with `..`"),
            ("artikler/../..", "goes up with `..`"),
            (".skjult/x", "hidden folder, `.skjult`"),
        ] {
            let e = section_key(given).unwrap_err();
            assert!(matches!(e, crate::diagnostics::Error::Usage { .. }), "{e}");
            assert!(e.to_string().contains(says), "{given}: {e}");
        }
    }

    #[test]
    fn today_is_a_valid_date() {
        assert!(crate::content::date::Date::parse(&super::today()).is_ok());
    }
}
