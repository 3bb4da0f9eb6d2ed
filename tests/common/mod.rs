//! Helpers shared by the integration tests: building fixture sites into
//! temporary folders and reading the HTML back, parsed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use scraper::{Html, Selector};

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures").join(name)
}

/// Copies a folder tree (files and folders only).
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A copy of a fixture site in a fresh temporary folder.
pub fn site_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    dir
}

/// The `vinn` binary, as outside a GitHub Actions job whatever runs the
/// tests (there `build` and `check` also print annotations on stdout).
pub fn vinn() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("vinn").unwrap();
    cmd.env_remove("GITHUB_ACTIONS");
    cmd
}

/// Runs `vinn ARGS` and returns its output.
pub fn run(args: &[&str]) -> Output {
    vinn().args(args).output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// `vinn build` of `root` into `out`, whatever it says (the caller reads it).
pub fn build_output(root: &Path, out: &Path) -> Output {
    run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ])
}

/// The names of every file under `dir`, in no order.
pub fn file_names_under(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect()
}

/// Builds `root` into `out`, panicking with the diagnostics on failure.
pub fn build(root: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
}

pub fn page(out: &Path, url: &str) -> Html {
    let path = out.join(url.trim_start_matches('/')).join("index.html");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Text of every element matching `css`.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Attribute values of every element matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.value().attr(attr).map(String::from))
        .collect()
}

/// Resolves a relative href against the page's URL (a directory).
pub fn resolve(page_url: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or("");
    let mut parts: Vec<&str> = page_url.split('/').filter(|s| !s.is_empty()).collect();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut s = parts.join("/");
    if href.ends_with('/') && !s.is_empty() {
        s.push('/');
    }
    s
}

/// Hash of every file under `dir` (path → content), to prove nothing changed.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The path data (`d`) of the QR code SVG vinn draws ([`vinn::qr::svg`]).
pub fn svg_path_data(svg: &str) -> &str {
    svg.split(" d=\"")
        .nth(1)
        .and_then(|d| d.split('"').next())
        .expect("a path with data")
}
