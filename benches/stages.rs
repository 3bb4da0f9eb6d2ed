//! In-process benchmarks of the build stages, with divan (`cargo bench
//! --bench stages`). Each stage is timed alone on a generated corpus of
//! 1 000 and 10 000 pages (the same corpus as `bench run`), its input made
//! outside the timed part:
//!
//! - `load`: reading the files and their front matter;
//! - `markdown`: the site model, with every body rendered to HTML;
//! - `checks`: the checks passes (anonymization guard, …);
//! - `render`: templates, listings and insight pages, into memory;
//! - `search`: the search index files;
//! - `write`: every output file into a fresh folder (staging + commit);
//! - `floor`: read + pulldown-cmark + write per page, one thread;
//! - `serve_title_edit`: `serve`'s rebuild after one page's title changed
//!   (the file is written inside the timed part), reload script included.
//!
//! The whole-process figures (wall, CPU, RSS, Hugo, serve) are `bench run`.
//! Corpora are generated once into Cargo's target tmp folder and reused;
//! `write` and `floor` write into `/dev/shm` when there is one, as `bench
//! run` does (set `VINN_BENCH_TMP` to write elsewhere): on this machine's
//! disk, writeback of the previous samples made them 10× slower and noisy.

#[path = "corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use divan::Bencher;
use vinn::config::Config;
use vinn::render::{Memory, Sink};
use vinn::site::{PlainMarkdown, Site};
use vinn::theme::Theme;

// The same allocator as the `vinn` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: [usize; 2] = [1_000, 10_000];
const SEED: u64 = 42;

fn main() {
    divan::main();
}

/// The corpus of `n` pages, generated on first use.
fn corpus(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("stages-{n}-{SEED}"));
    if !dir.join("site.toml").is_file() {
        let tmp = dir.with_extension("partial");
        let _ = std::fs::remove_dir_all(&tmp);
        corpus::generate(n, SEED, &tmp).expect("generate the corpus");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::rename(&tmp, &dir).expect("move the corpus into place");
    }
    dir
}

/// A fresh, empty folder for written output.
fn out_dir() -> tempfile::TempDir {
    let base = std::env::var_os("VINN_BENCH_TMP")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/dev/shm")).filter(|p| p.is_dir()))
        .unwrap_or_else(std::env::temp_dir);
    tempfile::tempdir_in(base).expect("temp folder")
}

fn config(root: &Path) -> Config {
    Config::load(root).expect("site.toml of the corpus")
}

fn loaded(root: &Path, config: &Config) -> vinn::content::Loaded {
    vinn::content::load_with(root, config, false, None)
}

fn assemble(root: &Path) -> Site {
    let config = config(root);
    let strings = vinn::i18n::strings(&config).expect("translations");
    let loaded = loaded(root, &config);
    let (site, diags) = Site::assemble_with(root, config, strings, loaded, false, &PlainMarkdown);
    assert!(!diags.has_errors(), "the generated corpus has errors");
    site
}

/// Values made once per corpus size and kept for the whole run (leaked:
/// the process ends with the benchmarks).
type Kept<T> = OnceLock<Mutex<BTreeMap<usize, &'static T>>>;

fn kept<T: ?Sized + Sync>(
    cache: &'static Kept<T>,
    n: usize,
    make: impl FnOnce() -> &'static T,
) -> &'static T {
    let mut map = cache
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    map.entry(n).or_insert_with(make)
}

/// The site model of corpus `n` (for the stages that only read it).
fn site(n: usize) -> &'static Site {
    static SITES: Kept<Site> = OnceLock::new();
    kept(&SITES, n, || Box::leak(Box::new(assemble(&corpus(n)))))
}

fn theme(site: &Site) -> Theme {
    Theme::resolve(&site.root, &site.config.theme).expect("default theme")
}

/// Every output file of corpus `n`.
fn outputs(n: usize) -> &'static [(String, Vec<u8>)] {
    static OUTPUTS: Kept<[(String, Vec<u8>)]> = OnceLock::new();
    kept(&OUTPUTS, n, || {
        let site = site(n);
        let memory = Memory::default();
        let mut timings = Default::default();
        vinn::build::render(site, &memory, None, &mut timings).expect("render");
        let files = memory.0.into_inner().unwrap_or_else(|e| e.into_inner());
        Box::leak(files.into_iter().collect::<Vec<_>>().into_boxed_slice())
    })
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn load(bencher: Bencher, n: usize) {
    let root = corpus(n);
    let config = config(&root);
    bencher.bench(|| loaded(&root, &config));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn markdown(bencher: Bencher, n: usize) {
    let root = corpus(n);
    let config = config(&root);
    let strings = vinn::i18n::strings(&config).expect("translations");
    bencher
        .with_inputs(|| (config.clone(), strings.clone(), loaded(&root, &config)))
        .bench_values(|(config, strings, loaded)| {
            Site::assemble_with(&root, config, strings, loaded, false, &PlainMarkdown)
        });
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn checks(bencher: Bencher, n: usize) {
    let site = site(n);
    bencher.bench(|| vinn::checks::run(site));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn render(bencher: Bencher, n: usize) {
    let site = site(n);
    bencher.bench(|| {
        let memory = Memory::default();
        let mut timings = Default::default();
        let problems = vinn::build::render_pages_with(
            site,
            theme(site),
            &memory,
            Default::default(),
            &mut timings,
        )
        .problems;
        assert!(problems.is_empty(), "{problems:?}");
        memory
    });
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn search(bencher: Bencher, n: usize) {
    let site = site(n);
    bencher
        .with_inputs(|| vinn::build::search_job(site))
        .bench_refs(|job| job.run());
}

#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn write(bencher: Bencher, n: usize) {
    let files = outputs(n);
    bencher
        .with_inputs(|| (out_dir(), files.to_vec()))
        .bench_values(|(dir, files)| {
            let staging = vinn::output::Staging::new(&dir.path().join("public")).expect("staging");
            for (path, bytes) in files {
                staging.put(&path, bytes).expect("write");
            }
            let stats = staging.commit().expect("commit");
            // The folder is removed after the sample, not inside it.
            (dir, stats)
        });
}

/// `serve` after a title edit: the site in memory, one article's title
/// written anew, the rebuild up to the files it would serve (the search
/// index is built later, off the path to the reload event).
#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn serve_title_edit(bencher: Bencher, n: usize) {
    use vinn::serve::incremental::{Incremental, Outcome, Route};
    let tmp = out_dir();
    let root = tmp.path().join("site");
    copy_dir(&corpus(n), &root);
    let page = walkdir::WalkDir::new(root.join("content/artikler"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name() != "_index.md" && e.path().extension().is_some_and(|x| x == "md"))
        .expect("an article")
        .into_path();
    let text = std::fs::read_to_string(&page).expect("read the article");
    let mut inc = Incremental::new(
        vinn::build::Options {
            root: root.clone(),
            ..Default::default()
        },
        vinn::serve::reload::script_tag(),
    );
    assert!(matches!(inc.rebuild().outcome, Outcome::Updated { .. }));
    let paths = std::collections::BTreeSet::from([page.clone()]);
    let mut round = 0;
    bencher.bench_local(|| {
        round += 1;
        let edited = text.replacen("\ntitle: \"", &format!("\ntitle: \"Runde {round}: "), 1);
        std::fs::write(&page, edited).expect("write the article");
        let report = inc.rebuild_paths(&paths, false);
        assert!(matches!(report.outcome, Outcome::Updated { .. }));
        assert_eq!(report.route, Route::Fronts, "the front matter path");
        report
    });
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk the corpus");
        let dest = to.join(e.path().strip_prefix(from).expect("inside"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("create a folder");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy a file");
        }
    }
}

/// The floor of `bench run`: each page read, rendered by pulldown-cmark
/// with vinn's options and written, one after another.
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn floor(bencher: Bencher, n: usize) {
    use pulldown_cmark::{Parser, html};
    let root = corpus(n);
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let e = e.expect("walk the corpus");
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") {
            files.push(e.into_path());
        }
    }
    let opts = vinn::markdown::options();
    bencher.with_inputs(out_dir).bench_values(|out| {
        for (i, path) in files.iter().enumerate() {
            let text = std::fs::read_to_string(path).expect("read");
            let body = text
                .strip_prefix("---\n")
                .and_then(|rest| rest.find("\n---\n").map(|at| &rest[at + 5..]))
                .unwrap_or(&text);
            let mut page = String::with_capacity(body.len() * 3 / 2);
            html::push_html(&mut page, Parser::new_ext(body, opts));
            let dir = out.path().join(i.to_string());
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join("index.html"), page).expect("write");
        }
        out
    });
}
