//! Building the static search index.
//!
//! # Scoring
//!
//! Each document has five fields: title, headings, description, *meta* (kind,
//! topics, tags, case outcome and reasons, plus their Norwegian or English
//! labels) and body. For every indexed word and document the builder computes
//! a BM25 score per field — the term frequency normalized by field length and
//! saturated with `k1` — adds the fields up with their weights (title >
//! headings > description ≈ meta > body), multiplies by the IDF of the word's
//! *stem group* (all words with the same folded stem) and stores the result as
//! an integer from 1 to [`MAX_SCORE`]. Query-time ranking is then plain integer
//! arithmetic, identical in Rust and JS.
//!
//! Each field saturates on its own (unlike BM25F, which saturates the
//! weighted sum): a word in the title always counts its full title weight,
//! however often another page repeats it in headings and body. With a joint
//! saturation a page that merely mentions a word often reached almost the
//! score of the page titled with it, and the match-kind weights of the query
//! (exact before inflected forms) then decided against the title.
//!
//! Compound parts (see [`super::compound`]) get their own posting lists, so a
//! query can rank them below direct matches.
//!
//! # Files
//!
//! All files live under `search/` and are scripts that register their data
//! with `__vinnSearch.add(name, data)`, so they load from `file://` too:
//!
//! | file | data |
//! |---|---|
//! | `meta.js` | format version, language, document count, first key of each term shard, kinds and topics with counts; on small sites every other part inline under `inline` |
//! | `s{i}.js` | term shard `i` (about 12 KB): `[[word, postings, part postings?], …]` sorted by folded word |
//! | `d{j}.js` | documents `5j … 5j+4`: `[url, title, kind, [topics], description, excerpt, outcome]` |
//! | `fk{i}.js`, `ft{i}.js` | ids of the documents of kind / topic `i` (as listed in meta) |
//! | `vocab.js` | the most frequent words, space separated, most frequent first (for "did you mean") |
//!
//! Posting and id lists use [`super::codec`]. Documents are numbered in URL
//! order.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Value, json};

use super::codec::{encode_ids, encode_postings};
use super::compound::{MIN_COMPOUND_CHARS, Splitter};
use super::normalize::{fold, is_stop_word, tokenize};
use super::stem::stem;
use super::{Lang, SearchDoc};

/// Number of fields per document.
pub const FIELDS: usize = 5;
const TITLE: usize = 0;
const HEADINGS: usize = 1;
const DESCRIPTION: usize = 2;
const META: usize = 3;
const BODY: usize = 4;

/// Field weights: title, headings, description, meta, body.
pub const FIELD_WEIGHTS: [f64; FIELDS] = [8.0, 4.0, 3.0, 2.5, 1.0];
const FIELD_B: [f64; FIELDS] = [0.5, 0.75, 0.75, 0.5, 0.75];
const K1: f64 = 1.2;
const SCORE_SCALE: f64 = 20.0;
/// Largest stored score (three characters in the posting codec; only the
/// strongest documents of rare words need more than two).
pub const MAX_SCORE: u32 = 32_767;
/// Longest posting list kept per word (the best-scoring documents).
pub const MAX_POSTINGS: usize = 1000;
/// Most bytes in a term shard (unless one group of words with the same fold
/// is larger on its own).
pub const SHARD_TARGET: usize = 12 * 1024;
/// Documents per document chunk.
pub const DOC_CHUNK: usize = 5;
/// Below this total size everything is inlined into `meta.js`.
pub const INLINE_LIMIT: usize = 100 * 1024;
const VOCAB_MAX: usize = 4000;
const TITLE_CHARS: usize = 160;
const DESCRIPTION_CHARS: usize = 200;
const EXCERPT_CHARS: usize = 280;

/// Directory of all index files in the site output.
pub const DIR: &str = "search/";

type Tf = [u16; FIELDS];

/// Words indexed for a document kind, beyond the kind itself.
fn kind_words(kind: &str, lang: Lang) -> &'static str {
    match (kind, lang) {
        ("article", Lang::Nb) => "artikkel artikler",
        ("checklist", Lang::Nb) => "sjekkliste sjekklister",
        ("case", Lang::Nb) => "kundecase casestudie",
        ("case", Lang::En) => "case study",
        _ => "",
    }
}

fn outcome_words(outcome: &str, lang: Lang) -> &'static str {
    match (outcome, lang) {
        ("won", Lang::Nb) => "vunnet vunnede seier",
        ("lost", Lang::Nb) => "tapt tapte tap",
        ("no-decision", Lang::Nb) => "ingen beslutning",
        ("won", Lang::En) => "win",
        ("lost", Lang::En) => "loss",
        _ => "",
    }
}

fn reason_words(reason: &str, lang: Lang) -> &'static str {
    match (reason, lang) {
        ("decision-maker", Lang::Nb) => "beslutningstaker beslutningstakere",
        ("value", Lang::Nb) => "verdi",
        ("price", Lang::Nb) => "pris",
        ("timing", Lang::Nb) => "tidspunkt",
        ("competitor", Lang::Nb) => "konkurrent konkurrenter",
        ("relationship", Lang::Nb) => "relasjon relasjoner",
        ("scope", Lang::Nb) => "omfang",
        _ => "",
    }
}

fn meta_text(d: &SearchDoc, lang: Lang) -> String {
    let mut parts: Vec<&str> = vec![&d.kind, kind_words(&d.kind, lang)];
    parts.extend(d.topics.iter().map(String::as_str));
    parts.extend(d.tags.iter().map(String::as_str));
    if let Some(o) = &d.outcome {
        parts.push(o);
        parts.push(outcome_words(o, lang));
    }
    for r in &d.reasons {
        parts.push(r);
        parts.push(reason_words(r, lang));
    }
    parts.join(" ")
}

fn index_tokens(text: &str, lang: Lang) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .filter(|w| !is_stop_word(w, lang))
        .collect()
}

/// `text` with whitespace collapsed, cut at a word boundary to at most
/// `max` characters (plus an ellipsis when cut).
pub fn clip(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    let mut n = 0;
    for w in words {
        let wl = w.chars().count();
        let extra = if out.is_empty() { wl } else { wl + 1 };
        if n + extra > max {
            if out.is_empty() {
                out.extend(w.chars().take(max));
            }
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        n += extra;
    }
    out
}

/// The stored score: per field, BM25 term-frequency saturation with length
/// normalization; the fields weighted and summed; times `idf`.
fn bm25(tf: &Tf, len: &[u32; FIELDS], avg: &[f64; FIELDS], idf: f64) -> u32 {
    let mut t = 0.0;
    for f in 0..FIELDS {
        if tf[f] == 0 {
            continue;
        }
        let norm = if avg[f] > 0.0 {
            1.0 - FIELD_B[f] + FIELD_B[f] * f64::from(len[f]) / avg[f]
        } else {
            1.0
        };
        let x = f64::from(tf[f]);
        t += FIELD_WEIGHTS[f] * x * (K1 + 1.0) / (x + K1 * norm);
    }
    ((idf * t * SCORE_SCALE).round() as u32).clamp(1, MAX_SCORE)
}

fn postings(list: &[(u32, Tf)], lens: &[[u32; FIELDS]], avg: &[f64; FIELDS], idf: f64) -> String {
    let mut scored: Vec<(u32, u32)> = list
        .iter()
        .map(|(doc, tf)| (*doc, bm25(tf, &lens[*doc as usize], avg, idf)))
        .collect();
    if scored.len() > MAX_POSTINGS {
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(MAX_POSTINGS);
        scored.sort_unstable();
    }
    encode_postings(&scored)
}

/// Wrap `data` as a registration script for `name`.
pub fn script(name: &str, data: &Value) -> Vec<u8> {
    let json = serde_json::to_string(data)
        .expect("JSON values serialize")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!(
        "__vinnSearch.add({},{json});\n",
        serde_json::to_string(name).expect("string")
    )
    .into_bytes()
}

/// Interned words: id ↔ string.
#[derive(Default)]
struct Words {
    ids: HashMap<String, u32>,
    list: Vec<String>,
}

impl Words {
    fn id(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let id = self.list.len() as u32;
        self.ids.insert(w.to_string(), id);
        self.list.push(w.to_string());
        id
    }
}

/// Exact length of an entry serialized as JSON (words never need escaping:
/// they consist of word characters only), plus its separating comma.
fn entry_size(word: &str, direct: &str, parts: &str) -> usize {
    let mut n = 2 + word.len() + 2 + 1 + direct.len() + 2 + 1;
    if !parts.is_empty() {
        n += 1 + parts.len() + 2;
    }
    n
}

/// Build all index files for `docs` (see the module docs).
pub fn build(docs: &[SearchDoc], lang: Lang) -> Vec<(String, Vec<u8>)> {
    let mut order: Vec<&SearchDoc> = docs.iter().collect();
    order.sort_by(|a, b| a.url.cmp(&b.url));

    // Word ids per document and field.
    let mut words = Words::default();
    let texts: Vec<[Vec<u32>; FIELDS]> = order
        .iter()
        .map(|d| {
            let mut f: [Vec<u32>; FIELDS] = Default::default();
            let mut sources: [String; FIELDS] = Default::default();
            sources[TITLE] = d.title.clone();
            sources[HEADINGS] = d.headings.join("\n");
            sources[DESCRIPTION] = d.description.clone();
            sources[META] = meta_text(d, lang);
            sources[BODY] = d.body.clone();
            for (i, text) in sources.iter().enumerate() {
                f[i] = index_tokens(text, lang)
                    .iter()
                    .map(|w| words.id(w))
                    .collect();
            }
            f
        })
        .collect();
    let direct_words = words.list.len();

    // Compound parts of every word of the vocabulary.
    let mut splitter = Splitter::new(words.list.iter().map(String::as_str), lang);
    let mut parts_of: Vec<Vec<u32>> = vec![Vec::new(); direct_words];
    for (id, parts) in parts_of.iter_mut().enumerate() {
        let w = words.list[id].clone();
        if w.chars().count() >= MIN_COMPOUND_CHARS {
            *parts = splitter.parts(&w).iter().map(|p| words.id(p)).collect();
        }
    }

    // Term frequencies, documents in ascending order.
    let mut direct: Vec<Vec<(u32, Tf)>> = vec![Vec::new(); words.list.len()];
    let mut part: Vec<Vec<(u32, Tf)>> = vec![Vec::new(); words.list.len()];
    let mut lens: Vec<[u32; FIELDS]> = Vec::with_capacity(texts.len());
    for (doc, fields) in texts.iter().enumerate() {
        let doc = doc as u32;
        let mut len = [0u32; FIELDS];
        let mut d_tf: HashMap<u32, Tf> = HashMap::new();
        let mut p_tf: HashMap<u32, Tf> = HashMap::new();
        for (f, ids) in fields.iter().enumerate() {
            len[f] = ids.len() as u32;
            for &w in ids {
                let tf = d_tf.entry(w).or_default();
                tf[f] = tf[f].saturating_add(1);
                for &p in &parts_of[w as usize] {
                    let tf = p_tf.entry(p).or_default();
                    tf[f] = tf[f].saturating_add(1);
                }
            }
        }
        for (w, tf) in d_tf {
            direct[w as usize].push((doc, tf));
        }
        for (w, tf) in p_tf {
            part[w as usize].push((doc, tf));
        }
        lens.push(len);
    }
    let n = texts.len();
    let mut avg = [0.0f64; FIELDS];
    for len in &lens {
        for f in 0..FIELDS {
            avg[f] += f64::from(len[f]);
        }
    }
    for a in &mut avg {
        if n > 0 {
            *a /= n as f64;
        }
    }

    // Entries in (folded word, word) order, and document frequency per stem
    // group (all words whose folded stems are equal).
    let mut sorted: Vec<(String, u32)> = (0..words.list.len() as u32)
        .filter(|&id| !direct[id as usize].is_empty() || !part[id as usize].is_empty())
        .map(|id| (fold(&words.list[id as usize]), id))
        .collect();
    sorted.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| words.list[a.1 as usize].cmp(&words.list[b.1 as usize]))
    });
    let mut group_ids: HashMap<String, usize> = HashMap::new();
    let group_of: Vec<usize> = sorted
        .iter()
        .map(|(_, id)| {
            let g = fold(&stem(&words.list[*id as usize], lang));
            let next = group_ids.len();
            *group_ids.entry(g).or_insert(next)
        })
        .collect();
    let mut group_docs: Vec<Vec<u32>> = vec![Vec::new(); group_ids.len()];
    for (i, (_, id)) in sorted.iter().enumerate() {
        let docs = &mut group_docs[group_of[i]];
        docs.extend(direct[*id as usize].iter().map(|(d, _)| *d));
        docs.extend(part[*id as usize].iter().map(|(d, _)| *d));
    }
    let group_df: Vec<usize> = group_docs
        .into_iter()
        .map(|mut d| {
            d.sort_unstable();
            d.dedup();
            d.len()
        })
        .collect();
    // Never below ln 2, so that field weights still count for a word that
    // is on every page.
    let idf = |df: usize| -> f64 {
        let (n, df) = (n as f64, df as f64);
        (1.0 + (n + 1.0) / (df + 0.5)).ln()
    };

    // Term shards: a shard is closed before an entry that would take it past
    // the target, but never between two words with the same fold.
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut shard_keys: Vec<String> = Vec::new();
    let mut shard: Vec<Value> = Vec::new();
    let mut shard_bytes = 0;
    let mut shards: Vec<Vec<Value>> = Vec::new();
    let mut vocab_list: Vec<(usize, &str)> = Vec::new();
    for (i, (key, id)) in sorted.iter().enumerate() {
        let word = words.list[*id as usize].as_str();
        let (d_list, p_list) = (&direct[*id as usize], &part[*id as usize]);
        let w_idf = idf(group_df[group_of[i]]);
        let d_enc = postings(d_list, &lens, &avg, w_idf);
        let p_enc = postings(p_list, &lens, &avg, w_idf);
        let size = entry_size(word, &d_enc, &p_enc);
        let boundary = i == 0 || sorted[i - 1].0 != *key;
        if shard.is_empty() || (shard_bytes + size > SHARD_TARGET && boundary) {
            if !shard.is_empty() {
                shards.push(std::mem::take(&mut shard));
            }
            shard_keys.push(if shards.is_empty() {
                String::new()
            } else {
                key.clone()
            });
            shard_bytes = 0;
        }
        shard_bytes += size;
        let mut item = vec![json!(word), json!(d_enc)];
        if !p_enc.is_empty() {
            item.push(json!(p_enc));
        }
        shard.push(Value::Array(item));
        if !d_list.is_empty()
            && word.chars().count() >= 4
            && !word.chars().all(|c| c.is_ascii_digit())
        {
            vocab_list.push((d_list.len(), word));
        }
    }
    if !shard.is_empty() {
        shards.push(shard);
    }
    let mut parts: Vec<(String, Value)> = Vec::new();
    for (i, s) in shards.into_iter().enumerate() {
        parts.push((format!("s{i}"), Value::Array(s)));
    }

    // Document chunks.
    for (j, chunk) in order.chunks(DOC_CHUNK).enumerate() {
        let docs: Vec<Value> = chunk
            .iter()
            .map(|d| {
                json!([
                    d.url,
                    clip(&d.title, TITLE_CHARS),
                    d.kind,
                    d.topics,
                    clip(&d.description, DESCRIPTION_CHARS),
                    clip(&d.body, EXCERPT_CHARS),
                    d.outcome.clone().unwrap_or_default(),
                ])
            })
            .collect();
        parts.push((format!("d{j}"), Value::Array(docs)));
    }

    // Facets.
    let mut kinds: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut topics: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (doc, d) in order.iter().enumerate() {
        kinds.entry(d.kind.as_str()).or_default().push(doc as u32);
        let uniq: BTreeSet<&str> = d.topics.iter().map(String::as_str).collect();
        for t in uniq {
            topics.entry(t).or_default().push(doc as u32);
        }
    }
    let mut facet_meta = |prefix: &str, map: &BTreeMap<&str, Vec<u32>>| -> Value {
        let mut list = Vec::new();
        for (i, (name, ids)) in map.iter().enumerate() {
            parts.push((format!("{prefix}{i}"), json!(encode_ids(ids))));
            list.push(json!([name, ids.len()]));
        }
        Value::Array(list)
    };
    let kinds_meta = facet_meta("fk", &kinds);
    let topics_meta = facet_meta("ft", &topics);

    // Vocabulary for suggestions: frequent words, most frequent first.
    vocab_list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    vocab_list.truncate(VOCAB_MAX);
    let vocab_words: Vec<&str> = vocab_list.iter().map(|(_, w)| *w).collect();
    parts.push(("vocab".to_string(), json!(vocab_words.join(" "))));

    let mut meta = json!({
        "v": 1,
        "lang": lang.code(),
        "n": n,
        "dc": DOC_CHUNK,
        "shards": shard_keys,
        "kinds": kinds_meta,
        "topics": topics_meta,
    });
    let rendered: Vec<(String, Vec<u8>)> = parts
        .iter()
        .map(|(name, data)| (name.clone(), script(name, data)))
        .collect();
    let total: usize = rendered.iter().map(|(_, b)| b.len()).sum();
    if total <= INLINE_LIMIT {
        let inline: serde_json::Map<String, Value> = parts.into_iter().collect();
        meta["inline"] = Value::Object(inline);
    } else {
        for (name, bytes) in rendered {
            files.push((format!("{DIR}{name}.js"), bytes));
        }
    }
    files.push((format!("{DIR}meta.js"), script("meta", &meta)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_at_word_boundaries() {
        assert_eq!(clip("  en  to\ntre ", 20), "en to tre");
        assert_eq!(clip("en to tre fire", 9), "en to tre…");
        assert_eq!(clip("en to tre fire", 8), "en to…");
        assert_eq!(clip("beslutningstaker", 5), "beslu…");
    }

    #[test]
    fn scores_prefer_title_and_are_bounded() {
        let len = [3, 5, 10, 4, 200];
        let avg = [4.0, 6.0, 12.0, 4.0, 250.0];
        let mut title = [0u16; FIELDS];
        title[TITLE] = 1;
        let mut body = [0u16; FIELDS];
        body[BODY] = 1;
        assert!(bm25(&title, &len, &avg, 2.0) > bm25(&body, &len, &avg, 2.0));
        let mut many = [0u16; FIELDS];
        many[TITLE] = u16::MAX;
        assert!(bm25(&many, &len, &avg, 50.0) <= MAX_SCORE);
        assert!(bm25(&body, &len, &avg, 0.0001) >= 1);
    }

    #[test]
    fn repetition_does_not_outweigh_the_title() {
        // Each field saturates on its own: however often the body repeats a
        // word, one title occurrence counts more.
        let len = [4, 6, 12, 4, 250];
        let avg = [4.0, 6.0, 12.0, 4.0, 250.0];
        let mut title = [0u16; FIELDS];
        title[TITLE] = 1;
        let mut body = [0u16; FIELDS];
        body[BODY] = 1000;
        assert!(bm25(&title, &len, &avg, 2.0) > 3 * bm25(&body, &len, &avg, 2.0));
        let mut heading = [0u16; FIELDS];
        heading[HEADINGS] = 1;
        let mut headings = [0u16; FIELDS];
        headings[HEADINGS] = 3;
        assert!(bm25(&title, &len, &avg, 2.0) > bm25(&headings, &len, &avg, 2.0));
        assert!(bm25(&headings, &len, &avg, 2.0) > bm25(&heading, &len, &avg, 2.0));
    }
}
