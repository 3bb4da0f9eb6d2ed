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

#[test]
fn cards_drawn_once_per_depth_are_the_cards_each_listing_draws_itself() {
    // The default theme's listings take their cards from `cards_html`:
    // each page's card.html rendered once per `root`, not once per
    // listing. The outputs must be those of the same templates looping
    // over card.html themselves, at every depth: first pages and
    // `side/N/` pages of term and kind lists, and sections at two depths.
    let (tmp, root) = site_with_card(
        "<li class=\"kort\" data-h=\"{{ h }}\"><a href=\"{{ root }}{{ p.url }}\">{{ p.title }}</a></li>\n",
    );
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
