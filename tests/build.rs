//! Whole fixture sites built into temp folders; assertions on parsed HTML:
//! URLs, rewritten links, TOC, drafts, ordering, bundles, base_url.

mod common;
use common::*;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("basic"), &out, &[]);
    (tmp, out)
}

/// The URL of every `index.html` under `out`: `""` for the front page,
/// else the folder with a slash (`artikler/forste-mote/`).
fn index_urls(out: &std::path::Path) -> Vec<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let folder = e.path().parent().unwrap().strip_prefix(out).unwrap();
            match folder.to_str().unwrap() {
                "" => String::new(),
                f => format!("{f}/"),
            }
        })
        .collect()
}

#[test]
fn pretty_urls_with_readable_norwegian_slugs() {
    let (_t, out) = built();
    for url in [
        "",
        "artikler/",
        "artikler/forste-mote/",
        "artikler/verdi/roi/",
        "artikler/bundle-side/",
        "sjekklister/for-mote/",
        "case/tapt-avtale/",
        "kurs/leksjon-2/",
        "tema/verdi/",
        "stikkord/moteforberedelse/",
        "nytt/",
        "alle/sjekklister/",
        "sok/",
    ] {
        assert!(out.join(url).join("index.html").is_file(), "missing /{url}");
    }
    assert!(out.join("404.html").is_file());
    assert!(out.join("sitemap.xml").is_file());
    assert!(out.join("atom.xml").is_file());
    assert!(out.join("robots.txt").is_file());
    assert!(
        out.join("artikler/bundle-side/diagram.svg").is_file(),
        "bundle asset copied beside the page"
    );
}

#[test]
fn internal_links_are_rewritten_and_resolve() {
    let (_t, out) = built();
    let doc = page(&out, "artikler/forste-mote/");
    let hrefs = attrs(&doc, ".content a:not(.anchor)", "href");
    assert!(
        hrefs.contains(&"../verdi/roi/#regn-pa-gevinsten".to_string()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"#hvem-signerer".to_string()));
    assert!(hrefs.contains(&"https://example.org/".to_string()));
    // Every relative link on every page lands on a file that exists.
    for url in index_urls(&out) {
        let doc = page(&out, &url);
        for href in attrs(&doc, "a[href], link[href], script[src], img[src]", "href")
            .into_iter()
            .chain(attrs(&doc, "script[src], img[src]", "src"))
        {
            if href.starts_with('#') || href.contains("://") || href.is_empty() {
                continue;
            }
            let target = resolve(&url, &href);
            let path = if target.is_empty() || target.ends_with('/') {
                out.join(&target).join("index.html")
            } else {
                out.join(&target)
            };
            assert!(
                path.is_file(),
                "/{url}: link {href} → {} missing",
                path.display()
            );
        }
    }
}

#[test]
fn a_page_linked_with_a_trailing_slash_or_by_its_bundle_folder_is_the_page() {
    // `alfa.md/` was taken as the source file, which is not published, and
    // a bundle's folder as a missing file.
    let tmp = site_copy("basic");
    let root = tmp.path();
    std::fs::write(
        root.join("content/artikler/lenker.md"),
        "---\ntitle: Lenker\n---\n\n[a](alfa.md/) [b](bundle-side/) [c](bundle-side) [d](verdi/roi.md/#regn-pa-gevinsten)\n",
    )
    .unwrap();
    let out = root.join("public");
    build(root, &out, &[]);
    let hrefs = attrs(
        &page(&out, "artikler/lenker/"),
        ".content a:not(.anchor)",
        "href",
    );
    assert_eq!(
        hrefs,
        [
            "../alfa/",
            "../bundle-side/",
            "../bundle-side/",
            "../verdi/roi/#regn-pa-gevinsten",
        ]
    );
    // A heading the bundle does not have is reported, as on any page link.
    std::fs::write(
        root.join("content/artikler/lenker.md"),
        "---\ntitle: Lenker\n---\n\n[b](bundle-side/#finnes-ikke) [e](finnes-ikke.md/)\n",
    )
    .unwrap();
    let failed = run(&["build", "--root", root.to_str().unwrap()]);
    let err = stderr(&failed);
    assert!(!failed.status.success());
    assert!(err.contains("content/artikler/lenker.md:5:"), "{err}");
    assert!(err.contains("finnes-ikke.md/"), "{err}");
    assert!(err.contains("#finnes-ikke"), "{err}");
}

#[test]
fn table_of_contents_and_unique_heading_ids() {
    let (_t, out) = built();
    let doc = page(&out, "artikler/forste-mote/");
    let ids = attrs(&doc, ".content h2, .content h3", "id");
    assert_eq!(ids, ["hvem-signerer", "hvem-signerer-1", "okonomi-roi"]);
    let toc = attrs(&doc, "nav.toc a", "href");
    assert_eq!(toc, ["#hvem-signerer", "#hvem-signerer-1", "#okonomi-roi"]);
}

#[test]
fn drafts_hidden_unless_asked() {
    let (_t, out) = built();
    assert!(!out.join("artikler/et-utkast").exists());
    assert!(!out.join("artikler/utkast").exists());
    let listing = texts(&page(&out, "artikler/"), ".cards .card-title");
    assert!(!listing.iter().any(|t| t.contains("utkast")), "{listing:?}");

    let tmp = tempfile::tempdir().unwrap();
    let out2 = tmp.path().join("p");
    build(&fixture("basic"), &out2, &["--drafts"]);
    assert!(out2.join("artikler/utkast/index.html").is_file());
    // Built with --drafts, a draft says so on its page and on its card;
    // published pages do not.
    let draft = page(&out2, "artikler/utkast/");
    assert_eq!(texts(&draft, ".page-header .badge-draft"), ["Utkast"]);
    assert!(texts(&page(&out2, "artikler/alfa/"), ".badge-draft").is_empty());
    let listing = page(&out2, "artikler/");
    let marked: Vec<String> = listing
        .select(&sel(".card"))
        .filter(|c| c.select(&sel(".badge-draft")).next().is_some())
        .map(|c| {
            c.select(&sel(".card-title"))
                .flat_map(|t| t.text())
                .collect()
        })
        .collect();
    let title = texts(&draft, "h1").remove(0);
    assert_eq!(marked, [title]);
}

#[test]
fn ordering_by_weight_then_date_then_title() {
    let (_t, out) = built();
    let listing = texts(
        &page(&out, "artikler/"),
        "ul.cards:not(.subsections) .card-title",
    );
    // weight 2 + newer date, weight 2 + older date, then no weight: dated
    // (newest first) before undated, undated by title.
    assert_eq!(
        listing,
        [
            "Andre artikkel",
            "Første møte med kunden",
            "Alfa uten vekt",
            "Notat uten front matter",
            "Side med bilde"
        ]
    );
    // No page silently disappears: every article of the section is listed.
    assert_eq!(listing.len(), 5, "{listing:?}");
}

#[test]
fn page_without_front_matter_takes_its_first_heading() {
    let (_t, out) = built();
    let doc = page(&out, "artikler/notat-uten-front/");
    assert_eq!(texts(&doc, "h1"), ["Notat uten front matter"]);
}

#[test]
fn base_url_sub_path_is_honoured() {
    let (_t, out) = built();
    let doc = page(&out, "artikler/forste-mote/");
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://intra.example/opplaering/artikler/forste-mote/"]
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://intra.example/opplaering/artikler/verdi/roi/</loc>"));
    // The 404 page is served at any depth: its links carry the sub-path.
    let nf = scraper::Html::parse_document(&std::fs::read_to_string(out.join("404.html")).unwrap());
    assert!(
        attrs(&nf, "link[rel=stylesheet]", "href")
            .iter()
            .all(|h| h.starts_with("/opplaering/"))
    );
    // --base-url overrides site.toml.
    let tmp = tempfile::tempdir().unwrap();
    let o2 = tmp.path().join("p");
    build(&fixture("basic"), &o2, &["--base-url", "/kurs/salg"]);
    let nf = scraper::Html::parse_document(&std::fs::read_to_string(o2.join("404.html")).unwrap());
    assert!(
        attrs(&nf, "link[rel=stylesheet]", "href")
            .iter()
            .all(|h| h.starts_with("/kurs/salg/"))
    );
}

#[test]
fn aliases_redirect_to_the_page() {
    let (_t, out) = built();
    let doc = page(&out, "gamle/forste-mote/");
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://intra.example/opplaering/artikler/forste-mote/"]
    );
    let refresh = attrs(&doc, "meta[http-equiv=refresh]", "content");
    assert_eq!(refresh, ["0; url=../../artikler/forste-mote/"]);
}

#[test]
fn bundle_image_gets_size_and_relative_src() {
    let (_t, out) = built();
    let doc = page(&out, "artikler/bundle-side/");
    assert_eq!(attrs(&doc, ".content img", "src"), ["diagram.svg"]);
    assert_eq!(attrs(&doc, ".content img", "width"), ["120"]);
    assert_eq!(attrs(&doc, ".content img", "height"), ["60"]);
}

#[test]
fn course_lessons_have_position_and_neighbours() {
    let (_t, out) = built();
    let doc = page(&out, "kurs/leksjon-2/");
    let pos = texts(&doc, ".lesson-pos");
    assert!(pos[0].starts_with("Leksjon 2 av 3"), "{pos:?}");
    assert_eq!(
        attrs(&doc, "a[rel=prev]", "href"),
        ["../../kurs/leksjon-1/"]
    );
    assert_eq!(
        attrs(&doc, "a[rel=next]", "href"),
        ["../../kurs/leksjon-3/"]
    );
    let overview = page(&out, "kurs/");
    assert_eq!(
        texts(&overview, "ol.lessons-list .lesson-title a"),
        ["Leksjon 1", "Leksjon 2", "Leksjon 3"]
    );
}

#[test]
fn taxonomy_pages_list_every_kind() {
    let (_t, out) = built();
    let doc = page(&out, "tema/beslutningstakere/");
    let titles = texts(&doc, ".cards .card-title");
    for t in [
        "Første møte med kunden",
        "Før møtet",
        "Tapt avtale",
        "Andre artikkel",
    ] {
        assert!(
            titles.contains(&t.to_string()),
            "{t} missing from {titles:?}"
        );
    }
}

#[test]
fn the_tag_index_says_what_its_counts_count() {
    let (_t, out) = built();
    let doc = page(&out, "stikkord/");
    // A screen reader reads each chip as its name, its count and "sider"
    // (or "side" for one); the word is hidden from the eye only.
    let chips = texts(&doc, ".term-cloud .chip");
    assert!(!chips.is_empty());
    for chip in &chips {
        let words: Vec<&str> = chip.split_whitespace().collect();
        let n: usize = words[words.len() - 2]
            .parse()
            .unwrap_or_else(|_| panic!("{chip}"));
        let unit = if n == 1 { "side" } else { "sider" };
        assert_eq!(words[words.len() - 1], unit, "{chip}");
    }
    for hidden in doc.select(&sel(".chip .count .visually-hidden")) {
        assert!(["side", "sider"].contains(&hidden.text().collect::<String>().trim()));
    }
}

#[test]
fn rebuild_with_nothing_changed_rewrites_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("basic"), &out, &[]);
    let o = run(&[
        "build",
        "--root",
        fixture("basic").to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("(0 changed"), "{stdout}");
}

#[test]
fn refuses_to_replace_a_folder_vinn_did_not_make() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("rapport.docx"), "viktig").unwrap();
    let o = run(&[
        "build",
        "--root",
        fixture("basic").to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("refusing"));
    assert_eq!(
        std::fs::read_to_string(out.join("rapport.docx")).unwrap(),
        "viktig"
    );
}

#[test]
fn read_also_explicit_first_then_ranked_by_shared_terms() {
    let (_t, out) = built();
    let doc = page(&out, "artikler/forste-mote/");
    // Explicit `related` first; then the page sharing a topic and a tag
    // (tags weigh more); then one sharing only the topic; count = 3.
    assert_eq!(
        texts(&doc, ".read-also .read-also-title"),
        ["Før møtet", "Andre artikkel", "Tapt avtale"]
    );
    // Deterministic: a second build gives the same lists everywhere.
    let tmp = tempfile::tempdir().unwrap();
    let out2 = tmp.path().join("p");
    build(&fixture("basic"), &out2, &[]);
    for url in [
        "artikler/forste-mote/",
        "artikler/andre/",
        "sjekklister/for-mote/",
        "kurs/leksjon-1/",
    ] {
        assert_eq!(
            texts(&page(&out, url), ".read-also a"),
            texts(&page(&out2, url), ".read-also a"),
            "{url}"
        );
    }
}

#[test]
fn checklist_items_are_real_labelled_checkboxes_with_stable_ids() {
    let (_t, out) = built();
    let doc = page(&out, "sjekklister/for-mote/");
    let ids = attrs(&doc, "input.task", "data-task");
    assert_eq!(ids.len(), 4);
    assert_eq!(ids[0], vinn::markdown::task_id("Hvem signerer?"));
    for id in &ids {
        let label = texts(&doc, &format!("label[for=\"t-{id}\"]"));
        assert_eq!(label.len(), 1, "item {id} has a label");
    }
    assert_eq!(attrs(&doc, "input.task[checked]", "data-task").len(), 1);
}

#[test]
fn case_study_shows_its_facts_and_lessons() {
    let (_t, out) = built();
    let doc = page(&out, "case/tapt-avtale/");
    assert_eq!(texts(&doc, ".case-facts .outcome-label"), ["Tapt"]);
    assert_eq!(
        texts(&doc, ".case-facts .reasons li"),
        ["Beslutningstaker", "Verdi"]
    );
    let facts = texts(&doc, ".case-facts dd").join(" | ");
    for f in [
        "Bygg og anlegg",
        "1M-5M NOK",
        "Innkjøpssjef",
        "20. januar 2026",
    ] {
        assert!(facts.contains(f), "{f} missing from {facts}");
    }
    assert_eq!(texts(&doc, ".lessons li"), ["Finn den som signerer."]);
}

#[test]
fn navigation_marks_the_current_page_and_its_section() {
    let (_t, out) = built();
    // Pages (the navigation rendered once per section) and section and list
    // pages (rendered with each page) alike.
    for (url, current, active) in [
        (
            "artikler/forste-mote/",
            "artikler/forste-mote/",
            "artikler/",
        ),
        (
            "artikler/bundle-side/",
            "artikler/bundle-side/",
            "artikler/",
        ),
        ("artikler/verdi/roi/", "artikler/verdi/roi/", "artikler/"),
        ("kurs/leksjon-2/", "kurs/leksjon-2/", "kurs/"),
        (
            "sjekklister/for-mote/",
            "sjekklister/for-mote/",
            "sjekklister/",
        ),
        ("artikler/", "artikler/", ""),
        ("nytt/", "nytt/", ""),
    ] {
        let doc = page(&out, url);
        let marked = attrs(&doc, "#site-nav a[aria-current=page]", "href");
        assert_eq!(marked.len(), 1, "/{url}: one current link, got {marked:?}");
        assert_eq!(resolve(url, &marked[0]), current, "/{url}");
        let open = attrs(&doc, "#site-nav a.active", "href");
        if active.is_empty() {
            assert!(open.is_empty(), "/{url}: {open:?}");
        } else {
            assert_eq!(open.len(), 1, "/{url}: {open:?}");
            assert_eq!(resolve(url, &open[0]), active, "/{url}");
        }
    }
    // A page's menu lists its section's pages, the course in order.
    let doc = page(&out, "kurs/leksjon-2/");
    let lessons: Vec<String> = attrs(&doc, "#site-nav ol.nav-pages a", "href")
        .iter()
        .map(|h| resolve("kurs/leksjon-2/", h))
        .collect();
    assert_eq!(
        lessons,
        ["kurs/leksjon-1/", "kurs/leksjon-2/", "kurs/leksjon-3/"]
    );
}

/// The `basic` fixture with the site's own `templates` (name, text),
/// built: the site's folder and its output.
fn basic_built_with(templates: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let site = site_copy("basic");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    for (name, text) in templates {
        std::fs::write(site.path().join("templates").join(name), text).unwrap();
    }
    let out = site.path().join("public");
    build(site.path(), &out, &[]);
    (site, out)
}

#[test]
fn a_site_header_and_footer_show_on_every_page_with_links_from_its_depth() {
    // The header and footer are rendered once per depth: a site's own
    // header.html and footer.html must still reach every output, each with
    // links that climb from where that output is.
    let (_site, out) = basic_built_with(&[
        (
            "header.html",
            "<p class=\"egen-topp\"><a href=\"{{ root }}sok/\">{{ site.title }}</a></p>\n",
        ),
        (
            "footer.html",
            "<p class=\"egen-bunn\"><a href=\"{{ '' | rel }}\">{{ t.footer }}</a></p>\n",
        ),
    ]);
    let mut seen = std::collections::BTreeSet::new();
    for url in index_urls(&out) {
        let html = std::fs::read_to_string(out.join(&url).join("index.html")).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue; // a redirect for an alias: no header
        }
        let doc = scraper::Html::parse_document(&html);
        let top = attrs(&doc, "p.egen-topp a", "href");
        assert_eq!(top.len(), 1, "/{url}: {top:?}");
        assert_eq!(resolve(&url, &top[0]), "sok/", "/{url}");
        let bottom = attrs(&doc, "p.egen-bunn a", "href");
        assert_eq!(bottom.len(), 1, "/{url}: {bottom:?}");
        assert_eq!(resolve(&url, &bottom[0]), "", "/{url}");
        // The theme's own header is gone, replaced.
        assert!(texts(&doc, "header.site-header").is_empty(), "/{url}");
        seen.insert(url.matches('/').count());
    }
    assert!(
        seen.len() >= 3,
        "outputs at several depths were checked: {seen:?}"
    );
    // The 404 page is served at any depth: its header links are absolute
    // (the fixture is published under /opplaering/).
    let doc =
        scraper::Html::parse_document(&std::fs::read_to_string(out.join("404.html")).unwrap());
    assert_eq!(attrs(&doc, "p.egen-topp a", "href"), ["/opplaering/sok/"]);
}

#[test]
fn a_header_that_shows_the_page_is_rendered_with_each_output() {
    // A header that reads more than `root` and the globals cannot be
    // rendered once per depth: it is rendered with each output instead,
    // and shows that output's own URL.
    let (_site, out) = basic_built_with(&[(
        "header.html",
        "<p class=\"her\" data-url=\"{{ current_url }}\">{{ site.title }}</p>\n",
    )]);
    let mut checked = 0;
    for url in index_urls(&out) {
        let doc = page(&out, &url);
        let shown = attrs(&doc, "p.her", "data-url");
        if shown.is_empty() {
            continue; // a redirect for an alias: no header
        }
        assert_eq!(shown, std::slice::from_ref(&url), "/{url}");
        checked += 1;
    }
    assert!(checked > 10, "{checked} pages checked");
}

#[test]
fn pages_load_in_walk_order() {
    // Names whose order as paths differs from their order as strings:
    // `-` and `.` sort before `/`, a bundle's folder sits by its name.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("site.toml"), "title = \"Rekkefølge\"\n").unwrap();
    let page = |rel: &str| {
        let p = root.join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, format!("---\ntitle: \"{rel}\"\n---\n\nTekst.\n")).unwrap();
    };
    for rel in [
        "a.md",
        "a-b.md",
        "a/x.md",
        "a/b/y.md",
        "a/bunt/index.md",
        "a/bunt.md",
        "ab.md",
        "z.md",
        "æ.md",
        "b/_index.md",
        "b/c.md",
    ] {
        page(rel);
    }
    let loaded = vinn::build::load(&vinn::build::Options {
        root: root.to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    let keys: Vec<&str> = loaded
        .site
        .pages
        .iter()
        .map(|p| p.page.key.as_str())
        .collect();
    assert_eq!(keys.len(), 10, "{keys:?}");
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| vinn::content::walk_order(a, b));
    assert_eq!(keys, sorted);
    // Not the order of the keys as strings.
    let mut plain = keys.clone();
    plain.sort();
    assert_ne!(keys, plain);
}

#[test]
fn a_theme_of_the_site_holds_only_what_it_changes() {
    // `themes/egen/` has a footer and a stylesheet of its own; every other
    // template and static file comes from the default theme.
    let tmp = site_copy("basic");
    let root = tmp.path();
    let theme = root.join("themes/egen");
    std::fs::create_dir_all(theme.join("templates")).unwrap();
    std::fs::create_dir_all(theme.join("static")).unwrap();
    std::fs::write(
        theme.join("templates/footer.html"),
        "<footer class=\"egen-bunn\"><p>{{ site.title }}</p></footer>\n",
    )
    .unwrap();
    std::fs::write(theme.join("static/egen.css"), "body { margin: 0 }\n").unwrap();
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("theme = \"egen\"\n{config}"),
    )
    .unwrap();
    let out = root.join("public");
    build(root, &out, &[]);
    let doc = page(&out, "artikler/alfa/");
    assert_eq!(texts(&doc, "footer.egen-bunn p").len(), 1);
    assert!(texts(&doc, "footer.site-footer").is_empty());
    // The default theme's page around it, with its header and scripts.
    assert_eq!(texts(&doc, "article.page h1").len(), 1);
    assert_eq!(texts(&doc, "header.site-header").len(), 1);
    for file in ["egen.css", "vinn.css", "vinn.js", "search.js"] {
        assert!(out.join(file).is_file(), "{file}");
    }
    // A theme's own file replaces the default's of the same name.
    std::fs::write(theme.join("static/vinn.css"), "/* egen */\n").unwrap();
    build(root, &out, &[]);
    assert_eq!(
        std::fs::read_to_string(out.join("vinn.css")).unwrap(),
        "/* egen */\n"
    );
}

#[test]
fn editor_leftovers_are_never_published() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    let case = std::fs::read_dir(root.join("content/case"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md"))
        .unwrap();
    let text = std::fs::read_to_string(&case).unwrap();
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let leftovers = [
        format!("content/case/{name}~"),
        format!("content/case/#{name}#"),
        format!("content/case/{name}.orig"),
        format!("content/case/{name}.save"),
        format!("content/case/{name}___jb_tmp___"),
        "content/artikler/alfa.md.bak".to_string(),
        "content/artikler/alfa.swp".to_string(),
        "content/artikler/Thumbs.db".to_string(),
        "content/artikler/bundle-side/index.md~".to_string(),
        "content/artikler/bundle-side/notat.txt.tmp".to_string(),
        // exiftool's backup of a photo whose GPS position it removed.
        "content/case/befaring.jpg_original".to_string(),
        // Word's owner file while the case's report is open.
        "content/case/~$rapport.docx".to_string(),
        "static/vinn.css~".to_string(),
    ];
    for rel in &leftovers {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &text).unwrap();
    }
    // Files that are the site's own are published beside them.
    std::fs::write(root.join("content/artikler/prisliste.pdf"), b"%PDF-1.4\n").unwrap();
    std::fs::write(root.join("content/artikler/logo_original"), b"<svg/>").unwrap();
    std::fs::write(
        root.join("content/artikler/bundle-side/notat.txt"),
        "notat\n",
    )
    .unwrap();
    let out = root.join("public");
    build(root, &out, &[]);
    let published = file_names_under(&out);
    for rel in &leftovers {
        let file = rel.rsplit('/').next().unwrap();
        assert!(!published.iter().any(|p| p == file), "{rel} was published");
    }
    assert!(out.join("artikler/prisliste.pdf").is_file());
    assert!(out.join("artikler/logo_original").is_file());
    assert!(out.join("artikler/bundle-side/notat.txt").is_file());
}

#[test]
fn markdown_that_is_not_a_page_is_not_published() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    let text = "---\ntitle: Notat\n---\n\nUtkast med navn som ikke skal ut.\n";
    for rel in [
        "content/artikler/notat.markdown",
        "content/artikler/TAPT.MD",
        "content/artikler/bundle-side/ekstra.md",
        "content/artikler/bundle-side/.utkast/skisse.svg",
    ] {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = root.join("public");
    let o = build_output(root, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for (file, says) in [
        (
            "content/artikler/notat.markdown",
            "only `.md` files are pages",
        ),
        ("content/artikler/TAPT.MD", "rename it to end in `.md`"),
        (
            "content/artikler/bundle-side/ekstra.md",
            "the bundle's page is its index.md",
        ),
    ] {
        let line = err
            .lines()
            .find(|l| l.starts_with(file))
            .unwrap_or_else(|| panic!("no warning for {file}:\n{err}"));
        assert!(line.contains("warning: ") && line.contains(says), "{line}");
    }
    let published = file_names_under(&out);
    for name in ["notat.markdown", "TAPT.MD", "ekstra.md", "skisse.svg"] {
        assert!(!published.iter().any(|p| p == name), "{name} was published");
    }
    // The bundle's own files still are.
    assert!(out.join("artikler/bundle-side/diagram.svg").is_file());
    // A link to what is not published is a missing page, not a file.
    std::fs::write(
        root.join("content/artikler/lenke.md"),
        "---\ntitle: Lenke\n---\n\n[ekstra](bundle-side/ekstra.md)\n",
    )
    .unwrap();
    let o = run(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content/artikler/lenke.md:5:"),
        "{}",
        stderr(&o)
    );
}

/// The site's topics are the short list in site.toml; a page's topic not
/// on it (most often a typo) is a warning at the `topics` line, with the
/// listed topic it is nearest, and still gets its page.
#[test]
fn a_topic_not_among_the_sites_topics_is_a_warning_at_its_line() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    std::fs::write(
        root.join("content/artikler/skrivefeil.md"),
        "---\ntitle: Skrivefeil i tema\ndate: 2026-01-05\ntopics:\n  - Verdi\n  - beslutningstaker\n  - kundereisen\n---\nTekst.\n",
    )
    .unwrap();
    let out = root.join("public");
    let o = build_output(root, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ")).collect();
    assert_eq!(
        warnings,
        [
            "content/artikler/skrivefeil.md:4:1: warning: topic `beslutningstaker` is not among the [[topics]] of site.toml (beslutningstakere, verdi, evaluering), so it gets a page of its own: did you mean `beslutningstakere`? Or list it there, or make it a tag",
            "content/artikler/skrivefeil.md:4:1: warning: topic `kundereisen` is not among the [[topics]] of site.toml (beslutningstakere, verdi, evaluering), so it gets a page of its own: list it there, or make it a tag",
        ],
        "{err}"
    );
    for url in ["tema/beslutningstaker/", "tema/kundereisen/", "tema/verdi/"] {
        let titles = texts(&page(&out, url), "main .card h2, main .card h3");
        assert!(
            titles.iter().any(|t| t.contains("Skrivefeil i tema")),
            "{url}: {titles:?}"
        );
    }
}

/// `--strict` (for CI) fails on warnings as on errors: the warning is
/// printed as an error saying why, `check` and `build` exit 1, and the
/// output stays exactly as the last build left it.
#[test]
fn strict_fails_on_warnings_and_leaves_the_output_as_it_was() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    let out = root.join("public");
    build(root, &out, &[]);
    let before = snapshot(&out);
    std::fs::write(
        root.join("content/artikler/tema-feil.md"),
        "---\ntitle: Tema med skrivefeil\ntopics: [verdii]\n---\nTekst.\n",
    )
    .unwrap();
    let r = root.to_str().unwrap();
    let o = run(&["check", "--root", r]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("tema-feil.md:3:1: warning: topic `verdii`"));
    for args in [
        vec!["check", "--strict", "--root", r],
        vec![
            "build",
            "--strict",
            "--root",
            r,
            "--output",
            out.to_str().unwrap(),
        ],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        let lines: Vec<&str> = err.lines().collect();
        assert!(
            lines[0].starts_with("content/artikler/tema-feil.md:3:1: error: topic `verdii`")
                && lines[0].ends_with(" (a warning, an error with --strict)"),
            "{args:?}: {err}"
        );
        assert_eq!(lines[1..], ["1 error in 1 file"], "{args:?}: {err}");
    }
    assert!(snapshot(&out) == before, "the output changed");
    // Without it, the page is built and the warning stays a warning.
    build(root, &out, &[]);
    assert!(out.join("artikler/tema-feil/index.html").is_file());
}

/// A link shared in a chat shows a card: Open Graph's title, description
/// and type on every page, the page's own on content and section pages,
/// its address where `base_url` has a host.
#[test]
fn pages_carry_open_graph_for_link_previews() {
    let (_tmp, out) = built();
    let og = |url: &str, property: &str| {
        attrs(
            &page(&out, url),
            &format!("meta[property=\"{property}\"]"),
            "content",
        )
    };
    assert_eq!(og("artikler/alfa/", "og:type"), ["article"]);
    let title = texts(&page(&out, "artikler/alfa/"), "h1");
    assert_eq!(og("artikler/alfa/", "og:title"), title);
    assert_eq!(
        og("artikler/alfa/", "og:url"),
        ["https://intra.example/opplaering/artikler/alfa/"]
    );
    assert_eq!(
        og("artikler/alfa/", "og:description"),
        attrs(
            &page(&out, "artikler/alfa/"),
            "meta[name=description]",
            "content"
        )
    );
    assert_eq!(og("artikler/", "og:type"), ["website"]);
    assert_eq!(
        og("artikler/", "og:title"),
        texts(&page(&out, "artikler/"), "h1")
    );
    // Every kind of page names itself, as its heading does.
    for url in [
        "",
        "artikler/",
        "case/tapt-avtale/",
        "tema/",
        "tema/verdi/",
        "alle/artikler/",
        "nytt/",
    ] {
        assert_eq!(og(url, "og:site_name"), ["Testskolen"], "{url}");
        assert_eq!(og(url, "og:locale"), ["nb_NO"], "{url}");
        let heading = texts(&page(&out, url), "main h1");
        let title = og(url, "og:title");
        if url.is_empty() {
            assert_eq!(title, ["Testskolen"]);
        } else {
            assert_eq!(title, heading, "{url}");
        }
    }
}

/// `edit_url` links every page to where its file is edited, the file's
/// path from the site root put in for `{path}` (its letters encoded).
#[test]
fn edit_url_links_each_page_to_its_file() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    let out = root.join("public");
    build(root, &out, &[]);
    // Without it, no link.
    assert!(texts(&page(&out, "artikler/alfa/"), ".edit-page a").is_empty());
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        config.replacen(
            "language = \"nb\"",
            "language = \"nb\"\nedit_url = \"https://git.example/salg/edit/main/nettsted/{path}\"",
            1,
        ),
    )
    .unwrap();
    build(root, &out, &[]);
    for (url, file) in [
        ("artikler/alfa/", "content/artikler/alfa.md"),
        (
            "artikler/forste-mote/",
            "content/artikler/f%C3%B8rste-m%C3%B8te.md",
        ),
        ("sjekklister/for-mote/", "content/sjekklister/for-mote.md"),
        ("case/tapt-avtale/", "content/case/tapt-avtale.md"),
        ("kurs/leksjon-1/", "content/kurs/leksjon-1.md"),
    ] {
        let doc = page(&out, url);
        assert_eq!(
            attrs(&doc, ".edit-page a", "href"),
            [format!(
                "https://git.example/salg/edit/main/nettsted/{file}"
            )],
            "{url}"
        );
        assert_eq!(texts(&doc, ".edit-page a"), ["Foreslå en endring"], "{url}");
    }
    // A section's page links to its `_index.md`.
    assert_eq!(
        attrs(&page(&out, "artikler/"), ".edit-page a", "href"),
        ["https://git.example/salg/edit/main/nettsted/content/artikler/_index.md"]
    );
}

/// Inviting crawlers needs the site's full address: robots.txt's
/// `Sitemap:` line and the sitemap's `<loc>`s must be absolute URLs.
#[test]
fn allowing_crawlers_without_a_host_in_base_url_is_a_warning_at_its_line() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let config = format!("{}\n[robots]\nallow_indexing = true\n", config.trim_end());
    let line = config.lines().count();
    let out = root.join("public");
    let with_base = |base: &str| {
        let text = config.replace("https://intra.example/opplaering/", base);
        std::fs::write(root.join("site.toml"), text).unwrap();
        let o = build_output(root, &out);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
        (stderr(&o), robots)
    };
    let (err, robots) = with_base("/opplaering/");
    assert!(
        err.starts_with(&format!(
            "site.toml:{line}:18: warning: `[robots] allow_indexing` invites crawlers, but base_url `/opplaering/` has no host"
        )),
        "{err}"
    );
    assert!(
        robots.contains("Sitemap: /opplaering/sitemap.xml"),
        "{robots}"
    );
    let (err, robots) = with_base("https://intra.example/opplaering/");
    assert!(!err.contains("warning"), "{err}");
    assert!(
        robots.contains("Sitemap: https://intra.example/opplaering/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn a_logo_the_site_does_not_publish_is_an_error_at_its_line() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    let config = format!("{}\n[brand]\nlogo = \"logo.svg\"\n", config.trim_end());
    let line = config.lines().count();
    std::fs::write(root.join("site.toml"), &config).unwrap();
    let out = root.join("public");
    let o = build_output(root, &out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!(
            "site.toml:{line}:8: error: `[brand] logo` = `logo.svg`"
        )),
        "{err}"
    );
    assert!(err.contains("static/logo.svg"), "{err}");
    // In static/, it is published, and the header shows it from every depth.
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(
        root.join("static/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>",
    )
    .unwrap();
    build(root, &out, &[]);
    for url in ["", "artikler/", "artikler/verdi/roi/"] {
        let src = attrs(&page(&out, url), "img.brand-logo", "src");
        assert_eq!(src.len(), 1, "/{url}");
        let file = out.join(url).join(&src[0]);
        assert!(file.is_file(), "/{url}: {}", src[0]);
    }
}

#[test]
fn anchors_written_as_github_writes_them_reach_the_heading() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    std::fs::write(
        root.join("content/artikler/ankre.md"),
        "---\ntitle: Ankre\n---\n\nSe [møtet](#første-møte-pris--verdi), [kodet](#f%C3%B8rste-m%C3%B8te-pris--verdi), [egen](#Egen) og [åpning](#åpning-eget).\n\n## Første møte: pris & verdi\n\ntekst\n\n## Vår egen {#Egen}\n\n## Åpning {#åpning-eget}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/artikler/ankre-lenker.md"),
        "---\ntitle: Lenker til ankre\n---\n\nLes [om møtet](ankre.md#første-møte-pris--verdi).\n",
    )
    .unwrap();
    let out = root.join("public");
    build(root, &out, &[]);
    let doc = page(&out, "artikler/ankre/");
    let ids: Vec<String> = doc
        .select(&sel("h2[id]"))
        .map(|h| h.value().attr("id").unwrap().to_string())
        .collect();
    for id in ["forste-mote-pris-verdi", "Egen", "apning-eget"] {
        assert!(ids.iter().any(|i| i == id), "{id} not in {ids:?}");
    }
    let hrefs = |doc: &scraper::Html| -> Vec<String> {
        doc.select(&sel("main p a[href]"))
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    };
    assert_eq!(
        hrefs(&doc),
        [
            "#forste-mote-pris-verdi",
            "#forste-mote-pris-verdi",
            "#Egen",
            "#apning-eget"
        ]
    );
    let other = page(&out, "artikler/ankre-lenker/");
    assert_eq!(hrefs(&other), ["../ankre/#forste-mote-pris-verdi"]);
    // A fragment that is no heading's, in either form, is an error naming
    // it as written, with the id it may have meant.
    std::fs::write(
        root.join("content/artikler/ankre-lenker.md"),
        "---\ntitle: Lenker til ankre\n---\n\nLes [om møtet](ankre.md#første-møtte-pris--verdi).\n",
    )
    .unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("content/artikler/ankre-lenker.md:5:5: error: link to a missing heading `#første-møtte-pris--verdi`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `#forste-mote-pris-verdi`"),
        "{err}"
    );
}

#[test]
fn offline_reading_is_on_unless_switched_off() {
    let (_t, out) = built();
    // Every page's script asks for the offline worker, which sits at the
    // site's root (its scope is the whole site).
    let doc = page(&out, "artikler/forste-mote/");
    let script = doc.select(&sel("script[src$='vinn.js']")).next().unwrap();
    assert!(script.value().attr("data-offline").is_some());
    assert!(out.join("sw.js").is_file());
    // The page shown for a page not kept is served in place of any page:
    // its links are absolute, under the site's sub-path.
    let off =
        scraper::Html::parse_document(&std::fs::read_to_string(out.join("offline.html")).unwrap());
    assert_eq!(texts(&off, "main h1"), ["Du er uten nett"]);
    assert_eq!(off.select(&sel("ul[data-offline-list]")).count(), 1);
    let links: Vec<String> = [
        attrs(&off, "link[rel=stylesheet]", "href"),
        attrs(&off, "script[src]", "src"),
        attrs(&off, "main a", "href"),
    ]
    .concat();
    assert!(links.len() >= 3, "{links:?}");
    assert!(
        links.iter().all(|h| h.starts_with("/opplaering/")),
        "{links:?}"
    );
    // It is no page of the site's: not in the sitemap.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("offline"));

    let src = site_copy("basic");
    let toml = src.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[offline]\nenabled = false\n")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(src.path(), &out, &[]);
    assert!(!out.join("sw.js").exists());
    assert!(!out.join("offline.html").exists());
    let doc = page(&out, "artikler/forste-mote/");
    let script = doc.select(&sel("script[src$='vinn.js']")).next().unwrap();
    assert!(script.value().attr("data-offline").is_none());
}

#[test]
fn a_course_is_whole_on_one_page() {
    // The sample site's course: five lessons with headings, tables, links
    // between lessons and to other pages.
    let (_tmp, out) = built_sample();
    let course = page(&out, "kurs/");
    let lessons: Vec<String> = attrs(&course, ".lessons-list .lesson-title a", "href");
    assert_eq!(lessons.len(), 5);
    // The course's page links to it.
    assert!(
        attrs(&course, "a.button", "href")
            .iter()
            .any(|h| resolve("kurs/", h) == "kurs/hele-kurset/"),
        "{:?}",
        attrs(&course, "a.button", "href")
    );
    let whole = page(&out, "kurs/hele-kurset/");
    let url = "kurs/hele-kurset/";
    // Every lesson in the course's order, each under its own h2, with its
    // body's headings one level down.
    let sections = attrs(&whole, "section.course-lesson", "id");
    assert_eq!(
        sections,
        [
            "leksjon-1",
            "leksjon-2",
            "leksjon-3",
            "leksjon-4",
            "leksjon-5"
        ]
    );
    let titles = texts(&whole, "section.course-lesson > h2");
    for (lesson, title) in lessons.iter().zip(&titles) {
        let alone = page(&out, &resolve("kurs/", lesson));
        let h1 = texts(&alone, "main h1");
        assert!(title.ends_with(&h1[0]), "{title} / {h1:?}");
        assert_eq!(
            texts(&alone, ".content h2").len(),
            whole
                .select(&sel(&format!(
                    "section#{} .content h3",
                    sections[titles.iter().position(|t| t == title).unwrap()]
                )))
                .count(),
            "{title}"
        );
    }
    assert!(texts(&whole, ".content h2").is_empty());
    // No id twice on the page, and every link within it lands.
    let ids: Vec<String> = attrs(&whole, "[id]", "id");
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    let hrefs = attrs(&whole, "main a[href]", "href");
    let inner: Vec<&String> = hrefs.iter().filter(|h| h.starts_with('#')).collect();
    assert!(inner.len() > 10, "{inner:?}");
    for h in &inner {
        assert!(unique.contains(&h[1..].to_string()), "{h} lands nowhere");
    }
    // A link from one lesson to another stays on the page.
    assert!(
        whole
            .select(&sel("section .content a[href^='#leksjon-']"))
            .next()
            .is_some(),
        "{hrefs:?}"
    );
    // Every other link and image of the page reaches a file of the site.
    for h in hrefs.iter().chain(&attrs(&whole, "main img", "src")) {
        if h.starts_with('#') || h.contains("://") || h.starts_with("mailto:") {
            continue;
        }
        let target = resolve(url, h);
        let file = if target.is_empty() || target.ends_with('/') {
            out.join(&target).join("index.html")
        } else {
            out.join(&target)
        };
        assert!(file.is_file(), "{h} → {}", file.display());
    }
}

#[test]
fn a_printed_course_carries_a_qr_code_of_the_course_online() {
    // Where base_url has a host, the handout links back to the course.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(
        &manifest_dir(),
        &out,
        &["--base-url", "https://salg.example/opplaering/"],
    );
    let whole = page(&out, "kurs/hele-kurset/");
    let figure = whole
        .select(&sel("figure.course-qr.print-only"))
        .next()
        .unwrap();
    // The very code `serve` draws for that address (read back as a
    // phone reads it in tests/serve.rs).
    let drawn = figure
        .select(&sel("svg path"))
        .next()
        .and_then(|p| p.value().attr("d"))
        .unwrap()
        .to_string();
    let expected = vinn::qr::svg("https://salg.example/opplaering/kurs/").unwrap();
    assert_eq!(drawn, svg_path_data(&expected));
    assert_eq!(
        texts(&whole, "figure.course-qr figcaption"),
        ["Kurset på nett: https://salg.example/opplaering/kurs/"]
    );
    // Without a host there is no address a phone could open: no code.
    let (_t, plain) = built_sample();
    let whole = page(&plain, "kurs/hele-kurset/");
    assert!(whole.select(&sel("figure.course-qr")).next().is_none());
}

/// The sample site built with its own `base_url` ("/").
fn built_sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&manifest_dir(), &out, &[]);
    (tmp, out)
}

#[test]
fn a_lesson_cannot_take_the_course_pages_url() {
    let src = site_copy("basic");
    std::fs::write(
        src.path().join("content/kurs/hele-kurset.md"),
        "---\ntitle: \"Hele kurset\"\nweight: 9\n---\n\nAlt.\n",
    )
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let o = build_output(src.path(), &tmp.path().join("public"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("content/kurs/hele-kurset.md:1:1: error: URL `/kurs/hele-kurset/` is where vinn writes the whole course on one page"),
        "{err}"
    );
}

#[test]
fn the_feed_has_absolute_ids_and_an_author_without_a_host_too() {
    let ids_of = |out: &std::path::Path| -> (String, Vec<String>) {
        let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
        let ids = atom
            .split("<id>")
            .skip(1)
            .map(|s| s.split("</id>").next().unwrap().to_string())
            .collect();
        (atom, ids)
    };
    // With a host, the ids are the pages' addresses.
    let (_t, out) = built();
    let (atom, ids) = ids_of(&out);
    assert!(ids.len() > 2);
    assert!(
        ids.iter()
            .all(|i| i.starts_with("https://intra.example/opplaering/")),
        "{ids:?}"
    );
    assert!(atom.contains("<author><name>"), "{atom}");
    // Without one (`base_url = "/"`, as `vinn init` writes it), a path is
    // no IRI: each id is a urn:uuid, its own, the same in every build.
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&fixture("basic"), &a, &["--base-url", "/"]);
    build(&fixture("basic"), &b, &["--base-url", "/"]);
    let (_, first) = ids_of(&a);
    let (_, again) = ids_of(&b);
    assert_eq!(first, again);
    let unique: std::collections::BTreeSet<&String> = first.iter().collect();
    assert_eq!(unique.len(), first.len(), "{first:?}");
    for id in &first {
        let uuid = id
            .strip_prefix("urn:uuid:")
            .unwrap_or_else(|| panic!("{id}"));
        let parts: Vec<&str> = uuid.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{id}"
        );
        assert!(
            uuid.bytes().all(|c| c == b'-' || c.is_ascii_hexdigit()),
            "{id}"
        );
        assert!(parts[2].starts_with('8'), "version 8: {id}");
    }
}

#[test]
fn a_file_gone_between_reading_the_site_and_publishing_it_is_no_error() {
    // A tool's short-lived file (vim's `4913`) can be listed with the site
    // and gone when it is copied: it is simply not published.
    let tmp = site_copy("basic");
    let root = tmp.path();
    std::fs::write(root.join("content/artikler/4913"), "").unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/kort.css"), "").unwrap();
    let loaded = vinn::build::load(&vinn::build::Options {
        root: root.to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    let theme = vinn::theme::Theme::resolve(root, &loaded.site.config.theme).unwrap();
    std::fs::remove_file(root.join("content/artikler/4913")).unwrap();
    std::fs::remove_file(root.join("static/kort.css")).unwrap();
    let sink = vinn::render::Memory::default();
    let mut timings = vinn::build::Timings::default();
    let rendered = vinn::build::render_pages_with(
        &loaded.site,
        theme,
        &sink,
        Default::default(),
        &mut timings,
    );
    assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
    let files = sink.0.lock().unwrap();
    assert!(files.contains_key("artikler/alfa/index.html"));
    assert!(!files.contains_key("artikler/4913") && !files.contains_key("kort.css"));
}

#[test]
fn links_in_a_page_bundle_are_taken_as_links_beside_it_are() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    let bundle = root.join("content/artikler/bundle-side");
    // To a file of the bundle: published as that file is.
    std::os::unix::fs::symlink(bundle.join("diagram.svg"), bundle.join("kopi.svg")).unwrap();
    // Out of the site, and nowhere: errors at the link.
    std::os::unix::fs::symlink("/etc/hostname", bundle.join("vert.txt")).unwrap();
    std::os::unix::fs::symlink(bundle.join("borte.png"), bundle.join("brutt.png")).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for (file, says) in [
        ("vert.txt", "points outside content/"),
        ("brutt.png", "is broken"),
    ] {
        assert!(
            err.lines().any(
                |l| l.starts_with(&format!("content/artikler/bundle-side/{file}:"))
                    && l.contains(": error: ")
                    && l.contains(says)
            ),
            "{file}: {err}"
        );
    }
    std::fs::remove_file(bundle.join("vert.txt")).unwrap();
    std::fs::remove_file(bundle.join("brutt.png")).unwrap();
    let out = root.join("public");
    build(root, &out, &[]);
    assert_eq!(
        std::fs::read(out.join("artikler/bundle-side/kopi.svg")).unwrap(),
        std::fs::read(bundle.join("diagram.svg")).unwrap()
    );
}

#[test]
fn a_file_named_with_a_space_is_linked_with_a_valid_url() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    std::fs::copy(
        root.join("content/artikler/bundle-side/diagram.svg"),
        root.join("content/artikler/mitt diagram.svg"),
    )
    .unwrap();
    std::fs::write(
        root.join("content/artikler/med-bilde.md"),
        "---\ntitle: Med bilde\n---\n\n![Diagram](<mitt diagram.svg>) og [lenken](mitt%20diagram.svg).\n",
    )
    .unwrap();
    let out = root.join("public");
    build(root, &out, &[]);
    let doc = page(&out, "artikler/med-bilde/");
    let img = doc.select(&sel(".content img")).next().expect("the image");
    assert_eq!(img.value().attr("src"), Some("../mitt%20diagram.svg"));
    let a = doc
        .select(&sel(".content a"))
        .find(|a| a.text().collect::<String>() == "lenken")
        .unwrap();
    assert_eq!(a.value().attr("href"), Some("../mitt%20diagram.svg"));
    assert!(out.join("artikler/mitt diagram.svg").is_file());
}

#[test]
fn a_template_nothing_renders_is_a_warning() {
    let tmp = site_copy("basic");
    let root = tmp.path();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    // A misspelt override; a template another includes; one a page names.
    std::fs::write(root.join("templates/footr.html"), "<footer>x</footer>\n").unwrap();
    std::fs::write(root.join("templates/egen-del.html"), "<p>del</p>\n").unwrap();
    std::fs::write(
        root.join("templates/footer.html"),
        "<footer class=\"site-footer\">{% include \"egen-del.html\" %}</footer>\n",
    )
    .unwrap();
    std::fs::write(
        root.join("templates/smal.html"),
        "{% extends \"article.html\" %}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/artikler/smal.md"),
        "---\ntitle: Smal\ntemplate: smal.html\n---\n\nTekst.\n",
    )
    .unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let warned: Vec<&str> = err
        .lines()
        .filter(|l| l.contains(": warning: this template overrides none"))
        .collect();
    assert_eq!(warned.len(), 1, "{err}");
    assert!(
        warned[0].starts_with("templates/footr.html")
            && warned[0].ends_with("did you mean `footer.html`?"),
        "{err}"
    );
}
