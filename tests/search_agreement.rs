// Agreement between the Rust search pipeline (vinn::search) and the browser's
// themes/default/static/search.js, run under Node (`node`, or $NODE).
//
// - every word of tests/fixtures/search/words-{nb,en}.txt: normalization,
//   Snowball stem, stem (for Norwegian with the conflation step after
//   Snowball), folded stem, tokens and stop-word status must be identical;
// - queries over built indexes (a small single-file site and a sharded one):
//   ranked URLs, loaded files and "did you mean" must be identical;
// - a few JS-only checks of highlighting and snippets.

use std::path::{Path, PathBuf};
use std::process::Command;

use vinn::search::normalize::{fold, is_stop_word, normalize_word, tokenize};
use vinn::search::stem::{snowball, stem};
use vinn::search::{Lang, QueryOptions, SearchDoc, build_index, query_with};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/search")
}

fn search_js() -> PathBuf {
    repo().join("themes/default/static/search.js")
}

fn node(args: &[&Path]) -> String {
    let bin = std::env::var("NODE").unwrap_or_else(|_| "node".to_string());
    let out = Command::new(&bin)
        .arg(fixtures().join("agreement.js"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin} (Node.js is needed for this test): {e}"));
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("node prints UTF-8")
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb => "nb",
        Lang::En => "en",
    }
}

fn rust_line(w: &str, lang: Lang) -> String {
    let n = normalize_word(w);
    let s = stem(&n, lang);
    format!(
        "{n}\t{}\t{s}\t{}\t{}\t{}",
        snowball(&n, lang),
        fold(&s),
        tokenize(w).join("|"),
        u8::from(is_stop_word(&n, lang))
    )
}

fn agree_words(lang: Lang, file: &str, min_words: usize, min_conflated: usize) {
    let path = fixtures().join(file);
    let text = std::fs::read_to_string(&path).expect("word list");
    let words: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert!(
        words.len() >= min_words,
        "{file} has only {} words",
        words.len()
    );
    let lang_arg = PathBuf::from(lang_code(lang));
    let js = node(&[Path::new("words"), &search_js(), &lang_arg, &path]);
    let js: Vec<&str> = js.lines().collect();
    assert_eq!(js.len(), words.len(), "one output line per word");
    let mut diffs = Vec::new();
    for (w, j) in words.iter().zip(&js) {
        let r = rust_line(w, lang);
        if r != *j {
            diffs.push(format!("{w:?}\n  rust: {r}\n  js:   {j}"));
        }
    }
    assert!(
        diffs.is_empty(),
        "{} of {} words differ, e.g.:\n{}",
        diffs.len(),
        words.len(),
        diffs[..diffs.len().min(20)].join("\n")
    );
    // The list really exercises the stemmer.
    let changed = words.iter().filter(|w| {
        let n = normalize_word(w);
        stem(&n, lang) != n
    });
    assert!(changed.count() * 2 > words.len());
    // ... and the conflation step after Snowball.
    let conflated = words
        .iter()
        .filter(|w| {
            let n = normalize_word(w);
            stem(&n, lang) != snowball(&n, lang)
        })
        .count();
    assert!(
        conflated >= min_conflated,
        "only {conflated} words are changed by the conflation step"
    );
}

#[test]
fn norwegian_words_agree() {
    agree_words(Lang::Nb, "words-nb.txt", 5000, 1000);
}

#[test]
fn english_words_agree() {
    agree_words(Lang::En, "words-en.txt", 2000, 0);
}

#[test]
fn js_self_test() {
    assert_eq!(node(&[Path::new("selftest"), &search_js()]).trim(), "ok");
}

fn doc(url: &str, kind: &str, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        url: url.to_string(),
        title: title.to_string(),
        body: body.into(),
        kind: kind.to_string(),
        ..SearchDoc::default()
    }
}

fn small_site() -> Vec<SearchDoc> {
    let mut d = vec![
        doc(
            "artikler/tapte-salg/",
            "article",
            "Hvorfor taper vi tilbud?",
            "De fleste tilbud tapes fordi beslutningstakeren aldri ble identifisert, \
             eller fordi verdien for kunden ikke ble synlig. Salgsmøtet må avklare mandatet.",
        ),
        doc(
            "sjekklister/for-motet/",
            "checklist",
            "Før møtet",
            "Hvem signerer? Hvem har mandat for en rammeavtale? Hva er kundens behov?",
        ),
        doc(
            "case/kommune-rammeavtale/",
            "case",
            "Rammeavtale med en kommune",
            "Vi møtte innkjøperen, men innkjøpssjefen signerte. Tapsintervjuet viste at \
             prisen ikke var problemet.",
        ),
        doc(
            "artikler/roi/",
            "article",
            "Synliggjør verdien: ROI i praksis",
            "Kunden kjøper en løsning på et problem. Regn ut avkastningen sammen med kunden.",
        ),
        doc(
            "artikler/evaluering/",
            "article",
            "Evaluer hvert salg",
            "Gode selgere trener, justerer og evaluerer etter hvert salg, vunnet eller tapt.",
        ),
    ];
    d[0].topics = vec!["beslutningstakere".into(), "verdi".into()];
    d[0].description = "Om beslutningstakere og verdi".into();
    d[1].topics = vec!["beslutningstakere".into()];
    d[1].headings = vec!["Mandat".into(), "Behov".into()];
    d[2].topics = vec!["beslutningstakere".into(), "evaluering".into()];
    d[2].outcome = Some("lost".into());
    d[2].reasons = vec!["decision-maker".into(), "value".into()];
    d[3].topics = vec!["verdi".into()];
    d[4].topics = vec!["evaluering".into()];
    d
}

/// A deterministic synthetic site with `n` pages built from the word lists.
fn synthetic_site(n: usize) -> Vec<SearchDoc> {
    let text = std::fs::read_to_string(fixtures().join("words-nb.txt")).expect("word list");
    let words: Vec<&str> = text
        .lines()
        .filter(|w| w.chars().all(char::is_alphabetic))
        .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Skewed towards the start of the list, like real word frequencies.
        let r = (seed % 1_000_003) as f64 / 1_000_003.0;
        ((r * r * r) * m as f64) as usize
    };
    let kinds = ["article", "checklist", "case"];
    let topics = ["beslutningstakere", "verdi", "evaluering"];
    (0..n)
        .map(|i| {
            let mut pick = |k: usize| -> String {
                (0..k)
                    .map(|_| words[next(words.len())])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let mut d = doc(
                &format!("sider/side-{i:05}/"),
                kinds[i % 3],
                &pick(4),
                &pick(120),
            );
            d.description = pick(12);
            d.headings = vec![pick(3), pick(3)];
            d.topics = vec![topics[i % 3].to_string(), topics[(i / 3) % 3].to_string()];
            d.tags = vec![pick(1)];
            if i % 3 == 2 {
                d.outcome = Some(["won", "lost", "no-decision"][i % 4 % 3].to_string());
            }
            d
        })
        .collect()
}

struct Q {
    q: &'static str,
    kind: Option<&'static str>,
    topic: Option<&'static str>,
}

fn q(q: &'static str) -> Q {
    Q {
        q,
        kind: None,
        topic: None,
    }
}

fn agree_queries(docs: &[SearchDoc], lang: Lang, queries: &[Q], name: &str) -> usize {
    let files = build_index(docs, lang);
    let dir = std::env::temp_dir().join(format!("vinn-search-agree-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, bytes) in &files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let list: Vec<serde_json::Value> = queries
        .iter()
        .map(|x| serde_json::json!({"q": x.q, "lang": lang_code(lang), "kind": x.kind, "topic": x.topic}))
        .collect();
    let qpath = dir.join("queries.json");
    std::fs::write(&qpath, serde_json::to_vec(&list).unwrap()).unwrap();
    let out = node(&[Path::new("query"), &search_js(), &dir, &qpath]);
    let _ = std::fs::remove_dir_all(&dir);
    let js: Vec<serde_json::Value> = serde_json::from_str(&out).expect("node prints JSON");
    let mut nonempty = 0;
    for (x, j) in queries.iter().zip(&js) {
        let opts = QueryOptions {
            kind: x.kind.map(str::to_string),
            topic: x.topic.map(str::to_string),
        };
        let r = query_with(&files, x.q, lang, &opts);
        let urls: Vec<String> = serde_json::from_value(j["urls"].clone()).unwrap();
        let loaded: Vec<String> = serde_json::from_value(j["files"].clone()).unwrap();
        let sugg: Option<String> = serde_json::from_value(j["suggestion"].clone()).unwrap();
        assert_eq!(r.urls, urls, "{name}: ranking differs for {:?}", x.q);
        assert_eq!(r.files, loaded, "{name}: loaded files differ for {:?}", x.q);
        assert_eq!(
            r.suggestion, sugg,
            "{name}: suggestion differs for {:?}",
            x.q
        );
        nonempty += usize::from(!urls.is_empty());
    }
    nonempty
}

#[test]
fn small_site_queries_agree() {
    let queries = [
        q("møte"),
        q("moete"),
        q("mote"),
        q("salgsmøte"),
        q("beslutningstaker"),
        q("beslutningstakerne"),
        q("selgerne"),
        q("Beslutningstakere verdi"),
        q("tapt"),
        q("tilbud"),
        q("kunde"),
        q("signere rammeavtale"),
        q("roi"),
        q("evaluer"),
        q("sa"),
        q("og"),
        q("beslutnig"),
        q("xyzzy"),
        // Compounds the pages write apart.
        q("tilbudsverdien"),
        q("salgmandatet"),
        q("rammeavtalemandat kunden"),
        Q {
            q: "mandat",
            kind: Some("checklist"),
            topic: None,
        },
        Q {
            q: "kunden",
            kind: None,
            topic: Some("verdi"),
        },
        Q {
            q: "kunden",
            kind: Some("case"),
            topic: Some("evaluering"),
        },
        Q {
            q: "kunden",
            kind: Some("nope"),
            topic: None,
        },
    ];
    let hits = agree_queries(&small_site(), Lang::Nb, &queries, "small");
    assert!(hits >= 12, "only {hits} queries found something");
    // A compound the pages write apart finds the page with both words.
    let files = build_index(&small_site(), Lang::Nb);
    let r = query_with(&files, "tilbudsverdien", Lang::Nb, &QueryOptions::default());
    assert_eq!(
        r.urls.first().map(String::as_str),
        Some("artikler/tapte-salg/"),
        "{r:?}"
    );
}

#[test]
fn sharded_site_queries_agree() {
    let docs = synthetic_site(1500);
    let files = build_index(&docs, Lang::Nb);
    assert!(
        files
            .iter()
            .filter(|(p, _)| p.starts_with("search/s"))
            .count()
            > 10,
        "the synthetic site should need many shards"
    );
    let queries = [
        q("kunde"),
        q("kundemøte"),
        q("møte salg"),
        q("beslutningstaker prosess"),
        q("forhandlingene"),
        q("vurdering av tilbud"),
        q("salgs"),
        q("økonomi"),
        q("oekonomi"),
        q("aapen"),
        q("ka"),
        q("evaluere analysere presentere signere dokumentere prioritere"),
        q("kundemotet"),
        q("kjøperne"),
        q("salgslederen innkjøpslederne"),
        q("tilbakemeldingen"),
        q("forventnin"),
        q("qqqq"),
        q("tilbudprosess"),
        q("salgsprosessen kunde"),
        Q {
            q: "pris",
            kind: Some("case"),
            topic: Some("verdi"),
        },
    ];
    let hits = agree_queries(&docs, Lang::Nb, &queries, "sharded");
    assert!(hits >= 12, "only {hits} queries found something");
}

#[test]
fn english_site_queries_agree() {
    let mut docs = vec![
        doc(
            "articles/lost-deals/",
            "article",
            "Why we lose offers",
            "Most offers are lost because the real decision-maker was never identified.",
        ),
        doc(
            "checklists/before-meeting/",
            "checklist",
            "Before the first meeting",
            "Who signs? Who has the mandate for a framework agreement?",
        ),
        doc(
            "cases/municipality/",
            "case",
            "Framework agreement with a municipality",
            "We negotiated with procurement, but the director decided.",
        ),
    ];
    docs[2].outcome = Some("lost".into());
    let queries = [
        q("decision makers"),
        q("negotiations"),
        q("meetings"),
        q("lose"),
        q("loss"),
        q("agreements"),
        q("decisoin"),
    ];
    let hits = agree_queries(&docs, Lang::En, &queries, "en");
    assert!(hits >= 5, "only {hits} queries found something");
}
