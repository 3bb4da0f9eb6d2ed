//! Splitting Norwegian compound words against the corpus vocabulary.
//!
//! Norwegian writes compounds as one word (`salgsmøte`, `kundeverdi`,
//! `beslutningstakeren`). To let a search for `møte` find `salgsmøte`, the
//! index builder splits every long word of the corpus into parts that are
//! themselves words of the corpus, allowing the binding letters `-s-` and
//! `-e-` between them, and indexes the parts as *compound parts* (ranked below
//! direct matches).
//!
//! A split `head [+ link] + tail` is accepted when:
//! - the head is a corpus word (at least 4 letters, or 3 when a binding letter
//!   follows) or shares its Snowball stem with one (at least 4 letters),
//! - the tail is a corpus word of at least 3 letters, or an inflection of one
//!   (its stem is the stem of a corpus word; at least 4 letters), or is itself
//!   a compound (up to three levels deep), or is a *shared tail*; an
//!   inflectional ending such as `-ene` is never a tail.
//!
//! Parts need not occur on their own in the corpus when compounds share them:
//! - a *shared tail* ends corpus words after word heads with at least
//!   [`SHARED_TAIL_HEADS`] different stems, in any inflection: with
//!   `andreplassen` and `byggeplassene` in the corpus, `plass` is a part of
//!   both;
//! - a *shared head* (no corpus word, not ending in `s`) starts corpus words
//!   before at least [`SHARED_HEAD_TAILS`] tails with different stems that are
//!   words or inflections: `økonomi` in `økonomidirektøren`,
//!   `økonomiansvarlig`, `økonomisjefen`, so `direktøren` is a part.
//!
//! Both are at least [`MIN_SHARED`] letters long, and a split whose head has
//! the stem of the whole word (`følelsen`, `selgeren`: derivations) or that
//! puts a binding `s` after a head ending in `s` never counts for them.
//!
//! The best split has the most trustworthy parts (a word tail, then an
//! inflection, a compound, a shared tail, and last a shared head before a
//! word or inflection), then the shortest tail; a binding `s` is preferred to
//! an `s` ending the head (`salg|s|møte`, not `salgs|møte`). Parts are the
//! head, the tail and, in turn, their own parts.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::Lang;
use super::stem::{is_ending, snowball, stem};

/// Shortest word (in characters) that is tried as a compound.
pub const MIN_COMPOUND_CHARS: usize = 7;
/// Shortest shared part (head or tail), and shortest stem of a shared tail
/// (in characters).
pub const MIN_SHARED: usize = 4;
/// Different head stems a shared tail follows.
pub const SHARED_TAIL_HEADS: usize = 2;
/// Different tail stems a shared head precedes.
pub const SHARED_HEAD_TAILS: usize = 3;
const MAX_DEPTH: usize = 3;

/// Splits words against a fixed vocabulary.
pub struct Splitter {
    words: HashSet<String>,
    /// Stems of the words (for tails).
    stems: HashSet<String>,
    /// Snowball stems of the words, without the conflation step (for heads:
    /// the shorter conflated stems would let `evalue` head `evaluering`).
    snowball_stems: HashSet<String>,
    /// Stems of the shared tails.
    shared_tails: HashSet<String>,
    /// The shared heads.
    shared_heads: HashSet<String>,
    lang: Lang,
    memo: HashMap<String, Option<(String, String)>>,
}

/// Partners seen per part, and the parts seen with enough partners.
struct Partners {
    need: usize,
    seen: HashMap<String, HashSet<String>>,
    shared: HashSet<String>,
}

impl Partners {
    fn new(need: usize) -> Self {
        Partners {
            need,
            seen: HashMap::new(),
            shared: HashSet::new(),
        }
    }

    fn add(&mut self, part: String, partner: String) {
        if self.shared.contains(&part) {
            return;
        }
        let set = self.seen.entry(part.clone()).or_default();
        set.insert(partner);
        if set.len() >= self.need {
            self.shared.insert(part);
        }
    }
}

impl Splitter {
    /// A splitter over `vocabulary` (normalized words, stop words excluded).
    pub fn new<'a>(vocabulary: impl IntoIterator<Item = &'a str>, lang: Lang) -> Self {
        let words: HashSet<String> = vocabulary.into_iter().map(str::to_string).collect();
        let stems = words.iter().map(|w| stem(w, lang)).collect();
        let snowball_stems = words.iter().map(|w| snowball(w, lang)).collect();
        let mut s = Splitter {
            words,
            stems,
            snowball_stems,
            shared_tails: HashSet::new(),
            shared_heads: HashSet::new(),
            lang,
            memo: HashMap::new(),
        };
        if lang == Lang::Nb {
            s.shared_tails = s.find_shared_tails();
            s.shared_heads = s.find_shared_heads();
        }
        s
    }

    /// The vocabulary words that may be compounds, with their characters
    /// and stems.
    fn long_words(&self) -> Vec<(Vec<char>, String)> {
        self.words
            .iter()
            .filter(|w| w.chars().count() >= MIN_COMPOUND_CHARS)
            .map(|w| (w.chars().collect(), stem(w, self.lang)))
            .collect()
    }

    /// Stems of the tails that follow word heads with at least
    /// [`SHARED_TAIL_HEADS`] different stems in the vocabulary (see the
    /// module docs).
    fn find_shared_tails(&self) -> HashSet<String> {
        let mut tails = Partners::new(SHARED_TAIL_HEADS);
        for (c, own) in self.long_words() {
            for (i, j, _) in self.splits(&c) {
                if let Some((head, tail)) = self.shared_tail_candidate(&c, i, j, &own) {
                    tails.add(tail, head);
                }
            }
        }
        tails.shared
    }

    /// Heads that are no corpus words but come before tails with at least
    /// [`SHARED_HEAD_TAILS`] different stems that are corpus words or their
    /// inflections (see the module docs).
    fn find_shared_heads(&self) -> HashSet<String> {
        let mut heads = Partners::new(SHARED_HEAD_TAILS);
        for (c, own) in self.long_words() {
            for (i, j) in boundaries(&c) {
                let head: String = c[..i].iter().collect();
                // A head ending in `s` is a binding `s` with its head.
                if i < MIN_SHARED
                    || c[i - 1] == 's'
                    || self.words.contains(&head)
                    || stem(&head, self.lang) == own
                {
                    continue;
                }
                let tail: String = c[j..].iter().collect();
                if c.len() - j < MIN_SHARED || is_ending(&tail) {
                    continue;
                }
                let t = stem(&tail, self.lang);
                if self.words.contains(&tail) || self.stems.contains(&t) {
                    heads.add(head, t);
                }
            }
        }
        heads.shared
    }

    /// The stems of head and tail when the split of `c` at `(i, j)` may
    /// have a shared tail: the head is a corpus word that does not have the
    /// stem `own` of the whole word (that would be a derivation such as
    /// `følelsen` or `selgeren`, not a compound), no binding `s` follows a
    /// head ending in `s`, and tail and tail stem are long enough.
    fn shared_tail_candidate(
        &self,
        c: &[char],
        i: usize,
        j: usize,
        own: &str,
    ) -> Option<(String, String)> {
        let tail: String = c[j..].iter().collect();
        if c.len() - j < MIN_SHARED || is_ending(&tail) || double_s(c, i, j) {
            return None;
        }
        let head: String = c[..i].iter().collect();
        if !self.words.contains(&head) {
            return None;
        }
        let head = stem(&head, self.lang);
        let tail = stem(&tail, self.lang);
        (head != own && tail.chars().count() >= MIN_SHARED).then_some((head, tail))
    }

    /// The candidate splits of `c` (see [`boundaries`]) whose head is a
    /// corpus word, shares its Snowball stem with one, or is a shared head
    /// (then marked `true`).
    fn splits(&self, c: &[char]) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        for (i, j) in boundaries(c) {
            let head: String = c[..i].iter().collect();
            if self.words.contains(&head)
                || (i >= 4 && self.snowball_stems.contains(&snowball(&head, self.lang)))
            {
                out.push((i, j, false));
            } else if self.shared_heads.contains(&head) {
                out.push((i, j, true));
            }
        }
        out
    }

    /// The parts of `word` (sorted, without `word` itself); empty when it is
    /// not a compound. Only Norwegian words are split.
    pub fn parts(&mut self, word: &str) -> Vec<String> {
        let mut out = BTreeSet::new();
        if self.lang == Lang::Nb {
            self.collect(word, 0, &mut out);
        }
        out.remove(word);
        out.into_iter().collect()
    }

    fn collect(&mut self, word: &str, depth: usize, out: &mut BTreeSet<String>) {
        if depth >= MAX_DEPTH {
            return;
        }
        if let Some((head, tail)) = self.best_split(word) {
            self.collect(&head, depth + 1, out);
            self.collect(&tail, depth + 1, out);
            out.insert(head);
            out.insert(tail);
        }
    }

    fn best_split(&mut self, word: &str) -> Option<(String, String)> {
        if let Some(hit) = self.memo.get(word) {
            return hit.clone();
        }
        let found = self.find_split(word, 0);
        self.memo.insert(word.to_string(), found.clone());
        found
    }

    fn find_split(&mut self, word: &str, depth: usize) -> Option<(String, String)> {
        let c: Vec<char> = word.chars().collect();
        if c.len() < MIN_COMPOUND_CHARS || depth >= MAX_DEPTH {
            return None;
        }
        // (level, head, tail); the first found at the best level wins, and
        // tails are tried shortest first.
        let mut best: Option<(u8, String, String)> = None;
        let mut own: Option<String> = None;
        for (i, j, shared_head) in self.splits(&c) {
            let tail: String = c[j..].iter().collect();
            let n = c.len() - j;
            if is_ending(&tail) {
                continue;
            }
            let is_word = |t: &str| n >= 3 && self.words.contains(t);
            let is_inflection = |t: &str| n >= 4 && self.stems.contains(&stem(t, self.lang));
            let level = if shared_head {
                if n < MIN_SHARED || !(is_word(&tail) || is_inflection(&tail)) {
                    continue;
                }
                4
            } else if is_word(&tail) {
                0
            } else if is_inflection(&tail) {
                1
            } else if best.as_ref().is_none_or(|b| b.0 > 2)
                && n >= MIN_COMPOUND_CHARS
                && self.find_split(&tail, depth + 1).is_some()
            {
                2
            } else if self
                .shared_tail_candidate(&c, i, j, own.get_or_insert_with(|| stem(word, self.lang)))
                .is_some_and(|(_, t)| self.shared_tails.contains(&t))
            {
                3
            } else {
                continue;
            };
            if best.as_ref().is_none_or(|b| level < b.0) {
                best = Some((level, c[..i].iter().collect(), tail));
            }
            if level == 0 {
                break;
            }
        }
        best.map(|(_, h, t)| (h, t))
    }
}

/// Where `c` may be split, as (head end, tail start): tails of at least 3
/// letters, shortest first, and at one tail start a binding `s`, no binding
/// letter, a binding `e`; heads of at least 4 letters, or 3 before a binding
/// letter.
fn boundaries(c: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if c.len() < MIN_COMPOUND_CHARS {
        return out;
    }
    for j in (4..=c.len() - 3).rev() {
        for link in ["s", "", "e"] {
            let l = link.len();
            if j < 3 + l || !c[j - l..j].iter().copied().eq(link.chars()) {
                continue;
            }
            let i = j - l;
            if !link.is_empty() || i >= 4 {
                out.push((i, j));
            }
        }
    }
    out
}

/// Whether the split at `(i, j)` puts a binding `s` after a head that ends
/// in `s` (`salgs|s|amtale`), which Norwegian does not do.
fn double_s(c: &[char], i: usize, j: usize) -> bool {
    j > i && c[i] == 's' && c[i - 1] == 's'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splitter(words: &[&str]) -> Splitter {
        Splitter::new(words.iter().copied(), Lang::Nb)
    }

    #[test]
    fn splits_with_binding_letters() {
        let mut s = splitter(&["salg", "møte", "kunde", "verdi", "tap", "analyse", "mål"]);
        assert_eq!(s.parts("salgsmøte"), ["møte", "salg"]);
        assert_eq!(s.parts("kundemøte"), ["kunde", "møte"]);
        assert_eq!(s.parts("kundeverdi"), ["kunde", "verdi"]);
        assert_eq!(s.parts("tapsanalyse"), ["analyse", "tap"]);
        assert_eq!(s.parts("salgsmål"), ["mål", "salg"]);
    }

    #[test]
    fn tail_may_be_an_inflection() {
        let mut s = splitter(&["salg", "møte", "beslutning", "takere", "kunden", "verdi"]);
        // "møtene" is not in the vocabulary, but its stem is that of "møte".
        assert_eq!(s.parts("salgsmøtene"), ["møtene", "salg"]);
        assert_eq!(s.parts("beslutningstakeren"), ["beslutning", "takeren"]);
        // The head may be a form of a corpus word too ("kunde" ~ "kunden").
        assert_eq!(s.parts("kundeverdi"), ["kunde", "verdi"]);
    }

    #[test]
    fn splits_three_parts() {
        let mut s = splitter(&["salg", "prosess", "eier"]);
        assert_eq!(
            s.parts("salgsprosesseier"),
            ["eier", "prosess", "prosesseier", "salg"]
        );
    }

    #[test]
    fn shared_tails_are_parts() {
        // "plass" is no word of the corpus, but ends compounds after two
        // different heads, in two inflections.
        let mut s = splitter(&["andre", "andreplassen", "bygg", "byggeplassene"]);
        assert_eq!(s.parts("andreplassen"), ["andre", "plassen"]);
        assert_eq!(s.parts("byggeplassene"), ["bygg", "plassene"]);
        // After one head only, it is not enough.
        let mut s = splitter(&["andre", "andreplassen", "andreplass"]);
        assert!(s.parts("andreplassen").is_empty());
        // Derivational endings are not shared tails, however many heads
        // they follow.
        let words = [
            "føle",
            "følelsen",
            "avgjøre",
            "avgjørelsen",
            "selge",
            "selgeren",
            "vinne",
            "vinneren",
            "lede",
            "ledelsen",
        ];
        let mut s = splitter(&words);
        for w in [
            "følelsen",
            "avgjørelsen",
            "selgeren",
            "vinneren",
            "ledelsen",
        ] {
            assert!(s.parts(w).is_empty(), "{w}: {:?}", s.parts(w));
        }
        // A head must share its Snowball stem with a corpus word: "evalue"
        // does not head "evaluering", though both conflate to "evalu".
        let mut s = splitter(&["evaluere", "ring", "evaluering"]);
        assert!(s.parts("evaluering").is_empty());
    }

    #[test]
    fn shared_heads_are_parts() {
        let mut s = splitter(&[
            "økonomidirektøren",
            "økonomiansvarlig",
            "økonomisjefen",
            "direktøren",
            "ansvarlig",
            "sjef",
        ]);
        assert_eq!(s.parts("økonomidirektøren"), ["direktøren", "økonomi"]);
        // Before two tails only, it is not enough.
        let mut s = splitter(&["økonomidirektøren", "økonomisjefen", "direktøren", "sjef"]);
        assert!(s.parts("økonomidirektøren").is_empty());
    }

    #[test]
    fn leaves_plain_words_alone() {
        let mut s = splitter(&[
            "kunde",
            "mark",
            "salg",
            "forhandling",
            "kun",
            "tilbud",
            "ene",
        ]);
        assert!(s.parts("kundene").is_empty());
        assert!(s.parts("markedet").is_empty());
        assert!(s.parts("forhandlingene").is_empty());
        assert!(s.parts("salget").is_empty());
        assert!(s.parts("kundens").is_empty());
        assert!(s.parts("tilbudene").is_empty());
        assert!(
            Splitter::new(["sales", "meeting"], Lang::En)
                .parts("salesmeeting")
                .is_empty()
        );
    }
}
