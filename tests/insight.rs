//! Win/loss insight end to end: the evaluation page and its charts, the
//! list behind every bar, the front-page summary, `insight.json`,
//! `cases.csv`, and `vinn insight` — on `tests/fixtures/insight/basic`,
//! whose answers are known (six published cases: two won, three lost, one
//! without a decision; a draft case and a case in a draft section that never
//! count; `min_group = 3`).

#[path = "common/browser.rs"]
#[allow(dead_code)]
mod browser;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};
use serde_json::json;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/insight/basic")
}

fn vinn(args: &[&str]) -> Output {
    Command::cargo_bin("vinn")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

fn build(root: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = vinn(&args);
    assert!(
        o.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The fixture built into a fresh temporary folder.
fn built(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&fixture(), &out, extra);
    (dir, out)
}

/// A copy of the fixture whose site.toml gets `edit` applied.
fn site_with(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture();
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let to = dir.path().join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let toml = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, edit(text)).unwrap();
    dir
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn page(out: &Path, url: &str) -> Html {
    let p = out.join(url).join("index.html");
    Html::parse_document(
        &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
}

fn text(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `href` (relative, as written in the page at `from`) as a path below `out`.
fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop().expect("link climbs out of the site");
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("insight.json")).unwrap()).unwrap()
}

const INSIGHT: &str = "evaluering/innsikt";

#[test]
fn the_page_has_a_chart_and_a_table_per_grouping() {
    let (_d, out) = built(&[]);
    let doc = page(&out, INSIGHT);
    assert_eq!(
        text(doc.select(&sel("h1")).next().unwrap()),
        "Hvorfor taper vi?"
    );
    let svgs: Vec<ElementRef> = doc.select(&sel("svg.insight-svg")).collect();
    assert_eq!(
        svgs.len(),
        7,
        "loss reasons, outcomes, win reasons, industry, size, role, quarter"
    );
    for svg in &svgs {
        // Named by its <title>, described by its <desc>: the text alternative.
        assert_eq!(svg.value().attr("role"), Some("group"));
        let title_id = svg.value().attr("aria-labelledby").unwrap();
        let title = svg
            .select(&sel(&format!("title#{title_id}")))
            .next()
            .expect("title");
        assert!(!text(title).is_empty());
        let desc_id = svg.value().attr("aria-describedby").unwrap();
        let desc = text(
            svg.select(&sel(&format!("desc#{desc_id}")))
                .next()
                .expect("desc"),
        );
        assert!(desc.starts_with("Stolpediagram."), "{desc}");
        // Every bar is a link with a name and its number visible.
        for a in svg.select(&sel("a.insight-bar-link")) {
            let n = a.value().attr("data-count").unwrap();
            assert!(
                a.value()
                    .attr("aria-label")
                    .unwrap()
                    .contains(&format!(": {n} case"))
            );
            let value = text(a.select(&sel("text.insight-bar-value")).next().unwrap());
            assert!(
                value == n || value.starts_with(&format!("{n} (")),
                "{value} vs {n}"
            );
            assert!(desc.contains(&format!(": {n}")));
        }
        // The data table beside the chart has one row per bar (empty ones too).
        let section = svg
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "section")
            .unwrap();
        let rows = section.select(&sel("table tbody tr")).count();
        let bars = svg.select(&sel("text.insight-bar-label")).count();
        assert_eq!(rows, bars);
    }
    // The loss-reason chart comes first, biggest bar first.
    let first: Vec<String> = svgs[0]
        .select(&sel("a.insight-bar-link"))
        .map(|a| text(a))
        .collect();
    assert_eq!(
        first.len(),
        3,
        "only reasons that lost cases give are links"
    );
    assert!(first[0].starts_with("Beslutningstaker 2 (67"), "{first:?}");
}

#[test]
fn every_bar_lands_on_a_list_with_exactly_its_cases() {
    let (_d, out) = built(&[]);
    let doc = page(&out, INSIGHT);
    let bars: Vec<ElementRef> = doc.select(&sel("a.insight-bar-link")).collect();
    assert!(bars.len() > 15);
    let data = json(&out);
    for a in bars {
        let href = a.value().attr("href").unwrap();
        let n: usize = a.value().attr("data-count").unwrap().parse().unwrap();
        let target = resolve(INSIGHT, href);
        let list = page(&out, &target);
        let items: Vec<ElementRef> = list.select(&sel("ul.insight-cases > li")).collect();
        assert_eq!(items.len(), n, "{target}");
        let shown = list.select(&sel(".insight-list-count")).next().unwrap();
        assert_eq!(
            shown.value().attr("data-count"),
            Some(n.to_string().as_str())
        );
        // Each item links to a case page that exists.
        for li in items {
            let case = li
                .select(&sel("h2 a"))
                .next()
                .unwrap()
                .value()
                .attr("href")
                .unwrap();
            assert!(
                out.join(resolve(&target, case))
                    .join("index.html")
                    .is_file(),
                "{case}"
            );
        }
        // The same group in insight.json lists the same cases.
        let url = format!("{target}/");
        let group = data
            .as_object()
            .unwrap()
            .values()
            .filter_map(|d| d.get("groups")?.as_array())
            .flatten()
            .find(|g| g["url"] == url.as_str())
            .unwrap_or_else(|| panic!("{url} not in insight.json"));
        assert_eq!(group["count"], n);
        assert_eq!(group["cases"].as_array().unwrap().len(), n);
    }
    // A case without an industry is listed under "not stated".
    let none = page(&out, &format!("{INSIGHT}/bransje/ikke-oppgitt"));
    assert_eq!(
        text(none.select(&sel("h1")).next().unwrap()),
        "Bransje: Ikke oppgitt"
    );
    assert_eq!(none.select(&sel("ul.insight-cases > li")).count(), 1);
}

#[test]
fn small_groups_show_counts_and_say_why_there_is_no_percentage() {
    let (_d, out) = built(&[]);
    let doc = page(&out, INSIGHT);
    let section = |id: &str| doc.select(&sel(&format!("section#{id}"))).next().unwrap();
    // Two won cases: fewer than min_group = 3.
    let wins = section("insight-win-reasons");
    assert!(text(wins).contains("Færre enn 3 case i grunnlaget"));
    for v in wins.select(&sel("text.insight-bar-value")) {
        assert!(!text(v).contains('%'));
    }
    assert!(
        text(wins.select(&sel("tbody")).next().unwrap()).contains("for få case til å vise prosent")
    );
    // Three lost cases are enough.
    let losses = section("insight-loss-reasons");
    assert!(!text(losses).contains("Færre enn"));
    assert!(text(losses).contains("67 %"));
    assert!(text(losses).contains("Et case kan ha flere årsaker"));
    // Win rate per industry: shown for the 3 cases in construction, not for 2 in health.
    let rows: Vec<String> = section("insight-industries")
        .select(&sel("tbody tr"))
        .map(|tr| {
            tr.select(&sel("th, td"))
                .map(text)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(rows[0], "Bygg og anlegg 3 50 % 1 2 0 33 %");
    assert!(rows[1].starts_with("Helse 2 33 % 1 0 1"), "{}", rows[1]);
    assert!(
        rows[1].ends_with("for få case til å vise prosent"),
        "{}",
        rows[1]
    );
}

#[test]
fn common_loss_reasons_link_to_the_checklists_and_articles_on_the_topic() {
    let (_d, out) = built(&["--drafts"]);
    let doc = page(&out, INSIGHT);
    let actions = doc
        .select(&sel("#insight-actions"))
        .next()
        .expect("actions section");
    let links: Vec<String> = actions
        .select(&sel("a"))
        .map(|a| resolve(INSIGHT, a.value().attr("href").unwrap()))
        .collect();
    assert!(
        links.contains(&"sjekklister/kartlegg-beslutningstakeren".to_string()),
        "{links:?}"
    );
    assert!(links.contains(&"tema/beslutningstakere".to_string()));
    assert!(links.contains(&"artikler/regn-ut-verdien".to_string()));
    assert!(links.contains(&"artikler/prisen".to_string()));
    assert!(
        !links.iter().any(|l| l.contains("utkast")),
        "drafts are never suggested: {links:?}"
    );
}

#[test]
fn the_front_page_shows_a_compact_summary() {
    let (_d, out) = built(&[]);
    let doc = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    let summary = doc
        .select(&sel(".insight-summary"))
        .next()
        .expect("summary on the front page");
    let t = text(summary);
    assert!(t.contains("6 publiserte kundecase"), "{t}");
    assert!(t.contains("Tapt: 3 (50 %)"), "{t}");
    let hrefs: Vec<&str> = summary
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"./evaluering/innsikt/"), "{hrefs:?}");
    assert!(
        hrefs.contains(&"./evaluering/innsikt/tapt/beslutningstaker/"),
        "{hrefs:?}"
    );
}

#[test]
fn json_from_the_cli_is_the_json_of_the_build() {
    let (_d, out) = built(&[]);
    let file = std::fs::read(out.join("insight.json")).unwrap();
    let o = vinn(&[
        "insight",
        "--root",
        fixture().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(file.clone()).unwrap()
    );
    // Drafts in the build change nothing.
    let (_d2, out2) = built(&["--drafts"]);
    assert_eq!(std::fs::read(out2.join("insight.json")).unwrap(), file);
    let v = json(&out);
    assert_eq!(v["total"], 6);
    assert_eq!(
        (
            v["won"].clone(),
            v["lost"].clone(),
            v["no_decision"].clone()
        ),
        (2.into(), 3.into(), 1.into())
    );
    assert_eq!(v["loss_reasons"]["groups"][0]["key"], "decision-maker");
    assert_eq!(v["loss_reasons"]["groups"][0]["share"], 0.6667);
    assert_eq!(
        v["win_reasons"]["groups"][0]["share"],
        serde_json::Value::Null
    );
}

#[test]
fn cases_csv_has_the_facts_and_never_the_story() {
    let (_d, out) = built(&["--drafts"]);
    let csv = std::fs::read_to_string(out.join("cases.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 7, "a header and one row per published case");
    assert!(
        lines[0]
            .trim_start_matches('\u{feff}')
            .starts_with("url,title,outcome,reasons,industry,deal_size")
    );
    assert!(lines[1].starts_with("case/a-tapt-bygg-beslutning/,Tapt rammeavtale i bygg,lost,decision-maker;value,Bygg og anlegg,1M-5M NOK,Innkjøpssjef,2025-05-20,2025-05-14,2025-Q2,"));
    for story in [
        "Historietekst",
        "Beskrivelsen av saken",
        "innkjøp bestemte alene",
        "utkast",
    ] {
        assert!(!csv.contains(story), "{story} leaked into cases.csv");
    }
}

#[test]
fn the_cli_prints_a_table_and_csv() {
    let root = fixture();
    let o = vinn(&["insight", "--root", root.to_str().unwrap()]);
    assert!(o.status.success());
    let t = String::from_utf8(o.stdout).unwrap();
    assert!(
        t.starts_with("Hvorfor taper vi? – 6 publiserte kundecase\n"),
        "{t}"
    );
    assert!(t.contains("Hvorfor vi taper (grunnlag: 3 tapte case)"));
    assert!(
        t.lines()
            .any(|l| l.trim_start().starts_with("Beslutningstaker")
                && l.trim_end().ends_with("2   67 %")),
        "{t}"
    );
    let o = vinn(&[
        "insight",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(o.status.success());
    let c = String::from_utf8(o.stdout).unwrap();
    assert!(
        c.starts_with("dimension,key,label,count,base,share,won,lost,no_decision,win_rate\r\n")
    );
    assert!(
        c.contains("\r\nindustries,Bygg og anlegg,Bygg og anlegg,3,6,0.5,1,2,0,0.3333\r\n"),
        "{c}"
    );
    assert!(c.contains("\r\nloss_reasons,decision-maker,Beslutningstaker,2,3,0.6667,0,2,0,\r\n"));
}

#[test]
fn the_cli_fails_like_the_other_commands() {
    let empty = tempfile::tempdir().unwrap();
    let o = vinn(&["insight", "--root", empty.path().to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "no site.toml is an environment error"
    );
    let broken = site_with(|t| t);
    std::fs::write(
        broken.path().join("content/case/h-uten-utfall.md"),
        "---\ntitle: \"Uten utfall\"\nanonymized: true\nreasons: [price]\n---\nTekst.\n",
    )
    .unwrap();
    let o = vinn(&["insight", "--root", broken.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("content/case/h-uten-utfall.md"));
}

#[test]
fn path_language_and_min_group_come_from_site_toml() {
    let site = site_with(|t| {
        t.replace("language = \"nb\"", "language = \"en\"").replace(
            "min_group = 3",
            "path = \"/analyse/hvorfor/\"\nmin_group = 10",
        )
    });
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    assert!(!out.join(INSIGHT).exists());
    let doc = page(&out, "analyse/hvorfor");
    assert_eq!(
        text(doc.select(&sel("h1")).next().unwrap()),
        "Why do we lose?"
    );
    assert!(
        text(doc.select(&sel("main")).next().unwrap()).contains("Fewer than 10 cases to go on")
    );
    for v in doc.select(&sel("text.insight-bar-value")) {
        assert!(!text(v).contains('%'), "no percentages below min_group");
    }
    let list = page(&out, "analyse/hvorfor/lost/decision-maker");
    assert_eq!(
        text(list.select(&sel("h1")).next().unwrap()),
        "Lost: Decision-maker"
    );
    assert_eq!(list.select(&sel("ul.insight-cases > li")).count(), 2);
    let v = json(&out);
    assert_eq!(v["url"], "analyse/hvorfor/");
    assert_eq!(v["quarters"]["groups"][0]["label"], "2025-Q2");
}

#[test]
fn an_insight_path_taken_by_a_page_is_an_error() {
    let site = site_with(|t| t.replace("min_group = 3", "min_group = 3\npath = \"case\""));
    let out = site.path().join("public");
    let o = vinn(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    // At the `path` setting's own line and column.
    let config = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    let line = 1 + config.lines().position(|l| l == "path = \"case\"").unwrap();
    assert!(
        err.starts_with(&format!("site.toml:{line}:8: error: ")) && err.contains("[insight]"),
        "{err}"
    );
}

/// In a real browser, on the sample site: the insight page, a list behind
/// a bar and the front page pass axe-core in both colour schemes on a
/// desktop and a phone (no sideways scrolling), and following every bar's
/// link lands on a list with exactly the bar's number of cases.
#[test]
fn browser_charts_are_accessible_and_every_bar_leads_to_its_cases() {
    use browser::{Browser, StaticServer, Viewport, build_sample_site};
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let url = |rel: &str| server.url(rel);
    let mut failures = Vec::new();
    for vp in [Viewport::Desktop, Viewport::Phone] {
        let b = Browser::start(vp);
        for rel in ["evaluering/innsikt/", "evaluering/innsikt/tapt/pris/", ""] {
            b.goto(&url(rel));
            b.wait_loaded();
            let wide = b.eval(
                "[document.documentElement.scrollWidth, window.innerWidth, Array.from(document.querySelectorAll('body *')).filter(function (e) { return e.getBoundingClientRect().right > window.innerWidth + 1; }).slice(0, 3).concat(Array.from(document.querySelectorAll('main, .insight-section, .insight-figure, .insight-chart, .insight-table')).slice(0,6)).map(function (e) { return e.tagName + '.' + e.getAttribute('class') + ' ' + Math.round(e.getBoundingClientRect().left) + '-' + Math.round(e.getBoundingClientRect().right) + ' ' + getComputedStyle(e).overflowX + ' ' + getComputedStyle(e).display + ' ' + getComputedStyle(e).gridTemplateColumns; })]",
            );
            assert!(
                wide[0].as_u64() <= wide[1].as_u64(),
                "/{rel} scrolls sideways on {}: {wide}",
                vp.name()
            );
            for theme in ["light", "dark"] {
                b.execute(
                    "document.documentElement.setAttribute('data-theme', arguments[0]);",
                    &[json!(theme)],
                );
                let v = b.axe_violations();
                if !v.is_empty() {
                    failures.push(format!(
                        "/{rel} ({theme}, {}):\n{}",
                        vp.name(),
                        v.join("\n")
                    ));
                }
                if rel == "evaluering/innsikt/" && std::env::var_os("VINN_SCREENSHOTS").is_some() {
                    b.screenshot_full(&format!("insight-{}-{theme}", vp.name()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "axe-core violations:\n\n{}",
        failures.join("\n\n")
    );

    let b = Browser::start(Viewport::Desktop);
    b.goto(&url("evaluering/innsikt/"));
    b.wait_loaded();
    let bars = b.execute(
        "return Array.from(document.querySelectorAll('a.insight-bar-link')).map(function (a) { return [a.href.baseVal || a.href, a.getAttribute('data-count'), a.querySelector('.insight-bar-value').textContent]; });",
        &[],
    );
    let bars = bars.as_array().expect("bars").clone();
    assert!(bars.len() > 20, "the sample site has real charts: {bars:?}");
    for bar in bars {
        let (href, count, shown) = (
            bar[0].as_str().unwrap(),
            bar[1].as_str().unwrap(),
            bar[2].as_str().unwrap(),
        );
        assert!(
            shown == count || shown.starts_with(&format!("{count} (")),
            "{shown} vs {count}"
        );
        let target = if href.starts_with("http") {
            href.to_string()
        } else {
            url(&resolve("evaluering/innsikt", href))
        };
        b.goto(&target);
        b.wait_loaded();
        let n = b.eval("document.querySelectorAll('ul.insight-cases > li').length");
        assert_eq!(
            n.as_u64().map(|n| n.to_string()).as_deref(),
            Some(count),
            "{target}"
        );
    }
}

#[test]
fn a_site_without_cases_says_so_and_has_no_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"Tom\"\n").unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/_index.md"),
        "---\ntitle: \"Tom\"\n---\nIngen case her.\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    build(dir.path(), &out, &[]);
    let doc = page(&out, INSIGHT);
    assert!(
        text(doc.select(&sel("main")).next().unwrap())
            .contains("Ingen kundecase er publisert ennå")
    );
    assert_eq!(
        doc.select(&sel("svg"))
            .filter(|s| s.value().classes().any(|c| c == "insight-svg"))
            .count(),
        0
    );
    let front = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    assert_eq!(front.select(&sel(".insight-summary")).count(), 0);
    assert_eq!(json(&out)["total"], 0);
    let csv = std::fs::read_to_string(out.join("cases.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1);
    let o = vinn(&["insight", "--root", dir.path().to_str().unwrap()]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("Ingen kundecase er publisert ennå"));
}

#[test]
fn a_reason_given_twice_is_a_warning_and_counts_and_shows_once() {
    let dir = site_with(|t| t);
    let root = dir.path();
    let case = root.join("content/case/b-tapt-bygg-pris.md");
    let text = std::fs::read_to_string(&case).unwrap();
    std::fs::write(
        &case,
        text.replace("reasons: [price]", "reasons: [price, price]"),
    )
    .unwrap();
    let out = dir.path().join("ut");
    let o = vinn(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("content/case/b-tapt-bygg-pris.md:6:")
                && l.contains(
                    ": warning: the reason `price` is given twice in `reasons`: once is enough"
                )),
        "{err}"
    );
    let doc = page(&out, "case/b-tapt-bygg-pris/");
    assert_eq!(doc.select(&sel(".fact-reasons li")).count(), 1);
    let (_clean_dir, clean) = built(&[]);
    assert_eq!(json(&out)["dimensions"], json(&clean)["dimensions"]);
}

#[test]
fn an_english_site_gets_english_insight_addresses() {
    let site = site_with(|t| t.replace("language = \"nb\"", "language = \"en\""));
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    assert!(!out.join(INSIGHT).exists());
    let doc = page(&out, "evaluation/insight");
    assert_eq!(
        text(doc.select(&sel("h1")).next().unwrap()),
        "Why do we lose?"
    );
    assert_eq!(json(&out)["url"], "evaluation/insight/");
}
