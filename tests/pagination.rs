//! Long listings split over pages: the kind lists and term pages of a site
//! whose `[listing] per_page` is small, read back as parsed HTML.

mod common;
use common::*;

use std::path::{Path, PathBuf};

/// A site with `n` articles, all tagged `pris`, and `per_page` cards per
/// listing page.
fn site(root: &Path, n: usize, per_page: usize) {
    std::fs::create_dir_all(root.join("content/artikler")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("title = \"Sideskolen\"\nlanguage = \"nb\"\n\n[listing]\nper_page = {per_page}\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Forside\n---\nVelkommen.\n",
    )
    .unwrap();
    for i in 1..=n {
        std::fs::write(
            root.join(format!("content/artikler/artikkel-{i:02}.md")),
            format!(
                "---\ntitle: Artikkel {i:02}\nweight: {i}\ntags: [pris]\n---\nOm pris og verdi, del {i}.\n"
            ),
        )
        .unwrap();
    }
}

/// [`site`] built: the temporary folder, the site and its output.
fn built(n: usize, per_page: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("public");
    site(&root, n, per_page);
    build(&root, &out, &[]);
    (tmp, root, out)
}

/// Card titles of the listing page at `url`.
fn cards(out: &Path, url: &str) -> Vec<String> {
    texts(&page(out, url), ".cards .card-title")
}

#[test]
fn long_lists_continue_on_numbered_pages_with_a_pager() {
    let (_tmp, _, out) = built(7, 3);

    for base in ["stikkord/pris/", "alle/artikler/"] {
        let urls = [
            base.to_string(),
            format!("{base}side/2/"),
            format!("{base}side/3/"),
        ];
        // Every article once, in order, three to a page.
        let mut all = Vec::new();
        for (i, url) in urls.iter().enumerate() {
            let c = cards(&out, url);
            assert_eq!(c.len(), if i < 2 { 3 } else { 1 }, "{url}: {c:?}");
            all.extend(c);
        }
        let expected: Vec<String> = (1..=7).map(|i| format!("Artikkel {i:02}")).collect();
        assert_eq!(all, expected, "{base}");
        assert!(!out.join(format!("{base}side/4")).exists());
        assert!(
            !out.join(format!("{base}side/1")).exists(),
            "page 1 is the list itself"
        );

        // The pager: the current page marked, previous/next where they exist,
        // and every link leading to a page that was built.
        for (i, url) in urls.iter().enumerate() {
            let doc = page(&out, url);
            let current = texts(&doc, ".pager a[aria-current=page]");
            assert_eq!(current, vec![format!("Side {}", i + 1)], "{url}");
            let prev = attrs(&doc, ".pager a[rel=prev]", "href");
            let next = attrs(&doc, ".pager a[rel=next]", "href");
            assert_eq!(prev.len(), usize::from(i > 0), "{url}");
            assert_eq!(next.len(), usize::from(i < 2), "{url}");
            if let Some(p) = prev.first() {
                assert_eq!(resolve(url, p), urls[i - 1]);
            }
            if let Some(n) = next.first() {
                assert_eq!(resolve(url, n), urls[i + 1]);
            }
            for href in attrs(&doc, ".pager a", "href") {
                let target = resolve(url, &href);
                assert!(
                    out.join(&target).join("index.html").is_file(),
                    "{url}: {href} → {target} was not built"
                );
            }
            // The count is of the whole list, not of this page.
            let meta = texts(&doc, ".page-header .page-meta").join(" ");
            assert!(meta.contains("7 sider"), "{url}: {meta}");
            assert!(
                meta.contains(&format!("side {} av 3", i + 1)),
                "{url}: {meta}"
            );
            let title = texts(&doc, "title").join(" ");
            assert_eq!(
                title.contains(&format!("Side {}", i + 1)),
                i > 0,
                "{url}: {title}"
            );
        }
    }
}

#[test]
fn a_long_pager_shows_the_ends_and_the_neighbourhood() {
    let (_tmp, _, out) = built(20, 2);
    // Ten pages; on page 6: 1 … 4 5 6 7 8 … 10.
    let doc = page(&out, "alle/artikler/side/6/");
    let numbers: Vec<String> = texts(&doc, ".pager-pages li")
        .into_iter()
        .map(|t| t.trim_start_matches("Side ").to_string())
        .collect();
    assert_eq!(numbers, ["1", "…", "4", "5", "6", "7", "8", "…", "10"]);
}

#[test]
fn per_page_zero_keeps_one_page_and_shrinking_lists_lose_their_extra_pages() {
    let (_tmp, root, out) = built(7, 3);
    assert!(out.join("stikkord/pris/side/3/index.html").is_file());

    // Fewer articles: the third page goes away on the next build.
    for i in 5..=7 {
        std::fs::remove_file(root.join(format!("content/artikler/artikkel-{i:02}.md"))).unwrap();
    }
    build(&root, &out, &[]);
    assert!(!out.join("stikkord/pris/side/3").exists());
    assert_eq!(cards(&out, "stikkord/pris/side/2/").len(), 1);

    // No pagination: one page with every card and no pager.
    site(&root, 7, 0);
    build(&root, &out, &[]);
    assert_eq!(cards(&out, "stikkord/pris/").len(), 7);
    assert!(
        page(&out, "stikkord/pris/")
            .select(&sel(".pager"))
            .next()
            .is_none()
    );
    assert!(!out.join("stikkord/pris/side").exists());
}

/// The default theme's listing template `name` with the loop over
/// `card.html` alone, as a theme that does not know `cards_html` has it.
fn loop_only(name: &str) -> String {
    let path = manifest_dir().join("themes/default/templates").join(name);
    let text = std::fs::read_to_string(path).unwrap();
    let plain = text
        .replace("{% if cards_html %}{{ cards_html | safe }}{% else %}", "")
        .replace("{% endfor %}{% endif %}</ul>", "{% endfor %}</ul>");
    assert!(!plain.contains("cards_html"), "{name}: {plain}");
    plain
}

/// [`site`] in a temporary folder, with a subsection (so section
/// listings sit at two depths) and the site's own `card.html`: the
/// folder and the site's root in it.
fn site_with_card(card: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site(&root, 7, 3);
    std::fs::create_dir_all(root.join("content/artikler/verdi")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("content/artikler/verdi/_index.md"),
        "---\ntitle: Verdi\n---\n",
    )
    .unwrap();
    for (slug, title) in [("gevinst", "Gevinst"), ("nytte", "Nytte")] {
        std::fs::write(
            root.join(format!("content/artikler/verdi/{slug}.md")),
            format!("---\ntitle: {title}\ntags: [pris]\n---\nOm {slug}.\n"),
        )
        .unwrap();
    }
    std::fs::write(root.join("templates/card.html"), card).unwrap();
    (tmp, root)
}

/// Builds the site of [`site_with_card`] with `card`, once as it is and
/// once with the listings looping over `card.html` themselves, and checks
/// that every output is the same; returns the first build's folder.
fn drawn_once_as_looped(card: &str, edit: impl Fn(&Path)) -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = site_with_card(card);
    edit(&root);
    let drawn_once = tmp.path().join("once");
    build(&root, &drawn_once, &[]);
    for name in ["term.html", "list.html", "section.html"] {
        std::fs::write(root.join("templates").join(name), loop_only(name)).unwrap();
    }
    let looped = tmp.path().join("looped");
    build(&root, &looped, &[]);
    let (once, each) = (snapshot(&drawn_once), snapshot(&looped));
    assert_eq!(
        once.keys().collect::<Vec<_>>(),
        each.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &once {
        assert!(
            *bytes == each[path],
            "{path} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&each[path])
        );
    }
    (tmp, drawn_once)
}

#[test]
fn cards_drawn_once_are_the_cards_each_listing_draws_itself() {
    // The default theme's listings take their cards from `cards_html`: a
    // card.html that only prints `root` is rendered once per page and the
    // root put in for each listing. The outputs must be those of the same
    // templates looping over card.html themselves, at every depth: first
    // pages and `side/N/` pages of term and kind lists, and sections at
    // two depths.
    let (_tmp, drawn_once) = drawn_once_as_looped(
        "<li class=\"kort\" data-h=\"{{ h }}\"><a href=\"{{ root }}{{ p.url }}\">{{ p.title }}</a> <a href=\"{{root}}\">↑</a></li>\n",
        |_| {},
    );
    // The site's card is the one drawn, with links that work from each depth.
    for url in [
        "stikkord/pris/",
        "stikkord/pris/side/3/",
        "alle/artikler/",
        "alle/artikler/side/2/",
        "artikler/verdi/",
    ] {
        let doc = page(&drawn_once, url);
        let hrefs = attrs(&doc, "li.kort a", "href");
        assert!(!hrefs.is_empty(), "/{url}");
        for href in hrefs {
            let to = resolve(url, &href);
            assert!(
                drawn_once.join(&to).join("index.html").is_file(),
                "/{url}: {href} → /{to}"
            );
        }
        assert!(attrs(&doc, "li.kort", "data-h").iter().all(|h| h == "2"));
    }
}

#[test]
fn cards_that_do_more_with_the_root_are_drawn_once_per_depth() {
    // `root` compared: each depth's card is its own render.
    let (_tmp, drawn_once) = drawn_once_as_looped(
        "<li class=\"kort\"><a href=\"{{ root }}{{ p.url }}\">{{ p.title }}</a>{% if root == \"../../\" %}<b>to opp</b>{% endif %}</li>\n",
        |_| {},
    );
    let deep = page(&drawn_once, "stikkord/pris/");
    assert!(deep.select(&sel("li.kort b")).next().is_some());
    let deeper = page(&drawn_once, "alle/artikler/side/2/");
    assert!(deeper.select(&sel("li.kort b")).next().is_none());
}

#[test]
fn a_card_whose_text_holds_the_root_mark_is_still_right_at_every_depth() {
    // The mark put where the root goes is a noncharacter (U+FDD0); a
    // title that holds one is printed as it is, not taken for the root.
    let (_tmp, drawn_once) = drawn_once_as_looped(
        "<li class=\"kort\"><a href=\"{{ root }}{{ p.url }}\">{{ p.title }}</a></li>\n",
        |root| {
            std::fs::write(
                root.join("content/artikler/verdi/merket.md"),
                "---\ntitle: \"Merket \u{FDD0} tittel\"\ntags: [pris]\n---\nTekst.\n",
            )
            .unwrap();
        },
    );
    let doc = page(&drawn_once, "artikler/verdi/");
    let titles: Vec<String> = doc
        .select(&sel("li.kort a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(
        titles.contains(&"Merket \u{FDD0} tittel".to_string()),
        "{titles:?}"
    );
}

#[test]
fn a_card_that_reads_its_listing_is_drawn_by_each_listing() {
    // `current_url` is not in the context a card is drawn in once per
    // depth: such a card fails there, and each listing draws it itself.
    let (tmp, root) =
        site_with_card("<li class=\"kort\" data-liste=\"{{ current_url }}\">{{ p.title }}</li>\n");
    let out = tmp.path().join("public");
    build(&root, &out, &[]);
    for url in ["stikkord/pris/side/2/", "alle/artikler/", "artikler/verdi/"] {
        let shown = attrs(&page(&out, url), "li.kort", "data-liste");
        assert!(!shown.is_empty(), "/{url}");
        assert!(shown.iter().all(|u| u == url), "/{url}: {shown:?}");
    }
}

/// The navigation of the listing page at `url`, as HTML.
fn nav_of(out: &Path, url: &str) -> String {
    let doc = page(out, url);
    let navs: Vec<String> = doc.select(&sel("#site-nav")).map(|n| n.html()).collect();
    assert_eq!(navs.len(), 1, "/{url}");
    navs.into_iter().next().unwrap()
}

#[test]
fn later_pages_of_a_listing_share_one_navigation_drawn_as_each_would_draw_it() {
    // The default theme: `nav.html` is drawn once for a listing's pages
    // after the first. A `base.html` that always includes `nav.html` draws
    // it with each page: both must give the same navigation.
    let (tmp, root, shared) = built(10, 3);
    let alone = tmp.path().join("alone");
    let base =
        std::fs::read_to_string(manifest_dir().join("themes/default/templates/base.html")).unwrap();
    let always = base.replace(
        "{% if nav_html %}{{ nav_html | safe }}{% else %}{% include \"nav.html\" %}{% endif %}",
        "{% include \"nav.html\" %}",
    );
    assert_ne!(always, base, "the default base.html prints nav_html");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/base.html"), always).unwrap();
    build(&root, &alone, &[]);
    let mut later = 0;
    for list in ["stikkord/pris/", "alle/artikler/"] {
        for n in 1..=4 {
            let url = match n {
                1 => list.to_string(),
                _ => format!("{list}side/{n}/"),
            };
            assert_eq!(nav_of(&shared, &url), nav_of(&alone, &url), "/{url}");
            later += usize::from(n > 1);
            // Every link of it leads to a page that was built, and the
            // taxonomy a term page is in shows as where the reader is.
            let doc = page(&shared, &url);
            for href in attrs(&doc, "#site-nav a", "href") {
                let to = resolve(&url, &href);
                assert!(
                    shared.join(&to).join("index.html").is_file(),
                    "/{url}: {href}"
                );
            }
            let active = texts(&doc, "#site-nav a.active");
            let expected: &[&str] = if list.starts_with("stikkord/") {
                &["Stikkord"]
            } else {
                &[]
            };
            assert_eq!(active, expected, "/{url}");
        }
    }
    assert_eq!(later, 6);
}

#[test]
fn a_navigation_that_shows_the_listing_page_is_drawn_with_each_page() {
    // Printed `current_url`, or a variable of the listing (behind a test,
    // so other pages render): drawn once for all later pages, either would
    // be wrong on all but one.
    for nav in [
        "<nav id=\"site-nav\" data-her=\"{{ current_url }}\"><a href=\"{{ root }}\">Hjem</a></nav>",
        "<nav id=\"site-nav\" data-her=\"{% if list and list.pager %}{{ list.pager.current }}{% endif %}\"><a href=\"{{ root }}\">Hjem</a></nav>",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let out = tmp.path().join("public");
        site(&root, 7, 3);
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(root.join("templates/nav.html"), nav).unwrap();
        build(&root, &out, &[]);
        for n in 2..=3 {
            let url = format!("alle/artikler/side/{n}/");
            let here = attrs(&page(&out, &url), "#site-nav", "data-her");
            let expected = if nav.contains("current_url") {
                url.clone()
            } else {
                n.to_string()
            };
            assert_eq!(here, vec![expected], "{nav}");
        }
    }
}

#[test]
fn a_count_of_one_page_is_singular() {
    // One article tagged `pris`: its term page, the tag index and the kind
    // list say "1 side", not "1 sider"; seven say "7 sider".
    // The articles are on the topic `verdi` too, for the topic index.
    let with_topic = |n: usize| {
        let (tmp, root, _) = built(n, 0);
        for i in 1..=n {
            let file = root.join(format!("content/artikler/artikkel-{i:02}.md"));
            let text = std::fs::read_to_string(&file).unwrap();
            std::fs::write(
                &file,
                text.replace("tags: [pris]", "tags: [pris]\ntopics: [verdi]"),
            )
            .unwrap();
        }
        let out = tmp.path().join("med-tema");
        build(&root, &out, &[]);
        (tmp, out)
    };
    let (_one, one) = with_topic(1);
    let (_seven, seven) = with_topic(7);
    for (out, want) in [(&one, "1 side"), (&seven, "7 sider")] {
        for url in ["stikkord/pris/", "tema/verdi/", "alle/artikler/"] {
            let meta = texts(&page(out, url), ".page-header .page-meta").join(" ");
            assert_eq!(meta.trim(), want, "/{url}");
        }
        let index = texts(&page(out, "tema/"), ".topic .card-meta").join(" ");
        assert_eq!(index.trim(), want, "/tema/");
    }
}
