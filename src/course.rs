//! The whole course on one page (`kurs/hele-kurset/`), for reading through
//! and for printing handouts: each lesson's body HTML made to fit beside
//! the others. Its ids (headings, footnotes, checklist items) get the
//! lesson's anchor before them, so no two lessons share one; its headings
//! go one level down, under the lesson's own `h2`; a link to a lesson of
//! the course (or a heading in one) becomes a link within the page; any
//! other relative link or image is written from the course page's folder.
//! A quiz's answers are grouped by their `name`, the question's id: it
//! gets the anchor too.

use std::collections::HashMap;

use crate::site::{href_between, normalize_path};

/// Where the lessons are: each lesson's URL (`kurs/finn-beslutningstakeren/`)
/// and its anchor on the course page.
pub struct Lessons<'a> {
    pub anchors: HashMap<&'a str, &'a str>,
    /// The course page's own URL (`kurs/hele-kurset/`).
    pub page: &'a str,
}

/// A lesson's body HTML rewritten for the course page: the lesson at
/// `url`, whose anchor is `anchor`, named `name` where its landmarks (a
/// table's scrolling region) need a name no other lesson's has.
pub fn lesson_body(html: &str, url: &str, anchor: &str, name: &str, lessons: &Lessons) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let tag = &rest[lt..];
        let end = tag_end(tag);
        out.push_str(&rewrite_tag(&tag[..end], url, anchor, name, lessons));
        rest = &tag[end..];
    }
    out.push_str(rest);
    out
}

/// The length of the tag `s` starts with (up to its `>`, quotes minded).
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

fn rewrite_tag(tag: &str, url: &str, anchor: &str, name: &str, lessons: &Lessons) -> String {
    let mut tag = demote(tag);
    if tag.starts_with("<div")
        && find_attr(&tag, "role").is_some()
        && tag.contains(" class=\"table-wrap\"")
    {
        let name = crate::markdown::escape(name);
        tag = rewrite_attr(&tag, "aria-label", |v| format!("{v} – {name}"));
    }
    // A quiz's radio buttons are grouped by `name`, which is its id.
    let input = tag.starts_with("<input");
    for attr in ["id", "for", "href", "src", "name"] {
        if attr == "name" && !input {
            continue;
        }
        tag = rewrite_attr(&tag, attr, |v| match attr {
            "id" | "for" | "name" => format!("{anchor}--{v}"),
            _ => rebase(v, url, anchor, lessons),
        });
    }
    tag
}

/// `<h2` → `<h3`, `</h5>` → `</h6>`; `h6` stays.
fn demote(tag: &str) -> String {
    let b = tag.as_bytes();
    let at = if tag.starts_with("</") { 2 } else { 1 };
    let heading = b.len() > at + 1
        && b[at].eq_ignore_ascii_case(&b'h')
        && (b'1'..=b'5').contains(&b[at + 1])
        && b.get(at + 2).is_none_or(|c| !c.is_ascii_alphanumeric());
    if !heading {
        return tag.to_string();
    }
    let mut s = tag.to_string();
    s.replace_range(at + 1..at + 2, &((b[at + 1] + 1) as char).to_string());
    s
}

/// Each value of `name="…"` (or `'…'`) in the tag, replaced.
fn rewrite_attr(tag: &str, name: &str, f: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(tag.len() + 16);
    let mut rest = tag;
    loop {
        let Some(at) = find_attr(rest, name) else {
            out.push_str(rest);
            return out;
        };
        let value_start = at + name.len() + 2;
        let quote = rest.as_bytes()[value_start - 1];
        let Some(len) = rest[value_start..].find(quote as char) else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..value_start]);
        out.push_str(&f(&rest[value_start..value_start + len]));
        rest = &rest[value_start + len..];
    }
}

/// Where ` name="` or ` name='` starts in `s` (after whitespace).
fn find_attr(s: &str, name: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find(name).map(|i| i + from) {
        let before = i.checked_sub(1).map(|j| b[j]);
        let after = b.get(i + name.len()..i + name.len() + 2);
        if before.is_some_and(|c| c.is_ascii_whitespace())
            && matches!(after, Some([b'=', b'"' | b'\'']))
        {
            return Some(i);
        }
        from = i + name.len();
    }
    None
}

/// A link or image source of the lesson at `url`, for the course page.
fn rebase(href: &str, url: &str, anchor: &str, lessons: &Lessons) -> String {
    if let Some(frag) = href.strip_prefix('#') {
        return if frag.is_empty() {
            href.to_string()
        } else {
            format!("#{anchor}--{frag}")
        };
    }
    let scheme = href.find(':').is_some_and(|i| {
        href[..i]
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"+.-".contains(&c))
    });
    if scheme || href.starts_with('/') || href.is_empty() {
        return href.to_string();
    }
    let (path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let Some(mut target) = normalize_path(&format!("{url}{path}")) else {
        return href.to_string();
    };
    if path.ends_with('/') || path.is_empty() || path.ends_with('.') {
        target.push('/');
    }
    if !path.contains('?')
        && let Some(other) = lessons.anchors.get(target.as_str())
    {
        return match frag {
            Some(f) if !f.is_empty() => format!("#{other}--{f}"),
            _ => format!("#{other}"),
        };
    }
    let mut out = href_between(lessons.page, &target);
    if let Some(f) = frag {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lessons() -> Lessons<'static> {
        Lessons {
            anchors: HashMap::from([("kurs/forste/", "forste"), ("kurs/andre/", "andre")]),
            page: "kurs/hele-kurset/",
        }
    }

    #[test]
    fn ids_and_their_links_get_the_lessons_anchor() {
        let html = "<h2 id=\"pris\">Pris <a class=\"anchor\" href=\"#pris\" aria-label=\"x\">#</a></h2>\n\
                    <ul><li><input type=\"checkbox\" class=\"task\" id=\"t-a1\" data-task=\"a1\"> <label for=\"t-a1\">Hvem</label></li></ul>\n\
                    <p>Se<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n\
                    <div class=\"footnote-definition\" id=\"1\"><p>Kilde</p></div>";
        let out = lesson_body(html, "kurs/forste/", "forste", "Leksjon 1", &lessons());
        assert!(
            out.starts_with(
                "<h3 id=\"forste--pris\">Pris <a class=\"anchor\" href=\"#forste--pris\""
            ),
            "{out}"
        );
        assert!(out.contains("</h3>"), "{out}");
        assert!(
            out.contains("id=\"forste--t-a1\" data-task=\"a1\""),
            "{out}"
        );
        assert!(out.contains("<label for=\"forste--t-a1\">"), "{out}");
        assert!(out.contains("<a href=\"#forste--1\">1</a>"), "{out}");
        assert!(
            out.contains("class=\"footnote-definition\" id=\"forste--1\""),
            "{out}"
        );
        let quiz = "<fieldset class=\"quiz-q\" id=\"quiz-1\"><a name=\"x\"></a>\
                    <label><input type=\"radio\" name=\"quiz-1\" value=\"1\"> A</label></fieldset>";
        let out = lesson_body(quiz, "kurs/forste/", "forste", "Leksjon 1", &lessons());
        assert!(
            out.contains("id=\"forste--quiz-1\"><a name=\"x\">"),
            "{out}"
        );
        assert!(
            out.contains("<input type=\"radio\" name=\"forste--quiz-1\" value=\"1\">"),
            "{out}"
        );
    }

    #[test]
    fn a_tables_region_is_named_for_its_lesson() {
        let html = "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Tabell 2\"><table></table></div>";
        let out = lesson_body(
            html,
            "kurs/forste/",
            "forste",
            "Leksjon 1: Mandat & makt",
            &lessons(),
        );
        assert!(
            out.contains("aria-label=\"Tabell 2 – Leksjon 1: Mandat &amp; makt\""),
            "{out}"
        );
    }

    #[test]
    fn links_to_lessons_stay_on_the_page_and_others_are_rebased() {
        let html = "<p><a href=\"../andre/\">Neste</a> <a href=\"../andre/#mandat\">mandat</a> \
                    <a href=\"../../artikler/roi/\">ROI</a> <a href=\"https://example.com/a?b#c\">ut</a> \
                    <a href=\"/kurs/\">kurs</a> <img src=\"diagram.svg\" alt=\"\"> \
                    <a href=\"vedlegg.pdf#page=2\">pdf</a> <a href=\"./\">her</a></p>";
        let out = lesson_body(html, "kurs/forste/", "forste", "Leksjon 1", &lessons());
        assert!(out.contains("<a href=\"#andre\">Neste</a>"), "{out}");
        assert!(
            out.contains("<a href=\"#andre--mandat\">mandat</a>"),
            "{out}"
        );
        // Same depth as the lessons: a link up and over is as it was.
        assert!(
            out.contains("<a href=\"../../artikler/roi/\">ROI</a>"),
            "{out}"
        );
        assert!(out.contains("href=\"https://example.com/a?b#c\""), "{out}");
        assert!(out.contains("href=\"/kurs/\""), "{out}");
        // The lesson's own files: from the course page's folder.
        assert!(
            out.contains("<img src=\"../forste/diagram.svg\" alt=\"\">"),
            "{out}"
        );
        assert!(
            out.contains("href=\"../forste/vedlegg.pdf#page=2\""),
            "{out}"
        );
        assert!(out.contains("<a href=\"#forste\">her</a>"), "{out}");
    }

    #[test]
    fn text_and_other_tags_are_left_as_they_are() {
        let html = "<pre><code>&lt;h2 id=\"x\"&gt; a &gt; b</code></pre>\n<hr>\n<h6 id=\"s\">S</h6><header data-id=\"k\">\
                    <p title='id=\"q\"'>x</p>";
        let out = lesson_body(html, "kurs/forste/", "forste", "Leksjon 1", &lessons());
        assert!(
            out.starts_with("<pre><code>&lt;h2 id=\"x\"&gt; a &gt; b</code></pre>\n<hr>\n"),
            "{out}"
        );
        assert!(out.contains("<h6 id=\"forste--s\">S</h6>"), "{out}");
        assert!(out.contains("<header data-id=\"k\">"), "{out}");
        assert!(out.contains("<p title='id=\"q\"'>"), "{out}");
    }
}
