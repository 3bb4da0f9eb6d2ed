//! "Les også": related-content suggestions ranked by shared topics and tags.
//!
//! Scoring is weighted like Hugo's related content (a shared tag says more
//! than a shared broad topic; rare terms say more than common ones). To stay
//! linear in pages × terms, each page only compares itself with a bounded
//! window of neighbours in each term's posting list, never with every page.

use std::collections::HashMap;

use crate::site::SitePage;

/// How many neighbours on each side of a page in a posting list are scored.
const WINDOW: usize = 24;
const TAG_WEIGHT: f64 = 3.0;
const TOPIC_WEIGHT: f64 = 1.0;

/// For each page, up to `count` suggested page indices, best first,
/// excluding the page itself and its explicit `related` pages.
pub fn suggest(pages: &[SitePage], explicit: &[Vec<usize>], count: usize) -> Vec<Vec<usize>> {
    if count == 0 {
        return vec![Vec::new(); pages.len()];
    }
    // Posting lists: term → pages, in a stable order (newest first, then key).
    let mut postings: HashMap<(bool, String), Vec<usize>> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        for t in &p.page.meta.topics {
            postings.entry((false, t.to_lowercase())).or_default().push(i);
        }
        for t in &p.page.meta.tags {
            postings.entry((true, t.to_lowercase())).or_default().push(i);
        }
    }
    let mut position: HashMap<(bool, String), HashMap<usize, usize>> = HashMap::new();
    for (term, list) in postings.iter_mut() {
        list.sort_by(|&a, &b| {
            pages[b]
                .page
                .meta
                .date
                .cmp(&pages[a].page.meta.date)
                .then_with(|| pages[a].page.key.cmp(&pages[b].page.key))
        });
        list.dedup();
        position.insert(term.clone(), list.iter().enumerate().map(|(pos, &p)| (p, pos)).collect());
    }
    let n = pages.len().max(1) as f64;
    let mut out = Vec::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let mut scores: HashMap<usize, f64> = HashMap::new();
        let terms = p
            .page
            .meta
            .topics
            .iter()
            .map(|t| (false, t.to_lowercase()))
            .chain(p.page.meta.tags.iter().map(|t| (true, t.to_lowercase())));
        for term in terms {
            let Some(list) = postings.get(&term) else { continue };
            let weight = if term.0 { TAG_WEIGHT } else { TOPIC_WEIGHT };
            // Rarer terms weigh more (inverse document frequency).
            let idf = (1.0 + n / list.len() as f64).ln();
            let pos = position[&term][&i];
            let lo = pos.saturating_sub(WINDOW);
            let hi = (pos + WINDOW + 1).min(list.len());
            for &j in &list[lo..hi] {
                if j != i {
                    *scores.entry(j).or_default() += weight * idf;
                }
            }
        }
        let mut ranked: Vec<(usize, f64)> = scores
            .into_iter()
            .filter(|(j, _)| !explicit[i].contains(j))
            .collect();
        ranked.sort_by(|a, b| {
            b.1.partial_cmp(&a.1)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| pages[a.0].page.key.cmp(&pages[b.0].page.key))
        });
        out.push(ranked.into_iter().take(count).map(|(j, _)| j).collect());
    }
    out
}
