//! The benchmark's corpus generator (`benches/corpus.rs`): the same pages
//! and seed give the same files, every flavor passes the corpus checks,
//! vinn builds its flavor cleanly, the Zola flavor is in the shape Zola
//! reads, and Zola 0.22 itself (from npm, made loadable by
//! `benches/zola.rs`) builds it.

mod common;
use common::*;

#[allow(dead_code)]
#[path = "../benches/corpus.rs"]
mod corpus;

#[allow(dead_code)]
#[path = "../benches/zola.rs"]
mod zola;

use corpus::Flavor;
use std::path::Path;

const PAGES: usize = 150;
const FLAVORS: [Flavor; 4] = [Flavor::Vinn, Flavor::Hugo, Flavor::Zola, Flavor::MdBook];

fn generated(flavor: Flavor, seed: u64) -> (tempfile::TempDir, corpus::Manifest) {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = corpus::generate_flavor(PAGES, seed, tmp.path(), flavor).unwrap();
    (tmp, manifest)
}

#[test]
fn the_same_seed_gives_the_same_files_and_another_seed_other_pages() {
    for flavor in FLAVORS {
        let (a, _) = generated(flavor, 7);
        let (b, _) = generated(flavor, 7);
        let (c, _) = generated(flavor, 8);
        let (a, b, c) = (snapshot(a.path()), snapshot(b.path()), snapshot(c.path()));
        assert_eq!(a, b, "{flavor:?}");
        assert_ne!(a, c, "{flavor:?}");
        let pages = a
            .keys()
            .filter(|k| k.ends_with(".md"))
            .filter(|k| {
                !["_index.md", "README.md", "SUMMARY.md"]
                    .iter()
                    .any(|f| k.ends_with(f))
            })
            .count();
        assert_eq!(pages, PAGES, "{flavor:?}");
    }
}

/// Descriptions are plain text (templates show them as they are): the
/// generator's emphasis stays in the bodies.
#[test]
fn descriptions_carry_no_markdown() {
    let (dir, _) = generated(Flavor::Vinn, 42);
    let files: Vec<String> = snapshot(dir.path())
        .into_values()
        .map(|b| String::from_utf8(b).unwrap_or_default())
        .collect();
    let descriptions: Vec<&str> = files
        .iter()
        .flat_map(|text| text.lines())
        .filter_map(|l| l.strip_prefix("description: "))
        .collect();
    assert!(descriptions.len() >= PAGES, "{}", descriptions.len());
    let marked: Vec<&&str> = descriptions
        .iter()
        .filter(|d| d.contains('*') || d.contains('`'))
        .collect();
    assert!(marked.is_empty(), "{marked:?}");
    // The bodies still have emphasis.
    assert!(files.iter().any(|t| t.contains("**")));
}

#[test]
fn every_flavor_passes_the_corpus_checks_with_the_same_pages() {
    let mut shapes = Vec::new();
    for flavor in FLAVORS {
        let (dir, manifest) = generated(flavor, 42);
        let report = corpus::verify(dir.path()).unwrap();
        assert_eq!(report.errors, Vec::<String>::new(), "{flavor:?}");
        assert_eq!(report.pages, PAGES, "{flavor:?}");
        assert_eq!(report.links, manifest.links, "{flavor:?}");
        assert!(report.with_table > 0 && report.with_footnote > 0 && report.with_tasks > 0);
        shapes.push((report.kinds, report.folders, report.links));
    }
    assert!(shapes.windows(2).all(|w| w[0] == w[1]), "{shapes:?}");
}

#[test]
fn the_checks_find_a_broken_link_in_each_flavor() {
    for flavor in FLAVORS {
        let (dir, manifest) = generated(flavor, 42);
        let page = dir.path().join("content").join(&manifest.sample_page);
        let text = std::fs::read_to_string(&page).unwrap();
        let link = text.find(".md)").expect("a link in the sample page");
        let broken = format!("{}-nei{}", &text[..link], &text[link..]);
        std::fs::write(&page, broken).unwrap();
        let report = corpus::verify(dir.path()).unwrap();
        assert!(
            report.errors.iter().any(|e| e.contains("broken link")),
            "{flavor:?}: {:?}",
            report.errors
        );
    }
}

#[test]
fn vinn_builds_its_flavor_without_a_problem() {
    let (dir, _) = generated(Flavor::Vinn, 42);
    let o = run(&["build", "--root", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("warning"),
        "the corpus should build cleanly: {}",
        stderr(&o)
    );
    let out = dir.path().join("public");
    let doc = page(&out, "");
    assert_eq!(texts(&doc, "h1").len(), 1);
    let pages = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .count();
    assert!(pages > PAGES, "{pages} pages written");
}

/// The keys Zola 0.22 reads in a page's front matter.
const ZOLA_PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "authors",
    "draft",
    "slug",
    "path",
    "aliases",
    "template",
    "in_search_index",
    "render",
    "taxonomies",
    "extra",
];

#[test]
fn the_zola_flavor_is_in_zolas_shape() {
    let (dir, _) = generated(Flavor::Zola, 42);
    let root = dir.path();
    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("config.toml")).unwrap()).unwrap();
    assert!(config["base_url"].is_str());
    let taxonomies: Vec<&str> = config["taxonomies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(taxonomies, ["topics", "tags"]);
    for template in [
        "index.html",
        "section.html",
        "page.html",
        "taxonomy_list.html",
        "taxonomy_single.html",
    ] {
        assert!(
            root.join("templates").join(template).is_file(),
            "{template}"
        );
    }
    let content = root.join("content");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let fm = text
            .strip_prefix("+++\n")
            .and_then(|rest| rest.split_once("\n+++\n"))
            .map(|(fm, _)| fm)
            .unwrap_or_else(|| panic!("{}: no TOML front matter", entry.path().display()));
        let table: toml::Table = toml::from_str(fm).unwrap();
        if entry.file_name() == "_index.md" {
            assert_eq!(table["sort_by"].as_str(), Some("date"));
            continue;
        }
        pages += 1;
        for key in table.keys() {
            assert!(ZOLA_PAGE_KEYS.contains(&key.as_str()), "{key}");
        }
        assert!(table["date"].is_datetime());
        let terms = table["taxonomies"].as_table().unwrap();
        assert!(terms.keys().all(|k| taxonomies.contains(&k.as_str())));
        // (Its links are `@/` links that resolve: `verify` checks them.)
    }
    assert_eq!(pages, PAGES);
    // The vinn flavor's pages, at the same paths.
    let (vinn, _) = generated(Flavor::Vinn, 42);
    let names = |dir: &Path| snapshot(dir).into_keys().collect::<Vec<_>>();
    assert_eq!(names(&content), names(&vinn.path().join("content")));
}

#[test]
fn zola_itself_builds_the_zola_flavor() {
    let addon = zola::addon_in(&manifest_dir().join("tests/node/node_modules"));
    let original = std::fs::read(&addon).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): install the test tools with `npm ci --prefix tests/node` (bash .ci/run does this)",
            addon.display()
        )
    });
    // Rust's standard library links glibc's newer functions weakly: the
    // versions only those need are marked weak (GLIBC_2.39, which this
    // Debian lacks, among them), one flag each; those that strong symbols
    // need (GLIBC_2.34 for `pthread_detach`, say) are not, and marking
    // again changes nothing.
    let mut patched = original.clone();
    let weak = zola::weaken_versions(&mut patched).unwrap();
    assert!(weak.iter().any(|v| v == "GLIBC_2.39"), "{weak:?}");
    assert!(
        !weak.iter().any(|v| v == "GLIBC_2.34" || v == "GLIBC_2.2.5"),
        "{weak:?}"
    );
    let changed = original
        .iter()
        .zip(&patched)
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, weak.len());
    let mut again = patched.clone();
    assert_eq!(zola::weaken_versions(&mut again).unwrap(), weak);
    assert_eq!(again, patched);

    let tools = tempfile::tempdir().unwrap();
    let bin = zola::prepare(&addon, tools.path()).unwrap();
    assert_eq!(zola::version(&bin).unwrap(), "zola 0.22.0");

    // Zola fails the build on a `@/` link it cannot resolve, so a build
    // that succeeds has resolved every internal link of the corpus.
    let (dir, manifest) = generated(Flavor::Zola, 42);
    let out = tools.path().join("public");
    let o = std::process::Command::new(&bin)
        .arg("--root")
        .arg(dir.path())
        .arg("build")
        .arg("--output-dir")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let content = dir.path().join("content");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&content).unwrap();
        if rel.extension().is_none_or(|e| e != "md") || entry.file_name() == "_index.md" {
            continue;
        }
        let url = rel.with_extension("");
        let doc = page(&out, url.to_str().unwrap());
        assert_eq!(texts(&doc, "h1").len(), 1, "{}", url.display());
        pages += 1;
    }
    assert_eq!(pages, PAGES);
    // A page's menu lists every page of its section, itself marked current.
    let sample = Path::new(&manifest.sample_page).with_extension("");
    let folder = content.join(sample.parent().unwrap());
    let siblings = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
        .count();
    let doc = page(&out, sample.to_str().unwrap());
    let menu = sel(r#"nav[aria-label="Seksjon"] ul li a"#);
    assert_eq!(doc.select(&menu).count(), siblings, "{}", sample.display());
    let current: Vec<&str> = doc
        .select(&menu)
        .filter(|a| a.value().attr("aria-current") == Some("page"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    let slug = sample.file_name().unwrap().to_str().unwrap();
    assert!(
        matches!(current.as_slice(), [h] if h.trim_end_matches('/').ends_with(slug)),
        "{current:?}"
    );
}
