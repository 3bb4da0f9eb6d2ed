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
//!   follows) or shares its stem with one (at least 4 letters),
//! - the tail is a corpus word of at least 3 letters, or an inflection of one
//!   (its stem is the stem of a corpus word; at least 4 letters), or is itself
//!   a compound (up to three levels deep); an inflectional ending such as
//!   `-ene` is never a tail.
//!
//! The best split has the most trustworthy tail (word, then inflection, then
//! compound), then the shortest tail; a binding `s` is preferred to an `s`
//! ending the head (`salg|s|møte`, not `salgs|møte`). Parts are the head, the tail and, in
//! turn, their own parts.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::Lang;
use super::stem::{is_ending, stem};

/// Shortest word (in characters) that is tried as a compound.
pub const MIN_COMPOUND_CHARS: usize = 7;
const MAX_DEPTH: usize = 3;

/// Splits words against a fixed vocabulary.
pub struct Splitter {
    words: HashSet<String>,
    stems: HashSet<String>,
    lang: Lang,
    memo: HashMap<String, Option<(String, String)>>,
}

impl Splitter {
    /// A splitter over `vocabulary` (normalized words, stop words excluded).
    pub fn new<'a>(vocabulary: impl IntoIterator<Item = &'a str>, lang: Lang) -> Self {
        let words: HashSet<String> = vocabulary.into_iter().map(str::to_string).collect();
        let stems = words.iter().map(|w| stem(w, lang)).collect();
        Splitter {
            words,
            stems,
            lang,
            memo: HashMap::new(),
        }
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
        for j in (4..=c.len() - 3).rev() {
            // The tail starts at j; a binding letter before it is preferred
            // over the same letter ending the head.
            for link in ["s", "", "e"] {
                let l = link.len();
                if j < 3 + l || !c[j - l..j].iter().copied().eq(link.chars()) {
                    continue;
                }
                let i = j - l;
                if link.is_empty() && i < 4 {
                    continue;
                }
                let head: String = c[..i].iter().collect();
                let head_ok = self.words.contains(&head)
                    || (i >= 4 && self.stems.contains(&stem(&head, self.lang)));
                if !head_ok {
                    continue;
                }
                let tail: String = c[j..].iter().collect();
                let n = c.len() - j;
                if is_ending(&tail) {
                    continue;
                }
                let level = if n >= 3 && self.words.contains(&tail) {
                    0
                } else if n >= 4 && self.stems.contains(&stem(&tail, self.lang)) {
                    1
                } else if best.as_ref().is_none_or(|b| b.0 > 2)
                    && n >= MIN_COMPOUND_CHARS
                    && self.find_split(&tail, depth + 1).is_some()
                {
                    2
                } else {
                    continue;
                };
                if best.as_ref().is_none_or(|b| level < b.0) {
                    best = Some((level, head, tail));
                }
                if level == 0 {
                    return best.map(|(_, h, t)| (h, t));
                }
            }
        }
        best.map(|(_, h, t)| (h, t))
    }
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
