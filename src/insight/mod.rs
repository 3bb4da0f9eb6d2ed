//! Win/loss insight: what the published case studies say, taken together,
//! about why deals are won and lost.
//!
//! [`aggregate`] counts the published cases (no drafts, nothing under a
//! draft section, only `anonymized: true`) by outcome, by reason (for lost
//! and for won deals; a case may give several reasons), by industry, deal-size
//! band, decision-maker role and quarter, with shares and win rates where a
//! group is large enough (`[insight] min_group`). A build computes it once
//! and hands the same aggregate to the templates and the insight pages.
//!
//! From the aggregate come: the `insight` value every template sees
//! ([`context`]), the evaluation page with its charts and one static list
//! page per bar ([`render_pages`]), `insight.json` and `cases.csv`, and the
//! terminal report of `vinn insight` ([`report`]).
//!
//! [`Figures`] holds the aggregate with its template value; `serve` keeps
//! it across front matter edits and asks [`Figures::change`] whether an
//! edit leaves it as it is, changes only the actions, or needs it all
//! counted again.

mod chart;
mod export;
mod pages;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;
use std::path::Path;

use serde::Serialize;

use crate::build::Options;
use crate::config::Language;
use crate::content::date::Date;
use crate::content::slug::slugify;
use crate::content::{Kind, Outcome, Page};
use crate::diagnostics::{Diagnostic, Error, Result, display_path};
use crate::i18n::reason_label;
use crate::render::{Renderer, Sink};
use crate::site::Site;

pub use export::{cases_csv, figures_csv, table, to_json};

/// Output formats of `vinn insight`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// The ways the cases are grouped, in the order the page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DimensionKey {
    Outcomes,
    LossReasons,
    WinReasons,
    Industries,
    DealSizes,
    Roles,
    Quarters,
}

impl DimensionKey {
    pub const ALL: [DimensionKey; 7] = [
        DimensionKey::Outcomes,
        DimensionKey::LossReasons,
        DimensionKey::WinReasons,
        DimensionKey::Industries,
        DimensionKey::DealSizes,
        DimensionKey::Roles,
        DimensionKey::Quarters,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DimensionKey::Outcomes => "outcomes",
            DimensionKey::LossReasons => "loss_reasons",
            DimensionKey::WinReasons => "win_reasons",
            DimensionKey::Industries => "industries",
            DimensionKey::DealSizes => "deal_sizes",
            DimensionKey::Roles => "roles",
            DimensionKey::Quarters => "quarters",
        }
    }

    /// The URL folder (below the insight page) of the per-bar lists.
    fn folder(self, lang: Language) -> &'static str {
        match (self, lang) {
            (DimensionKey::Outcomes, Language::Nb) => "utfall",
            (DimensionKey::LossReasons, Language::Nb) => "tapt",
            (DimensionKey::WinReasons, Language::Nb) => "vunnet",
            (DimensionKey::Industries, Language::Nb) => "bransje",
            (DimensionKey::DealSizes, Language::Nb) => "storrelse",
            (DimensionKey::Roles, Language::Nb) => "rolle",
            (DimensionKey::Quarters, Language::Nb) => "kvartal",
            (DimensionKey::Outcomes, Language::En) => "outcome",
            (DimensionKey::LossReasons, Language::En) => "lost",
            (DimensionKey::WinReasons, Language::En) => "won",
            (DimensionKey::Industries, Language::En) => "industry",
            (DimensionKey::DealSizes, Language::En) => "deal-size",
            (DimensionKey::Roles, Language::En) => "role",
            (DimensionKey::Quarters, Language::En) => "quarter",
        }
    }

    /// UI string key of the chart title.
    fn title_key(self) -> &'static str {
        match self {
            DimensionKey::Outcomes => "insight_outcomes",
            DimensionKey::LossReasons => "insight_loss_reasons",
            DimensionKey::WinReasons => "insight_win_reasons",
            DimensionKey::Industries => "insight_by_industry",
            DimensionKey::DealSizes => "insight_by_deal_size",
            DimensionKey::Roles => "insight_by_role",
            DimensionKey::Quarters => "insight_by_quarter",
        }
    }

    /// UI string key of the word that starts a list page's title
    /// ("Tapt: Beslutningstaker", "Bransje: Helse").
    fn list_prefix_key(self) -> Option<&'static str> {
        match self {
            DimensionKey::Outcomes => None,
            DimensionKey::LossReasons => Some("lost"),
            DimensionKey::WinReasons => Some("won"),
            DimensionKey::Industries => Some("industry"),
            DimensionKey::DealSizes => Some("deal_size"),
            DimensionKey::Roles => Some("decision_maker_role"),
            DimensionKey::Quarters => Some("insight_quarter"),
        }
    }

    /// Whether groups get a win rate (breakdowns of all cases).
    fn has_win_rate(self) -> bool {
        matches!(
            self,
            DimensionKey::Industries
                | DimensionKey::DealSizes
                | DimensionKey::Roles
                | DimensionKey::Quarters
        )
    }

    /// Whether one case may count in several groups.
    fn multi(self) -> bool {
        matches!(self, DimensionKey::LossReasons | DimensionKey::WinReasons)
    }
}

/// The facts of one published case study (never its story text).
#[derive(Debug, Clone, Serialize)]
pub struct CaseFacts {
    /// Index into `site.pages`.
    #[serde(skip)]
    pub page: usize,
    pub url: String,
    pub title: String,
    /// The source file, relative to the site root.
    pub source: String,
    pub outcome: Outcome,
    pub reasons: Vec<String>,
    pub industry: Option<String>,
    pub deal_size: Option<String>,
    pub decision_maker_role: Option<String>,
    pub lessons: Vec<String>,
    pub date: Option<Date>,
    pub interview_date: Option<Date>,
}

impl CaseFacts {
    /// The date a case is placed in time by: the loss interview, else the page date.
    pub fn when(&self) -> Option<Date> {
        self.interview_date.or(self.date)
    }
}

/// One bar: a group of cases with its counts.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The raw value: a reason, an industry, `2026-Q1`, … (`""` = not stated).
    pub key: String,
    pub label: String,
    /// URL slug of the group's list page.
    pub slug: String,
    /// Site-relative URL of the list of cases behind the bar (none when empty).
    pub url: Option<String>,
    pub count: usize,
    /// `count / base`, when the base has at least `min_group` cases.
    pub share: Option<f64>,
    pub won: usize,
    pub lost: usize,
    pub no_decision: usize,
    /// `won / count`, for breakdowns, when the group has at least `min_group` cases.
    pub win_rate: Option<f64>,
    /// URLs of the cases behind the bar.
    pub cases: Vec<String>,
    /// Indices into [`Insight::cases`].
    #[serde(skip)]
    pub members: Vec<usize>,
}

/// One way of grouping the cases: a chart on the page.
#[derive(Debug, Clone, Serialize)]
pub struct Dimension {
    pub key: DimensionKey,
    pub title: String,
    /// The cases shares are taken of (all, lost or won cases).
    pub base: usize,
    /// Whether the base is large enough for percentages.
    pub enough: bool,
    /// Whether one case may count in several groups (reasons).
    pub multi: bool,
    pub groups: Vec<Group>,
}

/// A link to a page of the site.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A common loss reason with the material on the same topic.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub reason: String,
    pub label: String,
    pub count: usize,
    pub share: Option<f64>,
    /// The list of lost cases giving this reason.
    pub url: Option<String>,
    pub topic: Option<Link>,
    pub checklists: Vec<Link>,
    pub articles: Vec<Link>,
}

/// Everything insight knows about a site.
#[derive(Debug, Clone)]
pub struct Insight {
    /// Site-relative URL of the evaluation page (`evaluering/innsikt/`).
    pub url: String,
    pub language: Language,
    pub min_group: usize,
    pub total: usize,
    pub cases: Vec<CaseFacts>,
    pub dimensions: Vec<Dimension>,
    pub actions: Vec<Action>,
    /// Problems with the configuration (a bad `[insight] path`).
    pub problems: Vec<Diagnostic>,
    /// Each dimension's fingerprint, made when `serve`'s memo first asks
    /// ([`pages::Inputs`]). The dimensions are made once, by aggregating:
    /// the figures kept across rebuilds ([`Figures::shifted`],
    /// [`Figures::with_actions_of`]) keep them, and these with them.
    dimension_prints: std::sync::OnceLock<Vec<u64>>,
}

impl Insight {
    pub fn dimension(&self, key: DimensionKey) -> &Dimension {
        self.dimensions
            .iter()
            .find(|d| d.key == key)
            .expect("every dimension is computed")
    }

    /// Number of cases with an outcome.
    pub fn outcome_count(&self, o: Outcome) -> usize {
        self.cases.iter().filter(|c| c.outcome == o).count()
    }
}

/// A UI string of the site (empty when missing: templates may override).
fn s(site: &Site, key: &str) -> String {
    site.strings.get(key).cloned().unwrap_or_default()
}

/// `{n}` in a UI string replaced.
fn fill(text: &str, n: usize) -> String {
    text.replace("{n}", &n.to_string())
}

/// `{n}` filled into `key`, or into `key_one` when `n` is 1 and the table
/// has a singular form.
fn fill_n(site: &Site, key: &str, n: usize) -> String {
    let one = format!("{key}_one");
    match site.strings.get(&one) {
        Some(t) if n == 1 => fill(t, n),
        _ => fill(&s(site, key), n),
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A share as a percentage in the site's language: `43 %` / `43%`.
pub fn percent(x: f64, lang: Language) -> String {
    let p = (x * 100.0).round() as i64;
    match lang {
        Language::Nb => format!("{p}\u{a0}%"),
        Language::En => format!("{p}%"),
    }
}

/// Is the page in a draft section (kept only with `--drafts`)?
fn in_draft_section(site: &Site, section: &str) -> bool {
    let mut key = Some(section.to_string());
    while let Some(k) = key {
        match site.sections.get(&k) {
            Some(s) if s.section.draft => return true,
            Some(s) => key = s.section.parent.clone(),
            None => return false,
        }
    }
    false
}

/// Is the page in a folder whose `_index.md` did not make it into the
/// site (a draft section left out of a build without `--drafts`)? Such a
/// page may still be loaded under the nearest published section; insight
/// never counts it.
fn in_hidden_section(site: &Site, key: &str) -> bool {
    let dir = crate::content::parent_key(key);
    let mut prefix = String::new();
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(seg);
        if !site.sections.contains_key(&prefix)
            && site
                .root
                .join("content")
                .join(&prefix)
                .join("_index.md")
                .is_file()
        {
            return true;
        }
    }
    false
}

/// Whether page `p` of `site` is published: no draft, not under a draft
/// section, not in a hidden folder ([`published`] asks the same of every
/// page, the sections and folders once each).
fn is_published(site: &Site, p: &Page) -> bool {
    !p.meta.draft && !in_draft_section(site, &p.section) && !in_hidden_section(site, &p.key)
}

/// Whether each page is published ([`is_published`]), worked out once per
/// section and folder.
fn published(site: &Site) -> Vec<bool> {
    let mut drafty: HashMap<&str, bool> = HashMap::new();
    let mut hidden: HashMap<&str, bool> = HashMap::new();
    // Pages come folder by folder: most ask what the one before asked.
    let mut last: Option<(&str, &str, bool)> = None;
    site.pages
        .iter()
        .map(|sp| {
            let p = &sp.page;
            let dir = p.key.rsplit_once('/').map_or("", |(dir, _)| dir);
            let shown = match last {
                Some((section, folder, shown)) if section == p.section && folder == dir => shown,
                _ => {
                    let shown = !*drafty
                        .entry(p.section.as_str())
                        .or_insert_with(|| in_draft_section(site, &p.section))
                        && !*hidden
                            .entry(dir)
                            .or_insert_with(|| in_hidden_section(site, &p.key));
                    last = Some((p.section.as_str(), dir, shown));
                    shown
                }
            };
            !p.meta.draft && shown
        })
        .collect()
}

/// The published case studies, by URL.
fn published_cases(site: &Site, published: &[bool]) -> Vec<CaseFacts> {
    let mut out: Vec<CaseFacts> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(i, sp)| sp.page.meta.kind == Kind::Case && published[*i])
        .filter_map(|(i, sp)| {
            let c = sp.page.meta.case.as_ref().filter(|c| c.anonymized)?;
            Some(CaseFacts {
                page: i,
                url: sp.page.url.clone(),
                title: sp.page.meta.title.clone(),
                source: display_path(&sp.page.source),
                outcome: c.outcome,
                reasons: c.reasons.clone(),
                industry: c.industry.clone().filter(|v| !v.trim().is_empty()),
                deal_size: c.deal_size.clone().filter(|v| !v.trim().is_empty()),
                decision_maker_role: c
                    .decision_maker_role
                    .clone()
                    .filter(|v| !v.trim().is_empty()),
                lessons: c.lessons.clone(),
                date: sp.page.meta.date,
                interview_date: c.interview_date,
            })
        })
        .collect();
    out.sort_by(|a, b| a.url.cmp(&b.url));
    out
}

/// The insight page's URL from `[insight] path`, or a message saying why
/// the path cannot be used.
fn insight_url(path: &str) -> std::result::Result<String, String> {
    let segs: Vec<&str> = path
        .split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if segs.is_empty() {
        return Err("[insight] path is empty: the evaluation page cannot replace the front page (e.g. path = \"evaluering/innsikt\")".into());
    }
    if let Some(bad) = segs
        .iter()
        .find(|s| **s == "." || **s == ".." || s.contains(['\\', '?', '#']))
    {
        return Err(format!(
            "[insight] path has a segment `{bad}` that cannot be part of a URL folder"
        ));
    }
    Ok(format!("{}/", segs.join("/")))
}

/// The site-relative URL of the evaluation page for an `[insight] path`
/// (`"/analyse/hvorfor/"` → `analyse/hvorfor/`; the default when the path
/// cannot be used — the build reports that as an error).
pub fn page_url(path: &str) -> String {
    insight_url(path)
        .unwrap_or_else(|_| insight_url(crate::config::INSIGHT_PATH_NB).unwrap_or_default())
}

/// Sort key that puts Norwegian æ, ø, å after z, in that order.
fn collate(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' => out.push_str("z\u{1}"),
            'ø' | 'ö' => out.push_str("z\u{2}"),
            'å' => out.push_str("z\u{3}"),
            c => out.push(c),
        }
    }
    out
}

/// The lower bound of a deal-size band in NOK (`500k-1M NOK` → 500 000),
/// for ordering bands from small to large.
pub fn band_lower_bound(band: &str) -> Option<f64> {
    let b = band.to_lowercase();
    let start = b.find(|c: char| c.is_ascii_digit())?;
    let rest = &b[start..];
    let num_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',' || c == ' ' || c == '\u{a0}'))
        .unwrap_or(rest.len());
    let digits: String = rest[..num_end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let value: f64 = digits.trim_end_matches('.').parse().ok()?;
    let unit = rest[num_end..].trim_start();
    let mult = if unit.starts_with("mrd") || unit.starts_with("bn") || unit.starts_with('b') {
        1e9
    } else if unit.starts_with("mill") || unit.starts_with("mnok") || unit.starts_with('m') {
        1e6
    } else if unit.starts_with('k') || unit.starts_with("tusen") {
        1e3
    } else {
        1.0
    };
    // "under 100k" and "< 100k" sort before "100k-500k".
    let below = b[..start].contains("under") || b[..start].contains('<');
    Some(value * mult - if below { 0.5 } else { 0.0 })
}

/// The quarter key of a date: `2026-Q1` (language independent).
fn quarter_key(d: Date) -> String {
    format!("{}-Q{}", d.year, d.quarter())
}

fn quarter_label(year: i32, q: u32, lang: Language) -> String {
    match lang {
        Language::Nb => format!("{year}-K{q}"),
        Language::En => format!("{year}-Q{q}"),
    }
}

/// A group under construction: its key, label and member cases.
struct Acc {
    key: String,
    label: String,
    members: Vec<usize>,
}

/// Builds the groups of one dimension from ordered accumulators.
fn finish(
    site: &Site,
    key: DimensionKey,
    base: usize,
    accs: Vec<Acc>,
    cases: &[CaseFacts],
    ins_url: &str,
) -> Dimension {
    let min_group = site.config.insight.min_group;
    let lang = site.config.language;
    let enough = base > 0 && base >= min_group;
    let mut used: HashSet<String> = HashSet::new();
    let groups = accs
        .into_iter()
        .map(|a| {
            let mut slug = slugify(&a.label);
            if slug.is_empty() {
                slug = slugify(&a.key);
            }
            if slug.is_empty() {
                slug = "x".into();
            }
            if used.contains(&slug) {
                let mut n = 2;
                while used.contains(&format!("{slug}-{n}")) {
                    n += 1;
                }
                slug = format!("{slug}-{n}");
            }
            used.insert(slug.clone());
            let count = a.members.len();
            let of = |o: Outcome| a.members.iter().filter(|&&m| cases[m].outcome == o).count();
            let (won, lost, no_decision) =
                (of(Outcome::Won), of(Outcome::Lost), of(Outcome::NoDecision));
            let share = enough.then(|| round4(count as f64 / base as f64));
            let win_rate = (key.has_win_rate() && count > 0 && count >= min_group)
                .then(|| round4(won as f64 / count as f64));
            let url = (count > 0).then(|| format!("{ins_url}{}/{slug}/", key.folder(lang)));
            Group {
                cases: a.members.iter().map(|&m| cases[m].url.clone()).collect(),
                key: a.key,
                label: a.label,
                slug,
                url,
                count,
                share,
                won,
                lost,
                no_decision,
                win_rate,
                members: a.members,
            }
        })
        .collect();
    Dimension {
        key,
        title: s(site, key.title_key()),
        base,
        enough,
        multi: key.multi(),
        groups,
    }
}

/// Groups cases by an optional text field: biggest group first, then by
/// label; "not stated" last.
fn by_field(
    site: &Site,
    cases: &[CaseFacts],
    field: impl Fn(&CaseFacts) -> Option<&str>,
    bands: bool,
) -> Vec<Acc> {
    // "Bygg og anlegg" and "bygg og  anlegg" are one group, named as
    // most of its cases write it.
    let mut map: HashMap<String, Vec<usize>> = HashMap::new();
    let mut missing = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        match field(c) {
            Some(v) => {
                let key = v
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                map.entry(key).or_default().push(i);
            }
            None => missing.push(i),
        }
    }
    let mut accs: Vec<Acc> = map
        .into_values()
        .map(|members| {
            let mut spellings: Vec<(usize, String)> = Vec::new();
            for &i in &members {
                let v = field(&cases[i]).unwrap_or_default();
                let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
                match spellings.iter_mut().find(|(_, s)| *s == v) {
                    Some((n, _)) => *n += 1,
                    None => spellings.push((1, v)),
                }
            }
            spellings.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            let name = spellings.swap_remove(0).1;
            Acc {
                label: name.clone(),
                key: name,
                members,
            }
        })
        .collect();
    if bands {
        accs.sort_by(|a, b| {
            let (x, y) = (band_lower_bound(&a.key), band_lower_bound(&b.key));
            match (x, y) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| collate(&a.key).cmp(&collate(&b.key)))
        });
    } else {
        accs.sort_by(|a, b| {
            b.members
                .len()
                .cmp(&a.members.len())
                .then_with(|| collate(&a.key).cmp(&collate(&b.key)))
                .then_with(|| a.key.cmp(&b.key))
        });
    }
    if !missing.is_empty() {
        accs.push(Acc {
            key: String::new(),
            label: s(site, "insight_not_stated"),
            members: missing,
        });
    }
    accs
}

/// Groups the cases with an outcome by reason: every reason of the
/// vocabulary (so a reason nobody gives shows as 0), most given first.
fn by_reason(site: &Site, cases: &[CaseFacts], outcome: Outcome) -> Vec<Acc> {
    let lang = site.config.language;
    let mut order: Vec<String> = site.config.case.reasons.clone();
    for c in cases.iter().filter(|c| c.outcome == outcome) {
        for r in &c.reasons {
            if !order.contains(r) {
                order.push(r.clone());
            }
        }
    }
    let mut accs: Vec<(usize, Acc)> = order
        .iter()
        .enumerate()
        .map(|(pos, r)| {
            let members = cases
                .iter()
                .enumerate()
                .filter(|(_, c)| c.outcome == outcome && c.reasons.contains(r))
                .map(|(i, _)| i)
                .collect();
            (
                pos,
                Acc {
                    key: r.clone(),
                    label: reason_label(r, lang),
                    members,
                },
            )
        })
        .collect();
    accs.sort_by(|(pa, a), (pb, b)| b.members.len().cmp(&a.members.len()).then(pa.cmp(pb)));
    accs.into_iter().map(|(_, a)| a).collect()
}

/// Groups cases by quarter, oldest first, with empty quarters between
/// filled in (a time line has no holes); "not stated" last.
fn by_quarter(site: &Site, cases: &[CaseFacts]) -> Vec<Acc> {
    let lang = site.config.language;
    let mut map: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
    let mut missing = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        match c.when() {
            Some(d) => map.entry((d.year, d.quarter())).or_default().push(i),
            None => missing.push(i),
        }
    }
    let mut accs = Vec::new();
    if let (Some(&first), Some(&last)) = (map.keys().next(), map.keys().next_back()) {
        let (mut y, mut q) = first;
        while (y, q) <= last {
            let members = map.remove(&(y, q)).unwrap_or_default();
            accs.push(Acc {
                key: quarter_key(Date {
                    year: y,
                    month: q * 3,
                    day: 1,
                }),
                label: quarter_label(y, q, lang),
                members,
            });
            if q == 4 {
                y += 1;
                q = 1;
            } else {
                q += 1;
            }
        }
    }
    if !missing.is_empty() {
        accs.push(Acc {
            key: String::new(),
            label: s(site, "insight_not_stated"),
            members: missing,
        });
    }
    accs
}

/// Term slugs that stand for a reason: the reason itself, its labels in
/// both languages (with Norwegian plural endings), and known synonyms.
fn reason_terms(reason: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |t: &str| {
        let t = slugify(t);
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    };
    add(reason);
    for lang in [Language::Nb, Language::En] {
        let l = slugify(&reason_label(reason, lang));
        add(&l);
        if lang == Language::Nb {
            add(&format!("{l}e"));
            add(&format!("{l}er"));
        } else {
            add(&format!("{l}s"));
        }
    }
    let synonyms: &[&str] = match reason {
        "decision-maker" => &["beslutningstakere", "mandat", "decision-makers"],
        "value" => &["verdi", "kundeverdi", "roi", "customer-value"],
        "price" => &["pris", "prising", "pricing"],
        "timing" => &["tidspunkt", "timing"],
        "competitor" => &["konkurrent", "konkurrenter", "konkurranse", "competition"],
        "relationship" => &["relasjon", "relasjoner", "relationships"],
        "scope" => &["omfang", "scope"],
        _ => &[],
    };
    for t in synonyms {
        add(t);
    }
    out
}

/// The published articles and checklists: what the actions may suggest.
fn suggestible(site: &Site, published: &[bool]) -> Vec<usize> {
    (0..site.pages.len())
        .filter(|&i| suggests(site.pages[i].page.meta.kind) && published[i])
        .collect()
}

/// Whether the actions may suggest pages of kind `kind`.
fn suggests(kind: Kind) -> bool {
    matches!(kind, Kind::Checklist | Kind::Article)
}

/// The most common loss reasons (up to three) with the checklists and
/// articles among `candidates` that carry the same topic (or tag).
fn actions(site: &Site, candidates: &[usize], losses: &Dimension) -> Vec<Action> {
    let rank = site.ranks();
    losses
        .groups
        .iter()
        .filter(|g| g.count > 0)
        .take(3)
        .map(|g| {
            let terms = reason_terms(&g.key);
            let topic = terms
                .iter()
                .find_map(|t| site.topics.get(t))
                .filter(|t| !t.pages.is_empty())
                .map(|t| Link {
                    title: t.title.clone(),
                    url: t.url.clone(),
                });
            // The pages with one of the terms as a topic, or as a tag (the
            // site's term maps are keyed by slug, as `terms` are).
            let with = |map: &std::collections::BTreeMap<String, crate::site::Term>| {
                let mut marked = vec![false; site.pages.len()];
                for t in terms.iter().filter_map(|t| map.get(t)) {
                    t.pages.iter().for_each(|&i| marked[i] = true);
                }
                marked
            };
            let (by_topic, by_tag) = (with(&site.topics), with(&site.tags));
            // (topic match first, then the usual page order); only the
            // first four of each kind are shown, so only they are sorted.
            let hits: Vec<(bool, usize)> = candidates
                .iter()
                .filter_map(|&i| {
                    if by_topic[i] {
                        Some((false, i))
                    } else if by_tag[i] {
                        Some((true, i))
                    } else {
                        None
                    }
                })
                .collect();
            let links = |kind: Kind| -> Vec<Link> {
                let mut keyed: Vec<_> = hits
                    .iter()
                    .filter(|(_, i)| site.pages[*i].page.meta.kind == kind)
                    .map(|&(by_tag, i)| ((by_tag, rank[i]), i))
                    .collect();
                if keyed.len() > 4 {
                    keyed.select_nth_unstable(4);
                    keyed.truncate(4);
                }
                keyed.sort_unstable();
                keyed
                    .into_iter()
                    .map(|(_, i)| Link {
                        title: site.pages[i].page.meta.title.clone(),
                        url: site.pages[i].page.url.clone(),
                    })
                    .collect()
            };
            Action {
                reason: g.key.clone(),
                label: g.label.clone(),
                count: g.count,
                share: g.share,
                url: g.url.clone(),
                topic,
                checklists: links(Kind::Checklist),
                articles: links(Kind::Article),
            }
        })
        .collect()
}

/// Every URL the insight pages write, for collision checks.
fn own_urls(ins: &Insight) -> Vec<&str> {
    std::iter::once(ins.url.as_str())
        .chain(
            ins.dimensions
                .iter()
                .flat_map(|d| d.groups.iter().filter_map(|g| g.url.as_deref())),
        )
        .collect()
}

/// Pages, sections and aliases whose URL the insight pages would overwrite.
fn collisions(site: &Site, ins: &Insight) -> Vec<Diagnostic> {
    collisions_with(site, ins, &site.pages, true)
}

/// [`collisions`] with the pages `pages` of `site`, and its sections too
/// with `sections`.
fn collisions_with<'a>(
    site: &'a Site,
    ins: &'a Insight,
    pages: impl IntoIterator<Item = &'a crate::site::SitePage>,
    sections: bool,
) -> Vec<Diagnostic> {
    // Who has each of those URLs (the last to claim it, sections last).
    let own: HashSet<&str> = own_urls(ins).into_iter().collect();
    let mut taken: HashMap<&str, String> = HashMap::new();
    for sp in pages {
        if let Some(&url) = own.get(sp.page.url.as_str()) {
            taken.insert(url, display_path(&sp.page.source));
        }
        for a in &sp.page.meta.aliases {
            if let Some(&url) = own.get(crate::site::alias_url(a, &site.config).as_str()) {
                taken.insert(url, display_path(&sp.page.source));
            }
        }
    }
    for (k, sec) in site.sections.iter().filter(|_| sections) {
        if let Some(&url) = own.get(sec.section.url.as_str()) {
            let who = sec
                .section
                .source
                .as_ref()
                .map(|p| display_path(p))
                .unwrap_or_else(|| format!("content/{k}/"));
            taken.insert(url, who);
        }
    }
    let mut out = Vec::new();
    for url in own_urls(ins) {
        if let Some(who) = taken.get(url) {
            let (line, col) = site.config.place(&["insight", "path"]);
            out.push(Diagnostic::error(
                crate::config::CONFIG_FILE,
                line,
                col,
                format!(
                    "the insight pages need the URL /{url}, which {who} already has: set another `path` under [insight] in site.toml, or move the page"
                ),
            ));
        }
    }
    out
}

/// Computes every aggregate of the site's published case studies.
pub fn aggregate(site: &Site) -> Insight {
    aggregate_with(site).0
}

/// [`aggregate`], with the pages the actions may suggest.
fn aggregate_with(site: &Site) -> (Insight, Vec<usize>) {
    let published = published(site);
    let cases = published_cases(site, &published);
    let mut problems = Vec::new();
    let url = match insight_url(&site.config.insight.path) {
        Ok(u) => u,
        Err(m) => {
            let (line, col) = site.config.place(&["insight", "path"]);
            problems.push(Diagnostic::error(crate::config::CONFIG_FILE, line, col, m));
            page_url("")
        }
    };
    let total = cases.len();
    let count_of = |o: Outcome| cases.iter().filter(|c| c.outcome == o).count();
    let outcome_accs: Vec<Acc> = Outcome::ALL
        .iter()
        .map(|&o| Acc {
            key: o.as_str().to_string(),
            label: s(site, o.as_str()),
            members: cases
                .iter()
                .enumerate()
                .filter(|(_, c)| c.outcome == o)
                .map(|(i, _)| i)
                .collect(),
        })
        .collect();
    let dimensions = vec![
        finish(
            site,
            DimensionKey::Outcomes,
            total,
            outcome_accs,
            &cases,
            &url,
        ),
        finish(
            site,
            DimensionKey::LossReasons,
            count_of(Outcome::Lost),
            by_reason(site, &cases, Outcome::Lost),
            &cases,
            &url,
        ),
        finish(
            site,
            DimensionKey::WinReasons,
            count_of(Outcome::Won),
            by_reason(site, &cases, Outcome::Won),
            &cases,
            &url,
        ),
        finish(
            site,
            DimensionKey::Industries,
            total,
            by_field(site, &cases, |c| c.industry.as_deref(), false),
            &cases,
            &url,
        ),
        finish(
            site,
            DimensionKey::DealSizes,
            total,
            by_field(site, &cases, |c| c.deal_size.as_deref(), true),
            &cases,
            &url,
        ),
        finish(
            site,
            DimensionKey::Roles,
            total,
            by_field(site, &cases, |c| c.decision_maker_role.as_deref(), false),
            &cases,
            &url,
        ),
        finish(
            site,
            DimensionKey::Quarters,
            total,
            by_quarter(site, &cases),
            &cases,
            &url,
        ),
    ];
    let candidates = suggestible(site, &published);
    let actions = actions(site, &candidates, &dimensions[1]);
    let mut ins = Insight {
        url,
        language: site.config.language,
        min_group: site.config.insight.min_group,
        total,
        cases,
        dimensions,
        actions,
        problems,
        dimension_prints: std::sync::OnceLock::new(),
    };
    let clashes = collisions(site, &ins);
    ins.problems.extend(clashes);
    (ins, candidates)
}

/// The `insight` value every template sees: every aggregate (without the
/// case lists), a `summary` flag for the front page, and ready-made texts.
pub fn context(site: &Site, ins: &Insight) -> serde_json::Value {
    pages::global_context(site, ins)
}

/// The aggregate of a site with the `insight` value templates see. `serve`
/// keeps it across front matter edits that cannot change it, and makes
/// only the actions again after edits that can change only them
/// ([`Figures::change`]).
#[derive(Clone)]
pub struct Figures {
    pub insight: Insight,
    /// The `insight` value, as templates see it: made once and shared
    /// (a Tera value's maps and lists are reference-counted), not
    /// converted for every render.
    pub context: tera::Value,
    /// The pages the actions may suggest ([`suggestible`]).
    candidates: Vec<usize>,
}

/// What a front matter edit does to a site's [`Figures`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Nothing: the figures hold.
    None,
    /// The actions may suggest other pages, or show another title.
    Actions,
    /// A case changed: everything is counted again.
    All,
}

impl Figures {
    pub fn of(site: &Site) -> Figures {
        let (insight, candidates) = aggregate_with(site);
        let context = tera::Value::from_serializable(&context(site, &insight));
        Figures {
            insight,
            context,
            candidates,
        }
    }

    /// What it does to these figures, made from a site, when its page
    /// `old` becomes `new` with the same URL, section, kind, draft flag and
    /// aliases (serve's front matter path). Only cases are counted; beyond
    /// them the actions suggest pages with a term of a loss reason as topic
    /// or tag, picked and shown by their front matter.
    pub fn change(&self, old: &Page, new: &Page) -> Change {
        if old.meta.kind == Kind::Case || new.meta.kind == Kind::Case {
            return Change::All;
        }
        let terms: HashSet<String> = self
            .insight
            .dimension(DimensionKey::LossReasons)
            .groups
            .iter()
            .flat_map(|g| reason_terms(&g.key))
            .collect();
        let suggestible = |p: &Page| {
            p.meta
                .topics
                .iter()
                .chain(&p.meta.tags)
                .any(|t| terms.contains(&slugify(t)))
        };
        if suggestible(old) || suggestible(new) {
            Change::Actions
        } else {
            Change::None
        }
    }

    /// These figures, made from a site, for `site`, which is that site
    /// with pages added or removed that are not cases (serve's path of
    /// pages made or deleted): page `j` of that site is page `now_at[j]`
    /// of `site` (`None`: removed), and `added` are the new pages. The
    /// cases are the same, so every count stands; their page indices move,
    /// and the actions are made again from the candidates, which the new
    /// pages may join (in the template value too, whose rest stands).
    /// `None` when a case came or went, or the figures had
    /// problems: they are then made again in full ([`Figures::of`]).
    pub fn shifted(
        self,
        site: &Site,
        now_at: &[Option<usize>],
        added: &[usize],
    ) -> Option<Figures> {
        if !self.insight.problems.is_empty()
            || added
                .iter()
                .any(|&i| site.pages[i].page.meta.kind == Kind::Case)
        {
            return None;
        }
        let Figures {
            insight,
            context,
            candidates,
        } = self;
        let mut cases = insight.cases;
        for c in &mut cases {
            c.page = now_at.get(c.page).copied().flatten()?;
        }
        // The new pages as `suggestible` would find them.
        let new = added.iter().copied().filter(|&i| {
            let p = &site.pages[i].page;
            suggests(p.meta.kind) && is_published(site, p)
        });
        let mut candidates: Vec<usize> = candidates
            .iter()
            .filter_map(|&j| now_at.get(j).copied().flatten())
            .chain(new)
            .collect();
        candidates.sort_unstable();
        let mut insight = Insight { cases, ..insight };
        insight.actions = actions(
            site,
            &candidates,
            insight.dimension(DimensionKey::LossReasons),
        );
        // A new page may take the URL of an insight page; no other page
        // or section had one.
        let added_pages = added.iter().map(|&i| &site.pages[i]);
        insight.problems = collisions_with(site, &insight, added_pages, false);
        // The cases show the same pages: only the actions are new.
        let context = with_actions(context, site, &insight);
        Some(Figures {
            insight,
            context,
            candidates,
        })
    }

    /// These figures with the actions made again from `site`, which
    /// differs from the site they were made from by [`Change::Actions`]
    /// edits alone.
    pub fn with_actions_of(mut self, site: &Site) -> Figures {
        let losses = self.insight.dimension(DimensionKey::LossReasons);
        self.insight.actions = actions(site, &self.candidates, losses);
        self.context = with_actions(self.context, site, &self.insight);
        self
    }
}

/// `context`, the `insight` value of `ins` but for its actions, with the
/// actions `ins` has now: the rest of it stands.
fn with_actions(context: tera::Value, site: &Site, ins: &Insight) -> tera::Value {
    match context.into_map() {
        Some(mut o) => {
            let actions = tera::Value::from_serializable(&pages::actions_ctx(site, ins));
            o.insert("actions".into(), actions);
            tera::Value::from(o)
        }
        None => tera::Value::from_serializable(&self::context(site, ins)),
    }
}

/// Makes one export file of the figures.
type Export = fn(&Site, &Insight) -> String;

/// Writes the evaluation page, one list page per bar, `insight.json` and
/// `cases.csv`. Returns every problem.
pub fn render_pages(site: &Site, ins: &Insight, r: &Renderer, sink: &dyn Sink) -> Vec<Diagnostic> {
    let mut problems = ins.problems.clone();
    if problems.iter().any(Diagnostic::is_error) {
        return problems;
    }
    let inputs = pages::Lazy::new(site, ins);
    problems.extend(pages::render(site, ins, &inputs, r, sink));
    // In `serve`, the exports are kept as served while no figure, case or
    // page they show changed.
    let whole = || inputs.get().whole();
    let exports: [(&str, Export); 2] = [
        ("insight.json", |_, ins| to_json(ins)),
        ("cases.csv", cases_csv),
    ];
    for (path, make) in exports {
        if r.keeps_file(path, whole) {
            continue;
        }
        if let Err(e) = sink.put(path, make(site, ins).into_bytes()) {
            problems.push(Diagnostic::error(
                path,
                0,
                0,
                format!("cannot write output file: {e}"),
            ));
        }
    }
    problems
}

/// `vinn insight`: loads the site (drafts never count) and returns the
/// figures as a table, as JSON (byte for byte the build's `insight.json`)
/// or as CSV. A site with errors is an error, like `vinn check`.
pub fn report(root: &Path, format: Format) -> Result<String> {
    let loaded = crate::build::load(&Options {
        root: root.to_path_buf(),
        ..Default::default()
    })?;
    if loaded.diagnostics.has_errors() {
        return Err(Error::Site(loaded.diagnostics.sorted()));
    }
    let ins = aggregate(&loaded.site);
    if !ins.problems.is_empty() {
        let mut d = crate::diagnostics::Diagnostics::new();
        d.extend(ins.problems.clone());
        return Err(Error::Site(d.sorted()));
    }
    Ok(match format {
        Format::Table => table(&loaded.site, &ins),
        Format::Json => to_json(&ins),
        Format::Csv => figures_csv(&ins),
    })
}

#[cfg(test)]
mod tests;
