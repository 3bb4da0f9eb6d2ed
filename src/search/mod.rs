//! Full-text search that understands Norwegian.
//!
//! At build time [`build_index`] turns the searchable pages into a static,
//! sharded index under `search/` in the output (see [`index`] for the file
//! layout). In the browser, `themes/default/static/search.js` loads only the
//! parts a query needs — as `<script>` files, so it works from `file://` — and
//! ranks with exactly the rules of [`mod@query`] (see [`query::run`] for the
//! ranking). The text pipeline ([`normalize`], [`stem`]) is implemented twice,
//! here and in the JS, and kept identical by the agreement test.
//!
//! Norwegian specifics: NFC + lowercase; `æ ø å` are kept but also matched
//! from `ae`/`oe`/`aa`/`o`/`a` spellings ([`normalize::fold`]); the Snowball
//! Norwegian stemmer followed by a conflation step for the endings Snowball
//! leaves stacked, so that `beslutningstaker`, `-takeren`, `-takere` and
//! `-takerne` share one stem ([`stem::conflate_nb`]); compound words indexed
//! by their parts found in the corpus vocabulary, or shared by several of its
//! compounds ([`compound`]). English sites use the Snowball English (Porter2)
//! stemmer.

pub mod codec;
pub mod compound;
pub mod index;
pub mod normalize;
pub mod query;
pub mod stem;
#[cfg(test)]
mod tests;

pub use index::TokenCache;
pub use query::{QueryOptions, QueryReport};

/// Language of a site's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Norwegian Bokmål.
    #[default]
    Nb,
    /// English.
    En,
}

impl Lang {
    /// The language code used in `site.toml` and in the index (`nb`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    /// The language for a `site.toml` code: `en*` is English, anything else
    /// Norwegian.
    pub fn from_code(code: &str) -> Lang {
        if code.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Nb
        }
    }
}

/// One searchable page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// Site-relative URL, e.g. `artikler/tapte-salg/`.
    pub url: String,
    /// Page title.
    pub title: String,
    /// Description (front matter), may be empty.
    pub description: String,
    /// Heading texts of the page.
    pub headings: Vec<String>,
    /// Body as plain text (shared with the site model).
    pub body: std::sync::Arc<str>,
    /// `article`, `checklist` or `case`.
    pub kind: String,
    /// Topic slugs.
    pub topics: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Case outcome: `won`, `lost` or `no-decision`.
    pub outcome: Option<String>,
    /// Case reasons (the site's reason vocabulary).
    pub reasons: Vec<String>,
}

/// Build the search index for `docs`: `(path under the output root, bytes)`,
/// every path under `search/`, sorted by path; the bytes depend only on the
/// input (document order does not matter).
pub fn build_index<D: std::borrow::Borrow<SearchDoc>>(
    docs: &[D],
    lang: Lang,
) -> Vec<(String, Vec<u8>)> {
    index::build(docs, lang)
}

/// [`build_index`] with the words of documents built before taken from
/// `cache` (`serve` keeps one between rebuilds): the same bytes.
pub fn build_index_cached(
    docs: &[std::sync::Arc<SearchDoc>],
    lang: Lang,
    cache: &mut TokenCache,
) -> Vec<(String, Vec<u8>)> {
    index::build_cached(docs, lang, cache)
}

/// Normalize one word (NFC, lowercase) and stem it for `lang`.
pub fn normalize_and_stem(word: &str, lang: Lang) -> String {
    stem::stem(&normalize::normalize_word(word), lang)
}

/// Rank the documents of a built index for `q`, best first, as URLs. Same
/// ranking as the browser's.
pub fn query(files: &[(String, Vec<u8>)], q: &str, lang: Lang) -> Vec<String> {
    query::run(files, q, lang, &QueryOptions::default()).urls
}

/// [`query()`] with kind/topic filters, also reporting the files the browser
/// loads and a "did you mean" suggestion.
pub fn query_with(
    files: &[(String, Vec<u8>)],
    q: &str,
    lang: Lang,
    opts: &QueryOptions,
) -> QueryReport {
    query::run(files, q, lang, opts)
}

/// A corrected query when `q` matches nothing and close words exist.
pub fn suggest(files: &[(String, Vec<u8>)], q: &str, lang: Lang) -> Option<String> {
    query::run(files, q, lang, &QueryOptions::default()).suggestion
}
