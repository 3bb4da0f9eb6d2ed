//! Page metadata by kind: turns raw front matter into a validated
//! [`PageMeta`], with one diagnostic per problem (missing title, bad date,
//! a case-study field on an article, a reason outside the vocabulary, …).

use std::collections::HashMap;

use serde::Serialize;

use super::date::Date;
use super::frontmatter::PageFront;
use super::{Kind, Outcome};
use crate::config::Config;
use crate::diagnostics::did_you_mean;

#[derive(Debug, Clone, Serialize, Default)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub kind: Kind,
    pub author: String,
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    pub related: Vec<String>,
    pub aliases: Vec<String>,
    pub search: bool,
    pub template: Option<String>,
    pub extra: serde_json::Value,
    pub phase: Option<String>,
    pub case: Option<CaseMeta>,
}

impl PageMeta {
    /// The template the page is rendered with: its own (`template:`), or
    /// its kind's.
    pub fn template_name(&self) -> &str {
        self.template.as_deref().unwrap_or(self.kind.template())
    }
}

/// The structured facts of a case study.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseMeta {
    pub anonymized: bool,
    pub outcome: Outcome,
    pub reasons: Vec<String>,
    pub industry: Option<String>,
    pub deal_size: Option<String>,
    pub decision_maker_role: Option<String>,
    pub lessons: Vec<String>,
    pub interview_date: Option<Date>,
}

/// A problem in front matter: the key it concerns (for its line) and
/// text; an error unless `warning` (the page is built all the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaProblem {
    pub key: Option<&'static str>,
    pub message: String,
    pub warning: bool,
}

fn problem(key: &'static str, message: impl Into<String>) -> MetaProblem {
    MetaProblem {
        key: Some(key),
        message: message.into(),
        warning: false,
    }
}

/// The value among `values` that `given` names in words: its label
/// (Norwegian or English) or a Norwegian form of it, letter case aside and
/// with one slip in a longer word; an author who writes `tapt`, `vant` or
/// `Beslutningstaker` means `lost`, `won` or `decision-maker`.
fn value_labelled<'a>(given: &str, values: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let given = given.trim().to_lowercase();
    let slips = given.chars().count() / 5;
    values.into_iter().find(|v| {
        let forms: &[&str] = match *v {
            "won" => &["vant", "vunne", "seier"],
            "lost" => &["tap", "tapte"],
            "no-decision" => &["ingen", "uavklart", "ingen avgjørelse"],
            _ => &[],
        };
        crate::i18n::value_labels(v)
            .into_iter()
            .flatten()
            .chain(forms.iter().copied())
            .any(|w| crate::diagnostics::edit_distance(&given, &w.to_lowercase()) <= slips)
    })
}

/// The hint after an unknown value: the value whose label it is, else the
/// nearest value, else `otherwise`.
fn value_hint<'a>(
    given: &str,
    values: impl IntoIterator<Item = &'a str> + Clone,
    otherwise: String,
    config: &Config,
) -> String {
    if let Some(v) = value_labelled(given, values.clone()) {
        // As the page shows it: an outcome's label may be overridden.
        let shown = config
            .translations
            .get(v)
            .cloned()
            .unwrap_or_else(|| crate::i18n::reason_label(v, config.language));
        return format!(": write `{v}` (front matter takes the value, the page shows “{shown}”)");
    }
    did_you_mean(given, values)
        .filter(|_| !given.is_empty())
        .map(|s| format!(": did you mean `{s}`?"))
        .unwrap_or(otherwise)
}

const CASE_FIELDS: &[&str] = &[
    "anonymized",
    "outcome",
    "reasons",
    "industry",
    "deal_size",
    "decision_maker_role",
    "lessons",
    "interview_date",
];

/// Validates `front` for the page's kind. `fallback_title` is the first
/// heading, used when the file has no front matter at all.
pub fn validate(
    front: PageFront,
    kind: Kind,
    has_front_matter: bool,
    fallback_title: Option<String>,
    config: &Config,
) -> (PageMeta, Vec<MetaProblem>) {
    let mut problems = Vec::new();
    let title = match front.title.map(|t| t.trim().to_string()) {
        Some(t) if !t.is_empty() => t,
        Some(_) => {
            problems.push(problem("title", "`title` is empty"));
            String::new()
        }
        None => match fallback_title {
            Some(t) if !has_front_matter => t,
            _ => {
                problems.push(MetaProblem {
                    key: None,
                    warning: false,
                    message: if has_front_matter {
                        "missing `title` in front matter".into()
                    } else {
                        "page has no title: add front matter with `title:` or start with a `# Heading`".into()
                    },
                });
                String::new()
            }
        },
    };
    let date_of = |key: &'static str, v: Option<String>, problems: &mut Vec<MetaProblem>| {
        v.and_then(|s| match Date::parse(&s) {
            Ok(d) => Some(d),
            Err(m) => {
                problems.push(problem(key, m));
                None
            }
        })
    };
    let date = date_of("date", front.date, &mut problems);
    let updated = date_of("updated", front.updated, &mut problems);
    let interview_date = date_of("interview_date", front.interview_date, &mut problems);

    for (key, list) in [("topics", &front.topics), ("tags", &front.tags)] {
        if list.iter().any(|t| t.trim().is_empty()) {
            problems.push(problem(key, format!("`{key}` has an empty entry")));
        }
    }
    // The site's topics are a short fixed list; tags are free. A topic
    // not on the list (often a typo) still gets its page, with a warning.
    if !config.topics.is_empty() {
        let slugs = || config.topics.iter().map(|t| t.slug.as_str());
        for t in front
            .topics
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
        {
            let slug = super::slug::slugify(t);
            if slugs().any(|s| s == slug) {
                continue;
            }
            let fix = match did_you_mean(&slug, slugs()) {
                Some(s) => format!("did you mean `{s}`? Or list it there, or make it a tag"),
                None => "list it there, or make it a tag".into(),
            };
            problems.push(MetaProblem {
                key: Some("topics"),
                message: format!(
                    "topic `{t}` is not among the [[topics]] of site.toml ({}), so it gets a page of its own: {fix}",
                    slugs().collect::<Vec<_>>().join(", ")
                ),
                warning: true,
            });
        }
    }

    let present_case_fields: Vec<&str> = CASE_FIELDS
        .iter()
        .copied()
        .filter(|f| match *f {
            "anonymized" => front.anonymized.is_some(),
            "outcome" => front.outcome.is_some(),
            "reasons" => front.reasons.is_some(),
            "industry" => front.industry.is_some(),
            "deal_size" => front.deal_size.is_some(),
            "decision_maker_role" => front.decision_maker_role.is_some(),
            "lessons" => front.lessons.is_some(),
            _ => interview_date.is_some(),
        })
        .collect();

    if kind != Kind::Checklist && front.phase.is_some() {
        problems.push(problem(
            "phase",
            format!(
                "`phase` is a checklist field, but this page is {} (set `kind: checklist`)",
                kind.article_name()
            ),
        ));
    }

    let case = if kind == Kind::Case {
        let mut case_problem = |key: &'static str, m: String| problems.push(problem(key, m));
        if front.anonymized != Some(true) {
            case_problem(
                "anonymized",
                "a case study is published only when marked `anonymized: true`: remove names of people and customers, contact details and numbers that identify anyone, then set `anonymized: true`".into(),
            );
        }
        let outcome = match front.outcome.as_deref().map(str::trim) {
            None => {
                problems.push(MetaProblem {
                    key: None,
                    message: "a case study needs `outcome`: won, lost or no-decision".into(),
                    warning: false,
                });
                None
            }
            Some(o) => match Outcome::parse(o) {
                Some(x) => Some(x),
                None => {
                    let hint = value_hint(
                        o,
                        Outcome::ALL.map(|x| x.as_str()),
                        ": use won, lost or no-decision".into(),
                        config,
                    );
                    let is = if o.is_empty() {
                        "empty".to_string()
                    } else {
                        format!("`{o}`")
                    };
                    problems.push(problem("outcome", format!("`outcome` is {is}{hint}")));
                    None
                }
            },
        };
        let mut reasons = front.reasons.unwrap_or_default();
        // A reason given twice is counted once, and shown once.
        let mut seen = Vec::with_capacity(reasons.len());
        reasons.retain(|r| {
            if seen.contains(r) {
                problems.push(MetaProblem {
                    warning: true,
                    ..problem(
                        "reasons",
                        format!("the reason `{r}` is given twice in `reasons`: once is enough"),
                    )
                });
                false
            } else {
                seen.push(r.clone());
                true
            }
        });
        if reasons.is_empty() {
            problems.push(problem(
                "reasons",
                format!(
                    "a case study needs `reasons`: one or more of {}",
                    config.case.reasons.join(", ")
                ),
            ));
        }
        for r in &reasons {
            if !config.case.reasons.iter().any(|v| v == r) {
                let hint = value_hint(
                    r,
                    config.case.reasons.iter().map(String::as_str),
                    format!(": use one of {}", config.case.reasons.join(", ")),
                    config,
                );
                problems.push(problem("reasons", format!("unknown reason `{r}`{hint}")));
            }
        }
        let mut non_empty = |key: &'static str, v: Option<String>| match v {
            Some(s) if s.trim().is_empty() => {
                problems.push(problem(
                    key,
                    format!("`{key}` is empty: fill it in or remove the line"),
                ));
                None
            }
            other => other.map(|s| s.trim().to_string()),
        };
        let industry = non_empty("industry", front.industry);
        let deal_size = non_empty("deal_size", front.deal_size);
        let decision_maker_role = non_empty("decision_maker_role", front.decision_maker_role);
        let lessons = front.lessons.unwrap_or_default();
        if lessons.iter().any(|l| l.trim().is_empty()) {
            problems.push(problem(
                "lessons",
                "`lessons` has an empty entry: write the lesson or remove it",
            ));
        }
        Some(CaseMeta {
            anonymized: front.anonymized == Some(true),
            outcome: outcome.unwrap_or(Outcome::NoDecision),
            reasons,
            industry,
            deal_size,
            decision_maker_role,
            lessons,
            interview_date,
        })
    } else {
        for f in present_case_fields {
            let key = CASE_FIELDS
                .iter()
                .copied()
                .find(|k| *k == f)
                .unwrap_or("outcome");
            problems.push(problem(
                key,
                format!(
                    "`{f}` is a case-study field, but this page is {} (set `kind: case`)",
                    kind.article_name()
                ),
            ));
        }
        None
    };

    let meta = PageMeta {
        title,
        description: front.description.unwrap_or_default().trim().to_string(),
        date,
        updated,
        draft: front.draft,
        weight: front.weight,
        kind,
        author: front.author.unwrap_or_default(),
        topics: front
            .topics
            .into_iter()
            .map(|t| t.trim().to_string())
            .collect(),
        tags: front
            .tags
            .into_iter()
            .map(|t| t.trim().to_string())
            .collect(),
        related: front.related,
        aliases: front.aliases,
        search: front.search.unwrap_or(true),
        template: front.template,
        extra: front.extra,
        phase: front.phase,
        case,
    };
    (meta, problems)
}

/// Resolves a problem's line from the front matter key positions.
pub fn problem_line(p: &MetaProblem, keys: &HashMap<String, usize>, default: usize) -> usize {
    p.key.and_then(|k| keys.get(k).copied()).unwrap_or(default)
}
