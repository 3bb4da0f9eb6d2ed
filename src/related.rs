//! "Les også": related-content suggestions ranked by shared topics and tags.
//!
//! Scoring is weighted like Hugo's related content (a shared tag says more
//! than a shared broad topic; rare terms say more than common ones). To stay
//! linear in pages × terms, each page only compares itself with a bounded
//! window of neighbours in each term's posting list, never with every page.
//! Terms are numbered once, scores go into one dense array per thread, and
//! pages are scored in parallel.

use std::collections::HashMap;

use rayon::prelude::*;

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
    // Terms get small ids once; each page keeps its term ids in order
    // (topics, then tags; a repeated term counts twice, as written). The
    // lowercasing is done in parallel, the numbering in page order.
    let lowered: Vec<Vec<(bool, String)>> = pages
        .par_iter()
        .map(|p| {
            let meta = &p.page.meta;
            meta.topics
                .iter()
                .map(|t| (false, t.to_lowercase()))
                .chain(meta.tags.iter().map(|t| (true, t.to_lowercase())))
                .collect()
        })
        .collect();
    let mut ids: HashMap<(bool, &str), usize> = HashMap::new();
    let mut is_tag: Vec<bool> = Vec::new();
    let mut postings: Vec<Vec<usize>> = Vec::new();
    let mut terms_of: Vec<Vec<usize>> = Vec::with_capacity(pages.len());
    for (i, terms) in lowered.iter().enumerate() {
        let mut mine = Vec::with_capacity(terms.len());
        for (tag, t) in terms {
            let id = *ids.entry((*tag, t.as_str())).or_insert_with(|| {
                is_tag.push(*tag);
                postings.push(Vec::new());
                postings.len() - 1
            });
            postings[id].push(i);
            mine.push(id);
        }
        terms_of.push(mine);
    }
    // Ties are broken by key: compare ranks in key order, not strings.
    let mut by_key: Vec<usize> = (0..pages.len()).collect();
    by_key.par_sort_unstable_by(|&a, &b| pages[a].page.key.cmp(&pages[b].page.key));
    let mut key_rank = vec![0usize; pages.len()];
    for (rank, &i) in by_key.iter().enumerate() {
        key_rank[i] = rank;
    }
    // Posting lists in a stable order (newest first, then key), and each
    // page's position in the lists of its terms.
    postings.par_iter_mut().for_each(|list| {
        list.sort_by(|&a, &b| {
            pages[b]
                .page
                .meta
                .date
                .cmp(&pages[a].page.meta.date)
                .then_with(|| key_rank[a].cmp(&key_rank[b]))
        });
        list.dedup();
    });
    let mut positions: Vec<Vec<(usize, usize)>> = vec![Vec::new(); pages.len()];
    for (id, list) in postings.iter().enumerate() {
        for (pos, &p) in list.iter().enumerate() {
            positions[p].push((id, pos));
        }
    }
    let n = pages.len().max(1) as f64;
    (0..pages.len())
        .into_par_iter()
        // Small pieces, so an idle core can take some (see
        // `Renderer::render_all`); each makes one array of scores.
        .with_max_len(256)
        .map_init(
            || {
                (
                    vec![0.0f64; pages.len()],
                    Vec::<usize>::new(),
                    Vec::<(usize, f64)>::new(),
                )
            },
            |(scores, touched, ranked), i| {
                for &term in &terms_of[i] {
                    let list = &postings[term];
                    let weight = if is_tag[term] {
                        TAG_WEIGHT
                    } else {
                        TOPIC_WEIGHT
                    };
                    // Rarer terms weigh more (inverse document frequency).
                    let idf = (1.0 + n / list.len() as f64).ln();
                    let pos = positions[i]
                        .iter()
                        .find(|(t, _)| *t == term)
                        .map_or(0, |&(_, p)| p);
                    let lo = pos.saturating_sub(WINDOW);
                    let hi = (pos + WINDOW + 1).min(list.len());
                    for &j in &list[lo..hi] {
                        if j != i {
                            if scores[j] == 0.0 {
                                touched.push(j);
                            }
                            scores[j] += weight * idf;
                        }
                    }
                }
                ranked.clear();
                ranked.extend(
                    touched
                        .drain(..)
                        .map(|j| (j, std::mem::take(&mut scores[j])))
                        .filter(|(j, _)| !explicit[i].contains(j)),
                );
                let order = |a: &(usize, f64), b: &(usize, f64)| {
                    b.1.partial_cmp(&a.1)
                        .unwrap_or(std::cmp::Ordering::Equal)
                        .then_with(|| key_rank[a.0].cmp(&key_rank[b.0]))
                };
                // Only the best `count` are needed in order.
                if ranked.len() > count {
                    ranked.select_nth_unstable_by(count, order);
                    ranked.truncate(count);
                }
                ranked.sort_by(order);
                ranked.iter().map(|&(j, _)| j).collect()
            },
        )
        .collect()
}
