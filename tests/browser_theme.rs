//! The default theme in a real browser: every page template passes axe-core
//! (WCAG 2.1 A/AA and best practices) in both colour schemes, no request
//! leaves the site, phones get no sideways scrolling, the dark/light choice
//! is remembered, the phone menu and the table of contents work, the site
//! works from file://, and the theme's CSS+JS stay within budget.
//! Screenshots of the main templates go to tests/artifacts/.

#[path = "common/browser.rs"]
#[allow(dead_code)]
mod browser;

use browser::{
    Browser, BuiltSite, StaticServer, Viewport, build_sample_site, build_site, copy_sample_site,
    html_files, keys, timeout,
};
use serde_json::{Value, json};
use std::process::Command;

/// One page of each template, found in the built site by its markup so the
/// test follows the sample content as it changes.
struct Templates {
    pages: Vec<(&'static str, String)>,
}

impl Templates {
    fn find(site: &BuiltSite) -> Templates {
        let files: Vec<(String, String)> = html_files(site.path())
            .into_iter()
            .map(|f| {
                let text = std::fs::read_to_string(site.path().join(&f)).unwrap_or_default();
                (f.trim_end_matches("index.html").to_string(), text)
            })
            .collect();
        let body = |t: &str| -> String {
            t.split("<body class=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("")
                .to_string()
        };
        let pick = |what: &'static str, f: &dyn Fn(&str, &str) -> bool| -> (&'static str, String) {
            let url = files
                .iter()
                .find(|(u, t)| f(u, t))
                .map(|(u, _)| u.clone())
                .unwrap_or_else(|| {
                    panic!("no page in the sample site renders the {what} template")
                });
            (what, url)
        };
        let pages = vec![
            ("front", String::new()),
            pick("article", &|_, t| {
                body(t) == "page-article" && !t.contains("class=\"lesson-pos\"")
            }),
            pick("checklist", &|_, t| body(t) == "page-checklist"),
            pick("case", &|_, t| body(t) == "page-case"),
            pick("section", &|_, t| body(t) == "section-page"),
            pick("course", &|_, t| body(t) == "section-page course"),
            pick("lesson", &|_, t| t.contains("class=\"lesson-pos\"")),
            pick("whole-course", &|_, t| body(t) == "course-page"),
            pick("topics", &|_, t| {
                body(t) == "listing taxonomy" && t.contains("topic-grid")
            }),
            pick("tags", &|_, t| {
                body(t) == "listing taxonomy" && t.contains("term-cloud")
            }),
            pick("topic", &|_, t| {
                body(t) == "listing term" && t.contains("badge-topics")
            }),
            pick("tag", &|_, t| {
                body(t) == "listing term" && t.contains("badge-tags")
            }),
            pick("new", &|u, t| {
                body(t) == "listing" && (u == "nytt/" || u == "new/")
            }),
            pick("kind-list", &|u, t| {
                body(t) == "listing" && (u.starts_with("alle/") || u.starts_with("all/"))
            }),
            pick("pager", &|u, t| {
                t.contains("class=\"pager\"") && (u.contains("/side/") || u.contains("/page/"))
            }),
            pick("search", &|_, t| body(t).contains("search-page")),
            ("404", "finnes/ikke/".to_string()),
            ("offline", "offline.html".to_string()),
        ];
        Templates { pages }
    }

    fn url(&self, what: &str) -> &str {
        &self.pages.iter().find(|(w, _)| *w == what).expect(what).1
    }
}

fn load(b: &Browser, url: &str) {
    b.goto(url);
    b.wait_loaded();
}

fn set_theme(b: &Browser, theme: &str) {
    b.execute(
        "document.documentElement.setAttribute('data-theme', arguments[0]);",
        &[json!(theme)],
    );
}

/// Asserts every resource the page loaded is from the site itself.
fn assert_same_origin(b: &Browser, origin: &str, label: &str) {
    let foreign: Vec<String> = b
        .resource_urls()
        .into_iter()
        .filter(|u| !u.starts_with(&format!("{origin}/")) && !u.starts_with("data:"))
        .collect();
    assert!(
        foreign.is_empty(),
        "{label} requested resources from elsewhere: {foreign:?}"
    );
}

/// Asserts the page does not scroll sideways.
fn assert_no_sideways_scroll(b: &Browser, label: &str) {
    let v = b.eval("[document.documentElement.scrollWidth, window.innerWidth]");
    let (sw, iw) = (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0));
    assert!(
        sw <= iw,
        "{label} scrolls sideways on a {iw}px wide screen ({sw}px of content)"
    );
}

#[test]
fn every_template_is_accessible_and_self_contained() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let templates = Templates::find(&site);
    let origin = server.origin();
    let mut failures = Vec::new();

    let b = Browser::start(Viewport::Desktop);
    for (what, url) in &templates.pages {
        load(&b, &server.url(url));
        assert!(!b.title().is_empty(), "{what} has a title");
        assert_same_origin(&b, &origin, what);
        for theme in ["light", "dark"] {
            set_theme(&b, theme);
            let v = b.axe_violations();
            if !v.is_empty() {
                failures.push(format!(
                    "{what} ({url}, {theme}, desktop):\n{}",
                    v.join("\n")
                ));
            }
        }
    }
    drop(b);

    let b = Browser::start(Viewport::Phone);
    for (what, url) in &templates.pages {
        load(&b, &server.url(url));
        assert_no_sideways_scroll(&b, what);
        let v = b.axe_violations();
        if !v.is_empty() {
            failures.push(format!("{what} ({url}, light, phone):\n{}", v.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "axe-core violations:\n\n{}",
        failures.join("\n\n")
    );
}

#[test]
fn screenshots_of_the_main_templates() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let templates = Templates::find(&site);
    for vp in [Viewport::Phone, Viewport::Desktop] {
        let b = Browser::start(vp);
        for what in ["front", "article", "checklist", "case", "pager", "search"] {
            load(&b, &server.url(templates.url(what)));
            for theme in ["light", "dark"] {
                set_theme(&b, theme);
                let name = format!(
                    "{what}-{}{}",
                    vp.name(),
                    if theme == "dark" { "-dark" } else { "" }
                );
                let png = b.screenshot(&name);
                assert!(
                    std::fs::metadata(&png)
                        .map(|m| m.len() > 1000)
                        .unwrap_or(false)
                );
                if theme == "light" {
                    b.screenshot_full(&format!("{name}-full"));
                }
            }
        }
    }
}

#[test]
fn dark_mode_toggle_is_remembered_and_follows_the_system() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let templates = Templates::find(&site);
    let b = Browser::start(Viewport::Desktop);
    let theme = |b: &Browser| b.eval("document.documentElement.getAttribute('data-theme')");
    let bg = |b: &Browser| b.eval("getComputedStyle(document.body).backgroundColor");

    b.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": "light" }] }),
    );
    load(&b, &server.url(templates.url("article")));
    assert_eq!(theme(&b), json!("light"));
    let light_bg = bg(&b);
    let toggle = b.find(".theme-toggle");
    assert_eq!(b.attr(&toggle, "aria-pressed").as_deref(), Some("false"));
    b.click(&toggle);
    b.wait_for_js("document.documentElement.getAttribute('data-theme') === 'dark'");
    assert_eq!(b.attr(&toggle, "aria-pressed").as_deref(), Some("true"));
    b.wait_until("a dark background", timeout(), |b| {
        (bg(b) != light_bg).then_some(())
    });
    let dark_bg = bg(&b);
    assert_eq!(b.eval("localStorage.getItem('vinn-theme')"), json!("dark"));

    // Remembered across a reload and on other pages.
    b.refresh();
    b.wait_loaded();
    assert_eq!(theme(&b), json!("dark"));
    assert_eq!(bg(&b), dark_bg);
    assert_eq!(
        b.attr(&b.find(".theme-toggle"), "aria-pressed").as_deref(),
        Some("true")
    );
    load(&b, &server.url(""));
    assert_eq!(theme(&b), json!("dark"));

    // Back to light, remembered too — even when the system prefers dark.
    b.click(&b.find(".theme-toggle"));
    b.wait_for_js("document.documentElement.getAttribute('data-theme') === 'light'");
    b.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    );
    b.refresh();
    b.wait_loaded();
    assert_eq!(theme(&b), json!("light"));

    // With no stored choice the system decides.
    b.execute("localStorage.removeItem('vinn-theme')", &[]);
    b.refresh();
    b.wait_loaded();
    assert_eq!(theme(&b), json!("dark"));
    assert_eq!(bg(&b), dark_bg);

    // Keyboard: the toggle is reachable and works with Enter.
    let mut tabs = 0;
    while !b.focused().contains("theme-toggle") {
        b.press(&[keys::TAB]);
        tabs += 1;
        assert!(tabs < 40, "Tab never reached the theme toggle");
    }
    b.press(&[keys::ENTER]);
    b.wait_for_js("document.documentElement.getAttribute('data-theme') === 'light'");
}

#[test]
fn keyboard_phone_menu_toc_and_layout() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let templates = Templates::find(&site);
    let mut b = Browser::start(Viewport::Phone);
    load(&b, &server.url(templates.url("article")));

    // The first Tab lands on a visible skip link that moves focus to main.
    b.press(&[keys::TAB]);
    assert!(
        b.focused().contains("skip-link"),
        "first Tab: {}",
        b.focused()
    );
    let skip = b.find(".skip-link");
    b.wait_for_js("document.querySelector('.skip-link').getBoundingClientRect().top >= 0");
    assert!(b.is_displayed(&skip));
    b.press(&[keys::ENTER]);
    b.wait_for_js("document.activeElement && document.activeElement.id === 'main'");

    // Phone: the section navigation is folded away behind the menu button.
    let nav = b.find("#site-nav");
    let toggle = b.find(".nav-toggle");
    assert!(!b.is_displayed(&nav), "the menu starts closed on a phone");
    assert!(b.is_displayed(&toggle));
    b.click(&toggle);
    b.wait_until("the menu to open", timeout(), |b| {
        b.is_displayed(&nav).then_some(())
    });
    assert_eq!(b.attr(&toggle, "aria-expanded").as_deref(), Some("true"));
    assert!(
        b.eval("!!document.activeElement.closest('#site-nav')") == json!(true),
        "opening the menu moves focus into it"
    );
    assert_eq!(
        b.eval("document.activeElement.getAttribute('aria-current')"),
        "page",
        "…at the page being read, not at the menu's top"
    );
    b.screenshot("menu-open-phone");
    b.assert_accessible("the open phone menu");
    b.press(&[keys::ESCAPE]);
    b.wait_until("the menu to close", timeout(), |b| {
        (!b.is_displayed(&nav)).then_some(())
    });
    assert_eq!(b.attr(&toggle, "aria-expanded").as_deref(), Some("false"));
    assert!(
        b.focused().contains("nav-toggle"),
        "Escape returns focus to the menu button"
    );

    // Images keep their size (no layout shift) and fit the screen.
    let imgs = b.eval(
        "Array.from(document.querySelectorAll('.content img')).map(function (i) { return [i.getAttribute('width'), i.getAttribute('height'), i.getBoundingClientRect().right <= window.innerWidth]; })",
    );
    for img in imgs.as_array().cloned().unwrap_or_default() {
        assert!(
            img[0].is_string() && img[1].is_string(),
            "image without width/height: {img}"
        );
        assert_eq!(img[2], Value::Bool(true), "image wider than the phone");
    }
    // Wide tables scroll inside their box, not the page.
    for what in ["article", "front", "case"] {
        load(&b, &server.url(templates.url(what)));
        assert_no_sideways_scroll(&b, what);
    }

    // Desktop: navigation shown, menu button gone, table of contents beside
    // the text and following the reading position.
    b.set_window(Viewport::Desktop);
    let long = html_files(site.path())
        .into_iter()
        .find(|f| {
            std::fs::read_to_string(site.path().join(f))
                .map(|t| {
                    t.contains("class=\"page kind-article has-toc\"")
                        && t.matches("<li><a href=\"#").count() >= 4
                })
                .unwrap_or(false)
        })
        .expect("an article with a table of contents")
        .trim_end_matches("index.html")
        .to_string();
    load(&b, &server.url(&long));
    assert!(b.is_displayed(&b.find("#site-nav")));
    assert!(!b.is_displayed(&b.find(".nav-toggle")));
    let beside = b.eval(
        "document.querySelector('.toc').getBoundingClientRect().left >= document.querySelector('.page > .content').getBoundingClientRect().right",
    );
    assert_eq!(
        beside,
        json!(true),
        "the table of contents sits beside the text"
    );
    let ids: Vec<String> = b
        .eval("Array.from(document.querySelectorAll('.toc a')).map(function (a) { return a.getAttribute('href').slice(1); })")
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let target = &ids[ids.len() / 2];
    b.execute(
        "document.getElementById(arguments[0]).scrollIntoView({ block: 'start' });",
        &[json!(target)],
    );
    b.wait_until(&format!("the TOC to mark #{target}"), timeout(), |b| {
        (b.eval("(document.querySelector('.toc a[aria-current]') || {}).hash || ''")
            == json!(format!("#{target}")))
        .then_some(())
    });
    // The TOC stays in view while reading.
    assert_eq!(
        b.eval("(function(){var r=document.querySelector('.toc').getBoundingClientRect();return r.top >= 0 && r.top < window.innerHeight;})()"),
        json!(true)
    );
    b.screenshot("article-toc-desktop");
    // Visible focus on a link.
    b.execute("document.querySelector('.toc a').focus()", &[]);
    b.press(&[keys::TAB]);
    let ring = b.eval("getComputedStyle(document.activeElement).outlineStyle");
    assert_ne!(ring, json!("none"), "a focused link shows a focus ring");
}

#[test]
fn the_site_works_from_file_urls() {
    let site = build_sample_site(&[]);
    let b = Browser::start(Viewport::Desktop);
    b.goto(&site.file_url(""));
    b.wait_loaded();
    let left = b.eval(
        "Array.from(document.querySelectorAll('a[href]')).map(function (a) { return a.getAttribute('href'); }).filter(function (h) { return !/^([a-z]+:|#|\\/)/i.test(h) && /\\/([?#].*)?$/.test(h); })",
    );
    assert_eq!(
        left,
        json!([]),
        "folder links left unrewritten under file://"
    );
    // Follow the first section link: it opens the section's page.
    let link = b.find(".nav-list li:nth-child(2) > a");
    let title = b.text(&link);
    b.click(&link);
    b.wait_until("the section page", timeout(), |b| {
        b.url()
            .ends_with("/index.html")
            .then_some(())
            .filter(|_| b.title().starts_with(&title))
    });
    assert!(b.try_find("link[rel=stylesheet]").is_some());
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.site-header')).position"),
        json!("sticky"),
        "the stylesheet loads from file://"
    );
}

#[test]
fn css_and_js_stay_within_budget() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let templates = Templates::find(&site);
    let b = Browser::start(Viewport::Desktop);
    load(&b, &server.url(templates.url("checklist")));
    // Gzip every stylesheet and script the page loaded, in the browser.
    let sizes = b.execute(
        "var urls = performance.getEntriesByType('resource').map(function (e) { return e.name; }).filter(function (u) { return /\\.(css|js)(\\?|$)/.test(u); });\
         return Promise.all(urls.map(function (u) {\
           return fetch(u).then(function (r) { return new Response(r.body.pipeThrough(new CompressionStream('gzip'))).arrayBuffer(); })\
             .then(function (buf) { return [u, buf.byteLength]; });\
         }));",
        &[],
    );
    let sizes = sizes.as_array().cloned().unwrap_or_default();
    assert!(
        sizes.len() >= 2,
        "expected the theme's CSS and JS: {sizes:?}"
    );
    let total: u64 = sizes.iter().map(|s| s[1].as_u64().unwrap_or(0)).sum();
    assert!(
        total <= 30 * 1024,
        "the page's CSS+JS is {total} bytes gzipped, over the 30 KB budget: {sizes:?}"
    );
}

#[test]
fn english_ui_strings_and_dates() {
    let src = copy_sample_site();
    let toml = src.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("language = \"nb\"", "language = \"en\""),
    )
    .unwrap();
    let site = build_site(src.path(), &[]);
    let t = Templates::find(&site);
    let read = |u: &str| std::fs::read_to_string(site.path().join(u).join("index.html")).unwrap();
    let article = read(t.url("article"));
    assert!(article.contains("<html lang=\"en\">"));
    for s in ["Reading time", "Skip to content", "Dark mode", "Home"] {
        assert!(article.contains(s), "English UI lacks `{s}`");
    }
    for s in ["Lesetid", "Hopp til innholdet", "Forside", "Mørk modus"] {
        assert!(
            !article.contains(s),
            "Norwegian UI string `{s}` in an English site"
        );
    }
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    assert!(
        months.iter().any(|m| article.contains(m)),
        "dates are written in English"
    );
    let checklist = read(t.url("checklist"));
    assert!(checklist.contains("Reset checklist") && checklist.contains(" of "));
    // The search counts in English, one result too ("Griffin" is in one
    // article of the sample).
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Desktop);
    load(&b, &server.url("search/?q=griffin"));
    b.wait_for_js(
        "document.querySelector('.vinn-search--page .vinn-search__status').textContent !== ''",
    );
    assert_eq!(
        b.eval("document.querySelector('.vinn-search--page .vinn-search__status').textContent"),
        "1 result"
    );
}

/// With `edit_url`, a page on a phone shows its edit link under the
/// text, big enough to tap, and the page stays accessible in both schemes.
#[test]
fn the_edit_link_is_tappable_and_accessible_on_a_phone() {
    let src = copy_sample_site();
    let toml = src.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("edit_url = \"https://git.example/salg/edit/main/{{path}}\"\n{text}"),
    )
    .unwrap();
    let site = build_site(src.path(), &[]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Phone);
    load(&b, &server.url("case/energi-styrevedtak/"));
    assert_eq!(
        b.eval("document.querySelector('.edit-page a').href"),
        json!("https://git.example/salg/edit/main/content/case/energi-styrevedtak.md")
    );
    let size = b.eval(
        "(() => { const r = document.querySelector('.edit-page a').getBoundingClientRect(); return [r.width, r.height]; })()",
    );
    assert!(
        size[0].as_f64().unwrap() >= 24.0 && size[1].as_f64().unwrap() >= 24.0,
        "{size}"
    );
    for theme in ["light", "dark"] {
        set_theme(&b, theme);
        b.assert_accessible(&format!("a case with its edit link ({theme})"));
    }
}

#[test]
fn brand_settings_restyle_the_theme() {
    let src = copy_sample_site();
    let toml = src.path().join("site.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str(
        "\n[brand]\naccent = \"#8a1538\"\naccent_dark = \"#ff9bb5\"\nfont = \"Georgia, serif\"\n",
    );
    std::fs::write(&toml, text).unwrap();
    let site = build_site(src.path(), &[]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Desktop);
    load(&b, &server.url(""));
    set_theme(&b, "light");
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.site-header')).backgroundColor"),
        json!("rgb(138, 21, 56)"),
        "the header takes the brand accent"
    );
    assert!(
        b.eval("getComputedStyle(document.body).fontFamily")
            .as_str()
            .unwrap_or("")
            .starts_with("Georgia"),
        "the body takes the brand font"
    );
    b.assert_accessible("a branded front page (light)");
    set_theme(&b, "dark");
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.button')).backgroundColor"),
        json!("rgb(255, 155, 181)"),
        "dark mode takes accent_dark"
    );
    b.assert_accessible("a branded front page (dark)");
}

#[test]
fn long_norwegian_words_break_instead_of_running_off_a_phone() {
    let src = copy_sample_site();
    std::fs::write(
        src.path().join("content/artikler/lange-ord.md"),
        "---\ntitle: \"Anbudskonkurransegjennomføringsprosessen i kommunesektoren\"\n\
         description: \"Om leverandørutviklingsprogramgjennomgangen\"\ndate: 2026-11-20\n\
         tags: [kravspesifikasjonsgjennomgangsmøter]\n---\n\n\
         En lang sammensetning: leverandørutviklingsprogramgjennomgangsrapporten, og en adresse: \
         https://www.eksempel-kommune.no/innkjop/anbudskonkurranser/2026/rammeavtale-for-konsulenttjenester\n\n\
         ## Kravspesifikasjonsgjennomgangsmøtet\n\nTekst.\n\n\
         | Fase | Ansvarlig |\n|---|---|\n| Leverandørutviklingsprogrammet | Innkjøpsavdelingen |\n",
    )
    .unwrap();
    let site = build_site(src.path(), &[]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Phone);
    for url in [
        "artikler/lange-ord/",
        "artikler/",
        "stikkord/kravspesifikasjonsgjennomgangsmoter/",
    ] {
        load(&b, &server.url(url));
        assert_no_sideways_scroll(&b, url);
        // Nothing cut off either: no text runs past its own box.
        let cut = b.eval(
            "Array.from(document.querySelectorAll('h1, h2, .lead, .content p, .card-title, .card-text'))\
               .filter(function(e){ return e.scrollWidth > e.clientWidth + 1; })\
               .map(function(e){ return e.tagName + ': ' + e.textContent.trim().slice(0, 40); })",
        );
        assert_eq!(cut, json!([]), "{url}: text runs past its box");
    }
    // The table scrolls in its frame instead of breaking its words.
    load(&b, &server.url("artikler/lange-ord/"));
    let cell = b.eval(
        "(function(){ var td = document.querySelector('.content td'); return td.getClientRects().length > 0 && td.textContent === 'Leverandørutviklingsprogrammet' && td.getBoundingClientRect().height < 2.2 * parseFloat(getComputedStyle(td).lineHeight); })()",
    );
    assert_eq!(cell, json!(true), "the table's words stay whole");
    b.screenshot("long-words-phone");
}

/// A port that takes connections and never answers, as a network that
/// hangs; stops when dropped.
struct Hang {
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Hang {
    fn on(port: u16) -> Hang {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            for conn in listener.incoming() {
                if flag.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                held.extend(conn.ok());
            }
        });
        Hang {
            port,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Hang {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Whether the page's origin keeps `url` in any of its caches.
fn kept(b: &Browser, url: &str) -> bool {
    b.execute(
        "return caches.match(arguments[0]).then(function (r) { return !!r; });",
        &[json!(url)],
    ) == Value::Bool(true)
}

#[test]
fn pages_read_before_can_be_read_without_a_network() {
    let src = copy_sample_site();
    let site = build_site(src.path(), &[]);
    let server = StaticServer::start(site.path());
    let templates = Templates::find(&site);
    let article = templates.url("article").to_string();
    let checklist = templates.url("checklist").to_string();
    let port = server.port;
    let b = Browser::start(Viewport::Phone);
    load(&b, &server.url(""));
    b.wait_until("the offline worker to take the page", timeout(), |b| {
        (b.eval("!!navigator.serviceWorker.controller") == Value::Bool(true)).then_some(())
    });
    load(&b, &server.url(&article));
    let title = b.text(&b.find("main h1"));
    b.wait_until("the article to be kept", timeout(), |b| {
        kept(b, &server.url(&article)).then_some(())
    });

    let url = |rel: &str| format!("http://127.0.0.1:{port}/{rel}");
    // A network that hangs (connections taken, never answered): a page
    // read before is shown from the device after a few seconds.
    drop(server);
    {
        let _hang = Hang::on(port);
        load(&b, &url(&article));
        assert_eq!(b.text(&b.find("main h1")), title);
    }

    // The network goes (nothing answers on the port).
    // A page read before comes from the device, styled and whole.
    load(&b, &url(&article));
    assert_eq!(b.text(&b.find("main h1")), title);
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.site-header')).position"),
        "sticky",
        "the stylesheet comes from the device too"
    );
    // A page never read gives the offline page, which lists what is kept.
    load(&b, &url(&checklist));
    assert_eq!(b.text(&b.find("main h1")), "Du er uten nett");
    let listed = b.wait_until("the kept pages to be listed", timeout(), |b| {
        let links = b.find_all("[data-offline-list] a");
        (links.len() >= 2).then(|| {
            links
                .iter()
                .map(|a| (b.text(a), b.attr(a, "href").unwrap_or_default()))
                .collect::<Vec<_>>()
        })
    });
    assert_eq!(
        listed[0],
        (title.clone(), url(&article)),
        "newest first: {listed:?}"
    );
    assert!(
        listed.iter().any(|(_, href)| *href == url("")),
        "{listed:?}"
    );
    assert!(
        !listed
            .iter()
            .any(|(_, href)| href.ends_with("offline.html")),
        "{listed:?}"
    );
    assert!(!b.is_displayed(&b.find("[data-offline-none]")));
    b.assert_accessible("the offline page with pages listed");
    b.screenshot("offline-page-phone");
    // Its links work without a network.
    let first = b.find("[data-offline-list] a");
    b.click(&first);
    b.wait_until("the kept article", timeout(), |b| {
        (b.try_find("main h1").map(|h| b.text(&h)) == Some(title.clone())).then_some(())
    });

    // Back online, with offline reading switched off in site.toml: the
    // worker and what it kept are taken away on the next visit.
    let toml = src.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[offline]\nenabled = false\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vinn"))
        .args(["build", "--root"])
        .arg(src.path())
        .arg("--output")
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.path().join("sw.js").exists());
    let server = StaticServer::start_on(site.path(), port);
    // Just back from a network that hung, a kept copy may answer first
    // (while the network's answer is kept): the page is read again until
    // it is the one published now.
    b.wait_until("the worker to be gone", timeout(), |b| {
        load(b, &server.url(&article));
        (b.execute(
            "return navigator.serviceWorker.getRegistrations().then(function (r) { return r.length; });",
            &[],
        ) == json!(0))
        .then_some(())
    });
    b.wait_until("the kept pages to be gone", timeout(), |b| {
        (!kept(b, &server.url(&article))).then_some(())
    });
}

#[test]
fn a_whole_course_prints_from_its_button_and_its_contents_reach_each_lesson() {
    let site = build_sample_site(&["--base-url", "https://salg.example/"]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Phone);
    load(&b, &server.url("kurs/hele-kurset/"));
    let button = b.find(".print-page");
    assert!(
        b.is_displayed(&button),
        "the print button shows where scripts run"
    );
    b.execute(
        "window.__printed = 0; window.print = function () { window.__printed++; };",
        &[],
    );
    b.click(&button);
    assert_eq!(b.eval("window.__printed"), 1);
    // Each entry of the contents leads to its lesson on the page.
    let links = b.find_all(".course-contents a");
    assert_eq!(links.len(), 5);
    b.click(&links[2]);
    b.wait_for_js("location.hash === '#leksjon-3'");
    b.wait_for_js(
        "Math.abs(document.getElementById('leksjon-3').getBoundingClientRect().top) < 120",
    );
    let style = |css: &str, prop: &str| {
        b.execute(
            "return getComputedStyle(document.querySelector(arguments[0]))[arguments[1]];",
            &[json!(css), json!(prop)],
        )
    };
    // The QR code of the course online is for paper only.
    assert_eq!(style(".course-qr", "display"), "none");
    // On paper: each lesson after the first starts a sheet; the button,
    // the links to lessons alone and the site's chrome are left out, and
    // the handout carries its way back to the course online.
    b.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    assert_eq!(style(".course-qr", "display"), "flex");
    let side = b
        .eval("document.querySelector('.course-qr svg').getBoundingClientRect().width")
        .as_f64()
        .unwrap();
    assert!(side > 80.0, "a code a phone can read from paper: {side}px");
    assert_eq!(style("#leksjon-2", "breakBefore"), "page");
    assert_ne!(style("#leksjon-1", "breakBefore"), "page");
    for hidden in [".course-actions", ".course-lesson-link", ".site-header"] {
        assert_eq!(style(hidden, "display"), "none", "{hidden}");
    }
    assert_ne!(style(".course-contents", "display"), "none");
}

#[test]
fn arrow_keys_turn_a_courses_lessons_and_nothing_else() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Desktop);
    // The course's lessons, in order, from the course's own page.
    load(&b, &server.url("kurs/"));
    let lessons: Vec<String> = b
        .find_all(".lessons-list .lesson-title a")
        .iter()
        .map(|a| b.property(a, "href").as_str().unwrap().to_string())
        .collect();
    assert_eq!(lessons.len(), 5);
    let at = |b: &Browser| b.eval("location.href").as_str().unwrap().to_string();
    // Whether the page took the last key press for itself (a listener on
    // the window hears it after the page's own).
    let watch = |b: &Browser| {
        b.execute(
            "window.__taken = null; window.addEventListener('keydown', function (e) { window.__taken = e.defaultPrevented; });",
            &[],
        );
    };
    let taken = |b: &Browser| b.eval("window.__taken");

    load(&b, &lessons[1]);
    b.press(&[keys::ARROW_RIGHT]);
    b.wait_until("the next lesson", timeout(), |b| {
        (at(b) == lessons[2]).then_some(())
    });
    b.wait_loaded();
    b.press(&[keys::ARROW_LEFT]);
    b.wait_until("the lesson before", timeout(), |b| {
        (at(b) == lessons[1]).then_some(())
    });
    b.wait_loaded();
    // Typing in the search box, the arrows move the caret.
    watch(&b);
    let search = b.find("#vinn-q");
    b.click(&search);
    b.send_keys(&search, "pris");
    b.press(&[keys::ARROW_LEFT]);
    assert_eq!(taken(&b), false);
    assert_eq!(at(&b), lessons[1]);
    // A wide table's region scrolls with them instead (the first lesson
    // has a table).
    load(&b, &lessons[0]);
    watch(&b);
    let table = b.find(".table-wrap");
    b.click(&table);
    b.press(&[keys::ARROW_RIGHT]);
    assert_eq!(taken(&b), false);
    // With a modifier held, the browser's own meaning stands.
    let kept = b.execute(
        "return document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', altKey: true, bubbles: true, cancelable: true }));",
        &[],
    );
    assert_eq!(kept, true, "Alt+← is the browser's");
    assert_eq!(at(&b), lessons[0]);
    // An article outside a course keeps its arrow keys.
    let article = b.eval("document.querySelector('.read-also a, a[href*=\"artikler/\"]').href");
    load(&b, article.as_str().unwrap());
    assert!(b.try_find(".prev-next[data-keys]").is_none());
    watch(&b);
    b.press(&[keys::ARROW_RIGHT]);
    assert_eq!(taken(&b), false);
}

#[test]
fn cards_of_pages_newer_than_the_last_visit_are_marked_new() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Phone);
    let cards = |b: &Browser| -> Vec<(String, bool)> {
        b.execute(
            "return Array.prototype.map.call(document.querySelectorAll('.card'), function (c) { var t = c.querySelector('time[datetime]'); return [t ? t.getAttribute('datetime') : '', !!c.querySelector('.badge-new')]; });",
            &[],
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v[0].as_str().unwrap().to_string(), v[1].as_bool().unwrap()))
        .collect()
    };
    load(&b, &server.url("nytt/"));
    let first = cards(&b);
    assert!(first.len() > 4);
    // A first visit marks nothing.
    assert!(first.iter().all(|(_, new)| !new), "{first:?}");
    // The visit before this session's was on a day between the pages'.
    let mut dates: Vec<&String> = first
        .iter()
        .map(|(d, _)| d)
        .filter(|d| !d.is_empty())
        .collect();
    dates.sort();
    let since = dates[dates.len() / 2].clone();
    b.execute(
        "localStorage.setItem('vinn-last-visit:/', arguments[0]); sessionStorage.clear();",
        &[json!(since)],
    );
    load(&b, &server.url("nytt/"));
    let marked = cards(&b);
    for (date, new) in &marked {
        assert_eq!(
            *new,
            !date.is_empty() && *date > since,
            "{date} after {since}"
        );
    }
    assert!(marked.iter().any(|(_, n)| *n) && marked.iter().any(|(_, n)| !n));
    assert_eq!(
        b.text(&b.find(".badge-new")),
        "Ny",
        "in the site's language"
    );
    // The same visit goes on: the front page marks the same pages.
    load(&b, &server.url(""));
    let front = cards(&b);
    assert!(front.iter().any(|(_, n)| *n), "{front:?}");
    for (date, new) in &front {
        assert_eq!(*new, !date.is_empty() && *date > since, "{date}");
    }
    // The next visit starts from today.
    let today = b.eval("(function(d){function p(n){return (n<10?'0':'')+n}return d.getFullYear()+'-'+p(d.getMonth()+1)+'-'+p(d.getDate())})(new Date())");
    assert_eq!(b.eval("localStorage.getItem('vinn-last-visit:/')"), today);
    b.assert_accessible("a listing with new pages marked");
}

#[test]
fn a_quiz_checks_answers_marks_them_and_prints_without_them() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Phone);
    // The sample's first lesson ends with a quiz of two questions.
    load(&b, &server.url("kurs/finn-beslutningstakeren/"));
    let questions = b.find_all(".quiz-q");
    assert_eq!(questions.len(), 2);
    assert_no_sideways_scroll(&b, "a lesson with a quiz");
    let pick = |question: usize, answer: usize| {
        b.execute(
            "var l = document.querySelectorAll('.quiz-q')[arguments[0]].querySelectorAll('.quiz-choices label')[arguments[1]]; l.scrollIntoView({block: 'center'}); l.click();",
            &[json!(question), json!(answer)],
        );
    };
    let check = |question: usize| {
        b.execute(
            "document.querySelectorAll('.quiz-q')[arguments[0]].querySelector('.quiz-check').click();",
            &[json!(question)],
        );
    };
    let state = |question: usize| {
        b.execute(
            "var q = document.querySelectorAll('.quiz-q')[arguments[0]]; return [q.querySelector('.quiz-feedback').textContent, Array.prototype.map.call(q.querySelectorAll('.quiz-choices li'), function (li) { return li.className; }).join(','), q.querySelector('.quiz-answer').open];",
            &[json!(question)],
        )
    };
    // Checking with nothing chosen asks for a choice.
    check(0);
    assert_eq!(state(0)[0], "Velg et svar først.");
    // A wrong answer is marked, and the explanation stays closed.
    pick(0, 0);
    check(0);
    assert_eq!(
        state(0),
        json!([
            "Ikke riktig. Prøv igjen, eller vis svaret.",
            "is-wrong,,",
            false
        ])
    );
    // Choosing again clears the marks; the right one opens the explanation.
    pick(0, 1);
    assert_eq!(state(0), json!(["", ",,", false]));
    check(0);
    assert_eq!(state(0), json!(["Riktig!", ",is-right,", true]));
    b.screenshot("quiz-phone");
    // Two right answers: choosing one of them is "almost"; both is right.
    assert!(b.attr(&b.find_all(".quiz-q")[1], "data-many").is_some());
    pick(1, 0);
    check(1);
    assert!(
        state(1)[0].as_str().unwrap().starts_with("Nesten"),
        "{}",
        state(1)
    );
    pick(1, 1);
    check(1);
    assert_eq!(state(1), json!(["Riktig!", "is-right,is-right,", true]));
    // The arrow keys move between a question's answers, not to the next lesson.
    let here = b.eval("location.href");
    pick(0, 0);
    b.press(&[keys::ARROW_RIGHT]);
    assert_eq!(b.eval("location.href"), here);
    b.assert_accessible("a lesson with a quiz, answered");
    // On paper: the questions with their boxes, no answers and no buttons.
    b.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    let display = |css: &str| {
        b.execute(
            "return getComputedStyle(document.querySelector(arguments[0])).display;",
            &[json!(css)],
        )
    };
    for hidden in [".quiz-answer", ".quiz-check", ".quiz-feedback"] {
        assert_eq!(display(hidden), "none", "{hidden}");
    }
    assert_ne!(display(".quiz-choices"), "none");
    // …and the answers chosen on screen print as empty boxes.
    assert_eq!(
        b.execute(
            "var i = document.querySelector('.quiz-choices input:checked'); return [!!i, i && getComputedStyle(i).appearance];",
            &[],
        ),
        json!([true, "none"])
    );
    // On the whole course's page each lesson's questions answer apart.
    b.cdp("Emulation.setEmulatedMedia", json!({ "media": "" }));
    load(&b, &server.url("kurs/hele-kurset/"));
    let names = b.execute(
        "return Array.prototype.map.call(document.querySelectorAll('.quiz-q'), function (q) { var i = q.querySelector('input'); return [q.id, i.name]; });",
        &[],
    );
    let names = names.as_array().unwrap();
    assert_eq!(names.len(), 2);
    for n in names {
        assert!(
            n[0].as_str().unwrap().starts_with("leksjon-1--quiz-"),
            "{n}"
        );
        assert_eq!(n[0], n[1]);
    }
    pick(0, 1);
    check(0);
    assert_eq!(state(0)[0], "Riktig!");
}

#[test]
fn a_short_table_fits_a_phone_and_a_wide_one_scrolls_with_whole_words() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Phone);
    // Every table of the sample's pages, on a phone: two or three columns
    // fit the screen; more scroll in their region, each column at least
    // a word or two wide.
    let mut checked = 0;
    for url in ["", "evaluering/innsikt/", "kurs/finn-beslutningstakeren/"] {
        load(&b, &server.url(url));
        let tables = b.eval(
            "Array.prototype.map.call(document.querySelectorAll('.table-wrap'), function (w) { var t = w.querySelector('table'); return [t.rows[0].cells.length, w.scrollWidth, w.clientWidth, Math.min.apply(null, Array.prototype.map.call(t.rows[0].cells, function (c) { return c.getBoundingClientRect().width; }))]; })",
        );
        for t in tables.as_array().unwrap() {
            let (cols, scroll, client, narrowest) = (
                t[0].as_u64().unwrap(),
                t[1].as_f64().unwrap(),
                t[2].as_f64().unwrap(),
                t[3].as_f64().unwrap(),
            );
            if cols <= 2 {
                assert!(
                    scroll <= client + 1.0,
                    "{url}: a {cols}-column table scrolls: {t}"
                );
            }
            assert!(
                narrowest >= 110.0,
                "{url}: a column {narrowest}px wide: {t}"
            );
            checked += 1;
        }
        assert_no_sideways_scroll(&b, url);
    }
    assert!(checked >= 3, "{checked}");
}
