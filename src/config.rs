//! Configuration: `site.toml` parsed into typed settings.
//!
//! Unknown keys are errors that name the key and the nearest valid one; a
//! missing `site.toml` is an environment error. Everything else in the build
//! reads settings from [`Config`], never from the file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Error, Result, explain_serde_message, line_col};

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
fn default_insight_path() -> String {
    "evaluering/innsikt".into()
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

impl Config {
    /// Reads `site.toml` in `root`. A missing file is an environment error;
    /// a broken one is a site error with the line of the problem.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
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
            Diagnostic::error(CONFIG_FILE, line, col, explain_serde_message(e.message()))
        })?;
        cfg.normalize()
            .map_err(|m| Diagnostic::error(CONFIG_FILE, 1, 1, m))?;
        Ok(cfg)
    }

    fn normalize(&mut self) -> std::result::Result<(), String> {
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        self.insight.path = self.insight.path.trim_matches('/').to_string();
        if self.insight.min_group == 0 {
            self.insight.min_group = 1;
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in &self.topics {
            if !seen.insert(t.slug.as_str()) {
                return Err(format!("topic `{}` is listed twice in [[topics]]", t.slug));
            }
        }
        Ok(())
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
    fn unknown_key_names_key_and_hint() {
        let d = Config::parse("title = \"x\"\nlanguge = \"nb\"\n").unwrap_err();
        assert_eq!(d.line, 2);
        assert!(d.message.contains("`languge`"), "{}", d.message);
        assert!(
            d.message.contains("did you mean `language`"),
            "{}",
            d.message
        );
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
