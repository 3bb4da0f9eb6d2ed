//! Ranking, layout and size tests of the search index.

use std::collections::HashMap;

use super::index::{DIR, INLINE_LIMIT};
use super::query::{PAGE, Store, parse_script, run_on};
use super::*;

fn doc(url: &str, kind: &str, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        url: url.to_string(),
        title: title.to_string(),
        body: body.into(),
        kind: kind.to_string(),
        ..SearchDoc::default()
    }
}

/// A small Norwegian site; each page is there to win or lose one ranking
/// rule.
fn site() -> Vec<SearchDoc> {
    let mut docs = vec![
        doc(
            "artikler/motet/",
            "article",
            "Møtet som avgjør",
            "Et godt møte starter med agendaen. Forbered spørsmålene.",
        ),
        doc(
            "artikler/salgsmoter/",
            "article",
            "Forberedelser",
            "Salgsmøtet er stedet der behovene kommer fram. Ta notater.",
        ),
        doc(
            "artikler/beslutning/",
            "article",
            "Finn den som bestemmer",
            "Beslutningstakeren sitter sjelden ved bordet. Kartlegg mandatet tidlig.",
        ),
        doc(
            "sjekklister/etter-tap/",
            "checklist",
            "Etter et tapt tilbud",
            "Ring kunden. Spør hvem som signerte. Hva var viktigst for dem?",
        ),
        doc(
            "case/kommune/",
            "case",
            "Rammeavtale med kommunen",
            "Innkjøpssjefen hadde mandatet, ikke kontaktpersonen vår.",
        ),
        doc(
            "artikler/salg-a/",
            "article",
            "Notat A",
            "Dette handler om salg i praksis og ingenting annet her.",
        ),
        doc(
            "artikler/salg-b/",
            "article",
            "Notat B",
            "Dette handler om salget i praksis og ingenting annet her.",
        ),
        doc(
            "artikler/verdi/",
            "article",
            "Verdi for kunden",
            "Vis avkastningen. Kunden kjøper en løsning, ikke et produkt.",
        ),
        doc(
            "artikler/tittel-verdi/",
            "article",
            "Om kundeverdi",
            "Et kort notat uten mer om temaet.",
        ),
        doc(
            "artikler/brodtekst-verdi/",
            "article",
            "Et notat",
            "Et kort notat, og her står ordet verdi i brødteksten.",
        ),
        doc(
            "artikler/likt-b/",
            "article",
            "Prognoser",
            "Magefølelse i prognoser er en kjent felle.",
        ),
        doc(
            "artikler/likt-a/",
            "article",
            "Prognoser",
            "Magefølelse i prognoser er en kjent felle.",
        ),
    ];
    docs[3].topics = vec!["evaluering".into()];
    docs[4].topics = vec!["beslutningstakere".into(), "evaluering".into()];
    docs[4].outcome = Some("lost".into());
    docs[4].reasons = vec!["decision-maker".into(), "price".into()];
    docs[7].topics = vec!["verdi".into()];
    docs[7].description = "Kunden må se verdien".into();
    docs
}

fn urls(files: &[(String, Vec<u8>)], q: &str) -> Vec<String> {
    query(files, q, Lang::Nb)
}

fn pos(list: &[String], url: &str) -> usize {
    list.iter()
        .position(|u| u == url)
        .unwrap_or_else(|| panic!("{url} not in {list:?}"))
}

#[test]
fn exact_beats_compound_and_compound_is_found() {
    let files = build_index(&site(), Lang::Nb);
    let r = urls(&files, "møte");
    assert!(
        pos(&r, "artikler/motet/") < pos(&r, "artikler/salgsmoter/"),
        "{r:?}"
    );
    // "salgsmøtet" is found through its part "møte".
    assert!(r.contains(&"artikler/salgsmoter/".to_string()));
}

#[test]
fn spelling_variants_find_norwegian_letters() {
    let files = build_index(&site(), Lang::Nb);
    for q in ["moete", "mote", "MØTE", "mo\u{308}te"] {
        let r = urls(&files, q);
        assert!(r.contains(&"artikler/motet/".to_string()), "{q}: {r:?}");
    }
}

#[test]
fn inflected_and_compound_queries() {
    let files = build_index(&site(), Lang::Nb);
    // A longer form in the text ("beslutningstakeren") is found by the base.
    let r = urls(&files, "beslutningstaker");
    assert!(r.contains(&"artikler/beslutning/".to_string()), "{r:?}");
    // Stem match: "tapte" and "tapt" share the stem "tapt".
    assert!(urls(&files, "tapte").contains(&"sjekklister/etter-tap/".to_string()));
    // The query's own compound: "salgsmøte" finds "salgsmøtet" by prefix.
    assert_eq!(urls(&files, "salgsmøte")[0], "artikler/salgsmoter/");
}

#[test]
fn exact_beats_stem() {
    let files = build_index(&site(), Lang::Nb);
    let r = urls(&files, "salg");
    assert!(
        pos(&r, "artikler/salg-a/") < pos(&r, "artikler/salg-b/"),
        "{r:?}"
    );
    let r = urls(&files, "salget");
    assert!(
        pos(&r, "artikler/salg-b/") < pos(&r, "artikler/salg-a/"),
        "{r:?}"
    );
}

#[test]
fn field_weights() {
    let files = build_index(&site(), Lang::Nb);
    let r = urls(&files, "verdi");
    // Title and description beat body; an exact title word beats a compound.
    assert_eq!(r[0], "artikler/verdi/", "{r:?}");
    assert!(pos(&r, "artikler/brodtekst-verdi/") > 0);
    assert!(r.contains(&"artikler/tittel-verdi/".to_string()), "{r:?}");
}

#[test]
fn all_words_first_then_score() {
    let files = build_index(&site(), Lang::Nb);
    // "kunden" alone scores higher in the title of the value article, but
    // only the checklist has both words.
    let r = urls(&files, "kunden signerte");
    assert_eq!(r[0], "sjekklister/etter-tap/", "{r:?}");
    assert!(r.contains(&"artikler/verdi/".to_string()));
    let r = urls(&files, "innkjøpssjefen mandatet");
    assert_eq!(r[0], "case/kommune/");
}

#[test]
fn field_weights_hold_for_words_on_every_page() {
    let mut docs: Vec<SearchDoc> = (0..30)
        .map(|i| {
            doc(
                &format!("a/{i:02}/"),
                "article",
                "Notat",
                "Om salg og annet.",
            )
        })
        .collect();
    docs.push(doc("z/", "article", "Salg", "Om annet."));
    let files = build_index(&docs, Lang::Nb);
    assert_eq!(urls(&files, "salg")[0], "z/");
}

#[test]
fn ties_are_broken_by_url() {
    let files = build_index(&site(), Lang::Nb);
    let r = urls(&files, "magefølelse prognoser");
    assert_eq!(r, ["artikler/likt-a/", "artikler/likt-b/"]);
}

#[test]
fn case_facts_are_searchable() {
    let files = build_index(&site(), Lang::Nb);
    // Outcome "lost" is indexed as "tapt" too (below a title match).
    assert!(urls(&files, "tapt").contains(&"case/kommune/".to_string()));
    assert_eq!(urls(&files, "pris"), ["case/kommune/"]);
    assert!(urls(&files, "beslutningstakere").contains(&"case/kommune/".to_string()));
    assert_eq!(urls(&files, "sjekkliste"), ["sjekklister/etter-tap/"]);
}

#[test]
fn filters_by_kind_and_topic() {
    let files = build_index(&site(), Lang::Nb);
    let opts = |k: Option<&str>, t: Option<&str>| QueryOptions {
        kind: k.map(str::to_string),
        topic: t.map(str::to_string),
    };
    let all = urls(&files, "mandatet");
    assert_eq!(all.len(), 2);
    let r = query_with(&files, "mandatet", Lang::Nb, &opts(Some("case"), None)).urls;
    assert_eq!(r, ["case/kommune/"]);
    let r = query_with(&files, "kunden", Lang::Nb, &opts(None, Some("evaluering"))).urls;
    assert!(r.contains(&"sjekklister/etter-tap/".to_string()), "{r:?}");
    assert!(!r.contains(&"artikler/verdi/".to_string()), "{r:?}");
    let r = query_with(
        &files,
        "kunden",
        Lang::Nb,
        &opts(Some("checklist"), Some("verdi")),
    )
    .urls;
    assert!(r.is_empty());
    let r = query_with(
        &files,
        "kunden",
        Lang::Nb,
        &opts(Some("article"), Some("verdi")),
    )
    .urls;
    assert_eq!(r, ["artikler/verdi/"]);
    let r = query_with(&files, "kunden", Lang::Nb, &opts(Some("nope"), None)).urls;
    assert!(r.is_empty());
}

#[test]
fn stop_words_and_nonsense_find_nothing_but_suggest() {
    let files = build_index(&site(), Lang::Nb);
    assert!(urls(&files, "og i på").is_empty());
    assert!(urls(&files, "").is_empty());
    assert_eq!(suggest(&files, "og i på", Lang::Nb), None);
    assert_eq!(
        suggest(&files, "kunnden", Lang::Nb).as_deref(),
        Some("kunden")
    );
    assert_eq!(suggest(&files, "mandaet agenda", Lang::Nb), None); // "agenda" matches
    assert_eq!(suggest(&files, "qqqqqqq", Lang::Nb), None);
}

#[test]
fn english_site_uses_english_stemmer() {
    let docs = [
        doc(
            "a/",
            "article",
            "Negotiation basics",
            "How to prepare a negotiation.",
        ),
        doc(
            "b/",
            "article",
            "Meetings",
            "The decision was made elsewhere.",
        ),
    ];
    let files = build_index(&docs, Lang::En);
    assert_eq!(query(&files, "negotiations", Lang::En), ["a/"]);
    assert_eq!(query(&files, "decisions", Lang::En), ["b/"]);
    assert_eq!(query(&files, "meeting", Lang::En), ["b/"]);
    assert!(query(&files, "the", Lang::En).is_empty());
}

#[test]
fn output_is_deterministic_and_under_search() {
    let docs = site();
    let a = build_index(&docs, Lang::Nb);
    let mut rev = docs.clone();
    rev.reverse();
    assert_eq!(a, build_index(&rev, Lang::Nb));
    for (path, bytes) in &a {
        assert!(path.starts_with(DIR), "{path}");
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(text.starts_with("__vinnSearch.add(\""), "{path}");
        assert!(parse_script(text).is_some(), "{path}");
    }
    // A small site is one file.
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].0, "search/meta.js");
    assert!(a[0].1.len() < INLINE_LIMIT);
}

#[test]
fn empty_site() {
    let files = build_index::<SearchDoc>(&[], Lang::Nb);
    assert_eq!(files.len(), 1);
    assert!(query(&files, "møte", Lang::Nb).is_empty());
}

/// A deterministic site of `n` pages with a Zipf-like vocabulary of
/// inflected and compound Norwegian words.
fn big_site(n: usize) -> Vec<SearchDoc> {
    let stems = [
        "kunde",
        "salg",
        "møte",
        "verdi",
        "tilbud",
        "pris",
        "avtale",
        "behov",
        "mandat",
        "leder",
        "selger",
        "prosess",
        "analyse",
        "tap",
        "seier",
        "strategi",
        "budsjett",
        "kontrakt",
        "forhandling",
        "evaluering",
        "beslutning",
        "innkjøp",
        "løsning",
        "problem",
        "risiko",
        "gevinst",
        "marked",
        "produkt",
        "tjeneste",
        "relasjon",
        "referanse",
        "rapport",
        "plan",
        "mål",
        "tall",
        "team",
        "trening",
        "prognose",
        "spørsmål",
        "svar",
        "intervju",
        "notat",
    ];
    let endings = ["", "en", "er", "ene", "et", "s", "ens", "a"];
    let mut vocab: Vec<String> = Vec::new();
    for s in &stems {
        for e in &endings {
            vocab.push(format!("{s}{e}"));
        }
    }
    for a in &stems[..20] {
        for b in &stems[..30] {
            if a != b {
                vocab.push(format!("{a}s{b}"));
                vocab.push(format!("{a}{b}et"));
            }
        }
    }
    // Rare words: synthetic but pronounceable.
    let syl = [
        "ka", "re", "mo", "ti", "lu", "sa", "ne", "vi", "do", "pe", "ga", "fo",
    ];
    for i in 0..20_000usize {
        let mut w = String::new();
        let mut x = i + 7;
        for _ in 0..4 {
            w.push_str(syl[x % syl.len()]);
            x /= syl.len();
        }
        vocab.push(w);
    }
    let mut seed: u64 = 42;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut pick = move || {
        let r = (next() % 1_000_000) as f64 / 1_000_000.0;
        let idx = ((r.powi(3)) * vocab.len() as f64) as usize;
        vocab[idx.min(vocab.len() - 1)].clone()
    };
    let kinds = ["article", "checklist", "case"];
    (0..n)
        .map(|i| {
            let mut words = |k: usize| (0..k).map(|_| pick()).collect::<Vec<_>>().join(" ");
            let mut d = doc(
                &format!("sider/{i:05}/"),
                kinds[i % 3],
                &words(5),
                &words(350),
            );
            d.description = words(20);
            d.headings = (0..4).map(|_| words(4)).collect();
            d.topics = vec![["beslutningstakere", "verdi", "evaluering"][i % 3].to_string()];
            d.tags = vec![words(1), words(1)];
            d
        })
        .collect()
}

#[test]
fn ten_thousand_pages_stay_within_budget() {
    const BUDGET: usize = 150 * 1024;
    let files = build_index(&big_site(10_000), Lang::Nb);
    let size: HashMap<&str, usize> = files.iter().map(|(p, b)| (p.as_str(), b.len())).collect();
    let total: usize = size.values().sum();
    assert!(
        total > 4 * BUDGET,
        "the site should be far larger than the budget"
    );
    let opts = |k: Option<&str>, t: Option<&str>| QueryOptions {
        kind: k.map(str::to_string),
        topic: t.map(str::to_string),
    };
    let queries = [
        ("kunde", opts(None, None)),
        ("salg", opts(None, None)),
        ("kundemøte", opts(None, None)),
        ("møte salg kunde verdi pris", opts(None, None)),
        (
            "salgsprosess kundeverdi beslutning tilbud avtale",
            opts(Some("case"), Some("verdi")),
        ),
        ("s", opts(None, None)),
        ("ka", opts(None, None)),
        ("kare", opts(Some("article"), None)),
        ("zzzzqqq", opts(None, None)),
        ("kunnde salgg", opts(None, None)),
    ];
    let store = Store::parse(&files);
    for (q, o) in &queries {
        let r = run_on(&store, q, Lang::Nb, o);
        let bytes: usize = r.files.iter().map(|f| size[f.as_str()]).sum();
        assert!(bytes <= BUDGET, "{q}: {bytes} bytes over {:?}", r.files);
        assert!(r.files.iter().filter(|f| f.starts_with("search/d")).count() <= PAGE);
    }
    let r = run_on(&store, "kunde", Lang::Nb, &QueryOptions::default());
    assert!(r.urls.len() > 1000);
}

/// Builds through a [`TokenCache`] kept across edits give the bytes a
/// build without one gives: documents kept, made anew with the same texts,
/// replaced, added and removed, a word that only the replaced document
/// had, counts too large to pack, and a change of language.
#[test]
fn a_token_cache_changes_nothing_in_the_index() {
    use std::sync::Arc;
    let mut docs: Vec<Arc<SearchDoc>> = site().into_iter().map(Arc::new).collect();
    let mut busy = doc(
        "artikler/mange/",
        "article",
        &"salg ".repeat(40),
        &"tilbud og pris ".repeat(300),
    );
    busy.headings = vec!["Referanse".into(); 40];
    docs.push(Arc::new(busy));
    let mut cache = TokenCache::default();
    let check = |docs: &[Arc<SearchDoc>], lang: Lang, cache: &mut TokenCache| {
        let cached = build_index_cached(docs, lang, cache);
        assert!(cached == build_index(docs, lang), "{lang:?}");
        assert_eq!(cache.len(), docs.len());
    };
    check(&docs, Lang::Nb, &mut cache);
    check(&docs, Lang::Nb, &mut cache);
    // The first document gets a word no other has; the second loses its
    // own; one goes, one comes; the rest stay the same `Arc`.
    let mut first = (*docs[0]).clone();
    first.body = format!("{} Kvartalsgjennomgangen nærmer seg.", first.body).into();
    docs[0] = Arc::new(first);
    let mut second = (*docs[1]).clone();
    second.title = "Ny tittel".into();
    second.body = "Kort tekst nå.".into();
    docs[1] = Arc::new(second);
    docs.remove(2);
    docs.insert(
        0,
        Arc::new(doc(
            "aaa/forst/",
            "checklist",
            "Først i rekken",
            "Denne kommer foran alle andre og har egne ord: forhandlingsrom.",
        )),
    );
    check(&docs, Lang::Nb, &mut cache);
    check(&docs, Lang::Nb, &mut cache);
    assert_eq!(cache.replayed(), docs.len(), "nothing changed");
    // Documents made anew, saying what they said (a whole rebuild in
    // `serve`): found by their texts, none tokenized again; one of them
    // with another title is.
    let mut docs: Vec<Arc<SearchDoc>> = docs.iter().map(|d| Arc::new((**d).clone())).collect();
    let mut retitled = (*docs[3]).clone();
    retitled.title = format!("{} igjen", retitled.title);
    docs[3] = Arc::new(retitled);
    check(&docs, Lang::Nb, &mut cache);
    assert_eq!(cache.replayed(), docs.len() - 1);
    check(&docs, Lang::En, &mut cache);
    check(&docs, Lang::Nb, &mut cache);
}

/// A cache whose vocabulary has grown far past the site's (words of
/// documents long gone) starts afresh, and the index stays the same.
#[test]
fn a_token_cache_full_of_gone_words_starts_afresh() {
    use std::sync::Arc;
    let many: Vec<Arc<SearchDoc>> = (0..60)
        .map(|d| {
            let body: Vec<String> = (0..1000).map(|w| format!("q{d}x{w}")).collect();
            Arc::new(doc(
                &format!("a/{d}/"),
                "article",
                "Mange ord",
                &body.join(" "),
            ))
        })
        .collect();
    let mut cache = TokenCache::default();
    build_index_cached(&many, Lang::Nb, &mut cache);
    assert_eq!(cache.len(), 60);
    let few: Vec<Arc<SearchDoc>> = site().into_iter().map(Arc::new).collect();
    let once = build_index_cached(&few, Lang::Nb, &mut cache);
    assert!(once == build_index(&few, Lang::Nb));
    assert!(cache.is_empty(), "the gone words were let go");
    let again = build_index_cached(&few, Lang::Nb, &mut cache);
    assert!(again == once);
    assert_eq!(cache.len(), few.len());
}
