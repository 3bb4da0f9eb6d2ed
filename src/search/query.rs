//! Query evaluation over the built index files — the Rust twin of the
//! ranking in `search.js`.
//!
//! The browser loads only some files for a query; this module follows the
//! same plan (and reports it) so that both sides see the same data and rank
//! identically. For each query word `q` (stop words dropped, duplicates
//! removed, at most [`MAX_TOKENS`]):
//!
//! 1. `s` = stem of `q` ([`stem`]: for Norwegian Snowball plus the
//!    conflation step); the *range key* `r` is the longest common prefix of
//!    `fold(q)` and `fold(s)`.
//! 2. Load the term shard whose key range holds `r`, plus the next one when
//!    it still starts with `r` (at most [`MAX_SHARDS`] shards per query).
//! 3. Every word `w` of those shards whose fold starts with `r` is a
//!    candidate. Its match kind is the best of: *exact* (`w == q`), *fold*
//!    (`fold(w) == fold(q)`), *prefix* (`fold(w)` starts with `fold(q)`),
//!    *stem* (`fold(stem(w)) == fold(s)`). Prefix-only matches are capped to
//!    the [`PREFIX_CAP`] most frequent.
//! 4. A document's score for `q` is the highest `weight × stored score` over
//!    the matching words; compound-part postings use the lower part weights.
//!
//! 5. A query word of at least [`MIN_COMPOUND_CHARS`] letters that reads as
//!    two words of the vocabulary file (`førstemøte` = `første` + `møte`, a
//!    binding `s` or `e` allowed after the first: `salgsmøte`) is looked for
//!    as those parts too: a document matching both (each as in steps 1–4,
//!    their shards loaded after the query words') scores the lower of the
//!    two, where that beats the word's own score. The vocabulary is loaded
//!    right after `meta` when the query has such a long word.
//!
//! Documents are ordered by the number of query words they match, then by
//! the summed score, then by id (URL order).

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::Lang;
use super::codec::{decode_ids, decode_postings};
use super::compound::MIN_COMPOUND_CHARS;
use super::index::DOC_CHUNK;
use super::normalize::{fold, is_stop_word, tokenize};
use super::stem::stem;

/// Query words considered.
pub const MAX_TOKENS: usize = 5;
/// Term shards loaded per query word.
pub const MAX_SHARDS_PER_TOKEN: usize = 2;
/// Term shards loaded per query.
pub const MAX_SHARDS: usize = 7;
/// Prefix-only matches kept per query word.
pub const PREFIX_CAP: usize = 20;
/// Results shown per page (documents whose chunks the UI loads).
pub const PAGE: usize = 10;

/// Weights of (exact, fold, prefix, stem) matches on direct postings.
pub const DIRECT_WEIGHTS: [u32; 4] = [10, 8, 7, 6];
/// Weights of (exact, fold, prefix, stem) matches on compound-part postings.
pub const PART_WEIGHTS: [u32; 4] = [5, 5, 4, 4];

/// Optional result filters, as offered by the UI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryOptions {
    /// Keep only documents of this kind (`article`, `checklist`, `case`).
    pub kind: Option<String>,
    /// Keep only documents with this topic.
    pub topic: Option<String>,
}

/// Everything a query did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryReport {
    /// Ranked document URLs.
    pub urls: Vec<String>,
    /// Index files the browser loads for this query and its first page of
    /// results, in load order (paths relative to the site root).
    pub files: Vec<String>,
    /// A corrected query when nothing matched and a close word exists.
    pub suggestion: Option<String>,
}

/// Parsed index files, by registration name.
pub struct Store {
    parts: HashMap<String, Value>,
    paths: HashMap<String, String>,
}

impl Store {
    /// Parse the output of [`super::build_index`]; unknown files are ignored.
    pub fn parse(files: &[(String, Vec<u8>)]) -> Store {
        let mut parts = HashMap::new();
        let mut paths = HashMap::new();
        for (path, bytes) in files {
            let Ok(text) = std::str::from_utf8(bytes) else {
                continue;
            };
            let Some((name, data)) = parse_script(text) else {
                continue;
            };
            if let Some(inline) = data.get("inline").and_then(Value::as_object) {
                for (k, v) in inline {
                    parts.insert(k.clone(), v.clone());
                }
            }
            paths.insert(name.clone(), path.clone());
            parts.insert(name, data);
        }
        Store { parts, paths }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.parts.get(name)
    }
}

/// Split `__vinnSearch.add("name",{...});` into its name and data.
pub fn parse_script(text: &str) -> Option<(String, Value)> {
    let rest = text.trim().strip_prefix("__vinnSearch.add(")?;
    let rest = rest.strip_suffix(");")?;
    let mut de = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
    let name = de.next()?.ok()?;
    let offset = de.byte_offset();
    let data: Value = serde_json::from_str(rest[offset..].trim_start().strip_prefix(',')?).ok()?;
    Some((name.as_str()?.to_string(), data))
}

/// One query word and its keys.
#[derive(Debug, Clone)]
pub struct Token {
    /// The normalized word.
    pub q: String,
    /// Folded word.
    pub fq: String,
    /// Folded stem.
    pub fs: String,
    /// Range key: common prefix of `fq` and `fs`.
    pub r: String,
}

/// The query words of `q` (see the module docs).
pub fn query_tokens(q: &str, lang: Lang) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for w in tokenize(q) {
        if is_stop_word(&w, lang) || out.iter().any(|t| t.q == w) {
            continue;
        }
        if out.len() == MAX_TOKENS {
            break;
        }
        out.push(token(w, lang));
    }
    out
}

/// A query word with its keys.
fn token(w: String, lang: Lang) -> Token {
    let fq = fold(&w);
    let fs = fold(&stem(&w, lang));
    let r: String = fq
        .chars()
        .zip(fs.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a)
        .collect();
    Token { q: w, fq, fs, r }
}

/// `w` as two words of `vocab` (step 5 of the module docs): the split
/// whose shorter part is longest, then the earliest; each part at least
/// four letters, a binding `s` or `e` between them allowed.
pub fn split_compound(w: &str, vocab: &[&str]) -> Option<(String, String)> {
    let chars: Vec<(usize, char)> = w.char_indices().collect();
    if chars.len() < MIN_COMPOUND_CHARS {
        return None;
    }
    let known = |p: &str| vocab.contains(&p);
    let mut best: Option<(usize, String, String)> = None;
    for i in 4..=chars.len().saturating_sub(4) {
        let (head, tail) = w.split_at(chars[i].0);
        let tail_len = chars.len() - i;
        if !known(tail) {
            continue;
        }
        let head = if known(head) {
            Some((head, i))
        } else {
            head.strip_suffix(['s', 'e'])
                .filter(|h| h.chars().count() >= 4 && known(h))
                .map(|h| (h, i - 1))
        };
        if let Some((head, head_len)) = head {
            let shorter = head_len.min(tail_len);
            if best.as_ref().is_none_or(|b| shorter > b.0) {
                best = Some((shorter, head.to_string(), tail.to_string()));
            }
        }
    }
    best.map(|(_, h, t)| (h, t))
}

/// Shards holding words that start with `r`: the last shard whose first key
/// is not after `r`, and the next one if its first key starts with `r`.
fn shards_for(keys: &[&str], r: &str) -> Vec<usize> {
    if keys.is_empty() {
        return Vec::new();
    }
    let i = keys.iter().rposition(|k| *k <= r).unwrap_or(0);
    let mut out = vec![i];
    if i + 1 < keys.len() && keys[i + 1].starts_with(r) && out.len() < MAX_SHARDS_PER_TOKEN {
        out.push(i + 1);
    }
    out
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest vocabulary word to `w`, if one is close enough.
fn closest<'a>(w: &str, vocab: &[&'a str]) -> Option<&'a str> {
    let n = w.chars().count();
    let max = if n <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, &str)> = None;
    for &v in vocab {
        if v == w || v.chars().count().abs_diff(n) > max {
            continue;
        }
        let d = edit_distance(w, v);
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, v));
        }
    }
    best.map(|(_, v)| v)
}

/// Run a query with filters and report results, files and suggestion.
pub fn run(files: &[(String, Vec<u8>)], q: &str, lang: Lang, opts: &QueryOptions) -> QueryReport {
    let store = Store::parse(files);
    run_on(&store, q, lang, opts)
}

/// [`run`] over an already parsed store.
pub fn run_on(store: &Store, q: &str, lang: Lang, opts: &QueryOptions) -> QueryReport {
    let mut report = QueryReport::default();
    let load = |name: &str, report: &mut QueryReport| match store.paths.get(name) {
        Some(p) if !report.files.contains(p) => report.files.push(p.clone()),
        _ => {}
    };
    let Some(meta) = store.get("meta") else {
        return report;
    };
    load("meta", &mut report);
    let tokens = query_tokens(q, lang);
    let keys: Vec<&str> = meta["shards"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    // A long word may be a compound of two vocabulary words (step 5).
    let vocab: Vec<&str> = if tokens
        .iter()
        .any(|t| t.q.chars().count() >= MIN_COMPOUND_CHARS)
    {
        load("vocab", &mut report);
        vocab_words(store)
    } else {
        Vec::new()
    };
    let parts: Vec<Option<[Token; 2]>> = tokens
        .iter()
        .map(|t| split_compound(&t.q, &vocab).map(|(h, tail)| [token(h, lang), token(tail, lang)]))
        .collect();

    // Shards per token, within the per-query budget: the query words'
    // first, then their parts'.
    let mut loaded: Vec<usize> = Vec::new();
    let mut shards_of = |t: &Token, report: &mut QueryReport| {
        let mut mine = Vec::new();
        for s in shards_for(&keys, &t.r) {
            if loaded.contains(&s) {
                mine.push(s);
            } else if loaded.len() < MAX_SHARDS {
                loaded.push(s);
                load(&format!("s{s}"), report);
                mine.push(s);
            }
        }
        mine
    };
    let token_shards: Vec<Vec<usize>> = tokens.iter().map(|t| shards_of(t, &mut report)).collect();
    let part_shards: Vec<Option<[Vec<usize>; 2]>> = parts
        .iter()
        .map(|p| {
            p.as_ref()
                .map(|[h, t]| [shards_of(h, &mut report), shards_of(t, &mut report)])
        })
        .collect();

    // Score.
    let mut total: BTreeMap<u32, (u32, u64)> = BTreeMap::new();
    for (i, t) in tokens.iter().enumerate() {
        let mut best = score_token(store, t, &token_shards[i], lang);
        if let (Some([h, tail]), Some([hs, ts])) = (&parts[i], &part_shards[i]) {
            let head = score_token(store, h, hs, lang);
            let tail = score_token(store, tail, ts, lang);
            for (doc, a) in head {
                if let Some(&b) = tail.get(&doc) {
                    let v = a.min(b);
                    let e = best.entry(doc).or_insert(0);
                    *e = (*e).max(v);
                }
            }
        }
        for (doc, v) in best {
            let t = total.entry(doc).or_insert((0, 0));
            t.0 += 1;
            t.1 += u64::from(v);
        }
    }
    let any_match = !total.is_empty();

    // Filters.
    let mut allowed: Option<Vec<u32>> = None;
    for (facet, prefix, value) in [("kinds", "fk", &opts.kind), ("topics", "ft", &opts.topic)] {
        let Some(value) = value else { continue };
        let idx = meta[facet]
            .as_array()
            .and_then(|a| a.iter().position(|f| f[0].as_str() == Some(value)));
        let ids = match idx {
            Some(i) => {
                let name = format!("{prefix}{i}");
                load(&name, &mut report);
                store
                    .get(&name)
                    .and_then(Value::as_str)
                    .and_then(decode_ids)
                    .unwrap_or_default()
            }
            None => Vec::new(),
        };
        allowed = Some(match allowed {
            None => ids,
            Some(prev) => prev.into_iter().filter(|d| ids.contains(d)).collect(),
        });
    }

    let mut ranked: Vec<(u32, u32, u64)> = total
        .into_iter()
        .filter(|(d, _)| allowed.as_ref().is_none_or(|a| a.binary_search(d).is_ok()))
        .map(|(d, (c, s))| (d, c, s))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));

    // Suggestion when nothing matched at all.
    if !any_match && !tokens.is_empty() {
        load("vocab", &mut report);
        let vocab = vocab_words(store);
        let mut changed = false;
        let words: Vec<String> = tokens
            .iter()
            .map(|t| match closest(&t.q, &vocab) {
                Some(v) => {
                    changed = true;
                    v.to_string()
                }
                None => t.q.clone(),
            })
            .collect();
        if changed {
            report.suggestion = Some(words.join(" "));
        }
    }

    // URLs, and the document chunks of the first page.
    for (i, &(doc, _, _)) in ranked.iter().enumerate() {
        let chunk = doc as usize / DOC_CHUNK;
        let name = format!("d{chunk}");
        if i < PAGE {
            load(&name, &mut report);
        }
        let url = store
            .get(&name)
            .and_then(|c| c[doc as usize % DOC_CHUNK][0].as_str())
            .unwrap_or_default();
        report.urls.push(url.to_string());
    }
    report
}

/// The vocabulary file's words.
fn vocab_words(store: &Store) -> Vec<&str> {
    store
        .get("vocab")
        .and_then(Value::as_str)
        .map(|s| s.split(' ').filter(|w| !w.is_empty()).collect())
        .unwrap_or_default()
}

/// Each document's best score for the query word `t` over the words of
/// `shards` (steps 3 and 4 of the module docs).
fn score_token(store: &Store, t: &Token, shards: &[usize], lang: Lang) -> HashMap<u32, u32> {
    let mut best: HashMap<u32, u32> = HashMap::new();
    let mut matched: Vec<(usize, &Value)> = Vec::new(); // (kind, entry)
    let mut prefix_only: Vec<(usize, &str, &Value)> = Vec::new();
    for &s in shards {
        let Some(entries) = store.get(&format!("s{s}")).and_then(Value::as_array) else {
            continue;
        };
        for e in entries {
            let Some(w) = e[0].as_str() else { continue };
            let fw = fold(w);
            if !fw.starts_with(&t.r) {
                continue;
            }
            let kind = if w == t.q {
                0
            } else if fw == t.fq {
                1
            } else if fw.starts_with(&t.fq) {
                2
            } else if fold(&stem(w, lang)) == t.fs {
                3
            } else {
                continue;
            };
            let is_stem = kind == 2 && fold(&stem(w, lang)) == t.fs;
            if kind == 2 && !is_stem {
                let df = e
                    .as_array()
                    .map(|a| {
                        a[1..]
                            .iter()
                            .filter_map(Value::as_str)
                            .map(posting_count)
                            .sum()
                    })
                    .unwrap_or(0);
                prefix_only.push((df, w, e));
            } else {
                matched.push((kind, e));
            }
        }
    }
    prefix_only.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    matched.extend(
        prefix_only
            .into_iter()
            .take(PREFIX_CAP)
            .map(|(_, _, e)| (2, e)),
    );
    for (kind, e) in matched {
        for (list, weights) in [(1, DIRECT_WEIGHTS), (2, PART_WEIGHTS)] {
            let Some(enc) = e.get(list).and_then(Value::as_str) else {
                continue;
            };
            for (doc, score) in decode_postings(enc).unwrap_or_default() {
                let v = weights[kind] * score;
                let b = best.entry(doc).or_insert(0);
                *b = (*b).max(v);
            }
        }
    }
    best
}

fn posting_count(enc: &str) -> usize {
    // Every pair ends with two terminal characters.
    enc.bytes()
        .filter(|b| b.is_ascii_uppercase() || (b'a'..=b'f').contains(b))
        .count()
        / 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_word_splits_into_two_vocabulary_words() {
        let vocab = ["første", "møte", "salg", "salgs", "mandat", "rammeavtale"];
        let split = |w: &str| split_compound(w, &vocab);
        assert_eq!(split("førstemøte"), Some(("første".into(), "møte".into())));
        // A binding s or e after the first part.
        assert_eq!(
            split("salgsmandat"),
            Some(("salgs".into(), "mandat".into()))
        );
        assert_eq!(
            split("rammeavtalemandat"),
            Some(("rammeavtale".into(), "mandat".into()))
        );
        assert_eq!(split("møte"), None, "too short");
        assert_eq!(split("førsteverdi"), None, "a part the vocabulary lacks");
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("møte", "mote"), 1);
        assert_eq!(edit_distance("salg", "salget"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("bselutning", "beslutning"), 2);
    }

    #[test]
    fn range_keys() {
        let t = query_tokens("Møtene og salget", Lang::Nb);
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].q.as_str(), t[0].fq.as_str(), t[0].r.as_str()),
            ("møtene", "motene", "mot")
        );
        assert_eq!(t[1].r, "salg");
        let t = query_tokens("happy dying", Lang::En);
        assert_eq!(t[0].r, "happ");
        assert_eq!(t[1].r, "d");
    }

    #[test]
    fn shard_choice() {
        let keys = ["", "be", "kunde", "kundem", "salg"];
        assert_eq!(shards_for(&keys, "kund"), [1, 2]);
        assert_eq!(shards_for(&keys, "kunde"), [2, 3]);
        assert_eq!(shards_for(&keys, "kundeverdi"), [3]);
        assert_eq!(shards_for(&keys, "a"), [0]);
        assert_eq!(shards_for(&keys, "x"), [4]);
        assert!(shards_for(&[], "x").is_empty());
    }

    #[test]
    fn parses_scripts() {
        let (name, v) = parse_script("__vinnSearch.add(\"s1\",[[\"a\",\"AB\"]]);\n").unwrap();
        assert_eq!(name, "s1");
        assert_eq!(v[0][1], "AB");
        assert!(parse_script("nonsense").is_none());
    }
}
