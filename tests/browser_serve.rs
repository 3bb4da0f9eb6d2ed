//! `vinn serve` in a real browser (headless Chromium through the shared
//! WebDriver harness): an open page reloads by itself after a content edit
//! and keeps its scroll position; a stylesheet edit swaps the CSS without a
//! reload; a broken file puts an overlay with its diagnostics over every
//! open page, and fixing the file takes it away; served for a workshop, a
//! page offers a QR code of its address on the network.

#[path = "common/browser.rs"]
#[allow(dead_code)]
mod browser;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use browser::{Browser, Viewport, keys, timeout};
use serde_json::{Value, json};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve-site")
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// `vinn serve --port 0` over a copy of the fixture site.
struct Served {
    child: Child,
    url: String,
    dir: tempfile::TempDir,
}

impl Served {
    fn start() -> Served {
        Served::start_with(&[])
    }

    fn start_with(extra: &[&str]) -> Served {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixture(), dir.path());
        let mut child = Command::new(env!("CARGO_BIN_EXE_vinn"))
            .args(["serve", "--port", "0", "--root"])
            .arg(dir.path())
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let url = first
            .strip_prefix("Serving at ")
            .expect("the serving line")
            .to_string();
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Served { child, url, dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn edit(&self, rel: &str, f: impl Fn(&str) -> String) {
        let p = self.path(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, f(&text)).unwrap();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn open(b: &Browser, url: &str) {
    b.goto(url);
    b.wait_loaded();
    // The event stream is open once the page has heard `hello`... or at
    // least the script ran; a page that connects late reloads anyway.
    b.wait_for_js("!!document.getElementById('vinn-reload')");
}

fn long_wait() -> Duration {
    timeout() * 3
}

#[test]
fn an_open_page_reloads_after_an_edit_and_keeps_its_place() {
    let s = Served::start();
    // A long page, so there is somewhere to scroll to.
    s.edit("content/artikler/verdi.md", |t| {
        let mut t = t.to_string();
        for i in 0..80 {
            t.push_str(&format!(
                "\nAvsnitt {i} om hva tiden er verdt for kunden.\n"
            ));
        }
        t
    });
    let b = Browser::start(Viewport::Desktop);
    let page = format!("{}artikler/verdi/", s.url);
    b.wait_until("the long page", long_wait(), |b| {
        b.goto(&page);
        b.wait_loaded();
        b.try_execute(
            "return document.body.innerText.includes('Avsnitt 79');",
            &[],
        )
        .ok()
        .filter(|v| v == &Value::Bool(true))
    });
    open(&b, &page);
    b.execute("window.scrollTo(0, 600); window.__vinnMarker = 1;", &[]);
    b.wait_for_js("window.scrollY > 500");

    s.edit("content/artikler/verdi.md", |t| {
        t.replace("Tre tall er nok", "Fire tall holder")
    });
    b.wait_until("the page to reload with the edit", long_wait(), |b| {
        b.try_execute(
            "return document.readyState === 'complete' && window.__vinnMarker === undefined && document.body.innerText.includes('Fire tall holder');",
            &[],
        )
        .ok()
        .filter(|v| v == &Value::Bool(true))
    });
    b.wait_until("the scroll position to come back", timeout(), |b| {
        b.try_execute("return window.scrollY;", &[])
            .ok()
            .and_then(|v| v.as_f64())
            .filter(|y| *y > 500.0)
    });
}

#[test]
fn a_stylesheet_edit_swaps_css_without_a_reload() {
    let s = Served::start();
    std::fs::write(
        s.path("static/vinn.css"),
        "body { background: rgb(1, 2, 3); }\n",
    )
    .unwrap();
    let b = Browser::start(Viewport::Desktop);
    let page = format!("{}artikler/verdi/", s.url);
    b.wait_until("the site's own stylesheet", long_wait(), |b| {
        b.goto(&page);
        b.wait_loaded();
        b.try_execute(
            "return getComputedStyle(document.body).backgroundColor;",
            &[],
        )
        .ok()
        .filter(|v| v.as_str() == Some("rgb(1, 2, 3)"))
    });
    open(&b, &page);
    b.execute("window.__vinnMarker = 1;", &[]);
    std::fs::write(
        s.path("static/vinn.css"),
        "body { background: rgb(4, 5, 6); }\n",
    )
    .unwrap();
    b.wait_until("the new stylesheet", long_wait(), |b| {
        b.try_execute(
            "return getComputedStyle(document.body).backgroundColor;",
            &[],
        )
        .ok()
        .filter(|v| v.as_str() == Some("rgb(4, 5, 6)"))
    });
    assert_eq!(
        b.eval("window.__vinnMarker"),
        Value::from(1),
        "the page was not reloaded"
    );
}

#[test]
fn a_broken_file_shows_an_overlay_until_it_is_fixed() {
    let s = Served::start();
    let b = Browser::start(Viewport::Desktop);
    let page = format!("{}artikler/verdi/", s.url);
    open(&b, &page);
    assert!(b.try_find("#vinn-overlay").is_none());
    let good = std::fs::read_to_string(s.path("content/artikler/verdi.md")).unwrap();
    s.edit("content/artikler/verdi.md", |t| {
        t.replace(
            "title: \"Verdi for kunden\"",
            "title: [\"Verdi for kunden\"",
        )
    });
    let text = b.wait_until("the error overlay", long_wait(), |b| {
        b.try_find("#vinn-overlay").map(|e| b.text(&e))
    });
    assert!(text.contains("content/artikler/verdi.md:"), "{text}");
    // The page underneath is still the last good version.
    assert!(
        b.eval("document.title")
            .as_str()
            .unwrap_or("")
            .contains("Verdi for kunden")
    );
    // First in the page (its × the first Tab away), a button big enough
    // to tap, in English as vinn's words are; Escape closes it.
    assert_eq!(
        b.eval("[document.body.firstElementChild.id, document.getElementById('vinn-overlay').lang, document.querySelector('#vinn-overlay button').getBoundingClientRect().width >= 44]"),
        json!(["vinn-overlay", "en", true])
    );
    b.press(&[keys::ESCAPE]);
    assert!(b.try_find("#vinn-overlay").is_none());
    // A second mistake brings it back.
    s.edit("content/artikler/verdi.md", |t| {
        t.replace("title: [", "title: [[")
    });
    b.wait_until("the overlay again", long_wait(), |b| {
        b.try_find("#vinn-overlay").map(|_| ())
    });
    std::fs::write(s.path("content/artikler/verdi.md"), good).unwrap();
    b.wait_until("the overlay to go", long_wait(), |b| {
        b.try_find("#vinn-overlay").is_none().then_some(())
    });
}

#[test]
fn a_page_offers_participants_a_qr_code_of_its_address() {
    // Participants open the site at `localhost:8080` (as the network
    // reaches this machine); the trainer's browser opens it at 127.0.0.1.
    let s = Served::start_with(&["--network-url", "http://localhost:8080/"]);
    let b = Browser::start(Viewport::Desktop);
    let page = format!("{}artikler/verdi/", s.url);
    open(&b, &page);
    let button = b.find("#vinn-share-open");
    assert!(b.is_displayed(&button));
    assert_eq!(
        b.attr(&button, "aria-label").as_deref(),
        Some("Vis QR-kode til denne siden for deltakerne")
    );
    // Nothing is fetched before it is asked for.
    assert_eq!(b.eval("document.getElementById('vinn-share').open"), false);
    assert!(
        !b.resource_urls().iter().any(|u| u.contains("qr.svg")),
        "{:?}",
        b.resource_urls()
    );

    b.click(&button);
    b.wait_for_js(
        "(function(d){var i=d.querySelector('img');return d.open&&i.complete&&i.naturalWidth>0;})(document.getElementById('vinn-share'))",
    );
    let dialog = b.find("#vinn-share");
    let text = b.text(&dialog);
    assert!(text.contains("Åpne denne siden på mobilen"), "{text}");
    assert_eq!(
        b.text(&b.find("#vinn-share .vinn-share-url")),
        "http://localhost:8080/artikler/verdi/"
    );
    // The code asked for is this page's; what it holds is read back in
    // tests/serve.rs.
    assert!(
        b.resource_urls()
            .iter()
            .any(|u| u.ends_with("/__vinn/qr.svg?path=%2Fartikler%2Fverdi%2F")),
        "{:?}",
        b.resource_urls()
    );
    // Large enough to scan across a room: most of the window's height.
    let side = b
        .eval("document.querySelector('#vinn-share img').getBoundingClientRect().width")
        .as_f64()
        .unwrap();
    let height = b.eval("window.innerHeight").as_f64().unwrap();
    assert!(side >= height * 0.5, "{side} of {height}");
    // A modal dialog: focus is inside it, and the page behind is dimmed.
    assert_eq!(b.focused(), "button");
    assert_eq!(
        b.eval(
            "getComputedStyle(document.getElementById('vinn-share'), '::backdrop').backgroundColor"
        ),
        "rgba(0, 0, 0, 0.8)"
    );
    b.assert_accessible("the QR code dialog");
    b.screenshot("serve-share-dialog");
    b.press(&[keys::ESCAPE]);
    b.wait_for_js("!document.getElementById('vinn-share').open");
    assert_eq!(b.focused(), "button#vinn-share-open");

    // Opened where the participants open it, the page is as published.
    let there = page.replace("127.0.0.1", "localhost");
    open(&b, &there);
    assert!(b.try_find("#vinn-share-open").is_none());
}

#[test]
fn no_offline_worker_stands_between_serve_and_the_page() {
    // A worker an earlier visit to a built site on this address left
    // would answer the page from the device; under serve it is taken away.
    let s = Served::start();
    let b = Browser::start(Viewport::Desktop);
    let page = format!("{}artikler/verdi/", s.url);
    open(&b, &page);
    b.execute(
        "return navigator.serviceWorker.register('/sw.js').then(function () { return navigator.serviceWorker.ready; }).then(function () { return true; });",
        &[],
    );
    let count = |b: &Browser| {
        b.execute(
            "return navigator.serviceWorker.getRegistrations().then(function (r) { return r.length; });",
            &[],
        )
    };
    assert_eq!(count(&b), 1);
    open(&b, &page);
    b.wait_until("the worker to be gone", long_wait(), |b| {
        (count(b) == 0).then_some(())
    });
}

#[test]
fn many_open_tabs_share_one_event_stream_and_all_reload() {
    // A browser allows six connections to a host: an event stream per tab
    // left a seventh tab waiting for ever.
    let s = Served::start();
    let b = Browser::start(Viewport::Desktop);
    let page = format!("{}artikler/verdi/", s.url);
    let mut tabs = vec![b.handle()];
    open(&b, &page);
    for _ in 0..8 {
        tabs.push(b.new_tab());
        open(&b, &page);
    }
    for t in &tabs {
        b.switch_to(t);
        b.execute("window.__vinnMarker = 1;", &[]);
    }
    s.edit("content/artikler/verdi.md", |t| {
        t.replace("Tre tall er nok", "Fire tall holder")
    });
    for t in &tabs {
        b.switch_to(t);
        b.wait_until("each tab to reload with the edit", long_wait(), |b| {
            b.try_execute(
                "return document.readyState === 'complete' && window.__vinnMarker === undefined && document.body.innerText.includes('Fire tall holder');",
                &[],
            )
            .ok()
            .filter(|v| v == &Value::Bool(true))
        });
    }
    // After the reloads one tab listens again for them all: a broken file
    // shows its overlay in the last tab too.
    let good = std::fs::read_to_string(s.path("content/artikler/verdi.md")).unwrap();
    s.edit("content/artikler/verdi.md", |t| {
        t.replace("title: \"", "title: [\"")
    });
    b.switch_to(tabs.last().unwrap());
    b.wait_until("the overlay in the last tab", long_wait(), |b| {
        b.try_find("#vinn-overlay").map(|_| ())
    });
    std::fs::write(s.path("content/artikler/verdi.md"), good).unwrap();
    b.wait_until("the overlay to go", long_wait(), |b| {
        b.try_find("#vinn-overlay").is_none().then_some(())
    });
}
