//! Search in a real browser: results as you type with highlighted words,
//! the keyboard (`/`, arrows, Enter, Esc), filters narrowing the results,
//! the search page taking `?q=`, and the site opened from file://.

#[path = "common/browser.rs"]
#[allow(dead_code)]
mod browser;

use browser::{Browser, StaticServer, Viewport, build_sample_site, keys, timeout};
use serde_json::json;

const ARROW_DOWN: &str = "\u{E015}";

fn result_count(b: &Browser, list: &str) -> usize {
    b.eval(&format!(
        "(function(l){{return l && !l.hidden ? l.querySelectorAll('li.vinn-result:not(.vinn-result--more)').length : 0}})(document.getElementById('{list}'))"
    ))
    .as_u64()
    .unwrap_or(0) as usize
}

fn wait_results(b: &Browser, list: &str) -> usize {
    b.wait_until(&format!("results in #{list}"), timeout(), |b| {
        let n = result_count(b, list);
        (n > 0).then_some(n)
    })
}

#[test]
fn typing_shows_highlighted_results_and_the_keyboard_works() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Desktop);
    b.goto(&server.url(""));
    b.wait_loaded();

    // `/` focuses the search box from anywhere on the page.
    b.eval("document.activeElement && document.activeElement.blur(), true");
    b.press(&["/"]);
    b.wait_until("the search box to take focus", timeout(), |b| {
        (b.focused() == "input#vinn-q").then_some(())
    });

    let input = b.find("#vinn-q");
    b.send_keys(&input, "tapsintervjuet");
    let n = wait_results(&b, "vinn-results");
    assert!(n >= 1);
    assert_eq!(b.attr(&input, "aria-expanded").as_deref(), Some("true"));
    let titles: Vec<String> = b
        .find_all("#vinn-results .vinn-result__title")
        .iter()
        .map(|e| b.text(e))
        .collect();
    assert!(
        titles.iter().take(3).any(|t| t.contains("Tapsintervju")),
        "{titles:?}"
    );
    assert!(
        !b.find_all("#vinn-results mark").is_empty(),
        "matched words are highlighted"
    );
    b.assert_accessible("search dropdown open");
    b.screenshot("search-dropdown-desktop");

    // ArrowDown selects the first option; Enter opens it.
    b.press(&[ARROW_DOWN]);
    let active = b.wait_until("an active option", timeout(), |b| {
        b.attr(&b.find("#vinn-q"), "aria-activedescendant")
            .filter(|s| !s.is_empty())
    });
    let option = b.find(&format!("#{active}"));
    assert_eq!(b.attr(&option, "aria-selected").as_deref(), Some("true"));
    let href = b
        .eval(&format!(
            "document.querySelector('#{active} a').getAttribute('data-href')"
        ))
        .as_str()
        .unwrap()
        .to_string();
    b.press(&[keys::ENTER]);
    let target = href
        .trim_start_matches("./")
        .trim_end_matches("index.html")
        .to_string();
    b.wait_until("navigation to the chosen result", timeout(), |b| {
        b.url()
            .contains(target.trim_start_matches("../"))
            .then_some(())
    });

    // Esc closes the list.
    b.goto(&server.url(""));
    b.wait_loaded();
    let input = b.find("#vinn-q");
    b.send_keys(&input, "verdi");
    wait_results(&b, "vinn-results");
    b.press(&[keys::ESCAPE]);
    b.wait_until("the results to close", timeout(), |b| {
        (result_count(b, "vinn-results") == 0).then_some(())
    });
    assert_eq!(
        b.attr(&b.find("#vinn-q"), "aria-expanded").as_deref(),
        Some("false")
    );
}

#[test]
fn search_page_takes_q_and_filters_narrow_the_results() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Desktop);
    b.goto(&server.url("sok/?q=beslutningstaker"));
    b.wait_loaded();
    let all = wait_results(&b, "vinn-page-results");
    assert_eq!(
        b.property(&b.find("#vinn-page-q"), "value").as_str(),
        Some("beslutningstaker")
    );
    let kinds = |b: &Browser| -> Vec<String> {
        b.eval("Array.from(document.querySelectorAll('#vinn-page-results li.vinn-result:not(.vinn-result--more)')).map(function(li){return li.className})")
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_string())
            .collect()
    };
    assert!(
        kinds(&b).iter().any(|c| !c.contains("vinn-result--case")),
        "mixed kinds before filtering"
    );

    // Choose "Case" in the kind filter with the keyboard.
    let select = b.find("#vinn-page-kind");
    b.click(&select);
    b.send_keys(&select, "Kundecase");
    b.press(&[keys::ENTER]);
    b.wait_until("only case studies in the results", timeout(), |b| {
        let k = kinds(b);
        (!k.is_empty() && k.iter().all(|c| c.contains("vinn-result--case"))).then_some(())
    });
    let cases = result_count(&b, "vinn-page-results");
    assert!(cases < all, "the filter narrows {all} → {cases}");
    b.assert_accessible("search page with results");
    b.screenshot("search-page-filtered-desktop");
}

#[test]
fn search_works_from_file_urls() {
    let site = build_sample_site(&[]);
    let b = Browser::start(Viewport::Phone);
    b.goto(&format!(
        "{}?q=behovsanalysen",
        site.file_url("sok/index.html")
    ));
    b.wait_loaded();
    wait_results(&b, "vinn-page-results");
    let first = b
        .eval("document.querySelector('#vinn-page-results a').getAttribute('data-href')")
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        first.ends_with("index.html"),
        "file:// links point at index.html: {first}"
    );
    assert!(
        b.resource_urls().iter().all(|u| u.starts_with("file://")),
        "no request leaves the site"
    );
    // On a phone the filters wrap, each label on the line of its list.
    let apart = b.eval(
        "Array.from(document.querySelectorAll('.vinn-search__filters label[for]')).filter(function(l){\
           var s = document.getElementById(l.htmlFor).getBoundingClientRect();\
           var r = l.getBoundingClientRect(), mid = (r.top + r.bottom) / 2;\
           return mid < s.top || mid > s.bottom;\
         }).map(function(l){ return l.textContent; })",
    );
    let labels = b.eval("document.querySelectorAll('.vinn-search__filters label[for]').length");
    assert_eq!(labels.as_u64(), Some(2), "two filters");
    assert_eq!(
        apart,
        serde_json::json!([]),
        "labels wrapped away from their lists"
    );
    b.screenshot("search-file-url-phone");
}

#[test]
fn the_header_results_fit_a_phone_and_name_topics_as_the_site_does() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let b = Browser::start(Viewport::Phone);
    b.goto(&server.url("artikler/"));
    b.wait_loaded();
    let input = b.find("#vinn-q");
    b.click(&input);
    b.send_keys(&input, "beslutningstakeren");
    wait_results(&b, "vinn-results");
    let rect = b.eval(
        "(function () { var r = document.getElementById('vinn-results').getBoundingClientRect(); return [r.left, r.right, window.innerWidth]; })()",
    );
    let (left, right, width) = (
        rect[0].as_f64().unwrap(),
        rect[1].as_f64().unwrap(),
        rect[2].as_f64().unwrap(),
    );
    assert!(
        left >= 0.0 && right <= width,
        "the list hangs off the screen: {rect}"
    );
    b.screenshot("search-dropdown-phone");
    // Topics by their names, as the search page and the pages write them.
    let metas: Vec<String> = b
        .find_all("#vinn-results .vinn-result__meta")
        .iter()
        .map(|e| b.text(e))
        .collect();
    assert!(
        metas.iter().any(|m| m.contains("Beslutningstakere")),
        "{metas:?}"
    );
    assert!(
        !metas.iter().any(|m| m.contains("beslutningstakere")),
        "{metas:?}"
    );
    // A result opens beside the page with Ctrl+click or the middle button,
    // as a link would.
    let here = b.eval("location.href");
    let opened = b.execute(
        "window.__opened = []; window.open = function (u) { window.__opened.push(u); return null; };\
         var a = document.querySelector('#vinn-results .vinn-result__link');\
         a.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true }));\
         a.dispatchEvent(new MouseEvent('auxclick', { bubbles: true, cancelable: true, button: 1 }));\
         return [window.__opened, a.getAttribute('data-href')];",
        &[],
    );
    assert_eq!(opened[0], json!([opened[1], opened[1]]), "{opened}");
    assert_eq!(b.eval("location.href"), here);
}
