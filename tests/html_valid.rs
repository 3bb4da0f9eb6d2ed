//! The built sample site is valid HTML (the Nu HTML Checker, vnu.jar from
//! npm, finds no errors), and its machine files (Atom feed, sitemap,
//! robots.txt, alias redirects) are sound.
//!
//! Needs Java and `npm ci --prefix tests/node` (bash .ci/run does both).

#[path = "common/browser.rs"]
#[allow(dead_code)]
mod browser;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use browser::{build_sample_site, build_site, copy_sample_site, html_files, vnu_jar};

#[test]
fn every_html_file_of_the_sample_site_is_valid() {
    let site = build_sample_site(&[]);
    let files = html_files(site.path());
    assert!(
        files.len() > 20,
        "expected the whole sample site, got {files:?}"
    );
    let jar = vnu_jar();
    let java = std::env::var_os("JAVA").unwrap_or_else(|| "java".into());
    let out = Command::new(&java)
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .arg(site.path())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `java` ({e}): the HTML check needs a Java runtime \
                 (`apt-get install -y default-jre-headless`; bash .ci/run does this)"
            )
        });
    // vnu prints its JSON report on stderr.
    let report = String::from_utf8_lossy(&out.stderr);
    let json_start = report.find('{').unwrap_or_else(|| {
        panic!(
            "vnu printed no JSON report (exit {}):\n{report}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let v: serde_json::Value = serde_json::from_str(&report[json_start..])
        .unwrap_or_else(|e| panic!("bad vnu JSON ({e}):\n{report}"));
    let base = format!("file:{}", site.path().display());
    let errors: Vec<String> = v["messages"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
                .map(|m| {
                    let url = m["url"].as_str().unwrap_or("?");
                    let file = url.strip_prefix(&base).unwrap_or(url);
                    format!(
                        "{}:{}: {}",
                        file.trim_start_matches('/'),
                        m["lastLine"].as_u64().unwrap_or(0),
                        m["message"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        errors.is_empty(),
        "{} HTML error(s) in the sample site:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(
        out.status.success(),
        "vnu exited with {} without reporting errors:\n{report}",
        out.status
    );
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Every value of `attr="…"` on `tag` elements, in order.
fn attr_values(text: &str, tag: &str, attr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let open = format!("<{tag}");
    let key = format!("{attr}=\"");
    let mut rest = text;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        let end = rest.find('>').unwrap_or(rest.len());
        let el = &rest[..end];
        if let Some(j) = el.find(&key) {
            let v = &el[j + key.len()..];
            out.push(v[..v.find('"').unwrap_or(v.len())].to_string());
        }
    }
    out
}

/// Text of every `<tag>…</tag>`.
fn elements(text: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        let end = rest.find(&close).expect("unclosed element");
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&#x2F;", "/")
}

#[test]
fn feeds_sitemap_robots_and_aliases_are_sound() {
    let site = build_sample_site(&["--base-url", "https://salg.example/opplaering/"]);
    let dir = site.path();
    let base = "https://salg.example/opplaering/";

    // Atom: well-formed enough to read, one entry per dated page, every
    // link absolute and pointing at a page that exists.
    let atom = read(dir, "atom.xml");
    assert!(atom.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert_eq!(
        atom.matches("<entry>").count(),
        atom.matches("</entry>").count()
    );
    let entries = atom.matches("<entry>").count();
    assert!(entries >= 10, "the feed has only {entries} entries");
    for href in attr_values(&atom, "link", "href") {
        let href = unescape(&href);
        let rel = href
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("feed link {href} is not below the base URL"));
        if rel.is_empty() || rel == "atom.xml" {
            continue;
        }
        assert!(
            dir.join(rel).join("index.html").is_file(),
            "feed links to {href}, which was not built"
        );
    }
    let updated = elements(&atom, "updated");
    assert!(
        updated.iter().all(|u| u.len() == 20 && u.ends_with('Z')),
        "feed dates must be RFC 3339: {updated:?}"
    );

    // Sitemap: every URL absolute and built; every page in it.
    let sitemap = read(dir, "sitemap.xml");
    assert!(sitemap.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let locs: BTreeSet<String> = elements(&sitemap, "loc")
        .iter()
        .map(|l| unescape(l))
        .collect();
    for loc in &locs {
        let rel = loc
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("sitemap URL {loc} is not below the base URL"));
        assert!(
            dir.join(rel).join("index.html").is_file(),
            "sitemap lists {loc}, which was not built"
        );
    }
    for must in [
        "",
        "artikler/",
        "sjekklister/tapsintervju/",
        "case/varehandel-kjede-pris/",
    ] {
        assert!(
            locs.contains(&format!("{base}{must}")),
            "sitemap lacks {base}{must}"
        );
    }

    // robots.txt exists and is plain text rules.
    let robots = read(dir, "robots.txt");
    assert!(robots.contains("User-agent: *"), "robots.txt: {robots}");

    // Alias pages redirect (relative, so sub-paths work) to built pages:
    // a copy of the sample site gets two old addresses.
    let src = copy_sample_site();
    let page = src.path().join("content/sjekklister/tapsintervju.md");
    let text = read(src.path(), "content/sjekklister/tapsintervju.md");
    let text = text.replacen(
        "---\n",
        "---\naliases: [/gammel/tapsintervju/, /sjekklister/gammelt-intervju/]\n",
        1,
    );
    std::fs::write(&page, text).expect("write");
    let site = build_site(src.path(), &["--base-url", base]);
    let dir = site.path();
    let mut aliases = 0;
    for f in html_files(dir) {
        let text = read(dir, &f);
        if !text.contains("http-equiv=\"refresh\"") {
            continue;
        }
        aliases += 1;
        assert!(text.contains("name=\"robots\" content=\"noindex\""), "{f}");
        let target = attr_values(&text, "a", "href")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("alias {f} has no link"));
        let target = unescape(&target);
        let from = Path::new(&f).parent().unwrap_or(Path::new(""));
        let resolved = dir.join(from).join(&target).join("index.html");
        assert!(
            resolved.is_file(),
            "alias {f} points at {target}, which does not exist"
        );
    }
    assert!(
        aliases >= 2,
        "expected the two alias pages, found {aliases}"
    );
    assert!(dir.join("gammel/tapsintervju/index.html").is_file());
}
