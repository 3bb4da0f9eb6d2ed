//! "Les også": related-content suggestions ranked by shared topics and tags.
//!
//! Scoring is weighted like Hugo's related content (a shared tag says more
//! than a shared broad topic; rare terms say more than common ones). To stay
//! linear in pages × terms, each page only compares itself with a bounded
//! window of neighbours in each term's posting list, never with every page.
//! Terms are numbered once, scores go into one dense array per thread, and
//! pages are scored in parallel.
//!
//! The index ([`Related`]) stays with the site model. After an edit of a
//! few pages' topics, tags, `related` or dates (`serve`), it moves those
//! pages in the posting lists they left or joined, and scores again only
//! them and the pages whose windows held their places: no other page's
//! candidates can have changed. When pages come and go, it moves the pages
//! that stayed to their new indices, takes in only the new pages' terms,
//! and scores again the new pages and those whose windows held a place
//! where a page came or went.
//!
//! A list a page joined or left weighs anew, and the number of pages
//! weighs every term, so more pages' weights change than their candidates. A page
//! whose candidates stayed is checked rather than scored again: candidates
//! sharing the same of its terms score the same and are ordered by key, so
//! its ranking stands when the sums of those sets of terms keep their order
//! under the new weights (`Related::ranks_alike`).

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::content::date::Date;
use crate::site::{SitePage, filled_with_room, follow, give_room, moved, with_room};

/// How many neighbours on each side of a page in a posting list are scored.
const WINDOW: usize = 24;
const TAG_WEIGHT: f64 = 3.0;
const TOPIC_WEIGHT: f64 = 1.0;

/// What "Les også" scores pages with: every page's terms, numbered, and
/// each term's posting list in list order (newest first, then by key),
/// with each page's explicit `related` pages, which its suggestions leave
/// out. Page indices are the site model's.
#[derive(Debug, Clone, Default)]
pub struct Related {
    count: usize,
    /// Term ids by (is a tag, lowercased name).
    ids: HashMap<(bool, String), usize>,
    is_tag: Vec<bool>,
    /// Each term's pages, once each, in list order.
    postings: Vec<Vec<usize>>,
    /// Each page's terms as written (topics, then tags; a repeated term
    /// counts twice).
    terms_of: Vec<Vec<usize>>,
    /// Each page's place in key order: ties go to the lower key.
    key_rank: Vec<usize>,
    /// Each page's date, as its posting lists are ordered by.
    dates: Vec<Option<Date>>,
    explicit: Vec<Vec<usize>>,
    /// The weight of each term that every page's list is ranked right by.
    weights: Vec<f64>,
    /// Each page's shapes (see [`Related::ranks_alike`]): bit `m` is set
    /// when a candidate shares with the page the terms at the places in
    /// `terms_of` that `m`'s bits give. [`UNSHAPED`] for a page of more
    /// than [`SHAPED`] terms.
    shapes: Vec<u64>,
}

/// The most terms a page can have for its shapes to fit in 64 bits.
const SHAPED: usize = 6;
/// The shapes of a page with more terms: its list is always scored again.
const UNSHAPED: u64 = 0;

/// One thread's scratch space for scoring: a score per page, the pages
/// given one, and the best so far.
struct Scratch {
    scores: Vec<f64>,
    /// Which of the scored page's terms each candidate shares (bits over
    /// their places).
    shared: Vec<u8>,
    touched: Vec<usize>,
    /// Score (its bits), key rank (lower first) and index.
    best: Vec<(u64, Reverse<usize>, usize)>,
}

impl Scratch {
    fn new(pages: usize) -> Scratch {
        Scratch {
            scores: vec![0.0; pages],
            shared: vec![0; pages],
            touched: Vec::new(),
            best: Vec::new(),
        }
    }
}

/// A page's topics and tags, lowercased, each marked whether a tag.
fn lowered(page: &SitePage) -> Vec<(bool, String)> {
    let meta = &page.page.meta;
    meta.topics
        .iter()
        .map(|t| (false, t.to_lowercase()))
        .chain(meta.tags.iter().map(|t| (true, t.to_lowercase())))
        .collect()
}

impl Related {
    /// The index of `pages`, whose explicit `related` pages are
    /// `explicit`, and each page's "Les også" list: its explicit pages,
    /// then suggestions, up to `count` in all (more when more are
    /// explicit).
    pub fn new(
        pages: &[SitePage],
        explicit: Vec<Vec<usize>>,
        count: usize,
    ) -> (Related, Vec<Vec<usize>>) {
        let n = pages.len();
        // The lowercasing is done in parallel, the numbering in page order.
        let lowered: Vec<Vec<(bool, String)>> = pages.par_iter().map(lowered).collect();
        let mut by_key: Vec<usize> = (0..n).collect();
        by_key.par_sort_unstable_by(|&a, &b| pages[a].page.key.cmp(&pages[b].page.key));
        let mut key_rank = vec![0usize; n];
        for (rank, &i) in by_key.iter().enumerate() {
            key_rank[i] = rank;
        }
        let mut index = Related {
            count,
            key_rank,
            dates: {
                let mut dates = with_room(n);
                dates.extend(pages.iter().map(|p| p.page.meta.date));
                dates
            },
            explicit,
            terms_of: with_room(n),
            ..Related::default()
        };
        for terms in lowered {
            let mine = terms
                .into_iter()
                .map(|(tag, name)| index.id(tag, name))
                .collect();
            index.terms_of.push(mine);
        }
        // Pages taken in list order fill each posting list in that order.
        let mut in_order: Vec<usize> = (0..n).collect();
        in_order.par_sort_unstable_by_key(|&i| index.list_order(i));
        for &i in &in_order {
            for &t in &index.terms_of[i] {
                if index.postings[t].last() != Some(&i) {
                    index.postings[t].push(i);
                }
            }
        }
        index.shapes = filled_with_room(n, || UNSHAPED);
        give_room(&mut index.explicit);
        let mut lists = vec![Vec::new(); n];
        for (i, list) in index.rank((0..n).collect(), &[]) {
            lists[i] = list;
        }
        (index, lists)
    }

    /// Takes in `edits` — pages of `pages` (indices as before: no page
    /// came or went) whose topics, tags, explicit `related` pages
    /// (given) or dates may have changed — and returns the "Les også"
    /// list of every page whose list may have changed with them: the
    /// edited pages, each page whose window in a list an edited page
    /// left, joined or moved in held the page before or after, and each
    /// page of a list an edited page left or joined (the list's weight
    /// changed) whose ranking that weight changes
    /// (see the module's doc).
    pub fn update(
        &mut self,
        pages: &[SitePage],
        edits: Vec<(usize, Vec<usize>)>,
    ) -> Vec<(usize, Vec<usize>)> {
        let mut changed: BTreeSet<usize> = BTreeSet::new();
        let mut affected: Vec<usize> = Vec::new();
        for (i, explicit) in edits {
            self.explicit[i] = explicit;
            affected.push(i);
            let new = self.number(&pages[i]);
            let old = std::mem::take(&mut self.terms_of[i]);
            let date = pages[i].page.meta.date;
            let moved = date != self.dates[i];
            // Out of each list it leaves, or moves in when its date moved,
            // found where its old date put it...
            for (k, &t) in old.iter().enumerate() {
                let stays = new.contains(&t);
                if old[..k].contains(&t) || (stays && !moved) {
                    continue;
                }
                if let Ok(at) = self.position(t, i) {
                    affected.extend(self.around(t, at));
                    self.postings[t].remove(at);
                }
                if !stays {
                    changed.insert(t);
                }
            }
            // ...and into each list it joins or moves in, where its new date
            // puts it.
            self.dates[i] = date;
            for (k, &t) in new.iter().enumerate() {
                let stayed = old.contains(&t);
                if new[..k].contains(&t) || (stayed && !moved) {
                    continue;
                }
                if let Err(at) = self.position(t, i) {
                    self.postings[t].insert(at, i);
                    affected.extend(self.around(t, at));
                }
                if !stayed {
                    changed.insert(t);
                }
            }
            self.terms_of[i] = new;
        }
        let weighed_anew: Vec<usize> = changed
            .iter()
            .flat_map(|&t| self.postings[t].iter().copied())
            .collect();
        self.rank(affected, &weighed_anew)
    }

    /// Takes in pages that came and went (`serve`): the page at index `j`
    /// before is at `now_at[j]` in `pages` now (`None`: it was removed),
    /// and `added` are the indices of the new pages. The pages that
    /// stayed keep their terms, dates, explicit pages and places in the
    /// posting lists (moved to their new indices); the new pages are
    /// numbered and put where their dates and keys go. `explicit_of(i)`
    /// gives the explicit pages of each new page `i`, and of each page
    /// whose explicit pages lost one (it names a page that is gone).
    ///
    /// The number of pages weighs every term, so every page's ranking may
    /// change. The new pages, those with new explicit pages, and those
    /// whose window in a list held a place where a page came or went are
    /// scored again; every other page kept its candidates, and is scored
    /// again only if the new weights may rank them otherwise
    /// (see the module's doc). Returns the list of each page scored
    /// again (the others keep theirs, at the pages' new indices); `None`,
    /// the index as it was, when this is not the index of the site before
    /// (then [`Related::new`] is the way).
    pub fn shift(
        &mut self,
        pages: &[SitePage],
        now_at: &[Option<usize>],
        added: &[usize],
        mut explicit_of: impl FnMut(usize) -> Vec<usize>,
    ) -> Option<Vec<(usize, Vec<usize>)>> {
        let n = pages.len();
        if !self.covers(now_at.len()) || now_at.iter().flatten().count() + added.len() != n {
            return None;
        }
        // Key order: the pages that stayed keep theirs among themselves,
        // and each new page goes where its key does.
        let mut by_rank = vec![0; self.key_rank.len()];
        for (j, &rank) in self.key_rank.iter().enumerate() {
            by_rank[rank] = j;
        }
        let mut in_key_order: Vec<usize> = by_rank.into_iter().filter_map(|j| now_at[j]).collect();
        for &i in added {
            let key = &pages[i].page.key;
            let at = in_key_order.partition_point(|&j| pages[j].page.key < *key);
            in_key_order.insert(at, i);
        }
        self.key_rank = vec![0; n];
        for (rank, &i) in in_key_order.iter().enumerate() {
            self.key_rank[i] = rank;
        }
        self.dates = moved(std::mem::take(&mut self.dates), now_at, n);
        self.terms_of = moved(std::mem::take(&mut self.terms_of), now_at, n);
        self.shapes = moved(std::mem::take(&mut self.shapes), now_at, n);
        self.explicit = moved(std::mem::take(&mut self.explicit), now_at, n);
        let mut affected: Vec<usize> = added.to_vec();
        for (i, explicit) in self.explicit.iter_mut().enumerate() {
            let before = explicit.len();
            explicit.retain_mut(|j| follow(now_at, j));
            if explicit.len() != before {
                *explicit = explicit_of(i);
                affected.push(i);
            }
        }
        for &i in added {
            self.dates[i] = pages[i].page.meta.date;
            self.explicit[i] = explicit_of(i);
        }
        // A list keeps its order: the pages in it kept their dates and
        // their order by key. Where a page left it, the windows of the
        // pages around the gap changed. A term no page has any more keeps
        // its id, with no pages, and weighs nothing in any score.
        for list in &mut self.postings {
            let mut kept = 0;
            let mut gaps = Vec::new();
            for r in 0..list.len() {
                match now_at[list[r]] {
                    Some(i) => {
                        list[kept] = i;
                        kept += 1;
                    }
                    None => gaps.push(kept),
                }
            }
            list.truncate(kept);
            for gap in gaps {
                affected
                    .extend(&list[gap.saturating_sub(WINDOW + 1)..(gap + WINDOW + 1).min(kept)]);
            }
        }
        for &i in added {
            let terms = self.number(&pages[i]);
            for &t in &terms {
                if let Err(at) = self.position(t, i) {
                    self.postings[t].insert(at, i);
                }
            }
            self.terms_of[i] = terms;
        }
        // The windows around where the new pages went, all of them in.
        for &i in added {
            for &t in &self.terms_of[i] {
                if let Ok(at) = self.position(t, i) {
                    affected.extend(self.around(t, at));
                }
            }
        }
        let all: Vec<usize> = (0..n).collect();
        Some(self.rank(affected, &all))
    }

    /// Scores `affected` again with every term's weight as it is now, and
    /// of `others` — pages whose candidates are what they were — only
    /// those whose ranking the new weights may change
    /// ([`Related::ranks_alike`]). Returns the list of each page scored,
    /// and keeps its shapes and the weights.
    fn rank(&mut self, mut affected: Vec<usize>, others: &[usize]) -> Vec<(usize, Vec<usize>)> {
        let weights = self.weights_now();
        affected.sort_unstable();
        affected.dedup();
        let reranked: Vec<usize> = others
            .par_iter()
            .map_init(Vec::new, |sums, &i| {
                let again =
                    affected.binary_search(&i).is_err() && !self.ranks_alike(i, &weights, sums);
                again.then_some(i)
            })
            .flatten()
            .collect();
        affected.extend(reranked);
        affected.sort_unstable();
        affected.dedup();
        let scored = self.score(&affected, &weights);
        self.weights = weights;
        scored
            .into_iter()
            .map(|(i, suggested, shapes)| {
                self.shapes[i] = shapes;
                (i, self.with_explicit(i, suggested))
            })
            .collect()
    }

    /// Whether page `i`, whose candidates are what they were when its
    /// list was ranked with the kept weights, ranks them the same with
    /// `weights`.
    ///
    /// A candidate's score is the sum of the weights of the page's terms
    /// it shares (added in the order of the page's terms), so candidates
    /// sharing the same places — the same shape — score the same, and
    /// their order among themselves is by key. The ranking stays when the
    /// sums of the page's shapes keep their order: every two stay equal,
    /// or the greater stays greater. The sums are worked out here as
    /// scoring adds them, so equal stays equal to the bit. `sums` is room
    /// for them, reused from page to page.
    fn ranks_alike(&self, i: usize, weights: &[f64], sums: &mut Vec<(u64, u64)>) -> bool {
        let terms = &self.terms_of[i];
        let shapes = self.shapes[i];
        let old = &self.weights;
        if shapes == UNSHAPED || terms.iter().any(|&t| t >= old.len()) {
            return false;
        }
        if terms
            .iter()
            .all(|&t| old[t].to_bits() == weights[t].to_bits())
        {
            return true;
        }
        sums.clear();
        for shape in (1..64).filter(|m| shapes & (1 << m) != 0) {
            let (mut before, mut now) = (0.0f64, 0.0f64);
            for (k, &t) in terms.iter().enumerate() {
                if shape & (1 << k) != 0 {
                    before += old[t];
                    now += weights[t];
                }
            }
            sums.push((before.to_bits(), now.to_bits()));
        }
        sums.sort_unstable_by(|a, b| b.cmp(a));
        sums.windows(2).all(|w| {
            let ((a_before, a_now), (b_before, b_now)) = (w[0], w[1]);
            if a_before == b_before {
                a_now == b_now
            } else {
                a_now > b_now
            }
        })
    }

    /// Each term's weight, as the lists are now: what a shared term adds
    /// to a score.
    fn weights_now(&self) -> Vec<f64> {
        let n = self.terms_of.len().max(1) as f64;
        self.postings
            .iter()
            .zip(&self.is_tag)
            .map(|(list, &tag)| {
                let weight = if tag { TAG_WEIGHT } else { TOPIC_WEIGHT };
                // Rarer terms weigh more (inverse document frequency).
                weight * (1.0 + n / list.len().max(1) as f64).ln()
            })
            .collect()
    }

    /// The pages within a window of place `at` in term `t`'s posting list:
    /// those a page at `at` is scored against, and so those whose windows
    /// hold `at` (a page that only moves in a list, its length and so its
    /// weight the same, changes the scores of these alone).
    fn around(&self, t: usize, at: usize) -> &[usize] {
        let list = &self.postings[t];
        &list[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len())]
    }

    /// Whether this is the index of a site of `pages` pages.
    pub fn covers(&self, pages: usize) -> bool {
        self.terms_of.len() == pages
    }

    /// The id of a term, numbered now if new.
    fn id(&mut self, tag: bool, name: String) -> usize {
        let next = self.postings.len();
        let id = *self.ids.entry((tag, name)).or_insert(next);
        if id == next {
            self.is_tag.push(tag);
            self.postings.push(Vec::new());
        }
        id
    }

    /// The ids of `page`'s terms, as written, each numbered now if new.
    fn number(&mut self, page: &SitePage) -> Vec<usize> {
        lowered(page)
            .into_iter()
            .map(|(tag, name)| self.id(tag, name))
            .collect()
    }

    /// Where page `i` sorts in a posting list: newest first, then by key.
    fn list_order(&self, i: usize) -> (Reverse<Option<Date>>, usize) {
        (Reverse(self.dates[i]), self.key_rank[i])
    }

    /// Where page `i` is in term `t`'s posting list (`Ok`), or would go
    /// (`Err`).
    fn position(&self, t: usize, i: usize) -> Result<usize, usize> {
        let at = self.list_order(i);
        self.postings[t].binary_search_by(|&j| self.list_order(j).cmp(&at))
    }

    /// Page `i`'s explicit pages, then `suggested`, up to `count` in all.
    fn with_explicit(&self, i: usize, suggested: Vec<usize>) -> Vec<usize> {
        let explicit = &self.explicit[i];
        let mut list = explicit.clone();
        list.extend(suggested.into_iter().filter(|j| !explicit.contains(j)));
        list.truncate(self.count.max(explicit.len()));
        list
    }

    /// Suggestions for each of `which` (page indices), best first: up to
    /// `count`, never the page itself nor its explicit pages.
    fn score(&self, which: &[usize], weights: &[f64]) -> Vec<(usize, Vec<usize>, u64)> {
        if self.count == 0 {
            return which.iter().map(|&i| (i, Vec::new(), UNSHAPED)).collect();
        }
        let pages = self.terms_of.len();
        // When many pages are scored, where each is in each of its lists
        // is read off the lists in one pass instead of searched for.
        let places = (which.len() * 4 >= pages).then(|| self.places());
        which
            .par_iter()
            // Small pieces, so an idle core can take some (see
            // `Renderer::render_all`); each makes one array of scores.
            .with_max_len(256)
            .map_init(
                || Scratch::new(pages),
                |s, &i| {
                    let at = places
                        .as_ref()
                        .map(|(start, at)| &at[start[i]..start[i + 1]]);
                    let (suggested, shapes) = self.suggest(i, weights, at, s);
                    (i, suggested, shapes)
                },
            )
            .collect()
    }

    /// Where each page is in the posting list of each of its terms, all
    /// pages' places in one array: page `i`'s, one per term in
    /// `terms_of[i]`, start at `start[i]`. Returns `(start, places)`.
    fn places(&self) -> (Vec<usize>, Vec<usize>) {
        let mut start = Vec::with_capacity(self.terms_of.len() + 1);
        let mut end = 0;
        start.push(end);
        for terms in &self.terms_of {
            end += terms.len();
            start.push(end);
        }
        let mut places = vec![0; end];
        for (t, list) in self.postings.iter().enumerate() {
            for (at, &j) in list.iter().enumerate() {
                // A term given twice by a page has one place, twice.
                for (k, &term) in self.terms_of[j].iter().enumerate() {
                    if term == t {
                        places[start[j] + k] = at;
                    }
                }
            }
        }
        (start, places)
    }

    /// Page `i`'s suggestions, scored in `s` with each term's `weights`,
    /// and its shapes (see [`Related::shapes`]); `at`, when given, is
    /// where the page is in each of its terms' lists.
    fn suggest(
        &self,
        i: usize,
        weights: &[f64],
        at: Option<&[usize]>,
        s: &mut Scratch,
    ) -> (Vec<usize>, u64) {
        let shaped = self.terms_of[i].len() <= SHAPED;
        for (k, &term) in self.terms_of[i].iter().enumerate() {
            let add = weights[term];
            let pos = match at {
                Some(at) => at[k],
                None => self.position(term, i).unwrap_or_else(|at| at),
            };
            for &j in self.around(term, pos) {
                if j != i {
                    // A score is 0 until a first weight, all positive, is
                    // added: its bits say so in one comparison.
                    if s.scores[j].to_bits() == 0 {
                        s.touched.push(j);
                    }
                    s.scores[j] += add;
                    if shaped {
                        s.shared[j] |= 1 << k;
                    }
                }
            }
        }
        let explicit = &self.explicit[i];
        // Only the best `count` are needed, in order: kept sorted as the
        // candidates come, most of which the last of them turns away.
        // Ranked by score, then key: a score is a sum of positive
        // weights, whose bits order as the numbers do, so one key of
        // integers compares them.
        s.best.clear();
        let mut floor = 0;
        let mut shapes = 0u64;
        for j in s.touched.drain(..) {
            let score = std::mem::take(&mut s.scores[j]).to_bits();
            shapes |= 1 << std::mem::take(&mut s.shared[j]);
            if score < floor || explicit.contains(&j) {
                continue;
            }
            let c = (score, Reverse(self.key_rank[j]), j);
            if s.best.len() == self.count {
                match s.best.last() {
                    Some(last) if c > *last => {
                        s.best.pop();
                    }
                    _ => continue,
                }
            }
            let at = s.best.partition_point(|b| *b > c);
            s.best.insert(at, c);
            if s.best.len() == self.count {
                floor = s.best.last().map_or(0, |b| b.0);
            }
        }
        let suggested = s.best.iter().map(|&(_, _, j)| j).collect();
        (suggested, if shaped { shapes } else { UNSHAPED })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Page;
    use crate::content::meta::PageMeta;
    use crate::markdown::Rendered;

    /// A small deterministic generator (xorshift).
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    const TOPICS: [&str; 4] = ["verdi", "Verdi", "tap", "beslutning"];
    const TAGS: [&str; 7] = ["pris", "møte", "roi", "ROI", "frist", "anbud", "referanse"];

    /// Random terms and a random date (sometimes none) for `meta`.
    fn shuffle_terms(rng: &mut Rng, meta: &mut PageMeta) {
        meta.topics = (0..rng.below(3))
            .map(|_| TOPICS[rng.below(TOPICS.len())].to_string())
            .collect();
        meta.tags = (0..rng.below(4))
            .map(|_| TAGS[rng.below(TAGS.len())].to_string())
            .collect();
        meta.date = (rng.below(8) > 0).then(|| Date {
            year: 2020 + rng.below(3) as i32,
            month: 1 + rng.below(12) as u32,
            day: 1 + rng.below(3) as u32,
        });
    }

    fn page(rng: &mut Rng, n: usize) -> SitePage {
        let mut meta = PageMeta::default();
        shuffle_terms(rng, &mut meta);
        SitePage::new(
            Page {
                source: format!("content/p/{n}.md").into(),
                key: format!("p/{n:04}.md"),
                url: format!("p/{n}/"),
                section: "p".into(),
                meta: std::sync::Arc::new(meta.into()),
                body: "".into(),
                body_line: 1,
                front_line: 1,
                front: "".into(),
                bundle_dir: None,
            },
            Rendered::default().into(),
        )
    }

    /// After random edits of a few pages' terms, dates and explicit
    /// pages, what `update` gives each page it returns, and what it kept
    /// for the others, is what `new` gives the edited site. Term lists
    /// are far longer than a window, and dates repeat, so pages move
    /// within them and ties go to the key.
    #[test]
    fn updates_agree_with_scoring_everything_again() {
        let mut rng = Rng(0x5eed_2026_1128_0001);
        let mut pages: Vec<SitePage> = (0..300).map(|n| page(&mut rng, n)).collect();
        let mut explicit: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
        let (mut index, mut lists) = Related::new(&pages, explicit.clone(), 4);
        for step in 0..150 {
            let mut edits = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let i = rng.below(pages.len());
                let meta = std::sync::Arc::make_mut(&mut pages[i].page.meta).edit();
                match rng.below(4) {
                    0 => shuffle_terms(&mut rng, meta),
                    1 => {
                        meta.date = meta.date.map(|d| Date {
                            day: d.day + 1,
                            ..d
                        })
                    }
                    2 => meta.tags.push(TAGS[rng.below(TAGS.len())].to_string()),
                    _ => {
                        explicit[i] = vec![(i + 1 + rng.below(pages.len() - 1)) % pages.len()];
                    }
                }
                edits.push((i, explicit[i].clone()));
            }
            for (i, list) in index.update(&pages, edits) {
                lists[i] = list;
            }
            let (_, fresh) = Related::new(&pages, explicit.clone(), 4);
            for (i, (kept, fresh)) in lists.iter().zip(&fresh).enumerate() {
                assert_eq!(kept, fresh, "page {i} after step {step}");
            }
        }
    }

    /// A tag taken off one page weighs the tag anew for every page that
    /// has it, but only the pages near the edited one in the tag's list
    /// have other candidates: of the others, only those whose ranking
    /// the new weight changes are scored again, and every list is what
    /// `new` gives.
    #[test]
    fn a_new_weight_scores_again_only_the_rankings_it_changes() {
        let mut rng = Rng(0x5eed_2026_1128_0003);
        let mut pages: Vec<SitePage> = (0..1000).map(|n| page(&mut rng, n)).collect();
        let explicit: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
        let (mut index, mut lists) = Related::new(&pages, explicit.clone(), 4);
        let tagged = |pages: &[SitePage]| {
            (0..pages.len())
                .filter(|&i| pages[i].page.meta.tags.iter().any(|t| t == "pris"))
                .collect::<Vec<usize>>()
        };
        let before = tagged(&pages);
        let i = before[before.len() / 2];
        let meta = std::sync::Arc::make_mut(&mut pages[i].page.meta).edit();
        meta.tags.retain(|t| t != "pris");
        let scored = index.update(&pages, vec![(i, Vec::new())]);
        assert!(
            scored.len() * 2 < before.len(),
            "{} of the {} pages tagged `pris` scored again",
            scored.len(),
            before.len()
        );
        for (i, list) in scored {
            lists[i] = list;
        }
        let (_, fresh) = Related::new(&pages, explicit, 4);
        assert_eq!(lists, fresh);
    }

    /// After random pages came and went, some with the same dates as
    /// pages that stayed, the lists `shift` scores again and those it
    /// keeps (moved to the pages' new indices) are what `new` gives the
    /// site as it is now; and the shifted index still takes edits
    /// (`update`) as a new one would.
    #[test]
    fn shifts_agree_with_scoring_everything_again() {
        let mut rng = Rng(0x5eed_2026_1128_0002);
        let mut pages: Vec<SitePage> = (0..600).map(|n| page(&mut rng, n)).collect();
        let mut explicit: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
        let (mut index, mut lists) = Related::new(&pages, explicit.clone(), 4);
        let mut next = 600;
        let mut kept = 0;
        for step in 0..60 {
            let before = pages.len();
            let mut gone: Vec<usize> = (0..rng.below(4)).map(|_| rng.below(before)).collect();
            gone.sort_unstable();
            gone.dedup();
            // Where each page that stays, or comes, goes: the new pages
            // are put in at random places, not in key order.
            let mut now: Vec<(Option<usize>, SitePage)> = Vec::new();
            for (j, sp) in std::mem::take(&mut pages).into_iter().enumerate() {
                if gone.binary_search(&j).is_err() {
                    now.push((Some(j), sp));
                }
            }
            for _ in 0..rng.below(4) {
                let at = rng.below(now.len() + 1);
                now.insert(at, (None, page(&mut rng, next)));
                next += 1;
            }
            let mut now_at = vec![None; before];
            let mut added = Vec::new();
            for (i, (was, sp)) in now.into_iter().enumerate() {
                match was {
                    Some(j) => now_at[j] = Some(i),
                    None => added.push(i),
                }
                pages.push(sp);
            }
            // Explicit pages move with their pages and lose removed ones
            // (which `shift` asks for again); a new page has one.
            let old = std::mem::take(&mut explicit);
            explicit = vec![Vec::new(); pages.len()];
            for (j, list) in old.into_iter().enumerate() {
                if let Some(i) = now_at[j] {
                    explicit[i] = list.into_iter().filter_map(|k| now_at[k]).collect();
                }
            }
            for &a in &added {
                explicit[a] = vec![(a + 1) % pages.len()];
            }
            let mut asked = Vec::new();
            let scored = index
                .shift(&pages, &now_at, &added, |i| {
                    asked.push(i);
                    explicit[i].clone()
                })
                .expect("the index covers the site before");
            assert!(added.iter().all(|a| asked.contains(a)), "step {step}");
            // The lists not scored again follow their pages.
            lists = moved(lists, &now_at, pages.len());
            for list in &mut lists {
                list.retain_mut(|j| follow(&now_at, j));
            }
            kept += pages.len() - scored.len();
            for (i, list) in scored {
                lists[i] = list;
            }
            let (_, fresh) = Related::new(&pages, explicit.clone(), 4);
            assert_eq!(lists, fresh, "after step {step}");
            if step % 3 == 0 {
                let i = rng.below(pages.len());
                shuffle_terms(
                    &mut rng,
                    std::sync::Arc::make_mut(&mut pages[i].page.meta).edit(),
                );
                explicit[i] = vec![(i + 1 + rng.below(pages.len() - 1)) % pages.len()];
                for (i, list) in index.update(&pages, vec![(i, explicit[i].clone())]) {
                    lists[i] = list;
                }
                let (_, fresh) = Related::new(&pages, explicit.clone(), 4);
                assert_eq!(lists, fresh, "after the edit of step {step}");
            }
        }
        // Most lists were kept: their pages ranked alike.
        assert!(kept > 60 * 600 / 2, "{kept} lists kept");
        // The index of another site is not shifted.
        assert!(index.shift(&pages, &[None], &[], |_| Vec::new()).is_none());
    }
}
