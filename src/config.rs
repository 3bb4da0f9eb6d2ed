//! Configuration: `site.toml` parsed into typed settings.
//!
//! Unknown keys are errors that name the key and the nearest valid one; a
//! missing `site.toml` is an environment error; the brand's accents must be
//! colours with text contrast. Everything else in the build reads settings
//! from [`Config`], never from the file; [`Config::place`] finds the line
//! of a setting checked later (a deny list that cannot be read, a logo no
//! file of the site has).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{
    Diagnostic, Diagnostics, Error, Result, explain_config_message, line_col,
};

/// The reasons a case study may give, unless `site.toml` says otherwise.
pub const DEFAULT_REASONS: &[&str] = &[
    "decision-maker",
    "value",
    "price",
    "timing",
    "competitor",
    "relationship",
    "scope",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Nb,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Nb => "nb",
            Language::En => "en",
        }
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default)]
    pub language: Language,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_output")]
    pub output_dir: String,
    #[serde(default)]
    pub author: String,
    /// Where a page's source is edited, with `{path}` for its path from
    /// the site root (`content/artikler/x.md`): each page links to it.
    #[serde(default)]
    pub edit_url: Option<String>,
    #[serde(default)]
    pub sections: BTreeMap<String, SectionDefaults>,
    #[serde(default)]
    pub topics: Vec<TopicConfig>,
    #[serde(default)]
    pub case: CaseConfig,
    #[serde(default)]
    pub related: RelatedConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub anonymization: AnonymizationConfig,
    #[serde(default)]
    pub insight: InsightConfig,
    #[serde(default)]
    pub translations: BTreeMap<String, String>,
    #[serde(default)]
    pub brand: BrandConfig,
    #[serde(default)]
    pub feed: FeedConfig,
    #[serde(default)]
    pub listing: ListingConfig,
    #[serde(default)]
    pub robots: RobotsConfig,
    #[serde(default)]
    pub offline: OfflineConfig,
    /// The text of `site.toml` these settings were read from, so that a
    /// setting checked later is reported at its own line ([`Config::place`]).
    #[serde(skip)]
    pub source: std::sync::Arc<str>,
}

fn default_base_url() -> String {
    "/".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output() -> String {
    "public".into()
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDefaults {
    pub kind: Option<crate::content::Kind>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct TopicConfig {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CaseConfig {
    #[serde(default = "default_reasons")]
    pub reasons: Vec<String>,
}
impl Default for CaseConfig {
    fn default() -> Self {
        CaseConfig {
            reasons: default_reasons(),
        }
    }
}
fn default_reasons() -> Vec<String> {
    DEFAULT_REASONS.iter().map(|s| s.to_string()).collect()
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedConfig {
    #[serde(default = "default_related_count")]
    pub count: usize,
}
impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig { count: 4 }
    }
}
fn default_related_count() -> usize {
    4
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
}
impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}
fn yes() -> bool {
    true
}

/// `[offline]`: readers keep what they read, for reading without a network
/// (the theme's `sw.js`, and `offline.html` for a page not kept).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
}
impl Default for OfflineConfig {
    fn default() -> Self {
        OfflineConfig { enabled: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AnonScope {
    #[default]
    Cases,
    All,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AnonymizationConfig {
    /// A file (relative to the site root) with one name per line.
    pub deny_list: Option<String>,
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub scope: AnonScope,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct InsightConfig {
    #[serde(default = "default_insight_path")]
    pub path: String,
    #[serde(default = "default_min_group")]
    pub min_group: usize,
}
impl Default for InsightConfig {
    fn default() -> Self {
        InsightConfig {
            path: default_insight_path(),
            min_group: default_min_group(),
        }
    }
}
/// The insight pages' default path on a Norwegian site.
pub const INSIGHT_PATH_NB: &str = "evaluering/innsikt";
/// The insight pages' default path on an English site.
pub const INSIGHT_PATH_EN: &str = "evaluation/insight";

/// Unset: [`Config::parse`] gives it the site's language's default.
fn default_insight_path() -> String {
    String::new()
}
fn default_min_group() -> usize {
    5
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BrandConfig {
    pub accent: Option<String>,
    pub accent_dark: Option<String>,
    pub font: Option<String>,
    pub logo: Option<String>,
}

/// The light scheme's background, white: the header's text and the links
/// sit on it or on the accent.
const LIGHT_BG: [u8; 3] = [0xff, 0xff, 0xff];
/// The dark scheme's lightest surface (`--surface`), where links in cards
/// sit: the hardest background for a dark-scheme accent.
const DARK_SURFACE: [u8; 3] = [0x1b, 0x20, 0x26];
/// WCAG 2's minimum contrast for text.
const MIN_CONTRAST: f64 = 4.5;

impl BrandConfig {
    /// The accents are colours vinn can read, with text contrast against
    /// what they meet: `accent` against white (the header's text, the
    /// links), `accent_dark` against the dark scheme's surfaces; the font
    /// is a list of font names and nothing else (it goes into the theme's
    /// stylesheet as it is written).
    fn check(&self, text: &str) -> std::result::Result<(), Diagnostic> {
        for (key, value, against, what, fix) in [
            (
                "accent",
                &self.accent,
                LIGHT_BG,
                "white (the header's text, every link)",
                "darker",
            ),
            (
                "accent_dark",
                &self.accent_dark,
                DARK_SURFACE,
                "the dark scheme's surfaces (#1b2026)",
                "lighter",
            ),
        ] {
            let Some(value) = value else { continue };
            let (line, col) = place_in(text, &["brand", key]);
            let Some(colour) = parse_colour(value) else {
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    format!(
                        "`[brand] {key}` = `{value}` is not a colour vinn can read: write it as \"#rrggbb\" (e.g. \"#0b6e4f\") or \"rgb(11, 110, 79)\""
                    ),
                ));
            };
            let ratio = contrast(colour, against);
            if ratio < MIN_CONTRAST {
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    format!(
                        "`[brand] {key}` = `{value}` has a contrast of {ratio:.1}:1 against {what}, and text needs {MIN_CONTRAST}:1: choose a {fix} colour"
                    ),
                ));
            }
        }
        if let Some(font) = &self.font
            && let Some(bad) = font.chars().find(|&c| !is_font_char(c))
        {
            let (line, col) = place_in(text, &["brand", "font"]);
            return Err(Diagnostic::error(
                CONFIG_FILE,
                line,
                col,
                format!(
                    "`[brand] font` = `{font}` holds `{bad}`, which a font list has no use for: write font names separated by commas (e.g. \"Georgia, 'Times New Roman', serif\")"
                ),
            ));
        }
        Ok(())
    }
}

/// [`Config::place`] in a TOML text.
fn place_in(text: &str, path: &[&str]) -> (usize, usize) {
    use toml::de::{DeTable, DeValue};
    let Ok(doc) = DeTable::parse(text) else {
        return (1, 1);
    };
    let mut found = None;
    let mut here: &DeValue<'_> = &DeValue::Boolean(false);
    let mut table = Some(doc.get_ref());
    for step in path {
        let next = match (table, here) {
            (Some(t), _) => t
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == *step)
                .map(|(_, v)| v),
            (None, DeValue::Array(items)) => step.parse::<usize>().ok().and_then(|i| items.get(i)),
            (None, _) => None,
        };
        let Some(value) = next else { break };
        found = Some(value.span());
        here = value.get_ref();
        table = match here {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    found.map_or((1, 1), |span| line_col(text, span.start))
}

/// What a CSS font list may hold: names, quotes, commas, spaces, hyphens.
pub fn is_font_char(c: char) -> bool {
    c.is_alphanumeric() || " ,-'\"_.".contains(c)
}

/// An sRGB colour written `#rgb`, `#rrggbb` or `rgb(r, g, b)`.
fn parse_colour(v: &str) -> Option<[u8; 3]> {
    let v = v.trim();
    if let Some(hex) = v.strip_prefix('#') {
        let digit = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
        return match hex.len() {
            3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
            6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
            _ => None,
        };
    }
    let inner = v.strip_prefix("rgb(")?.strip_suffix(')')?;
    let parts: Vec<u8> = inner
        .split([',', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    <[u8; 3]>::try_from(parts).ok()
}

/// WCAG 2's contrast ratio of two sRGB colours (1 to 21).
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let luminance = |c: [u8; 3]| {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
}
impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig { limit: 20 }
    }
}
fn default_feed_limit() -> usize {
    20
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ListingConfig {
    /// Cards per page on the lists of each kind and the topic and tag
    /// pages; longer lists continue on `side/2/`, `side/3/` …; 0 keeps
    /// every list on one page.
    #[serde(default = "default_per_page")]
    pub per_page: usize,
}
impl Default for ListingConfig {
    fn default() -> Self {
        ListingConfig {
            per_page: default_per_page(),
        }
    }
}
fn default_per_page() -> usize {
    50
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RobotsConfig {
    /// `false` (the default) asks crawlers to stay away: the site is internal.
    #[serde(default)]
    pub allow_indexing: bool,
}

pub const CONFIG_FILE: &str = "site.toml";

/// Whether `url` can be a `base_url`: a path from the server's root
/// (`/`, `/opplaering/`), or an `http://` or `https://` address with a
/// host. Anything else would make broken addresses of the canonical
/// links, the feed and the sitemap. `Err` says what it needs to be, to
/// follow the setting's name.
pub fn check_base_url(url: &str) -> std::result::Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let host = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    let ok = match host {
        Some(rest) => !rest.is_empty() && !rest.starts_with('/'),
        // `//host/` would be an address without its scheme.
        None => url.starts_with('/') && !url.starts_with("//"),
    };
    if ok {
        return Ok(());
    }
    Err("needs to be a path from the server's root, `/path/` (e.g. \"/opplaering/\"), or a web address, `http(s)://host/…` (e.g. \"https://intra.example/opplaering/\")".to_string())
}

impl Config {
    /// Reads `site.toml` in `root`. A missing file is an environment error;
    /// a broken one is a site error with the line of the problem.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !root.is_dir() => {
                return Err(Error::env(format!(
                    "no folder {}: pass --root the folder holding {CONFIG_FILE}",
                    root.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::env(format!(
                    "no {CONFIG_FILE} in {}: run `vinn init` to create a site, or pass --root DIR",
                    root.display()
                )));
            }
            Err(e) => return Err(Error::io(path, e)),
        };
        Config::parse(&text).map_err(|d| Error::Site(std::iter::once(d).collect::<Diagnostics>()))
    }

    /// Parses the text of a `site.toml`.
    pub fn parse(text: &str) -> std::result::Result<Config, Diagnostic> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            Diagnostic::error(CONFIG_FILE, line, col, explain_config_message(e.message()))
        })?;
        cfg.source = text.into();
        cfg.normalize()?;
        cfg.brand.check(text)?;
        Ok(cfg)
    }

    fn normalize(&mut self) -> std::result::Result<(), Diagnostic> {
        if let Err(needs) = check_base_url(&self.base_url) {
            let (line, col) = self.place(&["base_url"]);
            return Err(Diagnostic::error(
                CONFIG_FILE,
                line,
                col,
                format!("`base_url` = `{}` {needs}", self.base_url),
            ));
        }
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        self.insight.path = self.insight.path.trim_matches('/').to_string();
        if self.insight.path.is_empty() {
            self.insight.path = match self.language {
                Language::Nb => INSIGHT_PATH_NB,
                Language::En => INSIGHT_PATH_EN,
            }
            .to_string();
        }
        if self.insight.min_group == 0 {
            self.insight.min_group = 1;
        }
        if let Some(e) = &self.edit_url
            && !(e.contains("{path}") && (e.starts_with("https://") || e.starts_with("http://")))
        {
            let (line, col) = self.place(&["edit_url"]);
            return Err(Diagnostic::error(
                CONFIG_FILE,
                line,
                col,
                format!(
                    "`edit_url` = `{e}` needs to be a web address with `{{path}}` where the page's file goes, e.g. \"https://github.com/firma/salgsskolen/edit/main/{{path}}\""
                ),
            ));
        }
        let mut seen = std::collections::BTreeMap::new();
        for (i, t) in self.topics.iter().enumerate() {
            if let Some(first) = seen.insert(t.slug.as_str(), i) {
                let (line, col) = self.place(&["topics", &i.to_string(), "slug"]);
                let (first_line, _) = self.place(&["topics", &first.to_string(), "slug"]);
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    format!(
                        "topic `{}` is listed twice in [[topics]] (first at line {first_line}): give each topic its own slug",
                        t.slug
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The line and column in `site.toml` of the setting at `path`: table
    /// keys, and array indexes written as numbers (`["topics", "1",
    /// "slug"]`, `["anonymization", "patterns", "0"]`). Where the path
    /// goes further than the file, the place of the last step found;
    /// `(1, 1)` when not even the first is there.
    pub fn place(&self, path: &[&str]) -> (usize, usize) {
        place_in(&self.source, path)
    }

    /// The address where the file at `source` (from the site root) is
    /// edited, from `edit_url`.
    pub fn edit_url_of(&self, source: &str) -> Option<String> {
        use std::fmt::Write;
        let template = self.edit_url.as_ref()?;
        // Each byte but the unreserved ones and the slashes percent-encoded.
        let mut path = String::with_capacity(source.len() * 2);
        for b in source.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                    path.push(char::from(b))
                }
                _ => {
                    let _ = write!(path, "%{b:02X}");
                }
            }
        }
        Some(template.replace("{path}", &path))
    }

    /// The path part of `base_url`, always starting and ending with `/`:
    /// `https://x.no/opplaering/` → `/opplaering/`.
    pub fn base_path(&self) -> String {
        let url = self.base_url.as_str();
        let after_scheme = url.find("://").map(|i| &url[i + 3..]);
        let path = match after_scheme {
            Some(rest) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
            None => url,
        };
        let mut p = String::from("/");
        p.push_str(path.trim_matches('/'));
        if !p.ends_with('/') {
            p.push('/');
        }
        p
    }

    /// The default kind of pages in a top-level section folder.
    pub fn section_kind(&self, top: &str) -> Option<crate::content::Kind> {
        self.sections.get(top).and_then(|s| s.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_is_placed_at_its_value() {
        let text = "title = \"x\"\n\n[[topics]]\nslug = \"a\"\n\n[[topics]]\n  slug = \"b\"\n\n[anonymization]\npatterns = [\n  \"ok\",\n  \"(x\",\n]\nscope = \"all\"\n[brand]\nlogo = \"l.svg\"\nsections.case = { kind = \"case\" }\n";
        for (path, at) in [
            (&["topics", "1", "slug"][..], (7, 10)),
            (&["topics", "0"], (3, 1)),
            (&["anonymization", "patterns", "1"], (12, 3)),
            // As far as the file goes: the array, the table, nothing.
            (&["anonymization", "patterns", "7"], (10, 12)),
            (&["anonymization", "deny_list"], (9, 1)),
            (&["anonymization", "scope", "x"], (14, 9)),
            (&["insight", "path"], (1, 1)),
            (&["brand", "logo"], (16, 8)),
            (&["brand", "sections", "case", "kind"], (17, 26)),
        ] {
            assert_eq!(place_in(text, path), at, "{path:?}");
        }
        assert_eq!(place_in("not [toml", &["title"]), (1, 1));
    }

    #[test]
    fn brand_accents_need_text_contrast() {
        // The theme's own accents pass (#0b6e4f ~6.2:1 on white, #4cc79b
        // ~7.8:1 on the dark surface); so do #8a1538 and rgb().
        for ok in [
            "[brand]\naccent = \"#0b6e4f\"\naccent_dark = \"#4cc79b\"\n",
            "[brand]\naccent = \"#8a1538\"\naccent_dark = \"#ff9bb5\"\n",
            "[brand]\naccent = \"rgb(11, 110, 79)\"\n",
            "[brand]\naccent = \"#000\"\n",
        ] {
            Config::parse(&format!("title = \"x\"\n{ok}")).unwrap();
        }
        for (bad, line, says) in [
            (
                "[brand]\nfont = \"Georgia\"\naccent = \"#cccccc\"\n",
                4,
                "1.6:1 against white",
            ),
            (
                "[brand]\naccent_dark = \"#0b6e4f\"\n",
                3,
                "choose a lighter colour",
            ),
            (
                "[brand]\naccent = \"darkgreen\"\n",
                3,
                "not a colour vinn can read",
            ),
            (
                "[brand]\naccent = \"#0b6e4\"\n",
                3,
                "not a colour vinn can read",
            ),
            (
                "[brand]\naccent = \"red;}body{display:none\"\n",
                3,
                "not a colour",
            ),
        ] {
            let d = Config::parse(&format!("title = \"x\"\n{bad}")).unwrap_err();
            assert_eq!(d.line, line, "{bad}: {}", d.message);
            assert!(d.message.contains(says), "{bad}: {}", d.message);
        }
        // WCAG's own figures: black on white 21:1, white on white 1:1.
        assert!((contrast([0, 0, 0], LIGHT_BG) - 21.0).abs() < 1e-9);
        assert!((contrast(LIGHT_BG, LIGHT_BG) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn unknown_key_names_key_and_hint() {
        let d = Config::parse("title = \"x\"\nlanguge = \"nb\"\n").unwrap_err();
        assert_eq!(d.line, 2);
        assert!(d.message.contains("`languge`"), "{}", d.message);
        assert_eq!(
            d.message, "unknown key `languge`: did you mean `language`?",
            "site.toml has no `extra:`"
        );
        // Where no key is near, the keys of that table are listed.
        let d = Config::parse("title = \"x\"\n[search]\nzzzzqqq = true\n").unwrap_err();
        assert_eq!(d.line, 3);
        assert_eq!(d.message, "unknown key `zzzzqqq`; valid keys are `enabled`");
    }

    #[test]
    fn base_url_is_a_path_or_a_web_address() {
        for ok in [
            "/",
            "/opplaering",
            "/opplaering/",
            "https://intra.example/opplaering/",
            "http://intra.example",
            "HTTPS://intra.example/",
        ] {
            Config::parse(&format!("title = \"x\"\nbase_url = \"{ok}\"\n"))
                .unwrap_or_else(|d| panic!("{ok}: {d}"));
        }
        for bad in [
            "opplaering",
            "intra.example/opplaering",
            "ftp://x/",
            "https://",
            "https:///sti/",
            "//intra.example/",
            "",
        ] {
            let d = Config::parse(&format!("title = \"x\"\n\nbase_url = \"{bad}\"\n")).unwrap_err();
            assert_eq!((d.line, d.col), (3, 12), "{bad}: {}", d.message);
            assert!(
                d.message
                    .starts_with(&format!("`base_url` = `{bad}` needs to be a path"))
                    && d.message.contains("`/path/`")
                    && d.message.contains("`http(s)://host/…`"),
                "{bad}: {}",
                d.message
            );
        }
    }

    #[test]
    fn base_path_from_url() {
        let mut c = Config::parse("title = \"x\"\nbase_url = \"https://intra.example/opplaering\"")
            .unwrap();
        assert_eq!(c.base_path(), "/opplaering/");
        c.base_url = "/".into();
        assert_eq!(c.base_path(), "/");
        c.base_url = "/a/b/".into();
        assert_eq!(c.base_path(), "/a/b/");
    }
}
