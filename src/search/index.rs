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
//!
//! # Building
//!
//! One pass over the documents turns each text into word ids (each distinct
//! raw token is normalized once per build, not once per occurrence) and
//! appends one posting per word and document, with the five term frequencies
//! packed into a `u32`; the texts themselves are never copied. A compound
//! part occurs in a document as often as the words it is part of, so its
//! postings are summed from theirs while the shards are written, one word at
//! a time, instead of being kept for the whole vocabulary. Shards and
//! document chunks are written as JSON directly. On the 10 000-page
//! benchmark site this takes about a third of the time and memory of
//! counting each document with hash maps (the files are byte for byte the
//! same).
//!
//! `serve` builds the index again after every edit. A [`TokenCache`] kept
//! between those builds holds each document's words and term frequencies;
//! a document whose field texts are those of one in the build before (a
//! 128-bit hash of them) is replayed from it instead of tokenized
//! ([`build_cached`]), with the same bytes out.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use serde_json::{Value, json};

use super::codec::{encode_ids, encode_postings};
use super::compound::{MIN_COMPOUND_CHARS, Splitter};
use super::normalize::{
    fold, is_nfc, is_stop_word, strip_ignorables, token_spans, token_word, tokenize,
};
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

/// Calls `f(field, text)` for every text of `d`, field by field. A field may
/// have several texts (headings; the kind, topics, tags, … of meta): they are
/// tokenized one by one, which gives the tokens of the texts joined by a
/// separator, as no token spans two texts.
fn field_texts<'a>(d: &'a SearchDoc, lang: Lang, mut f: impl FnMut(usize, &'a str)) {
    f(TITLE, &d.title);
    for h in &d.headings {
        f(HEADINGS, h);
    }
    f(DESCRIPTION, &d.description);
    f(META, &d.kind);
    f(META, kind_words(&d.kind, lang));
    for t in d.topics.iter().chain(&d.tags) {
        f(META, t);
    }
    if let Some(o) = &d.outcome {
        f(META, o);
        f(META, outcome_words(o, lang));
    }
    for r in &d.reasons {
        f(META, r);
        f(META, reason_words(r, lang));
    }
    f(BODY, &d.body);
}

/// `text` with whitespace collapsed, cut at a word boundary to at most
/// `max` characters (plus an ellipsis when cut).
pub fn clip(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(4)) + 4);
    let mut n = 0;
    for w in text.split_whitespace() {
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

/// `K1` times the length normalization of each field, for a document with
/// field lengths `len`.
fn field_norms(len: &[u32; FIELDS], avg: &[f64; FIELDS]) -> [f64; FIELDS] {
    let mut kn = [0.0; FIELDS];
    for f in 0..FIELDS {
        let norm = if avg[f] > 0.0 {
            1.0 - FIELD_B[f] + FIELD_B[f] * f64::from(len[f]) / avg[f]
        } else {
            1.0
        };
        kn[f] = K1 * norm;
    }
    kn
}

/// The stored score: per field, BM25 term-frequency saturation with length
/// normalization (`kn`, see [`field_norms`]); the fields weighted and
/// summed; times `idf`.
fn score(tf: &Tf, kn: &[f64; FIELDS], idf: f64) -> u32 {
    let mut t = 0.0;
    for f in 0..FIELDS {
        if tf[f] == 0 {
            continue;
        }
        let x = f64::from(tf[f]);
        t += FIELD_WEIGHTS[f] * x * (K1 + 1.0) / (x + kn[f]);
    }
    ((idf * t * SCORE_SCALE).round() as u32).clamp(1, MAX_SCORE)
}

/// [`score`] for a document with field lengths `len`.
#[cfg(test)]
fn bm25(tf: &Tf, len: &[u32; FIELDS], avg: &[f64; FIELDS], idf: f64) -> u32 {
    score(tf, &field_norms(len, avg), idf)
}

/// The encoded posting list of `(document, term frequencies)`: the
/// [`MAX_POSTINGS`] best-scoring documents. `scored` is scratch space.
fn postings(
    list: impl Iterator<Item = (u32, Tf)>,
    norms: &[[f64; FIELDS]],
    idf: f64,
    scored: &mut Vec<(u32, u32)>,
) -> String {
    scored.clear();
    scored.extend(list.map(|(doc, tf)| (doc, score(&tf, &norms[doc as usize], idf))));
    if scored.len() > MAX_POSTINGS {
        // Best first, ties by document: a total order, so the kept set is
        // that of a full sort.
        scored.select_nth_unstable_by(MAX_POSTINGS - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(MAX_POSTINGS);
        scored.sort_unstable();
    }
    encode_postings(scored)
}

/// Wrap `data` as a registration script for `name`.
pub fn script(name: &str, data: &Value) -> Vec<u8> {
    wrap(
        name,
        &serde_json::to_vec(data).expect("JSON values serialize"),
    )
}

const SCRIPT_START: &[u8] = b"__vinnSearch.add(";
const SCRIPT_END: &[u8] = b");\n";

/// Wrap serialized JSON as a registration script for `name`, with U+2028 and
/// U+2029 escaped (they end a line in older JavaScript).
fn wrap(name: &str, json: &[u8]) -> Vec<u8> {
    let name = serde_json::to_string(name).expect("string");
    let mut out =
        Vec::with_capacity(SCRIPT_START.len() + name.len() + 1 + json.len() + SCRIPT_END.len());
    out.extend_from_slice(SCRIPT_START);
    out.extend_from_slice(name.as_bytes());
    out.push(b',');
    let mut rest = json;
    // Both are E2 80 A8/A9 in UTF-8; E2 starts no other sequence with 80 A8/A9.
    while let Some(i) = rest.iter().position(|&b| b == 0xE2) {
        let (head, tail) = rest.split_at(i);
        out.extend_from_slice(head);
        match tail {
            [0xE2, 0x80, 0xA8, ..] => out.extend_from_slice(b"\\u2028"),
            [0xE2, 0x80, 0xA9, ..] => out.extend_from_slice(b"\\u2029"),
            _ => {
                out.extend_from_slice(&tail[..1]);
                rest = &tail[1..];
                continue;
            }
        }
        rest = &tail[3..];
    }
    out.extend_from_slice(rest);
    out.extend_from_slice(SCRIPT_END);
    out
}

/// The data of a script made by [`wrap`].
fn unwrap(name: &str, script: &[u8]) -> Value {
    let name = serde_json::to_string(name).expect("string");
    let json = &script[SCRIPT_START.len() + name.len() + 1..script.len() - SCRIPT_END.len()];
    serde_json::from_slice(json).expect("scripts hold JSON")
}

/// Append `s` as a JSON string.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(out, s).expect("strings serialize");
}

/// A fast hash for the builder's maps (FxHash: not DoS-resistant, which the
/// author's own content does not need).
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Interned words: id ↔ string.
#[derive(Default)]
struct Words {
    ids: FxMap<String, u32>,
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

/// Word id of a token that is not indexed (too short or long, stop word).
const SKIP: u32 = u32::MAX;

/// Raw token → word id, for the millions of lookups of a big site. A token
/// of up to 16 bytes is held as two 8-byte words and its length — its first
/// and last 8 bytes (or 4, or its first, middle and last byte), which
/// together are all of its bytes — so a lookup hashes and compares three
/// integers instead of a string. Longer tokens go to a map.
struct RawTokens<'a> {
    /// Open addressing, linear probing; `len == 0` marks a free slot.
    slots: Vec<Slot>,
    used: usize,
    long: FxMap<&'a str, u32>,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    head: u64,
    tail: u64,
    len: u32,
    id: u32,
}

/// The first and last bytes of a token of 1 to 16 bytes, as in [`RawTokens`].
fn head_tail(b: &[u8]) -> (u64, u64) {
    let n = b.len();
    let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
    let half = |at: usize| {
        u64::from(u32::from_le_bytes(
            b[at..at + 4].try_into().expect("4 bytes"),
        ))
    };
    match n {
        8.. => (word(0), word(n - 8)),
        4.. => (half(0), half(n - 4)),
        _ => (
            u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16,
            0,
        ),
    }
}

impl<'a> RawTokens<'a> {
    fn new() -> Self {
        RawTokens {
            slots: vec![Slot::default(); 1 << 12],
            used: 0,
            long: FxMap::default(),
        }
    }

    fn index(&self, head: u64, tail: u64, len: u32) -> usize {
        let h = (head ^ tail.rotate_left(29) ^ u64::from(len)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> 32) as usize & (self.slots.len() - 1)
    }

    /// The id of `raw` (non-empty), made by `make` the first time.
    fn id(&mut self, raw: &'a str, make: impl FnOnce() -> u32) -> u32 {
        let b = raw.as_bytes();
        if b.is_empty() || b.len() > 16 {
            if let Some(&id) = self.long.get(raw) {
                return id;
            }
            let id = make();
            self.long.insert(raw, id);
            return id;
        }
        let (head, tail) = head_tail(b);
        let len = b.len() as u32;
        let mut i = self.index(head, tail, len);
        loop {
            let s = self.slots[i];
            if s.len == 0 {
                break;
            }
            if s.len == len && s.head == head && s.tail == tail {
                return s.id;
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
        let id = make();
        self.slots[i] = Slot {
            head,
            tail,
            len,
            id,
        };
        self.used += 1;
        if self.used * 4 > self.slots.len() * 3 {
            self.grow();
        }
        id
    }

    fn grow(&mut self) {
        let bigger = vec![Slot::default(); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, bigger);
        for s in old.into_iter().filter(|s| s.len != 0) {
            let mut i = self.index(s.head, s.tail, s.len);
            while self.slots[i].len != 0 {
                i = (i + 1) & (self.slots.len() - 1);
            }
            self.slots[i] = s;
        }
    }
}

/// The id in `words` of the word of a raw token without ignorables, or [`SKIP`].
fn word_id(words: &mut Words, lang: Lang, raw: &str) -> u32 {
    match token_word(raw) {
        Some(w) if !is_stop_word(&w, lang) => words.id(&w),
        _ => SKIP,
    }
}

/// Turns texts into word ids: the tokens of [`tokenize`] without stop
/// words. Each distinct raw token is normalized only once per build.
struct Tokenizer<'a> {
    lang: Lang,
    words: Words,
    /// Raw token (a slice of a text in NFC) → word id or [`SKIP`].
    raw: RawTokens<'a>,
}

impl<'a> Tokenizer<'a> {
    fn new(lang: Lang) -> Self {
        Tokenizer {
            lang,
            words: Words::default(),
            raw: RawTokens::new(),
        }
    }

    /// Calls `f` with the word id of every indexed token of `text`.
    fn tokens(&mut self, text: &'a str, mut f: impl FnMut(u32)) {
        if !is_nfc(text) {
            for w in tokenize(text) {
                if !is_stop_word(&w, self.lang) {
                    f(self.words.id(&w));
                }
            }
            return;
        }
        token_spans(text, |start, end, ignorables| {
            let raw = &text[start..end];
            let (lang, words) = (self.lang, &mut self.words);
            let id = if ignorables {
                word_id(words, lang, &strip_ignorables(raw))
            } else {
                self.raw.id(raw, || word_id(words, lang, raw))
            };
            if id != SKIP {
                f(id);
            }
        });
    }
}

/// Term frequencies packed into a `u32`: the counts of the fields in
/// [`TF_BITS`] bits each when they fit (nearly always), else [`TF_BIG`] and
/// the index of the counts in a table.
#[derive(Default)]
struct TfTable {
    big: Vec<Tf>,
}

const TF_BITS: [u32; FIELDS] = [5, 6, 5, 5, 10];
const TF_BIG: u32 = 1 << 31;

/// `tf` packed into a `u32` when every count fits its bits.
fn pack_small(tf: &Tf) -> Option<u32> {
    let mut packed = 0;
    let mut shift = 0;
    for f in 0..FIELDS {
        let x = u32::from(tf[f]);
        if x >> TF_BITS[f] != 0 {
            return None;
        }
        packed |= x << shift;
        shift += TF_BITS[f];
    }
    Some(packed)
}

impl TfTable {
    fn pack(&mut self, tf: &Tf) -> u32 {
        pack_small(tf).unwrap_or_else(|| {
            self.big.push(*tf);
            TF_BIG | (self.big.len() - 1) as u32
        })
    }

    fn unpack(&self, packed: u32) -> Tf {
        if packed & TF_BIG != 0 {
            return self.big[(packed & !TF_BIG) as usize];
        }
        let mut tf = [0; FIELDS];
        let mut shift = 0;
        for f in 0..FIELDS {
            tf[f] = ((packed >> shift) & ((1 << TF_BITS[f]) - 1)) as u16;
            shift += TF_BITS[f];
        }
        tf
    }
}

/// Lists of many words in one allocation: those of word `w` are at
/// `start[w]..start[w + 1]` (empty for words past the end).
struct Csr<T> {
    start: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy + Default> Csr<T> {
    /// The lists of `(word, item)` pairs, for words below `words`; each list
    /// keeps the order of `pairs`.
    fn from_pairs(words: usize, pairs: impl Iterator<Item = (u32, T)> + Clone) -> Self {
        let mut start = vec![0usize; words + 1];
        for (w, _) in pairs.clone() {
            start[w as usize + 1] += 1;
        }
        for w in 0..words {
            start[w + 1] += start[w];
        }
        let mut next = start[..words].to_vec();
        let mut items = vec![T::default(); start[words]];
        for (w, item) in pairs {
            let k = &mut next[w as usize];
            items[*k] = item;
            *k += 1;
        }
        Csr { start, items }
    }

    fn get(&self, w: u32) -> &[T] {
        let w = w as usize;
        if w + 1 < self.start.len() {
            &self.items[self.start[w]..self.start[w + 1]]
        } else {
            &[]
        }
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

/// What the documents of one index build tokenized into, kept for the next
/// build of the same site (`serve` rebuilds the index after every edit, and
/// most documents are as they were the time before): each document's
/// words with their term frequencies, in the order a build first meets
/// them, so a document found here is not tokenized again and the index is
/// byte for byte the one [`build`] makes.
#[derive(Default)]
pub struct TokenCache {
    lang: Option<Lang>,
    /// Every word of a cached document, by global id.
    vocab: Words,
    /// By [`doc_key`].
    docs: FxMap<u128, CachedDoc>,
    /// How many documents the last build replayed from it.
    replayed: usize,
}

impl TokenCache {
    /// How many documents it holds.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// How many documents the last build took from it instead of
    /// tokenizing them.
    pub fn replayed(&self) -> usize {
        self.replayed
    }
}

/// What a document is filed under in a [`TokenCache`]: a 128-bit hash of
/// its URL (one entry per page, where two say the same) and of the texts
/// it gives each field, which are all that tokenizing it reads (the
/// language is the cache's). Documents are found by what they say, not by
/// where they are in memory: after a whole rebuild in `serve` every
/// document is a new value, most of them saying what they said before.
fn doc_key(d: &SearchDoc, lang: Lang) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&(d.url.len() as u64).to_le_bytes());
    h.update(d.url.as_bytes());
    field_texts(d, lang, |f, text| {
        h.update(&(f as u64).to_le_bytes());
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    });
    h.digest128()
}

struct CachedDoc {
    /// (global word id, term frequencies packed as [`pack_small`] does, or
    /// [`TF_BIG`] and an index into `big`), in first-occurrence order.
    words: Vec<(u32, u32)>,
    big: Vec<Tf>,
    lens: [u32; FIELDS],
}

/// One build's word ids and a [`TokenCache`]'s global ones, both ways.
#[derive(Default)]
struct IdMap {
    global_of: Vec<u32>,
    local_of: Vec<u32>,
}

impl IdMap {
    fn local(&self, global: u32) -> Option<u32> {
        self.local_of
            .get(global as usize)
            .copied()
            .filter(|&w| w != SKIP)
    }

    fn global(&self, local: u32) -> Option<u32> {
        self.global_of
            .get(local as usize)
            .copied()
            .filter(|&g| g != SKIP)
    }

    fn link(&mut self, local: u32, global: u32) {
        for (v, at, to) in [
            (&mut self.global_of, local, global),
            (&mut self.local_of, global, local),
        ] {
            if at as usize >= v.len() {
                v.resize(at as usize + 1, SKIP);
            }
            v[at as usize] = to;
        }
    }
}

/// Build all index files for `docs` (see the module docs).
pub fn build<D: std::borrow::Borrow<SearchDoc>>(docs: &[D], lang: Lang) -> Vec<(String, Vec<u8>)> {
    build_from(docs.iter().map(|d| d.borrow()).collect(), lang, None)
}

/// [`build`], taking the words of documents built before from `cache`
/// and leaving this build's there (for the documents of this build only).
pub fn build_cached(
    docs: &[Arc<SearchDoc>],
    lang: Lang,
    cache: &mut TokenCache,
) -> Vec<(String, Vec<u8>)> {
    build_from(docs.iter().map(|d| &**d).collect(), lang, Some(cache))
}

fn build_from(
    mut order: Vec<&SearchDoc>,
    lang: Lang,
    mut cache: Option<&mut TokenCache>,
) -> Vec<(String, Vec<u8>)> {
    order.sort_by(|a, b| a.url.cmp(&b.url));
    let n = order.len();

    // Posting lists of the words: (document, packed term frequencies),
    // documents in ascending order. Every word so far occurs somewhere.
    let mut tokenizer = Tokenizer::new(lang);
    let mut tfs = TfTable::default();
    let mut direct: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut lens: Vec<[u32; FIELDS]> = Vec::with_capacity(n);
    if let Some(c) = cache.as_deref_mut()
        && c.lang != Some(lang)
    {
        *c = TokenCache {
            lang: Some(lang),
            ..TokenCache::default()
        };
    }
    let mut earlier = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.docs))
        .unwrap_or_default();
    let mut kept: FxMap<u128, CachedDoc> = FxMap::default();
    let mut replayed = 0;
    {
        let mut tf_of: Vec<Tf> = Vec::new();
        let mut seen: Vec<u32> = Vec::new();
        let mut ids = IdMap::default();
        for (doc, d) in order.iter().enumerate() {
            let key = cache.is_some().then(|| doc_key(d, lang));
            let hit = key.and_then(|k| Some((k, earlier.remove(&k)?)));
            if let (Some((k, e)), Some(c)) = (hit, cache.as_deref()) {
                // The words as this document gave them before, met in the
                // same order: each gets the id tokenizing would give it.
                for &(g, packed) in &e.words {
                    let w = ids.local(g).unwrap_or_else(|| {
                        let w = tokenizer.words.id(&c.vocab.list[g as usize]);
                        ids.link(w, g);
                        w
                    }) as usize;
                    if w >= direct.len() {
                        direct.resize_with(w + 1, Vec::new);
                    }
                    let packed = if packed & TF_BIG == 0 {
                        packed
                    } else {
                        tfs.pack(&e.big[(packed & !TF_BIG) as usize])
                    };
                    direct[w].push((doc as u32, packed));
                }
                lens.push(e.lens);
                kept.insert(k, e);
                replayed += 1;
                continue;
            }
            let mut len = [0u32; FIELDS];
            field_texts(d, lang, |f, text| {
                tokenizer.tokens(text, |w| {
                    let w = w as usize;
                    if w >= tf_of.len() {
                        tf_of.resize(w + 1, [0; FIELDS]);
                    }
                    let tf = &mut tf_of[w];
                    if *tf == [0; FIELDS] {
                        seen.push(w as u32);
                    }
                    tf[f] = tf[f].saturating_add(1);
                    len[f] += 1;
                });
            });
            if tokenizer.words.list.len() > direct.len() {
                direct.resize_with(tokenizer.words.list.len(), Vec::new);
            }
            let mut entry = key.map(|_| CachedDoc {
                words: Vec::with_capacity(seen.len()),
                big: Vec::new(),
                lens: len,
            });
            for w in seen.drain(..) {
                let tf = std::mem::take(&mut tf_of[w as usize]);
                if let (Some(e), Some(c)) = (entry.as_mut(), cache.as_deref_mut()) {
                    let g = ids.global(w).unwrap_or_else(|| {
                        let g = c.vocab.id(&tokenizer.words.list[w as usize]);
                        ids.link(w, g);
                        g
                    });
                    let packed = pack_small(&tf).unwrap_or_else(|| {
                        e.big.push(tf);
                        TF_BIG | (e.big.len() - 1) as u32
                    });
                    e.words.push((g, packed));
                }
                direct[w as usize].push((doc as u32, tfs.pack(&tf)));
            }
            if let (Some(e), Some(k)) = (entry, key) {
                kept.insert(k, e);
            }
            lens.push(len);
        }
    }
    drop(earlier);
    if let Some(c) = cache {
        // Words of documents gone stay in the vocabulary; past a point it
        // starts afresh.
        if c.vocab.list.len() > 2 * tokenizer.words.list.len() + 50_000 {
            *c = TokenCache::default();
        } else {
            c.docs = kept;
        }
        c.replayed = replayed;
    }
    let mut words = tokenizer.words;
    drop(tokenizer.raw);
    let direct_words = words.list.len();

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
    let norms: Vec<[f64; FIELDS]> = lens.iter().map(|len| field_norms(len, &avg)).collect();
    drop(lens);
    let direct_list = |w: u32| direct.get(w as usize).map_or(&[][..], Vec::as_slice);

    // Compound parts of every word of the vocabulary, and for every part the
    // words it is part of (ascending).
    let wholes: Csr<u32> = {
        let mut splitter = Splitter::new(words.list.iter().map(String::as_str), lang);
        let mut parts_of: Vec<Vec<u32>> = vec![Vec::new(); direct_words];
        for (id, parts) in parts_of.iter_mut().enumerate() {
            let w = words.list[id].clone();
            if w.chars().count() >= MIN_COMPOUND_CHARS {
                *parts = splitter.parts(&w).iter().map(|p| words.id(p)).collect();
            }
        }
        Csr::from_pairs(
            words.list.len(),
            parts_of
                .iter()
                .enumerate()
                .flat_map(|(w, parts)| parts.iter().map(move |&p| (p, w as u32))),
        )
    };

    // Entries in (folded word, word) order: the words that occur, and the
    // parts of words that occur.
    let mut sorted: Vec<(String, u32)> = (0..words.list.len() as u32)
        .filter(|&id| (id as usize) < direct_words || !wholes.get(id).is_empty())
        .map(|id| (fold(&words.list[id as usize]), id))
        .collect();
    sorted.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| words.list[a.1 as usize].cmp(&words.list[b.1 as usize]))
    });

    // Document frequency per stem group (all words whose folded stems are
    // equal): the documents of the words' posting and part lists.
    let mut group_ids: FxMap<String, u32> = FxMap::default();
    let group_of: Vec<u32> = sorted
        .iter()
        .map(|(_, id)| {
            let g = fold(&stem(&words.list[*id as usize], lang));
            let next = group_ids.len() as u32;
            *group_ids.entry(g).or_insert(next)
        })
        .collect();
    let mut group_df: Vec<usize> = vec![0; group_ids.len()];
    drop(group_ids);
    {
        let mut by_group: Vec<u32> = (0..sorted.len() as u32).collect();
        by_group.sort_by_key(|&i| group_of[i as usize]);
        // The group that last counted each document; groups come one after
        // the other.
        let mut counted = vec![u32::MAX; n];
        for i in by_group {
            let (g, id) = (group_of[i as usize], sorted[i as usize].1);
            let df = &mut group_df[g as usize];
            for &w in std::iter::once(&id).chain(wholes.get(id)) {
                for &(doc, _) in direct_list(w) {
                    if counted[doc as usize] != g {
                        counted[doc as usize] = g;
                        *df += 1;
                    }
                }
            }
        }
    }
    // Never below ln 2, so that field weights still count for a word that
    // is on every page.
    let idf = |df: usize| -> f64 {
        let (n, df) = (n as f64, df as f64);
        (1.0 + (n + 1.0) / (df + 0.5)).ln()
    };

    // Names and scripts of the index files but `meta`: term shards,
    // document chunks, facets, vocabulary.
    let mut scripts: Vec<(String, Vec<u8>)> = Vec::new();

    // Term shards: a shard is closed before an entry that would take it past
    // the target, but never between two words with the same fold.
    let mut shard_keys: Vec<String> = Vec::new();
    let mut shard: Vec<u8> = Vec::new();
    let mut shard_entries = 0;
    let mut shard_bytes = 0;
    let mut vocab_list: Vec<(usize, &str)> = Vec::new();
    // Scratch space for part lists: summed term frequencies per document.
    let mut part_tf: Vec<Tf> = vec![[0; FIELDS]; n];
    let mut part_docs: Vec<u32> = Vec::new();
    let mut part_list: Vec<(u32, Tf)> = Vec::new();
    let mut scored: Vec<(u32, u32)> = Vec::new();
    for (i, (key, id)) in sorted.iter().enumerate() {
        let word = words.list[*id as usize].as_str();
        let d_list = direct_list(*id);
        // A part occurs as often in a document as the words it is part of.
        for &w in wholes.get(*id) {
            for &(doc, tf) in direct_list(w) {
                let tf = tfs.unpack(tf);
                let sum = &mut part_tf[doc as usize];
                if *sum == [0; FIELDS] {
                    part_docs.push(doc);
                }
                for f in 0..FIELDS {
                    sum[f] = sum[f].saturating_add(tf[f]);
                }
            }
        }
        part_docs.sort_unstable();
        part_list.clear();
        part_list.extend(
            part_docs
                .drain(..)
                .map(|doc| (doc, std::mem::take(&mut part_tf[doc as usize]))),
        );
        let w_idf = idf(group_df[group_of[i] as usize]);
        let d_enc = postings(
            d_list.iter().map(|&(doc, tf)| (doc, tfs.unpack(tf))),
            &norms,
            w_idf,
            &mut scored,
        );
        let p_enc = postings(part_list.iter().copied(), &norms, w_idf, &mut scored);
        let size = entry_size(word, &d_enc, &p_enc);
        let boundary = i == 0 || sorted[i - 1].0 != *key;
        if shard_entries == 0 || (shard_bytes + size > SHARD_TARGET && boundary) {
            if shard_entries > 0 {
                shard.push(b']');
                scripts.push(shard_script(scripts.len(), &shard));
                shard.clear();
            }
            shard_keys.push(if scripts.is_empty() {
                String::new()
            } else {
                key.clone()
            });
            shard_bytes = 0;
            shard_entries = 0;
        }
        shard_bytes += size;
        shard.push(if shard_entries == 0 { b'[' } else { b',' });
        shard_entries += 1;
        shard.push(b'[');
        push_json_str(&mut shard, word);
        shard.push(b',');
        push_json_str(&mut shard, &d_enc);
        if !p_enc.is_empty() {
            shard.push(b',');
            push_json_str(&mut shard, &p_enc);
        }
        shard.push(b']');
        if !d_list.is_empty()
            && word.chars().count() >= 4
            && !word.chars().all(|c| c.is_ascii_digit())
        {
            vocab_list.push((d_list.len(), word));
        }
    }
    if shard_entries > 0 {
        shard.push(b']');
        scripts.push(shard_script(scripts.len(), &shard));
    }
    drop(shard);
    drop(part_tf);
    drop(direct);

    // Document chunks: `[url, title, kind, [topics], description, excerpt,
    // outcome]` per document.
    for (j, chunk) in order.chunks(DOC_CHUNK).enumerate() {
        let mut json = vec![b'['];
        for (k, d) in chunk.iter().enumerate() {
            if k > 0 {
                json.push(b',');
            }
            json.push(b'[');
            push_json_str(&mut json, &d.url);
            json.push(b',');
            push_json_str(&mut json, &clip(&d.title, TITLE_CHARS));
            json.push(b',');
            push_json_str(&mut json, &d.kind);
            json.push(b',');
            serde_json::to_writer(&mut json, &d.topics).expect("strings serialize");
            json.push(b',');
            push_json_str(&mut json, &clip(&d.description, DESCRIPTION_CHARS));
            json.push(b',');
            push_json_str(&mut json, &clip(&d.body, EXCERPT_CHARS));
            json.push(b',');
            push_json_str(&mut json, d.outcome.as_deref().unwrap_or_default());
            json.push(b']');
        }
        json.push(b']');
        let name = format!("d{j}");
        let bytes = wrap(&name, &json);
        scripts.push((name, bytes));
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
            let name_i = format!("{prefix}{i}");
            let bytes = script(&name_i, &json!(encode_ids(ids)));
            scripts.push((name_i, bytes));
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
    scripts.push((
        "vocab".to_string(),
        script("vocab", &json!(vocab_words.join(" "))),
    ));

    let mut meta = json!({
        "v": 1,
        "lang": lang.code(),
        "n": n,
        "dc": DOC_CHUNK,
        "shards": shard_keys,
        "kinds": kinds_meta,
        "topics": topics_meta,
    });
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let total: usize = scripts.iter().map(|(_, b)| b.len()).sum();
    if total <= INLINE_LIMIT {
        let inline: serde_json::Map<String, Value> = scripts
            .into_iter()
            .map(|(name, bytes)| {
                let data = unwrap(&name, &bytes);
                (name, data)
            })
            .collect();
        meta["inline"] = Value::Object(inline);
    } else {
        for (name, bytes) in scripts {
            files.push((format!("{DIR}{name}.js"), bytes));
        }
    }
    files.push((format!("{DIR}meta.js"), script("meta", &meta)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The script of term shard `i`, from its JSON.
fn shard_script(i: usize, json: &[u8]) -> (String, Vec<u8>) {
    let name = format!("s{i}");
    let bytes = wrap(&name, json);
    (name, bytes)
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
    fn raw_tokens_tell_every_token_apart() {
        // Tokens that share their first and last bytes, of every length up
        // to past the two-word limit, and enough of them to grow the table.
        let mut all: Vec<String> = Vec::new();
        for n in 1..=20 {
            for c in ["a", "b", "æ"] {
                for at in 0..n {
                    let mut t = "x".repeat(n);
                    t.replace_range(at..at + 1, c);
                    all.push(t);
                }
            }
        }
        all.extend((0..20_000).map(|i| format!("ord{i}")));
        all.sort();
        all.dedup();
        let mut table = RawTokens::new();
        let mut made = 0;
        for (i, t) in all.iter().enumerate() {
            let id = table.id(t, || {
                made += 1;
                i as u32
            });
            assert_eq!(id, i as u32, "{t}");
        }
        assert_eq!(made, all.len(), "each token is new once");
        for (i, t) in all.iter().enumerate() {
            assert_eq!(table.id(t, || panic!("{t} is known")), i as u32);
        }
    }

    #[test]
    fn term_frequencies_pack() {
        let mut t = TfTable::default();
        for tf in [
            [0, 0, 0, 0, 1],
            [1, 2, 3, 4, 5],
            [31, 63, 31, 31, 1023],
            [32, 0, 0, 0, 0],
            [0, 0, 0, 0, 1024],
            [u16::MAX; FIELDS],
        ] {
            let packed = t.pack(&tf);
            assert_eq!(t.unpack(packed), tf);
        }
        assert_eq!(t.big.len(), 3);
    }

    #[test]
    fn texts_tokenize_as_if_joined() {
        // A field's texts (headings, meta) are tokenized one by one, as if
        // joined by a separator; normalization, ignorables and stop words as
        // in `tokenize`.
        let texts = [
            "Salgs\u{AD}møte og MØTE–møte",
            "\u{301}e A\u{30a}PEN",
            "\u{2126}m ﬁnans",
            "",
            "x",
            "the beslutningstaker\u{200D}",
        ];
        for sep in [" ", "\n"] {
            let mut t = Tokenizer::new(Lang::Nb);
            let mut ids = Vec::new();
            for text in texts {
                t.tokens(text, |id| ids.push(id));
            }
            let got: Vec<&str> = ids
                .iter()
                .map(|&id| t.words.list[id as usize].as_str())
                .collect();
            let want: Vec<String> = tokenize(&texts.join(sep))
                .into_iter()
                .filter(|w| !is_stop_word(w, Lang::Nb))
                .collect();
            assert_eq!(got, want);
        }
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
