//! The figures outside the site: `insight.json` (the aggregates), `cases.csv`
//! (one row of facts per case, never the story text), and what
//! `vinn insight` prints (a table, the same JSON, or the figures as CSV).

use serde::Serialize;

use super::{Dimension, DimensionKey, Insight, percent, s};
use crate::content::Outcome;
use crate::site::Site;

/// The shape of `insight.json`.
#[derive(Serialize)]
struct JsonView<'a> {
    version: u32,
    language: &'static str,
    url: &'a str,
    min_group: usize,
    total: usize,
    won: usize,
    lost: usize,
    no_decision: usize,
    outcomes: &'a Dimension,
    loss_reasons: &'a Dimension,
    win_reasons: &'a Dimension,
    industries: &'a Dimension,
    deal_sizes: &'a Dimension,
    roles: &'a Dimension,
    quarters: &'a Dimension,
}

/// `insight.json`: every aggregate, with the URLs of the cases behind each
/// group. Deterministic: the same site gives the same bytes.
pub fn to_json(ins: &Insight) -> String {
    let view = JsonView {
        version: 1,
        language: ins.language.code(),
        url: &ins.url,
        min_group: ins.min_group,
        total: ins.total,
        won: ins.outcome_count(Outcome::Won),
        lost: ins.outcome_count(Outcome::Lost),
        no_decision: ins.outcome_count(Outcome::NoDecision),
        outcomes: ins.dimension(DimensionKey::Outcomes),
        loss_reasons: ins.dimension(DimensionKey::LossReasons),
        win_reasons: ins.dimension(DimensionKey::WinReasons),
        industries: ins.dimension(DimensionKey::Industries),
        deal_sizes: ins.dimension(DimensionKey::DealSizes),
        roles: ins.dimension(DimensionKey::Roles),
        quarters: ins.dimension(DimensionKey::Quarters),
    };
    let mut out = serde_json::to_string_pretty(&view).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

/// One CSV field: quoted when needed; text a spreadsheet would take for a
/// formula gets a leading apostrophe.
pub(super) fn field(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) || v.starts_with(' ') || v.ends_with(' ') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

fn row(out: &mut String, cells: &[String]) {
    let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

/// Every reason a column is needed for: the vocabulary, then any other
/// reason a case gives.
fn reason_columns(site: &Site, ins: &Insight) -> Vec<String> {
    let mut cols = site.config.case.reasons.clone();
    for c in &ins.cases {
        for r in &c.reasons {
            if !cols.contains(r) {
                cols.push(r.clone());
            }
        }
    }
    cols
}

/// `cases.csv`: the facts of every published case, one row each, with a
/// 0/1 column per reason for pivot tables. UTF-8 with a byte-order mark so
/// spreadsheets read æ, ø and å; the story text is never included.
pub fn cases_csv(site: &Site, ins: &Insight) -> String {
    let reasons = reason_columns(site, ins);
    let mut out = String::from("\u{feff}");
    let mut header: Vec<String> = [
        "url",
        "title",
        "outcome",
        "reasons",
        "industry",
        "deal_size",
        "decision_maker_role",
        "date",
        "interview_date",
        "quarter",
        "lessons",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    header.extend(reasons.iter().map(|r| format!("reason:{r}")));
    row(&mut out, &header);
    for c in &ins.cases {
        let mut cells = vec![
            c.url.clone(),
            c.title.clone(),
            c.outcome.as_str().to_string(),
            c.reasons.join(";"),
            c.industry.clone().unwrap_or_default(),
            c.deal_size.clone().unwrap_or_default(),
            c.decision_maker_role.clone().unwrap_or_default(),
            c.date.map(|d| d.to_string()).unwrap_or_default(),
            c.interview_date.map(|d| d.to_string()).unwrap_or_default(),
            c.when().map(super::quarter_key).unwrap_or_default(),
            c.lessons.join(" | "),
        ];
        cells.extend(
            reasons
                .iter()
                .map(|r| if c.reasons.contains(r) { "1" } else { "0" }.to_string()),
        );
        row(&mut out, &cells);
    }
    out
}

fn num(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// `vinn insight --format csv`: every group of every dimension, one row each.
pub fn figures_csv(ins: &Insight) -> String {
    let mut out = String::new();
    row(
        &mut out,
        &[
            "dimension",
            "key",
            "label",
            "count",
            "base",
            "share",
            "won",
            "lost",
            "no_decision",
            "win_rate",
        ]
        .map(String::from),
    );
    for d in &ins.dimensions {
        for g in &d.groups {
            row(
                &mut out,
                &[
                    d.key.as_str().to_string(),
                    g.key.clone(),
                    g.label.clone(),
                    g.count.to_string(),
                    d.base.to_string(),
                    num(g.share),
                    g.won.to_string(),
                    g.lost.to_string(),
                    g.no_decision.to_string(),
                    num(g.win_rate),
                ],
            );
        }
    }
    out
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad_right(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

/// The base of a dimension in words: "Grunnlag: 3 tapte case".
pub(super) fn base_text(site: &Site, d: &Dimension) -> String {
    let key = match d.key {
        DimensionKey::LossReasons => "insight_base_lost",
        DimensionKey::WinReasons => "insight_base_won",
        _ => "insight_base_all",
    };
    super::fill_n(site, key, d.base)
}

/// `vinn insight --format table`: the figures for a terminal, in the
/// site's language.
pub fn table(site: &Site, ins: &Insight) -> String {
    let lang = ins.language;
    let dash = "–";
    // Plain spaces in a terminal (copied text stays plain).
    let pct = |x: f64| percent(x, lang).replace('\u{a0}', " ");
    let mut out = String::new();
    out.push_str(&format!(
        "{} – {}\n",
        s(site, "why_we_lose"),
        super::fill_n(site, "insight_summary_text", ins.total)
    ));
    if ins.total == 0 {
        out.push_str(&s(site, "insight_none"));
        out.push('\n');
        return out;
    }
    out.push_str(&super::fill(
        &s(site, "insight_min_group_note"),
        ins.min_group,
    ));
    out.push_str(&format!(
        " {dash} = {}.\n",
        s(site, "insight_too_few_short")
    ));
    for d in &ins.dimensions {
        out.push('\n');
        let mut head = format!("{} ({})", d.title, base_text(site, d).to_lowercase());
        if d.multi {
            head.push_str(&format!(
                " – {}",
                s(site, "insight_multi_note").to_lowercase()
            ));
        }
        out.push_str(&head);
        out.push('\n');
        let mut cols: Vec<String> = vec![
            String::new(),
            s(site, "insight_count"),
            s(site, "insight_share"),
        ];
        if d.key.has_win_rate() {
            cols.extend(
                ["won", "lost", "no-decision", "insight_win_rate"]
                    .iter()
                    .map(|k| s(site, k)),
            );
        }
        let rows: Vec<Vec<String>> = d
            .groups
            .iter()
            .map(|g| {
                let mut r = vec![
                    g.label.clone(),
                    g.count.to_string(),
                    g.share.map(pct).unwrap_or_else(|| dash.to_string()),
                ];
                if d.key.has_win_rate() {
                    r.extend([
                        g.won.to_string(),
                        g.lost.to_string(),
                        g.no_decision.to_string(),
                    ]);
                    r.push(g.win_rate.map(pct).unwrap_or_else(|| dash.to_string()));
                }
                r
            })
            .collect();
        let widths: Vec<usize> = (0..cols.len())
            .map(|i| {
                rows.iter()
                    .map(|r| width(&r[i]))
                    .chain([width(&cols[i])])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| -> String {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if i == 0 {
                        pad_right(c, widths[i])
                    } else {
                        pad_left(c, widths[i])
                    }
                })
                .collect();
            format!("  {}\n", parts.join("  ").trim_end())
        };
        out.push_str(&line(&cols));
        for r in &rows {
            out.push_str(&line(r));
        }
    }
    out
}
