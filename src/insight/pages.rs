//! The insight values templates see, and the pages: the evaluation page
//! (`insight.html`) and one static list per bar (`insight-list.html`), so a
//! bar's link works without JavaScript and lists exactly the cases counted.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::{Dimension, DimensionKey, Group, Insight, chart, fill, fill_n, percent, s};
use crate::content::Outcome;
use crate::diagnostics::Diagnostic;
use crate::i18n::reason_label;
use crate::render::{Renderer, Sink};
use crate::site::Site;

/// "1 case" / "3 case" ("3 cases").
fn cases_n(site: &Site, n: usize) -> String {
    fill_n(site, "insight_cases_n", n)
}

/// The count as a bar shows it: "3" or "3 (43 %)".
fn value_text(ins: &Insight, g: &Group) -> String {
    match g.share {
        Some(x) => format!("{} ({})", g.count, percent(x, ins.language)),
        None => g.count.to_string(),
    }
}

fn group_ctx(site: &Site, ins: &Insight, g: &Group) -> Value {
    let lang = ins.language;
    json!({
        "key": g.key,
        "label": g.label,
        "slug": g.slug,
        "url": g.url,
        "count": g.count,
        "count_text": cases_n(site, g.count),
        "value_text": value_text(ins, g),
        "share": g.share,
        "share_text": g.share.map(|x| percent(x, lang)),
        "won": g.won,
        "lost": g.lost,
        "no_decision": g.no_decision,
        "win_rate": g.win_rate,
        "win_rate_text": g.win_rate.map(|x| percent(x, lang)),
    })
}

fn dim_id(d: &Dimension) -> String {
    format!("insight-{}", d.key.as_str().replace('_', "-"))
}

/// A dimension for templates: title, base, notes and groups (no case lists).
fn dim_ctx(site: &Site, ins: &Insight, d: &Dimension) -> Value {
    let mut notes = Vec::new();
    if d.base > 0 && !d.enough {
        notes.push(fill(&s(site, "insight_too_few"), ins.min_group));
    }
    if d.multi {
        notes.push(s(site, "insight_multi_note"));
    }
    if d.key.has_win_rate() && d.groups.iter().any(|g| g.count > 0 && g.win_rate.is_none()) {
        notes.push(fill(&s(site, "insight_win_rate_note"), ins.min_group));
    }
    json!({
        "key": d.key.as_str(),
        "id": dim_id(d),
        "title": d.title,
        "base": d.base,
        "base_text": super::export::base_text(site, d),
        "enough": d.enough,
        "multi": d.multi,
        "win_rate": d.key.has_win_rate(),
        "empty": d.groups.iter().all(|g| g.count == 0),
        "notes": notes,
        "groups": d.groups.iter().map(|g| group_ctx(site, ins, g)).collect::<Vec<_>>(),
    })
}

/// A dimension with its bar chart: every group gets its geometry, the
/// name its link is read with, and the chart a text alternative.
fn chart_ctx(site: &Site, ins: &Insight, d: &Dimension) -> Value {
    let mut v = dim_ctx(site, ins, d);
    let counts: Vec<usize> = d.groups.iter().map(|g| g.count).collect();
    let bars = chart::bars(&counts);
    let show = s(site, "insight_show_cases");
    let mut desc: Vec<String> = vec![format!("{}.", s(site, "insight_chart"))];
    let groups: Vec<Value> = d
        .groups
        .iter()
        .zip(&bars)
        .map(|(g, b)| {
            let mut share = String::new();
            if let Some(x) = g.share {
                share = format!(" ({})", percent(x, ins.language));
            }
            desc.push(format!("{}: {}{share}.", g.label, g.count));
            let mut gv = group_ctx(site, ins, g);
            let o = gv.as_object_mut().expect("object");
            o.insert("svg_label".into(), json!(chart::short_label(&g.label)));
            o.insert(
                "aria".into(),
                json!(format!(
                    "{}: {}{share} – {show}",
                    g.label,
                    cases_n(site, g.count)
                )),
            );
            o.insert("y_label".into(), svg_number(b.y_label));
            o.insert("y_bar".into(), svg_number(b.y_bar));
            o.insert("bar_w".into(), svg_number(b.bar_w));
            o.insert("bar_h".into(), svg_number(chart::BAR));
            o.insert("x_value".into(), svg_number(b.x_value));
            o.insert("y_value".into(), svg_number(b.y_value));
            gv
        })
        .collect();
    let o = v.as_object_mut().expect("object");
    o.insert("groups".into(), Value::Array(groups));
    o.insert("width".into(), svg_number(chart::WIDTH));
    o.insert("height".into(), svg_number(chart::height(d.groups.len())));
    o.insert("desc".into(), json!(desc.join(" ")));
    v
}

/// An SVG coordinate: whole numbers print without a fraction ("400", not
/// "400.0").
fn svg_number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// The `insight` value of every template.
pub fn global_context(site: &Site, ins: &Insight) -> Value {
    let mut dims = serde_json::Map::new();
    for d in &ins.dimensions {
        dims.insert(d.key.as_str().to_string(), dim_ctx(site, ins, d));
    }
    let losses = ins.dimension(DimensionKey::LossReasons);
    let top: Vec<Value> = losses
        .groups
        .iter()
        .filter(|g| g.count > 0)
        .take(3)
        .map(|g| group_ctx(site, ins, g))
        .collect();
    let enough = ins.total > 0 && ins.total >= ins.min_group;
    let actions = actions_ctx(site, ins);
    let mut v = json!({
        "summary": ins.total > 0,
        "url": ins.url,
        "total": ins.total,
        "min_group": ins.min_group,
        "enough": enough,
        "won": ins.outcome_count(Outcome::Won),
        "lost": ins.outcome_count(Outcome::Lost),
        "no_decision": ins.outcome_count(Outcome::NoDecision),
        "summary_text": fill_n(site, "insight_summary_text", ins.total),
        "intro_text": fill_n(site, "insight_intro", ins.total),
        "too_few_text": (!enough && ins.total > 0).then(|| fill(&s(site, "insight_too_few"), ins.min_group)),
        "min_group_text": fill(&s(site, "insight_min_group_note"), ins.min_group),
        "top_loss_reasons": top,
        "actions": actions,
        "json_url": "insight.json",
        "csv_url": "cases.csv",
    });
    if let Some(o) = v.as_object_mut() {
        o.extend(dims);
    }
    v
}

/// The `actions` of the `insight` value: what [`global_context`] holds
/// of `ins.actions`, and nothing else of it depends on them.
pub fn actions_ctx(site: &Site, ins: &Insight) -> Value {
    let actions: Vec<Value> = ins
        .actions
        .iter()
        .map(|a| {
            json!({
                "reason": a.reason,
                "label": a.label,
                "count": a.count,
                "count_text": fill_n(site, "insight_lost_n", a.count),
                "share_text": a.share.map(|x| percent(x, ins.language)),
                "url": a.url,
                "topic": a.topic,
                "checklists": a.checklists,
                "articles": a.articles,
            })
        })
        .collect();
    Value::Array(actions)
}

/// One case in a list page.
fn case_ctx(site: &Site, ins: &Insight, i: usize) -> Value {
    let c = &ins.cases[i];
    let lang = ins.language;
    let meta = &site.pages[c.page].page.meta;
    let when = c.when();
    json!({
        "title": c.title,
        "url": c.url,
        "description": meta.description,
        "outcome": c.outcome.as_str(),
        "outcome_label": s(site, c.outcome.as_str()),
        "reasons": c.reasons.iter().map(|r| reason_label(r, lang)).collect::<Vec<_>>(),
        "industry": c.industry,
        "deal_size": c.deal_size,
        "decision_maker_role": c.decision_maker_role,
        "when": when.map(|d| d.to_string()),
        "when_fmt": when.map(|d| d.format(lang)),
    })
}

/// Each case's place in the lists: newest first, then by title (without
/// case), then by URL. Computed once: lists sort their members by it.
fn case_ranks(ins: &Insight) -> Vec<usize> {
    let lower: Vec<String> = ins.cases.iter().map(|c| c.title.to_lowercase()).collect();
    let mut order: Vec<usize> = (0..ins.cases.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&ins.cases[a], &ins.cases[b]);
        y.when()
            .cmp(&x.when())
            .then_with(|| lower[a].cmp(&lower[b]))
            .then_with(|| x.url.cmp(&y.url))
    });
    let mut rank = vec![0; order.len()];
    for (r, i) in order.into_iter().enumerate() {
        rank[i] = r;
    }
    rank
}

/// The context of the list behind one bar, from each case's place
/// (`rank`) and context (`cases`), made once for all lists.
fn list_ctx(
    site: &Site,
    ins: &Insight,
    d: &Dimension,
    g: &Group,
    rank: &[usize],
    cases: &[tera::Value],
) -> tera::Value {
    let mut members = g.members.clone();
    members.sort_by_key(|&i| rank[i]);
    let title = match d.key.list_prefix_key() {
        Some(k) => format!("{}: {}", s(site, k), g.label),
        None => g.label.clone(),
    };
    let cases: Vec<tera::Value> = members.iter().map(|&i| cases[i].clone()).collect();
    let list = tera::Value::from_serializable(&json!({
        "title": title,
        "dimension": d.key.as_str(),
        "dimension_title": d.title,
        "label": g.label,
        "url": g.url,
        "count": g.count,
        "count_text": cases_n(site, g.count),
        "share_text": g.share.map(|x| percent(x, ins.language)),
        "base_text": super::export::base_text(site, d),
        "back_url": ins.url,
    }));
    // An object's value is a map.
    let mut list = list.into_map().unwrap_or_default();
    list.insert("cases".into(), tera::Value::from(cases));
    tera::Value::from(list)
}

/// The [`Inputs`] of `ins` on `site`, made when the memo first asks
/// (`vinn build` has no memo, and makes none).
pub(super) struct Lazy<'a> {
    site: &'a Site,
    ins: &'a Insight,
    inputs: std::sync::OnceLock<Inputs>,
}

impl<'a> Lazy<'a> {
    pub(super) fn new(site: &'a Site, ins: &'a Insight) -> Self {
        Lazy {
            site,
            ins,
            inputs: std::sync::OnceLock::new(),
        }
    }

    pub(super) fn get(&self) -> &Inputs {
        self.inputs.get_or_init(|| Inputs::of(self.site, self.ins))
    }
}

/// Fingerprints of what the insight pages are made from besides the
/// configuration and translations, for [`Renderer::keeps_extra`]: an edit
/// of one case touches the lists it is in, not all of them.
pub(super) struct Inputs {
    /// The evaluation page: every figure, no case in detail.
    evaluation: u64,
    /// What every list shares.
    common: u64,
    /// Each dimension whole (its groups and their members).
    dimensions: Vec<u64>,
    /// Each case as lists show it: its facts and its page's description.
    cases: Vec<u64>,
}

impl Inputs {
    pub(super) fn of(site: &Site, ins: &Insight) -> Inputs {
        use crate::render::hash_json;
        use crate::serve::memo::Fingerprint;
        use std::hash::{Hash, Hasher};
        let mut common = Fingerprint::default();
        hash_json(&mut common, &(&ins.url, ins.language, ins.min_group));
        let common = common.finish();
        // Serialized, which skips the indices: those are hashed beside.
        // Once per aggregate (see `Insight::dimension_prints`).
        let dimensions = ins.dimension_prints.get_or_init(|| {
            ins.dimensions
                .iter()
                .map(|d| {
                    let mut h = Fingerprint::default();
                    hash_json(&mut h, d);
                    for g in &d.groups {
                        g.members.hash(&mut h);
                    }
                    h.finish()
                })
                .collect()
        });
        let mut evaluation = Fingerprint::default();
        let outcomes =
            [Outcome::Won, Outcome::Lost, Outcome::NoDecision].map(|o| ins.outcome_count(o));
        (common, ins.total, outcomes, &dimensions).hash(&mut evaluation);
        hash_json(&mut evaluation, &ins.actions);
        let cases = ins
            .cases
            .iter()
            .map(|c| {
                // A case's facts come from its page's front matter (with
                // the description lists show), URL and file (all in the
                // page's fingerprints, kept from rebuild to rebuild). Not
                // its index: lists read the page through it, and a page
                // added or removed before it shifts it with nothing shown
                // changed (cases keep their order among themselves).
                let own = crate::render::page_fingerprints(&site.pages[c.page]);
                let mut h = Fingerprint::default();
                (own.meta, own.body).hash(&mut h);
                h.finish()
            })
            .collect();
        Inputs {
            evaluation: evaluation.finish(),
            common,
            dimensions: dimensions.clone(),
            cases,
        }
    }

    /// Everything together: what `insight.json` and `cases.csv` are made of.
    pub(super) fn whole(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::serve::memo::Fingerprint::default();
        (self.evaluation, self.common, &self.dimensions, &self.cases).hash(&mut h);
        h.finish()
    }

    /// The list of group `g` of dimension `d` (an index of `ins.dimensions`).
    fn list(&self, d: usize, g: &Group) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::serve::memo::Fingerprint::default();
        (self.common, self.dimensions[d]).hash(&mut h);
        g.members
            .iter()
            .map(|&i| self.cases[i])
            .for_each(|c| c.hash(&mut h));
        h.finish()
    }
}

/// Renders the evaluation page and every bar's list. In `serve`, pages
/// whose inputs did not change are kept as served, contexts unbuilt.
pub(super) fn render(
    site: &Site,
    ins: &Insight,
    inputs: &Lazy,
    r: &Renderer,
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if !r.keeps_extra("insight.html", &ins.url, || inputs.get().evaluation) {
        problems.extend(evaluation_page(site, ins, r, sink));
    }
    let lists: Vec<(&Dimension, &Group, &str)> = ins
        .dimensions
        .iter()
        .enumerate()
        .flat_map(|(n, d)| {
            d.groups.iter().filter_map(move |g| {
                let url = g.url.as_deref()?;
                let kept = r.keeps_extra("insight-list.html", url, || inputs.get().list(n, g));
                (!kept).then_some((d, g, url))
            })
        })
        .collect();
    if lists.is_empty() {
        return problems;
    }
    let rank = case_ranks(ins);
    // Each case made a template value once: the lists share it.
    let cases: Vec<tera::Value> = (0..ins.cases.len())
        .into_par_iter()
        .map(|i| tera::Value::from_serializable(&case_ctx(site, ins, i)))
        .collect();
    let list_problems: Vec<Diagnostic> = lists
        .par_iter()
        .filter_map(|(d, g, url)| {
            r.render_extra(
                "insight-list.html",
                url,
                vec![("insight_list", list_ctx(site, ins, d, g, &rank, &cases))],
                sink,
            )
        })
        .collect();
    problems.extend(list_problems);
    problems
}

/// The evaluation page: every dimension with its chart.
fn evaluation_page(
    site: &Site,
    ins: &Insight,
    r: &Renderer,
    sink: &dyn Sink,
) -> Option<Diagnostic> {
    let mut page = global_context(site, ins);
    let order = [
        DimensionKey::LossReasons,
        DimensionKey::Outcomes,
        DimensionKey::WinReasons,
        DimensionKey::Industries,
        DimensionKey::DealSizes,
        DimensionKey::Roles,
        DimensionKey::Quarters,
    ];
    let charts: Vec<Value> = order
        .iter()
        .map(|&k| chart_ctx(site, ins, ins.dimension(k)))
        .collect();
    if let Some(o) = page.as_object_mut() {
        o.insert("charts".into(), Value::Array(charts));
    }
    let page = tera::Value::from_serializable(&page);
    r.render_extra("insight.html", &ins.url, vec![("insight", page)], sink)
}
