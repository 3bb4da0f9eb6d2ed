//! Aggregation on the fixture site `tests/fixtures/insight/basic`, whose
//! answers are known: six published cases (two won, three lost, one with no
//! decision), a draft case, and a case under a draft section.

use std::path::PathBuf;

use super::*;
use crate::build::{Options, load};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/insight/basic")
}

fn site(drafts: bool) -> Site {
    let l = load(&Options {
        root: fixture(),
        drafts,
        ..Default::default()
    })
    .expect("fixture loads");
    assert!(
        !l.diagnostics.has_errors(),
        "{:?}",
        l.diagnostics.iter().collect::<Vec<_>>()
    );
    l.site
}

fn group<'a>(ins: &'a Insight, d: DimensionKey, key: &str) -> &'a Group {
    ins.dimension(d)
        .groups
        .iter()
        .find(|g| g.key == key)
        .unwrap_or_else(|| panic!("no group `{key}` in {}", d.as_str()))
}

fn counts(ins: &Insight, d: DimensionKey) -> Vec<(String, usize)> {
    ins.dimension(d)
        .groups
        .iter()
        .map(|g| (g.key.clone(), g.count))
        .collect()
}

fn pairs(v: &[(&str, usize)]) -> Vec<(String, usize)> {
    v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

#[test]
fn counts_and_shares_by_outcome() {
    let ins = aggregate(&site(false));
    assert_eq!(ins.total, 6);
    assert_eq!(ins.min_group, 3);
    assert_eq!(ins.url, "evaluering/innsikt/");
    assert_eq!(
        counts(&ins, DimensionKey::Outcomes),
        pairs(&[("won", 2), ("lost", 3), ("no-decision", 1)])
    );
    assert_eq!(
        group(&ins, DimensionKey::Outcomes, "won").share,
        Some(0.3333)
    );
    assert_eq!(group(&ins, DimensionKey::Outcomes, "lost").share, Some(0.5));
    assert_eq!(
        group(&ins, DimensionKey::Outcomes, "no-decision").share,
        Some(0.1667)
    );
    assert!(ins.problems.is_empty(), "{:?}", ins.problems);
}

#[test]
fn a_case_counts_once_per_reason() {
    let ins = aggregate(&site(false));
    let losses = ins.dimension(DimensionKey::LossReasons);
    assert_eq!(losses.base, 3);
    assert!(losses.enough && losses.multi);
    // a: decision-maker + value, b: price, c: decision-maker
    assert_eq!(
        counts(&ins, DimensionKey::LossReasons),
        pairs(&[
            ("decision-maker", 2),
            ("value", 1),
            ("price", 1),
            ("timing", 0),
            ("competitor", 0),
            ("relationship", 0),
            ("scope", 0),
        ])
    );
    let dm = group(&ins, DimensionKey::LossReasons, "decision-maker");
    assert_eq!(dm.share, Some(0.6667));
    assert_eq!(dm.label, "Beslutningstaker");
    assert_eq!(
        dm.url.as_deref(),
        Some("evaluering/innsikt/tapt/beslutningstaker/")
    );
    assert_eq!(
        dm.cases,
        ["case/a-tapt-bygg-beslutning/", "case/c-tapt-uten-felt/"]
    );
    // The bars add up to more than the lost cases.
    assert_eq!(losses.groups.iter().map(|g| g.count).sum::<usize>(), 4);
    // An empty bar has no list to link to.
    assert_eq!(group(&ins, DimensionKey::LossReasons, "scope").url, None);
    // Won cases: two, below min_group 3, so no shares.
    let wins = ins.dimension(DimensionKey::WinReasons);
    assert_eq!(wins.base, 2);
    assert!(!wins.enough);
    assert!(wins.groups.iter().all(|g| g.share.is_none()));
    assert_eq!(group(&ins, DimensionKey::WinReasons, "value").count, 1);
    assert_eq!(
        group(&ins, DimensionKey::WinReasons, "relationship").count,
        1
    );
    assert_eq!(
        group(&ins, DimensionKey::WinReasons, "decision-maker").count,
        1
    );
}

#[test]
fn missing_optional_fields_are_their_own_group() {
    let ins = aggregate(&site(false));
    assert_eq!(
        counts(&ins, DimensionKey::Industries),
        pairs(&[("Bygg og anlegg", 3), ("Helse", 2), ("", 1)])
    );
    let none = group(&ins, DimensionKey::Industries, "");
    assert_eq!(none.label, "Ikke oppgitt");
    assert_eq!(none.slug, "ikke-oppgitt");
    assert_eq!(none.cases, ["case/c-tapt-uten-felt/"]);
    // Bands from small to large, not alphabetical; "not stated" last.
    assert_eq!(
        counts(&ins, DimensionKey::DealSizes),
        pairs(&[
            ("100k-500k NOK", 1),
            ("500k-1M NOK", 2),
            ("1M-5M NOK", 2),
            ("", 1)
        ])
    );
    // Biggest role first, ties alphabetical (Ø after I), "not stated" last.
    assert_eq!(
        counts(&ins, DimensionKey::Roles),
        pairs(&[
            ("Daglig leder", 2),
            ("Innkjøpssjef", 2),
            ("Økonomidirektør", 1),
            ("", 1)
        ])
    );
}

#[test]
fn win_rate_per_group_only_from_min_group() {
    let ins = aggregate(&site(false));
    let bygg = group(&ins, DimensionKey::Industries, "Bygg og anlegg");
    assert_eq!((bygg.won, bygg.lost, bygg.no_decision), (1, 2, 0));
    assert_eq!(bygg.win_rate, Some(0.3333));
    assert_eq!(bygg.share, Some(0.5));
    let helse = group(&ins, DimensionKey::Industries, "Helse");
    assert_eq!((helse.won, helse.lost, helse.no_decision), (1, 0, 1));
    assert_eq!(helse.win_rate, None, "two cases are fewer than min_group 3");
    assert!(
        group(&ins, DimensionKey::DealSizes, "1M-5M NOK")
            .win_rate
            .is_none()
    );
    // Reasons and outcomes have no win rate.
    assert!(
        ins.dimension(DimensionKey::Outcomes)
            .groups
            .iter()
            .all(|g| g.win_rate.is_none())
    );
}

#[test]
fn quarters_from_interview_date_else_date() {
    let ins = aggregate(&site(false));
    // a: interview 2025-05-14 (date 2025-05-20), b: 2025-08-01, e: 2025-11-02,
    // d: interview 2026-01-10, f: 2026-02-01, c: no date.
    assert_eq!(
        counts(&ins, DimensionKey::Quarters),
        pairs(&[
            ("2025-Q2", 1),
            ("2025-Q3", 1),
            ("2025-Q4", 1),
            ("2026-Q1", 2),
            ("", 1)
        ])
    );
    assert_eq!(
        group(&ins, DimensionKey::Quarters, "2026-Q1").label,
        "2026-K1"
    );
    assert_eq!(
        group(&ins, DimensionKey::Quarters, "2026-Q1").slug,
        "2026-k1"
    );
}

#[test]
fn quarters_without_cases_are_filled_in() {
    let mut s = site(false);
    let i = s.by_key["case/f-ingen-beslutning.md"];
    std::sync::Arc::make_mut(&mut s.pages[i].page.meta)
        .edit()
        .date = Date::parse("2026-09-01").ok();
    let ins = aggregate(&s);
    let keys: Vec<String> = counts(&ins, DimensionKey::Quarters)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        keys,
        [
            "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", ""
        ]
    );
    assert_eq!(group(&ins, DimensionKey::Quarters, "2026-Q2").count, 0);
    assert_eq!(group(&ins, DimensionKey::Quarters, "2026-Q2").url, None);
}

#[test]
fn drafts_never_count_even_when_built() {
    let with = site(true);
    // The draft case and the case in the draft section are in the site …
    assert!(with.by_key.contains_key("case/g-utkast.md"));
    assert!(with.by_key.contains_key("case/utkast/skjult-omfang.md"));
    let a = aggregate(&with);
    let b = aggregate(&site(false));
    // … but not in insight: the figures are the same either way.
    assert_eq!(a.total, 6);
    assert_eq!(to_json(&a), to_json(&b));
    assert!(a.cases.iter().all(|c| !c.url.contains("utkast")));
    assert_eq!(group(&a, DimensionKey::LossReasons, "scope").count, 0);
    // Draft checklists are not suggested either.
    let dm = a
        .actions
        .iter()
        .find(|x| x.reason == "decision-maker")
        .expect("action");
    assert!(dm.checklists.iter().all(|l| !l.url.contains("utkast")));
}

#[test]
fn a_case_under_a_hidden_draft_section_is_not_counted() {
    // Without --drafts the loader drops the draft section; whatever happens to
    // its pages, insight must not count them.
    let s = site(false);
    let ins = aggregate(&s);
    assert!(ins.cases.iter().all(|c| !c.url.contains("skjult")));
}

#[test]
fn unpublished_cases_are_excluded() {
    let mut s = site(false);
    let i = s.by_key["case/b-tapt-bygg-pris.md"];
    std::sync::Arc::make_mut(&mut s.pages[i].page.meta)
        .edit()
        .case
        .as_mut()
        .expect("case")
        .anonymized = false;
    let ins = aggregate(&s);
    assert_eq!(ins.total, 5);
    assert_eq!(group(&ins, DimensionKey::LossReasons, "price").count, 0);
    let j = s.by_key["case/d-vunnet-helse.md"];
    std::sync::Arc::make_mut(&mut s.pages[j].page.meta)
        .edit()
        .draft = true;
    assert_eq!(aggregate(&s).total, 4);
}

#[test]
fn common_loss_reasons_lead_to_material_on_the_topic() {
    let ins = aggregate(&site(false));
    let reasons: Vec<&str> = ins.actions.iter().map(|a| a.reason.as_str()).collect();
    assert_eq!(reasons, ["decision-maker", "value", "price"]);
    let dm = &ins.actions[0];
    assert_eq!(
        dm.checklists,
        [Link {
            title: "Kartlegg beslutningstakeren".into(),
            url: "sjekklister/kartlegg-beslutningstakeren/".into()
        }]
    );
    assert_eq!(
        dm.topic.as_ref().map(|t| t.url.as_str()),
        Some("tema/beslutningstakere/")
    );
    assert_eq!(ins.actions[1].articles[0].url, "artikler/regn-ut-verdien/");
    // "pris" is a tag, not a topic: the article is found, there is no topic page.
    assert_eq!(ins.actions[2].articles[0].url, "artikler/prisen/");
    assert!(ins.actions[2].topic.is_none());
}

#[test]
fn min_group_decides_when_percentages_show() {
    let mut s = site(false);
    s.config.insight.min_group = 7;
    let ins = aggregate(&s);
    assert!(ins.dimensions.iter().all(|d| !d.enough));
    assert!(
        ins.dimensions
            .iter()
            .flat_map(|d| &d.groups)
            .all(|g| g.share.is_none() && g.win_rate.is_none())
    );
    s.config.insight.min_group = 1;
    let ins = aggregate(&s);
    assert_eq!(
        group(&ins, DimensionKey::Industries, "Helse").win_rate,
        Some(0.5)
    );
}

#[test]
fn insight_path_is_checked() {
    assert_eq!(
        insight_url("evaluering/innsikt").unwrap(),
        "evaluering/innsikt/"
    );
    assert_eq!(insight_url("/analyse/").unwrap(), "analyse/");
    assert!(insight_url("").is_err());
    assert!(insight_url("a/../b").is_err());
    assert_eq!(page_url("/analyse/hvorfor/"), "analyse/hvorfor/");
    assert_eq!(page_url(".."), "evaluering/innsikt/");
    let mut s = site(false);
    s.config.insight.path = "case/a-tapt-bygg-beslutning".into();
    let ins = aggregate(&s);
    assert_eq!(ins.problems.len(), 1);
    assert!(
        ins.problems[0]
            .message
            .contains("content/case/a-tapt-bygg-beslutning.md"),
        "{}",
        ins.problems[0].message
    );
}

#[test]
fn deal_size_bands_order() {
    let mut bands = vec![
        "Over 5M NOK",
        "1M-5M NOK",
        "under 100k",
        "100k-500k NOK",
        "500k-1M NOK",
        "ukjent",
    ];
    bands.sort_by(|a, b| match (band_lower_bound(a), band_lower_bound(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    });
    assert_eq!(
        bands,
        [
            "under 100k",
            "100k-500k NOK",
            "500k-1M NOK",
            "1M-5M NOK",
            "Over 5M NOK",
            "ukjent"
        ]
    );
    assert_eq!(band_lower_bound("2,5 mill. kr"), Some(2_500_000.0));
}

#[test]
fn csv_never_carries_the_story() {
    let s = site(false);
    let ins = aggregate(&s);
    let csv = cases_csv(&s, &ins);
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), 7);
    assert!(!csv.contains("Historietekst"));
    assert!(!csv.contains("Beskrivelsen av saken"));
    assert!(csv.contains("Finn ut hvem som signerer."));
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with("reason:relationship,reason:scope"));
    assert_eq!(export_field("=1+2"), "'=1+2");
    assert_eq!(export_field("a, \"b\""), "\"a, \"\"b\"\"\"");
}

fn export_field(v: &str) -> String {
    export::field(v)
}

#[test]
fn percentages_in_each_language() {
    assert_eq!(percent(0.6667, Language::Nb), "67\u{a0}%");
    assert_eq!(percent(0.5, Language::En), "50%");
}

/// The fixture copied into a temporary folder, loaded.
fn site_copy() -> (tempfile::TempDir, Site) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    for e in walkdir::WalkDir::new(fixture()) {
        let e = e.expect("the fixture reads");
        let to = tmp
            .path()
            .join(e.path().strip_prefix(fixture()).expect("inside"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("a folder");
        } else {
            std::fs::copy(e.path(), &to).expect("a copy");
        }
    }
    let l = load(&Options {
        root: tmp.path().to_path_buf(),
        ..Default::default()
    })
    .expect("the copy loads");
    (tmp, l.site)
}

#[test]
fn figures_moved_as_pages_come_and_go_are_the_figures_made_afresh() {
    let (tmp, mut site) = site_copy();
    // An article on value, first in walk order, so every case moves; it
    // joins the material the value action suggests.
    let key = "artikler/aa-verdi.md";
    std::fs::write(
        tmp.path().join("content").join(key),
        "---\ntitle: \"Aa verdi\"\ntopics: [verdi]\n---\nVerdien først.\n",
    )
    .expect("a new page");
    let (page, _) =
        crate::content::read_new_page(tmp.path(), key, "artikler", Kind::Article, &site.config)
            .expect("the page reads");
    let before = Figures::of(&site);
    let (found, moved) = site.add_and_remove_pages(&[], vec![page]);
    assert!(!found.has_errors());
    let same = |moved_figures: &Figures, site: &Site, what: &str| {
        let fresh = Figures::of(site);
        assert_eq!(moved_figures.context, fresh.context, "{what}");
        assert_eq!(
            to_json(&moved_figures.insight),
            to_json(&fresh.insight),
            "{what}"
        );
        assert_eq!(moved_figures.candidates, fresh.candidates, "{what}");
        let pages: Vec<usize> = moved_figures.insight.cases.iter().map(|c| c.page).collect();
        let fresh_pages: Vec<usize> = fresh.insight.cases.iter().map(|c| c.page).collect();
        assert_eq!(pages, fresh_pages, "{what}");
    };
    let added = before
        .shifted(&site, &moved.now_at, &moved.added)
        .expect("no case came");
    same(&added, &site, "an article added");
    let suggested = added
        .insight
        .actions
        .iter()
        .flat_map(|a| &a.articles)
        .any(|l| l.url == "artikler/aa-verdi/");
    assert!(suggested, "the new article is suggested");
    // It goes again, with the other article on value.
    let gone = [site.by_key[key], site.by_key["artikler/regn-ut-verdien.md"]];
    let (found, moved) = site.add_and_remove_pages(&gone, Vec::new());
    assert!(!found.has_errors());
    let removed = added
        .shifted(&site, &moved.now_at, &moved.added)
        .expect("no case went");
    same(&removed, &site, "two articles removed");
    // A case removed: the figures are made again in full.
    let case = site.by_key["case/a-tapt-bygg-beslutning.md"];
    let (_, moved) = site.add_and_remove_pages(&[case], Vec::new());
    assert!(
        removed
            .shifted(&site, &moved.now_at, &moved.added)
            .is_none()
    );
}

#[test]
fn one_group_however_its_cases_spell_it() {
    // The fixture copied, one of the three published construction cases
    // writing its industry in lower case with a double space.
    let tmp = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(fixture()) {
        let e = e.unwrap();
        let to = tmp.path().join(e.path().strip_prefix(fixture()).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let case = tmp.path().join("content/case/b-tapt-bygg-pris.md");
    let text = std::fs::read_to_string(&case).unwrap();
    std::fs::write(
        &case,
        text.replace("\"Bygg og anlegg\"", "\"bygg og  anlegg\""),
    )
    .unwrap();
    let l = load(&Options {
        root: tmp.path().to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    let ins = aggregate(&l.site);
    assert_eq!(
        counts(&ins, DimensionKey::Industries),
        counts(&aggregate(&site(false)), DimensionKey::Industries),
        "named as most of its cases write it"
    );
    assert_eq!(
        group(&ins, DimensionKey::Industries, "Bygg og anlegg").count,
        3
    );
}
