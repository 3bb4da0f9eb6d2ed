//! Interactive checklists in a real browser: ticks survive a reload, the
//! progress text follows, "Nullstill" clears, printing is one click, the
//! whole list works from the keyboard alone, and without JavaScript it is
//! still a plain list of real checkboxes.

#[path = "common/browser.rs"]
#[allow(dead_code)]
mod browser;

use browser::{
    Browser, BuiltSite, StaticServer, Viewport, build_sample_site, html_files, keys, timeout,
};
use serde_json::json;

/// The first checklist page of the built site (its URL path).
fn checklist_url(site: &BuiltSite) -> String {
    html_files(site.path())
        .into_iter()
        .find(|f| {
            std::fs::read_to_string(site.path().join(f))
                .map(|t| {
                    t.contains("class=\"checklist-bar\"")
                        && t.matches("class=\"task\"").count() >= 3
                })
                .unwrap_or(false)
        })
        .map(|f| f.trim_end_matches("index.html").to_string())
        .expect("the sample site has a checklist with at least three items")
}

fn progress(b: &Browser) -> String {
    b.text(&b.find(".checklist-bar .progress-count"))
}

fn wait_progress(b: &Browser, want: &str) {
    b.wait_until(&format!("progress text `{want}`"), timeout(), |b| {
        (progress(b) == want).then_some(())
    });
}

fn checked_ids(b: &Browser) -> Vec<String> {
    b.eval("Array.from(document.querySelectorAll('input.task:checked')).map(function(i){return i.dataset.task})")
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

#[test]
fn ticks_persist_progress_updates_reset_clears_and_print_prints() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let url = checklist_url(&site);
    let b = Browser::start(Viewport::Desktop);
    b.goto(&server.url(&url));
    b.wait_loaded();

    let bar = b.find(".checklist-bar");
    b.wait_until("the checklist bar to be shown", timeout(), |b| {
        b.is_displayed(&bar).then_some(())
    });
    let boxes = b.find_all("input.task");
    let total = boxes.len();
    assert!(total >= 3);
    wait_progress(&b, &format!("0 av {total}"));
    assert_eq!(
        b.eval("document.querySelector('.checklist-bar progress').value"),
        json!(0)
    );

    // Tick the first item by its box and the third by its label.
    b.click(&boxes[0]);
    let label = b.find(&format!(
        "label[for='{}']",
        b.attr(&boxes[2], "id").unwrap()
    ));
    b.click(&label);
    wait_progress(&b, &format!("2 av {total}"));
    assert_eq!(
        b.eval("document.querySelector('.checklist-bar progress').value"),
        json!(2)
    );
    let ticked = checked_ids(&b);
    assert_eq!(ticked.len(), 2);
    let stored = b.eval(&format!("localStorage.getItem('vinn:checklist:{url}')"));
    let stored: Vec<String> =
        serde_json::from_str(stored.as_str().expect("the ticks are stored")).unwrap();
    assert_eq!(stored, ticked, "localStorage holds the ticked ids");
    b.screenshot("checklist-ticked-desktop");

    // Reload: still ticked.
    b.refresh();
    b.wait_loaded();
    wait_progress(&b, &format!("2 av {total}"));
    assert_eq!(checked_ids(&b), ticked, "ticks survive a reload");

    // Another checklist does not share the state.
    let other = html_files(site.path())
        .into_iter()
        .map(|f| f.trim_end_matches("index.html").to_string())
        .find(|f| {
            f != &url
                && std::fs::read_to_string(site.path().join(f).join("index.html"))
                    .map(|t| t.contains("class=\"checklist-bar\""))
                    .unwrap_or(false)
        });
    if let Some(other) = other {
        b.goto(&server.url(&other));
        b.wait_loaded();
        assert!(checked_ids(&b).is_empty(), "{other} starts empty");
        b.back();
        b.wait_loaded();
        wait_progress(&b, &format!("2 av {total}"));
    }

    // Nullstill clears, also after a reload.
    let reset = b.find(".checklist-reset");
    assert_eq!(b.text(&reset), "Nullstill");
    b.click(&reset);
    wait_progress(&b, &format!("0 av {total}"));
    assert!(checked_ids(&b).is_empty());
    b.refresh();
    b.wait_loaded();
    wait_progress(&b, &format!("0 av {total}"));
    assert!(checked_ids(&b).is_empty(), "reset survives a reload");

    // The print button prints.
    b.execute(
        "window.__printed = 0; window.print = function () { window.__printed++; };",
        &[],
    );
    b.click(&b.find(".print-button"));
    b.wait_for_js("window.__printed === 1");

    // All ticked: the bar says so, and the page is still accessible in
    // both colour schemes.
    for i in b.find_all("input.task") {
        b.click(&i);
    }
    wait_progress(&b, &format!("{total} av {total}"));
    assert!(
        b.eval("document.querySelector('.checklist-bar').classList.contains('complete')")
            == json!(true)
    );
    b.assert_accessible("a fully ticked checklist (light)");
    b.execute(
        "document.documentElement.setAttribute('data-theme', 'dark')",
        &[],
    );
    b.assert_accessible("a fully ticked checklist (dark)");
}

#[test]
fn keyboard_only_use_and_clean_print() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let url = checklist_url(&site);
    let b = Browser::start(Viewport::Phone);
    b.goto(&server.url(&url));
    b.wait_loaded();
    b.wait_for_js("!document.querySelector('.checklist-bar').hidden");
    let total = b.find_all("input.task").len();

    // Tab from the top of the page to the first checkbox (bounded).
    let mut tabs = 0;
    while !b.focused().starts_with("input#t-") {
        b.press(&[keys::TAB]);
        tabs += 1;
        assert!(
            tabs < 120,
            "Tab never reached a checklist item (at {})",
            b.focused()
        );
    }
    let first = b.focused();
    let outline = b.eval("getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth");
    assert!(
        !outline.as_str().unwrap_or("none").starts_with("none")
            && !outline.as_str().unwrap_or("").ends_with(" 0px"),
        "the focused checkbox has a visible focus ring: {outline}"
    );
    b.screenshot("checklist-keyboard-focus-phone");
    b.press(&[keys::SPACE]);
    wait_progress(&b, &format!("1 av {total}"));
    // Next item: Tab moves on (nested lists included), Space ticks it.
    b.press(&[keys::TAB]);
    let second = b.focused();
    assert!(
        second.starts_with("input#t-") && second != first,
        "Tab went to {second}"
    );
    b.press(&[keys::SPACE]);
    wait_progress(&b, &format!("2 av {total}"));
    b.press(&[keys::SPACE]);
    wait_progress(&b, &format!("1 av {total}"));
    b.refresh();
    b.wait_loaded();
    wait_progress(&b, &format!("1 av {total}"));
    let first_id = first
        .trim_start_matches("input#")
        .split('.')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        b.eval(&format!("document.getElementById('{first_id}').checked")),
        json!(true),
        "the item ticked with Space is still ticked after a reload"
    );

    // The reset button is reachable and works with Enter.
    let mut tabs = 0;
    while !b.focused().contains("checklist-reset") {
        b.press(&[keys::TAB]);
        tabs += 1;
        assert!(tabs < 200, "Tab never reached the reset button");
    }
    b.press(&[keys::ENTER]);
    wait_progress(&b, &format!("0 av {total}"));

    // Print: no navigation, no buttons, clean empty boxes even for ticked items.
    b.click(&b.find("input.task"));
    wait_progress(&b, &format!("1 av {total}"));
    b.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    let hidden = b.eval(
        "['.site-header', '.site-nav', '.site-footer', '.checklist-bar', '.breadcrumbs', '.toc'].filter(function (s) { var e = document.querySelector(s); return e && getComputedStyle(e).display !== 'none'; })",
    );
    assert_eq!(
        hidden,
        json!([]),
        "shown in print although they should not be"
    );
    let ticked_box = b.eval(
        "(function () { var i = document.querySelector('input.task:checked'); var s = getComputedStyle(i); var a = getComputedStyle(i, '::after'); return [s.backgroundColor, a.display]; })()",
    );
    assert_eq!(
        ticked_box,
        json!(["rgb(255, 255, 255)", "none"]),
        "a ticked item prints as an empty box"
    );
    b.cdp("Emulation.setEmulatedMedia", json!({ "media": "" }));
}

#[test]
fn without_javascript_it_is_a_plain_list() {
    let site = build_sample_site(&[]);
    let server = StaticServer::start(site.path());
    let url = checklist_url(&site);
    let b = Browser::start(Viewport::Phone);
    b.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    );
    b.goto(&server.url(&url));
    let bar = b.find(".checklist-bar");
    assert!(
        !b.is_displayed(&bar),
        "the progress bar needs JavaScript and stays hidden"
    );
    let nav = b.find("#site-nav");
    assert!(
        b.is_displayed(&nav),
        "without JavaScript the section navigation is simply shown"
    );
    let first = b.find("input.task");
    let id = b.attr(&first, "id").unwrap();
    b.click(&b.find(&format!("label[for='{id}']")));
    assert_eq!(
        b.property(&first, "checked"),
        json!(true),
        "the label toggles its checkbox"
    );
    b.screenshot("checklist-no-js-phone");
}
